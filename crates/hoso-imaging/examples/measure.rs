//! Prints the metrics of page images: `cargo run -p hoso-imaging --example measure -- FILES…`
//! With `BLUR=sigma` each page is blurred first (to calibrate the blur check).
fn main() {
    let blur: f32 = std::env::var("BLUR").ok().and_then(|b| b.parse().ok()).unwrap_or(0.0);
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("readable file");
        let t = std::time::Instant::now();
        match hoso_imaging::decode_frame(&bytes, 0, &hoso_imaging::Limits::default()) {
            Ok(f) => {
                let img = if blur > 0.0 { f.image.blur(blur) } else { f.image };
                let m = hoso_imaging::measure(&img);
                println!(
                    "{path}: paper {:.0} ink {:.0} sharp {:.3} mid {:.4} {:?} blank {} colour {} {:?}",
                    m.paper_level,
                    m.ink_level,
                    m.sharpness,
                    m.midtone_ratio,
                    m.class,
                    m.looks_blank,
                    m.is_colour,
                    t.elapsed()
                );
            }
            Err(e) => println!("{path}: {e}"),
        }
    }
}
