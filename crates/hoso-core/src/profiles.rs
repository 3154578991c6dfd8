//! Scan profiles: how a counter scans, fixed by its administrator.
//!
//! A profile (`[[scan_profiles]]` in config.toml, IT's system file or the
//! counter's own file that an administrator edits on the settings screen)
//! names the scanner, the paper source, resolution, colour, duplex (the
//! scanner's own, or manual: fronts, flip the stack, backs), the blank-page
//! threshold, how a stack is split into components (separator sheets, a page
//! count) and the driver's own options. Once a counter has profiles they are
//! locked: a clerk scans with one of them, chosen with one key in the window
//! (`1`–`9`), and only an administrator (or IT with the CLI) may scan with
//! settings of their own. The lock is checked here, in [`App::scan`], not in a
//! front end.

use std::collections::BTreeMap;

use hoso_i18n::err;
use hoso_scan::{ColourMode, ScanSettings, Source};
use hoso_store::Role;
use serde::{Deserialize, Serialize};

use crate::{Actor, App};

/// One profile, as config.toml writes it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ScanProfile {
    /// What the clerk sees: the kind of paper it is for.
    pub name: String,
    /// The scanner; the counter's `scanner` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub device: Option<String>,
    /// `flatbed`, `feeder` or `feeder_duplex` (the scanner turns the sheet).
    #[serde(default = "feeder")]
    #[cfg_attr(feature = "ts", ts(type = "\"flatbed\" | \"feeder\" | \"feeder_duplex\""))]
    pub source: Source,
    /// Duplex on a one-sided feeder: the fronts, then the stack turned over
    /// for the backs, put back in page order.
    #[serde(default)]
    pub manual_duplex: bool,
    /// Dots per inch (the nearest the scanner offers).
    #[serde(default = "dpi_300")]
    pub resolution: u32,
    /// `colour`, `gray` or `black_white`.
    #[serde(default = "colour")]
    #[cfg_attr(feature = "ts", ts(type = "\"colour\" | \"gray\" | \"black_white\""))]
    pub mode: ColourMode,
    /// A page with ink on less than this percentage of its area is a blank
    /// back, left out of the PDF/A (the clerk sees it and can put it back).
    /// The built-in 0.15 % when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub blank_threshold: Option<f32>,
    /// Whether a separator sheet (the QR code the record screen prints)
    /// sends the pages after it to its component.
    #[serde(default = "yes")]
    pub separator_sheets: bool,
    /// Every this many pages the next component of the record begins (a
    /// stack of documents of the same length).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub split_every: Option<u32>,
    /// Wait for the next stack when the feeder runs empty or jams.
    #[serde(default)]
    pub wait: bool,
    /// The driver's own options by name (a vendor's double-feed detection,
    /// SANE's option names as `scanimage --help` lists them).
    #[serde(default)]
    pub options: BTreeMap<String, String>,
}

fn feeder() -> Source {
    Source::Feeder
}
fn dpi_300() -> u32 {
    300
}
fn colour() -> ColourMode {
    ColourMode::Colour
}
fn yes() -> bool {
    true
}

impl ScanProfile {
    /// Refuses a profile that cannot scan: no name, a resolution under what
    /// records need, a threshold outside 0–100 %, manual duplex on anything
    /// but a one-sided feeder, or split by pages into zero.
    pub fn check(&self) -> anyhow::Result<()> {
        let name = &self.name;
        if name.trim().is_empty() {
            anyhow::bail!(err!("profile-no-name"));
        }
        if !(100..=1200).contains(&self.resolution) {
            anyhow::bail!(err!("profile-bad-resolution", profile = name, dpi = self.resolution));
        }
        if self.blank_threshold.is_some_and(|t| !(0.0..=100.0).contains(&t)) {
            anyhow::bail!(err!("profile-bad-threshold", profile = name));
        }
        if self.manual_duplex && self.source != Source::Feeder {
            anyhow::bail!(err!("profile-manual-duplex-feeder", profile = name));
        }
        if self.manual_duplex && self.split_every.is_some() {
            anyhow::bail!(err!("profile-manual-duplex-split", profile = name));
        }
        if self.split_every == Some(0) {
            anyhow::bail!(err!("profile-bad-split", profile = name));
        }
        Ok(())
    }

    /// The batch this profile scans.
    pub fn plan(&self) -> ScanPlan {
        ScanPlan {
            device: self.device.clone(),
            settings: ScanSettings {
                source: self.source,
                resolution: self.resolution,
                mode: self.mode,
                ..ScanSettings::default()
            },
            options: self.options.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            manual_duplex: self.manual_duplex,
            blank_below: self.blank_threshold.map(|percent| percent / 100.0),
            // A manual duplex batch stays in one component to be put in order.
            separator_sheets: self.separator_sheets && !self.manual_duplex,
            split_every: self.split_every,
            wait: self.wait,
            profile: Some(self.name.clone()),
        }
    }
}

