//! Scanning into a record: pages from a [`hoso_scan::Scanner`] batch, and files
//! from a watched folder.
//!
//! Each scanned page is encoded (lossless PNG with its dpi) and stored with its
//! processing job in one transaction *before* the next page is asked for, so a
//! jam, a cancel or a crash loses at most the page under the scanner's lid.

use std::path::Path;
use std::time::{Duration, Instant};

use hoso_imaging::Format;
use hoso_model::RecordState;
use hoso_scan::folder::Watcher;
use hoso_scan::{DeviceInfo, ScanError, ScanSettings, Scanner};
use hoso_store::{PageInput, PageResult};
use serde::Serialize;

use crate::App;
use crate::config::Config;

impl Config {
    /// Opens scanner `id`, a TWAIN driver in a worker watched as configured
    /// (`scanner_watchdog_secs`).
    pub fn open_scanner(&self, id: &str) -> Result<Box<dyn Scanner>, ScanError> {
        hoso_scan::open_with(id, &self.scan_worker)
    }

    /// The scanners this PC sees (with `network`, SANE's network backends too).
    pub fn scanners(&self, network: bool) -> Result<Vec<DeviceInfo>, ScanError> {
        hoso_scan::devices_with(network, &self.scan_worker)
    }

    /// The scanner to use when none is named: the configured one, else the
    /// first found.
    pub fn default_scanner(&self) -> anyhow::Result<String> {
        if let Some(id) = &self.scanner {
            return Ok(id.clone());
        }
        let first = self.scanners(false)?.into_iter().next().map(|d| d.id);
        Ok(first.ok_or(hoso_i18n::err!("scanner-none"))?)
    }
}

/// Why a batch stopped early.
#[derive(Debug, Clone, Serialize)]
pub struct ScanFailure {
    /// Stable code (`jammed`, `feeder_empty`, `cancelled`, …).
    pub code: &'static str,
    /// For the clerk.
    pub message: hoso_i18n::Localized,
}

impl From<&ScanError> for ScanFailure {
    fn from(e: &ScanError) -> Self {
        ScanFailure { code: e.code(), message: hoso_i18n::Localized::shown(e.clone()) }
    }
}

/// Outcome of [`App::scan`].
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    pub record: String,
    pub component: u16,
    pub device: String,
    /// Pages stored, in scan order.
    pub pages: Vec<i64>,
    /// Set when the batch ended with an error; the pages above are kept.
    pub failure: Option<ScanFailure>,
}

/// Outcome of [`App::watch`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct WatchReport {
    /// Files imported, with their pages.
    pub imported: Vec<crate::FileOutcome>,
    /// Files refused (moved to `rejected/` with a note).
    pub rejected: Vec<crate::FileOutcome>,
}

impl App {
    /// Scans a batch into component `component` of record `key`. `options` are
    /// driver-specific settings applied after the batch starts. `on_page` is
    /// called after each page is stored, with its number in the batch and id.
    pub fn scan(
        &mut self,
        key: &str,
        component: u16,
        scanner: &mut dyn Scanner,
        settings: &ScanSettings,
        options: &[(String, String)],
        mut on_page: impl FnMut(usize, i64),
    ) -> anyhow::Result<ScanReport> {
        self.require_signed_in()?;
        let record = self.record_taking_pages(key)?;
        let device = scanner.info().id.clone();
        let mut report = ScanReport {
            record: record.code.to_string(),
            component,
            device: device.clone(),
            pages: Vec::new(),
            failure: None,
        };
        let started = scanner
            .start_batch(settings)
            .and_then(|()| options.iter().try_for_each(|(k, v)| scanner.set_option(k, v)));
        if let Err(e) = started {
            report.failure = Some((&e).into());
            return Ok(report);
        }
        let batch = crate::now().format("%Y%m%dT%H%M%S").to_string();
        loop {
            match scanner.next_page() {
                Ok(Some(page)) => {
                    let origin = format!("{device} {batch} #{}", report.pages.len() + 1);
                    let bytes = hoso_imaging::encode_png(&page.image, page.dpi, &origin);
                    let frame = PageInput {
                        frame: 0,
                        width: page.image.width(),
                        height: page.image.height(),
                        dpi: Some(page.dpi),
                    };
                    for r in self.store_image(&record, component, &bytes, Format::Png, &[frame], &origin)? {
                        let (PageResult::Added(id) | PageResult::AlreadyThere(id)) = r;
                        report.pages.push(id);
                        on_page(report.pages.len(), id);
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    log::warn!("scan of {} stopped after {} pages: {e}", report.record, report.pages.len());
                    report.failure = Some((&e).into());
                    break;
                }
            }
        }
        self.settle_after_adding(key)?;
        Ok(report)
    }

    /// Imports scan files as they appear in `folder` into record `key`, moving
    /// each to `imported/` or `rejected/`. Returns after `idle` without a new
    /// file (runs until the process is stopped when `None`).
    pub fn watch(
        &mut self,
        key: &str,
        component: u16,
        folder: &Path,
        settle: Duration,
        idle: Option<Duration>,
        mut on_file: impl FnMut(&crate::FileOutcome),
    ) -> anyhow::Result<WatchReport> {
        self.require_signed_in()?;
        self.record_taking_pages(key)?;
        let mut watcher = Watcher::new(folder, settle)?;
        let mut report = WatchReport::default();
        let mut last_activity = Instant::now();
        loop {
            let ready = watcher.poll()?;
            if !ready.is_empty() {
                last_activity = Instant::now();
            }
            for file in ready {
                let imported = self.import(key, component, std::slice::from_ref(&file))?;
                for outcome in imported.files {
                    // The reason file beside a refused file is read by
                    // whoever looks in the folder: both languages.
                    let reason = outcome.error.as_ref().map(|e| {
                        let [vi, en] =
                            hoso_i18n::Lang::ALL.map(|lang| hoso_i18n::speaking(lang, || e.to_string()));
                        format!("{vi}\n{en}")
                    });
                    watcher.finish(&file, reason.as_deref())?;
                    on_file(&outcome);
                    if outcome.error_code.is_some() {
                        report.rejected.push(outcome);
                    } else {
                        report.imported.push(outcome);
                    }
                }
            }
            if idle.is_some_and(|idle| last_activity.elapsed() >= idle) {
                return Ok(report);
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// Scanning → Processing once pages were added.
    pub(crate) fn settle_after_adding(&mut self, key: &str) -> anyhow::Result<()> {
        let record = self.store.record(key)?;
        if record.state == RecordState::Scanning {
            self.settle(&record)?;
        }
        Ok(())
    }
}
