//! The certification book: yearly numbering of certified copies.

use chrono::{DateTime, Datelike, FixedOffset};
use hoso_model::{RecordId, vn_offset};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::json;

use crate::records::stamp;
use crate::{Result, Store, StoreError, audit};

/// A book entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BookEntry {
    pub id: i64,
    pub year: i32,
    pub number: u32,
    pub book: String,
    pub record: String,
    pub component: u16,
    pub pages: u32,
    pub certifier: String,
    pub document_id: Option<i64>,
    pub void_reason: Option<String>,
    pub created_at: String,
}

impl Store {
    /// Reserves the next number of the year (Vietnam time) for a component's
    /// certified copy, with its audit entry.
    pub fn reserve_certification(
        &mut self,
        record: &RecordId,
        component: u16,
        pages: u32,
        certifier: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<BookEntry> {
        let year = now.with_timezone(&vn_offset()).year();
        let tx = self.write()?;
        let number: u32 = tx.query_row(
            "SELECT coalesce(max(number), 0) + 1 FROM certification_book WHERE year = ?1",
            [year],
            |r| r.get(0),
        )?;
        let book = format!("01/{year}-SCT/BS");
        tx.execute(
            "INSERT INTO certification_book (year, number, book, record_id, component, pages, certifier, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![year, number, book, record.to_string(), component, pages, certifier, stamp(now)],
        )?;
        let id = tx.last_insert_rowid();
        audit::append(
            &tx,
            now,
            certifier,
            "certification.reserved",
            &record.to_string(),
            &json!({ "entry": id, "year": year, "number": number, "component": component }),
        )?;
        tx.commit()?;
        self.book_entry(id)
    }

    /// Links a reserved number to the signed document.
    pub fn complete_certification(
        &mut self,
        entry: i64,
        document: i64,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let tx = self.write()?;
        let n = tx.execute(
            "UPDATE certification_book SET document_id = ?2 WHERE id = ?1 AND document_id IS NULL AND void_reason IS NULL",
            params![entry, document],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("open certification entry {entry}")));
        }
        let record: String =
            tx.query_row("SELECT record_id FROM certification_book WHERE id = ?1", [entry], |r| r.get(0))?;
        audit::append(
            &tx,
            now,
            actor,
            "certification.signed",
            &record,
            &json!({ "entry": entry, "document": document }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Marks a reserved number void (the signature was not made), keeping it.
    pub fn void_certification(
        &mut self,
        entry: i64,
        reason: &str,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let tx = self.write()?;
        tx.execute(
            "UPDATE certification_book SET void_reason = ?2 WHERE id = ?1 AND document_id IS NULL AND void_reason IS NULL",
            params![entry, reason],
        )?;
        let record: Option<String> = tx
            .query_row("SELECT record_id FROM certification_book WHERE id = ?1", [entry], |r| r.get(0))
            .optional()?;
        if let Some(record) = record {
            audit::append(
                &tx,
                now,
                actor,
                "certification.void",
                &record,
                &json!({ "entry": entry, "reason": reason }),
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn book_entry(&self, id: i64) -> Result<BookEntry> {
        self.book_query("WHERE id = ?1", params![id])?
            .pop()
            .ok_or_else(|| StoreError::NotFound(format!("book entry {id}")))
    }

    /// The book of a year, in number order.
    pub fn book(&self, year: i32) -> Result<Vec<BookEntry>> {
        self.book_query("WHERE year = ?1 ORDER BY number", params![year])
    }

    fn book_query(&self, filter: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<BookEntry>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT id, year, number, book, record_id, component, pages, certifier, document_id, void_reason, created_at
             FROM certification_book {filter}"
        ))?;
        let rows = stmt.query_map(args, |r| {
            Ok(BookEntry {
                id: r.get(0)?,
                year: r.get(1)?,
                number: r.get(2)?,
                book: r.get(3)?,
                record: r.get(4)?,
                component: r.get(5)?,
                pages: r.get(6)?,
                certifier: r.get(7)?,
                document_id: r.get(8)?,
                void_reason: r.get(9)?,
                created_at: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
