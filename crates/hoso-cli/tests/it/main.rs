//! End-to-end tests of the `hoso` binary on real files, real processes and real SQLite.

mod bad_input;
mod card;
#[cfg(target_os = "linux")]
mod chip;
// Linux-only modules, each for a part no Windows process can use here: SoftHSM2
// (a Linux library; certify, doctor), SANE (scan, doctor), and the Linux programs
// pdfsig, pyHanko, Preflight and python3 (cer.py), which a Windows test under Wine
// can start but not wait for. The Windows build's OCR quality and PDF/A are
// checked from the Linux side by scripts/windows/test instead.
#[cfg(not(windows))]
mod certify;
pub mod crash;
#[cfg(not(windows))]
mod demo_counter;
#[cfg(not(windows))]
mod doctor;
#[cfg(not(windows))]
mod ocr;
mod procedures;
mod records;
mod reuse;
#[cfg(not(windows))]
mod scan;
mod sync;
#[cfg(windows)]
mod twain;

use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use image::{GrayImage, Luma};

pub const UNIT: &str = "000.00.01.H29";

/// An empty file on every platform.
pub const NULL_FILE: &str = if cfg!(windows) { "NUL" } else { "/dev/null" };

/// Writes a config file for a test: `keys` (TOML lines) over the harness's own
/// (the Windows harness names its Tesseract there: scripts/windows/test).
pub fn write_config(path: &Path, keys: &str) -> PathBuf {
    let set: Vec<&str> = keys.lines().filter_map(|l| l.split('=').next()).map(str::trim).collect();
    let base = std::env::var("HOSO_TEST_CONFIG")
        .ok()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .unwrap_or_default();
    let kept: String = base
        .lines()
        .filter(|l| !set.contains(&l.split('=').next().unwrap_or("").trim()))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(path, format!("{kept}{keys}")).unwrap();
    path.to_owned()
}

/// A path as a TOML literal string (Windows paths hold backslashes).
pub fn toml_path(p: &Path) -> String {
    format!("'{}'", p.display())
}

/// Runs `hoso` on a store folder, in English, returning its output.
pub fn hoso(data: &Path, args: &[&str]) -> Output {
    cmd(data, args).run()
}

/// How long a test lets one `hoso` run take before it ends it and fails.
const DEADLINE: Duration = Duration::from_secs(600);

/// `Command::output` for these tests, with two differences. What the child prints
/// goes to files, not pipes: under Wine, the desktop process that a child's
/// first window starts inherits that child's standard handles, so a pipe could
/// stay open after the child ended and a reader waiting for its end would wait
/// for ever (CI did, once). And a child still running after [`DEADLINE`] is
/// killed and the test fails, saying what it printed, instead of holding CI
/// until its own limit.
pub trait Run {
    fn run(&mut self) -> Output;
}

impl Run for Command {
    fn run(&mut self) -> Output {
        let mut out = tempfile::tempfile().unwrap();
        let mut err = tempfile::tempfile().unwrap();
        let mut child = self
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(err.try_clone().unwrap())
            .spawn()
            .unwrap_or_else(|e| panic!("{:?} did not start: {e}", self.get_program()));
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if started.elapsed() > DEADLINE {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let read = |f: &mut std::fs::File| {
            let mut v = Vec::new();
            f.rewind().unwrap();
            f.read_to_end(&mut v).unwrap();
            v
        };
        let (stdout, stderr) = (read(&mut out), read(&mut err));
        let Some(status) = status else {
            panic!(
                "{:?} {:?} still running after {} s: killed\n{}\n{}",
                self.get_program(),
                self.get_args().collect::<Vec<_>>(),
                DEADLINE.as_secs(),
                String::from_utf8_lossy(&stdout),
                String::from_utf8_lossy(&stderr)
            )
        };
        Output { status, stdout, stderr }
    }
}

pub fn cmd(data: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hoso"));
    c.arg("--data-dir").arg(data).args(["--unit", UNIT, "--lang", "en", "--actor", "test"]);
    c.args(args);
    // The user's own config must not leak into tests; the Windows harness names
    // one with the Windows Tesseract (scripts/windows/test).
    let config = std::env::var("HOSO_TEST_CONFIG").unwrap_or_else(|_| NULL_FILE.into());
    c.env("HOSO_CONFIG", config).env_remove("HOSO_DATA_DIR").env_remove("HOSO_UNIT");
    c
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[cfg(not(windows))]
/// A SoftHSM2 token `hoso-test` (PIN 123456) with a test CA, certifier and
/// agency certificates in `dir` (scripts/test-pki); returns SOFTHSM2_CONF.
pub fn test_pki(dir: &Path) -> String {
    let o = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/test-pki"))
        .arg(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

/// The arguments that open a test record (JSON output: [`record_code`]).
pub const NEW_RECORD: [&str; 9] =
    ["--json", "record", "new", "--procedure", "1.001193", "--name", "Lê Minh Nam", "--id", "079070752696"];

/// The code of the record `hoso --json record new` opened.
pub fn record_code(json: &[u8]) -> String {
    let v: serde_json::Value = serde_json::from_slice(json).unwrap();
    v["code"].as_str().unwrap().to_owned()
}

/// Opens a record and returns its code.
pub fn new_record(data: &Path) -> String {
    let o = hoso(data, &NEW_RECORD);
    assert!(o.status.success(), "{}", stderr(&o));
    record_code(&o.stdout)
}

/// A page-like grey image: white paper with dark "text" bars, plus noise when
/// `seed` is not 0 (noise makes PNGs big and slow, which the crash test wants).
pub fn page(width: u32, height: u32, seed: u32) -> GrayImage {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    GrayImage::from_fn(width, height, |x, y| {
        let text = (y / 40) % 2 == 1 && (x / 25) % 5 != 4 && x > width / 10 && x < width * 9 / 10;
        let base: i32 = if text { 30 } else { 235 };
        let noise = if seed == 0 {
            0
        } else {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state % 21) as i32 - 10
        };
        Luma([(base + noise).clamp(0, 255) as u8])
    })
}

pub fn write_png(dir: &Path, name: &str, img: &GrayImage) -> PathBuf {
    let path = dir.join(name);
    img.save(&path).unwrap();
    path
}

pub fn pages_in_db(data: &Path) -> i64 {
    let c = rusqlite::Connection::open(data.join("hoso.db")).unwrap();
    c.query_row("SELECT count(*) FROM pages", [], |r| r.get(0)).unwrap()
}
