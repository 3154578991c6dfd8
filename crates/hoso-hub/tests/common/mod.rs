//! Shared by the hub's integration tests: the real `hoso-hub` binary on a
//! random port, and a workstation (`App`) with sealed records.

#![allow(dead_code)]

pub mod services;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use hoso_core::{App, config};
use hoso_model::{Applicant, Channel};

pub struct HubProcess {
    pub child: Child,
    pub url: String,
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `hoso-hub --data DIR [global…] serve --listen 127.0.0.1:0 [serve…]`;
/// waits for its `listening on` line.
pub fn start_hub(dir: &Path, global: &[&str], serve: &[&str], envs: &[(&str, &str)]) -> HubProcess {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hoso-hub"))
        .arg("--data")
        .arg(dir)
        .args(global)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(serve)
        .envs(envs.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr =
        line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("hub said {line:?}")).to_owned();
    let scheme = if serve.contains(&"--tls-cert") { "https" } else { "http" };
    HubProcess { child, url: format!("{scheme}://{addr}") }
}

pub fn hub_cli(dir: &Path, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_hoso-hub")).arg("--data").arg(dir).args(args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

pub fn page_png(dir: &Path, i: usize) -> PathBuf {
    let img = image::GrayImage::from_fn(600, 850, |x, y| {
        let ink = (y / 30) % 3 == 1 && x > 60 && x < 540 && !(x / 20 + i as u32).is_multiple_of(5);
        image::Luma([if ink { 20 } else { 245 }])
    });
    let path = dir.join(format!("page-{i}.png"));
    img.save(&path).unwrap();
    path
}

/// A workstation in `dir/ws` whose config is `config` plus the device id
/// `device`, not enrolled anywhere yet.
pub fn workstation_as(dir: &Path, device: &str, config: &str) -> App {
    let config_file = dir.join("config.toml");
    std::fs::write(&config_file, format!("device_id = \"{device}\"\n{config}\n")).unwrap();
    let cfg = config::load(&config::Overrides {
        config_file: Some(config_file),
        data_dir: Some(dir.join("ws")),
        unit: Some("000.00.01.H29".into()),
    })
    .unwrap();
    App::open(cfg, hoso_core::Actor::system("test")).unwrap()
}

/// The workstation's store, opened beside its app (tests read what front
/// ends may not: the sealed manifest, the receipt).
pub fn store(app: &App) -> hoso_store::Store {
    hoso_store::Store::open(&app.config().data_dir).unwrap()
}

/// A workstation `counter-01` (see [`workstation_as`]) enrolled at the hub in
/// `hub_dir` through `hoso-hub enrol`.
pub fn workstation(dir: &Path, hub_dir: &Path, config: &str) -> App {
    let app = workstation_as(dir, "counter-01", config);
    hub_cli(hub_dir, &["enrol", "--device", "counter-01", "--public-key", &app.device_key().unwrap()]);
    app
}

/// A new device key, enrolled as `device` at the hub in `hub_dir` through
/// `hoso-hub enrol` (for tests that speak to the hub without a workstation).
pub fn enrolled_key(hub_dir: &Path, device: &str) -> hoso_sync::SigningKey {
    let key = hoso_sync::SigningKey::from_pkcs8(&hoso_sync::SigningKey::generate()).unwrap();
    hub_cli(hub_dir, &["enrol", "--device", device, "--public-key", &key.public_hex()]);
    key
}

/// At `url`, the first synced record's manifest again gets its first receipt,
/// and a changed manifest for the same id is a conflict.
pub fn replay_and_conflict(app: &App, dir: &Path, url: &str, device: &str, code: &str) {
    let key = hoso_sync::SigningKey::from_pkcs8(&std::fs::read(dir.join("ws/device.key")).unwrap()).unwrap();
    let client =
        hoso_sync::client::Client::new(url, device, key, std::time::Duration::from_secs(10), None).unwrap();
    let record = store(app).record(code).unwrap();
    let mut manifest: hoso_sync::Manifest =
        serde_json::from_str(&store(app).sealed_manifest(&record.id).unwrap().unwrap().0).unwrap();
    let first: hoso_sync::Receipt =
        serde_json::from_str(&store(app).receipt(&record.id).unwrap().unwrap()).unwrap();
    assert_eq!(client.put_record(&manifest).unwrap(), first);
    manifest.applicant_name.push_str(" (sửa)");
    let err = client.put_record(&manifest).unwrap_err();
    assert!(matches!(err, hoso_sync::client::SyncError::Conflict(_)), "{err}");
}

/// `n` records of one page each, processed, built and sealed; their codes.
pub fn sealed_records(app: &mut App, dir: &Path, n: usize) -> Vec<String> {
    let mut codes = Vec::new();
    for i in 0..n {
        let applicant = Applicant { name: format!("Người nộp {i}"), ..Default::default() };
        let r = app.new_record("1.001193", applicant, Channel::InPerson).unwrap();
        app.import(&r.code.to_string(), 1, &[page_png(dir, i)]).unwrap();
        codes.push(r.code.to_string());
    }
    app.process(2).unwrap();
    for code in &codes {
        app.build(code).unwrap();
        app.seal(code).unwrap();
    }
    codes
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hoso_sync::hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// The headers that authenticate a request as a counter's client makes them
/// (protocol 2: method, host, path, time, nonce, body hash, upload headers),
/// for tests that write requests by hand.
pub fn auth_headers(
    key: &hoso_sync::SigningKey,
    device: &str,
    method: &str,
    host: &str,
    path: &str,
    body_sha256: &str,
    upload: Option<(u64, u64)>,
) -> Vec<(&'static str, String)> {
    let time = chrono::Utc::now().timestamp();
    let nonce = hoso_sync::nonce();
    let signed = hoso_sync::Signed {
        method,
        host,
        path,
        time,
        nonce: &nonce,
        body_sha256,
        upload_offset: upload.map(|u| u.0),
        upload_length: upload.map(|u| u.1),
    };
    let mut headers = vec![
        (hoso_sync::HEADER_DEVICE, device.to_owned()),
        (hoso_sync::HEADER_TIME, time.to_string()),
        (hoso_sync::HEADER_NONCE, nonce.clone()),
        (hoso_sync::HEADER_BODY_SHA256, body_sha256.to_owned()),
        (hoso_sync::HEADER_SIGNATURE, key.sign_hex(&signed.message())),
    ];
    if let Some((offset, length)) = upload {
        headers.push((hoso_sync::HEADER_OFFSET, offset.to_string()));
        headers.push((hoso_sync::HEADER_LENGTH, length.to_string()));
    }
    headers
}

/// A manifest of record `id` of `unit` naming one page, blob `blob` of `size`
/// bytes, for tests that speak to the hub without a workstation.
pub fn one_page_manifest(id: &str, unit: &str, blob: &str, size: u64) -> hoso_sync::Manifest {
    hoso_sync::Manifest {
        version: 1,
        record_id: id.into(),
        code: format!("{unit}-261206-0001"),
        procedure: "1.001193".into(),
        unit: unit.into(),
        channel: 1,
        applicant_name: "Test".into(),
        applicant_id: None,
        applicant_identity: None,
        received_at: "2026-12-06T08:00:00+07:00".into(),
        sealed_at: "2026-12-06T08:30:00+07:00".into(),
        components: Vec::new(),
        files: vec![hoso_sync::ManifestFile {
            role: "page".into(),
            component: 1,
            ordinal: 1,
            sha256: blob.into(),
            size,
            media_type: "image/png".into(),
            original_record: None,
        }],
        audit_head: String::new(),
    }
}
