//! TWAIN, the interface of most counter scanners on Windows: our own bindings
//! to the source manager's `DSM_Entry`, in the worker process only
//! ([`crate::worker`]).
//!
//! - This module holds what does not touch Windows and is tested on every
//!   platform: the protocol's numbers, capability containers read from the
//!   bytes a source hands over, pixels from memory-transfer strips, device-
//!   independent bitmaps from a native transfer, and condition codes as
//!   [`ScanError`]s.
//! - `session` (Windows only) loads the source manager (`TWAINDSM.dll`, the
//!   TWAIN 2 manager, then `twain_32.dll`), owns a hidden window and its
//!   message loop, and walks the state machine from opening the manager
//!   (state 3) to closing the source, one page per request.
//!
//! Structures follow the specification's Windows layout (2-byte packing,
//! `TW_UINT32` 32 bits wide on 64-bit Windows too).

// Most numbers are used by the Windows session only; the rest is tested everywhere.
#![cfg_attr(not(windows), allow(dead_code))]

#[cfg(windows)]
mod session;
#[cfg(windows)]
pub use session::{TwainScanner, devices};

use image::{DynamicImage, GrayImage, RgbImage};

use crate::ScanError;

// Data groups, argument types and messages (TWAIN 2.4, chapter 11).
pub(crate) const DG_CONTROL: u32 = 0x0001;
pub(crate) const DG_IMAGE: u32 = 0x0002;
pub(crate) const DF_APP2: u32 = 0x2000_0000;
pub(crate) const DAT_CAPABILITY: u16 = 0x0001;
pub(crate) const DAT_EVENT: u16 = 0x0002;
pub(crate) const DAT_IDENTITY: u16 = 0x0003;
pub(crate) const DAT_PARENT: u16 = 0x0004;
pub(crate) const DAT_PENDINGXFERS: u16 = 0x0005;
pub(crate) const DAT_SETUPMEMXFER: u16 = 0x0006;
pub(crate) const DAT_STATUS: u16 = 0x0008;
pub(crate) const DAT_USERINTERFACE: u16 = 0x0009;
pub(crate) const DAT_IMAGEINFO: u16 = 0x0101;
pub(crate) const DAT_IMAGELAYOUT: u16 = 0x0102;
pub(crate) const DAT_IMAGEMEMXFER: u16 = 0x0103;
pub(crate) const DAT_IMAGENATIVEXFER: u16 = 0x0104;
pub(crate) const MSG_GET: u16 = 0x0001;
pub(crate) const MSG_GETCURRENT: u16 = 0x0002;
pub(crate) const MSG_GETDEFAULT: u16 = 0x0003;
pub(crate) const MSG_GETFIRST: u16 = 0x0004;
pub(crate) const MSG_GETNEXT: u16 = 0x0005;
pub(crate) const MSG_SET: u16 = 0x0006;
pub(crate) const MSG_RESET: u16 = 0x0007;
pub(crate) const MSG_XFERREADY: u16 = 0x0101;
pub(crate) const MSG_CLOSEDSREQ: u16 = 0x0102;
pub(crate) const MSG_CLOSEDSOK: u16 = 0x0103;
pub(crate) const MSG_OPENDSM: u16 = 0x0301;
pub(crate) const MSG_CLOSEDSM: u16 = 0x0302;
pub(crate) const MSG_OPENDS: u16 = 0x0401;
pub(crate) const MSG_CLOSEDS: u16 = 0x0402;
pub(crate) const MSG_DISABLEDS: u16 = 0x0501;
pub(crate) const MSG_ENABLEDS: u16 = 0x0502;
pub(crate) const MSG_PROCESSEVENT: u16 = 0x0601;
pub(crate) const MSG_ENDXFER: u16 = 0x0701;

// Return codes.
pub(crate) const TWRC_SUCCESS: u16 = 0;
pub(crate) const TWRC_CHECKSTATUS: u16 = 2;
pub(crate) const TWRC_CANCEL: u16 = 3;
pub(crate) const TWRC_DSEVENT: u16 = 4;
pub(crate) const TWRC_XFERDONE: u16 = 6;
pub(crate) const TWRC_ENDOFLIST: u16 = 7;

