//! The front end in a real browser (Debian's Chromium driven by
//! playwright-core, `ui/tests/ui.test.mjs`) against the real desktop command
//! layer (`examples/ui_bridge.rs`, the same `Desktop::call` the Tauri window
//! uses) with real parts behind it: SANE's test backend, Tesseract, a SoftHSM2
//! token (scripts/test-pki), and the reference hub on a loopback port.
//! A receptionist opens a record, scans and imports pages, fixes them, builds;
//! a supervisor certifies with the token's PIN; the record is sealed (receipt
//! slip) and synced. Screenshots go to target/ui-screenshots/.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(cmd: &mut Command) -> String {
    let o = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        o.status.success(),
        "{cmd:?}: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

#[test]
fn reception_supervisor_and_sync_in_chromium() {
    let root = workspace();
    assert!(
        root.join("ui/dist/index.html").is_file() && root.join("ui/node_modules/playwright-core").is_dir(),
        "the front end is not built: scripts/test builds it (npm ci && npm run build in ui/)"
    );
    let tmp = tempfile::tempdir().unwrap();
    let pki = tmp.path().join("pki");
    let softhsm = run(Command::new(root.join("scripts/test-pki")).arg(&pki));
    let fingerprint = |name: &str| {
        std::fs::read_to_string(pki.join(format!("{name}.fingerprint"))).unwrap().trim().to_owned()
    };

    let sane = tmp.path().join("sane");
    std::fs::create_dir_all(&sane).unwrap();
    std::fs::write(sane.join("dll.conf"), "test\n").unwrap();
    let stock = std::fs::read_to_string("/etc/sane.d/test.conf").expect("libsane1 installed");
    std::fs::write(sane.join("test.conf"), stock.replace("geometry_max 200.0", "geometry_max 300.0"))
        .unwrap();

    let hub = Arc::new(hoso_hub::Hub::open(&tmp.path().join("hub")).unwrap());
    let hub_url = hoso_hub::spawn_local(hoso_hub::router(Arc::clone(&hub))).unwrap();

    let data = tmp.path().join("store");
    let config = tmp.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "unit = \"000.00.01.H29\"\nagency = \"UBND phường Sài Gòn\"\nscanner = \"sane:test:0\"\n\
             pkcs11_module = \"/usr/lib/softhsm/libsofthsm2.so\"\ntoken_label = \"hoso-test\"\n\
             agency_certificate = \"{}\"\ntrust_roots = \"{}\"\nhub_url = \"{hub_url}\"\n\
             device_id = \"quay-01\"\nhub_key = \"{}\"\n",
            fingerprint("agency"),
            pki.join("ca.crt").display(),
            hub.public_key()
        ),
    )
    .unwrap();
    let cfg = hoso_core::config::load(&hoso_core::config::Overrides {
        config_file: Some(config.clone()),
        data_dir: Some(data.clone()),
        unit: None,
    })
    .unwrap();
    {
        let mut app = hoso_core::App::open(cfg, "it").unwrap();
        app.add_account("lan", "Nguyễn Thị Lan", hoso_core::Role::Reception, "quay-mot-123").unwrap();
        app.add_account("minh", "Trần Văn Minh", hoso_core::Role::Supervisor, "giam-sat-456").unwrap();
        hub.enrol("quay-01", &app.device_key().unwrap(), "counter 1").unwrap();
    }

    // `cargo test --test ui` alone does not build examples: make sure it is current.
    run(Command::new(env!("CARGO")).args(["build", "--quiet", "-p", "hoso-desktop", "--example", "ui_bridge"]));
    let examples = std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().join("examples");
    let mut bridge = Killed(
        Command::new(examples.join("ui_bridge"))
            .arg(root.join("ui/dist"))
            .env("HOSO_CONFIG", &config)
            .env("HOSO_DATA_DIR", &data)
            .env("SANE_CONFIG_DIR", &sane)
            .env("SOFTHSM2_CONF", &softhsm)
            .stdout(Stdio::piped())
            .spawn()
            .expect("cargo test builds examples/ui_bridge"),
    );
    let mut line = String::new();
    BufReader::new(bridge.0.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("bridge said {line:?}"))
        .to_owned();

    let shots = root.join("target/ui-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let out = run(Command::new("node")
        .arg(root.join("ui/tests/ui.test.mjs"))
        .current_dir(root.join("ui"))
        .env("HOSO_UI_URL", &url)
        .env("HOSO_SAMPLES", root.join("../shared/samples/pages"))
        .env("HOSO_SCREENSHOTS", &shots)
        .env("HOSO_CERTIFIER", fingerprint("certifier")));
    println!("{out}");

    // What the browser did is in the store and at the hub.
    assert_eq!(hub.record_count().unwrap(), 1, "the record reached the hub once");
}
