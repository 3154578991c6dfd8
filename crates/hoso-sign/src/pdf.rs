//! Signing a PDF by incremental update.
//!
//! The update appends, after the signed file's last byte: the signature value
//! dictionary (`/SubFilter /ETSI.CAdES.detached`, `/ByteRange`, `/Contents`,
//! `/M`), a widget annotation that is also the signature field, its appearance
//! (text in an embedded subset of Liberation Serif, opaque, no transparency), the
//! page and catalogue objects with the new annotation and form, a classic
//! cross-reference section and a trailer with `/Prev`. Earlier bytes are never
//! touched, so earlier signatures stay valid and PDF/A stays PDF/A.
//!
//! The update's reader understands the files HoSo writes (classic xref tables,
//! a flat page tree, direct dictionaries); it is not a general PDF parser.
//! Verification reads files with a real one ([`crate::signed`]).

use std::collections::BTreeMap;

use hoso_pdf::{FontFile, FontRefs, FontUse, subset_tag, write_font};
use pdf_writer::{Chunk, Content, Name, Ref, Str};

use crate::SignError;

/// Space reserved for the CMS blob (bytes); the hex string is twice as long.
const CONTENTS_RESERVED: usize = 24 * 1024;
/// Width reserved for each ByteRange number.
const RANGE_DIGITS: usize = 12;

fn bad(msg: impl Into<String>) -> SignError {
    SignError::Pdf(msg.into().into())
}

/// The parts of an existing file an update needs.
#[derive(Debug)]
pub(crate) struct Parsed<'a> {
    bytes: &'a [u8],
    /// Object number → offset of its newest version.
    offsets: BTreeMap<u32, usize>,
    pub(crate) size: u32,
    pub(crate) root: u32,
    info: Option<u32>,
    id: Option<String>,
    last_xref: usize,
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// The value after `/Key` in a dictionary's text, up to the next key or end.
fn dict_value<'t>(dict: &'t str, key: &str) -> Option<&'t str> {
    let pat = format!("/{key}");
    let mut search = 0;
    while let Some(rel) = dict[search..].find(&pat) {
        let at = search + rel + pat.len();
        // A longer key with the same prefix (/Prev vs /Pre) is not ours.
        if dict[at..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
            search = at;
            continue;
        }
        let rest = dict[at..].trim_start();
        let end = if rest.starts_with('[') {
            rest.find(']').map_or(rest.len(), |e| e + 1)
        } else if rest.starts_with("<<") {
            matching_dict_end(rest).unwrap_or(rest.len())
        } else if let Some(name) = rest.strip_prefix('/') {
            1 + name.find(|c: char| c.is_whitespace() || "/<>[]()".contains(c)).unwrap_or(name.len())
        } else if rest.starts_with('(') {
            rest.find(')').map_or(rest.len(), |e| e + 1)
        } else if rest.starts_with('<') {
            rest.find('>').map_or(rest.len(), |e| e + 1)
        } else {
            rest.find(['/', '>']).unwrap_or(rest.len())
        };
        return Some(rest[..end].trim());
    }
    None
}

fn matching_dict_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 0i32;
    let mut i = 0;
    while i + 1 < b.len() {
        if &b[i..i + 2] == b"<<" {
            depth += 1;
            i += 2;
        } else if &b[i..i + 2] == b">>" {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return Some(i);
            }
        } else {
            i += 1;
        }
    }
    None
}

fn reference(v: &str) -> Option<u32> {
    v.split_whitespace().next()?.parse().ok()
}

fn references(array: &str) -> Vec<u32> {
    let inner = array.trim().trim_start_matches('[').trim_end_matches(']');
    let parts: Vec<&str> = inner.split_whitespace().collect();
    parts.chunks(3).filter(|c| c.len() == 3 && c[2] == "R").filter_map(|c| c[0].parse().ok()).collect()
}

