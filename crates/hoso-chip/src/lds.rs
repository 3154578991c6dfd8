//! The chip's files (ICAO Doc 9303 part 10, the LDS 1.7 layout) and what
//! they say: EF.COM (which data groups there are), DG1 (the MRZ), DG2 (the
//! portrait, a JPEG or JPEG 2000 inside an ISO/IEC 19794-5 record), DG13 (the
//! Vietnamese card's own data) and EF.SOD (the signed hashes).
//!
//! BER-TLV is walked by [`tlv`], one element at a time and never recursively
//! beyond the few levels each file has, so a hostile card cannot nest its way
//! to a stack overflow. The one crate that reads ISO 7816 BER-TLV
//! (iso7816-tlv) recurses into every constructed element without a limit,
//! and der (RustCrypto) takes no tag number above 30, which DG2's `7F61`,
//! `7F60` and `5F2E` are.
//!
//! DG13's layout is not in Doc 9303: the issuing state defines it. What the
//! Vietnamese card holds, as public readers of it describe it, is a list of
//! SEQUENCEs, each an INTEGER field number followed by its value(s) as
//! strings: 1 the ID number, 2 full name, 3 birth date, 4 sex, 5 nationality,
//! 6 ethnicity, 7 religion, 8 place of origin, 9 place of residence, 10
//! identifying marks, 11 issue date, 12 expiry date, 13 the father's and
//! the mother's names, 14 the spouse's name, 16 the old ID number. Field 14
//! is not confirmed by a reader of a real card; unknown fields are kept as
//! read. This must be checked against a real card (ARCHITECTURE.md).

use serde::Serialize;

use crate::ChipError;

/// File identifiers of the LDS 1 application.
pub const EF_COM: u16 = 0x011E;
pub const EF_SOD: u16 = 0x011D;

/// The file id of data group `n` (1–16).
pub fn dg_file(n: u8) -> u16 {
    0x0100 + u16::from(n)
}

/// The tag that opens data group `n`'s file, as EF.COM lists it.
pub fn dg_tag(n: u8) -> Option<u8> {
    const TAGS: [u8; 16] =
        [0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70];
    TAGS.get(usize::from(n).checked_sub(1)?).copied()
}

/// One BER-TLV element: its tag (up to three bytes, as a number), its value,
/// and what follows it. `None` when the bytes do not hold a whole element.
pub fn tlv(bytes: &[u8]) -> Option<(u32, &[u8], &[u8])> {
    let (&first, mut rest) = bytes.split_first()?;
    let mut tag = u32::from(first);
    if first & 0x1F == 0x1F {
        // Subsequent tag bytes while bit 8 is set; at most two here.
        for i in 0.. {
            let (&b, after) = rest.split_first()?;
            rest = after;
            tag = (tag << 8) | u32::from(b);
            if b & 0x80 == 0 {
                break;
            }
            if i == 1 {
                return None;
            }
        }
    }
    let (&l, after) = rest.split_first()?;
    rest = after;
    let len = match l {
        0..=0x7F => usize::from(l),
        0x81..=0x83 => {
            let n = usize::from(l & 0x7F);
            let bytes = rest.get(..n)?;
            rest = &rest[n..];
            bytes.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
        }
        _ => return None,
    };
    let value = rest.get(..len)?;
    Some((tag, value, &rest[len..]))
}

/// The elements one after another in `value`, until one cannot be read.
pub fn elements(mut value: &[u8]) -> impl Iterator<Item = (u32, &[u8])> {
    std::iter::from_fn(move || {
        let (tag, v, rest) = tlv(value)?;
        value = rest;
        Some((tag, v))
    })
}

/// The value of the first element tagged `tag` in `value`.
pub fn find(value: &[u8], tag: u32) -> Option<&[u8]> {
    elements(value).find(|(t, _)| *t == tag).map(|(_, v)| v)
}

/// The value inside a file that must open with `tag`.
pub fn unwrap<'a>(file: &'a [u8], tag: u32, what: &'static str) -> Result<&'a [u8], ChipError> {
    match tlv(file) {
        Some((t, value, _)) if t == tag => Ok(value),
        _ => Err(ChipError::Malformed(what)),
    }
}

/// The data groups EF.COM lists, by number.
pub fn com_groups(com: &[u8]) -> Result<Vec<u8>, ChipError> {
    let inner = unwrap(com, 0x60, "EF.COM")?;
    let list = find(inner, 0x5C).ok_or(ChipError::Malformed("EF.COM"))?;
    Ok((1..=16).filter(|&n| dg_tag(n).is_some_and(|t| list.contains(&t))).collect())
}

