//! Who may send what: an enrolled device keeps its key (enrolment never
//! replaces one silently), a rotation lets the old key count for an overlap,
//! a revoked device is refused; a record id belongs to the device that sent it
//! first, and a device sends for one receiving unit. Every decision is in the
//! hub's own audit. Spoken to with the counters' own client.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::one_page_manifest as manifest;
use hoso_sync::SigningKey;
use hoso_sync::client::{Client, SyncError};

/// A device key as its PKCS#8 bytes (a client is made of them as often as needed).
struct Key(Vec<u8>);

impl Key {
    fn public_hex(&self) -> String {
        SigningKey::from_pkcs8(&self.0).unwrap().public_hex()
    }
}

fn key() -> Key {
    Key(SigningKey::generate())
}

#[test]
fn keys_rotate_and_revoke_and_records_belong_to_their_device() {
    let tmp = tempfile::tempdir().unwrap();
    let hub = Arc::new(hoso_hub::Hub::open(tmp.path()).unwrap());
    let url = hoso_hub::spawn_local(hoso_hub::router(Arc::clone(&hub))).unwrap();
    let client = |device: &str, key: &Key| {
        Client::new(&url, device, SigningKey::from_pkcs8(&key.0).unwrap(), Duration::from_secs(10), None)
            .unwrap()
    };
    let nothing = "0".repeat(64);
    let answers = |c: &Client| c.blob_state(&nothing).is_ok();

    // Enrolment: the same key again is no change; another key is refused.
    let (k1, k2, k3) = (key(), key(), key());
    hub.enrol_for("d1", &k1.public_hex(), Some("000.00.01.H29"), "quầy 1").unwrap();
    hub.enrol_for("d1", &k1.public_hex(), Some("000.00.01.H29"), "quầy 1").unwrap();
    let err = hub.enrol("d1", &k2.public_hex(), "taken over?").unwrap_err().to_string();
    assert!(err.contains("rotate"), "{err}");
    assert!(answers(&client("d1", &k1)) && !answers(&client("d1", &k2)));

    // A rotation: the old key still counts during the overlap; after a
    // rotation without overlap only the newest does.
    hub.rotate("d1", &k2.public_hex(), Duration::from_secs(3600)).unwrap();
    assert!(answers(&client("d1", &k1)) && answers(&client("d1", &k2)));
    hub.rotate("d1", &k3.public_hex(), Duration::ZERO).unwrap();
    assert!(!answers(&client("d1", &k1)) && !answers(&client("d1", &k2)) && answers(&client("d1", &k3)));

    // Records: d1 sends one for its unit; d2 cannot take that id, may send for
    // the same unit (a second counter of the ward) and then for no other.
    let d1 = client("d1", &k3);
    let page = b"one scanned page".to_vec();
    let hash = hoso_sync::body_sha256(&page);
    d1.put_blob(&hash, &page).unwrap();
    let first = "0191e8f2-8f7c-7b3a-9c1d-2e3f4a5b6c7d";
    d1.put_record(&manifest(first, "000.00.01.H29", &hash, page.len() as u64)).unwrap();
    let elsewhere = "0191e8f2-8f7c-7b3a-9c1d-000000000001";
    let err = d1.put_record(&manifest(elsewhere, "000.00.02.H29", &hash, page.len() as u64)).unwrap_err();
    assert!(err.to_string().contains("not_your_unit"), "{err}");

    let k4 = key();
    hub.enrol("d2", &k4.public_hex(), "quầy 2").unwrap();
    let d2 = client("d2", &k4);
    let err = d2.put_record(&manifest(first, "000.00.01.H29", &hash, page.len() as u64)).unwrap_err();
    assert!(matches!(err, SyncError::Permanent(_)) && err.to_string().contains("not_yours"), "{err}");
    let second = "0191e8f2-8f7c-7b3a-9c1d-000000000002";
    d2.put_record(&manifest(second, "000.00.01.H29", &hash, page.len() as u64)).unwrap();
    let third = "0191e8f2-8f7c-7b3a-9c1d-000000000003";
    let err = d2.put_record(&manifest(third, "000.00.03.H29", &hash, page.len() as u64)).unwrap_err();
    assert!(err.to_string().contains("not_your_unit"), "{err}");
    assert_eq!(hub.record_count().unwrap(), 2);

    // Revoked: refused, whatever it signs.
    hub.revoke("d1", "the PC was stolen").unwrap();
    assert!(!answers(&client("d1", &k3)));
    assert!(hub.revoke("d1", "again").is_err());

    let events = hub.events().unwrap();
    let actions: Vec<(&str, &str)> = events.iter().map(|e| (e.action.as_str(), e.device.as_str())).collect();
    for expected in [("enrol", "d1"), ("rotate", "d1"), ("enrol", "d2"), ("revoke", "d1")] {
        assert!(actions.contains(&expected), "{expected:?} in {actions:?}");
    }
    let refusals = |device: &str, what: &str| {
        events.iter().any(|e| e.action == "refuse" && e.device == device && e.detail.contains(what))
    };
    assert!(refusals("d1", "bad signature"), "{events:#?}");
    assert!(refusals("d2", "was sent by d1"), "{events:#?}");
    assert!(refusals("d2", "for unit 000.00.03.H29"), "{events:#?}");
    assert!(refusals("d1", "revoked"), "{events:#?}");
    assert_eq!(
        actions.iter().filter(|(a, _)| *a == "enrol").count(),
        2,
        "the same key again is no new enrolment"
    );
}
