//! Verifying the signatures of a PDF.

use hoso_i18n::{Message, msg};
use serde::Serialize;

use crate::SignError;
use crate::cms::{Digest, parse_signed_data};
use crate::revocation::{CertStatus, EMBEDDED, Overall, Revocation, Status, overall};
use crate::signed::{Change, SignedPdf, later_changes};
use crate::trust::{PathFault, TrustRoots};
use crate::tsa::{TimestampCheck, check_token};

/// The overall judgement of one signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Intact, made by a certificate that chains to a trusted root, none of
    /// whose certificates was revoked.
    Valid,
    /// Intact and with a path to a trusted root, but whether a certificate
    /// of the path was revoked could not be checked.
    RevocationUnknown,
    /// Intact, but the signer's certificate does not chain to a configured root.
    Untrusted,
    /// Intact, but a certificate of the path was revoked.
    Revoked,
    /// Intact as signed, but a later revision changed the document beyond
    /// what signing, form filling and validation data may ([`SignatureReport::changes`]),
    /// or the byte range leaves out bytes besides the /Contents string.
    Changed,
    /// The signed bytes were changed, or the signature does not verify.
    Invalid,
}

impl Verdict {
    /// What the verdict means.
    pub fn message(self) -> Message {
        match self {
            Verdict::Valid => msg!("verdict-valid"),
            Verdict::RevocationUnknown => msg!("verdict-revocation-unknown"),
            Verdict::Revoked => msg!("verdict-revoked"),
            Verdict::Untrusted => msg!("verdict-untrusted"),
            Verdict::Changed => msg!("verdict-changed"),
            Verdict::Invalid => msg!("verdict-invalid"),
        }
    }
}

/// What was found about one signature.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureReport {
    pub index: usize,
    pub signer: String,
    pub issuer: String,
    pub time: String,
    pub sub_filter: String,
    /// The byte range starts at 0, skips exactly the /Contents string, and ends
    /// where the update that added it ends.
    pub byte_range_ok: bool,
    /// The digest of the signed bytes equals the signed message-digest.
    pub digest_ok: bool,
    /// The signature value verifies with the signer's key.
    pub signature_ok: bool,
    /// The digest and signature algorithms are strong enough (SHA-256 or more):
    /// a SHA-1 signature is checked, and if intact it is untrusted, not valid.
    pub algorithm_ok: bool,
    /// The signer's certificate has a certification path to a configured root
    /// (RFC 5280, at the signing time: [`TrustRoots::path`]).
    pub chain_ok: bool,
    /// That path's subjects, from the signer up to the root (empty without one).
    pub trust_path: Vec<String>,
    /// Why there is no such path.
    pub trust_problem: Option<PathFault>,
    /// The revocation status of each certificate of the path below the root.
    pub revocation: Vec<CertStatus>,
    /// The certificate was valid at the signing time claimed.
    pub certificate_valid: bool,
    /// ESS signing-certificate-v2 present (PAdES baseline).
    pub pades_attributes: bool,
    /// The digest the signer used (SHA-256, -384 or -512 allowed; SHA-1 is
    /// checked but not allowed, unknown ones leave `digest_ok` false).
    pub digest_algorithm: String,
    /// The signature field's name.
    pub field: String,
    /// Bytes follow the signed range: later incremental updates (e.g. a later signature).
    pub updated_after: bool,
    /// What later revisions changed that signing, form filling and validation
    /// data may not: empty when the file is as signed or only gained those.
    pub changes: Vec<Change>,
    /// Time of the RFC 3161 time-stamp on the signature (PAdES B-T), as the TSA wrote it.
    pub timestamp: Option<String>,
    /// Whether that time-stamp is sound: it stamps this signature's value and
    /// its own signature verifies (false: forged, the verdict is invalid).
    pub timestamp_ok: Option<bool>,
    /// The time-stamp's check in full: the TSA, its path, why no time is proven.
    pub timestamp_check: Option<TimestampCheck>,
    /// The signing time is proven by a trusted time-stamp, and validity, path
    /// and revocation are judged at it; else `/M` is only the signer's claim
    /// and they are judged as of now.
    pub time_proven: bool,
    /// The PAdES baseline level the file shows for this signature: `B-B`;
    /// `B-T` with a proven signing time; `B-LT` when, besides, the file's
    /// own validation data (its DSS) answered for every certificate of the
    /// signer's path, so that it verifies without asking anyone.
    pub level: &'static str,
    pub verdict: Verdict,
}

impl SignatureReport {
    /// The PAdES level ([`SignatureReport::level`]) in words.
    pub fn level_message(&self) -> Message {
        match self.level {
            "B-LT" => msg!("level-b-lt"),
            "B-T" => msg!("level-b-t"),
            _ => msg!("level-b-b"),
        }
    }

    /// When it was signed: the time-stamp's time, its TSA and whether it
    /// proves the time, or that the time is only the signer's claim.
    pub fn time_message(&self) -> Message {
        match &self.timestamp_check {
            Some(stamp) => {
                let tsa = if stamp.tsa.is_empty() { "?" } else { &stamp.tsa };
                match &stamp.problem {
                    None => msg!("time-proven", time = &stamp.time, tsa = tsa),
                    Some(fault) => {
                        msg!("time-not-proven", time = &stamp.time, tsa = tsa, why = fault.message())
                    }
                }
            }
            None => msg!("time-claimed"),
        }
    }
}

