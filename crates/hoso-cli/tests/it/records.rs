//! Opening, listing and showing records; the daily code sequence across processes.

use std::collections::HashSet;

use crate::*;

#[test]
fn two_processes_allocating_codes_at_once_never_collide() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_owned();
    // Create the store first so both writers find the schema.
    new_record(&data);
    let per_process = 40;
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let data = data.clone();
            std::thread::spawn(move || {
                // Each thread runs one `hoso` after the other, so two processes are
                // writing at any moment.
                (0..per_process)
                    .map(|_| {
                        let o = cmd(&data, &["--json", "record", "new", "--procedure", "1.001193"]).run();
                        assert!(o.status.success(), "{}", stderr(&o));
                        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
                        v["code"].as_str().unwrap().to_owned()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let codes: Vec<String> = workers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    assert_eq!(codes.len(), 2 * per_process);
    let unique: HashSet<&String> = codes.iter().collect();
    assert_eq!(unique.len(), codes.len(), "duplicate record codes");
    let mut seqs: Vec<u32> = codes.iter().map(|c| c[c.len() - 4..].parse().unwrap()).collect();
    seqs.sort();
    assert_eq!(seqs, (2..=(2 * per_process as u32 + 1)).collect::<Vec<_>>(), "no gaps, no repeats");
    let o = hoso(&data, &["audit", "verify"]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains(&format!("{} entries", 2 * per_process + 1)), "{}", stdout(&o));
}

#[test]
fn record_new_validates_its_input_and_show_lists_the_checklist() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let o = hoso(data, &["record", "new", "--procedure", "9.999999"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("procedure 9.999999 is not in the catalogue"), "{}", stderr(&o));
    let o = hoso(data, &["record", "new", "--procedure", "1.001193", "--id", "12345"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("exactly 12 digits"), "{}", stderr(&o));
    let o = cmd(data, &["record", "new", "--procedure", "1.001193"]).args(["--unit", "H29"]).run();
    assert!(stderr(&o).contains("must look like 000.00.01.H29"), "{}", stderr(&o));

    let code = new_record(data);
    let o = hoso(data, &["record", "show", &code]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(text.contains("Tờ khai đăng ký khai sinh (TK, required): 0 pages"), "{text}");
    assert!(text.contains("Lê Minh Nam 079070752696"), "{text}");
    let o = hoso(data, &["record", "list"]);
    assert!(stdout(&o).contains(&code));
    let o = hoso(data, &["record", "list", "--state", "review"]);
    assert_eq!(stdout(&o).trim(), "No records yet.");
    // Vietnamese is the default language.
    let o = cmd(data, &["record", "show", "000.00.01.H29-000101-0001"]).args(["--lang", "vi"]).run();
    assert!(
        stderr(&o).starts_with("Lỗi: không tìm thấy: record 000.00.01.H29-000101-0001"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn audit_verify_exits_4_when_the_log_was_edited_behind_its_back() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    for _ in 0..3 {
        new_record(data);
    }
    let o = hoso(data, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let c = rusqlite::Connection::open(data.join("hoso.db")).unwrap();
    c.execute_batch("DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'someone else' WHERE seq = 2;")
        .unwrap();
    let o = hoso(data, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(4));
    assert!(stdout(&o).contains("AUDIT LOG TAMPERED at entry 2"), "{}", stdout(&o));
    let o = hoso(data, &["store", "check"]);
    assert_eq!(o.status.code(), Some(4));
}

/// The store's worker and sync locks hold across processes on every platform
/// (flock on Linux, LockFileEx on Windows), and the OS releases them with the holder.
#[test]
fn a_held_worker_or_sync_lock_keeps_a_second_process_out_until_released() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_owned();
    new_record(&data);
    for (lock, args) in [("worker.lock", ["process"]), ("sync.lock", ["sync"])] {
        let held = hoso_core::WorkerLock::acquire_named(&data, lock).unwrap();
        let o = hoso(&data, &args);
        assert!(!o.status.success(), "{lock}: a second process got in");
        assert!(stderr(&o).contains("another HoSo process"), "{lock}: {}", stderr(&o));
        drop(held);
        let o = hoso(&data, &args);
        assert!(o.status.success() || !stderr(&o).contains("another HoSo process"), "{lock}: {}", stderr(&o));
    }
}

#[test]
fn the_help_names_each_command_for_what_it_does() {
    let dir = tempfile::tempdir().unwrap();
    let o = hoso(dir.path(), &["--help"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let line = |command: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(&format!("{command} ")))
            .unwrap_or_else(|| panic!("no line for {command}: {text}"))
            .to_owned()
    };
    assert!(line("procedures").contains("the procedure catalogue"), "{text}");
    assert!(line("devices").contains("scanners") && !line("devices").contains("procedure"), "{text}");
}

#[test]
fn a_reader_that_went_away_ends_the_output_quietly_with_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["procedures"][..], &["--json", "procedures"], &["config"]] {
        // The pipe's reading end is closed before hoso writes a byte: every
        // write fails with a broken pipe, as in `hoso procedures | head -1`.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let o = cmd(dir.path(), args).stdout(writer).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{args:?}");
    }
}
