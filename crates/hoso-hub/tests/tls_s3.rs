//! Scale-out transport and storage: the real hub binary serving HTTPS
//! (rustls) with a certificate from a private CA, keeping blobs in an
//! S3-compatible bucket. The S3 server is moto's (from PyPI, installed by
//! scripts/setup): no S3 server is packaged in Debian. moto does not check
//! request signatures, so our SigV4 signing is checked separately against
//! AWS's published example (`s3::tests`).

mod common;

use common::{sealed_records, sha256_hex, start_hub, workstation};
use hoso_model::RecordState;

#[test]
fn https_hub_with_blobs_in_s3() {
    let tmp = tempfile::tempdir().unwrap();
    let pki = tmp.path().join("pki");
    std::fs::create_dir_all(&pki).unwrap();
    common::services::private_ca(&pki);
    let moto = common::services::Moto::start();
    let s3_endpoint = &moto.endpoint;
    let s3_url = format!("{s3_endpoint}/hoso-blobs");
    let creds = [("AWS_ACCESS_KEY_ID", "hoso-test"), ("AWS_SECRET_ACCESS_KEY", "hoso-test-secret")];
    let hub_dir = tmp.path().join("hub");
    let cert = pki.join("hub.crt");
    let key = pki.join("hub.key");
    let hub = start_hub(
        &hub_dir,
        &["--s3", &s3_url],
        &["--tls-cert", cert.to_str().unwrap(), "--tls-key", key.to_str().unwrap()],
        &creds,
    );
    assert!(hub.url.starts_with("https://127.0.0.1:"));

    // A workstation that does not trust the city CA refuses the hub; the
    // records stay queued with a reason that names the certificate.
    let stranger_dir = tmp.path().join("stranger");
    std::fs::create_dir_all(&stranger_dir).unwrap();
    let hub_key = format!("hub_key = \"{}\"", common::hub_cli(&hub_dir, &["key"]));
    let mut stranger = common::workstation_as(&stranger_dir, "stranger-01", &hub_key);
    let stranger_key = stranger.device_key().unwrap();
    common::hub_cli(&hub_dir, &["enrol", "--device", "stranger-01", "--public-key", &stranger_key]);
    sealed_records(&mut stranger, &stranger_dir, 1);
    let report = stranger.sync(Some(&hub.url), false).unwrap();
    assert_eq!(report.postponed.len(), 1, "{report:?}");
    let ledger = stranger.sync_ledger().unwrap();
    assert_eq!(ledger[0].state, RecordState::Queued);
    let reason = ledger[0].last_error.clone().unwrap_or_default().to_lowercase();
    assert!(reason.contains("certificate"), "{reason}");

    // With `hub_ca` the same hub is trusted and every record goes over HTTPS.
    let ws_dir = tmp.path().join("counter");
    std::fs::create_dir_all(&ws_dir).unwrap();
    let mut app = workstation(
        &ws_dir,
        &hub_dir,
        &format!("hub_ca = {:?}\n{hub_key}", pki.join("ca.crt").to_str().unwrap()),
    );
    let codes = sealed_records(&mut app, &ws_dir, 3);
    let report = app.sync(Some(&hub.url), false).unwrap();
    assert_eq!(report.synced.len(), 3, "{report:?}");
    assert!(app.sync_ledger().unwrap().iter().all(|e| e.state == RecordState::Synced));

    // Every file is in the bucket under its hash; nothing is left in the
    // hub's folders but partial uploads (none) and the database.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s3 = hoso_hub::s3::S3::new(&s3_url, "us-east-1", creds[0].1, creds[1].1).unwrap();
    let mut files = 0;
    for code in &codes {
        let record = common::store(&app).record(code).unwrap();
        let manifest: hoso_sync::Manifest =
            serde_json::from_str(&common::store(&app).sealed_manifest(&record.id).unwrap().unwrap().0)
                .unwrap();
        for f in &manifest.files {
            let bytes = rt.block_on(s3.get(&format!("blobs/{}", f.sha256))).unwrap().expect("blob in S3");
            assert_eq!(sha256_hex(&bytes), f.sha256);
            files += 1;
        }
    }
    assert!(files >= 6, "pages and PDF/A of 3 records: {files}");
    assert_eq!(std::fs::read_dir(hub_dir.join("blobs")).unwrap().count(), 0);
    // (Each device's folder of uploads stays, empty.)
    let partials: usize = std::fs::read_dir(hub_dir.join("partial"))
        .unwrap()
        .map(|d| std::fs::read_dir(d.unwrap().path()).map_or(0, |f| f.count()))
        .sum();
    assert_eq!(partials, 0);
}

/// The hub's peak resident memory so far, in MiB.
fn peak_mib(pid: u32) -> u64 {
    common::services::peak_memory_kib(pid).expect("the hub is running") / 1024
}

#[test]
fn a_big_blob_goes_to_s3_without_sitting_whole_in_the_hubs_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let moto = common::services::Moto::start();
    let s3_url = format!("{}/hoso-blobs", moto.endpoint);
    let creds = [("AWS_ACCESS_KEY_ID", "hoso-test"), ("AWS_SECRET_ACCESS_KEY", "hoso-test-secret")];
    let hub_dir = tmp.path().join("hub");
    let hub = start_hub(&hub_dir, &["--s3", &s3_url], &[], &creds);
    let key = common::enrolled_key(&hub_dir, "scanner-room");
    let client = hoso_sync::client::Client::new(
        &hub.url,
        "scanner-room",
        key,
        std::time::Duration::from_secs(120),
        None,
    )
    .unwrap();

    // 160 MiB that do not compress, sent in the client's 4 MiB pieces.
    let blob = common::services::noise(1, 160 << 20);
    let hash = sha256_hex(&blob);
    let before = peak_mib(hub.child.id());
    client.put_blob(&hash, &blob).unwrap();
    assert_eq!(client.blob_state(&hash).unwrap(), Some((blob.len() as u64, true)));
    let peak = peak_mib(hub.child.id());
    println!("the hub's peak memory: {before} MiB before, {peak} MiB after a 160 MiB blob");
    assert!(peak < 96, "the hub's peak memory went from {before} to {peak} MiB for a 160 MiB blob");

    let rt = tokio::runtime::Runtime::new().unwrap();
    let s3 = hoso_hub::s3::S3::new(&s3_url, "us-east-1", creds[0].1, creds[1].1).unwrap();
    let stored = rt.block_on(s3.get(&format!("blobs/{hash}"))).unwrap().expect("the blob in S3");
    assert_eq!(sha256_hex(&stored), hash);
}
