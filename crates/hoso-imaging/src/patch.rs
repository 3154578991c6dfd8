//! Patch codes: the four-bar marks Kodak made for separating documents in a
//! scanner's feeder, which counters already keep as printed sheets.
//!
//! A patch code is four dark bars side by side, two wide (0.20 inch) and two
//! narrow (0.08 inch), with narrow spaces (0.08 inch) between them: 0.80 inch
//! across, and the bars at least 2 inches long (2.5 inches recommended), with
//! a quiet zone around. Which bars are wide names the patch; Patch T
//! ("transfer", the document separator) is narrow, wide, narrow, wide. The
//! values come from the published requirements the capture products repeat
//! (bar and space widths, length, quiet zone) and their symbol tables, which
//! agree on Patch T, 4 and 6.
//!
//! [`find_patch_codes`] reads a scanned page at its own resolution: every
//! 0.04 inch it runs along a row (and a column, for bars printed the other
//! way), measures dark and light runs, and keeps four bars that fit the
//! widths; a mark counts when the same bars stand in the same place over at
//! least an inch of rows, which lines of text never do.

use image::{DynamicImage, GrayImage};

/// A patch code found on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchCode {
    /// Patch T (transfer): narrow, wide, narrow, wide. The document separator.
    T,
    /// Another patch: the four bars' widths, the first bar highest, 1 = wide.
    Other(u8),
}

impl PatchCode {
    fn of(bits: u8) -> PatchCode {
        if bits == 0b0101 { PatchCode::T } else { PatchCode::Other(bits) }
    }
}

/// Inches of each part, nominal.
const NARROW_IN: f32 = 0.08;
const WIDE_IN: f32 = 0.20;
/// Rows and columns looked at, this far apart.
const STEP_IN: f32 = 0.04;
/// The bars must stand this long, at least (the standard asks for 2 inches;
/// a sheet fed a little aslant or a crop keeps less).
const MIN_LENGTH_IN: f32 = 1.0;
/// Light on both sides of the four bars, at least.
const QUIET_IN: f32 = 0.10;
/// Darker than this (0-255) is a bar.
const DARK: u8 = 128;

/// The patch codes on a page scanned at `dpi`.
pub fn find_patch_codes(img: &DynamicImage, dpi: f32) -> Vec<PatchCode> {
    if !(50.0..=2400.0).contains(&dpi) {
        return Vec::new();
    }
    let gray = crate::gray_view(img);
    let mut found = Vec::new();
    for across_rows in [true, false] {
        for code in marks(&gray, dpi, across_rows) {
            if !found.contains(&code) {
                found.push(code);
            }
        }
    }
    found
}

/// Four bars seen on one line: where they start and end, and which are wide.
#[derive(Debug, Clone, Copy)]
struct Hit {
    line: u32,
    start: u32,
    end: u32,
    bits: u8,
}

