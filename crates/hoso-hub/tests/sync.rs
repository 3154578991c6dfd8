//! A workstation (hoso-core's `App`, the code behind `hoso seal` / `hoso sync`)
//! against the real hub binary on a random loopback port: records end at the
//! hub exactly once with matching hashes, even when the hub is killed in the
//! middle of a sync and comes back on another port; replays get the first
//! receipt; a different manifest for an accepted id is refused (409).

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{hub_cli, replay_and_conflict, sealed_records, sha256_hex, start_hub, workstation};
use hoso_model::RecordState;

const RECORDS: usize = 24;

fn hub_records(dir: &Path) -> Vec<(String, String)> {
    let db = rusqlite::Connection::open(dir.join("hub.db")).unwrap();
    let mut stmt = db.prepare("SELECT id, manifest_sha256 FROM records ORDER BY id").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(|r| r.unwrap()).collect()
}

#[test]
fn records_reach_the_hub_exactly_once_through_a_hub_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let hub_dir = tmp.path().join("hub");
    let mut hub = start_hub(&hub_dir, &[], &[], &[]);
    let hub_key = hub_cli(&hub_dir, &["key"]);
    let mut app = workstation(tmp.path(), &hub_dir, &format!("hub_key = \"{hub_key}\""));
    let codes = sealed_records(&mut app, tmp.path(), RECORDS);
    assert!(app.sync_ledger().unwrap().iter().all(|e| e.state == RecordState::Queued));

    // Sync in a thread; kill the hub once some records are in.
    let mut app = std::thread::scope(|s| {
        let url = hub.url.clone();
        let worker = s.spawn(move || {
            let report = app.sync(Some(&url), false).unwrap();
            (app, report)
        });
        let started = Instant::now();
        while hub_records(&hub_dir).len() < 5 {
            assert!(started.elapsed() < Duration::from_secs(60), "no progress");
            std::thread::sleep(Duration::from_millis(20));
        }
        hub.child.kill().unwrap(); // SIGKILL: mid-upload or mid-answer
        hub.child.wait().unwrap();
        let (app, report) = worker.join().unwrap();
        assert!(!report.postponed.is_empty(), "the crash left work for later: {report:?}");
        assert!(report.rejected.is_empty(), "a crash is not a rejection: {report:?}");
        app
    });

    // The hub comes back (another port); retries with backoff finish the job.
    let hub2 = start_hub(&hub_dir, &[], &[], &[]);
    let started = Instant::now();
    loop {
        app.sync(Some(&hub2.url), false).unwrap();
        let ledger = app.sync_ledger().unwrap();
        if ledger.iter().all(|e| e.state == RecordState::Synced) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "not all synced: {ledger:?}");
        std::thread::sleep(Duration::from_millis(300));
    }

    // Exactly once, same manifests, receipts kept and signed by the hub.
    let at_hub = hub_records(&hub_dir);
    assert_eq!(at_hub.len(), RECORDS);
    for code in &codes {
        let record = common::store(&app).record(code).unwrap();
        let (_, digest) = common::store(&app).sealed_manifest(&record.id).unwrap().unwrap();
        assert!(at_hub.contains(&(record.id.to_string(), digest.clone())), "{code}");
        let receipt: hoso_sync::Receipt =
            serde_json::from_str(&common::store(&app).receipt(&record.id).unwrap().unwrap()).unwrap();
        assert!(receipt.verify(&hub_key) && receipt.manifest_sha256 == digest);
        // Every file the manifest names is at the hub, under its hash.
        let manifest: hoso_sync::Manifest =
            serde_json::from_str(&common::store(&app).sealed_manifest(&record.id).unwrap().unwrap().0)
                .unwrap();
        for f in &manifest.files {
            let bytes = std::fs::read(hub_dir.join("blobs").join(&f.sha256)).unwrap();
            assert_eq!(sha256_hex(&bytes), f.sha256);
        }
    }

    // A replay gets the first receipt; another manifest for the same id is a conflict.
    replay_and_conflict(&app, tmp.path(), &hub2.url, "counter-01", &codes[0]);
    assert_eq!(hub_records(&hub_dir).len(), RECORDS);

    // Hub-side export to the portal's fields.
    let record = common::store(&app).record(&codes[0]).unwrap();
    let mapped: serde_json::Value =
        serde_json::from_str(&hub_cli(&hub_dir, &["dongbohoso", "--record", &record.id.to_string()]))
            .unwrap();
    assert_eq!(mapped["MaHoSo"], codes[0].as_str());
    assert_eq!((mapped["MaTTHC"].as_str(), mapped["KenhThucHien"].as_u64()), (Some("1.001193"), Some(1)));
    assert_eq!(mapped["NgayTiepNhan"].as_str().unwrap().len(), 14);
    assert_eq!(mapped["TaiLieuNop"][0]["MaThanhPhanHoSo"], "TK");
    drop(hub2);
}
