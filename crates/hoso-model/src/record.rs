//! Records, their components and pages, and the record lifecycle.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{BlobHash, PersonalId, RecordCode};

/// Identity of a record everywhere (local store, sync, city backend).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(pub Uuid);

impl RecordId {
    /// A fresh random id.
    pub fn new_random() -> Self {
        RecordId(Uuid::new_v4())
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for RecordId {
    type Err = uuid::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(RecordId)
    }
}

/// How the record was submitted (KenhThucHien in the national portal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 1: at the counter.
    #[default]
    InPerson,
    /// 2: online.
    Online,
    /// 3: by post.
    Post,
}

impl Channel {
    /// The portal's number for the channel.
    pub fn portal_code(self) -> u8 {
        match self {
            Channel::InPerson => 1,
            Channel::Online => 2,
            Channel::Post => 3,
        }
    }
}

/// Where a record is in its life. Each change is one guarded update in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RecordState {
    /// Opened, nothing scanned yet.
    Draft,
    /// Pages are arriving from a scanner or an import.
    Scanning,
    /// Pages wait for quality checks and OCR.
    Processing,
    /// Every page is processed; staff check the record.
    Review,
    /// A supervisor certified copies of it (more may follow until it is sealed).
    Certification,
    /// PDF/A built, hashes fixed; nothing in it changes any more.
    Sealed,
    /// Waiting in the outbox for the backend.
    Queued,
    /// The backend accepted it and its receipt is stored.
    Synced,
    /// The backend refused it; kept, visible and fixable.
    Rejected,
}

impl RecordState {
    /// All states, in lifecycle order.
    pub const ALL: [RecordState; 9] = [
        RecordState::Draft,
        RecordState::Scanning,
        RecordState::Processing,
        RecordState::Review,
        RecordState::Certification,
        RecordState::Sealed,
        RecordState::Queued,
        RecordState::Synced,
        RecordState::Rejected,
    ];

    /// Stable name used in the database and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordState::Draft => "draft",
            RecordState::Scanning => "scanning",
            RecordState::Processing => "processing",
            RecordState::Review => "review",
            RecordState::Certification => "certification",
            RecordState::Sealed => "sealed",
            RecordState::Queued => "queued",
            RecordState::Synced => "synced",
            RecordState::Rejected => "rejected",
        }
    }

    /// The state's name for people (`state-…` in the message catalogue).
    pub fn message(self) -> hoso_i18n::Message {
        use hoso_i18n::msg;
        match self {
            RecordState::Draft => msg!("state-draft"),
            RecordState::Scanning => msg!("state-scanning"),
            RecordState::Processing => msg!("state-processing"),
            RecordState::Review => msg!("state-review"),
            RecordState::Certification => msg!("state-certification"),
            RecordState::Sealed => msg!("state-sealed"),
            RecordState::Queued => msg!("state-queued"),
            RecordState::Synced => msg!("state-synced"),
            RecordState::Rejected => msg!("state-rejected"),
        }
    }

    /// Whether the lifecycle allows going from `self` to `next`.
    pub fn can_go_to(self, next: RecordState) -> bool {
        use RecordState::*;
        matches!(
            (self, next),
            (Draft, Scanning)
                | (Scanning, Processing)
                | (Processing, Scanning)
                | (Processing, Review)
                | (Review, Scanning)
                | (Review, Certification)
                | (Review, Sealed)
                | (Certification, Review)
                | (Certification, Sealed)
                | (Sealed, Queued)
                | (Queued, Synced)
                | (Queued, Rejected)
                | (Rejected, Queued)
        )
    }

    /// Whether pages may still be added (before sealing, not while certifying).
    pub fn accepts_pages(self) -> bool {
        matches!(
            self,
            RecordState::Draft | RecordState::Scanning | RecordState::Processing | RecordState::Review
        )
    }

    /// Checks a transition.
    pub fn transition(self, next: RecordState) -> Result<RecordState, TransitionError> {
        if self.can_go_to(next) { Ok(next) } else { Err(TransitionError { from: self, to: next }) }
    }
}

impl fmt::Display for RecordState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RecordState {
    type Err = hoso_i18n::Localized;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RecordState::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| hoso_i18n::err!("record-state-unknown", state = s))
    }
}

/// A change of state the lifecycle does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", hoso_i18n::msg!("state-change-refused", from = .from.message(), to = .to.message()))]
pub struct TransitionError {
    /// Current state.
    pub from: RecordState,
    /// Requested state.
    pub to: RecordState,
}

