//! HoSo Intake's desktop shell: the one command the front end calls
//! ([`Desktop::call`], a command name and JSON arguments), sign-in and roles,
//! and background tasks for the long jobs (scan, OCR, build, certify, sync),
//! each on its own thread with its own connection to the store. Everything
//! else is hoso-core. The Tauri binary (`main.rs`) hands `call` to the webview;
//! [`bridge`] serves the same `call` and the built front end over loopback
//! HTTP, for the browser tests.

mod bindings;
pub mod bridge;
pub mod command;
mod tasks;
pub mod views;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use anyhow::{Context, bail};
use base64::Engine;
use hoso_core::{App, config::Config};
use hoso_i18n::{Message, err, msg};
use hoso_model::{Applicant, Channel};
use serde_json::{Value, json};

use command::*;
use tasks::Tasks;
use views::*;

/// The open workstation behind the window.
#[derive(Debug)]
pub struct Desktop {
    /// Replaced when an administrator saves the settings.
    config: Mutex<Arc<Config>>,
    app: Mutex<App>,
    tasks: Arc<Tasks>,
    /// The last chip read, authentic: what a record opened "from the chip" is
    /// checked against (the window's word alone verifies nothing).
    chip: Mutex<Option<hoso_core::ChipReading>>,
}

/// Certified copies, listed in one language.
fn copies(done: &[Message], lang: hoso_i18n::Lang) -> String {
    done.iter().map(|m| m.text(lang)).collect::<Vec<_>>().join(", ")
}

fn data_url(mime: &str, bytes: &[u8]) -> String {
    format!("data:{mime};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes))
}

fn account_view(a: &hoso_core::Account) -> AccountView {
    AccountView {
        username: a.username.clone(),
        display_name: a.display_name.clone(),
        role: a.role,
        disabled: a.disabled,
    }
}

/// Decodes a picked file's bytes.
fn upload_bytes(f: &FileUpload) -> anyhow::Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(&f.data)
        .with_context(|| err!("upload-damaged", file = &f.name))
}

impl Desktop {
    /// Opens the store named by `config`.
    pub fn open(config: Config) -> anyhow::Result<Desktop> {
        let app = App::open(config.clone(), hoso_core::Actor::Nobody)?;
        Ok(Desktop {
            config: Mutex::new(Arc::new(config)),
            app: Mutex::new(app),
            tasks: Arc::new(Tasks::default()),
            chip: Mutex::new(None),
        })
    }

