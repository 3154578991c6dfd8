//! Revocation: whether a certificate of a trusted path was revoked, from CRLs
//! (RFC 5280 §5, DER or PEM) and OCSP (RFC 6960), fetched from the addresses the
//! certificate itself names (CRL distribution points, the OCSP responder of its
//! authority information access) and kept in a folder for offline use. IT may
//! also drop CRLs into that folder (the national root CA publishes its CRL as
//! PEM); a CRL there counts for every certificate of its issuer.
//!
//! Parsing is RustCrypto's (`x509-cert` for CRLs, `x509-ocsp` for OCSP);
//! signatures are checked with the algorithms certification paths may use
//! ([`crate::trust`], webpki's). A CRL counts when its issuer is the
//! certificate's, its signature verifies with the issuer's key, the issuer may
//! sign CRLs (keyUsage cRLSign), it is complete (no delta, no partial scope
//! that leaves the certificate out, no unknown critical extension) and it is
//! current. An OCSP response counts when it is signed by the issuer or by a
//! responder the issuer delegated (extendedKeyUsage OCSPSigning, issued by the
//! issuer, valid now), answers for this certificate and is current.
//!
//! "Current": issued before now and its next update still ahead (an OCSP
//! response without next update: issued within the last day). Information
//! issued after a *proven* signing time also counts for that time, whatever
//! its age (how a long-term signature is judged years later).
//!
//! What no source can answer is [`Status::Unknown`] with the reasons, never
//! "good".
//!
//! A signed file may carry its own validation data (the DSS of PAdES B-LT):
//! [`Revocation::with_embedded`] asks those answers first, judged by the same
//! rules, so a copy whose signing time a time-stamp proves verifies offline
//! years later. [`Revocation::check_path_with_evidence`] hands back the
//! answers a check relied on, for [`crate::ltv`] to embed.

use std::path::{Path, PathBuf};
use std::time::Duration;

use der::{Decode as _, Encode as _};
use hoso_i18n::{Arg, Localized, Message, err, msg};
use serde::Serialize;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{AuthorityInfoAccessSyntax, BasicConstraints, CrlDistributionPoints, CrlReason};
use x509_cert::time::Time;
use x509_ocsp::{BasicOcspResponse, CertId, OcspRequest, OcspResponse, OcspResponseStatus, ResponderId};

use crate::cert::Cert;
use crate::trust::{TrustPath, key_usage, verify_signed};

const OID_OCSP: &str = "1.3.6.1.5.5.7.48.1";
const OID_OCSP_BASIC: &str = "1.3.6.1.5.5.7.48.1.1";
const OID_OCSP_SIGNING: &str = "1.3.6.1.5.5.7.3.9";
const OID_SHA1: &str = "1.3.14.3.2.26";
const OID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
const OID_CRL_NUMBER: &str = "2.5.29.20";
const OID_DELTA_CRL: &str = "2.5.29.27";
const OID_IDP: &str = "2.5.29.28";
const OID_AUTHORITY_KEY_ID: &str = "2.5.29.35";
const OID_CRL_REASON: &str = "2.5.29.21";
/// A response without nextUpdate is current for this long after it was issued.
const NO_NEXT_UPDATE_LIFETIME: i64 = 24 * 3600;
/// Clocks of the counter and the CA may differ by this much.
const CLOCK_SKEW: i64 = 300;

/// Where revocation information comes from.
#[derive(Debug, Clone)]
pub struct Revocation {
    /// The folder fetched CRLs and OCSP responses are kept in, and where IT
    /// may put CRLs; none: nothing kept.
    folder: Option<PathBuf>,
    /// Whether the certificates' addresses are asked (else only the folder).
    online: bool,
    timeout: Duration,
    /// Answers (OCSP responses, CRLs in DER) the file itself carries, asked first.
    embedded: Vec<Vec<u8>>,
}

impl Default for Revocation {
    /// Online, nothing kept.
    fn default() -> Self {
        Revocation { folder: None, online: true, timeout: Duration::from_secs(10), embedded: Vec::new() }
    }
}

