//! Trust: the roots IT configures and certification paths to them by RFC 5280.
//!
//! Path building and validation are rustls-webpki's (the verifier rustls uses,
//! tested against x509-limbo): every issuer a CA (basicConstraints), path
//! length constraints, name constraints, each certificate valid at the time
//! judged, no unknown critical extension, and only the algorithms HoSo allows
//! (RSA of 2048 bits and more with SHA-256/384/512, ECDSA P-256 and P-384; no
//! SHA-1, no short keys). What webpki leaves to its caller is checked here
//! from the certificates' own extensions (x509-cert): a keyUsage on an issuer
//! must allow keyCertSign, and one on the signer must allow digitalSignature or
//! nonRepudiation. Extended key usage is not restricted (as pyHanko's default):
//! Vietnamese signing certificates carry several.
//!
//! Root bundles are read as PEM (any number of certificates), DER (one) or a
//! PKCS#7 certificate bundle (.p7b, PEM or DER), with rustls-pki-types' PEM
//! reader and RustCrypto's `cms`.

use std::cell::Cell;
use std::time::Duration;

use hoso_i18n::{Message, msg};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, SignatureVerificationAlgorithm, TrustAnchor, UnixTime};
use serde::Serialize;
use x509_cert::ext::pkix::KeyUsage;

use crate::SignError;
use crate::cert::Cert;

/// The signature algorithms a certification path may use.
static ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[
    webpki::ring::RSA_PKCS1_2048_8192_SHA256,
    webpki::ring::RSA_PKCS1_2048_8192_SHA384,
    webpki::ring::RSA_PKCS1_2048_8192_SHA512,
    webpki::ring::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
    webpki::ring::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
    webpki::ring::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
    webpki::ring::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
    webpki::ring::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
    webpki::ring::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
    webpki::ring::ECDSA_P256_SHA256,
    webpki::ring::ECDSA_P256_SHA384,
    webpki::ring::ECDSA_P384_SHA256,
    webpki::ring::ECDSA_P384_SHA384,
];

/// The trusted roots: the national root CA and the Government's specialised
/// root (G2) on a counter, a test CA in tests.
#[derive(Debug, Clone, Default)]
pub struct TrustRoots {
    certs: Vec<Cert>,
    /// webpki's trust anchors, made once; `anchor_of[i]` is the index in
    /// `certs` of `anchors[i]` (a certificate webpki cannot take is left out).
    anchors: Vec<TrustAnchor<'static>>,
    anchor_of: Vec<usize>,
}

