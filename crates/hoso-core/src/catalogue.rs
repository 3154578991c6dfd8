//! The city's procedure list, read from the file the national database of
//! administrative procedures exports (CSV or XLSX): one row per component of
//! a procedure — procedure code, name, field, level, the component (code and
//! name), whether it is required and whether its copy must be certified —
//! into a [`Catalogue`], with a report of each row it could not read and why.
//! Columns are found by their headings, Vietnamese or English, with or
//! without diacritics, in any order; the heading row may sit below a title.
//! A row that names a procedure and no component (a procedure's own line)
//! gives its name, field and level. `App::import_procedures` writes the
//! result as the counter's catalogue.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, bail};
use hoso_i18n::{err, msg};
use hoso_model::{Catalogue, ComponentSpec, Procedure, fold};
use serde::Serialize;

/// A row left out, and why (in the user's language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The row's number in the file, the heading row's and the title's counted (1-based).
    pub row: usize,
    pub why: String,
}

/// What an import read.
#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    #[serde(skip)]
    pub catalogue: Catalogue,
    /// Procedures and components read.
    pub procedures: usize,
    pub components: usize,
    /// Rows of data (below the headings) in the file.
    pub rows: usize,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Code,
    Name,
    Field,
    Level,
    ComponentCode,
    Component,
    Required,
    Certified,
}

/// The column a heading names, if any.
fn column(heading: &str) -> Option<Column> {
    let h = fold(heading);
    let h = h.as_str();
    Some(match h {
        "ma tthc" | "ma thu tuc" | "ma thu tuc hanh chinh" | "procedure code" | "code" => Column::Code,
        "ten tthc" | "ten thu tuc" | "ten thu tuc hanh chinh" | "procedure" | "procedure name" | "name" => {
            Column::Name
        }
        "linh vuc" | "field" => Column::Field,
        "cap thuc hien" | "level" => Column::Level,
        "ma thanh phan" | "ma thanh phan ho so" | "ma giay to" | "component code" => Column::ComponentCode,
        "thanh phan"
        | "thanh phan ho so"
        | "ten thanh phan"
        | "ten thanh phan ho so"
        | "ten giay to"
        | "component"
        | "component name" => Column::Component,
        "bat buoc" | "required" => Column::Required,
        "chung thuc" | "ban sao chung thuc" | "can chung thuc" | "certified" | "needs certification" => {
            Column::Certified
        }
        _ => return None,
    })
}

/// A yes/no cell; an empty one is `default`.
fn flag(cell: &str, default: bool) -> Option<bool> {
    match fold(cell).as_str() {
        "" => Some(default),
        "x" | "1" | "co" | "yes" | "true" | "bat buoc" | "y" => Some(true),
        "0" | "khong" | "no" | "false" | "n" | "khong bat buoc" => Some(false),
        _ => None,
    }
}

/// The file's rows as text cells: CSV (UTF-8, with or without a BOM; comma,
/// semicolon or tab, whichever the first line uses most) or XLSX (its first
/// sheet).
fn rows(path: &Path) -> anyhow::Result<Vec<Vec<String>>> {
    let bytes = std::fs::read(path).with_context(|| err!("file-unreadable", file = path))?;
    if bytes.starts_with(b"PK\x03\x04") {
        use calamine::{Reader, Xlsx};
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes))
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| err!("catalogue-import-unreadable", file = path))?;
        let range = book
            .worksheet_range_at(0)
            .context(err!("catalogue-import-no-sheet", file = path))?
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| err!("catalogue-import-unreadable", file = path))?;
        return Ok(range.rows().map(|row| row.iter().map(cell_text).collect()).collect());
    }
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| anyhow::anyhow!(err!("catalogue-import-not-utf8", file = path)))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.with_context(|| err!("catalogue-import-unreadable", file = path))?;
        out.push(record.iter().map(str::to_owned).collect());
    }
    Ok(out)
}

