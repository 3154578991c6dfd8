//! The writer's output judged by independent tools: Apache PDFBox Preflight
//! (PDF/A-1b validator, from Debian's libpdfbox2-java), qpdf --check, and
//! poppler's pdftotext / pdffonts / pdfimages.

// Linux-only: Preflight (Java), qpdf and poppler are Linux programs, which a
// Windows test under Wine can start but not wait for. The Windows build's PDF/A
// is judged by them from the Linux side instead (scripts/windows/test).
#![cfg(not(windows))]

use std::path::Path;
use std::process::Command;

use hoso_imaging::PageClass;
use hoso_pdf::{DEFAULT_FONT, DocumentMeta, FontFile, PageInput, PdfaPart, TextBox, write_pdfa};
use image::{DynamicImage, GrayImage, Luma, Rgb, RgbImage};

const PREFLIGHT_CP: &str = "/usr/share/java/preflight.jar:/usr/share/java/pdfbox2.jar:/usr/share/java/fontbox2.jar:/usr/share/java/xmpbox.jar:/usr/share/java/commons-logging.jar:/usr/share/java/javax.activation.jar:/usr/share/java/jaxb-api.jar";

/// Runs Preflight; its verdict and what it printed.
pub fn preflight(file: &Path) -> (bool, String) {
    let o = Command::new("java")
        .args(["-cp", PREFLIGHT_CP, "org.apache.pdfbox.preflight.Validator_A1b"])
        .arg(file)
        .output()
        .expect("java with libpdfbox2-java installed");
    let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    (o.status.success() && text.contains("is a valid PDF/A-1b file"), text)
}

/// Runs a poppler tool on the file; pdftotext writes to stdout.
fn tool(name: &str, args: &[&str], file: &Path) -> String {
    let mut c = Command::new(name);
    c.args(args).arg(file);
    if name == "pdftotext" {
        c.arg("-");
    }
    let o = c.output().unwrap_or_else(|e| panic!("{name}: {e}"));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn meta() -> DocumentMeta {
    DocumentMeta {
        title: "000.00.01.H29-261123-0001 – Giấy khai sinh".into(),
        author: "Trung tâm Phục vụ hành chính công phường Sài Gòn".into(),
        subject: "Chứng thực bản sao từ bản chính".into(),
        keywords: "000.00.01.H29-261123-0001; 2.000815; BC".into(),
        language: "vi".into(),
        created: "2026-11-23T10:15:30+07:00".into(),
        record_code: "000.00.01.H29-261123-0001".into(),
        procedure: "2.000815".into(),
        component: "1 BC".into(),
        producer: "HoSo Intake test".into(),
    }
}

/// A 200 dpi A5-ish page with two dark bars where the words are, plus a red
/// stamp on the colour version.
fn page(colour: bool) -> DynamicImage {
    let (w, h) = (1100, 800);
    let ink =
        |x: u32, y: u32| (100..1000).contains(&x) && ((100..140).contains(&y) || (200..240).contains(&y));
    if colour {
        DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
            let d = (x as i32 - 800).pow(2) + (y as i32 - 600).pow(2);
            if ink(x, y) {
                Rgb([20, 20, 25])
            } else if (90 * 90..110 * 110).contains(&d) {
                Rgb([210, 30, 40])
            } else {
                Rgb([245, 243, 238])
            }
        }))
    } else {
        DynamicImage::ImageLuma8(GrayImage::from_fn(w, h, |x, y| Luma([if ink(x, y) { 15 } else { 250 }])))
    }
}

fn words() -> Vec<TextBox> {
    let word =
        |text: &str, x: u32, y: u32, w: u32, line: u64| TextBox { text: text.into(), x, y, w, h: 40, line };
    vec![
        word("Chứng", 100, 100, 180, 1),
        word("thực", 300, 100, 140, 1),
        word("bản", 460, 100, 110, 1),
        word("sao", 590, 100, 100, 1),
        word("đúng", 710, 100, 140, 1),
        word("với", 870, 100, 130, 1),
        word("bản", 100, 200, 110, 2),
        word("chính.", 230, 200, 170, 2),
        word("Số:", 420, 200, 90, 2),
        word("01/2026", 530, 200, 200, 2),
    ]
}

