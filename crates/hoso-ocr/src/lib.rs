//! Text recognition of scanned pages with Tesseract, loaded at run time
//! (the system's `libtesseract.so.5` on Linux, the DLL shipped beside the
//! program on Windows; see `engine.rs`).
//!
//! - [`Ocr`] owns one text engine (Vietnamese by default, configurable) and one
//!   orientation engine; it is `Send` but not `Sync`: create one per worker thread.
//! - [`Ocr::read_page`] turns a page upright (orientation by Tesseract's OSD,
//!   deskew by projection profile, both from `hoso-imaging`), cleans a grey copy
//!   and recognises it into a [`PageText`]: the transform applied and every word
//!   with its box (in the upright page's pixels) and confidence.
//! - [`Ocr::read_card`] reads a citizen identity card's QR code and MRZ into a
//!   [`CardReading`] that pre-fills the applicant.
//!
//! Tesseract's OpenMP threads make it 3–7× slower on two cores; the process must
//! start with `OMP_THREAD_LIMIT=1` (the CLI re-executes itself to ensure it, see
//! `hoso_core::ensure_single_thread_ocr`). Parallelism comes from pages, one `Ocr`
//! per thread.

mod card;
mod clean;
mod engine;
mod tsv;

use std::path::PathBuf;
use std::time::Instant;

use hoso_imaging::{TurnUpright as _, Upright, estimate_skew, ocr_gray, reduce};
use image::DynamicImage;

pub use card::{CardReading, page_qr_codes, read_qr_codes};
use engine::{Api, Psm};
pub use tsv::parse_tsv;

/// The languages read by default. Vietnamese alone: its model carries the Latin
/// alphabet, so English words are read too, while `vie+eng` lets the English
/// model take whole upper-case lines and names and drop their diacritics
/// ("Ly Khanh Ha" for "Lý Khánh Hà"). Measured on the sample pages: mean CER
/// 0.072 with `vie`, 0.087 with `vie+eng`. Configurable (`ocr_languages`).
pub const DEFAULT_LANGUAGES: &str = "vie";

/// OSD answers below this confidence are ignored and the page is read as scanned.
/// Tesseract's own default (OCRmyPDF's 14) misses an upside-down sample page at 9.5;
/// a wrong quarter turn is caught afterwards by the confidence comparison.
const MIN_ORIENTATION_CONFIDENCE: f32 = 1.5;

/// A turned page whose words score below this mean confidence is read the other
/// way too, and the better reading is kept.
const RECHECK_CONFIDENCE: f32 = 70.0;

/// Where models come from and which languages to load.
#[derive(Debug, Clone, Default)]
pub struct OcrConfig {
    /// Folder holding `vie.traineddata`, `eng.traineddata`, `osd.traineddata`;
    /// the library's compiled-in default (or TESSDATA_PREFIX) when `None`.
    pub datapath: Option<PathBuf>,
    /// Tesseract language list ("vie", "vie+eng"), [`DEFAULT_LANGUAGES`] when empty.
    pub languages: String,
    /// The Tesseract library: a file, or a folder holding it. `None`: the system's
    /// `libtesseract.so.5` on Linux; on Windows the `tesseract*.dll` in
    /// `tesseract\` beside the program, or beside the program.
    pub library: Option<PathBuf>,
}

impl OcrConfig {
    /// The models folder in force: the configured one, else on Windows the
    /// `tessdata` folder the installer puts beside the program (Windows builds of
    /// Tesseract have no useful compiled-in default), else the library's default.
    pub fn models(&self) -> Option<PathBuf> {
        if self.datapath.is_some() {
            return self.datapath.clone();
        }
        if cfg!(windows) {
            let dir = program_dir()?.join("tessdata");
            return dir.is_dir().then_some(dir);
        }
        None
    }
}

/// The folder the running program lies in, where the Windows installer puts
/// Tesseract (`tesseract\`) and its models (`tessdata\`).
pub(crate) fn program_dir() -> Option<PathBuf> {
    std::env::current_exe().ok()?.parent().map(PathBuf::from)
}

/// Where Tesseract's chatter goes (it writes "Estimating resolution" and the like).
const NULL_DEVICE: &str = if cfg!(windows) { "NUL" } else { "/dev/null" };

/// Failures of the OCR engine.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("{}", hoso_i18n::msg!("ocr-no-library", tried = .tried))]
    Library { tried: String },
    #[error("{}", hoso_i18n::msg!("ocr-no-models", languages = .languages, datapath = .datapath))]
    Init { languages: String, datapath: String },
    #[error("{}", hoso_i18n::msg!("ocr-too-large", width = *.width, height = *.height))]
    ImageTooLarge { width: u32, height: u32 },
    #[error("{}", hoso_i18n::msg!("ocr-failed"))]
    Recognise,
}

pub(crate) use hoso_model::words_to_text;
/// What a page's reading found: hoso-model's page layout, the one type the
/// store keeps.
pub use hoso_model::{PageLayout as PageText, Word};

/// Mean confidence of a set of words (0 when empty).
fn mean_confidence(words: &[Word]) -> f32 {
    if words.is_empty() { 0.0 } else { words.iter().map(|w| w.conf).sum::<f32>() / words.len() as f32 }
}

