//! The HoSo Intake desktop app: a Tauri 2 window over [`hoso_desktop::Desktop`].

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use hoso_desktop::Desktop;
use tauri::{Emitter, Manager};

/// The front end's one entry point: a command name and its arguments. A
/// refusal reaches the window as `{code, message}`.
#[tauri::command(async)]
fn call(
    desktop: tauri::State<'_, Desktop>,
    command: String,
    args: serde_json::Value,
) -> Result<serde_json::Value, hoso_desktop::command::CallError> {
    desktop.call(&command, args)
}

/// The log file: `$XDG_STATE_HOME/hoso/hoso-desktop.log` (`~/.local/state/hoso/`)
/// on Linux, `%LOCALAPPDATA%\HoSo\logs\hoso-desktop.log` on Windows; the
/// previous one is kept as `.1` once it passes 10 MB. Standard error when the
/// folder cannot be written.
fn log_path() -> Option<std::path::PathBuf> {
    let dir = if cfg!(windows) {
        std::path::PathBuf::from(std::env::var_os("LOCALAPPDATA")?).join("HoSo").join("logs")
    } else {
        std::env::var_os("XDG_STATE_HOME")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".local/state")))?
            .join("hoso")
    };
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir.join("hoso-desktop.log"))
}

fn init_log() {
    let mut builder = env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"));
    if let Some(path) = log_path() {
        if std::fs::metadata(&path).is_ok_and(|m| m.len() > 10 << 20) {
            let _ = std::fs::rename(&path, path.with_extension("log.1"));
        }
        if let Ok(file) = std::fs::OpenOptions::new().create(true).append(true).open(&path) {
            builder.target(env_logger::Target::Pipe(Box::new(file)));
        }
    }
    builder.init();
}

/// Ends the app with a message the clerk can see: the log and standard error,
/// and on Windows (a windowed program has no console) a message box as well.
fn fatal(message: &hoso_i18n::Message) -> ! {
    // Before the window, no language was chosen: both, one per line.
    let [vi, en] = hoso_i18n::Lang::ALL.map(|lang| message.text(lang));
    let message = format!("{vi}\n{en}");
    log::error!("{message}");
    eprintln!("{message}");
    #[cfg(windows)]
    #[allow(unsafe_code)] // one Win32 call, its arguments checked below
    {
        use windows_sys::Win32::UI::WindowsAndMessaging::{MB_ICONERROR, MB_OK, MessageBoxW};
        let wide = |s: &str| s.encode_utf16().chain(Some(0)).collect::<Vec<u16>>();
        let (text, title) = (wide(&message), wide("HoSo Intake"));
        // SAFETY: both strings are NUL-terminated UTF-16 that outlive the call.
        unsafe { MessageBoxW(std::ptr::null_mut(), text.as_ptr(), title.as_ptr(), MB_OK | MB_ICONERROR) };
    }
    std::process::exit(1);
}

fn main() {
    // Tesseract needs OMP_THREAD_LIMIT=1 before the process starts: re-exec.
    hoso_core::ensure_single_thread_ocr();
    init_log();
    // The window is the system's web view: WebView2 on Windows, which a counter
    // PC may lack (the installer warns too). Say so before anything opens.
    if cfg!(windows) {
        match tauri::webview_version() {
            Ok(version) => log::info!("WebView2 {version}"),
            Err(e) => fatal(&hoso_i18n::msg!("desktop-no-webview", why = e.to_string())),
        }
    }
    let desktop = hoso_core::config::load(&hoso_core::config::Overrides::default()).and_then(Desktop::open);
    let desktop = match desktop {
        Ok(d) => d,
        // `hoso doctor` explains more.
        Err(e) => fatal(&hoso_i18n::msg!("desktop-cannot-start", why = hoso_i18n::Arg::error(e))),
    };
    tauri::Builder::default()
        .manage(desktop)
        .setup(|app| {
            // Progress as events: every change of the task list goes to the
            // window at once (the UI also polls, for the browser tests).
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                let mut last = Vec::new();
                loop {
                    std::thread::sleep(std::time::Duration::from_millis(250));
                    let now = handle.state::<Desktop>().tasks();
                    if now != last {
                        if let Err(e) = handle.emit("tasks", &now) {
                            log::warn!("task event: {e}");
                        }
                        last = now;
                    }
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![call])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| fatal(&hoso_i18n::msg!("desktop-cannot-run", why = e.to_string())));
}
