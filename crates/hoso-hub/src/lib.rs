//! The reference hub: receives blobs and sealed records from enrolled
//! workstations, exactly once, and answers with signed receipts.
//!
//! Embedded mode: one SQLite file (`hub.db`: devices, blobs, records) and a
//! folder of blobs named by SHA-256 (`blobs/`, partial uploads in `partial/`).
//! Scale-out mode: the metadata in PostgreSQL ([`meta::PgMeta`]), shared by
//! any number of hub replicas; the blobs in an S3-compatible bucket
//! ([`s3::S3`]) or a folder on a shared volume. Partial uploads stay on the
//! replica that received them until complete and checked.
//! Every request is authenticated by the device's Ed25519 signature
//! ([`hoso_sync::request_message`]); a blob is kept only when its bytes hash to
//! its name; a record id accepted once keeps its first manifest (replays get
//! the first receipt, a different manifest gets 409).
//!
//! Facing a network ([`Limits`]): a request is judged from its headers first —
//! device enrolled, time in the window, and the signature over the body's
//! declared SHA-256 ([`hoso_sync::HEADER_BODY_SHA256`]) — before a byte of its
//! body is read; bodies, blobs and manifests have caps (413 with a readable
//! error); a request has a time limit (408) and the hub a limit of requests
//! at once (tower's and tower-http's layers); partial uploads no one finished
//! expire ([`Hub::sweep_partials`]); file IO, database calls and hashing run
//! on blocking threads, and a finished upload is hashed as it is read, never
//! held whole in memory (except to hand it to S3).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{head, put};
use axum::{Json, Router};
use hoso_sync::{
    ErrorBody, HEADER_BODY_SHA256, HEADER_COMPLETE, HEADER_DEVICE, HEADER_LENGTH, HEADER_NONCE,
    HEADER_OFFSET, HEADER_SIGNATURE, HEADER_TIME, MAX_CLOCK_SKEW, Manifest, Receipt, SigningKey, body_sha256,
    hex, verify,
};
pub mod meta;
pub mod s3;

pub use meta::PgConfig;
use meta::{Meta, PgMeta, SqliteMeta};

/// Where complete, checked blobs are kept.
#[derive(Debug)]
pub enum BlobStore {
    /// `blobs/<sha256>` in the hub's folder.
    Folder(PathBuf),
    /// Objects `blobs/<sha256>` in an S3-compatible bucket.
    S3(s3::S3),
}

impl BlobStore {
    /// Keeps a checked blob whose bytes are in `partial`, then drops `partial`.
    async fn keep(&self, hash: &str, partial: &Path) -> anyhow::Result<()> {
        anyhow::ensure!(valid_hash(hash), "not a blob name: {hash:?}");
        let partial = partial.to_owned();
        match self {
            BlobStore::Folder(dir) => {
                let target = dir.join(hash);
                tokio::task::spawn_blocking(move || hoso_store::durable::rename(&partial, &target)).await??;
            }
            BlobStore::S3(s3) => {
                // Streamed from the file: its hash, checked, is the payload's.
                s3.put_file(&format!("blobs/{hash}"), &partial, hash).await?;
                tokio::fs::remove_file(partial).await?;
            }
        }
        Ok(())
    }

    /// A kept blob's bytes, `None` when absent.
    pub async fn read(&self, hash: &str) -> anyhow::Result<Option<Vec<u8>>> {
        anyhow::ensure!(valid_hash(hash), "not a blob name: {hash:?}");
        match self {
            BlobStore::Folder(dir) => match std::fs::read(dir.join(hash)) {
                Ok(b) => Ok(Some(b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e.into()),
            },
            BlobStore::S3(s3) => s3.get(&format!("blobs/{hash}")).await,
        }
    }
}

/// What the hub accepts from a request, and for how long.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Bytes of one upload piece (the counters send 4 MiB).
    pub piece: usize,
    /// Bytes of a record's manifest.
    pub manifest: usize,
    /// Bytes of one blob (`Upload-Length`).
    pub blob: u64,
    /// Time for one request, its body included (408 after it).
    pub request_timeout: std::time::Duration,
    /// Requests served at once; more wait their turn.
    pub concurrent_requests: usize,
    /// A partial upload untouched this long is dropped ([`Hub::sweep_partials`]).
    pub partial_ttl: std::time::Duration,
    /// Uploads one device may hold open at once (429 beyond).
    pub partials_per_device: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            piece: 8 << 20,
            manifest: 4 << 20,
            blob: 1 << 30,
            request_timeout: std::time::Duration::from_secs(120),
            concurrent_requests: 512,
            partial_ttl: std::time::Duration::from_secs(48 * 3600),
            partials_per_device: 64,
        }
    }
}

