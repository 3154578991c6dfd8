//! Reading the citizen identity card (CCCD / Căn cước): its ICAO 9303 TD1 machine
//! readable zone and the text of its QR code, to pre-fill the applicant.
//!
//! TD1 is three lines of 30 characters. On Vietnamese cards line 1 is `IDVNM`, the
//! last 9 digits of the personal ID as document number, its check digit, then the
//! full 12-digit ID in the optional data; line 2 holds birth date, sex, expiry,
//! nationality and the composite check digit; line 3 the name without diacritics.
//! Check digits use weights 7-3-1 over digits (0–9), letters (A=10 … Z=35) and
//! fillers (`<` = 0). The QR code carries
//! `CCCD|CMND|Họ tên|DDMMYYYY|Nam/Nữ|Địa chỉ|DDMMYYYY` (the last date is the issue date).
//! Only text comes in here; reading the image is hoso-ocr's job.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Applicant, PersonalId, PersonalIdError, Sex};

/// What was read from a TD1 MRZ whose check digits all hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Td1 {
    /// Document code, e.g. `ID` (fillers removed).
    pub document_code: String,
    /// Issuing state, e.g. `VNM`.
    pub issuer: String,
    /// Document number (fillers removed).
    pub document_number: String,
    /// Optional data of line 1 (fillers removed).
    pub optional1: String,
    /// Birth date as written, YYMMDD.
    pub birth_yymmdd: String,
    /// Sex, when given.
    pub sex: Option<Sex>,
    /// Expiry date as written, YYMMDD.
    pub expiry_yymmdd: String,
    /// Nationality, e.g. `VNM`.
    pub nationality: String,
    /// Surname(s), words separated by spaces.
    pub surname: String,
    /// Given names, words separated by spaces.
    pub given_names: String,
}
use hoso_i18n::msg;

/// Why an MRZ or QR text was refused. Messages say which part to re-read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdentityError {
    /// Not three lines of 30 characters from `A-Z0-9<`.
    #[error("{}", msg!("identity-mrz-shape"))]
    Shape,
    /// A check digit does not match.
    #[error("{}", msg!("identity-check-digit", field = *.0))]
    CheckDigit(&'static str),
    /// A date that does not exist.
    #[error("{}", msg!("identity-date", field = *.0))]
    Date(&'static str),
    /// The ID inside is not a valid personal ID.
    #[error(transparent)]
    PersonalId(#[from] PersonalIdError),
    /// The 12-digit ID does not end with the document number.
    #[error("{}", msg!("identity-inconsistent"))]
    Inconsistent,
    /// The QR text does not have the 7 fields of a CCCD QR code.
    #[error("{}", msg!("identity-qr-shape"))]
    QrShape,
}

/// The ICAO 9303 check digit of `field`.
pub fn check_digit(field: &str) -> Option<u8> {
    let mut sum = 0u32;
    for (i, c) in field.bytes().enumerate() {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            b'<' => 0,
            _ => return None,
        };
        sum += v * [7, 3, 1][i % 3];
    }
    Some((sum % 10) as u8)
}

fn check(field: &str, digit: u8, what: &'static str) -> Result<(), IdentityError> {
    let want = digit.checked_sub(b'0').filter(|d| *d <= 9).ok_or(IdentityError::CheckDigit(what))?;
    if check_digit(field) == Some(want) { Ok(()) } else { Err(IdentityError::CheckDigit(what)) }
}

fn clean(s: &str) -> String {
    s.trim_end_matches('<').replace('<', " ").trim().to_owned()
}

fn valid_yymmdd(s: &str, what: &'static str) -> Result<(), IdentityError> {
    NaiveDate::parse_from_str(&format!("20{s}"), "%Y%m%d").map(|_| ()).map_err(|_| IdentityError::Date(what))
}

/// Parses and checks a TD1 MRZ given as three lines (spaces inside a line, as OCR
/// sometimes adds, are ignored; lowercase is not accepted).
pub fn parse_td1(text: &str) -> Result<Td1, IdentityError> {
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|l| !l.is_empty())
        .collect();
    let ok = lines.len() == 3
        && lines.iter().all(|l| {
            l.len() == 30 && l.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'<')
        });
    if !ok {
        return Err(IdentityError::Shape);
    }
    let (l1, l2, l3) = (&lines[0], &lines[1], &lines[2]);
    let b1 = l1.as_bytes();
    let b2 = l2.as_bytes();
    check(&l1[5..14], b1[14], "document number")?;
    check(&l2[0..6], b2[6], "birth date")?;
    check(&l2[8..14], b2[14], "expiry date")?;
    let composite = format!("{}{}{}{}", &l1[5..30], &l2[0..7], &l2[8..15], &l2[18..29]);
    check(&composite, b2[29], "composite")?;
    valid_yymmdd(&l2[0..6], "birth")?;
    valid_yymmdd(&l2[8..14], "expiry")?;
    let (surname, given) = l3.split_once("<<").unwrap_or((l3.as_str(), ""));
    Ok(Td1 {
        document_code: clean(&l1[0..2]),
        issuer: l1[2..5].to_owned(),
        document_number: clean(&l1[5..14]),
        optional1: clean(&l1[15..30]),
        birth_yymmdd: l2[0..6].to_owned(),
        sex: match b2[7] {
            b'M' => Some(Sex::Male),
            b'F' => Some(Sex::Female),
            _ => None,
        },
        expiry_yymmdd: l2[8..14].to_owned(),
        nationality: l2[15..18].to_owned(),
        surname: clean(surname),
        given_names: clean(given),
    })
}

