//! TWAIN on Windows, run under Wine: HoSo's worker (hoso-scan-worker.exe)
//! drives Wine's TWAIN source manager (twain_32.dll) and, through it, a data
//! source made for these tests (tests/twain/testds.c), because no third-party
//! TWAIN source is packaged for Debian's Wine. The harness
//! (scripts/windows/test) builds it and installs it in the test prefix as
//! `C:\windows\twain_64\sane.ds`, where Wine's manager looks (it names it in
//! HOSO_TEST_TWAIN_DS). Its behaviour is set per worker through HOSO_TESTDS_*
//! variables, and it logs each operation it was asked for (HOSO_TESTDS_LOG), so
//! the tests see the state machine from the driver's side.

use std::time::Duration;

use hoso_scan::worker::{WorkerOptions, WorkerScanner};
use hoso_scan::{ColourMode, ScanError, ScanSettings, Scanner, Source};

const NAME: &str = "twain:HoSo Test Scanner";

struct Source_ {
    options: WorkerOptions,
    log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

/// The worker with the test source on its PATH and `knobs` for the source.
fn source(knobs: &[(&str, &str)], watchdog_secs: u64) -> Source_ {
    let ds = std::env::var("HOSO_TEST_TWAIN_DS")
        .expect("HOSO_TEST_TWAIN_DS: the test TWAIN source, installed by scripts/windows/test");
    assert!(std::path::Path::new(&ds).exists(), "{ds} missing: run scripts/windows/test");
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("ds.log");
    let mut env = vec![("HOSO_TESTDS_LOG".to_owned(), log.display().to_string())];
    env.extend(knobs.iter().map(|(k, v)| (format!("HOSO_TESTDS_{k}"), (*v).to_owned())));
    let options = WorkerOptions {
        program: env!("CARGO_BIN_EXE_hoso-scan-worker").into(),
        watchdog: Duration::from_secs(watchdog_secs),
        env,
    };
    Source_ { options, log, _dir: dir }
}

impl Source_ {
    fn open(&self) -> WorkerScanner {
        WorkerScanner::open(NAME, &self.options)
            .unwrap_or_else(|e| panic!("open {NAME}: {e}\n{}", self.log()))
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

fn settings(source: Source, mode: ColourMode) -> ScanSettings {
    ScanSettings { source, mode, resolution: 100, ..ScanSettings::default() }
}

/// The grey level of the test source's top-left block: 16 x the image's number.
fn block(page: &hoso_scan::ScannedPage) -> u8 {
    page.image.to_luma8().get_pixel(10, 10)[0]
}

#[test]
fn the_test_source_is_listed_with_its_capabilities() {
    let s = source(&[], 60);
    let list = hoso_scan::worker::devices(false, &s.options).unwrap();
    assert!(list.iter().any(|d| d.id == NAME && d.vendor == "HoSo Intake"), "{list:?}\n{}", s.log());
    let scanner = s.open();
    let caps = scanner.capabilities();
    assert_eq!(caps.sources, vec![Source::Flatbed, Source::Feeder, Source::FeederDuplex], "{caps:?}");
    assert_eq!(caps.resolutions, vec![100, 150, 200, 300]);
    assert_eq!(caps.modes, vec![ColourMode::Colour, ColourMode::Gray, ColourMode::BlackWhite]);
    assert!((caps.max_width_mm - 215.9).abs() < 0.5 && (caps.max_height_mm - 355.6).abs() < 0.5, "{caps:?}");
}

#[test]
fn a_duplex_feeder_batch_comes_page_by_page_in_order_by_memory_transfer() {
    let s = source(&[("SHEETS", "3")], 60);
    let mut scanner = s.open();
    scanner.start_batch(&settings(Source::FeederDuplex, ColourMode::Gray)).unwrap();
    let mut blocks = Vec::new();
    while let Some(page) = scanner.next_page().unwrap_or_else(|e| panic!("{e}\n{}", s.log())) {
        assert_eq!((page.image.width(), page.image.height(), page.dpi), (827, 1169, 100.0));
        assert!(matches!(page.image, image::DynamicImage::ImageLuma8(_)));
        assert_eq!(page.image.to_luma8().get_pixel(500, 500)[0], 255, "white outside the block");
        blocks.push(block(&page));
    }
    assert_eq!(blocks, vec![16, 32, 48, 64, 80, 96], "front and back of 3 sheets, in order");
    // The feeder's sensor (CAP_FEEDERLOADED), which a batch waiting for the
    // next stack watches: the three sheets are out.
    assert_eq!(scanner.feeder_loaded(), Ok(Some(false)), "{}", s.log());
    drop(scanner);
    let log = s.log();
    println!("{log}");
    assert!(log.contains("ENABLEDS showui=0 feeder=1 duplex=1 mech=memory res=100 type=1"), "{log}");
    assert_eq!(log.matches("XFER memory").count(), 6, "{log}");
    // Ended through the pending transfers, then disabled and closed; the
    // sensor was read in between, with the source open and idle (state 4).
    let tail: Vec<&str> = log.lines().rev().filter(|l| !l.starts_with("CAP GET")).take(3).collect();
    assert_eq!(tail, vec!["CLOSEDS", "DISABLEDS", "ENDXFER left=0"], "{log}");
    assert!(log.rsplit("DISABLEDS").next().unwrap().contains("CAP GET 0x1003"), "{log}");
}

#[test]
fn without_memory_transfer_the_native_bitmap_serves_in_colour() {
    let s = source(&[("SHEETS", "2"), ("NATIVE_ONLY", "1")], 60);
    let mut scanner = s.open();
    scanner.start_batch(&settings(Source::Feeder, ColourMode::Colour)).unwrap();
    let mut colours = Vec::new();
    while let Some(page) = scanner.next_page().unwrap_or_else(|e| panic!("{e}\n{}", s.log())) {
        assert_eq!(page.dpi, 100.0);
        let rgb = page.image.as_rgb8().expect("a colour page");
        colours.push(rgb.get_pixel(10, 10).0);
        assert_eq!(rgb.get_pixel(10, 1100).0, [255, 255, 255], "bottom-up rows turned the right way");
    }
    assert_eq!(colours, vec![[16, 239, 100], [32, 223, 100]]);
    assert_eq!(s.log().matches("XFER native").count(), 2, "{}", s.log());
}

#[test]
fn a_black_and_white_flatbed_page() {
    let s = source(&[], 60);
    let mut scanner = s.open();
    scanner.start_batch(&settings(Source::Flatbed, ColourMode::BlackWhite)).unwrap();
    let page = scanner.next_page().unwrap().expect("one flatbed page");
    let g = page.image.to_luma8();
    assert_eq!((g.get_pixel(10, 10)[0], g.get_pixel(100, 100)[0]), (0, 255), "1-bit, 0 is black");
    assert!(scanner.next_page().unwrap().is_none(), "a flatbed batch is one page");
    assert!(s.log().contains("feeder=0"), "{}", s.log());
}

#[test]
fn an_empty_feeder_a_jam_and_an_open_cover_are_the_clerks_errors() {
    let s = source(&[("SHEETS", "0")], 60);
    let mut scanner = s.open();
    assert_eq!(scanner.start_batch(&settings(Source::Feeder, ColourMode::Gray)), Err(ScanError::FeederEmpty));
    for (knob, expected) in [("JAM_AT", ScanError::Jammed), ("COVER_AT", ScanError::CoverOpen)] {
        let s = source(&[("SHEETS", "3"), (knob, "2")], 60);
        let mut scanner = s.open();
        scanner.start_batch(&settings(Source::Feeder, ColourMode::Gray)).unwrap();
        assert_eq!(block(&scanner.next_page().unwrap().unwrap()), 16);
        assert_eq!(scanner.next_page().map(|p| p.is_some()), Err(expected.clone()), "{}", s.log());
        // The source is usable again: the batch was reset and disabled.
        let log = s.log();
        assert!(log.contains("RESET\nDISABLEDS"), "{log}");
        scanner.start_batch(&settings(Source::Flatbed, ColourMode::Gray)).unwrap();
        assert!(scanner.next_page().unwrap().is_some(), "{}", s.log());
    }
}

#[test]
fn a_driver_that_insists_on_its_own_window_gets_it() {
    let s = source(&[("SHEETS", "1"), ("UI_ONLY", "1")], 60);
    let mut scanner = s.open();
    scanner.start_batch(&settings(Source::Feeder, ColourMode::Gray)).unwrap();
    assert!(scanner.next_page().unwrap().is_some());
    let log = s.log();
    assert!(log.contains("ENABLEDS showui=1"), "{log}");
}

#[test]
fn a_hanging_driver_is_ended_by_the_watchdog_and_earlier_pages_stay_good() {
    let s = source(&[("SHEETS", "3"), ("HANG_AT", "2")], 5);
    let mut scanner = s.open();
    let pid = scanner.pid().unwrap();
    scanner.start_batch(&settings(Source::Feeder, ColourMode::Gray)).unwrap();
    let first = scanner.next_page().unwrap().unwrap();
    let started = std::time::Instant::now();
    let err = scanner.next_page().map(|p| p.is_some()).unwrap_err();
    println!("hung TWAIN driver (pid {pid}) ended after {:?} (watchdog 5 s)", started.elapsed());
    assert_eq!(err, ScanError::DriverHung, "{}", s.log());
    assert!(s.log().contains("HANG 2"), "{}", s.log());
    assert_eq!(block(&first), 16);
    // The app goes on: a new worker scans again.
    let s = source(&[("SHEETS", "1")], 60);
    let mut again = s.open();
    again.start_batch(&settings(Source::Feeder, ColourMode::Gray)).unwrap();
    assert!(again.next_page().unwrap().is_some());
}

#[test]
fn a_crashing_driver_is_a_crash_and_earlier_pages_stay_good() {
    let s = source(&[("SHEETS", "3"), ("CRASH_AT", "2")], 60);
    let mut scanner = s.open();
    scanner.start_batch(&settings(Source::Feeder, ColourMode::Gray)).unwrap();
    assert_eq!(block(&scanner.next_page().unwrap().unwrap()), 16);
    let err = scanner.next_page().map(|p| p.is_some()).unwrap_err();
    assert_eq!(err.code(), "driver_crashed", "{err}\n{}", s.log());
    println!("{err}");
}

#[test]
fn a_source_that_is_not_there_is_not_found() {
    let s = source(&[], 60);
    let err = WorkerScanner::open("twain:No Such Scanner", &s.options).unwrap_err();
    assert_eq!(err.code(), "not_found", "{err}");
}
