//! Keys on PKCS#11 tokens (USB tokens of Vietnamese CAs, SoftHSM2 in tests),
//! through the cryptoki crate.
//!
//! A certify batch is one [`TokenLogin`]: it claims the token for this process
//! (a second batch on the same token is refused while the first runs, whatever
//! PIN it brings), logs in with the [`Pin`] the token itself checks, hands out
//! the batch's signers, and logs out when the last of them is dropped.
//!
//! The key is chosen by its certificate: the certificate object on the token
//! (the one with the given fingerprint, or the only one) and then the private
//! key with the same CKA_ID. Selecting by label fails on tokens whose vendor
//! tools label every key alike (reported with Viettel-CA tokens).

use hoso_i18n::err;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as P11Error, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use secrecy::ExposeSecret;

use crate::SignError;
use crate::cert::Cert;
use crate::cms::{SignatureAlgorithm, digest_info};

/// Something that can sign the CMS signed attributes.
pub trait Signer {
    /// The signer's certificate.
    fn certificate(&self) -> &Cert;
    /// Further certificates to embed (the chain up to, not including, the root).
    fn chain(&self) -> &[Cert];
    /// The algorithm [`Signer::sign`] uses.
    fn algorithm(&self) -> SignatureAlgorithm;
    /// Signs `message` (SHA-256 is applied by the signer or here).
    fn sign(&mut self, message: &[u8]) -> Result<Vec<u8>, SignError>;
}

/// A token PIN: wiped from memory when dropped, never shown by `Debug`, and
/// not `Clone`, so one copy serves a whole batch.
pub struct Pin(AuthPin);

impl Pin {
    /// Takes the PIN out of `text`, which is wiped.
    pub fn new(mut text: String) -> Pin {
        let pin = Pin(AuthPin::from(text.as_str()));
        zeroize::Zeroize::zeroize(&mut text);
        pin
    }

    fn is_empty(&self) -> bool {
        self.0.expose_secret().is_empty()
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(***)")
    }
}

/// The tokens this process is signing with: one batch per token at a time.
static CLAIMED: Mutex<Vec<(PathBuf, u64)>> = Mutex::new(Vec::new());

/// A token (module and slot) claimed for one batch, released when dropped.
struct Claim {
    module: PathBuf,
    slot: u64,
}

impl Claim {
    fn take(module: &Path, slot: Slot) -> Result<Claim, SignError> {
        let mut claimed = CLAIMED.lock().unwrap_or_else(|e| e.into_inner());
        let key = (module.to_owned(), slot.id());
        if claimed.contains(&key) {
            return Err(SignError::TokenBusy);
        }
        claimed.push(key);
        Ok(Claim { module: module.to_owned(), slot: slot.id() })
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        CLAIMED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|(m, s)| !(*m == self.module && *s == self.slot));
    }
}

/// The logged-in session of a claimed token, shared by the batch's signers.
/// Dropping it logs out, closes the session, then releases the claim.
struct Login {
    session: Mutex<Session>,
    claim: Claim,
    // Keeps the library initialised while the session lives.
    _pkcs11: Pkcs11,
}

impl Drop for Login {
    fn drop(&mut self) {
        let session = self.session.get_mut().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = session.logout() {
            log::warn!("C_Logout: {e}");
        }
    }
}

/// A certify batch on one token: logged in until it and every signer it gave
/// are dropped.
pub struct TokenLogin(Arc<Login>);

impl std::fmt::Debug for TokenLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenLogin")
            .field("module", &self.0.claim.module)
            .field("slot", &self.0.claim.slot)
            .finish()
    }
}

/// A key of a [`TokenLogin`], with its certificate.
pub struct TokenSigner {
    login: Arc<Login>,
    key: ObjectHandle,
    cert: Cert,
    chain: Vec<Cert>,
    algorithm: SignatureAlgorithm,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSigner").field("cert", &self.cert.subject_name()).finish_non_exhaustive()
    }
}

fn p11(what: &str) -> impl Fn(cryptoki::error::Error) -> SignError + '_ {
    move |e| SignError::Token(format!("{what}: {e}").into())
}

/// What a token holds, for choosing a certificate.
#[derive(Debug, Clone)]
pub struct TokenCertificate {
    pub token_label: String,
    pub subject: String,
    pub fingerprint: String,
    pub not_after: i64,
    /// The certificate itself (doctor checks its path and revocation).
    pub cert: Cert,
}

