//! Printing results as Vietnamese or English text, or as JSON.

use std::cell::RefCell;
use std::io::Write;
use std::path::Path;

use clap::ValueEnum;
use hoso_core::{ImportReport, ProcessReport, RecordDetail};
use hoso_i18n::{Message, msg};
use hoso_model::{Catalogue, Record};
use serde::Serialize;

/// Writes one line of a result to the printer's writer ([`Out::line`]).
macro_rules! outln {
    ($out:expr) => {
        $out.line(format_args!(""))
    };
    ($out:expr, $($arg:tt)*) => {
        $out.line(format_args!($($arg)*))
    };
}

/// Language of text output.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Tiếng Việt.
    Vi,
    /// English.
    En,
}

/// Where and how results are printed: each answer of the CLI is a method
/// that renders a value as text in one language, or as JSON, to the writer
/// (standard output; a buffer in the tests).
pub struct Out {
    pub lang: Lang,
    pub json: bool,
    sink: RefCell<Box<dyn Write>>,
}

impl std::fmt::Debug for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Out").field("lang", &self.lang).field("json", &self.json).finish_non_exhaustive()
    }
}

impl Out {
    /// Printing to standard output.
    pub fn stdout(lang: Lang, json: bool) -> Out {
        Out::to(lang, json, std::io::stdout())
    }

    /// Printing to `w`.
    pub fn to(lang: Lang, json: bool, w: impl Write + 'static) -> Out {
        Out { lang, json, sink: RefCell::new(Box::new(w)) }
    }

    /// Writes one line of a result. When the reader has gone (`hoso
    /// procedures | head -1`) the rest has no one to read it: the program
    /// ends quietly with exit 0, as `cat` or `grep` do. Any other failure to
    /// write is reported and exits 1.
    pub fn line(&self, args: std::fmt::Arguments<'_>) {
        let mut w = self.sink.borrow_mut();
        let written = w.write_fmt(args).and_then(|()| w.write_all(b"\n")).and_then(|()| w.flush());
        if let Err(e) = written {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            eprintln!("{}", self.say(&msg!("cli-cannot-write", why = e.to_string())));
            std::process::exit(1);
        }
    }

    pub fn catalogue_lang(&self) -> hoso_i18n::Lang {
        match self.lang {
            Lang::Vi => hoso_i18n::Lang::Vi,
            Lang::En => hoso_i18n::Lang::En,
        }
    }

    /// A catalogue message in this printer's language.
    fn say(&self, m: &Message) -> String {
        m.text(self.catalogue_lang())
    }

    /// A label: a catalogue message without arguments.
    fn s(&self, id: &'static str) -> String {
        self.say(&Message::new(id))
    }

    /// Prints JSON (its texts in this printer's language) and says whether it did.
    fn json<T: Serialize>(&self, value: &T) -> bool {
        if self.json {
            let text = hoso_i18n::speaking(self.catalogue_lang(), || serde_json::to_string_pretty(value));
            outln!(self, "{}", text.expect("results serialise"));
        }
        self.json
    }

    pub fn error(&self, e: &anyhow::Error) {
        let lang = self.catalogue_lang();
        // What the catalogue holds is said in this language only.
        let chain: Vec<String> = e.chain().map(|link| hoso_i18n::localize([link], lang)).collect();
        if self.json {
            eprintln!("{}", serde_json::json!({ "error": chain }));
            return;
        }
        let mut links = chain.into_iter();
        eprintln!("{} {}", self.s("cli-error"), links.next().unwrap_or_default());
        for cause in links {
            eprintln!("  {} {cause}", self.s("cli-caused-by"));
        }
    }

    pub fn record_created(&self, r: &Record) {
        if self.json(r) {
            return;
        }
        let created = msg!(
            "cli-record-created",
            code = r.code.to_string(),
            procedure = &r.procedure,
            id = r.id.to_string()
        );
        outln!(self, "{}", self.say(&created));
    }

