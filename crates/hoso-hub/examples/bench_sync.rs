//! Benchmark (not a test): records per second from a workstation's outbox to
//! the reference hub on loopback. Prepares N sealed records (one noisy,
//! unique, blank-looking page each, so no OCR time is spent), then times
//! `App::sync` until all are accepted.
//! `cargo run --release -p hoso-hub --example bench_sync [N] [--faults]`
//! (default 1000). With `--faults`, every 7th request is answered 503 and every
//! 11th connection dropped after the hub did the work; the run must still end
//! with every record at the hub exactly once.

use std::sync::Arc;
use std::time::Instant;

use hoso_core::{App, config};
use hoso_model::{Applicant, Channel};

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let faults = std::env::args().any(|a| a == "--faults");
    let tmp = tempfile::tempdir()?;
    let hub = Arc::new(hoso_hub::Hub::open(&tmp.path().join("hub"))?);
    static REQUESTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let mut router = hoso_hub::router(Arc::clone(&hub));
    if faults {
        router = router.layer(axum::middleware::from_fn(
            |req: axum::extract::Request, next: axum::middleware::Next| async move {
                use axum::response::IntoResponse;
                let k = REQUESTS.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                if k.is_multiple_of(7) {
                    return axum::http::StatusCode::SERVICE_UNAVAILABLE.into_response();
                }
                let answer = next.run(req).await;
                if k.is_multiple_of(11) {
                    std::panic::resume_unwind(Box::new("dropping the connection"));
                }
                answer
            },
        ));
        // The dropped connections are deliberate; keep their panic messages quiet.
        std::panic::set_hook(Box::new(|_| {}));
    }
    let url = hoso_hub::spawn_local(router)?;
    let config_file = tmp.path().join("config.toml");
    std::fs::write(&config_file, format!("device_id = \"bench\"\nhub_key = \"{}\"\n", hub.public_key()))?;
    let cfg = config::load(&config::Overrides {
        config_file: Some(config_file),
        data_dir: Some(tmp.path().join("ws")),
        unit: Some("000.00.01.H29".into()),
    })?;
    let mut app = App::open(cfg, hoso_core::Actor::system("bench"))?;
    hub.enrol("bench", &app.device_key()?, "bench")?;

    let prepared = Instant::now();
    let mut codes = Vec::with_capacity(n);
    let mut pages = Vec::with_capacity(n);
    let mut state = 0x9e3779b9u32;
    for i in 0..n {
        let img = image::GrayImage::from_fn(620, 877, |_, _| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            image::Luma([240 + (state % 12) as u8])
        });
        let file = tmp.path().join("page.png");
        img.save(&file)?;
        let applicant = Applicant { name: format!("Bench {i}"), ..Default::default() };
        let r = app.new_record("1.001193", applicant, Channel::InPerson)?;
        let imported = app.import(&r.code.to_string(), 1, &[file])?;
        pages.extend(imported.files.iter().flat_map(|f| f.added.iter().copied()));
        codes.push(r.code.to_string());
    }
    app.process(hoso_core::default_workers())?;
    // The pages look blank, so processing left them out of the PDF/A: put
    // them back, as a clerk would, so that each record has a document.
    for page in pages {
        app.leave_out_page(page, false)?;
    }
    for code in &codes {
        app.build(code)?;
        app.seal(code)?;
    }
    println!("prepared {n} sealed records in {:.1} s", prepared.elapsed().as_secs_f64());

    let started = Instant::now();
    let mut bytes = 0u64;
    loop {
        let report = app.sync(Some(&url), true)?;
        bytes += report.bytes_sent;
        if report.postponed.is_empty() && report.rejected.is_empty() {
            break;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(hub.record_count()? == n as i64, "not every record arrived exactly once");
    println!(
        "{}synced {n} records ({:.1} MB) in {secs:.1} s: {:.1} records/s, {:.1} MB/s",
        if faults { "with faults: " } else { "" },
        bytes as f64 / 1e6,
        n as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
    Ok(())
}
