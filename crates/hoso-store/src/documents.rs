//! Built documents (PDF/A per component, certified versions): rows pointing at
//! immutable blobs, added with their audit entry, never updated.

use chrono::{DateTime, FixedOffset};
use hoso_model::{BlobHash, RecordId};
use rusqlite::params;
use serde::Serialize;
use serde_json::json;

use crate::records::{register_blob, stamp};
use crate::{Result, Store, StoreError, audit};

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// The searchable PDF/A of a component.
    Pdfa,
    /// A certified copy (signed).
    Certified,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Pdfa => "pdfa",
            DocumentKind::Certified => "certified",
        }
    }

    fn parse(s: &str) -> Option<DocumentKind> {
        match s {
            "pdfa" => Some(DocumentKind::Pdfa),
            "certified" => Some(DocumentKind::Certified),
            _ => None,
        }
    }
}

/// A document to record; its blob is already durable.
#[derive(Debug, Clone, Copy)]
pub struct NewDocument<'a> {
    pub record: &'a RecordId,
    pub component: u16,
    pub blob: &'a BlobHash,
    pub size: u64,
    pub pages: u32,
    pub kind: DocumentKind,
    pub actor: &'a str,
    pub now: DateTime<FixedOffset>,
}

/// A stored document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    pub id: i64,
    pub component: u16,
    pub blob: BlobHash,
    pub size: u64,
    pub pages: u32,
    pub kind: DocumentKind,
    pub created_at: String,
    /// Built before the component's pages last changed: build again.
    pub stale: bool,
}

impl Store {
    /// Records a document, its blob row and an audit entry in one transaction.
    pub fn add_document(&mut self, d: &NewDocument<'_>) -> Result<i64> {
        if !self.blobs().has(d.blob, d.size) {
            return Err(StoreError::BlobDamaged { hash: d.blob.to_hex() });
        }
        let tx = self.write()?;
        register_blob(&tx, d.blob, d.size, "application/pdf", d.now)?;
        tx.execute(
            "INSERT INTO documents (record_id, component, blob, pages, kind, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                d.record.to_string(),
                d.component,
                d.blob.to_hex(),
                d.pages,
                d.kind.as_str(),
                stamp(d.now)
            ],
        )?;
        let id = tx.last_insert_rowid();
        audit::append(
            &tx,
            d.now,
            d.actor,
            "document.added",
            &d.record.to_string(),
            &json!({ "document": id, "component": d.component, "kind": d.kind.as_str(), "blob": d.blob.to_hex(), "pages": d.pages }),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// The newest document of each component and kind of a record, by component.
    pub fn documents(&self, record: &RecordId) -> Result<Vec<Document>> {
        let mut stmt = self.conn().prepare(
            "SELECT d.id, d.component, d.blob, b.size, d.pages, d.kind, d.created_at, d.id <= c.stale_through
             FROM documents d JOIN blobs b ON b.hash = d.blob
             JOIN components c ON c.record_id = d.record_id AND c.ordinal = d.component
             WHERE d.record_id = ?1
               AND d.id = (SELECT max(id) FROM documents e
                           WHERE e.record_id = d.record_id AND e.component = d.component AND e.kind = d.kind)
             ORDER BY d.component, d.kind",
        )?;
        let rows = stmt.query_map([record.to_string()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u16>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, u32>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, bool>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, component, blob, size, pages, kind, created_at, stale) = row?;
            out.push(Document {
                id,
                component,
                blob: blob.parse().map_err(|_| StoreError::Corrupt(format!("document {id}: blob {blob}")))?,
                size: size as u64,
                pages,
                kind: DocumentKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("document {id}: kind {kind}")))?,
                created_at,
                stale,
            });
        }
        Ok(out)
    }
}
