//! Page measurements for the quality gate and previews.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, GrayImage};
use serde::{Deserialize, Serialize};

/// What a page looks like, measured on a 4× reduced copy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PageMetrics {
    /// Mean brightness, 0 (black) to 255 (white).
    pub mean_luma: f32,
    /// Share of the page (margins excluded) darker than its surroundings: text, lines, stamps.
    pub ink_ratio: f32,
    /// Share of pixels with a clear hue (seals, colour photos).
    pub colour_ratio: f32,
    /// Whether the page should be stored in colour (a seal or photo is visible).
    pub is_colour: bool,
    /// Whether the page looks empty (a blank back side); flagged for review, never dropped.
    pub looks_blank: bool,
    /// Typical paper brightness (median of the local paper levels), 0–255.
    #[serde(default)]
    pub paper_level: f32,
    /// Brightness of the darkest ink (a low percentile of the content area), 0–255.
    #[serde(default)]
    pub ink_level: f32,
    /// Edge sharpness: mean |Laplacian| over mean |gradient| at edges, at full
    /// resolution. About 0.5–0.9 for sharp 300 dpi print, falls as blur widens edges.
    #[serde(default)]
    pub sharpness: f32,
    /// Share of full-resolution pixels in the middle half between ink and paper:
    /// low for text on paper, high for photos and shaded originals.
    #[serde(default)]
    pub midtone_ratio: f32,
    /// How the page should be kept: colour, grey, or black-and-white text.
    #[serde(default)]
    pub class: PageClass,
}

/// What a page is, for storage and encoding: colour originals stay colour
/// (Circular 05/2025), grey photos stay grey, plain text may go to one bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageClass {
    Colour,
    #[default]
    Gray,
    Bilevel,
}

/// Below this [`PageMetrics::midtone_ratio`] a grey page is plain text. Sample
/// text pages measure well below it; photos and shaded forms above.
const BILEVEL_MIDTONES: f32 = 0.02;

/// Ink darker than the local paper by this much (0–255) counts as content.
const INK_CONTRAST: i16 = 32;
/// Below this share of ink a page looks blank; a sparse last page with one
/// sentence and a page number has about ten times more.
const BLANK_INK_RATIO: f32 = 0.0015;
/// A pixel whose channels spread by this much has a hue.
const CHROMA: u8 = 48;
/// Above this share of hued pixels a page is colour.
const COLOUR_RATIO: f32 = 0.002;

