//! The commands the front end may call, each with its arguments, its result
//! and its gate, written once in [`commands!`]: from that list come
//! [`Command`] (what `call` parses), [`Reply`] (what it answers) and
//! [`Command::gate`], and ts-rs makes TypeScript types of all three so the
//! window's `call(name, args)` is checked by tsc against the Rust side.
//! An error carries a [`ErrorCode`] the window can act on, and the message.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::views::*;

/// Who may call a command; checked once, before the command runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Anyone at the window, signed in or not.
    Public,
    /// Any signed-in account.
    SignedIn,
    /// An account that may certify copies (supervisor or admin).
    Supervisor,
    /// An administrator.
    Admin,
}

/// What kind of failure a call met, for the window to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No such command.
    UnknownCommand,
    /// The arguments do not fit the command.
    BadArguments,
    /// Sign in first.
    NotSignedIn,
    /// The signed-in account's role may not do this.
    Forbidden,
    /// The command ran and failed: the message says why.
    Failed,
}

/// A refused or failed call.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CallError {
    pub code: ErrorCode,
    /// For the person at the counter, in each language: what the catalogue
    /// holds is said in one language, the rest (not yet in the catalogue)
    /// carries both in one text.
    pub message: Said,
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message.en)
    }
}

impl CallError {
    pub fn new(code: ErrorCode, e: &anyhow::Error) -> CallError {
        CallError { code, message: Said::of_error(e) }
    }
}

/// A password or PIN as it arrives from the window: wiped when dropped,
/// never shown by `Debug` (so never in a log).
#[derive(TS)]
#[ts(type = "string")]
pub struct Secret(String);

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The text, for a type that wipes it in turn (the token's `Pin`).
    pub fn take(mut self) -> String {
        std::mem::take(&mut self.0)
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(«redacted»)")
    }
}

/// Arguments of a command that takes none.
#[derive(Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