/// The person or business the record is for (ChuHoSo).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Applicant {
    /// Full name with diacritics, as on the card.
    pub name: String,
    /// 12-digit personal ID, when the applicant is a citizen.
    pub personal_id: Option<PersonalId>,
    /// Phone number as given.
    pub phone: Option<String>,
    /// Address as given.
    pub address: Option<String>,
    /// How the identity was established at reception (typed, when absent
    /// from a record stored before this was kept).
    #[serde(default)]
    pub identity: IdentityCheck,
}

/// How the applicant's identity was established at reception.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum IdentitySource {
    /// Typed by the clerk.
    #[default]
    Typed,
    /// Read from the card's printed QR code.
    Qr,
    /// Read from the card's printed MRZ.
    Mrz,
    /// Read from the card's chip.
    Chip,
}

impl IdentitySource {
    /// What people read.
    pub fn message(self) -> hoso_i18n::Message {
        match self {
            IdentitySource::Typed => hoso_i18n::msg!("identity-source-typed"),
            IdentitySource::Qr => hoso_i18n::msg!("identity-source-qr"),
            IdentitySource::Mrz => hoso_i18n::msg!("identity-source-mrz"),
            IdentitySource::Chip => hoso_i18n::msg!("identity-source-chip"),
        }
    }

    /// Stable name, as stored and exported.
    pub fn as_str(self) -> &'static str {
        match self {
            IdentitySource::Typed => "typed",
            IdentitySource::Qr => "qr",
            IdentitySource::Mrz => "mrz",
            IdentitySource::Chip => "chip",
        }
    }
}

/// What the counter established of the applicant's identity, kept with the
/// record, its XML export and its sync manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IdentityCheck {
    /// Where the identity came from.
    pub source: IdentitySource,
    /// Verified by the chip: passive authentication held, the card is in
    /// date, and the chip agrees with the printed card and the form.
    #[serde(default)]
    pub verified: bool,
    /// When the card was read (chip, QR or MRZ).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_at: Option<DateTime<FixedOffset>>,
    /// Passive authentication's result: `passed`, or the fault's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passive_auth: Option<String>,
    /// The chip's Document Signer, and the CSCA it chains to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csca: Option<String>,
    /// The card's expiry date, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_expiry: Option<chrono::NaiveDate>,
    /// What did not hold, by code: `expired`, `mismatch:<field>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

impl IdentityCheck {
    /// An identity from `source` with nothing verified.
    pub fn from(source: IdentitySource) -> IdentityCheck {
        IdentityCheck { source, ..IdentityCheck::default() }
    }
}

/// A record as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Identity.
    pub id: RecordId,
    /// Human-facing code.
    pub code: RecordCode,
    /// Procedure code from the catalogue (MaTTHC).
    pub procedure: String,
    /// Channel of submission.
    pub channel: Channel,
    /// Applicant.
    pub applicant: Applicant,
    /// Lifecycle state.
    pub state: RecordState,
    /// Reason shown to staff for the last failure or rejection, if any.
    pub state_reason: Option<String>,
    /// Time of receipt.
    pub received_at: DateTime<FixedOffset>,
    /// Time of the last change.
    pub updated_at: DateTime<FixedOffset>,
}

/// A slot of the record's checklist (a "thành phần hồ sơ").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// Position in the record, from 1 (DocOrdinal).
    pub ordinal: u16,
    /// Code of the slot in the procedure catalogue.
    pub code: String,
    /// Name of the document, in Vietnamese.
    pub name: String,
    /// Whether the procedure requires it.
    pub required: bool,
    /// Whether an electronic copy must be certified by a supervisor.
    pub needs_certification: bool,
}

/// Where a page is in its own, shorter life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PageState {
    /// The raw image is durable; processing has not finished.
    Stored,
    /// Checked and measured (later: deskewed and OCR'd).
    Processed,
    /// Processing gave up; the reason is kept and the raw image stays.
    Failed,
    /// Set aside by staff (e.g. replaced by a rescan); kept, not exported.
    Discarded,
}

impl PageState {
    /// Stable name used in the database and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            PageState::Stored => "stored",
            PageState::Processed => "processed",
            PageState::Failed => "failed",
            PageState::Discarded => "discarded",
        }
    }
}

impl FromStr for PageState {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [PageState::Stored, PageState::Processed, PageState::Failed, PageState::Discarded]
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| format!("unknown page state {s:?}"))
    }
}

