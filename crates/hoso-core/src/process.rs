//! Processing stored pages: a pool of worker threads fed from the job queue.
//!
//! One thread (the caller's) owns the database: it leases `page.process` jobs,
//! reads the page's blob and hands the bytes to the pool; workers decode and
//! measure (CPU only, no database); the owner writes each result and completes
//! the job. So SQLite stays single-threaded and the pixels use every core.
//!
//! A page is measured and judged by the quality gate ([`hoso_imaging::assess`]),
//! gets a thumbnail, and, unless it is rejected (below 200 dpi) or looks blank,
//! is turned upright and read by the worker's own Tesseract engine
//! ([`hoso_ocr::Ocr`]); the words with their boxes are stored with the page.

use std::fs::File;
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use hoso_imaging::{ImageError, Limits, PageMetrics, Quality, TurnUpright as _};
use hoso_model::{PageState, RecordState};
use hoso_ocr::{Ocr, OcrError, PageText};
use hoso_store::{PAGE_JOB, PageOutcome, PageTextIn, jobs};
use serde::Serialize;
use serde_json::json;

use crate::{App, now};

/// How long a worker may hold a page before another may take it.
const LEASE_MS: i64 = 10 * 60 * 1000;
/// Thumbnails are this many pixels on the longer side.
const THUMB_SIDE: u32 = 320;

/// Size of the page worker pool when none is asked for: one thread per core.
pub fn default_workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Exclusive right to run jobs on one store: a lock on `<data dir>/worker.lock`
/// held while the value lives. The OS releases it when the process dies.
#[derive(Debug)]
pub struct WorkerLock {
    _file: File,
}

impl WorkerLock {
    /// Takes the page workers' lock or says which folder is busy.
    pub fn acquire(data_dir: &Path) -> anyhow::Result<WorkerLock> {
        Self::acquire_named(data_dir, "worker.lock")
    }

    /// Takes the lock file `name` in the data folder (one per kind of worker).
    pub fn acquire_named(data_dir: &Path, name: &str) -> anyhow::Result<WorkerLock> {
        let path = data_dir.join(name);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| hoso_i18n::err!("file-cannot-open", file = &path))?;
        match file.try_lock() {
            Ok(()) => Ok(WorkerLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => {
                anyhow::bail!(hoso_i18n::err!("process-busy", folder = data_dir))
            }
            Err(std::fs::TryLockError::Error(e)) => Err(e).context(hoso_i18n::err!("process-cannot-lock")),
        }
    }
}

/// What [`App::process`] did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ProcessReport {
    /// Leases of dead workers taken back at start.
    pub recovered: usize,
    /// Pages processed.
    pub processed: usize,
    /// Of those, pages that look blank (kept, flagged for review).
    pub blank: usize,
    /// Of those, pages rejected by the quality gate (below 200 dpi): rescan.
    pub rejected: usize,
    /// Of those, pages whose text was read.
    pub read: usize,
    /// Pages whose processing failed for good (kept with the reason).
    pub failed: usize,
    /// Records that moved to review, by code.
    pub ready_for_review: Vec<String>,
    /// The documents of records built as soon as their last page was read
    /// ([`App::process_with`] with `build`).
    pub built: Vec<crate::BuildReport>,
    /// Records whose build failed there, with why (they wait for a build by hand).
    pub build_failures: Vec<(String, String)>,
}

struct Task {
    job: jobs::Job,
    page: hoso_model::Page,
    bytes: Vec<u8>,
}

struct Analysis {
    metrics: PageMetrics,
    quality: Quality,
    thumbnail: Vec<u8>,
    text: Option<PageText>,
}

