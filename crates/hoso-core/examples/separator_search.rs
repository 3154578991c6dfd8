//! Benchmark (not a test): what the separator search costs each scanned page.
//! `hoso scan` looks at every page for a separator sheet's QR code, then for a
//! Patch T ([`hoso_core::find_separator`]); this times that search on page
//! files, side by side with the quality gate's own pass over the same pixels
//! (`hoso_imaging::measure`), which processing runs on every page anyway.
//! `cargo run --release -p hoso-core --example separator_search -- FILES…`
use std::time::{Duration, Instant};

fn main() {
    let (mut search, mut measure) = (Vec::new(), Vec::new());
    let mut found = 0;
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("readable file");
        let frame = match hoso_imaging::decode_frame(&bytes, 0, &hoso_imaging::Limits::default()) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let dpi = frame.info.dpi.unwrap_or(300.0);
        let t = Instant::now();
        found += usize::from(hoso_core::find_separator(&frame.image, dpi).is_some());
        search.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(hoso_imaging::measure(&frame.image));
        measure.push(t.elapsed());
    }
    let ms = |d: &mut Vec<Duration>| {
        d.sort();
        let mean = d.iter().sum::<Duration>().as_secs_f64() * 1000.0 / d.len().max(1) as f64;
        (d.get(d.len() / 2).map_or(0.0, |m| m.as_secs_f64() * 1000.0), mean)
    };
    let ((s_med, s_mean), (m_med, m_mean)) = (ms(&mut search), ms(&mut measure));
    println!(
        "separator search (QR, then Patch T): {s_med:.0} ms a page (median; mean {s_mean:.0}) over {} pages, \
         {found} separators; the gate's measure pass: {m_med:.0} ms (mean {m_mean:.0})",
        search.len()
    );
}