/// What a Vietnamese card's MRZ gives for the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CccdMrz {
    /// The 12-digit personal ID.
    pub personal_id: PersonalId,
    /// Birth date, century taken from the ID.
    pub birth_date: NaiveDate,
    /// Sex.
    pub sex: Option<Sex>,
    /// Name in capitals without diacritics, e.g. `LE MINH NAM`.
    pub name_ascii: String,
    /// The document number, birth date and expiry date as written (YYMMDD):
    /// the key that opens the card's chip.
    #[serde(default)]
    pub document_number: String,
    #[serde(default)]
    pub birth_yymmdd: String,
    #[serde(default)]
    pub expiry_yymmdd: String,
}

/// Parses a Vietnamese card's MRZ and checks the ID against the document number,
/// birth year and sex.
pub fn parse_cccd_mrz(text: &str) -> Result<CccdMrz, IdentityError> {
    let td1 = parse_td1(text)?;
    let digits: String = td1.optional1.chars().take(12).collect();
    let personal_id: PersonalId = digits.parse()?;
    if !personal_id.as_str().ends_with(&td1.document_number) || td1.document_number.len() != 9 {
        return Err(IdentityError::Inconsistent);
    }
    let century = personal_id.birth_year() / 100 * 100;
    let yy: i32 = td1.birth_yymmdd[0..2].parse().expect("checked digits");
    let birth_date =
        NaiveDate::parse_from_str(&format!("{}{}", century + yy, &td1.birth_yymmdd[2..]), "%Y%m%d")
            .map_err(|_| IdentityError::Date("birth"))?;
    if let Some(sex) = td1.sex {
        personal_id.check_against(birth_date.format("%Y").to_string().parse().expect("year"), sex)?;
    }
    let name_ascii = format!("{} {}", td1.surname, td1.given_names).trim().to_owned();
    Ok(CccdMrz {
        personal_id,
        birth_date,
        sex: td1.sex,
        name_ascii,
        document_number: td1.document_number,
        birth_yymmdd: td1.birth_yymmdd,
        expiry_yymmdd: td1.expiry_yymmdd,
    })
}

/// The text of a CCCD QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CccdQr {
    /// 12-digit personal ID.
    pub personal_id: PersonalId,
    /// The old 9-digit ID number (CMND), when printed.
    pub old_id: Option<String>,
    /// Full name with diacritics.
    pub name: String,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Sex.
    pub sex: Sex,
    /// Permanent address.
    pub address: String,
    /// Date the card was issued.
    pub issued: NaiveDate,
}

impl CccdQr {
    /// The applicant as pre-filled from the card.
    pub fn applicant(&self) -> Applicant {
        Applicant {
            name: self.name.clone(),
            personal_id: Some(self.personal_id.clone()),
            phone: None,
            address: Some(self.address.clone()),
            identity: crate::IdentityCheck::from(crate::IdentitySource::Qr),
        }
    }
}

