//! Blob uploads against the hub in-process: resumable pieces, the hash check,
//! and the state a hub crash can leave (a partial file holding every byte but
//! never kept), which must be finished, not taken for complete.

mod common;

use std::sync::Arc;
use std::time::Duration;

use hoso_sync::SigningKey;
use hoso_sync::client::{CHUNK, Client, SyncError};

fn sha(bytes: &[u8]) -> String {
    hoso_sync::hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

#[test]
fn resumable_checked_and_finished_after_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let hub = Arc::new(hoso_hub::Hub::open(tmp.path()).unwrap());
    let url = hoso_hub::spawn_local(hoso_hub::router(Arc::clone(&hub))).unwrap();
    let pkcs8 = SigningKey::generate();
    let key = SigningKey::from_pkcs8(&pkcs8).unwrap();
    hub.enrol("d1", &key.public_hex(), "").unwrap();
    let client = Client::new(&url, "d1", key, Duration::from_secs(10), None).unwrap();

    // More than one piece, resumed after the first piece.
    let big: Vec<u8> = (0..CHUNK + 12345).map(|i| (i % 251) as u8).collect();
    let hash = sha(&big);
    let partial = hub.partial_file("d1", &hash);
    std::fs::create_dir_all(partial.parent().unwrap()).unwrap();
    std::fs::write(&partial, &big[..CHUNK]).unwrap();
    assert_eq!(client.blob_state(&hash).unwrap(), Some((CHUNK as u64, false)));
    client.put_blob(&hash, &big).unwrap();
    assert_eq!(client.blob_state(&hash).unwrap(), Some((big.len() as u64, true)));
    assert_eq!(std::fs::read(tmp.path().join("blobs").join(&hash)).unwrap(), big);

    // Every byte in a partial file, never kept (the hub died): finished, not skipped.
    let small = b"every byte arrived, then the hub stopped".to_vec();
    let small_hash = sha(&small);
    std::fs::write(hub.partial_file("d1", &small_hash), &small).unwrap();
    assert_eq!(client.blob_state(&small_hash).unwrap(), Some((small.len() as u64, false)));
    client.put_blob(&small_hash, &small).unwrap();
    assert_eq!(client.blob_state(&small_hash).unwrap(), Some((small.len() as u64, true)));

    // Bytes that do not hash to the name are refused and dropped.
    let wrong = sha(b"something else");
    let err = client.put_blob(&wrong, b"not that").unwrap_err();
    assert!(matches!(err, SyncError::Permanent(_)), "{err}");
    assert_eq!(client.blob_state(&wrong).unwrap(), None);
}

/// Every name a route takes is checked before it is used: a blob name that
/// walks out of the hub's folders (`..%2F`), in HEAD and PUT, is refused with
/// 400 and learns nothing of the file it names (its size stayed secret, it was
/// not written to); a record id that is no UUID, and a manifest naming such a
/// blob, are refused too. Signed by an enrolled device, so only the name is at
/// fault.
#[test]
fn every_route_refuses_a_name_that_walks_out_of_the_hub() {
    use hoso_sync::HEADER_OFFSET;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("hub");
    let hub = Arc::new(hoso_hub::Hub::open(&root).unwrap());
    let url = hoso_hub::spawn_local(hoso_hub::router(Arc::clone(&hub))).unwrap();
    let key = SigningKey::from_pkcs8(&SigningKey::generate()).unwrap();
    hub.enrol("d1", &key.public_hex(), "").unwrap();
    // A file beside the hub's folder, and one inside it, that no name may reach.
    let secret = tmp.path().join("secret");
    std::fs::write(&secret, b"twelve bytes").unwrap();
    std::fs::write(root.join("hub.secret"), b"inside the hub").unwrap();
    hoso_sync::install_tls_provider();
    let http = reqwest::blocking::Client::new();
    let host = url.trim_start_matches("http://").to_owned();
    let send = |method: reqwest::Method, path: &str, body: Vec<u8>, upload: Option<(u64, u64)>| {
        let hash = hoso_sync::body_sha256(&body);
        let headers = common::auth_headers(&key, "d1", method.as_str(), &host, path, &hash, upload);
        let mut request = http.request(method, format!("{url}{path}")).body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let response = request.send().unwrap();
        let status = response.status().as_u16();
        let offset = response.headers().get(HEADER_OFFSET).map(|v| v.to_str().unwrap().to_owned());
        (status, offset, response.text().unwrap_or_default())
    };
    for name in ["..%2F..%2Fsecret", "..%2Fhub.secret", "..%2F..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd"]
    {
        let path = format!("/v1/blobs/{name}");
        let (status, offset, body) = send(reqwest::Method::HEAD, &path, Vec::new(), None);
        assert_eq!((status, offset), (400, None), "HEAD {name}: {body}");
        let (status, _, body) = send(reqwest::Method::PUT, &path, b"appended".to_vec(), Some((0, 8)));
        assert_eq!(status, 400, "PUT {name}: {body}");
        assert!(body.contains("bad_hash"), "PUT {name}: {body}");
    }
    assert_eq!(std::fs::read(&secret).unwrap(), b"twelve bytes", "nothing was appended");
    assert_eq!(std::fs::read(root.join("hub.secret")).unwrap(), b"inside the hub");

    let manifest = |id: &str, file: &str| {
        serde_json::to_vec(&common::one_page_manifest(id, "000.00.01.H29", file, 1)).unwrap()
    };
    for id in ["..%2F..%2Fsecret", "NOT-A-UUID", "0191E8F2-8F7C-7B3A-9C1D-2E3F4A5B6C7D"] {
        let (status, _, body) =
            send(reqwest::Method::PUT, &format!("/v1/records/{id}"), manifest(id, &"a".repeat(64)), None);
        assert_eq!(status, 400, "{id}: {body}");
        assert!(body.contains("bad_id"), "{id}: {body}");
    }
    let id = "0191e8f2-8f7c-7b3a-9c1d-2e3f4a5b6c7d";
    let (status, _, body) =
        send(reqwest::Method::PUT, &format!("/v1/records/{id}"), manifest(id, "../../secret"), None);
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("is not a blob name"), "{body}");
}
