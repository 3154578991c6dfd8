//! What the signing tests share: scripts/test-pki's certificates, a HoSo
//! PDF/A to sign, and the independent verifier (pyHanko) run on a file.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use hoso_imaging::PageClass;
use hoso_pdf::{DEFAULT_FONT, DocumentMeta, FontFile, PageInput, PdfaPart, TextBox};
use image::{DynamicImage, GrayImage, Luma};

/// Runs `cmd`, fails the test with its output when it fails, and returns its output.
pub fn run(cmd: &mut Command) -> String {
    let o = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        o.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// scripts/test-pki's folder and the SoftHSM2 configuration of its token.
pub struct Pki {
    pub dir: PathBuf,
    pub conf: PathBuf,
}

impl Pki {
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A PKCS#12 file (password "bí mật") of `name`'s key and certificate with the CA's.
    pub fn p12(&self, name: &str) -> PathBuf {
        let file = format!("{name}.p12");
        run(Command::new("openssl").current_dir(&self.dir).args([
            "pkcs12",
            "-export",
            "-inkey",
            &format!("{name}.key"),
            "-in",
            &format!("{name}.crt"),
            "-certfile",
            "ca.crt",
            "-passout",
            "pass:bí mật",
            "-out",
            &file,
        ]));
        self.path(&file)
    }
}

/// The token and certificates of scripts/test-pki: a certifier and an agency
/// key, both labelled "sign", certificates from a test root CA.
pub fn setup() -> (tempfile::TempDir, Pki) {
    let tmp = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/test-pki");
    let conf = run(Command::new(script).arg(tmp.path()));
    let pki = Pki { dir: tmp.path().to_owned(), conf: PathBuf::from(conf.trim()) };
    (tmp, pki)
}

/// A two-page PDF/A as HoSo writes it.
pub fn document() -> Vec<u8> {
    let font = FontFile::load(Path::new(DEFAULT_FONT)).unwrap();
    let meta = DocumentMeta {
        title: "Bản sao".into(),
        author: "UBND phường Sài Gòn".into(),
        subject: "Chứng thực bản sao".into(),
        keywords: "test".into(),
        language: "vi".into(),
        created: "2026-11-23T09:00:00+07:00".into(),
        record_code: "000.00.01.H29-261123-0001".into(),
        procedure: "2.000815".into(),
        component: "1 BC".into(),
        producer: "HoSo Intake test".into(),
    };
    hoso_pdf::write_pdfa(
        2,
        |_| {
            Ok(PageInput {
                image: DynamicImage::ImageLuma8(GrayImage::from_fn(1654, 2339, |x, y| {
                    Luma([if (200..1400).contains(&x) && (300..340).contains(&y) { 10 } else { 250 }])
                })),
                dpi: 200.0,
                class: PageClass::Bilevel,
                words: vec![TextBox { text: "Giấy".into(), x: 200, y: 300, w: 300, h: 40, line: 1 }],
            })
        },
        &meta,
        &font,
        PdfaPart::One,
        *b"hoso-sign-test-1",
    )
    .unwrap()
}

/// Now as a PDF date in Vietnam's time (`/M`).
pub fn pdf_now() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap())
        .format("D:%Y%m%d%H%M%S+07'00'")
        .to_string()
}

/// pyHanko's judgement of `file` with the test CA as the only root: whether it
/// found every signature valid, and what it printed.
pub fn pyhanko(pki: &Pki, file: &Path) -> (bool, String) {
    let exe = std::env::var("HOSO_PYHANKO").unwrap_or_else(|_| "pyhanko".into());
    let o = Command::new(&exe)
        .args(["sign", "validate", "--trust"])
        .arg(pki.path("ca.crt"))
        .args(["--trust-replace", "--pretty-print"])
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{exe} (pyHanko, installed by scripts/setup): {e}"));
    let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    (o.status.success(), text)
}
