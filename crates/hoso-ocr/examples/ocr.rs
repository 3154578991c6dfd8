//! Reads page images with hoso-ocr and writes `<stem>.txt` beside each into an
//! output folder, for ../shared/tools/cer.py:
//! `cargo run --release -p hoso-ocr --example ocr -- OUTDIR IMAGE...`

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(args.next().ok_or("usage: ocr OUTDIR IMAGE...")?);
    std::fs::create_dir_all(&out)?;
    env_logger::init();
    let languages = std::env::var("OCR_LANG").unwrap_or_default();
    let mut ocr = hoso_ocr::Ocr::new(&hoso_ocr::OcrConfig { languages, ..Default::default() })?;
    for path in args {
        let bytes = std::fs::read(&path)?;
        let frame = hoso_imaging::decode_frame(&bytes, 0, &hoso_imaging::Limits::default())?;
        let started = Instant::now();
        let metrics = hoso_imaging::measure(&frame.image);
        let text = if metrics.looks_blank {
            String::new()
        } else {
            let page = ocr.read_page(&frame.image, frame.info.dpi)?;
            eprintln!(
                "{path}: rotation {} (osd {:.1}) skew {:.2}° conf {:.1} words {}",
                page.upright.rotation,
                page.orientation_confidence,
                page.upright.skew_deg,
                page.mean_confidence,
                page.words.len()
            );
            if std::env::var_os("OCR_WORDS").is_some() {
                for w in &page.words {
                    eprintln!("  {} {:.0} b{} l{}", w.text, w.conf, w.block, w.line);
                }
            }
            page.text()
        };
        eprintln!("{path}: {} ms", started.elapsed().as_millis());
        let stem = std::path::Path::new(&path).file_stem().ok_or("no file name")?;
        std::fs::write(out.join(stem).with_extension("txt"), text)?;
    }
    Ok(())
}
