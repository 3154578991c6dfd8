//! A counter PC for the desktop tests, made of real parts: a SoftHSM2 token
//! with a test CA, certifier and agency certificates (scripts/test-pki), SANE's
//! test backend (A4-sized) and its `pnm` backend (an image file as the
//! glass: [`Counter::glass`]), the reference hub on a loopback port with this
//! counter enrolled, a configuration file, and two accounts: `lan`
//! (reception, password `quay-mot-123`) and `minh` (supervisor, `giam-sat-456`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::Arc;

/// A child process killed when the test ends.
pub struct Killed(pub Child);

impl Drop for Killed {
    /// Asks the child to end (TERM: Xvfb then removes its display's lock),
    /// with its process group when it leads one (`process_group(0)`:
    /// tauri-driver's WebKitWebDriver), then kills whatever is left.
    fn drop(&mut self) {
        let pid = self.0.id().to_string();
        let signal = |sig: &str, target: &str| {
            Command::new("kill")
                .args([sig, "--", target])
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        let group = format!("-{pid}");
        let leads_group = signal("-TERM", &group);
        if !leads_group {
            signal("-TERM", &pid);
        }
        let until = std::time::Instant::now() + std::time::Duration::from_secs(3);
        while std::time::Instant::now() < until && matches!(self.0.try_wait(), Ok(None)) {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        if leads_group {
            signal("-KILL", &group);
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run(cmd: &mut Command) -> String {
    let o = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        o.status.success(),
        "{cmd:?}: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub struct Counter {
    pub tmp: tempfile::TempDir,
    pub pki: PathBuf,
    /// SOFTHSM2_CONF for the token.
    pub softhsm: String,
    /// SANE_CONFIG_DIR enabling the test backend.
    pub sane: PathBuf,
    pub hub: Arc<hoso_hub::Hub>,
    pub config: PathBuf,
    pub data: PathBuf,
}

impl Counter {
    pub fn new(agency: &str, device: &str) -> Counter {
        let root = workspace();
        let tmp = tempfile::tempdir().unwrap();
        let pki = tmp.path().join("pki");
        let softhsm = run(Command::new(root.join("scripts/test-pki")).arg(&pki));
        let sane = tmp.path().join("sane");
        std::fs::create_dir_all(&sane).unwrap();
        std::fs::write(sane.join("dll.conf"), "test\npnm\n").unwrap();
        let stock = std::fs::read_to_string("/etc/sane.d/test.conf").expect("libsane1 installed");
        std::fs::write(sane.join("test.conf"), stock.replace("geometry_max 200.0", "geometry_max 300.0"))
            .unwrap();
        let hub = Arc::new(hoso_hub::Hub::open(&tmp.path().join("hub")).unwrap());
        let hub_url = hoso_hub::spawn_local(hoso_hub::router(Arc::clone(&hub))).unwrap();
        let data = tmp.path().join("store");
        let config = tmp.path().join("config.toml");
        let counter = Counter { pki, softhsm, sane, hub, config, data, tmp };
        // The SANE driver runs in the scan worker, built beside the app in the
        // workspace's target folder (the browser test's bridge is an example,
        // one folder down, where the worker is not).
        let worker =
            std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().join("hoso-scan-worker");
        assert!(worker.is_file(), "{} not built: cargo build -p hoso-scan --bins", worker.display());
        std::fs::write(
            &counter.config,
            format!(
                "unit = \"000.00.01.H29\"\nagency = \"{agency}\"\nscanner = \"sane:test:0\"\n\
                 scanner_worker = '{}'\n\
                 pkcs11_module = \"/usr/lib/softhsm/libsofthsm2.so\"\ntoken_label = \"hoso-test\"\n\
                 agency_certificate = \"{}\"\ntrust_roots = \"{}\"\nhub_url = \"{hub_url}\"\n\
                 device_id = \"{device}\"\nhub_key = \"{}\"\n",
                worker.display(),
                counter.fingerprint("agency"),
                counter.pki.join("ca.crt").display(),
                counter.hub.public_key()
            ),
        )
        .unwrap();
        let cfg = hoso_core::config::load(&hoso_core::config::Overrides {
            config_file: Some(counter.config.clone()),
            data_dir: Some(counter.data.clone()),
            unit: None,
        })
        .unwrap();
        let mut app = hoso_core::App::open(cfg, hoso_core::Actor::system("it")).unwrap();
        app.add_account("lan", "Nguyễn Thị Lan", hoso_core::Role::Reception, "quay-mot-123").unwrap();
        app.add_account("minh", "Trần Văn Minh", hoso_core::Role::Supervisor, "giam-sat-456").unwrap();
        app.add_account("it01", "Cán bộ CNTT", hoso_core::Role::Admin, "quan-tri-789").unwrap();
        counter.hub.enrol(device, &app.device_key().unwrap(), "test counter").unwrap();
        counter
    }

    /// The image file SANE's `pnm` backend (`sane:pnm:0`) serves as its
    /// glass: a scan profile names it as the driver option `filename`.
    pub fn glass(&self) -> PathBuf {
        self.tmp.path().join("glass.pgm")
    }

    /// Lays `sheet` on the `pnm` glass.
    pub fn lay(&self, sheet: &image::GrayImage) {
        let mut pgm = format!("P5\n{} {}\n255\n", sheet.width(), sheet.height()).into_bytes();
        pgm.extend_from_slice(sheet.as_raw());
        std::fs::write(self.glass(), pgm).unwrap();
    }

    /// Adds scan profiles (a TOML array, `[{ name = …}, …]`) to the counter's config.
    pub fn set_profiles(&self, profiles: &str) {
        let mut config = std::fs::read_to_string(&self.config).unwrap();
        config.push_str(&format!("scan_profiles = {profiles}\n"));
        std::fs::write(&self.config, config).unwrap();
    }

    /// SHA-256 fingerprint of a test-pki certificate (`certifier`, `agency`).
    pub fn fingerprint(&self, name: &str) -> String {
        std::fs::read_to_string(self.pki.join(format!("{name}.fingerprint"))).unwrap().trim().to_owned()
    }

    /// The environment the app needs to find this counter's parts.
    pub fn env(&self, cmd: &mut Command) {
        cmd.env("HOSO_CONFIG", &self.config)
            .env("HOSO_DATA_DIR", &self.data)
            .env("SANE_CONFIG_DIR", &self.sane)
            .env("SOFTHSM2_CONF", &self.softhsm)
            .env("OMP_THREAD_LIMIT", "1");
    }
}

/// A QR code drawn black on white with a quiet zone, `module` pixels a module.
pub fn qr_image(text: &str, module: u32) -> image::GrayImage {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let (n, module) = (code.width() as i64, i64::from(module));
    image::GrayImage::from_fn(((n + 8) * module) as u32, ((n + 8) * module) as u32, |x, y| {
        let (mx, my) = (x as i64 / module - 4, y as i64 / module - 4);
        let dark = (0..n).contains(&mx)
            && (0..n).contains(&my)
            && code[(mx as usize, my as usize)] == qrcode::Color::Dark;
        image::Luma([if dark { 0 } else { 255 }])
    })
}

/// A sheet of printed text as a scanner sees it: white paper, dark lines of
/// "words" (`seed` shifts them, so two sheets differ).
pub fn text_sheet(width: u32, height: u32, seed: u32) -> image::GrayImage {
    image::GrayImage::from_fn(width, height, |x, y| {
        let line = (y / 30) % 2 == 1 && y > height / 12 && y < height * 11 / 12;
        let word = ((x + seed * 37) / 22) % 6 != 5 && x > width / 10 && x < width * 9 / 10;
        image::Luma([if line && word { 20 } else { 250 }])
    })
}