/// The hub's state: database, folders, signing key, limits.
#[derive(Debug)]
pub struct Hub {
    meta: Box<dyn Meta>,
    dir: PathBuf,
    blobs: BlobStore,
    key: SigningKey,
    limits: Limits,
    /// The name clients reach this hub by (`Host`); when set, a request
    /// signed for another hub is refused.
    name: Option<String>,
}

impl Hub {
    /// Opens (creating) the hub's folder in embedded mode (SQLite `hub.db`);
    /// the receipt key is made on first start.
    pub fn open(dir: &Path) -> anyhow::Result<Hub> {
        std::fs::create_dir_all(dir)?;
        let meta = SqliteMeta::open(&dir.join("hub.db"))?;
        Hub::with_meta(dir, Box::new(meta))
    }

    /// Scale-out mode: metadata in PostgreSQL at `url`, shared by replicas;
    /// blobs and the receipt key in `dir` (a shared volume).
    pub fn open_postgres(dir: &Path, pg: &PgConfig) -> anyhow::Result<Hub> {
        std::fs::create_dir_all(dir)?;
        Hub::with_meta(dir, Box::new(PgMeta::connect(pg)?))
    }

    fn with_meta(dir: &Path, meta: Box<dyn Meta>) -> anyhow::Result<Hub> {
        for sub in ["blobs", "partial"] {
            std::fs::create_dir_all(dir.join(sub))?;
        }
        let key_path = dir.join("hub.key");
        if !key_path.exists() {
            std::fs::write(&key_path, SigningKey::generate())?;
        }
        let key = SigningKey::from_pkcs8(&std::fs::read(&key_path)?)
            .ok_or_else(|| anyhow::anyhow!("bad hub.key"))?;
        Ok(Hub {
            meta,
            dir: dir.to_owned(),
            blobs: BlobStore::Folder(dir.join("blobs")),
            key,
            limits: Limits::default(),
            name: None,
        })
    }

    /// The name clients reach this hub by, e.g. `hub.tphcm.gov.vn`: requests
    /// signed for any other host are refused (a request to one hub cannot be
    /// replayed at another).
    pub fn set_name(&mut self, name: Option<String>) {
        self.name = name;
    }

    /// Sets what requests may carry and for how long.
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// What requests may carry and for how long.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Where `device`'s partial upload of blob `hash` is kept on this
    /// replica: every device has a folder of its own (named by the SHA-256 of
    /// its id), so no device can append to, spoil or even see another's upload,
    /// and its open uploads are counted against its quota.
    pub fn partial_file(&self, device: &str, hash: &str) -> PathBuf {
        self.partial_dir(device).join(hash)
    }

    fn partial_dir(&self, device: &str) -> PathBuf {
        self.dir.join("partial").join(&body_sha256(device.as_bytes())[..32])
    }

    /// Drops partial uploads untouched for `older_than` (a counter that
    /// never came back); the counter that does come back starts the blob
    /// again. Returns how many were dropped.
    pub fn sweep_partials(&self, older_than: std::time::Duration) -> std::io::Result<usize> {
        let mut dropped = 0;
        for folder in std::fs::read_dir(self.dir.join("partial"))? {
            let folder = folder?;
            if !folder.file_type()?.is_dir() {
                continue;
            }
            for entry in std::fs::read_dir(folder.path())? {
                let entry = entry?;
                let idle = entry.metadata()?.modified()?.elapsed().unwrap_or_default();
                if idle >= older_than {
                    std::fs::remove_file(entry.path())?;
                    dropped += 1;
                }
            }
        }
        Ok(dropped)
    }

    /// Keeps blobs in an S3-compatible bucket instead of the folder (the
    /// bucket is made when missing).
    pub async fn use_s3(&mut self, s3: s3::S3) -> anyhow::Result<()> {
        s3.ensure_bucket().await?;
        self.blobs = BlobStore::S3(s3);
        Ok(())
    }

    /// Where blobs are kept.
    pub fn blobs(&self) -> &BlobStore {
        &self.blobs
    }

    /// The hex public key receipts are signed with.
    pub fn public_key(&self) -> String {
        self.key.public_hex()
    }

    /// Registers a workstation's public key (IT does this once per counter),
    /// with the receiving unit it sends for when IT names one (else its first
    /// record's). An enrolled device keeps its key: the same key again changes
    /// nothing, another is refused (that is [`Hub::rotate`]).
    pub fn enrol(&self, device: &str, public_key: &str, note: &str) -> anyhow::Result<()> {
        self.enrol_for(device, public_key, None, note)
    }

