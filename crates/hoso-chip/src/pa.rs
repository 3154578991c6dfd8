//! Passive authentication (ICAO Doc 9303 part 11, 5.1): EF.SOD is a CMS
//! SignedData over an LDSSecurityObject, the list of each data group's hash;
//! the data groups read must hash to it, the SignedData must verify with the
//! Document Signer's certificate it carries, and that certificate must chain
//! to a country signing CA (CSCA) that IT configured.
//!
//! The CMS is read and its signature checked by hoso-sign's reader (RustCrypto
//! `cms`, ring), and the chain by hoso-sign's `TrustRoots` (rustls-webpki):
//! the same code that judges PDF signatures, so one policy of algorithms
//! (RSA ≥ 2048 with SHA-2, RSA-PSS, ECDSA P-256/P-384; no SHA-1) holds for
//! both. A CSCA on a curve webpki does not take (the brainpool curves some
//! states use) is reported as an algorithm HoSo cannot check.

use der::Decode;
use der::asn1::{ObjectIdentifier as Oid, OctetString};
use hoso_i18n::{Message, msg};
use hoso_sign::cms::{Digest, parse_signed_data};
use hoso_sign::{Cert, PathFault, TrustRoots};
use serde::Serialize;
use x509_cert::spki::AlgorithmIdentifierOwned;

/// id-icao-mrtd-security-ldsSecurityObject.
const OID_LDS_SECURITY_OBJECT: Oid = Oid::new_unwrap("2.23.136.1.1.1");

#[derive(der::Sequence)]
struct LdsSecurityObject {
    #[allow(dead_code)]
    version: u8,
    hash_algorithm: AlgorithmIdentifierOwned,
    data_group_hash_values: Vec<DataGroupHash>,
    #[asn1(optional = "true")]
    #[allow(dead_code)]
    lds_version_info: Option<der::Any>,
}

#[derive(der::Sequence)]
struct DataGroupHash {
    data_group_number: u8,
    data_group_hash_value: OctetString,
}

/// Why passive authentication failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", content = "detail", rename_all = "snake_case")]
pub enum PaFault {
    /// The chip has no EF.SOD.
    NoSod,
    /// EF.SOD is not a SignedData over an LDSSecurityObject.
    SodUnreadable,
    /// The hash or signature algorithm is one HoSo does not accept.
    Algorithm,
    /// These data groups do not hash to what the SOD signed.
    Changed(Vec<u8>),
    /// These data groups were read but the SOD lists no hash for them.
    Unlisted(Vec<u8>),
    /// The SOD carries no Document Signer certificate that signed it.
    NoSigner,
    /// The signature does not verify with the Document Signer's key.
    BadSignature,
    /// The Document Signer's certificate has no path to a configured CSCA.
    Untrusted(PathFault),
}

impl PaFault {
    pub fn message(&self) -> Message {
        let groups = |g: &[u8]| g.iter().map(|n| format!("DG{n}")).collect::<Vec<_>>().join(", ");
        match self {
            PaFault::NoSod => msg!("chip-pa-no-sod"),
            PaFault::SodUnreadable => msg!("chip-pa-sod-unreadable"),
            PaFault::Algorithm => msg!("chip-pa-algorithm"),
            PaFault::Changed(g) => msg!("chip-pa-changed", groups = groups(g)),
            PaFault::Unlisted(g) => msg!("chip-pa-unlisted", groups = groups(g)),
            PaFault::NoSigner => msg!("chip-pa-no-signer"),
            PaFault::BadSignature => msg!("chip-pa-bad-signature"),
            PaFault::Untrusted(why) => msg!("chip-pa-untrusted", why = why.message()),
        }
    }

    /// A stable name for logs, the audit and the manifest.
    pub fn code(&self) -> String {
        match self {
            PaFault::NoSod => "no_sod".into(),
            PaFault::SodUnreadable => "sod_unreadable".into(),
            PaFault::Algorithm => "algorithm".into(),
            PaFault::Changed(_) => "changed".into(),
            PaFault::Unlisted(_) => "unlisted".into(),
            PaFault::NoSigner => "no_signer".into(),
            PaFault::BadSignature => "bad_signature".into(),
            PaFault::Untrusted(why) => format!("untrusted:{}", why.code()),
        }
    }
}

