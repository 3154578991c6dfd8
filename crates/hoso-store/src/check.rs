//! Consistency check of a whole store: SQLite, blobs, references, audit chain.

use hoso_model::BlobHash;
use serde::Serialize;

use crate::{Result, Store, audit};

/// What [`Store::check`] found.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// `PRAGMA integrity_check` result lines ("ok" when healthy).
    pub integrity: Vec<String>,
    /// Rows that break a foreign key, as "table rowid".
    pub foreign_key_violations: Vec<String>,
    /// Blob rows checked.
    pub blobs_checked: u64,
    /// Blobs whose file is missing, of the wrong size or (deep check) the wrong hash.
    pub bad_blobs: Vec<String>,
    /// The audit chain.
    pub audit: audit::Verification,
}

impl CheckReport {
    /// Whether nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.integrity == ["ok"]
            && self.foreign_key_violations.is_empty()
            && self.bad_blobs.is_empty()
            && self.audit.broken.is_none()
    }
}

impl Store {
    /// Checks the database, every blob (its size, and with `deep` its hash) and the audit chain.
    pub fn check(&self, deep: bool) -> Result<CheckReport> {
        let integrity = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let foreign_key_violations = self
            .conn
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |r| Ok(format!("{} {}", r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut bad_blobs = Vec::new();
        let mut blobs_checked = 0;
        let mut stmt = self.conn.prepare("SELECT hash, size FROM blobs ORDER BY hash")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let hex: String = r.get(0)?;
            let size: i64 = r.get(1)?;
            let size = u64::try_from(size).unwrap_or(0);
            blobs_checked += 1;
            let Ok(hash) = hex.parse::<BlobHash>() else {
                bad_blobs.push(hex);
                continue;
            };
            let ok = if deep { self.blobs.read(&hash).is_ok() } else { self.blobs.has(&hash, size) };
            if !ok {
                bad_blobs.push(hex);
            }
        }
        Ok(CheckReport {
            integrity,
            foreign_key_violations,
            blobs_checked,
            bad_blobs,
            audit: audit::verify(&self.conn)?,
        })
    }
}