// Capabilities and their values.
pub(crate) const CAP_XFERCOUNT: u16 = 0x0001;
pub(crate) const ICAP_PIXELTYPE: u16 = 0x0101;
pub(crate) const ICAP_UNITS: u16 = 0x0102;
pub(crate) const ICAP_XFERMECH: u16 = 0x0103;
pub(crate) const CAP_FEEDERENABLED: u16 = 0x1002;
pub(crate) const CAP_FEEDERLOADED: u16 = 0x1003;
pub(crate) const CAP_AUTOFEED: u16 = 0x1007;
pub(crate) const CAP_INDICATORS: u16 = 0x100b;
pub(crate) const CAP_UICONTROLLABLE: u16 = 0x100e;
pub(crate) const CAP_DUPLEX: u16 = 0x1012;
pub(crate) const CAP_DUPLEXENABLED: u16 = 0x1013;
pub(crate) const ICAP_PHYSICALWIDTH: u16 = 0x1111;
pub(crate) const ICAP_PHYSICALHEIGHT: u16 = 0x1112;
pub(crate) const ICAP_XRESOLUTION: u16 = 0x1118;
pub(crate) const ICAP_YRESOLUTION: u16 = 0x1119;
pub(crate) const ICAP_PIXELFLAVOR: u16 = 0x111f;
pub(crate) const ICAP_BITDEPTH: u16 = 0x112b;
pub(crate) const TWPT_BW: u16 = 0;
pub(crate) const TWPT_GRAY: u16 = 1;
pub(crate) const TWPT_RGB: u16 = 2;
pub(crate) const TWSX_NATIVE: u16 = 0;
pub(crate) const TWSX_MEMORY: u16 = 2;
pub(crate) const TWUN_INCHES: u16 = 0;
pub(crate) const TWPF_VANILLA: u16 = 1;
pub(crate) const TWMF_APPOWNS: u32 = 0x0001;
pub(crate) const TWMF_POINTER: u32 = 0x0008;
pub(crate) const TWON_ONEVALUE: u16 = 5;
const TWON_ARRAY: u16 = 3;
const TWON_ENUMERATION: u16 = 4;
const TWON_RANGE: u16 = 6;
pub(crate) const TWON_DONTCARE32: u32 = 0xffff_ffff;

// Item types.
const TWTY_INT8: u16 = 0x0000;
pub(crate) const TWTY_INT16: u16 = 0x0001;
const TWTY_INT32: u16 = 0x0002;
const TWTY_UINT8: u16 = 0x0003;
pub(crate) const TWTY_UINT16: u16 = 0x0004;
const TWTY_UINT32: u16 = 0x0005;
pub(crate) const TWTY_BOOL: u16 = 0x0006;
pub(crate) const TWTY_FIX32: u16 = 0x0007;

// Condition codes (DAT_STATUS).
const TWCC_LOWMEMORY: u16 = 2;
const TWCC_NODS: u16 = 3;
const TWCC_MAXCONNECTIONS: u16 = 4;
const TWCC_OPERATIONERROR: u16 = 5;
const TWCC_BADCAP: u16 = 6;
const TWCC_BADVALUE: u16 = 10;
const TWCC_SEQERROR: u16 = 11;
const TWCC_CAPUNSUPPORTED: u16 = 13;
const TWCC_DENIED: u16 = 16;
const TWCC_PAPERJAM: u16 = 20;
const TWCC_PAPERDOUBLEFEED: u16 = 21;
const TWCC_CHECKDEVICEONLINE: u16 = 23;
const TWCC_INTERLOCK: u16 = 24;
const TWCC_NOMEDIA: u16 = 29;

