//! Electronic signatures on PDF/A: PAdES baseline B-B made with keys on PKCS#11
//! tokens, and verification.
//!
//! - [`token::TokenLogin`] claims a token for one certify batch and logs in
//!   (cryptoki); its [`token::TokenSigner`]s pick keys by their certificates; [`p12::FileSigner`] reads a PKCS#12 file; [`cert::Cert`] checks validity before anything is signed.
//! - [`cms`] builds the CMS SignedData (`ETSI.CAdES.detached`, signed attributes
//!   content-type, message-digest, signing-certificate-v2) and reads it back.
//! - [`pdf`] appends a signature by incremental update with a visible
//!   appearance in an embedded font ([`sign_pdf`]).
//! - [`signed`] reads signed files with a real PDF parser (lopdf): signatures
//!   through the AcroForm, each signed revision, what later revisions changed.
//! - [`tsa`] gets RFC 3161 time-stamps for PAdES B-T.
//! - [`ltv`] adds the validation data of PAdES B-LT (a DSS by incremental
//!   update) once every signature's path and revocation can be answered.
//! - [`trust`] validates certification paths to the configured roots (RFC
//!   5280, webpki); [`revocation`] asks CRLs and OCSP whether a path's
//!   certificates were revoked, and keeps what it fetched for offline use.
//! - [`verify_pdf`] checks each signature: byte range, digest, signature value,
//!   chain to the configured roots, validity at signing time, revocation, and
//!   whether the file was changed after it.
//!
//! The only crate that touches keys and PKCS#11.

pub mod cert;
pub mod cms;
pub mod ltv;
pub mod modules;
mod net;
pub mod p12;
pub mod pdf;
pub mod revocation;
pub mod signed;
pub mod token;
pub mod trust;
pub mod tsa;
mod verify;

pub use cert::Cert;
pub use ltv::{Ltv, add_validation_data};
pub use p12::FileSigner;
pub use pdf::{Appearance, SignatureInfo, ValidationData};
pub use revocation::{CertStatus, Revocation};
pub use signed::Change;
pub use token::{Pin, Signer, TokenCertificate, TokenLogin, TokenSigner, list_certificates};
pub use trust::{PathFault, TrustPath, TrustRoots};
pub use verify::{SignatureReport, Verdict, verify_pdf};

use hoso_i18n::{Localized, msg};
use hoso_pdf::FontFile;

/// Why signing or verification failed, for the clerk and for IT.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("{}", msg!("sign-token", detail = .0))]
    Token(Localized),
    #[error("{}", msg!("sign-wrong-pin"))]
    WrongPin,
    #[error("{}", msg!("sign-pin-locked"))]
    PinLocked,
    #[error("{}", msg!("sign-token-busy"))]
    TokenBusy,
    #[error("{}", msg!("sign-certificate", detail = .0))]
    Certificate(Localized),
    /// The certificate's subject.
    #[error("{}", msg!("sign-expired", detail = .0))]
    Expired(String),
    #[error("{}", msg!("sign-not-yet-valid", detail = .0))]
    NotYetValid(String),
    #[error("{}", msg!("sign-pdf", detail = .0))]
    Pdf(Localized),
    #[error("{}", msg!("sign-timestamp", detail = .0))]
    Timestamp(Localized),
}

/// Signs `pdf` with `signer`: checks the certificate at `now_unix`, appends
/// the signature field with its appearance, signs the byte range, embeds the
/// CMS; with `tsa` (an RFC 3161 URL) the signature value is time-stamped
/// (PAdES B-T), otherwise the signature is B-B.
pub fn sign_pdf(
    pdf: &[u8],
    signer: &mut dyn Signer,
    info: &SignatureInfo,
    look: &Appearance,
    font: &FontFile,
    now_unix: i64,
    tsa: Option<&str>,
) -> Result<Vec<u8>, SignError> {
    let cert = signer.certificate().clone();
    cert.check_valid_at(now_unix)?;
    let algorithm = signer.algorithm();
    let prepared = pdf::prepare(pdf, info, look, font)?;
    let digest = ring::digest::digest(&ring::digest::SHA256, &prepared.signed_bytes());
    let attrs = cms::signed_attributes(digest.as_ref(), &cert.der);
    let signature = signer.sign(&attrs)?;
    let mut certificates = vec![cert.der.clone()];
    certificates.extend(signer.chain().iter().map(|c| c.der.clone()));
    let unsigned = match tsa {
        Some(url) => {
            let hash = ring::digest::digest(&ring::digest::SHA256, &signature);
            Some(tsa::unsigned_attributes(&tsa::fetch(url, hash.as_ref())?))
        }
        None => None,
    };
    let blob =
        cms::signed_data(&attrs, &signature, algorithm, &cert.ids(), &certificates, unsigned.as_deref());
    prepared.finish(&blob)
}
