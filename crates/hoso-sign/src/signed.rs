//! Reading a signed PDF as a verifier must: its signatures found through the
//! AcroForm's signature fields, each one's signed revision, and what every
//! later revision changed.
//!
//! The file is read with lopdf (strict: no repair of broken cross-references,
//! a bound on decompressed streams), so classic tables, cross-reference
//! streams and object streams all read, whichever software saved the file.
//! A signature's `/ByteRange` must cover its whole revision except exactly the
//! `/Contents` hex string of its own signature dictionary
//! ([`FoundSignature::range_ok`]). What the file holds beyond that revision is
//! compared object by object with the revision as signed ([`later_changes`]):
//! a later signature (its field, widget, appearance, the page's `/Annots` and
//! the form's `/Fields` growing), validation data (the DSS), metadata (the
//! trailer's `/Info`, the catalogue's `/Metadata`), form filling and the
//! containers of a rewrite (object and cross-reference streams) are allowed,
//! as pyHanko's default policy allows them; anything else reachable from the
//! catalogue is a change made after signing.

use std::collections::BTreeSet;

use hoso_i18n::{Localized, Message, err, msg};
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, xref::XrefEntry};
use serde::Serialize;

use crate::SignError;
use crate::pdf::ValidationData;

/// The most one stream may inflate to while the file is read (object and
/// cross-reference streams): a record's PDF/A is a few MB.
const MAX_STREAM: usize = 64 * 1024 * 1024;
/// Signature fields and form-field depth read at most (hostile files).
const MAX_FIELDS: usize = 10_000;
const MAX_DEPTH: usize = 32;

fn bad(msg: impl Into<Localized>) -> SignError {
    SignError::Pdf(msg.into())
}

/// Loads `bytes` as a verifier reads it.
fn load(bytes: &[u8]) -> Result<Document, SignError> {
    let options =
        LoadOptions { strict: true, max_decompressed_size: Some(MAX_STREAM), ..LoadOptions::default() };
    let doc = Document::load_mem_with_options(bytes, options)
        .map_err(|e| bad(err!("sign-pdf-unreadable", why = e.to_string())))?;
    if doc.trailer.has(b"Encrypt") {
        return Err(bad(err!("sign-pdf-encrypted")));
    }
    Ok(doc)
}

/// One signature as the file holds it.
#[derive(Debug, Clone)]
pub struct FoundSignature {
    /// The field's full name (`/T` of it and its parents, dot-separated).
    pub field: String,
    pub byte_range: [usize; 4],
    pub contents: Vec<u8>,
    pub time: String,
    pub sub_filter: String,
    /// The object that holds the signature dictionary (its own, or the field's
    /// when the dictionary is direct).
    holder: ObjectId,
}

impl FoundSignature {
    /// Where the signed revision ends: the byte range's last byte.
    pub fn end(&self) -> usize {
        self.byte_range[2].saturating_add(self.byte_range[3])
    }

    /// The bytes the signature covers, when the byte range is sound.
    pub fn signed_bytes(&self, pdf: &[u8]) -> Option<Vec<u8>> {
        let [a, b, c, _] = self.byte_range;
        let end = self.end();
        (a == 0 && b < c && end <= pdf.len()).then(|| [&pdf[..b], &pdf[c..end]].concat())
    }

