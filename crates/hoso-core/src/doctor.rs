//! `hoso doctor`: checks a counter PC the way IT would by hand — store folder
//! and disk space, OCR models, scanner stack, PKCS#11 module, token and
//! certificate expiry, trust roots, the hub (reachable, enrolled, clock) and
//! the OCR thread setting — and says what to do about each problem. It reads
//! the configuration only; it never creates keys or changes the store.

use std::path::Path;
use std::time::Duration;

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
    /// What was found.
    pub detail: String,
    /// What to do, when something is wrong.
    pub hint: Option<String>,
}

impl Check {
    fn new(name: &'static str, status: Status, detail: impl Into<String>) -> Check {
        Check { name, status, detail: detail.into(), hint: None }
    }

    fn hint(mut self, hint: impl Into<String>) -> Check {
        self.hint = Some(hint.into());
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
        Check::new("config", Status::Warn, "no configuration file was read; built-in defaults only").hint(
            format!("CNTT: tạo tệp {} (mẫu: installer/config.toml) / IT: write it (template: installer/config.toml)", crate::config::system_file().display()),
        )
    } else {
        Check::new("config", Status::Ok, files.join(", "))
    }
}

fn unit(config: &Config) -> Check {
    match &config.unit {
        Some(u) => Check::new("unit", Status::Ok, u.to_string()),
        None => Check::new("unit", Status::Fail, "no receiving unit: records cannot be numbered")
            .hint("CNTT: đặt `unit = \"000.00.01.H29\"` (mã đơn vị) trong tệp cấu hình / IT: set the unit's code in the configuration file"),
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
            .hint("thư mục dữ liệu phải ghi được / the store folder (data_dir) must be writable by the counter's user"),
        Ok(()) if dir.join("hoso.db").is_file() => Check::new(
            "store",
            Status::Ok,
            format!("{} (run `hoso store check --deep` to re-hash)", dir.display()),
        ),
        Ok(()) => Check::new("store", Status::Ok, format!("{} (empty: made on first use)", dir.display())),
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
        Err(e) => Check::new("disk", Status::Warn, format!("free space unknown: {e}")),
        Ok(free) if free < warning / 10 => Check::new("disk", Status::Fail, format!("{} free", gib(free)))
            .hint("đĩa đầy thì không quét được: giải phóng dung lượng / scans stop when the disk fills: free space or move data_dir"),
        Ok(free) if free < warning => Check::new("disk", Status::Warn, format!("{} free", gib(free)))
            .hint(format!("dưới {} / below {}: khoảng 1 MB mỗi trang / about 1 MB per scanned page", gib(warning), gib(warning))),
        Ok(free) => Check::new("disk", Status::Ok, format!("{} free", gib(free))),
    }
}

fn ocr_threads() -> Check {
    match std::env::var("OMP_THREAD_LIMIT").as_deref() {
        Ok("1") => Check::new("ocr-threads", Status::Ok, "OMP_THREAD_LIMIT=1"),
        other => Check::new(
            "ocr-threads",
            Status::Warn,
            format!("OMP_THREAD_LIMIT is {}", other.map_or("unset".to_owned(), |v| format!("{v:?}"))),
        )
        .hint("nhận dạng chậm 3-7 lần / OCR is 3-7x slower without it: start the app through its launcher"),
    }
}

fn ocr(config: &Config) -> Check {
    let (version, path) = match hoso_ocr::Ocr::library(&config.ocr) {
        Ok(found) => found,
        Err(e) => {
            return Check::new("ocr", Status::Fail, e.to_string()).hint(
                "cài / install tesseract-ocr (Linux), cài lại HoSo / reinstall HoSo (Windows), hoặc đặt / or set `ocr_library`",
            );
        }
    };
    match hoso_ocr::Ocr::new(&config.ocr) {
        Ok(_) => Check::new(
            "ocr",
            Status::Ok,
            format!("Tesseract {version} ({path}), languages {}", config.ocr.languages),
        ),
        Err(e) => Check::new("ocr", Status::Fail, e.to_string())
            .hint("cài / install tesseract-ocr-vie tesseract-ocr-osd, hoặc đặt / or set `tessdata`"),
    }
}

