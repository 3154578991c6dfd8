//! The procedure catalogue: which components each administrative procedure requires.
//!
//! The catalogue is data (assets/procedures.toml, overridable per machine); this
//! module only defines its shape and checks it.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

/// One slot of a procedure's checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentSpec {
    /// Code of the slot, unique within the procedure (MaThanhPhanHoSo).
    pub code: String,
    /// Name of the document, in Vietnamese.
    pub name: String,
    /// Whether the record is incomplete without it.
    #[serde(default = "yes")]
    pub required: bool,
    /// Whether the electronic copy must be certified from the original.
    #[serde(default)]
    pub needs_certification: bool,
}

fn yes() -> bool {
    true
}

/// An administrative procedure (thủ tục hành chính).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    /// Code in the national procedure database (MaTTHC).
    pub code: String,
    /// Name in Vietnamese.
    pub name: String,
    /// Its field (lĩnh vực), as the national database names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The level that carries it out (cấp thực hiện: tỉnh, xã…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// The checklist, in the order components are numbered.
    pub components: Vec<ComponentSpec>,
}

/// All procedures a counter handles.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Catalogue {
    /// The procedures.
    #[serde(rename = "procedure", default)]
    pub procedures: Vec<Procedure>,
    /// Each procedure's code and words, folded for the search (made on the
    /// first search: a catalogue is not changed once loaded).
    #[serde(skip)]
    folded: std::sync::OnceLock<Vec<(String, String)>>,
}

impl PartialEq for Catalogue {
    fn eq(&self, other: &Catalogue) -> bool {
        self.procedures == other.procedures
    }
}

impl Eq for Catalogue {}

/// Text as the search compares it: lower case, Vietnamese diacritics
/// dropped (đ → d), anything but letters and digits a single space; so
/// "Đăng ký khai sinh" and "dang ky  khai-sinh" are one.
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_alphanumeric() || c == '.' {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A catalogue that cannot be used as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogueError {
    /// Two procedures share a code.
    #[error("{}", hoso_i18n::msg!("catalogue-duplicate", code = .0))]
    DuplicateProcedure(String),
    /// A procedure has no component, or two with one code.
    #[error("{}", hoso_i18n::msg!("catalogue-no-components", code = .0))]
    BadComponents(String),
}

impl Catalogue {
    /// Checks codes are unique and every procedure has components.
    pub fn validate(&self) -> Result<(), CatalogueError> {
        let mut seen = HashSet::new();
        for p in &self.procedures {
            if !seen.insert(p.code.as_str()) {
                return Err(CatalogueError::DuplicateProcedure(p.code.clone()));
            }
            let codes: HashSet<&str> = p.components.iter().map(|c| c.code.as_str()).collect();
            if p.components.is_empty() || codes.len() != p.components.len() {
                return Err(CatalogueError::BadComponents(p.code.clone()));
            }
        }
        Ok(())
    }

    /// The procedure with this code.
    pub fn get(&self, code: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.code == code)
    }

    /// A catalogue of these procedures.
    pub fn new(procedures: Vec<Procedure>) -> Catalogue {
        Catalogue { procedures, folded: std::sync::OnceLock::new() }
    }

    /// The procedures the clerk means by `query`, at most `limit`, as they
    /// type: every word of the query begins a word of the procedure's code,
    /// name or field, diacritics or not ("dang ky khai", "1.0011", "hộ
    /// tịch"). A code that begins with the query comes first, then names that
    /// begin with it, then the rest, each in catalogue order. An empty query
    /// gives the first `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&Procedure> {
        let folded = self.folded.get_or_init(|| {
            self.procedures
                .iter()
                .map(|p| {
                    let words = format!("{} {} {}", p.code, p.name, p.field.as_deref().unwrap_or(""));
                    (fold(&p.code), format!(" {}", fold(&words)))
                })
                .collect()
        });
        let query = fold(query);
        let words: Vec<String> =
            query.split(' ').filter(|w| !w.is_empty()).map(|w| format!(" {w}")).collect();
        // A name that begins with the query: after the code, the query's words.
        let name_begins = format!(" {query}");
        let mut ranked: Vec<(u8, usize)> = folded
            .iter()
            .enumerate()
            .filter(|(_, (_, text))| words.iter().all(|w| text.contains(w.as_str())))
            .map(|(i, (code, text))| {
                let rank = if !query.is_empty() && code.starts_with(&query) {
                    0
                } else if text[1..].strip_prefix(code.as_str()).is_some_and(|t| t.starts_with(&name_begins)) {
                    1
                } else {
                    2
                };
                (rank, i)
            })
            .collect();
        ranked.sort();
        ranked.into_iter().take(limit).map(|(_, i)| &self.procedures[i]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn procedure(code: &str, name: &str, field: &str) -> Procedure {
        Procedure {
            code: code.into(),
            name: name.into(),
            field: Some(field.into()),
            level: None,
            components: vec![ComponentSpec {
                code: "TK".into(),
                name: "Tờ khai".into(),
                required: true,
                needs_certification: false,
            }],
        }
    }

    #[test]
    fn folding_drops_diacritics_case_and_punctuation() {
        assert_eq!(fold("Đăng ký khai sinh"), "dang ky khai sinh");
        assert_eq!(fold("  ĐĂNG   KÝ—khai-sinh "), "dang ky khai sinh");
        assert_eq!(fold("Chứng thực bản sao (từ bản chính)"), "chung thuc ban sao tu ban chinh");
        assert_eq!(fold("Hộ tịch"), "ho tich");
        assert_eq!(fold("1.001193"), "1.001193");
    }

    #[test]
    fn the_search_finds_by_code_name_or_field_with_or_without_diacritics() {
        let c = Catalogue::new(vec![
            procedure("2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực"),
            procedure("1.001193", "Đăng ký khai sinh", "Hộ tịch"),
            procedure("1.004222", "Đăng ký thường trú", "Đăng ký, quản lý cư trú"),
            procedure("1.000894", "Đăng ký khai sinh có yếu tố nước ngoài", "Hộ tịch"),
        ]);
        let codes = |q: &str| c.search(q, 10).iter().map(|p| p.code.as_str()).collect::<Vec<_>>();
        assert_eq!(codes("dang ky khai"), ["1.001193", "1.000894"]);
        assert_eq!(codes("Đăng ký khai sinh"), ["1.001193", "1.000894"]);
        assert_eq!(codes("khai sinh nuoc"), ["1.000894"]);
        assert_eq!(codes("1.00"), ["1.001193", "1.004222", "1.000894"], "codes by their beginning");
        assert_eq!(codes("ho tich"), ["1.001193", "1.000894"], "by field");
        assert_eq!(codes("thuong"), ["1.004222"], "a word's beginning");
        assert!(codes("huong").is_empty(), "not the middle of a word");
        assert!(codes("xyz").is_empty());
        assert_eq!(c.search("", 2).len(), 2, "nothing typed: the first ones");
        // A name that begins with the query comes before one that has it later.
        assert_eq!(codes("chung thuc")[0], "2.000815");
    }
}
