//! Scale-out mode against a real PostgreSQL (Debian's postgresql, a private
//! cluster made and started by the test): two hub replicas share the database
//! and the blob folder; records synced through one are known to the other
//! (replay → first receipt, other manifest → 409), each exactly once.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod common;

use common::{replay_and_conflict, sealed_records, workstation_as};
use hoso_model::RecordState;

struct Postgres {
    child: Child,
    url: String,
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn pg_bin(name: &str) -> PathBuf {
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("postgresql installed (scripts/packages.txt)")
        .map(|e| e.unwrap().path())
        .collect();
    versions.sort();
    versions.last().expect("a PostgreSQL version").join("bin").join(name)
}

/// Runs a PostgreSQL program as the `postgres` user when we are root (it refuses root).
fn as_db_user(program: &Path) -> Command {
    let root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn start_postgres(dir: &Path) -> Postgres {
    let data = dir.join("pgdata");
    std::fs::create_dir(&data).unwrap();
    let root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    if root {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(Command::new("chown").args(["postgres:postgres"]).arg(&data).status().unwrap().success());
    }
    let o =
        as_db_user(&pg_bin("initdb")).args(["-A", "trust", "-U", "hoso", "-D"]).arg(&data).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = as_db_user(&pg_bin("postgres"))
        .arg("-D")
        .arg(&data)
        .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1", "-k"])
        .arg(&data)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("host=127.0.0.1 port={port} user=hoso dbname=postgres");
    let started = Instant::now();
    while postgres::Client::connect(&url, postgres::NoTls).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "PostgreSQL did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    Postgres { child, url }
}

#[test]
fn two_replicas_over_postgresql_agree_on_every_record() {
    let tmp = tempfile::tempdir().unwrap();
    let pg = start_postgres(tmp.path());
    let shared = tmp.path().join("hub-volume");
    let a = Arc::new(hoso_hub::Hub::open_postgres(&shared, &pg.url).unwrap());
    let b = Arc::new(hoso_hub::Hub::open_postgres(&shared, &pg.url).unwrap());
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
}