/// One initialised context per module for the whole process: PKCS#11 allows a
/// single C_Initialize per library, and every signer of the process shares it.
fn open(module: &Path) -> Result<Pkcs11, SignError> {
    static CONTEXTS: Mutex<Vec<(PathBuf, Pkcs11)>> = Mutex::new(Vec::new());
    let mut contexts = CONTEXTS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, p)) = contexts.iter().find(|(m, _)| m == module) {
        return Ok(p.clone());
    }
    let pkcs11 = Pkcs11::new(module).map_err(|e| {
        SignError::Token(err!("sign-module-unloadable", module = module, why = e.to_string()))
    })?;
    pkcs11.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)).map_err(p11("C_Initialize"))?;
    contexts.push((module.to_owned(), pkcs11.clone()));
    Ok(pkcs11)
}

fn certificates(session: &Session) -> Result<Vec<(Cert, Vec<u8>)>, SignError> {
    let handles =
        session.find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)]).map_err(p11("C_FindObjects"))?;
    let mut out = Vec::new();
    for h in handles {
        let attrs = session
            .get_attributes(h, &[AttributeType::Value, AttributeType::Id])
            .map_err(p11("C_GetAttributeValue"))?;
        let (mut value, mut id) = (None, Vec::new());
        for a in attrs {
            match a {
                Attribute::Value(v) => value = Some(v),
                Attribute::Id(i) => id = i,
                _ => {}
            }
        }
        if let Some(v) = value
            && let Ok(c) = Cert::from_der(&v)
        {
            out.push((c, id));
        }
    }
    Ok(out)
}

/// Lists the certificates on every token the module sees (no PIN needed).
pub fn list_certificates(module: &Path) -> Result<Vec<TokenCertificate>, SignError> {
    let pkcs11 = open(module)?;
    let mut out = Vec::new();
    for slot in pkcs11.get_slots_with_token().map_err(p11("C_GetSlotList"))? {
        let info = pkcs11.get_token_info(slot).map_err(p11("C_GetTokenInfo"))?;
        // A blank token (SoftHSM2 always offers one, a new card before its
        // first use) holds nothing and refuses sessions: not an error.
        if !info.token_initialized() {
            continue;
        }
        let label = info.label().trim().to_owned();
        let session = pkcs11.open_ro_session(slot).map_err(p11("C_OpenSession"))?;
        for (c, _) in certificates(&session)? {
            out.push(TokenCertificate {
                token_label: label.clone(),
                subject: c.subject_name(),
                fingerprint: c.fingerprint(),
                not_after: c.validity().1,
                cert: c.clone(),
            });
        }
    }
    Ok(out)
}

impl TokenLogin {
    /// Claims the token labelled `token` (the first one when `None`) for this
    /// process and logs in with `pin`. The token judges the PIN every time: a
    /// login this process still holds from elsewhere is ended first, so
    /// `CKR_USER_ALREADY_LOGGED_IN` never stands for a right PIN.
    pub fn open(module: &Path, token: Option<&str>, pin: &Pin) -> Result<TokenLogin, SignError> {
        if pin.is_empty() {
            return Err(SignError::WrongPin);
        }
        let pkcs11 = open(module)?;
        let slot = find_slot(&pkcs11, token)?;
        // Released when dropped: on an error below, or with the Login.
        let claim = Claim::take(module, slot)?;
        let session = pkcs11.open_ro_session(slot).map_err(p11("C_OpenSession"))?;
        match session.login(UserType::User, Some(&pin.0)) {
            Err(P11Error::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => {
                session.logout().map_err(p11("C_Logout"))?;
                session.login(UserType::User, Some(&pin.0))
            }
            other => other,
        }
        .map_err(|e| match e {
            P11Error::Pkcs11(RvError::PinIncorrect | RvError::PinLenRange, _) => SignError::WrongPin,
            P11Error::Pkcs11(RvError::PinLocked, _) => SignError::PinLocked,
            other => SignError::Token(format!("C_Login: {other}").into()),
        })?;
        Ok(TokenLogin(Arc::new(Login { session: Mutex::new(session), claim, _pkcs11: pkcs11 })))
    }

    /// The key of the certificate whose SHA-256 fingerprint starts with
    /// `fingerprint` (the token's only certificate when `None`); `chain` are
    /// further certificates to embed (intermediates).
    pub fn signer(&self, fingerprint: Option<&str>, chain: Vec<Cert>) -> Result<TokenSigner, SignError> {
        let session = self.0.session.lock().unwrap_or_else(|e| e.into_inner());
        let certs = certificates(&session)?;
        let (cert, id) = match fingerprint {
            Some(fp) => {
                certs.into_iter().find(|(c, _)| c.fingerprint().starts_with(&fp.to_ascii_lowercase()))
            }
            None if certs.len() == 1 => certs.into_iter().next(),
            None => {
                return Err(SignError::Token(err!("sign-choose-certificate", count = certs.len())));
            }
        }
        .ok_or_else(|| SignError::Token(err!("sign-certificate-not-found")))?;
        let keys = session
            .find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY), Attribute::Id(id)])
            .map_err(p11("C_FindObjects"))?;
        let key = *keys.first().ok_or_else(|| SignError::Token(err!("sign-no-private-key")))?;
        drop(session);
        let algorithm = cert.key_algorithm()?;
        Ok(TokenSigner { login: Arc::clone(&self.0), key, cert, chain, algorithm })
    }
}