/// A page reader for one thread.
#[derive(Debug)]
pub struct Ocr {
    text: Api,
    osd: Option<Api>,
    /// MRZ reader, created the first time a card is read.
    mrz: Option<Api>,
    library: Option<PathBuf>,
    datapath: Option<PathBuf>,
}

impl Ocr {
    /// Loads the models. Fails with a clear message when a language model is
    /// missing; a missing orientation model (`osd`) only disables orientation
    /// detection, with a warning.
    pub fn new(config: &OcrConfig) -> Result<Self, OcrError> {
        let languages = if config.languages.is_empty() { DEFAULT_LANGUAGES } else { &config.languages };
        let models = config.models();
        let (library, datapath) = (config.library.as_deref(), models.as_deref());
        let mut text = Api::new(library, datapath, languages, false)?;
        text.set_psm(Psm::Auto);
        text.set_variable("debug_file", NULL_DEVICE);
        let osd = match Api::new(library, datapath, "osd", true) {
            Ok(mut api) => {
                api.set_psm(Psm::OsdOnly);
                api.set_variable("debug_file", NULL_DEVICE);
                Some(api)
            }
            Err(e) => {
                log::warn!("{e}; pages are read as scanned, without orientation detection");
                None
            }
        };
        Ok(Self { text, osd, mrz: None, library: config.library.clone(), datapath: models })
    }

    /// The version of the Tesseract library `config` names and the file it was
    /// loaded from (diagnostics, and the engine string stored with each page).
    pub fn library(config: &OcrConfig) -> Result<(String, String), OcrError> {
        engine::describe(config.library.as_deref())
    }

    /// Reads a page: orientation, deskew, clean grey copy, recognition.
    /// `dpi` is the scan resolution (300 assumed when unknown).
    pub fn read_page(&mut self, img: &DynamicImage, dpi: Option<f32>) -> Result<PageText, OcrError> {
        self.read_page_as(img, dpi, None)
    }

    /// Like [`Ocr::read_page`], but `turn` (degrees clockwise, set by a person)
    /// replaces orientation detection when given.
    pub fn read_page_as(
        &mut self,
        img: &DynamicImage,
        dpi: Option<f32>,
        turn: Option<u16>,
    ) -> Result<PageText, OcrError> {
        let started = Instant::now();
        let dpi = dpi.filter(|d| *d >= 50.0).map_or(300, |d| d.round() as u32);
        let gray = ocr_gray(img);
        let t_gray = started.elapsed();
        if let Some(rotation) = turn {
            let page = self.read_turned(&gray, rotation % 360, dpi)?;
            return Ok(PageText { millis: started.elapsed().as_millis() as u64, ..page });
        }

        let (rotation, orientation_confidence) = match &mut self.osd {
            Some(osd) => {
                // OSD reads a half-size copy as well as the full page and in half the time.
                osd.set_image(&reduce(&gray, 2), dpi / 2)?;
                let found = osd.detect_orientation();
                osd.clear();
                match found {
                    Some((deg, conf)) if conf >= MIN_ORIENTATION_CONFIDENCE => (deg, conf),
                    Some((_, conf)) => (0, conf),
                    None => (0, 0.0),
                }
            }
            None => (0, 0.0),
        };

        let t_osd = started.elapsed();
        let mut best = self.read_turned(&gray, rotation, dpi)?;
        log::debug!(
            "timing: grey {t_gray:?}, osd {:?}, read {:?}",
            t_osd - t_gray,
            started.elapsed() - t_osd
        );
        if rotation != 0 && best.mean_confidence < RECHECK_CONFIDENCE {
            // OSD may be wrong on sparse pages; a wrong turn gives garbage with low
            // confidence, so read the page as scanned too and keep the better one.
            let as_scanned = self.read_turned(&gray, 0, dpi)?;
            if as_scanned.mean_confidence > best.mean_confidence {
                log::info!(
                    "orientation {rotation}° (OSD {orientation_confidence:.1}) read worse than as scanned; kept as scanned"
                );
                best = as_scanned;
            }
        }
        Ok(PageText { orientation_confidence, millis: started.elapsed().as_millis() as u64, ..best })
    }

    /// Turns the grey copy by `rotation`, deskews and recognises it.
    fn read_turned(
        &mut self,
        gray: &image::GrayImage,
        rotation: u16,
        dpi: u32,
    ) -> Result<PageText, OcrError> {
        let turned = Upright { rotation, skew_deg: 0.0 }.apply_gray(gray);
        let skew_deg = estimate_skew(&turned).unwrap_or(0.0);
        let upright = Upright { rotation, skew_deg };
        let t = Instant::now();
        let page = Upright { rotation: 0, skew_deg }.apply_gray(&turned);
        log::debug!("timing: skew+rotate {:?}", t.elapsed());
        self.text.set_image(&page, dpi)?;
        let tsv = self.text.recognise_tsv();
        self.text.clear();
        let words = clean::clean_words(parse_tsv(&tsv?));
        Ok(PageText {
            upright,
            orientation_confidence: 0.0,
            width: page.width(),
            height: page.height(),
            mean_confidence: mean_confidence(&words),
            words,
            millis: 0,
        })
    }
}
