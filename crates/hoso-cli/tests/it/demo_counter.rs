//! `scripts/demo-counter`, which `scripts/app` opens the desktop app on: its
//! environment holds a working counter. The three demo accounts sign in with
//! the passwords the script prints, and a clerk's work (a record, a scan from
//! SANE's test scanner, the PDF/A) goes through with nothing else set; run
//! again, it keeps the store and the accounts. (The window itself is driven by
//! src-tauri/tests/e2e.rs.) Linux only: the script is for a Debian/Ubuntu PC.

use crate::*;

#[test]
fn the_demo_counter_signs_in_its_three_accounts_scans_from_the_test_scanner_and_builds_a_pdfa() {
    let dir = tempfile::tempdir().unwrap();
    let counter = dir.path().join("counter");
    let prepare = || {
        let o = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/demo-counter"))
            .arg(&counter)
            .env("HOSO_BIN", env!("CARGO_BIN_EXE_hoso"))
            .run();
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
        stdout(&o)
            .lines()
            .filter_map(|l| l.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
            .collect::<Vec<_>>()
    };
    let env = prepare();
    let keys: Vec<&str> = env.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["HOSO_CONFIG", "SOFTHSM2_CONF", "SANE_CONFIG_DIR"]);
    let run = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_hoso"));
        c.args(["--lang", "en"]).args(args).env_remove("HOSO_DATA_DIR").env_remove("HOSO_UNIT");
        for (k, v) in &env {
            c.env(k, v);
        }
        let o = c.run();
        assert!(o.status.success(), "{args:?}: {}{}", stdout(&o), stderr(&o));
        stdout(&o)
    };

    // The accounts sign in as the app signs them in, each with its role.
    let config = hoso_core::config::load(&hoso_core::config::Overrides {
        config_file: Some(counter.join("config.toml")),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(config.data_dir, counter.join("store"), "apart from any real store");
    let mut app = hoso_core::App::open(config, hoso_core::Actor::Nobody).unwrap();
    for (user, password, role) in [
        ("lan", "quay-mot-123", hoso_core::Role::Reception),
        ("minh", "giam-sat-456", hoso_core::Role::Supervisor),
        ("it01", "quan-tri-789", hoso_core::Role::Admin),
    ] {
        assert_eq!(app.login(user, password).unwrap().role, role, "{user}");
    }
    drop(app);

    // The token and the test scanner are found; a clerk's record is scanned and built.
    let tokens = run(&["tokens"]);
    assert!(tokens.contains("UBND phường Sài Gòn") && tokens.contains("Trần Thị Chứng Thực"), "{tokens}");
    assert!(run(&["devices"]).contains("sane:test:0"));
    let code = &record_code(run(&NEW_RECORD).as_bytes());
    run(&["scan", code, "--source", "flatbed", "--mode", "gray"]);
    // As the app does in the background after a scan: read, then built at once.
    let processed: serde_json::Value = serde_json::from_str(&run(&["--json", "process", "--build"])).unwrap();
    assert_eq!(processed["built"][0]["record"], code.as_str(), "{processed}");
    assert_eq!(processed["built"][0]["documents"][0]["pages"], 1, "{processed}");
    assert_eq!(processed["ready_for_review"], serde_json::json!([code]), "{processed}");
    let built: serde_json::Value = serde_json::from_str(&run(&["--json", "build", code])).unwrap();
    let documents = built["documents"].as_array().unwrap();
    assert!(!documents.is_empty() && documents[0]["pages"] == 1, "{built}");

    // Again: the same store, the same accounts, the record still there.
    let again = prepare();
    assert_eq!(again, env);
    assert_eq!(run(&["user", "list"]).lines().count(), 3);
    assert!(run(&["record", "list"]).contains(code));
}
