//! Pure image operations on page images held in memory.
//!
//! - [`inspect`] decodes every frame of a PNG, JPEG or (multi-page) TIFF within
//!   [`Limits`], so damaged, truncated, oversized ("decompression bomb") and
//!   non-image files are refused with an [`ImageError`] before anything is kept.
//! - [`decode_frame`] gives one frame as an [`image::DynamicImage`] with its
//!   [`FrameInfo`] (size, declared dpi).
//! - [`measure`] computes [`PageMetrics`] (brightness, ink coverage, colour,
//!   blank suspicion) and [`thumbnail_jpeg`] a small preview.
//!
//! - [`assess`] is the quality gate: below 200 dpi rejects a page; blank, too
//!   dark, faint and blurred pages are flagged for review.
//! - [`ocr_gray`] makes the clean grey copy OCR reads, [`estimate_skew`] finds the
//!   skew of the text lines and [`Upright`] turns a page upright (quarter turns and
//!   deskew) identically for the OCR copy and the archive copy.
//!
//! - [`find_patch_codes`] finds Kodak patch codes (Patch T separates
//!   documents) on a scanned page.
//!
//! Nothing here touches files, clocks or global state: callers hand in bytes and
//! get values back.

#![forbid(unsafe_code)]

mod decode;
mod encode;
mod header;
mod metrics;
mod patch;
mod prepare;
mod quality;

pub use decode::{DecodedFrame, Format, FrameInfo, ImageError, Limits, decode_frame, inspect, sniff};
pub use encode::encode_png;
pub use metrics::{PageClass, PageMetrics, gray_view, measure, reduce, thumbnail_jpeg};
pub use patch::{PatchCode, find_patch_codes};
pub use prepare::{MAX_SKEW_DEG, MIN_SKEW_DEG, TurnUpright, Upright, estimate_skew, ocr_gray};
pub use quality::{Issue, MIN_DPI, Quality, assess};