/// Measures a page. Work is proportional to the pixels, one pass each for
/// reduction, local background and counting.
pub fn measure(img: &DynamicImage) -> PageMetrics {
    let full = img.to_luma8();
    let sharpness = sharpness(&full);
    let small = reduce(&full, 4);
    let (w, h) = small.dimensions();
    let mean_luma = if w * h == 0 {
        255.0
    } else {
        small.pixels().map(|p| f64::from(p.0[0])).sum::<f64>() as f32 / (w * h) as f32
    };

    // Local paper brightness: a bright percentile of each tile, so uneven light and
    // edge shadows do not read as ink.
    const TILE: u32 = 24;
    let (tw, th) = (w.div_ceil(TILE), h.div_ceil(TILE));
    let mut paper = vec![255u8; (tw * th) as usize];
    for ty in 0..th {
        for tx in 0..tw {
            let mut hist = [0u32; 256];
            let mut n = 0u32;
            for y in ty * TILE..((ty + 1) * TILE).min(h) {
                for x in tx * TILE..((tx + 1) * TILE).min(w) {
                    hist[small.get_pixel(x, y).0[0] as usize] += 1;
                    n += 1;
                }
            }
            paper[(ty * tw + tx) as usize] = percentile(&hist, n, 0.9);
        }
    }

    // Margins of 4 % are left out: scanner lids, shadows and punch holes live there.
    let (mx, my) = (w / 25, h / 25);
    let (mut ink, mut total) = (0u64, 0u64);
    for y in my..h.saturating_sub(my) {
        for x in mx..w.saturating_sub(mx) {
            let bg = i16::from(paper[((y / TILE) * tw + x / TILE) as usize]);
            let v = i16::from(small.get_pixel(x, y).0[0]);
            total += 1;
            if bg - v > INK_CONTRAST {
                ink += 1;
            }
        }
    }
    let ink_ratio = if total == 0 { 0.0 } else { ink as f32 / total as f32 };
    let mut sorted_paper = paper.clone();
    sorted_paper.sort_unstable();
    let paper_level = f32::from(sorted_paper.get(sorted_paper.len() / 2).copied().unwrap_or(255));
    let mut hist = [0u32; 256];
    for y in my..h.saturating_sub(my) {
        for x in mx..w.saturating_sub(mx) {
            hist[small.get_pixel(x, y).0[0] as usize] += 1;
        }
    }
    let ink_level = f32::from(percentile(&hist, total as u32, 0.002));
    let midtone_ratio = midtones(&full, ink_level, paper_level);

    let colour_ratio = match img {
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLuma16(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageLumaA16(_) => 0.0,
        _ => {
            let rgb = img.to_rgb8();
            let hued = rgb
                .pixels()
                .step_by(3)
                .filter(|p| {
                    let [r, g, b] = p.0;
                    r.max(g).max(b) - r.min(g).min(b) > CHROMA
                })
                .count();
            hued as f32 / (rgb.pixels().len() / 3).max(1) as f32
        }
    };

    PageMetrics {
        mean_luma,
        ink_ratio,
        colour_ratio,
        is_colour: colour_ratio > COLOUR_RATIO,
        looks_blank: ink_ratio < BLANK_INK_RATIO,
        paper_level,
        ink_level,
        sharpness,
        midtone_ratio,
        class: if colour_ratio > COLOUR_RATIO {
            PageClass::Colour
        } else if midtone_ratio < BILEVEL_MIDTONES {
            PageClass::Bilevel
        } else {
            PageClass::Gray
        },
    }
}

/// Share of pixels (every third row) between a quarter and three quarters of the
/// way from ink to paper.
fn midtones(gray: &GrayImage, ink: f32, paper: f32) -> f32 {
    let span = paper - ink;
    if span < 16.0 {
        return 0.0;
    }
    let (lo, hi) = ((ink + span * 0.25) as u8, (ink + span * 0.75) as u8);
    let w = gray.width() as usize;
    let (mut mid, mut n) = (0u64, 0u64);
    for row in gray.as_raw().chunks_exact(w.max(1)).step_by(3) {
        for &v in row {
            n += 1;
            mid += u64::from(v > lo && v < hi);
        }
    }
    if n == 0 { 0.0 } else { mid as f32 / n as f32 }
}

/// Mean |Laplacian| over mean |gradient| where the gradient marks an edge, on
/// the central part of the page (every second row). Contrast cancels out; blur
/// spreads an edge, which lowers the second derivative faster than the first.
fn sharpness(gray: &GrayImage) -> f32 {
    const EDGE: i32 = 40;
    let (w, h) = (gray.width() as usize, gray.height() as usize);
    if w < 16 || h < 16 {
        return 0.0;
    }
    let raw = gray.as_raw();
    let px = |x: usize, y: usize| i32::from(raw[y * w + x]);
    let (mut lap, mut grad) = (0u64, 0u64);
    for y in (h / 10..h - h / 10).step_by(2) {
        for x in w / 10..w - w / 10 {
            let c = px(x, y);
            let (l, r, u, d) = (px(x - 1, y), px(x + 1, y), px(x, y - 1), px(x, y + 1));
            let g = (r - l).abs() + (d - u).abs();
            if g >= EDGE {
                grad += g as u64;
                lap += (l + r + u + d - 4 * c).unsigned_abs() as u64;
            }
        }
    }
    if grad == 0 { 0.0 } else { lap as f32 / grad as f32 }
}

/// The value below which share `q` of the `n` samples counted in `hist` lie.
pub(crate) fn percentile(hist: &[u32], n: u32, q: f32) -> u8 {
    let target = (n as f32 * q) as u32;
    let mut acc = 0;
    for (v, c) in hist.iter().enumerate() {
        acc += c;
        if acc > target {
            return v as u8;
        }
    }
    (hist.len().max(1) - 1).min(255) as u8
}

/// Averages `f`×`f` blocks (a partial last row or column is dropped). With 4,
/// noise drops fourfold and strokes of 300 dpi text survive.
pub fn reduce(img: &GrayImage, f: u32) -> GrayImage {
    let f = f.max(1);
    let (w, h) = (img.width() / f, img.height() / f);
    let raw = img.as_raw();
    let stride = img.width() as usize;
    let (fu, area) = (f as usize, f * f);
    GrayImage::from_fn(w, h, |x, y| {
        let mut sum = 0u32;
        for dy in 0..fu {
            let row = (y as usize * fu + dy) * stride + x as usize * fu;
            sum += raw[row..row + fu].iter().map(|&v| u32::from(v)).sum::<u32>();
        }
        image::Luma([(sum / area) as u8])
    })
}

/// A JPEG preview whose longer side is `max_side` pixels, in colour only when the page is.
pub fn thumbnail_jpeg(img: &DynamicImage, max_side: u32, colour: bool) -> Vec<u8> {
    let small = img.resize(max_side, max_side, FilterType::Triangle);
    let small = if colour {
        DynamicImage::ImageRgb8(small.to_rgb8())
    } else {
        DynamicImage::ImageLuma8(small.to_luma8())
    };
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(Cursor::new(&mut out), 80);
    small.write_with_encoder(encoder).expect("encoding a small in-memory JPEG cannot fail");
    out
}

/// A page's grey pixels: a grey scan as it lies, a colour one converted.
pub fn gray_view(img: &DynamicImage) -> std::borrow::Cow<'_, GrayImage> {
    match img.as_luma8() {
        Some(gray) => std::borrow::Cow::Borrowed(gray),
        None => std::borrow::Cow::Owned(img.to_luma8()),
    }
}