impl<'a> Parsed<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Result<Parsed<'a>, SignError> {
        let sx = find_last(bytes, b"startxref").ok_or_else(|| bad("no startxref"))?;
        let tail = std::str::from_utf8(&bytes[sx + 9..]).map_err(|_| bad("startxref"))?;
        let last_xref: usize =
            tail.split_whitespace().next().and_then(|t| t.parse().ok()).ok_or_else(|| bad("startxref"))?;
        let mut offsets = BTreeMap::new();
        let mut trailer_first: Option<String> = None;
        let mut at = Some(last_xref);
        while let Some(pos) = at {
            if !bytes.get(pos..).is_some_and(|b| b.starts_with(b"xref")) {
                return Err(bad("only classic cross-reference tables are supported"));
            }
            let trailer_at = find_from(bytes, pos, b"trailer").ok_or_else(|| bad("no trailer"))?;
            let table = std::str::from_utf8(&bytes[pos + 4..trailer_at]).map_err(|_| bad("xref"))?;
            let mut lines = table.lines().map(str::trim).filter(|l| !l.is_empty());
            while let Some(header) = lines.next() {
                let mut h = header.split_whitespace();
                let (Some(start), Some(count)) = (
                    h.next().and_then(|v| v.parse::<u32>().ok()),
                    h.next().and_then(|v| v.parse::<u32>().ok()),
                ) else {
                    return Err(bad(format!("xref subsection {header:?}")));
                };
                for k in 0..count {
                    let entry = lines.next().ok_or_else(|| bad("short xref"))?;
                    let mut e = entry.split_whitespace();
                    let off: usize =
                        e.next().and_then(|v| v.parse().ok()).ok_or_else(|| bad("xref entry"))?;
                    let kind = e.nth(1).unwrap_or("f");
                    if kind == "n" {
                        offsets.entry(start + k).or_insert(off);
                    }
                }
            }
            let dict_start = find_from(bytes, trailer_at, b"<<").ok_or_else(|| bad("trailer"))?;
            let dict_text = String::from_utf8_lossy(&bytes[dict_start..]).into_owned();
            let end = matching_dict_end(&dict_text).ok_or_else(|| bad("trailer"))?;
            let dict = dict_text[..end].to_owned();
            at = dict_value(&dict, "Prev").and_then(|v| v.parse().ok());
            trailer_first.get_or_insert(dict);
        }
        let trailer = trailer_first.ok_or_else(|| bad("no trailer"))?;
        Ok(Parsed {
            bytes,
            size: dict_value(&trailer, "Size").and_then(|v| v.parse().ok()).ok_or_else(|| bad("/Size"))?,
            root: dict_value(&trailer, "Root").and_then(reference).ok_or_else(|| bad("/Root"))?,
            info: dict_value(&trailer, "Info").and_then(reference),
            id: dict_value(&trailer, "ID").map(str::to_owned),
            offsets,
            last_xref,
        })
    }

    /// The dictionary text of object `num` (streams are not needed here).
    pub(crate) fn dict(&self, num: u32) -> Result<String, SignError> {
        let off = *self.offsets.get(&num).ok_or_else(|| bad(format!("object {num} missing")))?;
        let start =
            find_from(self.bytes, off, b"<<").ok_or_else(|| bad(format!("object {num}: no dictionary")))?;
        let text = String::from_utf8_lossy(&self.bytes[start..(start + 64 * 1024).min(self.bytes.len())])
            .into_owned();
        let end =
            matching_dict_end(&text).ok_or_else(|| bad(format!("object {num}: unterminated dictionary")))?;
        Ok(text[..end].to_owned())
    }

    pub(crate) fn pages(&self) -> Result<Vec<u32>, SignError> {
        let root = self.dict(self.root)?;
        let pages = dict_value(&root, "Pages").and_then(reference).ok_or_else(|| bad("/Pages"))?;
        Ok(references(dict_value(&self.dict(pages)?, "Kids").ok_or_else(|| bad("/Kids"))?))
    }

    /// MediaBox of a page: width and height in points.
    pub(crate) fn page_size(&self, page: u32) -> Result<(f32, f32), SignError> {
        let d = self.dict(page)?;
        let mb = dict_value(&d, "MediaBox").ok_or_else(|| bad("/MediaBox"))?;
        let n: Vec<f32> =
            mb.trim_matches(['[', ']']).split_whitespace().filter_map(|v| v.parse().ok()).collect();
        match n.as_slice() {
            [x0, y0, x1, y1] => Ok((x1 - x0, y1 - y0)),
            _ => Err(bad("/MediaBox")),
        }
    }
}

