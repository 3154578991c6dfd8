//! The SANE driver against SANE's `test` backend.
//!
//! /etc/sane.d is never touched: a private config folder enables only the test
//! backend, with the scan area raised to 300 mm so A4 fits (its stock 200 mm
//! would clip). SANE reads SANE_CONFIG_DIR once, at `sane_init`.

#![allow(unsafe_code)]

use std::sync::{Mutex, MutexGuard, OnceLock};

use hoso_scan::sane::{SaneScanner, devices};
use hoso_scan::{ColourMode, ScanError, ScanSettings, Scanner, Source};

/// SANE devices are opened one test at a time (the backend's devices are shared).
fn sane() -> MutexGuard<'static, ()> {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    static LOCK: Mutex<()> = Mutex::new(());
    let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("dll.conf"), "test\n").unwrap();
        let stock =
            std::fs::read_to_string("/etc/sane.d/test.conf").expect("sane-utils / libsane1 installed");
        let conf = stock.replace("geometry_max 200.0", "geometry_max 300.0");
        assert_ne!(conf, stock, "test.conf changed upstream: geometry_max not found");
        std::fs::write(dir.path().join("test.conf"), conf).unwrap();
        // SAFETY: set once, before the first sane_init, under LOCK; no other test
        // thread reads SANE_CONFIG_DIR (only libsane does, from sane_init).
        unsafe { std::env::set_var("SANE_CONFIG_DIR", dir.path()) };
        dir
    });
    guard
}

fn settings(source: Source, mode: ColourMode, resolution: u32) -> ScanSettings {
    ScanSettings { source, mode, resolution, ..ScanSettings::default() }
}

#[test]
fn lists_the_test_devices_and_their_capabilities() {
    let _g = sane();
    let list = devices(true).unwrap();
    assert!(list.iter().any(|d| d.id == "sane:test:0"), "{list:?}");
    let scanner = SaneScanner::open("sane:test:0").unwrap();
    let caps = scanner.capabilities();
    println!("{caps:?}");
    assert!(caps.sources.contains(&Source::Flatbed) && caps.sources.contains(&Source::Feeder), "{caps:?}");
    assert!(caps.modes.contains(&ColourMode::Colour) && caps.modes.contains(&ColourMode::Gray), "{caps:?}");
    assert!(caps.resolutions.contains(&200) && caps.resolutions.contains(&300), "{caps:?}");
    assert!(caps.max_width_mm >= 210.0 && caps.max_height_mm >= 297.0, "{caps:?}");
}

#[test]
fn a4_flatbed_gray_at_300_dpi_is_2480_by_3507() {
    let _g = sane();
    let mut scanner = SaneScanner::open("test:0").unwrap();
    scanner.start_batch(&settings(Source::Flatbed, ColourMode::Gray, 300)).unwrap();
    let page = scanner.next_page().unwrap().expect("one flatbed page");
    // Fixed-point resolution handled: 300 dpi stays 300, not 1.
    assert_eq!(page.dpi, 300.0);
    assert_eq!((page.image.width(), page.image.height()), (2480, 3507));
    assert!(matches!(page.image, image::DynamicImage::ImageLuma8(_)));
    assert!(scanner.next_page().unwrap().is_none(), "a flatbed batch is one page");
}

#[test]
fn feeder_batch_in_colour_ends_cleanly_when_empty() {
    let _g = sane();
    let mut scanner = SaneScanner::open("test:0").unwrap();
    // The test backend's feeder holds ten sheets.
    assert_eq!(colour_feeder_batch(&mut scanner), 10);
}

