//! The chip of the Vietnamese citizen identity card (CCCD / Căn cước), an
//! ICAO Doc 9303 eMRTD, read through a PC/SC reader on the counter.
//!
//! What this crate owns: the card link ([`Link`], and [`reader`] for PC/SC),
//! access with the MRZ key — PACE when the card offers a suite spoken here
//! ([`pace`]), else Basic Access Control ([`bac`]) — secure messaging
//! ([`sm`]), reading the LDS files in order ([`read`]: EF.COM, DG1, DG13,
//! DG2, EF.SOD) and what they say ([`lds`]), and passive authentication
//! ([`pa`]). What a record makes of it — the applicant filled, a mismatch
//! with the printed card, an expired card — is hoso-core's.
//!
//! The ciphers are RustCrypto's and ring's ([`crypto`] only arranges them);
//! the CMS and certificate checks are hoso-sign's. Nothing the card sends is
//! trusted before secure messaging's MAC holds, and every length it sends is
//! bounded: a hostile card gets an error, never a panic.

pub mod bac;
pub mod crypto;
pub mod lds;
pub mod pa;
pub mod pace;
pub mod reader;
pub mod sm;

use hoso_i18n::msg;
use serde::Serialize;

pub use bac::MrzKey;
pub use lds::{CardData, Portrait};
pub use pa::{PaFault, PassiveAuth};

/// What sends APDUs to a card and returns its answers (data and status word).
pub trait Link {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, ChipError>;
}

