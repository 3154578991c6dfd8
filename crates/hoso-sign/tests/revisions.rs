//! What a file holds after its signatures, judged object by object, beside
//! pyHanko (whose default difference policy the rules follow): a later
//! signature, metadata and validation data are allowed; an annotation, a page's
//! content shadowed by a new version of its object, or a new document action
//! are changes made after signing. Files other software saved (pikepdf's object
//! and cross-reference streams) and signed (pyHanko) read as HoSo's own do.
//!
//! The later revisions are written by lopdf's incremental writer, as any PDF
//! library would append them.

// Linux-only: scripts/test-pki, pyHanko and pikepdf are Linux programs.
#![cfg(not(windows))]

use std::path::Path;
use std::process::Command;

use hoso_pdf::{DEFAULT_FONT, FontFile};
use hoso_sign::{
    Appearance, FileSigner, Revocation, SignatureInfo, SignatureReport, TrustRoots, Verdict, sign_pdf,
};
use lopdf::{Dictionary, IncrementalDocument, Object, Stream};

mod common;
use common::{Pki, document, pdf_now, pyhanko, run, setup};

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

fn catalog_id(doc: &lopdf::Document) -> lopdf::ObjectId {
    doc.trailer.get(b"Root").unwrap().as_reference().unwrap()
}

struct Judge<'a> {
    pki: &'a Pki,
    roots: TrustRoots,
    revocation: Revocation,
    now: i64,
}

impl Judge<'_> {
    fn hoso(&self, pdf: &[u8]) -> Vec<SignatureReport> {
        hoso_sign::verify_pdf(pdf, &self.roots, &self.revocation, self.now).unwrap()
    }

    /// Ours and pyHanko's verdicts on `pdf`, kept as `name` for a look afterwards.
    fn both(&self, name: &str, pdf: &[u8]) -> (Vec<SignatureReport>, bool, String) {
        let file = self.pki.path(name);
        std::fs::write(&file, pdf).unwrap();
        let (ok, text) = pyhanko(self.pki, &file);
        (self.hoso(pdf), ok, text)
    }
}

fn verdicts(reports: &[SignatureReport]) -> Vec<Verdict> {
    reports.iter().map(|r| r.verdict).collect()
}

