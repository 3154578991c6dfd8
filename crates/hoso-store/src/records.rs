//! Records, components and pages: creation, lookup, guarded state changes.

use chrono::{DateTime, FixedOffset};
use hoso_model::{
    Applicant, BlobHash, Channel, Component, Page, PageState, Procedure, Record, RecordCode, RecordId,
    RecordState, UnitCode, vn_offset,
};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::json;

use crate::{Result, Store, StoreError, audit, jobs};

/// Job kind for processing a stored page.
pub const PAGE_JOB: &str = "page.process";
/// Attempts a page job gets before it is marked failed.
pub(crate) const PAGE_JOB_ATTEMPTS: i64 = 5;

/// What is needed to open a record.
#[derive(Debug, Clone)]
pub struct NewRecord<'a> {
    /// Receiving unit, first part of the record code.
    pub unit: &'a UnitCode,
    /// The procedure; its checklist becomes the record's components.
    pub procedure: &'a Procedure,
    /// Channel of submission.
    pub channel: Channel,
    /// Applicant.
    pub applicant: Applicant,
    /// Who opens it.
    pub actor: &'a str,
    /// When, in any offset; the code uses the date in Vietnam.
    pub now: DateTime<FixedOffset>,
}

/// What processing found for one page.
#[derive(Debug, Clone, Copy)]
pub struct PageOutcome<'a> {
    /// `Processed` or `Failed`.
    pub state: PageState,
    /// For people: quality findings or why it failed.
    pub note: Option<&'a str>,
    /// Measurements and flags, as JSON.
    pub metrics: Option<&'a serde_json::Value>,
    /// Preview blob (already stored) and its size.
    pub thumbnail: Option<(&'a BlobHash, u64)>,
    /// Recognised text, when the page was read.
    pub text: Option<PageTextIn<'a>>,
    /// Found blank: left out of the PDF/A, unless a person already decided.
    pub blank: bool,
    pub actor: &'a str,
    pub now: DateTime<FixedOffset>,
}

/// Recognised text of a page as the store keeps it.
#[derive(Debug, Clone, Copy)]
pub struct PageTextIn<'a> {
    /// Engine, version and languages.
    pub engine: &'a str,
    pub text: &'a str,
    pub mean_confidence: f32,
    /// The full OCR result (transform, words with boxes), kept as JSON.
    pub layout: &'a hoso_model::PageLayout,
}

/// Recognised text of a page read back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageText {
    pub page_id: i64,
    pub engine: String,
    pub text: String,
    pub mean_confidence: f32,
    pub layout: hoso_model::PageLayout,
}

/// A move of a record from one state to another, with who, when and why.
#[derive(Debug, Clone, Copy)]
pub struct StateChange<'a> {
    /// State the caller saw; the update happens only if it still holds.
    pub from: RecordState,
    /// State wanted.
    pub to: RecordState,
    /// Why, for people (a rejection reason, a failure).
    pub reason: Option<&'a str>,
    /// Who.
    pub actor: &'a str,
    /// When.
    pub now: DateTime<FixedOffset>,
}

/// Frames of one durable blob to add as pages at the end of a component.
#[derive(Debug, Clone, Copy)]
pub struct NewPages<'a> {
    /// Component ordinal.
    pub component: u16,
    /// Hash of the blob, already written with [`crate::Blobs::put`].
    pub source: &'a BlobHash,
    /// Its size in bytes.
    pub size: u64,
    /// Its media type, e.g. `image/tiff`.
    pub media_type: &'a str,
    /// The frames to add.
    pub frames: &'a [PageInput],
    /// Where it came from (a file name), for the audit log.
    pub origin: &'a str,
    /// The share of ink (0-1) under which these pages are blank (a scan
    /// profile's threshold); `None`: the built-in one.
    pub blank_below: Option<f32>,
    /// Who.
    pub actor: &'a str,
    /// When.
    pub now: DateTime<FixedOffset>,
}

