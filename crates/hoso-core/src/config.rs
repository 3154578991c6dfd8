//! Configuration: one TOML file per machine, one per user, environment, flags.
//!
//! Precedence, lowest first: built-in defaults; the system file
//! (`/etc/hoso/config.toml`, `%ProgramData%\HoSo\config.toml` on Windows) that IT
//! rolls out; the user's file (`$XDG_CONFIG_HOME/hoso/config.toml`, or the file
//! named by `--config` / `HOSO_CONFIG` instead); the environment (`HOSO_DATA_DIR`,
//! `HOSO_UNIT`); command-line flags. A later source overrides a key, never the
//! whole file. Unknown keys are errors, so a typo does not go unnoticed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use hoso_model::{Catalogue, UnitCode};
use serde::{Deserialize, Serialize};

/// The catalogue shipped with the program.
const BUILTIN_CATALOGUE: &str = include_str!("../../../assets/procedures.toml");

/// Keys of a config file; every one optional.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Folder of the local store.
    pub data_dir: Option<PathBuf>,
    /// Code of the receiving unit, e.g. `000.00.01.H29`.
    pub unit: Option<String>,
    /// A procedure catalogue replacing the built-in one.
    pub catalogue: Option<PathBuf>,
    /// Tesseract languages, `vie` by default (see ARCHITECTURE.md for why not `vie+eng`).
    pub ocr_languages: Option<String>,
    /// Folder of Tesseract's `*.traineddata`; the library's default when absent.
    pub tessdata: Option<PathBuf>,
    /// The Tesseract library (a file, or the folder holding it). Default: the
    /// system's `libtesseract.so.5` on Linux; on Windows the DLL the installer puts
    /// in `tesseract\` beside the program.
    pub ocr_library: Option<PathBuf>,
    /// A folder watched for scans that a scanner's own software saves (`hoso watch`).
    pub watch_folder: Option<PathBuf>,
    /// The counter's scanner: `sane:<device>`, `escl:http://host/eSCL` or, on
    /// Windows, `twain:<name>` (`hoso devices` lists them); the first device
    /// found when absent.
    pub scanner: Option<String>,
    /// Seconds a TWAIN driver may take for one page before it is taken as hung
    /// and ended (pages already scanned are kept). Default 120.
    pub scanner_watchdog_secs: Option<u64>,
    /// The program that runs TWAIN and WIA drivers: `hoso-scan-worker.exe`
    /// beside the app by default; its 32-bit build (`x86\hoso-scan-worker.exe`
    /// in the program folder) for a driver that exists in 32 bits only.
    pub scanner_worker: Option<PathBuf>,
    /// The receiving agency's name, as written on documents and signatures.
    pub agency: Option<String>,
    /// The TrueType font embedded in documents (Vietnamese glyphs needed).
    pub font: Option<PathBuf>,
    /// The PKCS#11 module of the signing tokens (the CA's driver, OpenSC's
    /// `opensc-pkcs11.so`, SoftHSM2 in tests).
    pub pkcs11_module: Option<PathBuf>,
    /// Token label; the first token with certificates when absent.
    pub token_label: Option<String>,
    /// SHA-256 fingerprint (or its start) of the agency's certificate, which
    /// signs the digitised-copy mark ("SAO Y") on every certified copy.
    pub agency_certificate: Option<String>,
    /// PEM file of the root certificates signatures are checked against.
    pub trust_roots: Option<PathBuf>,
    /// RFC 3161 time-stamp authority; signatures are PAdES B-T when set, B-B otherwise.
    pub tsa_url: Option<String>,
    /// The agency's key as a PKCS#12 file instead of a token certificate; its
    /// password comes from the environment (`HOSO_AGENCY_P12_PASSWORD`).
    pub agency_pkcs12: Option<PathBuf>,
    /// RSA keys sign RSASSA-PSS (named by Circular 15/2025) instead of PKCS#1 v1.5.
    pub rsa_pss: Option<bool>,
    /// The hub records are synced to, e.g. `https://hub.example.vn`.
    pub hub_url: Option<String>,
    /// This workstation's id as enrolled at the hub.
    pub device_id: Option<String>,
    /// The hub's receipt key (hex, from `hoso-hub key`); receipts are checked against it.
    pub hub_key: Option<String>,
    /// PEM file of a private CA the hub's TLS certificate chains to, trusted
    /// besides the system's roots (a city CA not in the system store).
    pub hub_ca: Option<PathBuf>,
}

