//! Signing with a real PKCS#11 module (SoftHSM2) holding a test CA's leaf key,
//! judged by independent verifiers: poppler's pdfsig (NSS) and pyHanko, and by
//! Preflight for PDF/A after signing.
//!
//! The token, the CA and the certificates are made for the test by
//! scripts/test-pki (softhsm2-util, openssl, OpenSC's pkcs11-tool) in a
//! temporary folder.

// Linux-only: SoftHSM2 is a Linux library (no Windows build is packaged here) and
// pdfsig, pyHanko and Preflight are Linux programs a Windows test cannot wait for.
#![cfg(not(windows))]
#![allow(unsafe_code)]

use std::path::Path;
use std::process::Command;

use hoso_pdf::{DEFAULT_FONT, FontFile};
use hoso_sign::{
    Appearance, Cert, Pin, Revocation, SignError, SignatureInfo, SignatureReport, TokenLogin, TokenSigner,
    TrustRoots, Verdict, sign_pdf,
};

mod common;
use common::{Pki, document, forge_timestamp, pdf_now, pyhanko, run, setup, tsa};

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
const PIN: &str = "123456";

fn pin(text: &str) -> Pin {
    Pin::new(text.to_owned())
}

/// The token's key for the certificate `fingerprint` (or its start), logged in with the right PIN.
fn token_key(fingerprint: &str) -> TokenSigner {
    TokenSigner::open(Path::new(MODULE), Some("hoso-test"), &pin(PIN), Some(fingerprint), vec![]).unwrap()
}

