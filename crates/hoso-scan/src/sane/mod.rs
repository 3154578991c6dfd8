//! The SANE driver: devices from any SANE backend through our own FFI ([`ffi`]).
//!
//! `libsane.so.1` is loaded when first needed and initialised once per process
//! (shared by all open devices, `sane_exit` when the last one closes). Each
//! opened device runs on its own thread, which owns the SANE handle; the
//! [`SaneScanner`] talks to it over channels. Only `sane_cancel` is called from
//! other threads, which the SANE standard allows.
//!
//! Option values are converted by their declared type: SANE_TYPE_FIXED values
//! (resolution and scan area on many backends) are 16.16 fixed point, the trap
//! the `sane-scan` crate falls into (300 dpi became 1 dpi).

mod ffi;

use std::collections::HashMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, Weak};

use image::{DynamicImage, GrayImage, RgbImage};

use crate::device_thread::{Answer, DeviceThread};
use crate::{
    Canceller, Capabilities, ColourMode, DeviceInfo, ScanError, ScanSettings, ScannedPage, Scanner, Source,
    common_resolutions, nearest_resolution,
};
use ffi::{Constraint, Descriptor, RawHandle, Status, Word};

/// Longest wait for the device thread's answer (a page at 600 dpi colour on a
/// slow USB scanner takes well under a minute).
const DRIVER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(180);

/// The library file; its soname is stable across SANE 1.x.
const LIBRARY: &str = "libsane.so.1";

/// The loaded and initialised library.
struct Lib {
    api: ffi::Api,
    /// Serialises the calls that touch SANE's global state (device list, open, close).
    global: Mutex<()>,
}

impl Drop for Lib {
    fn drop(&mut self) {
        self.api.exit();
    }
}

static LIB: Mutex<Weak<Lib>> = Mutex::new(Weak::new());

fn lib() -> Result<Arc<Lib>, ScanError> {
    let mut slot = LIB.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(lib) = slot.upgrade() {
        return Ok(lib);
    }
    let api = ffi::Api::load(LIBRARY).map_err(|e| ScanError::NoSane(e.to_string()))?;
    let version = api.init().map_err(|s| status_error(s, "sane_init"))?;
    log::debug!("SANE {}.{}.{}", (version >> 24) & 0xff, (version >> 16) & 0xff, version & 0xffff);
    let lib = Arc::new(Lib { api, global: Mutex::new(()) });
    *slot = Arc::downgrade(&lib);
    Ok(lib)
}

fn status_error(status: Status, what: &str) -> ScanError {
    match status {
        ffi::STATUS_JAMMED => ScanError::Jammed,
        ffi::STATUS_NO_DOCS => ScanError::FeederEmpty,
        ffi::STATUS_COVER_OPEN => ScanError::CoverOpen,
        ffi::STATUS_DEVICE_BUSY => ScanError::Busy,
        ffi::STATUS_CANCELLED => ScanError::Cancelled,
        ffi::STATUS_ACCESS_DENIED => ScanError::AccessDenied,
        ffi::STATUS_UNSUPPORTED => ScanError::Unsupported(what.to_owned()),
        ffi::STATUS_IO_ERROR => ScanError::Device(format!("{what}: I/O error")),
        ffi::STATUS_NO_MEM => ScanError::Device(format!("{what}: out of memory")),
        ffi::STATUS_INVAL => ScanError::Device(format!("{what}: invalid argument")),
        other => ScanError::Device(format!("{what}: SANE status {other}")),
    }
}

/// Lists SANE devices. `local_only` skips network backends (which can take
/// seconds to answer).
pub fn devices(local_only: bool) -> Result<Vec<DeviceInfo>, ScanError> {
    let lib = lib()?;
    let _g = lib.global.lock().unwrap_or_else(|e| e.into_inner());
    let list = lib.api.devices(local_only).map_err(|s| status_error(s, "sane_get_devices"))?;
    Ok(list
        .into_iter()
        .map(|[name, vendor, model, kind]| DeviceInfo { id: format!("sane:{name}"), vendor, model, kind })
        .collect())
}

enum Command {
    Start(ScanSettings),
    Next,
    SetOption(String, String),
    FeederLoaded,
}

