//! Certifying electronic copies (chứng thực bản sao điện tử từ bản chính) and
//! verifying signed files.
//!
//! For each component to certify: the newest PDF/A of the component gets the next
//! number of the year's certification book; the certifier signs it with the
//! statement on the last page ("Chứng thực bản sao đúng với bản chính." / "Số
//! chứng thực: … Quyển số: … SCT/BS" / date / title / name); then the agency's
//! certificate signs the digitised-copy mark top-right of page 1 ("SAO Y",
//! agency, time +07:00). Both by incremental update; the signed PDF is stored as
//! a `certified` document and linked from the book. A failure voids the number
//! (kept in the book with the reason) and leaves the PDF/A as it was.
//!
//! A batch of records is one login on the token ([`App::certify_batch`]): both
//! keys are opened once, before any number is taken, and the token is logged
//! out when the batch ends, however it ends.
//!
//! Before any number is taken, both certificates are checked as Circular
//! 15/2025/TT-BKHCN asks of signing software: a path to the configured roots
//! and, for each certificate of it, revocation (OCSP, CRLs; what was fetched is
//! kept in `revocation/` of the store for offline use, where IT may also put
//! CRLs). A revoked certificate stops the batch; one whose revocation no source
//! could answer (the counter offline, nothing kept) is certified and the report
//! says so, so that validation data can be added when the counter is online.
//!
//! With a TSA (`tsa_url`) and roots configured, each certified copy gets the
//! validation data of PAdES B-LT right after it is signed (the paths'
//! certificates and the OCSP responses or CRLs that answered for them, in a
//! DSS by incremental update: [`hoso_sign::ltv`]), so that it verifies years
//! later without asking anyone. When something cannot be had then (a
//! revocation server down, the counter offline) the copy is stored as signed
//! and the report says what is missing; sealing tries again
//! ([`App::complete_validation_data`]).

use std::path::Path;

use anyhow::{Context, bail};
use hoso_i18n::{Arg, Localized, err, msg};
use hoso_model::RecordState;
use hoso_pdf::FontFile;
use hoso_sign::ltv::Missing;
use hoso_sign::revocation::{Overall, overall};
use hoso_sign::{
    Appearance, CertStatus, Ltv, Pin, Revocation, SignatureInfo, SignatureReport, Signer, TokenLogin,
    TokenSigner, TrustRoots, add_validation_data, sign_pdf,
};
use hoso_store::{DocumentKind, NewDocument, StateChange};
use serde::Serialize;

use crate::{App, now};

/// Who certifies and with what.
#[derive(Debug)]
pub struct CertifyRequest {
    /// PIN of the token (one PIN for the batch; `Debug` shows no digit).
    pub pin: Pin,
    /// Certifier's full name and title as printed in the statement.
    pub certifier_name: String,
    pub certifier_title: String,
    /// SHA-256 fingerprint (or its start) of the certifier's certificate; the
    /// token's only certificate when absent (required when it holds several).
    pub certificate: Option<String>,
    /// Components to certify; those the procedure marks when absent.
    pub components: Option<Vec<u16>>,
}

/// One certified copy.
#[derive(Debug, Clone, Serialize)]
pub struct CertifiedCopy {
    pub component: u16,
    pub number: u32,
    pub book: String,
    pub document: i64,
    pub bytes: u64,
    /// Whether it carries PAdES B-LT validation data; none when no TSA or
    /// roots are configured.
    pub validation_data: Option<ValidationData>,
}

/// Whether a certified copy carries the validation data of PAdES B-LT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ValidationData {
    /// It does: it verifies without asking anyone.
    Added,
    /// Not yet, and why; sealing the record tries again.
    Pending { missing: Vec<Missing> },
}

/// Outcome of [`App::certify`].
#[derive(Debug, Clone, Serialize)]
pub struct CertifyReport {
    pub record: String,
    pub copies: Vec<CertifiedCopy>,
    /// The revocation status of each certificate of both signers' paths,
    /// checked before the batch.
    pub revocation: Vec<CertStatus>,
}

fn pdf_time(t: chrono::DateTime<chrono::FixedOffset>) -> String {
    let offset = t.offset().local_minus_utc();
    format!(
        "{}{}{:02}'{:02}'",
        t.format("D:%Y%m%d%H%M%S"),
        if offset < 0 { '-' } else { '+' },
        offset.abs() / 3600,
        offset.abs() % 3600 / 60
    )
}

