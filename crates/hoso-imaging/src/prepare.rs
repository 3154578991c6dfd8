//! Making a page ready for OCR: a clean grey copy, skew estimation and the
//! upright transform that both OCR and the PDF writer apply.
//!
//! Measured on the sample pages (verification.md): skew above 2° makes Tesseract
//! drop whole blocks and a page fed upside down comes out as garbage, so every
//! page is turned upright and deskewed before recognition. The transform is a
//! value ([`Upright`]) so the archive copy (in its original colour) and the OCR
//! copy are turned identically and word boxes fit both.

use image::imageops;
use image::{DynamicImage, GrayImage, Luma, Rgb, RgbImage};

use crate::metrics::{percentile, reduce};

pub use hoso_model::Upright;

/// Skews smaller than this are left alone: resampling costs sharpness and time.
pub const MIN_SKEW_DEG: f32 = 0.1;
/// The search range of [`estimate_skew`], both ways.
pub const MAX_SKEW_DEG: f32 = 8.0;

/// Applying an [`Upright`] transform (a value of hoso-model's page layout) to images.
pub trait TurnUpright {
    /// Applies the transform to an image of any colour type. Corners uncovered by
    /// the rotation are filled with white paper.
    fn apply(&self, img: &DynamicImage) -> DynamicImage;
    /// Applies the transform to a grey image (the OCR copy).
    fn apply_gray(&self, img: &GrayImage) -> GrayImage;
}

impl TurnUpright for Upright {
    fn apply(&self, img: &DynamicImage) -> DynamicImage {
        let turned = match self.rotation % 360 {
            90 => img.rotate270(),
            180 => img.rotate180(),
            270 => img.rotate90(),
            _ => img.clone(),
        };
        if self.skew_deg.abs() < MIN_SKEW_DEG {
            return turned;
        }
        match turned {
            DynamicImage::ImageLuma8(g) => DynamicImage::ImageLuma8(rotate_gray(&g, self.skew_deg)),
            other => DynamicImage::ImageRgb8(rotate_rgb(&other.to_rgb8(), self.skew_deg)),
        }
    }

    fn apply_gray(&self, img: &GrayImage) -> GrayImage {
        let turned = match self.rotation % 360 {
            90 => imageops::rotate270(img),
            180 => imageops::rotate180(img),
            270 => imageops::rotate90(img),
            _ => img.clone(),
        };
        if self.skew_deg.abs() < MIN_SKEW_DEG { turned } else { rotate_gray(&turned, self.skew_deg) }
    }
}

/// The grey copy Tesseract reads. Coloured ink (red seals, blue signatures) is
/// taken out by using each pixel's brightest channel, so the black text under a
/// seal stays readable; then uneven light and grey paper are flattened by
/// dividing by the local paper brightness, and the ink is stretched to black.
pub fn ocr_gray(img: &DynamicImage) -> GrayImage {
    let gray = match img {
        DynamicImage::ImageLuma8(g) => g.clone(),
        DynamicImage::ImageLumaA8(_) | DynamicImage::ImageLuma16(_) | DynamicImage::ImageLumaA16(_) => {
            img.to_luma8()
        }
        _ => {
            let rgb = img.to_rgb8();
            let (w, h) = rgb.dimensions();
            GrayImage::from_fn(w, h, |x, y| {
                let Rgb([r, g, b]) = *rgb.get_pixel(x, y);
                Luma([r.max(g).max(b)])
            })
        }
    };
    flatten(&gray)
}

