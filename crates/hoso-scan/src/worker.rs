//! A scanner driver in a process of its own, so that a driver that hangs or
//! crashes never takes the app down with it.
//!
//! - [`WorkerScanner`] is the app's side (SANE, TWAIN and WIA devices all go
//!   through it): a [`Scanner`] that starts the worker
//!   program (`hoso-scan-worker`, beside the app), asks it for one thing at a
//!   time, and waits with a watchdog. When the worker stops answering it is
//!   ended (`TerminateProcess` on Windows, `SIGKILL` elsewhere) and the batch
//!   ends with [`ScanError::DriverHung`]; when it dies, with
//!   [`ScanError::DriverCrashed`]. Pages it handed out before are the caller's,
//!   already stored.
//! - [`serve`] is the worker's side: it opens the device in its own process
//!   ([`crate::open_in_process`]) and answers requests.
//!
//! The pipe carries requests as JSON lines (worker's stdin) and answers as
//! frames (worker's stdout): the magic `HOSO`, a little-endian `u32` length,
//! that many bytes of JSON, then, for a page, its raw pixels. A frame that does
//! not start with the magic (a driver that prints to stdout) ends the worker
//! as a crash, never as a misread page.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use image::{DynamicImage, GrayImage, RgbImage};
use serde::{Deserialize, Serialize};

use crate::{Canceller, Capabilities, DeviceInfo, ScanError, ScanSettings, ScannedPage, Scanner};

/// The worker program's file name.
pub const PROGRAM: &str = if cfg!(windows) { "hoso-scan-worker.exe" } else { "hoso-scan-worker" };

/// Longest wait for the worker to start and open its device (a USB driver
/// waking a scanner takes seconds; a hung one, forever).
const OPEN_TIMEOUT: Duration = Duration::from_secs(60);

/// Largest frame the app accepts: a 600 dpi A3 colour page is about 209 MB.
const MAX_FRAME: u64 = 512 << 20;

const MAGIC: &[u8; 4] = b"HOSO";

/// The worker beside the running program (the installer puts them together).
pub fn default_program() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|d| d.join(PROGRAM)))
        .unwrap_or_else(|| PathBuf::from(PROGRAM))
}

/// What the app asks the worker.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Request {
    Devices {
        /// SANE's network backends too.
        #[serde(default)]
        network: bool,
    },
    Open {
        id: String,
    },
    Start {
        settings: ScanSettings,
    },
    Option {
        name: String,
        value: String,
    },
    Next,
    FeederLoaded,
    /// Read by the worker's input thread at any time, also mid-page.
    Cancel,
}

/// How a page's pixels are laid out after its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Pixels {
    Gray8,
    Rgb8,
}

/// What the worker answers.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
enum Answer {
    Devices { list: Vec<DeviceInfo> },
    Opened { info: DeviceInfo, caps: Capabilities },
    Done,
    Page { width: u32, height: u32, pixels: Pixels, dpi: f32 },
    End,
    Loaded { loaded: Option<bool> },
    Failed { error: ScanError },
}

/// One frame: the answer and, for a page, its pixels.
type Frame = (Answer, Vec<u8>);

fn write_frame(out: &mut impl Write, answer: &Answer, payload: &[u8]) -> std::io::Result<()> {
    let json = serde_json::to_vec(answer).map_err(std::io::Error::other)?;
    let len = u32::try_from(json.len()).map_err(std::io::Error::other)?;
    out.write_all(MAGIC)?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(&json)?;
    out.write_all(payload)?;
    out.flush()
}