/// A 200 dpi colour feeder batch of the test backend's colour pattern, each
/// page checked (A4 at 200 dpi, in colour, with hue); returns the page count.
fn colour_feeder_batch(scanner: &mut dyn Scanner) -> usize {
    scanner.start_batch(&settings(Source::Feeder, ColourMode::Colour, 200)).unwrap();
    scanner.set_option("test-picture", "Color pattern").unwrap();
    let mut pages = 0;
    while let Some(page) = scanner.next_page().unwrap() {
        assert_eq!(page.dpi, 200.0);
        assert_eq!((page.image.width(), page.image.height()), (1653, 2338));
        let rgb = page.image.as_rgb8().expect("colour page");
        assert!(rgb.pixels().any(|p| p.0[0] != p.0[1]), "a colour pattern has hue");
        pages += 1;
    }
    pages
}

#[test]
fn black_and_white_pages_come_as_one_bit_scans() {
    let _g = sane();
    let mut scanner = SaneScanner::open("test:0").unwrap();
    scanner.start_batch(&settings(Source::Flatbed, ColourMode::BlackWhite, 200)).unwrap();
    scanner.set_option("test-picture", "Solid black").unwrap();
    let page = scanner.next_page().unwrap().unwrap();
    let gray = page.image.to_luma8();
    assert!(gray.pixels().all(|p| p.0[0] == 0), "solid black read as black");
}

#[test]
fn jam_and_cover_open_are_clear_errors() {
    let _g = sane();
    let mut scanner = SaneScanner::open("test:0").unwrap();
    for (status, expected) in [
        ("SANE_STATUS_JAMMED", ScanError::Jammed),
        ("SANE_STATUS_COVER_OPEN", ScanError::CoverOpen),
        ("SANE_STATUS_NO_DOCS", ScanError::FeederEmpty),
    ] {
        scanner.start_batch(&settings(Source::Feeder, ColourMode::Gray, 200)).unwrap();
        scanner.set_option("read-return-value", status).unwrap();
        let err = scanner.next_page().map(|p| p.is_some()).unwrap_err();
        assert_eq!(err, expected);
        assert!(err.to_string().contains(" / "), "Vietnamese and English: {err}");
        scanner.set_option("read-return-value", "Default").unwrap();
    }
    // The device is usable again after a fault.
    scanner.start_batch(&settings(Source::Flatbed, ColourMode::Gray, 200)).unwrap();
    assert!(scanner.next_page().unwrap().is_some());
}

#[test]
fn cancel_from_another_thread_stops_the_batch() {
    let _g = sane();
    let mut scanner = SaneScanner::open("test:0").unwrap();
    scanner.start_batch(&settings(Source::Feeder, ColourMode::Colour, 300)).unwrap();
    assert!(scanner.next_page().unwrap().is_some());
    // The second sheet reads slowly (0.2 s per buffer, ~20 s a page); cancel it
    // from another thread while the device thread is inside sane_read.
    scanner.set_option("read-delay", "yes").unwrap();
    scanner.set_option("read-delay-duration", "200000").unwrap();
    let canceller = scanner.canceller();
    let started = std::time::Instant::now();
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(500));
        canceller.cancel();
    });
    let result = scanner.next_page().map(|p| p.map(|p| (p.image.width(), p.image.height())));
    assert_eq!(result, Err(ScanError::Cancelled));
    stopper.join().unwrap();
    assert!(started.elapsed().as_secs() < 5, "cancel took {:?}", started.elapsed());
    scanner.set_option("read-delay", "no").unwrap();
    // A new batch starts clean.
    scanner.start_batch(&settings(Source::Flatbed, ColourMode::Gray, 200)).unwrap();
    assert!(scanner.next_page().unwrap().is_some());
}

#[test]
fn unknown_device_is_not_found() {
    let _g = sane();
    let err = SaneScanner::open("sane:nosuch:9").unwrap_err();
    assert!(matches!(err, ScanError::NotFound(_) | ScanError::Device(_)), "{err:?}");
}

// The worker process (hoso-scan-worker) with a real driver in it: SANE's test
// backend, which the worker opens in its own process (it inherits
// SANE_CONFIG_DIR). On Windows the same worker runs TWAIN (twain.rs).

