//! The sync protocol between a workstation and the city backend (the hub):
//! wire types, request signing, receipts, and the blocking client the
//! workstation's outbox uses. The hub (crate `hoso-hub`) uses the same types.
//!
//! Protocol (documented in `docs/sync-openapi.yaml`):
//! - `HEAD /v1/blobs/{sha256}` → 200 with `Upload-Offset` (bytes held) and
//!   `Upload-Complete` (kept and hash-checked, or still partial), or 404.
//! - `PUT /v1/blobs/{sha256}` with `Upload-Offset: n` → appends the body at n;
//!   when the bytes reach `Upload-Length` the hub checks the SHA-256 and keeps
//!   the blob (201), or drops it (422). Replays of a complete blob: 200.
//! - `PUT /v1/records/{uuid}` with the [`Manifest`] → 201 with a signed
//!   [`Receipt`]; the same manifest again → 200 with the first receipt; another
//!   manifest for the id → 409, never an overwrite; blobs missing → 422.
//! - Every request is signed by the device's Ed25519 key (enrolled at the hub
//!   by IT): headers `X-HoSo-Device`, `X-HoSo-Time` (Unix seconds) and
//!   `X-HoSo-Signature` = hex(Ed25519(method ␊ path ␊ time ␊ hex(SHA-256(body)))).

pub mod client;

/// Makes ring (already used for signing) rustls' crypto for every TLS
/// connection of the process, client or server; safe to call often.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use serde::{Deserialize, Serialize};

pub const HEADER_DEVICE: &str = "x-hoso-device";
pub const HEADER_TIME: &str = "x-hoso-time";
pub const HEADER_SIGNATURE: &str = "x-hoso-signature";
/// The SHA-256 (hex) of the request body, which the signature covers: the
/// hub checks the signature from the headers alone, before it reads a byte
/// of the body, then the body against this hash.
pub const HEADER_BODY_SHA256: &str = "x-hoso-content-sha256";
/// A value the client makes anew for every request, which the signature covers.
pub const HEADER_NONCE: &str = "x-hoso-nonce";
pub const HEADER_OFFSET: &str = "upload-offset";
pub const HEADER_LENGTH: &str = "upload-length";
/// On HEAD: `true` when the blob is complete and checked, `false` for a partial
/// upload (which may hold every byte yet not be finalised, if the hub stopped).
pub const HEADER_COMPLETE: &str = "upload-complete";
/// Requests older or newer than this (seconds) are refused (replay window).
pub const MAX_CLOCK_SKEW: i64 = 300;

/// One file of a sealed record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// `page` (raw scan), `pdfa`, `certified`, or `reused` (a document of
    /// another record, attached by reference: DuocTaiSuDung).
    pub role: String,
    pub component: u16,
    /// Page number in the component (0 for documents).
    pub ordinal: u32,
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
    /// For `reused`: the id of the record that holds the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_record: Option<String>,
}

/// A checklist slot of the record (MaThanhPhanHoSo).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestComponent {
    pub ordinal: u16,
    pub code: String,
    pub name: String,
}

/// How the applicant's identity was established (a record's `IdentityCheck`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestIdentity {
    /// `typed`, `qr`, `mrz` or `chip`.
    pub source: String,
    /// Verified by the chip: passive authentication held, card in date, no mismatch.
    pub verified: bool,
    /// Passive authentication's result (`passed` or the fault's code), for a chip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passive_auth: Option<String>,
    /// The chip's Document Signer and its CSCA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csca: Option<String>,
    /// When the card was read, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_at: Option<String>,
    /// What did not hold, by code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// What a sealed record is: its data and the hash of every file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub record_id: String,
    pub code: String,
    pub procedure: String,
    pub unit: String,
    /// 1 in person, 2 online, 3 post (KenhThucHien).
    pub channel: u8,
    pub applicant_name: String,
    pub applicant_id: Option<String>,
    /// How the applicant's identity was established at reception; absent
    /// from manifests made before it was kept (their digests stay as they were).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant_identity: Option<ManifestIdentity>,
    pub received_at: String,
    pub sealed_at: String,
    pub components: Vec<ManifestComponent>,
    pub files: Vec<ManifestFile>,
    /// Head of the workstation's audit chain when sealed.
    pub audit_head: String,
}