    /// The byte range starts at 0, ends where a revision ends (`%%EOF`), and
    /// skips exactly the `<hex>` string of `/Contents`, which lies in the
    /// signature dictionary's own object of that revision (so every other byte
    /// of the dictionary is signed).
    pub fn range_ok(&self, pdf: &[u8], signed: &Document) -> bool {
        let [a, b, c, _] = self.byte_range;
        let end = self.end();
        if !(a == 0 && b < c && c <= end && end <= pdf.len() && c - b >= 2) {
            return false;
        }
        let revision = pdf[..end].trim_ascii_end();
        if !revision.ends_with(b"%%EOF") {
            return false;
        }
        let gap = &pdf[b..c];
        let hex = &gap[1..gap.len() - 1];
        if gap[0] != b'<'
            || gap[gap.len() - 1] != b'>'
            || !hex.len().is_multiple_of(2)
            || !hex.iter().all(u8::is_ascii_hexdigit)
        {
            return false;
        }
        if decode_hex(hex) != self.contents {
            return false;
        }
        // The holder is a plain object of the signed revision that starts
        // before the gap and does not end before it.
        let Some(XrefEntry::Normal { offset, .. }) = signed.reference_table.get(self.holder.0) else {
            return false;
        };
        let offset = *offset as usize;
        offset < b && !contains(&pdf[offset..b], b"endobj") && contains(&pdf[c..end], b"endobj")
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn decode_hex(hex: &[u8]) -> Vec<u8> {
    let digit = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
    hex.chunks_exact(2).map(|p| digit(p[0]) << 4 | digit(p[1])).collect()
}

/// A file read for verification: the document as it stands now.
#[derive(Debug)]
pub struct SignedPdf<'a> {
    pub bytes: &'a [u8],
    pub doc: Document,
}

impl<'a> SignedPdf<'a> {
    pub fn read(bytes: &'a [u8]) -> Result<SignedPdf<'a>, SignError> {
        Ok(SignedPdf { bytes, doc: load(bytes)? })
    }

    /// Every signature of the file, through the AcroForm's signature fields,
    /// in the order they were made (by where their revision ends). Document
    /// time-stamps (`/DocTimeStamp`) are not signatures and are left out.
    pub fn signatures(&self) -> Result<Vec<FoundSignature>, SignError> {
        let mut out = Vec::new();
        for field in sig_fields(&self.doc) {
            let Ok(dict) = self.doc.get_dictionary(field.id) else { continue };
            let Ok(v) = dict.get(b"V") else { continue };
            let (holder, sig) = match v {
                Object::Reference(id) => match self.doc.get_dictionary(*id) {
                    Ok(sig) => (*id, sig),
                    Err(_) => continue,
                },
                Object::Dictionary(sig) => (field.id, sig),
                _ => continue,
            };
            if name(sig.get(b"Type").ok()) == Some(b"DocTimeStamp".as_slice())
                || name(sig.get(b"SubFilter").ok()) == Some(b"ETSI.RFC3161".as_slice())
            {
                continue;
            }
            let range: Vec<usize> = match sig.get(b"ByteRange") {
                Ok(Object::Array(items)) => items
                    .iter()
                    .filter_map(|o| match o {
                        Object::Integer(n) => usize::try_from(*n).ok(),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let [a, b, c, d] = range.as_slice() else {
                return Err(bad(err!("sign-bad-byte-range", field = &field.name)));
            };
            let contents = match sig.get(b"Contents") {
                Ok(Object::String(bytes, _)) => bytes.clone(),
                _ => {
                    return Err(bad(err!("sign-bad-contents", field = &field.name)));
                }
            };
            out.push(FoundSignature {
                field: field.name,
                byte_range: [*a, *b, *c, *d],
                contents,
                time: sig.get(b"M").map(text).unwrap_or_default(),
                sub_filter: name(sig.get(b"SubFilter").ok())
                    .map(|n| String::from_utf8_lossy(n).into_owned())
                    .unwrap_or_default(),
                holder,
            });
        }
        out.sort_by_key(FoundSignature::end);
        Ok(out)
    }

    /// The revision `sig` signed, as its own document.
    pub fn revision(&self, sig: &FoundSignature) -> Result<Document, SignError> {
        load(self.bytes.get(..sig.end()).ok_or_else(|| bad("/ByteRange"))?)
    }

    /// The validation data of the file's document security store (the
    /// catalogue's `/DSS`), as the file stands now; `None` without one.
    /// Streams that do not decode are left out (what they would have
    /// answered stays unanswered).
    pub fn dss(&self) -> Option<ValidationData> {
        let (_, root) = catalog(&self.doc)?;
        let dss = dict_of(&self.doc, root.get(b"DSS").ok()?)?;
        // What all the streams together may inflate to (a hostile file could
        // hold many small streams that each inflate to the bound).
        let mut budget = MAX_STREAM;
        let mut streams = |key: &[u8]| -> Vec<Vec<u8>> {
            let Some(Object::Array(items)) = dss.get(key).ok().and_then(|o| resolve(&self.doc, o)) else {
                return Vec::new();
            };
            let mut out = Vec::new();
            for item in items.iter().take(MAX_FIELDS) {
                let Some(Object::Stream(s)) = resolve(&self.doc, item) else { continue };
                let Some(bytes) = plain(s, budget) else { continue };
                budget -= bytes.len();
                out.push(bytes);
            }
            out
        };
        Some(ValidationData { certs: streams(b"Certs"), ocsps: streams(b"OCSPs"), crls: streams(b"CRLs") })
    }
}

/// A stream's bytes, at most `limit` of them: as they are, or inflated
/// (`/FlateDecode`); `None` for other filters and beyond the limit.
fn plain(s: &lopdf::Stream, limit: usize) -> Option<Vec<u8>> {
    let flate = |o: &Object| matches!(o, Object::Name(n) if n == b"FlateDecode");
    match s.dict.get(b"Filter").ok() {
        None => (s.content.len() <= limit).then(|| s.content.clone()),
        Some(f) if flate(f) || matches!(f, Object::Array(a) if a.len() == 1 && flate(&a[0])) => {
            miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&s.content, limit).ok()
        }
        _ => None,
    }
}

/// A text string (PDFDocEncoding, or UTF-16BE or UTF-8 after their byte-order mark).
fn text(o: &Object) -> String {
    match o {
        Object::String(bytes, _) => {
            lopdf::decode_text_string(o).unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned())
        }
        _ => String::new(),
    }
}

fn name(o: Option<&Object>) -> Option<&[u8]> {
    match o {
        Some(Object::Name(n)) => Some(n),
        _ => None,
    }
}

fn resolve<'d>(doc: &'d Document, o: &'d Object) -> Option<&'d Object> {
    doc.dereference(o).ok().map(|(_, o)| o)
}

fn dict_of<'d>(doc: &'d Document, o: &'d Object) -> Option<&'d Dictionary> {
    match resolve(doc, o)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn refs_in(o: &Object) -> Vec<ObjectId> {
    match o {
        Object::Reference(id) => vec![*id],
        Object::Array(items) => items
            .iter()
            .filter_map(|o| if let Object::Reference(id) = o { Some(*id) } else { None })
            .collect(),
        _ => Vec::new(),
    }
}

fn catalog(doc: &Document) -> Option<(ObjectId, &Dictionary)> {
    let Ok(Object::Reference(id)) = doc.trailer.get(b"Root") else { return None };
    Some((*id, doc.get_dictionary(*id).ok()?))
}

/// A form field of the document: its object and full name.
#[derive(Debug, Clone)]
struct Field {
    id: ObjectId,
    name: String,
    sig: bool,
}

/// Every field under the AcroForm's `/Fields`, with `/FT` inherited.
fn fields(doc: &Document) -> Vec<Field> {
    let mut out = Vec::new();
    let Some((_, root)) = catalog(doc) else { return out };
    let Some(form) = root.get(b"AcroForm").ok().and_then(|f| dict_of(doc, f)) else { return out };
    let Some(top) = form.get(b"Fields").ok().and_then(|f| resolve(doc, f)) else { return out };
    let mut seen = BTreeSet::new();
    let mut stack: Vec<(ObjectId, String, bool, usize)> =
        refs_in(top).into_iter().rev().map(|id| (id, String::new(), false, 0)).collect();
    while let Some((id, parent, parent_sig, depth)) = stack.pop() {
        if out.len() >= MAX_FIELDS || depth > MAX_DEPTH || !seen.insert(id) {
            continue;
        }
        let Ok(dict) = doc.get_dictionary(id) else { continue };
        let part = dict.get(b"T").map(text).unwrap_or_default();
        let full = match (parent.is_empty(), part.is_empty()) {
            (_, true) => parent.clone(),
            (true, false) => part,
            (false, false) => format!("{parent}.{part}"),
        };
        let sig = match name(dict.get(b"FT").ok()) {
            Some(ft) => ft == b"Sig",
            None => parent_sig,
        };
        if let Ok(kids) = dict.get(b"Kids")
            && let Some(kids) = resolve(doc, kids)
        {
            for kid in refs_in(kids).into_iter().rev() {
                stack.push((kid, full.clone(), sig, depth + 1));
            }
        }
        out.push(Field { id, name: full, sig });
    }
    out
}

fn sig_fields(doc: &Document) -> Vec<Field> {
    fields(doc).into_iter().filter(|f| f.sig).collect()
}

/// Calls `f` with each reference `o` holds, however deep in arrays and
/// dictionaries (a stream's dictionary included).
fn each_reference(o: &Object, mut f: impl FnMut(ObjectId)) {
    let mut pending = vec![o];
    while let Some(o) = pending.pop() {
        match o {
            Object::Reference(r) => f(*r),
            Object::Array(items) => pending.extend(items.iter()),
            Object::Dictionary(d) => pending.extend(d.iter().map(|(_, v)| v)),
            Object::Stream(s) => pending.extend(s.dict.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

/// Every object reachable from `start` through references.
fn reachable(doc: &Document, start: impl IntoIterator<Item = ObjectId>) -> BTreeSet<ObjectId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<ObjectId> = start.into_iter().collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        if let Some(o) = doc.objects.get(&id) {
            each_reference(o, |r| {
                if !seen.contains(&r) {
                    stack.push(r);
                }
            });
        }
    }
    seen
}

/// Two versions of an object hold the same (a stream by its dictionary and
/// bytes, wherever it lies in the file).
fn same(a: Option<&Object>, b: Option<&Object>) -> bool {
    match (a, b) {
        (Some(Object::Stream(x)), Some(Object::Stream(y))) => x.dict == y.dict && x.content == y.content,
        (x, y) => x == y,
    }
}

/// The keys whose values differ between two dictionaries, but for `ignored`.
fn differing(old: &Dictionary, new: &Dictionary, ignored: &[&[u8]]) -> Vec<String> {
    let keys: BTreeSet<&Vec<u8>> = old.iter().map(|(k, _)| k).chain(new.iter().map(|(k, _)| k)).collect();
    keys.into_iter()
        .filter(|k| !ignored.contains(&k.as_slice()) && old.get(k).ok() != new.get(k).ok())
        .map(|k| format!("/{}", String::from_utf8_lossy(k)))
        .collect()
}

/// The catalogue's keys that signing and validation data may change
/// (`/AcroForm` is judged on its own; pyHanko exempts the same).
const CATALOG_EXEMPT: &[&[u8]] = &[b"AcroForm", b"DSS", b"Extensions", b"Metadata", b"MarkInfo", b"Version"];
/// The form's keys a new signature field may change, beside `/Fields`.
const ACROFORM_EXEMPT: &[&[u8]] = &[b"Fields", b"SigFlags", b"DR", b"DA", b"Q", b"NeedAppearances"];
/// A field's keys that filling it (or signing an empty signature field) changes.
const FIELD_FILLED: &[&[u8]] = &[b"V", b"AP", b"AS"];

/// One object changed after signing, by a change no rule allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub object: u32,
    /// Added after signing (else replaced).
    pub added: bool,
    /// The object's `/Type` (or `/Subtype`), or what it is.
    pub kind: String,
    /// For a replaced dictionary, the keys that changed.
    pub keys: Vec<String>,
}

impl Change {
    /// What changed.
    pub fn message(&self) -> Message {
        let (object, kind) = (self.object, self.kind.as_str());
        if self.added {
            msg!("change-added", object = object, kind = kind)
        } else if self.keys.is_empty() {
            msg!("change-replaced", object = object, kind = kind)
        } else {
            msg!("change-replaced-keys", object = object, kind = kind, keys = self.keys.join(", "))
        }
    }
}

fn kind(o: &Object) -> String {
    let dict = match o {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        Object::Array(_) => return "array".into(),
        _ => return "value".into(),
    };
    name(dict.get(b"Type").ok())
        .or_else(|| name(dict.get(b"Subtype").ok()))
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_else(|| if matches!(o, Object::Stream(_)) { "stream" } else { "dictionary" }.into())
}

/// Every object `doc` refers to, from any of its objects.
fn referenced(doc: &Document) -> BTreeSet<ObjectId> {
    let mut out = BTreeSet::new();
    for o in doc.objects.values() {
        each_reference(o, |r| {
            out.insert(r);
        });
    }
    out
}

/// `o`'s references and, when it is a dictionary, its values' (an
/// appearance dictionary's streams, the DSS's arrays).
fn refs_below(doc: &Document, o: &Object) -> Vec<ObjectId> {
    let mut out = refs_in(o);
    if let Some(d) = dict_of(doc, o) {
        out.extend(d.iter().flat_map(|(_, v)| refs_in(v)));
    }
    out
}

/// What the revisions after `signed` changed that no rule allows, in `now`.
pub fn later_changes(signed: &Document, now: &Document) -> Vec<Change> {
    let Some((root_id, root)) = catalog(now) else {
        return vec![Change { object: 0, added: false, kind: "trailer".into(), keys: vec!["/Root".into()] }];
    };
    // A new object is one the signed revision neither held nor referred to:
    // filling a reference that dangled when signed is replacing what it showed.
    let old_refs = referenced(signed);
    let is_new = |id: &ObjectId| !signed.objects.contains_key(id) && !old_refs.contains(id);
    let changed: Vec<ObjectId> = reachable(now, [root_id])
        .into_iter()
        .filter(|id| !same(signed.objects.get(id), now.objects.get(id)))
        .collect();
    if changed.is_empty() {
        return Vec::new();
    }

    // What signing, form filling and validation data may add or replace.
    let mut allowed: BTreeSet<ObjectId> = BTreeSet::new();
    let mut widgets: BTreeSet<ObjectId> = BTreeSet::new();
    let mut new_fields: BTreeSet<ObjectId> = BTreeSet::new();
    for field in fields(now) {
        let Ok(dict) = now.get_dictionary(field.id) else { continue };
        let fresh = field.sig && is_new(&field.id);
        // Filled: only its value and appearance changed, and a signature
        // field's value was empty (signed once, never re-signed).
        let filled = signed.get_dictionary(field.id).is_ok_and(|old| {
            differing(old, dict, FIELD_FILLED).is_empty()
                && !(field.sig && old.has(b"V") && old.get(b"V").ok() != dict.get(b"V").ok())
        });
        if !(fresh || filled) {
            continue;
        }
        allowed.insert(field.id);
        if fresh {
            new_fields.insert(field.id);
            if name(dict.get(b"Subtype").ok()) == Some(b"Widget".as_slice()) {
                widgets.insert(field.id);
            }
        }
        // Its value and appearance: what they add, never an object reused.
        let from: Vec<ObjectId> = [b"V".as_slice(), b"AP"]
            .iter()
            .filter_map(|k| dict.get(k).ok())
            .flat_map(|v| refs_below(now, v))
            .collect();
        allowed.extend(reachable(now, from).into_iter().filter(&is_new));
    }
    // Validation data: the DSS, its /VRI, and what they add.
    if let Ok(dss) = root.get(b"DSS") {
        allowed.extend(refs_in(dss));
        if let Some(vri) = dict_of(now, dss).and_then(|d| d.get(b"VRI").ok()) {
            allowed.extend(refs_in(vri));
        }
        allowed.extend(reachable(now, refs_below(now, dss)).into_iter().filter(&is_new));
    }
    // The document's XMP metadata.
    if let Ok(Object::Reference(meta)) = root.get(b"Metadata")
        && matches!(now.objects.get(meta), Some(Object::Stream(s)) if s.dict.has_type(b"Metadata"))
    {
        allowed.insert(*meta);
    }
    // The form's own resources (fonts of new appearances), when new.
    let form = root.get(b"AcroForm").ok();
    if let Some(dr) = form.and_then(|f| dict_of(now, f)).and_then(|f| f.get(b"DR").ok()) {
        allowed.extend(reachable(now, refs_below(now, dr)).into_iter().filter(&is_new));
    }

    let old_form = catalog(signed).and_then(|(_, r)| r.get(b"AcroForm").ok()).unwrap_or(&Object::Null);
    let new_form = form.unwrap_or(&Object::Null);
    let form_keys = || form_changes(signed, old_form, now, new_form, &new_fields);
    let mut out = Vec::new();
    for id in changed {
        if allowed.contains(&id) {
            continue;
        }
        let Some(object) = now.objects.get(&id) else { continue };
        if let Object::Stream(s) = object
            && (s.dict.has_type(b"ObjStm") || s.dict.has_type(b"XRef"))
        {
            continue;
        }
        let old = signed.objects.get(&id);
        let keys = match (old, object) {
            (Some(Object::Dictionary(old)), Object::Dictionary(new)) => {
                let keys = if id == root_id {
                    let mut keys = differing(old, new, CATALOG_EXEMPT);
                    if !matches!(new_form, Object::Reference(_)) {
                        keys.extend(form_keys());
                    }
                    keys
                } else if refs_in(new_form) == [id] {
                    form_keys()
                } else if new.has_type(b"Page") {
                    annots_changes(signed, old, now, new, &widgets)
                } else {
                    differing(old, new, &[])
                };
                if keys.is_empty() {
                    continue;
                }
                keys
            }
            // A page's /Annots array held in its own object.
            (Some(Object::Array(old)), Object::Array(new)) if annots_grow(old, new, &widgets) => continue,
            // The form's /Fields array held in its own object.
            (Some(Object::Array(_)), Object::Array(_))
                if form_fields_ref(now, new_form) == Some(id) && form_keys().is_empty() =>
            {
                continue;
            }
            // A new form dictionary for the first signature of a file that had none.
            (None, Object::Dictionary(_))
                if refs_in(new_form) == [id] && is_new(&id) && form_keys().is_empty() =>
            {
                continue;
            }
            _ => Vec::new(),
        };
        out.push(Change { object: id.0, added: old.is_none(), kind: kind(object), keys });
    }
    out
}

/// The object that holds the form's `/Fields` array, when it is its own.
fn form_fields_ref(doc: &Document, form: &Object) -> Option<ObjectId> {
    match dict_of(doc, form)?.get(b"Fields").ok()? {
        Object::Reference(id) => Some(*id),
        _ => None,
    }
}

/// An array only grows by new signature widgets.
fn annots_grow(old: &[Object], new: &[Object], widgets: &BTreeSet<ObjectId>) -> bool {
    new.len() >= old.len()
        && new[..old.len()] == *old
        && new[old.len()..].iter().all(|o| matches!(o, Object::Reference(id) if widgets.contains(id)))
}

/// What changed in a page beyond its `/Annots` growing by signature widgets.
fn annots_changes(
    signed: &Document,
    old: &Dictionary,
    now: &Document,
    new: &Dictionary,
    widgets: &BTreeSet<ObjectId>,
) -> Vec<String> {
    let mut keys = differing(old, new, &[b"Annots"]);
    let array = |doc: &Document, d: &Dictionary| -> Vec<Object> {
        match d.get(b"Annots").ok().and_then(|a| resolve(doc, a)) {
            Some(Object::Array(items)) => items.clone(),
            _ => Vec::new(),
        }
    };
    if !annots_grow(&array(signed, old), &array(now, new), widgets) {
        keys.push("/Annots".into());
    }
    keys
}

/// What changed in the AcroForm beyond new signature fields (and the keys
/// signing sets).
fn form_changes(
    signed: &Document,
    old: &Object,
    now: &Document,
    new: &Object,
    new_fields: &BTreeSet<ObjectId>,
) -> Vec<String> {
    let empty = Dictionary::new();
    let old = dict_of(signed, old).unwrap_or(&empty);
    let new = dict_of(now, new).unwrap_or(&empty);
    let mut keys = differing(old, new, ACROFORM_EXEMPT);
    let list = |doc: &Document, d: &Dictionary| -> Vec<ObjectId> {
        d.get(b"Fields").ok().and_then(|f| resolve(doc, f)).map(refs_in).unwrap_or_default()
    };
    let (before, after) = (list(signed, old), list(now, new));
    let kept = before.iter().all(|id| after.contains(id));
    let added_ok = after.iter().filter(|id| !before.contains(id)).all(|id| new_fields.contains(id));
    if !(kept && added_ok) {
        keys.push("/Fields".into());
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-signature file written by hand: `range` gives the byte range from
    /// the true one (`[0, b, c, end]`), so a test can bend it.
    fn signed_file(range: impl Fn([usize; 4]) -> [i64; 4]) -> Vec<u8> {
        let placeholder = "[0000000000 0000000000 0000000000 0000000000]";
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [3 0 R] /SigFlags 3 >> >>".to_owned(),
            "<< /Type /Pages /Kids [] /Count 0 >>".to_owned(),
            "<< /FT /Sig /T <FEFF004B00FD> /V 4 0 R >>".to_owned(),
            format!(
                "<< /Type /Sig /SubFilter /ETSI.CAdES.detached /ByteRange {placeholder} /Contents <00ff> >>"
            ),
        ];
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for at in offsets {
            out.extend_from_slice(format!("{at:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        let b = out.windows(6).position(|w| w == b"<00ff>").unwrap();
        let [a, b, c, d] = range([0, b, b + 6, out.len()]);
        let d = d - c;
        let text = format!("[{a:010} {b:010} {c:010} {d:010}]");
        let at = out.windows(placeholder.len()).position(|w| w == placeholder.as_bytes()).unwrap();
        out[at..at + placeholder.len()].copy_from_slice(text.as_bytes());
        out
    }

    fn first(pdf: &[u8]) -> (SignedPdf<'_>, FoundSignature) {
        let file = SignedPdf::read(pdf).unwrap();
        let sig = file.signatures().unwrap().remove(0);
        (file, sig)
    }

    fn range_ok(pdf: &[u8]) -> bool {
        let (file, sig) = first(pdf);
        file.revision(&sig).is_ok_and(|signed| sig.range_ok(pdf, &signed))
    }

    #[test]
    fn the_byte_range_must_skip_exactly_the_contents_of_its_own_dictionary() {
        let good = signed_file(|[a, b, c, end]| [a as i64, b as i64, c as i64, end as i64]);
        let (file, sig) = first(&good);
        assert_eq!(
            (sig.field.as_str(), sig.contents.as_slice(), sig.sub_filter.as_str()),
            ("Ký", [0, 255].as_slice(), "ETSI.CAdES.detached")
        );
        assert!(range_ok(&good));
        assert!(later_changes(&file.revision(&sig).unwrap(), &file.doc).is_empty());
        let bent: [fn([usize; 4]) -> [i64; 4]; 4] = [
            // One more byte left out before the string, or after it.
            |[a, b, c, end]| [a as i64, b as i64 - 1, c as i64, end as i64],
            |[a, b, c, end]| [a as i64, b as i64, c as i64 + 1, end as i64],
            // The file's first byte unsigned.
            |[_, b, c, end]| [1, b as i64, c as i64, end as i64],
            // A revision that does not end at %%EOF.
            |[a, b, c, end]| [a as i64, b as i64, c as i64, end as i64 - 3],
        ];
        for (i, range) in bent.iter().enumerate() {
            assert!(!range_ok(&signed_file(range)), "case {i}");
        }
        // Far past the file's end: nothing to sign, no panic.
        let huge = signed_file(|[a, b, c, _]| [a as i64, b as i64, c as i64, 9_999_999_999]);
        let (file, sig) = first(&huge);
        assert!(sig.signed_bytes(&huge).is_none() && file.revision(&sig).is_err());
        // Negative numbers are no byte range.
        let negative = signed_file(|[a, b, c, end]| [a as i64, -(b as i64), c as i64, end as i64]);
        assert!(SignedPdf::read(&negative).unwrap().signatures().is_err());
    }

    #[test]
    fn truncated_or_corrupted_files_are_refused_or_read_never_a_panic() {
        let good = signed_file(|[a, b, c, end]| [a as i64, b as i64, c as i64, end as i64]);
        let judge = |pdf: &[u8]| {
            if let Ok(file) = SignedPdf::read(pdf)
                && let Ok(sigs) = file.signatures()
            {
                for sig in sigs {
                    let _ = sig.signed_bytes(pdf);
                    if let Ok(signed) = file.revision(&sig) {
                        let _ = sig.range_ok(pdf, &signed);
                        let _ = later_changes(&signed, &file.doc);
                    }
                }
            }
        };
        for end in 0..good.len() {
            judge(&good[..end]);
        }
        for at in 0..good.len() {
            for byte in [b'0', b' ', b'<', b'/', 0xff] {
                let mut bad = good.clone();
                bad[at] = byte;
                judge(&bad);
            }
        }
        // A field tree that loops, and an encrypted file.
        // (The same length, so the cross-reference table still holds.)
        let from = "/T <FEFF004B00FD> /V 4 0 R";
        let looped = String::from_utf8(good.clone())
            .unwrap()
            .replace(from, &format!("{:<1$}", "/Kids [3 0 R]", from.len()));
        assert!(SignedPdf::read(looped.as_bytes()).is_ok_and(|f| f.signatures().is_ok_and(|s| s.is_empty())));
        let encrypted = String::from_utf8(good)
            .unwrap()
            .replace("/Size 5 /Root 1 0 R", "/Size 5 /Root 1 0 R /Encrypt 2 0 R");
        assert!(SignedPdf::read(encrypted.as_bytes()).is_err());
    }
}