/// Why a worker could not analyse a page.
#[derive(Debug, thiserror::Error)]
enum AnalysisError {
    #[error(transparent)]
    Image(#[from] ImageError),
    #[error(transparent)]
    Ocr(#[from] OcrError),
}

fn analyse(task: &Task, ocr: &mut Ocr) -> Result<Analysis, AnalysisError> {
    let frame = hoso_imaging::decode_frame(&task.bytes, task.page.frame, &Limits::default())?;
    let mut metrics = hoso_imaging::measure(&frame.image);
    // The scan profile's blank threshold, where the page came with one.
    if let Some(below) = task.page.blank_below {
        metrics.looks_blank = metrics.ink_ratio < below;
    }
    let quality = hoso_imaging::assess(&metrics, task.page.dpi);
    // A rejected page is rescanned, a blank one shown to the clerk: neither is read.
    let text = if quality.rejected() || metrics.looks_blank {
        None
    } else {
        Some(ocr.read_page_as(&frame.image, task.page.dpi, task.page.turn)?)
    };
    // The thumbnail shows the page the right way up, as the PDF will.
    let rotation = text.as_ref().map(|t| t.upright.rotation).or(task.page.turn).unwrap_or(0);
    let thumbnail = if rotation == 0 {
        hoso_imaging::thumbnail_jpeg(&frame.image, THUMB_SIDE, metrics.is_colour)
    } else {
        let small = frame.image.thumbnail(THUMB_SIDE, THUMB_SIDE);
        let turned = hoso_imaging::Upright { rotation, skew_deg: 0.0 }.apply(&small);
        hoso_imaging::thumbnail_jpeg(&turned, THUMB_SIDE, metrics.is_colour)
    };
    Ok(Analysis { metrics, quality, thumbnail, text })
}

impl App {
    /// Processes every due page job with `workers` threads, then moves records
    /// whose pages are all handled to review.
    pub fn process(&mut self, workers: usize) -> anyhow::Result<ProcessReport> {
        self.process_with(workers, false, &mut |_| {})
    }

    /// [`App::process`], telling `on_page` the report so far each time a
    /// page is settled (the desktop's progress: pages done, pages a minute,
    /// time left). With `build`, a record whose scan is over is built (its
    /// PDF/A, every component) as soon as its last page is read, while the
    /// workers go on reading the next records' pages, and moves to review.
    pub fn process_with(
        &mut self,
        workers: usize,
        build: bool,
        on_page: &mut dyn FnMut(&ProcessReport),
    ) -> anyhow::Result<ProcessReport> {
        self.require_signed_in()?;
        let _lock = WorkerLock::acquire(&self.config.data_dir)?;
        let mut report = ProcessReport {
            recovered: jobs::recover(self.store.conn(), now().timestamp_millis())?,
            ..Default::default()
        };
        if report.recovered > 0 {
            log::info!("took back {} jobs from a worker that stopped", report.recovered);
        }
        let owner = format!("pid{}", std::process::id());
        let workers = workers.max(1);
        // Engines load before any job is leased: missing models stop the run with
        // one clear message instead of failing every page.
        let engines = (0..workers).map(|_| Ocr::new(&self.config.ocr)).collect::<Result<Vec<_>, _>>()?;
        let (task_tx, task_rx) = mpsc::sync_channel::<Task>(workers);
        let task_rx = Arc::new(Mutex::new(task_rx));
        let (done_tx, done_rx) = mpsc::channel::<(Task, Result<Analysis, AnalysisError>)>();

        std::thread::scope(|scope| -> anyhow::Result<()> {
            for mut ocr in engines {
                let rx = Arc::clone(&task_rx);
                let tx = done_tx.clone();
                scope.spawn(move || {
                    loop {
                        let task = match rx.lock().expect("no worker panics holding the lock").recv() {
                            Ok(t) => t,
                            Err(_) => return,
                        };
                        let result = analyse(&task, &mut ocr);
                        if tx.send((task, result)).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(done_tx);
            let result = self.feed(&owner, workers, build, &task_tx, &done_rx, &mut report, on_page);
            drop(task_tx);
            result
        })?;

        for summary in self.store.list_records(Some(RecordState::Processing), u32::MAX)? {
            if summary.pages_pending == 0 {
                self.settle(&summary.record)?;
                report.ready_for_review.push(summary.record.code.to_string());
            }
        }
        Ok(report)
    }

    /// Keeps the pool busy and writes results until no job is due.
    #[allow(clippy::too_many_arguments)]
    fn feed(
        &mut self,
        owner: &str,
        workers: usize,
        build: bool,
        tasks: &mpsc::SyncSender<Task>,
        done: &mpsc::Receiver<(Task, Result<Analysis, AnalysisError>)>,
        report: &mut ProcessReport,
        on_page: &mut dyn FnMut(&ProcessReport),
    ) -> anyhow::Result<()> {
        let mut in_flight = 0usize;
        let mut queue_empty = false;
        loop {
            while !queue_empty && in_flight < workers * 2 {
                let Some(job) =
                    jobs::lease(self.store.conn(), PAGE_JOB, owner, now().timestamp_millis(), LEASE_MS)?
                else {
                    queue_empty = true;
                    break;
                };
                if let Some(task) = self.prepare(job, owner, report)? {
                    tasks.send(task).context("page workers stopped")?;
                    in_flight += 1;
                }
            }
            if in_flight == 0 {
                return Ok(());
            }
            let (task, result) = done.recv().context("page workers stopped")?;
            in_flight -= 1;
            let record = task.page.record;
            self.write_result(task, result, owner, report)?;
            if build {
                self.build_when_read(&record, report)?;
            }
            on_page(report);
        }
    }

    /// Builds record `id` and moves it to review once its scan is over and
    /// its last page is read; the workers read on meanwhile (the pages they
    /// hold). A failed build is reported and left for a build by hand.
    fn build_when_read(
        &mut self,
        id: &hoso_model::RecordId,
        report: &mut ProcessReport,
    ) -> anyhow::Result<()> {
        if self.store.pages_stored(id)? > 0 {
            return Ok(());
        }
        let record = self.store.record(&id.to_string())?;
        let code = record.code.to_string();
        if record.state != RecordState::Processing || report.built.iter().any(|b| b.record == code) {
            return Ok(());
        }
        match self.build(&code) {
            Ok(built) => report.built.push(built),
            Err(e) => {
                log::warn!("build of {code} after its last page: {e:#}");
                report.build_failures.push((code.clone(), format!("{e:#}")));
            }
        }
        self.settle(&record)?;
        report.ready_for_review.push(code);
        Ok(())
    }

    /// Loads what a worker needs, or settles a job that needs no worker.
    fn prepare(
        &mut self,
        job: jobs::Job,
        owner: &str,
        report: &mut ProcessReport,
    ) -> anyhow::Result<Option<Task>> {
        let page_id: i64 = job.subject.parse().context("page job without a page id")?;
        let page = self.store.page(page_id)?;
        if page.state != PageState::Stored {
            // Done before a crash that came between the page update and the job update.
            jobs::complete(self.store.conn(), job.id, owner, now().timestamp_millis())?;
            return Ok(None);
        }
        match self.store.blobs().read(&page.source) {
            Ok(bytes) => Ok(Some(Task { job, page, bytes })),
            Err(e) => {
                let note = hoso_i18n::msg!("page-raw-lost", why = e.to_string()).to_string();
                self.fail_page(page.id, &job, owner, &note, report)?;
                Ok(None)
            }
        }
    }

    fn write_result(
        &mut self,
        task: Task,
        result: Result<Analysis, AnalysisError>,
        owner: &str,
        report: &mut ProcessReport,
    ) -> anyhow::Result<()> {
        match result {
            Ok(a) => {
                let thumb = self.store.blobs().put(&a.thumbnail)?;
                let note = a.quality.note();
                let metrics = json!({ "metrics": a.metrics, "issues": a.quality.issues });
                let text = a.text.as_ref().map(|t| t.text());
                let version = Ocr::library(&self.config.ocr).map(|(v, _)| v).unwrap_or_default();
                let engine = format!("tesseract {version} {}", self.config.ocr.languages);
                let state = if a.quality.rejected() { PageState::Failed } else { PageState::Processed };
                let text_in = match (&a.text, &text) {
                    (Some(layout), Some(text)) => Some(PageTextIn {
                        engine: &engine,
                        text,
                        mean_confidence: layout.mean_confidence,
                        layout,
                    }),
                    _ => None,
                };
                self.store.finish_page(
                    task.page.id,
                    &PageOutcome {
                        state,
                        note: note.as_deref(),
                        metrics: Some(&metrics),
                        thumbnail: Some((&thumb, a.thumbnail.len() as u64)),
                        text: text_in,
                        // A blank back is white paper; a uniformly dark page is
                        // a fault the clerk sees (too dark), kept in the PDF/A.
                        blank: a.metrics.looks_blank
                            && !a.quality.issues.contains(&hoso_imaging::Issue::TooDark),
                        actor: self.actor.name(),
                        now: now(),
                    },
                )?;
                jobs::complete(self.store.conn(), task.job.id, owner, now().timestamp_millis())?;
                report.processed += 1;
                report.blank += usize::from(a.metrics.looks_blank);
                report.rejected += usize::from(a.quality.rejected());
                report.read += usize::from(a.text.is_some());
            }
            Err(e) => {
                // The file decoded at import, so this is damage on disk or a decoder
                // change: no retry helps, a person must look.
                let note = hoso_i18n::msg!("page-unprocessable", why = e.to_string()).to_string();
                self.fail_page(task.page.id, &task.job, owner, &note, report)?;
            }
        }
        Ok(())
    }

    /// Marks a page failed with a note people can read, and ends its job for good.
    fn fail_page(
        &mut self,
        page_id: i64,
        job: &jobs::Job,
        owner: &str,
        note: &str,
        report: &mut ProcessReport,
    ) -> anyhow::Result<()> {
        self.store.finish_page(
            page_id,
            &PageOutcome {
                state: PageState::Failed,
                note: Some(note),
                metrics: None,
                thumbnail: None,
                text: None,
                blank: false,
                actor: self.actor.name(),
                now: now(),
            },
        )?;
        jobs::fail(self.store.conn(), job, owner, note, jobs::Retry::Permanent, now().timestamp_millis())?;
        report.failed += 1;
        Ok(())
    }
}