/// Reads one frame; `Ok(None)` at a clean end of the stream.
fn read_frame(input: &mut impl Read) -> Result<Option<Frame>, String> {
    let mut head = [0u8; 8];
    match input.read_exact(&mut head[..1]) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e.to_string()),
    }
    input.read_exact(&mut head[1..]).map_err(|e| e.to_string())?;
    if &head[..4] != MAGIC {
        return Err("the worker wrote something that is not a HoSo frame".into());
    }
    let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
    if u64::from(len) > MAX_FRAME {
        return Err(format!("frame header of {len} bytes"));
    }
    let mut json = vec![0u8; len as usize];
    input.read_exact(&mut json).map_err(|e| e.to_string())?;
    let answer: Answer = serde_json::from_slice(&json).map_err(|e| format!("bad frame: {e}"))?;
    let payload = match &answer {
        Answer::Page { width, height, pixels, .. } => {
            let per = if *pixels == Pixels::Rgb8 { 3 } else { 1 };
            let size = u64::from(*width) * u64::from(*height) * per;
            if size == 0 || size > MAX_FRAME {
                return Err(format!("page of {width} x {height}"));
            }
            let mut data = vec![0u8; size as usize];
            input.read_exact(&mut data).map_err(|e| e.to_string())?;
            data
        }
        _ => Vec::new(),
    };
    Ok(Some((answer, payload)))
}

fn page_frame(page: &ScannedPage) -> (Answer, Vec<u8>) {
    let (width, height) = (page.image.width(), page.image.height());
    let (pixels, data) = match &page.image {
        DynamicImage::ImageLuma8(g) => (Pixels::Gray8, g.as_raw().clone()),
        DynamicImage::ImageRgb8(c) => (Pixels::Rgb8, c.as_raw().clone()),
        DynamicImage::ImageLumaA8(_) | DynamicImage::ImageLuma16(_) | DynamicImage::ImageLumaA16(_) => {
            (Pixels::Gray8, page.image.to_luma8().into_raw())
        }
        _ => (Pixels::Rgb8, page.image.to_rgb8().into_raw()),
    };
    (Answer::Page { width, height, pixels, dpi: page.dpi }, data)
}

fn page_of(width: u32, height: u32, pixels: Pixels, dpi: f32, data: Vec<u8>) -> Result<ScannedPage, String> {
    let image = match pixels {
        Pixels::Gray8 => GrayImage::from_raw(width, height, data).map(DynamicImage::ImageLuma8),
        Pixels::Rgb8 => RgbImage::from_raw(width, height, data).map(DynamicImage::ImageRgb8),
    };
    image.map(|image| ScannedPage { image, dpi }).ok_or_else(|| "page size does not match its pixels".into())
}

/// A driver that crashes ends the worker at once: Windows shows no "stopped
/// working" box (nor Wine its debugger), which would keep the process, and
/// the pipe, alive until someone clicked it, and a crash would look like a hang.
#[cfg(windows)]
#[allow(unsafe_code)]
fn no_crash_dialogs() {
    use windows_sys::Win32::System::Diagnostics::Debug::{
        SEM_FAILCRITICALERRORS, SEM_NOGPFAULTERRORBOX, SEM_NOOPENFILEERRORBOX, SetErrorMode,
    };
    // SAFETY: sets this process's error mode; no pointers.
    unsafe {
        SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
    }
}