fn scanner(config: &Config, network: bool) -> Check {
    // What finds the local scanners: SANE on Linux, TWAIN sources on Windows.
    let finder = if cfg!(windows) { "TWAIN" } else { "SANE" };
    match config.scanners(network) {
        Err(e) => {
            let hint = if cfg!(windows) {
                "cài lại HoSo Intake, rồi trình điều khiển TWAIN của máy quét / reinstall HoSo Intake, then the scanner's TWAIN driver"
            } else {
                "cài / install libsane1 và trình điều khiển máy quét / and the scanner's SANE driver (sane-airscan for network scanners)"
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
                    format!("{wanted} (eSCL, checked when scanning); {finder} sees {}", names.len()),
                ),
                Some(wanted) if !devices.iter().any(|d| &d.id == wanted) => Check::new(
                    "scanner",
                    Status::Fail,
                    format!("configured scanner {wanted} not found; {finder} sees: {}", list_or_none(&names)),
                )
                .hint(
                    "kiểm tra cáp USB và nguồn, rồi `hoso devices` / check the USB cable and power, then `hoso devices`; or correct `scanner`",
                ),
                Some(wanted) => Check::new("scanner", Status::Ok, wanted.clone()),
                None if devices.is_empty() && cfg!(windows) => Check::new(
                    "scanner",
                    Status::Warn,
                    "no TWAIN scanner driver is installed",
                )
                .hint("cài trình điều khiển TWAIN của hãng máy quét, đặt `scanner = \"escl:http://…/eSCL\"` (máy quét mạng) hoặc `watch_folder` / install the scanner maker's TWAIN driver, or set an eSCL network scanner as `scanner`, or a `watch_folder`"),
                None if devices.is_empty() => Check::new("scanner", Status::Warn, "SANE sees no scanner")
                    .hint("cắm máy quét, hoặc dùng thư mục theo dõi / connect the scanner, or use a watched folder (`watch_folder`)"),
                None => Check::new("scanner", Status::Ok, names.join(", ")),
            }
        }
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() { "none".into() } else { items.join(", ") }
}