    /// [`Hub::enrol`] for a unit.
    pub fn enrol_for(
        &self,
        device: &str,
        public_key: &str,
        unit: Option<&str>,
        note: &str,
    ) -> anyhow::Result<()> {
        ed25519_key(public_key)?;
        anyhow::ensure!(!device.is_empty() && device.len() <= 128, "a device id is 1 to 128 characters");
        if !self.meta.enrol(device, public_key, note, &now())? {
            let keys = self.meta.device_keys(device)?;
            anyhow::ensure!(
                keys.is_some_and(|k| k.current == public_key),
                "device {device} is enrolled with another key: `hoso-hub rotate` gives it a new one, \
                 `hoso-hub revoke` ends it"
            );
        } else {
            self.meta.log(&now(), "enrol", device, note)?;
        }
        if let Some(unit) = unit {
            let bound = self.meta.bind_unit(device, unit)?;
            anyhow::ensure!(
                bound.as_deref() == Some(unit),
                "device {device} sends for unit {bound:?} already"
            );
        }
        Ok(())
    }

    /// Gives an enrolled device a new key; the old one still counts for
    /// `overlap` (the counter changes over meanwhile), then not.
    pub fn rotate(&self, device: &str, public_key: &str, overlap: std::time::Duration) -> anyhow::Result<()> {
        ed25519_key(public_key)?;
        let until = (chrono::Utc::now() + chrono::Duration::from_std(overlap)?)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        anyhow::ensure!(
            self.meta.rotate(device, public_key, &until)?,
            "device {device} is not enrolled, or revoked"
        );
        self.meta.log(&now(), "rotate", device, &format!("the previous key counts until {until}"))
    }

    /// Revokes a device: none of its requests is taken from now on.
    pub fn revoke(&self, device: &str, why: &str) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.meta.revoke(device, &now())?,
            "device {device} is not enrolled, or revoked already"
        );
        self.meta.log(&now(), "revoke", device, why)
    }

    /// The hub's own audit: every enrolment, rotation, revocation and refusal.
    pub fn events(&self) -> anyhow::Result<Vec<meta::HubEvent>> {
        self.meta.events()
    }

    /// Writes a refusal of an enrolled device's request to the audit (a
    /// refusal of an unknown device goes to the log only: anyone can send
    /// those, and the audit must not grow at their will).
    fn refuse(&self, device: &str, why: &str) {
        if let Err(e) = self.meta.log(&now(), "refuse", device, why) {
            log::warn!("hub audit: {e:#}");
        }
    }

    /// An accepted record in the national portal's DongBoHoSoMC shape.
    pub fn dongbohoso(&self, id: &str) -> anyhow::Result<Option<serde_json::Value>> {
        let manifest = self.meta.manifest(id)?;
        Ok(manifest
            .map(|m| serde_json::from_str::<Manifest>(&m).map(|m| hoso_sync::dongbohoso(&m)))
            .transpose()?)
    }

    /// Number of records accepted.
    pub fn record_count(&self) -> anyhow::Result<i64> {
        self.meta.record_count()
    }
}

