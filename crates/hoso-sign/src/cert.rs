//! X.509 certificates: what signing and verification need from them.

use der::{Decode, Encode};
use ring::signature::UnparsedPublicKey;
use x509_cert::Certificate;

use crate::SignError;
use crate::cms::{CertIds, SignatureAlgorithm};

const OID_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const OID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";

/// A parsed certificate with its DER.
#[derive(Debug, Clone)]
pub struct Cert {
    pub der: Vec<u8>,
    parsed: Certificate,
}

impl Cert {
    pub fn from_der(der: &[u8]) -> Result<Cert, SignError> {
        let parsed = Certificate::from_der(der).map_err(|e| SignError::Certificate(e.to_string().into()))?;
        Ok(Cert { der: der.to_vec(), parsed })
    }

    /// The parsed certificate, for the extensions [`crate::trust`] reads.
    pub fn parsed(&self) -> &Certificate {
        &self.parsed
    }

    /// Issuer and serial, DER-encoded, for the SignerInfo.
    pub fn ids(&self) -> CertIds {
        let tbs = &self.parsed.tbs_certificate;
        CertIds {
            issuer: tbs.issuer.to_der().expect("a parsed name re-encodes"),
            serial: tbs.serial_number.to_der().expect("a parsed serial re-encodes"),
        }
    }

    /// The subject's common name (or the whole subject).
    pub fn subject_name(&self) -> String {
        self.parsed.tbs_certificate.subject.to_string()
    }

    pub fn issuer_name(&self) -> String {
        self.parsed.tbs_certificate.issuer.to_string()
    }

    /// Validity period in Unix seconds.
    pub fn validity(&self) -> (i64, i64) {
        let v = &self.parsed.tbs_certificate.validity;
        (v.not_before.to_unix_duration().as_secs() as i64, v.not_after.to_unix_duration().as_secs() as i64)
    }

    /// Refuses a certificate outside its validity at `now` (Unix seconds).
    pub fn check_valid_at(&self, now: i64) -> Result<(), SignError> {
        let (from, to) = self.validity();
        if now < from {
            return Err(SignError::NotYetValid(self.subject_name()));
        }
        if now > to {
            return Err(SignError::Expired(self.subject_name()));
        }
        Ok(())
    }

    /// The signature algorithm this certificate's key makes.
    pub fn key_algorithm(&self) -> Result<SignatureAlgorithm, SignError> {
        let alg = self.parsed.tbs_certificate.subject_public_key_info.algorithm.oid.to_string();
        match alg.as_str() {
            OID_RSA_ENCRYPTION => Ok(SignatureAlgorithm::RsaPkcs1Sha256),
            OID_EC_PUBLIC_KEY => Ok(SignatureAlgorithm::EcdsaP256Sha256),
            other => Err(SignError::Certificate(format!("unsupported key algorithm {other}").into())),
        }
    }

    fn public_key(&self) -> &[u8] {
        self.parsed.tbs_certificate.subject_public_key_info.subject_public_key.raw_bytes()
    }

    /// Checks `signature` over `message` with this certificate's key, by
    /// any of `method`'s algorithms that fits the key.
    pub fn verify(&self, method: &crate::cms::SignatureMethod, message: &[u8], signature: &[u8]) -> bool {
        method
            .verifiers
            .iter()
            .any(|alg| UnparsedPublicKey::new(*alg, self.public_key()).verify(message, signature).is_ok())
    }

    /// Whether the extended key usage lists `oid` (dotted); false without the
    /// extension or when it cannot be read.
    pub fn has_extended_key_usage(&self, oid: &str) -> bool {
        matches!(self.parsed.tbs_certificate.get::<x509_cert::ext::pkix::ExtendedKeyUsage>(),
            Ok(Some((_, eku))) if eku.0.iter().any(|o| o.to_string() == oid))
    }

    /// SHA-256 of the DER, hex: how people and the config name a certificate.
    pub fn fingerprint(&self) -> String {
        ring::digest::digest(&ring::digest::SHA256, &self.der)
            .as_ref()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}
