//! The workstation's side: signed requests, resumable blob upload, record PUT.
//! Blocking (reqwest): the outbox worker runs on its own thread.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::blocking::{Client as Http, RequestBuilder, Response};

use crate::{
    ErrorBody, HEADER_BODY_SHA256, HEADER_COMPLETE, HEADER_DEVICE, HEADER_LENGTH, HEADER_NONCE,
    HEADER_OFFSET, HEADER_SIGNATURE, HEADER_TIME, Manifest, Receipt, SigningKey,
};

/// Blobs go up in pieces of this size, so an interrupted upload resumes.
pub const CHUNK: usize = 4 << 20;

/// How a sync attempt failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// Worth retrying later: network down, hub restarting, 5xx, timeouts.
    #[error("{}", hoso_i18n::msg!("sync-transient", detail = .0))]
    Transient(String),
    /// The hub refused the item; retrying the same will not help.
    #[error("{}", hoso_i18n::msg!("sync-rejected", detail = .0))]
    Permanent(String),
    /// The hub already holds a different manifest for this record id.
    #[error("{}", hoso_i18n::msg!("sync-conflict", detail = .0))]
    Conflict(String),
}

impl SyncError {
    pub fn is_transient(&self) -> bool {
        matches!(self, SyncError::Transient(_))
    }
}

/// What [`Client::probe`] learnt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    /// 404: enrolled and answering; 403: not enrolled; 401: clock or key refused.
    pub status: u16,
    /// This machine's clock minus the hub's (seconds), from the `Date` header.
    pub clock_skew: Option<i64>,
}

/// A connection to one hub as one enrolled device.
#[derive(Debug)]
pub struct Client {
    base: String,
    http: Http,
    device: String,
    key: SigningKey,
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// A network failure with its causes ("error sending request" alone does not
/// tell IT that the certificate was refused or the host is unreachable).
fn transient(e: reqwest::Error) -> SyncError {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    SyncError::Transient(text)
}

/// Maps a non-success answer to the error kind the outbox acts on.
fn classify(resp: Response) -> SyncError {
    let status = resp.status();
    let body: Option<ErrorBody> = resp.bytes().ok().and_then(|b| serde_json::from_slice(&b).ok());
    let what = match (&body, status.as_u16()) {
        (Some(b), _) => format!("{} ({}): {}", status, b.code, b.message),
        // HEAD answers carry no body: say what the status means here.
        (None, 403) => hoso_i18n::msg!("sync-not-enrolled").to_string(),
        (None, 401) => hoso_i18n::msg!("sync-signature-refused").to_string(),
        (None, _) => status.to_string(),
    };
    let code = body.as_ref().map(|b| b.code.as_str());
    match status.as_u16() {
        409 => SyncError::Conflict(what),
        // Another device sent this record id first: sending it again cannot help.
        403 if code == Some("not_yours") => SyncError::Permanent(what),
        // 412: the hub holds another offset of a partial blob (a lost answer); re-ask.
        // 401/403: clock or enrolment, a problem of the workstation, not of the
        // record: it stays queued until IT fixes it.
        401 | 403 | 408 | 412 | 425 | 429 => SyncError::Transient(what),
        // Missing blobs are uploaded on the next attempt.
        422 if body.is_some_and(|b| !b.missing.is_empty()) => SyncError::Transient(what),
        400..=499 => SyncError::Permanent(what),
        _ => SyncError::Transient(what),
    }
}

impl Client {
    /// `base` like `https://hub.example/` (no trailing path), `device` the id
    /// IT enrolled with the key's public half. `ca_pem`: certificates of a
    /// private CA trusted for the hub's TLS besides the system's roots.
    pub fn new(
        base: &str,
        device: &str,
        key: SigningKey,
        timeout: Duration,
        ca_pem: Option<&[u8]>,
    ) -> Result<Client, SyncError> {
        crate::install_tls_provider();
        let mut builder = Http::builder().connect_timeout(Duration::from_secs(5)).timeout(timeout);
        if let Some(pem) = ca_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| SyncError::Permanent(format!("hub_ca: not PEM certificates: {e}")))?;
            if certs.is_empty() {
                return Err(SyncError::Permanent("hub_ca: the file holds no certificate".into()));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder.build().map_err(transient)?;
        Ok(Client { base: base.trim_end_matches('/').to_owned(), http, device: device.to_owned(), key })
    }

    /// A request signed over its method, the hub's host, path, time, a fresh
    /// nonce, the body's hash and the upload headers (`upload`: offset, length),
    /// which it carries.
    fn signed(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &[u8],
        upload: Option<(u64, u64)>,
    ) -> RequestBuilder {
        let time = now();
        let body_sha256 = crate::body_sha256(body);
        let url = format!("{}{path}", self.base);
        // The Host the request carries: the URL's host, and its port unless the scheme's own.
        let host = reqwest::Url::parse(&url)
            .ok()
            .and_then(|u| {
                Some(u.host_str()?.to_owned() + &u.port().map(|p| format!(":{p}")).unwrap_or_default())
            })
            .unwrap_or_default();
        let nonce = crate::nonce();
        let signed = crate::Signed {
            method: method.as_str(),
            host: &host,
            path,
            time,
            nonce: &nonce,
            body_sha256: &body_sha256,
            upload_offset: upload.map(|u| u.0),
            upload_length: upload.map(|u| u.1),
        };
        let signature = self.key.sign_hex(&signed.message());
        let mut request = self
            .http
            .request(method, url)
            .header(HEADER_DEVICE, &self.device)
            .header(HEADER_TIME, time.to_string())
            .header(HEADER_NONCE, nonce)
            .header(HEADER_BODY_SHA256, body_sha256)
            .header(HEADER_SIGNATURE, signature);
        if let Some((offset, length)) = upload {
            request =
                request.header(HEADER_OFFSET, offset.to_string()).header(HEADER_LENGTH, length.to_string());
        }
        request
    }