/// The revocation status of one certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// Not revoked, by this source.
    Good { source: Source },
    /// Revoked at `revoked_at` (Unix seconds), by this source.
    Revoked { source: Source, revoked_at: i64, reason: Option<String> },
    /// No source could tell: why, source by source.
    Unknown { problems: Vec<Localized> },
}

/// The CRL or OCSP response a status comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// `crl` or `ocsp`.
    pub kind: &'static str,
    /// Where it was fetched from (or the file IT put in the folder).
    pub location: String,
    pub this_update: i64,
    pub next_update: Option<i64>,
    /// Read from the folder, not fetched in this check.
    pub kept: bool,
}

/// The status of one certificate of a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertStatus {
    pub subject: String,
    #[serde(flatten)]
    pub status: Status,
}

impl CertStatus {
    /// What the status means, for reports.
    pub fn message(&self) -> Message {
        let when = |t: i64| chrono::DateTime::from_timestamp(t, 0).map_or(t.to_string(), |d| d.to_rfc3339());
        let from = |source: &Source| format!("{} {}", source.kind.to_uppercase(), source.location);
        let subject = self.subject.as_str();
        match &self.status {
            Status::Good { source } => msg!("revocation-good", subject = subject, source = from(source)),
            Status::Revoked { source, revoked_at, reason: None } => {
                msg!(
                    "revocation-revoked",
                    subject = subject,
                    since = when(*revoked_at),
                    source = from(source)
                )
            }
            Status::Revoked { source, revoked_at, reason: Some(reason) } => msg!(
                "revocation-revoked-reason",
                subject = subject,
                since = when(*revoked_at),
                reason = reason,
                source = from(source)
            ),
            Status::Unknown { problems } if problems.is_empty() => {
                msg!("revocation-unknown", subject = subject, why = msg!("revocation-no-address"))
            }
            Status::Unknown { problems } => {
                msg!("revocation-unknown", subject = subject, why = Arg::list(problems.clone(), "; "))
            }
        }
    }
}

/// The path's statuses taken together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overall {
    Good,
    Revoked,
    Unknown,
}

/// Revoked if any is, else unknown if any is, else good. With a `proven`
/// signing time, a certificate revoked after it was good when it signed.
pub fn overall(statuses: &[CertStatus], proven: Option<i64>) -> Overall {
    let revoked = |s: &CertStatus| match s.status {
        Status::Revoked { revoked_at, .. } => proven.is_none_or(|t| revoked_at <= t),
        _ => false,
    };
    if statuses.iter().any(revoked) {
        Overall::Revoked
    } else if statuses.iter().any(|s| matches!(s.status, Status::Unknown { .. })) {
        Overall::Unknown
    } else {
        Overall::Good
    }
}

/// One source's answer about one certificate, or why it had none.
type Answer = Result<Status, Localized>;

/// An answer a check relied on, in DER, as a DSS holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    Ocsp(Vec<u8>),
    Crl(Vec<u8>),
}

/// The location of answers taken from the file's own validation data.
pub const EMBEDDED: &str = "DSS";

impl Revocation {
    /// Keeps what it fetches in `folder` (made when first needed) and reads
    /// CRLs put there; `online` false: only the folder is read.
    pub fn new(folder: Option<PathBuf>, online: bool) -> Revocation {
        Revocation { folder, online, ..Revocation::default() }
    }

    /// The same sources, with `answers` (DER OCSP responses and CRLs a signed
    /// file carries in its DSS) asked before any other.
    pub fn with_embedded(&self, answers: Vec<Vec<u8>>) -> Revocation {
        Revocation { embedded: answers, ..self.clone() }
    }

    /// The status of every certificate of `path` below its root, at `now`;
    /// `proven` is a signing time a time-stamp proves, if any.
    pub fn check_path(&self, path: &TrustPath, now: i64, proven: Option<i64>) -> Vec<CertStatus> {
        self.check_path_with_evidence(path, now, proven).into_iter().map(|(status, _)| status).collect()
    }