impl Manifest {
    /// SHA-256 of the manifest's canonical JSON (serde's field order), hex.
    pub fn digest(&self) -> String {
        hex(ring::digest::digest(&ring::digest::SHA256, &serde_json::to_vec(self).expect("serialisable"))
            .as_ref())
    }
}

/// The hub's signed acknowledgement of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub record_id: String,
    pub manifest_sha256: String,
    pub accepted_at: String,
    /// hex of the hub's Ed25519 public key.
    pub hub_key: String,
    /// hex Ed25519 signature over [`Receipt::message`].
    pub signature: String,
}

impl Receipt {
    pub fn message(record_id: &str, manifest_sha256: &str, accepted_at: &str) -> Vec<u8> {
        format!("hoso-receipt\n{record_id}\n{manifest_sha256}\n{accepted_at}").into_bytes()
    }

    /// Checks the hub's signature (against the key the workstation trusts).
    pub fn verify(&self, hub_key_hex: &str) -> bool {
        self.hub_key == hub_key_hex
            && verify(
                hub_key_hex,
                &Receipt::message(&self.record_id, &self.manifest_sha256, &self.accepted_at),
                &self.signature,
            )
    }
}

/// The record in the national portal's DongBoHoSoMC shape (as seen in
/// production integrations; not an official schema).
pub fn dongbohoso(m: &Manifest) -> serde_json::Value {
    let received: String = m.received_at.chars().take(19).filter(char::is_ascii_digit).collect();
    let documents: Vec<serde_json::Value> = m
        .components
        .iter()
        .filter(|c| m.files.iter().any(|f| f.component == c.ordinal))
        .map(|c| {
            serde_json::json!({
                "MaThanhPhanHoSo": c.code,
                "TenThanhPhanHoSo": c.name,
                "DuocSoHoa": 1,
                "DuocTaiSuDung": u8::from(m.files.iter().any(|f| f.component == c.ordinal && f.role == "reused")),
                "TepDinhKem": m.files.iter().filter(|f| f.component == c.ordinal && f.role != "page")
                    .map(|f| serde_json::json!({ "LoaiTep": f.role, "MaBam": f.sha256, "KichThuoc": f.size }))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({
        "MaHoSo": m.code,
        "MaTTHC": m.procedure,
        "KenhThucHien": m.channel,
        "ChuHoSo": m.applicant_name,
        "SoGiayToChuHoSo": m.applicant_id,
        "NgayTiepNhan": received,
        "HoSoCoThanhPhanSoHoa": u8::from(!documents.is_empty()),
        "TaiLieuNop": documents,
        "DinhDanhCHS": m.applicant_id.iter().collect::<Vec<_>>(),
    })
}

/// A counter's question to the hub: what was already digitised for this
/// person, who asks and why (the hub keeps all three in its audit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lookup {
    /// The applicant's 12-digit personal ID.
    pub personal_id: String,
    /// The clerk who asks (the counter's signed-in account).
    pub clerk: String,
    /// Why: the record being received, its procedure.
    pub purpose: String,
    /// Whether the applicant's identity was verified by the card's chip
    /// before asking (kept in the hub's audit; a lookup by a typed ID is
    /// allowed, and shows as such).
    #[serde(default)]
    pub identity_verified: bool,
}

/// A document already digitised for the person: a component's PDF/A or
/// certified copy in a record the hub accepted, named by its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReusableDocument {
    pub record_id: String,
    pub record_code: String,
    /// The receiving unit that digitised it.
    pub unit: String,
    pub procedure: String,
    pub component_code: String,
    pub component_name: String,
    /// `pdfa` or `certified`.
    pub role: String,
    pub sha256: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    /// When the original record was sealed.
    pub sealed_at: String,
}

/// The hub's answer to a lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupAnswer {
    pub documents: Vec<ReusableDocument>,
}

impl ReusableDocument {
    /// The documents of a manifest that can be reused: each component's
    /// PDF/A and certified copies (pages stay with their record).
    pub fn of(m: &Manifest) -> Vec<ReusableDocument> {
        m.files
            .iter()
            .filter(|f| f.role == "pdfa" || f.role == "certified")
            .map(|f| {
                let component = m.components.iter().find(|c| c.ordinal == f.component);
                ReusableDocument {
                    record_id: m.record_id.clone(),
                    record_code: m.code.clone(),
                    unit: m.unit.clone(),
                    procedure: m.procedure.clone(),
                    component_code: component.map(|c| c.code.clone()).unwrap_or_default(),
                    component_name: component.map(|c| c.name.clone()).unwrap_or_default(),
                    role: f.role.clone(),
                    sha256: f.sha256.clone(),
                    size: f.size,
                    sealed_at: m.sealed_at.clone(),
                }
            })
            .collect()
    }
}

/// An error answer of the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len() / 2).map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()).collect()
}