/// Parses the QR text `CCCD|CMND|Họ tên|DDMMYYYY|Nam/Nữ|Địa chỉ|DDMMYYYY`.
pub fn parse_cccd_qr(text: &str) -> Result<CccdQr, IdentityError> {
    let fields: Vec<&str> = text.trim().split('|').collect();
    let [id, old, name, birth, sex, address, issued] = fields.as_slice() else {
        return Err(IdentityError::QrShape);
    };
    let date = |s: &str, what| NaiveDate::parse_from_str(s, "%d%m%Y").map_err(|_| IdentityError::Date(what));
    let personal_id: PersonalId = id.parse()?;
    let birth_date = date(birth, "birth")?;
    let sex = match sex.trim() {
        "Nam" => Sex::Male,
        "Nữ" => Sex::Female,
        _ => return Err(IdentityError::QrShape),
    };
    personal_id.check_against(birth_date.format("%Y").to_string().parse().expect("year"), sex)?;
    if name.trim().is_empty() {
        return Err(IdentityError::QrShape);
    }
    Ok(CccdQr {
        personal_id,
        old_id: Some(old.trim().to_owned()).filter(|s| !s.is_empty()),
        name: name.trim().to_owned(),
        birth_date,
        sex,
        address: address.trim().to_owned(),
        issued: date(issued, "issue")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The TD1 specimen of ICAO Doc 9303 part 5.
    const ICAO_SPECIMEN: &str =
        "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";

    #[test]
    fn the_icao_specimen_parses() {
        let t = parse_td1(ICAO_SPECIMEN).unwrap();
        assert_eq!(t.document_number, "D23145890");
        assert_eq!((t.birth_yymmdd.as_str(), t.expiry_yymmdd.as_str()), ("740812", "120415"));
        assert_eq!(t.sex, Some(Sex::Female));
        assert_eq!((t.surname.as_str(), t.given_names.as_str()), ("ERIKSSON", "ANNA MARIA"));
    }

    #[test]
    fn every_single_character_error_in_a_checked_field_is_caught() {
        let lines: Vec<&str> = ICAO_SPECIMEN.lines().collect();
        // Digits of the document number, birth and expiry dates and their check digits.
        let checked: Vec<(usize, usize)> =
            (5..15).map(|i| (0, i)).chain((0..7).map(|i| (1, i))).chain((8..15).map(|i| (1, i))).collect();
        for (line, pos) in checked {
            let mut l: Vec<u8> = lines[line].as_bytes().to_vec();
            l[pos] = if l[pos] == b'1' { b'2' } else { b'1' };
            let mut changed: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
            changed[line] = String::from_utf8(l).unwrap();
            assert!(parse_td1(&changed.join("\n")).is_err(), "line {line} position {pos}");
        }
    }

    /// Builds a Vietnamese card's MRZ with correct check digits.
    fn vn_mrz(id: &str, birth: &str, sex: char, expiry: &str, name: &str) -> String {
        let doc = &id[3..];
        let l1_body = format!("{doc}{}{id}<<", check_digit(doc).unwrap());
        let l1 = format!("IDVNM{l1_body}{}", check_digit(&l1_body).unwrap());
        let l2_start =
            format!("{birth}{}{sex}{expiry}{}VNM", check_digit(birth).unwrap(), check_digit(expiry).unwrap());
        let l2_opt = "<<<<<<<<<<<";
        let composite = format!("{}{}{}{}", &l1[5..30], &l2_start[0..7], &l2_start[8..15], l2_opt);
        let l2 = format!("{l2_start}{l2_opt}{}", check_digit(&composite).unwrap());
        format!("{l1}\n{l2}\n{name:<<30}")
    }

    #[test]
    fn a_vietnamese_card_gives_id_birth_date_and_name() {
        let mrz = vn_mrz("079070752696", "700704", 'M', "300704", "LE<<MINH<NAM");
        let card = parse_cccd_mrz(&mrz).unwrap();
        assert_eq!(card.personal_id.as_str(), "079070752696");
        assert_eq!(card.birth_date, NaiveDate::from_ymd_opt(1970, 7, 4).unwrap());
        assert_eq!(card.name_ascii, "LE MINH NAM");
        // OCR noise: spaces inside a line are tolerated.
        assert!(parse_cccd_mrz(&mrz.replacen("IDVNM", "IDV NM", 1)).is_ok());
        // A card whose ID says female, born 1987, cannot carry a 1970 male birth line.
        let wrong = vn_mrz("079187247726", "700704", 'M', "300704", "NGO<<THI<NGOC");
        assert!(matches!(parse_cccd_mrz(&wrong), Err(IdentityError::PersonalId(_))));
    }

    #[test]
    fn the_qr_text_prefills_the_applicant() {
        let qr = "079187247726|212345678|Ngô Thị Ngọc|19031987|Nữ|31 Hai Bà Trưng, phường Sài Gòn, TP. Hồ Chí Minh|15082021";
        let card = parse_cccd_qr(qr).unwrap();
        assert_eq!(card.old_id.as_deref(), Some("212345678"));
        assert_eq!(card.issued, NaiveDate::from_ymd_opt(2021, 8, 15).unwrap());
        let a = card.applicant();
        assert_eq!(a.name, "Ngô Thị Ngọc");
        assert_eq!(a.personal_id.unwrap().as_str(), "079187247726");
        assert!(
            parse_cccd_qr("079187247726||Ngô Thị Ngọc|19031987|Nam|x|15082021").is_err(),
            "sex disagrees with the ID"
        );
        assert!(parse_cccd_qr("079187247726|Ngô Thị Ngọc|19031987").is_err());
        assert!(
            parse_cccd_qr("079187247726||Ngô Thị Ngọc|31021987|Nữ|x|15082021").is_err(),
            "no 31 February"
        );
    }
}
