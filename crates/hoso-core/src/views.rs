//! The views the front ends show, built here so each front end renders
//! them and none restates a rule: a record with its checklist, pages and
//! documents, the records list and the certification queue, the receipt
//! slip, a page at screen size. With the `ts` feature they derive ts-rs, and
//! the desktop exports them to the window's TypeScript types.

use anyhow::Context;
use hoso_imaging::TurnUpright as _;
use hoso_model::{PageState, RecordState};
use serde::{Deserialize, Serialize};

use crate::App;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApplicantView {
    pub name: String,
    pub personal_id: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// Where the identity came from. From the window, the form's word for
    /// it: a chip is taken only with the chip read this session.
    #[serde(default)]
    pub source: hoso_model::IdentitySource,
    /// How the record's identity was established (shown; ignored from the window).
    #[serde(default)]
    pub identity: Option<IdentityView>,
    /// The MRZ key a card scan's MRZ gave (document number, birth and
    /// expiry dates, YYMMDD), to read the chip with (ignored from the window).
    #[serde(default)]
    pub chip_key: Option<[String; 3]>,
}

/// A record's identity check, as the record screen shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IdentityView {
    pub source: hoso_model::IdentitySource,
    /// Verified by the chip.
    pub verified: bool,
    /// Passive authentication's result: `passed` or the fault's code.
    pub passive_auth: Option<String>,
    /// The card's expiry, dd/mm/yyyy.
    pub card_expiry: Option<String>,
    /// What did not hold, by code: `expired`, `mismatch:<field>`, `passive_auth:<fault>`.
    pub problems: Vec<String>,
}

impl IdentityView {
    pub fn of(i: &hoso_model::IdentityCheck) -> IdentityView {
        IdentityView {
            source: i.source,
            verified: i.verified,
            passive_auth: i.passive_auth.clone(),
            card_expiry: i.card_expiry.map(|d| d.format("%d/%m/%Y").to_string()),
            problems: i.problems.clone(),
        }
    }
}

/// A line of the record list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecordRow {
    pub code: String,
    pub procedure: String,
    pub applicant: String,
    pub state: RecordState,
    pub received_at: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub pages: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub pages_pending: i64,
}

/// One page: its place, state, quality findings and thumbnail.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PageView {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub ordinal: u32,
    /// `stored` (waiting for OCR), `processed`, `failed`, `discarded`.
    pub state: PageState,
    pub note: Option<String>,
    /// Quality gate findings: `blank`, `blurred`, `too_dark`, `faint`, `low_dpi`, `no_dpi`.
    pub issues: Vec<String>,
    /// Names the thumbnail (its blob's hash) once processed; the image itself
    /// comes from the `thumbnails` command, so a refresh does not resend it.
    pub thumbnail_id: Option<String>,
    pub dpi: Option<f32>,
    /// Left out of the PDF/A (kept in the record), and why: `blank`,
    /// `separator` or `clerk`; `null`: in the PDF/A.
    #[cfg_attr(feature = "ts", ts(type = "\"blank\" | \"separator\" | \"clerk\" | null"))]
    pub left_out: Option<hoso_model::LeftOut>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocumentView {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// `pdfa` or `certified`.
    pub kind: String,
    pub pages: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    pub created_at: String,
    /// Built before the pages last changed: build again.
    pub stale: bool,
}

/// A checklist item of a record with its pages and documents.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ComponentView {
    pub ordinal: u16,
    pub code: String,
    pub name: String,
    pub required: bool,
    pub needs_certification: bool,
    pub pages: Vec<PageView>,
    pub documents: Vec<DocumentView>,
    /// Documents of other records attached by reference (DuocTaiSuDung).
    pub reused: Vec<hoso_store::Reused>,
}

