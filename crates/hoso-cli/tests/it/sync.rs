//! `hoso seal` and `hoso sync` against the reference hub running in this test
//! process on a random loopback port, with faults in front of it: every answer
//! 40 ms late (slow network), every 7th request answered 503, every 11th
//! connection dropped without an answer (a reset). The workstation process is
//! also killed with SIGKILL in the middle of a sync; running `hoso sync` again
//! completes it, every record exactly once.

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use axum::response::IntoResponse;

use crate::crash::{assert_consistent, kill_when};
use crate::*;

static REQUESTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Starts the hub behind the faults; returns its URL and handle.
fn hub(dir: &Path) -> (String, Arc<hoso_hub::Hub>) {
    let hub = Arc::new(hoso_hub::Hub::open(dir).unwrap());
    let app = hoso_hub::router(Arc::clone(&hub)).layer(axum::middleware::from_fn(
        |req: axum::extract::Request, next: axum::middleware::Next| async move {
            tokio::time::sleep(Duration::from_millis(40)).await;
            let n = REQUESTS.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            if n.is_multiple_of(7) {
                return axum::http::StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
            if n.is_multiple_of(11) {
                // Handled (the hub did the work), but the answer never arrives.
                let _ = next.run(req).await;
                std::panic::resume_unwind(Box::new("dropping the connection"));
            }
            next.run(req).await
        },
    ));
    let url = hoso_hub::spawn_local(app).unwrap();
    (url, hub)
}

#[test]
fn sigkill_mid_sync_then_every_record_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let (url, hub_state) = hub(&dir.path().join("hub"));
    let config = dir.path().join("config.toml");
    write_config(
        &config,
        &format!(
            "device_id = \"counter-07\"\nhub_url = \"{url}\"\nhub_key = \"{}\"\n",
            hub_state.public_key()
        ),
    );
    let run = |args: &[&str]| cmd(&data, args).env("HOSO_CONFIG", &config).run();

    let mut codes = Vec::new();
    for i in 0..10u32 {
        let o = run(&["--json", "record", "new", "--procedure", "1.001193", "--name", "Người nộp"]);
        let code = serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["code"]
            .as_str()
            .unwrap()
            .to_owned();
        let file = write_png(dir.path(), &format!("p{i}.png"), &page(620, 877, i + 1));
        assert!(run(&["import", &code, file.to_str().unwrap()]).status.success());
        codes.push(code);
    }
    assert!(run(&["process"]).status.success());
    for code in &codes {
        assert!(run(&["build", code]).status.success());
        let o = run(&["seal", code]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = run(&["--json", "sync", "key"]);
    let key = serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["public_key"]
        .as_str()
        .unwrap()
        .to_owned();

    // Not enrolled yet: refused for now, kept queued with the reason, nothing rejected.
    let o = run(&["sync"]);
    assert_eq!(o.status.code(), Some(3), "{}", stdout(&o));
    let o = run(&["--json", "sync", "status"]);
    let ledger: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let entries = ledger.as_array().unwrap();
    assert_eq!(entries.len(), codes.len());
    assert!(entries.iter().all(|e| e["state"] == "queued"), "{ledger}");
    // (Some requests met the injected 503 instead.)
    assert!(entries.iter().any(|e| e["last_error"].as_str().unwrap().contains("not enrolled")), "{ledger}");
    hub_state.enrol("counter-07", &key, "test").unwrap();

    // `--now`: the records waiting for their next attempt go at once.
    let mut child = cmd(&data, &["sync", "--now"])
        .env("HOSO_CONFIG", &config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let before = REQUESTS.load(std::sync::atomic::Ordering::SeqCst);
    kill_when(&mut child, || REQUESTS.load(std::sync::atomic::Ordering::SeqCst) >= before + 8);
    let at_kill = hub_state.record_count().unwrap();
    assert!(at_kill < codes.len() as i64, "the sync was not interrupted");
    assert_consistent(&data);

    // Run again until everything is in; the killed lease expires or is recovered.
    let started = Instant::now();
    loop {
        let _ = run(&["sync", "--now"]);
        let o = run(&["--json", "sync", "status"]);
        let ledger: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let synced = ledger.as_array().unwrap().iter().filter(|e| e["state"] == "synced").count();
        if synced == codes.len() {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(400), "{ledger}");
        std::thread::sleep(Duration::from_millis(500));
    }
    assert_eq!(hub_state.record_count().unwrap(), codes.len() as i64, "every record exactly once");
    assert_consistent(&data);

    // The receipts anchor the audit log: whoever cuts its tail off (or
    // rewrites it) behind the program's back leaves a chain that still links,
    // but no longer holds the heads the hub signed; `audit verify` says so.
    let o = run(&["audit", "verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("10 hub receipts anchor the log"), "{}", stdout(&o));
    let c = rusqlite::Connection::open(data.join("hoso.db")).unwrap();
    let last: i64 = c.query_row("SELECT max(seq) FROM audit", [], |r| r.get(0)).unwrap();
    let sealed: i64 = c
        .query_row("SELECT min(seq) FROM audit WHERE action = 'record.sealed'", [], |r| r.get(0))
        .unwrap_or(last - 5);
    c.execute_batch(&format!("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq >= {sealed};"))
        .unwrap();
    let o = run(&["audit", "verify"]);
    assert_eq!(o.status.code(), Some(4), "{}", stdout(&o));
    let said = stdout(&o);
    assert!(said.contains("intact") || said.contains("entries"), "the shorter chain links: {said}");
    assert!(said.contains("no longer holds the head the receipt of record"), "{said}");
    assert!(said.contains("were rewritten or cut off"), "{said}");

    // Cut the receipts off too: nothing here anchors the log any more, and
    // only the hub can tell; `--hub` asks it for the head it signed last.
    c.execute_batch("DELETE FROM receipts;").unwrap();
    let o = run(&["audit", "verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("No hub receipt anchors the log yet"), "{}", stdout(&o));
    let o = run(&["audit", "verify", "--hub"]);
    assert_eq!(o.status.code(), Some(4), "{}", stdout(&o));
    assert!(stdout(&o).contains("The hub signed this counter's last head with record"), "{}", stdout(&o));
    assert!(stdout(&o).contains("were rewritten or cut off"), "{}", stdout(&o));
}

/// `Upload-Offset` of every blob piece the slow hub below received, by blob.
static PIECES: std::sync::Mutex<Vec<(String, u64)>> = std::sync::Mutex::new(Vec::new());

#[test]
fn sigkill_mid_large_blob_then_upload_resumes_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let hub_dir = dir.path().join("hub");
    let hub = Arc::new(hoso_hub::Hub::open(&hub_dir).unwrap());
    // The hub keeps the first piece of a blob, then is slow to answer: the
    // workstation is killed while it waits, with one piece at the hub.
    let app = hoso_hub::router(Arc::clone(&hub)).layer(axum::middleware::from_fn(
        |req: axum::extract::Request, next: axum::middleware::Next| async move {
            let piece = (req.method() == axum::http::Method::PUT
                && req.uri().path().starts_with("/v1/blobs/"))
            .then(|| {
                let offset = req.headers().get(hoso_sync::HEADER_OFFSET).and_then(|v| v.to_str().ok());
                (req.uri().path().rsplit('/').next().unwrap().to_owned(), offset.unwrap().parse().unwrap())
            });
            let answer = next.run(req).await;
            if let Some((hash, offset)) = piece {
                PIECES.lock().unwrap().push((hash, offset));
                if offset == 0 {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                }
            }
            answer
        },
    ));
    let url = hoso_hub::spawn_local(app).unwrap();
    let config = dir.path().join("config.toml");
    write_config(
        &config,
        &format!("device_id = \"counter-08\"\nhub_url = \"{url}\"\nhub_key = \"{}\"\n", hub.public_key()),
    );
    let run = |args: &[&str]| cmd(&data, args).env("HOSO_CONFIG", &config).run();

    // One record with a page bigger than one upload piece (noise keeps the PNG big).
    let o = run(&["--json", "record", "new", "--procedure", "1.001193", "--name", "Người nộp"]);
    let code =
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["code"].as_str().unwrap().to_owned();
    let file = write_png(dir.path(), "big.png", &page(3300, 4700, 7));
    let size = std::fs::metadata(&file).unwrap().len();
    assert!(size > hoso_sync::client::CHUNK as u64, "the page must take several pieces: {size}");
    for args in
        [&["import", &code, file.to_str().unwrap()][..], &["process"], &["build", &code], &["seal", &code]]
    {
        let o = run(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    let o = run(&["--json", "sync", "key"]);
    let key = serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    hub.enrol("counter-08", &key, "test").unwrap();
    // No record leaves without the hub's receipt key, nor in clear across a network.
    for (bad, why) in [
        (format!("device_id = \"counter-08\"\nhub_url = \"{url}\"\n"), "hub_key"),
        (
            format!(
                "device_id = \"counter-08\"\nhub_url = \"http://10.1.2.3:8470\"\nhub_key = \"{}\"\n",
                hub.public_key()
            ),
            "https://",
        ),
    ] {
        let unsafe_config = write_config(&dir.path().join("unsafe.toml"), &bad);
        let o = cmd(&data, &["sync"]).env("HOSO_CONFIG", &unsafe_config).run();
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        assert!(stderr(&o).contains(why) || stdout(&o).contains(why), "{}{}", stdout(&o), stderr(&o));
    }
    let page_hash =
        hoso_sync::hex(ring::digest::digest(&ring::digest::SHA256, &std::fs::read(&file).unwrap()).as_ref());

    let mut child = cmd(&data, &["sync"]).env("HOSO_CONFIG", &config).stdout(Stdio::null()).spawn().unwrap();
    let partial = hub.partial_file("counter-08", &page_hash);
    kill_when(&mut child, || {
        std::fs::metadata(&partial).is_ok_and(|m| m.len() >= hoso_sync::client::CHUNK as u64)
    });
    assert_consistent(&data);
    let before = PIECES.lock().unwrap().len();

    let o = run(&["sync", "--now"]);
    assert!(o.status.success(), "{}", stdout(&o));
    let pieces = PIECES.lock().unwrap().clone();
    let after: Vec<u64> = pieces[before..].iter().filter(|(h, _)| *h == page_hash).map(|(_, o)| *o).collect();
    let chunk = hoso_sync::client::CHUNK as u64;
    assert_eq!(after.first(), Some(&chunk), "resumed at the first byte the hub lacked: {after:?}");
    assert!(after.windows(2).all(|w| w[1] == w[0] + chunk), "one pass, piece after piece: {after:?}");
    assert_eq!(hub.record_count().unwrap(), 1);
    let kept = std::fs::read(hub_dir.join("blobs").join(&page_hash)).unwrap();
    assert_eq!(kept, std::fs::read(&file).unwrap());
}