/// Adds `/Key value` to a dictionary's text, or appends refs to an existing array.
fn with_entry(dict: &str, key: &str, value: &str, append_to_array: bool) -> String {
    let body = dict.trim().trim_start_matches("<<").trim_end_matches(">>");
    let pat = format!("/{key}");
    if let Some(pos) = body.find(&pat) {
        let after = pos + pat.len();
        if append_to_array && let Some(close) = body[after..].find(']') {
            let close = after + close;
            return format!("<<{} {value}{}>>", &body[..close], &body[close..]);
        }
        // Replace the old value.
        let old = dict_value(dict, key).unwrap_or("");
        let start = body[after..].find(old).map_or(after, |p| after + p);
        return format!("<<{}{} {value}{}>>", &body[..pos], pat, &body[start + old.len()..]);
    }
    let value = if append_to_array { format!("[{value}]") } else { value.to_owned() };
    format!("<<{} {pat} {value}>>", body.trim_end())
}

/// What the visible signature shows and where.
#[derive(Debug, Clone)]
pub struct Appearance {
    /// 1-based page number; 0 means the last page.
    pub page: usize,
    /// Lines of text, top to bottom.
    pub lines: Vec<String>,
    /// Font size in points.
    pub size: f32,
    /// Top-right corner (`true`) or bottom-right (`false`) of the page.
    pub top: bool,
}

/// A signature about to be made: what the dictionary says.
#[derive(Debug, Clone)]
pub struct SignatureInfo {
    /// Field name, unique in the document.
    pub field: String,
    pub name: String,
    pub reason: String,
    pub location: String,
    /// PDF date `D:YYYYMMDDHHmmSS+07'00'`.
    pub time: String,
}

/// The file with a reserved, still empty signature; fill with [`Prepared::finish`].
#[derive(Debug)]
pub struct Prepared {
    pub bytes: Vec<u8>,
    contents_start: usize,
    contents_end: usize,
}

impl Prepared {
    /// The bytes the signature covers: all but the `/Contents` hex string.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut v = self.bytes[..self.contents_start].to_vec();
        v.extend_from_slice(&self.bytes[self.contents_end..]);
        v
    }

    /// Puts the CMS blob into the reserved space.
    pub fn finish(mut self, cms: &[u8]) -> Result<Vec<u8>, SignError> {
        let hex: String = cms.iter().map(|b| format!("{b:02X}")).collect();
        if hex.len() > self.contents_end - self.contents_start - 2 {
            return Err(bad(format!(
                "signature of {} bytes does not fit the reserved {CONTENTS_RESERVED}",
                cms.len()
            )));
        }
        let at = self.contents_start + 1;
        self.bytes[at..at + hex.len()].copy_from_slice(hex.as_bytes());
        Ok(self.bytes)
    }
}