/// A record with counts, for lists.
#[derive(Debug, Clone, Serialize)]
pub struct RecordSummary {
    /// The record.
    #[serde(flatten)]
    pub record: Record,
    /// Pages not discarded.
    pub pages: i64,
    /// Pages still waiting for processing.
    pub pages_pending: i64,
}

/// One frame of a file to add as a page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageInput {
    /// Frame index in the file.
    pub frame: u32,
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// Declared dpi.
    pub dpi: Option<f32>,
}

/// What happened to each frame given to [`Store::add_pages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "result", content = "page")]
pub enum PageResult {
    /// Stored as a new page with this id.
    Added(i64),
    /// The record already had this frame of this file (an import run again).
    AlreadyThere(i64),
}

/// Outcome of [`Store::add_pages`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddedPages {
    /// One entry per frame, in order.
    pub pages: Vec<PageResult>,
}

pub(crate) fn stamp(t: DateTime<FixedOffset>) -> String {
    t.with_timezone(&vn_offset()).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

fn parse_time(s: &str) -> rusqlite::Result<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).map_err(conv)
}

fn conv<E: std::error::Error + Send + Sync + 'static>(e: E) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

fn conv_str(e: String) -> rusqlite::Error {
    conv(std::io::Error::other(e))
}

/// Per page id: its metrics (with the quality findings) and thumbnail, once processed.
pub type PageExtras = std::collections::HashMap<i64, (Option<serde_json::Value>, Option<BlobHash>)>;

const RECORD_COLUMNS: &str =
    "id, code, procedure, channel, applicant, state, state_reason, received_at, updated_at";

fn record_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Record> {
    let id: String = r.get(0)?;
    let code: String = r.get(1)?;
    let channel: String = r.get(3)?;
    let applicant: String = r.get(4)?;
    let state: String = r.get(5)?;
    Ok(Record {
        id: id.parse().map_err(conv)?,
        code: code.parse::<RecordCode>().map_err(conv)?,
        procedure: r.get(2)?,
        channel: serde_json::from_value(serde_json::Value::String(channel)).map_err(conv)?,
        applicant: serde_json::from_str(&applicant).map_err(conv)?,
        state: state.parse().map_err(conv)?,
        state_reason: r.get(6)?,
        received_at: parse_time(&r.get::<_, String>(7)?)?,
        updated_at: parse_time(&r.get::<_, String>(8)?)?,
    })
}

const PAGE_COLUMNS: &str = "id, record_id, component, ordinal, source, frame, width, height, dpi, state, note, turn, left_out, blank_below";

fn page_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Page> {
    let record: String = r.get(1)?;
    let source: String = r.get(4)?;
    let state: String = r.get(9)?;
    Ok(Page {
        id: r.get(0)?,
        record: record.parse().map_err(conv)?,
        component: r.get(2)?,
        ordinal: r.get(3)?,
        source: source.parse::<BlobHash>().map_err(conv)?,
        frame: r.get(5)?,
        width: r.get(6)?,
        height: r.get(7)?,
        dpi: r.get(8)?,
        state: state.parse().map_err(conv_str)?,
        note: r.get(10)?,
        turn: r.get(11)?,
        left_out: hoso_model::LeftOut::parse(r.get::<_, Option<String>>(12)?.as_deref()).map_err(conv_str)?,
        blank_below: r.get::<_, Option<f64>>(13)?.map(|v| v as f32),
    })
}

pub(crate) fn state_of(conn: &Connection, id: &RecordId) -> Result<RecordState> {
    let s: Option<String> = conn
        .query_row("SELECT state FROM records WHERE id = ?1", [id.to_string()], |r| r.get(0))
        .optional()?;
    let s = s.ok_or_else(|| StoreError::NotFound(format!("record {id}")))?;
    s.parse().map_err(|e: hoso_i18n::Localized| StoreError::Corrupt(e.to_string()))
}