fn ed25519_key(public_key: &str) -> anyhow::Result<()> {
    anyhow::ensure!(hoso_sync::unhex(public_key).is_some_and(|k| k.len() == 32), "not an Ed25519 public key");
    Ok(())
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (status, Json(ErrorBody { code: code.into(), message: message.into(), missing: Vec::new() }))
        .into_response()
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

/// A request whose headers checked out: an enrolled device, a time in the
/// window, a signature; and, when the body's hash is declared, the signature
/// over it already verified.
struct Claimed {
    hub: Arc<Hub>,
    device: String,
    /// The keys that count now: the current one, and the previous one during
    /// a rotation's overlap.
    keys: Vec<String>,
    time: i64,
    nonce: String,
    /// The `Host` the request was sent to, as signed.
    host: String,
    upload_offset: Option<u64>,
    upload_length: Option<u64>,
    signature: String,
    /// The body's SHA-256 the signature covers ([`HEADER_BODY_SHA256`]).
    declared: Option<String>,
}

fn unauthorised(message: &str) -> Response {
    error(StatusCode::UNAUTHORIZED, "unauthorised", message)
}

/// Judges a request by its headers alone, before any of its body is read.
async fn check_headers(
    hub: &Arc<Hub>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<Claimed, Response> {
    let device = header(headers, HEADER_DEVICE).ok_or_else(|| unauthorised("no device"))?.to_owned();
    let time: i64 =
        header(headers, HEADER_TIME).and_then(|t| t.parse().ok()).ok_or_else(|| unauthorised("no time"))?;
    let signature = header(headers, HEADER_SIGNATURE).ok_or_else(|| unauthorised("no signature"))?.to_owned();
    let nonce = header(headers, HEADER_NONCE).ok_or_else(|| unauthorised("no nonce"))?.to_owned();
    let host = header(headers, "host").map(str::to_owned).or_else(|| uri.authority().map(|a| a.to_string()));
    let host = host.ok_or_else(|| unauthorised("no host"))?;
    if hub.name.as_ref().is_some_and(|name| !host.eq_ignore_ascii_case(name)) {
        return Err(unauthorised("signed for another hub"));
    }
    let number = |name: &str| header(headers, name).and_then(|v| v.parse::<u64>().ok());
    let (upload_offset, upload_length) = (number(HEADER_OFFSET), number(HEADER_LENGTH));
    if (chrono::Utc::now().timestamp() - time).abs() > MAX_CLOCK_SKEW {
        return Err(unauthorised("clock skew: check the workstation's clock"));
    }
    let keys = {
        let (hub, device) = (Arc::clone(hub), device.clone());
        tokio::task::spawn_blocking(move || hub.meta.device_keys(&device))
            .await
            .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, "db", e.to_string()))?
            .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, "db", e.to_string()))?
    };
    let Some(keys) = keys else {
        log::warn!("refused a request of {device:?}: not enrolled");
        return Err(error(StatusCode::FORBIDDEN, "not_enrolled", format!("device {device} is not enrolled")));
    };
    if let Some(at) = &keys.revoked_at {
        let (hub, refused) = (Arc::clone(hub), device.clone());
        tokio::task::spawn_blocking(move || hub.refuse(&refused, "revoked")).await.ok();
        return Err(error(StatusCode::FORBIDDEN, "revoked", format!("device {device} was revoked at {at}")));
    }
    let now_text = now();
    let mut valid = vec![keys.current];
    if let Some((previous, until)) = keys.previous
        && until > now_text
    {
        valid.push(previous);
    }
    let declared = header(headers, HEADER_BODY_SHA256).map(str::to_owned);
    let claimed = Claimed {
        hub: Arc::clone(hub),
        device,
        keys: valid,
        time,
        nonce,
        host,
        upload_offset,
        upload_length,
        signature,
        declared,
    };
    if let Some(hash) = &claimed.declared {
        claimed.verify(method, uri, hash)?;
    }
    Ok(claimed)
}

#[allow(clippy::result_large_err)] // a Response is the answer the route gives
impl Claimed {
    /// Verifies the signature over a body of SHA-256 `body_hash`.
    fn verify(&self, method: &Method, uri: &Uri, body_hash: &str) -> Result<(), Response> {
        let message = hoso_sync::Signed {
            method: method.as_str(),
            host: &self.host,
            path: uri.path(),
            time: self.time,
            nonce: &self.nonce,
            body_sha256: body_hash,
            upload_offset: self.upload_offset,
            upload_length: self.upload_length,
        }
        .message();
        if self.keys.iter().any(|key| verify(key, &message, &self.signature)) {
            Ok(())
        } else {
            self.hub.refuse(&self.device, &format!("bad signature: {method} {}", uri.path()));
            Err(unauthorised("bad signature"))
        }
    }

    /// Checks the body read against the signature: its declared hash, or
    /// (a client that declares none) the signature over its hash now.
    fn accept_body(self, method: &Method, uri: &Uri, body: &[u8]) -> Result<String, Response> {
        let hash = body_sha256(body);
        match &self.declared {
            Some(declared) if *declared == hash => {}
            Some(_) => {
                self.hub.refuse(&self.device, &format!("the body is not the one signed: {}", uri.path()));
                return Err(unauthorised("the body is not the one signed"));
            }
            None => self.verify(method, uri, &hash)?,
        }
        // A signed request is taken once: the same signature again within the
        // time window is a replay (the nonce makes every honest one new).
        let expires = self.time + MAX_CLOCK_SKEW + 1;
        match self.hub.meta.first_seen(&self.signature, expires, chrono::Utc::now().timestamp()) {
            Ok(true) => {}
            Ok(false) => {
                self.hub.refuse(&self.device, &format!("a replayed request: {method} {}", uri.path()));
                return Err(unauthorised("this request was sent before (a replay)"));
            }
            Err(e) => return Err(error(StatusCode::INTERNAL_SERVER_ERROR, "db", e.to_string())),
        }
        Ok(self.device)
    }
}

