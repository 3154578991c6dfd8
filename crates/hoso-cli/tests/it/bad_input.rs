//! Bad files get a clear message, are skipped, and nothing already stored is lost.

use std::io::Cursor;

use crate::*;

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out
}

/// A well-formed PNG whose header claims 50000 × 50000 grey pixels (2.5 GB once
/// inflated) while the file is a few dozen bytes: a decompression bomb.
fn bomb_png() -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    // zlib stream of a few zero bytes; the decoder must stop long before it matters.
    png.extend(chunk(b"IDAT", &[0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]));
    png.extend(chunk(b"IEND", &[]));
    png
}

fn two_page_tiff() -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    let mut enc = tiff::encoder::TiffEncoder::new(&mut buf).unwrap();
    for seed in [0, 7] {
        let img = page(400, 560, seed);
        enc.write_image::<tiff::encoder::colortype::Gray8>(400, 560, img.as_raw()).unwrap();
    }
    buf.into_inner()
}

#[test]
fn bad_files_are_refused_with_clear_messages_and_good_ones_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let files = dir.path().join("in");
    std::fs::create_dir_all(&files).unwrap();
    let code = new_record(&data);

    let good = write_png(&files, "a_good.png", &page(600, 800, 0));
    let good_bytes = std::fs::read(&good).unwrap();
    let first = hoso(&data, &["import", &code, good.to_str().unwrap()]);
    assert!(first.status.success(), "{}", stderr(&first));

    let empty = files.join("b_empty.png");
    std::fs::write(&empty, b"").unwrap();
    let truncated = files.join("c_truncated.png");
    std::fs::write(&truncated, &good_bytes[..good_bytes.len() / 2]).unwrap();
    let text = files.join("d_notes.jpg");
    std::fs::write(&text, "Đây không phải là ảnh.\n").unwrap();
    let bomb = files.join("e_bomb.png");
    std::fs::write(&bomb, bomb_png()).unwrap();
    let missing = files.join("f_missing.png");
    // A path through a file, as if it were a folder: the OS refuses to open it.
    let through_a_file = good.join("g_inside.png");
    let tiff = files.join("h_two_pages.tif");
    std::fs::write(&tiff, two_page_tiff()).unwrap();
    let jpeg = files.join("i_cut.jpg");
    let mut jpeg_bytes = Vec::new();
    image::DynamicImage::ImageLuma8(page(600, 800, 3))
        .write_to(&mut Cursor::new(&mut jpeg_bytes), image::ImageFormat::Jpeg)
        .unwrap();
    std::fs::write(&jpeg, &jpeg_bytes[..jpeg_bytes.len() / 3]).unwrap();

    let args: Vec<&str> = [&empty, &truncated, &text, &bomb, &missing, &through_a_file, &tiff, &jpeg]
        .iter()
        .map(|p| p.to_str().unwrap())
        .collect();
    let mut all = vec!["--json", "import", &code];
    all.extend(&args);
    let o = hoso(&data, &all);
    assert_eq!(o.status.code(), Some(3), "some files were refused: {}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let codes: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["error_code"].as_str().unwrap_or("ok"))
        .collect();
    // A path through a file: Linux says "not a directory" (unreadable), Windows
    // "path not found".
    let through_a_file_code = if cfg!(windows) { "not_found" } else { "unreadable" };
    assert_eq!(
        codes,
        ["empty", "damaged", "not_an_image", "too_large", "not_found", through_a_file_code, "ok", "damaged"]
    );
    // JSON says why in the language asked for (English here), one language.
    let why: Vec<&str> =
        report["files"].as_array().unwrap().iter().filter_map(|f| f["error"].as_str()).collect();
    assert!(why[0].ends_with("the file is empty (0 bytes); scan or copy it again"), "{}", why[0]);
    assert!(why[3].contains("the image is 50000×50000 pixels"), "{}", why[3]);
    assert!(why.iter().all(|w| !w.contains(" / ")), "{why:?}");
    assert_eq!(report["files"][6]["added"].as_array().unwrap().len(), 2, "both TIFF pages");

    // Text output names each refused file with the reason.
    let o = hoso(&data, &["import", &code, bomb.to_str().unwrap()]);
    assert!(stderr(&o).contains("image is 50000×50000 pixels, larger than the"), "{}", stderr(&o));

    // Nothing stored before was lost, and the store is consistent.
    let shown = hoso(&data, &["--json", "record", "show", &code]);
    let detail: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    let pages = detail["components"][0]["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0]["source"].as_str().unwrap(), sha256_hex(&good_bytes));
    assert_eq!((pages[1]["frame"].as_u64(), pages[2]["frame"].as_u64()), (Some(0), Some(1)));
    let check = hoso(&data, &["store", "check", "--deep"]);
    assert!(check.status.success(), "{}", stdout(&check));

    // Processing flags the missing dpi (none of these files declare one).
    let p = hoso(&data, &["--json", "process", "--workers", "2"]);
    assert!(p.status.success(), "{}", stderr(&p));
    let shown = hoso(&data, &["--json", "record", "show", &code]);
    let detail: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(detail["record"]["state"], "review");
    let page0 = &detail["components"][0]["pages"][0];
    assert_eq!(page0["state"], "processed");
    assert!(page0["note"].as_str().unwrap().contains("declares no dpi"));
}

fn sha256_hex(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes).as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn a_page_whose_raw_image_was_damaged_on_disk_fails_visibly_and_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let code = new_record(&data);
    let good = write_png(dir.path(), "p.png", &page(300, 400, 0));
    assert!(hoso(&data, &["import", &code, good.to_str().unwrap()]).status.success());
    let hash = sha256_hex(&std::fs::read(&good).unwrap());
    let blob = data.join("blobs").join(&hash[..2]).join(&hash);
    let mut bytes = std::fs::read(&blob).unwrap();
    bytes[100] ^= 0xFF;
    std::fs::write(&blob, bytes).unwrap();

    let o = hoso(&data, &["--json", "process"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((report["processed"].as_u64(), report["failed"].as_u64()), (Some(0), Some(1)));
    let shown = hoso(&data, &["--json", "record", "show", &code]);
    let detail: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    let p = &detail["components"][0]["pages"][0];
    assert_eq!(p["state"], "failed");
    assert!(p["note"].as_str().unwrap().contains("the raw image is missing or damaged"), "{p}");
    assert_eq!(detail["record"]["state"], "review", "a failed page does not block the record");
    let check = hoso(&data, &["store", "check", "--deep"]);
    assert_eq!(check.status.code(), Some(4));
    assert!(stdout(&check).contains(&hash), "{}", stdout(&check));
}

#[test]
fn missing_ocr_models_stop_processing_with_one_message_and_fail_no_page() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let code = new_record(&data);
    let file = write_png(dir.path(), "p.png", &page(620, 877, 0));
    assert!(hoso(&data, &["import", &code, file.to_str().unwrap()]).status.success());
    let config = dir.path().join("config.toml");
    write_config(&config, &format!("tessdata = {}\n", toml_path(&dir.path().join("no-models"))));
    let o = cmd(&data, &["process"]).env("HOSO_CONFIG", &config).run();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("tesseract-ocr-vie"), "{}", stderr(&o));
    // The page still waits; with the models back it is processed.
    let o = hoso(&data, &["--json", "process"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["processed"], 1);
}
