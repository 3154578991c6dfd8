//! A real PC/SC stack for the chip tests: Debian's pcscd with vsmartcard's
//! virtual reader driver (vpcd) on a private port, and `card/icao_card.py`
//! as the card on it. pcscd has one socket per machine (/run/pcscd), so the
//! tests that use it take a lock file in turn, across test processes.
//! Shared by hoso-chip's, hoso-cli's and the desktop's tests (`#[path]`).
//!
//! A card's coming and going is watched through the reader's state
//! (SCardGetStatusChange), never by connecting: a connection to a card that
//! has just gone ends in a failed reset, after which pcscd says the slot is
//! empty before its own poll has seen the card go — and a card put on within
//! that poll is then never seen (the flaky failure this replaced).

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// pcscd with vpcd, running for as long as this lives.
pub struct VirtualReader {
    /// Ours; `None` when the machine's own pcscd serves (see `start`).
    pcscd: Option<Child>,
    port: u16,
    /// Where the CSCA (csca.pem) and the holders' files are kept.
    pub dir: tempfile::TempDir,
    _lock: std::fs::File,
}

/// The first slot vpcd gives: the reader the card goes on.
pub const READER: &str = "Virtual PCD 00 00";

const DRIVER: &str = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";

/// vpcd's port in Debian's own configuration (0x8C7B).
const SYSTEM_PORT: u16 = 35963;

impl VirtualReader {
    pub fn start() -> VirtualReader {
        assert!(
            Path::new(DRIVER).exists() && which("pcscd"),
            "the chip tests need a real PC/SC stack: apt-get install pcscd vsmartcard-vpcd (scripts/setup does)"
        );
        let lock = std::fs::File::create(std::env::temp_dir().join("hoso-pcscd.lock")).expect("lock file");
        lock.lock().expect("take the pcscd lock");
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let conf = dir.path().join("reader.conf.d");
        std::fs::create_dir(&conf).unwrap();
        std::fs::write(
            conf.join("vpcd"),
            format!(
                "FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME /dev/null:0x{port:04X}\nLIBPATH {DRIVER}\nCHANNELID 0x{port:04X}\n"
            ),
        )
        .unwrap();
        let log = std::fs::File::create(dir.path().join("pcscd.log")).unwrap();
        let mut pcscd = Command::new("pcscd")
            .args(["--foreground", "--config"])
            .arg(&conf)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start pcscd");
        // A pcscd that already serves this machine (systemd's socket
        // activation starts Debian's on the first client) keeps the socket,
        // and ours ends at once: the card then goes to the vpcd port of the
        // system's configuration (vsmartcard-vpcd's /etc/reader.conf.d/vpcd).
        std::thread::sleep(Duration::from_millis(500));
        let (pcscd, port) = match pcscd.try_wait() {
            Ok(None) => (Some(pcscd), port),
            _ => (None, SYSTEM_PORT),
        };
        let reader = VirtualReader { pcscd, port, dir, _lock: lock };
        let start = Instant::now();
        while !hoso_chip::reader::readers().is_ok_and(|r| r.iter().any(|n| n == READER)) {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "pcscd did not list {READER}: {}",
                reader.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        reader
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("pcscd.log")).unwrap_or_default()
    }