impl App {
    fn open_token(&self, login: &TokenLogin, fingerprint: Option<&str>) -> anyhow::Result<TokenSigner> {
        let mut signer = login.signer(fingerprint, vec![])?;
        if self.config.rsa_pss {
            signer.use_pss();
        }
        Ok(signer)
    }

    /// The agency's key: a PKCS#12 file when configured, else its certificate on the token.
    fn open_agency(&self, login: &TokenLogin) -> anyhow::Result<Box<dyn Signer>> {
        if let Some(p12) = &self.config.agency_pkcs12 {
            let password = std::env::var("HOSO_AGENCY_P12_PASSWORD")
                .map_err(|_| err!("certify-agency-password", file = p12))?;
            return Ok(Box::new(hoso_sign::FileSigner::open(p12, &password, self.config.rsa_pss)?));
        }
        let fingerprint = self.config.agency_certificate.clone().context(err!("certify-no-agency-key"))?;
        Ok(Box::new(self.open_token(login, Some(&fingerprint))?))
    }

    /// Certifies one record's components: a batch of one.
    pub fn certify(&mut self, key: &str, req: &CertifyRequest) -> anyhow::Result<CertifyReport> {
        let mut report = None;
        self.certify_batch(&[key], req, |r| report = Some(r.clone()))?;
        report.context("no report")
    }

    /// Certifies the records one after the other under one login on the token,
    /// giving each record's report to `done` as it is certified; stops at the
    /// first record that fails (its error names the record).
    pub fn certify_batch(
        &mut self,
        keys: &[&str],
        req: &CertifyRequest,
        mut done: impl FnMut(&CertifyReport),
    ) -> anyhow::Result<()> {
        self.require_certifier()?;
        // Open both keys first: a wrong PIN, a busy token or a missing
        // certificate stops before any number is taken from the book.
        let login =
            TokenLogin::open(&self.config.pkcs11_module, self.config.token_label.as_deref(), &req.pin)?;
        let mut certifier = self.open_token(&login, req.certificate.as_deref())?;
        let mut agency = self.open_agency(&login)?;
        // With roots configured, both certificates must have a path to them
        // and none of its certificates may be revoked, checked once for the
        // batch, like the PIN.
        let mut revocation = Vec::new();
        if let Some(path) = &self.config.trust_roots {
            let roots = read_roots(path)?;
            let (sources, at) = (self.revocation(), now().timestamp());
            let signers: [&dyn Signer; 2] = [&certifier, &*agency];
            for signer in signers {
                let cert = signer.certificate();
                let path = roots.path(cert, signer.chain(), at).map_err(|fault| {
                    err!("certify-untrusted", subject = cert.subject_name(), why = fault.message())
                })?;
                let statuses = sources.check_path(&path, at, None);
                if overall(&statuses, None) == Overall::Revoked {
                    let revoked: Vec<_> = statuses
                        .iter()
                        .filter(|s| matches!(s.status, hoso_sign::revocation::Status::Revoked { .. }))
                        .map(CertStatus::message)
                        .collect();
                    bail!(err!("certify-revoked", why = Arg::list(revoked, "; ")));
                }
                revocation.extend(statuses);
            }
        }
        for key in keys {
            let mut report = self
                .certify_record(key, req, &mut certifier, agency.as_mut())
                .with_context(|| key.to_string())?;
            report.revocation = revocation.clone();
            done(&report);
        }
        Ok(())
    }

    /// Where revocation information comes from: the certificates' own
    /// addresses, and the store's `revocation/` folder (kept answers, CRLs IT put there).
    pub fn revocation(&self) -> Revocation {
        revocation(&self.config)
    }

