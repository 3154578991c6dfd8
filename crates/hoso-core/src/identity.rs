//! Identity at reception: the card's chip read on the counter's reader
//! (hoso-chip), authenticated against the CSCA certificates IT configures
//! (`csca`), and judged for the record — the applicant filled from the chip,
//! "verified by chip" only when passive authentication held, the card is in
//! date and the chip agrees with the printed card. Every read is audited,
//! whatever it found.

use anyhow::Context;
use chrono::NaiveDate;
use hoso_chip::{ChipData, MrzKey, PassiveAuth};
use hoso_i18n::{Message, err, msg};
use hoso_model::{Applicant, IdentityCheck, IdentitySource, PersonalId, fold};
use serde::Serialize;
use serde_json::json;

use crate::App;

/// What the chip said, and what the counter makes of it.
#[derive(Debug, Clone, Serialize)]
pub struct ChipReading {
    /// The reader the card was on.
    pub reader: String,
    /// The chip's data (DG1's MRZ, DG13, the portrait's format).
    pub data: ChipData,
    /// Passive authentication.
    pub passive_auth: PassiveAuth,
    /// The applicant as the chip gives it, its `identity` saying how far it
    /// was verified.
    pub applicant: Applicant,
    /// What did not hold, for the clerk.
    pub problems: Vec<IdentityProblem>,
}

impl ChipReading {
    /// Verified by the chip: nothing failed.
    pub fn verified(&self) -> bool {
        self.applicant.identity.verified
    }

    /// DG13's fields that the applicant does not already show, as (label
    /// message id, value), in the card's order.
    pub fn details(&self) -> Vec<(&'static str, String)> {
        let Some(card) = &self.data.card else { return Vec::new() };
        [
            ("cli-label-birth", &card.birth_date),
            ("cli-label-sex", &card.sex),
            ("cli-label-nationality", &card.nationality),
            ("cli-label-ethnicity", &card.ethnicity),
            ("cli-label-religion", &card.religion),
            ("cli-label-origin", &card.place_of_origin),
            ("cli-label-residence", &card.place_of_residence),
            ("cli-label-marks", &card.identifying_marks),
            ("cli-label-issued", &card.issue_date),
            ("cli-label-expiry", &card.expiry_date),
            ("cli-label-father", &card.father),
            ("cli-label-mother", &card.mother),
            ("cli-label-spouse", &card.spouse),
            ("cli-label-old-id", &card.old_id),
        ]
        .into_iter()
        .filter_map(|(label, value)| Some((label, value.clone()?)))
        .collect()
    }

    /// The applicant, or why the chip's data may not fill it: a chip whose
    /// data failed passive authentication is refused.
    pub fn applicant_or_refusal(&self) -> Result<Applicant, hoso_i18n::Localized> {
        match &self.passive_auth.fault {
            Some(fault) => Err(err!("chip-refused", why = fault.message())),
            None => Ok(self.applicant.clone()),
        }
    }

    /// The identity check of a record opened with `form` after this read:
    /// the chip's, with a mismatch added where the form no longer says what
    /// the chip said (a name or ID changed by hand). `None` when the form is
    /// another person's (its ID is not the chip's), or the chip was refused.
    pub fn identity_for(&self, form: &Applicant) -> Option<IdentityCheck> {
        if !self.passive_auth.passed() || form.personal_id != self.applicant.personal_id {
            return None;
        }
        let mut identity = self.applicant.identity.clone();
        if !same_name(&form.name, &self.applicant.name) {
            identity.problems.push("mismatch:name".into());
            identity.verified = false;
        }
        Some(identity)
    }
}

/// Something the clerk must see about a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum IdentityProblem {
    /// The chip's data failed passive authentication.
    NotAuthentic { why: String },
    /// The card's expiry date has passed.
    Expired { expiry: NaiveDate },
    /// The chip and the printed card (or the form) disagree on a field.
    Mismatch { field: &'static str, chip: String, other: String },
}

impl IdentityProblem {
    pub fn code(&self) -> String {
        match self {
            IdentityProblem::NotAuthentic { why } => format!("passive_auth:{why}"),
            IdentityProblem::Expired { .. } => "expired".into(),
            IdentityProblem::Mismatch { field, .. } => format!("mismatch:{field}"),
        }
    }

    pub fn message(&self) -> Message {
        match self {
            IdentityProblem::NotAuthentic { .. } => msg!("identity-problem-not-authentic"),
            IdentityProblem::Expired { expiry } => {
                msg!("identity-problem-expired", expiry = expiry.format("%d/%m/%Y").to_string())
            }
            IdentityProblem::Mismatch { field, chip, other } => {
                msg!(
                    "identity-problem-mismatch",
                    field = *field,
                    chip = chip.as_str(),
                    other = other.as_str()
                )
            }
        }
    }
}

