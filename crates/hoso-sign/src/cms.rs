//! CMS SignedData for PAdES baseline B-B (ETSI EN 319 142-1, `ETSI.CAdES.detached`):
//! detached content, signed attributes content-type, message-digest and
//! signing-certificate-v2 (no signing-time: PAdES puts the time in the
//! signature dictionary's `/M`). Encoded by hand in DER: the structure is small
//! and fixed, and every byte is visible here.

use ring::digest::{SHA256, digest};

/// DER tag-length-value.
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n.to_be_bytes().iter().copied().skip_while(|&b| b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

pub(crate) fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn set(parts: &[&[u8]]) -> Vec<u8> {
    // DER sorts SET OF by encoding; callers pass one element or sort themselves.
    let mut sorted: Vec<&[u8]> = parts.to_vec();
    sorted.sort();
    tlv(0x31, &sorted.concat())
}

/// An OBJECT IDENTIFIER from its dotted form.
pub(crate) fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().expect("valid OID literal")).collect();
    let mut body = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &arc in &arcs[2..] {
        let mut stack = vec![(arc & 0x7f) as u8];
        let mut v = arc >> 7;
        while v > 0 {
            stack.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        body.extend(stack.iter().rev());
    }
    tlv(0x06, &body)
}

fn octets(b: &[u8]) -> Vec<u8> {
    tlv(0x04, b)
}

fn integer(v: u8) -> Vec<u8> {
    tlv(0x02, &[v])
}

pub const OID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
pub const OID_RSA: &str = "1.2.840.113549.1.1.1";
pub const OID_ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
const OID_DATA: &str = "1.2.840.113549.1.7.1";
const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const OID_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const OID_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const OID_SIGNING_CERT_V2: &str = "1.2.840.113549.1.9.16.2.47";

/// How the signature value was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// RSA PKCS#1 v1.5 over SHA-256 (what tokens do).
    RsaPkcs1Sha256,
    /// ECDSA P-256 over SHA-256 (DER-encoded signature value).
    EcdsaP256Sha256,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
    RsaPssSha256,
}

const OID_RSA_PSS: &str = "1.2.840.113549.1.1.10";

/// RSASSA-PSS-params for SHA-256 / MGF1-SHA-256 / salt 32.
fn pss_algorithm() -> Vec<u8> {
    let hash = tlv(0xA0, &sha256_alg());
    let mgf = tlv(0xA1, &seq(&[&oid("1.2.840.113549.1.1.8"), &sha256_alg()]));
    let salt = tlv(0xA2, &tlv(0x02, &[32]));
    seq(&[&oid(OID_RSA_PSS), &seq(&[&hash, &mgf, &salt])])
}

fn sha256_alg() -> Vec<u8> {
    seq(&[&oid(OID_SHA256), &[0x05, 0x00]])
}

/// The signed attributes as the SET that is signed (tag 0x31); in the
/// SignerInfo the same content carries the tag [0] IMPLICIT (0xA0).
pub fn signed_attributes(document_digest: &[u8], signer_cert: &[u8]) -> Vec<u8> {
    let content_type = seq(&[&oid(OID_CONTENT_TYPE), &set(&[&oid(OID_DATA)])]);
    let message_digest = seq(&[&oid(OID_MESSAGE_DIGEST), &set(&[&octets(document_digest)])]);
    // ESSCertIDv2 with the default hash (SHA-256) omitted, as DER requires.
    let cert_hash = digest(&SHA256, signer_cert);
    let ess_cert_id = seq(&[&octets(cert_hash.as_ref())]);
    let signing_cert = seq(&[&seq(&[&ess_cert_id])]);
    let signing_cert_attr = seq(&[&oid(OID_SIGNING_CERT_V2), &set(&[&signing_cert])]);
    set(&[&content_type, &message_digest, &signing_cert_attr])
}

/// The DigestInfo that RSA PKCS#1 v1.5 signs (for tokens offering only raw
/// `CKM_RSA_PKCS`).
pub fn digest_info(hash: &[u8]) -> Vec<u8> {
    seq(&[&sha256_alg(), &octets(hash)])
}

/// Issuer and serial number of a certificate, as DER, from the certificate.
#[derive(Debug, Clone)]
pub struct CertIds {
    pub issuer: Vec<u8>,
    pub serial: Vec<u8>,
}