/// The worker's side: reads requests from `input`, answers on `output`, with the
/// device opened by `open`. Returns when the app closes the pipe.
pub fn serve(
    input: impl Read + Send + 'static,
    mut output: impl Write,
    open: impl Fn(&str) -> Result<Box<dyn Scanner>, ScanError>,
    devices: impl Fn(bool) -> Result<Vec<DeviceInfo>, ScanError>,
) -> std::io::Result<()> {
    #[cfg(windows)]
    no_crash_dialogs();
    // The input thread: a cancel takes effect at once, even mid-page; every
    // other request goes to this thread, in order.
    let cancel: Arc<Mutex<Option<Canceller>>> = Arc::default();
    let (tx, rx) = mpsc::channel::<Request>();
    let input_cancel = Arc::clone(&cancel);
    std::thread::spawn(move || {
        for line in BufReader::new(input).lines() {
            let Ok(line) = line else { break };
            match serde_json::from_str::<Request>(&line) {
                Ok(Request::Cancel) => {
                    if let Some(c) = input_cancel.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
                        c.cancel();
                    }
                }
                Ok(request) => {
                    if tx.send(request).is_err() {
                        break;
                    }
                }
                Err(e) => log::warn!("worker: bad request {line:?}: {e}"),
            }
        }
    });
    let mut scanner: Option<Box<dyn Scanner>> = None;
    let not_open = || Answer::Failed { error: ScanError::Device("no device open in the worker".into()) };
    for request in rx {
        let (answer, payload) = match request {
            Request::Devices { network } => match devices(network) {
                Ok(list) => (Answer::Devices { list }, Vec::new()),
                Err(error) => (Answer::Failed { error }, Vec::new()),
            },
            Request::Open { id } => match open(&id) {
                Ok(s) => {
                    let answer = Answer::Opened { info: s.info().clone(), caps: s.capabilities().clone() };
                    *cancel.lock().unwrap_or_else(|e| e.into_inner()) = Some(s.canceller());
                    scanner = Some(s);
                    (answer, Vec::new())
                }
                Err(error) => (Answer::Failed { error }, Vec::new()),
            },
            Request::Start { settings } => match scanner.as_mut() {
                Some(s) => (done(s.start_batch(&settings)), Vec::new()),
                None => (not_open(), Vec::new()),
            },
            Request::Option { name, value } => match scanner.as_mut() {
                Some(s) => (done(s.set_option(&name, &value)), Vec::new()),
                None => (not_open(), Vec::new()),
            },
            Request::Next => match scanner.as_mut().map(|s| s.next_page()) {
                Some(Ok(Some(page))) => page_frame(&page),
                Some(Ok(None)) => (Answer::End, Vec::new()),
                Some(Err(error)) => (Answer::Failed { error }, Vec::new()),
                None => (not_open(), Vec::new()),
            },
            Request::FeederLoaded => match scanner.as_mut().map(|s| s.feeder_loaded()) {
                Some(Ok(loaded)) => (Answer::Loaded { loaded }, Vec::new()),
                Some(Err(error)) => (Answer::Failed { error }, Vec::new()),
                None => (not_open(), Vec::new()),
            },
            Request::Cancel => continue,
        };
        write_frame(&mut output, &answer, &payload)?;
    }
    drop(scanner);
    Ok(())
}

fn done(r: Result<(), ScanError>) -> Answer {
    match r {
        Ok(()) => Answer::Done,
        Err(error) => Answer::Failed { error },
    }
}

/// The worker process and the pipe to it.
#[derive(Debug)]
struct Process {
    child: Child,
    stdin: Arc<Mutex<Option<ChildStdin>>>,
    frames: mpsc::Receiver<Result<Frame, String>>,
}

/// A write to a worker that has died must be an error, not the end of the app:
/// SIGPIPE is ignored. Rust programs start that way, but SANE's thread helper
/// puts the default back, and a SANE-linked app would be killed by the signal.
#[cfg(unix)]
#[allow(unsafe_code)]
fn ignore_sigpipe() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: setting a signal's disposition to SIG_IGN installs no handler code.
    ONCE.call_once(|| unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    });
}

impl Process {
    fn start(program: &Path, env: &[(String, String)]) -> Result<Process, ScanError> {
        #[cfg(unix)]
        ignore_sigpipe();
        let mut cmd = Command::new(program);
        cmd.arg("--serve").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child =
            cmd.spawn().map_err(|e| ScanError::NoWorker(format!("{}: {e}", program.display())))?;
        let stdin = child.stdin.take();
        let Some(mut stdout) = child.stdout.take() else {
            let _ = child.kill();
            return Err(ScanError::NoWorker("no pipe to the worker".into()));
        };
        let (tx, frames) = mpsc::channel();
        std::thread::spawn(move || {
            loop {
                let frame = match read_frame(&mut stdout) {
                    Ok(Some(frame)) => Ok(frame),
                    Ok(None) => break,
                    Err(e) => Err(e),
                };
                let stop = frame.is_err();
                if tx.send(frame).is_err() || stop {
                    break;
                }
            }
        });
        Ok(Process { child, stdin: Arc::new(Mutex::new(stdin)), frames })
    }

    fn send(stdin: &Mutex<Option<ChildStdin>>, request: &Request) -> bool {
        let Ok(mut line) = serde_json::to_vec(request) else { return false };
        line.push(b'\n');
        let mut guard = stdin.lock().unwrap_or_else(|e| e.into_inner());
        guard.as_mut().is_some_and(|w| w.write_all(&line).and_then(|()| w.flush()).is_ok())
    }

