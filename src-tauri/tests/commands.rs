//! `Desktop::call`, the one entry point of the front end, without a window:
//! sign-in gates every command, roles are enforced in Rust whatever the UI
//! shows, bad input gets a message for the person at the counter, and nothing
//! stored is lost when a command is refused.

use hoso_desktop::command::ErrorCode;
use serde_json::{Value, json};

fn desktop(dir: &std::path::Path) -> hoso_desktop::Desktop {
    let config = dir.join("config.toml");
    std::fs::write(&config, "unit = \"000.00.01.H29\"\nagency = \"UBND phường Sài Gòn\"\n").unwrap();
    let cfg = hoso_core::config::load(&hoso_core::config::Overrides {
        config_file: Some(config),
        data_dir: Some(dir.join("store")),
        unit: None,
    })
    .unwrap();
    let mut app = hoso_core::App::open(cfg.clone(), hoso_core::Actor::system("it")).unwrap();
    app.add_account("it01", "Cán bộ CNTT", hoso_core::Role::Admin, "quan-tri-789").unwrap();
    app.add_account("lan", "Nguyễn Thị Lan", hoso_core::Role::Reception, "quay-mot-123").unwrap();
    drop(app);
    hoso_desktop::Desktop::open(cfg).unwrap()
}

fn ok(d: &hoso_desktop::Desktop, command: &str, args: Value) -> Value {
    d.call(command, args).unwrap_or_else(|e| panic!("{command}: {e}"))
}

/// The English of a refusal (a message not yet in the catalogue carries both languages).
fn refused(d: &hoso_desktop::Desktop, command: &str, args: Value) -> String {
    d.call(command, args).expect_err(command).message.en
}

/// The code a refusal carries, which the window acts on.
fn refused_as(d: &hoso_desktop::Desktop, command: &str, args: Value) -> ErrorCode {
    d.call(command, args).expect_err(command).code
}

