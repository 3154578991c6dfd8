//! The hostile corpus: the ways a signed file can deceive, each made here and
//! judged by HoSo and by pyHanko side by side. A table is printed (case,
//! HoSo's verdict per signature, pyHanko's); the two must agree on every case,
//! and each case must give the verdict it should. Nothing may panic.
//!
//! Certificates: scripts/test-pki's CA, its leaves naming a CRL (served by
//! Python's http.server) and an OCSP responder (`openssl ocsp`) on loopback,
//! and hostile ones issued here by `openssl ca` (expired, not yet valid, wrong
//! key usage, revoked with only a CRL or only OCSP) or by an end-entity
//! certificate. Signatures by HoSo, pyHanko and `openssl cms`; later revisions
//! by lopdf's incremental writer, as any PDF library would append them; a file
//! re-saved with object streams by pikepdf.
//!
//! Where pyHanko and HoSo differ by design, the corpus leaves the case out and
//! ARCHITECTURE.md says so (pyHanko's default policy asks a signer's
//! certificate for nonRepudiation; HoSo takes digitalSignature too).

// Linux-only: test-pki, pyHanko, pikepdf and the servers are Linux programs.
#![cfg(not(windows))]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use hoso_pdf::{DEFAULT_FONT, FontFile};
use hoso_sign::{FileSigner, Revocation, SignatureReport, TrustRoots, Verdict, sign_pdf};
use lopdf::{Dictionary, IncrementalDocument, Object, Stream};

mod common;
use common::{
    Pki, document, file_server, forge_timestamp, free_port, info, last_cms, look, ocsp_responder, pyhanko,
    run, setup_with, tsa,
};

/// A leaf's extensions, as test-pki gives them, before its revocation sources.
const LEAF: &str = "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n\
                    subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";

/// `pdf` with one more revision: what `edit` puts in the new document.
fn update(pdf: &[u8], edit: impl FnOnce(&lopdf::Document, &mut lopdf::Document)) -> Vec<u8> {
    let prev = lopdf::Document::load_mem(pdf).unwrap();
    let mut inc = IncrementalDocument::create_from(pdf.to_vec(), prev);
    let prev = inc.get_prev_documents().clone();
    edit(&prev, &mut inc.new_document);
    let mut out = Vec::new();
    inc.save_to(&mut out).unwrap();
    out
}

fn first_page(doc: &lopdf::Document) -> lopdf::ObjectId {
    *doc.get_pages().get(&1).unwrap()
}

fn catalog_id(doc: &lopdf::Document) -> lopdf::ObjectId {
    doc.trailer.get(b"Root").unwrap().as_reference().unwrap()
}

/// A copy of `id`'s dictionary from `prev`, edited, as the new version.
fn replace_dict(
    prev: &lopdf::Document,
    new: &mut lopdf::Document,
    id: lopdf::ObjectId,
    edit: impl FnOnce(&mut Dictionary),
) {
    let mut dict = prev.get_dictionary(id).unwrap().clone();
    edit(&mut dict);
    new.set_object(id, Object::Dictionary(dict));
}

/// Where the last `/Contents <…>` string of `pdf` lies: from `<` to after `>`.
fn contents_at(pdf: &[u8]) -> (usize, usize) {
    let start = pdf.windows(11).rposition(|w| w == b"/Contents <").unwrap() + 10;
    let end = start + pdf[start..].iter().position(|&b| b == b'>').unwrap() + 1;
    (start, end)
}

/// One verdict of either verifier, in the words the table uses.
fn hoso_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Valid => "valid",
        Verdict::RevocationUnknown => "revocation unknown",
        Verdict::Revoked => "revoked",
        Verdict::Untrusted => "untrusted",
        Verdict::Changed => "changed",
        Verdict::Invalid => "invalid",
    }
}

