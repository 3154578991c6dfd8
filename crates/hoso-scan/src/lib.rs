//! Scanners: finding them, their normalised capabilities, and batches of pages.
//!
//! - [`Scanner`] is what every driver offers: [`Capabilities`] (flatbed /
//!   feeder / duplex, resolutions, colour modes, area), a batch started with
//!   [`ScanSettings`], pages pulled one at a time with [`Scanner::next_page`]
//!   (the caller stores each page before asking for the next, so a jam loses
//!   nothing already scanned), and a [`Canceller`] usable from any thread.
//! - [`sane`]: our own thin FFI over `libsane.so.1`, loaded at run time (the
//!   program starts without SANE); each device lives on its own thread because
//!   SANE handles are not thread-safe.
//! - [`escl`]: driverless network scanners (eSCL / AirScan over HTTP).
//! - [`folder`]: a watched folder for scanners whose own software saves files;
//!   a file is taken only once its size and time stop changing.
//! - [`twain`]: our own TWAIN bindings (Windows), run only inside a worker.
//! - `wia`: WIA 2.0 through the `windows` crate (Windows), also in a worker.
//! - [`worker`]: a driver in a process of its own (`hoso-scan-worker`), with a
//!   watchdog, so a driver that hangs or crashes cannot take the app down.
//!   [`open_with`] runs SANE, TWAIN and WIA there; only eSCL (HTTP) runs in
//!   the app's process.
//!
//! Ids say which driver: `sane:<name>`, `escl:<url>`, `twain:<product name>`,
//! `wia:<device id>`.

mod device_thread;
pub mod escl;
pub mod folder;
pub mod sane;
pub mod twain;
#[cfg(windows)]
pub mod wia;
pub mod worker;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use hoso_i18n::msg;
use image::DynamicImage;
use serde::{Deserialize, Serialize};

/// Where the paper is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Flatbed,
    Feeder,
    FeederDuplex,
}

/// Pixel type of a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColourMode {
    Colour,
    Gray,
    BlackWhite,
}

/// What a device can do, in the same terms for every driver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Capabilities {
    pub sources: Vec<Source>,
    /// Resolutions offered (dpi), ascending.
    pub resolutions: Vec<u32>,
    pub modes: Vec<ColourMode>,
    /// Largest scan area in millimetres.
    pub max_width_mm: f32,
    pub max_height_mm: f32,
}

/// A device found on this machine or the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceInfo {
    /// How to open it again: `sane:<name>`, `escl:<url>`.
    pub id: String,
    pub vendor: String,
    pub model: String,
    /// "flatbed scanner", "sheetfed scanner", …
    pub kind: String,
}

/// A batch request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanSettings {
    pub source: Source,
    /// Dots per inch; the nearest offered resolution is used.
    pub resolution: u32,
    pub mode: ColourMode,
    /// Scan area in millimetres from the top-left corner; A4 (210 × 297) by
    /// default, clipped to the device's maximum.
    pub width_mm: f32,
    pub height_mm: f32,
}

impl Default for ScanSettings {
    fn default() -> Self {
        Self {
            source: Source::Feeder,
            resolution: 300,
            mode: ColourMode::Colour,
            width_mm: 210.0,
            height_mm: 297.0,
        }
    }
}

/// One scanned page.
#[derive(Debug, Clone)]
pub struct ScannedPage {
    pub image: DynamicImage,
    /// Resolution the device scanned at.
    pub dpi: f32,
}

/// Scanner failures, with the message a clerk reads (from the catalogue).
/// They cross the worker process's pipe as JSON ([`worker`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "code", content = "detail", rename_all = "snake_case")]
pub enum ScanError {
    #[error("{}", msg!("scan-no-sane", detail = .0))]
    NoSane(String),
    #[error("{}", msg!("scan-not-found", scanner = .0))]
    NotFound(String),
    #[error("{}", msg!("scan-no-local-driver", scanner = .0))]
    NoLocalDriver(String),
    #[error("{}", msg!("scan-busy"))]
    Busy,
    #[error("{}", msg!("scan-feeder-empty"))]
    FeederEmpty,
    #[error("{}", msg!("scan-jammed"))]
    Jammed,
    #[error("{}", msg!("scan-cover-open"))]
    CoverOpen,
    #[error("{}", msg!("scan-cancelled"))]
    Cancelled,
    #[error("{}", msg!("scan-unsupported", what = .0))]
    Unsupported(String),
    #[error("{}", msg!("scan-access-denied"))]
    AccessDenied,
    #[error("{}", msg!("scan-device", detail = .0))]
    Device(String),
    /// Two sheets were pulled in at once.
    #[error("{}", msg!("scan-double-feed"))]
    DoubleFeed,
    /// The driver stopped answering a call; the device is given up.
    #[error("{}", msg!("scan-driver-stopped"))]
    DriverStopped,
    /// No TWAIN source manager could be loaded (what was tried).
    #[error("{}", msg!("scan-no-twain", detail = .0))]
    NoTwain(String),
    #[error("{}", msg!("scan-driver-hung"))]
    DriverHung,
    #[error("{}", msg!("scan-driver-crashed", detail = .0))]
    DriverCrashed(String),
    #[error("{}", msg!("scan-no-worker", detail = .0))]
    NoWorker(String),
}

