//! The real services a scaled-out hub stands on, started privately for a test
//! or the city benchmark: a PostgreSQL cluster of Debian's `postgresql` (its
//! own data folder and port, stopped on drop) and moto's S3 server (from
//! PyPI, installed by scripts/setup: Debian packages no S3 server).
//! And a private CA for their TLS, and what the loads sent to them are made
//! and measured with: bytes that do not compress, a process's peak memory.
//! Shared by tests/common (`mod services`) and examples/bench_city.rs.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A private PostgreSQL, stopped on drop.
pub struct Postgres {
    child: Child,
    data: PathBuf,
    port: u16,
    /// A connection string for the `hoso` superuser (trust authentication).
    pub url: String,
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

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false)
}

/// Runs a PostgreSQL program as the `postgres` user when we are root (it refuses root).
fn as_db_user(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

/// Hands `path` to the `postgres` user when we are root.
fn give_to_db_user(path: &Path) {
    if is_root() {
        assert!(
            Command::new("chown").args(["-R", "postgres:postgres"]).arg(path).status().unwrap().success()
        );
    }
}

impl Postgres {
    /// A new cluster in `dir/pgdata` on a free port, with `settings` (`-c`
    /// name=value pairs) added to its command line; waits until it answers.
    pub fn start(dir: &Path, settings: &[&str]) -> Postgres {
        Postgres::start_with(dir, settings, |_| {})
    }

    /// [`Postgres::start`], calling `prepare` between initdb and the start.
    pub fn start_with(dir: &Path, settings: &[&str], prepare: impl FnOnce(&Postgres)) -> Postgres {
        let data = dir.join("pgdata");
        std::fs::create_dir(&data).unwrap();
        if is_root() {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
            give_to_db_user(&data);
        }
        let o = as_db_user(&pg_bin("initdb"))
            .args(["-A", "trust", "-U", "hoso", "-D"])
            .arg(&data)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let url = format!("host=127.0.0.1 port={port} user=hoso dbname=postgres");
        // (A placeholder child until the server starts: `true` has ended.)
        let placeholder = Command::new("true").spawn().unwrap();
        let mut pg = Postgres { child: placeholder, data, port, url };
        prepare(&pg);
        pg.child = Postgres::spawn(&pg.data, port, settings);
        pg.wait_ready();
        pg
    }

    fn spawn(data: &Path, port: u16, settings: &[&str]) -> Child {
        let mut command = as_db_user(&pg_bin("postgres"));
        command.arg("-D").arg(data).args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1", "-k"]);
        command.arg(data);
        for s in settings {
            command.args(["-c", s]);
        }
        command.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap()
    }

    fn wait_ready(&self) {
        let started = Instant::now();
        while postgres::Client::connect(&self.url, postgres::NoTls).is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "PostgreSQL did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the server as a crash would (`pg_ctl stop -m immediate`: every
    /// connection breaks, no shutdown checkpoint) and starts it again on the
    /// same port and data, which it recovers.
    pub fn restart(&mut self, settings: &[&str]) {
        let o = as_db_user(&pg_bin("pg_ctl"))
            .arg("-D")
            .arg(&self.data)
            .args(["stop", "-m", "immediate", "-w"])
            .output()
            .unwrap();
        assert!(o.status.success(), "pg_ctl stop: {}", String::from_utf8_lossy(&o.stderr));
        let _ = self.child.wait();
        self.child = Postgres::spawn(&self.data, self.port, settings);
        self.wait_ready();
    }

    /// The folder of the cluster's data (for its certificate files).
    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    /// Gives files written into the data folder to the server's user.
    pub fn own(&self, path: &Path) {
        give_to_db_user(path);
    }
}

/// moto's S3 server on a free port, stopped on drop.
pub struct Moto {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto_server() -> PathBuf {
    std::env::var_os("HOSO_MOTO_SERVER").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/tools/moto/bin/moto_server")
    })
}

impl Moto {
    pub fn start() -> Moto {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let exe = moto_server();
        let child = Command::new(&exe)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{}: {e} (scripts/setup installs moto)", exe.display()));
        let moto = Moto { child, endpoint: format!("http://127.0.0.1:{port}") };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "moto did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let o = Command::new("openssl").current_dir(dir).args(args).output().unwrap();
    assert!(o.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

/// A private CA (`ca.crt`) and a server certificate for 127.0.0.1 and
/// localhost (`hub.crt`, `hub.key`) it signed, made by openssl in `dir`.
pub fn private_ca(dir: &Path) {
    let ec = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
    let args = |line: String| line.split(' ').map(str::to_owned).collect::<Vec<_>>();
    let run = |line: String| openssl(dir, &args(line).iter().map(String::as_str).collect::<Vec<_>>());
    run(format!("req -x509 {ec} -keyout ca.key -out ca.crt -days 30 -subj /CN=HoSo-test-city-CA"));
    run(format!("req -new {ec} -keyout hub.key -out hub.csr -subj /CN=hub"));
    std::fs::write(
        dir.join("hub.ext"),
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n\
         subjectAltName=IP:127.0.0.1,DNS:localhost\n",
    )
    .unwrap();
    run("x509 -req -in hub.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile hub.ext -out hub.crt"
        .into());
}

/// `len` bytes that do not compress (xorshift64), the same for the same
/// `seed` and different for each seed.
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.extend_from_slice(&state.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// The peak resident memory of process `pid` so far, in KiB (its VmHWM);
/// `None` once it is gone.
pub fn peak_memory_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()
}
