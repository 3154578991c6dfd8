//! Certificate chains made with rcgen for the tests that need no openssl
//! (they run under Wine too): roots, CAs and signers with the key usages and
//! validity a case asks for.

#![allow(dead_code)]

use hoso_sign::{Cert, TrustRoots};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose, date_time_ymd,
};

/// 2026-06-01, inside every validity below unless a case moves it.
pub const AT: i64 = 1_780_272_000;

pub struct Ca {
    pub cert: Cert,
    pub issuer: Issuer<'static, KeyPair>,
}

pub fn params(cn: &str, ca: IsCa, usages: &[KeyUsagePurpose]) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = rcgen::DistinguishedName::new();
    p.distinguished_name.push(DnType::CountryName, "VN");
    p.distinguished_name.push(DnType::CommonName, cn);
    p.is_ca = ca;
    p.key_usages = usages.to_vec();
    p.not_before = date_time_ymd(2025, 1, 1);
    p.not_after = date_time_ymd(2030, 1, 1);
    p
}

pub fn ca_params(cn: &str) -> CertificateParams {
    params(
        cn,
        IsCa::Ca(BasicConstraints::Unconstrained),
        &[KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign],
    )
}

pub fn signer_params(cn: &str) -> CertificateParams {
    params(cn, IsCa::ExplicitNoCa, &[KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::ContentCommitment])
}

pub fn cert(c: &rcgen::Certificate) -> Cert {
    Cert::from_der(c.der()).unwrap()
}

pub fn root(p: CertificateParams) -> Ca {
    let key = KeyPair::generate().unwrap();
    let cert = cert(&p.self_signed(&key).unwrap());
    Ca { cert, issuer: Issuer::new(p, key) }
}

pub fn issue(p: CertificateParams, by: &Ca) -> Ca {
    let key = KeyPair::generate().unwrap();
    let cert = cert(&p.signed_by(&key, &by.issuer).unwrap());
    Ca { cert, issuer: Issuer::new(p, key) }
}

pub fn roots(cas: &[&Ca]) -> TrustRoots {
    TrustRoots::new(cas.iter().map(|c| c.cert.clone()).collect())
}