macro_rules! commands {
    ($( $(#[doc = $doc:literal])* $name:ident($args:ty) -> $result:ty, $gate:ident; )*) => {
        /// A call of the front end: the command's name and its arguments.
        #[derive(Debug, Deserialize, TS)]
        #[serde(tag = "command", content = "args", rename_all = "snake_case")]
        pub enum Command {
            $( $(#[doc = $doc])* $name($args), )*
        }

        /// What a command answers.
        #[derive(Debug, Serialize, TS)]
        #[serde(tag = "command", content = "result", rename_all = "snake_case")]
        pub enum Reply {
            $( $name($result), )*
        }

        impl Command {
            /// Who may call it.
            pub fn gate(&self) -> Gate {
                match self {
                    $( Command::$name(_) => Gate::$gate, )*
                }
            }
        }
    };
}

commands! {
    /// Who is signed in, the unit, whether any account exists.
    Session(NoArgs) -> SessionView, Public;
    Login(Login) -> AccountView, Public;
    Logout(NoArgs) -> (), Public;
    /// The catalogue's procedures the clerk means, as they type (code, name or
    /// field, with or without diacritics), at most 30; nothing typed: the first 30.
    Procedures(FindProcedures) -> Vec<ProcedureView>, Public;
    /// The background tasks, newest last.
    Tasks(NoArgs) -> Vec<TaskView>, Public;
    /// The counter PC check.
    Doctor(NoArgs) -> Vec<CheckView>, Public;
    /// The settings in force (changed by an administrator with `settings_save`).
    Settings(NoArgs) -> SettingsView, Public;
    Records(ListRecords) -> Vec<RecordRow>, SignedIn;
    RecordNew(NewRecord) -> RecordView, SignedIn;
    Record(Code) -> RecordView, SignedIn;
    /// Reads a CCCD card (picked image, file on this PC, or the scanner's glass) into an applicant.
    ReadCard(ReadCard) -> ApplicantView, SignedIn;
    /// Reads the card's chip on the counter's reader and authenticates it;
    /// the applicant it gives opens a record as "verified by chip" when the
    /// form still says what the chip said.
    ReadChip(ReadChip) -> ChipView, SignedIn;
    Import(Import) -> ImportView, SignedIn;
    /// What was already digitised for the record's applicant at any counter
    /// of the city: the hub's lookup (audited there and here).
    Reusable(Code) -> Vec<hoso_sync::ReusableDocument>, SignedIn;
    /// Attaches one of those documents to a component of the record, by
    /// reference (the hub still offers it): nothing is scanned again.
    ReuseAttach(ReuseAttach) -> hoso_store::Reused, SignedIn;
    Devices(NoArgs) -> Vec<DeviceView>, SignedIn;
    /// This counter's scan profiles (once there are some, a clerk scans with these only).
    ScanProfiles(NoArgs) -> Vec<hoso_core::ScanProfile>, SignedIn;
    Scan(Scan) -> TaskView, SignedIn;
    /// Goes on with the next stack, or finishes, a scan waiting for paper.
    ScanStack(ScanStack) -> (), SignedIn;
    /// Thumbnails as data URLs, by page id.
    Thumbnails(Pages) -> BTreeMap<String, String>, SignedIn;
    /// A page at screen size as a data URL.
    PageImage(PageId) -> String, SignedIn;
    PageDiscard(PageId) -> (), SignedIn;
    PageRescan(Rescan) -> TaskView, SignedIn;
    /// Leaves a page out of its component's PDF/A, or puts it back in.
    PageLeaveOut(LeaveOut) -> (), SignedIn;
    /// Turns a page; answers its new turn in degrees.
    PageTurn(Turn) -> u16, SignedIn;
    PageMove(MovePage) -> (), SignedIn;
    Process(NoArgs) -> (), SignedIn;
    Build(Code) -> TaskView, SignedIn;
    /// A component's newest document (certified copy first) as a data URL.
    Document(DocumentOf) -> String, SignedIn;
    Seal(Code) -> SlipView, SignedIn;
    /// The record's separator sheets to print, one per component.
    SeparatorSheets(Code) -> Vec<SeparatorSheet>, SignedIn;
    Slip(Code) -> SlipView, SignedIn;
    CertificationQueue(NoArgs) -> Vec<RecordRow>, SignedIn;
    Ledger(NoArgs) -> Vec<LedgerRow>, SignedIn;
    Sync(NoArgs) -> TaskView, SignedIn;
    SyncRetry(Code) -> TaskView, SignedIn;
    /// The signatures of a picked PDF.
    Verify(Verify) -> Vec<SignatureView>, SignedIn;
    /// One's own password (an administrator: anyone's).
    AccountPassword(SetPassword) -> (), SignedIn;
    Tokens(NoArgs) -> Vec<TokenView>, Supervisor;
    Certify(Certify) -> TaskView, Supervisor;
    SettingsSave(SaveSettings) -> SavedSettings, Admin;
    Accounts(NoArgs) -> Vec<AccountView>, Admin;
    AccountAdd(AddAccount) -> AccountView, Admin;
    AccountDisable(Disable) -> (), Admin;
}

#[derive(Debug, Deserialize, TS)]
pub struct Login {
    pub username: String,
    pub password: Secret,
}

#[derive(Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct FindProcedures {
    #[serde(default)]
    pub query: String,
}

#[derive(Debug, Deserialize, TS)]
pub struct Code {
    pub code: String,
}

#[derive(Debug, Deserialize, TS)]
pub struct ListRecords {
    /// A record state; all records when absent or empty.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub state: Option<String>,
}

#[derive(Debug, Deserialize, TS)]
pub struct NewRecord {
    pub procedure: String,
    pub applicant: ApplicantView,
}

#[derive(Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReadChip {
    /// The MRZ key: the document number (on a CCCD the last 9 digits of the
    /// ID), the birth and expiry dates as YYMMDD.
    pub document: String,
    pub birth: String,
    pub expiry: String,
    /// The reader; the configured one, else the first with a card.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub reader: Option<String>,
}

#[derive(Debug, Deserialize, TS)]
pub struct ReadCard {
    /// A card image picked in the window.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub file: Option<FileUpload>,
    /// A card image file on this PC.
    #[serde(default)]
    #[ts(optional = nullable, type = "string")]
    pub path: Option<PathBuf>,
    /// The card on this scanner's glass, when neither is given.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub device: Option<String>,
}

#[derive(Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReuseAttach {
    pub code: String,
    pub component: u16,
    /// The document, by the hash the lookup gave.
    pub sha256: String,
}

#[derive(Debug, Deserialize, TS)]
pub struct Import {
    pub code: String,
    pub component: u16,
    /// Files on this PC, by path (folders are expanded).
    #[serde(default)]
    #[ts(optional = nullable, type = "Array<string>")]
    pub paths: Option<Vec<PathBuf>>,
    /// Files the person picked in the window, with their bytes.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub files: Option<Vec<FileUpload>>,
}

#[derive(Debug, Deserialize, TS)]
pub struct Scan {
    pub code: String,
    pub component: u16,
    pub device: String,
    /// A scan profile of this counter: it fixes everything below (and the
    /// scanner, when it names one).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub profile: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable, type = "\"flatbed\" | \"feeder\" | \"feeder_duplex\"")]
    pub source: Option<hoso_scan::Source>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub resolution: Option<u32>,
    #[serde(default)]
    #[ts(optional = nullable, type = "\"colour\" | \"gray\" | \"black_white\"")]
    pub mode: Option<hoso_scan::ColourMode>,
    /// Wait for the next stack when the feeder runs empty or jams.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub wait: Option<bool>,
    /// Duplex by hand on a one-sided feeder: fronts, turn the stack over, backs.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub manual_duplex: Option<bool>,
}

#[derive(Debug, Deserialize, TS)]
pub struct ScanStack {
    /// The scan task.
    pub task: u32,
    /// Finish instead of scanning the next stack.
    #[serde(default)]
    pub finish: bool,
}

#[derive(Debug, Deserialize, TS)]
pub struct Pages {
    #[ts(type = "Array<number>")]
    pub pages: Vec<i64>,
}

#[derive(Debug, Deserialize, TS)]
pub struct PageId {
    #[ts(type = "number")]
    pub page: i64,
}

#[derive(Debug, Deserialize, TS)]
pub struct Rescan {
    #[ts(type = "number")]
    pub page: i64,
    pub device: String,
    /// The scan profile whose resolution and colour the new page takes.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub profile: Option<String>,
}

#[derive(Debug, Deserialize, TS)]
pub struct LeaveOut {
    #[ts(type = "number")]
    pub page: i64,
    /// Out of the PDF/A (true) or back in (false).
    pub out: bool,
}

#[derive(Debug, Deserialize, TS)]
pub struct Turn {
    #[ts(type = "number")]
    pub page: i64,
    pub degrees: u16,
}

#[derive(Debug, Deserialize, TS)]
pub struct MovePage {
    #[ts(type = "number")]
    pub page: i64,
    pub to: u32,
}

#[derive(Debug, Deserialize, TS)]
pub struct DocumentOf {
    pub code: String,
    pub component: u16,
}

#[derive(Debug, Deserialize, TS)]
pub struct Certify {
    pub codes: Vec<String>,
    pub pin: Secret,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub certificate: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub title: Option<String>,
}

#[derive(Debug, Deserialize, TS)]
pub struct Verify {
    pub file: FileUpload,
}

#[derive(Debug, Deserialize, TS)]
pub struct SaveSettings {
    /// Key and new value; an empty value removes the key from this PC's file.
    pub changes: Vec<(String, String)>,
}

#[derive(Debug, Deserialize, TS)]
pub struct AddAccount {
    pub username: String,
    pub display_name: String,
    #[ts(type = "\"reception\" | \"supervisor\" | \"admin\"")]
    pub role: hoso_core::Role,
    pub password: Secret,
}

#[derive(Debug, Deserialize, TS)]
pub struct SetPassword {
    pub username: String,
    pub password: Secret,
}

#[derive(Debug, Deserialize, TS)]
pub struct Disable {
    pub username: String,
    pub disabled: bool,
}