/// pyHanko's verdict on each signature, read from its pretty-printed report;
/// a file it cannot read at all counts as invalid.
fn pyhanko_classes(ok: bool, text: &str) -> Vec<&'static str> {
    let mut sections: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with("Field ") && line.contains(": ") {
            sections.push(String::new());
        } else if let Some(s) = sections.last_mut() {
            s.push_str(line);
            s.push('\n');
        }
    }
    if sections.is_empty() {
        assert!(!ok, "pyHanko found no signature and said so: {text}");
        return vec!["invalid"];
    }
    sections
        .iter()
        .map(|s| {
            if s.contains("The signature is judged VALID.") {
                "valid"
            } else if s.contains("The signer's certificate is revoked.") {
                "revoked"
            } else if s.contains("unsound") || !s.contains("The signature is cryptographically sound.") {
                "invalid"
            } else if !(s.contains("The signature covers the entire file.")
                || s.contains("All modifications relate to signature maintenance"))
            {
                "changed"
            } else if s.contains("The signer's certificate is untrusted.") {
                "untrusted"
            } else {
                "invalid"
            }
        })
        .collect()
}

/// The corpus's PKI and the servers that answer for it.
struct Lab {
    _tmp: tempfile::TempDir,
    pki: Pki,
    served: PathBuf,
    crl_port: u16,
    ocsp_port: u16,
    font: FontFile,
    now: i64,
}

impl Lab {
    fn new() -> (Lab, common::Server) {
        // The CRL's server first: its port goes into the certificates.
        let served = tempfile::tempdir().unwrap().keep();
        let (files, crl_port) = file_server(&served);
        let ocsp_port = free_port();
        let (tmp, pki) = setup_with(&[
            format!("http://127.0.0.1:{crl_port}/ca.crl"),
            format!("http://127.0.0.1:{ocsp_port}/"),
        ]);
        let text = std::fs::read_to_string(pki.path("ca.cnf")).unwrap();
        std::fs::write(
            pki.path("issue.cnf"),
            text.replacen("database =", "serial = $dir/serial\ndatabase =", 1),
        )
        .unwrap();
        std::fs::write(pki.path("serial"), "1000\n").unwrap();
        let lab = Lab {
            _tmp: tmp,
            pki,
            served: served.clone(),
            crl_port,
            ocsp_port,
            font: FontFile::load(Path::new(DEFAULT_FONT)).unwrap(),
            now: chrono::Utc::now().timestamp(),
        };
        (lab, files)
    }

    fn openssl_ca(&self, args: &[&str]) {
        run(Command::new("openssl")
            .current_dir(&self.pki.dir)
            .args([
                "ca",
                "-config",
                "issue.cnf",
                "-batch",
                "-notext",
                "-utf8",
                "-keyfile",
                "ca.key",
                "-cert",
                "ca.crt",
            ])
            .args(args));
    }

    /// A new RSA key `name.key` and its request `name.csr` for `cn`.
    fn request(&self, name: &str, cn: &str) {
        let (key, subject, csr) =
            (format!("{name}.key"), format!("/C=VN/O=HoSo Test/CN={cn}"), format!("{name}.csr"));
        run(Command::new("openssl").current_dir(&self.pki.dir).args([
            "req", "-utf8", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", &key, "-subj", &subject,
            "-out", &csr,
        ]));
    }

    /// A key and a certificate `name` for `cn`, issued by the test CA with
    /// `ext` and `openssl ca`'s validity arguments.
    fn issue(&self, name: &str, cn: &str, ext: &str, validity: &[&str]) {
        std::fs::write(self.pki.path(&format!("{name}.ext")), ext).unwrap();
        self.request(name, cn);
        let (csr, ext, crt) = (format!("{name}.csr"), format!("{name}.ext"), format!("{name}.crt"));
        let mut args = vec!["-md", "sha256", "-extfile", &ext, "-in", &csr, "-out", &crt];
        args.extend_from_slice(validity);
        self.openssl_ca(&args);
    }