type Reply = Result<Answer, ScanError>;

/// An open SANE device, driven on its own thread.
#[derive(Debug)]
pub struct SaneScanner {
    info: DeviceInfo,
    caps: Capabilities,
    device: DeviceThread<Command, Reply>,
    canceller: Canceller,
}

impl SaneScanner {
    /// Opens a device by SANE name (`test:0`) or id (`sane:test:0`).
    pub fn open(name: &str) -> Result<SaneScanner, ScanError> {
        let name = name.strip_prefix("sane:").unwrap_or(name).to_owned();
        let lib = lib()?;
        let thread_lib = Arc::clone(&lib);
        let thread_name = name.clone();
        let (device, (caps, handle)) =
            DeviceThread::start(format!("sane {name}"), "SANE device", move |ready, commands, replies| {
                device_thread(thread_lib, &thread_name, ready, commands, replies)
            })?;
        let cancel_lib = Arc::clone(&lib);
        let canceller = Canceller::with_hook(move || cancel_lib.api.cancel(handle));
        let (vendor, model, kind) = devices(true)
            .ok()
            .and_then(|list| list.into_iter().find(|d| d.id == format!("sane:{name}")))
            .map(|d| (d.vendor, d.model, d.kind))
            .unwrap_or_default();
        Ok(SaneScanner {
            info: DeviceInfo { id: format!("sane:{name}"), vendor, model, kind },
            caps,
            device,
            canceller,
        })
    }

    fn ask(&mut self, cmd: Command) -> Reply {
        self.device.ask(cmd, Some(DRIVER_TIMEOUT))?
    }

    fn page(&mut self, cmd: Command) -> Result<Option<ScannedPage>, ScanError> {
        self.ask(cmd).map(Answer::page)
    }
}

impl Drop for SaneScanner {
    fn drop(&mut self) {
        // Then the device thread ends (or, stuck, is left behind).
        self.canceller.cancel();
    }
}

impl Scanner for SaneScanner {
    fn info(&self) -> &DeviceInfo {
        &self.info
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn start_batch(&mut self, settings: &ScanSettings) -> Result<(), ScanError> {
        self.canceller.reset();
        self.ask(Command::Start(settings.clone())).map(|_| ())
    }

    fn next_page(&mut self) -> Result<Option<ScannedPage>, ScanError> {
        if self.canceller.is_cancelled() {
            return Err(ScanError::Cancelled);
        }
        let page = self.page(Command::Next);
        // Some backends answer a cancel with a short page and EOF instead of
        // SANE_STATUS_CANCELLED: a page read while cancelling is never handed out.
        if self.canceller.is_cancelled() {
            return Err(ScanError::Cancelled);
        }
        page
    }

    fn canceller(&self) -> Canceller {
        self.canceller.clone()
    }

    /// SANE's well-known sensor `page-loaded`, where the backend has it
    /// (fujitsu, canon_dr, genesys, kvs1025, …).
    fn feeder_loaded(&mut self) -> Result<Option<bool>, ScanError> {
        self.ask(Command::FeederLoaded).map(Answer::loaded)
    }

    /// Sets a backend-specific option by its SANE name, for settings the
    /// normalised [`ScanSettings`] do not cover (a vendor's paper-size or
    /// double-feed option, the test backend's simulated faults). Call after
    /// `start_batch`; it holds for the rest of the batch.
    fn set_option(&mut self, name: &str, value: &str) -> Result<(), ScanError> {
        self.ask(Command::SetOption(name.to_owned(), value.to_owned())).map(|_| ())
    }
}

/// The device's thread: opens the handle, answers commands, closes it.
fn device_thread(
    lib: Arc<Lib>,
    name: &str,
    ready: mpsc::Sender<Result<(Capabilities, RawHandle), ScanError>>,
    commands: mpsc::Receiver<Command>,
    replies: mpsc::Sender<Reply>,
) {
    let opened = {
        let _g = lib.global.lock().unwrap_or_else(|e| e.into_inner());
        lib.api.open(name)
    };
    let handle = match opened {
        Ok(h) => h,
        Err(ffi::STATUS_INVAL) => {
            let _ = ready.send(Err(ScanError::NotFound(name.to_owned())));
            return;
        }
        Err(s) => {
            let _ = ready.send(Err(status_error(s, "sane_open")));
            return;
        }
    };
    let mut dev =
        Device { lib: Arc::clone(&lib), handle, options: HashMap::new(), known: HashMap::new(), batch: None };
    dev.load_options();
    if ready.send(Ok((dev.capabilities(), handle))).is_err() {
        dev.close();
        return;
    }
    for cmd in commands {
        let reply = match cmd {
            Command::Start(settings) => dev.start(&settings).map(|()| Answer::Page(None)),
            Command::Next => dev.next_page().map(Answer::Page),
            Command::SetOption(name, value) => dev.set_option(&name, &value).map(|()| Answer::Page(None)),
            Command::FeederLoaded => Ok(Answer::Loaded(dev.page_loaded())),
        };
        if replies.send(reply).is_err() {
            break;
        }
    }
    dev.close();
}

struct Batch {
    source: Source,
    pages: u32,
    finished: bool,
}

struct Device {
    lib: Arc<Lib>,
    handle: RawHandle,
    /// The options active now.
    options: HashMap<String, (Word, Descriptor)>,
    /// Every option, inactive ones too (a feeder's duplex switch is inactive
    /// while the flatbed is the source).
    known: HashMap<String, Descriptor>,
    batch: Option<Batch>,
}

impl Device {
    fn load_options(&mut self) {
        let api = &self.lib.api;
        let count = api.get_word(self.handle, 0).unwrap_or(0);
        let all: Vec<(Word, Descriptor)> = (1..count)
            .filter_map(|i| api.descriptor(self.handle, i).map(|d| (i, d)))
            .filter(|(_, d)| !d.name.is_empty())
            .collect();
        self.known = all.iter().map(|(_, d)| (d.name.clone(), d.clone())).collect();
        self.options = all
            .into_iter()
            .filter(|(_, d)| d.cap & ffi::CAP_INACTIVE == 0)
            .map(|(i, d)| (d.name.clone(), (i, d)))
            .collect();
    }

