//! `hoso-scan-worker --serve`: runs one scanner driver for the HoSo app in a
//! process of its own, answering on stdin/stdout (see `hoso_scan::worker`).
//! The app starts it; it is not meant to be run by hand.

use std::process::ExitCode;

fn main() -> ExitCode {
    if std::env::args().skip(1).collect::<Vec<_>>() != ["--serve"] {
        // Run by hand, with no language chosen: both.
        eprintln!("{}", hoso_i18n::msg!("scan-worker-direct"));
        return ExitCode::from(2);
    }
    let stdout = std::io::stdout().lock();
    match hoso_scan::worker::serve(
        std::io::stdin(),
        stdout,
        hoso_scan::open_in_process,
        hoso_scan::devices_in_process,
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hoso-scan-worker: {e}");
            ExitCode::FAILURE
        }
    }
}