impl TrustRoots {
    pub fn new(certs: Vec<Cert>) -> TrustRoots {
        let (anchors, anchor_of) = certs
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let der = CertificateDer::from(c.der.as_slice());
                Some((webpki::anchor_from_trusted_cert(&der).ok()?.to_owned(), i))
            })
            .unzip();
        TrustRoots { certs, anchors, anchor_of }
    }

    /// Reads a bundle: PEM certificates, one DER certificate, or a PKCS#7
    /// certificate bundle (.p7b) in DER or PEM.
    pub fn from_bundle(bytes: &[u8]) -> Result<TrustRoots, SignError> {
        Ok(TrustRoots::new(read_bundle(bytes)?))
    }

    pub fn certs(&self) -> &[Cert] {
        &self.certs
    }

    /// The certification path from `signer` through some of `others` to one of
    /// these roots, valid at `at` (Unix seconds).
    pub fn path(&self, signer: &Cert, others: &[Cert], at: i64) -> Result<TrustPath, PathFault> {
        signer_key_usage(signer)?;
        if self.anchors.is_empty() {
            return Err(PathFault::NoRoots);
        }
        let ee_der = CertificateDer::from(signer.der.as_slice());
        let ee = webpki::EndEntityCert::try_from(&ee_der).map_err(|e| PathFault::from_webpki(&e))?;
        let others: Vec<&Cert> = others.iter().filter(|c| c.der != signer.der).collect();
        let intermediates: Vec<CertificateDer<'_>> =
            others.iter().map(|c| CertificateDer::from(c.der.as_slice())).collect();
        // webpki's intermediates are ours: found again by their DER, not parsed again.
        let ours = |issuer: &webpki::Cert<'_>| {
            let der = issuer.der();
            others.iter().copied().find(|c| c.der.as_slice() == der.as_ref())
        };
        let time = UnixTime::since_unix_epoch(Duration::from_secs(u64::try_from(at).unwrap_or(0)));
        // A path whose issuer may not sign certificates is refused here, and
        // webpki goes on to look for another.
        let refused_not_signer = Cell::new(false);
        let issuers_may_sign = |path: &webpki::VerifiedPath<'_>| {
            for issuer in path.intermediate_certificates() {
                let may = ours(issuer).and_then(|c| key_usage(c).ok()).is_some_and(|ku| match ku {
                    Some(ku) => ku.key_cert_sign(),
                    None => true,
                });
                if !may {
                    refused_not_signer.set(true);
                    // webpki needs one of its own errors; which is recorded above.
                    return Err(webpki::Error::EndEntityUsedAsCa);
                }
            }
            Ok(())
        };
        let path = ee
            .verify_for_usage(
                ALGORITHMS,
                &self.anchors,
                &intermediates,
                time,
                AnyPurpose,
                None,
                Some(&issuers_may_sign),
            )
            .map_err(|e| {
                if refused_not_signer.get() { PathFault::NotCertSigner } else { PathFault::from_webpki(&e) }
            })?;
        let mut certs = vec![signer.clone()];
        for issuer in path.intermediate_certificates() {
            // Always found: webpki's intermediates are the ones given to it.
            certs.extend(ours(issuer).cloned());
        }
        let anchor = self.anchors.iter().position(|a| std::ptr::eq(a, path.anchor()));
        certs.extend(anchor.map(|i| self.certs[self.anchor_of[i]].clone()));
        Ok(TrustPath { certs })
    }
}

/// A validated certification path: the signer first, each certificate's issuer
/// after it, the trusted root last.
#[derive(Debug, Clone)]
pub struct TrustPath {
    pub certs: Vec<Cert>,
}

impl TrustPath {
    /// The subjects from the signer up to the root.
    pub fn subjects(&self) -> Vec<String> {
        self.certs.iter().map(Cert::subject_name).collect()
    }

    /// Each certificate below the root with its issuer: what revocation is checked for.
    pub fn issued(&self) -> impl Iterator<Item = (&Cert, &Cert)> {
        self.certs.windows(2).map(|w| (&w[0], &w[1]))
    }
}

/// Checks `signature` over `message`, made with the algorithm `algorithm` (a
/// DER AlgorithmIdentifier), against `key_holder`'s public key: for CRLs, OCSP
/// responses and delegated responders' certificates, with the same algorithms
/// (webpki's) a certification path may use.
pub(crate) fn verify_signed(
    key_holder: &Cert,
    algorithm: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), PathFault> {
    use der::Encode as _;
    let spki = &key_holder.parsed().tbs_certificate.subject_public_key_info;
    let key_alg = spki.algorithm.to_der().map_err(|e| PathFault::Malformed(e.to_string()))?;
    let alg = ALGORITHMS
        .iter()
        .find(|a| {
            crate::cms::tlv(0x30, a.signature_alg_id().as_ref()) == algorithm
                && crate::cms::tlv(0x30, a.public_key_alg_id().as_ref()) == key_alg
        })
        .ok_or(PathFault::Algorithm)?;
    let der = CertificateDer::from(key_holder.der.as_slice());
    let cert = webpki::EndEntityCert::try_from(&der).map_err(|e| PathFault::from_webpki(&e))?;
    cert.verify_signature(*alg, message, signature).map_err(|_| PathFault::BadSignature)
}

/// No restriction on extended key usage (a malformed extension is still refused by webpki).
#[derive(Debug, Clone, Copy)]
struct AnyPurpose;