    /// Asks and waits at most `limit`; a silent worker is ended.
    fn ask(&mut self, request: &Request, limit: Duration) -> Result<Frame, ScanError> {
        if !Process::send(&self.stdin, request) {
            return Err(self.crashed("the pipe to it is closed"));
        }
        match self.frames.recv_timeout(limit) {
            Ok(Ok(frame)) => Ok(frame),
            Ok(Err(garbled)) => {
                let _ = self.child.kill();
                Err(self.crashed(&garbled))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(self.crashed("it stopped")),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                log::warn!("scan worker silent for {limit:?}: ending it");
                let _ = self.child.kill();
                let _ = self.child.wait();
                Err(ScanError::DriverHung)
            }
        }
    }

    fn crashed(&mut self, what: &str) -> ScanError {
        let status = match self.child.wait() {
            Ok(s) => match s.code() {
                Some(code) => format!("exit code {code:#x}"),
                None => s.to_string(),
            },
            Err(e) => e.to_string(),
        };
        ScanError::DriverCrashed(format!("{what}; {status}"))
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        // Closing its stdin ends a healthy worker; a stuck one is ended.
        self.stdin.lock().unwrap_or_else(|e| e.into_inner()).take();
        for _ in 0..50 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How a worker is started.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// The worker program; [`default_program`] unless set.
    pub program: PathBuf,
    /// Longest wait for one page (or any other answer) before the driver is
    /// taken as hung and ended.
    pub watchdog: Duration,
    /// Extra environment for the worker process.
    pub env: Vec<(String, String)>,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions { program: default_program(), watchdog: Duration::from_secs(120), env: Vec::new() }
    }
}

/// Lists the devices the worker's drivers see (a driver that hangs while
/// enumerating is ended like one that hangs while scanning).
pub fn devices(network: bool, options: &WorkerOptions) -> Result<Vec<DeviceInfo>, ScanError> {
    let mut p = Process::start(&options.program, &options.env)?;
    match p.ask(&Request::Devices { network }, options.watchdog.max(OPEN_TIMEOUT))? {
        (Answer::Devices { list }, _) => Ok(list),
        (Answer::Failed { error }, _) => Err(error),
        (other, _) => Err(ScanError::Device(format!("worker answered {other:?}"))),
    }
}

/// A device driven by a worker process.
#[derive(Debug)]
pub struct WorkerScanner {
    info: DeviceInfo,
    caps: Capabilities,
    process: Option<Process>,
    canceller: Canceller,
    watchdog: Duration,
}

impl WorkerScanner {
    /// Starts a worker and opens device `id` in it.
    pub fn open(id: &str, options: &WorkerOptions) -> Result<WorkerScanner, ScanError> {
        let mut process = Process::start(&options.program, &options.env)?;
        let (info, caps) =
            match process.ask(&Request::Open { id: id.to_owned() }, options.watchdog.max(OPEN_TIMEOUT))? {
                (Answer::Opened { info, caps }, _) => (info, caps),
                (Answer::Failed { error }, _) => return Err(error),
                (other, _) => return Err(ScanError::Device(format!("worker answered {other:?}"))),
            };
        let stdin = Arc::clone(&process.stdin);
        let canceller = Canceller::with_hook(move || {
            Process::send(&stdin, &Request::Cancel);
        });
        Ok(WorkerScanner { info, caps, process: Some(process), canceller, watchdog: options.watchdog })
    }

    /// The worker's process id while it runs (for tests and logs).
    pub fn pid(&self) -> Option<u32> {
        self.process.as_ref().map(|p| p.child.id())
    }

    fn ask(&mut self, request: &Request) -> Result<Frame, ScanError> {
        let Some(process) = self.process.as_mut() else {
            return Err(ScanError::DriverCrashed("the worker was ended earlier in this batch".into()));
        };
        let result = process.ask(request, self.watchdog);
        if matches!(result, Err(ScanError::DriverHung | ScanError::DriverCrashed(_))) {
            self.process = None;
        }
        result
    }

