//! The HoSo Intake desktop app: a Tauri 2 window over [`hoso_desktop::Desktop`].

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use hoso_desktop::Desktop;

/// The front end's one entry point: a command name and its arguments.
#[tauri::command(async)]
fn call(
    desktop: tauri::State<'_, Desktop>,
    command: String,
    args: serde_json::Value,
) -> Result<serde_json::Value, String> {
    desktop.call(&command, args)
}

fn main() {
    // Tesseract needs OMP_THREAD_LIMIT=1 before the process starts: re-exec.
    hoso_core::ensure_single_thread_ocr();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let desktop = hoso_core::config::load(&hoso_core::config::Overrides::default()).and_then(Desktop::open);
    let desktop = match desktop {
        Ok(d) => d,
        Err(e) => {
            // Shown in the terminal and the system log; `hoso doctor` explains more.
            eprintln!("HoSo Intake không khởi động được / cannot start: {e:#}\nRun `hoso doctor`.");
            std::process::exit(1);
        }
    };
    tauri::Builder::default()
        .manage(desktop)
        .invoke_handler(tauri::generate_handler![call])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("HoSo Intake: {e}");
            std::process::exit(1);
        });
}