    /// As [`Revocation::check_path`], with the answer each status rests on
    /// (none for an unknown one).
    pub fn check_path_with_evidence(
        &self,
        path: &TrustPath,
        now: i64,
        proven: Option<i64>,
    ) -> Vec<(CertStatus, Option<Evidence>)> {
        path.issued()
            .map(|(cert, issuer)| {
                let (status, evidence) = match self.check(cert, issuer, now, proven) {
                    Ok((status, evidence)) => (status, Some(evidence)),
                    Err(problems) => (Status::Unknown { problems }, None),
                };
                (CertStatus { subject: cert.subject_name(), status }, evidence)
            })
            .collect()
    }

    /// The file's own answers first, then OCSP (the fresher), then the
    /// certificate's CRLs, then CRLs of its issuer in the folder; without an
    /// answer that counts, every source's reason.
    fn check(
        &self,
        cert: &Cert,
        issuer: &Cert,
        now: i64,
        proven: Option<i64>,
    ) -> Result<(Status, Evidence), Vec<Localized>> {
        let when = Freshness { now, proven };
        let mut problems = Vec::new();
        if !self.embedded.is_empty() {
            for bytes in &self.embedded {
                if let Ok(status) = judge_ocsp(bytes, EMBEDDED, true, cert, issuer, when) {
                    return Ok((status, Evidence::Ocsp(bytes.clone())));
                }
                if let Ok(crl) = read_crl(bytes)
                    && let Ok(status) = judge_crl(&crl, EMBEDDED, true, cert, issuer, when)
                {
                    return Ok((status, Evidence::Crl(bytes.clone())));
                }
            }
            problems.push(err!("revocation-dss-useless"));
        }
        for url in ocsp_urls(cert) {
            match self.ocsp(&url, cert, issuer, when) {
                Ok((status, der)) => return Ok((status, Evidence::Ocsp(der))),
                Err(more) => problems.extend(more),
            }
        }
        for url in crl_urls(cert) {
            match self.crl_from(&url, cert, issuer, when) {
                Ok((status, der)) => return Ok((status, Evidence::Crl(der))),
                Err(more) => problems.extend(more),
            }
        }
        for (file, bytes) in self.folder_crls() {
            if let Ok(crl) = read_crl(&bytes)
                && crl.tbs_cert_list.issuer == cert.parsed().tbs_certificate.issuer
            {
                let location = file.display().to_string();
                match judge_crl(&crl, &location, true, cert, issuer, when)
                    .and_then(|s| Ok((s, crl_der(&bytes)?)))
                {
                    Ok((status, der)) => return Ok((status, Evidence::Crl(der))),
                    Err(problem) => problems.push(problem),
                }
            }
        }
        Err(problems)
    }

    fn kept(&self, name: &str) -> Option<PathBuf> {
        self.folder.as_ref().map(|f| f.join(name))
    }

    fn keep(&self, name: &str, bytes: &[u8]) {
        if let Some(path) = self.kept(name) {
            let write = || -> std::io::Result<()> {
                std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
                let tmp = path.with_extension("part");
                std::fs::write(&tmp, bytes)?;
                std::fs::rename(&tmp, &path)
            };
            if let Err(e) = write() {
                log::warn!("revocation: cannot keep {}: {e}", path.display());
            }
        }
    }

