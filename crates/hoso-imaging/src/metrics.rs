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
}

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
    let small = reduce(&img.to_luma8(), 4);
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
    }
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
