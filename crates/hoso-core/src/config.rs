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
use hoso_i18n::err;
use hoso_model::{Catalogue, UnitCode};
use serde::{Deserialize, Serialize};

/// The catalogue shipped with the program.
const BUILTIN_CATALOGUE: &str = include_str!("../../../assets/procedures.toml");

/// What a key holds, which decides how a new value is checked on the
/// settings screen ([`crate::settings::edit`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Free text.
    Text,
    /// A folder that must exist.
    Folder,
    /// A file that must exist.
    File,
    /// An `http://` or `https://` address.
    Url,
    /// A scanner id: `sane:<device>`, `escl:http://…`, `twain:<name>` or `wia:<id>`.
    Scanner,
    /// `true` or `false`.
    Bool,
    /// A whole number of at least 1.
    Number,
    /// 64 hexadecimal digits (an Ed25519 public key).
    HexKey,
    /// The counter's scan profiles: a TOML array of tables (`[[scan_profiles]]`
    /// in the file, `[{ name = "…", … }]` on the settings screen).
    Profiles,
    /// Not changed there: moving the store is an IT job.
    Fixed,
}

impl Kind {
    /// Stable name for the UI and scripts (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Folder => "folder",
            Kind::File => "file",
            Kind::Url => "url",
            Kind::Scanner => "scanner",
            Kind::Bool => "bool",
            Kind::Number => "number",
            Kind::HexKey => "hex_key",
            Kind::Profiles => "profiles",
            Kind::Fixed => "fixed",
        }
    }
}