    fn simple(&mut self, request: &Request) -> Result<(), ScanError> {
        match self.ask(request)? {
            (Answer::Done, _) => Ok(()),
            (Answer::Failed { error }, _) => Err(error),
            (other, _) => Err(ScanError::Device(format!("worker answered {other:?}"))),
        }
    }
}

impl Scanner for WorkerScanner {
    fn info(&self) -> &DeviceInfo {
        &self.info
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn start_batch(&mut self, settings: &ScanSettings) -> Result<(), ScanError> {
        self.canceller.reset();
        self.simple(&Request::Start { settings: settings.clone() })
    }

    fn next_page(&mut self) -> Result<Option<ScannedPage>, ScanError> {
        if self.canceller.is_cancelled() {
            return Err(ScanError::Cancelled);
        }
        let answer = self.ask(&Request::Next);
        if self.canceller.is_cancelled() {
            return Err(ScanError::Cancelled);
        }
        match answer? {
            (Answer::Page { width, height, pixels, dpi }, data) => {
                page_of(width, height, pixels, dpi, data).map(Some).map_err(ScanError::DriverCrashed)
            }
            (Answer::End, _) => Ok(None),
            (Answer::Failed { error }, _) => Err(error),
            (other, _) => Err(ScanError::Device(format!("worker answered {other:?}"))),
        }
    }

    fn canceller(&self) -> Canceller {
        self.canceller.clone()
    }

    fn set_option(&mut self, name: &str, value: &str) -> Result<(), ScanError> {
        self.simple(&Request::Option { name: name.to_owned(), value: value.to_owned() })
    }

    fn feeder_loaded(&mut self) -> Result<Option<bool>, ScanError> {
        match self.ask(&Request::FeederLoaded)? {
            (Answer::Loaded { loaded }, _) => Ok(loaded),
            (Answer::Failed { error }, _) => Err(error),
            (other, _) => Err(ScanError::Device(format!("worker answered {other:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(bytes: &[u8]) -> Result<Option<Frame>, String> {
        read_frame(&mut std::io::Cursor::new(bytes.to_vec()))
    }

    #[test]
    fn a_page_crosses_the_pipe_with_its_pixels_and_resolution() {
        let image = GrayImage::from_fn(5, 3, |x, y| image::Luma([(x * 10 + y) as u8]));
        let page = ScannedPage { image: DynamicImage::ImageLuma8(image.clone()), dpi: 300.0 };
        let (answer, data) = page_frame(&page);
        let mut wire = Vec::new();
        write_frame(&mut wire, &answer, &data).unwrap();
        let (answer, data) = roundtrip(&wire).unwrap().unwrap();
        let Answer::Page { width, height, pixels, dpi } = answer else { panic!("{answer:?}") };
        let back = page_of(width, height, pixels, dpi, data).unwrap();
        assert_eq!(back.image.to_luma8(), image);
        assert_eq!(back.dpi, 300.0);
    }

    #[test]
    fn an_error_keeps_its_code_across_the_pipe() {
        let mut wire = Vec::new();
        write_frame(&mut wire, &Answer::Failed { error: ScanError::Jammed }, &[]).unwrap();
        let (answer, _) = roundtrip(&wire).unwrap().unwrap();
        let Answer::Failed { error } = answer else { panic!("{answer:?}") };
        assert_eq!(error.code(), "jammed");
    }

    #[test]
    fn what_a_driver_prints_on_stdout_is_refused_not_read_as_a_page() {
        assert!(roundtrip(b"Initialising scanner...\n").unwrap_err().contains("not a HoSo frame"));
        // A frame whose header claims more than any page needs.
        let mut wire = MAGIC.to_vec();
        wire.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(roundtrip(&wire).is_err());
        // A page header that claims pixels the stream does not hold.
        let mut wire = Vec::new();
        let page = Answer::Page { width: 100, height: 100, pixels: Pixels::Rgb8, dpi: 300.0 };
        write_frame(&mut wire, &page, &[0u8; 10]).unwrap();
        assert!(roundtrip(&wire).is_err());
        assert!(roundtrip(b"").unwrap().is_none());
    }
}