/// Checks the device signature of a request without a body (HEAD).
async fn authenticate(
    hub: &Arc<Hub>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<String, Response> {
    check_headers(hub, method, uri, headers).await?.accept_body(method, uri, b"")
}

fn too_large(what: &str, limit: u64) -> Response {
    error(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        format!("{what} is larger than the hub takes ({limit} bytes)"),
    )
}

/// A request whose device signature checked out: the device and the body.
struct Signed {
    device: String,
    headers: HeaderMap,
    body: Bytes,
}

impl axum::extract::FromRequest<Arc<Hub>> for Signed {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, hub: &Arc<Hub>) -> Result<Self, Response> {
        let (parts, body) = req.into_parts();
        // Headers first: an unknown device, a stale or forged signature, or
        // a body declared too large is refused before a byte of it is read.
        let claimed = check_headers(hub, &parts.method, &parts.uri, &parts.headers).await?;
        let (limit, what) = if parts.uri.path().starts_with("/v1/records/") {
            (hub.limits.manifest, "a manifest")
        } else {
            (hub.limits.piece, "an upload piece")
        };
        let declared_length = header(&parts.headers, "content-length").and_then(|v| v.parse::<u64>().ok());
        if declared_length.is_some_and(|n| n > limit as u64) {
            return Err(too_large(what, limit as u64));
        }
        let body = axum::body::to_bytes(body, limit).await.map_err(|_| too_large(what, limit as u64))?;
        let device = claimed.accept_body(&parts.method, &parts.uri, &body)?;
        Ok(Signed { device, headers: parts.headers, body })
    }
}

/// A blob's name: lowercase SHA-256 hex, nothing else. Every route and every
/// file or object path is checked against it before use, so a name can never
/// reach outside `blobs/` or `partial/` (`..%2F..%2Fetc%2Fshadow`).
fn valid_hash(h: &str) -> bool {
    h.len() == 64 && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The answer to a blob name that is none.
fn bad_hash() -> Response {
    error(StatusCode::BAD_REQUEST, "bad_hash", "blob names are lowercase SHA-256 hex")
}

/// A record id as counters send it: a UUID in its canonical lowercase form.
fn valid_record_id(id: &str) -> bool {
    id.parse::<hoso_model::RecordId>().is_ok_and(|r| r.to_string() == id)
}

/// What the protocol says of a manifest beyond its JSON shape: version 1, a
/// known channel and file role, times in RFC 3339, files named by their hash
/// (docs/sync-openapi.yaml). A record is kept as sent, so nothing else may in.
fn well_formed(m: &Manifest) -> Result<(), String> {
    if m.version != 1 {
        return Err(format!("version {} (this hub speaks 1)", m.version));
    }
    if !(1..=3).contains(&m.channel) {
        return Err(format!("channel {} (1 in person, 2 online, 3 post)", m.channel));
    }
    for (field, value) in [("received_at", &m.received_at), ("sealed_at", &m.sealed_at)] {
        if chrono::DateTime::parse_from_rfc3339(value).is_err() {
            return Err(format!("{field} {value:?} is not an RFC 3339 date-time"));
        }
    }
    if let Some(identity) = &m.applicant_identity {
        if !matches!(identity.source.as_str(), "typed" | "qr" | "mrz" | "chip") {
            return Err(format!("identity source {:?} (typed, qr, mrz or chip)", identity.source));
        }
        if let Some(at) = &identity.checked_at
            && chrono::DateTime::parse_from_rfc3339(at).is_err()
        {
            return Err(format!("checked_at {at:?} is not an RFC 3339 date-time"));
        }
    }
    for f in &m.files {
        if !valid_hash(&f.sha256) {
            return Err(format!("{:?} is not a blob name", f.sha256));
        }
        if !matches!(f.role.as_str(), "page" | "pdfa" | "certified" | "reused") {
            return Err(format!("file role {:?} (page, pdfa, certified or reused)", f.role));
        }
    }
    Ok(())
}

fn complete_size(hub: &Hub, hash: &str) -> Option<i64> {
    hub.meta.blob_size(hash).ok().flatten()
}

async fn blob_head(
    State(hub): State<Arc<Hub>>,
    UrlPath(hash): UrlPath<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let device = match authenticate(&hub, &method, &uri, &headers).await {
        Ok(device) => device,
        Err(r) => return r,
    };
    if !valid_hash(&hash) {
        return bad_hash();
    }
    blocking(move || {
        if let Some(size) = complete_size(&hub, &hash) {
            return (StatusCode::OK, [(HEADER_OFFSET, size.to_string()), (HEADER_COMPLETE, "true".into())])
                .into_response();
        }
        // A partial file may hold every byte (the hub stopped before keeping it):
        // the client finishes it with an empty piece.
        match std::fs::metadata(hub.partial_file(&device, &hash)) {
            Ok(m) => {
                (StatusCode::OK, [(HEADER_OFFSET, m.len().to_string()), (HEADER_COMPLETE, "false".into())])
                    .into_response()
            }
            Err(_) => StatusCode::NOT_FOUND.into_response(),
        }
    })
    .await
}

/// The manifest and receipt of the record the asking device had accepted
/// last: the audit head the hub signed for it last, which a counter that lost
/// its receipts too can still check its log against (`hoso audit verify --hub`).
async fn anchor_get(State(hub): State<Arc<Hub>>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let device = match authenticate(&hub, &method, &uri, &headers).await {
        Ok(device) => device,
        Err(r) => return r,
    };
    blocking(move || match hub.meta.last_record(&device) {
        Ok(Some((manifest, receipt))) => {
            let body = format!("{{\"manifest\":{manifest},\"receipt\":{receipt}}}");
            (StatusCode::OK, [("content-type", "application/json")], body).into_response()
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, "db", e.to_string()),
    })
    .await
}

/// The documents already digitised for a person, for an enrolled counter
/// that says who asks and why; every lookup is in the hub's audit (device,
/// clerk, personal ID, purpose, how many were found) before it is answered.
async fn lookup_post(State(hub): State<Arc<Hub>>, signed: Signed) -> Response {
    let Signed { device, body, .. } = signed;
    blocking(move || {
        let lookup: hoso_sync::Lookup = match serde_json::from_slice(&body) {
            Ok(l) => l,
            Err(e) => return error(StatusCode::BAD_REQUEST, "lookup", e.to_string()),
        };
        if lookup.personal_id.len() != 12 || !lookup.personal_id.bytes().all(|b| b.is_ascii_digit()) {
            return error(StatusCode::BAD_REQUEST, "lookup", "a personal ID is 12 digits");
        }
        if let Err(e) = lookup.personal_id.parse::<hoso_model::PersonalId>() {
            return error(StatusCode::UNPROCESSABLE_ENTITY, "bad_personal_id", e.to_string());
        }
        if lookup.clerk.trim().is_empty() || lookup.purpose.trim().is_empty() {
            return error(StatusCode::BAD_REQUEST, "lookup", "a lookup names its clerk and its purpose");
        }
        let manifests = match hub.meta.person_manifests(&lookup.personal_id, LOOKUP_RECORDS) {
            Ok(m) => m,
            Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, "db", e.to_string()),
        };
        let documents: Vec<hoso_sync::ReusableDocument> = manifests
            .iter()
            .filter_map(|m| serde_json::from_str::<Manifest>(m).ok())
            .flat_map(|m| hoso_sync::ReusableDocument::of(&m))
            .collect();
        let detail = serde_json::json!({
            "personal_id": lookup.personal_id,
            "clerk": lookup.clerk,
            "purpose": lookup.purpose,
            "identity_verified": lookup.identity_verified,
            "found": documents.len(),
        });
        if let Err(e) = hub.meta.log(&now(), "lookup", &device, &detail.to_string()) {
            // No answer without its audit entry.
            return error(StatusCode::INTERNAL_SERVER_ERROR, "db", e.to_string());
        }
        Json(hoso_sync::LookupAnswer { documents }).into_response()
    })
    .await
}

