//! `hoso doctor`: checks a counter PC the way IT would by hand — store folder
//! and disk space, OCR models, scanner stack, PKCS#11 module, token and
//! certificate expiry, trust roots, the card reader and the CSCA the chip is
//! verified against, the hub (reachable, enrolled, clock) and the OCR thread
//! setting — and says what to do about each problem. It reads
//! the configuration only; it never creates keys or changes the store.

use std::path::Path;
use std::time::Duration;

use hoso_i18n::{Localized, Message, msg};
use serde::Serialize;

use crate::config::Config;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    /// Works, but needs attention (a certificate expiring soon, little disk).
    Warn,
    /// Something the counter needs does not work.
    Fail,
    /// Not configured on this machine (no hub, no token): not a problem by itself.
    Skip,
}

/// One line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Short id: `store`, `disk`, `ocr`, `scanner`, `pkcs11`, `certificates`, …
    pub name: &'static str,
    pub status: Status,
    /// What was found: a catalogue message, or the thing itself (a path,
    /// an error the system gave).
    pub detail: Localized,
    /// What to do, when something is wrong.
    pub hint: Option<Localized>,
}

impl Check {
    fn new(name: &'static str, status: Status, detail: impl Into<Localized>) -> Check {
        Check { name, status, detail: detail.into(), hint: None }
    }

    fn hint(mut self, hint: Message) -> Check {
        self.hint = Some(Localized(hint));
        self
    }
}

/// What the checks may look at beyond the configuration.
#[derive(Debug, Clone)]
pub struct Options {
    /// Ask SANE's network backends too (a few seconds of mDNS).
    pub network_scanners: bool,
    /// Certificates expiring within this many whole days (inclusive) are a warning.
    pub expiry_warning_days: i64,
    /// Free space below this (bytes) is a warning; below a tenth of it, a failure.
    pub disk_warning_bytes: u64,
    /// The time now (Unix seconds).
    pub now: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            network_scanners: false,
            expiry_warning_days: 30,
            disk_warning_bytes: 5 << 30,
            now: chrono::Utc::now().timestamp(),
        }
    }
}

/// Runs every check.
pub fn run(config: &Config, options: &Options) -> Vec<Check> {
    let mut out = vec![config_files(config), unit(config), store(config)];
    out.push(disk(&config.data_dir, options.disk_warning_bytes));
    out.push(ocr_threads());
    out.push(ocr(config));
    out.push(scanner(config, options.network_scanners));
    out.extend(tokens(config, options));
    out.push(trust_roots(config, options));
    out.push(card_reader(config));
    out.push(csca(config, options));
    out.push(tsa(config));
    out.extend(hub(config));
    out
}

/// The exit code of `hoso doctor`: 0 all well, 3 warnings only, 1 a failure.
pub fn exit_code(checks: &[Check]) -> i32 {
    match checks.iter().map(|c| c.status).filter(|s| *s != Status::Skip).max() {
        Some(Status::Fail) => 1,
        Some(Status::Warn) => 3,
        _ => 0,
    }
}

fn config_files(config: &Config) -> Check {
    let files: Vec<String> = config.files.iter().map(|f| f.display().to_string()).collect();
    if files.is_empty() {
        Check::new("config", Status::Warn, msg!("doctor-config-none"))
            .hint(msg!("doctor-config-none-hint", file = &crate::config::system_file()))
    } else {
        Check::new("config", Status::Ok, files.join(", "))
    }
}

fn unit(config: &Config) -> Check {
    match &config.unit {
        Some(u) => Check::new("unit", Status::Ok, u.to_string()),
        None => {
            Check::new("unit", Status::Fail, msg!("doctor-unit-none")).hint(msg!("doctor-unit-none-hint"))
        }
    }
}

