//! The application layer of HoSo Intake, shared by the `hoso` CLI and the desktop shell.
//!
//! [`App`] owns the open [`hoso_store::Store`], the [`config::Config`] and the
//! procedure catalogue, and offers the use cases: open a record
//! ([`App::new_record`]), import page files into it ([`App::import`]), process
//! stored pages with a pool of worker threads ([`App::process`]), check the
//! store ([`App::check`]). It reads the clock ([`now`]) and the file system and
//! passes values down; the store does the SQL, hoso-imaging the pixels.
//!
//! Front ends stay thin: a CLI subcommand or Tauri command parses its input,
//! calls one method here and prints or returns the result.

#![forbid(unsafe_code)]

mod accounts;
mod actor;
mod build;
pub mod catalogue;
mod certify;
pub mod config;
pub mod doctor;
mod export;
mod identity;
mod import;
mod launch;
mod pages;
mod process;
pub mod profiles;
mod queries;
mod reuse;
mod scan;
pub mod settings;
mod sync;
pub mod views;

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, FixedOffset};
use hoso_i18n::{err, msg};
use hoso_model::{Applicant, Channel, Record, RecordState};
use hoso_store::Store;

pub use actor::Actor;
pub use build::{BuildReport, BuiltDocument};
pub use certify::{CertifiedCopy, CertifyReport, CertifyRequest, ValidationData};
pub use export::ExportReport;
pub use hoso_store::audit::Verification as AuditVerification;
pub use hoso_store::{Account, CheckReport, PageText, RecordSummary, Role};
pub use identity::{ChipReading, IdentityProblem};
pub use import::{FileOutcome, ImportError, ImportReport};
pub use launch::ensure_single_thread_ocr;
pub use process::{ProcessReport, WorkerLock, default_workers};
pub use profiles::{ScanPlan, ScanProfile};
pub use queries::PageSource;
pub use scan::{
    ManualDuplex, ScanEvent, ScanFailure, ScanReport, Separator, StackWord, Stacks, WatchReport,
    find_separator,
};
pub use sync::{LedgerEntry, SyncReport};

/// Current time in Vietnam (+07:00).
pub fn now() -> DateTime<FixedOffset> {
    chrono::Utc::now().with_timezone(&hoso_model::vn_offset())
}

/// An open workstation: configuration plus store.
#[derive(Debug)]
pub struct App {
    config: config::Config,
    store: Store,
    /// Who acts: checked by every use case that changes the store or needs a role.
    actor: Actor,
}

/// What `hoso audit verify` found: the chain itself, and whether it still
/// holds every head the hub's receipts anchor (a rewrite or a cut made by
/// someone who can write `hoso.db` leaves a valid but different chain; the
/// heads the hub signed are not in it any more).
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditReport {
    #[serde(flatten)]
    pub chain: hoso_store::audit::Verification,
    /// Receipts whose signature holds and whose head was looked for.
    pub anchors: usize,
    /// Receipts that could not be trusted (no `hub_key`, or a signature or
    /// manifest that does not hold): not counted as anchors.
    pub unverified: usize,
    /// The first anchored head the chain no longer holds.
    pub lost: Option<LostAnchor>,
    /// The last entry an anchored head still points to: the log is proven up to it.
    pub last_anchored_seq: Option<i64>,
    /// The record whose head the hub says it signed last for this device,
    /// when it was asked (`hoso audit verify --hub`).
    pub hub_last: Option<String>,
}

impl AuditReport {
    /// The chain verifies and holds every anchored head.
    pub fn intact(&self) -> bool {
        self.chain.broken.is_none() && self.lost.is_none()
    }
}

/// An anchored head missing from the audit chain.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LostAnchor {
    /// The record whose receipt anchors it.
    pub record: String,
    pub head: String,
    /// When the hub accepted it.
    pub accepted_at: String,
}

/// A record with everything a detail view shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RecordDetail {
    /// The record.
    pub record: Record,
    /// Procedure name, if the catalogue knows the code.
    pub procedure_name: Option<String>,
    /// Checklist slots with their pages.
    pub components: Vec<ComponentDetail>,
}

/// A checklist slot and what was scanned into it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ComponentDetail {
    /// The slot.
    #[serde(flatten)]
    pub component: hoso_model::Component,
    /// Its pages.
    pub pages: Vec<hoso_model::Page>,
}

impl App {
    /// Opens the store named by the configuration, acting as `actor` (named in the audit log).
    pub fn open(config: config::Config, actor: Actor) -> anyhow::Result<App> {
        let store = Store::open(&config.data_dir)
            .with_context(|| err!("store-cannot-open", folder = &config.data_dir))?;
        Ok(App { config, store, actor })
    }

    /// The configuration in force.
    pub fn config(&self) -> &config::Config {
        &self.config
    }

