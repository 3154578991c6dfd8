//! Errors of the store. Messages say what happened and what to do.

use std::path::{Path, PathBuf};

use hoso_i18n::{Localized, msg};
use hoso_model::{RecordState, TransitionError};

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database file cannot be opened.
    #[error("{}", msg!("store-open", file = .path, why = .source.to_string()))]
    Open {
        /// Database file.
        path: PathBuf,
        /// Cause.
        source: rusqlite::Error,
    },
    /// An SQLite error.
    #[error("{}", msg!("store-sql", why = .0.to_string()))]
    Sql(#[from] rusqlite::Error),
    /// A file operation failed.
    #[error("{}", msg!("store-io", file = .path, why = .source.to_string()))]
    Io {
        /// File or folder.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The database was written by a newer version of the program.
    #[error("{}", msg!("store-too-new", found = *.found, known = *.known))]
    TooNew {
        /// Migrations applied.
        found: usize,
        /// Migrations known.
        known: usize,
    },
    /// Nothing with this id or code.
    #[error("{}", msg!("store-not-found", what = .0))]
    NotFound(String),
    /// A guarded update changed no row: someone else moved the record first.
    #[error("{}", msg!(
        "store-stale-state",
        record = .record,
        actual = .actual.message(),
        expected = .expected.message()
    ))]
    StaleState {
        /// Record.
        record: String,
        /// State the caller assumed.
        expected: RecordState,
        /// State found.
        actual: RecordState,
    },
    /// The lifecycle forbids the change.
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// The record no longer takes pages.
    #[error("{}", msg!("store-closed", record = .record, state = .state.message()))]
    Closed {
        /// Record.
        record: String,
        /// Its state.
        state: RecordState,
    },
    /// 9999 records were already received today by this unit.
    #[error("{}", msg!("store-sequence-exhausted", unit = .unit, day = .day))]
    SequenceExhausted {
        /// Unit code.
        unit: String,
        /// Day.
        day: String,
    },
    /// A blob file does not match its name.
    #[error("{}", msg!("store-blob-damaged", hash = .hash))]
    BlobDamaged {
        /// Its hash.
        hash: String,
    },
    /// A job lease was lost (expired and taken by another worker).
    #[error("{}", msg!("store-lease-lost", job = *.0))]
    LeaseLost(i64),
    /// A stored row that does not parse.
    #[error("{}", msg!("store-corrupt", why = .0))]
    Corrupt(String),
    /// A request the store refuses (bad input, wrong password); the message
    /// is for the person at the counter.
    #[error("{0}")]
    Invalid(Localized),
}

impl StoreError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        StoreError::Io { path: path.to_owned(), source }
    }

    /// Whether trying again later can help (a busy database, a full disk freed later).
    pub fn is_retryable(&self) -> bool {
        match self {
            StoreError::Sql(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy
                    | rusqlite::ErrorCode::DatabaseLocked
                    | rusqlite::ErrorCode::DiskFull
            ),
            StoreError::Io { .. } | StoreError::StaleState { .. } => true,
            _ => false,
        }
    }
}
