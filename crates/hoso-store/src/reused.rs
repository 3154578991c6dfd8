//! Components attached by reference (DuocTaiSuDung): a record's component
//! that is a document another counter digitised, named by its hash and its
//! original record, kept with who attached it and when (audited). Attaching
//! moves a record with nothing scanned on to review.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::records;
use crate::{Result, Store, audit};
use hoso_model::{RecordId, RecordState};

/// A document of another record, attached to one of this record's components.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reused {
    pub component: u16,
    pub original_record: String,
    pub original_code: String,
    pub unit: String,
    /// `pdfa` or `certified`.
    pub role: String,
    pub sha256: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    /// When the original record was sealed.
    pub sealed_at: String,
    pub attached_at: String,
    pub actor: String,
}

impl Store {
    /// Attaches `r` to its component of `record` (again: no change), audited
    /// at `r.attached_at`.
    pub fn add_reused(
        &mut self,
        record: &RecordId,
        r: &Reused,
        at: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<()> {
        let tx = self.write()?;
        let added = tx.execute(
            "INSERT INTO reused (record_id, component, original_record, original_code, unit, role, sha256, size,
                                 sealed_at, attached_at, actor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT DO NOTHING",
            params![
                record.to_string(),
                r.component,
                r.original_record,
                r.original_code,
                r.unit,
                r.role,
                r.sha256,
                r.size as i64,
                r.sealed_at,
                r.attached_at,
                r.actor
            ],
        )?;
        if added == 1 {
            audit::append(
                &tx,
                at,
                &r.actor,
                "reuse.attach",
                &record.to_string(),
                &json!({ "component": r.component, "original_record": r.original_code, "unit": r.unit,
                         "role": r.role, "sha256": r.sha256 }),
            )?;
            // A record opened with nothing scanned yet is ready for review once
            // a document is attached: its papers may all have been digitised
            // before, and nothing waits to be read.
            if records::state_of(&tx, record)? == RecordState::Draft {
                let path = [RecordState::Scanning, RecordState::Processing, RecordState::Review];
                records::walk_states(&tx, record, RecordState::Draft, &path, &r.actor, at)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The documents attached by reference to `record`'s components.
    pub fn reused(&self, record: &RecordId) -> Result<Vec<Reused>> {
        let mut q = self.conn().prepare(
            "SELECT component, original_record, original_code, unit, role, sha256, size, sealed_at, attached_at, actor
             FROM reused WHERE record_id = ?1 ORDER BY component, attached_at",
        )?;
        let rows = q.query_map([record.to_string()], |r| {
            Ok(Reused {
                component: r.get(0)?,
                original_record: r.get(1)?,
                original_code: r.get(2)?,
                unit: r.get(3)?,
                role: r.get(4)?,
                sha256: r.get(5)?,
                size: r.get::<_, i64>(6)? as u64,
                sealed_at: r.get(7)?,
                attached_at: r.get(8)?,
                actor: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }
}
