//! Reading a citizen identity card: a card-sized image with an MRZ typeset in a
//! monospace font (DejaVu Sans Mono from fonts-dejavu-core; OCR-B, the MRZ font,
//! is not packaged) and a QR code made with the `qrcode` crate, read back by the
//! real Tesseract and QR decoder.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use hoso_model::check_digit;
use hoso_ocr::{Ocr, OcrConfig};
use image::{DynamicImage, GrayImage, Luma};

/// The library's usual places, or the Tesseract library and models the test
/// harness names (the Windows tests under Wine use the Windows DLLs and Debian's
/// models: scripts/windows/test).
fn ocr_config() -> OcrConfig {
    OcrConfig {
        library: std::env::var_os("HOSO_TEST_OCR_LIBRARY").map(Into::into),
        datapath: std::env::var_os("HOSO_TEST_TESSDATA").map(Into::into),
        ..OcrConfig::default()
    }
}

const FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";

fn vn_mrz(id: &str, birth: &str, sex: char, expiry: &str, name: &str) -> [String; 3] {
    let doc = &id[3..];
    let l1_body = format!("{doc}{}{id}<<", check_digit(doc).unwrap());
    let l1 = format!("IDVNM{l1_body}{}", check_digit(&l1_body).unwrap());
    let l2_start =
        format!("{birth}{}{sex}{expiry}{}VNM", check_digit(birth).unwrap(), check_digit(expiry).unwrap());
    let l2_opt = "<<<<<<<<<<<";
    let composite = format!("{}{}{}{}", &l1[5..30], &l2_start[0..7], &l2_start[8..15], l2_opt);
    let l2 = format!("{l2_start}{l2_opt}{}", check_digit(&composite).unwrap());
    [l1, l2, format!("{name:<<30}")]
}

/// A card back at 300 dpi (85.6 × 54 mm), MRZ at the bottom, optional QR at the top right.
fn card(mrz: &[String; 3], qr: Option<&str>) -> DynamicImage {
    let mut img = GrayImage::from_pixel(1011, 638, Luma([235]));
    let bytes = std::fs::read(FONT).expect("fonts-dejavu-core installed");
    let font = FontRef::try_from_slice(&bytes).unwrap();
    let scale = PxScale::from(50.0);
    let scaled = font.as_scaled(scale);
    for (row, line) in mrz.iter().enumerate() {
        let mut x = 40.0;
        let y = 430.0 + row as f32 * 62.0;
        for ch in line.chars() {
            let glyph = font.glyph_id(ch).with_scale_and_position(scale, ab_glyph::point(x, y));
            x += scaled.h_advance(font.glyph_id(ch));
            if let Some(outline) = font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                outline.draw(|gx, gy, c| {
                    let (px, py) = (b.min.x as i32 + gx as i32, b.min.y as i32 + gy as i32);
                    if px >= 0 && py >= 0 && (px as u32) < img.width() && (py as u32) < img.height() {
                        let p = img.get_pixel_mut(px as u32, py as u32);
                        p.0[0] = p.0[0].min((235.0 * (1.0 - c)) as u8 + 15);
                    }
                });
            }
        }
    }
    if let Some(text) = qr {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let n = code.width();
        let module = 6u32;
        let (ox, oy) = (1011 - 40 - (n as u32 + 8) * module, 30);
        for y in 0..(n as u32 + 8) * module {
            for x in 0..(n as u32 + 8) * module {
                let (mx, my) = ((x / module) as i64 - 4, (y / module) as i64 - 4);
                let dark = mx >= 0
                    && my >= 0
                    && (mx as usize) < n
                    && (my as usize) < n
                    && code[(mx as usize, my as usize)] == qrcode::Color::Dark;
                img.put_pixel(ox + x, oy + y, Luma([if dark { 10 } else { 250 }]));
            }
        }
    }
    DynamicImage::ImageLuma8(img)
}

#[test]
fn mrz_prefills_id_birth_date_and_name() {
    let mut ocr = Ocr::new(&ocr_config()).unwrap();
    let mrz = vn_mrz("079070752696", "700704", 'M', "300704", "LE<<MINH<NAM");
    let reading = ocr.read_card(&card(&mrz, None)).unwrap();
    let m = reading.mrz.as_ref().unwrap_or_else(|| panic!("MRZ not read: {reading:?}"));
    assert_eq!(m.personal_id.as_str(), "079070752696");
    assert_eq!(m.birth_date.to_string(), "1970-07-04");
    let a = reading.applicant().unwrap();
    assert_eq!(a.name, "LE MINH NAM");
    assert!(a.address.is_none());
}

#[test]
fn qr_code_is_preferred_and_keeps_diacritics() {
    let mut ocr = Ocr::new(&ocr_config()).unwrap();
    let mrz = vn_mrz("079187247726", "870319", 'F', "270319", "NGO<<THI<NGOC");
    let qr = "079187247726|025123456|Ngô Thị Ngọc|19031987|Nữ|31 Hai Bà Trưng, phường Sài Gòn, TP. Hồ Chí Minh|01072021";
    let reading = ocr.read_card(&card(&mrz, Some(qr))).unwrap();
    assert!(reading.qr.is_some(), "{reading:?}");
    let a = reading.applicant().unwrap();
    assert_eq!(a.name, "Ngô Thị Ngọc");
    assert_eq!(a.personal_id.unwrap().as_str(), "079187247726");
    assert!(a.address.unwrap().contains("Hai Bà Trưng"));
}

#[test]
fn a_misprinted_check_digit_offers_nothing() {
    let mut ocr = Ocr::new(&ocr_config()).unwrap();
    let mut mrz = vn_mrz("079070752696", "700704", 'M', "300704", "LE<<MINH<NAM");
    // Birth date changed after the check digit was computed.
    mrz[1] = format!("710704{}", &mrz[1][6..]);
    let reading = ocr.read_card(&card(&mrz, None)).unwrap();
    assert!(reading.mrz.is_none() && reading.applicant().is_none(), "{reading:?}");
    assert!(!reading.problems.is_empty());
}