#[test]
fn later_revisions_are_allowed_or_named_as_changes_as_pyhanko_judges_them() {
    let (_tmp, pki) = setup();
    let crls = pki.path("crls");
    std::fs::create_dir(&crls).unwrap();
    std::fs::copy(pki.path("ca.crl"), crls.join("ca.crl")).unwrap();
    let judge = Judge {
        pki: &pki,
        roots: TrustRoots::from_bundle(&std::fs::read(pki.path("ca.crt")).unwrap()).unwrap(),
        revocation: Revocation::new(Some(crls), false),
        now: chrono::Utc::now().timestamp(),
    };
    let font = FontFile::load(Path::new(DEFAULT_FONT)).unwrap();
    let info = |field: &str, name: &str| SignatureInfo {
        field: field.into(),
        name: name.into(),
        reason: "Chứng thực bản sao đúng với bản chính".into(),
        location: "TP. Hồ Chí Minh".into(),
        time: pdf_now(),
    };
    let look = |page, lines: &[&str], top| Appearance {
        page,
        lines: lines.iter().map(|l| l.to_string()).collect(),
        size: 10.0,
        top,
    };
    let mut certifier = FileSigner::open(&pki.p12("certifier"), "bí mật", false).unwrap();
    let mut agency = FileSigner::open(&pki.p12("agency"), "bí mật", false).unwrap();
    let pdf = document();
    let statement = look(0, &["Chứng thực bản sao đúng với bản chính.", "Trần Thị Chứng Thực"], false);
    let once = sign_pdf(
        &pdf,
        &mut certifier,
        &info("Certifier", "Trần Thị Chứng Thực"),
        &statement,
        &font,
        judge.now,
        None,
    )
    .unwrap();
    let mark = look(1, &["SAO Y", "UBND phường Sài Gòn"], true);
    let twice =
        sign_pdf(&once, &mut agency, &info("Agency", "UBND phường Sài Gòn"), &mark, &font, judge.now, None)
            .unwrap();

    // A later signature is what a signed file may gain.
    let (reports, ok, text) = judge.both("twice.pdf", &twice);
    assert_eq!(verdicts(&reports), [Verdict::Valid, Verdict::Valid], "{reports:?}");
    assert!(reports[0].updated_after && reports[0].changes.is_empty(), "{reports:?}");
    assert_eq!((reports[0].field.as_str(), reports[1].field.as_str()), ("Certifier", "Agency"));
    assert!(ok && text.matches("The signature is judged VALID.").count() == 2, "{text}");

    // Sixty days on, past the certificates' thirty: with no proven time they
    // are judged as of then, whatever the signer's /M says.
    let later =
        hoso_sign::verify_pdf(&twice, &judge.roots, &judge.revocation, judge.now + 60 * 86400).unwrap();
    assert_eq!(verdicts(&later), [Verdict::Untrusted, Verdict::Untrusted], "{later:?}");
    assert!(later.iter().all(|r| !r.certificate_valid && r.digest_ok && r.signature_ok), "{later:?}");

    // So are new metadata: the trailer's /Info and the catalogue's XMP.
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
    let (reports, ok, text) = judge.both("metadata.pdf", &metadata);
    assert_eq!(verdicts(&reports), [Verdict::Valid, Verdict::Valid], "{reports:?}");
    assert!(reports.iter().all(|r| r.updated_after && r.changes.is_empty()), "{reports:?}");
    assert!(ok && text.matches("The signature is judged VALID.").count() == 2, "{text}");

    // A note stuck on the first page after both signatures: a change to each.
    let annotated = update(&twice, |prev, new| {
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
    let (reports, ok, text) = judge.both("annotated.pdf", &annotated);
    assert_eq!(verdicts(&reports), [Verdict::Changed, Verdict::Changed], "{reports:?}");
    let page = first_page(&lopdf::Document::load_mem(&twice).unwrap()).0;
    for r in &reports {
        assert!(r.digest_ok && r.signature_ok && r.chain_ok, "the signed revision is intact: {r:?}");
        assert!(r.changes.iter().any(|c| c.added && c.kind == "Annot"), "{:?}", r.changes);
        assert!(r.changes.iter().any(|c| c.object == page && c.keys == ["/Annots"]), "{:?}", r.changes);
    }
    let (vi, en) = reports[1].changes.iter().find(|c| c.added).unwrap().message();
    assert!(vi.contains("thêm đối tượng") && en.contains("(Annot) added after signing"), "{vi} / {en}");
    assert!(!ok && !text.contains("The signature is judged VALID."), "pyHanko agrees: {text}");

    // The shadow attack: the first page's content replaced by a new version of
    // its own object, after the certifier signed (the agency then signs the
    // shadowed page: its signature stands, the certifier's does not).
    let shadowed = update(&once, |prev, new| {
        let page = prev.get_dictionary(first_page(prev)).unwrap();
        let contents = page.get(b"Contents").unwrap().as_reference().unwrap();
        new.set_object(contents, Stream::new(Dictionary::new(), b"q 0 0 0 rg 0 0 595 842 re f Q".to_vec()));
    });
    let shadowed = sign_pdf(
        &shadowed,
        &mut agency,
        &info("Agency", "UBND phường Sài Gòn"),
        &mark,
        &font,
        judge.now,
        None,
    )
    .unwrap();
    let (reports, ok, text) = judge.both("shadowed.pdf", &shadowed);
    assert_eq!(verdicts(&reports), [Verdict::Changed, Verdict::Valid], "{reports:?}");
    assert!(
        matches!(reports[0].changes.as_slice(), [c] if !c.added && c.kind == "stream"),
        "{:?}",
        reports[0].changes
    );
    assert!(!ok && text.matches("The signature is judged VALID.").count() == 1, "pyHanko agrees: {text}");

    // A document action added to the catalogue: named by its key.
    let action = update(&once, |prev, new| {
        let js = new.add_object(Dictionary::from_iter([
            ("S", Object::Name(b"JavaScript".to_vec())),
            ("JS", Object::string_literal("app.alert('x')")),
        ]));
        replace_dict(prev, new, catalog_id(prev), |root| root.set("OpenAction", js));
    });
    let (reports, ok, text) = judge.both("action.pdf", &action);
    assert_eq!(verdicts(&reports), [Verdict::Changed], "{reports:?}");
    let root = catalog_id(&lopdf::Document::load_mem(&once).unwrap()).0;
    assert!(
        reports[0].changes.iter().any(|c| c.object == root && c.keys == ["/OpenAction"]),
        "{:?}",
        reports[0].changes
    );
    assert!(!ok, "pyHanko agrees: {text}");

    // Saved again by pikepdf with object streams and a cross-reference stream,
    // then signed twice by pyHanko (PAdES, then adbe.pkcs7.detached): both
    // signatures found through the form, both valid, for us and for pyHanko.
    let plain = pki.path("plain.pdf");
    std::fs::write(&plain, &pdf).unwrap();
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/tools/pikepdf/bin/python");
    let python = std::env::var("HOSO_PIKEPDF_PYTHON").map(Into::into).unwrap_or(python);
    let streams = pki.path("streams.pdf");
    run(Command::new(&python).args(["-c", "import pikepdf, sys\nwith pikepdf.open(sys.argv[1]) as p:\n    p.save(sys.argv[2], object_stream_mode=pikepdf.ObjectStreamMode.generate)"]).arg(&plain).arg(&streams));
    let pyhanko_sign = |input: &Path, output: &Path, field: &str, who: &str, pades: bool| {
        let exe = std::env::var("HOSO_PYHANKO").unwrap_or_else(|_| "pyhanko".into());
        let mut cmd = Command::new(exe);
        cmd.args(["sign", "addsig", "--field", field]);
        if pades {
            cmd.arg("--use-pades");
        }
        cmd.args(["pemder", "--no-pass", "--key"])
            .arg(pki.path(&format!("{who}.key")))
            .arg("--cert")
            .arg(pki.path(&format!("{who}.crt")))
            .arg(input)
            .arg(output);
        run(&mut cmd);
    };
    let one = pki.path("pyhanko-1.pdf");
    let two = pki.path("pyhanko-2.pdf");
    pyhanko_sign(&streams, &one, "Certifier", "certifier", true);
    pyhanko_sign(&one, &two, "Agency", "agency", false);
    let signed = std::fs::read(&two).unwrap();
    let text = String::from_utf8_lossy(&signed);
    assert!(text.contains("/ObjStm") && text.contains("/XRef"), "pikepdf wrote object streams");
    let (reports, ok, text) = judge.both("pyhanko-2.pdf", &signed);
    assert_eq!(verdicts(&reports), [Verdict::Valid, Verdict::Valid], "{reports:?}");
    assert_eq!(
        reports.iter().map(|r| r.sub_filter.as_str()).collect::<Vec<_>>(),
        ["ETSI.CAdES.detached", "adbe.pkcs7.detached"]
    );
    assert!(
        reports[0].signer.contains("Trần Thị Chứng Thực")
            && reports[1].signer.contains("UBND phường Sài Gòn")
    );
    assert!(ok && text.matches("The signature is judged VALID.").count() == 2, "{text}");
}