/// The records a lookup reads at most (newest first).
const LOOKUP_RECORDS: i64 = 200;

/// Runs blocking work (files, the database, hashing) off the async runtime.
async fn blocking(work: impl FnOnce() -> Response + Send + 'static) -> Response {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))
}

/// The SHA-256 (hex) of a file, read a piece at a time.
fn file_sha256(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    let mut buffer = vec![0; 1 << 20];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            return Ok(hex(context.finish().as_ref()));
        }
        context.update(&buffer[..n]);
    }
}

/// What appending a piece came to.
enum Appended {
    /// Answer this now.
    Answer(Response),
    /// Every byte is in, and they hash to the name: keep the blob.
    Complete(u64),
}

async fn blob_put(State(hub): State<Arc<Hub>>, UrlPath(hash): UrlPath<String>, signed: Signed) -> Response {
    let Signed { device, headers, body } = signed;
    if !valid_hash(&hash) {
        return bad_hash();
    }
    let (Some(offset), Some(length)) = (
        header(&headers, HEADER_OFFSET).and_then(|v| v.parse::<u64>().ok()),
        header(&headers, HEADER_LENGTH).and_then(|v| v.parse::<u64>().ok()),
    ) else {
        return error(StatusCode::BAD_REQUEST, "headers", "Upload-Offset and Upload-Length are required");
    };
    if length > hub.limits.blob {
        return too_large("a blob", hub.limits.blob);
    }
    if offset + body.len() as u64 > length {
        // Well-formed headers that contradict the bytes: unprocessable, as a
        // piece that does not hash to the name is.
        return error(StatusCode::UNPROCESSABLE_ENTITY, "past_length", "the piece goes past Upload-Length");
    }
    let partial = hub.partial_file(&device, &hash);
    let appended = {
        let (hub, hash, partial, device) = (Arc::clone(&hub), hash.clone(), partial.clone(), device.clone());
        tokio::task::spawn_blocking(move || -> Appended {
            if complete_size(&hub, &hash).is_some() {
                return Appended::Answer(StatusCode::OK.into_response());
            }
            let held = std::fs::metadata(&partial).map_or(0, |m| m.len());
            if offset != held {
                let held = format!("the hub holds {held} bytes");
                return Appended::Answer(error(StatusCode::PRECONDITION_FAILED, "offset", held));
            }
            if held == 0 && !partial.exists() {
                // A new upload: within the device's quota of open ones.
                let folder = hub.partial_dir(&device);
                let open = std::fs::read_dir(&folder).map_or(0, |d| d.count());
                if open >= hub.limits.partials_per_device {
                    hub.refuse(&device, &format!("{open} uploads open already"));
                    return Appended::Answer(error(
                        StatusCode::TOO_MANY_REQUESTS,
                        "too_many_uploads",
                        format!("this device has {open} unfinished uploads; finish them first"),
                    ));
                }
                if let Err(e) = std::fs::create_dir_all(&folder) {
                    return Appended::Answer(error(StatusCode::INTERNAL_SERVER_ERROR, "io", e.to_string()));
                }
            }
            let written = (|| -> std::io::Result<u64> {
                let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&partial)?;
                f.write_all(&body)?;
                f.sync_all()?;
                Ok(held + body.len() as u64)
            })();
            let total = match written {
                Ok(t) => t,
                Err(e) => {
                    return Appended::Answer(error(StatusCode::INTERNAL_SERVER_ERROR, "io", e.to_string()));
                }
            };
            if total < length {
                return Appended::Answer(StatusCode::ACCEPTED.into_response());
            }
            match file_sha256(&partial) {
                Ok(h) if total == length && h == hash => Appended::Complete(total),
                Ok(_) => {
                    let _ = std::fs::remove_file(&partial);
                    Appended::Answer(error(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "hash_mismatch",
                        "the bytes do not hash to the blob's name",
                    ))
                }
                Err(e) => Appended::Answer(error(StatusCode::INTERNAL_SERVER_ERROR, "io", e.to_string())),
            }
        })
        .await
    };
    let total = match appended {
        Ok(Appended::Complete(total)) => total,
        Ok(Appended::Answer(answer)) => return answer,
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
    };
    if let Err(e) = hub.blobs.keep(&hash, &partial).await {
        // The partial file stays: the next attempt finishes it.
        return error(StatusCode::SERVICE_UNAVAILABLE, "store", format!("blob store: {e:#}"));
    }
    blocking(move || match hub.meta.add_blob(&hash, total as i64, &device, &now()) {
        Ok(_) => StatusCode::CREATED.into_response(),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, "db", e.to_string()),
    })
    .await
}