fn expiry(name: &str, not_after: i64, options: &Options) -> (Status, String) {
    let days = (not_after - options.now).div_euclid(86_400);
    let date = chrono::DateTime::from_timestamp(not_after, 0)
        .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string());
    if days < 0 {
        (Status::Fail, format!("{name}: expired on {date}"))
    } else if days <= options.expiry_warning_days {
        (Status::Warn, format!("{name}: expires on {date}, in {days} days"))
    } else {
        (Status::Ok, format!("{name}: valid until {date}"))
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
            "quầy chứng thực: cài trình điều khiển thiết bị ký / counters that certify: install the token's driver (OpenSC or the CA's), set `pkcs11_module`".to_owned()
        } else {
            format!("đặt `pkcs11_module` là một trong / set `pkcs11_module` to one of: {}", listed.join("; "))
        };
        return vec![
            Check::new("pkcs11", Status::Skip, format!("no PKCS#11 module at {}", module.display()))
                .hint(hint),
        ];
    }
    // A module of the other bitness cannot load here; say so before trying.
    if let Some(bits) = module_bits(module)
        && bits != Bits::this_process()
    {
        return vec![Check::new(
            "pkcs11",
            Status::Fail,
            format!("{} is {}, this program is {}", module.display(), bits.as_str(), Bits::this_process().as_str()),
        )
        .hint("cài bản trình điều khiển cùng loại / install the driver's build of the same bitness (64-bit: System32, not SysWOW64)")];
    }
    let certs = match hoso_sign::list_certificates(module) {
        Ok(c) => c,
        Err(e) => {
            return vec![Check::new("pkcs11", Status::Fail, format!("{}: {e}", module.display())).hint(
                    "pcscd có chạy không, thư viện có đúng của nhà cung cấp không? / is pcscd running and the module the vendor's? (`pkcs11-tool --module … -L`)",
                )];
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
                    Some(l) => format!("no token labelled {l:?} with certificates is plugged in"),
                    None => "no token with certificates is plugged in".to_owned(),
                },
            )
            .hint("cắm thiết bị ký USB của lãnh đạo / plug in the supervisor's USB token (`hoso tokens`)"),
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
        let mut hint = (status != Status::Ok).then_some(
            "đề nghị CA gia hạn chứng thư trước khi hết hạn / ask the CA to renew it: an expired certificate cannot sign",
        );
        if let Some(roots) = &roots {
            match roots.path(&c.cert, &[], options.now) {
                Err(fault) => {
                    let (_, en) = fault.message();
                    detail.push_str(&format!("; not trusted: {en}"));
                    status = Status::Fail;
                    hint = Some(
                        "chứng thư không lên được chứng thư gốc đã cấu hình / the certificate has no path to `trust_roots`: ask the CA for its chain, or correct `trust_roots`",
                    );
                }
                Ok(path) => {
                    let statuses = revocation.check_path(&path, options.now, None);
                    let (_, en): (Vec<_>, Vec<_>) =
                        statuses.iter().map(hoso_sign::CertStatus::message).unzip();
                    detail.push_str(&format!("; {}", en.join("; ")));
                    match hoso_sign::revocation::overall(&statuses, None) {
                        hoso_sign::revocation::Overall::Revoked => {
                            status = Status::Fail;
                            hint = Some(
                                "chứng thư đã bị thu hồi, không dùng để chứng thực được / the certificate was revoked and cannot certify: ask the CA for a new one",
                            );
                        }
                        hoso_sign::revocation::Overall::Unknown => {
                            status = status.max(Status::Warn);
                            hint = hint.or(Some("mạng tới CA, hoặc đặt CRL của CA vào thư mục revocation của kho / reach the CA's OCSP/CRL, or put the CA's CRL in the store's revocation folder"));
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
            Check::new("agency-certificate", Status::Fail, format!("no certificate {fp}… on the tokens"))
                .hint("cắm thiết bị ký của cơ quan / plug in the agency's token or correct `agency_certificate` (`hoso tokens`)"),
        );
    }
    out
}

type TokenCert = hoso_sign::TokenCertificate;

fn trust_roots(config: &Config, options: &Options) -> Check {
    let Some(path) = &config.trust_roots else {
        return Check::new(
            "trust-roots",
            Status::Skip,
            "no `trust_roots`: signatures are checked without a trusted root",
        )
        .hint("CNTT: đặt chứng thư gốc quốc gia vào / IT: put the national root CA (PEM) in `trust_roots`");
    };
    let certs = std::fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|pem| hoso_sign::trust::read_bundle(&pem).map_err(|e| e.to_string()));
    match certs {
        Err(e) => Check::new("trust-roots", Status::Fail, format!("{}: {e}", path.display())),
        Ok(certs) if certs.is_empty() => {
            Check::new("trust-roots", Status::Fail, format!("{}: no certificate", path.display()))
        }
        Ok(certs) => {
            // Every root with its expiry; the worst decides.
            let each: Vec<_> =
                certs.iter().map(|c| expiry(&c.subject_name(), c.validity().1, options)).collect();
            let status = each.iter().map(|(s, _)| *s).max().expect("not empty");
            let listed: Vec<&str> = each.iter().map(|(_, d)| d.as_str()).collect();
            let detail = format!("{} root(s) in {}; {}", certs.len(), path.display(), listed.join("; "));
            Check::new("trust-roots", status, detail)
        }
    }
}

/// The time-stamping service: asked for a time-stamp, which is checked as a
/// signature's would be (its TSA's path to the roots, revocation).
fn tsa(config: &Config) -> Check {
    let Some(url) = &config.tsa_url else {
        return Check::new(
            "tsa",
            Status::Skip,
            "no `tsa_url`: certified copies are signed without a time-stamp (PAdES B-B) and get no long-term validation data",
        )
        .hint("CNTT: đặt `tsa_url` = dịch vụ cấp dấu thời gian (RFC 3161) của CA / IT: set `tsa_url` to the CA's time-stamping service");
    };
    let roots = match crate::certify::roots_or_none(config.trust_roots.as_deref()) {
        Ok(roots) => roots,
        Err(e) => return Check::new("tsa", Status::Fail, format!("trust_roots: {e:#}")),
    };
    let revocation = crate::certify::revocation(config);
    match hoso_sign::tsa::probe(url, &roots, &revocation, crate::now().timestamp()) {
        Err(e) => Check::new("tsa", Status::Fail, e.to_string()).hint(
            "kiểm tra mạng và địa chỉ `tsa_url`; chứng thực sẽ dừng khi không có dấu thời gian / check the network and `tsa_url`: certifying stops without a time-stamp",
        ),
        Ok(check) => match &check.problem {
            None => Check::new(
                "tsa",
                Status::Ok,
                format!("{url}: {} at {}, path {}", check.tsa, check.time, check.trust_path.join(" → ")),
            ),
            Some(fault) => {
                let (_, en) = fault.message();
                Check::new(
                    "tsa",
                    Status::Warn,
                    format!("{url}: {}: its time-stamps would not prove the signing time: {en}", check.tsa),
                )
                .hint("CNTT: thêm chứng thư gốc của đơn vị cấp dấu thời gian vào `trust_roots` / IT: add the TSA's root to `trust_roots`")
            }
        },
    }
}

fn hub(config: &Config) -> Vec<Check> {
    let Some(url) = &config.hub_url else {
        return vec![Check::new("hub", Status::Skip, "no `hub_url`: records stay queued on this PC")];
    };
    let Some(device) = &config.device_id else {
        return vec![
            Check::new("hub", Status::Fail, "`hub_url` is set but `device_id` is not")
                .hint("đặt / set `device_id` = mã máy đã đăng ký / the id enrolled at the hub"),
        ];
    };
    let key = match std::fs::read(config.data_dir.join("device.key")) {
        Ok(k) => match hoso_sync::SigningKey::from_pkcs8(&k) {
            Some(k) => k,
            None => return vec![Check::new("hub", Status::Fail, "device.key is damaged")],
        },
        Err(_) => {
            return vec![
                Check::new("hub", Status::Fail, "this PC has no device key yet")
                    .hint("chạy `hoso sync key`, gửi khoá cho CNTT / run `hoso sync key` and give the key to IT for `hoso-hub enrol`"),
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
                    .hint("kiểm tra mạng, địa chỉ máy chủ, `hub_ca` / check the network, the hub's address, and `hub_ca` for a private CA"),
            ];
        }
    };
    let mut out = vec![match probe.status {
        404 | 200 => Check::new("hub", Status::Ok, format!("{url}: answers, device {device} enrolled")),
        403 => Check::new("hub", Status::Fail, format!("{url}: device {device} is not enrolled"))
            .hint("gửi khoá máy này cho CNTT / give IT this PC's key (`hoso sync key`) for `hoso-hub enrol`"),
        401 => Check::new("hub", Status::Fail, format!("{url}: the hub refused the signature"))
            .hint("kiểm tra đồng hồ máy và khoá đã đăng ký / check the clock, and that the enrolled key is this PC's (`hoso sync key`)"),
        s => Check::new("hub", Status::Warn, format!("{url}: answered {s}")),
    }];
    out.push(match probe.clock_skew {
        None => Check::new("clock", Status::Warn, "the hub sent no time"),
        Some(s) if s.abs() > hoso_sync::MAX_CLOCK_SKEW => {
            Check::new("clock", Status::Fail, format!("this PC is {s} s off the hub's clock")).hint(
                "chỉnh giờ (NTP) / set the time (NTP): the hub refuses requests more than 5 minutes off",
            )
        }
        Some(s) if s.abs() > 30 => {
            Check::new("clock", Status::Warn, format!("this PC is {s} s off the hub's clock"))
                .hint("bật đồng bộ giờ NTP / enable NTP time synchronisation")
        }
        Some(s) => Check::new("clock", Status::Ok, format!("within {} s of the hub", s.abs())),
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
