//! Scanning into a record: pages from a [`hoso_scan::Scanner`] batch, and files
//! from a watched folder.
//!
//! Each scanned page is encoded (lossless PNG with its dpi) and stored with its
//! processing job in one transaction *before* the next page is asked for, so a
//! jam, a cancel or a crash loses at most the page under the scanner's lid.
//!
//! A batch can wait for paper ([`Stacks`]): when the feeder runs empty, or a
//! jam, an open cover or a double feed stops it, every page so far is kept and
//! the batch waits for the next stack instead of ending. It goes on when the
//! clerk says so, or by itself when the scanner's sensor sees paper loaded
//! again; it ends when the clerk says "finish".
//!
//! A separator sheet in the stack (a QR code `HOSO-SEP:<component code>`, as
//! `App::separator_sheets` prints them) sends the pages after it to that
//! component of the record; the sheet itself is kept there as a page left out
//! of the PDF/A (`LeftOut::Separator`); so does a sheet with a Patch T (the
//! patch code of pre-printed separator sheets), for the next component, and a
//! record's receipt slip (its QR code is the record code: paper that comes
//! back), for that record, when it still takes pages. A plan can also split by page count
//! (every N pages the next component) and scan duplex by hand on a one-sided
//! feeder: the fronts, a wait while the clerk turns the stack over, the backs
//! (which come last sheet first), then the pages put in sheet order.
//!
//! How a batch scans is a [`ScanPlan`]: a counter's locked profile, or
//! settings of one's own where the lock allows them.

use std::path::Path;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use hoso_imaging::Format;
use hoso_model::RecordState;
use hoso_scan::folder::Watcher;
use hoso_scan::{DeviceInfo, ScanError, Scanner};
use hoso_store::{PageInput, PageResult};
use serde::Serialize;

use crate::config::Config;
use crate::{App, ScanPlan};

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
    /// Stacks fed (1 unless the batch waited for paper).
    pub stacks: usize,
    /// Separator sheets found, each kept as a page left out of the PDF/A.
    pub separators: usize,
    /// The profile the batch was scanned with.
    pub profile: Option<String>,
    /// Other records whose receipt slip was in the batch: the pages after
    /// each slip went to its record.
    pub other_records: Vec<String>,
    /// A manual duplex batch: how many fronts and backs, and whether they
    /// were put in sheet order (only when the counts match).
    pub manual_duplex: Option<ManualDuplex>,
    /// Set when the batch ended with an error; the pages above are kept.
    pub failure: Option<ScanFailure>,
}

/// How a manual duplex batch came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ManualDuplex {
    pub fronts: usize,
    pub backs: usize,
    /// The backs were put between the fronts (front 1, back 1, front 2, …);
    /// false when the counts differ (a sheet fed twice or missed): the pages
    /// stay in the order scanned for the clerk to look at.
    pub interleaved: bool,
}

impl ManualDuplex {
    /// What the clerk reads about it.
    pub fn message(&self) -> hoso_i18n::Message {
        use hoso_i18n::msg;
        if self.interleaved {
            msg!("scan-duplex-interleaved", sheets = self.fronts)
        } else {
            msg!("scan-duplex-unpaired", fronts = self.fronts, backs = self.backs)
        }
    }
}

/// The clerk's word to a batch waiting for the next stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StackWord {
    /// The next stack is in the feeder (or the jam is cleared): scan it.
    Next,
    /// No more paper: the batch ends.
    Finish,
}

/// Carries the clerk's word, from another thread (the window's buttons, the
/// terminal's Enter), to a batch that waits for paper.
#[derive(Debug, Default)]
pub struct Stacks {
    word: Mutex<Option<StackWord>>,
    said: Condvar,
}

impl Stacks {
    /// Passes the clerk's word to the waiting batch (or to the next wait).
    pub fn say(&self, word: StackWord) {
        *self.word.lock().unwrap_or_else(|e| e.into_inner()) = Some(word);
        self.said.notify_all();
    }

    /// The clerk's word, if one comes within `limit`.
    fn hear(&self, limit: Duration) -> Option<StackWord> {
        let word = self.word.lock().unwrap_or_else(|e| e.into_inner());
        let (mut word, _) =
            self.said.wait_timeout_while(word, limit, |w| w.is_none()).unwrap_or_else(|e| e.into_inner());
        word.take()
    }

    /// Forgets a word said before the batch waited (a double press).
    fn clear(&self) {
        self.word.lock().unwrap_or_else(|e| e.into_inner()).take();
    }
}

