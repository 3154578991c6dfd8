//! RFC 3161 time-stamps for PAdES B-T: the signature value is time-stamped by a
//! Time-Stamping Authority and the token travels as the unsigned attribute
//! `signature-time-stamp` (id-aa-signatureTimeStampToken) of the SignerInfo.
//! [`check_token`] verifies such a token: its imprint over the signature value,
//! its content digest and signature, the TSA's time-stamping usage, path and
//! revocation; a token that passes proves the signing time.

use std::time::Duration;

use der::asn1::{Any, Int, ObjectIdentifier as Oid, OctetString};
use der::{
    Decode as _, DecodeValue, Encode as _, EncodeValue, FixedTag, Header, Length, Reader, Sequence, Tag,
    Writer,
};
use hoso_i18n::{Message, msg};
use serde::Serialize;
use x509_cert::ext::Extensions;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::spki::AlgorithmIdentifier;
use x509_tsp::{Accuracy, MessageImprint, TimeStampReq, TimeStampResp, TspVersion};

use crate::SignError;
use crate::cms::Digest;
use crate::revocation::{CertStatus, Evidence, Overall, Revocation};
use crate::trust::{PathFault, TrustRoots};

const OID_TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");
const OID_TIMESTAMPING: &str = "1.3.6.1.5.5.7.3.8";
pub(crate) const OID_SIGNATURE_TIMESTAMP: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.14");

/// A TimeStampReq for a SHA-256 hash, asking for the TSA's certificate.
pub fn request(hash: &[u8], nonce: u64) -> der::Result<Vec<u8>> {
    TimeStampReq {
        version: TspVersion::V1,
        message_imprint: MessageImprint {
            hash_algorithm: AlgorithmIdentifier {
                oid: crate::cms::OID_SHA256,
                parameters: Some(Any::null()),
            },
            hashed_message: OctetString::new(hash)?,
        },
        req_policy: None,
        nonce: Some(Int::from_der(&nonce.to_der()?)?),
        cert_req: true,
        extensions: None,
    }
    .to_der()
}

/// Sends the request to `url` and returns the time-stamp token (a CMS
/// ContentInfo) after checking the status and that it stamps `hash`.
pub fn fetch(url: &str, hash: &[u8]) -> Result<Vec<u8>, SignError> {
    let nonce = u64::from_be_bytes(
        *ring::digest::digest(&ring::digest::SHA256, hash).as_ref().first_chunk().expect("32 bytes"),
    );
    let fail = |m: String| SignError::Timestamp(format!("{url}: {m}").into());
    let request = request(hash, nonce).map_err(|e| fail(e.to_string()))?;
    let client = crate::net::client(Duration::from_secs(20)).map_err(|e| fail(e.to_string()))?;
    let resp = client
        .post(url)
        .header("Content-Type", "application/timestamp-query")
        .body(request)
        .send()
        .map_err(|e| fail(e.to_string()))?;
    if !resp.status().is_success() {
        return Err(fail(format!("HTTP {}", resp.status())));
    }
    let body = resp.bytes().map_err(|e| fail(e.to_string()))?;
    let resp = TimeStampResp::from_der(&body).map_err(|e| fail(format!("not a TimeStampResp: {e}")))?;
    // granted (0) or grantedWithMods (1)
    let status = resp.status.status as u8;
    if status > 1 {
        let said: Vec<&str> = resp.status.status_string.iter().flatten().map(|s| s.as_str()).collect();
        return Err(fail(format!("refused (PKIStatus {status}) {}", said.join(" ")).trim_end().to_owned()));
    }
    let token = resp.time_stamp_token.ok_or_else(|| fail("no token".into()))?;
    let token = token.to_der().map_err(|e| fail(e.to_string()))?;
    let info = tst_info(&token).ok_or_else(|| fail("unreadable token".into()))?;
    if info.digest != Some(Digest::Sha256) || info.imprint != hash {
        return Err(fail("the token stamps another hash".into()));
    }
    Ok(token)
}

