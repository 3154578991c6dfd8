//! Reads a card image and prints what pre-fills the applicant:
//! `cargo run -p hoso-ocr --example card -- IMAGE`
fn main() -> Result<(), Box<dyn std::error::Error>> {
    env_logger::init();
    let path = std::env::args().nth(1).ok_or("usage: card IMAGE")?;
    let frame = hoso_imaging::decode_frame(&std::fs::read(path)?, 0, &hoso_imaging::Limits::default())?;
    let mut ocr = hoso_ocr::Ocr::new(&hoso_ocr::OcrConfig::default())?;
    let reading = ocr.read_card(&frame.image)?;
    println!("{}", serde_json::to_string_pretty(&reading)?);
    Ok(())
}
