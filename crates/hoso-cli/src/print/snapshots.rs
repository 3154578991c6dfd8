//! What the printers write, as text in each language and as JSON, checked
//! against snapshots (expect-test: `UPDATE_EXPECT=1 cargo test -p hoso-cli
//! --bin hoso` rewrites them after a deliberate change; review the diff).

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use expect_test::{Expect, expect};

use super::{Lang, Out};

/// A writer the test keeps a handle on.
#[derive(Clone, Default)]
struct Buf(Rc<RefCell<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn printed(lang: Lang, json: bool, print: impl FnOnce(&Out)) -> String {
    let buf = Buf::default();
    print(&Out::to(lang, json, buf.clone()));
    String::from_utf8(buf.0.take()).unwrap()
}

fn check(lang: Lang, json: bool, print: impl FnOnce(&Out), expected: Expect) {
    expected.assert_eq(&printed(lang, json, print));
}

fn accounts() -> Vec<hoso_core::Account> {
    let account = |username: &str, display_name: &str, role, disabled| hoso_core::Account {
        username: username.into(),
        display_name: display_name.into(),
        role,
        disabled,
        created_at: "2026-12-05T09:00:00+07:00".into(),
    };
    vec![
        account("it01", "Cán bộ CNTT", hoso_core::Role::Admin, false),
        account("lan", "Nguyễn Thị Lan", hoso_core::Role::Reception, true),
    ]
}

#[test]
fn accounts_in_both_languages_and_as_json() {
    check(
        Lang::Vi,
        false,
        |o| o.accounts(&accounts()),
        expect![[r#"
        it01             admin       Cán bộ CNTT
        lan              reception   Nguyễn Thị Lan (đã khoá)
    "#]],
    );
    check(
        Lang::En,
        false,
        |o| o.accounts(&accounts()),
        expect![[r#"
        it01             admin       Cán bộ CNTT
        lan              reception   Nguyễn Thị Lan (disabled)
    "#]],
    );
    check(
        Lang::En,
        true,
        |o| o.accounts(&accounts()[..1]),
        expect![[r#"
        [
          {
            "username": "it01",
            "display_name": "Cán bộ CNTT",
            "role": "admin",
            "disabled": false,
            "created_at": "2026-12-05T09:00:00+07:00"
          }
        ]
    "#]],
    );
}

#[test]
fn the_sync_ledger() {
    let entries = [
        hoso_core::LedgerEntry {
            record: "000.00.01.H29-261205-0001".into(),
            state: hoso_model::RecordState::Synced,
            attempts: 1,
            last_error: None,
        },
        hoso_core::LedgerEntry {
            record: "000.00.01.H29-261205-0002".into(),
            state: hoso_model::RecordState::Rejected,
            attempts: 3,
            last_error: Some("hub: manifest hash mismatch".into()),
        },
    ];
    check(
        Lang::Vi,
        false,
        |o| o.ledger(&entries),
        expect![[r#"
            000.00.01.H29-261205-0001  synced     1 lần
            000.00.01.H29-261205-0002  rejected   3 lần  hub: manifest hash mismatch
        "#]],
    );
    check(
        Lang::En,
        false,
        |o| o.ledger(&entries),
        expect![[r#"
            000.00.01.H29-261205-0001  synced     1 attempt
            000.00.01.H29-261205-0002  rejected   3 attempts  hub: manifest hash mismatch
        "#]],
    );
}

#[test]
fn doctor_checks() {
    use hoso_core::doctor::{Check, Status};
    let checks = [
        Check { name: "store", status: Status::Ok, detail: "/var/lib/hoso (12 records)".into(), hint: None },
        Check {
            name: "scanner",
            status: Status::Fail,
            detail: "no scanner found".into(),
            hint: Some("plug the scanner in; `hoso devices`".into()),
        },
        Check { name: "hub", status: Status::Skip, detail: "hub_url not set".into(), hint: None },
    ];
    check(
        Lang::Vi,
        false,
        |o| o.doctor(&checks),
        expect![[r#"
        ✓ store              /var/lib/hoso (12 records)
        ✗ scanner            no scanner found
                             → plug the scanner in; `hoso devices`
        - hub                hub_url not set
        Kết quả: 1 đạt, 0 cảnh báo, 1 lỗi
    "#]],
    );
    check(
        Lang::En,
        false,
        |o| o.doctor(&checks),
        expect![[r#"
            ✓ store              /var/lib/hoso (12 records)
            ✗ scanner            no scanner found
                                 → plug the scanner in; `hoso devices`
            - hub                hub_url not set
            Result: 1 ok, 0 warnings, 1 problem
        "#]],
    );
}

#[test]
fn the_procedure_catalogue_first_lines() {
    let config =
        hoso_core::config::parse_catalogue(include_str!("../../../../assets/procedures.toml")).unwrap();
    let text = printed(Lang::Vi, false, |o| o.procedures(&config));
    let head: String = text.lines().take(6).map(|l| format!("{l}\n")).collect();
    expect![[r#"
        1.001193  Đăng ký khai sinh
            1. [TK] Tờ khai đăng ký khai sinh
            2. [GCS] Giấy chứng sinh hoặc giấy tờ thay thế
            3. [UQ] Văn bản ủy quyền (khi nộp thay) (không bắt buộc)
        2.000815  Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp
            1. [BC] Bản chính giấy tờ, văn bản cần chứng thực (cần chứng thực)
    "#]]
    .assert_eq(&head);
}

/// Help as clap renders it, without the spaces it leaves at the end of lines.
fn trimmed(text: String) -> String {
    text.lines().map(|l| format!("{}\n", l.trim_end())).collect()
}

#[test]
fn help_texts() {
    use clap::CommandFactory;
    let mut cli = crate::Cli::command();
    expect![[r#"
        HoSo Intake: tiếp nhận và số hoá hồ sơ / record intake and digitisation

        Usage: hoso [OPTIONS] <COMMAND>

        Commands:
          doctor      Kiểm tra máy quầy / check this counter PC: store, disk, OCR models, scanner, token and certificates, trust roots, hub and clock. Exit 0 all well, 3 warnings, 1 a problem
          record      Hồ sơ: tạo, liệt kê, xem / records: open, list, show
          page        Trang: bỏ khỏi PDF/A hoặc đưa lại / pages: leave out of the PDF/A, or put back
          import      Nhập tệp ảnh (PNG, JPEG, TIFF nhiều trang) vào hồ sơ / import image files into a record
          process     Xử lý các trang đang chờ / process waiting pages
          devices     Máy quét / scanners this machine sees, with what they can do
          scan        Quét vào hồ sơ / scan a batch into a record; each page is stored before the next is read
          watch       Theo dõi thư mục quét / import scan files as they appear in a folder
          build       Dựng PDF/A / build the searchable PDF/A of every component of a record
          reuse       Tái sử dụng / what was already digitised for the record's applicant, at any counter (asks the hub, which logs the lookup)
          export      Xuất hồ sơ / write the record's PDFs (`<mã hồ sơ>.<n>.pdf`) and its XML into a folder
          certify     Chứng thực bản sao điện tử / certify copies with the token: statement and number from the certification book, certifier's signature, then the agency's
          verify      Kiểm tra chữ ký / verify the signatures of a PDF: exit 0 when all are valid; else by the worst: 4 invalid or no signature, 8 changed after signing, 6 revoked, 5 untrusted, 7 revocation not checked
          book        Sổ chứng thực / the certification book of a year
          tokens      Chứng thư trên token / certificates on the signing tokens
          seal        Niêm phong / seal a record: fix its manifest (every file's SHA-256) and queue it for the hub
          user        Tài khoản / accounts of the desktop app (IT): add, list, password, disable
          sync        Đồng bộ / send queued records to the hub; `status` shows the ledger, `key` this device's key
          card        Thẻ căn cước / identity cards
          procedures  Danh mục thủ tục / the procedure catalogue, with each procedure's checklist
          config      Cấu hình đang dùng: mỗi khoá, giá trị và nguồn / the configuration in force: each key, its value and where it comes from
          audit       Nhật ký kiểm tra / audit log
          store       Kho dữ liệu / the local store
          demo        Demo: a record from sample pages, imported and processed
          help        Print this message or the help of the given subcommand(s)

        Options:
              --data-dir <DATA_DIR>  Store folder (default: config, HOSO_DATA_DIR, ~/.local/share/hoso)
              --config <CONFIG>      Config file read instead of the user's (also HOSO_CONFIG)
              --unit <UNIT>          Receiving unit code, e.g. 000.00.01.H29 (also HOSO_UNIT)
              --json                 Print JSON instead of text
              --lang <LANG>          Language of messages [env: HOSO_LANG=] [default: vi] [possible values: vi, en]
              --actor <ACTOR>        Name written in the audit log (default: the login name)
          -h, --help                 Print help (see more with '--help')
          -V, --version              Print version
    "#]].assert_eq(&trimmed(cli.render_help().to_string()));
    use clap::Parser;
    let procedures = crate::Cli::try_parse_from(["hoso", "procedures", "--help"]).unwrap_err();
    expect![[r#"
        Danh mục thủ tục / the procedure catalogue, with each procedure's checklist

        Usage: hoso procedures [OPTIONS] [COMMAND]

        Commands:
          import  Nhập danh mục thủ tục của thành phố (CSV hoặc XLSX như CSDL quốc gia về TTHC xuất) làm danh mục của quầy / import the city's procedure list (CSV or XLSX as the national database of administrative procedures exports it) as this counter's catalogue
          help    Print this message or the help of the given subcommand(s)

        Options:
              --data-dir <DATA_DIR>
                  Store folder (default: config, HOSO_DATA_DIR, ~/.local/share/hoso)

              --search <SEARCH>
                  Chỉ các thủ tục tìm thấy, như màn hình hồ sơ mới tìm (mã, tên, lĩnh vực; có dấu hay không) / only the procedures this finds, as the new-record screen searches (code, name, field; with or without diacritics)

              --config <CONFIG>
                  Config file read instead of the user's (also HOSO_CONFIG)

              --unit <UNIT>
                  Receiving unit code, e.g. 000.00.01.H29 (also HOSO_UNIT)

              --json
                  Print JSON instead of text

              --lang <LANG>
                  Language of messages

                  Possible values:
                  - vi: Tiếng Việt
                  - en: English

                  [env: HOSO_LANG=]
                  [default: vi]

              --actor <ACTOR>
                  Name written in the audit log (default: the login name)

          -h, --help
                  Print help (see a summary with '-h')
    "#]]
    .assert_eq(&trimmed(procedures.render().to_string()));
    let devices = crate::Cli::try_parse_from(["hoso", "devices", "--help"]).unwrap_err();
    expect![[r#"
        Máy quét / scanners this machine sees, with what they can do

        Usage: hoso devices [OPTIONS]

        Options:
              --data-dir <DATA_DIR>
                  Store folder (default: config, HOSO_DATA_DIR, ~/.local/share/hoso)

              --network
                  Ask SANE's network backends too (eSCL/WSD discovery, a few seconds)

              --config <CONFIG>
                  Config file read instead of the user's (also HOSO_CONFIG)

              --unit <UNIT>
                  Receiving unit code, e.g. 000.00.01.H29 (also HOSO_UNIT)

              --json
                  Print JSON instead of text

              --lang <LANG>
                  Language of messages

                  Possible values:
                  - vi: Tiếng Việt
                  - en: English

                  [env: HOSO_LANG=]
                  [default: vi]

              --actor <ACTOR>
                  Name written in the audit log (default: the login name)

          -h, --help
                  Print help (see a summary with '-h')
    "#]]
    .assert_eq(&trimmed(devices.render().to_string()));
}
