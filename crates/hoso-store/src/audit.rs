//! The append-only, hash-chained audit log.
//!
//! Each entry's hash is the SHA-256 of the JSON array
//! `[seq, at, actor, action, subject, detail, prev_hash]`, where `detail` is the
//! JSON text exactly as stored and `prev_hash` is the previous entry's hash (64
//! zeros for the first). Triggers refuse UPDATE and DELETE; [`verify`] finds
//! any change made around them (an edited, removed or inserted entry). Cutting
//! entries off the end leaves a shorter valid chain: the receipts the city
//! backend returns anchor the head for that case ([`position`] finds an
//! anchored head; hoso-core's `verify_audit` checks every one).
//!
//! Do *not* change the hashed layout: existing chains would stop verifying.

use chrono::{DateTime, FixedOffset};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::Result;
use crate::blobs::sha256;

/// Hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Position, from 1.
    pub seq: i64,
    /// When, RFC 3339 with offset.
    pub at: String,
    /// Who (a user name, or `system`).
    pub actor: String,
    /// What, e.g. `record.create`.
    pub action: String,
    /// On what, e.g. a record id.
    pub subject: String,
    /// Details as JSON text.
    pub detail: String,
    /// Previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

fn entry_hash(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
    prev: &str,
) -> String {
    let canonical = serde_json::to_string(&(seq, at, actor, action, subject, detail, prev))
        .expect("strings and integers always serialise");
    sha256(canonical.as_bytes()).to_hex()
}

/// Appends an entry; call inside the transaction that makes the change it records.
pub fn append(
    conn: &Connection,
    at: DateTime<FixedOffset>,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &serde_json::Value,
) -> Result<Entry> {
    let last: Option<(i64, String)> = conn
        .query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, false);
    let detail = detail.to_string();
    let hash = entry_hash(seq, &at, actor, action, subject, &detail, &prev_hash);
    conn.execute(
        "INSERT INTO audit (seq, at, actor, action, subject, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![seq, at, actor, action, subject, detail, prev_hash, hash],
    )?;
    Ok(Entry {
        seq,
        at,
        actor: actor.to_owned(),
        action: action.to_owned(),
        subject: subject.to_owned(),
        detail,
        prev_hash,
        hash,
    })
}

/// Outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Entries checked.
    pub entries: i64,
    /// Hash of the last entry (the chain's head), or [`GENESIS`] when empty.
    pub head: String,
    /// The first problem found, if any.
    pub broken: Option<Broken>,
}

/// Where and how the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broken {
    /// Sequence number of the first bad entry.
    pub seq: i64,
    /// What is wrong with it.
    pub reason: String,
}

/// Recomputes every hash in order and checks each links to the one before.
pub fn verify(conn: &Connection) -> Result<Verification> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1;
    let mut prev = GENESIS.to_owned();
    let mut entries = 0;
    while let Some(r) = rows.next()? {
        let e = from_row(r)?;
        let fail = |reason: String| Verification {
            entries,
            head: prev.clone(),
            broken: Some(Broken { seq: e.seq, reason }),
        };
        if e.seq != expected_seq {
            return Ok(fail(format!("entry {expected_seq} is missing (next is {})", e.seq)));
        }
        if e.prev_hash != prev {
            return Ok(fail("does not link to the entry before it".into()));
        }
        let hash = entry_hash(e.seq, &e.at, &e.actor, &e.action, &e.subject, &e.detail, &e.prev_hash);
        if hash != e.hash {
            return Ok(fail("its content was changed after it was written".into()));
        }
        prev = e.hash;
        expected_seq += 1;
        entries += 1;
    }
    Ok(Verification { entries, head: prev, broken: None })
}

/// The position of the entry whose hash is `hash`, if the log holds one.
pub fn position(conn: &Connection, hash: &str) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT seq FROM audit WHERE hash = ?1", [hash], |r| r.get(0)).optional()?)
}

/// Entries about one subject, oldest first.
pub fn for_subject(conn: &Connection, subject: &str) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit WHERE subject = ?1 ORDER BY seq"))?;
    let rows = stmt.query_map([subject], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const COLUMNS: &str = "seq, at, actor, action, subject, detail, prev_hash, hash";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        subject: r.get(4)?,
        detail: r.get(5)?,
        prev_hash: r.get(6)?,
        hash: r.get(7)?,
    })
}