    fn close(&mut self) {
        self.lib.api.cancel(self.handle);
        let _g = self.lib.global.lock().unwrap_or_else(|e| e.into_inner());
        self.lib.api.close(self.handle);
    }

    fn strings(&self, option: &str) -> Vec<String> {
        match self.options.get(option) {
            Some((_, Descriptor { constraint: Constraint::Strings(s), .. })) => s.clone(),
            _ => Vec::new(),
        }
    }

    fn capabilities(&self) -> Capabilities {
        let sources = {
            let mut s: Vec<Source> = self.strings("source").iter().filter_map(|s| source_of(s)).collect();
            // A feeder with a duplex switch of its own scans both sides too.
            if s.contains(&Source::Feeder)
                && !s.contains(&Source::FeederDuplex)
                && duplex_switch(&self.known).is_some()
            {
                s.push(Source::FeederDuplex);
            }
            if s.is_empty() { vec![Source::Flatbed] } else { s }
        };
        let mut modes: Vec<ColourMode> = self.strings("mode").iter().filter_map(|m| mode_of(m)).collect();
        let depths = match self.options.get("depth") {
            Some((_, Descriptor { constraint: Constraint::Words(w), .. })) => w.clone(),
            _ => Vec::new(),
        };
        if modes.contains(&ColourMode::Gray)
            && depths.contains(&1)
            && !modes.contains(&ColourMode::BlackWhite)
        {
            modes.push(ColourMode::BlackWhite);
        }
        let resolutions = match self.options.get("resolution") {
            Some((_, d)) => {
                let conv = |w: Word| word_to_f64(d, w).round() as u32;
                let mut r = match &d.constraint {
                    Constraint::Words(w) => w.iter().map(|&v| conv(v)).collect(),
                    Constraint::Range { min, max, .. } => common_resolutions(conv(*min), conv(*max)),
                    _ => Vec::new(),
                };
                r.sort_unstable();
                r.dedup();
                r
            }
            None => Vec::new(),
        };
        let max = |opt: &str| match self.options.get(opt) {
            Some((_, d @ Descriptor { constraint: Constraint::Range { max, .. }, .. })) => {
                word_to_f64(d, *max) as f32
            }
            _ => 0.0,
        };
        Capabilities { sources, resolutions, modes, max_width_mm: max("br-x"), max_height_mm: max("br-y") }
    }

