//! Encoding scans for the archive: lossless PNG that records its resolution.

use image::DynamicImage;

/// Encodes a scanned page as PNG (8-bit grey or RGB, lossless) with its
/// resolution in the pHYs chunk, so the dpi travels with the file and the
/// quality gate can read it back. `source` goes into a `tEXt` "Source" chunk:
/// where and when the page was scanned. It also keeps two identical sheets of
/// one batch (two blank separators) apart as two pages.
pub fn encode_png(img: &DynamicImage, dpi: f32, source: &str) -> Vec<u8> {
    let (colour, data) = match img {
        DynamicImage::ImageLuma8(g) => (png::ColorType::Grayscale, g.as_raw().clone()),
        DynamicImage::ImageLuma16(_) | DynamicImage::ImageLumaA8(_) | DynamicImage::ImageLumaA16(_) => {
            (png::ColorType::Grayscale, img.to_luma8().into_raw())
        }
        _ => (png::ColorType::Rgb, img.to_rgb8().into_raw()),
    };
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, img.width(), img.height());
    encoder.set_color(colour);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let per_metre = (f64::from(dpi) / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: png::Unit::Meter,
    }));
    if !source.is_empty() {
        // tEXt holds Latin-1; device names are ASCII in practice, anything else becomes '?'.
        let text: String =
            source.chars().map(|c| if c.is_ascii() && !c.is_ascii_control() { c } else { '?' }).collect();
        encoder.add_text_chunk("Source".to_owned(), text).expect("ASCII keyword and text are valid tEXt");
    }
    let mut writer = encoder.write_header().expect("writing a PNG header to memory cannot fail");
    writer.write_image_data(&data).expect("the buffer matches the declared size");
    writer.finish().expect("finishing a PNG in memory cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_pixels_and_resolution() {
        let img =
            DynamicImage::ImageLuma8(image::GrayImage::from_fn(30, 20, |x, y| image::Luma([(x * y) as u8])));
        let bytes = encode_png(&img, 300.0, "test scanner #1");
        assert_ne!(bytes, encode_png(&img, 300.0, "test scanner #2"));
        let frame = crate::decode_frame(&bytes, 0, &crate::Limits::default()).unwrap();
        assert_eq!(frame.image.to_luma8(), img.to_luma8());
        assert!((frame.info.dpi.unwrap() - 300.0).abs() < 0.01);
    }
}