    pub fn record_list(&self, list: &[hoso_core::RecordSummary]) {
        if self.json(&list) {
            return;
        }
        if list.is_empty() {
            outln!(self, "{}", self.s("cli-no-records"));
        }
        for s in list {
            let state = self.say(&s.record.state.message());
            let pages = self.say(&msg!("cli-pages", pages = s.pages));
            outln!(
                self,
                "{}  {:<10} {:<16} {:>9}  {}",
                s.record.code,
                s.record.procedure,
                state,
                pages,
                s.record.applicant.name
            );
        }
    }

    pub fn record_detail(&self, d: &RecordDetail) {
        if self.json(d) {
            return;
        }
        let r = &d.record;
        outln!(self, "{}", self.say(&msg!("cli-record", code = r.code.to_string())));
        let label = |id| format!("{}:", self.s(id));
        outln!(self, "  {:<13}  {}", "id:", r.id);
        let procedure = d.procedure_name.as_deref().unwrap_or("");
        outln!(self, "  {:<13}  {} {procedure}", label("cli-label-procedure"), r.procedure);
        outln!(self, "  {:<13}  {} ({})", label("cli-label-state"), self.say(&r.state.message()), r.state);
        let received = r.received_at.format("%Y-%m-%dT%H:%M:%S%:z");
        outln!(self, "  {:<13}  {received}", label("cli-label-received"));
        let id = r.applicant.personal_id.as_ref().map(|p| p.to_string()).unwrap_or_default();
        outln!(self, "  {:<13}  {} {}", label("cli-label-applicant"), r.applicant.name, id);
        for c in &d.components {
            let req = self.s(if c.component.required { "cli-required" } else { "cli-optional" });
            outln!(
                self,
                "  [{}] {} ({}, {}): {}",
                c.component.ordinal,
                c.component.name,
                c.component.code,
                req,
                self.say(&msg!("cli-pages", pages = c.pages.len()))
            );
            for p in &c.pages {
                let dpi = p.dpi.map(|d| format!("{d:.0} dpi")).unwrap_or_else(|| "? dpi".into());
                outln!(
                    self,
                    "      {:>3}. {}×{} {dpi} {:<9} {}{}",
                    p.ordinal,
                    p.width,
                    p.height,
                    p.state.as_str(),
                    &p.source.to_hex()[..12],
                    p.note.as_deref().map(|n| format!("  ⚠ {n}")).unwrap_or_default()
                );
            }
        }
    }

    pub fn import(&self, r: &ImportReport) {
        if self.json(r) {
            return;
        }
        for f in &r.files {
            match &f.error {
                Some(e) => eprintln!("  ✗ {}", self.say(&e.0)),
                None if !f.already.is_empty() && f.added.is_empty() => {
                    outln!(self, "  = {}", self.say(&msg!("cli-import-already", file = &f.path)))
                }
                None => outln!(
                    self,
                    "  ✓ {}",
                    self.say(&msg!("cli-import-file", file = &f.path, pages = f.added.len()))
                ),
            }
        }
        let imported =
            msg!("cli-imported", pages = r.pages_added(), record = &r.record, refused = r.failed());
        outln!(self, "{}", self.say(&imported));
    }

    pub fn process(&self, r: &ProcessReport) {
        if self.json(r) {
            return;
        }
        let processed = msg!(
            "cli-processed",
            processed = r.processed,
            read = r.read,
            blank = r.blank,
            rejected = r.rejected,
            failed = r.failed
        );
        outln!(self, "{}", self.say(&processed));
        for code in &r.ready_for_review {
            outln!(self, "  {}", self.say(&msg!("cli-ready-for-review", code = code)));
        }
        for built in &r.built {
            self.build(built);
        }
        for (code, why) in &r.build_failures {
            outln!(self, "  ⚠ {}", self.say(&msg!("cli-build-failed", code = code, why = why)));
        }
    }

