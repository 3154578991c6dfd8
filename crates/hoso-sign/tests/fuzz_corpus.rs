//! The fuzz targets' corpus (fuzz/corpus/<target>/), replayed through the
//! targets' own bodies (fuzz/targets.rs) in the normal test run, on Linux and
//! under Wine: every seed, and every input fuzzing once found and that was
//! kept, must return without a panic. The seeds must also get as far as they
//! did when made: a signature verified up to its revocation (and, with the
//! validation data of a B-LT copy, valid offline), a time-stamp
//! token and an ECDSA signature checked, the CRLs and the OCSP response
//! judged "revoked". A body that stopped early would fail here.
//!
//! `make_seeds` (ignored; Linux) makes the seeds and fuzz/certs anew from one
//! scripts/test-pki run: `cargo test -p hoso-sign --test fuzz_corpus -- --ignored`.

use std::path::{Path, PathBuf};

use hoso_sign::Verdict;
use hoso_sign::revocation::Status;

#[path = "../../../fuzz/targets.rs"]
mod targets;

#[cfg(not(windows))]
mod common;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The corpus files of `target`, by name.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = fuzz_dir().join("corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

fn revoked(status: &Status) -> bool {
    matches!(status, Status::Revoked { .. })
}

#[test]
fn every_corpus_file_returns_and_the_seeds_reach_as_far_as_when_made() {
    let mut seen = Vec::new();
    for (name, data) in corpus("signed_pdf") {
        let verdicts = targets::signed_pdf(&data);
        if name == "hoso-signed.pdf" {
            assert_eq!(verdicts, Ok(vec![Verdict::RevocationUnknown]), "{name}");
        }
        // Offline, its own validation data answers.
        if name == "hoso-lt.pdf" {
            assert_eq!(verdicts, Ok(vec![Verdict::Valid]), "{name}");
        }
        seen.push(name);
    }
    for (name, data) in corpus("cms") {
        let verified = targets::cms(&data);
        if name.ends_with("-seed.der") {
            assert_eq!(verified, Some(true), "{name}");
        }
        seen.push(name);
    }
    for (name, data) in corpus("revocation") {
        let status = targets::revocation(&data);
        if name.contains("-seed.") {
            assert!(revoked(&status), "{name}: {status:?}");
        }
        seen.push(name);
    }
    for seed in [
        "hoso-signed.pdf",
        "hoso-lt.pdf",
        "signature-seed.der",
        "ecdsa-seed.der",
        "timestamp-seed.der",
        "crl-seed.der",
        "crl-seed.pem",
        "ocsp-seed.der",
    ] {
        assert!(seen.iter().any(|n| n == seed), "seed {seed} missing from fuzz/corpus");
    }
    // Printed whatever the harness captures: how much was replayed.
    eprintln!("fuzz corpus: {} files replayed", seen.len());
}

/// Makes fuzz/certs and the seeds from one scripts/test-pki run.
#[cfg(not(windows))]
#[test]
#[ignore = "remakes the committed seeds; run by hand"]
fn make_seeds() {
    use std::process::Command;

    use hoso_pdf::{DEFAULT_FONT, FontFile};
    use hoso_sign::{FileSigner, sign_pdf};

    use common::{Pki, document, info, last_cms, look, run, setup, tsa};

    let (_tmp, pki) = setup();
    let fuzz = fuzz_dir();
    let write = |rel: &str, bytes: &[u8]| std::fs::write(fuzz.join(rel), bytes).unwrap();
    let openssl = |args: &[&str]| run(Command::new("openssl").current_dir(&pki.dir).args(args));
    openssl(&["x509", "-in", "ca.crt", "-outform", "DER", "-out", "ca.crt.der"]);
    write("certs/ca.der", &std::fs::read(pki.path("ca.crt.der")).unwrap());
    // test-pki writes each leaf in DER too.
    let leaf = std::fs::read(pki.path("withdrawn.crt.der")).unwrap();
    write("certs/leaf.der", &leaf);

    let font = FontFile::load(Path::new(DEFAULT_FONT)).unwrap();
    let leaf = hoso_sign::Cert::from_der(&leaf).unwrap();
    let now = leaf.validity().0 + 3600;
    let sign = |pki: &Pki, who: &str, tsa: Option<&str>| {
        let mut signer = FileSigner::open(&pki.p12(who), "bí mật", false).unwrap();
        sign_pdf(&document(), &mut signer, &info("Certifier", who), &look(0, &[who], false), &font, now, tsa)
            .unwrap()
    };
    let tsa_url = tsa(&pki);
    let signed = sign(&pki, "withdrawn", Some(&tsa_url));
    write("corpus/signed_pdf/hoso-signed.pdf", &signed);
    // A B-LT copy: the certifier's time-stamped signature with the CA's CRL
    // (kept in a folder, as IT puts it) in its DSS.
    let kept = pki.path("kept");
    std::fs::create_dir_all(&kept).unwrap();
    std::fs::copy(pki.path("ca.crl"), kept.join("ca.crl")).unwrap();
    let roots = hoso_sign::TrustRoots::from_bundle(&std::fs::read(pki.path("ca.crt")).unwrap()).unwrap();
    let offline = hoso_sign::Revocation::new(Some(kept), false);
    let certified = sign(&pki, "certifier", Some(&tsa_url));
    match hoso_sign::add_validation_data(&certified, &roots, &offline, now).unwrap() {
        hoso_sign::Ltv::Added { pdf, .. } => write("corpus/signed_pdf/hoso-lt.pdf", &pdf),
        other => panic!("{other:?}"),
    }
    let signature = last_cms(&signed).1;
    write("corpus/cms/signature-seed.der", &signature);
    let token = hoso_sign::cms::parse_signed_data(&signature).unwrap().timestamp_token.unwrap();
    write("corpus/cms/timestamp-seed.der", &token);
    write("corpus/cms/ecdsa-seed.der", &last_cms(&sign(&pki, "ecdsa", None)).1);

    write("corpus/revocation/crl-seed.der", &std::fs::read(pki.path("ca.crl.der")).unwrap());
    write("corpus/revocation/crl-seed.pem", &std::fs::read(pki.path("ca.crl")).unwrap());
    openssl(&["ocsp", "-issuer", "ca.crt", "-cert", "withdrawn.crt", "-no_nonce", "-reqout", "req.der"]);
    openssl(&[
        "ocsp",
        "-index",
        "index.txt",
        "-rsigner",
        "ocsp.crt",
        "-rkey",
        "ocsp.key",
        "-CA",
        "ca.crt",
        "-reqin",
        "req.der",
        "-respout",
        "resp.der",
    ]);
    write("corpus/revocation/ocsp-seed.der", &std::fs::read(pki.path("resp.der")).unwrap());
}