/// Divides each pixel by the local paper brightness and stretches ink to black.
fn flatten(gray: &GrayImage) -> GrayImage {
    const CELL: u32 = 32;
    let (w, h) = gray.dimensions();
    if w < CELL * 2 || h < CELL * 2 {
        return gray.clone();
    }
    // Paper level of each cell: a bright percentile, then the brightest of the
    // neighbours so a cell full of heavy text still sees its paper.
    let (cw, ch) = (w.div_ceil(CELL), h.div_ceil(CELL));
    let mut cells = GrayImage::new(cw, ch);
    for cy in 0..ch {
        for cx in 0..cw {
            let mut hist = [0u32; 256];
            let mut n = 0;
            for y in (cy * CELL..((cy + 1) * CELL).min(h)).step_by(2) {
                for x in (cx * CELL..((cx + 1) * CELL).min(w)).step_by(2) {
                    hist[gray.get_pixel(x, y).0[0] as usize] += 1;
                    n += 1;
                }
            }
            cells.put_pixel(cx, cy, Luma([percentile(&hist, n, 0.9)]));
        }
    }
    let spread = GrayImage::from_fn(cw, ch, |x, y| {
        let mut m = 0u8;
        for yy in y.saturating_sub(1)..(y + 2).min(ch) {
            for xx in x.saturating_sub(1)..(x + 2).min(cw) {
                m = m.max(cells.get_pixel(xx, yy).0[0]);
            }
        }
        Luma([m.max(32)])
    });
    // Ink level: a dark percentile of the flattened page, so faint print becomes
    // black and the paper white. Paper levels are interpolated between cell centres.
    let mut out = GrayImage::new(w, h);
    let mut hist = [0u32; 256];
    let src = gray.as_raw();
    let dst: &mut [u8] = &mut out;
    let centre = |i: u32| (i as f32 + 0.5) * CELL as f32;
    let mut row_paper = vec![0f32; w as usize];
    for y in 0..h {
        let fy = ((y as f32 + 0.5 - CELL as f32 / 2.0) / CELL as f32).clamp(0.0, (ch - 1) as f32);
        let (y0, ty) = (fy.floor() as u32, fy.fract());
        let y1 = (y0 + 1).min(ch - 1);
        for (x, p) in row_paper.iter_mut().enumerate() {
            let fx = ((x as f32 + 0.5 - centre(0)) / CELL as f32).clamp(0.0, (cw - 1) as f32);
            let (x0, tx) = (fx.floor() as u32, fx.fract());
            let x1 = (x0 + 1).min(cw - 1);
            let v = |xx, yy| f32::from(spread.get_pixel(xx, yy).0[0]);
            let top = v(x0, y0) + (v(x1, y0) - v(x0, y0)) * tx;
            let bottom = v(x0, y1) + (v(x1, y1) - v(x0, y1)) * tx;
            *p = 255.0 / (top + (bottom - top) * ty);
        }
        let row = (y * w) as usize..((y + 1) * w) as usize;
        for ((o, &g), &p) in dst[row.clone()].iter_mut().zip(&src[row]).zip(&row_paper) {
            let v = (f32::from(g) * p).min(255.0) as u8;
            *o = v;
            hist[v as usize] += 1;
        }
    }
    let ink_hist: u32 = hist[..200].iter().sum();
    let black = if ink_hist == 0 { 0 } else { percentile(&hist[..200], ink_hist, 0.05) };
    if black > 0 && black < 160 {
        let scale = 255.0 / f32::from(255 - black);
        let lut: Vec<u8> =
            (0..=255u8).map(|v| (f32::from(v.saturating_sub(black)) * scale).min(255.0) as u8).collect();
        for o in dst.iter_mut() {
            *o = lut[*o as usize];
        }
    }
    out
}

