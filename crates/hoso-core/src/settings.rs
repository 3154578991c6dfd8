//! The settings an administrator sees and changes on a counter PC: every key
//! of config.toml with its value in force and where that came from (built-in,
//! the system file IT rolls out, this PC's user file, the environment), and
//! edits written to the user's file only, since the system file belongs to IT
//! and the package. An edit is checked (paths exist, URLs are URLs, the whole
//! file loads) before it replaces the file in one rename; comments and keys
//! the edit does not touch stay as they were. An empty value removes the key,
//! so the system file's value (or the default) is in force again.

use std::path::Path;

use anyhow::{Context, bail};
use hoso_i18n::err;
use serde::Serialize;

use crate::config::{self, Config, Source};
pub use crate::config::{KEYS, Kind};

/// One key as the settings screen shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Setting {
    /// The key in config.toml.
    pub key: &'static str,
    /// The value in force; empty when nothing is set and there is no default.
    pub value: String,
    /// Where it comes from.
    pub source: Source,
    /// How a new value is checked.
    pub kind: Kind,
    /// Whether an edit here can change it (not `data_dir`, not a key the
    /// environment or a flag sets, which would win over the file).
    pub editable: bool,
}

/// One key an edit changed, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The key.
    pub key: String,
    /// Its value in force before ("" when none).
    pub before: String,
    /// Its value in force after ("" when none).
    pub after: String,
}

/// Every key with its value in force and where it comes from.
pub fn list(config: &Config) -> Vec<Setting> {
    let mut values = config.in_force.texts();
    KEYS.iter()
        .map(|&(key, kind)| {
            let source = config.sources.get(key).copied().unwrap_or(Source::Default);
            Setting {
                key,
                value: values.remove(key).unwrap_or_default(),
                source,
                kind,
                editable: kind != Kind::Fixed && source <= Source::User && config.user_file.is_some(),
            }
        })
        .collect()
}

/// Checks a new value of a key of kind `kind`.
fn check(key: &str, kind: Kind, v: &str) -> anyhow::Result<()> {
    let is_url = |v: &str| {
        let rest = v.strip_prefix("https://").or_else(|| v.strip_prefix("http://"));
        rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace))
    };
    match kind {
        Kind::Text => Ok(()),
        Kind::Folder if Path::new(v).is_dir() => Ok(()),
        Kind::Folder => bail!(err!("settings-no-folder", key = key, value = v)),
        Kind::File if Path::new(v).is_file() => Ok(()),
        Kind::File => bail!(err!("settings-no-file", key = key, value = v)),
        Kind::Url if is_url(v) => Ok(()),
        Kind::Url => bail!(err!("settings-not-url", key = key, value = v)),
        Kind::Scanner
            if ["sane:", "twain:", "wia:"]
                .iter()
                .any(|p| v.strip_prefix(p).is_some_and(|d| !d.is_empty()))
                || v.strip_prefix("escl:").is_some_and(is_url) =>
        {
            Ok(())
        }
        Kind::Scanner => {
            bail!(err!("settings-not-scanner", key = key, value = v))
        }
        Kind::Bool if v == "true" || v == "false" => Ok(()),
        Kind::Bool => bail!(err!("settings-not-bool", key = key, value = v)),
        Kind::Number if v.parse::<u64>().is_ok_and(|n| n >= 1) => Ok(()),
        Kind::Number => bail!(err!("settings-not-number", key = key, value = v)),
        Kind::HexKey if v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()) => Ok(()),
        Kind::HexKey => {
            bail!(err!("settings-not-hex-key", key = key))
        }
        Kind::Profiles => {
            let layer: config::FileConfig = toml::from_str(&format!("{key} = {v}"))
                .with_context(|| err!("settings-bad-profiles", key = key))?;
            crate::profiles::check_profiles(&layer.scan_profiles.unwrap_or_default())
        }
        Kind::Fixed => bail!(err!("settings-fixed", key = key)),
    }
}