/// The keys of config.toml, each written once: its documentation, its type,
/// the [`Kind`] of value it holds and, when it has one, its default. From
/// this come [`FileConfig`] (one layer, every key optional), its merge,
/// [`KEYS`] (the settings screen's list, in this order) and
/// [`FileConfig::with_defaults`] (the values in force).
macro_rules! config_keys {
    ($( $(#[doc = $doc:literal])* $key:ident: $ty:ty => $kind:ident $(= $default:expr)?; )*) => {
        /// Keys of a config file; every one optional.
        #[derive(Debug, Default, Clone, PartialEq, Deserialize, Serialize)]
        #[serde(deny_unknown_fields)]
        pub struct FileConfig {
            $( $(#[doc = $doc])* pub $key: Option<$ty>, )*
        }

        /// Every key of config.toml with the kind of value it holds, in the
        /// order the settings screen shows them.
        pub const KEYS: &[(&str, Kind)] = &[$( (stringify!($key), Kind::$kind), )*];

        impl FileConfig {
            /// `other`'s keys over this layer's, one by one.
            fn merge(&mut self, other: FileConfig) {
                $( if other.$key.is_some() { self.$key = other.$key; } )*
            }

            /// The built-in default of every key that has one and is not set.
            pub fn with_defaults(mut self) -> FileConfig {
                $( $( if self.$key.is_none() { self.$key = Some($default); } )? )*
                self
            }
        }
    };
}

config_keys! {
    /// Code of the receiving unit, e.g. `000.00.01.H29`.
    unit: String => Text;
    /// The receiving agency's name, as written on documents and signatures.
    agency: String => Text;
    /// The counter's scanner: `sane:<device>`, `escl:http://host/eSCL` or, on
    /// Windows, `twain:<name>` (`hoso devices` lists them); the first device
    /// found when absent.
    scanner: String => Scanner;
    /// Seconds a TWAIN driver may take for one page before it is taken as hung
    /// and ended (pages already scanned are kept).
    scanner_watchdog_secs: u64 => Number = hoso_scan::worker::WorkerOptions::default().watchdog.as_secs();
    /// The program that runs TWAIN and WIA drivers: `hoso-scan-worker.exe`
    /// beside the app by default; its 32-bit build (`x86\hoso-scan-worker.exe`
    /// in the program folder) for a driver that exists in 32 bits only.
    scanner_worker: PathBuf => File = hoso_scan::worker::WorkerOptions::default().program;
    /// How this counter scans, one profile per kind of paper (see
    /// [`crate::profiles::ScanProfile`]); once set, clerks scan with these only.
    scan_profiles: Vec<crate::profiles::ScanProfile> => Profiles;
    /// A folder watched for scans that a scanner's own software saves (`hoso watch`).
    watch_folder: PathBuf => Folder;
    /// Tesseract languages (see ARCHITECTURE.md for why not `vie+eng`).
    ocr_languages: String => Text = hoso_ocr::DEFAULT_LANGUAGES.to_owned();
    /// Folder of Tesseract's `*.traineddata`; the library's default when absent.
    tessdata: PathBuf => Folder;
    /// The Tesseract library (a file, or the folder holding it). Default: the
    /// system's `libtesseract.so.5` on Linux; on Windows the DLL the installer puts
    /// in `tesseract\` beside the program.
    ocr_library: PathBuf => File;
    /// A procedure catalogue replacing the built-in one.
    catalogue: PathBuf => File;
    /// The TrueType font embedded in documents (Vietnamese glyphs needed).
    font: PathBuf => File = default_font();
    /// The PKCS#11 module of the signing tokens (the CA's driver, OpenSC's
    /// `opensc-pkcs11.so`, SoftHSM2 in tests).
    pkcs11_module: PathBuf => File = default_pkcs11_module();
    /// Token label; the first token with certificates when absent.
    token_label: String => Text;
    /// SHA-256 fingerprint (or its start) of the agency's certificate, which
    /// signs the digitised-copy mark ("SAO Y") on every certified copy.
    agency_certificate: String => Text;
    /// The agency's key as a PKCS#12 file instead of a token certificate; its
    /// password comes from the environment (`HOSO_AGENCY_P12_PASSWORD`).
    agency_pkcs12: PathBuf => File;
    /// RSA keys sign RSASSA-PSS (named by Circular 15/2025) instead of PKCS#1 v1.5.
    rsa_pss: bool => Bool = false;
    /// PEM file of the root certificates signatures are checked against.
    trust_roots: PathBuf => File;
    /// The certificates of the card-issuing authorities (CSCA: Vietnam's, as
    /// the Ministry of Public Security publishes it) a card chip's signer is
    /// checked against: PEM (any number), DER or a .p7b bundle. Without it no
    /// chip is "verified".
    csca: PathBuf => File;
    /// The PC/SC reader cards are read on (its name, or a part of it); the
    /// first reader with a card on it when absent.
    card_reader: String => Text;
    /// RFC 3161 time-stamp authority; signatures are PAdES B-T when set, B-B otherwise.
    tsa_url: String => Url;
    /// The hub records are synced to, e.g. `https://hub.example.vn`.
    hub_url: String => Url;
    /// This workstation's id as enrolled at the hub.
    device_id: String => Text;
    /// The hub's receipt key (hex, from `hoso-hub key`); receipts are checked against it.
    hub_key: String => HexKey;
    /// PEM file of a private CA the hub's TLS certificate chains to, trusted
    /// besides the system's roots (a city CA not in the system store).
    hub_ca: PathBuf => File;
    /// Folder of the local store.
    data_dir: PathBuf => Fixed = default_data_dir();
}

impl FileConfig {
    /// The keys this layer sets.
    fn keys(&self) -> Vec<String> {
        self.texts().into_keys().collect()
    }

    /// Each key this layer sets, with its value as text (as in the file,
    /// without quotes).
    pub fn texts(&self) -> BTreeMap<String, String> {
        match toml::Value::try_from(self) {
            Ok(toml::Value::Table(t)) => t
                .into_iter()
                .map(|(key, value)| match value {
                    toml::Value::String(s) => (key, s),
                    other => (key, other.to_string()),
                })
                .collect(),
            _ => BTreeMap::new(),
        }
    }
}

/// Where a key's value in force comes from, lowest precedence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    /// The counter's scan profiles, checked.
    pub scan_profiles: Vec<crate::profiles::ScanProfile>,
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
    pub csca: Option<PathBuf>,
    pub card_reader: Option<String>,
    pub tsa_url: Option<String>,
    pub agency_pkcs12: Option<PathBuf>,
    pub rsa_pss: bool,
    pub hub_url: Option<String>,
    pub device_id: Option<String>,
    pub hub_key: Option<String>,
    pub hub_ca: Option<PathBuf>,
    /// Every key's value in force, defaults included, as written in a file.
    pub in_force: FileConfig,
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
        self.unit.as_ref().context(err!("config-no-unit"))
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
    let text = std::fs::read_to_string(path).with_context(|| err!("config-file-unreadable", file = path))?;
    toml::from_str(&text).with_context(|| err!("settings-file-invalid", file = path))
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

    let merged = merged.with_defaults();
    let unit =
        merged.unit.as_ref().map(|u| u.parse::<UnitCode>()).transpose().context(err!("config-bad-unit"))?;
    let catalogue = match &merged.catalogue {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).with_context(|| err!("catalogue-unreadable", file = path))?;
            parse_catalogue(&text).with_context(|| err!("catalogue-invalid", file = path))?
        }
        None => parse_catalogue(BUILTIN_CATALOGUE).context(err!("catalogue-builtin-invalid"))?,
    };
    let scan_profiles = merged.scan_profiles.clone().unwrap_or_default();
    crate::profiles::check_profiles(&scan_profiles)?;
    let m = merged.clone();
    Ok(Config {
        // Keys with a default are set by `with_defaults`.
        data_dir: m.data_dir.unwrap_or_default(),
        unit,
        catalogue,
        catalogue_file: m.catalogue,
        ocr: hoso_ocr::OcrConfig {
            datapath: m.tessdata,
            library: m.ocr_library,
            languages: m.ocr_languages.unwrap_or_default(),
        },
        watch_folder: m.watch_folder,
        scanner: m.scanner,
        scan_profiles,
        scan_worker: hoso_scan::worker::WorkerOptions {
            watchdog: std::time::Duration::from_secs(m.scanner_watchdog_secs.unwrap_or_default().max(1)),
            program: m.scanner_worker.unwrap_or_default(),
            env: hoso_scan::worker::WorkerOptions::default().env,
        },
        agency: m.agency,
        font: m.font.unwrap_or_default(),
        pkcs11_module: m.pkcs11_module.unwrap_or_default(),
        token_label: m.token_label,
        agency_certificate: m.agency_certificate,
        trust_roots: m.trust_roots,
        csca: m.csca,
        card_reader: m.card_reader,
        tsa_url: m.tsa_url,
        agency_pkcs12: m.agency_pkcs12,
        rsa_pss: m.rsa_pss.unwrap_or_default(),
        hub_url: m.hub_url,
        device_id: m.device_id,
        hub_key: m.hub_key,
        hub_ca: m.hub_ca,
        in_force: merged,
        files,
        sources,
        user_file,
        overrides: over.clone(),
    })
}

/// Parses and checks a catalogue in the format of assets/procedures.toml.
pub fn parse_catalogue(text: &str) -> anyhow::Result<Catalogue> {
    let catalogue: Catalogue = toml::from_str(text).context(err!("config-bad-catalogue"))?;
    catalogue.validate()?;
    if catalogue.procedures.is_empty() {
        bail!(err!("catalogue-empty"));
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

    #[test]
    fn the_template_for_it_names_every_key_and_only_those() {
        // installer/config.toml: every key, commented out, as `# key = …`.
        let template = include_str!("../../../installer/config.toml");
        let named: std::collections::BTreeSet<&str> = template
            .lines()
            .filter_map(|l| l.strip_prefix("# ")?.split_once(" = ").map(|(key, _)| key))
            .filter(|key| key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit()))
            .collect();
        let keys: std::collections::BTreeSet<&str> = KEYS.iter().map(|(k, _)| *k).collect();
        assert_eq!(named, keys);
        // Uncommented (the first example of each key; the scanner has three),
        // the examples make a valid layer.
        let mut first = BTreeMap::new();
        for line in template.lines().filter_map(|l| l.strip_prefix("# ")) {
            if let Some((key, _)) = line.split_once(" = ").filter(|(k, _)| keys.contains(k)) {
                first.entry(key).or_insert_with(|| line.split(" # ").next().unwrap_or(line));
            }
        }
        let examples: String = first.values().map(|l| format!("{l}\n")).collect();
        let layer: FileConfig = toml::from_str(&examples).unwrap_or_else(|e| panic!("{e}\n{examples}"));
        assert_eq!(layer.keys().len(), KEYS.len());
    }

    #[test]
    fn every_key_in_force_has_a_text_and_defaults_fill_only_what_is_unset() {
        let set =
            FileConfig { rsa_pss: Some(true), unit: Some("000.00.01.H29".into()), ..FileConfig::default() };
        let texts = set.with_defaults().texts();
        let text = |key: &str| texts.get(key).map_or("", String::as_str);
        assert_eq!(text("rsa_pss"), "true");
        assert_eq!(text("unit"), "000.00.01.H29");
        assert_eq!(text("ocr_languages"), hoso_ocr::DEFAULT_LANGUAGES);
        assert_eq!(text("scanner_watchdog_secs"), "120");
        assert_eq!(text("hub_url"), "");
        assert_eq!(text("no_such_key"), "");
    }
}
