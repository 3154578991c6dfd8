//! Printing results as Vietnamese or English text, or as JSON.

use std::cell::RefCell;
use std::io::Write;
use std::path::Path;

use clap::ValueEnum;
use hoso_core::{ImportReport, ProcessReport, RecordDetail};
use hoso_i18n::Message;
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
            eprintln!("hoso: không ghi được kết quả / cannot write the result: {e}");
            std::process::exit(1);
        }
    }

    fn catalogue_lang(&self) -> hoso_i18n::Lang {
        match self.lang {
            Lang::Vi => hoso_i18n::Lang::Vi,
            Lang::En => hoso_i18n::Lang::En,
        }
    }

    /// A catalogue message in this printer's language.
    fn say(&self, m: &Message) -> String {
        m.text(self.catalogue_lang())
    }

    fn t<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// Prints JSON and says whether it did.
    fn json<T: Serialize>(&self, value: &T) -> bool {
        if self.json {
            outln!(self, "{}", serde_json::to_string_pretty(value).expect("results serialise"));
        }
        self.json
    }

    pub fn error(&self, e: &anyhow::Error) {
        if self.json {
            let chain: Vec<String> = e.chain().map(ToString::to_string).collect();
            eprintln!("{}", serde_json::json!({ "error": chain }));
            return;
        }
        // What the catalogue holds is said in this language only.
        let mut links = e.chain().map(|link| hoso_i18n::localize([link], self.catalogue_lang()));
        eprintln!("{} {}", self.t("Lỗi:", "Error:"), links.next().unwrap_or_default());
        for cause in links {
            eprintln!("  {} {cause}", self.t("do:", "caused by:"));
        }
    }

    pub fn record_created(&self, r: &Record) {
        if self.json(r) {
            return;
        }
        outln!(self, "{} {} ({}, {})", self.t("Đã mở hồ sơ", "Opened record"), r.code, r.procedure, r.id);
    }

    pub fn record_list(&self, list: &[hoso_core::RecordSummary]) {
        if self.json(&list) {
            return;
        }
        if list.is_empty() {
            outln!(self, "{}", self.t("Chưa có hồ sơ nào.", "No records yet."));
        }
        for s in list {
            let state = match self.lang {
                Lang::Vi => s.record.state.label_vi().to_owned(),
                Lang::En => s.record.state.to_string(),
            };
            outln!(
                self,
                "{}  {:<10} {:<16} {:>3} {}  {}",
                s.record.code,
                s.record.procedure,
                state,
                s.pages,
                self.t("trang", "pages"),
                s.record.applicant.name
            );
        }
    }

    pub fn record_detail(&self, d: &RecordDetail) {
        if self.json(d) {
            return;
        }
        let r = &d.record;
        outln!(self, "{} {}", self.t("Hồ sơ", "Record"), r.code);
        outln!(self, "  id:            {}", r.id);
        outln!(
            self,
            "  {}  {} {}",
            self.t("thủ tục:     ", "procedure:   "),
            r.procedure,
            d.procedure_name.as_deref().unwrap_or("")
        );
        outln!(self, "  {}  {} ({})", self.t("trạng thái:  ", "state:       "), r.state.label_vi(), r.state);
        outln!(
            self,
            "  {}  {}",
            self.t("tiếp nhận:   ", "received:    "),
            r.received_at.format("%Y-%m-%dT%H:%M:%S%:z")
        );
        let id = r.applicant.personal_id.as_ref().map(|p| p.to_string()).unwrap_or_default();
        outln!(self, "  {}  {} {}", self.t("người nộp:   ", "applicant:   "), r.applicant.name, id);
        for c in &d.components {
            let req = if c.component.required {
                self.t("bắt buộc", "required")
            } else {
                self.t("không bắt buộc", "optional")
            };
            outln!(
                self,
                "  [{}] {} ({}, {}): {} {}",
                c.component.ordinal,
                c.component.name,
                c.component.code,
                req,
                c.pages.len(),
                self.t("trang", "pages")
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
            match (&f.error_vi, &f.error_en) {
                (Some(vi), Some(en)) => eprintln!("  ✗ {}", self.t(vi, en)),
                _ if !f.already.is_empty() && f.added.is_empty() => outln!(
                    self,
                    "  = {} {}",
                    f.path.display(),
                    self.t("đã có trong hồ sơ, bỏ qua", "already in the record, skipped")
                ),
                _ => {
                    outln!(self, "  ✓ {} ({} {})", f.path.display(), f.added.len(), self.t("trang", "pages"))
                }
            }
        }
        outln!(
            self,
            "{} {} {} {}; {} {}",
            self.t("Đã nhập", "Imported"),
            r.pages_added(),
            self.t("trang vào hồ sơ", "pages into record"),
            r.record,
            r.failed(),
            self.t("tệp bị từ chối", "files refused")
        );
    }

    pub fn process(&self, r: &ProcessReport) {
        if self.json(r) {
            return;
        }
        outln!(
            self,
            "{} {} {}: {} {}, {} {}, {} {}, {} {}",
            self.t("Đã xử lý", "Processed"),
            r.processed,
            self.t("trang", "pages"),
            r.read,
            self.t("đã nhận dạng chữ", "read by OCR"),
            r.blank,
            self.t("trang trắng cần kiểm tra", "blank pages to check"),
            r.rejected,
            self.t("bị loại (dưới 200 dpi, quét lại)", "rejected (below 200 dpi, rescan)"),
            r.failed,
            self.t("lỗi", "failed")
        );
        for code in &r.ready_for_review {
            outln!(self, "  {} {code}", self.t("Chờ kiểm tra:", "Ready for review:"));
        }
    }

    pub fn texts(&self, pages: &[(hoso_model::Page, Option<hoso_core::PageText>)]) {
        if self
            .json(&pages.iter().map(|(p, t)| serde_json::json!({ "page": p, "text": t })).collect::<Vec<_>>())
        {
            return;
        }
        for (page, text) in pages {
            outln!(self, "── {} {}.{} ──", self.t("Trang", "Page"), page.component, page.ordinal);
            match text {
                Some(t) => {
                    outln!(self, "{}", t.text);
                    outln!(
                        self,
                        "({} {:.0}/100, {})",
                        self.t("độ tin cậy", "confidence"),
                        t.mean_confidence,
                        t.engine
                    );
                }
                None => outln!(self, "({})", self.t("không có chữ được nhận dạng", "no recognised text")),
            }
        }
    }

    pub fn texts_written(&self, n: usize, folder: &Path) {
        if self.json(&serde_json::json!({ "pages": n, "folder": folder })) {
            return;
        }
        outln!(
            self,
            "{} {n} {} {}",
            self.t("Đã ghi", "Wrote"),
            self.t("tệp văn bản vào", "text files to"),
            folder.display()
        );
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
            outln!(self, "{}", self.t("Không thấy máy quét nào.", "No scanner found."));
        }
        for (d, caps) in list {
            outln!(self, "{}  {} {} ({})", d.id, d.vendor, d.model, d.kind);
            match caps {
                Ok(c) => outln!(
                    self,
                    "    {}: {:?}; {}: {:?}; dpi: {:?}; {} {:.0}×{:.0} mm",
                    self.t("nguồn giấy", "sources"),
                    c.sources,
                    self.t("chế độ màu", "modes"),
                    c.modes,
                    c.resolutions,
                    self.t("vùng quét tối đa", "max area"),
                    c.max_width_mm,
                    c.max_height_mm
                ),
                Err(e) => outln!(self, "    {e}"),
            }
        }
    }

    pub fn scan_progress(&self, n: usize) {
        if !self.json {
            eprintln!("  {} {n} {}", self.t("trang", "page"), self.t("đã lưu", "stored"));
        }
    }

    pub fn scan(&self, r: &hoso_core::ScanReport) {
        if self.json(r) {
            return;
        }
        outln!(
            self,
            "{} {} {} {} {} ({})",
            self.t("Đã quét", "Scanned"),
            r.pages.len(),
            self.t("trang vào hồ sơ", "pages into record"),
            r.record,
            self.t("từ", "from"),
            r.device
        );
        if let Some(f) = &r.failure {
            outln!(self, "  ⚠ {}", f.message);
        }
    }

    pub fn watching(&self, folder: &Path) {
        if !self.json {
            eprintln!("{} {}", self.t("Đang theo dõi thư mục", "Watching folder"), folder.display());
        }
    }

    pub fn watched_file(&self, f: &hoso_core::FileOutcome) {
        if self.json {
            return;
        }
        match (&f.error_vi, &f.error_en) {
            (Some(vi), Some(en)) => eprintln!("  ✗ {}", self.t(vi, en)),
            _ => eprintln!("  ✓ {} ({} {})", f.path.display(), f.added.len(), self.t("trang", "pages")),
        }
    }

    pub fn watch_done(&self, r: &hoso_core::WatchReport) {
        if self.json(r) {
            return;
        }
        outln!(
            self,
            "{} {}, {} {}",
            self.t("Đã nhập", "Imported"),
            r.imported.len(),
            self.t("tệp bị từ chối", "files rejected"),
            r.rejected.len()
        );
    }

    pub fn card(&self, r: &hoso_ocr::CardReading) {
        let applicant = r.applicant();
        if self.json(&serde_json::json!({ "reading": r, "applicant": applicant })) {
            return;
        }
        let source = if r.qr.is_some() { "QR" } else { "MRZ" };
        match applicant {
            Some(a) => {
                outln!(self, "{} ({source}):", self.t("Người nộp", "Applicant"));
                outln!(self, "  {}: {}", self.t("họ tên", "name"), a.name);
                if let Some(id) = &a.personal_id {
                    outln!(self, "  {}: {}", self.t("số định danh", "personal ID"), id.as_str());
                }
                if let Some(addr) = &a.address {
                    outln!(self, "  {}: {addr}", self.t("địa chỉ", "address"));
                }
            }
            None => outln!(self, "{}", self.t("Không đọc được thẻ.", "The card could not be read.")),
        }
        for p in &r.problems {
            outln!(self, "  ⚠ {p}");
        }
    }

    pub fn build(&self, r: &hoso_core::BuildReport) {
        if self.json(r) {
            return;
        }
        outln!(self, "{} {}:", self.t("Đã dựng PDF/A cho hồ sơ", "Built PDF/A for record"), r.record);
        for d in &r.documents {
            outln!(
                self,
                "  {}  {} {}, {} KB ({} KB/{})  {}",
                d.file_name,
                d.pages,
                self.t("trang", "pages"),
                d.bytes / 1024,
                d.bytes / 1024 / u64::from(d.pages.max(1)),
                self.t("trang", "page"),
                &d.blob[..12]
            );
        }
        if !r.empty_components.is_empty() {
            outln!(
                self,
                "  {}: {:?}",
                self.t("thành phần chưa có trang", "components without pages"),
                r.empty_components
            );
        }
    }

    pub fn export(&self, r: &hoso_core::ExportReport) {
        if self.json(r) {
            return;
        }
        outln!(self, "{} {}:", self.t("Đã xuất hồ sơ", "Exported record"), r.record);
        for f in &r.files {
            outln!(self, "  {}", f.display());
        }
    }

    pub fn certify(&self, r: &hoso_core::CertifyReport) {
        if self.json(r) {
            return;
        }
        outln!(self, "{} {}:", self.t("Đã chứng thực hồ sơ", "Certified record"), r.record);
        for c in &r.copies {
            outln!(
                self,
                "  {} {}: {} {:02}, {} {} ({} KB)",
                self.t("thành phần", "component"),
                c.component,
                self.t("số chứng thực", "certification no."),
                c.number,
                self.t("quyển", "book"),
                c.book,
                c.bytes / 1024
            );
            match &c.validation_data {
                Some(hoso_core::ValidationData::Added) => outln!(
                    self,
                    "    {}",
                    self.t(
                        "đã thêm dữ liệu kiểm tra dài hạn (PAdES B-LT)",
                        "long-term validation data added (PAdES B-LT)"
                    )
                ),
                Some(hoso_core::ValidationData::Pending { missing }) => {
                    eprintln!(
                        "  ! {}",
                        self.t(
                            "chưa thêm được dữ liệu kiểm tra dài hạn (thử lại khi niêm phong):",
                            "long-term validation data not added yet (tried again when sealing):"
                        )
                    );
                    for m in missing {
                        eprintln!("    {}", self.t(&m.vi, &m.en));
                    }
                }
                None => {}
            }
        }
        for status in &r.revocation {
            if let hoso_sign::revocation::Status::Unknown { .. } = status.status {
                let (vi, en) = status.message();
                eprintln!("  ! {}", self.t(&vi, &en));
            }
        }
    }

    pub fn verify(&self, reports: &[hoso_sign::SignatureReport]) {
        if self.json(&reports) {
            return;
        }
        if reports.is_empty() {
            outln!(self, "{}", self.t("Tệp không có chữ ký số.", "The file has no digital signature."));
        }
        let yes_no = |b: bool| if b { self.t("đạt", "ok") } else { self.t("KHÔNG ĐẠT", "FAILED") };
        for r in reports {
            let (vi, en) = r.verdict.message();
            let verdict = self.t(vi, en);
            outln!(self, "{} {}: {verdict}", self.t("Chữ ký", "Signature"), r.index);
            outln!(self, "  {}: {}", self.t("người ký", "signer"), r.signer);
            outln!(self, "  {}: {}", self.t("đơn vị cấp", "issuer"), r.issuer);
            outln!(self, "  {}: {}", self.t("thời điểm ký", "signing time"), r.time);
            let (vi, en) = r.time_message();
            if r.timestamp_check.is_some() {
                outln!(self, "  {}: {}", self.t("dấu thời gian", "time-stamp"), self.t(&vi, &en));
            } else {
                outln!(self, "  {}", self.t(&vi, &en));
            }
            let (vi, en) = r.level_message();
            let level = self.t(vi, en);
            outln!(self, "  {}: {level}", self.t("mức PAdES", "PAdES level"));
            outln!(self, "  {}: {}", self.t("phạm vi ký", "byte range"), yes_no(r.byte_range_ok));
            if !r.byte_range_ok && r.digest_ok && r.signature_ok {
                outln!(self,
                    "  {}",
                    self.t(
                        "phạm vi ký bỏ sót những byte người ký không ký: tệp chứa nội dung ngoài phần đã ký",
                        "the byte range leaves out bytes the signer did not sign: the file holds content outside what was signed"
                    )
                );
            }
            if r.algorithm_ok || r.digest_algorithm.is_empty() {
                outln!(self, "  {}: {}", self.t("mã băm", "digest"), yes_no(r.digest_ok));
            } else {
                let alg = &r.digest_algorithm;
                outln!(
                    self,
                    "  {}: {} ({})",
                    self.t("mã băm", "digest"),
                    yes_no(r.digest_ok),
                    self.t(
                        &format!("{alg}: thuật toán không đủ mạnh, không được chấp nhận"),
                        &format!("{alg}: the algorithm is too weak and not accepted")
                    )
                );
            }
            outln!(self, "  {}: {}", self.t("giá trị chữ ký", "signature value"), yes_no(r.signature_ok));
            outln!(self, "  {}: {}", self.t("chuỗi chứng thư", "certificate chain"), yes_no(r.chain_ok));
            if !r.trust_path.is_empty() {
                outln!(self, "  {}: {}", self.t("đường tin cậy", "trust path"), r.trust_path.join(" → "));
            }
            if let Some(fault) = &r.trust_problem {
                let (vi, en) = fault.message();
                outln!(self, "  {}: {}", self.t("lý do", "reason"), self.t(&vi, &en));
            }
            for status in &r.revocation {
                let (vi, en) = status.message();
                outln!(self, "  {}: {}", self.t("thu hồi", "revocation"), self.t(&vi, &en));
            }
            outln!(
                self,
                "  {}: {}",
                self.t("chứng thư còn hiệu lực khi ký", "certificate valid when signed"),
                yes_no(r.certificate_valid)
            );
            for change in &r.changes {
                let (vi, en) = change.message();
                outln!(
                    self,
                    "  {}: {}",
                    self.t("thay đổi sau khi ký", "changed after signing"),
                    self.t(&vi, &en)
                );
            }
            if r.updated_after && r.changes.is_empty() && r.byte_range_ok {
                outln!(self,
                    "  {}",
                    self.t(
                        "có nội dung thêm sau chữ ký này, chỉ những gì được phép (chữ ký tiếp theo, dữ liệu kiểm tra, siêu dữ liệu)",
                        "content was added after this signature, only what is allowed (a later signature, validation data, metadata)"
                    )
                );
            }
        }
    }

    pub fn book(&self, entries: &[hoso_store::BookEntry]) {
        if self.json(&entries) {
            return;
        }
        for e in entries {
            let status = match (&e.document_id, &e.void_reason) {
                (_, Some(reason)) => format!("{}: {reason}", self.t("huỷ", "void")),
                (Some(d), None) => format!("{} {d}", self.t("tài liệu", "document")),
                (None, None) => self.t("đang ký", "signing").to_owned(),
            };
            outln!(
                self,
                "{:>4}  {}  {}  {}.{}  {} {}  {}  {status}",
                e.number,
                e.book,
                &e.created_at[..10],
                e.record,
                e.component,
                e.pages,
                self.t("trang", "pages"),
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
            outln!(self, "{mark} {:<18} {}", c.name, c.detail);
            if let Some(hint) = &c.hint
                && c.status != Status::Ok
            {
                outln!(self, "  {:<18} → {hint}", "");
            }
        }
        let count = |s| checks.iter().filter(|c| c.status == s).count();
        let (ok, warn, fail) = (count(Status::Ok), count(Status::Warn), count(Status::Fail));
        let summary =
            Message::new("doctor-summary").with("ok", ok).with("warnings", warn).with("problems", fail);
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
        outln!(
            self,
            "{} {}: {} {}, {} {}",
            self.t("Đã niêm phong và xếp hàng gửi", "Sealed and queued"),
            m.code,
            m.files.len(),
            self.t("tệp", "files"),
            self.t("mã băm bản kê", "manifest"),
            &m.digest()[..16]
        );
    }

    pub fn sync(&self, r: &hoso_core::SyncReport) {
        if self.json(r) {
            return;
        }
        outln!(
            self,
            "{}: {} {}, {} {}, {} {} ({} {}, {} KB)",
            self.t("Đồng bộ", "Sync"),
            r.synced.len(),
            self.t("đã nhận", "accepted"),
            r.postponed.len(),
            self.t("thử lại sau", "to retry"),
            r.rejected.len(),
            self.t("bị từ chối", "rejected"),
            r.blobs_sent,
            self.t("tệp đã gửi", "files sent"),
            r.bytes_sent / 1024
        );
        for (code, why) in r.postponed.iter().chain(&r.rejected) {
            outln!(self, "  {code}: {why}");
        }
    }

    pub fn ledger(&self, entries: &[hoso_core::LedgerEntry]) {
        if self.json(&entries) {
            return;
        }
        for e in entries {
            let attempts = self.say(&Message::new("ledger-attempts").with("attempts", e.attempts));
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
            let off = if a.disabled { self.t(" (đã khoá)", " (disabled)") } else { "" };
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
                    tags.push(self.t("không bắt buộc", "optional"));
                }
                if comp.needs_certification {
                    tags.push(self.t("cần chứng thực", "needs certification"));
                }
                let tags = if tags.is_empty() { String::new() } else { format!(" ({})", tags.join(", ")) };
                outln!(self, "    {}. [{}] {}{tags}", i + 1, comp.code, comp.name);
            }
        }
    }

    pub fn settings(&self, c: &hoso_core::config::Config) {
        let settings = hoso_core::settings::list(c);
        if self.json(&settings) {
            return;
        }
        let files: Vec<String> = c.files.iter().map(|f| f.display().to_string()).collect();
        outln!(
            self,
            "{}: {}",
            self.t("Tệp đã đọc", "Files read"),
            if files.is_empty() { "—".into() } else { files.join(", ") }
        );
        if let Some(user) = &c.user_file {
            outln!(self, "{}: {}", self.t("Tệp của người dùng", "User's file"), user.display());
        }
        let width = settings.iter().map(|s| s.key.len()).max().unwrap_or(0);
        for s in &settings {
            let value = if s.value.is_empty() { "—" } else { &s.value };
            outln!(self, "  {:width$}  {value}  [{}]", s.key, s.source.as_str());
        }
    }

    pub fn audit(&self, v: &hoso_core::AuditVerification) {
        if self.json(v) {
            return;
        }
        match &v.broken {
            None => outln!(
                self,
                "{} ({} {}, head {})",
                self.t("Nhật ký nguyên vẹn", "Audit log intact"),
                v.entries,
                self.t("mục", "entries"),
                &v.head[..16]
            ),
            Some(b) => outln!(
                self,
                "{} {}: {}",
                self.t("NHẬT KÝ BỊ SỬA ĐỔI tại mục", "AUDIT LOG TAMPERED at entry"),
                b.seq,
                b.reason
            ),
        }
    }

    pub fn check(&self, r: &hoso_core::CheckReport) {
        if self.json(r) {
            return;
        }
        let ok = |b: bool| if b { "ok" } else { "LỖI/FAIL" };
        outln!(self, "SQLite integrity_check: {}", r.integrity.join("; "));
        outln!(self, "{}: {}", self.t("khoá ngoại", "foreign keys"), ok(r.foreign_key_violations.is_empty()));
        for v in &r.foreign_key_violations {
            outln!(self, "  {v}");
        }
        outln!(
            self,
            "blobs: {} {}, {} {}",
            r.blobs_checked,
            self.t("đã kiểm", "checked"),
            r.bad_blobs.len(),
            self.t("hỏng/thiếu", "bad or missing")
        );
        for b in &r.bad_blobs {
            outln!(self, "  {b}");
        }
        self.audit(&r.audit);
        outln!(
            self,
            "{}",
            if r.is_ok() {
                self.t("Kho dữ liệu tốt.", "Store is healthy.")
            } else {
                self.t("Kho dữ liệu có lỗi.", "Store has problems.")
            }
        );
    }

    pub fn demo_result(&self, data_dir: &Path, code: &str) {
        if self.json {
            return;
        }
        outln!(self);
        outln!(self, "{} {}", self.t("Kết quả nằm trong", "The result is in"), data_dir.display());
        outln!(self, "  {}: {}", self.t("cơ sở dữ liệu", "database"), data_dir.join("hoso.db").display());
        outln!(
            self,
            "  {}: {}",
            self.t("ảnh gốc và ảnh thu nhỏ", "raw pages and thumbnails"),
            data_dir.join("blobs").display()
        );
        outln!(
            self,
            "  {}: hoso --data-dir {} record show {code}",
            self.t("xem lại", "show again"),
            data_dir.display()
        );
        outln!(
            self,
            "  {}: hoso --data-dir {} record text {code}",
            self.t("chữ nhận dạng", "recognised text"),
            data_dir.display()
        );
        outln!(
            self,
            "  {}: {}",
            self.t("PDF/A tìm kiếm được và tệp XML", "searchable PDF/A and XML"),
            data_dir.join("export").display()
        );
    }

    /// One line per page: the transform OCR applied, its confidence and the first words.
    pub fn text_summary(&self, pages: &[(hoso_model::Page, Option<hoso_core::PageText>)]) {
        if self.json {
            return;
        }
        outln!(self, "{}", self.t("Nhận dạng chữ (OCR):", "Text recognition (OCR):"));
        for (page, text) in pages {
            let Some(t) = text else {
                outln!(self, "  {}.{}  —", page.component, page.ordinal);
                continue;
            };
            let rotation = t.layout.upright.rotation;
            let skew = t.layout.upright.skew_deg;
            let words = t.layout.words.len();
            let first: String = t.text.lines().next().unwrap_or("").chars().take(48).collect();
            outln!(
                self,
                "  {}.{}  {rotation:>3}° {skew:+.1}°  {:>3.0}/100  {words:>4} {}  «{first}»",
                page.component,
                page.ordinal,
                t.mean_confidence,
                self.t("từ", "words"),
            );
        }
    }
}

#[cfg(test)]
mod snapshots;