/// The ContentInfo(SignedData) for the /Contents of a PDF signature.
pub fn signed_data(
    signed_attrs_set: &[u8],
    signature: &[u8],
    algorithm: SignatureAlgorithm,
    ids: &CertIds,
    certificates: &[Vec<u8>],
    unsigned_attrs: Option<&[u8]>,
) -> Vec<u8> {
    let sig_alg = match algorithm {
        SignatureAlgorithm::RsaPkcs1Sha256 => seq(&[&oid(OID_RSA), &[0x05, 0x00]]),
        SignatureAlgorithm::EcdsaP256Sha256 => seq(&[&oid(OID_ECDSA_SHA256)]),
        SignatureAlgorithm::RsaPssSha256 => pss_algorithm(),
    };
    let mut signed_attrs_implicit = signed_attrs_set.to_vec();
    signed_attrs_implicit[0] = 0xA0;
    let sid = seq(&[&ids.issuer, &ids.serial]);
    let mut signer_info_parts: Vec<Vec<u8>> =
        vec![integer(1), sid, sha256_alg(), signed_attrs_implicit, sig_alg, octets(signature)];
    if let Some(u) = unsigned_attrs {
        let mut implicit = u.to_vec();
        implicit[0] = 0xA1;
        signer_info_parts.push(implicit);
    }
    let refs: Vec<&[u8]> = signer_info_parts.iter().map(Vec::as_slice).collect();
    let signer_info = seq(&refs);
    let certs = tlv(0xA0, &certificates.concat());
    let signed =
        seq(&[&integer(1), &set(&[&sha256_alg()]), &seq(&[&oid(OID_DATA)]), &certs, &set(&[&signer_info])]);
    seq(&[&oid(OID_SIGNED_DATA), &tlv(0xA0, &signed)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_and_lengths_encode_as_der() {
        assert_eq!(
            oid("1.2.840.113549.1.7.2"),
            [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]
        );
        assert_eq!(oid("2.16.840.1.101.3.4.2.1")[..4], [0x06, 0x09, 0x60, 0x86]);
        let long = tlv(0x04, &[0u8; 300]);
        assert_eq!(long[..4], [0x04, 0x82, 0x01, 0x2c]);
    }

    #[test]
    fn an_empty_or_truncated_signed_data_is_no_signature() {
        // ContentInfo { signedData, [0] { SEQUENCE {} } }: no version, nothing.
        let empty = seq(&[&oid(OID_SIGNED_DATA), &tlv(0xA0, &seq(&[]))]);
        assert!(parse_signed_data(&empty).is_none());
        let full = seq(&[&oid(OID_SIGNED_DATA), &tlv(0xA0, &seq(&[&integer(1), &set(&[&sha256_alg()])]))]);
        for cut in 0..full.len() {
            assert!(parse_signed_data(&full[..cut]).is_none(), "{cut}");
        }
        assert!(parse_signed_data(&full).is_none(), "no signer");
    }
}

/// A DER element: tag, the whole encoding, its content.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    pub tag: u8,
    pub raw: &'a [u8],
    pub content: &'a [u8],
}

/// Reads one DER element from the front of `b`.
pub(crate) fn read(b: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let tag = *b.first()?;
    let first = *b.get(1)? as usize;
    let (len, header) = if first < 0x80 {
        (first, 2)
    } else {
        let n = first & 0x7f;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = len << 8 | *b.get(2 + i)? as usize;
        }
        (len, 2 + n)
    };
    let end = header.checked_add(len)?;
    let raw = b.get(..end)?;
    Some((Tlv { tag, raw, content: &raw[header..] }, &b[end..]))
}

/// The elements inside a constructed element.
pub(crate) fn children(content: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let (t, r) = read(rest)?;
        out.push(t);
        rest = r;
    }
    Some(out)
}

/// A digest a CMS signature may name. SHA-256, -384 and -512 are allowed;
/// SHA-1 is computed only to tell a weak signature from a broken one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digest {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Digest {
    const ALL: [(Digest, &'static str, &'static str); 4] = [
        (Digest::Sha1, "1.3.14.3.2.26", "SHA-1"),
        (Digest::Sha256, OID_SHA256, "SHA-256"),
        (Digest::Sha384, "2.16.840.1.101.3.4.2.2", "SHA-384"),
        (Digest::Sha512, "2.16.840.1.101.3.4.2.3", "SHA-512"),
    ];

    /// The digest an OID (DER, tag included) names.
    pub fn from_der(der: &[u8]) -> Option<Digest> {
        Digest::ALL.iter().find(|(_, dotted, _)| oid(dotted) == der).map(|(d, _, _)| *d)
    }

    pub fn name(self) -> &'static str {
        Digest::ALL.iter().find(|(d, _, _)| *d == self).map_or("?", |(_, _, name)| name)
    }

    /// Whether a signature may rest on it (Circular 15/2025: SHA-256 or stronger).
    pub fn allowed(self) -> bool {
        self != Digest::Sha1
    }

    pub fn of(self, data: &[u8]) -> Vec<u8> {
        let alg = match self {
            Digest::Sha1 => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            Digest::Sha256 => &SHA256,
            Digest::Sha384 => &ring::digest::SHA384,
            Digest::Sha512 => &ring::digest::SHA512,
        };
        digest(alg, data).as_ref().to_vec()
    }
}

