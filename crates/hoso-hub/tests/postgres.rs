//! Scale-out mode against a real PostgreSQL (Debian's postgresql, a private
//! cluster made and started by the test): two hub replicas share the database
//! and the blob folder; records synced through one are known to the other
//! (replay → first receipt, other manifest → 409), each exactly once; the
//! hub outlives a restart of the database; over TLS it checks the server's
//! certificate against IT's CA, and it reaches no other machine without TLS.

use std::sync::Arc;

mod common;

use common::services::Postgres;
use common::{replay_and_conflict, sealed_records, workstation_as};
use hoso_model::RecordState;

#[test]
fn two_replicas_over_postgresql_agree_on_every_record() {
    let tmp = tempfile::tempdir().unwrap();
    let mut pg = Postgres::start(tmp.path(), &[]);
    let shared = tmp.path().join("hub-volume");
    let a = Arc::new(hoso_hub::Hub::open_postgres(&shared, &hoso_hub::PgConfig::new(&pg.url)).unwrap());
    let b = Arc::new(hoso_hub::Hub::open_postgres(&shared, &hoso_hub::PgConfig::new(&pg.url)).unwrap());
    assert_eq!(a.public_key(), b.public_key(), "replicas share the receipt key");
    let serve = |hub: &Arc<hoso_hub::Hub>| hoso_hub::spawn_local(hoso_hub::router(Arc::clone(hub))).unwrap();
    let (url_a, url_b) = (serve(&a), serve(&b));

    let mut app = workstation_as(tmp.path(), "counter-pg", &format!("hub_key = \"{}\"", a.public_key()));
    a.enrol("counter-pg", &app.device_key().unwrap(), "pg").unwrap();
    let codes = sealed_records(&mut app, tmp.path(), 6);
    // Through replica A…
    let report = app.sync(Some(&url_a), false).unwrap();
    assert_eq!(report.synced.len(), 6, "{report:?}");
    assert!(app.sync_ledger().unwrap().iter().all(|e| e.state == RecordState::Synced));
    assert_eq!(b.record_count().unwrap(), 6, "replica B sees what A accepted");

    // …and replica B answers replays with A's receipts, conflicts with 409.
    replay_and_conflict(&app, tmp.path(), &url_b, "counter-pg", &codes[0]);
    assert_eq!(a.record_count().unwrap(), 6);

    // The database restarts (every connection of both replicas breaks): the
    // next records go through at the first attempt, on new connections.
    pg.restart(&[]);
    let after = tmp.path().join("after-restart");
    std::fs::create_dir_all(&after).unwrap();
    let more = sealed_records(&mut app, &after, 2);
    let report = app.sync(Some(&url_a), false).unwrap();
    assert_eq!(report.synced.len(), 2, "{report:?}");
    assert_eq!(b.record_count().unwrap(), 8, "{more:?}");
}

#[test]
fn over_tls_the_database_is_checked_against_it_s_ca() {
    let tmp = tempfile::tempdir().unwrap();
    let pki = tmp.path().join("pki");
    std::fs::create_dir_all(&pki).unwrap();
    common::services::private_ca(&pki);
    // The server's key: the server's user's own, readable by nobody else.
    let key = pki.join("hub.key");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::set_permissions(&pki, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let settings = [
        "ssl=on".to_owned(),
        format!("ssl_cert_file={}", pki.join("hub.crt").display()),
        format!("ssl_key_file={}", key.display()),
    ];
    let settings: Vec<&str> = settings.iter().map(String::as_str).collect();
    let db = tmp.path().join("db");
    std::fs::create_dir_all(&db).unwrap();
    let pg = Postgres::start_with(&db, &settings, |pg| pg.own(&key));
    let url = format!("{} sslmode=require", pg.url);
    let ca = pki.join("ca.crt");

    // Without IT's CA the server's certificate is refused, and said so.
    let hub_dir = tmp.path().join("hub");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_hoso-hub"))
        .arg("--data")
        .arg(&hub_dir)
        .args(["--postgres", &url, "key"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stderr).to_lowercase();
    assert!(!o.status.success() && said.contains("certificate"), "{said}");

    // With it, the hub serves and every connection it holds is encrypted.
    let hub =
        common::start_hub(&hub_dir, &["--postgres", &url, "--postgres-ca", ca.to_str().unwrap()], &[], &[]);
    let ws = tmp.path().join("ws-tls");
    std::fs::create_dir_all(&ws).unwrap();
    let hub_key =
        common::hub_cli(&hub_dir, &["--postgres", &url, "--postgres-ca", ca.to_str().unwrap(), "key"]);
    let mut app = workstation_as(&ws, "counter-tls", &format!("hub_key = \"{hub_key}\""));
    common::hub_cli(
        &hub_dir,
        &[
            "--postgres",
            &url,
            "--postgres-ca",
            ca.to_str().unwrap(),
            "enrol",
            "--device",
            "counter-tls",
            "--public-key",
            &app.device_key().unwrap(),
        ],
    );
    sealed_records(&mut app, &ws, 2);
    let report = app.sync(Some(&hub.url), false).unwrap();
    assert_eq!(report.synced.len(), 2, "{report:?}");
    let mut admin = postgres::Client::connect(&pg.url, postgres::NoTls).unwrap();
    let row = admin
        .query_one(
            "SELECT count(*) FILTER (WHERE s.ssl), count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
             WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()",
            &[],
        )
        .unwrap();
    let (encrypted, all): (i64, i64) = (row.get(0), row.get(1));
    assert!(all > 0 && encrypted == all, "{encrypted} of {all} connections over TLS");

    // A server on another machine is never reached without TLS.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_hoso-hub"))
        .arg("--data")
        .arg(&hub_dir)
        .args(["--postgres", "host=192.0.2.10 user=hoso dbname=hub sslmode=disable", "key"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success() && said.contains("TLS only"), "{said}");
}