    pub fn texts(&self, pages: &[(hoso_model::Page, Option<hoso_core::PageText>)]) {
        if self
            .json(&pages.iter().map(|(p, t)| serde_json::json!({ "page": p, "text": t })).collect::<Vec<_>>())
        {
            return;
        }
        for (page, text) in pages {
            let number = format!("{}.{}", page.component, page.ordinal);
            outln!(self, "{}", self.say(&msg!("cli-page-heading", page = number)));
            match text {
                Some(t) => {
                    outln!(self, "{}", t.text);
                    let confidence = format!("{:.0}", t.mean_confidence);
                    outln!(
                        self,
                        "{}",
                        self.say(&msg!("cli-confidence", confidence = confidence, engine = &t.engine))
                    );
                }
                None => outln!(self, "{}", self.s("cli-no-text")),
            }
        }
    }

    pub fn texts_written(&self, n: usize, folder: &Path) {
        if self.json(&serde_json::json!({ "pages": n, "folder": folder })) {
            return;
        }
        outln!(self, "{}", self.say(&msg!("cli-texts-written", count = n, folder = folder)));
    }

    pub fn devices(
        &self,
        list: &[(hoso_scan::DeviceInfo, Result<hoso_scan::Capabilities, hoso_scan::ScanError>)],
    ) {
        let rows: Vec<_> = list
            .iter()
            .map(|(d, c)| match c {
                Ok(c) => serde_json::json!({ "device": d, "capabilities": c }),
                Err(e) => serde_json::json!({ "device": d, "error": e.to_string(), "error_code": e.code() }),
            })
            .collect();
        if self.json(&rows) {
            return;
        }
        if list.is_empty() {
            outln!(self, "{}", self.s("cli-no-scanner"));
        }
        for (d, caps) in list {
            outln!(self, "{}  {} {} ({})", d.id, d.vendor, d.model, d.kind);
            match caps {
                Ok(c) => {
                    let capabilities = msg!(
                        "cli-capabilities",
                        sources = format!("{:?}", c.sources),
                        modes = format!("{:?}", c.modes),
                        resolutions = format!("{:?}", c.resolutions),
                        width = format!("{:.0}", c.max_width_mm),
                        height = format!("{:.0}", c.max_height_mm)
                    );
                    outln!(self, "    {}", self.say(&capabilities))
                }
                Err(e) => outln!(self, "    {e}"),
            }
        }
    }

    pub fn page_left_out(&self, page: i64, out: bool) {
        if self.json(&serde_json::json!({ "page": page, "left_out": out })) {
            return;
        }
        let said =
            if out { msg!("cli-page-left-out", page = page) } else { msg!("cli-page-put-back", page = page) };
        outln!(self, "{}", self.say(&said));
    }

    /// A page stored, or the batch waiting for the next stack (with the keys:
    /// on standard error even with `--json`, whose answer is on standard output).
    pub fn scan_event(&self, e: &hoso_core::ScanEvent<'_>) {
        match e {
            hoso_core::ScanEvent::Page { .. } if self.json => {}
            hoso_core::ScanEvent::Page { n, .. } => {
                eprintln!("  {}", self.say(&msg!("cli-page-stored", page = *n)))
            }
            hoso_core::ScanEvent::Waiting { .. } => {
                eprintln!("⏸ {}", self.say(&e.message()));
                eprintln!("  {}", self.say(&msg!("cli-wait-keys")));
            }
            hoso_core::ScanEvent::Resumed { .. } => eprintln!("▶ {}", self.say(&e.message())),
            hoso_core::ScanEvent::Separator { .. }
            | hoso_core::ScanEvent::Split { .. }
            | hoso_core::ScanEvent::Record { .. } => {
                eprintln!("  ⎯ {}", self.say(&e.message()))
            }
        }
    }

    pub fn scan(&self, r: &hoso_core::ScanReport) {
        if self.json(r) {
            return;
        }
        let scanned = msg!("cli-scanned", pages = r.pages.len(), record = &r.record, device = &r.device);
        outln!(self, "{}", self.say(&scanned));
        if r.stacks > 1 {
            outln!(
                self,
                "  {}",
                self.say(&msg!("scan-stacks-done", pages = r.pages.len(), stacks = r.stacks))
            );
        }
        if let Some(d) = &r.manual_duplex {
            outln!(self, "  {}", self.say(&d.message()));
        }
        if let Some(f) = &r.failure {
            outln!(self, "  ⚠ {}", self.say(&f.message.0));
        }
    }