/// DG1's MRZ, as its three lines of 30 (TD1) or two of 44 (a passport).
pub fn dg1_mrz(dg1: &[u8]) -> Result<String, ChipError> {
    let inner = unwrap(dg1, 0x61, "DG1")?;
    let mrz = find(inner, 0x5F1F).ok_or(ChipError::Malformed("DG1"))?;
    let text = std::str::from_utf8(mrz).map_err(|_| ChipError::Malformed("DG1"))?;
    let width = match text.len() {
        90 => 30,
        88 => 44,
        72 => 36,
        _ => return Err(ChipError::Malformed("DG1")),
    };
    Ok(text
        .as_bytes()
        .chunks(width)
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n"))
}

/// The portrait in DG2: its image format and bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Portrait {
    /// `image/jpeg` or `image/jp2`.
    pub mime: &'static str,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// The first face image in DG2.
pub fn dg2_portrait(dg2: &[u8]) -> Result<Portrait, ChipError> {
    let malformed = ChipError::Malformed("DG2");
    let group = find(unwrap(dg2, 0x75, "DG2")?, 0x7F61).ok_or(ChipError::Malformed("DG2"))?;
    let template = find(group, 0x7F60).ok_or(ChipError::Malformed("DG2"))?;
    let record = find(template, 0x5F2E).or_else(|| find(template, 0x7F2E)).ok_or(malformed)?;
    // The ISO/IEC 19794-5 record's headers come first; the image is what
    // follows from its own signature on.
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF];
    const JP2: &[u8] = &[0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20];
    const J2K: &[u8] = &[0xFF, 0x4F, 0xFF, 0x51];
    let at = |sig: &[u8]| record.windows(sig.len()).position(|w| w == sig);
    let (mime, start) = match (at(JPEG), at(JP2).or_else(|| at(J2K))) {
        (Some(j), Some(k)) if k < j => ("image/jp2", k),
        (Some(j), _) => ("image/jpeg", j),
        (None, Some(k)) => ("image/jp2", k),
        (None, None) => return Err(ChipError::Malformed("DG2")),
    };
    Ok(Portrait { mime, bytes: record[start..].to_vec() })
}

/// What DG13 of a Vietnamese card says, field by field (texts as written).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CardData {
    pub personal_id: Option<String>,
    pub full_name: Option<String>,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    pub nationality: Option<String>,
    pub ethnicity: Option<String>,
    pub religion: Option<String>,
    pub place_of_origin: Option<String>,
    pub place_of_residence: Option<String>,
    pub identifying_marks: Option<String>,
    pub issue_date: Option<String>,
    pub expiry_date: Option<String>,
    pub father: Option<String>,
    pub mother: Option<String>,
    pub spouse: Option<String>,
    pub old_id: Option<String>,
    /// Fields of numbers this reader does not know, as read.
    pub other: Vec<(u32, Vec<String>)>,
}

/// Reads DG13. Strings are UTF-8 (UTF8String, PrintableString, IA5String).
pub fn dg13(file: &[u8]) -> Result<CardData, ChipError> {
    let inner = unwrap(file, 0x6D, "DG13")?;
    let mut fields: Vec<(u32, Vec<String>)> = Vec::new();
    collect_fields(inner, 0, &mut fields)?;
    if fields.is_empty() {
        return Err(ChipError::Malformed("DG13"));
    }
    let mut data = CardData::default();
    for (number, values) in fields {
        let first = values.first().cloned().filter(|s| !s.is_empty());
        let slot = match number {
            1 => &mut data.personal_id,
            2 => &mut data.full_name,
            3 => &mut data.birth_date,
            4 => &mut data.sex,
            5 => &mut data.nationality,
            6 => &mut data.ethnicity,
            7 => &mut data.religion,
            8 => &mut data.place_of_origin,
            9 => &mut data.place_of_residence,
            10 => &mut data.identifying_marks,
            11 => &mut data.issue_date,
            12 => &mut data.expiry_date,
            13 => {
                data.father = first;
                data.mother = values.get(1).cloned().filter(|s| !s.is_empty());
                continue;
            }
            14 => &mut data.spouse,
            16 => &mut data.old_id,
            _ => {
                data.other.push((number, values));
                continue;
            }
        };
        *slot = first;
    }
    Ok(data)
}

/// Finds each SEQUENCE that opens with an INTEGER field number, at most three
/// levels down, with the strings beneath it.
fn collect_fields(value: &[u8], depth: u8, out: &mut Vec<(u32, Vec<String>)>) -> Result<(), ChipError> {
    if depth > 3 {
        return Ok(());
    }
    for (tag, inner) in elements(value) {
        if tag != 0x30 {
            continue;
        }
        let mut items = elements(inner);
        match items.next() {
            Some((0x02, number)) if !number.is_empty() && number.len() <= 2 => {
                let n = number.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
                let mut values = Vec::new();
                strings(inner, 0, &mut values);
                out.push((n, values));
            }
            _ => collect_fields(inner, depth + 1, out)?,
        }
    }
    Ok(())
}

