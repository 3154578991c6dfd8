//! Safe decoding of page images: format sniffing, size limits, every frame of a TIFF.

use std::io::Cursor;

use image::{DynamicImage, GrayImage, ImageBuffer, ImageDecoder, ImageReader, Luma, Rgb, Rgba};
use serde::{Deserialize, Serialize};
use tiff::decoder::{Decoder as TiffDecoder, DecodingResult};
use tiff::tags::{ResolutionUnit, Tag};

use crate::header;

/// File formats accepted for import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// PNG.
    Png,
    /// JPEG (baseline or progressive).
    Jpeg,
    /// TIFF, possibly with many pages.
    Tiff,
}

impl Format {
    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpeg",
            Format::Tiff => "tiff",
        }
    }
}

/// Bounds that keep a hostile or broken file from exhausting memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest width or height, in pixels.
    pub max_side: u32,
    /// Largest number of pixels in one frame.
    pub max_pixels: u64,
    /// Largest number of frames in one file.
    pub max_frames: u32,
}

impl Default for Limits {
    /// An A3 page at 600 dpi (7016 × 9921 ≈ 70 Mpx) fits with room to spare;
    /// a PNG whose header claims 50000 × 50000 does not.
    fn default() -> Self {
        Limits { max_side: 20_000, max_pixels: 120_000_000, max_frames: 2_000 }
    }
}

/// Why bytes could not be used as a page image. Each message says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImageError {
    /// Zero bytes.
    Empty,
    /// The bytes do not start like PNG, JPEG or TIFF.
    NotAnImage(String),
    /// A frame is larger than [`Limits`] allow.
    TooLarge {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
        /// Limit on a side.
        max_side: u32,
        /// Limit on the area, in megapixels.
        max_mpx: u64,
    },
    /// Too many frames in one TIFF.
    TooManyFrames(u32),
    /// The data ends early or is corrupt.
    Damaged(String),
    /// A valid file using a feature we cannot decode.
    Unsupported {
        /// File format.
        format: &'static str,
        /// What is not supported.
        detail: String,
    },
    /// A frame index past the end of the file.
    NoSuchFrame(u32),
}

impl std::fmt::Display for ImageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for ImageError {}

impl ImageError {
    /// What is wrong and what to do, from the message catalogue.
    pub fn message(&self) -> hoso_i18n::Message {
        use hoso_i18n::msg;
        match self {
            ImageError::Empty => msg!("image-empty"),
            ImageError::NotAnImage(start) => msg!("image-not-an-image", start = start),
            ImageError::TooLarge { width, height, max_side, max_mpx } => msg!(
                "image-too-large",
                width = *width,
                height = *height,
                side = *max_side,
                megapixels = *max_mpx
            ),
            ImageError::TooManyFrames(n) => msg!("image-too-many-frames", count = *n),
            ImageError::Damaged(why) => msg!("image-damaged", why = why),
            ImageError::Unsupported { format, detail } => {
                msg!("image-unsupported", format = *format, why = detail)
            }
            ImageError::NoSuchFrame(n) => msg!("image-no-such-frame", page = *n),
        }
    }

    /// A short stable code the UI and CLI can classify without matching messages.
    pub fn code(&self) -> &'static str {
        match self {
            ImageError::Empty => "empty",
            ImageError::NotAnImage(_) => "not_an_image",
            ImageError::TooLarge { .. } | ImageError::TooManyFrames(_) => "too_large",
            ImageError::Damaged(_) => "damaged",
            ImageError::Unsupported { .. } => "unsupported",
            ImageError::NoSuchFrame(_) => "no_such_frame",
        }
    }
}

/// What a frame is, without its pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FrameInfo {
    /// Frame index in the file, from 0.
    pub index: u32,
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// Declared horizontal resolution, if the file says.
    pub dpi: Option<f32>,
}

/// A decoded frame.
#[derive(Debug, Clone)]
pub struct DecodedFrame {
    /// Its description.
    pub info: FrameInfo,
    /// Its pixels.
    pub image: DynamicImage,
}

/// Identifies the format from the first bytes.
pub fn sniff(bytes: &[u8]) -> Result<Format, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(Format::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(Format::Jpeg)
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Ok(Format::Tiff)
    } else {
        let head: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
        Err(ImageError::NotAnImage(head.join(" ")))
    }
}