/// What a token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TstInfo {
    /// The stamped hash, and the digest it names (None: one HoSo does not know).
    pub imprint: Vec<u8>,
    pub digest: Option<Digest>,
    /// `YYYYMMDDhhmmss[.f]Z` as the TSA wrote it.
    pub gen_time: String,
    /// That time in Unix seconds.
    pub unix: i64,
}

/// Reads the TSTInfo inside a time-stamp token.
pub fn tst_info(token: &[u8]) -> Option<TstInfo> {
    read_token(token).map(|(_, info)| info)
}

/// A time-stamp token's SignedData and the TSTInfo it signs.
fn read_token(token: &[u8]) -> Option<(crate::cms::ParsedSignedData, TstInfo)> {
    let signed = crate::cms::parse_signed_data(token).filter(|s| s.content_type == OID_TST_INFO)?;
    let info = read_tst_info(signed.content.as_deref()?)?;
    Some((signed, info))
}

/// RFC 3161's TSTInfo: x509-tsp's `TstInfo` with the one field it reads too
/// narrowly. A genTime may carry fractions of a second (RFC 3161 §2.4.2:
/// "19990609001326.34352Z"); der's GeneralizedTime takes whole seconds only.
#[derive(Sequence)]
struct TstInfoFields {
    version: TspVersion,
    policy: Oid,
    message_imprint: MessageImprint,
    serial_number: Int,
    gen_time: GenTime,
    #[asn1(optional = "true")]
    accuracy: Option<Accuracy>,
    #[asn1(default = "Default::default")]
    ordering: bool,
    #[asn1(optional = "true")]
    nonce: Option<Int>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    tsa: Option<GeneralName>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    extensions: Option<Extensions>,
}

/// A GeneralizedTime as RFC 3161 writes it: `YYYYMMDDhhmmss[.f...]Z`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct GenTime {
    text: String,
    unix: i64,
}

impl FixedTag for GenTime {
    const TAG: Tag = Tag::GeneralizedTime;
}

impl<'a> DecodeValue<'a> for GenTime {
    fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
        let bytes = reader.read_vec(header.length)?;
        let text = String::from_utf8(bytes).map_err(|_| Self::TAG.value_error())?;
        let unix = generalized_time(&text).ok_or_else(|| Self::TAG.value_error())?;
        Ok(GenTime { text, unix })
    }
}

impl EncodeValue for GenTime {
    fn value_len(&self) -> der::Result<Length> {
        Length::try_from(self.text.len())
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        writer.write(self.text.as_bytes())
    }
}

fn read_tst_info(der: &[u8]) -> Option<TstInfo> {
    let info = TstInfoFields::from_der(der).ok()?;
    Some(TstInfo {
        imprint: info.message_imprint.hashed_message.into_bytes(),
        digest: Digest::from_oid(&info.message_imprint.hash_algorithm.oid),
        gen_time: info.gen_time.text,
        unix: info.gen_time.unix,
    })
}

