//! SIGKILL in the middle of an import or of processing leaves a consistent store
//! that the same command, run again, completes.

use std::time::{Duration, Instant};

use crate::*;

const FILES: usize = 40;

pub fn kill_when(child: &mut std::process::Child, ready: impl FnMut() -> bool) {
    wait_until(child, ready);
    child.kill().unwrap(); // SIGKILL on Unix: no destructor, no cleanup runs.
    child.wait().unwrap();
}

/// Waits until `ready` while `child` still runs (at most two minutes).
pub fn wait_until(child: &mut std::process::Child, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before it could be killed; make the batch bigger"
        );
        assert!(start.elapsed() < Duration::from_secs(120), "no progress");
        std::thread::sleep(Duration::from_millis(5));
    }
}

pub fn assert_consistent(data: &Path) {
    let c = rusqlite::Connection::open(data.join("hoso.db")).unwrap();
    let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    // No row points at a missing blob.
    let mut stmt = c
        .prepare("SELECT source FROM pages UNION SELECT thumbnail FROM pages WHERE thumbnail IS NOT NULL")
        .unwrap();
    let hashes: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(|h| h.unwrap()).collect();
    for h in hashes {
        assert!(data.join("blobs").join(&h[..2]).join(&h).is_file(), "page points at missing blob {h}");
    }
    let check = hoso(data, &["store", "check", "--deep"]);
    assert!(check.status.success(), "{}", stdout(&check));
}

#[test]
fn sigkill_mid_import_and_mid_processing_loses_nothing_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let files = dir.path().join("in");
    std::fs::create_dir_all(&files).unwrap();
    for i in 0..FILES {
        write_png(&files, &format!("p{i:03}.png"), &page(1240, 1754, i as u32 + 1));
    }
    let code = new_record(&data);

    let mut child =
        cmd(&data, &["import", &code, files.to_str().unwrap()]).stdout(Stdio::null()).spawn().unwrap();
    kill_when(&mut child, || data.join("hoso.db").exists() && pages_in_db(&data) >= 3);
    let at_kill = pages_in_db(&data);
    assert!(at_kill < FILES as i64, "the import was not interrupted ({at_kill} pages)");
    assert_consistent(&data);

    // Run again: the pages already stored are recognised, the rest are added.
    let again = hoso(&data, &["--json", "import", &code, files.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    let already: usize =
        report["files"].as_array().unwrap().iter().map(|f| f["already"].as_array().unwrap().len()).sum();
    assert!(already as i64 >= at_kill, "{already} recognised, {at_kill} stored before the kill");
    assert_eq!(pages_in_db(&data), FILES as i64, "every file once");
    assert_consistent(&data);

    // Kill the processing pool half-way, then resume it.
    let mut child = cmd(&data, &["process", "--workers", "2"]).stdout(Stdio::null()).spawn().unwrap();
    let processed = || {
        let c = rusqlite::Connection::open(data.join("hoso.db")).unwrap();
        c.query_row("SELECT count(*) FROM pages WHERE state = 'processed'", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    kill_when(&mut child, || processed() >= 2);
    assert!(processed() < FILES as i64, "processing was not interrupted");
    assert_consistent(&data);
    let resumed = hoso(&data, &["--json", "process"]);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert_eq!(processed(), FILES as i64);
    let shown = hoso(&data, &["--json", "record", "show", &code]);
    let detail: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(detail["record"]["state"], "review");
    assert_consistent(&data);
}