/// How a signature value is checked: the hash it was made over and the
/// verification algorithms of ring that may hold for the signer's key.
#[derive(Debug, Clone, Copy)]
pub struct SignatureMethod {
    pub hash: Digest,
    pub verifiers: &'static [Verifier],
}

type Verifier = &'static dyn ring::signature::VerificationAlgorithm;
static RSA_SHA1: [Verifier; 1] = [&ring::signature::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY];
static RSA_SHA256: [Verifier; 1] = [&ring::signature::RSA_PKCS1_2048_8192_SHA256];
static RSA_SHA384: [Verifier; 1] = [&ring::signature::RSA_PKCS1_2048_8192_SHA384];
static RSA_SHA512: [Verifier; 1] = [&ring::signature::RSA_PKCS1_2048_8192_SHA512];
static RSA_PSS_SHA256: [Verifier; 1] = [&ring::signature::RSA_PSS_2048_8192_SHA256];
static ECDSA_SHA256: [Verifier; 2] =
    [&ring::signature::ECDSA_P256_SHA256_ASN1, &ring::signature::ECDSA_P384_SHA256_ASN1];
static ECDSA_SHA384: [Verifier; 2] =
    [&ring::signature::ECDSA_P256_SHA384_ASN1, &ring::signature::ECDSA_P384_SHA384_ASN1];

impl SignatureMethod {
    /// From a SignerInfo's signature algorithm (its OID and parameters, DER)
    /// and digest algorithm: RSA PKCS#1 v1.5 (rsaEncryption takes the digest's
    /// hash, shaNWithRSAEncryption its own), ECDSA with SHA-256/384 on P-256
    /// or P-384, and RSASSA-PSS with exactly the parameters this crate writes.
    /// What ring cannot check (ECDSA over SHA-1 or SHA-512, other PSS
    /// parameters, other algorithms) is None.
    pub fn read(alg: &[u8], params: Option<&[u8]>, digest: Option<Digest>) -> Option<SignatureMethod> {
        let rsa = |hash: Digest| -> SignatureMethod {
            let verifiers: &'static [Verifier] = match hash {
                Digest::Sha1 => &RSA_SHA1,
                Digest::Sha256 => &RSA_SHA256,
                Digest::Sha384 => &RSA_SHA384,
                Digest::Sha512 => &RSA_SHA512,
            };
            SignatureMethod { hash, verifiers }
        };
        let named = |dotted: &str| oid(dotted) == alg;
        const RSA_WITH: [(&str, Digest); 4] = [
            ("1.2.840.113549.1.1.5", Digest::Sha1),
            ("1.2.840.113549.1.1.11", Digest::Sha256),
            ("1.2.840.113549.1.1.12", Digest::Sha384),
            ("1.2.840.113549.1.1.13", Digest::Sha512),
        ];
        if named(OID_RSA) {
            return digest.map(rsa);
        }
        if let Some((_, hash)) = RSA_WITH.iter().find(|(dotted, _)| named(dotted)) {
            return Some(rsa(*hash));
        }
        let (hash, verifiers): (Digest, &'static [Verifier]) = if named(OID_ECDSA_SHA256) {
            (Digest::Sha256, &ECDSA_SHA256)
        } else if named("1.2.840.10045.4.3.3") {
            (Digest::Sha384, &ECDSA_SHA384)
        } else if named(OID_RSA_PSS) {
            let ours = pss_algorithm();
            let ours = children(&ours[2..]).and_then(|c| c.get(1).map(|p| p.raw));
            if params.is_none() || params != ours {
                return None;
            }
            (Digest::Sha256, &RSA_PSS_SHA256)
        } else {
            return None;
        };
        Some(SignatureMethod { hash, verifiers })
    }
}

/// What verification needs from a CMS SignedData.
#[derive(Debug, Clone)]
pub struct ParsedSignedData {
    pub certificates: Vec<Vec<u8>>,
    pub issuer: Vec<u8>,
    pub serial: Vec<u8>,
    /// Signed attributes re-tagged as the SET that was signed.
    pub signed_attrs: Vec<u8>,
    pub message_digest: Vec<u8>,
    pub has_signing_certificate_v2: bool,
    /// How the signature value can be checked, when HoSo knows how.
    pub method: Option<SignatureMethod>,
    /// The signer's digest algorithm, or its DER OID when HoSo knows no such digest.
    pub digest: Result<Digest, Vec<u8>>,
    pub signature: Vec<u8>,
    /// The encapsulated content's type (the DER OID) and, when not detached,
    /// the content (a time-stamp token's TSTInfo).
    pub content_type: Vec<u8>,
    pub content: Option<Vec<u8>>,
    /// The RFC 3161 token of the signature value, when time-stamped (B-T).
    pub timestamp_token: Option<Vec<u8>>,
}