/// A condition code as the clerk's error; `what` names the operation.
pub(crate) fn condition_error(cc: u16, what: &str) -> ScanError {
    match cc {
        TWCC_PAPERJAM => ScanError::Jammed,
        TWCC_PAPERDOUBLEFEED => ScanError::DoubleFeed,
        TWCC_INTERLOCK => ScanError::CoverOpen,
        TWCC_NOMEDIA => ScanError::FeederEmpty,
        TWCC_DENIED => ScanError::AccessDenied,
        TWCC_MAXCONNECTIONS => ScanError::Busy,
        TWCC_NODS => ScanError::NotFound(what.to_owned()),
        TWCC_CAPUNSUPPORTED | TWCC_BADCAP | TWCC_BADVALUE => ScanError::Unsupported(what.to_owned()),
        TWCC_CHECKDEVICEONLINE => ScanError::Device(format!("{what}: the scanner is off or unplugged")),
        TWCC_LOWMEMORY => ScanError::Device(format!("{what}: the driver ran out of memory")),
        TWCC_SEQERROR => ScanError::Device(format!("{what}: the driver refused the step (sequence error)")),
        TWCC_OPERATIONERROR => ScanError::Device(format!("{what}: the driver reported an operation error")),
        other => ScanError::Device(format!("{what}: TWAIN condition code {other}")),
    }
}

/// A TW_FIX32 as a number.
pub(crate) fn from_fix32(bits: u32) -> f64 {
    let whole = (bits & 0xffff) as u16 as i16;
    let frac = (bits >> 16) as u16;
    f64::from(whole) + f64::from(frac) / 65536.0
}

/// A number as a TW_FIX32, as the 32 bits a container's item slot holds.
pub(crate) fn to_fix32(value: f64) -> u32 {
    let n = (value * 65536.0).round() as i64;
    let whole = ((n >> 16) as i16) as u16;
    let frac = (n & 0xffff) as u16;
    u32::from(whole) | (u32::from(frac) << 16)
}

fn item_size(item_type: u16) -> Option<usize> {
    match item_type {
        TWTY_INT8 | TWTY_UINT8 => Some(1),
        TWTY_INT16 | TWTY_UINT16 | TWTY_BOOL => Some(2),
        TWTY_INT32 | TWTY_UINT32 | TWTY_FIX32 => Some(4),
        _ => None,
    }
}

/// One item of `item_type`, from its little-endian bytes (a 4-byte slot for a
/// one-value or range, the item's own size in a list).
fn item_value(item_type: u16, b: &[u8]) -> Option<f64> {
    let u32_at = || b.get(..4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]));
    let u16_at = || b.get(..2).map(|s| u16::from_le_bytes([s[0], s[1]]));
    Some(match item_type {
        TWTY_INT8 => f64::from(*b.first()? as i8),
        TWTY_UINT8 => f64::from(*b.first()?),
        TWTY_INT16 => f64::from(u16_at()? as i16),
        TWTY_UINT16 | TWTY_BOOL => f64::from(u16_at()?),
        TWTY_INT32 => f64::from(u32_at()? as i32),
        TWTY_UINT32 => f64::from(u32_at()?),
        TWTY_FIX32 => from_fix32(u32_at()?),
        _ => return None,
    })
}

/// A capability's value as a source reported it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Container {
    One(f64),
    List { items: Vec<f64>, current: Option<usize> },
    Range { min: f64, max: f64, current: f64 },
}

impl Container {
    /// The value in force.
    pub(crate) fn current(&self) -> Option<f64> {
        match self {
            Container::One(v) => Some(*v),
            Container::List { items, current } => current.and_then(|i| items.get(i).copied()),
            Container::Range { current, .. } => Some(*current),
        }
    }

    /// Every value offered (a range gives its ends).
    pub(crate) fn values(&self) -> Vec<f64> {
        match self {
            Container::One(v) => vec![*v],
            Container::List { items, .. } => items.clone(),
            Container::Range { min, max, .. } => vec![*min, *max],
        }
    }
}

