//! Process start-up that must happen before any library spins up threads.

/// Environment variable OpenMP reads once, when the library loads.
const OMP_LIMIT: &str = "OMP_THREAD_LIMIT";

/// Makes sure Tesseract runs single-threaded per engine.
///
/// Tesseract parallelises with OpenMP, which on two cores makes it 3–7× slower
/// than one engine per page on its own thread; `OMP_THREAD_LIMIT=1` only works
/// when present as the process starts (setting it later is ignored). So when it
/// is missing, the program runs itself again with it set: on Unix by `exec`
/// (same process id, no second process), elsewhere as a child whose exit code is
/// passed on. Returns normally when the variable is already set (or re-running
/// failed, after a warning): the caller just carries on.
pub fn ensure_single_thread_ocr() {
    if std::env::var_os(OMP_LIMIT).is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else { return };
    let mut cmd = std::process::Command::new(exe);
    cmd.args(std::env::args_os().skip(1)).env(OMP_LIMIT, "1");
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let err = cmd.exec();
        log::warn!("could not restart with {OMP_LIMIT}=1 ({err}); OCR will be slower");
    }
    #[cfg(not(unix))]
    match cmd.status() {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(err) => log::warn!("could not restart with {OMP_LIMIT}=1 ({err}); OCR will be slower"),
    }
}