    fn set_number(&self, option: &str, value: f64) -> Result<bool, ScanError> {
        let Some((index, d)) = self.options.get(option) else { return Ok(false) };
        let word = match d.value_type {
            ffi::TYPE_FIXED => (value * ffi::FIXED_SCALE).round() as Word,
            ffi::TYPE_INT | ffi::TYPE_BOOL => value.round() as Word,
            _ => return Ok(false),
        };
        self.lib.api.set_word(self.handle, *index, word).map_err(|s| status_error(s, option))?;
        Ok(true)
    }

    fn set_text(&self, option: &str, value: &str) -> Result<bool, ScanError> {
        let Some((index, d)) = self.options.get(option) else { return Ok(false) };
        if d.value_type != ffi::TYPE_STRING {
            return Ok(false);
        }
        self.lib.api.set_string(self.handle, *index, value, d.size).map_err(|s| status_error(s, option))?;
        Ok(true)
    }

    fn set_option(&mut self, name: &str, value: &str) -> Result<(), ScanError> {
        let Some((_, d)) = self.options.get(name) else {
            return Err(ScanError::Unsupported(format!("option {name}")));
        };
        let done = match d.value_type {
            ffi::TYPE_STRING => self.set_text(name, value)?,
            ffi::TYPE_BOOL => {
                self.set_number(name, if matches!(value, "true" | "yes" | "1") { 1.0 } else { 0.0 })?
            }
            _ => {
                let v = value
                    .parse::<f64>()
                    .map_err(|_| ScanError::Device(format!("option {name} needs a number, not {value:?}")))?;
                self.set_number(name, v)?
            }
        };
        if !done {
            return Err(ScanError::Unsupported(format!("option {name}")));
        }
        self.load_options();
        Ok(())
    }

    fn start(&mut self, s: &ScanSettings) -> Result<(), ScanError> {
        let caps = self.capabilities();
        // End whatever ran before.
        self.lib.api.cancel(self.handle);
        self.batch = None;
        if !caps.sources.contains(&s.source) {
            return Err(ScanError::Unsupported(format!("{:?}", s.source)));
        }
        let names = self.strings("source");
        let named = names.iter().find(|n| source_of(n) == Some(s.source));
        // Duplex without a source of its own: the feeder, then its switch.
        let switch = duplex_switch(&self.known);
        let (name, both_sides) = match (named, s.source, &switch) {
            (Some(name), _, _) => (Some(name), None),
            (None, Source::FeederDuplex, Some(_)) => {
                (names.iter().find(|n| source_of(n) == Some(Source::Feeder)), Some(true))
            }
            _ => (None, None),
        };
        if let Some(name) = name {
            self.set_text("source", name)?;
            self.load_options(); // the source may change which options are active
        }
        // One-sided from a feeder with a switch: the switch off, whatever the last batch left.
        let both_sides = both_sides.or((s.source == Source::Feeder).then_some(false));
        if let (Some(on), Some(switch)) = (both_sides, switch) {
            match switch {
                DuplexSwitch::AdfMode { simplex, duplex } => {
                    self.set_text("adf-mode", if on { &duplex } else { &simplex })?;
                }
                DuplexSwitch::Bool => {
                    self.set_number("duplex", if on { 1.0 } else { 0.0 })?;
                }
            }
            self.load_options();
        }
        let modes = self.strings("mode");
        let mode_name = modes.iter().find(|m| mode_of(m) == Some(s.mode));
        match (s.mode, mode_name) {
            (_, Some(m)) => {
                self.set_text("mode", m)?;
                self.load_options();
                if s.mode != ColourMode::BlackWhite {
                    self.set_number("depth", 8.0)?;
                }
            }
            (ColourMode::BlackWhite, None) if caps.modes.contains(&ColourMode::BlackWhite) => {
                if let Some(g) = modes.iter().find(|m| mode_of(m) == Some(ColourMode::Gray)) {
                    self.set_text("mode", g)?;
                    self.load_options();
                }
                self.set_number("depth", 1.0)?;
            }
            (_, None) if modes.is_empty() => {}
            (m, None) => return Err(ScanError::Unsupported(format!("{m:?}"))),
        }
        self.load_options();
        if let Some(r) = nearest_resolution(&caps.resolutions, s.resolution) {
            self.set_number("resolution", f64::from(r))?;
        }
        let w = if caps.max_width_mm > 0.0 { s.width_mm.min(caps.max_width_mm) } else { s.width_mm };
        let h = if caps.max_height_mm > 0.0 { s.height_mm.min(caps.max_height_mm) } else { s.height_mm };
        for (opt, v) in [("tl-x", 0.0), ("tl-y", 0.0), ("br-x", f64::from(w)), ("br-y", f64::from(h))] {
            self.set_number(opt, v)?;
        }
        self.batch = Some(Batch { source: s.source, pages: 0, finished: false });
        Ok(())
    }