/// The marks whose bars cross the rows (`across_rows`) or the columns.
fn marks(gray: &GrayImage, dpi: f32, across_rows: bool) -> Vec<PatchCode> {
    let (len, lines) =
        if across_rows { (gray.width(), gray.height()) } else { (gray.height(), gray.width()) };
    let step = ((STEP_IN * dpi) as u32).max(1);
    let pixel = |line: u32, i: u32| {
        let (x, y) = if across_rows { (i, line) } else { (line, i) };
        gray.get_pixel(x, y)[0]
    };
    let mut hits: Vec<Hit> = Vec::new();
    let mut runs = Vec::new();
    for line in (0..lines).step_by(step as usize) {
        runs.clear();
        let mut start = 0;
        let mut dark = pixel(line, 0) < DARK;
        for i in 1..len {
            let d = pixel(line, i) < DARK;
            if d != dark {
                runs.push((dark, start, i - start));
                start = i;
                dark = d;
            }
        }
        runs.push((dark, start, len - start));
        hits.extend(bars_on_line(&runs, dpi).map(|(start, end, bits)| Hit { line, start, end, bits }));
    }
    // The same bars in the same place, line after line, for an inch or more.
    let near = (0.05 * dpi) as u32;
    let need = (MIN_LENGTH_IN / STEP_IN) as usize;
    let mut codes = Vec::new();
    let mut used = vec![false; hits.len()];
    for i in 0..hits.len() {
        if used[i] {
            continue;
        }
        let first = hits[i];
        let mut last_line = first.line;
        let mut count = 0;
        for (j, h) in hits.iter().enumerate().skip(i) {
            if used[j] || h.bits != first.bits || h.start.abs_diff(first.start) > near {
                continue;
            }
            if h.end.abs_diff(first.end) > near || h.line > last_line + 3 * step {
                continue;
            }
            used[j] = true;
            last_line = h.line;
            count += 1;
        }
        if count >= need {
            let code = PatchCode::of(first.bits);
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
    }
    codes
}

/// Four bars with narrow spaces between them and quiet light around, among a
/// line's runs (dark or not, start, length): their start, end and which are wide.
fn bars_on_line(runs: &[(bool, u32, u32)], dpi: f32) -> impl Iterator<Item = (u32, u32, u8)> + '_ {
    let (narrow, wide) = (NARROW_IN * dpi, WIDE_IN * dpi);
    let quiet = (QUIET_IN * dpi) as u32;
    let is_narrow = move |n: u32| (0.55 * narrow..=1.6 * narrow).contains(&(n as f32));
    let is_wide = move |n: u32| (0.75 * wide..=1.35 * wide).contains(&(n as f32));
    (0..runs.len().saturating_sub(6)).filter_map(move |i| {
        let window = &runs[i..i + 7];
        if !window[0].0 {
            return None;
        }
        // Light before and after: a quiet zone, or the edge of the page.
        let before = i.checked_sub(1).map_or(u32::MAX, |b| runs[b].2);
        let after = runs.get(i + 7).map_or(u32::MAX, |r| r.2);
        if before < quiet || after < quiet {
            return None;
        }
        let mut bits = 0u8;
        for (k, &(dark, _, n)) in window.iter().enumerate() {
            if k % 2 == 1 {
                if dark || !is_narrow(n) {
                    return None;
                }
                continue;
            }
            bits <<= 1;
            if is_wide(n) {
                bits |= 1;
            } else if !is_narrow(n) {
                return None;
            }
        }
        (bits.count_ones() == 2).then(|| (window[0].1, window[6].1 + window[6].2, bits))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    /// A white A4 page at `dpi` with a patch (`bits`, first bar highest) drawn
    /// `length` inches long, its bars across the rows or down the columns.
    fn sheet(dpi: f32, bits: u8, length: f32, across_rows: bool) -> GrayImage {
        let (w, h) = ((8.27 * dpi) as u32, (11.69 * dpi) as u32);
        let mut img = GrayImage::from_pixel(w, h, Luma([245]));
        let mut at = 2.0 * dpi;
        let mut spans = Vec::new();
        for k in (0..4).rev() {
            let width = if bits >> k & 1 == 1 { WIDE_IN } else { NARROW_IN } * dpi;
            spans.push((at as u32, (at + width) as u32));
            at += width + NARROW_IN * dpi;
        }
        let (from, to) = ((3.0 * dpi) as u32, ((3.0 + length) * dpi) as u32);
        for (a, b) in spans {
            for along in a..b {
                for cross in from..to {
                    let (x, y) = if across_rows { (along, cross) } else { (cross, along) };
                    img.put_pixel(x, y, Luma([25]));
                }
            }
        }
        img
    }

    fn found(img: GrayImage, dpi: f32) -> Vec<PatchCode> {
        find_patch_codes(&DynamicImage::ImageLuma8(img), dpi)
    }

    #[test]
    fn patch_t_is_found_either_way_round_at_counter_resolutions() {
        for dpi in [200.0, 300.0] {
            assert_eq!(found(sheet(dpi, 0b0101, 2.5, true), dpi), [PatchCode::T], "{dpi} dpi");
            assert_eq!(found(sheet(dpi, 0b0101, 2.5, false), dpi), [PatchCode::T], "{dpi} dpi, turned");
        }
        assert_eq!(found(sheet(300.0, 0b0110, 2.5, true), 300.0), [PatchCode::Other(0b0110)]);
        // At 150 dpi for a 300 dpi mark, the widths do not fit.
        assert_eq!(found(sheet(300.0, 0b0101, 2.5, true), 150.0), []);
    }

    #[test]
    fn short_bars_text_and_plain_pages_are_no_patch() {
        assert_eq!(found(sheet(300.0, 0b0101, 0.5, true), 300.0), [], "half an inch");
        // Lines of "words": dark runs of every width, no line over an inch long in place.
        let text = GrayImage::from_fn(2480, 3508, |x, y| {
            let ink = (y / 30) % 2 == 1 && ((x * 7 + y / 60 * 13) / 22) % 6 != 5 && (200..2280).contains(&x);
            Luma([if ink { 20 } else { 250 }])
        });
        assert_eq!(found(text, 300.0), []);
        assert_eq!(found(GrayImage::from_pixel(2480, 3508, Luma([250])), 300.0), []);
        assert_eq!(found(GrayImage::from_pixel(10, 10, Luma([0])), 0.0), [], "no resolution");
    }
}
