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
    ErrorBody, HEADER_COMPLETE, HEADER_DEVICE, HEADER_LENGTH, HEADER_OFFSET, HEADER_SIGNATURE, HEADER_TIME,
    MAX_CLOCK_SKEW, Manifest, Receipt, SigningKey, hex, request_message, verify,
};
pub mod meta;
pub mod s3;

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
    async fn keep(&self, hash: &str, partial: &Path, bytes: Vec<u8>) -> anyhow::Result<()> {
        anyhow::ensure!(valid_hash(hash), "not a blob name: {hash:?}");
        match self {
            BlobStore::Folder(dir) => {
                hoso_store::durable::rename(partial, &dir.join(hash))?;
            }
            BlobStore::S3(s3) => {
                s3.put(&format!("blobs/{hash}"), bytes).await?;
                std::fs::remove_file(partial)?;
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

/// The hub's state: database, folders, signing key.
#[derive(Debug)]
pub struct Hub {
    meta: Box<dyn Meta>,
    dir: PathBuf,
    blobs: BlobStore,
    key: SigningKey,
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
    pub fn open_postgres(dir: &Path, url: &str) -> anyhow::Result<Hub> {
        std::fs::create_dir_all(dir)?;
        Hub::with_meta(dir, Box::new(PgMeta::connect(url)?))
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
        Ok(Hub { meta, dir: dir.to_owned(), blobs: BlobStore::Folder(dir.join("blobs")), key })
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

    /// Registers a workstation's public key (IT does this once per counter).
    pub fn enrol(&self, device: &str, public_key: &str, note: &str) -> anyhow::Result<()> {
        anyhow::ensure!(
            hoso_sync::unhex(public_key).is_some_and(|k| k.len() == 32),
            "not an Ed25519 public key"
        );
        self.meta.enrol(device, public_key, note, &now())
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

/// Checks the device signature; returns the device id, or the answer to give.
#[allow(clippy::result_large_err)]
fn authenticate(
    hub: &Hub,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<String, Response> {
    let unauthorised = |m: &str| error(StatusCode::UNAUTHORIZED, "unauthorised", m);
    let device = header(headers, HEADER_DEVICE).ok_or_else(|| unauthorised("no device"))?;
    let time: i64 =
        header(headers, HEADER_TIME).and_then(|t| t.parse().ok()).ok_or_else(|| unauthorised("no time"))?;
    let signature = header(headers, HEADER_SIGNATURE).ok_or_else(|| unauthorised("no signature"))?;
    if (chrono::Utc::now().timestamp() - time).abs() > MAX_CLOCK_SKEW {
        return Err(unauthorised("clock skew: check the workstation's clock"));
    }
    let key = hub
        .meta
        .device_key(device)
        .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, "db", e.to_string()))?;
    let key = key.ok_or_else(|| {
        error(StatusCode::FORBIDDEN, "not_enrolled", format!("device {device} is not enrolled"))
    })?;
    if !verify(&key, &request_message(method.as_str(), uri.path(), time, body), signature) {
        return Err(unauthorised("bad signature"));
    }
    Ok(device.to_owned())
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
        let body = axum::body::to_bytes(body, 64 << 20)
            .await
            .map_err(|e| error(StatusCode::PAYLOAD_TOO_LARGE, "body", e.to_string()))?;
        let device = authenticate(hub, &parts.method, &parts.uri, &parts.headers, &body)?;
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
    if let Err(r) = authenticate(&hub, &method, &uri, &headers, b"") {
        return r;
    }
    if !valid_hash(&hash) {
        return bad_hash();
    }
    if let Some(size) = complete_size(&hub, &hash) {
        return (StatusCode::OK, [(HEADER_OFFSET, size.to_string()), (HEADER_COMPLETE, "true".into())])
            .into_response();
    }
    // A partial file may hold every byte (the hub stopped before keeping it):
    // the client finishes it with an empty piece.
    match std::fs::metadata(hub.dir.join("partial").join(&hash)) {
        Ok(m) => (StatusCode::OK, [(HEADER_OFFSET, m.len().to_string()), (HEADER_COMPLETE, "false".into())])
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn blob_put(State(hub): State<Arc<Hub>>, UrlPath(hash): UrlPath<String>, signed: Signed) -> Response {
    let Signed { device, headers, body } = signed;
    if !valid_hash(&hash) {
        return bad_hash();
    }
    if complete_size(&hub, &hash).is_some() {
        return StatusCode::OK.into_response();
    }
    let (Some(offset), Some(length)) = (
        header(&headers, HEADER_OFFSET).and_then(|v| v.parse::<u64>().ok()),
        header(&headers, HEADER_LENGTH).and_then(|v| v.parse::<u64>().ok()),
    ) else {
        return error(StatusCode::BAD_REQUEST, "headers", "Upload-Offset and Upload-Length are required");
    };
    let partial = hub.dir.join("partial").join(&hash);
    let held = std::fs::metadata(&partial).map_or(0, |m| m.len());
    if offset != held {
        return error(StatusCode::PRECONDITION_FAILED, "offset", format!("the hub holds {held} bytes"));
    }
    let written = (|| -> std::io::Result<u64> {
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&partial)?;
        f.write_all(&body)?;
        f.sync_all()?;
        Ok(held + body.len() as u64)
    })();
    let total = match written {
        Ok(t) => t,
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, "io", e.to_string()),
    };
    if total < length {
        return StatusCode::ACCEPTED.into_response();
    }
    let bytes = match std::fs::read(&partial) {
        Ok(b) => b,
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, "io", e.to_string()),
    };
    if total != length || hex(ring::digest::digest(&ring::digest::SHA256, &bytes).as_ref()) != hash {
        let _ = std::fs::remove_file(&partial);
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash_mismatch",
            "the bytes do not hash to the blob's name",
        );
    }
    if let Err(e) = hub.blobs.keep(&hash, &partial, bytes).await {
        // The partial file stays: the next attempt finishes it.
        return error(StatusCode::SERVICE_UNAVAILABLE, "store", format!("blob store: {e:#}"));
    }
    match hub.meta.add_blob(&hash, total as i64, &device, &now()) {
        Ok(_) => StatusCode::CREATED.into_response(),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, "db", e.to_string()),
    }
}

async fn record_put(State(hub): State<Arc<Hub>>, UrlPath(id): UrlPath<String>, signed: Signed) -> Response {
    let Signed { device, body, .. } = signed;
    if !valid_record_id(&id) {
        return error(StatusCode::BAD_REQUEST, "bad_id", "record ids are UUIDs in lowercase");
    }
    let manifest: Manifest = match serde_json::from_slice(&body) {
        Ok(m) => m,
        Err(e) => return error(StatusCode::BAD_REQUEST, "manifest", e.to_string()),
    };
    if let Some(f) = manifest.files.iter().find(|f| !valid_hash(&f.sha256)) {
        return error(StatusCode::BAD_REQUEST, "manifest", format!("{:?} is not a blob name", f.sha256));
    }
    if manifest.record_id != id {
        return error(StatusCode::BAD_REQUEST, "manifest", "record_id differs from the URL");
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
        if complete_size(&hub, &f.sha256) != Some(f.size as i64) {
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
    match hub.meta.accept(&id, &digest, &String::from_utf8_lossy(&body), &receipt_json, &device, &accepted_at)
    {
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

/// The HTTP routes.
pub fn router(hub: Arc<Hub>) -> Router {
    Router::new()
        .route("/v1/blobs/{hash}", head(blob_head).put(blob_put))
        .route("/v1/records/{id}", put(record_put))
        .layer(axum::extract::DefaultBodyLimit::max(64 << 20))
        .with_state(hub)
}