    /// Certifies the record's components; see the module documentation.
    fn certify_record(
        &mut self,
        key: &str,
        req: &CertifyRequest,
        certifier: &mut TokenSigner,
        agency: &mut dyn Signer,
    ) -> anyhow::Result<CertifyReport> {
        let record = self.store.record(key)?;
        if !matches!(record.state, RecordState::Review | RecordState::Certification) {
            bail!(err!(
                "state-wrong-for-certify",
                record = record.code.to_string(),
                state = record.state.message()
            ));
        }
        let agency_name = self.config.agency.clone().unwrap_or_else(|| record.code.unit().to_string());
        let font = FontFile::load(&self.config.font)?;
        let documents = self.store.documents(&record.id)?;
        let components = self.store.components(&record.id)?;
        let wanted: Vec<u16> = match &req.components {
            Some(list) => list.clone(),
            None => components.iter().filter(|c| c.needs_certification).map(|c| c.ordinal).collect(),
        };
        if wanted.is_empty() {
            bail!(err!("certify-nothing-needed"));
        }
        let at = now();
        for cert in [certifier.certificate(), agency.certificate()] {
            cert.check_valid_at(at.timestamp())?;
        }
        if record.state == RecordState::Review {
            self.store.set_state(
                &record.id,
                &StateChange {
                    from: RecordState::Review,
                    to: RecordState::Certification,
                    reason: None,
                    actor: self.actor.name(),
                    now: at,
                },
            )?;
        }
        let mut report =
            CertifyReport { record: record.code.to_string(), copies: Vec::new(), revocation: Vec::new() };
        for ordinal in wanted {
            let doc = documents
                .iter()
                .filter(|d| d.component == ordinal && d.kind == DocumentKind::Pdfa)
                .max_by_key(|d| d.id)
                .with_context(|| err!("certify-no-pdfa", component = ordinal))?;
            let pdf = self.store.blobs().read(&doc.blob)?;
            let entry = self.store.reserve_certification(
                &record.id,
                ordinal,
                doc.pages,
                &req.certifier_name,
                now(),
            )?;
            let signed_at = now();
            let result = (|| -> anyhow::Result<Vec<u8>> {
                // The statement the law prescribes, in Vietnamese whatever
                // language the supervisor reads the app in.
                let vi = |m: hoso_i18n::Message| m.text(hoso_i18n::Lang::Vi);
                let statement = Appearance {
                    page: 0,
                    lines: vec![
                        vi(msg!("certificate-statement")),
                        vi(msg!(
                            "certificate-number",
                            number = format!("{:02}", entry.number),
                            book = &entry.book
                        )),
                        vi(msg!(
                            "certificate-date",
                            day = signed_at.format("%d").to_string(),
                            month = signed_at.format("%-m").to_string(),
                            year = signed_at.format("%Y").to_string()
                        )),
                        req.certifier_title.clone(),
                        req.certifier_name.clone(),
                    ],
                    size: 10.0,
                    top: false,
                };
                let info = SignatureInfo {
                    field: format!("ChungThuc{}", entry.number),
                    name: req.certifier_name.clone(),
                    reason: vi(msg!("certificate-reason")),
                    location: agency_name.clone(),
                    time: pdf_time(signed_at),
                };
                let tsa = self.config.tsa_url.as_deref();
                let once = sign_pdf(&pdf, certifier, &info, &statement, &font, signed_at.timestamp(), tsa)?;
                let mark_time = now();
                let mark = Appearance {
                    page: 1,
                    lines: vec![
                        "SAO Y".into(),
                        agency_name.clone(),
                        mark_time.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                    ],
                    size: 10.0,
                    top: true,
                };
                let agency_info = SignatureInfo {
                    field: format!("SaoY{}", entry.number),
                    name: agency_name.clone(),
                    reason: "SAO Y".into(),
                    location: agency_name.clone(),
                    time: pdf_time(mark_time),
                };
                Ok(sign_pdf(&once, agency, &agency_info, &mark, &font, mark_time.timestamp(), tsa)?)
            })();
            let signed = match result {
                Ok(signed) => signed,
                Err(e) => {
                    self.store.void_certification(entry.id, &e.to_string(), self.actor.name(), now())?;
                    return Err(e.context(err!("certify-voided", number = entry.number)));
                }
            };
            // The signatures are made and the number taken: missing
            // validation data never undoes them.
            let (signed, validation_data) = match self.validation_data(&signed) {
                Some((Some(lt), status)) => (lt, Some(status)),
                Some((None, status)) => (signed, Some(status)),
                None => (signed, None),
            };
            let blob = self.store.blobs().put(&signed)?;
            let document = self.store.add_document(&NewDocument {
                record: &record.id,
                component: ordinal,
                blob: &blob,
                size: signed.len() as u64,
                pages: doc.pages,
                kind: DocumentKind::Certified,
                actor: self.actor.name(),
                now: now(),
            })?;
            self.store.complete_certification(entry.id, document, self.actor.name(), now())?;
            report.copies.push(CertifiedCopy {
                component: ordinal,
                number: entry.number,
                book: entry.book.clone(),
                document,
                bytes: signed.len() as u64,
                validation_data,
            });
        }
        Ok(report)
    }

    /// The roots validation data is judged against: `trust_roots`, when a TSA
    /// is configured too (B-LT needs both); else none is added.
    pub(crate) fn ltv_roots(&self) -> Option<&Path> {
        self.config.tsa_url.as_ref()?;
        self.config.trust_roots.as_deref()
    }

