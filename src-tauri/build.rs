//! Tauri's build step: checks tauri.conf.json and the capabilities, embeds the icons.
fn main() {
    tauri_build::build()
}
