//! Revocation against real servers on loopback: OpenSSL's OCSP responder
//! (`openssl ocsp`, with a responder the test CA delegated) and a CRL made by
//! `openssl ca -gencrl`, served by Python's http.server; the CA, its database
//! and the certificates are scripts/test-pki's. Each source is tried good,
//! revoked, kept for offline use, forged, out of date and unreachable.

// Linux-only: test-pki needs SoftHSM2 and OpenSC, and the servers are Linux programs.
#![cfg(not(windows))]

use std::path::{Path, PathBuf};
use std::process::Command;

use hoso_sign::revocation::{Revocation, Status};
use hoso_sign::{Cert, TrustPath, TrustRoots};

mod common;
use common::{file_server, free_port, ocsp_responder};

fn cert(pki: &Path, name: &str) -> Cert {
    Cert::from_der(&std::fs::read(pki.join(format!("{name}.crt.der"))).unwrap()).unwrap()
}

fn path_of(pki: &Path, name: &str) -> TrustPath {
    let roots = TrustRoots::from_bundle(&std::fs::read(pki.join("ca.crt")).unwrap()).unwrap();
    roots.path(&cert(pki, name), &[], now()).unwrap()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The one status of a leaf's path (the root is not checked).
fn status(revocation: &Revocation, path: &TrustPath, at: i64) -> Status {
    let statuses = revocation.check_path(path, at, None);
    assert_eq!(statuses.len(), 1, "{statuses:?}");
    statuses.into_iter().next().unwrap().status
}

fn source(status: &Status) -> (&'static str, bool) {
    match status {
        Status::Good { source } | Status::Revoked { source, .. } => (source.kind, source.kept),
        Status::Unknown { .. } => ("none", false),
    }
}

fn problems(status: &Status) -> String {
    match status {
        Status::Unknown { problems } => {
            problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(" | ")
        }
        other => panic!("expected unknown, got {other:?}"),
    }
}

#[test]
fn ocsp_and_crls_say_good_or_revoked_are_kept_for_offline_use_and_forgeries_count_for_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let pki = tmp.path().join("pki");
    let served = tmp.path().join("served");
    std::fs::create_dir_all(&served).unwrap();
    let (_files, crl_port) = file_server(&served);
    let ocsp_port = free_port();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/test-pki");
    let o = Command::new(script)
        .arg(&pki)
        .arg(format!("http://127.0.0.1:{crl_port}/ca.crl"))
        .arg(format!("http://127.0.0.1:{ocsp_port}/"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::copy(pki.join("ca.crl"), served.join("ca.crl")).unwrap();
    let certifier = path_of(&pki, "certifier");
    let withdrawn = path_of(&pki, "withdrawn");
    let kept: PathBuf = tmp.path().join("kept");
    let online = Revocation::new(Some(kept.clone()), true);

    // OCSP, answered by the CA's delegated responder: good, and revoked with the reason.
    let responder = ocsp_responder(&pki, ocsp_port, "ocsp");
    let good = status(&online, &certifier, now());
    assert!(matches!(good, Status::Good { .. }) && source(&good) == ("ocsp", false), "{good:?}");
    match status(&online, &withdrawn, now()) {
        Status::Revoked { source, reason, revoked_at } => {
            assert_eq!((source.kind, reason.as_deref()), ("ocsp", Some("KeyCompromise")));
            assert!((now() - revoked_at).abs() < 600, "{revoked_at}");
        }
        other => panic!("{other:?}"),
    }
    // The responder gone: the response kept from before still answers while current.
    drop(responder);
    let again = status(&online, &certifier, now());
    assert!(matches!(again, Status::Good { .. }) && source(&again) == ("ocsp", true), "{again:?}");
    // Offline, with nothing kept: not checked, and it says why.
    let offline = Revocation::new(Some(tmp.path().join("empty")), false);
    let unknown = status(&offline, &certifier, now());
    assert!(problems(&unknown).contains("offline, none kept"), "{unknown:?}");

    // CRL from the certificate's distribution point (the OCSP responder is
    // down and nothing of it is kept in this folder): good and revoked.
    let by_crl = Revocation::new(Some(tmp.path().join("kept-crl")), true);
    let good = status(&by_crl, &certifier, now());
    assert!(matches!(good, Status::Good { .. }) && source(&good) == ("crl", false), "{good:?}");
    match status(&by_crl, &withdrawn, now()) {
        Status::Revoked { source, reason, .. } => {
            assert_eq!((source.kind, reason.as_deref()), ("crl", Some("KeyCompromise")))
        }
        other => panic!("{other:?}"),
    }
    // Eight days on, the 7-day CRL is out of date: not checked, never good.
    let late = status(&by_crl, &certifier, now() + 8 * 86400);
    assert!(problems(&late).contains("out of date"), "{late:?}");
    // A CRL whose signature is not the CA's (one bit of it flipped) counts
    // for nothing, and the one kept from before answers instead.
    let mut forged = std::fs::read(pki.join("ca.crl.der")).unwrap();
    *forged.last_mut().unwrap() ^= 1;
    std::fs::write(served.join("ca.crl"), &forged).unwrap();
    let forged = status(&by_crl, &certifier, now());
    assert!(matches!(forged, Status::Good { .. }) && source(&forged) == ("crl", true), "{forged:?}");
    let fresh = Revocation::new(Some(tmp.path().join("kept-none")), true);
    let forged = status(&fresh, &certifier, now());
    assert!(problems(&forged).contains("does not verify"), "{forged:?}");

    // A CRL IT put in the folder (PEM or DER, any name), offline.
    for (file, name) in [("ca.crl", "national-root.crl"), ("ca.crl.der", "root-ca.crl")] {
        let folder = tmp.path().join(format!("it-{name}"));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::copy(pki.join(file), folder.join(name)).unwrap();
        let it = Revocation::new(Some(folder), false);
        let good = status(&it, &certifier, now());
        assert!(matches!(good, Status::Good { .. }) && source(&good) == ("crl", true), "{name}: {good:?}");
        assert!(matches!(status(&it, &withdrawn, now()), Status::Revoked { .. }), "{name}");
    }

    // A responder the CA did not delegate (the TSA's certificate, issued by
    // the CA but without OCSPSigning) at the certificate's OCSP address: its
    // answer counts for nothing, and neither does the forged CRL still served.
    let _stranger = ocsp_responder(&pki, ocsp_port, "tsa");
    let refused = status(&Revocation::new(None, true), &certifier, now());
    let why = problems(&refused);
    assert!(why.contains("lacks OCSPSigning") && why.contains("does not verify"), "{why}");
}