/// A digest algorithm's name (the dotted OID when HoSo knows no such digest).
fn digest_name(digest: &Result<Digest, der::asn1::ObjectIdentifier>) -> String {
    match digest {
        Ok(d) => d.name().to_owned(),
        Err(unknown) => unknown.to_string(),
    }
}

/// Checks every signature of `pdf` against `roots`, and whether the
/// certificates of each path were revoked, at `now` (Unix seconds).
pub fn verify_pdf(
    pdf: &[u8],
    roots: &TrustRoots,
    revocation: &Revocation,
    now: i64,
) -> Result<Vec<SignatureReport>, SignError> {
    let file = SignedPdf::read(pdf)?;
    // The file's own validation data: its answers asked first, its
    // certificates offered for path building.
    let crate::ValidationData { certs: dss_certs, ocsps, crls } = file.dss().unwrap_or_default();
    let revocation = &revocation.with_embedded([ocsps, crls].concat());
    let dss_certs: Vec<crate::Cert> =
        dss_certs.iter().filter_map(|d| crate::Cert::from_der(d).ok()).collect();
    let mut out = Vec::new();
    for (index, sig) in file.signatures()?.into_iter().enumerate() {
        let revision = file.revision(&sig);
        let byte_range_ok = revision.as_ref().is_ok_and(|signed| sig.range_ok(pdf, signed));
        let changes = match &revision {
            Ok(signed) if byte_range_ok => later_changes(signed, &file.doc),
            _ => Vec::new(),
        };
        let mut report = SignatureReport {
            index: index + 1,
            signer: String::new(),
            issuer: String::new(),
            time: sig.time.clone(),
            sub_filter: sig.sub_filter.clone(),
            byte_range_ok,
            digest_ok: false,
            signature_ok: false,
            algorithm_ok: false,
            chain_ok: false,
            trust_path: Vec::new(),
            trust_problem: None,
            revocation: Vec::new(),
            certificate_valid: false,
            pades_attributes: false,
            digest_algorithm: String::new(),
            field: sig.field.clone(),
            updated_after: sig.end() < pdf.len(),
            changes,
            timestamp: None,
            timestamp_ok: None,
            timestamp_check: None,
            time_proven: false,
            level: "B-B",
            verdict: Verdict::Invalid,
        };
        let mut proven = None;
        if let Some(cms) = parse_signed_data(&sig.contents) {
            report.pades_attributes = cms.has_signing_certificate_v2;
            if let Some(token) = &cms.timestamp_token {
                let check = check_token(token, &cms.signature, roots, revocation, now);
                report.timestamp_ok = Some(!check.forged);
                report.timestamp = (!check.time.is_empty()).then(|| check.time.clone());
                proven = check.proven();
                report.time_proven = proven.is_some();
                report.timestamp_check = Some(check);
            }
            report.digest_algorithm = digest_name(&cms.digest);
            // Checked even when the range is not exact: then whether the
            // signer's bytes are intact tells a broken signature from one
            // whose file holds bytes it never signed.
            report.digest_ok = sig.signed_bytes(pdf).is_some_and(|signed| cms.content_intact(&signed));
            report.algorithm_ok = cms.algorithms_allowed();
            let mut certs = cms.certs();
            certs.extend(dss_certs.iter().cloned());
            if let Some(signer) = cms.signer(&certs) {
                report.signer = signer.subject_name();
                report.issuer = signer.issuer_name();
                report.signature_ok = cms.verified_by(signer);
                // The time judged: the time-stamp's when proven, else now (the
                // signer's `/M` is a claim anyone can backdate; pyHanko judges so too).
                let time = proven.unwrap_or(now);
                let (from, to) = signer.validity();
                report.certificate_valid = from <= time && time <= to;
                match roots.path(signer, &certs, time) {
                    Ok(path) => {
                        report.chain_ok = true;
                        report.trust_path = path.subjects();
                        report.revocation = revocation.check_path(&path, now, proven);
                    }
                    Err(fault) => report.trust_problem = Some(fault),
                }
            }
        }
        if !report.algorithm_ok && report.trust_problem.is_none() {
            report.trust_problem = Some(PathFault::Algorithm);
        }
        let embedded = |s: &CertStatus| match &s.status {
            Status::Good { source } | Status::Revoked { source, .. } => source.location == EMBEDDED,
            Status::Unknown { .. } => false,
        };
        report.level = match report.time_proven {
            false => "B-B",
            true if !report.revocation.is_empty() && report.revocation.iter().all(embedded) => "B-LT",
            true => "B-T",
        };
        report.verdict = if !(report.digest_ok && report.signature_ok) || report.timestamp_ok == Some(false) {
            Verdict::Invalid
        } else if !(report.byte_range_ok && report.changes.is_empty()) {
            Verdict::Changed
        } else if !(report.chain_ok && report.certificate_valid && report.algorithm_ok) {
            Verdict::Untrusted
        } else {
            match overall(&report.revocation, proven) {
                Overall::Good => Verdict::Valid,
                Overall::Revoked => Verdict::Revoked,
                Overall::Unknown => Verdict::RevocationUnknown,
            }
        };
        out.push(report);
    }
    Ok(out)
}