/// Appends an empty signature field with its appearance to `pdf`.
pub fn prepare(
    pdf: &[u8],
    info: &SignatureInfo,
    look: &Appearance,
    font: &FontFile,
) -> Result<Prepared, SignError> {
    let parsed = Parsed::new(pdf)?;
    let pages = parsed.pages()?;
    let page = if look.page == 0 {
        *pages.last().ok_or_else(|| bad("no pages"))?
    } else {
        *pages.get(look.page - 1).ok_or_else(|| bad(format!("no page {}", look.page)))?
    };
    let (pw, ph) = parsed.page_size(page)?;
    let mut next = parsed.size;
    let mut alloc = || {
        let r = Ref::new(next as i32);
        next += 1;
        r
    };
    let sig = alloc();
    let widget = alloc();
    let ap = alloc();
    let font_refs = FontRefs {
        type0: alloc(),
        cid_font: alloc(),
        descriptor: alloc(),
        file: alloc(),
        to_unicode: alloc(),
        cid_set: Some(alloc()),
    };
    let root_dict = parsed.dict(parsed.root)?;
    let existing_form = dict_value(&root_dict, "AcroForm").and_then(reference);
    let acroform = existing_form.map_or_else(&mut alloc, |n| Ref::new(n as i32));

    // Appearance: the lines, right-aligned block with a margin, black on white.
    let mut fonts = FontUse::new(font);
    let encoded: Vec<(Vec<u8>, f32)> = look.lines.iter().map(|l| fonts.encode(l)).collect();
    let line_h = look.size * 1.25;
    let width = encoded.iter().map(|(_, em)| em * look.size).fold(0.0f32, f32::max) + 8.0;
    let height = line_h * look.lines.len() as f32 + 6.0;
    let margin = 28.0;
    let x0 = pw - margin - width;
    let y0 = if look.top { ph - margin - height } else { margin };
    let mut content = Content::new();
    content.set_fill_gray(1.0);
    content.rect(0.0, 0.0, width, height);
    content.fill_nonzero();
    content.set_fill_gray(0.0);
    content.begin_text();
    content.set_font(Name(b"F1"), look.size);
    for (i, (bytes, _)) in encoded.iter().enumerate() {
        let y = height - 3.0 - line_h * (i as f32 + 1.0) + (line_h - look.size) / 2.0 + look.size * 0.22;
        content.set_text_matrix([1.0, 0.0, 0.0, 1.0, 4.0, y]);
        content.show(Str(bytes));
    }
    content.end_text();
    let stream = content.finish();

    let mut objects: Vec<(u32, Vec<u8>)> = Vec::new();
    let mut push = |num: Ref, chunk: Chunk| objects.push((num.get() as u32, chunk.as_bytes().to_vec()));

    let mut c = Chunk::new();
    {
        let mut x = c.form_xobject(ap, &stream);
        x.bbox(pdf_writer::Rect::new(0.0, 0.0, width, height));
        x.resources().fonts().pair(Name(b"F1"), font_refs.type0);
    }
    push(ap, c);
    let mut c = Chunk::new();
    write_font(
        &mut c,
        &fonts,
        font_refs,
        &subset_tag(&ring::digest::digest(&ring::digest::SHA256, info.field.as_bytes()).as_ref()[..6]),
    )
    .map_err(|e| bad(e.to_string()))?;
    // The font chunk holds six objects: split it at each "N 0 obj".
    let font_bytes = c.as_bytes().to_vec();
    let font_objects =
        [font_refs.type0, font_refs.cid_font, font_refs.descriptor, font_refs.file, font_refs.to_unicode];
    for r in font_objects.into_iter().chain(font_refs.cid_set) {
        let head = format!("{} 0 obj", r.get());
        let start = find_from(&font_bytes, 0, head.as_bytes()).ok_or_else(|| bad("font object"))?;
        let end = find_from(&font_bytes, start, b"endobj").ok_or_else(|| bad("font object"))? + 6;
        objects.push((r.get() as u32, [&font_bytes[start..end], b"\n"].concat()));
    }

    // Signature value with placeholders, written by hand to know the offsets.
    let placeholder_range = format!("[0 {:>w$} {:>w$} {:>w$}]", 0, 0, 0, w = RANGE_DIGITS);
    let sig_obj = format!(
        "{} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange {placeholder_range} /Contents <{}> /M ({}) /Name {} /Reason {} /Location {} >>\nendobj\n",
        sig.get(),
        "0".repeat(CONTENTS_RESERVED * 2),
        info.time,
        pdf_text(&info.name),
        pdf_text(&info.reason),
        pdf_text(&info.location),
    );
    objects.push((sig.get() as u32, sig_obj.into_bytes()));

    let widget_obj = format!(
        "{} 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T {} /V {} 0 R /F 132 /P {page} 0 R /Rect [{x0:.2} {y0:.2} {:.2} {:.2}] /AP << /N {} 0 R >> >>\nendobj\n",
        widget.get(),
        pdf_text(&info.field),
        sig.get(),
        x0 + width,
        y0 + height,
        ap.get(),
    );
    objects.push((widget.get() as u32, widget_obj.into_bytes()));

    let page_dict = with_entry(&parsed.dict(page)?, "Annots", &format!("{} 0 R", widget.get()), true);
    objects.push((page, format!("{page} 0 obj\n{page_dict}\nendobj\n").into_bytes()));
    let form_dict = match existing_form {
        Some(n) => with_entry(&parsed.dict(n)?, "Fields", &format!("{} 0 R", widget.get()), true),
        None => format!("<< /Fields [{} 0 R] /SigFlags 3 >>", widget.get()),
    };
    objects.push((
        acroform.get() as u32,
        format!("{} 0 obj\n{form_dict}\nendobj\n", acroform.get()).into_bytes(),
    ));
    if existing_form.is_none() {
        let root = with_entry(&root_dict, "AcroForm", &format!("{} 0 R", acroform.get()), false);
        objects.push((parsed.root, format!("{} 0 obj\n{root}\nendobj\n", parsed.root).into_bytes()));
    }

    let (mut out, offsets) = append_update(pdf, &parsed, objects, next);

    // Fill in the ByteRange now that every offset is known.
    let sig_off = offsets.iter().find(|(n, _)| *n == sig.get() as u32).map(|(_, o)| *o).expect("written");
    let contents_start = find_from(&out, sig_off, b"/Contents <").ok_or_else(|| bad("contents"))? + 10;
    let contents_end = contents_start + CONTENTS_RESERVED * 2 + 2;
    let range = format!(
        "[0 {:>w$} {:>w$} {:>w$}]",
        contents_start,
        contents_end,
        out.len() - contents_end,
        w = RANGE_DIGITS
    );
    let range_at = find_from(&out, sig_off, placeholder_range.as_bytes()).ok_or_else(|| bad("byte range"))?;
    out[range_at..range_at + range.len()].copy_from_slice(range.as_bytes());
    Ok(Prepared { bytes: out, contents_start, contents_end })
}

