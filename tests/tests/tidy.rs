//! Repository hygiene that reviews would otherwise have to catch.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

/// The files ending in `.{ext}` under `dir`, leaving out folders named `skip`.
fn files(dir: &Path, ext: &str, skip: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() && !path.ends_with(skip) {
            files(&path, ext, skip, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    files(dir, "rs", "target", out);
}

/// Every source file says what it owns before anything else (style.md, habit 2).
#[test]
fn every_source_file_opens_with_a_module_doc() {
    let mut files = Vec::new();
    for dir in ["crates", "src-tauri", "tests", "fuzz"] {
        rust_files(&root().join(dir), &mut files);
    }
    assert!(files.len() > 20, "found only {} files", files.len());
    let missing: Vec<_> = files
        .iter()
        .filter(|f| !std::fs::read_to_string(f).unwrap().starts_with("//!"))
        .map(|f| f.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a leading //! doc: {missing:#?}");
}

/// Every crate under crates/ is named after its folder and is listed in ARCHITECTURE.md.
#[test]
fn crates_are_named_after_their_folder_and_documented() {
    let arch = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    for entry in std::fs::read_dir(root().join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        assert!(manifest.contains(&format!("name = \"{name}\"")), "{name}: package name differs from folder");
        assert!(manifest.contains("version.workspace = true"), "{name}: version not from the workspace");
        assert!(arch.contains(&format!("`{name}`")), "{name} is not in ARCHITECTURE.md's code map");
    }
}

/// Each front-end module is one screen or one concern, small enough to read
/// at once (issue 16: none over 300 lines), and says what it is first.
#[test]
fn front_end_modules_stay_small_and_say_what_they_are() {
    let mut modules = Vec::new();
    files(&root().join("ui/src"), "ts", "bindings", &mut modules);
    assert!(modules.len() >= 8, "found only {} modules", modules.len());
    for f in &modules {
        let text = std::fs::read_to_string(f).unwrap();
        let name = f.strip_prefix(root()).unwrap().display().to_string();
        assert!(text.lines().count() <= 300, "{name}: {} lines", text.lines().count());
        assert!(text.starts_with("//"), "{name} does not open with a comment on what it is");
    }
}
