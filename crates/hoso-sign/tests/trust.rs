//! Certification paths (hoso_sign::trust) on chains made here with rcgen: a
//! good chain, and each way a chain can be forged or out of bounds, refused
//! with its own reason. Pure Rust, so it runs under Wine too.

use hoso_sign::{Cert, PathFault, TrustRoots};
use rcgen::{BasicConstraints, CustomExtension, IsCa, Issuer, KeyPair, KeyUsagePurpose, date_time_ymd};

mod chains;
use chains::{AT, Ca, ca_params, cert, issue, params, root, roots, signer_params};

#[test]
fn a_good_chain_gives_its_path_from_the_signer_to_the_root() {
    let national = root(ca_params("Root CA"));
    let provider = issue(ca_params("Provider CA"), &national);
    let official = issue(signer_params("Nguyễn Văn A"), &provider);
    let path = roots(&[&national]).path(&official.cert, std::slice::from_ref(&provider.cert), AT).unwrap();
    assert_eq!(path.subjects(), ["CN=Nguyễn Văn A,C=VN", "CN=Provider CA,C=VN", "CN=Root CA,C=VN"]);
    // A signer without a keyUsage extension is not refused for it.
    let plain = issue(params("Plain", IsCa::NoCa, &[]), &provider);
    assert!(roots(&[&national]).path(&plain.cert, std::slice::from_ref(&provider.cert), AT).is_ok());
}