fn store(config: &Config) -> Check {
    let dir = &config.data_dir;
    let probe = dir.join(".doctor-probe");
    let writable = std::fs::create_dir_all(dir)
        .and_then(|_| std::fs::write(&probe, b"ok"))
        .and_then(|_| std::fs::remove_file(&probe));
    match writable {
        Err(e) => Check::new("store", Status::Fail, format!("{}: {e}", dir.display()))
            .hint(msg!("doctor-store-unwritable-hint")),
        Ok(()) if dir.join("hoso.db").is_file() => {
            Check::new("store", Status::Ok, msg!("doctor-store-ok", folder = dir.as_path()))
        }
        Ok(()) => Check::new("store", Status::Ok, msg!("doctor-store-empty", folder = dir.as_path())),
    }
}

/// Free space for this user on the disk holding `path` (or its nearest existing
/// parent): statvfs on Unix, GetDiskFreeSpaceExW on Windows (fs4).
fn free_space(path: &Path) -> std::io::Result<u64> {
    let mut p = path;
    while !p.exists() {
        match p.parent() {
            Some(parent) => p = parent,
            None => break,
        }
    }
    fs4::available_space(p)
}

fn disk(dir: &Path, warning: u64) -> Check {
    let gib = |b: u64| format!("{:.1} GB", b as f64 / (1u64 << 30) as f64);
    match free_space(dir) {
        Err(e) => Check::new("disk", Status::Warn, msg!("doctor-disk-unknown", why = e.to_string())),
        Ok(free) if free < warning / 10 => {
            Check::new("disk", Status::Fail, msg!("doctor-disk-free", free = gib(free)))
                .hint(msg!("doctor-disk-full-hint"))
        }
        Ok(free) if free < warning => {
            Check::new("disk", Status::Warn, msg!("doctor-disk-free", free = gib(free)))
                .hint(msg!("doctor-disk-low-hint", warning = gib(warning)))
        }
        Ok(free) => Check::new("disk", Status::Ok, msg!("doctor-disk-free", free = gib(free))),
    }
}

fn ocr_threads() -> Check {
    match std::env::var("OMP_THREAD_LIMIT").as_deref() {
        Ok("1") => Check::new("ocr-threads", Status::Ok, "OMP_THREAD_LIMIT=1"),
        other => Check::new(
            "ocr-threads",
            Status::Warn,
            match other {
                Ok(v) => msg!("doctor-ocr-threads-wrong", value = format!("{v:?}")),
                Err(_) => msg!("doctor-ocr-threads-unset"),
            },
        )
        .hint(msg!("doctor-ocr-threads-hint")),
    }
}

fn ocr(config: &Config) -> Check {
    let (version, path) = match hoso_ocr::Ocr::library(&config.ocr) {
        Ok(found) => found,
        Err(e) => {
            return Check::new("ocr", Status::Fail, e.to_string()).hint(msg!("doctor-ocr-library-hint"));
        }
    };
    match hoso_ocr::Ocr::new(&config.ocr) {
        Ok(_) => Check::new(
            "ocr",
            Status::Ok,
            msg!("doctor-ocr-ok", version = version, path = path, languages = &config.ocr.languages),
        ),
        Err(e) => Check::new("ocr", Status::Fail, e.to_string()).hint(msg!("doctor-ocr-models-hint")),
    }
}