/// What a batch tells its caller as it goes.
#[derive(Debug, Clone, Copy)]
pub enum ScanEvent<'a> {
    /// A page was stored: its number in the batch and its id.
    Page { n: usize, id: i64 },
    /// The batch waits for the next stack, every page so far stored: the
    /// feeder ran empty, or `fault` (a jam, an open cover) stopped it.
    /// With `sensor`, the scanner tells when paper is loaded and the batch goes
    /// on by itself. With `turn_over`, the fronts of a manual duplex batch are
    /// in and the stack is to be turned over for the backs.
    Waiting { pages: usize, fault: Option<&'a ScanFailure>, sensor: bool, turn_over: bool },
    /// Stack number `stack` is being scanned.
    Resumed { stack: usize },
    /// A separator sheet: the pages after it go to component `component`
    /// (`known` false: the sheet names a component this record lacks, and
    /// the pages stay where they were going).
    Separator { code: &'a str, component: u16, known: bool },
    /// Split by page count: `pages` pages went to a component, the next ones
    /// go to `component`.
    Split { pages: u32, component: u16 },
    /// A record's receipt slip: the pages after it go to record `code`
    /// (`known` false: no such record takes pages, and they stay in `current`).
    Record { code: &'a str, known: bool, current: &'a str },
}

impl ScanEvent<'_> {
    /// What the clerk reads about it.
    pub fn message(&self) -> hoso_i18n::Message {
        use hoso_i18n::msg;
        match *self {
            ScanEvent::Page { n, .. } => msg!("task-progress-pages", pages = n),
            ScanEvent::Waiting { pages, fault: None, turn_over: true, .. } => {
                msg!("scan-waiting-turn-over", pages = pages)
            }
            ScanEvent::Waiting { pages, fault: Some(f), .. } => {
                msg!("scan-waiting-fault", why = f.message.clone(), pages = pages)
            }
            ScanEvent::Waiting { pages, fault: None, sensor: true, .. } => {
                msg!("scan-waiting-sensor", pages = pages)
            }
            ScanEvent::Waiting { pages, fault: None, sensor: false, .. } => {
                msg!("scan-waiting", pages = pages)
            }
            ScanEvent::Resumed { stack } => msg!("scan-stack", stack = stack),
            ScanEvent::Separator { code, component, known: true } => {
                msg!("scan-separator", code = code, component = component)
            }
            ScanEvent::Separator { code, component, known: false } => {
                msg!("scan-separator-unknown", code = code, component = component)
            }
            ScanEvent::Split { pages, component } => msg!("scan-split", pages = pages, component = component),
            ScanEvent::Record { code, known: true, .. } => msg!("scan-slip", code = code),
            ScanEvent::Record { code, known: false, current } => {
                msg!("scan-slip-unknown", code = code, current = current)
            }
        }
    }
}

/// What a separator sheet says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Separator {
    /// The QR code the record screen prints: `HOSO-SEP:<component code>`.
    Component(String),
    /// A record's receipt slip (its QR code is the record code): paper that
    /// comes back for that record.
    Record(hoso_model::RecordCode),
    /// A Patch T, as pre-printed separator sheets carry: the next component.
    PatchT,
}

/// Whether a page scanned at `dpi` is a separator sheet: its QR code first
/// (a component's separator sheet, or a record's receipt slip), then a Patch
/// T. Every scanned page is searched (`examples/separator_search.rs` prints
/// what that costs a page).
pub fn find_separator(image: &image::DynamicImage, dpi: f32) -> Option<Separator> {
    let qr =
        hoso_ocr::page_qr_codes(image).into_iter().find_map(|text| {
            match hoso_model::separator_component(&text) {
                Some(code) => Some(Separator::Component(code.to_owned())),
                None => text.trim().parse().ok().map(Separator::Record),
            }
        });
    qr.or_else(|| {
        hoso_imaging::find_patch_codes(image, dpi)
            .contains(&hoso_imaging::PatchCode::T)
            .then_some(Separator::PatchT)
    })
}

/// How often a waiting batch looks at the feeder's sensor.
const PAPER_POLL: Duration = Duration::from_millis(400);

/// How a wait for paper ended.
enum Waited {
    Next,
    Finish,
    Cancelled,
}

