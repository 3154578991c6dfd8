//! PAdES B-LT: the validation data a certified copy needs to be verified years
//! later without asking anyone — every certificate of each signature's path and
//! of its time-stamp's path, and the OCSP response or CRL that answered for
//! each certificate below a root — added after the signatures, by incremental
//! update, in a document security store (`/DSS`, ETSI EN 319 142-1 §5.4;
//! [`crate::pdf::append_dss`]). The signatures' bytes are not touched.
//!
//! Only time-stamped signatures (PAdES B-T) get it: an answer issued after a
//! signing time that a time-stamp proves counts for that time whatever its
//! age ([`crate::revocation`]), so the file stays verifiable once the answers
//! and certificates expire. Without a proven time an answer counts only while
//! it is current, and embedding it would prove nothing a week later.
//!
//! The data is added only when it is complete: every signature time-stamped
//! by a trusted TSA, every path to a configured root, and an answer that
//! counts for every certificate (none revoked at the signing time). Otherwise
//! the file is left as it is and the reasons say what is missing; a counter
//! that was offline tries again later (the offline signing queue: sign now,
//! add validation data when online).

use crate::SignError;
use crate::cms::parse_signed_data;
use crate::pdf::{ValidationData, append_dss};
use crate::revocation::{CertStatus, Evidence, Overall, Revocation, overall};
use crate::signed::SignedPdf;
use crate::trust::{TrustPath, TrustRoots};
use crate::tsa::check_token;
use hoso_i18n::{Arg, Localized, Message, err, msg};

/// Why validation data could not be added.
pub type Missing = Localized;

/// What [`add_validation_data`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ltv {
    /// The file with its validation data, and how much it holds.
    Added { pdf: Vec<u8>, certs: usize, ocsps: usize, crls: usize },
    /// The file has a document security store already: left as it is.
    Present,
    /// Something B-LT needs could not be had: the file is left as it is.
    Incomplete(Vec<Missing>),
}

fn missing(signature: usize, why: Message) -> Missing {
    err!("ltv-gap", signature = signature, why = why)
}

/// Adds the validation data of every signature of `pdf` (see the module
/// documentation), judged against `roots` with answers from `revocation` at
/// `now`. An error only for a file that cannot be read or updated.
pub fn add_validation_data(
    pdf: &[u8],
    roots: &TrustRoots,
    revocation: &Revocation,
    now: i64,
) -> Result<Ltv, SignError> {
    let file = SignedPdf::read(pdf)?;
    if file.dss().is_some() {
        return Ok(Ltv::Present);
    }
    let signatures = file.signatures()?;
    if signatures.is_empty() {
        return Err(SignError::Pdf(err!("sign-no-signature")));
    }
    let mut data = ValidationData::default();
    let mut gaps = Vec::new();
    for (n, sig) in signatures.iter().enumerate().map(|(i, s)| (i + 1, s)) {
        let mut note = |why: Message| gaps.push(missing(n, why));
        let Some(cms) = parse_signed_data(&sig.contents) else {
            note(msg!("ltv-unreadable-signature"));
            continue;
        };
        let certs = cms.certs();
        let Some(signer) = cms.signer(&certs) else {
            note(msg!("ltv-no-signer"));
            continue;
        };
        let Some(token) = &cms.timestamp_token else {
            note(msg!("ltv-no-timestamp"));
            continue;
        };
        let check = check_token(token, &cms.signature, roots, revocation, now);
        let Some(proven) = check.proven() else {
            let why = check.problem.as_ref().map_or_else(|| String::new().into(), |p| Arg::from(p.message()));
            gaps.push(missing(n, msg!("ltv-timestamp-unproven", why = why)));
            continue;
        };
        // The time-stamp's own path and answers, as its check found them (a
        // proven time has both), then the signer's, at the proven time.
        if let Some(path) = &check.path {
            let checked = check.revocation.iter().cloned().zip(check.evidence.iter().cloned());
            collect(&mut data, &mut gaps, n, path, checked, None);
        }
        match roots.path(signer, &certs, proven) {
            Ok(path) => {
                let checked = revocation.check_path_with_evidence(&path, now, Some(proven));
                collect(&mut data, &mut gaps, n, &path, checked, Some(proven));
            }
            Err(fault) => gaps.push(missing(n, fault.message())),
        }
    }
    if !gaps.is_empty() {
        return Ok(Ltv::Incomplete(gaps));
    }
    let (certs, ocsps, crls) = (data.certs.len(), data.ocsps.len(), data.crls.len());
    Ok(Ltv::Added { pdf: append_dss(pdf, &data)?, certs, ocsps, crls })
}

/// Puts `path`'s certificates and the answer each status of `checked` rests
/// on into `data`; a certificate no answer counts for, or one revoked at the
/// `proven` time, is a gap.
fn collect(
    data: &mut ValidationData,
    gaps: &mut Vec<Missing>,
    signature: usize,
    path: &TrustPath,
    checked: impl IntoIterator<Item = (CertStatus, Option<Evidence>)>,
    proven: Option<i64>,
) {
    for cert in &path.certs {
        ValidationData::add(&mut data.certs, &cert.der);
    }
    for (status, evidence) in checked {
        match &evidence {
            Some(Evidence::Ocsp(der)) => ValidationData::add(&mut data.ocsps, der),
            Some(Evidence::Crl(der)) => ValidationData::add(&mut data.crls, der),
            None => {}
        }
        if overall(std::slice::from_ref(&status), proven) != Overall::Good {
            gaps.push(missing(signature, status.message()));
        }
    }
}