#[test]
fn sign_in_and_roles_gate_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    let d = desktop(tmp.path());

    // Before sign-in: only the session and sign-in answer.
    let session = ok(&d, "session", json!({}));
    assert_eq!((session["user"].clone(), session["no_accounts"].clone()), (Value::Null, json!(false)));
    assert!(refused(&d, "records", json!({})).contains("not signed in"));
    assert_eq!(refused_as(&d, "records", json!({})), ErrorCode::NotSignedIn);
    // From the catalogue: each language alone.
    let not_signed_in = d.call("records", json!({})).unwrap_err().message;
    assert_eq!((not_signed_in.vi.as_str(), not_signed_in.en.as_str()), ("chưa đăng nhập", "not signed in"));
    let not_a_pdf = json!({ "file": { "name": "copy.pdf", "data": "JVBERi0xLjcK" } });
    assert!(refused(&d, "verify", not_a_pdf.clone()).contains("not signed in"));
    assert!(
        refused(&d, "login", json!({ "username": "lan", "password": "wrong-password" })).contains("wrong")
    );
    assert!(refused(&d, "login", json!({ "username": "lan" })).contains("bad arguments"));
    assert_eq!(refused_as(&d, "login", json!({ "username": "lan" })), ErrorCode::BadArguments);
    assert_eq!(refused_as(&d, "login", json!({ "username": "lan", "password": "x" })), ErrorCode::Failed);

    // Reception: records yes; certification, tokens and accounts no.
    assert_eq!(
        ok(&d, "login", json!({ "username": "lan", "password": "quay-mot-123" }))["role"],
        "reception"
    );
    let record = ok(
        &d,
        "record_new",
        json!({ "procedure": "2.000815", "applicant": { "name": "Phạm Thị Hoa", "personal_id": "079070752696" } }),
    );
    let code = record["code"].as_str().unwrap().to_owned();
    assert_eq!(record["components"][0]["needs_certification"], true);
    // Anyone signed in may check a signed file; one that is no PDF is said to be so.
    assert!(refused(&d, "verify", not_a_pdf).contains("the PDF cannot be read"));
    assert!(
        refused(
            &d,
            "record_new",
            json!({ "procedure": "2.000815", "applicant": { "name": "X", "personal_id": "12" } })
        )
        .contains("invalid personal ID")
    );
    assert!(
        refused(&d, "record_new", json!({ "procedure": "9.999999", "applicant": { "name": "X" } }))
            .contains("9.999999")
    );
    for (command, args) in [
        ("certify", json!({ "codes": [code.clone()], "pin": "123456" })),
        ("tokens", json!({})),
        ("accounts", json!({})),
        ("settings_save", json!({ "changes": [["agency", "Quầy giả"]] })),
        (
            "account_add",
            json!({ "username": "x", "display_name": "X", "role": "admin", "password": "12345678" }),
        ),
    ] {
        let e = d.call(command, args).expect_err(command);
        assert!(
            e.message.en.contains("supervisor") || e.message.en.contains("administrators"),
            "{command}: {e}"
        );
        assert!(e.message.vi.starts_with("chỉ "), "{command}: {}", e.message.vi);
        assert_eq!(e.code, ErrorCode::Forbidden, "{command}");
    }
    assert!(
        refused(&d, "account_password", json!({ "username": "it01", "password": "takeover-123" }))
            .contains("administrators")
    );
    ok(&d, "account_password", json!({ "username": "lan", "password": "quay-moi-4567" })); // one's own
    assert!(refused(&d, "no_such_command", json!({})).contains("unknown command"));
    assert_eq!(refused_as(&d, "no_such_command", json!({})), ErrorCode::UnknownCommand);
    ok(&d, "logout", json!({}));
    assert!(refused(&d, "record", json!({ "code": code })).contains("not signed in"));

    // Admin: accounts; a new supervisor; the record opened by reception is still there.
    ok(&d, "login", json!({ "username": "it01", "password": "quan-tri-789" }));
    ok(
        &d,
        "account_add",
        json!({ "username": "minh", "display_name": "Trần Văn Minh", "role": "supervisor", "password": "giam-sat-456" }),
    );
    assert!(
        refused(
            &d,
            "account_add",
            json!({ "username": "minh2", "display_name": "M", "role": "supervisor", "password": "short" })
        )
        .contains("8")
    );
    ok(&d, "account_disable", json!({ "username": "lan", "disabled": true }));
    let accounts = ok(&d, "accounts", json!({}));
    let names: Vec<&str> =
        accounts.as_array().unwrap().iter().map(|a| a["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["it01", "lan", "minh"]);
    assert_eq!(ok(&d, "record", json!({ "code": code }))["applicant"]["name"], "Phạm Thị Hoa");
    ok(&d, "logout", json!({}));
    assert!(
        refused(&d, "login", json!({ "username": "lan", "password": "quay-moi-4567" })).contains("disabled")
    );

    // Supervisor: the certification queue answers (empty: nothing built yet).
    ok(&d, "login", json!({ "username": "minh", "password": "giam-sat-456" }));
    assert_eq!(ok(&d, "certification_queue", json!({})), json!([]));
    let session = ok(&d, "session", json!({}));
    assert_eq!(session["user"]["display_name"], "Trần Văn Minh");
}

/// What the window's file pickers send: the files' bytes, base64.
fn picked(name: &str, bytes: &[u8]) -> Value {
    use base64::Engine;
    json!({ "name": name, "data": base64::engine::general_purpose::STANDARD.encode(bytes) })
}

#[test]
fn picked_files_are_imported_by_their_bytes_and_bad_ones_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let d = desktop(tmp.path());
    ok(&d, "login", json!({ "username": "lan", "password": "quay-mot-123" }));
    let record = ok(
        &d,
        "record_new",
        json!({ "procedure": "2.000815", "applicant": { "name": "Phạm Thị Hoa", "personal_id": "079070752696" } }),
    );
    let code = record["code"].as_str().unwrap().to_owned();
    let mut png = Vec::new();
    image::GrayImage::from_fn(850, 1100, |x, y| {
        image::Luma([if (y / 30) % 2 == 1 && x % 40 < 30 { 20 } else { 240 }])
    })
    .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
    .unwrap();

    // A path from the picker is never sent, only the name, which becomes the origin.
    let files = json!([
        picked("/home/lan/Tải xuống/trang-1.png", &png),
        picked("ghi-chu.docx", b"PK\x03\x04 not an image")
    ]);
    let result = ok(&d, "import", json!({ "code": code, "component": 1, "files": files }));
    assert_eq!(result["pages"], 1, "{result}");
    let failed = result["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{result}");
    assert!(failed[0]["vi"].as_str().unwrap().starts_with("ghi-chu.docx: không phải ảnh"), "{result}");
    assert!(failed[0]["en"].as_str().unwrap().starts_with("ghi-chu.docx: "), "{result}");
    assert_eq!(result["already"], 0, "{result}");
    let pages = &ok(&d, "record", json!({ "code": code }))["components"][0]["pages"];
    assert_eq!(pages.as_array().unwrap().len(), 1, "{pages}");

    // Picked again: the record already has it. A transfer that arrives damaged
    // is refused as a whole, and what was stored stays.
    let again =
        ok(&d, "import", json!({ "code": code, "component": 1, "files": [picked("trang-1.png", &png)] }));
    assert_eq!(again["pages"], 0, "{again}");
    assert_eq!(again["already"], 1, "{again}");
    let damaged = json!([{ "name": "trang-2.png", "data": "iVBORw0KGgo%%%" }]);
    let e = refused(&d, "import", json!({ "code": code, "component": 1, "files": damaged }));
    assert!(e.contains("trang-2.png was damaged in transfer"), "{e}");
    let pages = &ok(&d, "record", json!({ "code": code }))["components"][0]["pages"];
    assert_eq!(pages.as_array().unwrap().len(), 1, "{pages}");

    // A picked card image that is no image says so.
    let e = refused(&d, "read_card", json!({ "file": picked("cccd.pdf", b"%PDF-1.7") }));
    assert!(e.contains("the card image cccd.pdf cannot be used"), "{e}");
}