impl ParsedSignedData {
    /// The certificates it carries that can be read.
    pub fn certs(&self) -> Vec<crate::Cert> {
        self.certificates.iter().filter_map(|c| crate::Cert::from_der(c).ok()).collect()
    }

    /// Whether the digest and the signature's hash are strong enough to count
    /// ([`Digest::allowed`]).
    pub fn algorithms_allowed(&self) -> bool {
        self.digest.as_ref().is_ok_and(|d| d.allowed()) && self.method.is_some_and(|m| m.hash.allowed())
    }

    /// Whether `content`'s digest is the signed message-digest (false for a
    /// digest HoSo does not know).
    pub fn content_intact(&self, content: &[u8]) -> bool {
        self.digest.as_ref().is_ok_and(|d| d.of(content) == self.message_digest)
    }

    /// Whether the signature value over the signed attributes verifies with
    /// `cert`'s key (false for a method HoSo cannot check).
    pub fn verified_by(&self, cert: &crate::Cert) -> bool {
        self.method.is_some_and(|m| cert.verify(&m, &self.signed_attrs, &self.signature))
    }

    /// The signer's certificate among `certs`, by issuer and serial.
    pub fn signer<'a>(&self, certs: &'a [crate::Cert]) -> Option<&'a crate::Cert> {
        certs.iter().find(|c| {
            let ids = c.ids();
            ids.issuer == self.issuer && ids.serial == self.serial
        })
    }
}

/// Parses a ContentInfo(SignedData) with one signer.
pub fn parse_signed_data(der: &[u8]) -> Option<ParsedSignedData> {
    let (ci, _) = read(der)?;
    let ci = children(ci.content)?;
    if ci.first()?.raw != oid(OID_SIGNED_DATA).as_slice() {
        return None;
    }
    let sd = children(children(ci.get(1)?.content)?.first()?.content)?;
    let encap = children(sd.get(2)?.content)?;
    let content_type = encap.first()?.raw.to_vec();
    let content = match encap.get(1) {
        Some(explicit) if explicit.tag == 0xA0 => Some(children(explicit.content)?.first()?.content.to_vec()),
        _ => None,
    };
    let mut certificates = Vec::new();
    let mut signer_infos = None;
    // An empty SignedData has no version to skip: not a signature.
    for t in sd.get(1..)? {
        match t.tag {
            0xA0 => certificates = children(t.content)?.iter().map(|c| c.raw.to_vec()).collect(),
            0x31 => signer_infos = Some(*t),
            _ => {}
        }
    }
    let si = children(children(signer_infos?.content)?.first()?.content)?;
    let sid = children(si.get(1)?.content)?;
    let digest_algorithm = children(si.get(2)?.content)?.first()?.raw.to_vec();
    let attrs = si.iter().find(|t| t.tag == 0xA0)?;
    let mut signed_attrs = attrs.raw.to_vec();
    signed_attrs[0] = 0x31;
    let mut message_digest = Vec::new();
    let mut has_signing_certificate_v2 = false;
    for a in children(attrs.content)? {
        let parts = children(a.content)?;
        let id = parts.first()?.raw;
        if id == oid(OID_MESSAGE_DIGEST).as_slice() {
            message_digest = children(parts.get(1)?.content)?.first()?.content.to_vec();
        } else if id == oid(OID_SIGNING_CERT_V2).as_slice() {
            has_signing_certificate_v2 = true;
        }
    }
    let after_attrs = si.iter().position(|t| t.tag == 0xA0)? + 1;
    let alg = children(si.get(after_attrs)?.content)?;
    let digest = Digest::from_der(&digest_algorithm);
    let method = SignatureMethod::read(alg.first()?.raw, alg.get(1).map(|p| p.raw), digest);
    let mut timestamp_token = None;
    if let Some(unsigned) = si.iter().find(|t| t.tag == 0xA1) {
        for a in children(unsigned.content)? {
            let parts = children(a.content)?;
            if parts.first()?.raw == oid(crate::tsa::OID_SIGNATURE_TIMESTAMP).as_slice() {
                timestamp_token = children(parts.get(1)?.content)?.first().map(|t| t.raw.to_vec());
            }
        }
    }
    Some(ParsedSignedData {
        timestamp_token,
        certificates,
        issuer: sid.first()?.raw.to_vec(),
        serial: sid.get(1)?.raw.to_vec(),
        signed_attrs,
        message_digest,
        has_signing_certificate_v2,
        method,
        digest: digest.ok_or(digest_algorithm),
        signature: si.get(after_attrs + 1)?.content.to_vec(),
        content_type,
        content,
    })
}