    /// Asks the hub one signed question (the state of a blob no one has) to
    /// learn whether it answers, knows this device and agrees on the time.
    pub fn probe(&self) -> Result<Probe, SyncError> {
        let path = format!("/v1/blobs/{}", "0".repeat(64));
        let resp = self.signed(reqwest::Method::HEAD, &path, b"", None).send().map_err(transient)?;
        let hub_time = resp
            .headers()
            .get("date")
            .and_then(|v| v.to_str().ok())
            .and_then(|d| chrono::DateTime::parse_from_rfc2822(d).ok())
            .map(|d| d.timestamp());
        Ok(Probe { status: resp.status().as_u16(), clock_skew: hub_time.map(|t| now() - t) })
    }

    /// What the hub holds of a blob: bytes, and whether it is complete and
    /// checked; `None` when it holds nothing.
    pub fn blob_state(&self, sha256: &str) -> Result<Option<(u64, bool)>, SyncError> {
        let path = format!("/v1/blobs/{sha256}");
        let resp = self.signed(reqwest::Method::HEAD, &path, b"", None).send().map_err(transient)?;
        match resp.status().as_u16() {
            200 => {
                let header =
                    |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
                let offset = header(HEADER_OFFSET).and_then(|v| v.parse().ok()).unwrap_or(0);
                Ok(Some((offset, header(HEADER_COMPLETE).as_deref() == Some("true"))))
            }
            404 => Ok(None),
            _ => Err(classify(resp)),
        }
    }

    /// Uploads a blob, continuing from what the hub already holds. A partial
    /// upload that already holds every byte gets one empty piece, which makes
    /// the hub check and keep it.
    pub fn put_blob(&self, sha256: &str, bytes: &[u8]) -> Result<(), SyncError> {
        let mut offset = match self.blob_state(sha256)? {
            Some((_, true)) => return Ok(()),
            Some((held, false)) => held as usize,
            None => 0,
        };
        if offset > bytes.len() {
            offset = 0;
        }
        let path = format!("/v1/blobs/{sha256}");
        loop {
            let end = (offset + CHUNK).min(bytes.len());
            let piece = &bytes[offset..end];
            let resp = self
                .signed(reqwest::Method::PUT, &path, piece, Some((offset as u64, bytes.len() as u64)))
                .body(piece.to_vec())
                .send()
                .map_err(transient)?;
            if !resp.status().is_success() {
                return Err(classify(resp));
            }
            offset = end;
            if offset >= bytes.len() {
                return Ok(());
            }
        }
    }

    /// The manifest and receipt of the record this device had accepted last,
    /// as the hub keeps them; `None` before the first.
    pub fn last_anchor(&self) -> Result<Option<(Manifest, Receipt)>, SyncError> {
        #[derive(serde::Deserialize)]
        struct Anchor {
            manifest: Manifest,
            receipt: Receipt,
        }
        let resp = self.signed(reqwest::Method::GET, "/v1/anchor", b"", None).send().map_err(transient)?;
        match resp.status().as_u16() {
            200 => {
                let bytes = resp.bytes().map_err(transient)?;
                let a: Anchor = serde_json::from_slice(&bytes)
                    .map_err(|e| SyncError::Transient(format!("anchor: {e}")))?;
                Ok(Some((a.manifest, a.receipt)))
            }
            404 => Ok(None),
            _ => Err(classify(resp)),
        }
    }

    /// Sends the record's manifest; the hub answers with its receipt.
    pub fn put_record(&self, manifest: &Manifest) -> Result<Receipt, SyncError> {
        let path = format!("/v1/records/{}", manifest.record_id);
        self.send_json(reqwest::Method::PUT, &path, manifest, "receipt")
    }

    /// Sends `value` as JSON, signed, and reads the hub's JSON answer
    /// (`what` names it in the error when it cannot be read).
    fn send_json<T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        value: &impl serde::Serialize,
        what: &str,
    ) -> Result<T, SyncError> {
        let body = serde_json::to_vec(value).expect("serialisable");
        let resp = self
            .signed(method, path, &body, None)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .map_err(transient)?;
        if !resp.status().is_success() {
            return Err(classify(resp));
        }
        let bytes = resp.bytes().map_err(transient)?;
        serde_json::from_slice::<T>(&bytes).map_err(|e| SyncError::Transient(format!("{what}: {e}")))
    }

    /// Asks the hub what was already digitised for a person (the hub audits
    /// the question: this device, the clerk, the ID, the purpose).
    pub fn lookup(&self, lookup: &crate::Lookup) -> Result<Vec<crate::ReusableDocument>, SyncError> {
        let answer: crate::LookupAnswer =
            self.send_json(reqwest::Method::POST, "/v1/lookups", lookup, "lookup")?;
        Ok(answer.documents)
    }
}