/// Reads a container of type `con_type` from the bytes of its memory block.
/// Anything short, of an unknown type or claiming more items than the block
/// holds is `None` (a hostile or broken driver cannot make us read past it).
pub(crate) fn parse_container(con_type: u16, b: &[u8]) -> Option<Container> {
    let u16_at = |o: usize| b.get(o..o + 2).map(|s| u16::from_le_bytes([s[0], s[1]]));
    let u32_at = |o: usize| b.get(o..o + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]));
    let item_type = u16_at(0)?;
    let slot = |o: usize| item_value(item_type, b.get(o..o + 4)?);
    let list = |count_at: usize, first: usize| -> Option<Vec<f64>> {
        let n = u32_at(count_at)? as usize;
        let size = item_size(item_type)?;
        if n > 4096 || first + n * size > b.len() {
            return None;
        }
        (0..n).map(|i| item_value(item_type, &b[first + i * size..first + (i + 1) * size])).collect()
    };
    match con_type {
        TWON_ONEVALUE => Some(Container::One(slot(2)?)),
        TWON_ENUMERATION => {
            let items = list(2, 14)?;
            let current = u32_at(6).map(|i| i as usize).filter(|&i| i < items.len());
            Some(Container::List { items, current })
        }
        TWON_ARRAY => Some(Container::List { items: list(2, 6)?, current: None }),
        TWON_RANGE => Some(Container::Range { min: slot(2)?, max: slot(6)?, current: slot(18)? }),
        _ => None,
    }
}

/// The bytes of a one-value container (TW_ONEVALUE, 2-byte packed).
pub(crate) fn one_value(item_type: u16, item: u32) -> [u8; 6] {
    let mut b = [0u8; 6];
    b[..2].copy_from_slice(&item_type.to_le_bytes());
    b[2..].copy_from_slice(&item.to_le_bytes());
    b
}

/// An image arriving in memory-transfer strips (uncompressed).
#[derive(Debug)]
pub(crate) struct Strips {
    width: u32,
    /// Rows so far; the image grows when the source did not know its length.
    height: u32,
    bits_per_pixel: u16,
    /// 1-bit pixels: 1 is black (vanilla) instead of 0 (chocolate).
    vanilla: bool,
    bytes_per_row: usize,
    data: Vec<u8>,
}

impl Strips {
    /// `height` may be unknown (TWAIN's -1: "until the transfer ends").
    pub(crate) fn new(
        width: i32,
        height: i32,
        bits_per_pixel: i16,
        flavor: u16,
    ) -> Result<Strips, ScanError> {
        let bad = || ScanError::Device(format!("TWAIN image of {width} x {height} at {bits_per_pixel} bits"));
        let w = u32::try_from(width).ok().filter(|w| (1..=60_000).contains(w)).ok_or_else(bad)?;
        let bpp = u16::try_from(bits_per_pixel)
            .ok()
            .filter(|b| matches!(b, 1 | 8 | 16 | 24 | 48))
            .ok_or_else(bad)?;
        let h = if height < 0 {
            0
        } else {
            u32::try_from(height).ok().filter(|h| *h <= 60_000).ok_or_else(bad)?
        };
        let bytes_per_row = (w as usize * bpp as usize).div_ceil(8);
        Ok(Strips {
            width: w,
            height: h,
            bits_per_pixel: bpp,
            vanilla: flavor == TWPF_VANILLA,
            bytes_per_row,
            data: vec![0u8; bytes_per_row * h as usize],
        })
    }

    /// Copies one strip: `rows` rows of `stride` bytes starting at row `y`,
    /// `columns` pixels wide starting at column `x`.
    pub(crate) fn add(
        &mut self,
        x: u32,
        y: u32,
        columns: u32,
        rows: u32,
        stride: usize,
        strip: &[u8],
    ) -> Result<(), ScanError> {
        let bad = || {
            ScanError::Device(format!(
                "TWAIN strip at ({x}, {y}) of {columns} x {rows} does not fit the image"
            ))
        };
        let bpp = usize::from(self.bits_per_pixel);
        if x != 0 && bpp % 8 != 0 {
            return Err(bad());
        }
        let start = x as usize * bpp / 8;
        let len = (columns as usize * bpp).div_ceil(8);
        if columns == 0
            || start + len > self.bytes_per_row
            || stride < len
            || strip.len() < stride * (rows as usize).saturating_sub(1) + len
        {
            return Err(bad());
        }
        let end_row = y.checked_add(rows).filter(|&e| e <= 60_000).ok_or_else(bad)?;
        if end_row > self.height {
            self.height = end_row;
            self.data.resize(self.bytes_per_row * end_row as usize, 0);
        }
        for r in 0..rows as usize {
            let src = &strip[r * stride..r * stride + len];
            let dst = (y as usize + r) * self.bytes_per_row + start;
            self.data[dst..dst + len].copy_from_slice(src);
        }
        Ok(())
    }