/// Decodes every frame once, to prove the file is whole, and describes each.
/// Memory stays at one frame at a time.
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<(Format, Vec<FrameInfo>), ImageError> {
    let format = sniff(bytes)?;
    let frames = match format {
        Format::Png | Format::Jpeg => vec![decode_single(bytes, format, limits)?.info],
        Format::Tiff => {
            let mut infos = Vec::new();
            tiff_frames(bytes, limits, None, |f| {
                infos.push(f.info);
                Ok(())
            })?;
            infos
        }
    };
    Ok((format, frames))
}

/// Decodes frame `index` (0 for PNG and JPEG).
pub fn decode_frame(bytes: &[u8], index: u32, limits: &Limits) -> Result<DecodedFrame, ImageError> {
    match sniff(bytes)? {
        format @ (Format::Png | Format::Jpeg) if index == 0 => decode_single(bytes, format, limits),
        Format::Png | Format::Jpeg => Err(ImageError::NoSuchFrame(index)),
        Format::Tiff => {
            let mut found = None;
            tiff_frames(bytes, limits, Some(index), |f| {
                found = Some(f);
                Ok(())
            })?;
            found.ok_or(ImageError::NoSuchFrame(index))
        }
    }
}

fn check_size(width: u32, height: u32, limits: &Limits) -> Result<(), ImageError> {
    if width == 0 || height == 0 {
        return Err(ImageError::Damaged(format!("declared size {width}×{height}")));
    }
    let too_large = width > limits.max_side
        || height > limits.max_side
        || u64::from(width) * u64::from(height) > limits.max_pixels;
    if too_large {
        return Err(ImageError::TooLarge {
            width,
            height,
            max_side: limits.max_side,
            max_mpx: limits.max_pixels / 1_000_000,
        });
    }
    Ok(())
}

fn decode_single(bytes: &[u8], format: Format, limits: &Limits) -> Result<DecodedFrame, ImageError> {
    let image_format = match format {
        Format::Png => image::ImageFormat::Png,
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Tiff => unreachable!("TIFF goes through tiff_frames"),
    };
    // Header first: refuse a decompression bomb before a decoder allocates anything.
    if let Some((width, height)) = header::declared_size(bytes) {
        check_size(width, height, limits)?;
    }
    if format == Format::Jpeg && !header::jpeg_complete(bytes) {
        return Err(ImageError::Damaged("the file ends before the end of the image".into()));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    let mut img_limits = image::Limits::default();
    img_limits.max_image_width = Some(limits.max_side);
    img_limits.max_image_height = Some(limits.max_side);
    // Allow 8 bytes a pixel (RGBA16) plus the decoder's own buffers.
    img_limits.max_alloc = Some(limits.max_pixels * 8 + (64 << 20));
    reader.limits(img_limits);
    let decoder = reader.into_decoder().map_err(|e| map_image_error(e, format))?;
    let (width, height) = decoder.dimensions();
    check_size(width, height, limits)?;
    let image = DynamicImage::from_decoder(decoder).map_err(|e| map_image_error(e, format))?;
    let dpi = match format {
        Format::Png => header::png_dpi(bytes),
        _ => header::jpeg_dpi(bytes),
    };
    Ok(DecodedFrame { info: FrameInfo { index: 0, width, height, dpi }, image })
}

fn map_image_error(e: image::ImageError, format: Format) -> ImageError {
    match e {
        image::ImageError::Limits(l) => ImageError::Damaged(format!("over the memory limit: {l}")),
        image::ImageError::Unsupported(u) => {
            ImageError::Unsupported { format: format.as_str(), detail: u.to_string() }
        }
        image::ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            ImageError::Damaged("the file ends too early".into())
        }
        other => ImageError::Damaged(other.to_string()),
    }
}

fn tiff_err(e: tiff::TiffError) -> ImageError {
    match e {
        tiff::TiffError::UnsupportedError(u) => {
            ImageError::Unsupported { format: "tiff", detail: u.to_string() }
        }
        tiff::TiffError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            ImageError::Damaged("the file ends too early".into())
        }
        other => ImageError::Damaged(other.to_string()),
    }
}

