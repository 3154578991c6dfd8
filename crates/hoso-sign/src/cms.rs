//! CMS SignedData (RFC 5652) for PAdES: written for baseline B-B (ETSI EN 319
//! 142-1, `ETSI.CAdES.detached`: detached content, signed attributes
//! content-type, message-digest and signing-certificate-v2, no signing-time:
//! PAdES puts the time in the signature dictionary's `/M`), and read from any
//! signing software's signature or RFC 3161 token.
//!
//! Writing is by hand in DER: the structure is small and fixed, and every
//! byte is visible here. Reading is RustCrypto's `cms` (on der, which checks
//! every length and encoding), with one exception: the signed attributes are
//! taken as the bytes that were signed, because der sorts a SET OF when it
//! decodes one and a re-encoding could differ from what the signer hashed.

use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier, SignerInfo};
use der::asn1::{ObjectIdentifier as Oid, OctetString};
use der::{Decode as _, Encode as _, Header, Reader as _, SliceReader};
use ring::digest::{SHA256, digest};
use x509_cert::spki::AlgorithmIdentifierOwned;

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

/// An OBJECT IDENTIFIER, DER-encoded.
pub(crate) fn oid(id: Oid) -> Vec<u8> {
    tlv(0x06, id.as_bytes())
}

fn octets(b: &[u8]) -> Vec<u8> {
    tlv(0x04, b)
}

fn integer(v: u8) -> Vec<u8> {
    tlv(0x02, &[v])
}

pub const OID_SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
pub const OID_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
pub const OID_ECDSA_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
const OID_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
const OID_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
const OID_CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
const OID_MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
const OID_SIGNING_CERT_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");

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

const OID_RSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");