impl webpki::ExtendedKeyUsageValidator for AnyPurpose {
    fn validate(&self, iter: webpki::KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        for id in iter {
            id?;
        }
        Ok(())
    }
}

pub(crate) fn key_usage(cert: &Cert) -> Result<Option<KeyUsage>, PathFault> {
    match cert.parsed().tbs_certificate.get::<KeyUsage>() {
        Ok(ku) => Ok(ku.map(|(_, ku)| ku)),
        Err(e) => Err(PathFault::Malformed(format!("keyUsage: {e}"))),
    }
}

fn signer_key_usage(signer: &Cert) -> Result<(), PathFault> {
    match key_usage(signer)? {
        Some(ku) if !(ku.digital_signature() || ku.non_repudiation()) => Err(PathFault::SignerKeyUsage),
        _ => Ok(()),
    }
}

/// Why a certificate has no trusted path, for the verification report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", content = "detail", rename_all = "snake_case")]
pub enum PathFault {
    /// No root is configured.
    NoRoots,
    /// No issuer leads to a configured root.
    UnknownIssuer,
    /// A certificate that is no CA issued another.
    NotCa,
    /// An issuer's key usage does not allow signing certificates.
    NotCertSigner,
    /// A CA issued below the depth its path length allows.
    PathTooLong,
    /// A certificate of the path had expired at the time judged.
    Expired,
    /// A certificate of the path was not valid yet at the time judged.
    NotYetValid,
    /// The signer's key usage allows neither digitalSignature nor nonRepudiation.
    SignerKeyUsage,
    /// The signer's certificate is a CA's.
    CaAsSigner,
    /// A signature algorithm or key HoSo does not accept (SHA-1, RSA under 2048 bits, ...).
    Algorithm,
    /// A certificate's signature does not verify with its issuer's key.
    BadSignature,
    /// A critical extension HoSo does not know.
    CriticalExtension,
    /// A name outside the issuer's name constraints.
    NameConstraints,
    /// The certificate was revoked.
    Revoked,
    /// A certificate that cannot be read.
    Malformed(String),
}

impl PathFault {
    fn from_webpki(e: &webpki::Error) -> PathFault {
        use webpki::Error as E;
        match e {
            E::UnknownIssuer => PathFault::UnknownIssuer,
            E::EndEntityUsedAsCa => PathFault::NotCa,
            E::CaUsedAsEndEntity => PathFault::CaAsSigner,
            E::PathLenConstraintViolated => PathFault::PathTooLong,
            E::CertExpired { .. } => PathFault::Expired,
            E::CertNotValidYet { .. } => PathFault::NotYetValid,
            E::InvalidSignatureForPublicKey => PathFault::BadSignature,
            E::UnsupportedCriticalExtension => PathFault::CriticalExtension,
            E::NameConstraintViolation => PathFault::NameConstraints,
            E::CertRevoked => PathFault::Revoked,
            E::UnsupportedSignatureAlgorithmContext(_)
            | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_)
            | E::SignatureAlgorithmMismatch => PathFault::Algorithm,
            other => PathFault::Malformed(format!("{other:?}")),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            PathFault::NoRoots => "no_roots",
            PathFault::UnknownIssuer => "unknown_issuer",
            PathFault::NotCa => "not_ca",
            PathFault::NotCertSigner => "not_cert_signer",
            PathFault::PathTooLong => "path_too_long",
            PathFault::Expired => "expired",
            PathFault::NotYetValid => "not_yet_valid",
            PathFault::SignerKeyUsage => "signer_key_usage",
            PathFault::CaAsSigner => "ca_as_signer",
            PathFault::Algorithm => "algorithm",
            PathFault::BadSignature => "bad_signature",
            PathFault::CriticalExtension => "critical_extension",
            PathFault::NameConstraints => "name_constraints",
            PathFault::Revoked => "revoked",
            PathFault::Malformed(_) => "malformed",
        }
    }

    /// What the fault means.
    pub fn message(&self) -> Message {
        match self {
            PathFault::NoRoots => msg!("path-fault-no-roots"),
            PathFault::UnknownIssuer => msg!("path-fault-unknown-issuer"),
            PathFault::NotCa => msg!("path-fault-not-ca"),
            PathFault::NotCertSigner => msg!("path-fault-not-cert-signer"),
            PathFault::PathTooLong => msg!("path-fault-path-too-long"),
            PathFault::Expired => msg!("path-fault-expired"),
            PathFault::NotYetValid => msg!("path-fault-not-yet-valid"),
            PathFault::SignerKeyUsage => msg!("path-fault-signer-key-usage"),
            PathFault::CaAsSigner => msg!("path-fault-ca-as-signer"),
            PathFault::Algorithm => msg!("path-fault-algorithm"),
            PathFault::BadSignature => msg!("path-fault-bad-signature"),
            PathFault::CriticalExtension => msg!("path-fault-critical-extension"),
            PathFault::NameConstraints => msg!("path-fault-name-constraints"),
            PathFault::Revoked => msg!("path-fault-revoked"),
            PathFault::Malformed(detail) => msg!("path-fault-malformed", detail = detail),
        }
    }
}