    /// The `page-loaded` sensor, if the backend offers it.
    fn page_loaded(&self) -> Option<bool> {
        let (index, d) = self.options.get("page-loaded")?;
        if d.value_type != ffi::TYPE_BOOL {
            return None;
        }
        self.lib.api.get_word(self.handle, *index).ok().map(|w| w != 0)
    }

    fn resolution(&self) -> f32 {
        self.options
            .get("resolution")
            .and_then(|(i, d)| self.lib.api.get_word(self.handle, *i).ok().map(|w| word_to_f64(d, w) as f32))
            .unwrap_or(0.0)
    }

    fn next_page(&mut self) -> Result<Option<ScannedPage>, ScanError> {
        let Some(batch) = self.batch.as_ref() else {
            return Err(ScanError::Device("no batch started".into()));
        };
        if batch.finished || (batch.source == Source::Flatbed && batch.pages > 0) {
            self.end_batch();
            return Ok(None);
        }
        let dpi = self.resolution();
        let page = match self.lib.api.start(self.handle) {
            Ok(()) => self.read_frame(dpi),
            Err(ffi::STATUS_NO_DOCS) if batch.pages > 0 => {
                self.end_batch();
                return Ok(None);
            }
            Err(s) => Err(status_error(s, "sane_start")),
        };
        match page {
            Ok(p) => {
                if let Some(b) = self.batch.as_mut() {
                    b.pages += 1;
                }
                Ok(Some(p))
            }
            Err(e) => {
                // Backends built on sanei_thread cancel their reader thread
                // asynchronously; hit while it is still starting (inside malloc),
                // that leaves glibc's allocator locked and the process hangs.
                // Seen with the test backend after a simulated jam. Give the
                // reader time to reach its blocking write before cancelling.
                std::thread::sleep(std::time::Duration::from_millis(200));
                self.end_batch();
                Err(e)
            }
        }
    }

    fn end_batch(&mut self) {
        self.lib.api.cancel(self.handle);
        if let Some(b) = self.batch.as_mut() {
            b.finished = true;
        }
    }

    fn read_frame(&mut self, dpi: f32) -> Result<ScannedPage, ScanError> {
        let api = &self.lib.api;
        let p = api.parameters(self.handle).map_err(|s| status_error(s, "sane_get_parameters"))?;
        if p.last_frame == 0 || !(p.format == ffi::FRAME_GRAY || p.format == ffi::FRAME_RGB) {
            return Err(ScanError::Unsupported("three-pass colour".into()));
        }
        let bpl = p.bytes_per_line.max(0) as usize;
        let expected = if p.lines > 0 { bpl * p.lines as usize } else { 0 };
        let mut data = Vec::with_capacity(expected);
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            match api.read(self.handle, &mut buf) {
                Ok(n) => data.extend_from_slice(&buf[..n]),
                Err(ffi::STATUS_EOF) => break,
                Err(s) => return Err(status_error(s, "sane_read")),
            }
        }
        let lines = data.len().checked_div(bpl).unwrap_or(0);
        if lines == 0 || p.pixels_per_line <= 0 {
            return Err(ScanError::Device("the scanner sent an empty page".into()));
        }
        if p.lines > 0 && lines < p.lines as usize {
            return Err(ScanError::Device(format!("incomplete page: {lines} of {} lines", p.lines)));
        }
        let image = to_image(&p, &data[..lines * bpl], lines as u32)?;
        Ok(ScannedPage { image, dpi })
    }
}