impl App {
    /// Reads the card on `reader` (the configured `card_reader`, else the
    /// first reader with a card) with `key`, authenticates it, compares it
    /// with `printed` (what was read off the printed card or typed, when
    /// known), and audits the read.
    pub fn read_chip(
        &mut self,
        reader: Option<&str>,
        key: &MrzKey,
        printed: Option<&Applicant>,
    ) -> anyhow::Result<ChipReading> {
        self.require_signed_in()?;
        let reader = reader.or(self.config.card_reader.as_deref());
        let mut link = hoso_chip::reader::connect(reader)?;
        let data = hoso_chip::read(&mut link, key)?;
        let roots = match &self.config.csca {
            Some(path) => crate::certify::read_roots(path).context(err!("chip-csca-unreadable"))?,
            None => hoso_sign::TrustRoots::default(),
        };
        let at = crate::now();
        let passive_auth = data.authenticate(&roots, at.timestamp());
        let reading = judge(link.reader.clone(), data, passive_auth, printed, at);
        self.store.audit_event(
            "identity.chip",
            &reading.applicant.personal_id.as_ref().map(|p| p.to_string()).unwrap_or_default(),
            &json!({
                "reader": reading.reader,
                "access": reading.data.access,
                "verified": reading.verified(),
                "passive_auth": reading.applicant.identity.passive_auth,
                "signer": reading.passive_auth.signer,
                "problems": reading.applicant.identity.problems,
            }),
            self.actor.name(),
            at,
        )?;
        if !reading.verified() {
            log::warn!(
                "chip read on {}: not verified ({})",
                reading.reader,
                reading.applicant.identity.problems.join(", ")
            );
        }
        Ok(reading)
    }
}

/// The applicant the chip gives, and what does not hold.
pub(crate) fn judge(
    reader: String,
    data: ChipData,
    passive_auth: PassiveAuth,
    printed: Option<&Applicant>,
    at: chrono::DateTime<chrono::FixedOffset>,
) -> ChipReading {
    let mut problems = Vec::new();
    if let Some(fault) = &passive_auth.fault {
        problems.push(IdentityProblem::NotAuthentic { why: fault.code() });
    }
    let mrz = hoso_model::parse_cccd_mrz(&data.mrz).ok();
    let card = data.card.clone().unwrap_or_default();
    let chip_id: Option<PersonalId> = card
        .personal_id
        .as_deref()
        .and_then(|s| s.parse().ok())
        .or_else(|| mrz.as_ref().map(|m| m.personal_id.clone()));
    if let (Some(m), Some(dg13)) = (&mrz, card.personal_id.as_deref())
        && m.personal_id.as_str() != dg13
    {
        problems.push(IdentityProblem::Mismatch {
            field: "personal_id",
            chip: dg13.to_owned(),
            other: m.personal_id.to_string(),
        });
    }
    let name =
        card.full_name.clone().or_else(|| mrz.as_ref().map(|m| m.name_ascii.clone())).unwrap_or_default();
    // The MRZ's name is the chip's name in capitals without diacritics.
    if let (Some(m), Some(full)) = (&mrz, card.full_name.as_deref())
        && !same_name(full, &m.name_ascii)
    {
        problems.push(IdentityProblem::Mismatch {
            field: "name",
            chip: full.to_owned(),
            other: m.name_ascii.clone(),
        });
    }
    let expiry = expiry_of(&card, mrz.as_ref());
    if let Some(expiry) = expiry
        && expiry < at.date_naive()
    {
        problems.push(IdentityProblem::Expired { expiry });
    }
    if let Some(printed) = printed {
        if let (Some(p), Some(c)) = (&printed.personal_id, &chip_id)
            && p != c
        {
            problems.push(IdentityProblem::Mismatch {
                field: "personal_id",
                chip: c.to_string(),
                other: p.to_string(),
            });
        }
        if !printed.name.trim().is_empty() && !same_name(&printed.name, &name) {
            problems.push(IdentityProblem::Mismatch {
                field: "name",
                chip: name.clone(),
                other: printed.name.clone(),
            });
        }
    }
    let identity = IdentityCheck {
        source: IdentitySource::Chip,
        verified: problems.is_empty(),
        checked_at: Some(at),
        passive_auth: Some(passive_auth.code()),
        signer: passive_auth.signer.clone(),
        csca: passive_auth.csca.clone(),
        card_expiry: expiry,
        problems: problems.iter().map(IdentityProblem::code).collect(),
    };
    let applicant = Applicant {
        name,
        personal_id: chip_id,
        phone: printed.and_then(|p| p.phone.clone()),
        address: card.place_of_residence.clone().or_else(|| printed.and_then(|p| p.address.clone())),
        identity,
    };
    ChipReading { reader, data, passive_auth, applicant, problems }
}