impl ScanError {
    /// A fault of the paper, not of the driver: the feeder ran empty, a jam, an
    /// open cover, a double feed. The clerk can put it right and go on.
    pub fn is_paper_fault(&self) -> bool {
        matches!(
            self,
            ScanError::FeederEmpty | ScanError::Jammed | ScanError::CoverOpen | ScanError::DoubleFeed
        )
    }

    /// Stable machine name.
    pub fn code(&self) -> &'static str {
        match self {
            ScanError::NoSane(_) => "no_sane",
            ScanError::NotFound(_) => "not_found",
            ScanError::NoLocalDriver(_) => "no_local_driver",
            ScanError::Busy => "busy",
            ScanError::FeederEmpty => "feeder_empty",
            ScanError::Jammed => "jammed",
            ScanError::CoverOpen => "cover_open",
            ScanError::Cancelled => "cancelled",
            ScanError::Unsupported(_) => "unsupported",
            ScanError::AccessDenied => "access_denied",
            ScanError::Device(_)
            | ScanError::DoubleFeed
            | ScanError::DriverStopped
            | ScanError::NoTwain(_) => "device",
            ScanError::DriverHung => "driver_hung",
            ScanError::DriverCrashed(_) => "driver_crashed",
            ScanError::NoWorker(_) => "no_worker",
        }
    }
}

/// Stops a running batch from any thread: the page being read is dropped, the
/// ones already handed out stay valid.
#[derive(Clone, Default)]
pub struct Canceller {
    flag: Arc<AtomicBool>,
    hook: Option<Arc<dyn Fn() + Send + Sync>>,
}

impl std::fmt::Debug for Canceller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Canceller").field("cancelled", &self.is_cancelled()).finish_non_exhaustive()
    }
}

impl Canceller {
    /// A canceller that also calls `hook` (the driver's own cancel) when used.
    pub fn with_hook(hook: impl Fn() + Send + Sync + 'static) -> Self {
        Self { flag: Arc::default(), hook: Some(Arc::new(hook)) }
    }

