//! `hoso doctor` on a counter set up with real parts: SANE's test backend, a
//! SoftHSM2 token with certificates (scripts/test-pki), the reference hub on a
//! loopback port; then with problems IT meets: the PC not enrolled, the hub
//! unreachable, the OCR models missing, the configured scanner unplugged.

use std::sync::Arc;

use crate::scan::sane_conf;
use crate::*;

fn checks(o: &Output) -> Vec<serde_json::Value> {
    serde_json::from_slice::<serde_json::Value>(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(o), stderr(o)))
        .as_array()
        .unwrap()
        .clone()
}

fn status<'a>(checks: &'a [serde_json::Value], name: &str) -> &'a str {
    checks.iter().find(|c| c["name"] == name).unwrap_or_else(|| panic!("no {name} in {checks:?}"))["status"]
        .as_str()
        .unwrap()
}

#[test]
fn doctor_reports_a_working_counter_and_names_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let sane = sane_conf();
    let pki = dir.path().join("pki");
    let softhsm_conf = test_pki(&pki);
    let hub = Arc::new(hoso_hub::Hub::open(&dir.path().join("hub")).unwrap());
    let url = hoso_hub::spawn_local(hoso_hub::router(Arc::clone(&hub))).unwrap();

    let config = dir.path().join("config.toml");
    let write_config = |extra: &str| {
        std::fs::write(
            &config,
            format!(
                "pkcs11_module = \"/usr/lib/softhsm/libsofthsm2.so\"\n\
                 token_label = \"hoso-test\"\ntrust_roots = \"{}\"\ndevice_id = \"counter-09\"\n{extra}\n",
                pki.join("ca.crt").display()
            ),
        )
        .unwrap()
    };
    let run = |args: &[&str]| {
        cmd(&data, args)
            .env("HOSO_CONFIG", &config)
            .env("SANE_CONFIG_DIR", sane.path())
            .env("SOFTHSM2_CONF", &softhsm_conf)
            .run()
    };
    write_config(&format!("hub_url = \"{url}\"\nscanner = \"sane:test:0\""));

    // `hoso config` says where each value comes from.
    let shown = checks(&run(&["--json", "config"]));
    let key = |k: &str| shown.iter().find(|s| s["key"] == k).unwrap().clone();
    assert_eq!(
        (key("hub_url")["value"].as_str(), key("hub_url")["source"].as_str()),
        (Some(url.as_str()), Some("user"))
    );
    assert_eq!(key("rsa_pss")["source"], "default");

    // No device key yet: the hint says how to make one.
    let o = run(&["doctor"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("hoso sync key"), "{}", stdout(&o));

    // Key made but not enrolled.
    let o = run(&["--json", "sync", "key"]);
    let key = serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let c = checks(&run(&["--json", "doctor"]));
    assert_eq!(status(&c, "hub"), "fail");
    assert!(c.iter().any(|c| c["detail"].as_str().unwrap().contains("not enrolled")), "{c:?}");
    // Without the hub's receipt key no record would be sent.
    assert_eq!(status(&c, "hub-key"), "fail", "{c:?}");

    // A hub across the network in plain HTTP is refused before anything is sent.
    write_config("hub_url = \"http://10.1.2.3:8470\"\nscanner = \"sane:test:0\"");
    let c = checks(&run(&["--json", "doctor"]));
    assert_eq!(status(&c, "hub"), "fail");
    assert!(c.iter().any(|c| c["detail"].as_str().unwrap().contains("https:// only")), "{c:?}");

    // Enrolled, with the hub's key: everything the counter needs works.
    write_config(&format!(
        "hub_url = \"{url}\"\nscanner = \"sane:test:0\"\nhub_key = \"{}\"",
        hub.public_key()
    ));
    hub.enrol("counter-09", &key, "test").unwrap();
    let o = run(&["--json", "doctor"]);
    let c = checks(&o);
    for name in
        ["config", "unit", "store", "ocr", "scanner", "pkcs11", "trust-roots", "hub", "hub-key", "clock"]
    {
        assert_eq!(status(&c, name), "ok", "{name}: {c:?}");
    }
    // Disk space depends on the machine: a warning at most.
    assert_ne!(status(&c, "disk"), "fail", "{c:?}");
    // scripts/test-pki issues 30-day leaves: inside the 30-day warning (even
    // when doctor runs in the second they were made), so each of the four
    // certificates is flagged with its date.
    let certs: Vec<_> = c.iter().filter(|c| c["name"] == "certificate").collect();
    assert_eq!(certs.len(), 4, "certifier, agency, ECDSA, withdrawn: {c:?}");
    assert!(
        certs.iter().all(|c| c["status"] == "warn" && c["detail"].as_str().unwrap().contains("expires on")),
        "{certs:?}"
    );
    assert_eq!(o.status.code(), Some(3), "warnings only: {}", stdout(&o));
    // Their revocation: nothing can tell yet (the test CA names no address).
    assert!(
        certs.iter().all(|c| c["detail"].as_str().unwrap().contains("revocation not checked")),
        "{certs:?}"
    );
    // With the CA's CRL in the store's revocation folder: the revoked one
    // fails, before any supervisor tries it; the others are not revoked.
    std::fs::create_dir_all(data.join("revocation")).unwrap();
    std::fs::copy(pki.join("ca.crl"), data.join("revocation").join("ca.crl")).unwrap();
    let o = run(&["--json", "doctor"]);
    let c = checks(&o);
    let certs: Vec<_> = c.iter().filter(|c| c["name"] == "certificate").collect();
    for cert in &certs {
        let detail = cert["detail"].as_str().unwrap();
        if detail.contains("Phạm Văn Thu Hồi") {
            assert!(cert["status"] == "fail" && detail.contains("REVOKED since"), "{cert:?}");
        } else {
            assert!(cert["status"] == "warn" && detail.contains("not revoked (CRL "), "{cert:?}");
        }
    }
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    std::fs::remove_dir_all(data.join("revocation")).unwrap();

    // The hub and the time-stamping service are down, the models are
    // missing, the scanner is unplugged.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    write_config(&format!(
        "hub_url = \"http://{closed}\"\ntsa_url = \"http://{closed}/tsa\"\ntessdata = \"{}\"\nscanner = \"sane:epson2:libusb:001:004\"",
        dir.path().join("no-models").display()
    ));
    let o = run(&["doctor"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    for expected in [
        "✗ hub",
        "✗ tsa",
        "certifying stops without a time-stamp",
        "✗ ocr",
        "tesseract-ocr-vie",
        "✗ scanner",
        "not found",
        "sane:test:0",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
}