fn scanner(config: &Config, network: bool) -> Check {
    // What finds the local scanners: SANE on Linux, TWAIN sources on Windows.
    let finder = if cfg!(windows) { "TWAIN" } else { "SANE" };
    match config.scanners(network) {
        Err(e) => {
            let hint = if cfg!(windows) {
                msg!("doctor-scanner-stack-hint-windows")
            } else {
                msg!("doctor-scanner-stack-hint")
            };
            Check::new("scanner", Status::Fail, e.to_string()).hint(hint)
        }
        Ok(devices) => {
            let names: Vec<String> =
                devices.iter().map(|d| format!("{} ({} {})", d.id, d.vendor, d.model)).collect();
            match &config.scanner {
                Some(wanted) if wanted.starts_with("escl:") || wanted.starts_with("http") => Check::new(
                    "scanner",
                    Status::Ok,
                    msg!("doctor-scanner-escl", scanner = wanted, finder = finder, count = names.len()),
                ),
                Some(wanted) if !devices.iter().any(|d| &d.id == wanted) => Check::new(
                    "scanner",
                    Status::Fail,
                    msg!(
                        "doctor-scanner-missing",
                        scanner = wanted,
                        finder = finder,
                        seen = list_or_none(&names)
                    ),
                )
                .hint(msg!("doctor-scanner-missing-hint")),
                Some(wanted) => Check::new("scanner", Status::Ok, wanted.as_str()),
                None if devices.is_empty() && cfg!(windows) => {
                    Check::new("scanner", Status::Warn, msg!("doctor-scanner-no-twain"))
                        .hint(msg!("doctor-scanner-no-twain-hint"))
                }
                None if devices.is_empty() => {
                    Check::new("scanner", Status::Warn, msg!("doctor-scanner-none"))
                        .hint(msg!("doctor-scanner-none-hint"))
                }
                None => Check::new("scanner", Status::Ok, names.join(", ")),
            }
        }
    }
}

fn list_or_none(items: &[String]) -> hoso_i18n::Arg {
    if items.is_empty() { msg!("doctor-none").into() } else { items.join(", ").into() }
}

fn expiry(name: &str, not_after: i64, options: &Options) -> (Status, Message) {
    let days = (not_after - options.now).div_euclid(86_400);
    let date = chrono::DateTime::from_timestamp(not_after, 0)
        .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string());
    if days < 0 {
        (Status::Fail, msg!("doctor-expired", name = name, date = date))
    } else if days <= options.expiry_warning_days {
        (Status::Warn, msg!("doctor-expires-soon", name = name, date = date, days = days))
    } else {
        (Status::Ok, msg!("doctor-valid-until", name = name, date = date))
    }
}