    /// CRLs in the folder that IT put there (those fetched are `fetched-*`, read through their URLs).
    fn folder_crls(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let Some(dir) = &self.folder else { return Vec::new() };
        let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
        let mut out: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                !name.starts_with("fetched-") && (name.ends_with(".crl") || name.ends_with(".pem"))
            })
            .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
            .collect();
        out.sort();
        out
    }

    fn client(&self) -> Result<reqwest::blocking::Client, String> {
        crate::net::client(self.timeout).map_err(|e| e.to_string())
    }

    /// A CRL from `url`: fetched (and kept), or the one kept from before when
    /// the fetch fails or what it fetched does not count; with the CRL in DER.
    fn crl_from(
        &self,
        url: &str,
        cert: &Cert,
        issuer: &Cert,
        when: Freshness,
    ) -> Result<(Status, Vec<u8>), Vec<Localized>> {
        let name = format!("fetched-crl-{}.crl", short_hash(url.as_bytes()));
        let (status, bytes) = self.fetched_or_kept(
            "CRL",
            url,
            &name,
            |c| c.get(url),
            |bytes, kept| judge_crl(&read_crl(bytes)?, url, kept, cert, issuer, when),
        )?;
        Ok((status, crl_der(&bytes).map_err(|e| vec![e])?))
    }

    /// An OCSP response from `url`, fetched (and kept) or kept from before;
    /// with the response.
    fn ocsp(
        &self,
        url: &str,
        cert: &Cert,
        issuer: &Cert,
        when: Freshness,
    ) -> Result<(Status, Vec<u8>), Vec<Localized>> {
        let failed =
            |why: Localized| vec![err!("revocation-source-failed", kind = "OCSP", url = url, why = why)];
        let id = cert_id(cert, issuer, OID_SHA1).map_err(failed)?;
        let body = ocsp_request(&id).map_err(failed)?;
        let name = format!("fetched-ocsp-{}.der", short_hash(&body));
        let post = |c: &reqwest::blocking::Client| {
            c.post(url).header("Content-Type", "application/ocsp-request").body(body.clone())
        };
        self.fetched_or_kept("OCSP", url, &name, post, |bytes, kept| {
            judge_ocsp(bytes, url, kept, cert, issuer, when)
        })
    }

    /// Asks `url` (when online) and judges the answer; keeps it as `name` when
    /// it counts, else judges the answer kept from before. With the answer's bytes.
    fn fetched_or_kept(
        &self,
        kind: &str,
        url: &str,
        name: &str,
        request: impl FnOnce(&reqwest::blocking::Client) -> reqwest::blocking::RequestBuilder,
        judge: impl Fn(&[u8], bool) -> Answer,
    ) -> Result<(Status, Vec<u8>), Vec<Localized>> {
        let mut problems = Vec::new();
        if self.online {
            let fetched = self.client().and_then(|c| {
                let resp = request(&c).send().map_err(|e| e.to_string())?;
                if !resp.status().is_success() {
                    return Err(format!("HTTP {}", resp.status()));
                }
                resp.bytes().map(|b| b.to_vec()).map_err(|e| e.to_string())
            });
            match fetched.map_err(Localized::from).and_then(|bytes| Ok((judge(&bytes, false)?, bytes))) {
                Ok((status, bytes)) => {
                    self.keep(name, &bytes);
                    return Ok((status, bytes));
                }
                Err(why) => {
                    problems.push(err!("revocation-source-failed", kind = kind, url = url, why = why))
                }
            }
        }
        match self.kept(name).map(std::fs::read) {
            Some(Ok(bytes)) => match judge(&bytes, true) {
                Ok(status) => return Ok((status, bytes)),
                Err(why) => problems.push(err!("revocation-kept-failed", kind = kind, url = url, why = why)),
            },
            _ if !self.online => problems.push(err!("revocation-offline", kind = kind, url = url)),
            _ => {}
        }
        Err(problems)
    }
}

/// What `bytes`, an OCSP response (DER) or a CRL (DER or PEM) that came from
/// `location`, says about `cert` (issued by `issuer`) at `now`, with the
/// signing time `proven` if it is: the judgement a fetched or kept answer
/// gets, for answers that arrive otherwise (validation data inside a file,
/// the fuzz targets). What does not count is `Unknown`, with the reasons.
pub fn judge_answer(
    bytes: &[u8],
    location: &str,
    cert: &Cert,
    issuer: &Cert,
    now: i64,
    proven: Option<i64>,
) -> Status {
    let when = Freshness { now, proven };
    let not_ocsp = match judge_ocsp(bytes, location, true, cert, issuer, when) {
        Ok(status) => return status,
        Err(problem) => problem,
    };
    match read_crl(bytes).and_then(|crl| judge_crl(&crl, location, true, cert, issuer, when)) {
        Ok(status) => status,
        Err(not_crl) => Status::Unknown {
            problems: vec![
                Localized::from(format!("OCSP: {not_ocsp}")),
                Localized::from(format!("CRL: {not_crl}")),
            ],
        },
    }
}