impl std::fmt::Display for PathFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

/// Certificates of a bundle; see [`TrustRoots::from_bundle`].
pub fn read_bundle(bytes: &[u8]) -> Result<Vec<Cert>, SignError> {
    let bad = |what: &str| SignError::Certificate(what.to_owned().into());
    let text = std::str::from_utf8(bytes).ok();
    if let Some(text) = text.filter(|t| t.contains("-----BEGIN ")) {
        if text.contains("-----BEGIN CERTIFICATE-----") {
            let mut out = Vec::new();
            for der in CertificateDer::pem_slice_iter(bytes) {
                let der = der.map_err(|e| bad(&format!("PEM: {e}")))?;
                out.push(Cert::from_der(der.as_ref())?);
            }
            return Ok(out);
        }
        if text.contains("-----BEGIN PKCS7-----") {
            let (label, der) =
                pem_rfc7468::decode_vec(text.trim().as_bytes()).map_err(|e| bad(&format!("PEM: {e}")))?;
            if label != "PKCS7" {
                return Err(bad(&format!("PEM: {label} is no certificate bundle")));
            }
            return p7b_certs(&der);
        }
        return Err(bad("PEM without CERTIFICATE or PKCS7"));
    }
    match Cert::from_der(bytes) {
        Ok(cert) => Ok(vec![cert]),
        Err(_) => p7b_certs(bytes),
    }
}

/// The certificates of a PKCS#7 (CMS SignedData) certificate bundle.
fn p7b_certs(der: &[u8]) -> Result<Vec<Cert>, SignError> {
    use cms::cert::CertificateChoices;
    use cms::content_info::ContentInfo;
    use cms::signed_data::SignedData;
    use der::{Decode as _, Encode as _};
    let bad = |e: der::Error| {
        SignError::Certificate(format!("neither a certificate nor a PKCS#7 bundle (.p7b): {e}").into())
    };
    let info = ContentInfo::from_der(der).map_err(bad)?;
    let signed: SignedData = info.content.decode_as().map_err(bad)?;
    let mut out = Vec::new();
    for choice in signed.certificates.iter().flat_map(|set| set.0.iter()) {
        if let CertificateChoices::Certificate(c) = choice {
            out.push(Cert::from_der(&c.to_der().map_err(bad)?)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_that_are_no_certificates_are_refused_without_panic() {
        for bad in [
            &b""[..],
            b"\x30\x03\x02\x01",
            b"-----BEGIN PKCS7-----\nAAAA\n-----END PKCS7-----\n",
            b"-----BEGIN X-----",
        ] {
            assert!(read_bundle(bad).is_err(), "{bad:?}");
        }
    }
}
