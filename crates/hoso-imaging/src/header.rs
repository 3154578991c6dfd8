//! Facts read from PNG and JPEG headers without decoding pixels: declared size,
//! declared resolution (`pHYs`, JFIF, EXIF; TIFF tags are read by the TIFF
//! decoder) and whether a JPEG's data runs to its end marker.

/// Declared resolution of a PNG, from its `pHYs` chunk in pixels per metre.
pub(crate) fn png_dpi(bytes: &[u8]) -> Option<f32> {
    let mut pos = 8;
    while pos + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[pos..pos + 4].try_into().ok()?) as usize;
        let kind = &bytes[pos + 4..pos + 8];
        let data = bytes.get(pos + 8..pos.checked_add(8 + len)?)?;
        match kind {
            b"pHYs" if len == 9 && data[8] == 1 => {
                let ppm = u32::from_be_bytes(data[0..4].try_into().ok()?);
                return Some(ppm as f32 * 0.0254);
            }
            b"IDAT" | b"IEND" => return None,
            _ => {}
        }
        pos += 12 + len;
    }
    None
}

/// Declared resolution of a JPEG: JFIF density (units 1 = dpi, 2 = dots/cm), else
/// EXIF XResolution with ResolutionUnit.
pub(crate) fn jpeg_dpi(bytes: &[u8]) -> Option<f32> {
    let mut pos = 2;
    let mut exif = None;
    while pos + 4 <= bytes.len() && bytes[pos] == 0xFF {
        let marker = bytes[pos + 1];
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        let len = u16::from_be_bytes([bytes[pos + 2], bytes[pos + 3]]) as usize;
        let seg = bytes.get(pos + 4..pos + 2 + len)?;
        if marker == 0xE0 && seg.len() >= 12 && seg.starts_with(b"JFIF\0") {
            let unit = seg[7];
            let x = u16::from_be_bytes([seg[8], seg[9]]) as f32;
            match unit {
                1 if x > 0.0 => return Some(x),
                2 if x > 0.0 => return Some(x * 2.54),
                _ => {}
            }
        }
        if marker == 0xE1 && seg.starts_with(b"Exif\0\0") {
            exif = exif_dpi(&seg[6..]);
        }
        pos += 2 + len;
    }
    exif
}

/// XResolution (tag 282) and ResolutionUnit (tag 296) from IFD0 of an EXIF block.
fn exif_dpi(tiff: &[u8]) -> Option<f32> {
    let le = match tiff.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |p: usize| -> Option<u16> {
        let b: [u8; 2] = tiff.get(p..p + 2)?.try_into().ok()?;
        Some(if le { u16::from_le_bytes(b) } else { u16::from_be_bytes(b) })
    };
    let u32_at = |p: usize| -> Option<u32> {
        let b: [u8; 4] = tiff.get(p..p + 4)?.try_into().ok()?;
        Some(if le { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    };
    let ifd = u32_at(4)? as usize;
    let count = u16_at(ifd)? as usize;
    let (mut xres, mut unit) = (None, 2u16);
    for i in 0..count {
        let entry = ifd + 2 + 12 * i;
        match u16_at(entry)? {
            282 => {
                let off = u32_at(entry + 8)? as usize;
                let (num, den) = (u32_at(off)?, u32_at(off + 4)?);
                if den != 0 {
                    xres = Some(num as f32 / den as f32);
                }
            }
            296 => unit = u16_at(entry + 8)?,
            _ => {}
        }
    }
    match unit {
        3 => xres.map(|x| x * 2.54),
        2 => xres,
        _ => None,
    }
}

/// Width and height a PNG (IHDR) or JPEG (SOFn) header declares.
pub(crate) fn declared_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.get(12..16) == Some(b"IHDR") {
        let w = u32::from_be_bytes(bytes.get(16..20)?.try_into().ok()?);
        let h = u32::from_be_bytes(bytes.get(20..24)?.try_into().ok()?);
        return Some((w, h));
    }
    let mut pos = 2;
    while pos + 4 <= bytes.len() && bytes[pos] == 0xFF {
        let marker = bytes[pos + 1];
        let len = u16::from_be_bytes([bytes[pos + 2], bytes[pos + 3]]) as usize;
        // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            let seg = bytes.get(pos + 4..pos + 2 + len)?;
            let h = u16::from_be_bytes([*seg.get(1)?, *seg.get(2)?]);
            let w = u16::from_be_bytes([*seg.get(3)?, *seg.get(4)?]);
            return Some((u32::from(w), u32::from(h)));
        }
        if marker == 0xDA {
            return None;
        }
        pos += 2 + len;
    }
    None
}

/// Whether the JPEG's entropy-coded data is followed by its end-of-image marker.
/// Decoders fill a cut-off JPEG with grey and report success; a page must not be
/// stored like that. Inside the entropy-coded data every 0xFF is followed by 0x00
/// or a restart marker, so FF D9 there can only be the real end.
pub(crate) fn jpeg_complete(bytes: &[u8]) -> bool {
    let mut pos = 2;
    while pos + 4 <= bytes.len() && bytes[pos] == 0xFF {
        let marker = bytes[pos + 1];
        let len = u16::from_be_bytes([bytes[pos + 2], bytes[pos + 3]]) as usize;
        if marker == 0xDA {
            return bytes[pos + 2 + len.min(bytes.len() - pos - 2)..].windows(2).any(|w| w == [0xFF, 0xD9]);
        }
        pos += 2 + len;
    }
    false
}
