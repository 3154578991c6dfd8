//! Serves the desktop's commands and the built front end on a loopback port
//! (`hoso_desktop::bridge`), for the browser tests and for trying the UI in a
//! browser: `cargo run -p hoso-desktop --example ui_bridge -- [ui/dist]`.
//! Configuration as for `hoso` (HOSO_CONFIG, HOSO_DATA_DIR, …). Prints
//! `listening on URL`, then serves until killed.

use std::io::Write;
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    hoso_core::ensure_single_thread_ocr();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let dist = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/dist"));
    anyhow::ensure!(
        dist.join("index.html").is_file(),
        "{} has no index.html: npm --prefix ui run build",
        dist.display()
    );
    let config = hoso_core::config::load(&hoso_core::config::Overrides::default())?;
    let desktop = hoso_desktop::Desktop::open(config)?;
    let url = hoso_desktop::bridge::serve(desktop, dist)?;
    println!("listening on {url}");
    std::io::stdout().flush()?;
    loop {
        std::thread::park();
    }
}