/// Why the chip could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChipError {
    /// The PC/SC service is not running (pcscd, or Windows' Smart Card service).
    #[error("{}", msg!("chip-no-service"))]
    NoService,
    /// No card reader is connected.
    #[error("{}", msg!("chip-no-reader"))]
    NoReader,
    /// The reader asked for is not connected.
    #[error("{}", msg!("chip-reader-not-found", reader = .reader.as_str(), readers = .readers.as_str()))]
    ReaderNotFound { reader: String, readers: String },
    /// No card is on the reader.
    #[error("{}", msg!("chip-no-card"))]
    NoCard,
    /// The card was taken off the reader during the read.
    #[error("{}", msg!("chip-removed"))]
    Removed,
    /// The card holds no ICAO travel-document application.
    #[error("{}", msg!("chip-not-emrtd"))]
    NotEmrtd,
    /// The chip refused the MRZ key.
    #[error("{}", msg!("chip-access-refused"))]
    AccessRefused,
    /// A field of the MRZ key has the wrong shape.
    #[error("{}", msg!("chip-bad-key", field = *.0))]
    BadKey(&'static str),
    /// An answer's secure-messaging MAC or cryptogram did not hold.
    #[error("{}", msg!("chip-integrity"))]
    Integrity,
    /// The card answered a step with an error status.
    #[error("{}", msg!("chip-status", step = *.step, sw = format!("{:04X}", .sw)))]
    Status { step: &'static str, sw: u16 },
    /// A file the card sent cannot be read.
    #[error("{}", msg!("chip-malformed", file = *.0))]
    Malformed(&'static str),
    /// No random numbers from the system.
    #[error("{}", msg!("chip-random"))]
    Random,
    /// The PC/SC layer's own error.
    #[error("{}", msg!("chip-reader-error", detail = .0.as_str()))]
    Reader(String),
}

/// Splits an answer into its data and status word.
pub fn split_sw(raw: &[u8]) -> Result<(&[u8], u16), ChipError> {
    match raw.len().checked_sub(2) {
        Some(n) => Ok((&raw[..n], u16::from_be_bytes([raw[n], raw[n + 1]]))),
        None => Err(ChipError::Malformed("APDU")),
    }
}

/// The LDS 1 application's identifier.
const AID_LDS1: [u8; 7] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];
/// The longest file read (READ BINARY's offset has 15 bits); a CCCD's DG2 is
/// about 20 KB.
const MAX_FILE: usize = 0x7FFF;
/// Bytes read at a time: what fits a short answer once secure messaging
/// wraps it (padding, DO'87', DO'99', DO'8E').
const CHUNK: usize = 0xDF;

/// What was read off the chip.
#[derive(Debug, Clone, Serialize)]
pub struct ChipData {
    /// How the chip was opened: `BAC`, or the PACE suite (`PACE ECDH-GM
    /// AES-128 brainpoolP256r1`).
    pub access: String,
    /// The data groups EF.COM lists.
    pub listed: Vec<u8>,
    /// DG1's MRZ, in lines.
    pub mrz: String,
    /// DG13, when the card has it.
    pub card: Option<CardData>,
    /// DG2's portrait, when the card has it.
    pub portrait: Option<Portrait>,
    /// Each data group read, by number, as the card sent it (for passive
    /// authentication and the record).
    #[serde(skip)]
    pub files: Vec<(u8, Vec<u8>)>,
    /// EF.SOD, when present.
    #[serde(skip)]
    pub sod: Option<Vec<u8>>,
}

impl ChipData {
    /// Passive authentication of what was read.
    pub fn authenticate(&self, roots: &hoso_sign::TrustRoots, now: i64) -> PassiveAuth {
        let groups: Vec<(u8, &[u8])> = self.files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        pa::check(self.sod.as_deref(), &groups, roots, now)
    }
}

/// Opens the chip with `key` and reads EF.COM, DG1, DG13, DG2 and EF.SOD.
pub fn read(link: &mut dyn Link, key: &MrzKey) -> Result<ChipData, ChipError> {
    let (mut session, access) = open(link, key)?;
    let com = read_file(link, &mut session, lds::EF_COM)?.ok_or(ChipError::Malformed("EF.COM"))?;
    let listed = lds::com_groups(&com)?;
    let dg1 = read_file(link, &mut session, lds::dg_file(1))?.ok_or(ChipError::Malformed("DG1"))?;
    let mrz = lds::dg1_mrz(&dg1)?;
    let mut files = vec![(1, dg1)];
    let mut card = None;
    if listed.contains(&13)
        && let Some(dg13) = read_file(link, &mut session, lds::dg_file(13))?
    {
        card = Some(lds::dg13(&dg13)?);
        files.push((13, dg13));
    }
    let mut portrait = None;
    if listed.contains(&2)
        && let Some(dg2) = read_file(link, &mut session, lds::dg_file(2))?
    {
        portrait = Some(lds::dg2_portrait(&dg2)?);
        files.push((2, dg2));
    }
    let sod = read_file(link, &mut session, lds::EF_SOD)?;
    Ok(ChipData { access, listed, mrz, card, portrait, files, sod })
}

/// The secure channel to the travel-document application, and how it was
/// opened: PACE when EF.CardAccess offers a suite spoken here (the
/// application then selected under secure messaging), else BAC.
fn open(link: &mut dyn Link, key: &MrzKey) -> Result<(sm::Session, String), ChipError> {
    let offered = pace::read_card_access(link)?.map(|f| pace::offered(&f)).unwrap_or_default();
    if let Some(info) = offered.first() {
        match pace::open(link, key, info) {
            Ok(mut session) => {
                let selected = session.send(link, [0x00, 0xA4, 0x04, 0x0C], &AID_LDS1, None)?;
                if selected.sw != 0x9000 {
                    return Err(ChipError::NotEmrtd);
                }
                return Ok((session, info.describe()));
            }
            // The card would not set up the suite it listed: BAC, which
            // Doc 9303 has cards with PACE answer too.
            Err(ChipError::Status { step: "pace-set-at", .. }) => {}
            Err(e) => return Err(e),
        }
    }
    let mut select = vec![0x00, 0xA4, 0x04, 0x0C, AID_LDS1.len() as u8];
    select.extend_from_slice(&AID_LDS1);
    let (_, sw) = split_sw(&link.transmit(&select)?)?;
    if sw != 0x9000 {
        return Err(ChipError::NotEmrtd);
    }
    Ok((bac::open(link, key)?, "BAC".to_owned()))
}

/// Selects and reads a whole file; `None` when the card has no such file.
fn read_file(link: &mut dyn Link, s: &mut sm::Session, fid: u16) -> Result<Option<Vec<u8>>, ChipError> {
    let selected = s.send(link, [0x00, 0xA4, 0x02, 0x0C], &fid.to_be_bytes(), None)?;
    match selected.sw {
        0x9000 => {}
        0x6A82 => return Ok(None),
        sw => return Err(ChipError::Status { step: "select", sw }),
    }
    whole_file(|offset, len| read_binary(link, s, offset, len)).map(Some)
}

/// A whole file through `read_binary(offset, length)`: the first bytes give
/// the element's length, hence the file's, then the rest in chunks.
fn whole_file(
    mut read_binary: impl FnMut(usize, usize) -> Result<Vec<u8>, ChipError>,
) -> Result<Vec<u8>, ChipError> {
    let head = read_binary(0, 8)?;
    let total = total_length(&head).ok_or(ChipError::Malformed("EF"))?;
    if total > MAX_FILE {
        return Err(ChipError::Malformed("EF"));
    }
    let mut file = head;
    file.truncate(total);
    while file.len() < total {
        let want = (total - file.len()).min(CHUNK);
        let chunk = read_binary(file.len(), want)?;
        if chunk.is_empty() {
            return Err(ChipError::Malformed("EF"));
        }
        file.extend_from_slice(&chunk[..chunk.len().min(want)]);
    }
    Ok(file)
}

fn read_binary(
    link: &mut dyn Link,
    s: &mut sm::Session,
    offset: usize,
    len: usize,
) -> Result<Vec<u8>, ChipError> {
    let [p1, p2] = u16::try_from(offset).map_err(|_| ChipError::Malformed("EF"))?.to_be_bytes();
    let answer = s.send(link, [0x00, 0xB0, p1, p2], &[], Some(len as u8))?;
    read_answer(answer.data, answer.sw)
}

/// What a READ BINARY gave: its data, or the card's refusal.
fn read_answer(data: Vec<u8>, sw: u16) -> Result<Vec<u8>, ChipError> {
    match sw {
        // 6282: the end of the file came before Le bytes.
        0x9000 | 0x6282 => Ok(data),
        sw => Err(ChipError::Status { step: "read", sw }),
    }
}

/// The whole length (tag, length and value) of the BER-TLV element whose
/// start is `head`.
fn total_length(head: &[u8]) -> Option<usize> {
    let tag_len = if head.first()? & 0x1F == 0x1F { 2 } else { 1 };
    let l = *head.get(tag_len)?;
    let (len_len, len) = match l {
        0..=0x7F => (1, usize::from(l)),
        0x81..=0x83 => {
            let n = usize::from(l & 0x7F);
            (1 + n, head.get(tag_len + 1..tag_len + 1 + n)?.iter().fold(0, |a, &b| (a << 8) | usize::from(b)))
        }
        _ => return None,
    };
    Some(tag_len + len_len + len)
}