async fn record_put(State(hub): State<Arc<Hub>>, UrlPath(id): UrlPath<String>, signed: Signed) -> Response {
    let Signed { device, body, .. } = signed;
    blocking(move || accept_record(&hub, id, &device, &body)).await
}

/// Accepts a record's manifest (on a blocking thread: the database).
fn accept_record(hub: &Hub, id: String, device: &str, body: &[u8]) -> Response {
    if !valid_record_id(&id) {
        return error(StatusCode::BAD_REQUEST, "bad_id", "record ids are UUIDs in lowercase");
    }
    let manifest: Manifest = match serde_json::from_slice(body) {
        Ok(m) => m,
        Err(e) => return error(StatusCode::BAD_REQUEST, "manifest", e.to_string()),
    };
    if let Err(why) = well_formed(&manifest) {
        return error(StatusCode::BAD_REQUEST, "manifest", why);
    }
    if manifest.record_id != id {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "id_mismatch", "record_id differs from the URL");
    }
    // A document reused by reference must be one its original record holds.
    for f in manifest.files.iter().filter(|f| f.role == "reused" || f.original_record.is_some()) {
        let original = match (&f.original_record, f.role.as_str()) {
            (Some(original), "reused") => original.as_str(),
            _ => {
                let why = "a reused file, and only one, names its original record";
                return error(StatusCode::UNPROCESSABLE_ENTITY, "reuse_unknown", why);
            }
        };
        let holds = match hub.meta.manifest(original) {
            Ok(Some(m)) => serde_json::from_str::<Manifest>(&m)
                .is_ok_and(|m| m.files.iter().any(|o| o.sha256 == f.sha256 && o.role != "page")),
            Ok(None) => false,
            Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, "db", e.to_string()),
        };
        if !holds {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "reuse_unknown",
                format!("record {original} holds no document {}", f.sha256),
            );
        }
    }
    if manifest.applicant_identity.as_ref().is_some_and(|i| i.verified && i.source != "chip") {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "identity", "only a chip verifies an identity");
    }
    // A record id belongs to the device that sent it first; a device sends
    // for its one unit.
    match hub.meta.record_device(&id) {
        Ok(Some(owner)) if owner != device => {
            hub.refuse(device, &format!("record {id} was sent by {owner}"));
            return error(
                StatusCode::FORBIDDEN,
                "not_yours",
                format!("record {id} was sent by another device"),
            );
        }
        Ok(_) => {}
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, "db", e.to_string()),
    }
    match hub.meta.bind_unit(device, &manifest.unit) {
        Ok(Some(unit)) if unit == manifest.unit => {}
        Ok(unit) => {
            hub.refuse(
                device,
                &format!("record {id} for unit {} (the device sends for {unit:?})", manifest.unit),
            );
            return error(
                StatusCode::FORBIDDEN,
                "not_your_unit",
                format!("this device sends for unit {}, not {}", unit.unwrap_or_default(), manifest.unit),
            );
        }
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, "db", e.to_string()),
    }
    let digest = manifest.digest();
    let answer = |(first_digest, receipt): (String, String), created: bool| {
        if first_digest == digest {
            let status = if created { StatusCode::CREATED } else { StatusCode::OK };
            (status, [("content-type", "application/json")], receipt).into_response()
        } else {
            error(
                StatusCode::CONFLICT,
                "conflict",
                format!("record {id} was accepted with manifest {first_digest}"),
            )
        }
    };
    match hub.meta.record(&id) {
        Ok(Some(existing)) => return answer(existing, false),
        Ok(None) => {}
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, "db", e.to_string()),
    }
    let mut missing = Vec::new();
    for f in &manifest.files {
        if complete_size(hub, &f.sha256) != Some(f.size as i64) {
            missing.push(f.sha256.clone());
        }
    }
    if !missing.is_empty() {
        let body = ErrorBody {
            code: "missing_blobs".into(),
            message: format!("{} files not received", missing.len()),
            missing,
        };
        return (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
    }
    let accepted_at = now();
    let signature = hub.key.sign_hex(&Receipt::message(&id, &digest, &accepted_at));
    let receipt = Receipt {
        record_id: id.clone(),
        manifest_sha256: digest.clone(),
        accepted_at: accepted_at.clone(),
        hub_key: hub.public_key(),
        signature,
    };
    let receipt_json = serde_json::to_string(&receipt).expect("serialisable");
    // Insert-if-absent: a replica that lost the race answers like a replay.
    match hub.meta.accept(&id, &digest, &String::from_utf8_lossy(body), &receipt_json, device, &accepted_at) {
        Ok(stored) => {
            let created = stored.1 == receipt_json;
            answer(stored, created)
        }
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, "db", e.to_string()),
    }
}