#[test]
fn each_forged_or_out_of_bounds_chain_is_refused_for_its_own_reason() {
    let national = root(ca_params("Root CA"));
    let provider = issue(ca_params("Provider CA"), &national);
    let trusted = roots(&[&national]);
    let mut cases: Vec<(&str, PathFault, Result<hoso_sign::TrustPath, PathFault>)> = Vec::new();

    // The holder of any end-entity certificate issues one with an official's name.
    let holder = issue(signer_params("Citizen"), &provider);
    let forged = issue(signer_params("Official"), &holder);
    cases.push((
        "end entity used as a CA",
        PathFault::NotCa,
        trusted.path(&forged.cert, &[holder.cert.clone(), provider.cert.clone()], AT),
    ));

    // A CA whose key usage does not allow keyCertSign.
    let no_sign = issue(
        params("No-sign CA", IsCa::Ca(BasicConstraints::Unconstrained), &[KeyUsagePurpose::DigitalSignature]),
        &national,
    );
    let below = issue(signer_params("Below no-sign"), &no_sign);
    cases.push((
        "CA without keyCertSign",
        PathFault::NotCertSigner,
        trusted.path(&below.cert, std::slice::from_ref(&no_sign.cert), AT),
    ));

    // An intermediate that allows no CA below it (pathLenConstraint 0) above
    // another CA. (A root's own constraint is not applied: RFC 5280 takes a
    // trust anchor as its subject and key, as webpki does.)
    let strict = issue(
        params("Strict CA", IsCa::Ca(BasicConstraints::Constrained(0)), &[KeyUsagePurpose::KeyCertSign]),
        &national,
    );
    let middle = issue(ca_params("Middle CA"), &strict);
    let deep = issue(signer_params("Too deep"), &middle);
    cases.push((
        "path length",
        PathFault::PathTooLong,
        trusted.path(&deep.cert, &[middle.cert.clone(), strict.cert.clone()], AT),
    ));

    // An intermediate that had expired when the document was signed.
    let mut old = ca_params("Old CA");
    old.not_after = date_time_ymd(2026, 1, 1);
    let old = issue(old, &national);
    let under_old = issue(signer_params("Under old"), &old);
    cases.push((
        "expired intermediate",
        PathFault::Expired,
        trusted.path(&under_old.cert, std::slice::from_ref(&old.cert), AT),
    ));

    // A signer not valid yet at the time judged.
    let mut early = signer_params("Early");
    early.not_before = date_time_ymd(2027, 1, 1);
    let early = issue(early, &provider);
    cases.push((
        "signer not yet valid",
        PathFault::NotYetValid,
        trusted.path(&early.cert, std::slice::from_ref(&provider.cert), AT),
    ));

    // A certificate for key exchange only.
    let exchange = issue(params("Exchange", IsCa::NoCa, &[KeyUsagePurpose::KeyEncipherment]), &provider);
    cases.push((
        "signer key usage",
        PathFault::SignerKeyUsage,
        trusted.path(&exchange.cert, std::slice::from_ref(&provider.cert), AT),
    ));

    // Ed25519 is no algorithm HoSo accepts.
    let ed_root = {
        let key = KeyPair::generate_for(&rcgen::PKCS_ED25519).unwrap();
        let p = ca_params("Ed root");
        Ca { cert: cert(&p.self_signed(&key).unwrap()), issuer: Issuer::new(p, key) }
    };
    let ed_signer = issue(signer_params("Ed signer"), &ed_root);
    cases.push(("algorithm", PathFault::Algorithm, roots(&[&ed_root]).path(&ed_signer.cert, &[], AT)));

    // A chain to a root IT did not configure.
    let other = root(ca_params("Other root"));
    let stranger = issue(signer_params("Stranger"), &other);
    cases.push(("unknown root", PathFault::UnknownIssuer, trusted.path(&stranger.cert, &[], AT)));

    // No roots at all.
    cases.push(("no roots", PathFault::NoRoots, TrustRoots::default().path(&stranger.cert, &[], AT)));

    // An unknown critical extension.
    let mut odd = signer_params("Odd");
    let mut ext = CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 99999, 1], vec![0x05, 0x00]);
    ext.set_criticality(true);
    odd.custom_extensions.push(ext);
    let odd = issue(odd, &provider);
    cases.push((
        "unknown critical extension",
        PathFault::CriticalExtension,
        trusted.path(&odd.cert, std::slice::from_ref(&provider.cert), AT),
    ));

    // A certificate whose signature is not its issuer's: same name, other key.
    let impostor = root(ca_params("Provider CA"));
    let by_impostor = issue(signer_params("By impostor"), &impostor);
    cases.push((
        "signature by another key",
        PathFault::BadSignature,
        trusted.path(&by_impostor.cert, std::slice::from_ref(&provider.cert), AT),
    ));

    println!("{:<28} {:<20} got", "case", "expected");
    let mut wrong = Vec::new();
    for (name, expected, got) in &cases {
        let got_code = match got {
            Ok(_) => "TRUSTED",
            Err(f) => f.code(),
        };
        println!("{name:<28} {:<20} {got_code}", expected.code());
        if got.as_ref().err() != Some(expected) {
            wrong.push(format!("{name}: expected {expected:?}, got {got:?}"));
        }
        if let Err(f) = got {
            let (vi, en) = (f.message().text(hoso_i18n::Lang::Vi), f.message().text(hoso_i18n::Lang::En));
            assert!(!vi.is_empty() && !en.is_empty());
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn root_bundles_are_read_as_pem_der_and_p7b() {
    let a = root(ca_params("Root A"));
    let b = root(ca_params("Root B"));
    let pem = format!("{}\n{}", pem(&a.cert), pem(&b.cert));
    assert_eq!(TrustRoots::from_bundle(pem.as_bytes()).unwrap().certs().len(), 2);
    assert_eq!(TrustRoots::from_bundle(&a.cert.der).unwrap().certs()[0].der, a.cert.der);
    for bad in
        [&b"not a certificate"[..], b"", b"-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n"]
    {
        assert!(TrustRoots::from_bundle(bad).is_err(), "{bad:?}");
    }
}

/// A .p7b as IT gets one: made by `openssl crl2pkcs7` (Linux only: no openssl
/// under the Windows test run).
#[cfg(not(windows))]
#[test]
fn a_p7b_bundle_from_openssl_gives_its_certificates() {
    let a = root(ca_params("Root A"));
    let b = root(ca_params("Root B"));
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("roots.pem");
    std::fs::write(&certs, format!("{}\n{}", pem(&a.cert), pem(&b.cert))).unwrap();
    for form in ["DER", "PEM"] {
        let out = dir.path().join(format!("roots-{form}.p7b"));
        let o = std::process::Command::new("openssl")
            .args(["crl2pkcs7", "-nocrl", "-outform", form, "-certfile"])
            .arg(&certs)
            .arg("-out")
            .arg(&out)
            .output()
            .expect("openssl runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let bundle = TrustRoots::from_bundle(&std::fs::read(&out).unwrap()).unwrap();
        // A SET OF: in DER order, not the file's.
        let mut ders: Vec<&[u8]> = bundle.certs().iter().map(|c| c.der.as_slice()).collect();
        let mut want = [a.cert.der.as_slice(), b.cert.der.as_slice()];
        ders.sort();
        want.sort();
        assert_eq!(ders, want, "{form}");
    }
}

fn pem(c: &Cert) -> String {
    pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, &c.der).unwrap()
}