impl FileConfig {
    /// The keys this layer sets.
    fn keys(&self) -> Vec<String> {
        match toml::Value::try_from(self) {
            Ok(toml::Value::Table(t)) => t.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    fn merge(&mut self, other: FileConfig) {
        let FileConfig {
            data_dir,
            unit,
            catalogue,
            ocr_languages,
            tessdata,
            ocr_library,
            watch_folder,
            scanner,
            scanner_watchdog_secs,
            scanner_worker,
            agency,
            font,
            pkcs11_module,
            token_label,
            agency_certificate,
            trust_roots,
            tsa_url,
            agency_pkcs12,
            rsa_pss,
            hub_url,
            device_id,
            hub_key,
            hub_ca,
        } = other;
        self.data_dir = data_dir.or(self.data_dir.take());
        self.unit = unit.or(self.unit.take());
        self.catalogue = catalogue.or(self.catalogue.take());
        self.ocr_languages = ocr_languages.or(self.ocr_languages.take());
        self.tessdata = tessdata.or(self.tessdata.take());
        self.ocr_library = ocr_library.or(self.ocr_library.take());
        self.watch_folder = watch_folder.or(self.watch_folder.take());
        self.scanner = scanner.or(self.scanner.take());
        self.scanner_watchdog_secs = scanner_watchdog_secs.or(self.scanner_watchdog_secs.take());
        self.scanner_worker = scanner_worker.or(self.scanner_worker.take());
        self.agency = agency.or(self.agency.take());
        self.font = font.or(self.font.take());
        self.pkcs11_module = pkcs11_module.or(self.pkcs11_module.take());
        self.token_label = token_label.or(self.token_label.take());
        self.agency_certificate = agency_certificate.or(self.agency_certificate.take());
        self.trust_roots = trust_roots.or(self.trust_roots.take());
        self.tsa_url = tsa_url.or(self.tsa_url.take());
        self.agency_pkcs12 = agency_pkcs12.or(self.agency_pkcs12.take());
        self.rsa_pss = rsa_pss.or(self.rsa_pss.take());
        self.hub_url = hub_url.or(self.hub_url.take());
        self.device_id = device_id.or(self.device_id.take());
        self.hub_key = hub_key.or(self.hub_key.take());
        self.hub_ca = hub_ca.or(self.hub_ca.take());
    }
}

/// Where a key's value in force comes from, lowest precedence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Not set anywhere: the built-in default (or nothing).
    Default,
    /// The machine-wide file IT rolls out.
    System,
    /// The user's file (or `--config` / `HOSO_CONFIG`).
    User,
    /// `HOSO_DATA_DIR`, `HOSO_UNIT`.
    Environment,
    /// A command-line flag.
    Flag,
}

impl Source {
    /// Stable name for the UI and scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Default => "default",
            Source::System => "system",
            Source::User => "user",
            Source::Environment => "environment",
            Source::Flag => "flag",
        }
    }
}

/// What the command line or the desktop shell asks for on top of the files.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `--config FILE`: read instead of the user's file.
    pub config_file: Option<PathBuf>,
    /// `--data-dir`.
    pub data_dir: Option<PathBuf>,
    /// `--unit`.
    pub unit: Option<String>,
}

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Folder of the local store.
    pub data_dir: PathBuf,
    /// Receiving unit, when configured.
    pub unit: Option<UnitCode>,
    /// Procedures and their checklists.
    pub catalogue: Catalogue,
    /// The file they were read from; the built-in catalogue when None.
    pub catalogue_file: Option<PathBuf>,
    /// OCR models and languages.
    pub ocr: hoso_ocr::OcrConfig,
    /// Folder watched for scans, when configured.
    pub watch_folder: Option<PathBuf>,
    /// The counter's scanner, when configured.
    pub scanner: Option<String>,
    /// How a driver in a worker process is started and watched.
    pub scan_worker: hoso_scan::worker::WorkerOptions,
    /// The receiving agency's name, when configured.
    pub agency: Option<String>,
    /// Font embedded in documents.
    pub font: PathBuf,
    /// PKCS#11 module of the signing tokens.
    pub pkcs11_module: PathBuf,
    pub token_label: Option<String>,
    pub agency_certificate: Option<String>,
    pub trust_roots: Option<PathBuf>,
    pub tsa_url: Option<String>,
    pub agency_pkcs12: Option<PathBuf>,
    pub rsa_pss: bool,
    pub hub_url: Option<String>,
    pub device_id: Option<String>,
    pub hub_key: Option<String>,
    pub hub_ca: Option<PathBuf>,
    /// Files that were read, in order.
    pub files: Vec<PathBuf>,
    /// Where each key that is set anywhere got its value in force.
    pub sources: BTreeMap<String, Source>,
    /// The user's file (read if it exists): where settings changed on this
    /// PC are written ([`crate::settings::edit`]). None without a home folder.
    pub user_file: Option<PathBuf>,
    /// What [`load`] was asked, so the same configuration can be read again.
    pub overrides: Overrides,
}