/// The time information is judged at.
#[derive(Debug, Clone, Copy)]
struct Freshness {
    now: i64,
    proven: Option<i64>,
}

impl Freshness {
    fn check(self, this_update: i64, next_update: Option<i64>) -> Result<(), Localized> {
        if this_update > self.now + CLOCK_SKEW {
            return Err(err!("revocation-future"));
        }
        if self.proven.is_some_and(|t| this_update >= t) {
            return Ok(());
        }
        let until = next_update.unwrap_or(this_update + NO_NEXT_UPDATE_LIFETIME);
        if self.now >= until {
            return Err(err!("revocation-stale"));
        }
        Ok(())
    }
}

fn unix(t: &Time) -> i64 {
    t.to_unix_duration().as_secs() as i64
}

fn short_hash(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes).as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn uri(name: &GeneralName) -> Option<String> {
    match name {
        GeneralName::UniformResourceIdentifier(u) => {
            let u = u.as_str();
            (u.starts_with("http://") || u.starts_with("https://")).then(|| u.to_owned())
        }
        _ => None,
    }
}

/// The certificate's OCSP responders (HTTP only).
fn ocsp_urls(cert: &Cert) -> Vec<String> {
    let Ok(Some((_, aia))) = cert.parsed().tbs_certificate.get::<AuthorityInfoAccessSyntax>() else {
        return Vec::new();
    };
    aia.0
        .iter()
        .filter(|a| a.access_method.to_string() == OID_OCSP)
        .filter_map(|a| uri(&a.access_location))
        .collect()
}

/// The certificate's CRL distribution points (full names, HTTP only; none
/// for reasons or another CRL issuer, which HoSo does not read).
fn crl_urls(cert: &Cert) -> Vec<String> {
    let Ok(Some((_, dps))) = cert.parsed().tbs_certificate.get::<CrlDistributionPoints>() else {
        return Vec::new();
    };
    dps.0
        .iter()
        .filter(|dp| dp.reasons.is_none() && dp.crl_issuer.is_none())
        .filter_map(|dp| match &dp.distribution_point {
            Some(DistributionPointName::FullName(names)) => {
                Some(names.iter().filter_map(uri).collect::<Vec<_>>())
            }
            _ => None,
        })
        .flatten()
        .collect()
}

fn is_ca(cert: &Cert) -> bool {
    matches!(cert.parsed().tbs_certificate.get::<BasicConstraints>(), Ok(Some((_, bc))) if bc.ca)
}

/// A CRL's DER bytes, from DER or PEM.
fn crl_der(bytes: &[u8]) -> Result<Vec<u8>, Localized> {
    if bytes.starts_with(b"-----BEGIN") {
        let (label, der) = pem_rfc7468::decode_vec(bytes).map_err(|e| format!("PEM: {e}"))?;
        if label != "X509 CRL" {
            return Err(err!("crl-pem-not-crl", label = label));
        }
        Ok(der)
    } else {
        Ok(bytes.to_vec())
    }
}

/// A CRL in DER or PEM.
fn read_crl(bytes: &[u8]) -> Result<CertificateList, Localized> {
    CertificateList::from_der(&crl_der(bytes)?).map_err(|e| err!("crl-unreadable", why = e.to_string()))
}

fn reason_name(reason: CrlReason) -> String {
    format!("{reason:?}")
}

