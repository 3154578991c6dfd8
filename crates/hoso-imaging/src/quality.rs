//! The quality gate: what a page's metrics and resolution mean for the clerk.
//!
//! Circular 05/2025/TT-BNV asks for 200 dpi or more, so a lower resolution is a
//! rejection (rescan). Everything else is a flag for review: a blank back side is
//! shown to the clerk, never dropped silently.

use serde::{Deserialize, Serialize};

use crate::PageMetrics;

/// Lowest accepted resolution (dots per inch); a PNG's 300 often reads 299.9994.
pub const MIN_DPI: f32 = 199.5;
/// Below this paper brightness the page is too dark (lid open, wrong exposure).
const DARK_PAPER: f32 = 110.0;
/// Paper and ink closer than this are too faint to read reliably.
const FAINT_CONTRAST: f32 = 60.0;
/// Below this [`PageMetrics::sharpness`] the page is blurred. Sample scans with a
/// slight blur measure 0.26–0.76; blurred by a further σ 1.5 they drop to about
/// 0.15, by σ 3 to under 0.08.
const BLURRED: f32 = 0.12;

/// One finding of the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Issue {
    LowDpi,
    NoDpi,
    Blank,
    TooDark,
    Faint,
    Blurred,
}

impl Issue {
    /// Stable machine name.
    pub fn code(self) -> &'static str {
        match self {
            Issue::LowDpi => "low_dpi",
            Issue::NoDpi => "no_dpi",
            Issue::Blank => "blank",
            Issue::TooDark => "too_dark",
            Issue::Faint => "faint",
            Issue::Blurred => "blurred",
        }
    }

    /// What the clerk reads.
    pub fn message(self) -> hoso_i18n::Message {
        use hoso_i18n::msg;
        match self {
            Issue::LowDpi => msg!("quality-low-dpi"),
            Issue::NoDpi => msg!("quality-no-dpi"),
            Issue::Blank => msg!("quality-blank"),
            Issue::TooDark => msg!("quality-too-dark"),
            Issue::Faint => msg!("quality-faint"),
            Issue::Blurred => msg!("quality-blurred"),
        }
    }

    /// Whether this finding rejects the page (it cannot be used, only rescanned).
    pub fn rejects(self) -> bool {
        matches!(self, Issue::LowDpi)
    }
}

/// The gate's judgement of one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quality {
    pub issues: Vec<Issue>,
}

impl Quality {
    /// Whether any finding rejects the page.
    pub fn rejected(&self) -> bool {
        self.issues.iter().any(|i| i.rejects())
    }

    /// The findings as one line for the page's stored note (in both
    /// languages: a note is read later, by whoever opens the record), or
    /// `None` when there are none.
    pub fn note(&self) -> Option<String> {
        (!self.issues.is_empty())
            .then(|| self.issues.iter().map(|i| i.message().to_string()).collect::<Vec<_>>().join("; "))
    }
}

/// Judges a page from its metrics and declared resolution.
pub fn assess(m: &PageMetrics, dpi: Option<f32>) -> Quality {
    let mut issues = Vec::new();
    match dpi {
        Some(d) if d < MIN_DPI => issues.push(Issue::LowDpi),
        None => issues.push(Issue::NoDpi),
        _ => {}
    }
    if m.looks_blank {
        issues.push(Issue::Blank);
    }
    if m.paper_level < DARK_PAPER {
        issues.push(Issue::TooDark);
    } else if !m.looks_blank && m.paper_level - m.ink_level < FAINT_CONTRAST {
        issues.push(Issue::Faint);
    }
    if !m.looks_blank && m.sharpness < BLURRED {
        issues.push(Issue::Blurred);
    }
    Quality { issues }
}