/// Names compared as people read them: case, spacing and diacritics aside
/// (the MRZ has none), so "Lê Minh Nam" is "LE MINH NAM".
fn same_name(a: &str, b: &str) -> bool {
    let words = |s: &str| {
        fold(s)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    words(a) == words(b)
}

/// The card's expiry: DG13's date (dd/mm/yyyy), else DG1's (YYMMDD, this
/// century). A card with no expiry ("Không thời hạn") has none.
fn expiry_of(card: &hoso_chip::CardData, mrz: Option<&hoso_model::CccdMrz>) -> Option<NaiveDate> {
    card.expiry_date.as_deref().and_then(|s| NaiveDate::parse_from_str(s.trim(), "%d/%m/%Y").ok()).or_else(
        || {
            let yymmdd = &mrz?.expiry_yymmdd;
            NaiveDate::parse_from_str(&format!("20{yymmdd}"), "%Y%m%d").ok()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mrz(expiry: &str) -> String {
        let doc = "070752696";
        let line1 =
            format!("{:<<30}", format!("IDVNM{doc}{}079070752696", hoso_model::check_digit(doc).unwrap()));
        let digit = |s: &str| hoso_model::check_digit(s).unwrap();
        let mut line2 = format!("700704{}M{expiry}{}VNM", digit("700704"), digit(expiry));
        line2 = format!("{line2:<<29}");
        let composite = format!("{}{}{}{}", &line1[5..30], &line2[0..7], &line2[8..15], &line2[18..29]);
        line2.push(char::from(b'0' + hoso_model::check_digit(&composite).unwrap()));
        format!("{line1}\n{line2}\n{:<<30}", "LE<<MINH<NAM")
    }

    fn reading(expiry: &str, printed: Option<&Applicant>, fault: Option<hoso_chip::PaFault>) -> ChipReading {
        let card = hoso_chip::CardData {
            personal_id: Some("079070752696".into()),
            full_name: Some("Lê Minh Nam".into()),
            place_of_residence: Some("12 Lý Tự Trọng".into()),
            ..Default::default()
        };
        let data = ChipData {
            access: "BAC".into(),
            listed: vec![1, 13],
            mrz: mrz(expiry),
            card: Some(card),
            portrait: None,
            files: vec![],
            sod: None,
        };
        let pa = PassiveAuth {
            fault,
            signer: Some("DS".into()),
            csca: Some("CSCA".into()),
            hash: Some("SHA-256"),
            groups: vec![1, 13],
        };
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-06T10:00:00+07:00").unwrap();
        judge("reader".into(), data, pa, printed, at)
    }

    #[test]
    fn an_authentic_card_in_date_that_agrees_is_verified() {
        assert!(hoso_model::parse_cccd_mrz(&mrz("300704")).is_ok(), "{}", mrz("300704"));
        let r = reading("300704", None, None);
        assert!(r.verified(), "{:?}", r.problems);
        assert_eq!(r.applicant.name, "Lê Minh Nam");
        assert_eq!(r.applicant.identity.card_expiry, NaiveDate::from_ymd_opt(2030, 7, 4));
        assert_eq!(r.applicant.identity.passive_auth.as_deref(), Some("passed"));
    }

    #[test]
    fn an_expired_card_a_mismatch_and_a_failed_authentication_are_said() {
        let r = reading("200704", None, None);
        assert_eq!(r.applicant.identity.problems, ["expired"]);
        assert!(!r.verified() && r.applicant_or_refusal().is_ok(), "expired: shown, not refused");

        let printed = Applicant {
            name: "Lê Minh Nam".into(),
            personal_id: Some("079187247726".parse().unwrap()),
            ..Default::default()
        };
        let r = reading("300704", Some(&printed), None);
        assert_eq!(r.applicant.identity.problems, ["mismatch:personal_id"]);
        // The printed name without diacritics is the same name.
        let printed = Applicant { name: "LE MINH NAM".into(), ..Default::default() };
        assert!(reading("300704", Some(&printed), None).verified());

        let r = reading("300704", None, Some(hoso_chip::PaFault::Changed(vec![13])));
        assert_eq!(r.applicant.identity.problems, ["passive_auth:changed"]);
        assert!(r.applicant_or_refusal().is_err(), "a changed chip is refused");
    }

    #[test]
    fn a_record_is_from_the_chip_only_while_the_form_says_what_it_said() {
        let r = reading("300704", None, None);
        let mut form = r.applicant.clone();
        form.identity = IdentityCheck::default();
        assert!(r.identity_for(&form).is_some_and(|i| i.verified));
        form.name = "Lê Minh Hùng".into();
        let changed = r.identity_for(&form).unwrap();
        assert!(!changed.verified && changed.problems == ["mismatch:name"]);
        form.personal_id = Some("079187247726".parse().unwrap());
        assert!(r.identity_for(&form).is_none(), "another person's ID: not this chip's");
    }
}