    fn revoke(&self, name: &str) {
        self.openssl_ca(&["-revoke", &format!("{name}.crt"), "-crl_reason", "keyCompromise"]);
    }

    /// The CA's CRL as of now, where the certificates say it is.
    fn publish_crl(&self) {
        self.openssl_ca(&["-gencrl", "-out", "ca.crl"]);
        std::fs::copy(self.pki.path("ca.crl"), self.served.join("ca.crl")).unwrap();
    }

    /// `pdf` signed by HoSo with `who`'s PKCS#12 file.
    fn hoso_sign(&self, pdf: &[u8], who: &str, field: &str, tsa: Option<&str>) -> Vec<u8> {
        let p12 = self.pki.path(&format!("{who}.p12"));
        let p12 = if p12.exists() { p12 } else { self.pki.p12(who) };
        let mut signer = FileSigner::open(&p12, "bí mật", false).unwrap();
        let page = if field == "Certifier" { 0 } else { 1 };
        sign_pdf(
            pdf,
            &mut signer,
            &info(field, who),
            &look(page, &[field, who], page == 1),
            &self.font,
            self.now,
            tsa,
        )
        .unwrap()
    }

    /// `pdf` signed by pyHanko with `who`'s key and certificate (`args` before the key source).
    fn pyhanko_sign(
        &self,
        pdf: &[u8],
        who: &str,
        field: &str,
        args: &[&str],
        chain: Option<&str>,
    ) -> Vec<u8> {
        let (input, output) = (self.pki.path("in.pdf"), self.pki.path("out.pdf"));
        std::fs::write(&input, pdf).unwrap();
        let exe = std::env::var("HOSO_PYHANKO").unwrap_or_else(|_| "pyhanko".into());
        let mut cmd = Command::new(exe);
        cmd.current_dir(&self.pki.dir).args(["sign", "addsig", "--field", field]).args(args);
        cmd.args(["pemder", "--no-pass", "--key", &format!("{who}.key"), "--cert", &format!("{who}.crt")]);
        if let Some(chain) = chain {
            cmd.args(["--chain", chain]);
        }
        run(cmd.arg(&input).arg(&output));
        std::fs::read(output).unwrap()
    }

    /// `pdf` with a signature field HoSo prepared and a CMS by `openssl cms`
    /// (CAdES attributes, digest `md`) over its byte range; `skip` bytes after
    /// `/Contents` left out of the range as well.
    fn openssl_sign(&self, pdf: &[u8], who: &str, md: &str, skip: usize) -> Vec<u8> {
        let prepared =
            hoso_sign::pdf::prepare(pdf, &info("Certifier", who), &look(0, &[who], false), &self.font)
                .unwrap();
        let mut bytes = prepared.bytes;
        let (b, c) = contents_at(&bytes);
        let c = c + skip;
        let at = bytes.windows(12).rposition(|w| w == b"/ByteRange [").unwrap() + 11;
        let end = at + bytes[at..].iter().position(|&x| x == b']').unwrap() + 1;
        let range = format!("[0 {b:>12} {c:>12} {:>12}]", bytes.len() - c);
        assert_eq!(range.len(), end - at);
        bytes[at..end].copy_from_slice(range.as_bytes());
        let data = self.pki.path("range.bin");
        std::fs::write(&data, [&bytes[..b], &bytes[c..]].concat()).unwrap();
        let sig = self.pki.path("range.p7s");
        run(Command::new("openssl")
            .current_dir(&self.pki.dir)
            .args([
                "cms",
                "-sign",
                "-binary",
                "-cades",
                "-nosmimecap",
                "-md",
                md,
                "-outform",
                "DER",
                "-signer",
            ])
            .arg(format!("{who}.crt"))
            .args(["-inkey", &format!("{who}.key"), "-in"])
            .arg(&data)
            .arg("-out")
            .arg(&sig));
        let hex: String = std::fs::read(&sig).unwrap().iter().map(|b| format!("{b:02X}")).collect();
        bytes[b + 1..b + 1 + hex.len()].copy_from_slice(hex.as_bytes());
        bytes
    }
}

