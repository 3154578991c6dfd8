//! What the signing tests share: scripts/test-pki's certificates, a HoSo
//! PDF/A to sign, the independent verifier (pyHanko) run on a file, and the
//! revocation servers on loopback (a CRL file server, `openssl ocsp`).

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use hoso_imaging::PageClass;
use hoso_pdf::{DEFAULT_FONT, DocumentMeta, FontFile, PageInput, PdfaPart, TextBox};
use hoso_sign::{Appearance, SignatureInfo};
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
    setup_with(&[])
}

/// As [`setup`], with test-pki's further arguments (the CRL and OCSP
/// addresses its leaves name).
pub fn setup_with(args: &[String]) -> (tempfile::TempDir, Pki) {
    let tmp = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/test-pki");
    let conf = run(Command::new(script).arg(tmp.path().join("pki")).args(args));
    let pki = Pki { dir: tmp.path().join("pki"), conf: PathBuf::from(conf.trim()) };
    (tmp, pki)
}

/// What a signature's dictionary says, signed now.
pub fn info(field: &str, name: &str) -> SignatureInfo {
    SignatureInfo {
        field: field.into(),
        name: name.into(),
        reason: "Chứng thực bản sao đúng với bản chính".into(),
        location: "TP. Hồ Chí Minh".into(),
        time: pdf_now(),
    }
}

/// A visible signature: `lines` on `page` (0: the last), at the top or bottom.
pub fn look(page: usize, lines: &[&str], top: bool) -> Appearance {
    Appearance { page, lines: lines.iter().map(|l| l.to_string()).collect(), size: 10.0, top }
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
    pyhanko_as(pki, file, &["validate"])
}

/// As [`pyhanko`], with `pyhanko sign` run as `command` (its subcommand and
/// options before the trust roots: `validate`, `adesverify` …).
pub fn pyhanko_as(pki: &Pki, file: &Path, command: &[&str]) -> (bool, String) {
    let exe = std::env::var("HOSO_PYHANKO").unwrap_or_else(|_| "pyhanko".into());
    let o = Command::new(&exe)
        .arg("sign")
        .args(command)
        .arg("--trust")
        .arg(pki.path("ca.crt"))
        .args(["--trust-replace", "--pretty-print"])
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{exe} (pyHanko, installed by scripts/setup): {e}"));
    let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    (o.status.success(), text)
}

/// What PDFBox Preflight (Debian's) says of `file` as PDF/A-1b.
pub fn preflight(file: &Path) -> String {
    let o = Command::new("java")
        .args(["-cp", "/usr/share/java/preflight.jar:/usr/share/java/pdfbox2.jar:/usr/share/java/fontbox2.jar:/usr/share/java/xmpbox.jar:/usr/share/java/commons-logging.jar:/usr/share/java/javax.activation.jar:/usr/share/java/jaxb-api.jar", "org.apache.pdfbox.preflight.Validator_A1b"])
        .arg(file)
        .output()
        .unwrap();
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// A server process, ended with the test.
pub struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Python's http.server on a port it chose, serving `dir`.
pub fn file_server(dir: &Path) -> (Server, u16) {
    let mut child = Command::new("python3")
        .args(["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
    let port = line.split(" port ").nth(1).and_then(|r| r.split(' ').next()).unwrap().parse().unwrap();
    (Server(child), port)
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `openssl ocsp` answering from the CA's index, signing as `signer` (a name in the PKI folder).
pub fn ocsp_responder(pki: &Path, port: u16, signer: &str) -> Server {
    let mut child = Command::new("openssl")
        .current_dir(pki)
        .args(["ocsp", "-index", "index.txt", "-CA", "ca.crt", "-nmin", "5", "-ignore_err", "-port"])
        .arg(port.to_string())
        .args(["-rsigner", &format!("{signer}.crt"), "-rkey", &format!("{signer}.key")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Ready when it says so (a probing connection would hold the
    // one-at-a-time responder); its log is drained after that.
    let mut log = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("waiting for OCSP client connections") {
        line.clear();
        assert!(log.read_line(&mut line).unwrap() > 0, "openssl ocsp ended before it listened");
    }
    std::thread::spawn(move || std::io::copy(&mut log, &mut std::io::sink()));
    Server(child)
}

/// The last signature's CMS in `pdf`, its DER length long (the zero padding
/// of /Contents left out), and where its hex starts in `pdf`.
pub fn last_cms(pdf: &[u8]) -> (usize, Vec<u8>) {
    let at = pdf.windows(11).rposition(|w| w == b"/Contents <").unwrap() + 11;
    let end = at + pdf[at..].iter().position(|&b| b == b'>').unwrap();
    let bytes: Vec<u8> = pdf[at..end]
        .chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect();
    // SEQUENCE with a two-byte length (30 82 hi lo).
    assert_eq!((bytes[0], bytes[1]), (0x30, 0x82));
    let len = 4 + ((bytes[2] as usize) << 8 | bytes[3] as usize);
    (at, bytes[..len].to_vec())
}

/// `pdf` with one bit flipped near the end of its last signature's CMS: in
/// the signature value of the time-stamp token, the last unsigned attribute.
pub fn forge_timestamp(pdf: &[u8]) -> Vec<u8> {
    let (at, cms) = last_cms(pdf);
    let byte = cms.len() - 10;
    let mut out = pdf.to_vec();
    let flipped = format!("{:02X}", cms[byte] ^ 1);
    out[at + 2 * byte..at + 2 * byte + 2].copy_from_slice(flipped.as_bytes());
    out
}

/// An RFC 3161 time-stamping authority on loopback: `openssl ts -reply` (a real
/// TSA implementation) behind a minimal HTTP front written for the test.
pub fn tsa(pki: &Pki) -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/tsa", listener.local_addr().unwrap());
    let dir = pki.dir.clone();
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().flatten().enumerate() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let (query, reply) = (dir.join(format!("q{n}.tsq")), dir.join(format!("r{n}.tsr")));
            std::fs::write(&query, body).unwrap();
            let ok = Command::new("openssl")
                .args(["ts", "-reply", "-config"])
                .arg(dir.join("tsa.cnf"))
                .arg("-queryfile")
                .arg(&query)
                .arg("-out")
                .arg(&reply)
                .output()
                .unwrap()
                .status
                .success();
            let answer = if ok { std::fs::read(&reply).unwrap() } else { Vec::new() };
            let mut stream = stream;
            let head = format!(
                "HTTP/1.1 {}\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                if ok { "200 OK" } else { "500 Internal Server Error" },
                answer.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&answer);
        }
    });
    url
}