    /// Puts a card of `person` (a JSON file, see icao_card.py) on the reader,
    /// with `faults` (`--tamper-dg13`, `--unknown-signer`, `--remove-after N`).
    pub fn insert(&self, person: &Path, faults: &[&str]) -> InsertedCard<'_> {
        let mut child = Command::new(python())
            .arg(emulator())
            .args(["--port", &self.port.to_string(), "--dir"])
            .arg(self.dir.path())
            .arg("--person")
            .arg(person)
            .args(faults)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the card emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert!(line.contains("inserted"), "the card emulator did not start: {line}");
        // pcscd sees the card when it next polls the reader.
        let events = self
            .wait_for(|state, _| state.contains(pcsc::State::PRESENT))
            .unwrap_or_else(|| panic!("pcscd did not see the card: {}", self.log()));
        InsertedCard { child, reader: self, events }
    }

    /// Waits until the reader's state and event count pass `ready`, and
    /// gives the event count then; `None` after ten seconds.
    fn wait_for(&self, ready: impl Fn(pcsc::State, u32) -> bool) -> Option<u32> {
        let ctx = pcsc::Context::establish(pcsc::Scope::User).expect("a PC/SC context");
        let name = std::ffi::CString::new(READER).unwrap();
        let mut states = [pcsc::ReaderState::new(name, pcsc::State::UNAWARE)];
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            match ctx.get_status_change(Duration::from_millis(200), &mut states) {
                Ok(()) | Err(pcsc::Error::Timeout) => {}
                Err(e) => panic!("the reader's state: {e}: {}", self.log()),
            }
            let (state, events) = (states[0].event_state(), states[0].event_count());
            if ready(state, events) {
                return Some(events);
            }
            states[0].sync_current_state();
        }
        None
    }

    /// The CSCA the emulator's cards are signed under (made on first insert).
    pub fn csca(&self) -> PathBuf {
        self.dir.path().join("csca.pem")
    }
}

impl Drop for VirtualReader {
    fn drop(&mut self) {
        // pcscd is ended by its pid, and waited for, before the lock goes.
        if let Some(pcscd) = &mut self.pcscd {
            terminate(pcscd.id());
            let _ = pcscd.wait();
        }
    }
}

/// A card on the reader; taken off when dropped.
pub struct InsertedCard<'a> {
    child: Child,
    reader: &'a VirtualReader,
    /// The reader's event count when the card was seen.
    events: u32,
}

impl InsertedCard<'_> {
    /// Takes the card off the reader and waits until pcscd's own poll has
    /// seen it go (the event count moves on: a failed reset alone empties
    /// the slot without counting an event).
    pub fn remove(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let events = self.events;
        self.reader
            .wait_for(|state, count| state.contains(pcsc::State::EMPTY) && count != events)
            .unwrap_or_else(|| panic!("pcscd did not see the card go: {}", self.reader.log()));
    }
}

impl Drop for InsertedCard<'_> {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// icao_card.py, found from whichever crate's tests include this module.
fn emulator() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|d| d.join("crates/hoso-chip/tests/card/icao_card.py"))
        .find(|p| p.is_file())
        .expect("crates/hoso-chip/tests/card/icao_card.py above the crate")
}

/// SIGTERM, so pcscd removes its socket and pid file.
fn terminate(pid: u32) {
    let _ = Command::new("kill").arg(pid.to_string()).status();
}

fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|p| p.join(program).is_file()))
        || Path::new("/usr/sbin").join(program).is_file()
}

/// The Python with `cryptography` and `asn1crypto`: pyHanko's environment.
fn python() -> PathBuf {
    std::env::var_os("HOSO_PYHANKO")
        .map(PathBuf::from)
        .and_then(|p| p.parent().map(|d| d.join("python")))
        .filter(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("python3"))
}

/// A TCP port nobody listens on, with the one after it (vpcd's second slot).
fn free_port() -> u16 {
    loop {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        if port < u16::MAX && std::net::TcpListener::bind(("0.0.0.0", port + 1)).is_ok() {
            return port;
        }
    }
}

/// The holder of the test cards.
pub fn person(dir: &Path) -> PathBuf {
    let path = dir.join("person.json");
    std::fs::write(
        &path,
        r#"{"id": "079070752696", "name": "Lê Minh Nam", "name_mrz": "LE<<MINH<NAM",
            "birth": "700704", "birth_text": "04/07/1970", "sex": "Nam", "sex_mrz": "M",
            "expiry": "300704", "expiry_text": "04/07/2030",
            "origin": "Phường Sài Gòn, TP. Hồ Chí Minh",
            "residence": "12 Lý Tự Trọng, Phường Sài Gòn, TP. Hồ Chí Minh",
            "marks": "Nốt ruồi cách 2 cm dưới mép trái", "issued": "10/08/2021",
            "father": "Lê Văn An", "mother": "Trần Thị Bình", "old_id": "025123456"}"#,
    )
    .unwrap();
    path
}