/// Appends `objects` (each its number and its `N 0 obj … endobj` bytes) to
/// `pdf` as one incremental update: a classic cross-reference section and a
/// trailer of `size` objects with `/Prev`. Returns the file and where each
/// object starts.
fn append_update(
    pdf: &[u8],
    parsed: &Parsed<'_>,
    mut objects: Vec<(u32, Vec<u8>)>,
    size: u32,
) -> (Vec<u8>, Vec<(u32, usize)>) {
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    objects.sort_by_key(|(n, _)| *n);
    let mut offsets = Vec::new();
    for (num, bytes) in &objects {
        offsets.push((*num, out.len()));
        out.extend_from_slice(bytes);
    }
    let xref_at = out.len();
    out.extend_from_slice(b"xref\n");
    let mut i = 0;
    while i < offsets.len() {
        let mut j = i;
        while j + 1 < offsets.len() && offsets[j + 1].0 == offsets[j].0 + 1 {
            j += 1;
        }
        out.extend_from_slice(format!("{} {}\n", offsets[i].0, j - i + 1).as_bytes());
        for (_, off) in &offsets[i..=j] {
            out.extend_from_slice(format!("{off:010} 00000 n\r\n").as_bytes());
        }
        i = j + 1;
    }
    let mut trailer = format!("trailer\n<< /Size {size} /Root {} 0 R", parsed.root);
    if let Some(info) = parsed.info {
        trailer.push_str(&format!(" /Info {info} 0 R"));
    }
    if let Some(id) = &parsed.id {
        trailer.push_str(&format!(" /ID {id}"));
    }
    trailer.push_str(&format!(" /Prev {} >>\nstartxref\n{xref_at}\n%%EOF\n", parsed.last_xref));
    out.extend_from_slice(trailer.as_bytes());
    (out, offsets)
}

