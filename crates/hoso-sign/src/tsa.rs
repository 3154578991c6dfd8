//! RFC 3161 time-stamps for PAdES B-T: the signature value is time-stamped by a
//! Time-Stamping Authority and the token travels as the unsigned attribute
//! `signature-time-stamp` (id-aa-signatureTimeStampToken) of the SignerInfo.

use std::time::Duration;

use crate::SignError;
use crate::cms::{children, oid, read, seq, tlv};

const OID_TST_INFO: &str = "1.2.840.113549.1.9.16.1.4";
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
    let (ci, _) = read(token)?;
    let ci = children(ci.content)?;
    let sd = children(children(ci.get(1)?.content)?.first()?.content)?;
    let encap = children(sd.get(2)?.content)?;
    if encap.first()?.raw != oid(OID_TST_INFO).as_slice() {
        return None;
    }
    let octets = children(encap.get(1)?.content)?;
    let (tst, _) = read(octets.first()?.content)?;
    let fields = children(tst.content)?;
    let imprint = children(fields.get(2)?.content)?.get(1)?.content.to_vec();
    let gen_time = String::from_utf8_lossy(fields.get(4)?.content).into_owned();
    Some(TstInfo { imprint, gen_time })
}

/// The unsigned attributes SET holding the token (tag 0x31; re-tagged [1] in the SignerInfo).
pub fn unsigned_attributes(token: &[u8]) -> Vec<u8> {
    let attr = seq(&[&oid(OID_SIGNATURE_TIMESTAMP), &tlv(0x31, token)]);
    tlv(0x31, &attr)
}
