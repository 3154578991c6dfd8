//! The hub facing a network: a request is judged by its headers before a
//! byte of its body is read (an unknown device, a forged signature, a body
//! declared too large are answered at once, while the body never came); caps
//! on pieces, blobs and manifests (413); a body that is not the one signed;
//! a request that stalls is ended (408); partial uploads nobody came back for
//! are swept. Spoken to over a raw socket where the test must control what is
//! sent and when.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hoso_sync::SigningKey;

struct Hub {
    _dir: tempfile::TempDir,
    hub: Arc<hoso_hub::Hub>,
    addr: String,
    key: SigningKey,
}

fn hub(limits: hoso_hub::Limits) -> Hub {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = hoso_hub::Hub::open(dir.path()).unwrap();
    hub.set_limits(limits);
    let hub = Arc::new(hub);
    let url = hoso_hub::spawn_local(hoso_hub::router(Arc::clone(&hub))).unwrap();
    let key = SigningKey::from_pkcs8(&SigningKey::generate()).unwrap();
    hub.enrol("d1", &key.public_hex(), "").unwrap();
    Hub { _dir: dir, hub, addr: url.trim_start_matches("http://").to_owned(), key }
}

/// A PUT's head, signed by `device` with `key` for host `addr` over a body of
/// SHA-256 `declared` and the upload headers `upload`, announcing `content_length`.
fn head(
    addr: &str,
    key: &SigningKey,
    device: &str,
    path: &str,
    declared: &str,
    content_length: u64,
    upload: Option<(u64, u64)>,
) -> String {
    let mut head = format!("PUT {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-length: {content_length}\r\n");
    for (name, value) in common::auth_headers(key, device, "PUT", addr, path, declared, upload) {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("connection: close\r\n\r\n");
    head
}

/// Sends `head`, then `body` (maybe less than it announces), and reads the
/// answer within `within`: its status, its text and how long it took.
fn send_raw(addr: &str, head: &str, body: &[u8], within: Duration) -> (u16, String, Duration) {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(within)).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text, started.elapsed())
}

#[allow(clippy::too_many_arguments)]
fn put_raw(
    addr: &str,
    key: &SigningKey,
    device: &str,
    path: &str,
    declared: &str,
    content_length: u64,
    upload: Option<(u64, u64)>,
    body: &[u8],
    within: Duration,
) -> (u16, String, Duration) {
    send_raw(addr, &head(addr, key, device, path, declared, content_length, upload), body, within)
}

const HASH: &str = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";

#[test]
fn a_request_is_judged_by_its_headers_before_its_body_is_read() {
    let h = hub(hoso_hub::Limits::default());
    let path = format!("/v1/blobs/{HASH}");
    let upload = Some((0, 100_000_000));
    let declared = hoso_sync::body_sha256(b"never sent");
    let wait = Duration::from_secs(10);

    // 100 MB announced, not one byte sent: each answer comes while the body never does.
    let stranger = SigningKey::from_pkcs8(&SigningKey::generate()).unwrap();
    let (status, text, took) =
        put_raw(&h.addr, &stranger, "stranger", &path, &declared, 100_000_000, upload, b"", wait);
    assert_eq!(status, 403, "{text}");
    assert!(took < Duration::from_secs(5), "answered before the body: {took:?}");
    let (status, text, _) =
        put_raw(&h.addr, &stranger, "d1", &path, &declared, 100_000_000, upload, b"", wait);
    assert_eq!(status, 401, "a signature by another key: {text}");
    let (status, text, _) = put_raw(&h.addr, &h.key, "d1", &path, &declared, 100_000_000, upload, b"", wait);
    assert_eq!(status, 413, "a piece over the cap: {text}");
    assert!(text.contains("too_large") && text.contains("an upload piece"), "{text}");
    // A manifest announced over its cap (4 MiB), likewise.
    let record = format!("/v1/records/{}", hoso_model::RecordId::new_random());
    let (status, text, took) = put_raw(&h.addr, &h.key, "d1", &record, &declared, 5 << 20, None, b"", wait);
    assert_eq!(status, 413, "a manifest over the cap: {text}");
    assert!(text.contains("too_large"), "{text}");
    assert!(took < Duration::from_secs(5), "answered before the body: {took:?}");

    // A blob over the cap, and a body that is not the one signed.
    let piece = b"twelve bytes";
    let over = Some((0, 2u64 << 30));
    let signed = hoso_sync::body_sha256(piece);
    let (status, text, _) = put_raw(&h.addr, &h.key, "d1", &path, &signed, 12, over, piece, wait);
    assert_eq!(status, 413, "{text}");
    assert!(text.contains("a blob is larger"), "{text}");
    let twelve = Some((0, 12));
    let (status, text, _) = put_raw(&h.addr, &h.key, "d1", &path, &declared, 12, twelve, piece, wait);
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("not the one signed"), "{text}");
    // The signature covers the upload headers: one changed after signing is refused.
    let signed_head = head(&h.addr, &h.key, "d1", &path, &signed, 12, twelve);
    let bent = signed_head.replace("upload-length: 12", "upload-length: 13");
    let (status, text, _) = send_raw(&h.addr, &bent, piece, wait);
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("bad signature"), "{text}");
    // The honest request goes through (and is refused only for its hash); the
    // very same request again is a replay.
    let (status, text, _) = send_raw(&h.addr, &signed_head, piece, wait);
    assert_eq!(status, 422, "bytes that do not hash to the name: {text}");
    let (status, text, _) = send_raw(&h.addr, &signed_head, piece, wait);
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("a replay"), "{text}");
    let refusals: Vec<String> = h.hub.events().unwrap().into_iter().map(|e| e.detail).collect();
    assert!(refusals.iter().any(|d| d.contains("replayed")), "{refusals:?}");
    let (status, text, _) = put_raw(&h.addr, &h.key, "d1", &path, &signed, 12, twelve, piece, wait);
    assert_eq!(status, 422, "bytes that do not hash to the name: {text}");
    assert_eq!(h.hub.record_count().unwrap(), 0);
}

