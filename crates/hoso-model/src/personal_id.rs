//! The 12-digit personal identification number (số định danh cá nhân) printed on
//! the CCCD / Căn cước card.
//!
//! Structure (Circular 07/2016/TT-BCA, kept by Circular 59/2021/TT-BCA): three
//! digits for the province where the birth was registered, one digit for
//! century and sex, two digits for the year of birth, six random digits. There
//! is no check digit, so validation checks the structure and, where the
//! caller knows them, agreement with the birth year and sex.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Province codes of the 63 provinces listed in Circular 07/2016/TT-BCA. IDs keep
/// their code after the 2025 merger of provinces, so the list does not change.
const PROVINCE_CODES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40,
    42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83,
    84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
];

/// Sex as coded in the ID's fourth digit (even: male, odd: female).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    /// "Nam".
    Male,
    /// "Nữ".
    Female,
}

/// A structurally valid 12-digit personal ID.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PersonalId(String);
use hoso_i18n::msg;

/// Why a text is not a personal ID; messages say what a valid one looks like.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PersonalIdError {
    /// Not exactly 12 ASCII digits.
    #[error("{}", msg!("personal-id-shape", text = .0))]
    Shape(String),
    /// The first three digits are not a province code.
    #[error("{}", msg!("personal-id-province", text = .0))]
    Province(String),
    /// The ID's birth year or sex disagrees with what the caller knows.
    #[error("{}", msg!(
        "personal-id-mismatch",
        id = .id,
        id_year = *.id_year,
        id_sex = format!("{:?}", .id_sex),
        year = *.year,
        sex = format!("{:?}", .sex)
    ))]
    Mismatch {
        /// The ID.
        id: String,
        /// Year encoded in the ID.
        id_year: i32,
        /// Sex encoded in the ID.
        id_sex: Sex,
        /// Year given.
        year: i32,
        /// Sex given.
        sex: Sex,
    },
}

impl PersonalId {
    /// The twelve digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Province code of birth registration, e.g. 79 for Ho Chi Minh City.
    pub fn province(&self) -> u16 {
        self.0[..3].parse().expect("validated digits")
    }

    fn century_digit(&self) -> i32 {
        i32::from(self.0.as_bytes()[3] - b'0')
    }

    /// Sex coded in the fourth digit.
    pub fn sex(&self) -> Sex {
        if self.century_digit() % 2 == 0 { Sex::Male } else { Sex::Female }
    }

    /// Full year of birth: century from the fourth digit (0/1 → 1900s, 2/3 →
    /// 2000s, …), year from the fifth and sixth.
    pub fn birth_year(&self) -> i32 {
        let yy: i32 = self.0[4..6].parse().expect("validated digits");
        1900 + 100 * (self.century_digit() / 2) + yy
    }

    /// Checks the ID against a birth year and sex read elsewhere (a form, the MRZ).
    pub fn check_against(&self, year: i32, sex: Sex) -> Result<(), PersonalIdError> {
        if self.birth_year() == year && self.sex() == sex {
            return Ok(());
        }
        Err(PersonalIdError::Mismatch {
            id: self.0.clone(),
            id_year: self.birth_year(),
            id_sex: self.sex(),
            year,
            sex,
        })
    }
}

impl FromStr for PersonalId {
    type Err = PersonalIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != 12 || !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(PersonalIdError::Shape(s.to_owned()));
        }
        let province: u16 = s[..3].parse().expect("digits");
        if PROVINCE_CODES.binary_search(&province).is_err() {
            return Err(PersonalIdError::Province(s.to_owned()));
        }
        Ok(PersonalId(s.to_owned()))
    }
}

impl fmt::Display for PersonalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PersonalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonalId({})", self.0)
    }
}

impl Serialize for PersonalId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for PersonalId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn province_table_is_sorted_for_binary_search() {
        assert!(PROVINCE_CODES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn decodes_the_sample_forms() {
        // dev_p01: NGÔ THỊ NGỌC, born 19/03/1987, Nữ; dev_p06: Lê Minh Nam, 04/07/1970, Nam.
        let ngoc: PersonalId = "079187247726".parse().unwrap();
        assert_eq!((ngoc.province(), ngoc.birth_year(), ngoc.sex()), (79, 1987, Sex::Female));
        ngoc.check_against(1987, Sex::Female).unwrap();
        let nam: PersonalId = "079070752696".parse().unwrap();
        assert_eq!((nam.birth_year(), nam.sex()), (1970, Sex::Male));
        assert!(nam.check_against(1971, Sex::Male).is_err());
        assert!(nam.check_against(1970, Sex::Female).is_err());
        let young: PersonalId = "001305000001".parse().unwrap();
        assert_eq!((young.birth_year(), young.sex()), (2005, Sex::Female));
    }

    #[test]
    fn rejects_bad_shapes_and_provinces() {
        for bad in ["", "07918724772", "0791872477260", "07918724772a", "079 18724772", "٠٧٩١٨٧٢٤٧٧٢٦"]
        {
            assert!(matches!(bad.parse::<PersonalId>(), Err(PersonalIdError::Shape(_))), "{bad:?}");
        }
        for bad in ["000187247726", "003187247726", "097187247726", "999187247726"] {
            assert!(matches!(bad.parse::<PersonalId>(), Err(PersonalIdError::Province(_))), "{bad:?}");
        }
    }
}
