//! `hoso`: the command line of HoSo Intake, for counter staff, IT and scripts.
//!
//! Each subcommand parses its arguments, calls one use case of hoso-core and
//! prints the result: in Vietnamese by default (`--lang en` for English), or as
//! JSON with `--json`. No business logic lives here.
//!
//! Exit codes: 0 done; 1 error; 2 wrong usage; 3 some input was refused (the
//! rest was stored); 4 an integrity check found a problem.

#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use hoso_core::{App, config};
use hoso_i18n::err;
use hoso_model::{Applicant, Channel, PersonalId, RecordState};

mod print;

use print::{Lang, Out};

#[derive(Parser, Debug)]
#[command(
    name = "hoso",
    version,
    about = "HoSo Intake: tiếp nhận và số hoá hồ sơ / record intake and digitisation"
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Debug)]
struct Global {
    /// Store folder (default: config, HOSO_DATA_DIR, ~/.local/share/hoso).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Config file read instead of the user's (also HOSO_CONFIG).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Receiving unit code, e.g. 000.00.01.H29 (also HOSO_UNIT).
    #[arg(long, global = true)]
    unit: Option<String>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Language of messages.
    #[arg(long, global = true, env = "HOSO_LANG", default_value = "vi")]
    lang: Lang,
    /// Name written in the audit log (default: the login name).
    #[arg(long, global = true)]
    actor: Option<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Kiểm tra máy quầy / check this counter PC: store, disk, OCR models,
    /// scanner, token and certificates, trust roots, hub and clock. Exit 0 all
    /// well, 3 warnings, 1 a problem.
    Doctor {
        /// Also look for network scanners (a few seconds of mDNS).
        #[arg(long)]
        network: bool,
    },
    /// Hồ sơ: tạo, liệt kê, xem / records: open, list, show.
    #[command(subcommand)]
    Record(RecordCmd),
    /// Trang: bỏ khỏi PDF/A hoặc đưa lại / pages: leave out of the PDF/A, or put back.
    #[command(subcommand)]
    Page(PageCmd),
    /// Nhập tệp ảnh (PNG, JPEG, TIFF nhiều trang) vào hồ sơ / import image files into a record.
    Import {
        /// Record code or id.
        record: String,
        /// Files or folders (folders: every image inside, by name).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Component (checklist slot) number.
        #[arg(long, default_value_t = 1)]
        component: u16,
    },
    /// Xử lý các trang đang chờ / process waiting pages.
    Process {
        /// Worker threads (default: one per core).
        #[arg(long)]
        workers: Option<usize>,
        /// Build each record's PDF/A as soon as its last page is read, while
        /// the next records' pages are read (then the record is ready for review).
        #[arg(long)]
        build: bool,
    },
    /// Máy quét / scanners this machine sees, with what they can do.
    Devices {
        /// Ask SANE's network backends too (eSCL/WSD discovery, a few seconds).
        #[arg(long)]
        network: bool,
    },
    /// Quét vào hồ sơ / scan a batch into a record; each page is stored before the next is read.
    Scan {
        /// Record code or id.
        record: String,
        /// Device id from `hoso devices` (`sane:…`, `escl:http://…`); default from config.
        #[arg(long)]
        device: Option<String>,
        /// A scan profile of this counter (`scan_profiles` in config.toml):
        /// its scanner, source, resolution, colour, duplex, blank threshold,
        /// separation and driver options.
        #[arg(long, conflicts_with_all = ["source", "resolution", "mode", "options"])]
        profile: Option<String>,
        /// Paper source.
        #[arg(long, value_enum, default_value = "feeder")]
        source: SourceArg,
        /// Dots per inch (200 or more for records).
        #[arg(long, default_value_t = 300)]
        resolution: u32,
        /// Colour mode.
        #[arg(long, value_enum, default_value = "colour")]
        mode: ModeArg,
        /// Checklist slot the pages go to.
        #[arg(long, default_value_t = 1)]
        component: u16,
        /// Driver-specific option NAME=VALUE (repeatable).
        #[arg(long = "option", value_parser = parse_option)]
        options: Vec<(String, String)>,
        /// Process (gate, OCR) the record's pages right after scanning.
        #[arg(long)]
        process: bool,
        /// Wait for the next stack when the feeder runs empty (or jams)
        /// instead of ending: Enter scans it, `x` or end of input finishes.
        #[arg(long)]
        wait: bool,
    },
    /// Theo dõi thư mục quét / import scan files as they appear in a folder.
    Watch {
        /// Record code or id.
        record: String,
        /// The folder; default `watch_folder` from config.
        #[arg(long)]
        folder: Option<PathBuf>,
        /// Checklist slot the pages go to.
        #[arg(long, default_value_t = 1)]
        component: u16,
        /// A file must stay unchanged this long (milliseconds) before it is taken.
        #[arg(long, default_value_t = 2000)]
        settle_ms: u64,
        /// Stop after this many seconds without a new file (default: run until stopped).
        #[arg(long)]
        idle_exit: Option<u64>,
    },
    /// Dựng PDF/A / build the searchable PDF/A of every component of a record.
    Build {
        /// Record code or id.
        record: String,
        /// PDF/A part declared: 2 (PDF/A-2b, the default) or 1 (PDF/A-1b, for validators).
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
        pdfa_part: u8,
    },
    /// Tái sử dụng / what was already digitised for the record's applicant, at
    /// any counter (asks the hub, which logs the lookup).
    Reuse {
        /// Record code or id.
        record: String,
        /// Attach the listed document with this SHA-256 to a component, by
        /// reference (DuocTaiSuDung): the sealed record names the original.
        #[arg(long, requires = "component")]
        attach: Option<String>,
        /// The component (its number in the record) the document goes to.
        #[arg(long, requires = "attach")]
        component: Option<u16>,
    },
    /// Xuất hồ sơ / write the record's PDFs (`<mã hồ sơ>.<n>.pdf`) and its XML into a folder.
    Export {
        /// Record code or id.
        record: String,
        /// Target folder.
        dir: PathBuf,
    },
    /// Chứng thực bản sao điện tử / certify copies with the token: statement and
    /// number from the certification book, certifier's signature, then the agency's.
    Certify {
        /// Record code or id.
        record: String,
        /// Certifier's full name, as printed in the statement.
        #[arg(long)]
        name: String,
        /// Certifier's title.
        #[arg(long, default_value = "Người thực hiện chứng thực")]
        title: String,
        /// Fingerprint (SHA-256, or its start) of the certifier's certificate on the token.
        #[arg(long)]
        certificate: Option<String>,
        /// Component to certify (repeatable); those the procedure marks by default.
        #[arg(long = "component")]
        components: Vec<u16>,
        /// Environment variable holding the token PIN (never a command-line argument).
        #[arg(long, default_value = "HOSO_PIN")]
        pin_env: String,
    },
    /// Kiểm tra chữ ký / verify the signatures of a PDF: exit 0 when all are valid; else by the
    /// worst: 4 invalid or no signature, 8 changed after signing, 6 revoked, 5 untrusted, 7
    /// revocation not checked.
    Verify {
        /// The PDF file.
        file: PathBuf,
        /// PEM file of trusted roots; `trust_roots` from config by default.
        #[arg(long)]
        roots: Option<PathBuf>,
    },
    /// Sổ chứng thực / the certification book of a year.
    Book {
        /// Year; the current one by default.
        #[arg(long)]
        year: Option<i32>,
    },
    /// Chứng thư trên token / certificates on the signing tokens.
    Tokens,
    /// Niêm phong / seal a record: fix its manifest (every file's SHA-256) and queue it for the hub.
    Seal {
        /// Record code or id.
        record: String,
    },
    /// Tài khoản / accounts of the desktop app (IT): add, list, password, disable.
    #[command(subcommand)]
    User(UserCmd),
    /// Đồng bộ / send queued records to the hub; `status` shows the ledger, `key` this device's key.
    Sync {
        #[command(subcommand)]
        what: Option<SyncCmd>,
        /// Hub URL; `hub_url` from config by default.
        #[arg(long)]
        hub: Option<String>,
        /// Retry now the records waiting for their next attempt.
        #[arg(long)]
        now: bool,
    },
    /// Thẻ căn cước / identity cards.
    #[command(subcommand)]
    Card(CardCmd),
    /// Danh mục thủ tục / the procedure catalogue, with each procedure's checklist.
    Procedures {
        /// Chỉ các thủ tục tìm thấy, như màn hình hồ sơ mới tìm (mã, tên, lĩnh vực; có dấu
        /// hay không) / only the procedures this finds, as the new-record screen searches
        /// (code, name, field; with or without diacritics).
        #[arg(long)]
        search: Option<String>,
        #[command(subcommand)]
        action: Option<ProceduresCmd>,
    },
    /// Cấu hình đang dùng: mỗi khoá, giá trị và nguồn / the configuration in
    /// force: each key, its value and where it comes from.
    Config,
    /// Nhật ký kiểm tra / audit log.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Kho dữ liệu / the local store.
    #[command(subcommand)]
    Store(StoreCmd),
    /// Demo: a record from sample pages, imported and processed.
    Demo {
        /// Folder of page images.
        samples: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum PageCmd {
    /// Không đưa trang vào PDF/A (vẫn giữ trong hồ sơ) / leave a page out of
    /// its component's PDF/A; it stays in the record.
    Out {
        /// Page id (`hoso record show`).
        page: i64,
    },
    /// Đưa trang trở lại PDF/A / put a left-out page (a blank back, a
    /// separator sheet) back into the PDF/A.
    In {
        /// Page id (`hoso record show`).
        page: i64,
    },
}

#[derive(Subcommand, Debug)]
enum RecordCmd {
    /// Mở hồ sơ mới / open a record.
    New {
        /// Procedure code (MaTTHC), see `hoso procedures`.
        #[arg(long)]
        procedure: String,
        /// Applicant's full name.
        #[arg(long, default_value = "")]
        name: String,
        /// Applicant's 12-digit personal ID.
        #[arg(long)]
        id: Option<String>,
        /// Phone number.
        #[arg(long)]
        phone: Option<String>,
        /// Address.
        #[arg(long)]
        address: Option<String>,
        /// Channel of submission.
        #[arg(long, value_enum, default_value = "in-person")]
        channel: ChannelArg,
        /// Pre-fill the applicant from a scan of their identity card (QR code
        /// or MRZ); --name, --id, --address given too win over the card.
        #[arg(long)]
        from_card: Option<PathBuf>,
        /// Fill the applicant from the card's chip, verified (the key from
        /// --key, or from the MRZ of --from-card); a chip whose data fails
        /// authentication is refused.
        #[arg(long)]
        from_chip: bool,
        /// The card reader, with --from-chip.
        #[arg(long, requires = "from_chip")]
        reader: Option<String>,
        /// The MRZ key, with --from-chip: `DOCUMENT,YYMMDD,YYMMDD`.
        #[arg(long, requires = "from_chip", value_name = "DOCUMENT,YYMMDD,YYMMDD")]
        key: Option<String>,
    },
    /// Liệt kê hồ sơ / list records.
    List {
        /// Only records in this state (draft, scanning, processing, review, …).
        #[arg(long)]
        state: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Xem một hồ sơ / show one record.
    Show {
        /// Record code or id.
        record: String,
    },
    /// Chữ nhận dạng được của hồ sơ / recognised text of a record's pages.
    Text {
        /// Record code or id.
        record: String,
        /// Write one `<component>-<page>.txt` per page into this folder instead.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum UserCmd {
    /// Add an account; the password comes from HOSO_PASSWORD.
    Add {
        username: String,
        /// Full name, as shown in the app and written on certifications.
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// List accounts.
    List,
    /// Set a new password (from HOSO_PASSWORD); unlocks a locked account.
    Passwd { username: String },
    /// Disable an account (kept for the audit log).
    Disable { username: String },
    /// Enable a disabled account.
    Enable { username: String },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum RoleArg {
    Reception,
    Supervisor,
    Admin,
}

impl From<RoleArg> for hoso_core::Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Reception => hoso_core::Role::Reception,
            RoleArg::Supervisor => hoso_core::Role::Supervisor,
            RoleArg::Admin => hoso_core::Role::Admin,
        }
    }
}

fn password_from_env() -> anyhow::Result<String> {
    Ok(std::env::var("HOSO_PASSWORD").map_err(|_| hoso_i18n::err!("cli-password-env"))?)
}

#[derive(Subcommand, Debug)]
enum SyncCmd {
    /// The ledger: queued, rejected and synced records.
    Status,
    /// This workstation's public key (made on first use), for IT to enrol at the hub.
    Key,
    /// Queue a rejected record again (after the hub's side was fixed).
    Retry {
        /// Record code or id.
        record: String,
    },
}

#[derive(Subcommand, Debug)]
enum ProceduresCmd {
    /// Nhập danh mục thủ tục của thành phố (CSV hoặc XLSX như CSDL quốc gia về TTHC xuất) làm
    /// danh mục của quầy / import the city's procedure list (CSV or XLSX as the national
    /// database of administrative procedures exports it) as this counter's catalogue.
    Import {
        /// The exported file: one row per component (procedure code, name, field, level,
        /// component code and name, required, certified).
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum CardCmd {
    /// Đọc thẻ / read the QR code and MRZ of a card scan and show the applicant it gives.
    Read {
        /// The card image (PNG, JPEG, TIFF).
        image: PathBuf,
    },
    /// Đọc chip / read the card's chip on the reader, authenticate its data
    /// and show the applicant it gives; exits 3 when not verified.
    Chip {
        #[command(flatten)]
        chip: ChipArgs,
        /// Save the chip's portrait (JPEG or JPEG 2000) to this file.
        #[arg(long)]
        portrait: Option<PathBuf>,
    },
    /// Đầu đọc thẻ / list the card readers this PC has.
    Readers,
}

/// What opens a card's chip.
#[derive(Args, Debug, Clone)]
struct ChipArgs {
    /// The card reader (its name or a part of it); `card_reader` from the
    /// config, else the first reader with a card.
    #[arg(long)]
    reader: Option<String>,
    /// The MRZ key: document number, birth date, expiry date as printed in
    /// the MRZ, e.g. `070752696,700704,300704`.
    #[arg(long, value_name = "DOCUMENT,YYMMDD,YYMMDD")]
    key: Option<String>,
    /// A scan of the card: its MRZ gives the key, and what is printed is
    /// compared with the chip.
    #[arg(long)]
    image: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum AuditCmd {
    /// Kiểm tra chuỗi băm / verify the hash chain and the heads the hub's receipts anchor.
    Verify {
        /// Also ask the hub which head it signed last for this counter (found
        /// even when the receipts here were cut off with the log).
        #[arg(long)]
        hub: bool,
    },
}

#[derive(Subcommand, Debug)]
enum StoreCmd {
    /// Kiểm tra cơ sở dữ liệu và tệp / check database and files.
    Check {
        /// Also re-hash every blob.
        #[arg(long)]
        deep: bool,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum SourceArg {
    Feeder,
    Duplex,
    /// A one-sided feeder: the fronts, then the stack turned over for the backs.
    ManualDuplex,
    Flatbed,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum ModeArg {
    Colour,
    Gray,
    Bw,
}

/// The clerk's word between stacks, read from standard input by a thread of
/// its own: an empty line scans the next stack; `x` (or `q`, `xong`, `done`)
/// or the end of input finishes.
fn stacks_from_stdin() -> std::sync::Arc<hoso_core::Stacks> {
    use std::io::BufRead;
    let stacks = std::sync::Arc::new(hoso_core::Stacks::default());
    let said = std::sync::Arc::clone(&stacks);
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            match line.trim().to_lowercase().as_str() {
                "" => said.say(hoso_core::StackWord::Next),
                "x" | "q" | "xong" | "done" => break,
                _ => {}
            }
        }
        said.say(hoso_core::StackWord::Finish);
    });
    stacks
}

fn parse_option(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .ok_or_else(|| format!("expected NAME=VALUE, got {s:?}"))
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum ChannelArg {
    InPerson,
    Online,
    Post,
}

fn main() -> ExitCode {
    hoso_core::ensure_single_thread_ocr();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    let out = Out::stdout(cli.global.lang, cli.global.json);
    // Whatever the answer shows (a message inside a report, an error's
    // causes) is said in the one language asked for.
    match hoso_i18n::speaking(out.catalogue_lang(), || run(cli, &out)) {
        Ok(code) => code,
        Err(e) => {
            out.error(&e);
            ExitCode::from(1)
        }
    }
}

fn load_config(g: &Global) -> anyhow::Result<config::Config> {
    config::load(&config::Overrides {
        config_file: g.config.clone(),
        data_dir: g.data_dir.clone(),
        unit: g.unit.clone(),
    })
}

fn open(g: &Global) -> anyhow::Result<App> {
    let config = load_config(g)?;
    let actor = g
        .actor
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_else(|| "unknown".into());
    App::open(config, hoso_core::Actor::system(actor))
}

/// The key that opens a chip: `--key`, else the MRZ read off the card scan.
fn chip_key(key: Option<&str>, card: Option<&hoso_ocr::CardReading>) -> anyhow::Result<hoso_chip::MrzKey> {
    if let Some(key) = key {
        let parts: Vec<&str> = key.split(',').collect();
        let [document, birth, expiry] = parts.as_slice() else {
            bail!(err!("chip-key-shape"));
        };
        return Ok(hoso_chip::MrzKey::new(document, birth, expiry)?);
    }
    match card.and_then(|c| c.mrz.as_ref()) {
        Some(m) => Ok(hoso_chip::MrzKey::new(&m.document_number, &m.birth_yymmdd, &m.expiry_yymmdd)?),
        None => bail!(err!("chip-key-needed")),
    }
}

/// `hoso verify`'s exit code when not every signature is valid: the worst verdict's.
fn verify_exit_code(reports: &[hoso_sign::SignatureReport]) -> Option<u8> {
    use hoso_sign::Verdict;
    if reports.is_empty() {
        return Some(4);
    }
    // Worst first.
    [
        (Verdict::Invalid, 4),
        (Verdict::Changed, 8),
        (Verdict::Revoked, 6),
        (Verdict::Untrusted, 5),
        (Verdict::RevocationUnknown, 7),
    ]
    .into_iter()
    .find(|(verdict, _)| reports.iter().any(|r| r.verdict == *verdict))
    .map(|(_, code)| code)
}

fn run(cli: Cli, out: &Out) -> anyhow::Result<ExitCode> {
    let g = &cli.global;
    match cli.command {
        Command::Record(RecordCmd::New {
            procedure,
            name,
            id,
            phone,
            address,
            channel,
            from_card,
            from_chip,
            reader,
            key,
        }) => {
            let mut app = open(g)?;
            let reading = from_card.as_deref().map(|path| app.read_card(path)).transpose()?;
            let card = match (&reading, from_chip) {
                (Some(r), false) => Some(r.applicant_or_why()?),
                // With the chip, a card scan is the key and what the chip is compared with.
                (Some(r), true) => r.applicant(),
                (None, _) => None,
            };
            let personal_id = id.map(|s| s.parse::<PersonalId>()).transpose()?;
            let mut applicant = match card {
                Some(c) => Applicant {
                    name: if name.is_empty() { c.name } else { name },
                    personal_id: personal_id.or(c.personal_id),
                    phone: phone.or(c.phone),
                    address: address.or(c.address),
                    identity: c.identity,
                },
                None => Applicant { name, personal_id, phone, address, ..Default::default() },
            };
            if from_chip {
                let key = chip_key(key.as_deref(), reading.as_ref())?;
                let chip = app.read_chip(reader.as_deref(), &key, Some(&applicant))?;
                out.chip_for_record(&chip);
                // The chip's name and ID stand; phone and a typed address stay.
                let from_chip = chip.applicant_or_refusal()?;
                applicant = Applicant {
                    phone: applicant.phone,
                    address: applicant.address.or(from_chip.address.clone()),
                    ..from_chip
                };
            }
            let channel = match channel {
                ChannelArg::InPerson => Channel::InPerson,
                ChannelArg::Online => Channel::Online,
                ChannelArg::Post => Channel::Post,
            };
            let record = app.new_record(&procedure, applicant, channel)?;
            out.record_created(&record);
        }
        Command::Record(RecordCmd::List { state, limit }) => {
            let state = state.map(|s| s.parse::<RecordState>()).transpose()?;
            let list = open(g)?.list_records(state, limit)?;
            out.record_list(&list);
        }
        Command::Page(PageCmd::Out { page }) => {
            open(g)?.leave_out_page(page, true)?;
            out.page_left_out(page, true);
        }
        Command::Page(PageCmd::In { page }) => {
            open(g)?.leave_out_page(page, false)?;
            out.page_left_out(page, false);
        }
        Command::Record(RecordCmd::Show { record }) => {
            let app = open(g)?;
            out.record_detail(&app.record_detail(&record)?);
            out.text_summary(&app.record_text(&record)?);
        }
        Command::Record(RecordCmd::Text { record, out: folder }) => {
            let pages = open(g)?.record_text(&record)?;
            match folder {
                Some(folder) => {
                    std::fs::create_dir_all(&folder)?;
                    for (page, text) in &pages {
                        let name = format!("{}-{}.txt", page.component, page.ordinal);
                        let body = text.as_ref().map_or("", |t| t.text.as_str());
                        std::fs::write(folder.join(name), body)?;
                    }
                    out.texts_written(pages.len(), &folder);
                }
                None => out.texts(&pages),
            }
        }
        Command::Import { record, files, component } => {
            let report = open(g)?.import(&record, component, &files)?;
            out.import(&report);
            if report.failed() > 0 {
                return Ok(ExitCode::from(3));
            }
        }
        Command::Process { workers, build } => {
            let workers = workers.unwrap_or_else(hoso_core::default_workers);
            out.process(&open(g)?.process_with(workers, build, &mut |_| {})?);
        }
        Command::Procedures { action: Some(ProceduresCmd::Import { file }), .. } => {
            let (report, catalogue) = open(g)?.import_procedures(&file)?;
            out.procedures_imported(&report, &catalogue);
            if !report.skipped.is_empty() {
                return Ok(ExitCode::from(3));
            }
        }
        Command::Procedures { search: None, action: None } => out.procedures(&open(g)?.config().catalogue),
        Command::Procedures { search: Some(query), action: None } => {
            let app = open(g)?;
            let found = app.config().catalogue.search(&query, usize::MAX);
            out.procedures(&hoso_model::Catalogue::new(found.into_iter().cloned().collect()));
        }
        Command::Config => out.settings(&load_config(g)?),
        Command::Certify { record, name, title, certificate, components, pin_env } => {
            let pin =
                std::env::var(&pin_env).map_err(|_| hoso_i18n::err!("cli-pin-env", variable = &pin_env))?;
            let req = hoso_core::CertifyRequest {
                pin: hoso_sign::Pin::new(pin),
                certifier_name: name,
                certifier_title: title,
                certificate,
                components: (!components.is_empty()).then_some(components),
            };
            out.certify(&open(g)?.certify(&record, &req)?);
        }
        Command::Verify { file, roots } => {
            let reports = open(g)?.verify_file(&file, roots.as_deref())?;
            out.verify(&reports);
            if let Some(code) = verify_exit_code(&reports) {
                return Ok(ExitCode::from(code));
            }
        }
        Command::Book { year } => {
            let app = open(g)?;
            let year =
                year.unwrap_or_else(|| hoso_core::now().format("%Y").to_string().parse().unwrap_or(2026));
            out.book(&app.book(year)?);
        }
        Command::Doctor { network } => {
            // No App: the doctor must speak even when the store cannot open.
            let config = load_config(g)?;
            let options = hoso_core::doctor::Options { network_scanners: network, ..Default::default() };
            let checks = hoso_core::doctor::run(&config, &options);
            out.doctor(&checks);
            return Ok(ExitCode::from(hoso_core::doctor::exit_code(&checks) as u8));
        }
        Command::Tokens => {
            let app = open(g)?;
            out.tokens(&hoso_sign::list_certificates(&app.config().pkcs11_module)?);
        }
        Command::User(cmd) => {
            let mut app = open(g)?;
            match cmd {
                UserCmd::Add { username, name, role } => {
                    let a = app.add_account(&username, &name, role.into(), &password_from_env()?)?;
                    out.accounts(&[a]);
                }
                UserCmd::List => out.accounts(&app.accounts()?),
                UserCmd::Passwd { username } => app.set_password(&username, &password_from_env()?)?,
                UserCmd::Disable { username } => app.set_account_disabled(&username, true)?,
                UserCmd::Enable { username } => app.set_account_disabled(&username, false)?,
            }
        }
        Command::Seal { record } => out.sealed(&open(g)?.seal(&record)?),
        Command::Sync { what: Some(SyncCmd::Status), .. } => out.ledger(&open(g)?.sync_ledger()?),
        Command::Sync { what: Some(SyncCmd::Key), .. } => out.device_key(&open(g)?.device_key()?),
        Command::Sync { what: Some(SyncCmd::Retry { record }), .. } => {
            let mut app = open(g)?;
            app.retry_sync(&record)?;
            out.ledger(&app.sync_ledger()?);
        }
        Command::Sync { what: None, hub, now } => {
            let report = open(g)?.sync(hub.as_deref(), now)?;
            out.sync(&report);
            if !report.rejected.is_empty() || !report.postponed.is_empty() {
                return Ok(ExitCode::from(3));
            }
        }
        Command::Reuse { record, attach: Some(sha256), component: Some(component) } => {
            out.reuse_attached(&open(g)?.attach_reused(&record, component, &sha256)?)
        }
        Command::Reuse { record, .. } => out.reusable(&open(g)?.reusable(&record)?),
        Command::Export { record, dir } => out.export(&open(g)?.export(&record, &dir)?),
        Command::Build { record, pdfa_part } => {
            let part = if pdfa_part == 1 { hoso_pdf::PdfaPart::One } else { hoso_pdf::PdfaPart::Two };
            out.build(&open(g)?.build_as(&record, part)?);
        }
        Command::Card(CardCmd::Chip { chip, portrait }) => {
            let mut app = open(g)?;
            let card = chip.image.as_deref().map(|path| app.read_card(path)).transpose()?;
            let key = chip_key(chip.key.as_deref(), card.as_ref())?;
            let printed = card.as_ref().and_then(|c| c.applicant());
            let reading = app.read_chip(chip.reader.as_deref(), &key, printed.as_ref())?;
            if let (Some(path), Some(p)) = (&portrait, &reading.data.portrait) {
                std::fs::write(path, &p.bytes).with_context(|| err!("file-cannot-write", file = path))?;
            }
            out.chip(&reading);
            if !reading.verified() {
                return Ok(ExitCode::from(3));
            }
        }
        Command::Card(CardCmd::Readers) => out.readers(&hoso_chip::reader::readers()?),
        Command::Card(CardCmd::Read { image }) => {
            let reading = open(g)?.read_card(&image)?;
            out.card(&reading);
            if reading.applicant().is_none() {
                return Ok(ExitCode::from(3));
            }
        }
        Command::Devices { network } => {
            let config = load_config(g)?;
            let listed: Vec<_> = config
                .scanners(network)?
                .into_iter()
                .map(|d| {
                    let caps = config.open_scanner(&d.id).map(|s| s.capabilities().clone());
                    (d, caps)
                })
                .collect();
            out.devices(&listed);
        }
        Command::Scan {
            record,
            device,
            profile,
            source,
            resolution,
            mode,
            component,
            options,
            process,
            wait,
        } => {
            let mut app = open(g)?;
            let plan = match profile {
                Some(name) => app.profile_plan(&name)?,
                None => {
                    let mut plan = hoso_core::ScanPlan::own(hoso_scan::ScanSettings {
                        source: match source {
                            SourceArg::Feeder | SourceArg::ManualDuplex => hoso_scan::Source::Feeder,
                            SourceArg::Duplex => hoso_scan::Source::FeederDuplex,
                            SourceArg::Flatbed => hoso_scan::Source::Flatbed,
                        },
                        resolution,
                        mode: match mode {
                            ModeArg::Colour => hoso_scan::ColourMode::Colour,
                            ModeArg::Gray => hoso_scan::ColourMode::Gray,
                            ModeArg::Bw => hoso_scan::ColourMode::BlackWhite,
                        },
                        ..hoso_scan::ScanSettings::default()
                    });
                    plan.options = options;
                    plan.manual_duplex = matches!(source, SourceArg::ManualDuplex);
                    plan
                }
            };
            let device = match device.or_else(|| plan.device.clone()) {
                Some(d) => d,
                None => app.config().default_scanner()?,
            };
            let mut scanner = app.config().open_scanner(&device)?;
            let stacks = plan.waits(wait).then(stacks_from_stdin);
            let report = app.scan(&record, component, scanner.as_mut(), &plan, stacks.as_deref(), |e| {
                out.scan_event(&e)
            })?;
            out.scan(&report);
            if process && !report.pages.is_empty() {
                out.process(&app.process(hoso_core::default_workers())?);
            }
            if report.failure.is_some() {
                return Ok(ExitCode::from(if report.pages.is_empty() { 1 } else { 3 }));
            }
        }
        Command::Watch { record, folder, component, settle_ms, idle_exit } => {
            let mut app = open(g)?;
            let folder = folder
                .or_else(|| app.config().watch_folder.clone())
                .ok_or(hoso_i18n::err!("cli-no-watch-folder"))?;
            out.watching(&folder);
            let report = app.watch(
                &record,
                component,
                &folder,
                std::time::Duration::from_millis(settle_ms),
                idle_exit.map(std::time::Duration::from_secs),
                |f| out.watched_file(f),
            )?;
            out.watch_done(&report);
            if !report.rejected.is_empty() {
                return Ok(ExitCode::from(3));
            }
        }
        Command::Audit(AuditCmd::Verify { hub }) => {
            let v = open(g)?.verify_audit(hub)?;
            out.audit(&v);
            if !v.intact() {
                return Ok(ExitCode::from(4));
            }
        }
        Command::Store(StoreCmd::Check { deep }) => {
            let report = open(g)?.check(deep)?;
            out.check(&report);
            if !report.is_ok() {
                return Ok(ExitCode::from(4));
            }
        }
        Command::Demo { samples } => {
            let mut app = open(g)?;
            let record = app.new_record(
                "2.000815",
                Applicant {
                    name: "Ngô Thị Ngọc".into(),
                    personal_id: Some("079187247726".parse()?),
                    phone: Some("0772 242 777".into()),
                    address: Some("31 Hai Bà Trưng, phường Sài Gòn, TP. Hồ Chí Minh".into()),
                    ..Default::default()
                },
                Channel::InPerson,
            )?;
            out.record_created(&record);
            let report = app.import(&record.code.to_string(), 1, &[samples])?;
            out.import(&report);
            out.process(&app.process(hoso_core::default_workers())?);
            out.record_detail(&app.record_detail(&record.code.to_string())?);
            out.text_summary(&app.record_text(&record.code.to_string())?);
            let code = record.code.to_string();
            out.build(&app.build(&code)?);
            let export = app.config().data_dir.join("export");
            out.export(&app.export(&code, &export)?);
            out.demo_result(&app.config().data_dir, &code);
        }
    }
    Ok(ExitCode::SUCCESS)
}