fn write(dir: &Path, name: &str, part: PdfaPart, classes: &[PageClass]) -> std::path::PathBuf {
    let font = FontFile::load(Path::new(DEFAULT_FONT)).expect("fonts-liberation2 installed");
    let pdf = write_pdfa(
        classes.len(),
        |i| {
            Ok(PageInput {
                image: page(classes[i] == PageClass::Colour),
                dpi: 200.0,
                class: classes[i],
                words: words(),
            })
        },
        &meta(),
        &font,
        part,
        *b"0123456789abcdef",
    )
    .unwrap();
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    path
}

#[test]
fn part1_output_passes_preflight_and_reads_back_as_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    let file =
        write(dir.path(), "a1.pdf", PdfaPart::One, &[PageClass::Bilevel, PageClass::Colour, PageClass::Gray]);
    let (valid, report) = preflight(&file);
    assert!(valid, "{report}");

    let qpdf = Command::new("qpdf").arg("--check").arg(&file).output().unwrap();
    assert!(qpdf.status.success(), "{}", String::from_utf8_lossy(&qpdf.stdout));

    // Text copies out as the NFC Vietnamese that went in, words and lines kept.
    let text = tool("pdftotext", &["-f", "2", "-l", "2"], &file);
    assert!(text.contains("Chứng thực bản sao đúng với\nbản chính. Số: 01/2026"), "{text:?}");

    let fonts = tool("pdffonts", &[], &file);
    let row = fonts.lines().find(|l| l.contains("LiberationSerif")).expect("the font is listed");
    assert!(row.contains("CID TrueType") && row.contains("Identity-H"), "{fonts}");
    assert_eq!(
        row.split_whitespace().rev().skip(2).take(3).collect::<Vec<_>>(),
        ["yes", "yes", "yes"],
        "emb sub uni: {fonts}"
    );

    // Colour stays colour (background), text is a full-resolution mask; plain
    // text pages are one bit.
    let images = tool("pdfimages", &["-list"], &file);
    let rows: Vec<Vec<&str>> = images.lines().skip(2).map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows[0][2..6], ["image", "1100", "800", "gray"], "{images}");
    assert_eq!(rows[0][7], "1", "{images}");
    assert!(rows.iter().any(|r| r[0] == "2" && r[5] == "rgb" && r[8] == "jpeg"), "{images}");
    assert!(rows.iter().any(|r| r[0] == "2" && r[2] == "stencil" && r[3] == "1100"), "{images}");
}

#[test]
fn part2_declares_part_2_with_the_same_structures() {
    let dir = tempfile::tempdir().unwrap();
    let one = write(dir.path(), "a1.pdf", PdfaPart::One, &[PageClass::Colour]);
    let two = write(dir.path(), "a2.pdf", PdfaPart::Two, &[PageClass::Colour]);
    let a = std::fs::read(&one).unwrap();
    let b = std::fs::read(&two).unwrap();
    assert!(b.starts_with(b"%PDF-1.7") && a.starts_with(b"%PDF-1.4"));
    let xmp = |bytes: &[u8]| {
        let s = String::from_utf8_lossy(bytes).into_owned();
        let start = s.find("<pdfaid:part>").unwrap();
        s[start..start + 14].to_owned()
    };
    assert_eq!(xmp(&a), "<pdfaid:part>1");
    assert_eq!(xmp(&b), "<pdfaid:part>2");
    // Apart from the header, the part number and offsets, the files agree.
    assert!((a.len() as i64 - b.len() as i64).abs() < 4);
    let qpdf = Command::new("qpdf").arg("--check").arg(&two).output().unwrap();
    assert!(qpdf.status.success());
    let info = tool("pdfinfo", &[], &two);
    assert!(info.contains("Title:           000.00.01.H29-261123-0001 – Giấy khai sinh"), "{info}");
    assert!(info.contains("PDF version:     1.7"), "{info}");
    assert!(info.contains("CreationDate:    Mon Nov 23 03:15:30 2026 UTC"), "{info}");
}

#[test]
fn a_broken_file_is_judged_invalid_by_preflight() {
    // The validator must be able to say no: the same file with its XMP part
    // number made inconsistent with its header rules fails.
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a1.pdf", PdfaPart::One, &[PageClass::Gray]);
    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes.windows(18).position(|w| w == b"<pdfaid:part>1</pd").unwrap();
    bytes[at + 13] = b'7';
    std::fs::write(&file, &bytes).unwrap();
    let (valid, report) = preflight(&file);
    assert!(!valid, "{report}");
}