/// Checks a counter's profiles: each one, and no two with the same name.
pub fn check_profiles(profiles: &[ScanProfile]) -> anyhow::Result<()> {
    for (i, p) in profiles.iter().enumerate() {
        p.check()?;
        if profiles[..i].iter().any(|q| q.name == p.name) {
            anyhow::bail!(err!("profile-duplicate", profile = &p.name));
        }
    }
    Ok(())
}

/// How one batch is scanned: what a profile fixes, or what an administrator
/// or the CLI chose ([`ScanPlan::own`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ScanPlan {
    /// The scanner, when the plan names one.
    pub device: Option<String>,
    pub settings: ScanSettings,
    /// Driver options, applied after each stack starts.
    pub options: Vec<(String, String)>,
    /// Fronts, then the stack turned over for the backs (a one-sided feeder);
    /// the batch stays in one component (no separator sheets, no split).
    pub manual_duplex: bool,
    /// The share of ink (0–1) under which a page is blank; the built-in one
    /// when `None`.
    pub blank_below: Option<f32>,
    /// Separator sheets switch component.
    pub separator_sheets: bool,
    /// A new component every this many pages.
    pub split_every: Option<u32>,
    /// Wait for the next stack ([`ScanPlan::waits`] adds manual duplex, which
    /// always waits for the backs).
    pub wait: bool,
    /// The profile it came from: only profiles are open to a clerk once the
    /// counter has some.
    profile: Option<String>,
}

impl ScanPlan {
    /// Settings chosen by hand, not from a profile; separator sheets on.
    pub fn own(settings: ScanSettings) -> ScanPlan {
        ScanPlan {
            device: None,
            settings,
            options: Vec::new(),
            manual_duplex: false,
            blank_below: None,
            separator_sheets: true,
            split_every: None,
            wait: false,
            profile: None,
        }
    }

    /// One sheet on the glass with the same resolution, colour and driver
    /// options (a page scanned again to replace one).
    pub fn one_sheet(&self) -> ScanPlan {
        ScanPlan {
            settings: ScanSettings { source: Source::Flatbed, ..self.settings.clone() },
            manual_duplex: false,
            separator_sheets: false,
            split_every: None,
            wait: false,
            ..self.clone()
        }
    }

    /// Whether the batch waits for the next stack: the clerk `asked`, the
    /// plan says so, or it is manual duplex (the backs come as a second stack).
    pub fn waits(&self, asked: bool) -> bool {
        asked || self.wait || self.manual_duplex
    }

    /// The profile's name, when it came from one.
    pub fn profile(&self) -> Option<&str> {
        self.profile.as_deref()
    }
}

impl App {
    /// The counter's scan profiles, in the order the administrator wrote them.
    pub fn scan_profiles(&self) -> &[ScanProfile] {
        &self.config.scan_profiles
    }

    /// The plan of the profile named `name`.
    pub fn profile_plan(&self, name: &str) -> anyhow::Result<ScanPlan> {
        let profile = self.config.scan_profiles.iter().find(|p| p.name == name);
        Ok(profile.ok_or_else(|| err!("profile-unknown", profile = name))?.plan())
    }

    /// Refuses settings of one's own to a clerk or supervisor once the counter
    /// has profiles: the administrator locked how it scans.
    pub fn require_plan_allowed(&self, plan: &ScanPlan) -> anyhow::Result<()> {
        if plan.profile.is_some() || self.config.scan_profiles.is_empty() {
            return Ok(());
        }
        match &self.actor {
            Actor::Person { role, .. } if *role != Role::Admin => Err(err!("profile-locked").into()),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(text: &str) -> anyhow::Result<ScanProfile> {
        let p: ScanProfile = toml::from_str(text)?;
        p.check()?;
        Ok(p)
    }

    #[test]
    fn a_profile_takes_defaults_and_is_checked() {
        let p = profile("name = 'A4'").unwrap();
        assert_eq!((p.source, p.resolution, p.mode), (Source::Feeder, 300, ColourMode::Colour));
        assert!(p.separator_sheets && !p.manual_duplex && !p.wait);
        let plan = p.plan();
        assert_eq!(plan.profile(), Some("A4"));
        assert_eq!(plan.blank_below, None);

        let p = profile(
            "name = 'Manual duplex'\nmanual_duplex = true\nblank_threshold = 0.5\noptions = { x = '1' }",
        )
        .unwrap();
        let plan = p.plan();
        assert!(plan.waits(false), "manual duplex waits for the backs");
        assert_eq!(plan.blank_below, Some(0.005));
        assert_eq!(plan.options, vec![("x".to_owned(), "1".to_owned())]);

        for bad in [
            "name = ' '",
            "name = 'x'\nresolution = 50",
            "name = 'x'\nblank_threshold = 120.0",
            "name = 'x'\nsource = 'flatbed'\nmanual_duplex = true",
            "name = 'x'\nmanual_duplex = true\nsplit_every = 2",
            "name = 'x'\nsplit_every = 0",
            "name = 'x'\nsorce = 'feeder'",
        ] {
            assert!(profile(bad).is_err(), "{bad}");
        }
        let twice = [profile("name = 'A'").unwrap(), profile("name = 'A'\nresolution = 200").unwrap()];
        assert!(check_profiles(&twice).is_err());
    }
}