/// A record as the detail screen shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecordView {
    pub id: String,
    pub code: String,
    pub procedure: String,
    pub procedure_name: Option<String>,
    pub applicant: ApplicantView,
    pub state: RecordState,
    /// Whether pages may still be added and the PDF/A built (the record state's rule).
    pub accepts_pages: bool,
    /// Whether the record may be sealed now (a move its state allows).
    pub can_seal: bool,
    pub state_reason: Option<String>,
    pub received_at: String,
    pub components: Vec<ComponentView>,
}

/// The receipt slip handed to the citizen.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SlipView {
    pub code: String,
    pub unit: String,
    pub agency: Option<String>,
    pub procedure: String,
    pub procedure_name: Option<String>,
    pub applicant: String,
    pub received_at: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub pages: i64,
    /// SVG of a QR code holding the record code.
    pub qr_svg: String,
}

/// A separator sheet to print: put in front of a component's pages, it sends
/// them to that component when the stack is scanned.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SeparatorSheet {
    pub ordinal: u16,
    pub code: String,
    pub name: String,
    /// SVG of the QR code `HOSO-SEP:<code>`.
    pub qr_svg: String,
}

impl App {
    /// One separator sheet for each component of record `key`'s checklist.
    pub fn separator_sheets(&self, key: &str) -> anyhow::Result<Vec<SeparatorSheet>> {
        self.require_signed_in()?;
        let record = self.store.record(key)?;
        self.store
            .components(&record.id)?
            .into_iter()
            .map(|c| {
                let qr = qrcode::QrCode::new(hoso_model::separator_text(&c.code).as_bytes())?;
                // 40 mm on paper at the sheet's scale: large enough to be found at half resolution.
                let qr_svg = qr.render::<qrcode::render::svg::Color<'_>>().min_dimensions(240, 240).build();
                Ok(SeparatorSheet { ordinal: c.ordinal, code: c.code, name: c.name, qr_svg })
            })
            .collect()
    }

    /// A record with its checklist, pages (issues and thumbnail names read
    /// once for the whole record) and documents.
    pub fn record_view(&self, key: &str) -> anyhow::Result<RecordView> {
        self.require_signed_in()?;
        let detail = self.record_detail(key)?;
        let r = &detail.record;
        let documents = self.store.documents(&r.id)?;
        let extras = self.store.page_extras(&r.id)?;
        let reused = self.store.reused(&r.id)?;
        let components = detail
            .components
            .iter()
            .map(|c| {
                let mut pages: Vec<PageView> = c
                    .pages
                    .iter()
                    .filter(|p| p.state != PageState::Discarded)
                    .map(|p| {
                        let (metrics, thumbnail) = extras.get(&p.id).cloned().unwrap_or_default();
                        PageView {
                            id: p.id,
                            ordinal: p.ordinal,
                            state: p.state,
                            note: p.note.clone(),
                            issues: issues(metrics.as_ref()),
                            thumbnail_id: thumbnail.map(|h| h.to_hex()),
                            dpi: p.dpi,
                            left_out: p.left_out,
                        }
                    })
                    .collect();
                pages.sort_by_key(|p| p.ordinal);
                ComponentView {
                    ordinal: c.component.ordinal,
                    code: c.component.code.clone(),
                    name: c.component.name.clone(),
                    required: c.component.required,
                    needs_certification: c.component.needs_certification,
                    pages,
                    documents: documents
                        .iter()
                        .filter(|d| d.component == c.component.ordinal)
                        .map(|d| DocumentView {
                            id: d.id,
                            kind: d.kind.as_str().into(),
                            pages: d.pages,
                            bytes: d.size,
                            created_at: d.created_at.clone(),
                            stale: d.stale,
                        })
                        .collect(),
                    reused: reused.iter().filter(|d| d.component == c.component.ordinal).cloned().collect(),
                }
            })
            .collect();
        Ok(RecordView {
            id: r.id.to_string(),
            code: r.code.to_string(),
            procedure: r.procedure.clone(),
            procedure_name: detail.procedure_name.clone(),
            applicant: ApplicantView {
                name: r.applicant.name.clone(),
                personal_id: r.applicant.personal_id.as_ref().map(|p| p.to_string()),
                phone: r.applicant.phone.clone(),
                address: r.applicant.address.clone(),
                source: r.applicant.identity.source,
                identity: Some(IdentityView::of(&r.applicant.identity)),
                chip_key: None,
            },
            state: r.state,
            accepts_pages: r.state.accepts_pages(),
            can_seal: r.state.can_go_to(RecordState::Sealed),
            state_reason: r.state_reason.clone(),
            received_at: r.received_at.format("%d/%m/%Y %H:%M").to_string(),
            components,
        })
    }