    pub fn watching(&self, folder: &Path) {
        if !self.json {
            eprintln!("{}", self.say(&msg!("cli-watching", folder = folder)));
        }
    }

    pub fn watched_file(&self, f: &hoso_core::FileOutcome) {
        if self.json {
            return;
        }
        match &f.error {
            Some(e) => eprintln!("  ✗ {}", self.say(&e.0)),
            None => {
                eprintln!("  ✓ {}", self.say(&msg!("cli-import-file", file = &f.path, pages = f.added.len())))
            }
        }
    }

    pub fn watch_done(&self, r: &hoso_core::WatchReport) {
        if self.json(r) {
            return;
        }
        let done = msg!("cli-watch-done", imported = r.imported.len(), rejected = r.rejected.len());
        outln!(self, "{}", self.say(&done));
    }

    pub fn card(&self, r: &hoso_ocr::CardReading) {
        let applicant = r.applicant();
        if self.json(&serde_json::json!({ "reading": r, "applicant": applicant })) {
            return;
        }
        let source = if r.qr.is_some() { "QR" } else { "MRZ" };
        match applicant {
            Some(a) => {
                outln!(self, "{}", self.say(&msg!("cli-applicant-from", source = source)));
                outln!(self, "  {}: {}", self.s("cli-label-name"), a.name);
                if let Some(id) = &a.personal_id {
                    outln!(self, "  {}: {}", self.s("cli-label-personal-id"), id.as_str());
                }
                if let Some(addr) = &a.address {
                    outln!(self, "  {}: {addr}", self.s("cli-label-address"));
                }
            }
            None => outln!(self, "{}", self.s("cli-card-unread")),
        }
        for p in &r.problems {
            outln!(self, "  ⚠ {p}");
        }
    }

    /// A chip read: the applicant it gives, how far it was verified, and why not.
    pub fn chip(&self, r: &hoso_core::ChipReading) {
        if self.json(r) {
            return;
        }
        let a = &r.applicant;
        let verdict = if r.verified() {
            msg!("cli-chip-verified", reader = r.reader.as_str())
        } else {
            msg!("cli-chip-not-verified", reader = r.reader.as_str())
        };
        outln!(self, "{}", self.say(&verdict));
        outln!(self, "  {}: {}", self.s("cli-label-name"), a.name);
        if let Some(id) = &a.personal_id {
            outln!(self, "  {}: {}", self.s("cli-label-personal-id"), id.as_str());
        }
        for (label, value) in r.details() {
            outln!(self, "  {}: {value}", self.s(label));
        }
        if let Some(p) = &r.data.portrait {
            outln!(
                self,
                "  {}: {} ({} KB)",
                self.s("cli-label-portrait"),
                p.mime,
                p.bytes.len().div_ceil(1024)
            );
        }
        outln!(self, "  {}: {}", self.s("cli-label-chip-access"), r.data.access);
        outln!(self, "  {}: {}", self.s("cli-label-passive-auth"), self.say(&r.passive_auth.message()));
        if let Some(signer) = &r.passive_auth.signer {
            outln!(self, "  {}: {signer}", self.s("cli-label-signer"));
        }
        if let Some(csca) = &r.passive_auth.csca {
            outln!(self, "  CSCA: {csca}");
        }
        for p in &r.problems {
            outln!(self, "  ⚠ {}", self.say(&p.message()));
        }
    }

    /// A chip read before a record is opened with it: shown in text; in
    /// JSON the record's applicant carries its identity check.
    pub fn chip_for_record(&self, r: &hoso_core::ChipReading) {
        if !self.json {
            self.chip(r);
        }
    }

    /// Documents already digitised for an applicant.
    pub fn reusable(&self, docs: &[hoso_sync::ReusableDocument]) {
        if self.json(&docs) {
            return;
        }
        if docs.is_empty() {
            outln!(self, "{}", self.s("reuse-none"));
            return;
        }
        outln!(self, "{}", self.say(&msg!("reuse-found", count = docs.len())));
        for d in docs {
            outln!(
                self,
                "  {} {} [{}] — {} {} ({}) {}…",
                d.component_code,
                d.component_name,
                d.role,
                d.record_code,
                d.unit,
                d.sealed_at,
                &d.sha256[..d.sha256.len().min(12)]
            );
        }
    }