impl Config {
    /// The receiving unit, or an error that says how to set it.
    pub fn unit(&self) -> anyhow::Result<&UnitCode> {
        self.unit.as_ref().context(
            "chưa cấu hình mã đơn vị tiếp nhận / no receiving unit configured: \
             set `unit = \"000.00.01.H29\"` in config.toml, HOSO_UNIT or --unit",
        )
    }
}

/// The machine-wide file IT manages.
pub fn system_file() -> PathBuf {
    if cfg!(windows) {
        let base = std::env::var_os("ProgramData").unwrap_or_else(|| "C:\\ProgramData".into());
        PathBuf::from(base).join("HoSo").join("config.toml")
    } else {
        PathBuf::from("/etc/hoso/config.toml")
    }
}

fn user_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(fallback)))
}

/// Default store folder: `$XDG_DATA_HOME/hoso` (`~/.local/share/hoso`), or
/// `%LOCALAPPDATA%\HoSo` on Windows.
fn default_data_dir() -> PathBuf {
    if cfg!(windows) {
        return std::env::var_os("LOCALAPPDATA")
            .map(|d| PathBuf::from(d).join("HoSo"))
            .unwrap_or_else(|| PathBuf::from("HoSo"));
    }
    user_dir("XDG_DATA_HOME", ".local/share").unwrap_or_else(|| PathBuf::from(".")).join("hoso")
}

/// The font documents embed: Debian's Liberation Serif; on Windows the copy the
/// installer puts in `fonts\` beside the program (Liberation Serif is the free
/// metric twin of the Times New Roman the rules name, with Vietnamese glyphs).
fn default_font() -> PathBuf {
    if cfg!(windows)
        && let Some(dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_owned))
    {
        let shipped = dir.join("fonts").join("LiberationSerif-Regular.ttf");
        if shipped.is_file() {
            return shipped;
        }
    }
    PathBuf::from(hoso_pdf::DEFAULT_FONT)
}

/// OpenSC's PKCS#11 module where its package or installer puts it; the CA's own
/// driver is configured by IT (`hoso tokens` and `hoso doctor` say which).
fn default_pkcs11_module() -> PathBuf {
    if cfg!(windows) {
        let system = std::env::var_os("SystemRoot").unwrap_or_else(|| "C:\\Windows".into());
        PathBuf::from(system).join("System32").join("opensc-pkcs11.dll")
    } else {
        PathBuf::from("/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so")
    }
}

fn read_file(path: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!("không đọc được tệp cấu hình / cannot read config file {}", path.display())
    })?;
    toml::from_str(&text)
        .with_context(|| format!("tệp cấu hình sai / config file {} is invalid", path.display()))
}

