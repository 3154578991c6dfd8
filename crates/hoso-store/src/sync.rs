//! Sealing a record (its manifest fixed, queued for the hub) and recording the
//! hub's answer. Each step is one transaction with its state change and audit
//! entry.

use chrono::{DateTime, FixedOffset};
use hoso_model::{RecordId, RecordState};
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use crate::records::{StateChange, change_state, stamp};
use crate::{Result, Store, audit, jobs};

/// Job kind of a record waiting to be sent to the hub.
pub const SYNC_JOB: &str = "record.sync";
/// A record is tried this many times before it is marked failed (it stays queued
/// and visible; `retry` starts it again).
const SYNC_ATTEMPTS: i64 = 1000;

impl Store {
    /// Seals a record in review or certification: stores its manifest, moves it
    /// Sealed → Queued and enqueues the sync job.
    pub fn seal(
        &mut self,
        id: &RecordId,
        from: RecordState,
        manifest: &str,
        manifest_sha256: &str,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO seals (record_id, manifest, manifest_sha256, sealed_at) VALUES (?1, ?2, ?3, ?4)",
            params![id.to_string(), manifest, manifest_sha256, stamp(now)],
        )?;
        let step = |from, to| StateChange { from, to, reason: None, actor, now };
        change_state(&tx, id, &step(from, RecordState::Sealed))?;
        audit::append(
            &tx,
            now,
            actor,
            "record.sealed",
            &id.to_string(),
            &json!({ "manifest_sha256": manifest_sha256 }),
        )?;
        change_state(&tx, id, &step(RecordState::Sealed, RecordState::Queued))?;
        jobs::enqueue(&tx, SYNC_JOB, &id.to_string(), SYNC_ATTEMPTS, now.timestamp_millis())?;
        tx.commit()?;
        Ok(())
    }

    /// Every synced record's sealed manifest with the receipt the hub signed
    /// for it, oldest receipt first: the anchors of the audit chain.
    pub fn anchors(&self) -> Result<Vec<Anchor>> {
        let mut stmt = self.conn().prepare(
            "SELECT s.record_id, s.manifest, s.manifest_sha256, r.receipt, r.received_at
             FROM seals s JOIN receipts r ON r.record_id = s.record_id ORDER BY r.received_at, r.rowid",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Anchor {
                record_id: r.get(0)?,
                manifest: r.get(1)?,
                manifest_sha256: r.get(2)?,
                receipt: r.get(3)?,
                received_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The sealed manifest of a record and its hash.
    pub fn sealed_manifest(&self, id: &RecordId) -> Result<Option<(String, String)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT manifest, manifest_sha256 FROM seals WHERE record_id = ?1",
                [id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Keeps the hub's receipt and moves the record Queued → Synced.
    pub fn synced(
        &mut self,
        id: &RecordId,
        receipt: &str,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO receipts (record_id, receipt, received_at) VALUES (?1, ?2, ?3)",
            params![id.to_string(), receipt, stamp(now)],
        )?;
        change_state(
            &tx,
            id,
            &StateChange { from: RecordState::Queued, to: RecordState::Synced, reason: None, actor, now },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The hub refused the record for good: Queued → Rejected with the reason.
    pub fn sync_rejected(
        &mut self,
        id: &RecordId,
        reason: &str,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let tx = self.write()?;
        change_state(
            &tx,
            id,
            &StateChange {
                from: RecordState::Queued,
                to: RecordState::Rejected,
                reason: Some(reason),
                actor,
                now,
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Sends a rejected record again (after the hub's operators fixed what
    /// made them refuse it): Rejected → Queued and its sync job ready, with
    /// the audit entry.
    pub fn requeue_rejected(&mut self, id: &RecordId, actor: &str, now: DateTime<FixedOffset>) -> Result<()> {
        let tx = self.write()?;
        let step =
            StateChange { from: RecordState::Rejected, to: RecordState::Queued, reason: None, actor, now };
        change_state(&tx, id, &step)?;
        tx.execute(
            "UPDATE jobs SET state = 'ready', attempts = 0, run_after = ?3, lease_owner = NULL, updated_at = ?3
             WHERE kind = ?1 AND subject = ?2",
            params![SYNC_JOB, id.to_string(), now.timestamp_millis()],
        )?;
        jobs::enqueue(&tx, SYNC_JOB, &id.to_string(), SYNC_ATTEMPTS, now.timestamp_millis())?;
        audit::append(&tx, now, actor, "record.requeued", &id.to_string(), &json!({}))?;
        tx.commit()?;
        Ok(())
    }

    /// The receipt of a synced record.
    pub fn receipt(&self, id: &RecordId) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT receipt FROM receipts WHERE record_id = ?1", [id.to_string()], |r| r.get(0))
            .optional()?)
    }

    /// Size of a stored blob, from its row.
    pub fn blob_size(&self, hash: &hoso_model::BlobHash) -> Result<Option<u64>> {
        Ok(self
            .conn()
            .query_row("SELECT size FROM blobs WHERE hash = ?1", [hash.to_hex()], |r| r.get::<_, i64>(0))
            .optional()?
            .map(|s| s as u64))
    }
}

/// A synced record's manifest (which names the audit head when it was
/// sealed) and the hub's receipt for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub record_id: String,
    pub manifest: String,
    pub manifest_sha256: String,
    pub receipt: String,
    pub received_at: String,
}
