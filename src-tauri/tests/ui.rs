//! The front end in a real browser (Debian's Chromium driven by
//! playwright-core, `ui/tests/ui.test.mjs`) against the real desktop command
//! layer (`examples/ui_bridge.rs`, the same `Desktop::call` the Tauri window
//! uses) with real parts behind it: SANE's test backend, Tesseract, a SoftHSM2
//! token (scripts/test-pki), and the reference hub on a loopback port.
//! A receptionist opens a record, scans and imports pages, fixes them, builds;
//! a supervisor certifies with the token's PIN; the record is sealed (receipt
//! slip) and synced. Screenshots go to target/ui-screenshots/.

mod common;
#[path = "../../crates/hoso-chip/tests/common/pcscd.rs"]
mod pcscd;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{Counter, Killed, run, workspace};

#[test]
fn reception_supervisor_and_sync_in_chromium() {
    let root = workspace();
    assert!(
        root.join("ui/dist/index.html").is_file() && root.join("ui/node_modules/playwright-core").is_dir(),
        "the front end is not built: scripts/test builds it (npm ci && npm run build in ui/)"
    );
    let counter = Counter::new("UBND phường Sài Gòn", "quay-01");
    // The citizen's card on the counter's reader (a real pcscd with vsmartcard's
    // virtual reader), its chip signed under the CSCA the counter trusts.
    let reader = pcscd::VirtualReader::start();
    let portrait = counter.tmp.path().join("portrait.jpg");
    image::GrayImage::from_fn(120, 160, |x, y| {
        let (dx, dy) = (x as f32 - 60.0, y as f32 - 70.0);
        image::Luma([if dx * dx / 1600.0 + dy * dy / 2500.0 < 1.0 { 90 } else { 220 }])
    })
    .save(&portrait)
    .unwrap();
    let portrait_arg = portrait.to_str().unwrap();
    let _card = reader.insert(&pcscd::person(counter.tmp.path()), &["--portrait", portrait_arg]);
    let mut config = std::fs::read_to_string(&counter.config).unwrap();
    config.push_str(&format!("csca = '{}'\n", reader.csca().display()));
    std::fs::write(&counter.config, config).unwrap();
    // `cargo test --test ui` alone does not build examples: make sure it is
    // current. Without the variables cargo set for this test process: ring's
    // build script reruns when CARGO_MANIFEST_DIR changes, and the rebuild
    // would swap libraries under the `cargo test --workspace` still running
    // this test (its doc-tests then found hoso_core's dependencies changed).
    let mut cargo = Command::new(env!("CARGO"));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name == "OUT_DIR"
            || [
                "CARGO_MANIFEST_",
                "CARGO_PKG_",
                "CARGO_BIN_",
                "CARGO_CRATE_",
                "CARGO_PRIMARY_",
                "CARGO_TARGET_TMPDIR",
            ]
            .iter()
            .any(|p| name.starts_with(p))
        {
            cargo.env_remove(name.as_ref());
        }
    }
    run(cargo.args(["build", "--quiet", "-p", "hoso-desktop", "--example", "ui_bridge"]));
    let examples = std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().join("examples");
    let mut command = Command::new(examples.join("ui_bridge"));
    counter.env(command.arg(root.join("ui/dist")).stdout(Stdio::piped()));
    let mut bridge = Killed(command.spawn().expect("examples/ui_bridge"));
    let mut line = String::new();
    BufReader::new(bridge.0.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("bridge said {line:?}"))
        .to_owned();

    // A photo of a CCCD's QR code, as a clerk would pick from the card reader's folder.
    let card = counter.tmp.path().join("cccd.png");
    common::qr_image(
        "079187247726|025123456|Ngô Thị Ngọc|19031987|Nữ|31 Hai Bà Trưng, phường Sài Gòn, TP. Hồ Chí Minh|01072021",
        8,
    )
    .save(&card)
    .unwrap();

    let shots = root.join("target/ui-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let out = run(Command::new("node")
        .arg(root.join("ui/tests/ui.test.mjs"))
        .current_dir(root.join("ui"))
        .env("HOSO_UI_URL", &url)
        .env("HOSO_SAMPLES", root.join("../shared/samples/pages"))
        .env("HOSO_SCREENSHOTS", &shots)
        .env("HOSO_CERTIFIER", counter.fingerprint("certifier"))
        .env("HOSO_CARD", &card));
    println!("{out}");

    // What the browser did is in the store and at the hub.
    let store = hoso_store::Store::open(&counter.data).unwrap();
    let chip_reads: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM audit WHERE action = 'identity.chip' AND actor = 'lan'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(chip_reads, 1, "the chip read is audited, with who read it");
    assert_eq!(counter.hub.record_count().unwrap(), 2, "each record reached the hub once");
    // The second record's certified copy is the first's, by reference,
    // attached by the supervisor still signed in; the lookups are in the
    // hub's audit (with who looked and why).
    let lookups: Vec<_> =
        counter.hub.events().unwrap().into_iter().filter(|e| e.action == "lookup").collect();
    assert_eq!(lookups.len(), 2, "the listing and the attach's own check: {lookups:?}");
    assert!(
        lookups.iter().all(|e| e.detail.contains("\"minh\"")
            && e.detail.contains("079070752696")
            && e.detail.contains("\"identity_verified\":false")),
        "a typed ID is looked up as such: {lookups:?}"
    );
    let attached: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM reused WHERE role = 'certified' AND actor = 'minh'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(attached, 1);
    // The administrator's edit is in this PC's config file, and audited.
    let config = std::fs::read_to_string(&counter.config).unwrap();
    assert!(config.contains("agency = \"UBND phường Sài Gòn — Bộ phận một cửa\""), "{config}");
    assert!(!config.contains("tsa_url"), "the refused address was not written: {config}");
    let audited: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'settings.changed' AND actor = 'it01'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
}
