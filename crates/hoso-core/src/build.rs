//! Building a record's documents: one searchable PDF/A per component, from the
//! stored raw pages and their OCR results.
//!
//! Each page is decoded from its raw blob, turned upright with the transform the
//! OCR stored (so the words fit), encoded as its class asks (colour stays
//! colour) and laid under its invisible text. Pages rejected by the quality gate,
//! discarded, or left out (blank backs, separator sheets, a person's choice:
//! still in the record) are not in it; a page still waiting for processing
//! stops the build. The PDF is stored as a blob with a `documents` row and an audit entry.

use anyhow::{Context, bail};
use hoso_imaging::{Limits, PageClass, TurnUpright as _};
use hoso_model::PageState;
use hoso_pdf::{DocumentMeta, FontFile, PageInput, PdfError, PdfaPart, TextBox};
use hoso_store::{DocumentKind, NewDocument};
use serde::Serialize;

use crate::{App, now};

/// One built document.
#[derive(Debug, Clone, Serialize)]
pub struct BuiltDocument {
    pub component: u16,
    /// `<mã hồ sơ>.<ordinal>.pdf`
    pub file_name: String,
    pub pages: u32,
    pub bytes: u64,
    pub blob: String,
}

/// Outcome of [`App::build`].
#[derive(Debug, Clone, Serialize)]
pub struct BuildReport {
    pub record: String,
    pub documents: Vec<BuiltDocument>,
    /// Components without a usable page, by ordinal.
    pub empty_components: Vec<u16>,
}

impl App {
    /// Builds the PDF/A-2b of every component of record `key` that has pages.
    pub fn build(&mut self, key: &str) -> anyhow::Result<BuildReport> {
        self.build_as(key, PdfaPart::Two)
    }

    /// [`App::build`] declaring a given PDF/A part (part 1 lets the tests run
    /// Preflight, the PDF/A-1b validator, on the same structures).
    pub fn build_as(&mut self, key: &str, part: PdfaPart) -> anyhow::Result<BuildReport> {
        self.require_signed_in()?;
        let record = self.store.record(key)?;
        let pages = self.store.pages(&record.id)?;
        if let Some(p) = pages.iter().find(|p| p.state == PageState::Stored) {
            bail!(hoso_i18n::err!("page-not-processed", component = p.component, page = p.ordinal));
        }
        // Each page's stored class, for the whole record in one query; a page
        // without one (or a row that does not read) is measured when built.
        let extras = self.store.page_extras(&record.id).unwrap_or_default();
        let font_path = self.config.font.clone();
        let font = FontFile::load(&font_path)?;
        let procedure =
            self.config.catalogue.get(&record.procedure).map(|p| p.name.clone()).unwrap_or_default();
        let agency = self.config.agency.clone().unwrap_or_else(|| record.code.unit().to_string());
        let mut report = BuildReport {
            record: record.code.to_string(),
            documents: Vec::new(),
            empty_components: Vec::new(),
        };
        for component in self.store.components(&record.id)? {
            let mut usable: Vec<_> = pages
                .iter()
                .filter(|p| {
                    p.component == component.ordinal
                        && p.state == PageState::Processed
                        && p.left_out.is_none()
                })
                .collect();
            usable.sort_by_key(|p| p.ordinal);
            if usable.is_empty() {
                report.empty_components.push(component.ordinal);
                continue;
            }
            let meta = DocumentMeta {
                title: format!("{} – {}", record.code, component.name),
                author: agency.clone(),
                subject: procedure.clone(),
                keywords: format!("{}; {}; {}", record.code, record.procedure, component.code),
                language: "vi".into(),
                created: now().format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                record_code: record.code.to_string(),
                procedure: record.procedure.clone(),
                component: format!("{} {}", component.ordinal, component.code),
                producer: format!("HoSo Intake {}", env!("CARGO_PKG_VERSION")),
            };
            // The trailer ID names the content: record, component and raw pages.
            let mut id_source = format!("{}/{}", record.id, component.ordinal);
            for p in &usable {
                id_source.push_str(&format!("/{}:{}", p.source.to_hex(), p.frame));
            }
            let digest = hoso_store::sha256(id_source.as_bytes());
            let mut file_id = [0u8; 16];
            file_id.copy_from_slice(&digest.0[..16]);

            // What the database holds about each page is read here, once; the
            // pages' images are then read, decoded and encoded on every core.
            let mut texts = Vec::with_capacity(usable.len());
            for page in &usable {
                let layout = self.store.page_text(page.id)?.map(|t| t.layout).unwrap_or_default();
                let class = extras
                    .get(&page.id)
                    .and_then(|(metrics, _)| metrics.as_ref())
                    .and_then(|m| serde_json::from_value::<PageClass>(m["metrics"]["class"].clone()).ok());
                texts.push((layout, class));
            }
            let blobs = self.store.blobs();
            let load = |i: usize| -> Result<PageInput, PdfError> {
                let page = usable[i];
                let fail = |reason: String| PdfError::Image { page: i + 1, reason };
                let bytes = blobs.read(&page.source).map_err(|e| fail(e.to_string()))?;
                let frame = hoso_imaging::decode_frame(&bytes, page.frame, &Limits::default())
                    .map_err(|e| fail(e.to_string()))?;
                let (layout, class) = &texts[i];
                let words: Vec<TextBox> = layout
                    .words
                    .iter()
                    .map(|w| TextBox {
                        line: w.line_key(),
                        text: w.text.clone(),
                        x: w.x,
                        y: w.y,
                        w: w.w,
                        h: w.h,
                    })
                    .collect();
                // Pages processed before classes were stored are measured now.
                let class = class.unwrap_or_else(|| hoso_imaging::measure(&frame.image).class);
                Ok(PageInput {
                    image: layout.upright.apply(&frame.image),
                    dpi: page.dpi.filter(|d| *d >= 50.0).unwrap_or(300.0),
                    class,
                    words,
                })
            };
            let pdf = hoso_pdf::write_pdfa(usable.len(), load, &meta, &font, part, file_id)
                .with_context(|| format!("component {} of {}", component.ordinal, record.code))?;
            let blob = self.store.blobs().put(&pdf)?;
            self.store.add_document(&NewDocument {
                record: &record.id,
                component: component.ordinal,
                blob: &blob,
                size: pdf.len() as u64,
                pages: usable.len() as u32,
                kind: DocumentKind::Pdfa,
                actor: self.actor.name(),
                now: now(),
            })?;
            report.documents.push(BuiltDocument {
                component: component.ordinal,
                file_name: format!("{}.{}.pdf", record.code, component.ordinal),
                pages: usable.len() as u32,
                bytes: pdf.len() as u64,
                blob: blob.to_hex(),
            });
        }
        Ok(report)
    }
}
