//! The local store: the only crate that writes SQL or blob files.
//!
//! A [`Store`] is a folder holding `hoso.db` (SQLite in WAL mode, foreign keys
//! on, schema from `migrations/`) and `blobs/` (immutable files named by their
//! SHA-256, see [`Blobs`]). It keeps:
//!
//! - records, their components and pages ([`Store::create_record`],
//!   [`Store::add_pages`]), with record codes whose daily sequence is allocated
//!   inside a write transaction, so concurrent processes never collide;
//! - a job queue with attempts, leases and next-run times ([`jobs`]), so work
//!   survives a crash and resumes at start-up;
//! - an append-only, hash-chained audit log ([`audit`]) written in the same
//!   transaction as the change it describes, with [`audit::verify`].
//!
//! Invariants: a blob row exists only after its file is durable; every state
//! change is one guarded `UPDATE … WHERE id = ? AND state = ?` whose 0-row
//! result is an error ([`StoreError::StaleState`]); nothing is deleted because
//! it failed. Callers pass `now`; nothing here reads the clock.
//!
//! Not here: decoding images (hoso-imaging), deciding what a job does
//! (hoso-core), anything about the network.

// The exceptions, allowed where they stand: `durable.rs` calls Windows'
// MoveFileExW (write-through rename), and `winacl.rs` Windows' security
// API (the store folder's access list), which std does not offer.
#![deny(unsafe_code)]

pub mod accounts;
pub mod audit;
mod blobs;
mod book;
mod check;
mod documents;
pub mod durable;
mod error;
pub mod jobs;
mod pages;
mod records;
mod reused;
mod sync;
#[cfg(windows)]
#[allow(unsafe_code)]
mod winacl;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use accounts::{Account, Role};
pub use blobs::{Blobs, sha256};
pub use book::BookEntry;
pub use check::CheckReport;
pub use documents::{Document, DocumentKind, NewDocument};
pub use error::StoreError;
pub use records::{
    AddedPages, NewPages, NewRecord, PAGE_JOB, PageExtras, PageInput, PageOutcome, PageResult, PageText,
    PageTextIn, RecordSummary, StateChange,
};
pub use reused::Reused;
pub use sync::{Anchor, SYNC_JOB};

/// Result type of this crate.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Schema migrations, applied in order; `PRAGMA user_version` counts how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_page_text.sql"),
    include_str!("../migrations/0003_documents.sql"),
    include_str!("../migrations/0004_certification_book.sql"),
    include_str!("../migrations/0005_sync.sql"),
    include_str!("../migrations/0006_accounts.sql"),
    include_str!("../migrations/0007_page_edits.sql"),
    include_str!("../migrations/0008_page_turn.sql"),
    include_str!("../migrations/0009_page_left_out.sql"),
    include_str!("../migrations/0010_page_blank_below.sql"),
    include_str!("../migrations/0011_reused.sql"),
];

/// An open store folder.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    conn: Connection,
    blobs: Blobs,
}

impl Store {
    /// Opens (creating if needed) the store in `root`, applies migrations and
    /// removes temporary blob files a crash may have left.
    pub fn open(root: &Path) -> Result<Store> {
        std::fs::create_dir_all(root).map_err(|e| StoreError::io(root, e))?;
        // Names, ID numbers and scans: the folder is its user's alone (0700 on
        // Unix; on Windows an access list of the user's and SYSTEM's, not
        // inherited: winacl).
        private(root, 0o700)?;
        let blobs = Blobs::open(&root.join("blobs"))?;
        let db_path = root.join("hoso.db");
        let conn = Connection::open_with_flags(
            &db_path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )
        .map_err(|e| StoreError::Open { path: db_path.clone(), source: e })?;
        // Another process (the desktop app beside a CLI command) may hold the write
        // lock for a moment; wait rather than fail.
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a committed page survives a power cut, not only a crash.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // SQLite gives its -wal and -shm files the database's own mode.
        private(&db_path, 0o600)?;
        let mut store = Store { root: root.to_owned(), conn, blobs };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let done: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let done = usize::try_from(done).unwrap_or(0);
        if done > MIGRATIONS.len() {
            return Err(StoreError::TooNew { found: done, known: MIGRATIONS.len() });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
            log::info!("store migration {} applied", i + 1);
        }
        tx.commit()?;
        Ok(())
    }

    /// The store folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The blob folder.
    pub fn blobs(&self) -> &Blobs {
        &self.blobs
    }

    /// The connection, for read-only queries and for tests that inspect rows.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Records in the audit log something done outside the store (this PC's
    /// settings file changed, for one): who, when, what, and its details.
    pub fn audit_event(
        &mut self,
        action: &str,
        subject: &str,
        detail: &serde_json::Value,
        actor: &str,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<()> {
        let tx = self.write()?;
        audit::append(&tx, now, actor, action, subject, detail)?;
        tx.commit()?;
        Ok(())
    }

    /// A write transaction taken at once (not upgraded later), so two writers
    /// queue on the busy timeout instead of failing with SQLITE_BUSY.
    pub(crate) fn write(&mut self) -> Result<rusqlite::Transaction<'_>> {
        Ok(self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
    }
}

/// Takes group and other access away from `path` (Unix), leaving `mode`.
#[cfg(unix)]
fn private(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let now = std::fs::metadata(path).map_err(|e| StoreError::io(path, e))?.permissions().mode();
    if now & 0o077 != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .map_err(|e| StoreError::io(path, e))?;
    }
    Ok(())
}

/// On Windows the folder gets an access list of its user's alone (winacl);
/// the files in it inherit that list.
#[cfg(windows)]
fn private(path: &Path, _mode: u32) -> Result<()> {
    if path.is_dir() {
        winacl::make_private(path).map_err(|e| StoreError::io(path, e))?;
    }
    Ok(())
}
