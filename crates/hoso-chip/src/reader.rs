//! The card reader on the counter through PC/SC (the `pcsc` crate: pcsc-lite's
//! pcscd on Linux, the Smart Card service on Windows): readers listed, a
//! reader chosen by name or the first with a card on it, APDUs sent. A card
//! taken off the reader mid-read is [`ChipError::Removed`], never a hang.

use pcsc::{Context, Protocols, Scope, ShareMode};

use crate::{ChipError, Link};

/// The readers PC/SC knows.
pub fn readers() -> Result<Vec<String>, ChipError> {
    let ctx = context()?;
    names(&ctx)
}

fn context() -> Result<Context, ChipError> {
    Context::establish(Scope::User).map_err(|e| match e {
        pcsc::Error::NoService | pcsc::Error::ServiceStopped | pcsc::Error::NoReadersAvailable => {
            ChipError::NoService
        }
        other => ChipError::Reader(other.to_string()),
    })
}

fn names(ctx: &Context) -> Result<Vec<String>, ChipError> {
    match ctx.list_readers_owned() {
        Ok(list) => Ok(list.into_iter().map(|r| r.to_string_lossy().into_owned()).collect()),
        Err(pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
        Err(pcsc::Error::NoService | pcsc::Error::ServiceStopped) => Err(ChipError::NoService),
        Err(e) => Err(ChipError::Reader(e.to_string())),
    }
}

/// A card connected through PC/SC.
pub struct PcscLink {
    card: pcsc::Card,
    /// The reader's name.
    pub reader: String,
}

/// The readers of `all` that `reader` means: the one of that name, else
/// those whose name holds it; all of them when `None` or blank. A reader
/// named and not connected is [`ChipError::ReaderNotFound`].
pub fn meant<'a>(all: &'a [String], reader: Option<&str>) -> Result<Vec<&'a String>, ChipError> {
    let Some(want) = reader.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(all.iter().collect());
    };
    let exact: Vec<&String> = all.iter().filter(|r| r.as_str() == want).collect();
    let found = if exact.is_empty() { all.iter().filter(|r| r.contains(want)).collect() } else { exact };
    if found.is_empty() {
        return Err(ChipError::ReaderNotFound { reader: want.to_owned(), readers: all.join(", ") });
    }
    Ok(found)
}

/// Connects to the card on `reader` (its name, or a part of it), or on the
/// first reader with a card when `None`.
pub fn connect(reader: Option<&str>) -> Result<PcscLink, ChipError> {
    let ctx = context()?;
    let all = names(&ctx)?;
    if all.is_empty() {
        return Err(ChipError::NoReader);
    }
    for name in &meant(&all, reader)? {
        let cname = std::ffi::CString::new(name.as_str()).map_err(|e| ChipError::Reader(e.to_string()))?;
        match ctx.connect(&cname, ShareMode::Shared, Protocols::ANY) {
            Ok(card) => return Ok(PcscLink { card, reader: (*name).clone() }),
            Err(pcsc::Error::NoSmartcard | pcsc::Error::RemovedCard | pcsc::Error::UnresponsiveCard) => {
                continue;
            }
            Err(e) => return Err(ChipError::Reader(e.to_string())),
        }
    }
    Err(ChipError::NoCard)
}

impl std::fmt::Debug for PcscLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PcscLink").field("reader", &self.reader).finish_non_exhaustive()
    }
}

impl Link for PcscLink {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, ChipError> {
        let mut buf = vec![0u8; pcsc::MAX_BUFFER_SIZE_EXTENDED];
        match self.card.transmit(apdu, &mut buf) {
            // A card always ends its answer with a status word; a reader that
            // gives back nothing has lost the card (vpcd when the card goes
            // mid-command; some USB readers likewise).
            Ok(answer) if answer.len() < 2 => Err(ChipError::Removed),
            Ok(answer) => Ok(answer.to_vec()),
            Err(e) => Err(from_pcsc(e)),
        }
    }
}

fn from_pcsc(e: pcsc::Error) -> ChipError {
    use pcsc::Error as E;
    match e {
        E::RemovedCard
        | E::ResetCard
        | E::NoSmartcard
        | E::UnpoweredCard
        | E::UnresponsiveCard
        | E::ReaderUnavailable => ChipError::Removed,
        E::NoService | E::ServiceStopped => ChipError::NoService,
        other => ChipError::Reader(other.to_string()),
    }
}
