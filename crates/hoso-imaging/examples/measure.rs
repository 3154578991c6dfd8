//! Prints the metrics of page images: `cargo run -p hoso-imaging --example measure -- FILES…`
fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("readable file");
        let t = std::time::Instant::now();
        match hoso_imaging::decode_frame(&bytes, 0, &hoso_imaging::Limits::default()) {
            Ok(f) => {
                let m = hoso_imaging::measure(&f.image);
                println!("{path}: {:?} {m:?} {:?}", f.info, t.elapsed());
            }
            Err(e) => println!("{path}: {e}"),
        }
    }
}
