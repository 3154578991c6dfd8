//! The chip read through a real PC/SC stack: pcscd, vsmartcard's virtual
//! reader, and an ICAO 9303 card emulated for the tests (`card/icao_card.py`).
//! One test, cases in turn: pcscd is one per machine. Linux only: under
//! Wine, WinSCard has no reader to offer (Windows links the same `pcsc` code).

#![cfg(target_os = "linux")]

#[path = "common/pcscd.rs"]
mod pcscd;

use hoso_chip::{ChipError, MrzKey, PaFault};
use hoso_sign::{PathFault, TrustRoots};
use pcscd::{READER, VirtualReader};

fn key() -> MrzKey {
    MrzKey::new("070752696", "700704", "300704").unwrap()
}

fn roots(reader: &VirtualReader) -> TrustRoots {
    TrustRoots::from_bundle(&std::fs::read(reader.csca()).unwrap()).unwrap()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[test]
fn cards_through_pcscd() {
    let reader = VirtualReader::start();
    let person = pcscd::person(reader.dir.path());

    // A good card: opened, read, and its data authenticated up to the CSCA.
    let card = reader.insert(&person, &[]);
    let mut link = hoso_chip::reader::connect(None).expect("the card on the first reader with one");
    assert_eq!(link.reader, READER);
    let data = hoso_chip::read(&mut link, &key()).expect("read the chip");
    // No EF.CardAccess: BAC.
    assert_eq!(data.access, "BAC");
    assert_eq!(data.listed, vec![1, 2, 13]);
    assert!(data.mrz.starts_with("IDVNM070752696"), "{}", data.mrz);
    let card_data = data.card.clone().expect("DG13");
    assert_eq!(card_data.full_name.as_deref(), Some("Lê Minh Nam"));
    assert_eq!(
        card_data.place_of_residence.as_deref(),
        Some("12 Lý Tự Trọng, Phường Sài Gòn, TP. Hồ Chí Minh")
    );
    assert_eq!(
        (card_data.father.as_deref(), card_data.mother.as_deref()),
        (Some("Lê Văn An"), Some("Trần Thị Bình"))
    );
    assert_eq!(data.portrait.as_ref().map(|p| p.mime), Some("image/jpeg"));
    let pa = data.authenticate(&roots(&reader), now());
    assert!(pa.passed(), "{pa:?}");
    assert_eq!(pa.groups, vec![1, 13, 2]);
    assert_eq!(pa.hash, Some("SHA-256"));
    assert!(pa.csca.as_deref().is_some_and(|c| c.contains("CSCA csca")), "{pa:?}");
    // Without the CSCA configured, nothing is verified.
    assert_eq!(
        data.authenticate(&TrustRoots::default(), now()).fault,
        Some(PaFault::Untrusted(PathFault::NoRoots))
    );

    // A wrong MRZ key: the chip refuses it.
    let mut link = hoso_chip::reader::connect(Some(READER)).unwrap();
    let wrong = MrzKey::new("070752696", "700705", "300704").unwrap();
    assert_eq!(hoso_chip::read(&mut link, &wrong).unwrap_err(), ChipError::AccessRefused);
    card.remove();
    assert_eq!(hoso_chip::reader::connect(Some(READER)).unwrap_err(), ChipError::NoCard);

    // DG13 changed after the card was signed.
    let card = reader.insert(&person, &["--tamper-dg13"]);
    let data = hoso_chip::read(&mut hoso_chip::reader::connect(None).unwrap(), &key()).unwrap();
    assert_eq!(data.authenticate(&roots(&reader), now()).fault, Some(PaFault::Changed(vec![13])));
    card.remove();

    // Signed under a CSCA nobody configured.
    let card = reader.insert(&person, &["--unknown-signer"]);
    let data = hoso_chip::read(&mut hoso_chip::reader::connect(None).unwrap(), &key()).unwrap();
    let pa = data.authenticate(&roots(&reader), now());
    assert_eq!(pa.fault, Some(PaFault::Untrusted(PathFault::UnknownIssuer)), "{pa:?}");
    assert!(pa.signer.is_some());
    card.remove();

    // Cards that speak PACE only (ECDH generic mapping, AES-128): opened by
    // PACE on the curve their EF.CardAccess names, read under AES secure
    // messaging, authenticated as before; a wrong key fails the card's
    // check of our token.
    for (curve, named) in [("BP256", "brainpoolP256r1"), ("P256", "NIST P-256")] {
        let card = reader.insert(&person, &["--pace", curve]);
        let mut link = hoso_chip::reader::connect(None).unwrap();
        let data = hoso_chip::read(&mut link, &key()).expect("read the chip by PACE");
        assert_eq!(data.access, format!("PACE ECDH-GM AES-128 {named}"));
        assert_eq!(data.card.as_ref().and_then(|c| c.full_name.as_deref()), Some("Lê Minh Nam"));
        assert!(data.authenticate(&roots(&reader), now()).passed());
        let wrong = MrzKey::new("070752696", "700705", "300704").unwrap();
        assert_eq!(hoso_chip::read(&mut link, &wrong).unwrap_err(), ChipError::AccessRefused);
        card.remove();
    }

    // Taken off the reader mid-read (at the 12th APDU: inside DG13).
    let card = reader.insert(&person, &["--remove-after", "12"]);
    let err = hoso_chip::read(&mut hoso_chip::reader::connect(None).unwrap(), &key()).unwrap_err();
    assert_eq!(err, ChipError::Removed);
    card.remove();
}
