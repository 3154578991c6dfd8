//! `hoso devices` and `hoso scan` with a TWAIN source, on Windows under Wine:
//! the installed layout (hoso.exe with hoso-scan-worker.exe beside it), Wine's
//! source manager, and the data source made for the tests
//! (crates/hoso-scan/tests/twain/testds.c; no third-party TWAIN source is
//! packaged for Debian's Wine), which scripts/windows/test installs where Wine's
//! manager looks. Its knobs reach it through hoso.exe's environment, which the
//! worker inherits.

use std::path::Path;

use crate::crash::assert_consistent;
use crate::*;

const DEVICE: &str = "twain:HoSo Test Scanner";

/// `hoso` with the test source reachable and its knobs set.
fn twain_cmd(data: &Path, knobs: &[(&str, &str)], args: &[&str]) -> Command {
    let ds = std::env::var("HOSO_TEST_TWAIN_DS")
        .expect("HOSO_TEST_TWAIN_DS: the test TWAIN source, installed by scripts/windows/test");
    assert!(Path::new(&ds).exists(), "{ds} missing: run scripts/windows/test");
    let worker = Path::new(env!("CARGO_BIN_EXE_hoso")).with_file_name("hoso-scan-worker.exe");
    assert!(
        worker.exists(),
        "{} not built: test hoso-scan too (scripts/windows/test does)",
        worker.display()
    );
    let mut c = cmd(data, args);
    for (k, v) in knobs {
        c.env(format!("HOSO_TESTDS_{k}"), v);
    }
    c
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(o), stderr(o)))
}

#[test]
fn a_twain_batch_lands_in_the_record_and_a_hanging_driver_keeps_what_it_gave() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let o = twain_cmd(&data, &[], &["--json", "devices"]).run();
    let devices = json(&o);
    let found = devices.as_array().unwrap().iter().find(|d| d["device"]["id"] == DEVICE);
    let found = found.unwrap_or_else(|| panic!("{DEVICE} not listed: {devices}"));
    assert_eq!(found["capabilities"]["resolutions"], serde_json::json!([100, 150, 200, 300]), "{found}");

    // A duplex batch of 3 sheets: 6 pages, each stored before the next transfer.
    let code = new_record(&data);
    let o = twain_cmd(&data, &[("SHEETS", "3")], &["--json", "scan", &code, "--device", DEVICE])
        .args(["--source", "duplex", "--mode", "gray", "--resolution", "200"])
        .run();
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    let report = json(&o);
    assert_eq!(report["pages"].as_array().unwrap().len(), 6, "{report}");
    assert!(report["failure"].is_null(), "{report}");

    // The driver hangs on its second page: the watchdog (2 s here) ends it, the
    // first page is kept, and hoso exits 3 (some pages, then a failure). At
    // 300 dpi, so that its page is no copy of the first batch's first page
    // (the store keeps one of identical pages).
    let config = write_config(&dir.path().join("config.toml"), "scanner_watchdog_secs = 2\n");
    let o = twain_cmd(
        &data,
        &[("SHEETS", "3"), ("HANG_AT", "2")],
        &["--json", "scan", &code, "--device", DEVICE],
    )
    .env("HOSO_CONFIG", &config)
    .args(["--source", "feeder", "--mode", "gray", "--resolution", "300"])
    .run();
    assert_eq!(o.status.code(), Some(3), "{}\n{}", stdout(&o), stderr(&o));
    let report = json(&o);
    assert_eq!(report["pages"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["failure"]["code"], "driver_hung", "{report}");
    let o = hoso(&data, &["--json", "record", "show", &code]);
    let detail = json(&o);
    let pages = detail["components"][0]["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 7, "{detail}");
    let dpis: Vec<f64> = pages.iter().map(|p| p["dpi"].as_f64().unwrap()).collect();
    assert_eq!(dpis, [200.0, 200.0, 200.0, 200.0, 200.0, 200.0, 300.0], "{detail}");
    assert_consistent(&data);
}
