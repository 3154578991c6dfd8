//! `hoso devices`, `hoso scan` and `hoso watch` with real counterparts: SANE's
//! `test` backend (a real SANE driver, no hardware) through a private
//! SANE_CONFIG_DIR, and a real folder.

use std::process::Stdio;

use crate::crash::{assert_consistent, kill_when};
use crate::*;

/// A private SANE config enabling only the test backend, A4-sized.
pub fn sane_conf() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dll.conf"), "test\n").unwrap();
    let stock = std::fs::read_to_string("/etc/sane.d/test.conf").expect("sane-utils / libsane1 installed");
    std::fs::write(dir.path().join("test.conf"), stock.replace("geometry_max 200.0", "geometry_max 300.0"))
        .unwrap();
    dir
}

fn scan_cmd(data: &Path, conf: &Path, args: &[&str]) -> Command {
    let mut c = cmd(data, args);
    c.env("SANE_CONFIG_DIR", conf);
    c
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(o), stderr(o)))
}

#[test]
fn devices_scan_jam_and_low_resolution() {
    let conf = sane_conf();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let o = scan_cmd(&data, conf.path(), &["--json", "devices"]).run();
    let devices = json(&o);
    let test0 =
        devices.as_array().unwrap().iter().find(|d| d["device"]["id"] == "sane:test:0").expect("test:0");
    assert!(test0["capabilities"]["resolutions"].as_array().unwrap().contains(&300.into()));

    let code = new_record(&data);
    // A feeder batch: the test backend's feeder holds ten sheets.
    let o =
        scan_cmd(&data, conf.path(), &["--json", "scan", &code, "--device", "sane:test:0", "--mode", "gray"])
            .args(["--resolution", "200", "--option", "test-picture=Grid"])
            .run();
    assert!(o.status.success(), "{}", stderr(&o));
    let report = json(&o);
    assert_eq!(report["pages"].as_array().unwrap().len(), 10, "{report}");
    assert!(report["failure"].is_null());

    // A jam: a clear message, exit 1, the earlier pages untouched.
    let o = scan_cmd(&data, conf.path(), &["scan", &code, "--device", "sane:test:0", "--source", "flatbed"])
        .args(["--option", "read-return-value=SANE_STATUS_JAMMED"])
        .run();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("paper jam"), "{}", stdout(&o));
    assert_eq!(pages_in_db(&data), 10);

    // 150 dpi is below the 200 dpi of Circular 05/2025: stored, then rejected by the gate.
    let o = scan_cmd(&data, conf.path(), &["scan", &code, "--device", "sane:test:0", "--source", "flatbed"])
        .args(["--resolution", "150", "--mode", "gray", "--process"])
        .run();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = hoso(&data, &["--json", "record", "show", &code]);
    let detail = json(&o);
    let pages = detail["components"][0]["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 11);
    let low = pages.iter().find(|p| p["dpi"] == 150.0).expect("the 150 dpi page");
    assert_eq!(low["state"], "failed");
    assert!(low["note"].as_str().unwrap().contains("200 dpi"), "{low}");
    assert!(pages.iter().filter(|p| p["dpi"] == 200.0).all(|p| p["state"] == "processed"));
    assert_consistent(&data);
}

#[test]
fn sigkill_mid_scan_keeps_every_stored_page() {
    let conf = sane_conf();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let code = new_record(&data);
    // Slow reads (20 ms per buffer) so the batch is still running when killed.
    let mut child =
        scan_cmd(&data, conf.path(), &["scan", &code, "--device", "sane:test:0", "--mode", "gray"])
            .args(["--option", "read-delay=yes", "--option", "read-delay-duration=20000"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
    kill_when(&mut child, || data.join("hoso.db").exists() && pages_in_db(&data) >= 3);
    let stored = pages_in_db(&data);
    assert!(stored < 10, "the batch was not interrupted");
    assert_consistent(&data);
    // Every stored page is whole and has its processing job: processing reads them all.
    let o = hoso(&data, &["--json", "process", "--workers", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)["processed"].as_i64(), Some(stored));
}

#[test]
fn watched_folder_imports_finished_files_and_rejects_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let code = new_record(&data);
    let folder = dir.path().join("inbox");
    std::fs::create_dir_all(&folder).unwrap();
    write_png(&folder, "scan-001.png", &page(620, 877, 0));
    std::fs::write(folder.join("scan-002.jpg"), b"not a jpeg").unwrap();
    let o = hoso(
        &data,
        &[
            "--json",
            "watch",
            &code,
            "--folder",
            folder.to_str().unwrap(),
            "--settle-ms",
            "300",
            "--idle-exit",
            "2",
        ],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let report = json(&o);
    assert_eq!(report["imported"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["rejected"][0]["error_code"], "not_an_image", "{report}");
    assert!(folder.join("imported/scan-001.png").is_file());
    assert!(folder.join("rejected/scan-002.jpg").is_file());
    assert!(std::fs::read_to_string(folder.join("rejected/scan-002.jpg.txt")).unwrap().contains("JPEG"));
    assert_eq!(pages_in_db(&data), 1);
}
