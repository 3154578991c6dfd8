//! The applicant filled from the card's chip through a real PC/SC stack
//! (pcscd, vsmartcard's virtual reader, the test card of
//! hoso-chip/tests/card/icao_card.py; the first card speaks PACE only, the
//! others BAC), verified against the configured CSCA;
//! a changed DG13 and a signer of an unknown CSCA refused; an expired card
//! shown and kept unverified. Linux only: pcscd is Linux's.

#[path = "../../../hoso-chip/tests/common/pcscd.rs"]
mod pcscd;

use crate::*;

const KEY: &str = "070752696,700704,300704";

fn audit_actions(data: &Path, action: &str) -> Vec<String> {
    let c = rusqlite::Connection::open(data.join("hoso.db")).unwrap();
    let mut q = c.prepare("SELECT detail FROM audit WHERE action = ?1 ORDER BY seq").unwrap();
    q.query_map([action], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

fn records_in_db(data: &Path) -> i64 {
    let c = rusqlite::Connection::open(data.join("hoso.db")).unwrap();
    c.query_row("SELECT count(*) FROM records", [], |r| r.get(0)).unwrap()
}

#[test]
fn the_applicant_comes_from_the_chip_verified_and_bad_cards_are_refused() {
    let reader = pcscd::VirtualReader::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let person = pcscd::person(dir.path());
    let new_from_chip = |config: &Path| {
        let mut c =
            cmd(&data, &["--json", "record", "new", "--procedure", "1.001193", "--phone", "0909 123 456"]);
        c.args(["--from-chip", "--key", KEY]).env("HOSO_CONFIG", config);
        c.run()
    };

    // A good card, the CSCA configured: filled from the chip and verified.
    let card = reader.insert(&person, &["--pace", "BP256"]);
    let config =
        write_config(&dir.path().join("hoso.toml"), &format!("csca = {}", toml_path(&reader.csca())));
    let o = new_from_chip(&config);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let a = &v["applicant"];
    assert_eq!(
        (a["name"].as_str(), a["personal_id"].as_str()),
        (Some("Lê Minh Nam"), Some("079070752696")),
        "{v}"
    );
    assert_eq!(a["phone"], "0909 123 456");
    assert_eq!(a["address"], "12 Lý Tự Trọng, Phường Sài Gòn, TP. Hồ Chí Minh");
    let identity = &a["identity"];
    assert_eq!(
        (identity["source"].as_str(), identity["verified"].as_bool()),
        (Some("chip"), Some(true)),
        "{v}"
    );
    assert_eq!(identity["passive_auth"], "passed");
    assert!(identity["csca"].as_str().is_some_and(|c| c.contains("CSCA csca")), "{v}");
    // The read and the record's identity are in the audit log.
    let reads = audit_actions(&data, "identity.chip");
    assert!(reads.len() == 1 && reads[0].contains("\"verified\":true"), "{reads:?}");
    assert!(reads[0].contains("\"access\":\"PACE ECDH-GM AES-128 brainpoolP256r1\""), "{reads:?}");
    assert!(audit_actions(&data, "record.create")[0].contains("\"source\":\"chip\""));

    // hoso doctor sees the reader and the CSCA; a configured reader that is
    // not connected fails.
    let doctor = |config: &Path| {
        let o = cmd(&data, &["--json", "doctor"]).env("HOSO_CONFIG", config).run();
        let all: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let find = |name: &str| all.as_array().unwrap().iter().find(|c| c["name"] == name).cloned().unwrap();
        (find("card-reader"), find("csca"))
    };
    let (reader_check, csca_check) = doctor(&config);
    assert_eq!(reader_check["status"], "ok", "{reader_check}");
    assert!(reader_check["detail"].as_str().unwrap().contains(pcscd::READER), "{reader_check}");
    assert_eq!(csca_check["status"], "ok", "{csca_check}");
    assert!(csca_check["detail"].as_str().unwrap().contains("CSCA csca"), "{csca_check}");
    let elsewhere = write_config(
        &dir.path().join("elsewhere.toml"),
        &format!("csca = {}\ncard_reader = \"ACS ACR39U\"", toml_path(&reader.csca())),
    );
    let (reader_check, _) = doctor(&elsewhere);
    assert_eq!(reader_check["status"], "fail", "{reader_check}");
    assert!(reader_check["detail"].as_str().unwrap().contains("ACS ACR39U"), "{reader_check}");

    // The same card without the CSCA configured: read, but not verified.
    let o = hoso(&data, &["card", "chip", "--key", KEY]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stdout(&o).contains("NOT verified") && stdout(&o).contains("Lê Văn An"), "{}", stdout(&o));
    assert!(stdout(&o).contains("Chip opened by: PACE ECDH-GM AES-128 brainpoolP256r1"), "{}", stdout(&o));
    card.remove();

    // DG13 changed after signing: refused, and no record is opened.
    let records = records_in_db(&data);
    let card = reader.insert(&person, &["--tamper-dg13"]);
    let o = new_from_chip(&config);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("DG13 does not match what was signed"), "{}", stderr(&o));
    assert_eq!(records_in_db(&data), records);
    let o = cmd(&data, &["card", "chip", "--key", KEY]).env("HOSO_CONFIG", &config).run();
    assert_eq!(o.status.code(), Some(3));
    card.remove();

    // Signed under a CSCA nobody configured: refused.
    let card = reader.insert(&person, &["--unknown-signer"]);
    let o = new_from_chip(&config);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("card-issuing authority"), "{}", stderr(&o));
    assert_eq!(records_in_db(&data), records);
    card.remove();
    let failed = audit_actions(&data, "identity.chip");
    assert!(failed.iter().any(|d| d.contains("passive_auth:changed")), "{failed:?}");
    assert!(failed.iter().any(|d| d.contains("untrusted:unknown_issuer")), "{failed:?}");

    // An expired card: authentic, so the record opens, but not verified and said so.
    let expired = dir.path().join("expired.json");
    let text = std::fs::read_to_string(&person).unwrap();
    std::fs::write(&expired, text.replace("300704", "200704").replace("04/07/2030", "04/07/2020")).unwrap();
    let card = reader.insert(&expired, &[]);
    let mut c = cmd(
        &data,
        &["record", "new", "--procedure", "1.001193", "--from-chip", "--key", "070752696,700704,200704"],
    );
    let o = c.env("HOSO_CONFIG", &config).run();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("the card expired on 04/07/2020"), "{}", stdout(&o));
    card.remove();
    // With no card on the reader, a clear message.
    let o = hoso(&data, &["card", "chip", "--key", KEY]);
    assert!(stderr(&o).contains("no card on the reader"), "{}", stderr(&o));
}