/// Waits for the clerk's word, or for paper: the sensor going from empty to
/// loaded (never a sensor that read "loaded" all along, as after a jam with
/// sheets still in the feeder, where the clerk says when it is cleared).
/// `sensor` is its first reading; a scanner without one (`None`) is not asked
/// again, only the clerk's word ends the wait.
fn wait_for_paper(scanner: &mut dyn Scanner, stacks: &Stacks, sensor: Option<bool>) -> Waited {
    let mut seen_empty = sensor == Some(false);
    let canceller = scanner.canceller();
    loop {
        if canceller.is_cancelled() {
            return Waited::Cancelled;
        }
        match stacks.hear(PAPER_POLL) {
            Some(StackWord::Next) => return Waited::Next,
            Some(StackWord::Finish) => return Waited::Finish,
            None => {}
        }
        if sensor.is_none() {
            continue;
        }
        match scanner.feeder_loaded() {
            Ok(Some(false)) => seen_empty = true,
            Ok(Some(true)) if seen_empty => return Waited::Next,
            Ok(_) => {}
            Err(e) => {
                // A driver that fails now cannot scan the next stack either;
                // the clerk's word still ends the wait.
                log::warn!("feeder sensor: {e}");
                seen_empty = false;
            }
        }
    }
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
    /// Scans a batch into component `component` of record `key` as `plan`
    /// says (a profile's, or settings of one's own where the counter's lock
    /// allows them: [`App::require_plan_allowed`]). With `stacks` the batch
    /// waits for paper between stacks (see [`Stacks`]); without, it ends when
    /// the feeder runs empty (a manual duplex plan needs `stacks`). `on_event`
    /// hears of each stored page and each wait.
    pub fn scan(
        &mut self,
        key: &str,
        component: u16,
        scanner: &mut dyn Scanner,
        plan: &ScanPlan,
        stacks: Option<&Stacks>,
        mut on_event: impl FnMut(ScanEvent<'_>),
    ) -> anyhow::Result<ScanReport> {
        self.require_signed_in()?;
        self.require_plan_allowed(plan)?;
        if plan.manual_duplex && stacks.is_none() {
            anyhow::bail!(hoso_i18n::err!("scan-duplex-needs-wait"));
        }
        let mut record = self.record_taking_pages(key)?;
        let mut components = self.store.components(&record.id)?;
        let device = scanner.info().id.clone();
        let mut report = ScanReport {
            record: record.code.to_string(),
            component,
            device: device.clone(),
            pages: Vec::new(),
            stacks: 1,
            separators: 0,
            profile: plan.profile().map(str::to_owned),
            other_records: Vec::new(),
            manual_duplex: None,
            failure: None,
        };
        // Where the next page goes: a separator sheet or the page count changes it.
        let mut component = component;
        let mut in_component = 0u32;
        // A manual duplex batch: the fronts' pages, then the backs'.
        let mut fronts: Option<Vec<i64>> = None;
        let mut sides: Vec<i64> = Vec::new();
        let start = |scanner: &mut dyn Scanner| {
            scanner
                .start_batch(&plan.settings)
                .and_then(|()| plan.options.iter().try_for_each(|(k, v)| scanner.set_option(k, v)))
        };
        let batch = crate::now().format("%Y%m%dT%H%M%S").to_string();
        if let Some(stacks) = stacks {
            stacks.clear();
        }
        let mut stopped = start(scanner).err();
        loop {
            if stopped.is_none() {
                match scanner.next_page() {
                    Ok(Some(page)) => {
                        let sheet =
                            if plan.separator_sheets { find_separator(&page.image, page.dpi) } else { None };
                        // Where the pages after a separator go, and what the clerk hears of it.
                        let mut heard = None;
                        match &sheet {
                            Some(Separator::Component(code)) => {
                                let to = components.iter().find(|c| &c.code == code).map(|c| c.ordinal);
                                heard = Some((code.clone(), to.is_some(), false));
                                component = to.unwrap_or(component);
                            }
                            Some(Separator::PatchT) => {
                                let to =
                                    components.iter().find(|c| c.ordinal == component + 1).map(|c| c.ordinal);
                                heard = Some(("Patch T".to_owned(), to.is_some(), false));
                                component = to.unwrap_or(component);
                            }
                            Some(Separator::Record(code)) => {
                                let code = code.to_string();
                                match self.record_taking_pages(&code) {
                                    Ok(r) => {
                                        if r.id != record.id {
                                            components = self.store.components(&r.id)?;
                                            component = components.first().map_or(1, |c| c.ordinal);
                                            if !report.other_records.contains(&code) && code != report.record
                                            {
                                                report.other_records.push(code.clone());
                                            }
                                            record = r;
                                        }
                                        heard = Some((code, true, true));
                                    }
                                    Err(e) => {
                                        log::warn!("receipt slip {code} in a batch: {e:#}");
                                        heard = Some((code, false, true));
                                    }
                                }
                            }
                            None => {}
                        }
                        if sheet.is_some() {
                            in_component = 0;
                        }
                        if let Some(every) = plan.split_every
                            && in_component >= every
                            && sheet.is_none()
                            && let Some(next) = components.iter().find(|c| c.ordinal == component + 1)
                        {
                            component = next.ordinal;
                            on_event(ScanEvent::Split { pages: in_component, component });
                            in_component = 0;
                        }
                        let origin = format!("{device} {batch} #{}", report.pages.len() + 1);
                        let bytes = hoso_imaging::encode_png(&page.image, page.dpi, &origin);
                        let frame = PageInput {
                            frame: 0,
                            width: page.image.width(),
                            height: page.image.height(),
                            dpi: Some(page.dpi),
                        };
                        let image = crate::import::ImageFile {
                            bytes: &bytes,
                            format: Format::Png,
                            frames: &[frame],
                            origin: &origin,
                            blank_below: plan.blank_below,
                        };
                        let stored = self.store_image(&record, component, &image)?;
                        for r in stored {
                            let (PageResult::Added(id) | PageResult::AlreadyThere(id)) = r;
                            report.pages.push(id);
                            sides.push(id);
                            if let Some((code, known, slip)) = &heard {
                                let separator = Some(hoso_model::LeftOut::Separator);
                                self.store.leave_out_page(id, separator, self.actor.name(), crate::now())?;
                                report.separators += 1;
                                let (code, known) = (code.as_str(), *known);
                                let current = record.code.to_string();
                                on_event(if *slip {
                                    ScanEvent::Record { code, known, current: &current }
                                } else {
                                    ScanEvent::Separator { code, component, known }
                                });
                            } else {
                                in_component += 1;
                            }
                            on_event(ScanEvent::Page { n: report.pages.len(), id });
                        }
                        continue;
                    }
                    Ok(None) => {}
                    Err(e) => stopped = Some(e),
                }
            }
            // This stack is over: the feeder ran empty, or `stopped` says why.
            if let Some(e) = &stopped {
                log::warn!("scan of {} stopped after {} pages: {e}", report.record, report.pages.len());
            }
            // A manual duplex batch ends once the backs ran out cleanly.
            let turn_over = plan.manual_duplex && stopped.is_none() && fronts.is_none();
            if plan.manual_duplex && stopped.is_none() && !turn_over {
                let fronts = fronts.take().unwrap_or_default();
                report.manual_duplex = Some(self.interleave(&fronts, &sides)?);
                break;
            }
            if turn_over {
                fronts = Some(std::mem::take(&mut sides));
            }
            let waits = stopped.as_ref().is_none_or(ScanError::is_paper_fault);
            let Some(stacks) = stacks.filter(|_| waits) else {
                report.failure = stopped.as_ref().map(ScanFailure::from);
                break;
            };
            let fault = stopped.take().map(|e| ScanFailure::from(&e));
            let sensor = scanner.feeder_loaded().ok().flatten();
            on_event(ScanEvent::Waiting {
                pages: report.pages.len(),
                fault: fault.as_ref(),
                sensor: sensor.is_some(),
                turn_over,
            });
            match wait_for_paper(scanner, stacks, sensor) {
                Waited::Next => {
                    report.stacks += 1;
                    on_event(ScanEvent::Resumed { stack: report.stacks });
                    stopped = start(scanner).err();
                }
                Waited::Finish => break,
                Waited::Cancelled => {
                    report.failure = Some((&ScanError::Cancelled).into());
                    break;
                }
            }
        }
        for other in report.other_records.clone() {
            self.settle_after_adding(&other)?;
        }
        if plan.manual_duplex && report.manual_duplex.is_none() {
            // Finished before the backs ran out: nothing is reordered.
            let (fronts, backs) = fronts.map_or((sides.len(), 0), |f| (f.len(), sides.len()));
            report.manual_duplex = Some(ManualDuplex { fronts, backs, interleaved: false });
        }
        self.settle_after_adding(key)?;
        Ok(report)
    }

    /// Puts a manual duplex batch in sheet order: the backs came last sheet
    /// first, so sheet `i`'s back is `backs[n - 1 - i]`. Pages stay in the
    /// order scanned when the counts differ.
    fn interleave(&mut self, fronts: &[i64], backs: &[i64]) -> anyhow::Result<ManualDuplex> {
        let outcome = ManualDuplex { fronts: fronts.len(), backs: backs.len(), interleaved: false };
        if fronts.len() != backs.len() || fronts.is_empty() {
            return Ok(outcome);
        }
        let order: Vec<i64> = fronts.iter().zip(backs.iter().rev()).flat_map(|(f, b)| [*f, *b]).collect();
        self.store.arrange_pages(&order, self.actor.name(), crate::now())?;
        Ok(ManualDuplex { interleaved: true, ..outcome })
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