fn tokens(config: &Config, options: &Options) -> Vec<Check> {
    use hoso_sign::modules::{Bits, find_modules, module_bits, search_folders};
    let module = &config.pkcs11_module;
    if !module.is_file() {
        // Say which token drivers this PC has, so IT can set the right one.
        let found = find_modules(&search_folders());
        let listed: Vec<String> = found
            .iter()
            .map(|m| format!("{} {} ({})", m.vendor, m.path.display(), m.bits.map_or("?", Bits::as_str)))
            .collect();
        let hint = if listed.is_empty() {
            msg!("doctor-pkcs11-none-hint")
        } else {
            msg!("doctor-pkcs11-choose-hint", modules = listed.join("; "))
        };
        return vec![
            Check::new("pkcs11", Status::Skip, msg!("doctor-pkcs11-none", module = module)).hint(hint),
        ];
    }
    // A module of the other bitness cannot load here; say so before trying.
    if let Some(bits) = module_bits(module)
        && bits != Bits::this_process()
    {
        return vec![
            Check::new(
                "pkcs11",
                Status::Fail,
                msg!(
                    "doctor-pkcs11-bits",
                    module = module,
                    module_bits = bits.as_str(),
                    program_bits = Bits::this_process().as_str()
                ),
            )
            .hint(msg!("doctor-pkcs11-bits-hint")),
        ];
    }
    let certs = match hoso_sign::list_certificates(module) {
        Ok(c) => c,
        Err(e) => {
            return vec![
                Check::new("pkcs11", Status::Fail, format!("{}: {e}", module.display()))
                    .hint(msg!("doctor-pkcs11-failed-hint")),
            ];
        }
    };
    let mut out = vec![Check::new("pkcs11", Status::Ok, module.display().to_string())];
    let tokens: Vec<&TokenCert> =
        certs.iter().filter(|c| config.token_label.as_deref().is_none_or(|l| l == c.token_label)).collect();
    if tokens.is_empty() {
        out.push(
            Check::new(
                "token",
                Status::Warn,
                match &config.token_label {
                    Some(l) => msg!("doctor-token-none-labelled", label = l),
                    None => msg!("doctor-token-none"),
                },
            )
            .hint(msg!("doctor-token-none-hint")),
        );
        return out;
    }
    // With roots IT configured, each certificate's path and revocation too:
    // what certify would refuse, said before a supervisor tries.
    let roots = config.trust_roots.as_deref().and_then(|p| crate::certify::read_roots(p).ok());
    let revocation = crate::certify::revocation(config);
    for c in tokens {
        let (mut status, mut detail) = expiry(
            &format!("{} [{}] {}", c.token_label, &c.fingerprint[..12], c.subject),
            c.not_after,
            options,
        );
        let mut hint = (status != Status::Ok).then(|| msg!("doctor-certificate-renew-hint"));
        if let Some(roots) = &roots {
            match roots.path(&c.cert, &[], options.now) {
                Err(fault) => {
                    detail = msg!("doctor-certificate-untrusted", found = detail, why = fault.message());
                    status = Status::Fail;
                    hint = Some(msg!("doctor-certificate-untrusted-hint"));
                }
                Ok(path) => {
                    let statuses = revocation.check_path(&path, options.now, None);
                    let said = statuses.iter().map(hoso_sign::CertStatus::message).collect();
                    detail = msg!(
                        "doctor-certificate-revocation",
                        found = detail,
                        revocation = hoso_i18n::Arg::list(said, "; ")
                    );
                    match hoso_sign::revocation::overall(&statuses, None) {
                        hoso_sign::revocation::Overall::Revoked => {
                            status = Status::Fail;
                            hint = Some(msg!("doctor-certificate-revoked-hint"));
                        }
                        hoso_sign::revocation::Overall::Unknown => {
                            status = status.max(Status::Warn);
                            hint = hint.or(Some(msg!("doctor-certificate-unknown-hint")));
                        }
                        hoso_sign::revocation::Overall::Good => {}
                    }
                }
            }
        }
        let mut check = Check::new("certificate", status, detail);
        if let Some(hint) = hint {
            check = check.hint(hint);
        }
        out.push(check);
    }
    if let Some(fp) = &config.agency_certificate
        && config.agency_pkcs12.is_none()
        && !certs.iter().any(|c| c.fingerprint.starts_with(fp.as_str()))
    {
        out.push(
            Check::new("agency-certificate", Status::Fail, msg!("doctor-agency-missing", fingerprint = fp))
                .hint(msg!("doctor-agency-missing-hint")),
        );
    }
    out
}

type TokenCert = hoso_sign::TokenCertificate;

fn trust_roots(config: &Config, options: &Options) -> Check {
    let Some(path) = &config.trust_roots else {
        return Check::new("trust-roots", Status::Skip, msg!("doctor-roots-none"))
            .hint(msg!("doctor-roots-none-hint"));
    };
    certificate_file("trust-roots", path, options)
}

/// The CSCA certificates a card's chip is verified against.
fn csca(config: &Config, options: &Options) -> Check {
    let Some(path) = &config.csca else {
        return Check::new("csca", Status::Skip, msg!("doctor-csca-none"))
            .hint(msg!("doctor-csca-none-hint"));
    };
    certificate_file("csca", path, options)
}