    /// A document attached by reference.
    pub fn reuse_attached(&self, r: &hoso_store::Reused) {
        if self.json(r) {
            return;
        }
        let m = msg!(
            "reuse-attached",
            original = r.original_code.as_str(),
            unit = r.unit.as_str(),
            component = r.component
        );
        outln!(self, "{}", self.say(&m));
    }

    /// The card readers PC/SC knows.
    pub fn readers(&self, readers: &[String]) {
        if self.json(&readers) {
            return;
        }
        if readers.is_empty() {
            outln!(self, "{}", self.s("chip-no-reader"));
        }
        for r in readers {
            outln!(self, "{r}");
        }
    }

    pub fn build(&self, r: &hoso_core::BuildReport) {
        if self.json(r) {
            return;
        }
        outln!(self, "{}", self.say(&msg!("cli-built", record = &r.record)));
        for d in &r.documents {
            let built = msg!(
                "cli-built-document",
                file = &d.file_name,
                pages = d.pages,
                kb = d.bytes / 1024,
                per_page = d.bytes / 1024 / u64::from(d.pages.max(1)),
                blob = &d.blob[..12]
            );
            outln!(self, "  {}", self.say(&built));
        }
        if !r.empty_components.is_empty() {
            let empty = msg!("cli-empty-components", components = format!("{:?}", r.empty_components));
            outln!(self, "  {}", self.say(&empty));
        }
    }

    pub fn export(&self, r: &hoso_core::ExportReport) {
        if self.json(r) {
            return;
        }
        outln!(self, "{}", self.say(&msg!("cli-exported", record = &r.record)));
        for f in &r.files {
            outln!(self, "  {}", f.display());
        }
    }

    pub fn certify(&self, r: &hoso_core::CertifyReport) {
        if self.json(r) {
            return;
        }
        outln!(self, "{}", self.say(&msg!("cli-certified", record = &r.record)));
        for c in &r.copies {
            let copy = msg!(
                "cli-certified-copy",
                component = c.component,
                number = format!("{:02}", c.number),
                book = &c.book,
                kb = c.bytes / 1024
            );
            outln!(self, "  {}", self.say(&copy));
            match &c.validation_data {
                Some(hoso_core::ValidationData::Added) => outln!(self, "    {}", self.s("cli-ltv-added")),
                Some(hoso_core::ValidationData::Pending { missing }) => {
                    eprintln!("  ! {}", self.s("cli-ltv-pending"));
                    for m in missing {
                        eprintln!("    {}", self.say(&m.0));
                    }
                }
                None => {}
            }
        }
        for status in &r.revocation {
            if let hoso_sign::revocation::Status::Unknown { .. } = status.status {
                eprintln!("  ! {}", self.say(&status.message()));
            }
        }
    }

