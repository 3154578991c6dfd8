//! What front ends read, by name. The store itself is not theirs: each query
//! here checks who acts, and the rules behind a read (which document a
//! component shows, which way a page is upright, which pages wait) live here
//! once instead of in each front end.

use anyhow::Context;
use hoso_model::{Page, Record, RecordState};
use hoso_store::{Account, BookEntry, Document, DocumentKind, RecordSummary};

use crate::App;

/// A page's scanned image as stored, and the quarter turn that makes it
/// upright (the clerk's turn, else the one OCR detected).
#[derive(Debug, Clone)]
pub struct PageSource {
    pub bytes: Vec<u8>,
    /// The frame of a multi-page file.
    pub frame: u32,
    pub rotation: u16,
}

impl App {
    /// Records, newest first, in `state` when given.
    pub fn list_records(&self, state: Option<RecordState>, limit: u32) -> anyhow::Result<Vec<RecordSummary>> {
        self.require_signed_in()?;
        Ok(self.store.list_records(state, limit)?)
    }

    /// A record by id or code.
    pub fn record(&self, key: &str) -> anyhow::Result<Record> {
        self.require_signed_in()?;
        Ok(self.store.record(key)?)
    }

    /// A page by id.
    pub fn page(&self, page: i64) -> anyhow::Result<Page> {
        self.require_signed_in()?;
        Ok(self.store.page(page)?)
    }

    /// The documents (PDF/A, certified copies) of a record.
    pub fn documents(&self, key: &str) -> anyhow::Result<Vec<Document>> {
        self.require_signed_in()?;
        let record = self.store.record(key)?;
        Ok(self.store.documents(&record.id)?)
    }

    /// The newest document of a component, a certified copy before a PDF/A.
    pub fn component_pdf(&self, key: &str, component: u16) -> anyhow::Result<Vec<u8>> {
        let documents = self.documents(key)?;
        let doc = documents
            .iter()
            .filter(|d| d.component == component)
            .max_by_key(|d| (d.kind == DocumentKind::Certified, d.id))
            .context(hoso_i18n::err!("component-no-pdf"))?;
        Ok(self.store.blobs().read(&doc.blob)?)
    }

    /// A page's thumbnail (JPEG), once it has one.
    pub fn page_thumbnail(&self, page: i64) -> anyhow::Result<Option<Vec<u8>>> {
        self.require_signed_in()?;
        Ok(self.store.page_thumbnail(page)?)
    }

    /// A page's scanned image and the turn that makes it upright.
    pub fn page_source(&self, page: i64) -> anyhow::Result<PageSource> {
        let p = self.page(page)?;
        let detected = self.store.page_text(page)?.map(|t| t.layout.upright.rotation);
        Ok(PageSource {
            bytes: self.store.blobs().read(&p.source)?,
            frame: p.frame,
            rotation: p.turn.or(detected).unwrap_or(0),
        })
    }

    /// Pages waiting for processing now.
    pub fn pages_waiting(&self) -> anyhow::Result<u64> {
        Ok(hoso_store::jobs::counts(self.store.conn(), Some(hoso_store::PAGE_JOB))?.ready as u64)
    }

    /// The certification book of `year`.
    pub fn book(&self, year: i32) -> anyhow::Result<Vec<BookEntry>> {
        self.require_signed_in()?;
        Ok(self.store.book(year)?)
    }

    /// The account of the person signed in (none for the system user or nobody).
    pub fn signed_in_account(&self) -> anyhow::Result<Option<Account>> {
        match self.role() {
            Some(_) => Ok(self.store.account(self.actor())?),
            None => Ok(None),
        }
    }

    /// Whether any account exists (the sign-in screen says how to make the
    /// first one when none does); known to anyone at the window.
    pub fn has_accounts(&self) -> anyhow::Result<bool> {
        Ok(!self.store.accounts()?.is_empty())
    }
}