/// `YYYYMMDDhhmmss[.f]Z` to Unix seconds: digits only, a fraction of at
/// least one digit, and UTC.
fn generalized_time(text: &str) -> Option<i64> {
    let (whole, fraction) = text.strip_suffix('Z')?.split_at_checked(14)?;
    let fraction_ok = fraction.is_empty()
        || fraction.strip_prefix('.').is_some_and(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !fraction_ok || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = chrono::NaiveDateTime::parse_from_str(whole, "%Y%m%d%H%M%S").ok()?;
    Some(t.and_utc().timestamp())
}

/// What checking a signature's time-stamp found.
#[derive(Debug, Clone, Serialize)]
pub struct TimestampCheck {
    /// The time as the TSA wrote it.
    pub time: String,
    /// The TSA's certificate subject.
    pub tsa: String,
    /// The TSA's certification path, when it has one.
    pub trust_path: Vec<String>,
    /// The revocation status of that path's certificates.
    pub revocation: Vec<CertStatus>,
    /// Why the time is not proven; none: it is.
    pub problem: Option<TimestampFault>,
    /// The token is forged or stamps something else (never just untrusted).
    #[serde(skip)]
    pub forged: bool,
    #[serde(skip)]
    pub unix: Option<i64>,
    /// The TSA's path itself, and the answer each revocation status rests on
    /// (what PAdES B-LT embeds: [`crate::ltv`]).
    #[serde(skip)]
    pub path: Option<crate::trust::TrustPath>,
    #[serde(skip)]
    pub evidence: Vec<Option<Evidence>>,
}

impl TimestampCheck {
    /// The proven signing time: a sound token from a trusted TSA.
    pub fn proven(&self) -> Option<i64> {
        if self.problem.is_none() { self.unix } else { None }
    }
}

/// Why a time-stamp proves no time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", content = "detail", rename_all = "snake_case")]
pub enum TimestampFault {
    /// Not a readable RFC 3161 token.
    Unreadable,
    /// It stamps another value than this signature's.
    ImprintMismatch,
    /// Its signed digest is not its content's, or its signature does not verify.
    BadSignature,
    /// The TSA's certificate is not for time-stamping (extendedKeyUsage).
    NotTimestamping,
    /// The TSA's certificate has no trusted path at the stamped time.
    Untrusted(PathFault),
    /// A certificate of the TSA's path was revoked.
    Revoked,
}

impl TimestampFault {
    /// What the fault means.
    pub fn message(&self) -> Message {
        match self {
            TimestampFault::Unreadable => msg!("tsa-fault-unreadable"),
            TimestampFault::ImprintMismatch => msg!("tsa-fault-imprint-mismatch"),
            TimestampFault::BadSignature => msg!("tsa-fault-bad-signature"),
            TimestampFault::NotTimestamping => msg!("tsa-fault-not-timestamping"),
            TimestampFault::Untrusted(fault) => msg!("tsa-fault-untrusted", why = fault.message()),
            TimestampFault::Revoked => msg!("tsa-fault-revoked"),
        }
    }
}

/// Checks a signature's time-stamp `token`: an RFC 3161 token whose message
/// imprint is the SHA-256 of `signature_value`, signed by a TSA whose
/// certificate is for time-stamping and has a path to `roots` at the stamped
/// time, none of whose certificates was revoked (judged at `now`).
pub fn check_token(
    token: &[u8],
    signature_value: &[u8],
    roots: &TrustRoots,
    revocation: &Revocation,
    now: i64,
) -> TimestampCheck {
    let mut check = TimestampCheck {
        time: String::new(),
        tsa: String::new(),
        trust_path: Vec::new(),
        revocation: Vec::new(),
        problem: Some(TimestampFault::Unreadable),
        forged: true,
        unix: None,
        path: None,
        evidence: Vec::new(),
    };
    let Some((signed, info)) = read_token(token) else { return check };
    check.time = info.gen_time.clone();
    check.unix = Some(info.unix);
    // The imprint is over the signature value, by the digest it names (SHA-256 or stronger).
    let expected = info.digest.filter(|d| d.allowed()).map(|d| d.of(signature_value));
    if expected.as_deref() != Some(info.imprint.as_slice()) {
        check.problem = Some(TimestampFault::ImprintMismatch);
        return check;
    }
    check.problem = Some(TimestampFault::BadSignature);
    let certs = signed.certs();
    let Some(tsa) = signed.signer(&certs) else { return check };
    check.tsa = tsa.subject_name();
    let intact = signed.algorithms_allowed()
        && signed.content.as_deref().is_some_and(|c| signed.content_intact(c))
        && signed.verified_by(tsa);
    if !intact {
        return check;
    }
    check.forged = false;
    if !tsa.has_extended_key_usage(OID_TIMESTAMPING) {
        check.problem = Some(TimestampFault::NotTimestamping);
        return check;
    }
    match roots.path(tsa, &certs, check.unix.unwrap_or_default()) {
        Err(fault) => check.problem = Some(TimestampFault::Untrusted(fault)),
        Ok(path) => {
            check.trust_path = path.subjects();
            (check.revocation, check.evidence) =
                revocation.check_path_with_evidence(&path, now, None).into_iter().unzip();
            check.problem = (crate::revocation::overall(&check.revocation, None) == Overall::Revoked)
                .then_some(TimestampFault::Revoked);
            check.path = Some(path);
        }
    }
    check
}

/// Asks the TSA at `url` for a time-stamp of a probe value and checks the
/// token as a signature's would be ([`check_token`]): whether the service
/// answers, and whether its time-stamps would prove a signing time.
pub fn probe(
    url: &str,
    roots: &TrustRoots,
    revocation: &Revocation,
    now: i64,
) -> Result<TimestampCheck, SignError> {
    let value = b"HoSo Intake: time-stamp probe";
    let token = fetch(url, ring::digest::digest(&ring::digest::SHA256, value).as_ref())?;
    Ok(check_token(&token, value, roots, revocation, now))
}

/// The unsigned attributes SET holding the token (tag 0x31; re-tagged [1] in the SignerInfo).
pub fn unsigned_attributes(token: &[u8]) -> Vec<u8> {
    use crate::cms::{oid, seq, tlv};
    let attr = seq(&[&oid(OID_SIGNATURE_TIMESTAMP), &tlv(0x31, token)]);
    tlv(0x31, &attr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generalized_times_are_read_in_utc_only() {
        assert_eq!(generalized_time("20261203101500Z"), Some(1_796_292_900));
        assert_eq!(generalized_time("20261203101500.25Z"), Some(1_796_292_900));
        assert_eq!(generalized_time("20261203101500"), None, "no zone: not a time-stamp's time");
        assert_eq!(generalized_time("2026"), None);
        for bad in [
            "20261203101500.Z",
            "20261203101500,25Z",
            "2026120310150aZ",
            "20261203101500.2xZ",
            "20261203ŝ1500Z",
        ] {
            assert_eq!(generalized_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn junk_tokens_prove_no_time_and_count_as_forged() {
        let roots = TrustRoots::default();
        let offline = Revocation::new(None, false);
        let bare = crate::cms::seq(&[&crate::cms::oid(Oid::new_unwrap("1.2.840.113549.1.7.2"))]);
        for junk in [&b""[..], b"\x30\x00", b"\x30\x03\x06\x01\x00", &bare] {
            let check = check_token(junk, b"signature", &roots, &offline, 0);
            assert!(check.forged && check.proven().is_none(), "{junk:?}: {check:?}");
            assert_eq!(check.problem, Some(TimestampFault::Unreadable));
        }
    }

    #[test]
    fn a_tst_info_may_state_fractions_of_a_second_and_names_its_imprint_digest() {
        use crate::cms::{oid, seq, tlv};
        let hash = [9u8; 48];
        let tst_info = |gen_time: &str| {
            let sha384 = seq(&[&oid(Oid::new_unwrap("2.16.840.1.101.3.4.2.2")), &[0x05, 0x00]]);
            seq(&[
                &tlv(0x02, &[1]),
                &oid(Oid::new_unwrap("1.2.3.4")),
                &seq(&[&sha384, &tlv(0x04, &hash)]),
                &tlv(0x02, &[0x2a]),
                &tlv(0x18, gen_time.as_bytes()),
                &seq(&[&tlv(0x02, &[1])]),
            ])
        };
        let read = read_tst_info(&tst_info("19990609001326.34352Z")).expect("RFC 3161's own example");
        assert_eq!((read.gen_time.as_str(), read.unix), ("19990609001326.34352Z", 928_887_206));
        assert_eq!((read.digest, read.imprint.as_slice()), (Some(Digest::Sha384), &hash[..]));
        // der's own GeneralizedTime, which x509-tsp reads with, refuses it.
        assert!(x509_tsp::TstInfo::from_der(&tst_info("19990609001326.34352Z")).is_err());
        assert!(x509_tsp::TstInfo::from_der(&tst_info("19990609001326Z")).is_ok());
        for bad in ["19990609001326.Z", "19990609001326", "1999060900132Z"] {
            assert!(read_tst_info(&tst_info(bad)).is_none(), "{bad}");
        }
    }
}
