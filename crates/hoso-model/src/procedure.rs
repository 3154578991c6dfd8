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
    /// The checklist, in the order components are numbered.
    pub components: Vec<ComponentSpec>,
}

/// All procedures a counter handles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Catalogue {
    /// The procedures.
    #[serde(rename = "procedure", default)]
    pub procedures: Vec<Procedure>,
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
}
