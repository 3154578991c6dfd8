//! Errors of the store. Messages say what happened and what to do.

use std::path::{Path, PathBuf};

use hoso_model::{RecordState, TransitionError};

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database file cannot be opened.
    #[error("cannot open the database {path}: {source}; check the folder exists and is writable")]
    Open {
        /// Database file.
        path: PathBuf,
        /// Cause.
        source: rusqlite::Error,
    },
    /// An SQLite error.
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// A file operation failed.
    #[error("cannot access {path}: {source}")]
    Io {
        /// File or folder.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The database was written by a newer version of the program.
    #[error("the database has {found} migrations but this program knows {known}; install the newer version")]
    TooNew {
        /// Migrations applied.
        found: usize,
        /// Migrations known.
        known: usize,
    },
    /// Nothing with this id or code.
    #[error("không tìm thấy / not found: {0}")]
    NotFound(String),
    /// A guarded update changed no row: someone else moved the record first.
    #[error("record {record} is {actual}, not {expected} as expected; reload it and try again")]
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
    #[error("record {record} is {state} ({}); pages can no longer be added", state.label_vi())]
    Closed {
        /// Record.
        record: String,
        /// Its state.
        state: RecordState,
    },
    /// 9999 records were already received today by this unit.
    #[error("unit {unit} has used all 9999 record numbers for {day}")]
    SequenceExhausted {
        /// Unit code.
        unit: String,
        /// Day.
        day: String,
    },
    /// A blob file does not match its name.
    #[error("blob {hash} is missing or damaged on disk; restore it from a backup")]
    BlobDamaged {
        /// Its hash.
        hash: String,
    },
    /// A job lease was lost (expired and taken by another worker).
    #[error("job {0} is no longer leased by this worker")]
    LeaseLost(i64),
    /// A stored row that does not parse.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// A request the store refuses (bad input, wrong password); the message
    /// is for the person at the counter.
    #[error("{0}")]
    Invalid(String),
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
