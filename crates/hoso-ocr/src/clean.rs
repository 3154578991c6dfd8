//! Dropping what Tesseract reads out of things that are not text: form leader
//! dots, table rules, seals and signatures.
//!
//! Measured on the sample pages: seals and signatures come out as short words of
//! symbols with confidences under 30, dotted fill-in lines as runs of dots followed
//! by letters at confidence 0. Dates and record codes in tables, however, are often
//! right at confidence 0 too, so low confidence alone never removes a number.

use crate::Word;

/// Words below this confidence are dropped unless they look like a number, date or code.
const MIN_CONFIDENCE: f32 = 40.0;

/// Characters of table rules and cell borders that stick to words.
const RULES: &[char] = &['|', '_', '¦', '[', ']'];

/// Removes non-text words and trims rule characters off the rest.
pub(crate) fn clean_words(words: Vec<Word>) -> Vec<Word> {
    words
        .into_iter()
        .filter_map(|mut w| {
            let trimmed = w.text.trim_matches(RULES);
            if trimmed.is_empty() || is_leader(trimmed) {
                return None;
            }
            if trimmed.len() != w.text.len() {
                w.text = trimmed.to_owned();
            }
            (w.conf >= MIN_CONFIDENCE || looks_numeric(&w.text)).then_some(w)
        })
        .collect()
}

/// A run of leader characters: the dotted or dashed line of a form field.
fn is_leader(text: &str) -> bool {
    text.chars().count() >= 3
        && text.chars().all(|c| matches!(c, '.' | '…' | '_' | '-' | '–' | '—' | '·' | ':'))
}

/// Digits with separators: dates, ID numbers, record codes, amounts.
fn looks_numeric(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let others =
        text.chars().filter(|c| !c.is_ascii_digit() && !matches!(c, '/' | '.' | '-' | ',' | ':')).count();
    digits >= 2 && others * 4 <= digits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, conf: f32) -> Word {
        Word { text: text.into(), x: 0, y: 0, w: 1, h: 1, conf, block: 1, par: 1, line: 1 }
    }

    #[test]
    fn keeps_text_and_numbers_drops_junk() {
        let words = vec![
            word("Nam", 77.0),
            word(".............................", 27.0),
            word("T121", 0.0),
            word("€©5csx‹", 5.0),
            word("07/04/2025", 0.0),
            word("H29.25-250415-0669_", 54.0),
            word("|", 80.0),
            word("079070752696", 10.0),
        ];
        let kept: Vec<String> = clean_words(words).into_iter().map(|w| w.text).collect();
        assert_eq!(kept, ["Nam", "07/04/2025", "H29.25-250415-0669", "079070752696"]);
    }
}