    /// The configuration in force.
    fn config(&self) -> Arc<Config> {
        Arc::clone(&self.config.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn app(&self) -> MutexGuard<'_, App> {
        self.app.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A second connection to the store for a background task, acting as the
    /// signed-in person.
    fn task_app(&self) -> anyhow::Result<App> {
        let actor = self.app().acting().clone();
        App::open((*self.config()).clone(), actor)
    }

    /// The background tasks, newest last (the shell sends them as events).
    pub fn tasks(&self) -> Vec<TaskView> {
        self.tasks.list()
    }

    /// Runs one command of the front end: parsed into a [`Command`], let
    /// through its gate, run. Errors are messages for the person at the
    /// counter (Vietnamese / English) with a code the window acts on.
    pub fn call(&self, command: &str, args: Value) -> Result<Value, CallError> {
        let args = if args.is_null() { json!({}) } else { args };
        let parsed: Command =
            serde_json::from_value(json!({ "command": command, "args": args })).map_err(|e| {
                if e.to_string().starts_with("unknown variant") {
                    let unknown =
                        Message::new("error-unknown-command").with("command", format!("{command:?}"));
                    CallError::new(ErrorCode::UnknownCommand, &hoso_i18n::Localized(unknown).into())
                } else {
                    let bad = hoso_i18n::Localized(Message::new("error-bad-arguments"));
                    CallError::new(ErrorCode::BadArguments, &anyhow::Error::new(e).context(bad))
                }
            })?;
        self.admit(parsed.gate())?;
        let reply = self.run(parsed).map_err(|e| CallError::new(ErrorCode::Failed, &e))?;
        let mut reply = serde_json::to_value(reply)
            .map_err(|e| CallError::new(ErrorCode::Failed, &anyhow::Error::new(e)))?;
        Ok(reply["result"].take())
    }

    /// The one place roles are checked: whether the person at the window may
    /// pass `gate`.
    fn admit(&self, gate: Gate) -> Result<(), CallError> {
        let app = self.app();
        let refuse = |code| move |e: anyhow::Error| CallError::new(code, &e);
        if gate == Gate::Public {
            return Ok(());
        }
        app.require_signed_in().map_err(refuse(ErrorCode::NotSignedIn))?;
        match gate {
            Gate::Public | Gate::SignedIn => Ok(()),
            Gate::Supervisor => app.require_certifier().map_err(refuse(ErrorCode::Forbidden)),
            Gate::Admin => app.require_admin().map_err(refuse(ErrorCode::Forbidden)),
        }
    }

    /// Each command: parse (done) → one use case → its view.
    fn run(&self, command: Command) -> anyhow::Result<Reply> {
        use Command as C;
        Ok(match command {
            C::Session(_) => Reply::Session(self.session()?),
            C::Login(a) => Reply::Login(account_view(&self.app().login(&a.username, a.password.expose())?)),
            C::Logout(_) => {
                self.app().logout();
                Reply::Logout(())
            }
            C::Procedures(find) => Reply::Procedures(self.procedures(&find.query)),
            C::Tasks(_) => Reply::Tasks(self.tasks.list()),
            C::Doctor(_) => Reply::Doctor(self.doctor()),
            C::Settings(_) => Reply::Settings(self.settings()),
            C::Records(a) => Reply::Records(self.records(a.state.as_deref())?),
            C::RecordNew(a) => Reply::RecordNew(self.new_record(a)?),
            C::Record(a) => Reply::Record(self.app().record_view(&a.code)?),
            C::ReadCard(a) => Reply::ReadCard(self.read_card(a)?),
            C::ReadChip(a) => Reply::ReadChip(self.read_chip(a)?),
            C::Import(a) => Reply::Import(self.import(a)?),
            C::Reusable(a) => Reply::Reusable(self.app().reusable(&a.code)?),
            C::ReuseAttach(a) => {
                Reply::ReuseAttach(self.app().attach_reused(&a.code, a.component, &a.sha256)?)
            }
            C::Devices(_) => Reply::Devices(self.devices()?),
            C::ScanProfiles(_) => Reply::ScanProfiles(self.app().scan_profiles().to_vec()),
            C::Scan(a) => Reply::Scan(self.scan(a)?),
            C::Thumbnails(a) => Reply::Thumbnails(self.thumbnails(&a.pages)?),
            C::PageImage(a) => Reply::PageImage(self.page_image(a.page)?),
            C::PageDiscard(a) => {
                self.app().discard_page(a.page, &msg!("page-removed-at-review").to_string())?;
                Reply::PageDiscard(())
            }
            C::PageRescan(a) => Reply::PageRescan(self.rescan(a)?),
            C::ScanStack(a) => Reply::ScanStack(self.scan_stack(&a)?),
            C::PageTurn(a) => Reply::PageTurn(self.turn_page(a.page, a.degrees)?),
            C::SeparatorSheets(a) => Reply::SeparatorSheets(self.app().separator_sheets(&a.code)?),
            C::PageLeaveOut(a) => Reply::PageLeaveOut(self.app().leave_out_page(a.page, a.out)?),
            C::PageMove(a) => {
                self.app().move_page(a.page, a.to)?;
                Reply::PageMove(())
            }
            C::Process(_) => Reply::Process(self.start_processing()?),
            C::Build(a) => Reply::Build(self.build(&a.code)?),
            C::Document(a) => Reply::Document(self.document(&a.code, a.component)?),
            C::Seal(a) => {
                let mut app = self.app();
                app.seal(&a.code)?;
                Reply::Seal(app.slip(&a.code)?)
            }
            C::Slip(a) => Reply::Slip(self.app().slip(&a.code)?),
            C::CertificationQueue(_) => Reply::CertificationQueue(self.app().certification_queue()?),
            C::Ledger(_) => Reply::Ledger(self.ledger()?),
            C::Sync(_) => Reply::Sync(self.start_sync()?),
            C::SyncRetry(a) => {
                self.app().retry_sync(&a.code)?;
                Reply::SyncRetry(self.start_sync()?)
            }
            C::Verify(a) => Reply::Verify(self.verify(a)?),
            C::AccountPassword(a) => {
                Reply::AccountPassword(self.app().set_password(&a.username, a.password.expose())?)
            }
            C::Tokens(_) => Reply::Tokens(self.tokens()?),
            C::Certify(a) => Reply::Certify(self.certify(a)?),
            C::SettingsSave(a) => Reply::SettingsSave(self.save_settings(&a.changes)?),
            C::Accounts(_) => Reply::Accounts(self.app().accounts()?.iter().map(account_view).collect()),
            C::AccountAdd(a) => {
                let account =
                    self.app().add_account(&a.username, &a.display_name, a.role, a.password.expose())?;
                Reply::AccountAdd(account_view(&account))
            }
            C::AccountDisable(a) => {
                Reply::AccountDisable(self.app().set_account_disabled(&a.username, a.disabled)?)
            }
        })
    }

    fn new_record(&self, NewRecord { procedure, applicant }: NewRecord) -> anyhow::Result<RecordView> {
        let source = applicant.source;
        let mut applicant = Applicant {
            name: applicant.name.trim().to_owned(),
            personal_id: applicant
                .personal_id
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.trim().parse())
                .transpose()
                .map_err(|e: hoso_model::PersonalIdError| err!("applicant-bad-id", why = e.to_string()))?,
            phone: applicant.phone.filter(|s| !s.trim().is_empty()),
            address: applicant.address.filter(|s| !s.trim().is_empty()),
            identity: hoso_model::IdentityCheck::from(source),
        };
        if source == hoso_model::IdentitySource::Chip {
            let chip = self.chip.lock().unwrap_or_else(|p| p.into_inner()).clone();
            let chip = chip.context(err!("chip-read-again"))?;
            applicant.identity = chip.identity_for(&applicant).context(err!("chip-read-again"))?;
        }
        let mut app = self.app();
        let r = app.new_record(&procedure, applicant, Channel::InPerson)?;
        app.record_view(&r.code.to_string())
    }

    /// A card picked in the window, a card image on this PC, or the card on
    /// the scanner's glass, read into an applicant.
    fn read_card(&self, ReadCard { file, path, device }: ReadCard) -> anyhow::Result<ApplicantView> {
        let reading = match (file, path.filter(|p| !p.as_os_str().is_empty())) {
            (Some(f), _) => self.app().read_card_file(&f.name, &upload_bytes(&f)?)?,
            (None, Some(path)) => self.app().read_card(&path)?,
            (None, None) => {
                let device =
                    device.or_else(|| self.config().scanner.clone()).context(err!("scanner-not-chosen"))?;
                let mut scanner = self.config().open_scanner(&device)?;
                self.app().scan_card(scanner.as_mut())?
            }
        };
        let applicant = reading.applicant_or_why()?;
        let chip_key = reading
            .mrz
            .as_ref()
            .map(|m| [m.document_number.clone(), m.birth_yymmdd.clone(), m.expiry_yymmdd.clone()]);
        Ok(ApplicantView {
            name: applicant.name,
            personal_id: applicant.personal_id.map(|p| p.to_string()),
            phone: applicant.phone,
            address: applicant.address,
            source: applicant.identity.source,
            identity: None,
            chip_key,
        })
    }

    /// The chip read and judged; kept, when authentic, for the record it opens.
    fn read_chip(&self, ReadChip { document, birth, expiry, reader }: ReadChip) -> anyhow::Result<ChipView> {
        let key = hoso_chip::MrzKey::new(&document, &birth, &expiry)?;
        let reader = reader.filter(|r| !r.trim().is_empty());
        let reading = self.app().read_chip(reader.as_deref(), &key, None)?;
        let applicant = reading.applicant_or_refusal().ok().map(|a| ApplicantView {
            name: a.name,
            personal_id: a.personal_id.map(|p| p.to_string()),
            phone: a.phone,
            address: a.address,
            source: hoso_model::IdentitySource::Chip,
            identity: Some(hoso_core::views::IdentityView::of(&a.identity)),
            chip_key: None,
        });
        let details = reading
            .details()
            .into_iter()
            .map(|(label, value)| (Said::of(&Message::new(label)), value))
            .collect();
        let view = ChipView {
            verified: reading.verified(),
            passive_auth: Said::of(&reading.passive_auth.message()),
            problems: reading.problems.iter().map(|p| Said::of(&p.message())).collect(),
            portrait: reading
                .data
                .portrait
                .as_ref()
                .filter(|p| p.mime == "image/jpeg")
                .map(|p| data_url(p.mime, &p.bytes)),
            details,
            reader: reading.reader.clone(),
            access: reading.data.access.clone(),
            applicant,
        };
        let keep = reading.passive_auth.passed().then_some(reading);
        *self.chip.lock().unwrap_or_else(|p| p.into_inner()) = keep;
        Ok(view)
    }

    /// Files on this PC or picked in the window, into a component; then OCR starts.
    fn import(&self, Import { code, component, paths, files }: Import) -> anyhow::Result<ImportView> {
        let report = match files.filter(|f| !f.is_empty()) {
            None => self.app().import(&code, component, &paths.unwrap_or_default())?,
            Some(files) => {
                let files = files
                    .iter()
                    .map(|f| Ok((f.name.clone(), upload_bytes(f)?)))
                    .collect::<anyhow::Result<Vec<_>>>()?;
                self.app().import_files(&code, component, files)?
            }
        };
        self.start_processing()?;
        Ok(ImportView {
            pages: report.pages_added() as u32,
            already: report.pages_already() as u32,
            failed: report.files.iter().filter_map(|f| f.error.as_ref().map(Said::shown)).collect(),
        })
    }

    fn thumbnails(&self, pages: &[i64]) -> anyhow::Result<BTreeMap<String, String>> {
        let app = self.app();
        let mut out = BTreeMap::new();
        for &page in pages {
            if let Some(bytes) = app.page_thumbnail(page)? {
                out.insert(page.to_string(), data_url("image/jpeg", &bytes));
            }
        }
        Ok(out)
    }

    fn turn_page(&self, page: i64, degrees: u16) -> anyhow::Result<u16> {
        let turn = self.app().turn_page(page, degrees)?;
        self.start_processing()?;
        Ok(turn)
    }

    /// Saves an administrator's changes to this PC's settings and puts them in force.
    fn save_settings(&self, changes: &[(String, String)]) -> anyhow::Result<SavedSettings> {
        let changed = {
            let mut app = self.app();
            let changed = app.edit_settings(changes)?;
            *self.config.lock().unwrap_or_else(|p| p.into_inner()) = Arc::new(app.config().clone());
            changed
        };
        Ok(SavedSettings { changed: changed.into_iter().map(|c| c.key).collect(), settings: self.settings() })
    }

    fn session(&self) -> anyhow::Result<SessionView> {
        let app = self.app();
        let user = app.signed_in_account()?.as_ref().map(account_view);
        Ok(SessionView {
            user,
            unit: self.config().unit.as_ref().map(|u| u.to_string()),
            agency: self.config().agency.clone(),
            no_accounts: !app.has_accounts()?,
            version: env!("CARGO_PKG_VERSION").into(),
        })
    }

    fn procedures(&self, query: &str) -> Vec<ProcedureView> {
        self.config()
            .catalogue
            .search(query, 30)
            .into_iter()
            .map(|p| ProcedureView {
                code: p.code.clone(),
                name: p.name.clone(),
                field: p.field.clone(),
                components: p
                    .components
                    .iter()
                    .map(|c| ComponentSpecView {
                        code: c.code.clone(),
                        name: c.name.clone(),
                        required: c.required,
                        needs_certification: c.needs_certification,
                    })
                    .collect(),
            })
            .collect()
    }

    fn records(&self, state: Option<&str>) -> anyhow::Result<Vec<RecordRow>> {
        let state = state.filter(|s| !s.is_empty()).map(str::parse).transpose()?;
        self.app().record_rows(state, 500)
    }

    /// A page at screen size (1200 px), as a data URL, upright as scanned.
    fn page_image(&self, page: i64) -> anyhow::Result<String> {
        Ok(data_url("image/jpeg", &self.app().page_image(page, 1200)?))
    }

    /// The newest document of a component (certified copy first) as a data URL.
    fn document(&self, code: &str, component: u16) -> anyhow::Result<String> {
        Ok(data_url("application/pdf", &self.app().component_pdf(code, component)?))
    }

    fn build(&self, code: &str) -> anyhow::Result<TaskView> {
        let mut app = self.task_app()?;
        let code = code.to_owned();
        Ok(self.tasks.spawn("build", Some(code.clone()), move |_| {
            let report = app.build(&code)?;
            let pages = report.documents.iter().map(|d| d.pages).sum::<u32>();
            Ok(Said::of(
                &Message::new("task-built").with("documents", report.documents.len()).with("pages", pages),
            ))
        }))
    }

    fn devices(&self) -> anyhow::Result<Vec<DeviceView>> {
        let mut out: Vec<DeviceView> = self
            .config()
            .scanners(false)?
            .into_iter()
            .map(|d| DeviceView { label: format!("{} {} ({})", d.vendor, d.model, d.kind), id: d.id })
            .collect();
        if let Some(configured) = &self.config().scanner
            && !out.iter().any(|d| &d.id == configured)
        {
            out.insert(0, DeviceView { id: configured.clone(), label: configured.clone() });
        }
        Ok(out)
    }

    fn scan(&self, req: Scan) -> anyhow::Result<TaskView> {
        let mut app = self.task_app()?;
        let tasks = Arc::clone(&self.tasks);
        let config = (*self.config()).clone();
        let actor = app.acting().clone();
        let plan = match &req.profile {
            Some(name) => app.profile_plan(name)?,
            None => {
                let mut settings = hoso_scan::ScanSettings::default();
                if let Some(s) = req.source {
                    settings.source = s;
                }
                if let Some(r) = req.resolution {
                    settings.resolution = r;
                }
                if let Some(m) = req.mode {
                    settings.mode = m;
                }
                let mut plan = hoso_core::ScanPlan::own(settings);
                plan.manual_duplex = req.manual_duplex.unwrap_or(false);
                plan
            }
        };
        // Refused at once rather than in the task (the scan checks it again).
        app.require_plan_allowed(&plan)?;
        let task = self.tasks.spawn("scan", Some(req.code.clone()), move |id| {
            let mut scanner = config.open_scanner(plan.device.as_deref().unwrap_or(&req.device))?;
            let stacks = plan.waits(req.wait.unwrap_or(false)).then(|| tasks.stacks(id));
            let report =
                app.scan(&req.code, req.component, scanner.as_mut(), &plan, stacks.as_deref(), |e| {
                    // Pages are read while the next ones are scanned.
                    if matches!(e, hoso_core::ScanEvent::Waiting { .. }) {
                        tasks::process_in_background(&tasks, config.clone(), actor.clone());
                    }
                    tasks.scan_event(id, &e);
                })?;
            tasks::process_in_background(&tasks, config, actor);
            let pages = report.pages.len();
            match report.failure {
                Some(f) if pages == 0 => bail!(f.message),
                Some(f) => Ok(Said::of(&msg!("task-scanned-then-stopped", pages = pages, why = f.message))),
                None if let Some(duplex) = report.manual_duplex => Ok(Said::of(&duplex.message())),
                None if report.stacks > 1 => {
                    Ok(Said::of(&msg!("scan-stacks-done", pages = pages, stacks = report.stacks)))
                }
                None => Ok(Said::of(&Message::new("task-scanned").with("pages", pages))),
            }
        });
        Ok(task)
    }

    /// The clerk's word to a scan waiting for the next stack.
    fn scan_stack(&self, req: &ScanStack) -> anyhow::Result<()> {
        let word = if req.finish { hoso_core::StackWord::Finish } else { hoso_core::StackWord::Next };
        if !self.tasks.say(req.task, word) {
            bail!(msg!("task-not-waiting"));
        }
        Ok(())
    }

    /// Scans one sheet on the glass to replace a page: the new page takes the
    /// old one's place, the old one is kept as discarded.
    fn rescan(&self, Rescan { page, device, profile }: Rescan) -> anyhow::Result<TaskView> {
        let mut app = self.task_app()?;
        let old = app.page(page)?;
        let plan = match &profile {
            Some(name) => app.profile_plan(name)?.one_sheet(),
            None => hoso_core::ScanPlan::own(hoso_scan::ScanSettings {
                source: hoso_scan::Source::Flatbed,
                ..Default::default()
            }),
        };
        app.require_plan_allowed(&plan)?;
        let code = app.record(&old.record.to_string())?.code.to_string();
        let tasks = Arc::clone(&self.tasks);
        let config = (*self.config()).clone();
        let actor = app.acting().clone();
        Ok(self.tasks.spawn("scan", Some(code.clone()), move |_| {
            let mut scanner = config.open_scanner(plan.device.as_deref().unwrap_or(&device))?;
            let report = app.scan(&code, old.component, scanner.as_mut(), &plan, None, |_| {})?;
            let Some(&new) = report.pages.first() else {
                return Err(match report.failure {
                    Some(f) => f.message.into(),
                    None => hoso_i18n::Localized(Message::new("task-no-page")).into(),
                });
            };
            app.discard_page(old.id, &msg!("page-rescanned").to_string())?;
            app.move_page(new, old.ordinal)?;
            tasks::process_in_background(&tasks, config, actor);
            Ok(Said::of(&Message::new("task-rescanned").with("page", old.ordinal)))
        }))
    }

    fn start_processing(&self) -> anyhow::Result<()> {
        let actor = self.app().acting().clone();
        tasks::process_in_background(&self.tasks, (*self.config()).clone(), actor);
        Ok(())
    }

    fn tokens(&self) -> anyhow::Result<Vec<TokenView>> {
        Ok(hoso_sign::list_certificates(&self.config().pkcs11_module)?
            .into_iter()
            .map(|c| TokenView {
                token: c.token_label,
                subject: c.subject,
                fingerprint: c.fingerprint,
                not_after: chrono::DateTime::from_timestamp(c.not_after, 0)
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            })
            .collect())
    }

    /// Certifies the records one after the other with one PIN (a batch), as the
    /// signed-in supervisor.
    fn certify(&self, req: Certify) -> anyhow::Result<TaskView> {
        let name = self.app().signed_in_account()?.context("account missing")?.display_name;
        let mut app = self.task_app()?;
        let Certify { codes, pin, certificate, title } = req;
        let req = hoso_core::CertifyRequest {
            pin: hoso_sign::Pin::new(pin.take()),
            certifier_name: name,
            certifier_title: title.unwrap_or_default(),
            certificate,
            components: None,
        };
        Ok(self.tasks.spawn("certify", codes.first().cloned(), move |_| {
            let mut done = Vec::new();
            let keys: Vec<&str> = codes.iter().map(String::as_str).collect();
            app.certify_batch(&keys, &req, |report| {
                for c in &report.copies {
                    // The supervisor learns when a copy still waits for its
                    // long-term validation data (sealing tries again).
                    let pending =
                        matches!(c.validation_data, Some(hoso_core::ValidationData::Pending { .. }));
                    let id = if pending { "task-certified-copy-pending" } else { "task-certified-copy" };
                    done.push(
                        Message::new(id).with("record", report.record.clone()).with("number", c.number),
                    );
                }
            })
            .map_err(|e| {
                if done.is_empty() {
                    e
                } else {
                    let before = Said::each(|lang| {
                        Message::new("task-certified-before").with("copies", copies(&done, lang)).text(lang)
                    });
                    e.context(format!("{} / {}", before.vi, before.en))
                }
            })?;
            Ok(Said::each(|lang| {
                Message::new("task-certified").with("copies", copies(&done, lang)).text(lang)
            }))
        }))
    }

    fn ledger(&self) -> anyhow::Result<Vec<LedgerRow>> {
        Ok(self
            .app()
            .sync_ledger()?
            .into_iter()
            .map(|e| LedgerRow {
                record: e.record,
                state: e.state,
                attempts: e.attempts,
                last_error: e.last_error,
            })
            .collect())
    }

    fn start_sync(&self) -> anyhow::Result<TaskView> {
        let mut app = self.task_app()?;
        Ok(self.tasks.spawn("sync", None, move |_| {
            let report = app.sync(None, true)?;
            Ok(Said::of(
                &Message::new("task-synced")
                    .with("synced", report.synced.len())
                    .with("postponed", report.postponed.len())
                    .with("rejected", report.rejected.len()),
            ))
        }))
    }

    /// The signatures of a PDF the person picked, judged as `hoso verify` does.
    fn verify(&self, Verify { file }: Verify) -> anyhow::Result<Vec<SignatureView>> {
        let reports = self.app().verify_bytes(&upload_bytes(&file)?, None)?;
        Ok(reports.iter().map(SignatureView::from).collect())
    }

    fn doctor(&self) -> Vec<CheckView> {
        hoso_core::doctor::run(&self.config(), &hoso_core::doctor::Options::default())
            .into_iter()
            .map(|c| CheckView {
                name: c.name.into(),
                status: serde_json::to_value(c.status)
                    .ok()
                    .and_then(|s| s.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                detail: Said::shown(&c.detail),
                hint: c.hint.as_ref().map(Said::shown),
            })
            .collect()
    }

    fn settings(&self) -> SettingsView {
        let c = self.config();
        SettingsView {
            files: c.files.iter().map(|f| f.display().to_string()).collect(),
            user_file: c.user_file.as_ref().map(|f| f.display().to_string()),
            system_file: hoso_core::config::system_file().display().to_string(),
            settings: hoso_core::settings::list(&c)
                .into_iter()
                .map(|s| SettingView {
                    key: s.key.into(),
                    value: s.value,
                    source: s.source,
                    kind: s.kind.as_str().into(),
                    editable: s.editable,
                })
                .collect(),
        }
    }
}
