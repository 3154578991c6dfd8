//! RFC 3161 time-stamps for PAdES B-T: the signature value is time-stamped by a
//! Time-Stamping Authority and the token travels as the unsigned attribute
//! `signature-time-stamp` (id-aa-signatureTimeStampToken) of the SignerInfo.
//! [`check_token`] verifies such a token: its imprint over the signature value,
//! its content digest and signature, the TSA's time-stamping usage, path and
//! revocation; a token that passes proves the signing time.

use std::time::Duration;

use serde::Serialize;

use crate::SignError;
use crate::cms::{children, oid, read, seq, tlv};
use crate::revocation::{CertStatus, Evidence, Overall, Revocation};
use crate::trust::{PathFault, TrustRoots};

const OID_TST_INFO: &str = "1.2.840.113549.1.9.16.1.4";
const OID_TIMESTAMPING: &str = "1.3.6.1.5.5.7.3.8";
pub(crate) const OID_SIGNATURE_TIMESTAMP: &str = "1.2.840.113549.1.9.16.2.14";

/// A TimeStampReq for a SHA-256 hash, asking for the TSA's certificate.
pub fn request(hash: &[u8], nonce: u64) -> Vec<u8> {
    let imprint = seq(&[&seq(&[&oid(crate::cms::OID_SHA256), &[0x05, 0x00]]), &tlv(0x04, hash)]);
    let mut n: Vec<u8> = nonce.to_be_bytes().iter().copied().skip_while(|&b| b == 0).collect();
    if n.first().is_none_or(|b| b & 0x80 != 0) {
        n.insert(0, 0);
    }
    seq(&[&tlv(0x02, &[1]), &imprint, &tlv(0x02, &n), &tlv(0x01, &[0xFF])])
}

/// Sends the request to `url` and returns the time-stamp token (a CMS
/// ContentInfo) after checking the status and that it stamps `hash`.
pub fn fetch(url: &str, hash: &[u8]) -> Result<Vec<u8>, SignError> {
    let nonce = u64::from_be_bytes(
        *ring::digest::digest(&ring::digest::SHA256, hash).as_ref().first_chunk().expect("32 bytes"),
    );
    let fail = |m: String| SignError::Timestamp(format!("{url}: {m}"));
    let client = crate::net::client(Duration::from_secs(20)).map_err(|e| fail(e.to_string()))?;
    let resp = client
        .post(url)
        .header("Content-Type", "application/timestamp-query")
        .body(request(hash, nonce))
        .send()
        .map_err(|e| fail(e.to_string()))?;
    if !resp.status().is_success() {
        return Err(fail(format!("HTTP {}", resp.status())));
    }
    let body = resp.bytes().map_err(|e| fail(e.to_string()))?;
    let (outer, _) = read(&body).ok_or_else(|| fail("not a TimeStampResp".into()))?;
    let parts = children(outer.content).ok_or_else(|| fail("not a TimeStampResp".into()))?;
    let status = children(parts.first().ok_or_else(|| fail("no status".into()))?.content)
        .and_then(|s| s.first().map(|i| i.content.to_vec()))
        .ok_or_else(|| fail("no status".into()))?;
    if !(status == [0] || status == [1]) {
        return Err(fail(format!("refused (PKIStatus {status:?})")));
    }
    let token = parts.get(1).ok_or_else(|| fail("no token".into()))?.raw.to_vec();
    let info = tst_info(&token).ok_or_else(|| fail("unreadable token".into()))?;
    if info.imprint != hash {
        return Err(fail("the token stamps another hash".into()));
    }
    Ok(token)
}

/// What a token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TstInfo {
    /// The stamped hash.
    pub imprint: Vec<u8>,
    /// `YYYYMMDDhhmmss[.f]Z` as the TSA wrote it.
    pub gen_time: String,
}

/// Reads the TSTInfo inside a time-stamp token.
pub fn tst_info(token: &[u8]) -> Option<TstInfo> {
    let signed = crate::cms::parse_signed_data(token)?;
    if signed.content_type != oid(OID_TST_INFO) {
        return None;
    }
    read_tst_info(signed.content.as_deref()?)
}

fn read_tst_info(der: &[u8]) -> Option<TstInfo> {
    let (tst, _) = read(der)?;
    let fields = children(tst.content)?;
    let imprint = children(fields.get(2)?.content)?.get(1)?.content.to_vec();
    let gen_time = String::from_utf8_lossy(fields.get(4)?.content).into_owned();
    Some(TstInfo { imprint, gen_time })
}

/// `YYYYMMDDhhmmss[.f]Z` to Unix seconds.
fn generalized_time(text: &str) -> Option<i64> {
    let t = chrono::NaiveDateTime::parse_from_str(text.get(..14)?, "%Y%m%d%H%M%S").ok()?;
    text.ends_with('Z').then(|| t.and_utc().timestamp())
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
    pub fn message(&self) -> (String, String) {
        let (vi, en) = match self {
            TimestampFault::Unreadable => ("dấu thời gian không đọc được", "the time-stamp cannot be read"),
            TimestampFault::ImprintMismatch => {
                ("dấu thời gian đóng cho giá trị khác chữ ký này", "the time-stamp stamps another value")
            }
            TimestampFault::BadSignature => (
                "chữ ký của đơn vị cấp dấu thời gian không đúng",
                "the time-stamp's signature does not verify",
            ),
            TimestampFault::NotTimestamping => (
                "chứng thư của đơn vị cấp dấu thời gian không dùng để cấp dấu thời gian",
                "the TSA's certificate is not for time-stamping",
            ),
            TimestampFault::Untrusted(fault) => {
                let (vi, en) = fault.message();
                return (
                    format!("đơn vị cấp dấu thời gian chưa tin cậy được: {vi}"),
                    format!("the time-stamping authority is not trusted: {en}"),
                );
            }
            TimestampFault::Revoked => {
                ("chứng thư của đơn vị cấp dấu thời gian đã bị thu hồi", "the TSA's certificate was revoked")
            }
        };
        (vi.to_owned(), en.to_owned())
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
    let Some(signed) = crate::cms::parse_signed_data(token).filter(|s| s.content_type == oid(OID_TST_INFO))
    else {
        return check;
    };
    let Some(info) = signed.content.as_deref().and_then(read_tst_info) else { return check };
    check.time = info.gen_time.clone();
    check.unix = generalized_time(&info.gen_time);
    if check.unix.is_none() {
        return check;
    }
    let expected = ring::digest::digest(&ring::digest::SHA256, signature_value);
    if info.imprint != expected.as_ref() {
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
    }

    #[test]
    fn junk_tokens_prove_no_time_and_count_as_forged() {
        let roots = TrustRoots::default();
        let offline = Revocation::new(None, false);
        for junk in [&b""[..], b"\x30\x00", b"\x30\x03\x06\x01\x00", &seq(&[&oid("1.2.840.113549.1.7.2")])] {
            let check = check_token(junk, b"signature", &roots, &offline, 0);
            assert!(check.forged && check.proven().is_none(), "{junk:?}: {check:?}");
            assert_eq!(check.problem, Some(TimestampFault::Unreadable));
        }
    }
}
