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

/// The string literals of Rust source `text` outside comments, each with its
/// line number (plain `"…"` and raw `r#"…"#` strings; escapes left as written).
fn string_literals(text: &str) -> Vec<(usize, String)> {
    let b = text.as_bytes();
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    while i < b.len() {
        match b[i] {
            b'\n' => line += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                line += text[i..end].matches('\n').count();
                i = end;
                continue;
            }
            // A char literal ('"', '\''), not a lifetime ('a).
            b'\'' if b.get(i + 2) == Some(&b'\'') => {
                i += 3;
                continue;
            }
            b'\'' if b.get(i + 1) == Some(&b'\\') => {
                i += text[i + 1..].find('\'').map_or(b.len(), |e| e + 2);
                continue;
            }
            b'r' if matches!(b.get(i + 1), Some(b'"' | b'#'))
                && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) == Some(&b'"') {
                    let start = i + 2 + hashes;
                    let close = format!("\"{}", "#".repeat(hashes));
                    let end = text[start..].find(&close).map_or(b.len(), |e| start + e);
                    out.push((line, text[start..end].to_owned()));
                    line += text[start..end].matches('\n').count();
                    i = end + close.len();
                    continue;
                }
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(b.len());
                out.push((line, text[start..end].to_owned()));
                line += text[start..end].matches('\n').count();
                i = end + 1;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Whether `s` holds a letter only Vietnamese writes.
fn vietnamese(s: &str) -> bool {
    const LETTERS: &str = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ";
    s.chars().flat_map(char::to_lowercase).any(|c| LETTERS.contains(c))
}

/// No text for people is written in the code (issue 16): messages live in
/// the catalogues (assets/i18n/*.ftl), one language at a time, and a glued
/// "Vietnamese / English" string cannot come back. A Vietnamese letter in a
/// Rust string literal outside tests, or in any front-end string, is a
/// message left out of the catalogue, unless it is data listed here.
#[test]
fn text_for_people_lives_in_the_message_catalogues() {
    // (file, the literal, why it is not a message)
    const DATA: &[(&str, &str, &str)] = &[
        (
            "crates/hoso-cli/src/main.rs",
            "HoSo Intake: tiếp nhận và số hoá hồ sơ / record intake and digitisation",
            "clap's `about`, shown by --help before any language is chosen",
        ),
        (
            "crates/hoso-cli/src/main.rs",
            "Người thực hiện chứng thực",
            "the default title printed on a certified copy, which the law writes in Vietnamese",
        ),
        ("crates/hoso-cli/src/main.rs", "Ngô Thị Ngọc", "the demo's applicant"),
        (
            "crates/hoso-cli/src/main.rs",
            "31 Hai Bà Trưng, phường Sài Gòn, TP. Hồ Chí Minh",
            "the demo's applicant",
        ),
        ("crates/hoso-model/src/identity.rs", "Nữ", "what a card's QR code says for female"),
    ];
    let mut sources = Vec::new();
    for dir in ["crates", "src-tauri/src"] {
        rust_files(&root().join(dir), &mut sources);
    }
    let mut found = Vec::new();
    for file in &sources {
        let name = file.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
        // Tests may say what they expect in either language; benchmarks
        // (`examples/`) make Vietnamese test data and speak to developers.
        if name.contains("/tests/")
            || name.ends_with("/snapshots.rs")
            || name.contains("/benches/")
            || name.contains("/examples/")
        {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.find("\n#[cfg(test)]\nmod ").map_or(text.as_str(), |at| &text[..at]);
        for (line, literal) in string_literals(code) {
            if vietnamese(&literal) && !DATA.iter().any(|(f, l, _)| *f == name && *l == literal) {
                found.push(format!("{name}:{line}: {literal:?}"));
            }
        }
    }
    let mut modules = Vec::new();
    files(&root().join("ui/src"), "ts", "bindings", &mut modules);
    for file in &modules {
        let name = file.strip_prefix(root()).unwrap().display().to_string();
        for (n, line) in std::fs::read_to_string(file).unwrap().lines().enumerate() {
            if vietnamese(line) && !line.trim_start().starts_with("//") {
                found.push(format!("{name}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(sources.len() > 50, "found only {} Rust files", sources.len());
    assert!(found.is_empty(), "text outside assets/i18n/*.ftl: {found:#?}");
}

#[test]
fn the_literal_reader_sees_strings_and_skips_comments_and_chars() {
    let src = "let a = \"một\"; // \"hai\"\nlet c = '\"'; let r = r#\"ba \"x\"\"#; /* \"bốn\" */ let d = \"a\\\"b\";";
    let got: Vec<String> = string_literals(src).into_iter().map(|(_, s)| s).collect();
    assert_eq!(got, ["một", "ba \"x\"", "a\\\"b"]);
    assert!(vietnamese("Đã lưu") && !vietnamese("saved × 2 →"));
}