/// Reads the files and applies the environment and `over`.
pub fn load(over: &Overrides) -> anyhow::Result<Config> {
    let mut merged = FileConfig::default();
    let mut files = Vec::new();
    let mut sources = BTreeMap::new();
    let mut layer = |merged: &mut FileConfig, file: FileConfig, source: Source| {
        for key in file.keys() {
            sources.insert(key, source);
        }
        merged.merge(file);
    };
    let system = system_file();
    if system.is_file() {
        layer(&mut merged, read_file(&system)?, Source::System);
        files.push(system);
    }
    let named = over.config_file.clone().or_else(|| std::env::var_os("HOSO_CONFIG").map(PathBuf::from));
    let user_file =
        named.clone().or_else(|| user_dir("XDG_CONFIG_HOME", ".config").map(|d| d.join("hoso/config.toml")));
    match (&named, &user_file) {
        (Some(path), _) => {
            // Named explicitly: it must exist.
            layer(&mut merged, read_file(path)?, Source::User);
            files.push(path.clone());
        }
        (None, Some(path)) if path.is_file() => {
            layer(&mut merged, read_file(path)?, Source::User);
            files.push(path.clone());
        }
        (None, _) => {}
    }
    layer(
        &mut merged,
        FileConfig {
            data_dir: std::env::var_os("HOSO_DATA_DIR").filter(|v| !v.is_empty()).map(PathBuf::from),
            unit: std::env::var("HOSO_UNIT").ok().filter(|v| !v.is_empty()),
            ..FileConfig::default()
        },
        Source::Environment,
    );
    layer(
        &mut merged,
        FileConfig { data_dir: over.data_dir.clone(), unit: over.unit.clone(), ..FileConfig::default() },
        Source::Flag,
    );

    let unit = merged
        .unit
        .map(|u| u.parse::<UnitCode>())
        .transpose()
        .context("mã đơn vị sai / invalid receiving unit code")?;
    let catalogue = match &merged.catalogue {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the procedure catalogue {}", path.display()))?;
            parse_catalogue(&text).with_context(|| format!("catalogue {}", path.display()))?
        }
        None => parse_catalogue(BUILTIN_CATALOGUE).context("built-in catalogue")?,
    };
    let ocr = hoso_ocr::OcrConfig {
        datapath: merged.tessdata,
        library: merged.ocr_library,
        languages: merged.ocr_languages.unwrap_or_else(|| hoso_ocr::DEFAULT_LANGUAGES.to_owned()),
    };
    Ok(Config {
        data_dir: merged.data_dir.unwrap_or_else(default_data_dir),
        unit,
        catalogue,
        catalogue_file: merged.catalogue.clone(),
        ocr,
        watch_folder: merged.watch_folder,
        scanner: merged.scanner,
        scan_worker: {
            // The worker's own defaults (120 s, the program beside this one) unless set.
            let default = hoso_scan::worker::WorkerOptions::default();
            hoso_scan::worker::WorkerOptions {
                watchdog: merged
                    .scanner_watchdog_secs
                    .map_or(default.watchdog, |secs| std::time::Duration::from_secs(secs.max(1))),
                program: merged.scanner_worker.unwrap_or(default.program),
                env: default.env,
            }
        },
        agency: merged.agency,
        font: merged.font.unwrap_or_else(default_font),
        pkcs11_module: merged.pkcs11_module.unwrap_or_else(default_pkcs11_module),
        token_label: merged.token_label,
        agency_certificate: merged.agency_certificate,
        trust_roots: merged.trust_roots,
        tsa_url: merged.tsa_url,
        agency_pkcs12: merged.agency_pkcs12,
        rsa_pss: merged.rsa_pss.unwrap_or(false),
        hub_url: merged.hub_url,
        device_id: merged.device_id,
        hub_key: merged.hub_key,
        hub_ca: merged.hub_ca,
        files,
        sources,
        user_file,
        overrides: over.clone(),
    })
}

/// Parses and checks a catalogue in the format of assets/procedures.toml.
pub fn parse_catalogue(text: &str) -> anyhow::Result<Catalogue> {
    let catalogue: Catalogue =
        toml::from_str(text).context("danh mục thủ tục sai / invalid procedure catalogue")?;
    catalogue.validate()?;
    if catalogue.procedures.is_empty() {
        bail!("the procedure catalogue lists no procedure");
    }
    Ok(catalogue)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_is_valid() {
        let c = parse_catalogue(BUILTIN_CATALOGUE).unwrap();
        let birth = c.get("1.001193").unwrap();
        assert_eq!(birth.components[0].code, "TK");
        assert!(!birth.components[2].required);
        assert!(c.get("2.000815").unwrap().components[0].needs_certification);
    }

    #[test]
    fn later_sources_override_single_keys() {
        let mut a = FileConfig {
            data_dir: Some("/a".into()),
            unit: Some("000.00.01.H29".into()),
            ..FileConfig::default()
        };
        a.merge(FileConfig { data_dir: Some("/b".into()), ..FileConfig::default() });
        assert_eq!(a.data_dir.as_deref(), Some(Path::new("/b")));
        assert_eq!(a.unit.as_deref(), Some("000.00.01.H29"));
        assert!(toml::from_str::<FileConfig>("data_dri = '/x'").is_err(), "typos are errors");
    }
}
