//! Record codes per Circular 01/2018/TT-VPCP art. 19: `V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX`.
//!
//! The first part is the code of the receiving unit (e.g. `000.00.01.H29`), the
//! second the date of receipt in Vietnam's time zone, the third a 4-digit
//! sequence that restarts every day for that unit. Allocating the sequence is
//! the store's job, because only it can make it unique across processes.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, FixedOffset, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The largest daily sequence number a 4-digit field can hold.
pub const MAX_DAILY_SEQUENCE: u16 = 9999;

/// Vietnam's civil time, UTC+07:00 all year (no daylight saving time).
pub fn vn_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("+07:00 is a valid offset")
}

/// Code of a receiving unit, `V1V2V3.Z1Z2.Y1Y2.MX1X2`: three groups of 3, 2 and
/// 2 digits and a group of one capital letter and 2 digits, dot-separated.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitCode(String);

use hoso_i18n::msg;

/// Why a text is not a record code or a unit code. Messages say what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordCodeError {
    /// The unit part does not have the `DDD.DD.DD.LDD` shape.
    #[error("{}", msg!("record-code-unit", text = .0))]
    Unit(String),
    /// The text does not have three dash-separated parts.
    #[error("{}", msg!("record-code-shape", text = .0))]
    Shape(String),
    /// The date part is not a real date in `YYMMDD`.
    #[error("{}", msg!("record-code-date", text = .0))]
    Date(String),
    /// The sequence is not 4 digits between 0001 and 9999.
    #[error("{}", msg!("record-code-sequence", text = .0))]
    Sequence(String),
}

impl UnitCode {
    /// The code as written, e.g. `000.00.01.H29`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for UnitCode {
    type Err = RecordCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || RecordCodeError::Unit(s.to_owned());
        let parts: Vec<&str> = s.split('.').collect();
        let [a, b, c, d] = parts.as_slice() else { return Err(err()) };
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|c| c.is_ascii_digit());
        let last_ok = d.len() == 3
            && d.as_bytes()[0].is_ascii_uppercase()
            && d.as_bytes()[1..].iter().all(u8::is_ascii_digit);
        if digits(a, 3) && digits(b, 2) && digits(c, 2) && last_ok {
            Ok(UnitCode(s.to_owned()))
        } else {
            Err(err())
        }
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UnitCode({})", self.0)
    }
}

/// A full record code, e.g. `000.00.01.H29-250801-0001`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordCode {
    unit: UnitCode,
    date: NaiveDate,
    sequence: u16,
}

impl RecordCode {
    /// Builds a code; fails when the sequence is outside 1..=9999 or the year
    /// cannot be written in two digits (before 2000 or after 2099).
    pub fn new(unit: UnitCode, date: NaiveDate, sequence: u16) -> Result<Self, RecordCodeError> {
        if !(1..=MAX_DAILY_SEQUENCE).contains(&sequence) {
            return Err(RecordCodeError::Sequence(sequence.to_string()));
        }
        if !(2000..=2099).contains(&date.year()) {
            return Err(RecordCodeError::Date(date.to_string()));
        }
        Ok(RecordCode { unit, date, sequence })
    }

    /// The receiving unit.
    pub fn unit(&self) -> &UnitCode {
        &self.unit
    }

    /// The date of receipt (Vietnam time).
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The daily sequence, 1..=9999.
    pub fn sequence(&self) -> u16 {
        self.sequence
    }
}

impl fmt::Display for RecordCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:04}", self.unit, self.date.format("%y%m%d"), self.sequence)
    }
}

impl fmt::Debug for RecordCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordCode({self})")
    }
}

impl FromStr for RecordCode {
    type Err = RecordCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.split('-');
        let (Some(unit), Some(date), Some(seq), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(RecordCodeError::Shape(s.to_owned()));
        };
        let unit: UnitCode = unit.parse()?;
        let date_ok = date.len() == 6 && date.bytes().all(|c| c.is_ascii_digit());
        let date = date_ok
            .then(|| NaiveDate::parse_from_str(&format!("20{date}"), "%Y%m%d").ok())
            .flatten()
            .ok_or_else(|| RecordCodeError::Date(date.to_owned()))?;
        let seq_ok = seq.len() == 4 && seq.bytes().all(|c| c.is_ascii_digit());
        let sequence: u16 = seq_ok
            .then(|| seq.parse().ok())
            .flatten()
            .ok_or_else(|| RecordCodeError::Sequence(seq.to_owned()))?;
        RecordCode::new(unit, date, sequence)
    }
}

impl Serialize for RecordCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RecordCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for UnitCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for UnitCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_the_circular_example() {
        let code: RecordCode = "000.00.01.H29-250801-0001".parse().unwrap();
        assert_eq!(code.unit().as_str(), "000.00.01.H29");
        assert_eq!(code.date(), NaiveDate::from_ymd_opt(2025, 8, 1).unwrap());
        assert_eq!(code.sequence(), 1);
        assert_eq!(code.to_string(), "000.00.01.H29-250801-0001");
    }

    #[test]
    fn rejects_malformed_codes() {
        for bad in [
            "",
            "000.00.01.H29",
            "000.00.01.H29-250801",
            "000.00.01.H29-250801-0000",
            "000.00.01.H29-250801-10000",
            "000.00.01.H29-250801-00a1",
            "000.00.01.H29-250231-0001",
            "000.00.01.h29-250801-0001",
            "00.00.01.H29-250801-0001",
            "000.00.01.H2-250801-0001",
            "000.00.01.H29-2508011-0001",
            "000.00.01.H29-250801-0001-1",
            "000.00.01.H29-+50801-0001",
        ] {
            assert!(bad.parse::<RecordCode>().is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn sequence_range_is_enforced_when_building() {
        let unit: UnitCode = "000.00.01.H29".parse().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert!(RecordCode::new(unit.clone(), day, 0).is_err());
        assert!(RecordCode::new(unit.clone(), day, 10000).is_err());
        assert_eq!(RecordCode::new(unit, day, 9999).unwrap().to_string(), "000.00.01.H29-261123-9999");
    }
}