    /// The image: 8-bit grey (1-bit as 0 / 255, 16-bit as its high byte) or
    /// 8-bit RGB (48-bit likewise).
    pub(crate) fn finish(self) -> Result<DynamicImage, ScanError> {
        let (w, h) = (self.width, self.height);
        if h == 0 {
            return Err(ScanError::Device("TWAIN transfer ended without any row".into()));
        }
        let row = |y: u32| &self.data[y as usize * self.bytes_per_row..(y as usize + 1) * self.bytes_per_row];
        let image = match self.bits_per_pixel {
            1 => DynamicImage::ImageLuma8(GrayImage::from_fn(w, h, |x, y| {
                let bit = row(y)[x as usize / 8] >> (7 - x % 8) & 1;
                image::Luma([if (bit == 1) != self.vanilla { 255 } else { 0 }])
            })),
            8 => DynamicImage::ImageLuma8(
                GrayImage::from_raw(w, h, self.data)
                    .ok_or_else(|| ScanError::Device("grey image size".into()))?,
            ),
            // 16-bit samples are little-endian on Windows.
            16 => DynamicImage::ImageLuma8(GrayImage::from_fn(w, h, |x, y| {
                image::Luma([row(y)[x as usize * 2 + 1]])
            })),
            24 => DynamicImage::ImageRgb8(
                RgbImage::from_raw(w, h, self.data)
                    .ok_or_else(|| ScanError::Device("colour image size".into()))?,
            ),
            _ => DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
                let p = &row(y)[x as usize * 6..x as usize * 6 + 6];
                image::Rgb([p[1], p[3], p[5]])
            })),
        };
        Ok(image)
    }
}