fn worker(watchdog_secs: u64) -> hoso_scan::worker::WorkerOptions {
    hoso_scan::worker::WorkerOptions {
        program: env!("CARGO_BIN_EXE_hoso-scan-worker").into(),
        watchdog: std::time::Duration::from_secs(watchdog_secs),
        env: Vec::new(),
    }
}

fn alive(pid: u32) -> bool {
    std::process::Command::new("kill").args(["-0", &pid.to_string()]).status().is_ok_and(|s| s.success())
}

#[test]
fn a_feeder_batch_through_the_worker_process_gives_the_same_pages() {
    let _g = sane();
    let caps = SaneScanner::open("sane:test:0").unwrap().capabilities().clone();
    let mut scanner = hoso_scan::worker::WorkerScanner::open("sane:test:0", &worker(60)).unwrap();
    assert_eq!(scanner.capabilities(), &caps);
    assert!(scanner.pid().is_some_and(|p| p != std::process::id()), "the driver runs in another process");
    // Colour crosses the pipe.
    assert_eq!(colour_feeder_batch(&mut scanner), 10, "the test backend's feeder holds ten sheets");
    // A driver error crosses the pipe as itself.
    scanner.start_batch(&settings(Source::Feeder, ColourMode::Gray, 200)).unwrap();
    scanner.set_option("read-return-value", "SANE_STATUS_JAMMED").unwrap();
    assert_eq!(scanner.next_page().map(|p| p.is_some()), Err(ScanError::Jammed));
}

#[test]
fn a_driver_that_stops_answering_is_ended_and_earlier_pages_stay_good() {
    let _g = sane();
    let mut scanner = hoso_scan::worker::WorkerScanner::open("sane:test:0", &worker(2)).unwrap();
    let pid = scanner.pid().unwrap();
    scanner.start_batch(&settings(Source::Feeder, ColourMode::Gray, 100)).unwrap();
    let first = scanner.next_page().unwrap().expect("a first page");
    // From now on the backend hands over one byte per 0.2 s: a page takes days.
    for (k, v) in [
        ("read-limit", "yes"),
        ("read-limit-size", "1"),
        ("read-delay", "yes"),
        ("read-delay-duration", "200000"),
    ] {
        scanner.set_option(k, v).unwrap();
    }
    let started = std::time::Instant::now();
    let err = scanner.next_page().map(|p| p.is_some()).unwrap_err();
    assert_eq!(err, ScanError::DriverHung, "{err}");
    assert!(err.to_string().contains("kept"), "the clerk is told the pages are kept: {err}");
    let waited = started.elapsed();
    println!("hung driver ended after {waited:?} (watchdog 2 s)");
    assert!(waited.as_secs() < 10, "{waited:?}");
    assert!(!alive(pid), "the worker {pid} was ended");
    // The page handed out before is intact, and the scanner object stays usable
    // as an error, not a panic.
    assert_eq!(first.image.width(), 826, "A4 at 100 dpi as the test backend rounds it");
    assert_eq!(scanner.next_page().map(|p| p.is_some()).unwrap_err().code(), "driver_crashed");
}

#[test]
fn a_worker_that_dies_mid_batch_is_a_crash_not_a_hang() {
    let _g = sane();
    let mut scanner = hoso_scan::worker::WorkerScanner::open("sane:test:0", &worker(60)).unwrap();
    scanner.start_batch(&settings(Source::Feeder, ColourMode::Gray, 100)).unwrap();
    assert!(scanner.next_page().unwrap().is_some());
    let pid = scanner.pid().unwrap();
    assert!(std::process::Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap().success());
    let started = std::time::Instant::now();
    let err = scanner.next_page().map(|p| p.is_some()).unwrap_err();
    assert_eq!(err.code(), "driver_crashed", "{err}");
    assert!(started.elapsed().as_secs() < 5, "a dead worker is seen at once, not after the watchdog");
}