    pub fn cancel(&self) {
        self.flag.store(true, Ordering::SeqCst);
        if let Some(hook) = &self.hook {
            hook();
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// Clears the flag for the next batch.
    pub fn reset(&self) {
        self.flag.store(false, Ordering::SeqCst);
    }
}

/// A scanner driver's device, opened.
pub trait Scanner: Send {
    fn info(&self) -> &DeviceInfo;
    fn capabilities(&self) -> &Capabilities;
    /// Prepares a batch (options, paper source); pages come from [`Scanner::next_page`].
    fn start_batch(&mut self, settings: &ScanSettings) -> Result<(), ScanError>;
    /// The next page of the batch, or `None` when it ended cleanly (the feeder ran
    /// empty after at least one page, or the flatbed page was read). After an
    /// error the batch is over; pages returned before it are good.
    fn next_page(&mut self) -> Result<Option<ScannedPage>, ScanError>;
    /// A handle to stop the batch from another thread.
    fn canceller(&self) -> Canceller;
    /// Whether paper is in the feeder, from the scanner's sensor (SANE's
    /// `page-loaded`, eSCL's AdfState, TWAIN's CAP_FEEDERLOADED); `None` when
    /// the scanner has no such sensor. Asked between batches, never mid-page.
    fn feeder_loaded(&mut self) -> Result<Option<bool>, ScanError> {
        Ok(None)
    }
    /// Sets a driver-specific option by name for the running batch (after
    /// [`Scanner::start_batch`]): a vendor's double-feed detection, the SANE test
    /// backend's simulated faults. Drivers without such options refuse.
    fn set_option(&mut self, name: &str, _value: &str) -> Result<(), ScanError> {
        Err(ScanError::Unsupported(format!("option {name}")))
    }
}

/// An eSCL scanner: plain HTTP with time limits, no driver code, so it runs
/// in the app's own process.
fn is_escl(id: &str) -> bool {
    id.starts_with("escl:") || id.starts_with("http://") || id.starts_with("https://")
}

/// Opens a device by id: `sane:<name>`, `escl:<url>` (a bare `http(s)://` URL
/// is eSCL too), `twain:<product name>` or `wia:<device id>`. Every driver
/// (SANE, TWAIN, WIA) runs in a worker process started as `worker` says; an
/// eSCL scanner is spoken to from this process.
pub fn open_with(id: &str, worker: &worker::WorkerOptions) -> Result<Box<dyn Scanner>, ScanError> {
    if is_escl(id) { open_in_process(id) } else { Ok(Box::new(worker::WorkerScanner::open(id, worker)?)) }
}

/// Opens a device in this process, whatever its driver: what the worker runs.
pub fn open_in_process(id: &str) -> Result<Box<dyn Scanner>, ScanError> {
    if is_escl(id) {
        Ok(Box::new(escl::EsclScanner::open(id)?))
    } else if id.starts_with("twain:") || id.starts_with("wia:") {
        open_windows(id)
    } else {
        open_local(id)
    }
}

#[cfg(windows)]
fn open_windows(id: &str) -> Result<Box<dyn Scanner>, ScanError> {
    if id.starts_with("wia:") {
        Ok(Box::new(wia::WiaScanner::open(id)?))
    } else {
        Ok(Box::new(twain::TwainScanner::open(id)?))
    }
}

#[cfg(not(windows))]
fn open_windows(id: &str) -> Result<Box<dyn Scanner>, ScanError> {
    Err(ScanError::Unsupported(format!("{id}: TWAIN and WIA exist on Windows only")))
}

/// A scanner on this PC: SANE on Linux and macOS.
#[cfg(not(windows))]
fn open_local(id: &str) -> Result<Box<dyn Scanner>, ScanError> {
    Ok(Box::new(sane::SaneScanner::open(id)?))
}

/// On Windows a local scanner is a TWAIN source (`twain:<name>`); SANE is no
/// Windows interface; WIA devices are `wia:<id>`.
#[cfg(windows)]
fn open_local(id: &str) -> Result<Box<dyn Scanner>, ScanError> {
    Err(ScanError::NoLocalDriver(id.to_owned()))
}

/// Devices on this PC, listed by the worker (drivers load and probe hardware
/// to list it, and can hang doing so). Linux: SANE (with `network`, SANE's
/// network backends answer too: sane-airscan finds eSCL/WSD scanners by mDNS
/// in a few seconds). Windows: the TWAIN sources, then the WIA devices. eSCL
/// scanners can also be named directly by URL.
pub fn devices_with(network: bool, worker: &worker::WorkerOptions) -> Result<Vec<DeviceInfo>, ScanError> {
    worker::devices(network, worker)
}

/// What the worker lists: the drivers of this process (on Windows the TWAIN
/// sources, then the WIA devices; one of the two failing hides not the other).
pub fn devices_in_process(network: bool) -> Result<Vec<DeviceInfo>, ScanError> {
    #[cfg(windows)]
    return {
        let _ = network;
        match (twain::devices(), wia::devices()) {
            (Err(e), Err(_)) => Err(e),
            (twain, wia) => {
                for e in [&twain, &wia].into_iter().filter_map(|r| r.as_ref().err()) {
                    log::warn!("scanner discovery: {e}");
                }
                Ok(twain.unwrap_or_default().into_iter().chain(wia.unwrap_or_default()).collect())
            }
        }
    };
    #[cfg(not(windows))]
    sane::devices(!network)
}

/// The offered resolution nearest to `wanted`.
pub fn nearest_resolution(offered: &[u32], wanted: u32) -> Option<u32> {
    offered.iter().copied().min_by_key(|r| r.abs_diff(wanted))
}

/// Resolutions worth offering inside a continuous range.
pub(crate) fn common_resolutions(min: u32, max: u32) -> Vec<u32> {
    [75, 100, 150, 200, 240, 300, 400, 600, 1200].into_iter().filter(|r| (min..=max).contains(r)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On Windows (run under Wine) no SANE is looked for: a local id that is no
    /// TWAIN source says what to use instead.
    #[cfg(windows)]
    #[test]
    fn windows_says_what_works_instead_of_a_sane_device() {
        let err = open_in_process("fujitsu:fi-7160:1234").err().unwrap();
        assert_eq!(err.code(), "no_local_driver");
        assert!(err.to_string().contains("TWAIN"), "{err}");
    }

    /// Without its worker program, a TWAIN source is a clear "reinstall".
    #[test]
    fn a_missing_worker_is_named() {
        let options =
            worker::WorkerOptions { program: "/nonexistent/hoso-scan-worker".into(), ..Default::default() };
        let err = open_with("twain:Any", &options).err().unwrap();
        assert_eq!(err.code(), "no_worker", "{err}");
        assert!(err.to_string().contains("hoso-scan-worker"), "{err}");
    }

    #[test]
    fn a_url_is_an_escl_scanner_and_a_bad_one_is_not_found() {
        let err = open_in_process("escl:ftp://scanner/eSCL").err().unwrap();
        assert_eq!(err.code(), "not_found", "{err}");
    }
}