/// A device-independent bitmap (BITMAPINFOHEADER, its colour table, the rows),
/// as a TWAIN native transfer gives it and a BMP file (WIA) holds it: the image
/// and its resolution in dpi (when the bitmap says).
pub(crate) fn decode_dib(b: &[u8]) -> Result<(DynamicImage, Option<f32>), ScanError> {
    let bad = |why: &str| ScanError::Device(format!("scanner bitmap: {why}"));
    let u16_at = |o: usize| b.get(o..o + 2).map(|s| u16::from_le_bytes([s[0], s[1]]));
    let u32_at = |o: usize| b.get(o..o + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]));
    let header = u32_at(0).ok_or_else(|| bad("too short"))? as usize;
    if !(40..=124).contains(&header) {
        return Err(bad("unknown header"));
    }
    let width = u32_at(4).ok_or_else(|| bad("too short"))? as i32;
    let height = u32_at(8).ok_or_else(|| bad("too short"))? as i32;
    let bits = u16_at(14).ok_or_else(|| bad("too short"))?;
    let compression = u32_at(16).ok_or_else(|| bad("too short"))?;
    let ppm = u32_at(24).ok_or_else(|| bad("too short"))? as i32;
    let colours_used = u32_at(32).ok_or_else(|| bad("too short"))? as usize;
    if compression != 0 {
        return Err(bad("compressed bitmaps are not read"));
    }
    if !(1..=60_000).contains(&width) || height == 0 || height.unsigned_abs() > 60_000 {
        return Err(bad("size"));
    }
    let (w, h) = (width as u32, height.unsigned_abs());
    let bottom_up = height > 0;
    let palette_len = match bits {
        1 | 4 | 8 => {
            let n = if colours_used == 0 { 1usize << bits } else { colours_used };
            if n > 1 << bits {
                return Err(bad("colour table"));
            }
            n
        }
        24 | 32 => 0,
        _ => return Err(bad("bit depth")),
    };
    let palette_at = header;
    let bits_at = palette_at + palette_len * 4;
    let stride = (w as usize * bits as usize).div_ceil(32) * 4;
    if b.len() < bits_at + stride * h as usize {
        return Err(bad("shorter than its rows"));
    }
    let palette: Vec<[u8; 3]> = (0..palette_len)
        .map(|i| {
            let p = &b[palette_at + 4 * i..];
            [p[2], p[1], p[0]]
        })
        .collect();
    let row = |y: u32| {
        let r = if bottom_up { h - 1 - y } else { y } as usize;
        &b[bits_at + r * stride..bits_at + (r + 1) * stride]
    };
    let index = |y: u32, x: u32| -> usize {
        let r = row(y);
        match bits {
            1 => usize::from(r[x as usize / 8] >> (7 - x % 8) & 1),
            4 => usize::from(if x.is_multiple_of(2) {
                r[x as usize / 2] >> 4
            } else {
                r[x as usize / 2] & 0x0f
            }),
            _ => usize::from(r[x as usize]),
        }
    };
    let grey_palette = palette.iter().all(|c| c[0] == c[1] && c[1] == c[2]);
    let image = if palette_len > 0 && grey_palette {
        DynamicImage::ImageLuma8(GrayImage::from_fn(w, h, |x, y| {
            image::Luma([palette.get(index(y, x)).map_or(0, |c| c[0])])
        }))
    } else if palette_len > 0 {
        DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
            image::Rgb(palette.get(index(y, x)).copied().unwrap_or([0; 3]))
        }))
    } else {
        let step = usize::from(bits / 8);
        DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
            let p = &row(y)[x as usize * step..];
            image::Rgb([p[2], p[1], p[0]])
        }))
    };
    let dpi = (ppm > 0).then(|| (f64::from(ppm) * 0.0254).round() as f32);
    Ok((image, dpi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fix32_round_trips_resolutions_and_inches() {
        for v in [75.0, 300.0, 8.5, 11.69, -1.25] {
            assert!((from_fix32(to_fix32(v)) - v).abs() < 1e-4, "{v}");
        }
        // 8.5 is Whole 8, Frac 0x8000: the whole part sits first in memory.
        assert_eq!(to_fix32(8.5).to_le_bytes(), [8, 0, 0, 0x80]);
    }

    #[test]
    fn containers_are_read_from_their_bytes_and_short_ones_refused() {
        assert_eq!(parse_container(TWON_ONEVALUE, &one_value(TWTY_BOOL, 1)), Some(Container::One(1.0)));
        // An enumeration of three UINT16 pixel types, current index 1.
        let mut e = vec![];
        e.extend_from_slice(&TWTY_UINT16.to_le_bytes());
        e.extend_from_slice(&3u32.to_le_bytes());
        e.extend_from_slice(&1u32.to_le_bytes());
        e.extend_from_slice(&0u32.to_le_bytes());
        for v in [0u16, 1, 2] {
            e.extend_from_slice(&v.to_le_bytes());
        }
        let c = parse_container(TWON_ENUMERATION, &e).unwrap();
        assert_eq!(c.values(), vec![0.0, 1.0, 2.0]);
        assert_eq!(c.current(), Some(1.0));
        // The same claiming 1000 items is refused, not read past its end.
        e[2..6].copy_from_slice(&1000u32.to_le_bytes());
        assert_eq!(parse_container(TWON_ENUMERATION, &e), None);
        // A FIX32 range 75..600.
        let mut r = vec![];
        r.extend_from_slice(&TWTY_FIX32.to_le_bytes());
        for v in [75.0, 600.0, 1.0, 300.0, 200.0] {
            r.extend_from_slice(&to_fix32(v).to_le_bytes());
        }
        assert_eq!(
            parse_container(TWON_RANGE, &r),
            Some(Container::Range { min: 75.0, max: 600.0, current: 200.0 })
        );
        assert_eq!(parse_container(TWON_RANGE, &r[..10]), None);
        assert_eq!(parse_container(99, &r), None);
    }

    #[test]
    fn strips_make_the_image_whatever_their_height_and_flavor() {
        // 1-bit, 10 pixels wide (2 bytes a row), height unknown, two strips.
        let mut s = Strips::new(10, -1, 1, 0).unwrap();
        s.add(0, 0, 10, 1, 2, &[0b1000_0000, 0]).unwrap();
        s.add(0, 1, 10, 1, 4, &[0b0100_0000, 0, 0xaa, 0xaa]).unwrap();
        let g = s.finish().unwrap().to_luma8();
        assert_eq!((g.width(), g.height()), (10, 2));
        // Chocolate: 1 is white.
        assert_eq!(g.get_pixel(0, 0)[0], 255);
        assert_eq!(g.get_pixel(1, 0)[0], 0);
        assert_eq!(g.get_pixel(1, 1)[0], 255);
        // A strip outside the row, or shorter than it says, is an error.
        let mut s = Strips::new(4, 2, 24, 0).unwrap();
        assert!(s.add(2, 0, 4, 1, 12, &[0; 12]).is_err());
        assert!(s.add(0, 0, 4, 2, 12, &[0; 13]).is_err());
        s.add(0, 0, 4, 2, 12, &[7; 24]).unwrap();
        assert_eq!(s.finish().unwrap().to_rgb8().get_pixel(3, 1).0, [7, 7, 7]);
        assert!(Strips::new(0, 10, 8, 0).is_err());
        assert!(Strips::new(10, 10, 12, 0).is_err());
    }

    fn dib(width: i32, height: i32, bits: u16, palette: &[[u8; 4]], rows: &[Vec<u8>]) -> Vec<u8> {
        let mut b = vec![];
        b.extend_from_slice(&40u32.to_le_bytes());
        b.extend_from_slice(&width.to_le_bytes());
        b.extend_from_slice(&height.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&bits.to_le_bytes());
        b.extend_from_slice(&0u32.to_le_bytes());
        b.extend_from_slice(&0u32.to_le_bytes());
        b.extend_from_slice(&11811i32.to_le_bytes()); // 300 dpi
        b.extend_from_slice(&11811i32.to_le_bytes());
        b.extend_from_slice(&(palette.len() as u32).to_le_bytes());
        b.extend_from_slice(&0u32.to_le_bytes());
        for p in palette {
            b.extend_from_slice(p);
        }
        for r in rows {
            b.extend_from_slice(r);
        }
        b
    }

    #[test]
    fn a_bottom_up_bitmap_is_turned_the_right_way_up() {
        // 24-bit BGR, 2 x 2, rows padded to 8 bytes; the last row in memory is the top.
        let b = dib(2, 2, 24, &[], &[vec![1, 2, 3, 4, 5, 6, 0, 0], vec![10, 20, 30, 40, 50, 60, 0, 0]]);
        let (img, dpi) = decode_dib(&b).unwrap();
        let rgb = img.to_rgb8();
        assert_eq!(rgb.get_pixel(0, 0).0, [30, 20, 10]);
        assert_eq!(rgb.get_pixel(1, 1).0, [6, 5, 4]);
        assert_eq!(dpi, Some(300.0));
        // 8-bit with a grey table is grey.
        let grey: Vec<[u8; 4]> = (0..=255).map(|i| [i, i, i, 0]).collect();
        let b = dib(3, -1, 8, &grey, &[vec![0, 128, 255, 0]]);
        assert_eq!(decode_dib(&b).unwrap().0.to_luma8().into_raw(), vec![0, 128, 255]);
        // Truncated rows, odd depths and compressed bitmaps are refused.
        assert!(decode_dib(&b[..b.len() - 2]).is_err());
        assert!(decode_dib(&dib(2, 2, 16, &[], &[vec![0; 4], vec![0; 4]])).is_err());
        let mut c = dib(2, 2, 24, &[], &[vec![0; 8], vec![0; 8]]);
        c[16] = 1;
        assert!(decode_dib(&c).is_err());
        assert!(decode_dib(&[1, 2, 3]).is_err());
    }

    #[test]
    fn feeder_and_cover_conditions_are_the_clerks_errors() {
        assert_eq!(condition_error(TWCC_PAPERJAM, "x").code(), "jammed");
        assert_eq!(condition_error(TWCC_NOMEDIA, "x").code(), "feeder_empty");
        assert_eq!(condition_error(TWCC_INTERLOCK, "x").code(), "cover_open");
        assert_eq!(condition_error(999, "DAT_IMAGEMEMXFER").code(), "device");
    }
}
