//! Blob uploads against the hub in-process: resumable pieces, the hash check,
//! and the state a hub crash can leave (a partial file holding every byte but
//! never kept), which must be finished, not taken for complete.

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
    std::fs::write(tmp.path().join("partial").join(&hash), &big[..CHUNK]).unwrap();
    assert_eq!(client.blob_state(&hash).unwrap(), Some((CHUNK as u64, false)));
    client.put_blob(&hash, &big).unwrap();
    assert_eq!(client.blob_state(&hash).unwrap(), Some((big.len() as u64, true)));
    assert_eq!(std::fs::read(tmp.path().join("blobs").join(&hash)).unwrap(), big);

    // Every byte in a partial file, never kept (the hub died): finished, not skipped.
    let small = b"every byte arrived, then the hub stopped".to_vec();
    let small_hash = sha(&small);
    std::fs::write(tmp.path().join("partial").join(&small_hash), &small).unwrap();
    assert_eq!(client.blob_state(&small_hash).unwrap(), Some((small.len() as u64, false)));
    client.put_blob(&small_hash, &small).unwrap();
    assert_eq!(client.blob_state(&small_hash).unwrap(), Some((small.len() as u64, true)));

    // Bytes that do not hash to the name are refused and dropped.
    let wrong = sha(b"something else");
    let err = client.put_blob(&wrong, b"not that").unwrap_err();
    assert!(matches!(err, SyncError::Permanent(_)), "{err}");
    assert_eq!(client.blob_state(&wrong).unwrap(), None);
}