/// Serves `router` over HTTPS (rustls with ring) on `listener`.
pub async fn serve_tls(
    listener: std::net::TcpListener,
    router: Router,
    cert: &Path,
    key: &Path,
) -> anyhow::Result<()> {
    hoso_sync::install_tls_provider();
    let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
        .await
        .map_err(|e| anyhow::anyhow!("TLS certificate {} / key {}: {e}", cert.display(), key.display()))?;
    axum_server::from_tcp_rustls(listener, config)?.serve(router.into_make_service()).await?;
    Ok(())
}

/// Serves `router` on a free loopback port from a background thread with its
/// own runtime; returns the base URL. For tests, benchmarks and demos.
pub fn spawn_local(router: Router) -> std::io::Result<String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}", listener.local_addr()?);
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Runtime::new()?;
    std::thread::spawn(move || {
        runtime.block_on(async move {
            match tokio::net::TcpListener::from_std(listener) {
                Ok(l) => {
                    if let Err(e) = axum::serve(l, router).await {
                        log::error!("hub stopped: {e}");
                    }
                }
                Err(e) => log::error!("hub cannot listen: {e}"),
            }
        })
    });
    Ok(url)
}

/// The HTTP routes, with the hub's limits: a time limit per request (408),
/// and a number of requests served at once (the rest wait their turn).
pub fn router(hub: Arc<Hub>) -> Router {
    let limits = hub.limits.clone();
    Router::new()
        .route("/v1/blobs/{hash}", head(blob_head).put(blob_put))
        .route("/v1/records/{id}", put(record_put))
        .route("/v1/anchor", axum::routing::get(anchor_get))
        .route("/v1/lookups", axum::routing::post(lookup_post))
        .layer(axum::extract::DefaultBodyLimit::max(limits.piece.max(limits.manifest)))
        .with_state(hub)
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(limits.concurrent_requests))
}