/// A spreadsheet cell as the text a person sees (a whole number without ".0").
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Reads the procedure list in `path`.
pub fn import(path: &Path) -> anyhow::Result<Imported> {
    let rows = rows(path)?;
    // The heading row: the first that names a procedure code, a name and a component.
    let Some((at, columns)) = rows.iter().enumerate().take(20).find_map(|(i, row)| {
        let columns: HashMap<Column, usize> =
            row.iter().enumerate().filter_map(|(j, h)| Some((column(h)?, j))).collect();
        let needed = [Column::Code, Column::Name, Column::Component];
        needed.iter().all(|c| columns.contains_key(c)).then_some((i, columns))
    }) else {
        bail!(err!("catalogue-import-no-headings", file = path));
    };
    let get = |row: &[String], c: Column| {
        columns.get(&c).and_then(|&j| row.get(j)).map(|v| v.trim().to_owned()).unwrap_or_default()
    };

    let mut procedures: Vec<Procedure> = Vec::new();
    // Each procedure code: where it is in `procedures`, and the row that named it first.
    let mut index: HashMap<String, (usize, usize)> = HashMap::new();
    let mut skipped = Vec::new();
    let data = &rows[at + 1..];
    for (i, row) in data.iter().enumerate() {
        let number = at + i + 2;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut skip = |why: String| skipped.push(Skipped { row: number, why });
        let code = get(row, Column::Code);
        if code.is_empty() {
            skip(msg!("catalogue-import-no-code").to_string());
            continue;
        }
        let name = get(row, Column::Name);
        let position = match index.get(&code) {
            Some(&(k, _)) => k,
            None => {
                if name.is_empty() {
                    skip(msg!("catalogue-import-no-name", code = code.as_str()).to_string());
                    continue;
                }
                index.insert(code.clone(), (procedures.len(), number));
                procedures.push(Procedure {
                    code: code.clone(),
                    name: name.clone(),
                    field: Some(get(row, Column::Field)).filter(|f| !f.is_empty()),
                    level: Some(get(row, Column::Level)).filter(|l| !l.is_empty()),
                    components: Vec::new(),
                });
                procedures.len() - 1
            }
        };
        let procedure = &mut procedures[position];
        if !name.is_empty() && fold(&name) != fold(&procedure.name) {
            skip(msg!("catalogue-import-other-name", code = code.as_str()).to_string());
            continue;
        }
        let component = get(row, Column::Component);
        if component.is_empty() {
            // The procedure's own line: nothing more to read.
            continue;
        }
        let (Some(required), Some(needs_certification)) =
            (flag(&get(row, Column::Required), true), flag(&get(row, Column::Certified), false))
        else {
            skip(msg!("catalogue-import-bad-flag").to_string());
            continue;
        };
        let given = get(row, Column::ComponentCode);
        let component_code =
            if given.is_empty() { format!("TP{}", procedure.components.len() + 1) } else { given };
        if procedure.components.iter().any(|c| c.code == component_code) {
            skip(msg!("catalogue-import-component-twice", code = component_code.as_str()).to_string());
            continue;
        }
        procedure.components.push(ComponentSpec {
            code: component_code,
            name: component,
            required,
            needs_certification,
        });
    }
    // A procedure whose components were none cannot be received at a counter.
    let (kept, empty): (Vec<Procedure>, Vec<Procedure>) =
        procedures.into_iter().partition(|p| !p.components.is_empty());
    for p in empty {
        skipped.push(Skipped {
            row: index.get(&p.code).map_or(0, |&(_, row)| row),
            why: msg!("catalogue-import-no-components", code = p.code.as_str()).to_string(),
        });
    }
    skipped.sort_by_key(|s| s.row);
    if kept.is_empty() {
        bail!(err!("catalogue-import-nothing", file = path));
    }
    let catalogue = Catalogue::new(kept);
    catalogue.validate()?;
    Ok(Imported {
        procedures: catalogue.procedures.len(),
        components: catalogue.procedures.iter().map(|p| p.components.len()).sum(),
        rows: data.iter().filter(|r| r.iter().any(|c| !c.trim().is_empty())).count(),
        skipped,
        catalogue,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_in_either_language_with_or_without_diacritics() {
        assert_eq!(column("Mã TTHC"), Some(Column::Code));
        assert_eq!(column("MA THU TUC"), Some(Column::Code));
        assert_eq!(column("Tên thủ tục hành chính"), Some(Column::Name));
        assert_eq!(column("Lĩnh vực"), Some(Column::Field));
        assert_eq!(column("Thành phần hồ sơ"), Some(Column::Component));
        assert_eq!(column("Bản sao chứng thực"), Some(Column::Certified));
        assert_eq!(column("Component code"), Some(Column::ComponentCode));
        assert_eq!(column("Ghi chú"), None);
        assert_eq!(flag("Có", false), Some(true));
        assert_eq!(flag("không", true), Some(false));
        assert_eq!(flag("", true), Some(true));
        assert_eq!(flag("có lẽ", true), None);
    }
}