/// What passive authentication found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PassiveAuth {
    /// `Ok` when every check held.
    pub fault: Option<PaFault>,
    /// The Document Signer's subject, when the SOD names one.
    pub signer: Option<String>,
    /// The CSCA the signer chains to, when it does.
    pub csca: Option<String>,
    /// The SOD's hash algorithm, e.g. `SHA-256`.
    pub hash: Option<&'static str>,
    /// The data groups whose hash held.
    pub groups: Vec<u8>,
}

impl PassiveAuth {
    pub fn passed(&self) -> bool {
        self.fault.is_none()
    }

    /// The result by name, as the record, its audit and the manifest keep
    /// it: `passed`, or the fault's code.
    pub fn code(&self) -> String {
        self.fault.as_ref().map_or_else(|| "passed".to_owned(), PaFault::code)
    }

    /// The result, for people.
    pub fn message(&self) -> Message {
        self.fault.as_ref().map_or_else(|| msg!("chip-pa-passed"), PaFault::message)
    }
}

/// Checks `groups` (number, the file's bytes) against `sod` (EF.SOD's bytes),
/// and its signer against `roots` at `now` (Unix seconds).
pub fn check(sod: Option<&[u8]>, groups: &[(u8, &[u8])], roots: &TrustRoots, now: i64) -> PassiveAuth {
    let mut out = PassiveAuth { fault: None, signer: None, csca: None, hash: None, groups: Vec::new() };
    out.fault = run(sod, groups, roots, now, &mut out).err();
    out
}

fn run(
    sod: Option<&[u8]>,
    groups: &[(u8, &[u8])],
    roots: &TrustRoots,
    now: i64,
    out: &mut PassiveAuth,
) -> Result<(), PaFault> {
    let sod = sod.ok_or(PaFault::NoSod)?;
    let cms = crate::lds::unwrap(sod, 0x77, "EF.SOD").map_err(|_| PaFault::SodUnreadable)?;
    let signed = parse_signed_data(cms).ok_or(PaFault::SodUnreadable)?;
    if signed.content_type != OID_LDS_SECURITY_OBJECT {
        return Err(PaFault::SodUnreadable);
    }
    let content = signed.content.as_deref().ok_or(PaFault::SodUnreadable)?;
    let lds = LdsSecurityObject::from_der(content).map_err(|_| PaFault::SodUnreadable)?;
    let certs = signed.certs();
    let signer = signed.signer(&certs);
    out.signer = signer.map(Cert::subject_name);
    // The hashes first: a changed data group is what a clerk must hear of,
    // whoever signed.
    let digest =
        Digest::from_oid(&lds.hash_algorithm.oid).filter(|d| d.allowed()).ok_or(PaFault::Algorithm)?;
    out.hash = Some(digest.name());
    let (mut changed, mut unlisted) = (Vec::new(), Vec::new());
    for &(n, bytes) in groups {
        match lds.data_group_hash_values.iter().find(|h| h.data_group_number == n) {
            Some(h) if h.data_group_hash_value.as_bytes() == digest.of(bytes).as_slice() => {
                out.groups.push(n)
            }
            Some(_) => changed.push(n),
            None => unlisted.push(n),
        }
    }
    if !changed.is_empty() {
        return Err(PaFault::Changed(changed));
    }
    if !unlisted.is_empty() {
        return Err(PaFault::Unlisted(unlisted));
    }
    if !signed.algorithms_allowed() {
        return Err(PaFault::Algorithm);
    }
    let signer = signer.ok_or(PaFault::NoSigner)?;
    if !signed.content_intact(content) || !signed.verified_by(signer) {
        return Err(PaFault::BadSignature);
    }
    let path = roots.path(signer, &certs, now).map_err(PaFault::Untrusted)?;
    out.csca = path.subjects().last().cloned();
    Ok(())
}