    pub fn verify(&self, reports: &[hoso_sign::SignatureReport]) {
        if self.json(&reports) {
            return;
        }
        if reports.is_empty() {
            outln!(self, "{}", self.s("sign-no-signature"));
        }
        let yes_no = |b: bool| self.s(if b { "cli-ok" } else { "cli-failed" });
        let field = |label: &'static str, value: &dyn std::fmt::Display| {
            outln!(self, "  {}: {value}", self.s(label));
        };
        for r in reports {
            let verdict = self.say(&r.verdict.message());
            outln!(self, "{}", self.say(&msg!("cli-signature", index = r.index, verdict = verdict)));
            field("cli-label-signer", &r.signer);
            field("cli-label-issuer", &r.issuer);
            field("cli-label-signing-time", &r.time);
            let time = self.say(&r.time_message());
            if r.timestamp_check.is_some() {
                field("cli-label-time-stamp", &time);
            } else {
                outln!(self, "  {time}");
            }
            field("cli-label-level", &self.say(&r.level_message()));
            field("cli-label-byte-range", &yes_no(r.byte_range_ok));
            if !r.byte_range_ok && r.digest_ok && r.signature_ok {
                outln!(self, "  {}", self.s("cli-byte-range-gap"));
            }
            if r.algorithm_ok || r.digest_algorithm.is_empty() {
                field("cli-label-digest", &yes_no(r.digest_ok));
            } else {
                let weak = self.say(&msg!("cli-weak-digest", algorithm = &r.digest_algorithm));
                field("cli-label-digest", &format!("{} ({weak})", yes_no(r.digest_ok)));
            }
            field("cli-label-signature-value", &yes_no(r.signature_ok));
            field("cli-label-chain", &yes_no(r.chain_ok));
            if !r.trust_path.is_empty() {
                field("cli-label-trust-path", &r.trust_path.join(" → "));
            }
            if let Some(fault) = &r.trust_problem {
                field("cli-label-reason", &self.say(&fault.message()));
            }
            for status in &r.revocation {
                field("cli-label-revocation", &self.say(&status.message()));
            }
            field("cli-label-valid-when-signed", &yes_no(r.certificate_valid));
            for change in &r.changes {
                field("cli-label-changed", &self.say(&change.message()));
            }
            if r.updated_after && r.changes.is_empty() && r.byte_range_ok {
                outln!(self, "  {}", self.s("cli-allowed-updates"));
            }
        }
    }

    pub fn book(&self, entries: &[hoso_store::BookEntry]) {
        if self.json(&entries) {
            return;
        }
        for e in entries {
            let status = match (&e.document_id, &e.void_reason) {
                (_, Some(reason)) => self.say(&msg!("cli-book-void", reason = reason)),
                (Some(d), None) => self.say(&msg!("cli-book-document", document = d.to_string())),
                (None, None) => self.s("cli-book-signing"),
            };
            outln!(
                self,
                "{:>4}  {}  {}  {}.{}  {}  {}  {status}",
                e.number,
                e.book,
                &e.created_at[..10],
                e.record,
                e.component,
                self.say(&msg!("cli-pages", pages = e.pages)),
                e.certifier
            );
        }
    }

    pub fn doctor(&self, checks: &[hoso_core::doctor::Check]) {
        if self.json(&checks) {
            return;
        }
        use hoso_core::doctor::Status;
        for c in checks {
            let mark = match c.status {
                Status::Ok => "✓",
                Status::Warn => "!",
                Status::Fail => "✗",
                Status::Skip => "-",
            };
            outln!(self, "{mark} {:<18} {}", c.name, self.say(&c.detail.0));
            if let Some(hint) = &c.hint
                && c.status != Status::Ok
            {
                outln!(self, "  {:<18} → {}", "", self.say(&hint.0));
            }
        }
        let count = |s| checks.iter().filter(|c| c.status == s).count();
        let (ok, warn, fail) = (count(Status::Ok), count(Status::Warn), count(Status::Fail));
        let summary = msg!("doctor-summary", ok = ok, warnings = warn, problems = fail);
        outln!(self, "{}", self.say(&summary));
    }

    pub fn tokens(&self, certs: &[hoso_sign::TokenCertificate]) {
        let rows: Vec<_> = certs
            .iter()
            .map(|c| serde_json::json!({ "token": c.token_label, "subject": c.subject, "fingerprint": c.fingerprint, "not_after": c.not_after }))
            .collect();
        if self.json(&rows) {
            return;
        }
        for c in certs {
            outln!(self, "{}  {}  {}", c.token_label, &c.fingerprint[..16], c.subject);
        }
    }

    pub fn sealed(&self, m: &hoso_sync::Manifest) {
        if self.json(m) {
            return;
        }
        let sealed =
            msg!("cli-sealed", code = m.code.to_string(), files = m.files.len(), digest = &m.digest()[..16]);
        outln!(self, "{}", self.say(&sealed));
    }

    pub fn sync(&self, r: &hoso_core::SyncReport) {
        if self.json(r) {
            return;
        }
        let synced = msg!(
            "cli-synced",
            synced = r.synced.len(),
            postponed = r.postponed.len(),
            rejected = r.rejected.len(),
            blobs = r.blobs_sent,
            kb = r.bytes_sent / 1024
        );
        outln!(self, "{}", self.say(&synced));
        for (code, why) in r.postponed.iter().chain(&r.rejected) {
            outln!(self, "  {code}: {why}");
        }
    }

    pub fn ledger(&self, entries: &[hoso_core::LedgerEntry]) {
        if self.json(&entries) {
            return;
        }
        for e in entries {
            let attempts = self.say(&msg!("ledger-attempts", attempts = e.attempts));
            let line = format!(
                "{}  {:<10} {attempts}  {}",
                e.record,
                e.state.as_str(),
                e.last_error.as_deref().unwrap_or("")
            );
            outln!(self, "{}", line.trim_end());
        }
    }

    pub fn accounts(&self, accounts: &[hoso_core::Account]) {
        if self.json(&accounts) {
            return;
        }
        for a in accounts {
            let off = if a.disabled { format!(" {}", self.s("cli-disabled")) } else { String::new() };
            outln!(self, "{:<16} {:<11} {}{off}", a.username, a.role.as_str(), a.display_name);
        }
    }

    pub fn device_key(&self, key: &str) {
        if self.json(&serde_json::json!({ "public_key": key })) {
            return;
        }
        outln!(self, "{key}");
    }

    pub fn procedures(&self, c: &Catalogue) {
        if self.json(c) {
            return;
        }
        for p in &c.procedures {
            outln!(self, "{}  {}", p.code, p.name);
            for (i, comp) in p.components.iter().enumerate() {
                let mut tags = Vec::new();
                if !comp.required {
                    tags.push(self.s("cli-optional"));
                }
                if comp.needs_certification {
                    tags.push(self.s("cli-needs-certification"));
                }
                let tags = if tags.is_empty() { String::new() } else { format!(" ({})", tags.join(", ")) };
                outln!(self, "    {}. [{}] {}{tags}", i + 1, comp.code, comp.name);
            }
        }
    }

    pub fn procedures_imported(&self, r: &hoso_core::catalogue::Imported, catalogue: &Path) {
        if self.json(&serde_json::json!({ "report": r, "catalogue": catalogue })) {
            return;
        }
        for s in &r.skipped {
            eprintln!("  ✗ {}", self.say(&msg!("cli-catalogue-row", row = s.row, why = s.why.as_str())));
        }
        let done = msg!(
            "cli-catalogue-imported",
            procedures = r.procedures,
            components = r.components,
            rows = r.rows,
            skipped = r.skipped.len(),
            file = catalogue
        );
        outln!(self, "{}", self.say(&done));
    }

    pub fn settings(&self, c: &hoso_core::config::Config) {
        let settings = hoso_core::settings::list(c);
        if self.json(&settings) {
            return;
        }
        let files: Vec<String> = c.files.iter().map(|f| f.display().to_string()).collect();
        let files = if files.is_empty() { "—".into() } else { files.join(", ") };
        outln!(self, "{}", self.say(&msg!("cli-files-read", files = files)));
        if let Some(user) = &c.user_file {
            outln!(self, "{}", self.say(&msg!("cli-user-file", file = user)));
        }
        let width = settings.iter().map(|s| s.key.len()).max().unwrap_or(0);
        for s in &settings {
            let value = if s.value.is_empty() { "—" } else { &s.value };
            outln!(self, "  {:width$}  {value}  [{}]", s.key, s.source.as_str());
        }
    }

    pub fn audit(&self, report: &hoso_core::AuditReport) {
        if self.json(report) {
            return;
        }
        self.audit_chain(&report.chain);
        self.audit_anchors(report);
    }

    /// Whether the chain itself holds, link by link.
    fn audit_chain(&self, v: &hoso_core::AuditVerification) {
        match &v.broken {
            None => outln!(
                self,
                "{}",
                self.say(&msg!("cli-audit-intact", entries = v.entries, head = &v.head[..16]))
            ),
            Some(b) => {
                outln!(self, "{}", self.say(&msg!("cli-audit-tampered", seq = b.seq, reason = &b.reason)))
            }
        }
    }

    /// Whether the chain still holds every head the hub's receipts anchor.
    fn audit_anchors(&self, report: &hoso_core::AuditReport) {
        match &report.lost {
            Some(lost) => {
                let after = report.last_anchored_seq.unwrap_or(0);
                let said = msg!(
                    "cli-audit-anchor-lost",
                    record = &lost.record,
                    accepted = &lost.accepted_at,
                    head = &lost.head[..16.min(lost.head.len())],
                    after = after
                );
                outln!(self, "{}", self.say(&said));
            }
            None if report.anchors > 0 => {
                let seq = report.last_anchored_seq.unwrap_or(0);
                outln!(
                    self,
                    "{}",
                    self.say(&msg!("cli-audit-anchored", anchors = report.anchors, seq = seq))
                );
            }
            None => outln!(self, "{}", self.say(&msg!("cli-audit-no-anchor"))),
        }
        if let Some(record) = &report.hub_last {
            outln!(self, "  {}", self.say(&msg!("cli-audit-hub-last", record = record)));
        }
        if report.unverified > 0 {
            outln!(self, "  ⚠ {}", self.say(&msg!("cli-audit-unverified", receipts = report.unverified)));
        }
    }

    pub fn check(&self, r: &hoso_core::CheckReport) {
        if self.json(r) {
            return;
        }
        let ok = |b: bool| if b { "ok".to_owned() } else { self.s("cli-fail") };
        outln!(self, "SQLite integrity_check: {}", r.integrity.join("; "));
        let keys = msg!("cli-foreign-keys", result = ok(r.foreign_key_violations.is_empty()));
        outln!(self, "{}", self.say(&keys));
        for v in &r.foreign_key_violations {
            outln!(self, "  {v}");
        }
        let blobs = msg!("cli-blobs-checked", checked = r.blobs_checked, bad = r.bad_blobs.len());
        outln!(self, "{}", self.say(&blobs));
        for b in &r.bad_blobs {
            outln!(self, "  {b}");
        }
        self.audit_chain(&r.audit);
        outln!(self, "{}", self.s(if r.is_ok() { "cli-store-healthy" } else { "cli-store-problems" }));
    }

    pub fn demo_result(&self, data_dir: &Path, code: &str) {
        if self.json {
            return;
        }
        outln!(self);
        outln!(self, "{}", self.say(&msg!("cli-demo-result", folder = data_dir)));
        let item = |label: &'static str, value: String| outln!(self, "  {}: {value}", self.s(label));
        item("cli-label-database", data_dir.join("hoso.db").display().to_string());
        item("cli-label-raw-pages", data_dir.join("blobs").display().to_string());
        let dir = data_dir.display();
        item("cli-label-show-again", format!("hoso --data-dir {dir} record show {code}"));
        item("cli-label-recognised-text", format!("hoso --data-dir {dir} record text {code}"));
        item("cli-label-export", data_dir.join("export").display().to_string());
    }

    /// One line per page: the transform OCR applied, its confidence and the first words.
    pub fn text_summary(&self, pages: &[(hoso_model::Page, Option<hoso_core::PageText>)]) {
        if self.json {
            return;
        }
        outln!(self, "{}", self.s("cli-ocr-heading"));
        for (page, text) in pages {
            let Some(t) = text else {
                outln!(self, "  {}.{}  —", page.component, page.ordinal);
                continue;
            };
            let rotation = t.layout.upright.rotation;
            let skew = t.layout.upright.skew_deg;
            let words = t.layout.words.len();
            let first: String = t.text.lines().next().unwrap_or("").chars().take(48).collect();
            let words = self.say(&msg!("cli-words", words = words));
            outln!(
                self,
                "  {}.{}  {rotation:>3}° {skew:+.1}°  {:>3.0}/100  {words:>7}  «{first}»",
                page.component,
                page.ordinal,
                t.mean_confidence,
            );
        }
    }
}

#[cfg(test)]
mod snapshots;
