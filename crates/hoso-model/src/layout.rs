//! What OCR found on a page, as the store keeps it and the PDF writer, the
//! record view and the CLI read it: the transform that made the page upright,
//! and every word with its box and confidence. One type from Tesseract to the
//! store and back (the store writes it as JSON; reading it back is this type's
//! `Deserialize`, never a lookup by key).

use serde::{Deserialize, Serialize};

/// How to turn a scanned page upright: first a quarter-turn correction, then a
/// small rotation that removes the skew (applied to images by `hoso-imaging`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Upright {
    /// Clockwise degrees the content is turned on the scan (0, 90, 180, 270);
    /// the page is turned back counter-clockwise by this much.
    pub rotation: u16,
    /// Counter-clockwise skew of the text lines in degrees, after the quarter
    /// turn; the page is turned clockwise by this much.
    pub skew_deg: f32,
}

/// One recognised word, its box in the upright page's pixels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub text: String,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    /// Tesseract's confidence, 0–100.
    pub conf: f32,
    pub block: u32,
    pub par: u32,
    pub line: u32,
}

impl Word {
    /// The line the word is on, unique within the page (block, paragraph, line).
    pub fn line_key(&self) -> u64 {
        u64::from(self.block) << 32 | u64::from(self.par) << 16 | u64::from(self.line)
    }
}

/// The result of reading one page.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PageLayout {
    /// The transform that made the page upright; word boxes are in its output.
    pub upright: Upright,
    /// OSD's confidence in the quarter turn (0 when it could not tell).
    pub orientation_confidence: f32,
    /// Size of the upright page in pixels.
    pub width: u32,
    pub height: u32,
    pub words: Vec<Word>,
    /// Mean word confidence, 0–100 (0 without words).
    pub mean_confidence: f32,
    pub millis: u64,
}

impl PageLayout {
    /// The page's text: words joined by spaces, lines by newlines, paragraphs and
    /// blocks by an empty line.
    pub fn text(&self) -> String {
        words_to_text(&self.words)
    }
}

/// Joins words in reading order: spaces within a line, newlines between lines,
/// an empty line between paragraphs and blocks.
pub fn words_to_text(words: &[Word]) -> String {
    let mut out = String::new();
    let mut last: Option<(u32, u32, u32)> = None;
    for w in words {
        let key = (w.block, w.par, w.line);
        match last {
            Some((b, p, _)) if (b, p) != (key.0, key.1) => out.push_str("\n\n"),
            Some(l) if l != key => out.push('\n'),
            Some(_) => out.push(' '),
            None => {}
        }
        out.push_str(&w.text);
        last = Some(key);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layout_reads_back_as_written_and_an_older_partial_one_still_reads() {
        let word = |text: &str, line: u32| Word {
            text: text.into(),
            x: 1,
            y: 2,
            w: 3,
            h: 4,
            conf: 91.5,
            block: 1,
            par: 1,
            line,
        };
        let layout = PageLayout {
            upright: Upright { rotation: 90, skew_deg: 1.25 },
            width: 2480,
            height: 3508,
            words: vec![word("Đơn", 1), word("đề", 1), word("nghị", 2)],
            ..PageLayout::default()
        };
        let json = serde_json::to_string(&layout).unwrap();
        assert_eq!(serde_json::from_str::<PageLayout>(&json).unwrap(), layout);
        assert_eq!(layout.text(), "Đơn đề\nnghị");
        assert_ne!(layout.words[1].line_key(), layout.words[2].line_key());
        let partial: PageLayout =
            serde_json::from_str(r#"{"upright":{"rotation":180,"skew_deg":0.0}}"#).unwrap();
        assert_eq!((partial.upright.rotation, partial.words.len()), (180, 0));
    }
}
