//! Certifying a record end to end with a SoftHSM2 token (scripts/test-pki):
//! build → certify (book number, certifier + agency signatures) → export →
//! `hoso verify`, checked again by poppler's pdfsig.

use std::process::Command;

use crate::*;

fn pdfsig(nss: &Path, ca: &Path, file: &Path) -> String {
    if !nss.exists() {
        std::fs::create_dir(nss).unwrap();
        let db = format!("sql:{}", nss.display());
        assert!(
            Command::new("certutil").args(["-N", "-d", &db, "--empty-password"]).status().unwrap().success()
        );
        assert!(
            Command::new("certutil")
                .args(["-A", "-d", &db, "-n", "ca", "-t", "CT,C,C", "-i"])
                .arg(ca)
                .status()
                .unwrap()
                .success()
        );
    }
    let o = Command::new("pdfsig").arg("-nssdir").arg(format!("sql:{}", nss.display())).arg(file).run();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn certify_numbers_signs_twice_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let pki = dir.path().join("pki");
    let softhsm_conf = test_pki(&pki);
    let fingerprint = |name: &str| {
        std::fs::read_to_string(pki.join(format!("{name}.fingerprint"))).unwrap().trim().to_owned()
    };
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "agency = \"UBND phường Sài Gòn\"\npkcs11_module = \"/usr/lib/softhsm/libsofthsm2.so\"\ntoken_label = \"hoso-test\"\nagency_certificate = \"{}\"\ntrust_roots = \"{}\"\n",
            fingerprint("agency"),
            pki.join("ca.crt").display()
        ),
    )
    .unwrap();
    let data = dir.path().join("store");
    // The test CA's certificates name no revocation address: its CRL goes in
    // the store's revocation folder, as IT does with the national root's.
    std::fs::create_dir_all(data.join("revocation")).unwrap();
    std::fs::copy(pki.join("ca.crl"), data.join("revocation").join("ca.crl")).unwrap();
    let run = |args: &[&str], pin: &str| {
        cmd(&data, args)
            .env("HOSO_CONFIG", &config)
            .env("SOFTHSM2_CONF", &softhsm_conf)
            .env("HOSO_PIN", pin)
            .run()
    };

    // A record of procedure 2.000815, whose component 1 needs certification.
    let o = run(&["--json", "record", "new", "--procedure", "2.000815", "--name", "Ngô Thị Ngọc"], "");
    let code =
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["code"].as_str().unwrap().to_owned();
    let files: Vec<String> = (1..=2)
        .map(|i| write_png(dir.path(), &format!("p{i}.png"), &page(1240, 1754, 0)).display().to_string())
        .collect();
    assert!(run(&["import", &code, &files[0], &files[1]], "").status.success());
    assert!(run(&["process"], "").status.success());
    assert!(run(&["build", &code], "").status.success());

    // A wrong PIN stops before a number is taken.
    let o = run(
        &["certify", &code, "--name", "Trần Thị Chứng Thực", "--certificate", &fingerprint("certifier")],
        "000000",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("wrong PIN"), "{}", stderr(&o));

    // Roots that are not the certifier's issuer (the TSA's certificate here):
    // refused before a number is taken (the first number below is still 1).
    let other_roots = dir.path().join("other-roots.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&other_roots, text.replace("ca.crt", "tsa.crt")).unwrap();
    let o = cmd(
        &data,
        &["certify", &code, "--name", "Trần Thị Chứng Thực", "--certificate", &fingerprint("certifier")],
    )
    .env("HOSO_CONFIG", &other_roots)
    .env("SOFTHSM2_CONF", &softhsm_conf)
    .env("HOSO_PIN", "123456")
    .run();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is not trusted, nothing certified")
            && stderr(&o).contains("no path to a trusted root"),
        "{}",
        stderr(&o)
    );

    // A certifier whose certificate the CA revoked: refused before a number
    // is taken, saying when and why.
    let o = run(
        &["certify", &code, "--name", "Phạm Văn Thu Hồi", "--certificate", &fingerprint("withdrawn")],
        "123456",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("a certificate was revoked, nothing certified")
            && stderr(&o).contains("Phạm Văn Thu Hồi")
            && stderr(&o).contains("KeyCompromise"),
        "{}",
        stderr(&o)
    );

    let certify_with_token = |expected: u64| {
        let o = run(
            &[
                "--json",
                "certify",
                &code,
                "--name",
                "Trần Thị Chứng Thực",
                "--certificate",
                &fingerprint("certifier")[..20],
            ],
            "123456",
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["copies"][0]["number"].as_u64(), Some(expected), "{v}");
        // Both signers' certificates checked against the CRL (the roots are not).
        let statuses = v["revocation"].as_array().unwrap();
        assert!(statuses.len() == 2 && statuses.iter().all(|s| s["status"] == "good"), "{v}");
    };
    certify_with_token(1);
    // The second copy: the agency's key from a PKCS#12 file, RSA-PSS for both.
    let p12 = pki.join("agency.p12");
    let o = Command::new("openssl")
        .current_dir(&pki)
        .args([
            "pkcs12",
            "-export",
            "-inkey",
            "agency.key",
            "-in",
            "agency.crt",
            "-passout",
            "pass:p12-secret",
            "-out",
        ])
        .arg(&p12)
        .run();
    assert!(o.status.success(), "{}", stderr(&o));
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&format!("agency_pkcs12 = \"{}\"\nrsa_pss = true\n", p12.display()));
    std::fs::write(&config, text).unwrap();
    let o = cmd(
        &data,
        &[
            "--json",
            "certify",
            &code,
            "--name",
            "Trần Thị Chứng Thực",
            "--certificate",
            &fingerprint("certifier"),
        ],
    )
    .env("HOSO_CONFIG", &config)
    .env("SOFTHSM2_CONF", &softhsm_conf)
    .env("HOSO_PIN", "123456")
    .env("HOSO_AGENCY_P12_PASSWORD", "p12-secret")
    .run();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["copies"][0]["number"].as_u64(), Some(2), "{v}");
    let o = run(&["--json", "book"], "");
    let book: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(book.as_array().unwrap().len(), 2, "{book}");
    assert!(book[0]["book"].as_str().unwrap().ends_with("-SCT/BS"));
    assert!(book.as_array().unwrap().iter().all(|e| e["document_id"].is_i64() && e["void_reason"].is_null()));

    // The exported copy is the certified one, valid for us and for pdfsig.
    let out = dir.path().join("out");
    assert!(run(&["export", &code, out.to_str().unwrap()], "").status.success());
    let pdf = out.join(format!("{code}.1.pdf"));
    let o = run(&["--json", "verify", pdf.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let reports: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(reports.as_array().unwrap().len(), 2);
    assert!(reports[0]["signer"].as_str().unwrap().contains("Trần Thị Chứng Thực"));
    assert!(reports[1]["signer"].as_str().unwrap().contains("UBND phường Sài Gòn"));
    let sig = pdfsig(&dir.path().join("nss"), &pki.join("ca.crt"), &pdf);
    assert_eq!(sig.matches("Signature is Valid.").count(), 2, "{sig}");
    // In words: the trust path up to the configured root.
    let o = run(&["verify", pdf.to_str().unwrap()], "");
    let text = stdout(&o);
    assert_eq!(text.matches("trust path: ").count(), 2, "{text}");
    assert!(text.contains("Trần Thị Chứng Thực,O=HoSo Test,C=VN → CN=HoSo Test Root CA"), "{text}");
    assert_eq!(text.matches("revocation: ").count(), 2, "{text}");
    assert!(text.contains("not revoked (CRL "), "{text}");
    assert_eq!(text.matches("no time-stamp: the signing time is the signer's claim").count(), 2, "{text}");
    // Without the CRL, nothing can tell: its own verdict and exit code.
    std::fs::remove_file(data.join("revocation").join("ca.crl")).unwrap();
    let o = run(&["verify", pdf.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(7), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("REVOCATION NOT CHECKED") && stdout(&o).contains("names no CRL or OCSP address")
    );

    // A note stuck on the first page after both signatures (an incremental
    // update by lopdf): the signed revisions are intact, the file is not what
    // was signed: exit 8, and what changed is named.
    let signed = std::fs::read(&pdf).unwrap();
    let prev = lopdf::Document::load_mem(&signed).unwrap();
    let page = *prev.get_pages().get(&1).unwrap();
    let mut update = lopdf::IncrementalDocument::create_from(signed, prev);
    let mut page_dict = update.get_prev_documents().get_dictionary(page).unwrap().clone();
    let note = update.new_document.add_object(lopdf::Dictionary::from_iter([
        ("Type", lopdf::Object::Name(b"Annot".to_vec())),
        ("Subtype", lopdf::Object::Name(b"Text".to_vec())),
        ("Rect", lopdf::Object::Array(vec![0.into(), 0.into(), 20.into(), 20.into()])),
    ]));
    let mut annots = page_dict.get(b"Annots").and_then(lopdf::Object::as_array).cloned().unwrap_or_default();
    annots.push(note.into());
    page_dict.set("Annots", annots);
    update.new_document.set_object(page, page_dict);
    let mut changed = Vec::new();
    update.save_to(&mut changed).unwrap();
    let changed_file = out.join("changed.pdf");
    std::fs::write(&changed_file, changed).unwrap();
    let o = run(&["verify", changed_file.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(8), "{}", stdout(&o));
    let text = stdout(&o);
    assert_eq!(text.matches("CHANGED AFTER SIGNING").count(), 2, "{text}");
    assert!(text.contains("(Annot) added after signing"), "{text}");
    assert!(text.contains(&format!("object {} (Page) replaced after signing (/Annots)", page.0)), "{text}");

    // One byte changed: exit 4 and a report that says so, in Vietnamese too.
    let mut bytes = std::fs::read(&pdf).unwrap();
    let at = bytes.windows(4).position(|w| w == b"/Im1").unwrap() + 2;
    bytes[at] ^= 1;
    let bad = out.join("bad.pdf");
    std::fs::write(&bad, bytes).unwrap();
    // Vietnamese is the default language (the test helper asks for English).
    let o = Command::new(env!("CARGO_BIN_EXE_hoso"))
        .arg("--data-dir")
        .arg(&data)
        .args(["verify", bad.to_str().unwrap()])
        .env("HOSO_CONFIG", &config)
        .env_remove("HOSO_LANG")
        .run();
    assert_eq!(o.status.code(), Some(4));
    assert!(stdout(&o).contains("KHÔNG HỢP LỆ"), "{}", stdout(&o));
}

/// What scripts/test-pki and the TSA on loopback of hoso-sign's tests give.
#[path = "../../../hoso-sign/tests/common/mod.rs"]
mod signing;

/// The SHA-256 of a file, as the manifest names it.
fn sha256_hex(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes).as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn time_stamped_copies_get_validation_data_once_it_can_be_had_and_the_seal_carries_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_pki_dir, pki) = signing::setup();
    let tsa = signing::tsa(&pki);
    let fingerprint = |name: &str| {
        std::fs::read_to_string(pki.path(&format!("{name}.fingerprint"))).unwrap().trim().to_owned()
    };
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "agency = \"UBND phường Sài Gòn\"\npkcs11_module = \"/usr/lib/softhsm/libsofthsm2.so\"\ntoken_label = \"hoso-test\"\nagency_certificate = \"{}\"\ntrust_roots = \"{}\"\ntsa_url = \"{tsa}\"\n",
            fingerprint("agency"),
            pki.path("ca.crt").display()
        ),
    )
    .unwrap();
    let data = dir.path().join("store");
    let kept_crl = data.join("revocation").join("ca.crl");
    let run = |args: &[&str]| {
        cmd(&data, args)
            .env("HOSO_CONFIG", &config)
            .env("SOFTHSM2_CONF", &pki.conf)
            .env("HOSO_PIN", "123456")
            .run()
    };
    let json = |o: &Output| -> serde_json::Value {
        assert!(o.status.success(), "{}{}", stdout(o), stderr(o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let code = json(&run(&["--json", "record", "new", "--procedure", "2.000815", "--name", "Ngô Thị Ngọc"]))
        ["code"]
        .as_str()
        .unwrap()
        .to_owned();
    // Doctor asks the TSA for a time-stamp and judges it as a signature's.
    let o = run(&["--json", "doctor"]);
    let checks: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let tsa_check = checks.as_array().unwrap().iter().find(|c| c["name"] == "tsa").unwrap().clone();
    assert_eq!(tsa_check["status"], "ok", "{tsa_check}");
    assert!(tsa_check["detail"].as_str().unwrap().contains("CN=HoSo Test TSA"), "{tsa_check}");
    let file = write_png(dir.path(), "p1.png", &page(1240, 1754, 0)).display().to_string();
    assert!(run(&["import", &code, &file]).status.success());
    assert!(run(&["process"]).status.success());
    assert!(run(&["build", &code]).status.success());

    // The counter cannot reach any revocation source (the test certificates
    // name none, and IT has put no CRL yet): certified, time-stamped, and
    // the validation data left for later, saying why.
    let certify =
        ["certify", &code, "--name", "Trần Thị Chứng Thực", "--certificate", &fingerprint("certifier")];
    let o = run(&certify);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("long-term validation data not added yet (tried again when sealing)"),
        "{}",
        stderr(&o)
    );
    let out = dir.path().join("out");
    assert!(run(&["export", &code, out.to_str().unwrap()]).status.success());
    let copy = out.join(format!("{code}.1.pdf"));
    let o = run(&["verify", copy.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(7), "{}", stdout(&o));
    assert_eq!(stdout(&o).matches("PAdES level: B-T: time-stamped").count(), 2, "{}", stdout(&o));
    let as_signed = std::fs::read(&copy).unwrap();

    // Back online (IT puts the CA's CRL where the counter reads it): sealing
    // adds the validation data and the manifest names that file.
    std::fs::create_dir_all(kept_crl.parent().unwrap()).unwrap();
    std::fs::copy(pki.path("ca.crl"), &kept_crl).unwrap();
    let manifest = json(&run(&["--json", "seal", &code]));
    let certified: Vec<&serde_json::Value> =
        manifest["files"].as_array().unwrap().iter().filter(|f| f["role"] == "certified").collect();
    assert_eq!(certified.len(), 1, "{manifest}");
    let sealed_out = dir.path().join("sealed");
    assert!(run(&["export", &code, sealed_out.to_str().unwrap()]).status.success());
    let lt = std::fs::read(sealed_out.join(format!("{code}.1.pdf"))).unwrap();
    assert_eq!(certified[0]["sha256"].as_str(), Some(sha256_hex(&lt).as_str()));
    assert!(lt.starts_with(&as_signed) && lt.len() > as_signed.len(), "appended after the signatures");

    // The sealed copy answers for itself: valid with the CRL gone again.
    std::fs::remove_file(&kept_crl).unwrap();
    let lt_file = sealed_out.join(format!("{code}.1.pdf"));
    let o = run(&["verify", lt_file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let text = stdout(&o);
    assert_eq!(text.matches("PAdES level: B-LT").count(), 2, "{text}");
    assert!(text.contains("not revoked (CRL DSS)"), "{text}");
    let o = run(&["verify", copy.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(7), "the copy as signed still cannot tell: {}", stdout(&o));
}