/// What `crl` says about `cert`, if it counts (see the module documentation).
fn judge_crl(
    crl: &CertificateList,
    location: &str,
    kept: bool,
    cert: &Cert,
    issuer: &Cert,
    when: Freshness,
) -> Answer {
    let tbs = &crl.tbs_cert_list;
    if tbs.issuer != cert.parsed().tbs_certificate.issuer
        || tbs.issuer != issuer.parsed().tbs_certificate.subject
    {
        return Err(err!("crl-other-issuer"));
    }
    let alg = crl.signature_algorithm.to_der().map_err(|e| e.to_string())?;
    let signed = tbs.to_der().map_err(|e| e.to_string())?;
    let signature = crl.signature.as_bytes().ok_or(err!("crl-signature-unreadable"))?;
    verify_signed(issuer, &alg, &signed, signature)
        .map_err(|f| err!("crl-bad-signature", why = f.message()))?;
    if let Ok(Some(ku)) = key_usage(issuer)
        && !ku.crl_sign()
    {
        return Err(err!("crl-no-crl-sign"));
    }
    for ext in tbs.crl_extensions.iter().flatten() {
        match ext.extn_id.to_string().as_str() {
            OID_DELTA_CRL => return Err(err!("crl-delta")),
            OID_IDP => {
                let idp = IssuingDistributionPoint::from_der(ext.extn_value.as_bytes())
                    .map_err(|e| format!("issuingDistributionPoint: {e}"))?;
                let ca = is_ca(cert);
                if idp.indirect_crl
                    || idp.only_some_reasons.is_some()
                    || idp.only_contains_attribute_certs
                    || (idp.only_contains_ca_certs && !ca)
                    || (idp.only_contains_user_certs && ca)
                {
                    return Err(err!("crl-out-of-scope"));
                }
            }
            OID_CRL_NUMBER | OID_AUTHORITY_KEY_ID => {}
            other if ext.critical => {
                return Err(err!("crl-critical-extension", oid = other.to_string()));
            }
            _ => {}
        }
    }
    let this_update = unix(&tbs.this_update);
    let next_update = tbs.next_update.as_ref().map(unix);
    when.check(this_update, next_update)?;
    let source = Source { kind: "crl", location: location.to_owned(), this_update, next_update, kept };
    let serial = &cert.parsed().tbs_certificate.serial_number;
    match tbs.revoked_certificates.iter().flatten().find(|r| &r.serial_number == serial) {
        None => Ok(Status::Good { source }),
        Some(entry) => {
            let reason = entry
                .crl_entry_extensions
                .iter()
                .flatten()
                .find(|e| e.extn_id.to_string() == OID_CRL_REASON)
                .and_then(|e| CrlReason::from_der(e.extn_value.as_bytes()).ok())
                .map(reason_name);
            Ok(Status::Revoked { source, revoked_at: unix(&entry.revocation_date), reason })
        }
    }
}

fn digest_for(oid: &str) -> Option<&'static ring::digest::Algorithm> {
    match oid {
        OID_SHA1 => Some(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY),
        OID_SHA256 => Some(&ring::digest::SHA256),
        _ => None,
    }
}

/// The OCSP CertID of `cert` with the hash `hash_oid` (SHA-1, as responders
/// expect by RFC 5019, or SHA-256). The hash only names the certificate.
fn cert_id(cert: &Cert, issuer: &Cert, hash_oid: &str) -> Result<CertId, Localized> {
    let alg = digest_for(hash_oid).ok_or_else(|| format!("hash {hash_oid}"))?;
    let name = cert.parsed().tbs_certificate.issuer.to_der().map_err(|e| e.to_string())?;
    let key = issuer.parsed().tbs_certificate.subject_public_key_info.subject_public_key.raw_bytes();
    let octets = |b: &[u8]| {
        der::asn1::OctetString::new(ring::digest::digest(alg, b).as_ref()).map_err(|e| e.to_string())
    };
    Ok(CertId {
        hash_algorithm: x509_cert::spki::AlgorithmIdentifierOwned {
            oid: der::oid::ObjectIdentifier::new(hash_oid).map_err(|e| e.to_string())?,
            parameters: Some(der::Any::from(der::asn1::Null)),
        },
        issuer_name_hash: octets(&name)?,
        issuer_key_hash: octets(key)?,
        serial_number: cert.parsed().tbs_certificate.serial_number.clone(),
    })
}