fn word_to_f64(d: &Descriptor, w: Word) -> f64 {
    if d.value_type == ffi::TYPE_FIXED { f64::from(w) / ffi::FIXED_SCALE } else { f64::from(w) }
}

/// What a backend's paper source is, by the words backends use for it: a
/// card slot ("Card Front", "Card Duplex") or a source for the back side
/// alone ("ADF Back", "ADF Rear") is none of ours; a duplex feeder names
/// "duplex" ("ADF Duplex", hpaio's "Duplex", Brother's "…(left
/// aligned,Duplex)"); the glass is "Flatbed", "FlatBed", "Document Table" or
/// avision's "Normal"; a feeder is "ADF", "ADF Front", "…Feeder…". A feeder
/// whose duplex is a switch instead of a source is found by [`duplex_switch`].
fn source_of(name: &str) -> Option<Source> {
    let n = name.to_ascii_lowercase();
    if n.contains("card") || n.contains("back") || n.contains("rear") {
        None
    } else if n.contains("duplex") {
        Some(Source::FeederDuplex)
    } else if n.contains("flatbed") || n.contains("table") || n == "normal" {
        Some(Source::Flatbed)
    } else if n.contains("adf") || n.contains("feeder") {
        Some(Source::Feeder)
    } else {
        None
    }
}

/// How a feeder without a duplex source of its own is turned to both sides.
#[derive(Debug, Clone, PartialEq)]
enum DuplexSwitch {
    /// A string option `adf-mode` (epson2, kodakaio): its one-sided and
    /// two-sided values.
    AdfMode { simplex: String, duplex: String },
    /// A boolean option `duplex` (kvs1025 and others).
    Bool,
}

/// The duplex switch among a device's options (inactive ones included: it
/// is active only once the feeder is the source), if it has one.
fn duplex_switch(known: &HashMap<String, Descriptor>) -> Option<DuplexSwitch> {
    if let Some(Descriptor {
        value_type: ffi::TYPE_STRING, constraint: Constraint::Strings(values), ..
    }) = known.get("adf-mode")
    {
        let duplex = values.iter().find(|v| v.eq_ignore_ascii_case("duplex"))?;
        let simplex = values.iter().find(|v| !v.eq_ignore_ascii_case("duplex"))?;
        return Some(DuplexSwitch::AdfMode { simplex: simplex.clone(), duplex: duplex.clone() });
    }
    known.get("duplex").filter(|d| d.value_type == ffi::TYPE_BOOL).map(|_| DuplexSwitch::Bool)
}

fn mode_of(name: &str) -> Option<ColourMode> {
    match name.to_ascii_lowercase().as_str() {
        "color" | "colour" | "24bit color" => Some(ColourMode::Colour),
        "gray" | "grey" | "grayscale" => Some(ColourMode::Gray),
        "lineart" | "binary" | "black & white" => Some(ColourMode::BlackWhite),
        _ => None,
    }
}