/// The card reader: the configured one must be there; none at all, or no
/// smart-card service, is not a problem by itself (the card's QR code and
/// MRZ still fill the form, unverified).
fn card_reader(config: &Config) -> Check {
    let wanted = config.card_reader.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let names = match hoso_chip::reader::readers() {
        Ok(names) => names,
        Err(e) => {
            let status = if wanted.is_some() { Status::Fail } else { Status::Skip };
            return Check::new("card-reader", status, e.to_string());
        }
    };
    // The reader `hoso card chip` would use: the rule is hoso-chip's.
    match hoso_chip::reader::meant(&names, wanted) {
        Err(hoso_chip::ChipError::ReaderNotFound { reader, readers }) => Check::new(
            "card-reader",
            Status::Fail,
            msg!("chip-reader-not-found", reader = reader, readers = readers),
        ),
        Err(e) => Check::new("card-reader", Status::Fail, e.to_string()),
        Ok(_) if names.is_empty() => Check::new("card-reader", Status::Skip, msg!("chip-no-reader")),
        Ok(_) => Check::new("card-reader", Status::Ok, names.join(", ")),
    }
}

/// A file of certificates (PEM, DER or PKCS#7), each with its expiry.
fn certificate_file(name: &'static str, path: &Path, options: &Options) -> Check {
    let certs = std::fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|pem| hoso_sign::trust::read_bundle(&pem).map_err(|e| e.to_string()));
    match certs {
        Err(e) => Check::new(name, Status::Fail, format!("{}: {e}", path.display())),
        Ok(certs) if certs.is_empty() => {
            Check::new(name, Status::Fail, msg!("doctor-roots-empty", file = path))
        }
        Ok(certs) => {
            // Every root with its expiry; the worst decides.
            let each: Vec<_> =
                certs.iter().map(|c| expiry(&c.subject_name(), c.validity().1, options)).collect();
            let status = each.iter().map(|(s, _)| *s).max().expect("not empty");
            let listed = each.into_iter().map(|(_, d)| d).collect();
            let detail = msg!(
                "doctor-roots-ok",
                count = certs.len(),
                file = path,
                each = hoso_i18n::Arg::list(listed, "; ")
            );
            Check::new(name, status, detail)
        }
    }
}

/// The time-stamping service: asked for a time-stamp, which is checked as a
/// signature's would be (its TSA's path to the roots, revocation).
fn tsa(config: &Config) -> Check {
    let Some(url) = &config.tsa_url else {
        return Check::new("tsa", Status::Skip, msg!("doctor-tsa-none")).hint(msg!("doctor-tsa-none-hint"));
    };
    let roots = match crate::certify::roots_or_none(config.trust_roots.as_deref()) {
        Ok(roots) => roots,
        Err(e) => return Check::new("tsa", Status::Fail, format!("trust_roots: {e:#}")),
    };
    let revocation = crate::certify::revocation(config);
    match hoso_sign::tsa::probe(url, &roots, &revocation, crate::now().timestamp()) {
        Err(e) => Check::new("tsa", Status::Fail, e.to_string()).hint(msg!("doctor-tsa-failed-hint")),
        Ok(check) => match &check.problem {
            None => Check::new(
                "tsa",
                Status::Ok,
                msg!(
                    "doctor-tsa-ok",
                    url = url,
                    tsa = &check.tsa,
                    time = &check.time,
                    path = check.trust_path.join(" → ")
                ),
            ),
            Some(fault) => Check::new(
                "tsa",
                Status::Warn,
                msg!("doctor-tsa-unproven", url = url, tsa = &check.tsa, why = fault.message()),
            )
            .hint(msg!("doctor-tsa-unproven-hint")),
        },
    }
}