#[test]
fn a_request_that_stalls_is_ended_and_partials_nobody_finished_expire() {
    let h = hub(hoso_hub::Limits { request_timeout: Duration::from_secs(1), ..Default::default() });
    let path = format!("/v1/blobs/{HASH}");
    let upload = Some((0, 1000));
    // Half the body, then nothing: the hub ends the request.
    let body = vec![7u8; 500];
    let declared = hoso_sync::body_sha256(&[7u8; 1000]);
    let (status, text, took) =
        put_raw(&h.addr, &h.key, "d1", &path, &declared, 1000, upload, &body, Duration::from_secs(10));
    assert_eq!(status, 408, "{text}");
    assert!(took < Duration::from_secs(5), "{took:?}");

    // A partial upload: kept while fresh, swept once idle past its time.
    let partial = h.hub.partial_file("d1", HASH);
    std::fs::create_dir_all(partial.parent().unwrap()).unwrap();
    std::fs::write(&partial, b"half").unwrap();
    assert_eq!(h.hub.sweep_partials(Duration::from_secs(3600)).unwrap(), 0);
    let old = std::time::SystemTime::now() - Duration::from_secs(2 * 3600);
    std::fs::File::options().write(true).open(&partial).unwrap().set_modified(old).unwrap();
    assert_eq!(h.hub.sweep_partials(Duration::from_secs(3600)).unwrap(), 1);
    assert!(!partial.exists());
}

/// A hub that knows its own name refuses a request signed for another host
/// (a request to one hub cannot be replayed at another).
#[test]
fn a_request_signed_for_another_hub_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = hoso_hub::Hub::open(dir.path()).unwrap();
    hub.set_name(Some("hub.tphcm.gov.vn".into()));
    let hub = Arc::new(hub);
    let url = hoso_hub::spawn_local(hoso_hub::router(Arc::clone(&hub))).unwrap();
    let key = SigningKey::from_pkcs8(&SigningKey::generate()).unwrap();
    hub.enrol("d1", &key.public_hex(), "").unwrap();
    let addr = url.trim_start_matches("http://");
    let path = format!("/v1/blobs/{HASH}");
    let piece = b"twelve bytes";
    let signed = hoso_sync::body_sha256(piece);
    let wait = Duration::from_secs(10);
    let (status, text, _) = put_raw(addr, &key, "d1", &path, &signed, 12, Some((0, 12)), piece, wait);
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("signed for another hub"), "{text}");
    // Addressed by its name (as behind the city's load balancer), it is taken.
    let head = head("hub.tphcm.gov.vn", &key, "d1", &path, &signed, 12, Some((0, 12)));
    let (status, text, _) = send_raw(addr, &head, piece, wait);
    assert_eq!(status, 422, "refused only for its bytes: {text}");
}

/// Partial uploads belong to the device that started them: another device
/// sees none of it and uploads the same blob beside it (it cannot append to,
/// or spoil, the first one's bytes); and a device may hold only so many
/// unfinished uploads at once (429).
#[test]
fn partials_are_each_devices_own_and_counted() {
    let h = hub(hoso_hub::Limits { partials_per_device: 2, ..Default::default() });
    let other = SigningKey::from_pkcs8(&SigningKey::generate()).unwrap();
    h.hub.enrol("d2", &other.public_hex(), "").unwrap();
    let wait = Duration::from_secs(10);
    let blob = |n: u8| {
        let bytes = vec![n; 20];
        (hoso_sync::body_sha256(&bytes), bytes)
    };
    // d1 sends the first half of blob 1.
    let (hash, bytes) = blob(1);
    let path = format!("/v1/blobs/{hash}");
    let half = &bytes[..10];
    let (status, text, _) =
        put_raw(&h.addr, &h.key, "d1", &path, &hoso_sync::body_sha256(half), 10, Some((0, 20)), half, wait);
    assert_eq!(status, 202, "{text}");
    assert_eq!(std::fs::metadata(h.hub.partial_file("d1", &hash)).unwrap().len(), 10);
    // d2 sends the whole of the same blob, from the start, beside it.
    let (status, text, _) = put_raw(
        &h.addr,
        &other,
        "d2",
        &path,
        &hoso_sync::body_sha256(&bytes),
        20,
        Some((0, 20)),
        &bytes,
        wait,
    );
    assert_eq!(status, 201, "{text}");
    assert_eq!(std::fs::metadata(h.hub.partial_file("d1", &hash)).unwrap().len(), 10, "d1's bytes untouched");

    // d1 opens a second upload, then a third is one too many.
    for (n, expected) in [(2u8, 202u16), (3, 429)] {
        let (hash, bytes) = blob(n);
        let path = format!("/v1/blobs/{hash}");
        let half = &bytes[..10];
        let (status, text, _) = put_raw(
            &h.addr,
            &h.key,
            "d1",
            &path,
            &hoso_sync::body_sha256(half),
            10,
            Some((0, 20)),
            half,
            wait,
        );
        assert_eq!(status, expected, "blob {n}: {text}");
        if expected == 429 {
            assert!(text.contains("too_many_uploads"), "{text}");
        }
    }
}