/// Estimates the skew of the text lines in degrees (counter-clockwise positive)
/// from the projection profile of the ink: the angle at which rows of ink are
/// most sharply separated. Works on a reduced copy; `None` when the page has too
/// little ink to tell.
pub fn estimate_skew(gray: &GrayImage) -> Option<f32> {
    // About 75 dpi for a 300 dpi scan: lines stay apart, work is 1/16.
    let factor = (gray.width().max(gray.height()) / 900).max(1);
    let small = reduce(gray, factor);
    let (w, h) = small.dimensions();
    let (mx, my) = (w / 20, h / 30);
    let mut points = Vec::new();
    for y in my..h - my {
        for x in mx..w - mx {
            if small.get_pixel(x, y).0[0] < 128 {
                points.push((x as f32 - w as f32 / 2.0, y as f32 - h as f32 / 2.0));
            }
        }
    }
    if points.len() < 200 {
        return None;
    }
    let score = |deg: f32| -> f64 {
        // Row of each ink pixel after turning the page clockwise by `deg`.
        let (s, c) = deg.to_radians().sin_cos();
        let rows = (h as f32 * 1.5) as usize;
        let mut bins = vec![0u32; rows];
        for &(x, y) in &points {
            let r = (y * c + x * s + rows as f32 / 2.0) as isize;
            if r >= 0 && (r as usize) < rows {
                bins[r as usize] += 1;
            }
        }
        bins.iter().map(|&b| f64::from(b) * f64::from(b)).sum()
    };
    let mut best = (0.0f32, score(0.0));
    let mut step = 0.5f32;
    let mut lo = -MAX_SKEW_DEG;
    let mut hi = MAX_SKEW_DEG;
    while step >= 0.05 {
        let mut a = lo;
        while a <= hi + 1e-3 {
            let s = score(a);
            if s > best.1 {
                best = (a, s);
            }
            a += step;
        }
        lo = best.0 - step;
        hi = best.0 + step;
        step /= 4.0;
    }
    Some(best.0)
}

/// Turns a grey image clockwise by `deg` degrees about its centre (bilinear), keeping its size.
fn rotate_gray(img: &GrayImage, deg: f32) -> GrayImage {
    let (w, h) = img.dimensions();
    let map = Rotation::new(w, h, deg);
    GrayImage::from_fn(w, h, |x, y| match map.source(x, y) {
        Some((x0, y0, fx, fy)) => {
            let p = |dx, dy| f32::from(img.get_pixel(x0 + dx, y0 + dy).0[0]);
            let top = p(0, 0) + (p(1, 0) - p(0, 0)) * fx;
            let bottom = p(0, 1) + (p(1, 1) - p(0, 1)) * fx;
            Luma([(top + (bottom - top) * fy + 0.5) as u8])
        }
        None => Luma([255]),
    })
}

/// Turns a colour image clockwise by `deg` degrees about its centre (bilinear), keeping its size.
fn rotate_rgb(img: &RgbImage, deg: f32) -> RgbImage {
    let (w, h) = img.dimensions();
    let map = Rotation::new(w, h, deg);
    RgbImage::from_fn(w, h, |x, y| match map.source(x, y) {
        Some((x0, y0, fx, fy)) => {
            let mut out = [0u8; 3];
            for (c, o) in out.iter_mut().enumerate() {
                let p = |dx, dy| f32::from(img.get_pixel(x0 + dx, y0 + dy).0[c]);
                let top = p(0, 0) + (p(1, 0) - p(0, 0)) * fx;
                let bottom = p(0, 1) + (p(1, 1) - p(0, 1)) * fx;
                *o = (top + (bottom - top) * fy + 0.5) as u8;
            }
            Rgb(out)
        }
        None => Rgb([255, 255, 255]),
    })
}

/// Where each output pixel of a rotation about the centre comes from.
struct Rotation {
    sin: f32,
    cos: f32,
    cx: f32,
    cy: f32,
    w: u32,
    h: u32,
}

impl Rotation {
    fn new(w: u32, h: u32, deg: f32) -> Self {
        let (sin, cos) = deg.to_radians().sin_cos();
        Self { sin, cos, cx: w as f32 / 2.0, cy: h as f32 / 2.0, w, h }
    }

    /// Top-left source pixel and the fractions towards the next one, or `None`
    /// outside the source.
    fn source(&self, x: u32, y: u32) -> Option<(u32, u32, f32, f32)> {
        let (dx, dy) = (x as f32 - self.cx, y as f32 - self.cy);
        // Output turned clockwise by θ: source = rotate output back counter-clockwise.
        let sx = dx * self.cos + dy * self.sin + self.cx;
        let sy = -dx * self.sin + dy * self.cos + self.cy;
        if sx < 0.0 || sy < 0.0 || sx >= (self.w - 1) as f32 || sy >= (self.h - 1) as f32 {
            return None;
        }
        let (x0, y0) = (sx.floor(), sy.floor());
        Some((x0 as u32, y0 as u32, sx - x0, sy - y0))
    }
}