/// What a separator sheet's QR code holds: this prefix, then the code of the
/// checklist component (`BC`, `CT01`, …) the pages after the sheet belong to.
pub const SEPARATOR_PREFIX: &str = "HOSO-SEP:";

/// The QR text of the separator sheet for component `code`.
pub fn separator_text(code: &str) -> String {
    format!("{SEPARATOR_PREFIX}{code}")
}

/// The component code a QR text names, when it is a separator sheet's.
pub fn separator_component(qr_text: &str) -> Option<&str> {
    qr_text.strip_prefix(SEPARATOR_PREFIX).map(str::trim).filter(|code| !code.is_empty())
}

/// Why a page stays in the record but out of its component's PDF/A. Never a
/// deletion: the page, its file and its text stay, and a person can put it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftOut {
    /// The quality gate found it blank (the back of a one-sided sheet).
    Blank,
    /// A separator sheet between components.
    Separator,
    /// A person left it out.
    Clerk,
}

impl LeftOut {
    /// Stable name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            LeftOut::Blank => "blank",
            LeftOut::Separator => "separator",
            LeftOut::Clerk => "clerk",
        }
    }

    /// The stored value: a reason, or `kept`/none for a page in the PDF/A.
    pub fn parse(stored: Option<&str>) -> Result<Option<LeftOut>, String> {
        match stored {
            None | Some("kept") => Ok(None),
            Some("blank") => Ok(Some(LeftOut::Blank)),
            Some("separator") => Ok(Some(LeftOut::Separator)),
            Some("clerk") => Ok(Some(LeftOut::Clerk)),
            Some(other) => Err(format!("unknown left_out {other:?}")),
        }
    }
}

/// A scanned or imported page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// Local row id.
    pub id: i64,
    /// Owning record.
    pub record: RecordId,
    /// Ordinal of the owning component.
    pub component: u16,
    /// Position inside the component, from 1.
    pub ordinal: u32,
    /// Hash of the file the page came from, exactly as delivered.
    pub source: BlobHash,
    /// Frame inside that file (multi-page TIFF), from 0.
    pub frame: u32,
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// Resolution the file declares, if any.
    pub dpi: Option<f32>,
    /// State.
    pub state: PageState,
    /// Why processing failed or what it flagged, for people.
    pub note: Option<String>,
    /// Orientation set by a person (degrees clockwise from the scan: 0, 90,
    /// 180, 270), overriding detection; `None`: detected.
    pub turn: Option<u16>,
    /// Left out of the component's PDF/A, and why; `None`: in it.
    pub left_out: Option<LeftOut>,
    /// The share of ink (0-1) under which the page is blank, from the scan
    /// profile it came with; `None`: the built-in threshold.
    pub blank_below: Option<f32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separator_sheets_name_a_component_and_nothing_else_does() {
        assert_eq!(separator_component(&separator_text("CT01")), Some("CT01"));
        assert_eq!(separator_component("HOSO-SEP: "), None);
        assert_eq!(separator_component("079187247726|025123456|Ngô Thị Ngọc"), None);
    }

    #[test]
    fn lifecycle_allows_only_listed_moves() {
        use RecordState::*;
        let allowed: Vec<(RecordState, RecordState)> = RecordState::ALL
            .into_iter()
            .flat_map(|a| RecordState::ALL.into_iter().map(move |b| (a, b)))
            .filter(|(a, b)| a.can_go_to(*b))
            .collect();
        assert_eq!(allowed.len(), 13);
        assert!(Draft.transition(Sealed).is_err());
        assert!(Synced.transition(Queued).is_err());
        assert_eq!(Queued.transition(Rejected), Ok(Rejected));
        let e = Draft.transition(Synced).unwrap_err();
        let said = |lang| hoso_i18n::speaking(lang, || e.to_string());
        assert_eq!(said(hoso_i18n::Lang::En), "a record cannot go from Draft to Synced");
        assert_eq!(said(hoso_i18n::Lang::Vi), "hồ sơ không chuyển được từ «Mới tạo» sang «Đã gửi»");
    }

    #[test]
    fn state_names_round_trip() {
        for st in RecordState::ALL {
            assert_eq!(st.as_str().parse::<RecordState>(), Ok(st));
            assert_eq!(serde_json::to_string(&st).unwrap(), format!("\"{}\"", st.as_str()));
        }
    }
}