/// The slot of the token labelled `token`, or of the first token.
fn find_slot(pkcs11: &Pkcs11, token: Option<&str>) -> Result<Slot, SignError> {
    for slot in pkcs11.get_slots_with_token().map_err(p11("C_GetSlotList"))? {
        let label = pkcs11.get_token_info(slot).map_err(p11("C_GetTokenInfo"))?.label().trim().to_owned();
        if token.is_none_or(|t| t == label) {
            return Ok(slot);
        }
    }
    Err(SignError::Token(err!("sign-token-not-found", label = token.unwrap_or("(any)"))))
}

impl TokenSigner {
    /// A batch of one key: [`TokenLogin::open`] and [`TokenLogin::signer`].
    pub fn open(
        module: &Path,
        token: Option<&str>,
        pin: &Pin,
        fingerprint: Option<&str>,
        chain: Vec<Cert>,
    ) -> Result<TokenSigner, SignError> {
        TokenLogin::open(module, token, pin)?.signer(fingerprint, chain)
    }

    /// Signs RSASSA-PSS (`CKM_SHA256_RSA_PKCS_PSS`, MGF1-SHA-256, salt 32)
    /// instead of PKCS#1 v1.5; the token must support the mechanism.
    pub fn use_pss(&mut self) {
        if self.algorithm == SignatureAlgorithm::RsaPkcs1Sha256 {
            self.algorithm = SignatureAlgorithm::RsaPssSha256;
        }
    }
}

impl Signer for TokenSigner {
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
        let hash = ring::digest::digest(&ring::digest::SHA256, message);
        let session = self.login.session.lock().unwrap_or_else(|e| e.into_inner());
        match self.algorithm {
            // CKM_RSA_PKCS over a DigestInfo: the same bytes as CKM_SHA256_RSA_PKCS,
            // and offered by every token.
            SignatureAlgorithm::RsaPkcs1Sha256 => session
                .sign(&Mechanism::RsaPkcs, self.key, &digest_info(hash.as_ref()))
                .map_err(p11("C_Sign")),
            SignatureAlgorithm::RsaPssSha256 => {
                let params = cryptoki::mechanism::rsa::PkcsPssParams {
                    hash_alg: cryptoki::mechanism::MechanismType::SHA256,
                    mgf: cryptoki::mechanism::rsa::PkcsMgfType::MGF1_SHA256,
                    s_len: 32.into(),
                };
                session.sign(&Mechanism::Sha256RsaPkcsPss(params), self.key, message).map_err(p11("C_Sign"))
            }
            SignatureAlgorithm::EcdsaP256Sha256 => {
                let raw = session.sign(&Mechanism::Ecdsa, self.key, hash.as_ref()).map_err(p11("C_Sign"))?;
                Ok(ecdsa_raw_to_der(&raw))
            }
        }
    }
}

/// PKCS#11 returns ECDSA signatures as r‖s; CMS wants DER SEQUENCE { r, s }.
fn ecdsa_raw_to_der(raw: &[u8]) -> Vec<u8> {
    let (r, s) = raw.split_at(raw.len() / 2);
    let int = |v: &[u8]| {
        let v: Vec<u8> = v.iter().copied().skip_while(|&b| b == 0).collect();
        let mut content = if v.first().is_some_and(|b| b & 0x80 != 0) { vec![0] } else { vec![] };
        content.extend(if v.is_empty() { vec![0] } else { v });
        crate::cms::tlv(0x02, &content)
    };
    crate::cms::seq(&[&int(r), &int(s)])
}