/// Validation data for a document security store (PAdES B-LT): certificates,
/// OCSP responses and CRLs, each in DER.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationData {
    pub certs: Vec<Vec<u8>>,
    pub ocsps: Vec<Vec<u8>>,
    pub crls: Vec<Vec<u8>>,
}

impl ValidationData {
    /// Adds `der` to `list` unless it is there already.
    pub fn add(list: &mut Vec<Vec<u8>>, der: &[u8]) {
        if !list.iter().any(|d| d == der) {
            list.push(der.to_vec());
        }
    }
}

/// Appends a document security store holding `data` to `pdf` (which has
/// none yet) by incremental update: one stream per certificate, response and
/// CRL, the `/DSS` dictionary, and the catalogue pointing at it. Earlier
/// bytes, and so every signature, stay as they were.
pub fn append_dss(pdf: &[u8], data: &ValidationData) -> Result<Vec<u8>, SignError> {
    let parsed = Parsed::new(pdf)?;
    let root_dict = parsed.dict(parsed.root)?;
    if dict_value(&root_dict, "DSS").is_some() {
        return Err(bad("the file has a document security store already"));
    }
    let mut next = parsed.size;
    let mut objects: Vec<(u32, Vec<u8>)> = Vec::new();
    let mut streams = |list: &[Vec<u8>]| -> String {
        let mut refs = Vec::new();
        for der in list {
            let r = Ref::new(next as i32);
            next += 1;
            let mut c = Chunk::new();
            c.stream(r, der);
            objects.push((r.get() as u32, c.as_bytes().to_vec()));
            refs.push(format!("{} 0 R", r.get()));
        }
        refs.join(" ")
    };
    let (certs, ocsps, crls) = (streams(&data.certs), streams(&data.ocsps), streams(&data.crls));
    let dss = next;
    next += 1;
    let mut dict = String::from("<< /Type /DSS");
    for (key, refs) in [("Certs", certs), ("OCSPs", ocsps), ("CRLs", crls)] {
        if !refs.is_empty() {
            dict.push_str(&format!(" /{key} [{refs}]"));
        }
    }
    dict.push_str(" >>");
    objects.push((dss, format!("{dss} 0 obj\n{dict}\nendobj\n").into_bytes()));
    let root = with_entry(&root_dict, "DSS", &format!("{dss} 0 R"), false);
    objects.push((parsed.root, format!("{} 0 obj\n{root}\nendobj\n", parsed.root).into_bytes()));
    Ok(append_update(pdf, &parsed, objects, next).0)
}

/// A PDF text string: UTF-16BE with BOM, hex-encoded (any Vietnamese text).
fn pdf_text(s: &str) -> String {
    let mut hex = String::from("<FEFF");
    for u in s.encode_utf16() {
        hex.push_str(&format!("{u:04X}"));
    }
    hex.push('>');
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionary_edits() {
        assert_eq!(
            dict_value("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>", "MediaBox"),
            Some("[0 0 595 842]")
        );
        assert_eq!(dict_value("<< /Prev 123 /Pre 4 >>", "Pre"), Some("4"));
        assert_eq!(
            dict_value("<< /SubFilter /ETSI.CAdES.detached /M (D:2026) >>", "SubFilter"),
            Some("/ETSI.CAdES.detached")
        );
        assert_eq!(dict_value("<< /SubFilter /ETSI.CAdES.detached /M (D:2026) >>", "M"), Some("(D:2026)"));
        let d = with_entry("<< /Type /Page >>", "Annots", "9 0 R", true);
        assert_eq!(d, "<< /Type /Page /Annots [9 0 R]>>");
        let d = with_entry(&d, "Annots", "10 0 R", true);
        assert_eq!(d, "<< /Type /Page /Annots [9 0 R 10 0 R]>>");
    }
}