fn pdfsig(pki: &Pki, file: &Path) -> String {
    let db = pki.path("nss");
    if !db.exists() {
        std::fs::create_dir(&db).unwrap();
        let db_arg = format!("sql:{}", db.display());
        run(Command::new("certutil").args(["-N", "-d", &db_arg, "--empty-password"]));
        run(Command::new("certutil")
            .args(["-A", "-d", &db_arg, "-n", "ca", "-t", "CT,C,C", "-i"])
            .arg(pki.path("ca.crt")));
    }
    let o = Command::new("pdfsig")
        .arg("-nssdir")
        .arg(format!("sql:{}", db.display()))
        .arg(file)
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn token_signatures_are_valid_for_pdfsig_and_pyhanko_and_keep_pdfa() {
    let (_tmp, pki) = setup();
    // SAFETY: set before the first C_Initialize in this process; the only test
    // in this binary, so no other thread reads the environment meanwhile.
    unsafe { std::env::set_var("SOFTHSM2_CONF", &pki.conf) };
    let font = FontFile::load(Path::new(DEFAULT_FONT)).unwrap();
    let root = TrustRoots::from_bundle(&std::fs::read(pki.path("ca.crt")).unwrap()).unwrap();
    let leaf = Cert::from_der(&std::fs::read(pki.path("certifier.crt.der")).unwrap()).unwrap();
    let now = chrono::Utc::now().timestamp();
    // The test CA's certificates name no CRL or OCSP address: its CRL is put
    // in the revocation folder, as IT does with the national root's.
    let crls = pki.path("crls");
    std::fs::create_dir(&crls).unwrap();
    std::fs::copy(pki.path("ca.crl"), crls.join("ca.crl")).unwrap();
    let revocation = Revocation::new(Some(crls), false);
    let verify_pdf = |pdf: &[u8], roots: &TrustRoots| -> Result<Vec<SignatureReport>, SignError> {
        hoso_sign::verify_pdf(pdf, roots, &revocation, now)
    };

    // Wrong PIN: a clear error, nothing signed.
    let err = TokenSigner::open(
        Path::new(MODULE),
        Some("hoso-test"),
        &pin("000000"),
        Some(&leaf.fingerprint()),
        vec![],
    )
    .unwrap_err();
    assert!(matches!(err, SignError::WrongPin), "{err}");
    // One certify batch per token: while one is logged in, a second is refused
    // whatever PIN it brings (a right one included), and the first still signs
    // with both of its keys; once it ends, the token judges the PIN again.
    let agency_cert = Cert::from_der(&std::fs::read(pki.path("agency.crt.der")).unwrap()).unwrap();
    let batch = TokenLogin::open(Path::new(MODULE), Some("hoso-test"), &pin(PIN)).unwrap();
    for other in ["000000", PIN] {
        let err = TokenLogin::open(Path::new(MODULE), Some("hoso-test"), &pin(other)).unwrap_err();
        assert!(matches!(err, SignError::TokenBusy), "{err}");
    }
    let mut first = batch.signer(Some(&leaf.fingerprint()), vec![]).unwrap();
    let second = batch.signer(Some(&agency_cert.fingerprint()), vec![]).unwrap();
    drop(batch);
    assert!(hoso_sign::Signer::sign(&mut first, b"still logged in").is_ok());
    drop((first, second));
    let err = TokenLogin::open(Path::new(MODULE), Some("hoso-test"), &pin("999999")).unwrap_err();
    assert!(matches!(err, SignError::WrongPin), "{err}");
    assert!(matches!(TokenLogin::open(Path::new(MODULE), None, &pin("")).unwrap_err(), SignError::WrongPin));
    // The PIN never shows in Debug output.
    let secret = pin(PIN);
    assert_eq!(format!("{secret:?}"), "Pin(***)");
    // Two certificates on the token and none chosen: refused, not guessed.
    assert!(TokenSigner::open(Path::new(MODULE), Some("hoso-test"), &pin(PIN), None, vec![]).is_err());

    let mut signer = token_key(&leaf.fingerprint()[..16]);
    // A certificate past its validity is refused before anything is signed.
    let pdf = document();
    let certifier = SignatureInfo {
        field: "Certifier".into(),
        name: "Trần Thị Chứng Thực".into(),
        reason: "Chứng thực bản sao đúng với bản chính".into(),
        location: "TP. Hồ Chí Minh".into(),
        time: pdf_now(),
    };
    let statement = Appearance {
        page: 0,
        lines: vec![
            "Chứng thực bản sao đúng với bản chính.".into(),
            "Số chứng thực: 01 Quyển số: 01/2026-SCT/BS".into(),
            "Ngày 23 tháng 11 năm 2026".into(),
            "Công chức tư pháp – hộ tịch".into(),
            "Trần Thị Chứng Thực".into(),
        ],
        size: 10.0,
        top: false,
    };
    let err =
        sign_pdf(&pdf, &mut signer, &certifier, &statement, &font, now + 400 * 86400, None).unwrap_err();
    assert!(matches!(err, SignError::Expired(_)), "{err}");

    let once = sign_pdf(&pdf, &mut signer, &certifier, &statement, &font, now, None).unwrap();
    let agency =
        SignatureInfo {
            field: "Agency".into(), name: "UBND phường Sài Gòn".into(), ..certifier.clone()
        };
    let mark = Appearance {
        page: 1,
        lines: vec!["SAO Y".into(), "UBND phường Sài Gòn".into(), "2026-11-23T10:05:00+07:00".into()],
        size: 10.0,
        top: true,
    };
    drop(signer);
    let mut signer = token_key(&agency_cert.fingerprint());
    // The agency's signature is time-stamped (PAdES B-T) by the loopback TSA.
    let twice = sign_pdf(&once, &mut signer, &agency, &mark, &font, now, Some(&tsa(&pki))).unwrap();
    let file = pki.path("signed.pdf");
    std::fs::write(&file, &twice).unwrap();

    // Our own verifier: two valid signatures, the first followed by an update.
    let reports = verify_pdf(&twice, &root).unwrap();
    assert_eq!(reports.len(), 2);
    for r in &reports {
        assert_eq!(r.verdict, Verdict::Valid, "{r:?}");
        assert_eq!(
            r.trust_path.last().map(String::as_str),
            Some("CN=HoSo Test Root CA,O=HoSo Test,C=VN"),
            "{r:?}"
        );
        assert!(r.pades_attributes && r.sub_filter == "ETSI.CAdES.detached", "{r:?}");
    }
    assert!(
        reports[0].signer.contains("Trần Thị Chứng Thực")
            && reports[1].signer.contains("UBND phường Sài Gòn")
    );
    assert!(reports[0].updated_after && !reports[1].updated_after);
    assert_eq!((reports[0].timestamp.is_some(), reports[1].timestamp_ok), (false, Some(true)), "{reports:?}");
    // The agency's time is proven by the TSA (trusted path, time-stamping
    // usage); the certifier's is only claimed.
    let stamp = reports[1].timestamp_check.as_ref().unwrap();
    assert!(reports[1].time_proven && !reports[0].time_proven, "{reports:?}");
    assert_eq!(stamp.tsa, "CN=HoSo Test TSA,O=HoSo Test,C=VN");
    assert_eq!(stamp.trust_path.last().map(String::as_str), Some("CN=HoSo Test Root CA,O=HoSo Test,C=VN"));
    // A forged time-stamp (one bit of the TSA's signature flipped, inside
    // /Contents, so the document's own signature still holds): invalid.
    let forged = forge_timestamp(&twice);
    let reports = verify_pdf(&forged, &root).unwrap();
    assert!(reports[1].digest_ok && reports[1].signature_ok, "{reports:?}");
    assert_eq!((reports[1].timestamp_ok, reports[1].verdict), (Some(false), Verdict::Invalid), "{reports:?}");
    assert!(!reports[1].time_proven);
    let forged_file = pki.path("forged-timestamp.pdf");
    std::fs::write(&forged_file, &forged).unwrap();
    let (ok, text) = pyhanko(&pki, &forged_file);
    assert!(!ok && text.matches("The signature is judged VALID.").count() < 2, "pyHanko agrees: {text}");
    assert!(
        verify_pdf(&twice, &TrustRoots::default()).unwrap().iter().all(|r| r.verdict == Verdict::Untrusted)
    );
    // Without the CRL: a trusted path whose revocation was not checked, and says so.
    let unchecked = hoso_sign::verify_pdf(&twice, &root, &Revocation::new(None, false), now).unwrap();
    assert!(unchecked.iter().all(|r| r.verdict == Verdict::RevocationUnknown), "{unchecked:?}");
    assert!(
        unchecked[0].revocation[0]
            .message()
            .text(hoso_i18n::Lang::En)
            .contains("names no CRL or OCSP address"),
        "{:?}",
        unchecked[0].revocation
    );

    // pdfsig (poppler + NSS) and pyHanko agree.
    let sig = pdfsig(&pki, &file);
    assert_eq!(sig.matches("Signature is Valid.").count(), 2, "{sig}");
    assert_eq!(sig.matches("Certificate is Trusted.").count(), 2, "{sig}");
    assert!(sig.contains("ETSI.CAdES.detached"), "{sig}");
    let (ok, text) = pyhanko(&pki, &file);
    assert!(ok && text.contains("judged VALID"), "{text}");
    assert_eq!(text.matches("The signature is judged VALID.").count(), 2, "{text}");
    assert!(
        text.contains("The timestamp token is cryptographically sound."),
        "pyHanko checks the B-T time-stamp: {text}"
    );
    assert!(text.contains("The TSA certificate is trusted."), "{text}");

    // Still PDF/A after signing.
    let verdict = common::preflight(&file);
    assert!(verdict.contains("is a valid PDF/A-1b file"), "{verdict}");

    // ECDSA P-256 from the token: valid for us and for pdfsig too (a batch of
    // its own, so the last one ends first).
    drop(signer);
    let ec_cert = Cert::from_der(&std::fs::read(pki.path("ecdsa.crt.der")).unwrap()).unwrap();
    let mut ec = token_key(&ec_cert.fingerprint());
    let ec_signed = sign_pdf(&pdf, &mut ec, &certifier, &statement, &font, now, None).unwrap();
    let reports = verify_pdf(&ec_signed, &root).unwrap();
    assert_eq!(reports[0].verdict, Verdict::Valid, "{reports:?}");
    // The key the CA revoked: the signature is intact, the verdict revoked.
    drop(ec);
    let withdrawn = Cert::from_der(&std::fs::read(pki.path("withdrawn.crt.der")).unwrap()).unwrap();
    let mut revoked_key = token_key(&withdrawn.fingerprint());
    let revoked = sign_pdf(&pdf, &mut revoked_key, &certifier, &statement, &font, now, None).unwrap();
    let reports = verify_pdf(&revoked, &root).unwrap();
    assert!(reports[0].signature_ok && reports[0].verdict == Verdict::Revoked, "{reports:?}");
    let ec_file = pki.path("ecdsa.pdf");
    std::fs::write(&ec_file, &ec_signed).unwrap();
    let sig = pdfsig(&pki, &ec_file);
    assert!(sig.contains("Signature is Valid.") && sig.contains("Certificate is Trusted."), "{sig}");

    // RSASSA-PSS from the token, and a PKCS#12 file (PSS too): valid for us and pyHanko.
    drop(revoked_key);
    let mut pss = token_key(&leaf.fingerprint());
    pss.use_pss();
    let pss_signed = sign_pdf(&pdf, &mut pss, &certifier, &statement, &font, now, None).unwrap();
    let p12 = pki.p12("certifier");
    assert!(hoso_sign::FileSigner::open(&p12, "sai", false).is_err(), "wrong password refused");
    let mut file_signer = hoso_sign::FileSigner::open(&p12, "bí mật", true).unwrap();
    let p12_signed = sign_pdf(&pss_signed, &mut file_signer, &agency, &mark, &font, now, None).unwrap();
    let reports = verify_pdf(&p12_signed, &root).unwrap();
    assert!(reports.len() == 2 && reports.iter().all(|r| r.verdict == Verdict::Valid), "{reports:?}");
    let pss_file = pki.path("pss.pdf");
    std::fs::write(&pss_file, &p12_signed).unwrap();
    let (ok, text) = pyhanko(&pki, &pss_file);
    assert!(ok && text.matches("The signature is judged VALID.").count() == 2, "{text}");
    assert!(text.contains("rsassa_pss"), "{text}");
    // pdfsig checks PSS too. (It reports the same certificate used twice in one
    // file as "Unknown issue with Certificate", hence no trust check here.)
    let sig = pdfsig(&pki, &pss_file);
    assert_eq!(sig.matches("Signature is Valid.").count(), 2, "{sig}");

    // One flipped byte inside the signed range: every verifier says so.
    let mut tampered = twice.clone();
    let at = tampered.windows(4).position(|w| w == b"/Im1").unwrap() + 2;
    tampered[at] ^= 0x01;
    let bad = pki.path("tampered.pdf");
    std::fs::write(&bad, &tampered).unwrap();
    assert!(verify_pdf(&tampered, &root).unwrap().iter().all(|r| r.verdict == Verdict::Invalid));
    let sig = pdfsig(&pki, &bad);
    assert!(sig.contains("Digest Mismatch") && !sig.contains("Signature is Valid."), "{sig}");
    let (ok, text) = pyhanko(&pki, &bad);
    assert!(!ok && !text.contains("judged VALID"), "{text}");
}
