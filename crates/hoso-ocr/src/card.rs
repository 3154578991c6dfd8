//! Reading a citizen identity card (CCCD / Căn cước) from a scan, to pre-fill
//! the applicant: its QR code (full name with diacritics, ID, birth date, sex,
//! address) and its machine readable zone (ICAO TD1: ID, birth date, sex, name
//! without diacritics). Parsing and check digits are hoso-model's; this module
//! finds the text in the pixels.
//!
//! The QR code is exact when it decodes, so it is preferred. The MRZ is read by
//! Tesseract restricted to the MRZ alphabet; the check digits (7-3-1) reject a
//! misread, so a wrong ID is never offered, at worst nothing is.

use hoso_model::{Applicant, CccdMrz, CccdQr, IdentityError, parse_cccd_mrz, parse_cccd_qr};
use image::{DynamicImage, GrayImage};
use serde::{Deserialize, Serialize};

use crate::engine::{Api, Psm};
use crate::{Ocr, OcrError};

/// What could be read from a card image.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CardReading {
    pub qr: Option<CccdQr>,
    pub mrz: Option<CccdMrz>,
    /// Why a code that was found could not be used (e.g. a check digit failed).
    pub problems: Vec<String>,
}

impl CardReading {
    /// The applicant to pre-fill: from the QR code when read, else from the MRZ
    /// (name without diacritics, no address: the clerk completes it).
    pub fn applicant(&self) -> Option<Applicant> {
        if let Some(qr) = &self.qr {
            return Some(qr.applicant());
        }
        self.mrz.as_ref().map(|m| Applicant {
            name: m.name_ascii.clone(),
            personal_id: Some(m.personal_id.clone()),
            phone: None,
            address: None,
            identity: hoso_model::IdentityCheck::from(hoso_model::IdentitySource::Mrz),
        })
    }

    /// The applicant, or why the card gave none (for the clerk).
    pub fn applicant_or_why(&self) -> Result<Applicant, hoso_i18n::Localized> {
        self.applicant().ok_or_else(|| match self.problems.as_slice() {
            [] => hoso_i18n::err!("card-unread"),
            problems => hoso_i18n::err!("card-unread-because", why = problems.join("; ")),
        })
    }
}

/// Decodes every QR code in the image, returning their texts.
pub fn read_qr_codes(img: &GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare(img.clone());
    prepared.detect_grids().into_iter().filter_map(|grid| grid.decode().ok().map(|(_, text)| text)).collect()
}

/// The QR codes on a scanned page, looked for at half resolution: a separator
/// sheet's code is printed large (40 mm is 240 pixels at 150 dpi), and the
/// half-size page is four times quicker to search.
pub fn page_qr_codes(img: &DynamicImage) -> Vec<String> {
    // A grey scan is sampled where it lies; only a colour one is converted.
    let gray = hoso_imaging::gray_view(img);
    let half = GrayImage::from_fn(gray.width() / 2, gray.height() / 2, |x, y| *gray.get_pixel(2 * x, 2 * y));
    read_qr_codes(&half)
}

/// Candidate MRZs in OCR output: two consecutive lines of about 30 characters
/// (spaces removed, common misreads of the filler fixed) and the line after them
/// (the name, whose run of trailing fillers Tesseract often shortens), each
/// fitted to 30 characters. The check digits decide which candidate is real.
fn mrz_candidates(text: &str) -> Vec<String> {
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            l.chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| match c {
                    '«' | '‹' | '(' | '[' | '{' => '<',
                    c => c.to_ascii_uppercase(),
                })
                .collect::<String>()
        })
        .filter(|l| !l.is_empty())
        .collect();
    let fit = |l: &str| {
        let mut l: String = l.chars().take(30).collect();
        while l.chars().count() < 30 {
            l.push('<');
        }
        l
    };
    let full = |l: &String| (26..=34).contains(&l.chars().count());
    (0..lines.len().saturating_sub(1))
        .filter(|&i| full(&lines[i]) && full(&lines[i + 1]))
        .map(|i| {
            let name = lines.get(i + 2).map_or("", String::as_str);
            format!("{}\n{}\n{}", fit(&lines[i]), fit(&lines[i + 1]), fit(name))
        })
        .collect()
}

impl Ocr {
    /// Reads the QR code and the MRZ of a card scan (either side, or both sides
    /// on one page).
    pub fn read_card(&mut self, img: &DynamicImage) -> Result<CardReading, OcrError> {
        let gray = img.to_luma8();
        let mut reading = CardReading::default();
        for text in read_qr_codes(&gray) {
            match parse_cccd_qr(&text) {
                Ok(qr) => {
                    reading.qr = Some(qr);
                    break;
                }
                Err(e) => reading.problems.push(format!("QR: {e}")),
            }
        }
        let text = self.mrz_text(&hoso_imaging::ocr_gray(img))?;
        log::debug!("MRZ text: {text:?}");
        let mut last_error: Option<IdentityError> = None;
        for candidate in mrz_candidates(&text) {
            match parse_cccd_mrz(&candidate) {
                Ok(mrz) => {
                    reading.mrz = Some(mrz);
                    last_error = None;
                    break;
                }
                Err(e) => last_error = Some(e),
            }
        }
        if let Some(e) = last_error {
            reading.problems.push(format!("MRZ: {e}"));
        }
        Ok(reading)
    }

    /// OCR restricted to the MRZ alphabet, with an engine of its own (English
    /// model, whose Latin glyphs match OCR-B best) created on first use.
    fn mrz_text(&mut self, gray: &GrayImage) -> Result<String, OcrError> {
        if self.mrz.is_none() {
            let mut api = Api::new(self.library.as_deref(), self.datapath.as_deref(), "eng", false)?;
            api.set_psm(Psm::Auto);
            api.set_variable("debug_file", crate::NULL_DEVICE);
            api.set_variable("tessedit_char_whitelist", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<");
            api.set_variable("load_system_dawg", "0");
            api.set_variable("load_freq_dawg", "0");
            self.mrz = Some(api);
        }
        let api = self.mrz.as_mut().expect("created above");
        api.set_image(gray, 300)?;
        let tsv = api.recognise_tsv();
        api.clear();
        Ok(crate::words_to_text(&crate::parse_tsv(&tsv?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_fix_fillers_and_length() {
        let text = "CĂN CƯỚC\nIDVNM2050123452079205012345<<2\n8305194M3905190VNM<<<<<<<<<<<8\nNGUYEN<<VAN<AN<<<<<<<<<<<<<\n";
        let c = mrz_candidates(text);
        assert!(c[0].starts_with("IDVNM"), "{c:?}");
        assert!(c[0].lines().all(|l| l.len() == 30), "{c:?}");
        assert!(c[0].ends_with("NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"), "{c:?}");
    }
}