    /// Changes settings in this PC's user config file (administrators only;
    /// see [`settings::edit`]), audits what changed and puts the configuration
    /// read again in force. The store folder stays the one that is open.
    pub fn edit_settings(&mut self, changes: &[(String, String)]) -> anyhow::Result<Vec<settings::Change>> {
        self.require_admin()?;
        let (config, changed) = settings::edit(&self.config, changes)?;
        if !changed.is_empty() {
            let file = config.user_file.as_ref().map(|f| f.display().to_string()).unwrap_or_default();
            self.store.audit_event(
                "settings.changed",
                &file,
                &serde_json::json!({ "changes": changed }),
                self.actor.name(),
                now(),
            )?;
        }
        self.config = config;
        Ok(changed)
    }

    /// Reads the city's procedure list from `file` (CSV or XLSX, see
    /// [`catalogue`]) and makes it this counter's catalogue (administrators
    /// only): written to `procedures.toml` in the store folder, and
    /// `catalogue` set to it in this PC's config file; audited. The rows it
    /// could not read are in the report. Nothing changes when no procedure
    /// could be read.
    pub fn import_procedures(&mut self, file: &Path) -> anyhow::Result<(catalogue::Imported, PathBuf)> {
        self.require_admin()?;
        let imported = catalogue::import(file)?;
        let target = self.config.data_dir.join("procedures.toml");
        let text = format!(
            "# {}\n{}",
            msg!("catalogue-import-header", file = file, at = now().format("%Y-%m-%d %H:%M").to_string()),
            toml::to_string(&imported.catalogue)?
        );
        hoso_store::durable::write_file(&target, text.as_bytes(), false)
            .with_context(|| err!("file-cannot-write", file = &target))?;
        self.edit_settings(&[("catalogue".into(), target.display().to_string())])?;
        self.store.audit_event(
            "procedures.imported",
            &target.display().to_string(),
            &serde_json::json!({
                "file": file.display().to_string(),
                "procedures": imported.procedures,
                "components": imported.components,
                "rows_skipped": imported.skipped.len(),
            }),
            self.actor.name(),
            now(),
        )?;
        Ok((imported, target))
    }

    /// Opens a record for a procedure of the catalogue.
    pub fn new_record(
        &mut self,
        procedure: &str,
        applicant: Applicant,
        channel: Channel,
    ) -> anyhow::Result<Record> {
        self.require_signed_in()?;
        let unit = self.config.unit()?.clone();
        let procedure = self
            .config
            .catalogue
            .get(procedure)
            .with_context(|| err!("procedure-unknown", procedure = procedure))?;
        let record = self.store.create_record(&hoso_store::NewRecord {
            unit: &unit,
            procedure,
            channel,
            applicant,
            actor: self.actor.name(),
            now: now(),
        })?;
        log::info!("record {} opened for {}", record.code, record.procedure);
        Ok(record)
    }

    /// A record with its components and pages.
    pub fn record_detail(&self, key: &str) -> anyhow::Result<RecordDetail> {
        self.require_signed_in()?;
        let record = self.store.record(key)?;
        let pages = self.store.pages(&record.id)?;
        let components = self
            .store
            .components(&record.id)?
            .into_iter()
            .map(|c| ComponentDetail {
                pages: pages.iter().filter(|p| p.component == c.ordinal).cloned().collect(),
                component: c,
            })
            .collect();
        let procedure_name = self.config.catalogue.get(&record.procedure).map(|p| p.name.clone());
        Ok(RecordDetail { record, procedure_name, components })
    }

    /// Reads a citizen identity card scan (QR code, MRZ) to pre-fill the applicant.
    pub fn read_card(&self, path: &Path) -> anyhow::Result<hoso_ocr::CardReading> {
        self.require_signed_in()?;
        let bytes = std::fs::read(path).with_context(|| err!("file-unreadable", file = path))?;
        self.read_card_file(&path.display().to_string(), &bytes)
    }

    /// Reads a card image handed over as bytes (the desktop's file picker);
    /// `name` is only for messages.
    pub fn read_card_file(&self, name: &str, bytes: &[u8]) -> anyhow::Result<hoso_ocr::CardReading> {
        self.require_signed_in()?;
        let frame = hoso_imaging::decode_frame(bytes, 0, &hoso_imaging::Limits::default())
            .with_context(|| err!("card-unusable", file = name))?;
        self.read_card_image(&frame.image)
    }

    /// Reads an identity card laid on the scanner's glass: one flatbed page in
    /// colour at 300 dpi, nothing stored.
    pub fn scan_card(&self, scanner: &mut dyn hoso_scan::Scanner) -> anyhow::Result<hoso_ocr::CardReading> {
        self.require_signed_in()?;
        let settings = hoso_scan::ScanSettings {
            source: hoso_scan::Source::Flatbed,
            resolution: 300,
            mode: hoso_scan::ColourMode::Colour,
            ..Default::default()
        };
        scanner.start_batch(&settings)?;
        let page = scanner.next_page()?.context(err!("task-no-page"))?;
        self.read_card_image(&page.image)
    }