fn ocsp_request(id: &CertId) -> Result<Vec<u8>, Localized> {
    let request = OcspRequest {
        tbs_request: x509_ocsp::TbsRequest {
            version: x509_ocsp::Version::V1,
            requestor_name: None,
            request_list: vec![x509_ocsp::Request { req_cert: id.clone(), single_request_extensions: None }],
            request_extensions: None,
        },
        optional_signature: None,
    };
    request.to_der().map_err(|e| Localized::from(e.to_string()))
}

/// What an OCSP response says about `cert`, if it counts (see the module documentation).
fn judge_ocsp(bytes: &[u8], url: &str, kept: bool, cert: &Cert, issuer: &Cert, when: Freshness) -> Answer {
    let unreadable = |e: der::Error| err!("ocsp-unreadable", why = e.to_string());
    let response = OcspResponse::from_der(bytes).map_err(unreadable)?;
    if response.response_status != OcspResponseStatus::Successful {
        return Err(err!("ocsp-refused", status = format!("{:?}", response.response_status)));
    }
    let body = response.response_bytes.ok_or(err!("ocsp-empty"))?;
    if body.response_type.to_string() != OID_OCSP_BASIC {
        return Err(err!("ocsp-unknown-type", oid = body.response_type.to_string()));
    }
    let basic = BasicOcspResponse::from_der(body.response.as_bytes()).map_err(unreadable)?;
    let data = &basic.tbs_response_data;
    // The responder's certificate must have been valid when it answered (an
    // answer kept in a file is read long after), and that was not in the future.
    let produced = data.produced_at.0.to_unix_duration().as_secs() as i64;
    if produced > when.now + CLOCK_SKEW {
        return Err(err!("ocsp-future"));
    }
    let responder = responder(&basic, issuer, produced)?;
    let alg = basic.signature_algorithm.to_der().map_err(|e| e.to_string())?;
    let signed = data.to_der().map_err(|e| e.to_string())?;
    let signature = basic.signature.as_bytes().ok_or(err!("ocsp-signature-unreadable"))?;
    verify_signed(&responder, &alg, &signed, signature)
        .map_err(|f| err!("ocsp-bad-signature", why = f.message()))?;
    let single = data
        .responses
        .iter()
        .find(|s| {
            cert_id(cert, issuer, &s.cert_id.hash_algorithm.oid.to_string()).is_ok_and(|id| {
                id.issuer_name_hash == s.cert_id.issuer_name_hash
                    && id.issuer_key_hash == s.cert_id.issuer_key_hash
                    && id.serial_number == s.cert_id.serial_number
            })
        })
        .ok_or(err!("ocsp-other-certificate"))?;
    let this_update = single.this_update.0.to_unix_duration().as_secs() as i64;
    let next_update = single.next_update.as_ref().map(|t| t.0.to_unix_duration().as_secs() as i64);
    when.check(this_update, next_update)?;
    let source = Source { kind: "ocsp", location: url.to_owned(), this_update, next_update, kept };
    match &single.cert_status {
        x509_ocsp::CertStatus::Good(_) => Ok(Status::Good { source }),
        x509_ocsp::CertStatus::Revoked(info) => Ok(Status::Revoked {
            source,
            revoked_at: info.revocation_time.0.to_unix_duration().as_secs() as i64,
            reason: info.revocation_reason.map(reason_name),
        }),
        x509_ocsp::CertStatus::Unknown(_) => Err(err!("ocsp-unknown-certificate")),
    }
}