/// Walks the frames of a TIFF, decoding each one (or only `only`) and handing it to `f`.
fn tiff_frames(
    bytes: &[u8],
    limits: &Limits,
    only: Option<u32>,
    mut f: impl FnMut(DecodedFrame) -> Result<(), ImageError>,
) -> Result<(), ImageError> {
    let mut tiff_limits = tiff::decoder::Limits::default();
    tiff_limits.decoding_buffer_size = usize::try_from(limits.max_pixels * 8).unwrap_or(usize::MAX);
    let mut dec = TiffDecoder::new(Cursor::new(bytes)).map_err(tiff_err)?.with_limits(tiff_limits);
    let mut index = 0u32;
    loop {
        if index >= limits.max_frames {
            return Err(ImageError::TooManyFrames(limits.max_frames));
        }
        if only.is_none_or(|want| want == index) {
            f(tiff_frame(&mut dec, index, limits)?)?;
            if only.is_some() {
                return Ok(());
            }
        }
        if !dec.more_images() {
            return Ok(());
        }
        dec.next_image().map_err(tiff_err)?;
        index += 1;
    }
}

fn tiff_frame(
    dec: &mut TiffDecoder<Cursor<&[u8]>>,
    index: u32,
    limits: &Limits,
) -> Result<DecodedFrame, ImageError> {
    let (width, height) = dec.dimensions().map_err(tiff_err)?;
    check_size(width, height, limits)?;
    let color = dec.colortype().map_err(tiff_err)?;
    let dpi = tiff_dpi(dec);
    let data = dec.read_image().map_err(tiff_err)?;
    let unsupported = |what: String| ImageError::Unsupported { format: "tiff", detail: what };
    let short = || ImageError::Damaged("pixel data shorter than the declared size".into());
    use tiff::ColorType as C;
    let image = match (color, data) {
        (C::Gray(1), DecodingResult::U8(packed)) => {
            // Rows are packed 8 pixels a byte; a set bit is white after the decoder
            // has applied WhiteIsZero.
            let row_bytes = width.div_ceil(8) as usize;
            let mut out = GrayImage::new(width, height);
            for (y, row) in packed.chunks_exact(row_bytes).take(height as usize).enumerate() {
                for x in 0..width as usize {
                    let bit = row[x / 8] >> (7 - x % 8) & 1;
                    out.put_pixel(x as u32, y as u32, Luma([if bit == 1 { 255 } else { 0 }]));
                }
            }
            if packed.len() < row_bytes * height as usize {
                return Err(short());
            }
            DynamicImage::ImageLuma8(out)
        }
        (C::Gray(8), DecodingResult::U8(v)) => DynamicImage::ImageLuma8(
            ImageBuffer::<Luma<u8>, _>::from_raw(width, height, v).ok_or_else(short)?,
        ),
        (C::Gray(16), DecodingResult::U16(v)) => DynamicImage::ImageLuma16(
            ImageBuffer::<Luma<u16>, _>::from_raw(width, height, v).ok_or_else(short)?,
        ),
        (C::RGB(8), DecodingResult::U8(v)) => {
            DynamicImage::ImageRgb8(ImageBuffer::<Rgb<u8>, _>::from_raw(width, height, v).ok_or_else(short)?)
        }
        (C::RGB(16), DecodingResult::U16(v)) => DynamicImage::ImageRgb16(
            ImageBuffer::<Rgb<u16>, _>::from_raw(width, height, v).ok_or_else(short)?,
        ),
        (C::RGBA(8), DecodingResult::U8(v)) => DynamicImage::ImageRgba8(
            ImageBuffer::<Rgba<u8>, _>::from_raw(width, height, v).ok_or_else(short)?,
        ),
        (C::YCbCr(8), DecodingResult::U8(v)) => {
            // JPEG-compressed TIFF pages come out as RGB from the decoder.
            DynamicImage::ImageRgb8(ImageBuffer::<Rgb<u8>, _>::from_raw(width, height, v).ok_or_else(short)?)
        }
        (other, _) => return Err(unsupported(format!("colour type {other:?}"))),
    };
    Ok(DecodedFrame { info: FrameInfo { index, width, height, dpi }, image })
}

fn tiff_dpi(dec: &mut TiffDecoder<Cursor<&[u8]>>) -> Option<f32> {
    let x = match dec.find_tag(Tag::XResolution).ok()?? {
        tiff::decoder::ifd::Value::Rational(n, d) if d != 0 => n as f32 / d as f32,
        _ => return None,
    };
    let unit = dec
        .find_tag_unsigned::<u16>(Tag::ResolutionUnit)
        .ok()
        .flatten()
        .and_then(ResolutionUnit::from_u16)
        .unwrap_or(ResolutionUnit::Inch);
    match unit {
        ResolutionUnit::Inch => Some(x),
        ResolutionUnit::Centimeter => Some(x * 2.54),
        _ => None,
    }
}