fn hub(config: &Config) -> Vec<Check> {
    let Some(url) = &config.hub_url else {
        return vec![Check::new("hub", Status::Skip, msg!("doctor-hub-none"))];
    };
    if !crate::sync::hub_transport_ok(url) {
        return vec![
            Check::new("hub", Status::Fail, msg!("sync-hub-not-https", url = url))
                .hint(msg!("doctor-hub-https-hint")),
        ];
    }
    let Some(device) = &config.device_id else {
        return vec![
            Check::new("hub", Status::Fail, msg!("doctor-hub-no-device"))
                .hint(msg!("doctor-hub-no-device-hint")),
        ];
    };
    let key = match std::fs::read(config.data_dir.join("device.key")) {
        Ok(k) => match hoso_sync::SigningKey::from_pkcs8(&k) {
            Some(k) => k,
            None => return vec![Check::new("hub", Status::Fail, msg!("doctor-hub-key-damaged"))],
        },
        Err(_) => {
            return vec![
                Check::new("hub", Status::Fail, msg!("doctor-hub-no-key"))
                    .hint(msg!("doctor-hub-no-key-hint")),
            ];
        }
    };
    let ca = match config.hub_ca.as_ref().map(std::fs::read).transpose() {
        Ok(ca) => ca,
        Err(e) => return vec![Check::new("hub", Status::Fail, format!("hub_ca: {e}"))],
    };
    let client =
        match hoso_sync::client::Client::new(url, device, key, Duration::from_secs(10), ca.as_deref()) {
            Ok(c) => c,
            Err(e) => return vec![Check::new("hub", Status::Fail, e.to_string())],
        };
    let probe = match client.probe() {
        Ok(p) => p,
        Err(e) => {
            return vec![
                Check::new("hub", Status::Fail, format!("{url}: {e}"))
                    .hint(msg!("doctor-hub-unreachable-hint")),
            ];
        }
    };
    let mut out = vec![match probe.status {
        404 | 200 => Check::new("hub", Status::Ok, msg!("doctor-hub-ok", url = url, device = device)),
        403 => Check::new("hub", Status::Fail, msg!("doctor-hub-not-enrolled", url = url, device = device))
            .hint(msg!("doctor-hub-not-enrolled-hint")),
        401 => Check::new("hub", Status::Fail, msg!("doctor-hub-bad-signature", url = url))
            .hint(msg!("doctor-hub-bad-signature-hint")),
        s => Check::new("hub", Status::Warn, msg!("doctor-hub-answered", url = url, status = s)),
    }];
    out.push(match &config.hub_key {
        Some(_) => Check::new("hub-key", Status::Ok, msg!("doctor-hub-key-set")),
        None => {
            Check::new("hub-key", Status::Fail, msg!("sync-no-hub-key")).hint(msg!("doctor-hub-key-hint"))
        }
    });
    out.push(match probe.clock_skew {
        None => Check::new("clock", Status::Warn, msg!("doctor-clock-none")),
        Some(s) if s.abs() > hoso_sync::MAX_CLOCK_SKEW => {
            Check::new("clock", Status::Fail, msg!("doctor-clock-off", seconds = s))
                .hint(msg!("doctor-clock-off-hint"))
        }
        Some(s) if s.abs() > 30 => Check::new("clock", Status::Warn, msg!("doctor-clock-off", seconds = s))
            .hint(msg!("doctor-clock-drift-hint")),
        Some(s) => Check::new("clock", Status::Ok, msg!("doctor-clock-ok", seconds = s.abs())),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_code_is_the_worst_status() {
        let c = |s| Check::new("x", s, "");
        assert_eq!(exit_code(&[c(Status::Ok), c(Status::Skip)]), 0);
        assert_eq!(exit_code(&[c(Status::Ok), c(Status::Warn), c(Status::Skip)]), 3);
        assert_eq!(exit_code(&[c(Status::Warn), c(Status::Fail)]), 1);
    }

    #[test]
    fn certificate_expiry() {
        let o = Options { now: 1_800_000_000, ..Options::default() };
        assert_eq!(expiry("c", o.now - 1, &o).0, Status::Fail);
        assert_eq!(expiry("c", o.now + 10 * 86_400, &o).0, Status::Warn);
        // "Within 30 days" includes a certificate issued for exactly 30 days
        // a moment ago (whole days left: 30).
        assert_eq!(expiry("c", o.now + 30 * 86_400, &o).0, Status::Warn);
        assert_eq!(expiry("c", o.now + 31 * 86_400, &o).0, Status::Ok);
        assert_eq!(expiry("c", o.now + 90 * 86_400, &o).0, Status::Ok);
    }
}