/// Writes `changes` (key, new value; empty removes the key) into the user's
/// config file, after checking each value and the whole file; returns the
/// configuration read again and what changed. Nothing is written when any
/// check fails.
pub fn edit(config: &Config, changes: &[(String, String)]) -> anyhow::Result<(Config, Vec<Change>)> {
    let target = config.user_file.clone().context(err!("settings-no-home"))?;
    let text = match std::fs::read_to_string(&target) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| err!("file-unreadable", file = &target)),
    };
    let mut doc: toml_edit::DocumentMut =
        text.parse().with_context(|| err!("settings-file-invalid", file = &target))?;
    for (key, new) in changes {
        let Some(&(key, kind)) = KEYS.iter().find(|(k, _)| k == key) else {
            bail!(err!("settings-unknown-key", key = key));
        };
        if kind == Kind::Fixed {
            check(key, kind, new)?;
        }
        let source = config.sources.get(key).copied().unwrap_or(Source::Default);
        if source > Source::User {
            bail!(err!("settings-overridden", key = key, source = source.as_str()));
        }
        let new = new.trim();
        if new.is_empty() {
            doc.remove(key);
            continue;
        }
        check(key, kind, new)?;
        doc[key] = match kind {
            Kind::Bool => toml_edit::value(new == "true"),
            Kind::Number => toml_edit::value(
                new.parse::<i64>().with_context(|| err!("settings-bad-number", key = key, value = new))?,
            ),
            Kind::Profiles => toml_edit::Item::Value(
                new.parse::<toml_edit::Value>().with_context(|| err!("settings-bad-profiles", key = key))?,
            ),
            _ => toml_edit::value(new),
        };
    }

    // The whole file must load before it replaces the old one.
    let dir = target.parent().context("config file without a folder")?;
    std::fs::create_dir_all(dir).with_context(|| err!("file-cannot-create", folder = dir))?;
    let tmp = dir.join(format!(".config.toml.{}.tmp", std::process::id()));
    hoso_store::durable::write_new(&tmp, doc.to_string().as_bytes(), false)
        .with_context(|| err!("file-cannot-write", file = &tmp))?;
    let candidate =
        config::load(&config::Overrides { config_file: Some(tmp.clone()), ..config.overrides.clone() });
    if let Err(e) = candidate {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.context(err!("settings-not-saved")));
    }
    // The checked file itself takes the old one's place.
    if let Err(e) = hoso_store::durable::rename(&tmp, &target) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| err!("file-cannot-replace", file = &target));
    }
    let after = config::load(&config.overrides)?;
    let (mut before_values, mut after_values) = (config.in_force.texts(), after.in_force.texts());
    let changed = KEYS
        .iter()
        .map(|&(key, _)| Change {
            key: key.into(),
            before: before_values.remove(key).unwrap_or_default(),
            after: after_values.remove(key).unwrap_or_default(),
        })
        .filter(|c| c.before != c.after)
        .collect();
    Ok((after, changed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_by_kind() {
        assert!(check("hub_url", Kind::Url, "https://hub.tphcm.gov.vn").is_ok());
        assert!(check("hub_url", Kind::Url, "hub.tphcm.gov.vn").is_err());
        assert!(check("hub_url", Kind::Url, "http:///x").is_err());
        assert!(check("scanner", Kind::Scanner, "sane:test:0").is_ok());
        assert!(check("scanner", Kind::Scanner, "escl:http://10.0.0.5/eSCL").is_ok());
        assert!(check("scanner", Kind::Scanner, "twain:fi-7160").is_ok());
        assert!(check("scanner", Kind::Scanner, "wia:{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0000").is_ok());
        assert!(check("scanner", Kind::Scanner, "epson").is_err());
        assert!(check("scanner", Kind::Scanner, "twain:").is_err());
        assert!(check("rsa_pss", Kind::Bool, "yes").is_err());
        assert!(check("scanner_watchdog_secs", Kind::Number, "90").is_ok());
        for bad in ["0", "-5", "1.5", "ninety"] {
            assert!(check("scanner_watchdog_secs", Kind::Number, bad).is_err(), "{bad}");
        }
        assert!(check("hub_key", Kind::HexKey, &"ab".repeat(32)).is_ok());
        assert!(check("hub_key", Kind::HexKey, "abc").is_err());
        assert!(check("watch_folder", Kind::Folder, "/no/such/folder").is_err());
        assert!(check("data_dir", Kind::Fixed, "/tmp").is_err());
        for (_, kind) in KEYS {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                kind.as_str(),
                "as_str names {kind:?} as serde does"
            );
        }
    }

    #[test]
    fn an_edit_keeps_comments_checks_the_whole_file_and_empty_removes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(
            &file,
            "# Quầy 3, tầng trệt\nunit = \"000.00.01.H29\"\nagency = \"UBND phường Sài Gòn\" # tên in trên giấy\nscanner = \"sane:test:0\"\n",
        )
        .unwrap();
        let over = config::Overrides {
            config_file: Some(file.clone()),
            data_dir: Some(dir.path().join("store")),
            unit: None,
        };
        let config = config::load(&over).unwrap();
        let shown = list(&config);
        let unit = shown.iter().find(|s| s.key == "unit").unwrap();
        assert_eq!((unit.value.as_str(), unit.source, unit.editable), ("000.00.01.H29", Source::User, true));
        let data_dir = shown.iter().find(|s| s.key == "data_dir").unwrap();
        assert_eq!((data_dir.source, data_dir.editable), (Source::Flag, false));

        let (after, changed) = edit(
            &config,
            &[
                ("hub_url".into(), "https://hub.tphcm.gov.vn".into()),
                ("scanner".into(), "".into()),
                ("rsa_pss".into(), "true".into()),
            ],
        )
        .unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.starts_with("# Quầy 3, tầng trệt\n"), "{text}");
        assert!(text.contains("# tên in trên giấy"), "{text}");
        assert!(!text.contains("scanner"), "{text}");
        assert!(text.contains("rsa_pss = true"), "{text}");
        assert_eq!(after.hub_url.as_deref(), Some("https://hub.tphcm.gov.vn"));
        assert!(after.rsa_pss && after.scanner.is_none());
        let keys: Vec<&str> = changed.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["scanner", "rsa_pss", "hub_url"]);

        // A bad value, a unit code that does not parse, a catalogue that is
        // not one: refused, and the file is as it was.
        let before = std::fs::read(&file).unwrap();
        let bad_catalogue = dir.path().join("catalogue.toml");
        std::fs::write(&bad_catalogue, "not = [a catalogue").unwrap();
        for (key, v, says) in [
            ("tsa_url", "tsa.example.vn", "http(s)://"),
            ("unit", "H29", "invalid receiving unit code"),
            ("catalogue", bad_catalogue.to_str().unwrap(), "not saved"),
            ("data_dir", "/tmp/elsewhere", "IT job"),
            ("colour", "red", "no setting"),
        ] {
            let e = format!("{:#}", edit(&after, &[(key.into(), v.into())]).unwrap_err());
            assert!(e.contains(says), "{key}: {e}");
        }
        assert_eq!(std::fs::read(&file).unwrap(), before);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}