    /// The newest records (in `state`, when given), as the list shows them.
    pub fn record_rows(&self, state: Option<RecordState>, limit: u32) -> anyhow::Result<Vec<RecordRow>> {
        Ok(self
            .list_records(state, limit)?
            .into_iter()
            .map(|s| RecordRow {
                code: s.record.code.to_string(),
                procedure: s.record.procedure.clone(),
                applicant: s.record.applicant.name.clone(),
                state: s.record.state,
                received_at: s.record.received_at.format("%d/%m/%Y %H:%M").to_string(),
                pages: s.pages,
                pages_pending: s.pages_pending,
            })
            .collect())
    }

    /// Records in review that wait for a supervisor
    /// ([`App::waits_for_certification`]).
    pub fn certification_queue(&self) -> anyhow::Result<Vec<RecordRow>> {
        let mut out = Vec::new();
        for row in self.record_rows(Some(RecordState::Review), 500)? {
            if self.waits_for_certification(&row.code)? {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// The receipt slip handed to the citizen, with a QR code of the record code.
    pub fn slip(&self, key: &str) -> anyhow::Result<SlipView> {
        self.require_signed_in()?;
        let detail = self.record_detail(key)?;
        let r = &detail.record;
        let qr = qrcode::QrCode::new(r.code.to_string().as_bytes())?;
        let qr_svg = qr.render::<qrcode::render::svg::Color<'_>>().min_dimensions(160, 160).build();
        Ok(SlipView {
            code: r.code.to_string(),
            unit: self.config.unit.as_ref().map(|u| u.to_string()).unwrap_or_default(),
            agency: self.config.agency.clone(),
            procedure: r.procedure.clone(),
            procedure_name: detail.procedure_name.clone(),
            applicant: r.applicant.name.clone(),
            received_at: r.received_at.format("%H:%M %d/%m/%Y").to_string(),
            pages: detail
                .components
                .iter()
                .flat_map(|c| &c.pages)
                .filter(|p| p.state != PageState::Discarded)
                .count() as i64,
            qr_svg,
        })
    }

    /// A page at screen size (`side` pixels at most), upright as scanned, as JPEG.
    pub fn page_image(&self, page: i64, side: u32) -> anyhow::Result<Vec<u8>> {
        let crate::PageSource { bytes, frame, rotation } = self.page_source(page)?;
        let decoded = hoso_imaging::decode_frame(&bytes, frame, &hoso_imaging::Limits::default())
            .context(hoso_i18n::err!("page-image-unreadable"))?;
        let colour = !matches!(
            decoded.image,
            image::DynamicImage::ImageLuma8(_) | image::DynamicImage::ImageLuma16(_)
        );
        let small = decoded.image.thumbnail(side, side);
        let upright = hoso_imaging::Upright { rotation, skew_deg: 0.0 }.apply(&small);
        Ok(hoso_imaging::thumbnail_jpeg(&upright, side, colour))
    }
}

/// The quality findings kept with a page's metrics.
fn issues(metrics: Option<&serde_json::Value>) -> Vec<String> {
    metrics
        .and_then(|m| m.get("issues").cloned())
        .and_then(|i| serde_json::from_value::<Vec<String>>(i).ok())
        .unwrap_or_default()
}
