//! Signing with a key from a PKCS#12 file (how some CAs issue an agency's
//! seal key): the file written by p12-keystore from a chain made here with
//! rcgen, opened by `FileSigner`, a HoSo PDF/A signed and verified. Needs no
//! openssl or token, so it runs under Wine too.

use std::path::Path;

use hoso_pdf::{DEFAULT_FONT, FontFile};
use hoso_sign::{FileSigner, Revocation, Verdict, sign_pdf, verify_pdf};
use p12_keystore::{KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain};

mod chains;
mod common;
use chains::{ca_params, issue, root, roots, signer_params};

#[test]
fn a_pkcs12_key_signs_a_copy_that_verifies_and_a_wrong_password_is_refused() {
    let national = root(ca_params("HoSo Test Root"));
    let agency = issue(signer_params("UBND phường Sài Gòn"), &national);
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("agency.p12");
    let key = PrivateKey::from_der(&agency.issuer.key().serialize_der()).unwrap();
    let certs = [&agency.cert, &national.cert].map(|c| p12_keystore::Certificate::from_der(&c.der).unwrap());
    let mut store = KeyStore::new();
    store.add_entry("agency", KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(&b"1"[..], key, certs)));
    std::fs::write(&file, store.writer("bí mật").write().unwrap()).unwrap();

    let wrong = FileSigner::open(&file, "sai mật khẩu", false).unwrap_err().to_string();
    assert!(wrong.contains("wrong password"), "{wrong}");

    let mut signer = FileSigner::open(&file, "bí mật", false).unwrap();
    let font = FontFile::load(Path::new(DEFAULT_FONT)).unwrap();
    let now = chrono::Utc::now().timestamp();
    let look = common::look(1, &["SAO Y", "UBND phường Sài Gòn"], true);
    let signed =
        sign_pdf(&common::document(), &mut signer, &common::info("SaoY1", "UBND"), &look, &font, now, None)
            .unwrap();
    let reports = verify_pdf(&signed, &roots(&[&national]), &Revocation::new(None, false), now).unwrap();
    let [r] = reports.as_slice() else { panic!("{reports:#?}") };
    assert!(r.digest_ok && r.signature_ok && r.chain_ok && r.certificate_valid, "{r:#?}");
    assert_eq!(r.trust_path, ["CN=UBND phường Sài Gòn,C=VN", "CN=HoSo Test Root,C=VN"]);
    assert_eq!((r.digest_algorithm.as_str(), r.level), ("SHA-256", "B-B"));
    // These certificates name no revocation source and nothing is kept: the
    // verdict says so, never "valid".
    assert_eq!(r.verdict, Verdict::RevocationUnknown);
}