/// The strings in `value`, in order, at most three levels down.
fn strings(value: &[u8], depth: u8, out: &mut Vec<String>) {
    if depth > 3 {
        return;
    }
    for (tag, inner) in elements(value) {
        match tag {
            // UTF8String, PrintableString, IA5String, VisibleString
            0x0C | 0x13 | 0x16 | 0x1A => out.push(String::from_utf8_lossy(inner).trim().to_owned()),
            0x30 | 0x31 => strings(inner, depth + 1, out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tl(tag: &[u8], value: &[u8]) -> Vec<u8> {
        let mut out = tag.to_vec();
        match value.len() {
            n @ 0..=0x7F => out.push(n as u8),
            n @ 0x80..=0xFF => out.extend_from_slice(&[0x81, n as u8]),
            n => out.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]),
        }
        out.extend_from_slice(value);
        out
    }

    fn field(n: u8, values: &[&str]) -> Vec<u8> {
        let mut inner = vec![0x02, 0x01, n];
        for v in values {
            inner.extend(tl(&[0x0C], v.as_bytes()));
        }
        tl(&[0x30], &inner)
    }

    #[test]
    fn the_vietnamese_group_is_read_field_by_field() {
        let parents = {
            let mut inner = vec![0x02, 0x01, 13];
            inner.extend(tl(&[0x30], &tl(&[0x0C], "Lê Văn An".as_bytes())));
            inner.extend(tl(&[0x30], &tl(&[0x0C], "Trần Thị Bình".as_bytes())));
            tl(&[0x30], &inner)
        };
        let list = [
            field(1, &["079070752696"]),
            field(2, &["Lê Minh Nam"]),
            field(9, &["12 Lý Tự Trọng, Phường Sài Gòn, TP. Hồ Chí Minh"]),
            parents,
            field(20, &["?"]),
        ]
        .concat();
        // The fields inside one outer SEQUENCE, as some cards have them.
        let file = tl(&[0x6D], &tl(&[0x30], &list));
        let data = dg13(&file).unwrap();
        assert_eq!(data.personal_id.as_deref(), Some("079070752696"));
        assert_eq!(data.full_name.as_deref(), Some("Lê Minh Nam"));
        assert_eq!(data.father.as_deref(), Some("Lê Văn An"));
        assert_eq!(data.mother.as_deref(), Some("Trần Thị Bình"));
        assert_eq!(data.other, vec![(20, vec!["?".to_owned()])]);
    }

    #[test]
    fn dg1_and_dg2_give_the_mrz_and_the_image() {
        let mrz = format!(
            "{:<<30}{:<<30}{:<<30}",
            "IDVNM0707526967079070752696", "7007041M3007041VNM", "LE<<MINH<NAM"
        );
        let dg1 = tl(&[0x61], &tl(&[0x5F, 0x1F], mrz.as_bytes()));
        assert_eq!(dg1_mrz(&dg1).unwrap().lines().count(), 3);
        let jpeg = [b"FAC\x00010\x00header".as_slice(), &[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]].concat();
        let dg2 = tl(
            &[0x75],
            &tl(
                &[0x7F, 0x61],
                &[vec![0x02, 0x01, 0x01], tl(&[0x7F, 0x60], &tl(&[0x5F, 0x2E], &jpeg))].concat(),
            ),
        );
        let p = dg2_portrait(&dg2).unwrap();
        assert_eq!((p.mime, &p.bytes[..3]), ("image/jpeg", &[0xFF, 0xD8, 0xFF][..]));
    }

    #[test]
    fn hostile_bytes_are_refused_not_panicked_on() {
        // Nesting as deep as the bytes allow, lengths past the end, long tags.
        let mut deep = Vec::new();
        for _ in 0..10_000 {
            deep = tl(&[0x30], &deep);
            if deep.len() > 60_000 {
                break;
            }
        }
        let _ = dg13(&tl(&[0x6D], &deep));
        for bytes in [
            &[0x6D, 0x84, 1, 2, 3, 4][..],
            &[0x7F],
            &[0x7F, 0xFF, 0xFF, 0xFF, 0x01, 0x00],
            &[0x75, 0x82, 0xFF],
            &[],
        ] {
            assert!(dg13(bytes).is_err());
            assert!(dg2_portrait(bytes).is_err());
            assert!(dg1_mrz(bytes).is_err());
            assert!(com_groups(bytes).is_err());
        }
    }
}