/// RSASSA-PSS-params for SHA-256 / MGF1-SHA-256 / salt 32.
fn pss_algorithm() -> Vec<u8> {
    let hash = tlv(0xA0, &sha256_alg());
    let mgf = tlv(0xA1, &seq(&[&oid(Oid::new_unwrap("1.2.840.113549.1.1.8")), &sha256_alg()]));
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
    const ALL: [(Digest, Oid, &'static str); 4] = [
        (Digest::Sha1, Oid::new_unwrap("1.3.14.3.2.26"), "SHA-1"),
        (Digest::Sha256, OID_SHA256, "SHA-256"),
        (Digest::Sha384, Oid::new_unwrap("2.16.840.1.101.3.4.2.2"), "SHA-384"),
        (Digest::Sha512, Oid::new_unwrap("2.16.840.1.101.3.4.2.3"), "SHA-512"),
    ];

    /// The digest an algorithm identifier names.
    pub fn from_oid(id: &Oid) -> Option<Digest> {
        Digest::ALL.iter().find(|(_, known, _)| known == id).map(|(d, _, _)| *d)
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
    /// From a SignerInfo's signature algorithm and digest algorithm: RSA
    /// PKCS#1 v1.5 (rsaEncryption takes the digest's hash, shaNWithRSAEncryption
    /// its own), ECDSA with SHA-256/384 on P-256 or P-384, and RSASSA-PSS with
    /// exactly the parameters this crate writes. What ring cannot check (ECDSA
    /// over SHA-1 or SHA-512, other PSS parameters, other algorithms) is None.
    pub fn read(alg: &AlgorithmIdentifierOwned, digest: Option<Digest>) -> Option<SignatureMethod> {
        let rsa = |hash: Digest| -> SignatureMethod {
            let verifiers: &'static [Verifier] = match hash {
                Digest::Sha1 => &RSA_SHA1,
                Digest::Sha256 => &RSA_SHA256,
                Digest::Sha384 => &RSA_SHA384,
                Digest::Sha512 => &RSA_SHA512,
            };
            SignatureMethod { hash, verifiers }
        };
        const RSA_WITH: [(Oid, Digest); 4] = [
            (Oid::new_unwrap("1.2.840.113549.1.1.5"), Digest::Sha1),
            (Oid::new_unwrap("1.2.840.113549.1.1.11"), Digest::Sha256),
            (Oid::new_unwrap("1.2.840.113549.1.1.12"), Digest::Sha384),
            (Oid::new_unwrap("1.2.840.113549.1.1.13"), Digest::Sha512),
        ];
        if alg.oid == OID_RSA {
            return digest.map(rsa);
        }
        if let Some((_, hash)) = RSA_WITH.iter().find(|(id, _)| *id == alg.oid) {
            return Some(rsa(*hash));
        }
        let (hash, verifiers): (Digest, &'static [Verifier]) = if alg.oid == OID_ECDSA_SHA256 {
            (Digest::Sha256, &ECDSA_SHA256)
        } else if alg.oid == Oid::new_unwrap("1.2.840.10045.4.3.3") {
            (Digest::Sha384, &ECDSA_SHA384)
        } else if alg.oid == OID_RSA_PSS {
            let ours = AlgorithmIdentifierOwned::from_der(&pss_algorithm()).ok()?;
            if alg.parameters.is_none() || alg.parameters != ours.parameters {
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
    /// The certificates it carries, each as its own DER (read one by one:
    /// one that cannot be read does not hide the others).
    pub certificates: Vec<Vec<u8>>,
    /// Who signed: issuer and serial, or subject key identifier.
    pub signer_id: SignerIdentifier,
    /// Signed attributes as the SET that was signed: the signer's own bytes.
    pub signed_attrs: Vec<u8>,
    pub message_digest: Vec<u8>,
    pub has_signing_certificate_v2: bool,
    /// How the signature value can be checked, when HoSo knows how.
    pub method: Option<SignatureMethod>,
    /// The signer's digest algorithm, or its OID when HoSo knows no such digest.
    pub digest: Result<Digest, Oid>,
    pub signature: Vec<u8>,
    /// The encapsulated content's type and, when not detached, the content
    /// (a time-stamp token's TSTInfo).
    pub content_type: Oid,
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

    /// The signer's certificate among `certs`: by issuer and serial number,
    /// or by subject key identifier.
    pub fn signer<'a>(&self, certs: &'a [crate::Cert]) -> Option<&'a crate::Cert> {
        certs.iter().find(|c| {
            let tbs = &c.parsed().tbs_certificate;
            match &self.signer_id {
                SignerIdentifier::IssuerAndSerialNumber(id) => {
                    tbs.issuer == id.issuer && tbs.serial_number == id.serial_number
                }
                SignerIdentifier::SubjectKeyIdentifier(ski) => {
                    matches!(tbs.get::<x509_cert::ext::pkix::SubjectKeyIdentifier>(), Ok(Some((_, own))) if own == *ski)
                }
            }
        })
    }
}

/// The elements inside the constructed DER element at the front of `tlv`,
/// each as its whole encoding (tag and length included), read by der.
fn elements(tlv: &[u8]) -> der::Result<Vec<&[u8]>> {
    let mut reader = SliceReader::new(tlv)?;
    let header = Header::decode(&mut reader)?;
    if !header.tag.is_constructed() {
        return Err(header.tag.value_error());
    }
    reader.read_nested(header.length, |inner| {
        let mut out = Vec::new();
        while !inner.is_finished() {
            out.push(inner.tlv_bytes()?);
        }
        Ok(out)
    })
}

/// Tag of a constructed `[0]` element: SignedData's certificates, a
/// SignerInfo's signed attributes.
const CONTEXT_0: u8 = 0xA0;
const SET: u8 = 0x31;

/// Parses a ContentInfo(SignedData) and its first signer. Anything after
/// the ContentInfo (the zero padding of a PDF's /Contents) is ignored.
pub fn parse_signed_data(der: &[u8]) -> Option<ParsedSignedData> {
    let content_info = SliceReader::new(der).ok()?.tlv_bytes().ok()?;
    let info = ContentInfo::from_der(content_info).ok()?;
    if info.content_type != OID_SIGNED_DATA {
        return None;
    }
    let signed_data = info.content.to_der().ok()?;
    // version, digestAlgorithms, encapContentInfo, [0] certificates, [1] crls, signerInfos
    let fields = elements(&signed_data).ok()?;
    let encap = EncapsulatedContentInfo::from_der(fields.get(2)?).ok()?;
    let content = match encap.econtent {
        Some(any) => Some(any.decode_as::<OctetString>().ok()?.into_bytes()),
        None => None,
    };
    let (signer_infos, optional) = fields.get(3..)?.split_last()?;
    let certificates = match optional.iter().find(|f| f.first() == Some(&CONTEXT_0)) {
        Some(set) => elements(set).ok()?.into_iter().map(<[u8]>::to_vec).collect(),
        None => Vec::new(),
    };
    if signer_infos.first() != Some(&SET) {
        return None;
    }
    let raw_signer = *elements(signer_infos).ok()?.first()?;
    let si = SignerInfo::from_der(raw_signer).ok()?;
    let mut signed_attrs =
        elements(raw_signer).ok()?.into_iter().find(|f| f.first() == Some(&CONTEXT_0))?.to_vec();
    signed_attrs[0] = SET;
    let attrs = si.signed_attrs.as_ref()?;
    let first_value = |id: Oid| attrs.iter().find(|a| a.oid == id).and_then(|a| a.values.iter().next());
    let message_digest = match first_value(OID_MESSAGE_DIGEST) {
        Some(value) => value.decode_as::<OctetString>().ok()?.into_bytes(),
        None => Vec::new(),
    };
    let has_signing_certificate_v2 = first_value(OID_SIGNING_CERT_V2).is_some();
    let digest = Digest::from_oid(&si.digest_alg.oid);
    let method = SignatureMethod::read(&si.signature_algorithm, digest);
    let timestamp_token = si
        .unsigned_attrs
        .iter()
        .flat_map(|set| set.iter())
        .find(|a| a.oid == crate::tsa::OID_SIGNATURE_TIMESTAMP)
        .and_then(|a| a.values.iter().next())
        .and_then(|token| token.to_der().ok());
    Some(ParsedSignedData {
        certificates,
        signer_id: si.sid,
        signed_attrs,
        message_digest,
        has_signing_certificate_v2,
        method,
        digest: digest.ok_or(si.digest_alg.oid),
        signature: si.signature.into_bytes(),
        content_type: encap.econtent_type,
        content,
        timestamp_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_and_lengths_encode_as_der() {
        assert_eq!(
            oid(Oid::new_unwrap("1.2.840.113549.1.7.2")),
            [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]
        );
        assert_eq!(oid(OID_SHA256)[..4], [0x06, 0x09, 0x60, 0x86]);
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

    #[test]
    fn signed_attributes_are_checked_as_the_signer_wrote_them_and_a_signer_is_found_by_key_identifier() {
        use ring::rand::SystemRandom;
        use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair};
        use x509_cert::ext::pkix::SubjectKeyIdentifier;
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng).unwrap();
        let rc_key = rcgen::KeyPair::try_from(pkcs8.as_ref()).unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["signer.example".into()]).unwrap();
        // rcgen writes a subject key identifier for a CA only.
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let der = params.self_signed(&rc_key).unwrap().der().to_vec();
        let cert = crate::Cert::from_der(&der).unwrap();

        // The three attributes in reverse DER order, as a careless signer may
        // write them; der would sort them when decoding.
        let sorted = signed_attributes(&[7; 32], &der);
        let mut attrs = elements(&sorted).unwrap();
        attrs.reverse();
        let unsorted = tlv(SET, &attrs.concat());
        assert_ne!(unsorted, sorted);
        let signature = key.sign(&rng, &unsorted).unwrap();
        let cms = signed_data(
            &unsorted,
            signature.as_ref(),
            SignatureAlgorithm::EcdsaP256Sha256,
            &cert.ids(),
            std::slice::from_ref(&der),
            None,
        );
        let parsed = parse_signed_data(&cms).unwrap();
        assert_eq!(parsed.signed_attrs, unsorted);
        assert_eq!(parsed.message_digest, [7; 32]);
        assert!(parsed.has_signing_certificate_v2);
        let certs = parsed.certs();
        assert!(parsed.signer(&certs).is_some_and(|signer| parsed.verified_by(signer)));

        let (_, ski) = cert.parsed().tbs_certificate.get::<SubjectKeyIdentifier>().unwrap().unwrap();
        let by_key =
            ParsedSignedData { signer_id: SignerIdentifier::SubjectKeyIdentifier(ski), ..parsed.clone() };
        assert!(by_key.signer(&certs).is_some());
        let other = SubjectKeyIdentifier(OctetString::new(vec![1, 2, 3]).unwrap());
        let by_other =
            ParsedSignedData { signer_id: SignerIdentifier::SubjectKeyIdentifier(other), ..parsed };
        assert!(by_other.signer(&certs).is_none());
    }
}