struct Case {
    name: &'static str,
    pdf: Vec<u8>,
    /// The verdict each signature should get, in file order (pyHanko's too).
    expect: Vec<&'static str>,
}

impl Case {
    fn new(name: &'static str, pdf: Vec<u8>, expect: &[&'static str]) -> Case {
        Case { name, pdf, expect: expect.to_vec() }
    }
}

#[test]
fn hostile_files_get_the_verdict_pyhanko_gives_and_none_panics() {
    let (lab, _files) = Lab::new();
    let pki = &lab.pki;
    // Hostile certificates, revocations and the CRL, before the OCSP
    // responder reads the CA's database.
    let crl_line = format!("crlDistributionPoints=URI:http://127.0.0.1:{}/ca.crl\n", lab.crl_port);
    let ocsp_line = format!("authorityInfoAccess=OCSP;URI:http://127.0.0.1:{}/\n", lab.ocsp_port);
    let both = format!("{LEAF}{crl_line}{ocsp_line}");
    lab.issue("expired", "Hết Hạn", &both, &["-startdate", "250101000000Z", "-enddate", "250201000000Z"]);
    lab.issue("notyet", "Chưa Tới", &both, &["-startdate", "300101000000Z", "-enddate", "300201000000Z"]);
    let key_enc = both.replace("digitalSignature,nonRepudiation", "keyEncipherment");
    lab.issue("keyenc", "Sai Mục Đích", &key_enc, &["-days", "30"]);
    lab.issue("crlonly", "Thu Hồi CRL", &format!("{LEAF}{crl_line}"), &["-days", "30"]);
    lab.issue("ocsponly", "Thu Hồi OCSP", &format!("{LEAF}{ocsp_line}"), &["-days", "30"]);
    lab.revoke("crlonly");
    lab.revoke("ocsponly");
    lab.publish_crl();
    // An end-entity certificate (the certifier's) used as a CA.
    lab.request("forged", "Trần Thị Chứng Thực");
    run(Command::new("openssl").current_dir(&pki.dir).args([
        "x509",
        "-req",
        "-in",
        "forged.csr",
        "-CA",
        "certifier.crt",
        "-CAkey",
        "certifier.key",
        "-CAcreateserial",
        "-days",
        "30",
        "-sha256",
        "-extfile",
        "leaf.ext",
        "-out",
        "forged.crt",
    ]));
    let _responder = ocsp_responder(&pki.dir, lab.ocsp_port, "ocsp");
    let tsa_url = tsa(pki);

    let pdf = document();
    let once = lab.hoso_sign(&pdf, "certifier", "Certifier", None);
    let twice = lab.hoso_sign(&once, "agency", "Agency", None);
    let stamped = lab.hoso_sign(&once, "agency", "Agency", Some(&tsa_url));
    let mut cases = vec![
        Case::new("HoSo, two signatures", twice.clone(), &["valid", "valid"]),
        Case::new("openssl cms (CAdES)", lab.openssl_sign(&pdf, "certifier", "sha256", 0), &["valid"]),
    ];
    for (name, who, expect) in [
        ("expired certificate", "expired", "untrusted"),
        ("certificate not yet valid", "notyet", "untrusted"),
        ("key usage: keyEncipherment only", "keyenc", "untrusted"),
        ("revoked, CRL only", "crlonly", "revoked"),
        ("revoked, OCSP only", "ocsponly", "revoked"),
    ] {
        cases.push(Case::new(
            name,
            lab.pyhanko_sign(&pdf, who, "Certifier", &["--use-pades"], None),
            &[expect],
        ));
    }
    cases.push(Case::new(
        "end-entity certificate as CA",
        lab.pyhanko_sign(&pdf, "forged", "Certifier", &["--use-pades"], Some("certifier.crt")),
        &["untrusted"],
    ));

    // Later revisions.
    let note = update(&twice, |prev, new| {
        let note = new.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Annot".to_vec())),
            ("Subtype", Object::Name(b"Text".to_vec())),
            ("Rect", Object::Array(vec![100.into(), 100.into(), 120.into(), 120.into()])),
            ("Contents", Object::string_literal("Bản này đã được sửa")),
        ]));
        replace_dict(prev, new, first_page(prev), |page| {
            let mut annots = page.get(b"Annots").and_then(Object::as_array).cloned().unwrap_or_default();
            annots.push(note.into());
            page.set("Annots", annots);
        });
    });
    cases.push(Case::new("annotation after signing", note, &["changed", "changed"]));
    let page_added = update(&once, |prev, new| {
        let pages =
            prev.get_dictionary(catalog_id(prev)).unwrap().get(b"Pages").unwrap().as_reference().unwrap();
        let page = new.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", pages.into()),
            ("MediaBox", Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()])),
        ]));
        replace_dict(prev, new, pages, |d| {
            let mut kids = d.get(b"Kids").and_then(Object::as_array).cloned().unwrap();
            kids.push(page.into());
            let count = d.get(b"Count").and_then(Object::as_i64).unwrap();
            d.set("Kids", kids);
            d.set("Count", count + 1);
        });
    });
    cases.push(Case::new("page added after signing", page_added, &["changed"]));
    // The shadow attack: the first page's content replaced by a new version of
    // its own object after the certifier signed; the agency signs what shows.
    let shadowed = update(&once, |prev, new| {
        let page = prev.get_dictionary(first_page(prev)).unwrap();
        let contents = page.get(b"Contents").unwrap().as_reference().unwrap();
        new.set_object(contents, Stream::new(Dictionary::new(), b"q 0 0 0 rg 0 0 595 842 re f Q".to_vec()));
    });
    let shadowed = lab.hoso_sign(&shadowed, "agency", "Agency", None);
    cases.push(Case::new("shadowed page content", shadowed, &["changed", "valid"]));
    let action = update(&once, |prev, new| {
        let js = new.add_object(Dictionary::from_iter([
            ("S", Object::Name(b"JavaScript".to_vec())),
            ("JS", Object::string_literal("app.alert('x')")),
        ]));
        replace_dict(prev, new, catalog_id(prev), |root| root.set("OpenAction", js));
    });
    cases.push(Case::new("document action after signing", action, &["changed"]));
    let metadata = update(&twice, |prev, new| {
        let info =
            new.add_object(Dictionary::from_iter([("Title", Object::string_literal("Bản sao đã ký"))]));
        new.trailer.set("Info", info);
        let meta =
            prev.get_dictionary(catalog_id(prev)).unwrap().get(b"Metadata").unwrap().as_reference().unwrap();
        let mut stream = prev.get_object(meta).unwrap().as_stream().unwrap().clone();
        let xmp = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
        stream.dict.remove(b"Filter");
        stream.set_content([xmp.as_slice(), b"\n"].concat());
        new.set_object(meta, Object::Stream(stream));
    });
    cases.push(Case::new("metadata after signing (allowed)", metadata, &["valid", "valid"]));

    // The signature itself.
    cases.push(
        // The signer's bytes are intact; the 24 left out are a change no one signed.
        Case::new("byte range skips bytes", lab.openssl_sign(&pdf, "certifier", "sha256", 24), &["changed"]),
    );
    cases.push(Case::new("forged time-stamp", forge_timestamp(&stamped), &["valid", "invalid"]));
    // Cut inside the CMS itself (its DER length, not the space reserved).
    let (b, c) = contents_at(&once);
    let len = last_cms(&once).1.len();
    let mut truncated = once.clone();
    truncated[b + 1 + len..b + 1 + 2 * len].fill(b'0');
    cases.push(Case::new("truncated CMS", truncated, &["invalid"]));
    let mut empty = once.clone();
    empty[b + 1..c - 1].fill(b'0');
    cases.push(Case::new("empty CMS", empty, &["invalid"]));
    // Intact but too weak to trust; SHA-384 is strong enough.
    cases.push(Case::new("SHA-1 digest", lab.openssl_sign(&pdf, "certifier", "sha1", 0), &["untrusted"]));
    cases.push(Case::new("SHA-384 digest", lab.openssl_sign(&pdf, "certifier", "sha384", 0), &["valid"]));
    let mut flipped = twice.clone();
    let at = flipped.windows(4).position(|w| w == b"/Im1").unwrap() + 2;
    flipped[at] ^= 1;
    cases.push(Case::new("one byte changed", flipped, &["invalid", "invalid"]));

    // Other software's files: object streams (pikepdf), signed by pyHanko
    // (PAdES, then adbe.pkcs7.detached); and a PAdES B-LT file (pyHanko with
    // the validation data in a DSS).
    let plain = pki.path("plain.pdf");
    std::fs::write(&plain, &pdf).unwrap();
    let python = std::env::var("HOSO_PIKEPDF_PYTHON").map(PathBuf::from).unwrap_or_else(|_| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/tools/pikepdf/bin/python")
    });
    let streams = pki.path("streams.pdf");
    run(Command::new(&python)
        .args([
            "-c",
            "import pikepdf, sys\nwith pikepdf.open(sys.argv[1]) as p:\n    \
             p.save(sys.argv[2], object_stream_mode=pikepdf.ObjectStreamMode.generate)",
        ])
        .arg(&plain)
        .arg(&streams));
    let streams = std::fs::read(streams).unwrap();
    assert!(String::from_utf8_lossy(&streams).contains("/ObjStm"), "pikepdf wrote object streams");
    let one = lab.pyhanko_sign(&streams, "certifier", "Certifier", &["--use-pades"], None);
    let two = lab.pyhanko_sign(&one, "agency", "Agency", &[], None);
    cases.push(Case::new("object streams, pyHanko twice", two, &["valid", "valid"]));
    let trust = pki.path("ca.crt");
    let trust = trust.to_str().unwrap();
    let lt = lab.pyhanko_sign(
        &pdf,
        "certifier",
        "Certifier",
        &["--use-pades", "--with-validation-info", "--trust", trust, "--trust-replace"],
        None,
    );
    assert!(String::from_utf8_lossy(&lt).contains("/DSS"), "pyHanko wrote a DSS");
    cases.push(Case::new("PAdES B-LT (pyHanko)", lt, &["valid"]));

    // Each judged by both.
    let roots = TrustRoots::from_bundle(&std::fs::read(pki.path("ca.crt")).unwrap()).unwrap();
    let revocation = Revocation::new(Some(pki.path("revocation")), true);
    let mut table = format!("{:<36} {:<28} {:<28} agree\n", "case", "HoSo", "pyHanko");
    let mut wrong = Vec::new();
    let mut results = Vec::new();
    for (n, case) in cases.iter().enumerate() {
        let reports: Vec<SignatureReport> =
            match hoso_sign::verify_pdf(&case.pdf, &roots, &revocation, chrono::Utc::now().timestamp()) {
                Ok(reports) => reports,
                Err(e) => panic!("{}: {e}", case.name),
            };
        let hoso: Vec<&str> = if reports.is_empty() {
            vec!["invalid"]
        } else {
            reports.iter().map(|r| hoso_class(r.verdict)).collect()
        };
        let file = pki.path(&format!("case-{n:02}.pdf"));
        std::fs::write(&file, &case.pdf).unwrap();
        let (ok, text) = pyhanko(pki, &file);
        let theirs = pyhanko_classes(ok, &text);
        let agree = hoso == case.expect && theirs == case.expect;
        let said = if agree { "yes" } else { "NO" };
        table.push_str(&format!(
            "{:<36} {:<28} {:<28} {said}\n",
            case.name,
            hoso.join(", "),
            theirs.join(", ")
        ));
        if !agree {
            wrong.push(format!(
                "{}: expected {:?}\nHoSo: {reports:#?}\npyHanko: {text}",
                case.name, case.expect
            ));
        }
        results.push((case.name, reports));
    }
    // Printed whatever the harness captures: the table belongs in the log.
    let _ =
        std::io::stderr().write_all(format!("\nhostile corpus, {} cases\n{table}", cases.len()).as_bytes());
    assert!(cases.len() >= 15);
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));

    // What the reports say beyond the verdict.
    let reports = |name: &str| &results.iter().find(|(n, _)| *n == name).unwrap().1;
    let r = reports("HoSo, two signatures");
    assert!(r[0].updated_after && r[0].changes.is_empty() && !r[1].updated_after, "{r:?}");
    assert_eq!((r[0].field.as_str(), r[1].field.as_str()), ("Certifier", "Agency"));
    // Sixty days on, past the certificates' thirty: with no proven time they
    // are judged as of then, whatever the signer's /M says.
    let later = hoso_sign::verify_pdf(&twice, &roots, &revocation, lab.now + 60 * 86400).unwrap();
    assert!(
        later.iter().all(|r| r.verdict == Verdict::Untrusted && !r.certificate_valid && r.digest_ok),
        "{later:?}"
    );
    let page = first_page(&lopdf::Document::load_mem(&twice).unwrap()).0;
    for r in reports("annotation after signing") {
        assert!(r.digest_ok && r.signature_ok && r.chain_ok, "the signed revision is intact: {r:?}");
        assert!(r.changes.iter().any(|c| c.added && c.kind == "Annot"), "{:?}", r.changes);
        assert!(r.changes.iter().any(|c| c.object == page && c.keys == ["/Annots"]), "{:?}", r.changes);
        let said = r.changes.iter().find(|c| c.added).unwrap().message();
        let (vi, en) = (said.text(hoso_i18n::Lang::Vi), said.text(hoso_i18n::Lang::En));
        assert!(vi.contains("thêm đối tượng") && en.contains("(Annot) added after signing"), "{vi} / {en}");
    }
    let r = reports("shadowed page content");
    assert!(matches!(r[0].changes.as_slice(), [c] if !c.added && c.kind == "stream"), "{:?}", r[0].changes);
    let root = catalog_id(&lopdf::Document::load_mem(&once).unwrap()).0;
    let r = reports("document action after signing");
    assert!(r[0].changes.iter().any(|c| c.object == root && c.keys == ["/OpenAction"]), "{:?}", r[0].changes);
    let r = reports("object streams, pyHanko twice");
    let sub_filters: Vec<&str> = r.iter().map(|r| r.sub_filter.as_str()).collect();
    assert_eq!(sub_filters, ["ETSI.CAdES.detached", "adbe.pkcs7.detached"]);
    assert!(
        r[0].signer.contains("Trần Thị Chứng Thực") && r[1].signer.contains("UBND phường Sài Gòn"),
        "{r:?}"
    );
    let r = &reports("byte range skips bytes")[0];
    assert!(!r.byte_range_ok && r.digest_ok && r.signature_ok && r.chain_ok, "{r:?}");
    let r = &reports("SHA-1 digest")[0];
    assert!(r.digest_ok && r.signature_ok && !r.algorithm_ok && r.digest_algorithm == "SHA-1", "{r:?}");
    assert_eq!(r.trust_problem, Some(hoso_sign::PathFault::Algorithm));
    assert_eq!(reports("SHA-384 digest")[0].digest_algorithm, "SHA-384");
    let r = reports("revoked, CRL only");
    assert!(
        r[0].revocation.iter().any(|s| s.message().text(hoso_i18n::Lang::En).contains("CRL")),
        "{:?}",
        r[0].revocation
    );
}
