//! Pre-filling the applicant from a scanned identity card's QR code.

use image::{GrayImage, Luma};

use crate::*;

pub(crate) fn qr_image(text: &str) -> GrayImage {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let (n, module) = (code.width() as u32, 8u32);
    GrayImage::from_fn((n + 8) * module, (n + 8) * module, |x, y| {
        let (mx, my) = ((x / module) as i64 - 4, (y / module) as i64 - 4);
        let dark = mx >= 0
            && my >= 0
            && (mx as u32) < n
            && (my as u32) < n
            && code[(mx as usize, my as usize)] == qrcode::Color::Dark;
        Luma([if dark { 0 } else { 255 }])
    })
}

#[test]
fn record_new_from_card_takes_the_qr_applicant_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let qr = "079187247726|025123456|Ngô Thị Ngọc|19031987|Nữ|31 Hai Bà Trưng, phường Sài Gòn, TP. Hồ Chí Minh|01072021";
    let card = write_png(dir.path(), "card.png", &qr_image(qr));
    let o = hoso(
        &data,
        &["--json", "record", "new", "--procedure", "1.001193", "--from-card", card.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["applicant"]["name"], "Ngô Thị Ngọc", "{v}");
    assert_eq!(v["applicant"]["personal_id"], "079187247726", "{v}");

    // Given flags win over the card; the rest still comes from it.
    let card_arg = card.to_str().unwrap();
    let args = [
        "--json",
        "record",
        "new",
        "--procedure",
        "1.001193",
        "--from-card",
        card_arg,
        "--address",
        "12 Lý Tự Trọng",
    ];
    let o = hoso(&data, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["applicant"]["address"].as_str(), v["applicant"]["name"].as_str()),
        (Some("12 Lý Tự Trọng"), Some("Ngô Thị Ngọc"))
    );
    let o = hoso(&data, &["--json", "card", "read", card.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["applicant"]["address"].as_str().unwrap().contains("Hai Bà Trưng"));

    // A page without any code: nothing is made up.
    let blank = write_png(dir.path(), "blank.png", &page(600, 400, 0));
    let o =
        hoso(&data, &["record", "new", "--procedure", "1.001193", "--from-card", blank.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("neither the QR code nor the MRZ"), "{}", stderr(&o));
}