    /// The validation data of PAdES B-LT for a certified `pdf`, when a TSA and
    /// roots are configured (else `None`): the file with it when it was added
    /// now, and whether the copy has it.
    pub(crate) fn validation_data(&self, pdf: &[u8]) -> Option<(Option<Vec<u8>>, ValidationData)> {
        let path = self.ltv_roots()?;
        let outcome = read_roots(path)
            .and_then(|roots| Ok(add_validation_data(pdf, &roots, &self.revocation(), now().timestamp())?));
        Some(match outcome {
            Ok(Ltv::Added { pdf, .. }) => (Some(pdf), ValidationData::Added),
            Ok(Ltv::Present) => (None, ValidationData::Added),
            Ok(Ltv::Incomplete(missing)) => (None, ValidationData::Pending { missing }),
            Err(e) => (None, ValidationData::Pending { missing: vec![Localized::from(format!("{e:#}"))] }),
        })
    }

    /// Verifies the signatures of a PDF file against the configured roots
    /// (`trust_roots`) or `roots` when given.
    pub fn verify_file(&self, file: &Path, roots: Option<&Path>) -> anyhow::Result<Vec<SignatureReport>> {
        self.require_signed_in()?;
        let pdf = std::fs::read(file).with_context(|| err!("file-unreadable", file = file))?;
        self.verify_bytes(&pdf, roots)
    }

    /// Verifies the signatures of a PDF's bytes (a file picked in the window),
    /// as [`App::verify_file`] does.
    pub fn verify_bytes(&self, pdf: &[u8], roots: Option<&Path>) -> anyhow::Result<Vec<SignatureReport>> {
        self.require_signed_in()?;
        let roots = roots_or_none(roots.or(self.config.trust_roots.as_deref()))?;
        Ok(hoso_sign::verify_pdf(pdf, &roots, &self.revocation(), now().timestamp())?)
    }

    /// Whether record `key` waits for a supervisor: one of its components
    /// needs a certified copy, has processed pages and a current PDF/A, and
    /// has no [`current_certified`] copy, which sealing would ask for.
    pub fn waits_for_certification(&self, key: &str) -> anyhow::Result<bool> {
        self.require_signed_in()?;
        let detail = self.record_detail(key)?;
        let documents = self.store.documents(&detail.record.id)?;
        Ok(detail.components.iter().any(|c| {
            let ordinal = c.component.ordinal;
            let has_pages = c.pages.iter().any(|p| p.state == hoso_model::PageState::Processed);
            c.component.needs_certification
                && has_pages
                && pdfa_of(&documents, ordinal).is_some_and(|p| !p.stale)
                && current_certified(&documents, ordinal).is_none()
        }))
    }
}

/// See [`App::revocation`].
pub(crate) fn revocation(config: &crate::config::Config) -> Revocation {
    Revocation::new(Some(config.data_dir.join("revocation")), true)
}

/// The trusted roots of a bundle IT configured (PEM, DER or .p7b).
pub fn read_roots(path: &Path) -> anyhow::Result<TrustRoots> {
    let bytes = std::fs::read(path).with_context(|| err!("file-unreadable", file = path))?;
    TrustRoots::from_bundle(&bytes).with_context(|| format!("{}", path.display()))
}

/// The PDF/A of component `ordinal` among a record's documents.
pub(crate) fn pdfa_of(documents: &[hoso_store::Document], ordinal: u16) -> Option<&hoso_store::Document> {
    documents.iter().find(|d| d.component == ordinal && d.kind == DocumentKind::Pdfa)
}

/// The certified copy of component `ordinal` that shows its pages as they
/// are now: newer than the component's PDF/A and not stale. Sealing puts it
/// in the manifest; a component that needs certification and has none waits
/// for a supervisor ([`App::waits_for_certification`]).
pub fn current_certified(documents: &[hoso_store::Document], ordinal: u16) -> Option<&hoso_store::Document> {
    let pdfa = pdfa_of(documents, ordinal);
    documents
        .iter()
        .find(|d| d.component == ordinal && d.kind == DocumentKind::Certified)
        .filter(|d| pdfa.is_some_and(|p| d.id > p.id) && !d.stale)
}

/// The roots of the bundle at `path`, or none (every path untrusted) without one.
pub(crate) fn roots_or_none(path: Option<&Path>) -> anyhow::Result<TrustRoots> {
    path.map_or_else(|| Ok(TrustRoots::default()), read_roots)
}
