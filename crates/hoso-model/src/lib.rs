//! The domain of HoSo Intake, as plain values.
//!
//! A [`Record`] ("hồ sơ") is what a citizen hands in at the counter for one
//! administrative procedure. It is identified locally and at the city backend
//! by a [`RecordId`] (a UUID) and, for people, by its [`RecordCode`] (Circular
//! 01/2018/TT-VPCP art. 19, e.g. `000.00.01.H29-250801-0001`). A record holds
//! [`Component`]s ("thành phần hồ sơ"), the slots of the procedure's checklist,
//! and each component holds scanned [`Page`]s whose raw images are blobs named by
//! their SHA-256 ([`BlobHash`]). Applicants are identified by a 12-digit
//! [`PersonalId`] (số định danh cá nhân), read from the card's MRZ
//! ([`parse_cccd_mrz`]) or QR code ([`parse_cccd_qr`]).
//!
//! This crate owns the rules that need no IO: parsing and validating codes and
//! ids, the allowed state transitions of records and pages, the procedure
//! catalogue's shape. It deliberately does not read files, clocks or
//! databases: callers pass `now` and the values they loaded.

#![forbid(unsafe_code)]

mod hash;
mod identity;
mod layout;
mod personal_id;
mod procedure;
mod record;
mod record_code;

pub use hash::{BlobHash, ParseHashError};
pub use identity::{
    CccdMrz, CccdQr, IdentityError, Td1, check_digit, parse_cccd_mrz, parse_cccd_qr, parse_td1,
};
pub use layout::{PageLayout, Upright, Word, words_to_text};
pub use personal_id::{PersonalId, PersonalIdError, Sex};
pub use procedure::{Catalogue, CatalogueError, ComponentSpec, Procedure, fold};
pub use record::{
    Applicant, Channel, Component, IdentityCheck, IdentitySource, LeftOut, Page, PageState, Record, RecordId,
    RecordState, SEPARATOR_PREFIX, TransitionError, separator_component, separator_text,
};
pub use record_code::{MAX_DAILY_SEQUENCE, RecordCode, RecordCodeError, UnitCode, vn_offset};