/// The guarded update behind every record state change, plus its audit entry.
/// Documents built so far no longer show the component's pages.
pub(crate) fn mark_pages_changed(conn: &Connection, id: &RecordId, component: u16) -> Result<()> {
    conn.execute(
        "UPDATE components SET stale_through = (SELECT coalesce(max(id), 0) FROM documents)
         WHERE record_id = ?1 AND ordinal = ?2",
        params![id.to_string(), component],
    )?;
    Ok(())
}

/// Moves `id` from `from` through each state of `path` in turn, each step
/// a [`change_state`] of its own (checked and audited).
pub(crate) fn walk_states(
    conn: &Connection,
    id: &RecordId,
    from: RecordState,
    path: &[RecordState],
    actor: &str,
    now: DateTime<FixedOffset>,
) -> Result<()> {
    let mut current = from;
    for &next in path {
        change_state(conn, id, &StateChange { from: current, to: next, reason: None, actor, now })?;
        current = next;
    }
    Ok(())
}

pub(crate) fn change_state(conn: &Connection, id: &RecordId, c: &StateChange<'_>) -> Result<()> {
    let StateChange { from, to, reason, actor, now } = *c;
    from.transition(to)?;
    let n = conn.execute(
        "UPDATE records SET state = ?3, state_reason = ?4, updated_at = ?5
         WHERE id = ?1 AND state = ?2",
        params![id.to_string(), from.as_str(), to.as_str(), reason, stamp(now)],
    )?;
    if n == 0 {
        let actual = state_of(conn, id)?;
        return Err(StoreError::StaleState { record: id.to_string(), expected: from, actual });
    }
    audit::append(
        conn,
        now,
        actor,
        "record.state",
        &id.to_string(),
        &json!({ "from": from.as_str(), "to": to.as_str(), "reason": reason }),
    )?;
    Ok(())
}

impl Store {
    /// Opens a record: allocates the next daily number for the unit, creates the
    /// components from the procedure's checklist and writes the audit entry, all
    /// in one write transaction so that concurrent processes get distinct codes.
    pub fn create_record(&mut self, new: &NewRecord<'_>) -> Result<Record> {
        let day = new.now.with_timezone(&vn_offset()).date_naive();
        let tx = self.write()?;
        let last: Option<i64> = tx
            .query_row(
                "SELECT last FROM record_counter WHERE unit = ?1 AND day = ?2",
                params![new.unit.as_str(), day.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let next = last.unwrap_or(0) + 1;
        let sequence =
            u16::try_from(next).ok().filter(|&n| n <= hoso_model::MAX_DAILY_SEQUENCE).ok_or_else(|| {
                StoreError::SequenceExhausted { unit: new.unit.to_string(), day: day.to_string() }
            })?;
        tx.execute(
            "INSERT INTO record_counter (unit, day, last) VALUES (?1, ?2, ?3)
             ON CONFLICT (unit, day) DO UPDATE SET last = excluded.last",
            params![new.unit.as_str(), day.to_string(), next],
        )?;
        let code = RecordCode::new(new.unit.clone(), day, sequence)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let record = Record {
            id: RecordId::new_random(),
            code,
            procedure: new.procedure.code.clone(),
            channel: new.channel,
            applicant: new.applicant.clone(),
            state: RecordState::Draft,
            state_reason: None,
            received_at: new.now.with_timezone(&vn_offset()),
            updated_at: new.now.with_timezone(&vn_offset()),
        };
        let channel = serde_json::to_value(record.channel).expect("enum serialises");
        tx.execute(
            &format!("INSERT INTO records ({RECORD_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?7)"),
            params![
                record.id.to_string(),
                record.code.to_string(),
                record.procedure,
                channel.as_str(),
                serde_json::to_string(&record.applicant).expect("applicant serialises"),
                record.state.as_str(),
                stamp(new.now),
            ],
        )?;
        for (i, c) in new.procedure.components.iter().enumerate() {
            tx.execute(
                "INSERT INTO components (record_id, ordinal, code, name, required, needs_certification)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    record.id.to_string(),
                    i as i64 + 1,
                    c.code,
                    c.name,
                    c.required,
                    c.needs_certification
                ],
            )?;
        }
        audit::append(
            &tx,
            new.now,
            new.actor,
            "record.create",
            &record.id.to_string(),
            &json!({
                "code": record.code.to_string(),
                "procedure": record.procedure,
                "identity": {
                    "source": record.applicant.identity.source.as_str(),
                    "verified": record.applicant.identity.verified,
                    "problems": record.applicant.identity.problems,
                },
            }),
        )?;
        tx.commit()?;
        Ok(record)
    }

    /// A record by UUID or by record code.
    pub fn record(&self, key: &str) -> Result<Record> {
        self.conn
            .query_row(
                &format!("SELECT {RECORD_COLUMNS} FROM records WHERE id = ?1 OR code = ?1"),
                [key],
                record_from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("record {key}")))
    }

