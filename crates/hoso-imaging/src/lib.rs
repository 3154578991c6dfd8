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
//! Nothing here touches files, clocks or global state: callers hand in bytes and
//! get values back. Orientation, deskew and the full quality gate belong here too
//! and grow with the scanning work.

#![forbid(unsafe_code)]

mod decode;
mod header;
mod metrics;

pub use decode::{DecodedFrame, Format, FrameInfo, ImageError, Limits, decode_frame, inspect, sniff};
pub use metrics::{PageMetrics, measure, thumbnail_jpeg};
