//! Exporting a record for hand-over: the newest document of each component as
//! `<mã hồ sơ>.<ordinal>.pdf` and the record's metadata as `<mã hồ sơ>.xml` with
//! the fields of Decree 30/2020 appendix VI (record: OrganId, FileCatalog,
//! FileNotation, Title; per document: DocOrdinal, TypeName, CodeNumber,
//! CodeNotation, IssuedDate, OrganName, Subject, Language, PageAmount,
//! Description, SignerInfo). Fields the intake cannot know (the number and date
//! printed on the citizen's paper) are written empty for the archivist.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use hoso_store::DocumentKind;
use serde::Serialize;

use crate::App;

/// What [`App::export`] wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportReport {
    pub record: String,
    pub files: Vec<PathBuf>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

impl App {
    /// Writes the record's documents and metadata into `dir` (created if needed).
    pub fn export(&self, key: &str, dir: &Path) -> anyhow::Result<ExportReport> {
        self.require_signed_in()?;
        let record = self.store.record(key)?;
        let documents = self.store.documents(&record.id)?;
        if documents.is_empty() {
            bail!(hoso_i18n::err!("record-no-documents", record = record.code.to_string()));
        }
        std::fs::create_dir_all(dir).with_context(|| hoso_i18n::err!("file-cannot-create", folder = dir))?;
        let components = self.store.components(&record.id)?;
        let organ = self.config.agency.clone().unwrap_or_else(|| record.code.unit().to_string());
        let procedure =
            self.config.catalogue.get(&record.procedure).map(|p| p.name.clone()).unwrap_or_default();
        let mut report = ExportReport { record: record.code.to_string(), files: Vec::new() };
        let mut docs_xml = String::new();
        for c in &components {
            // A certified copy, when there is one, is what leaves the counter.
            let Some(doc) = documents
                .iter()
                .filter(|d| d.component == c.ordinal)
                .max_by_key(|d| (d.kind == DocumentKind::Certified, d.id))
            else {
                continue;
            };
            let name = format!("{}.{}.pdf", record.code, c.ordinal);
            let bytes = self.store.blobs().read(&doc.blob)?;
            let path = dir.join(&name);
            std::fs::write(&path, &bytes)
                .with_context(|| hoso_i18n::err!("file-cannot-write", file = &path))?;
            report.files.push(path);
            docs_xml.push_str(&format!(
                "    <Document>\n      <DocOrdinal>{}</DocOrdinal>\n      <TypeName>{}</TypeName>\n      <CodeNumber></CodeNumber>\n      <CodeNotation></CodeNotation>\n      <IssuedDate></IssuedDate>\n      <OrganName></OrganName>\n      <Subject>{}</Subject>\n      <Language>vi</Language>\n      <PageAmount>{}</PageAmount>\n      <Description>{}</Description>\n      <SignerInfo></SignerInfo>\n      <FileName>{}</FileName>\n      <Sha256>{}</Sha256>\n    </Document>\n",
                c.ordinal,
                esc(&c.name),
                esc(&c.name),
                doc.pages,
                // The national format names the kind in Vietnamese.
                esc(&if doc.kind == DocumentKind::Certified {
                    hoso_i18n::msg!("document-kind-certified")
                } else {
                    hoso_i18n::msg!("document-kind-digitised")
                }
                .text(hoso_i18n::Lang::Vi)),
                esc(&name),
                doc.blob.to_hex(),
            ));
        }
        let received = record.received_at.format("%Y").to_string();
        let identity = identity_xml(&record.applicant.identity);
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HoSo>\n  <OrganId>{}</OrganId>\n  <OrganName>{}</OrganName>\n  <FileCatalog>{received}</FileCatalog>\n  <FileNotation>{}</FileNotation>\n  <Title>{}</Title>\n  <ProcedureCode>{}</ProcedureCode>\n  <Applicant>{}</Applicant>\n{identity}  <ReceivedAt>{}</ReceivedAt>\n  <Documents>\n{docs_xml}  </Documents>\n</HoSo>\n",
            esc(&record.code.unit().to_string()),
            esc(&organ),
            esc(&record.code.to_string()),
            esc(&procedure),
            esc(&record.procedure),
            esc(&record.applicant.name),
            record.received_at.format("%Y-%m-%dT%H:%M:%S%:z"),
        );
        let xml_path = dir.join(format!("{}.xml", record.code));
        std::fs::write(&xml_path, xml)
            .with_context(|| hoso_i18n::err!("file-cannot-write", file = &xml_path))?;
        report.files.push(xml_path);
        Ok(report)
    }
}

/// How the applicant's identity was established, as the export's
/// `<ApplicantIdentity>` element.
fn identity_xml(i: &hoso_model::IdentityCheck) -> String {
    let mut attrs = format!(" source=\"{}\" verified=\"{}\"", i.source.as_str(), i.verified);
    if let Some(pa) = &i.passive_auth {
        attrs.push_str(&format!(" passiveAuthentication=\"{}\"", esc(pa)));
    }
    if let Some(at) = i.checked_at {
        attrs.push_str(&format!(" checkedAt=\"{}\"", at.format("%Y-%m-%dT%H:%M:%S%:z")));
    }
    let mut inner = String::new();
    for (tag, value) in [("Signer", &i.signer), ("Csca", &i.csca)] {
        if let Some(v) = value {
            inner.push_str(&format!("    <{tag}>{}</{tag}>\n", esc(v)));
        }
    }
    if let Some(expiry) = i.card_expiry {
        inner.push_str(&format!("    <CardExpiry>{}</CardExpiry>\n", expiry.format("%Y-%m-%d")));
    }
    for p in &i.problems {
        inner.push_str(&format!("    <Problem>{}</Problem>\n", esc(p)));
    }
    if inner.is_empty() {
        format!("  <ApplicantIdentity{attrs}/>\n")
    } else {
        format!("  <ApplicantIdentity{attrs}>\n{inner}  </ApplicantIdentity>\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identity_element_says_how_the_applicant_was_established() {
        let typed = identity_xml(&hoso_model::IdentityCheck::default());
        assert_eq!(typed, "  <ApplicantIdentity source=\"typed\" verified=\"false\"/>\n");
        let chip = hoso_model::IdentityCheck {
            source: hoso_model::IdentitySource::Chip,
            verified: false,
            passive_auth: Some("passed".into()),
            signer: Some("CN=Document Signer <1>".into()),
            card_expiry: chrono::NaiveDate::from_ymd_opt(2020, 7, 4),
            problems: vec!["expired".into()],
            ..Default::default()
        };
        let xml = identity_xml(&chip);
        assert!(xml.contains("source=\"chip\" verified=\"false\" passiveAuthentication=\"passed\""), "{xml}");
        assert!(xml.contains("<Signer>CN=Document Signer &lt;1&gt;</Signer>"), "{xml}");
        assert!(
            xml.contains("<CardExpiry>2020-07-04</CardExpiry>") && xml.contains("<Problem>expired</Problem>"),
            "{xml}"
        );
    }
}
