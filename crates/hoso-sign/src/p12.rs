//! Keys in PKCS#12 files (.p12/.pfx): a certificate with its key, as some CAs
//! issue for agency (organisation) signatures. Signing with ring: RSA PKCS#1
//! v1.5 or PSS, ECDSA P-256.

use std::path::Path;

use hoso_i18n::err;
use p12_keystore::{KeyStore, KeyStoreEntry, Pkcs12ImportPolicy};
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, RsaKeyPair};

use crate::SignError;
use crate::cert::Cert;
use crate::cms::SignatureAlgorithm;
use crate::token::Signer;

enum Key {
    Rsa(RsaKeyPair),
    Ec(EcdsaKeyPair),
}

/// A key and its certificate chain from a PKCS#12 file.
pub struct FileSigner {
    key: Key,
    cert: Cert,
    chain: Vec<Cert>,
    algorithm: SignatureAlgorithm,
    rng: SystemRandom,
}

impl std::fmt::Debug for FileSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileSigner").field("cert", &self.cert.subject_name()).finish_non_exhaustive()
    }
}

impl FileSigner {
    /// Opens `path` with `password`. With `pss`, RSA keys sign RSASSA-PSS
    /// (SHA-256, MGF1-SHA-256, 32-byte salt) instead of PKCS#1 v1.5.
    pub fn open(path: &Path, password: &str, pss: bool) -> Result<FileSigner, SignError> {
        let data = std::fs::read(path)
            .map_err(|e| SignError::Certificate(format!("{}: {e}", path.display()).into()))?;
        let store = KeyStore::from_pkcs12(&data, password, Pkcs12ImportPolicy::Strict).map_err(|e| {
            SignError::Certificate(err!("sign-p12-unreadable", file = path, why = e.to_string()))
        })?;
        let chain = store
            .entries()
            .find_map(|(_, entry)| match entry {
                KeyStoreEntry::PrivateKeyChain(c) => Some(c.clone()),
                _ => None,
            })
            .ok_or_else(|| {
                SignError::Certificate(format!("{}: no key with a certificate", path.display()).into())
            })?;
        let certs: Vec<Cert> =
            chain.certs().iter().map(|c| Cert::from_der(c.as_der())).collect::<Result<_, _>>()?;
        let (cert, rest) =
            certs.split_first().ok_or_else(|| SignError::Certificate("no certificate".to_owned().into()))?;
        let der = chain.key().as_der();
        let bad_key =
            |e: ring::error::KeyRejected| SignError::Certificate(format!("private key: {e}").into());
        let rng = SystemRandom::new();
        let (key, algorithm) = match cert.key_algorithm()? {
            SignatureAlgorithm::EcdsaP256Sha256 => (
                Key::Ec(
                    EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_ASN1_SIGNING, der, &rng)
                        .map_err(bad_key)?,
                ),
                SignatureAlgorithm::EcdsaP256Sha256,
            ),
            _ => (
                Key::Rsa(RsaKeyPair::from_pkcs8(der).map_err(bad_key)?),
                if pss { SignatureAlgorithm::RsaPssSha256 } else { SignatureAlgorithm::RsaPkcs1Sha256 },
            ),
        };
        Ok(FileSigner { key, cert: cert.clone(), chain: rest.to_vec(), algorithm, rng })
    }
}

impl Signer for FileSigner {
    fn certificate(&self) -> &Cert {
        &self.cert
    }

    fn chain(&self) -> &[Cert] {
        &self.chain
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    fn sign(&mut self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let fail = |_| SignError::Certificate("signing failed".to_owned().into());
        match &self.key {
            Key::Rsa(k) => {
                let mut out = vec![0; k.public().modulus_len()];
                let padding: &dyn signature::RsaEncoding = match self.algorithm {
                    SignatureAlgorithm::RsaPssSha256 => &signature::RSA_PSS_SHA256,
                    _ => &signature::RSA_PKCS1_SHA256,
                };
                k.sign(padding, &self.rng, message, &mut out).map_err(fail)?;
                Ok(out)
            }
            Key::Ec(k) => Ok(k.sign(&self.rng, message).map_err(fail)?.as_ref().to_vec()),
        }
    }
}
