//! The bodies of HoSo's fuzz targets: each feeds untrusted bytes to one of
//! hoso-sign's readers, the way a file, a token's answer or a server's answer
//! reaches it, and returns what the reader concluded. Shared by cargo-fuzz
//! (fuzz_targets/) and by hoso-sign's test tests/fuzz_corpus.rs, which runs
//! every file of corpus/<target>/ through the same body in the normal test
//! run. A panic, an overflow or a hang is the finding; nothing is fetched
//! (revocation is offline, with no folder).
//!
//! certs/: the CA and a revoked leaf of one scripts/test-pki run, the ones the
//! seeds were made with (tests/fuzz_corpus.rs, `make_seeds`), so inputs reach
//! path building, signature checks and revocation rather than stopping at
//! "unknown issuer". Time is fixed an hour after the leaf was issued.

#![allow(dead_code)]

use std::sync::OnceLock;

use hoso_sign::revocation::{Status, judge_answer};
use hoso_sign::{Cert, Revocation, TrustRoots, Verdict};

const CA: &[u8] = include_bytes!("certs/ca.der");
const LEAF: &[u8] = include_bytes!("certs/leaf.der");

struct Lab {
    ca: Cert,
    leaf: Cert,
    roots: TrustRoots,
    offline: Revocation,
    now: i64,
}

fn lab() -> &'static Lab {
    static LAB: OnceLock<Lab> = OnceLock::new();
    LAB.get_or_init(|| {
        let ca = Cert::from_der(CA).expect("fuzz/certs/ca.der");
        let leaf = Cert::from_der(LEAF).expect("fuzz/certs/leaf.der");
        let now = leaf.validity().0 + 3600;
        Lab { roots: TrustRoots::new(vec![ca.clone()]), ca, leaf, offline: Revocation::new(None, false), now }
    })
}

/// A signed PDF, verified in full: lopdf's reading, the AcroForm's
/// signatures, byte ranges, later revisions, each CMS and its time-stamp,
/// paths to the CA. The verdicts, or why the file cannot be read.
pub fn signed_pdf(data: &[u8]) -> Result<Vec<Verdict>, String> {
    let lab = lab();
    hoso_sign::verify_pdf(data, &lab.roots, &lab.offline, lab.now)
        .map(|reports| reports.iter().map(|r| r.verdict).collect())
        .map_err(|e| e.to_string())
}

/// A CMS SignedData (a signature's /Contents, or an RFC 3161 token): read,
/// its certificates parsed, its signer found and its signature value checked;
/// then judged as a time-stamp token. Whether the signature value verifies
/// (None: not a SignedData HoSo can read, or no signer in it).
pub fn cms(data: &[u8]) -> Option<bool> {
    let lab = lab();
    let _ = hoso_sign::tsa::tst_info(data);
    let _ = hoso_sign::tsa::check_token(data, b"signature value", &lab.roots, &lab.offline, lab.now);
    let signed = hoso_sign::cms::parse_signed_data(data)?;
    let certs = signed.certs();
    let signer = signed.signer(&certs)?;
    let _ = lab.roots.path(signer, &certs, lab.now);
    Some(signed.method.is_some_and(|m| signer.verify(&m, &signed.signed_attrs, &signed.signature)))
}

/// An OCSP response or a CRL (DER or PEM) about the leaf, judged as a
/// fetched answer is.
pub fn revocation(data: &[u8]) -> Status {
    let lab = lab();
    judge_answer(data, "fuzz", &lab.leaf, &lab.ca, lab.now, None)
}
