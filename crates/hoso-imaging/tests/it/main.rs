//! Measurements on the sample scans beside the project (../shared/samples/pages)
//! against their ground truth, and decoding edge cases.

use std::path::PathBuf;

use hoso_imaging::{ImageError, Limits, decode_frame, inspect, measure};

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/samples/pages")
}

#[test]
fn blank_and_colour_pages_of_the_sample_set_are_recognised() {
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(samples().join("truth.json")).expect("samples beside the project"),
    )
    .unwrap();
    let mut blanks_found = 0;
    for page in truth["pages"].as_array().unwrap() {
        let file = page["file"].as_str().unwrap();
        let bytes = std::fs::read(samples().join(file)).unwrap();
        let frame = decode_frame(&bytes, 0, &Limits::default()).unwrap();
        assert_eq!((frame.info.width, frame.info.height), (2480, 3508), "{file}");
        assert!((frame.info.dpi.unwrap() - 300.0).abs() < 0.01, "{file}: {:?}", frame.info.dpi);
        let m = measure(&frame.image);
        let is_blank = page["is_blank"].as_bool().unwrap();
        assert_eq!(m.looks_blank, is_blank, "{file}: {m:?}");
        blanks_found += usize::from(m.looks_blank && is_blank);
        // A page is colour when a red seal is on it; grey pages never are.
        let has_seal = page["has_seal"].as_bool().unwrap_or(false);
        assert_eq!(m.is_colour, has_seal && page["color"] == "color", "{file}: {m:?}");
        // Clean text on whitened paper may go to one bit; grey paper and colour stay.
        let expected = match file {
            "dev_p02.jpg" | "dev_p04.jpg" => hoso_imaging::PageClass::Colour,
            "dev_p01.png" | "dev_p06.png" | "dev_p07.png" | "dev_p09.png" => hoso_imaging::PageClass::Bilevel,
            _ => hoso_imaging::PageClass::Gray,
        };
        assert_eq!(m.class, expected, "{file}: {m:?}");
    }
    assert_eq!(blanks_found, 2);
}

#[test]
fn sniffing_and_frame_bounds() {
    assert_eq!(inspect(b"", &Limits::default()).unwrap_err(), ImageError::Empty);
    assert!(
        matches!(inspect(b"%PDF-1.7", &Limits::default()), Err(ImageError::NotAnImage(h)) if h == "25 50 44 46 2d 31 2e 37")
    );
    let bytes = std::fs::read(samples().join("dev_p07.png")).unwrap();
    assert_eq!(decode_frame(&bytes, 1, &Limits::default()).unwrap_err(), ImageError::NoSuchFrame(1));
    let small = Limits { max_side: 3000, max_pixels: 5_000_000, max_frames: 1 };
    assert!(matches!(inspect(&bytes, &small), Err(ImageError::TooLarge { width: 2480, height: 3508, .. })));
    let jpeg = std::fs::read(samples().join("dev_p02.jpg")).unwrap();
    assert!(
        matches!(inspect(&jpeg[..jpeg.len() - 2], &Limits::default()), Err(ImageError::Damaged(_))),
        "a JPEG without its end marker is damaged"
    );
}

fn truth_pages() -> Vec<serde_json::Value> {
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(samples().join("truth.json")).unwrap()).unwrap();
    truth["pages"].as_array().unwrap().clone()
}

#[test]
fn quality_gate_passes_the_samples_and_catches_bad_scans() {
    use hoso_imaging::{Issue, assess};
    for page in truth_pages() {
        let file = page["file"].as_str().unwrap();
        let frame =
            decode_frame(&std::fs::read(samples().join(file)).unwrap(), 0, &Limits::default()).unwrap();
        let q = assess(&measure(&frame.image), frame.info.dpi);
        let expected = if page["is_blank"].as_bool().unwrap() { vec![Issue::Blank] } else { vec![] };
        assert_eq!(q.issues, expected, "{file}");
        assert!(!q.rejected());
    }
    // One text page, made bad in the ways a counter scanner fails.
    let frame =
        decode_frame(&std::fs::read(samples().join("dev_p01.png")).unwrap(), 0, &Limits::default()).unwrap();
    let blurred = measure(&frame.image.blur(3.0));
    assert!(assess(&blurred, Some(300.0)).issues.contains(&Issue::Blurred), "{blurred:?}");
    let dark = measure(&frame.image.brighten(-170));
    assert!(assess(&dark, Some(300.0)).issues.contains(&Issue::TooDark), "{dark:?}");
    let low = assess(&measure(&frame.image), Some(150.0));
    assert!(low.rejected() && low.issues == [Issue::LowDpi]);
    assert!(low.note().unwrap().contains("200 dpi"));
}

#[test]
fn skew_is_found_within_a_quarter_degree_and_quarter_turns_undo() {
    use hoso_imaging::{TurnUpright as _, Upright, estimate_skew, ocr_gray};
    for page in truth_pages() {
        if page["is_blank"].as_bool().unwrap() {
            continue;
        }
        let file = page["file"].as_str().unwrap();
        let frame =
            decode_frame(&std::fs::read(samples().join(file)).unwrap(), 0, &Limits::default()).unwrap();
        let gray = ocr_gray(&frame.image);
        let rotation = page["rotation"].as_u64().unwrap() as u16;
        let turned = Upright { rotation, skew_deg: 0.0 }.apply_gray(&gray);
        let skew = estimate_skew(&turned).unwrap();
        let truth = page["skew_deg"].as_f64().unwrap() as f32;
        assert!((skew - truth).abs() < 0.25, "{file}: found {skew}, truth {truth}");
    }
    let img = image::DynamicImage::ImageLuma8(image::GrayImage::from_fn(40, 20, |x, y| {
        image::Luma([(x + y) as u8])
    }));
    // Content turned 90° clockwise on the scan comes back upright.
    let scanned = img.rotate90();
    let upright = Upright { rotation: 90, skew_deg: 0.0 }.apply(&scanned);
    assert_eq!(upright.to_luma8(), img.to_luma8());
}