/// Scan profiles lock how a counter scans: once the administrator set some, a
/// clerk scans with one of them only (refused in Rust, whatever the window
/// offers), an unknown one is named, and the administrator may still choose
/// settings of their own. Profiles are edited on the settings screen and
/// checked before they are saved.
#[test]
fn scan_profiles_lock_how_a_clerk_scans() {
    let tmp = tempfile::tempdir().unwrap();
    let d = desktop(tmp.path());
    ok(&d, "login", json!({ "username": "lan", "password": "quay-mot-123" }));
    let record =
        ok(&d, "record_new", json!({ "procedure": "1.001193", "applicant": { "name": "Lê Minh Nam" } }));
    let code = record["code"].as_str().unwrap().to_owned();
    let own = json!({ "code": code, "component": 1, "device": "sane:none", "resolution": 300 });
    // No profiles yet: settings of one's own (the scan task itself fails: no such scanner).
    assert_eq!(ok(&d, "scan_profiles", json!({})), json!([]));
    ok(&d, "scan", own.clone());
    ok(&d, "logout", json!({}));

    ok(&d, "login", json!({ "username": "it01", "password": "quan-tri-789" }));
    let bad = r#"[{ name = "A4", resolution = 50 }]"#;
    let e = d.call("settings_save", json!({ "changes": [["scan_profiles", bad]] })).unwrap_err();
    assert!(e.message.en.contains("a resolution of 50 dpi cannot be used"), "{e}");
    let profiles = r#"[{ name = "A4", source = "feeder", resolution = 300 }, { name = "Manual duplex", manual_duplex = true }]"#;
    ok(&d, "settings_save", json!({ "changes": [["scan_profiles", profiles]] }));
    let listed = ok(&d, "scan_profiles", json!({}));
    assert_eq!(listed[1]["name"], "Manual duplex");
    assert_eq!(listed[1]["manual_duplex"], true);
    ok(&d, "scan", own.clone()); // an administrator may
    ok(&d, "logout", json!({}));

    ok(&d, "login", json!({ "username": "lan", "password": "quay-mot-123" }));
    let e = d.call("scan", own).unwrap_err();
    assert_eq!(e.code, ErrorCode::Failed);
    assert!(e.message.en.contains("choose a scan profile"), "{e}");
    assert!(e.message.vi.contains("chọn một cấu hình quét"), "{}", e.message.vi);
    let with =
        |profile: &str| json!({ "code": code, "component": 1, "device": "sane:none", "profile": profile });
    assert!(refused(&d, "scan", with("Nope")).contains("no scan profile \"Nope\""));
    ok(&d, "scan", with("A4"));
}