    fn read_card_image(&self, image: &image::DynamicImage) -> anyhow::Result<hoso_ocr::CardReading> {
        let mut ocr = hoso_ocr::Ocr::new(&self.config.ocr)?;
        Ok(ocr.read_card(image)?)
    }

    /// Every page of a record in order, with its recognised text when it was read.
    pub fn record_text(&self, key: &str) -> anyhow::Result<Vec<(hoso_model::Page, Option<PageText>)>> {
        self.require_signed_in()?;
        let record = self.store.record(key)?;
        let mut pages = self.store.pages(&record.id)?;
        pages.sort_by_key(|p| (p.component, p.ordinal));
        pages
            .into_iter()
            .map(|p| {
                let text = self.store.page_text(p.id)?;
                Ok((p, text))
            })
            .collect()
    }

    /// Checks the database, the blobs (hashing each with `deep`) and the audit chain.
    pub fn check(&self, deep: bool) -> anyhow::Result<CheckReport> {
        self.require_admin()?;
        Ok(self.store.check(deep)?)
    }

    /// Verifies the audit chain.
    pub fn verify_audit(&self, ask_hub: bool) -> anyhow::Result<AuditReport> {
        self.require_admin()?;
        let chain = hoso_store::audit::verify(self.store.conn())?;
        let mut report = AuditReport {
            chain,
            anchors: 0,
            unverified: 0,
            lost: None,
            last_anchored_seq: None,
            hub_last: None,
        };
        // Each manifest with its receipt and its digest (computed once).
        let mut anchors: Vec<(hoso_sync::Manifest, hoso_sync::Receipt, String)> = Vec::new();
        for anchor in self.store.anchors()? {
            let manifest: Option<hoso_sync::Manifest> = serde_json::from_str(&anchor.manifest).ok();
            let receipt: Option<hoso_sync::Receipt> = serde_json::from_str(&anchor.receipt).ok();
            match (manifest, receipt) {
                (Some(m), Some(r)) if m.digest() == anchor.manifest_sha256 => {
                    anchors.push((m, r, anchor.manifest_sha256))
                }
                _ => report.unverified += 1,
            }
        }
        // The head the hub signed last for this device: found even when the
        // receipts here were cut off with the log.
        if ask_hub && let Some((manifest, receipt)) = self.hub_client(None)?.last_anchor()? {
            report.hub_last = Some(manifest.code.clone());
            let digest = manifest.digest();
            anchors.push((manifest, receipt, digest));
        }
        for (manifest, receipt, digest) in anchors {
            // An anchor counts when the hub's signature holds: its receipt
            // verifies with the configured hub key and names this manifest.
            let Some(hub_key) = &self.config.hub_key else {
                report.unverified += 1;
                continue;
            };
            if !receipt.verify(hub_key) || receipt.manifest_sha256 != digest {
                report.unverified += 1;
                continue;
            }
            report.anchors += 1;
            match hoso_store::audit::position(self.store.conn(), &manifest.audit_head)? {
                Some(seq) => {
                    report.last_anchored_seq = Some(report.last_anchored_seq.unwrap_or(0).max(seq));
                }
                None if report.lost.is_none() => {
                    report.lost = Some(LostAnchor {
                        record: manifest.code.clone(),
                        head: manifest.audit_head.clone(),
                        accepted_at: receipt.accepted_at.clone(),
                    });
                }
                None => {}
            }
        }
        Ok(report)
    }

    /// Moves a record on when its pages are all handled: Scanning → Processing after
    /// an import, Processing → Review once no page waits. `record` must be freshly
    /// loaded; the guarded update refuses it if its state has moved since.
    fn settle(&mut self, record: &Record) -> anyhow::Result<()> {
        let pending = self.store.pages_stored(&record.id)?;
        let current = record.state;
        let next = match current {
            RecordState::Scanning => Some(RecordState::Processing),
            RecordState::Processing if pending == 0 => Some(RecordState::Review),
            _ => None,
        };
        if let Some(next) = next {
            let change = |from, to| hoso_store::StateChange {
                from,
                to,
                reason: None,
                actor: self.actor.name(),
                now: now(),
            };
            self.store.set_state(&record.id, &change(current, next))?;
            if next == RecordState::Processing && pending == 0 {
                self.store.set_state(&record.id, &change(next, RecordState::Review))?;
            }
        }
        Ok(())
    }
}

/// Whether a file name has the extension of a format [`App::import`] reads.
pub fn is_image_path(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
        Some("png" | "jpg" | "jpeg" | "tif" | "tiff")
    )
}