/// Builds an 8-bit image from SANE's frame data (1, 8 or 16 bits per sample;
/// 16-bit samples are in host byte order, 1-bit 1 means black).
fn to_image(p: &ffi::Parameters, data: &[u8], lines: u32) -> Result<DynamicImage, ScanError> {
    let (w, bpl) = (p.pixels_per_line as u32, p.bytes_per_line as usize);
    let row = |y: u32| &data[y as usize * bpl..(y as usize + 1) * bpl];
    let sample16 = |r: &[u8], i: usize| (u16::from_ne_bytes([r[2 * i], r[2 * i + 1]]) >> 8) as u8;
    match (p.format, p.depth) {
        (ffi::FRAME_GRAY, 1) => Ok(DynamicImage::ImageLuma8(GrayImage::from_fn(w, lines, |x, y| {
            let bit = row(y)[(x / 8) as usize] >> (7 - x % 8) & 1;
            image::Luma([if bit == 1 { 0 } else { 255 }])
        }))),
        (ffi::FRAME_GRAY, 8) => Ok(DynamicImage::ImageLuma8(GrayImage::from_fn(w, lines, |x, y| {
            image::Luma([row(y)[x as usize]])
        }))),
        (ffi::FRAME_GRAY, 16) => Ok(DynamicImage::ImageLuma8(GrayImage::from_fn(w, lines, |x, y| {
            image::Luma([sample16(row(y), x as usize)])
        }))),
        (ffi::FRAME_RGB, 8) => Ok(DynamicImage::ImageRgb8(RgbImage::from_fn(w, lines, |x, y| {
            let r = row(y);
            let i = 3 * x as usize;
            image::Rgb([r[i], r[i + 1], r[i + 2]])
        }))),
        (ffi::FRAME_RGB, 16) => Ok(DynamicImage::ImageRgb8(RgbImage::from_fn(w, lines, |x, y| {
            let r = row(y);
            let i = 3 * x as usize;
            image::Rgb([sample16(r, i), sample16(r, i + 1), sample16(r, i + 2)])
        }))),
        (f, d) => Err(ScanError::Unsupported(format!("frame format {f} at {d} bits"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Source lists as SANE backends write them (fujitsu and canon_dr,
    /// epson2, pixma, hpaio, Brother's brscan, avision, sane-airscan).
    #[test]
    fn sources_are_known_by_what_they_do_whatever_the_vendor_calls_them() {
        use Source::*;
        for (name, source) in [
            ("Flatbed", Some(Flatbed)),
            ("FlatBed", Some(Flatbed)),
            ("Document Table", Some(Flatbed)),
            ("Normal", Some(Flatbed)),
            ("ADF", Some(Feeder)),
            ("ADF Front", Some(Feeder)),
            ("Automatic Document Feeder", Some(Feeder)),
            ("Automatic Document Feeder(left aligned)", Some(Feeder)),
            ("Automatic Document Feeder(centrally aligned,Simplex)", Some(Feeder)),
            ("ADF Duplex", Some(FeederDuplex)),
            ("Duplex", Some(FeederDuplex)),
            ("Automatic Document Feeder(left aligned,Duplex)", Some(FeederDuplex)),
            ("ADF Back", None),
            ("ADF Rear", None),
            ("Card Front", None),
            ("Card Duplex", None),
            ("Transparency Adapter", None),
        ] {
            assert_eq!(source_of(name), source, "{name}");
        }
    }

    fn option(name: &str, value_type: std::ffi::c_int, constraint: Constraint) -> (String, Descriptor) {
        let d = Descriptor { name: name.into(), value_type, size: 4, cap: ffi::CAP_INACTIVE, constraint };
        (name.into(), d)
    }

    /// A feeder's duplex as a switch (epson2's `adf-mode`, a `duplex` flag) is
    /// found even while inactive; a list without "Duplex" is no switch.
    #[test]
    fn a_duplex_switch_is_found_among_the_options() {
        let modes = |v: &[&str]| Constraint::Strings(v.iter().map(|s| (*s).to_owned()).collect());
        let epson = HashMap::from([option("adf-mode", ffi::TYPE_STRING, modes(&["Simplex", "Duplex"]))]);
        assert_eq!(
            duplex_switch(&epson),
            Some(DuplexSwitch::AdfMode { simplex: "Simplex".into(), duplex: "Duplex".into() })
        );
        let flag = HashMap::from([option("duplex", ffi::TYPE_BOOL, Constraint::None)]);
        assert_eq!(duplex_switch(&flag), Some(DuplexSwitch::Bool));
        let simplex_only = HashMap::from([option("adf-mode", ffi::TYPE_STRING, modes(&["Simplex"]))]);
        assert_eq!(duplex_switch(&simplex_only), None);
        let not_bool = HashMap::from([option("duplex", ffi::TYPE_INT, Constraint::None)]);
        assert_eq!(duplex_switch(&not_bool), None);
    }
}