/// The certificate that signed an OCSP response: the issuer itself, or a
/// responder it delegated, valid when the response was `produced`.
fn responder(basic: &BasicOcspResponse, issuer: &Cert, produced: i64) -> Result<Cert, Localized> {
    let named = |c: &Cert| match &basic.tbs_response_data.responder_id {
        ResponderId::ByName(name) => &c.parsed().tbs_certificate.subject == name,
        ResponderId::ByKey(hash) => {
            let key = c.parsed().tbs_certificate.subject_public_key_info.subject_public_key.raw_bytes();
            ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, key).as_ref() == hash.as_bytes()
        }
    };
    if named(issuer) {
        return Ok(issuer.clone());
    }
    let delegated = basic
        .certs
        .iter()
        .flatten()
        .filter_map(|c| Cert::from_der(&c.to_der().ok()?).ok())
        .find(|c| named(c))
        .ok_or(err!("ocsp-responder-missing"))?;
    let tbs = &delegated.parsed().tbs_certificate;
    if tbs.issuer != issuer.parsed().tbs_certificate.subject {
        return Err(err!("ocsp-not-delegated"));
    }
    let alg = delegated.parsed().signature_algorithm.to_der().map_err(|e| e.to_string())?;
    let signed = tbs.to_der().map_err(|e| e.to_string())?;
    let signature = delegated.parsed().signature.as_bytes().unwrap_or_default();
    verify_signed(issuer, &alg, &signed, signature)
        .map_err(|f| err!("ocsp-responder-not-issuers", why = f.message()))?;
    if !delegated.has_extended_key_usage(OID_OCSP_SIGNING) {
        return Err(err!("ocsp-responder-no-eku"));
    }
    let (from, to) = delegated.validity();
    if produced < from || produced > to {
        return Err(err!("ocsp-responder-not-valid"));
    }
    Ok(delegated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junk_crls_and_ocsp_responses_are_refused_without_panic() {
        for junk in
            [&b""[..], b"\x30", b"\x30\x03\x02\x01\x00", b"-----BEGIN X509 CRL-----\n!!\n", b"\xff\xfe"]
        {
            assert!(read_crl(junk).is_err(), "{junk:?}");
            assert!(OcspResponse::from_der(junk).is_err(), "{junk:?}");
        }
    }

    #[test]
    fn information_counts_while_current_or_when_issued_after_a_proven_time() {
        let now = 1_800_000_000;
        let unproven = Freshness { now, proven: None };
        assert!(unproven.check(now - 10, Some(now + 10)).is_ok());
        assert!(unproven.check(now - 20, Some(now - 10)).is_err(), "past its next update");
        assert!(unproven.check(now + 3600, Some(now + 7200)).is_err(), "issued in the future");
        assert!(unproven.check(now - 3600, None).is_ok());
        assert!(unproven.check(now - 2 * NO_NEXT_UPDATE_LIFETIME, None).is_err());
        let proven = Freshness { now, proven: Some(now - 86400 * 365) };
        assert!(proven.check(now - 86400 * 300, Some(now - 86400 * 290)).is_ok(), "issued after the signing");
        assert!(proven.check(now - 86400 * 400, Some(now - 86400 * 390)).is_err(), "issued before it");
    }

    #[test]
    fn a_revocation_after_a_proven_signing_time_leaves_the_signature_good() {
        let source =
            Source { kind: "crl", location: "x".into(), this_update: 0, next_update: None, kept: false };
        let revoked = |at| {
            vec![CertStatus {
                subject: "CN=A".into(),
                status: Status::Revoked { source: source.clone(), revoked_at: at, reason: None },
            }]
        };
        assert_eq!(overall(&revoked(200), Some(100)), Overall::Good, "revoked after the proven time");
        assert_eq!(overall(&revoked(50), Some(100)), Overall::Revoked);
        assert_eq!(overall(&revoked(200), None), Overall::Revoked, "an unproven time proves nothing");
        let unknown =
            vec![CertStatus { subject: "CN=A".into(), status: Status::Unknown { problems: vec![] } }];
        assert_eq!(overall(&unknown, Some(100)), Overall::Unknown);
    }
}