    /// Records, newest first, optionally in one state.
    pub fn list_records(&self, state: Option<RecordState>, limit: u32) -> Result<Vec<RecordSummary>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {RECORD_COLUMNS},
                    (SELECT count(*) FROM pages p WHERE p.record_id = records.id AND p.state != 'discarded'),
                    (SELECT count(*) FROM pages p WHERE p.record_id = records.id AND p.state = 'stored')
             FROM records WHERE ?1 IS NULL OR state = ?1
             ORDER BY received_at DESC, code DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![state.map(RecordState::as_str), limit], |r| {
            Ok(RecordSummary { record: record_from_row(r)?, pages: r.get(9)?, pages_pending: r.get(10)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The record's checklist slots, in order.
    pub fn components(&self, id: &RecordId) -> Result<Vec<Component>> {
        let mut stmt = self.conn.prepare(
            "SELECT ordinal, code, name, required, needs_certification FROM components
             WHERE record_id = ?1 ORDER BY ordinal",
        )?;
        let rows = stmt.query_map([id.to_string()], |r| {
            Ok(Component {
                ordinal: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                required: r.get(3)?,
                needs_certification: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The record's pages by component and position.
    pub fn pages(&self, id: &RecordId) -> Result<Vec<Page>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {PAGE_COLUMNS} FROM pages WHERE record_id = ?1 ORDER BY component, ordinal"
        ))?;
        let rows = stmt.query_map([id.to_string()], page_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many of a record's pages still wait for processing.
    pub fn pages_stored(&self, id: &RecordId) -> Result<u32> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM pages WHERE record_id = ?1 AND state = 'stored'",
            [id.to_string()],
            |r| r.get(0),
        )?)
    }

    /// One page.
    pub fn page(&self, page_id: i64) -> Result<Page> {
        self.conn
            .query_row(&format!("SELECT {PAGE_COLUMNS} FROM pages WHERE id = ?1"), [page_id], page_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("page {page_id}")))
    }

    /// The blob of the thumbnail (JPEG) made when the page was processed.
    pub fn page_thumbnail_blob(&self, page_id: i64) -> Result<Option<BlobHash>> {
        let hash: Option<String> = self
            .conn
            .query_row("SELECT thumbnail FROM pages WHERE id = ?1", [page_id], |r| r.get(0))
            .optional()?
            .flatten();
        hash.map(|h| h.parse().map_err(|_| StoreError::Corrupt(format!("page {page_id} thumbnail {h}"))))
            .transpose()
    }

    /// The thumbnail (JPEG) made when the page was processed.
    pub fn page_thumbnail(&self, page_id: i64) -> Result<Option<Vec<u8>>> {
        self.page_thumbnail_blob(page_id)?.map(|h| self.blobs.read(&h)).transpose()
    }

    /// For every page of a record, its processing results (metrics and
    /// quality issues) and its thumbnail's name, read in one query.
    pub fn page_extras(&self, record: &RecordId) -> Result<PageExtras> {
        let mut stmt = self.conn.prepare("SELECT id, metrics, thumbnail FROM pages WHERE record_id = ?1")?;
        let rows = stmt.query_map([record.to_string()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, Option<String>>(2)?))
        })?;
        let mut out = PageExtras::new();
        for row in rows {
            let (id, metrics, thumbnail) = row?;
            let metrics = metrics
                .map(|t| {
                    serde_json::from_str(&t)
                        .map_err(|e| StoreError::Corrupt(format!("page {id} metrics: {e}")))
                })
                .transpose()?;
            let thumbnail = thumbnail
                .map(|h| h.parse().map_err(|_| StoreError::Corrupt(format!("page {id} thumbnail {h}"))))
                .transpose()?;
            out.insert(id, (metrics, thumbnail));
        }
        Ok(out)
    }

    /// The processing results of a page (metrics and quality issues), if processed.
    pub fn page_metrics(&self, page_id: i64) -> Result<Option<serde_json::Value>> {
        let text: Option<String> = self
            .conn
            .query_row("SELECT metrics FROM pages WHERE id = ?1", [page_id], |r| r.get(0))
            .optional()?
            .flatten();
        text.map(|t| {
            serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("page {page_id} metrics: {e}")))
        })
        .transpose()
    }

    /// The recognised text of a page, if it was read.
    pub fn page_text(&self, page_id: i64) -> Result<Option<PageText>> {
        let row = self
            .conn
            .query_row(
                "SELECT engine, text, mean_conf, layout FROM page_text WHERE page_id = ?1",
                [page_id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, f64>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(engine, text, conf, layout)| {
            let layout = serde_json::from_str(&layout)
                .map_err(|e| StoreError::Corrupt(format!("page {page_id} text layout: {e}")))?;
            Ok(PageText { page_id, engine, text, mean_confidence: conf as f32, layout })
        })
        .transpose()
    }

    /// Moves a record from `from` to `to` if it is still in `from`.
    pub fn set_state(&mut self, id: &RecordId, change: &StateChange<'_>) -> Result<()> {
        let tx = self.write()?;
        change_state(&tx, id, change)?;
        tx.commit()?;
        Ok(())
    }

    /// Adds the frames of one durable blob as pages at the end of a component,
    /// registers the blob, enqueues a processing job per page and writes the
    /// audit entry, in one transaction. A Draft or Review record moves to
    /// Scanning. Frames the record already holds are reported, not duplicated,
    /// so an interrupted import can simply be run again.
    pub fn add_pages(&mut self, id: &RecordId, new: &NewPages<'_>) -> Result<AddedPages> {
        let NewPages { component, source, size, media_type, frames, origin, blank_below, actor, now } = *new;
        if !self.blobs.has(source, size) {
            return Err(StoreError::BlobDamaged { hash: source.to_hex() });
        }
        let tx = self.write()?;
        let state = state_of(&tx, id)?;
        if !state.accepts_pages() {
            return Err(StoreError::Closed { record: id.to_string(), state });
        }
        let has_component: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM components WHERE record_id = ?1 AND ordinal = ?2)",
            params![id.to_string(), component],
            |r| r.get(0),
        )?;
        if !has_component {
            return Err(StoreError::NotFound(format!("component {component} of record {id}")));
        }
        register_blob(&tx, source, size, media_type, now)?;
        let mut results = Vec::with_capacity(frames.len());
        for f in frames {
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM pages WHERE record_id = ?1 AND source = ?2 AND frame = ?3",
                    params![id.to_string(), source.to_hex(), f.frame],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(page) = existing {
                results.push(PageResult::AlreadyThere(page));
                continue;
            }
            tx.execute(
                "INSERT INTO pages (record_id, component, ordinal, source, frame, width, height, dpi,
                                    state, created_at, blank_below)
                 VALUES (?1, ?2,
                         (SELECT coalesce(max(ordinal), 0) + 1 FROM pages
                          WHERE record_id = ?1 AND component = ?2 AND state != 'discarded'),
                         ?3, ?4, ?5, ?6, ?7, 'stored', ?8, ?9)",
                params![
                    id.to_string(),
                    component,
                    source.to_hex(),
                    f.frame,
                    f.width,
                    f.height,
                    f.dpi,
                    stamp(now),
                    blank_below.map(f64::from)
                ],
            )?;
            let page = tx.last_insert_rowid();
            jobs::enqueue(&tx, PAGE_JOB, &page.to_string(), PAGE_JOB_ATTEMPTS, now.timestamp_millis())?;
            results.push(PageResult::Added(page));
        }
        let added: Vec<i64> = results
            .iter()
            .filter_map(|r| match r {
                PageResult::Added(p) => Some(*p),
                PageResult::AlreadyThere(_) => None,
            })
            .collect();
        if !added.is_empty() {
            mark_pages_changed(&tx, id, component)?;
            if matches!(state, RecordState::Draft | RecordState::Review) {
                let change = StateChange { from: state, to: RecordState::Scanning, reason: None, actor, now };
                change_state(&tx, id, &change)?;
            }
            audit::append(
                &tx,
                now,
                actor,
                "page.add",
                &id.to_string(),
                &json!({ "component": component, "source": source.to_hex(), "origin": origin, "pages": added }),
            )?;
        }
        tx.commit()?;
        Ok(AddedPages { pages: results })
    }

    /// Records the outcome of processing a page still in `stored`: its state,
    /// metrics, thumbnail blob (already durable), recognised text and a note for
    /// people, in one transaction with its audit entry.
    pub fn finish_page(&mut self, page_id: i64, outcome: &PageOutcome<'_>) -> Result<()> {
        let PageOutcome { state, note, metrics, thumbnail, text, blank, actor, now } = *outcome;
        let tx = self.write()?;
        if let Some((hash, size)) = thumbnail {
            register_blob(&tx, hash, size, "image/jpeg", now)?;
        }
        let n = tx.execute(
            "UPDATE pages SET state = ?2, note = ?3, metrics = ?4, thumbnail = ?5,
                 left_out = CASE WHEN ?6 AND left_out IS NULL THEN 'blank' ELSE left_out END
             WHERE id = ?1 AND state = 'stored'",
            params![
                page_id,
                state.as_str(),
                note,
                metrics.map(|m| m.to_string()),
                thumbnail.map(|(h, _)| h.to_hex()),
                blank,
            ],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("page {page_id} waiting for processing")));
        }
        if let Some(t) = text {
            tx.execute(
                "INSERT INTO page_text (page_id, engine, text, mean_conf, layout, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    page_id,
                    t.engine,
                    t.text,
                    f64::from(t.mean_confidence),
                    serde_json::to_string(t.layout)
                        .map_err(|e| StoreError::Invalid(format!("page text layout: {e}").into()))?,
                    stamp(now)
                ],
            )?;
        }
        let record: String =
            tx.query_row("SELECT record_id FROM pages WHERE id = ?1", [page_id], |r| r.get(0))?;
        audit::append(
            &tx,
            now,
            actor,
            "page.processed",
            &record,
            &json!({ "page": page_id, "state": state.as_str(), "note": note }),
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Records a blob file (already durable) in the `blobs` table; a second
/// registration of the same content changes nothing.
pub(crate) fn register_blob(
    tx: &Connection,
    hash: &BlobHash,
    size: u64,
    media_type: &str,
    now: DateTime<FixedOffset>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO blobs (hash, size, media_type, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (hash) DO NOTHING",
        params![hash.to_hex(), size as i64, media_type, stamp(now)],
    )?;
    Ok(())
}