/// What a request's signature covers: the method, the hub it is meant for
/// (the `Host` the client sends), the path, the time, a nonce of the
/// client's (so no two requests are signed alike, and the hub can refuse a
/// replay within the time window), the body's SHA-256 and the upload headers.
#[derive(Debug, Clone, Copy)]
pub struct Signed<'a> {
    pub method: &'a str,
    pub host: &'a str,
    pub path: &'a str,
    pub time: i64,
    pub nonce: &'a str,
    pub body_sha256: &'a str,
    pub upload_offset: Option<u64>,
    pub upload_length: Option<u64>,
}

impl Signed<'_> {
    /// The bytes the signature is over.
    pub fn message(&self) -> Vec<u8> {
        let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
        format!(
            "hoso-request-2\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
            self.method,
            self.host,
            self.path,
            self.time,
            self.nonce,
            self.body_sha256,
            number(self.upload_offset),
            number(self.upload_length)
        )
        .into_bytes()
    }
}

/// A fresh nonce for a request: 16 random bytes, hex.
pub fn nonce() -> String {
    let mut bytes = [0u8; 16];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).expect("system randomness");
    hex(&bytes)
}

/// The SHA-256 (hex) of a request body, as [`HEADER_BODY_SHA256`] carries it.
pub fn body_sha256(body: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, body).as_ref())
}

/// Checks a hex Ed25519 signature with a hex public key.
pub fn verify(public_key_hex: &str, message: &[u8], signature_hex: &str) -> bool {
    match (unhex(public_key_hex), unhex(signature_hex)) {
        (Some(k), Some(s)) => UnparsedPublicKey::new(&ED25519, k).verify(message, &s).is_ok(),
        _ => false,
    }
}

/// A device or hub key (Ed25519, PKCS#8).
pub struct SigningKey {
    pair: Ed25519KeyPair,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").field("public", &self.public_hex()).finish()
    }
}

impl SigningKey {
    /// A new key as PKCS#8 bytes (to store with owner-only permissions).
    pub fn generate() -> Vec<u8> {
        Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new())
            .expect("system randomness")
            .as_ref()
            .to_vec()
    }

    pub fn from_pkcs8(bytes: &[u8]) -> Option<SigningKey> {
        Ed25519KeyPair::from_pkcs8(bytes).ok().map(|pair| SigningKey { pair })
    }

    pub fn public_hex(&self) -> String {
        hex(self.pair.public_key().as_ref())
    }

    pub fn sign_hex(&self, message: &[u8]) -> String {
        hex(self.pair.sign(message).as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_bind_method_host_path_time_nonce_body_and_upload_headers() {
        let key = SigningKey::from_pkcs8(&SigningKey::generate()).unwrap();
        let data = body_sha256(b"data");
        let signed = Signed {
            method: "PUT",
            host: "hub.tphcm.gov.vn",
            path: "/v1/blobs/ab",
            time: 100,
            nonce: "n1",
            body_sha256: &data,
            upload_offset: Some(0),
            upload_length: Some(4),
        };
        let sig = key.sign_hex(&signed.message());
        assert!(verify(&key.public_hex(), &signed.message(), &sig));
        let other_body = body_sha256(b"dato");
        for changed in [
            Signed { method: "HEAD", ..signed },
            Signed { host: "other.hub", ..signed },
            Signed { path: "/v1/blobs/ac", ..signed },
            Signed { time: 101, ..signed },
            Signed { nonce: "n2", ..signed },
            Signed { body_sha256: &other_body, ..signed },
            Signed { upload_offset: Some(4), ..signed },
            Signed { upload_length: None, ..signed },
        ] {
            assert!(!verify(&key.public_hex(), &changed.message(), &sig), "{changed:?}");
        }
    }
}
