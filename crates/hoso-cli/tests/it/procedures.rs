//! The city's procedure list: `hoso procedures import` reads a CSV of 2,400
//! procedures (one row per component, below a title, with a BOM, as a
//! spreadsheet saves it) and an XLSX, says which rows it left out and why,
//! and makes the result the counter's catalogue; `--search` finds procedures
//! as the new-record screen does, with or without diacritics.

use crate::*;

const FIELDS: [&str; 6] = ["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Cư trú", "Hộ kinh doanh"];
const VERBS: [&str; 6] = ["Đăng ký", "Cấp", "Cấp lại", "Điều chỉnh", "Gia hạn", "Xác nhận"];
const OBJECTS: [&str; 8] = [
    "kết hôn",
    "giấy phép xây dựng",
    "hộ kinh doanh",
    "tạm trú",
    "quyền sử dụng đất",
    "chứng chỉ hành nghề",
    "nhận cha, mẹ, con",
    "giám hộ",
];

/// A CSV field, quoted.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The export: a title, the headings, 2,400 procedures (a line of their own,
/// then two or three components each), and some rows that cannot be read.
fn export() -> String {
    let mut csv = String::from("\u{feff}Danh mục thủ tục hành chính — TP. Hồ Chí Minh,,,,,,,\n");
    csv.push_str("Mã TTHC,Tên thủ tục hành chính,Lĩnh vực,Cấp thực hiện,Mã thành phần,Thành phần hồ sơ,Bắt buộc,Bản sao chứng thực\n");
    let mut row = |cells: [&str; 8]| {
        csv.push_str(&cells.map(q).join(","));
        csv.push('\n');
    };
    row(["1.001193", "Đăng ký khai sinh", "Hộ tịch", "Cấp xã", "", "", "", ""]);
    row(["1.001193", "", "", "", "TK", "Tờ khai đăng ký khai sinh", "x", ""]);
    row(["1.001193", "", "", "", "GCS", "Giấy chứng sinh", "x", ""]);
    row(["1.001193", "", "", "", "UQ", "Văn bản ủy quyền", "không", ""]);
    for i in 0..2399 {
        let code = format!("2.{:06}", i + 1);
        let name = format!(
            "{} {}{}",
            VERBS[i % VERBS.len()],
            OBJECTS[(i / VERBS.len()) % OBJECTS.len()],
            if i % 3 == 0 { " có yếu tố nước ngoài" } else { "" }
        );
        let field = FIELDS[i % FIELDS.len()];
        let level = if i % 2 == 0 { "Cấp xã" } else { "Cấp tỉnh" };
        row([&code, &name, field, level, "", "", "", ""]);
        row([&code, "", "", "", "", "Tờ khai", "Có", "Không"]);
        row([&code, "", "", "", "", "Giấy tờ tùy thân", "Có", "Có"]);
        if i % 2 == 0 {
            row([&code, "", "", "", "", "Giấy tờ khác (nếu có)", "Không", ""]);
        }
    }
    // Rows that cannot be read: no code, a flag that is neither yes nor no,
    // a component twice, a procedure without components.
    row(["", "Thủ tục không mã", "Hộ tịch", "", "", "Tờ khai", "", ""]);
    row(["2.000001", "", "", "", "", "Bản vẽ", "có lẽ", ""]);
    row(["1.001193", "", "", "", "TK", "Tờ khai (lần nữa)", "x", ""]);
    row(["9.999999", "Thủ tục chưa có thành phần", "Đất đai", "Cấp tỉnh", "", "", "", ""]);
    csv
}

#[test]
fn the_citys_procedure_list_imports_and_is_searched_as_the_clerk_types() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let config = write_config(&dir.path().join("config.toml"), "");
    let file = dir.path().join("danh-muc.csv");
    let text = export();
    std::fs::write(&file, &text).unwrap();
    // The four rows that cannot be read are the file's last (a row a line here).
    let last = text.lines().count();
    let run = |args: &[&str]| cmd(&data, args).env("HOSO_CONFIG", &config).run();

    let o = run(&["procedures", "import", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "some rows were left out: {}{}", stdout(&o), stderr(&o));
    let said = stdout(&o);
    assert!(said.contains("Imported 2400 procedures (") && said.contains("4 rows left out"), "{said}");
    let errs = stderr(&o);
    for (row, why) in [
        (last - 3, "no procedure code"),
        (last - 2, "not yes/no"),
        (last - 1, "«TK» is in this procedure already"),
        (last, "«9.999999» has no component"),
    ] {
        assert!(errs.contains(&format!("row {row}: ")) && errs.contains(why), "row {row} ({why}):\n{errs}");
    }
    // The catalogue in force is the imported one, written beside the store.
    assert!(std::fs::read_to_string(&config).unwrap().contains("procedures.toml"));
    let o = run(&["--json", "procedures"]);
    let all: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let procedures = all["procedure"].as_array().unwrap();
    assert_eq!(procedures.len(), 2400);
    let birth = procedures.iter().find(|p| p["code"] == "1.001193").unwrap();
    assert_eq!(birth["field"], "Hộ tịch");
    assert_eq!(birth["components"].as_array().unwrap().len(), 3);
    assert_eq!(birth["components"][2]["required"], false);
    let second = &procedures[1]["components"];
    assert_eq!(second[1]["needs_certification"], true, "{second}");
    assert_eq!(second[0]["code"], "TP1", "a component without a code gets one");

    // Searched as the new-record screen does, with or without diacritics.
    let search = |q: &str| -> Vec<String> {
        let o = run(&["--json", "procedures", "--search", q]);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["procedure"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(search("dang ky khai sinh"), ["1.001193"]);
    assert_eq!(search("Đăng ký khai"), ["1.001193"]);
    assert_eq!(search("1.001193"), ["1.001193"]);
    let guardianship = search("xac nhan giam ho");
    assert!(!guardianship.is_empty(), "several procedures");
    assert!(guardianship.len() < 100, "{}", guardianship.len());
    // A record opens for an imported procedure with its checklist.
    let o = run(&["--json", "record", "new", "--procedure", "2.000002"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn an_xlsx_export_imports_too() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let config = write_config(&dir.path().join("config.toml"), "");
    let file = dir.path().join("danh-muc.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: [[&str; 6]; 4] = [
        ["Procedure code", "Procedure name", "Field", "Component", "Required", "Certified"],
        ["1.004222", "Đăng ký thường trú", "Cư trú", "Tờ khai thay đổi thông tin cư trú", "yes", "no"],
        ["1.004222", "Đăng ký thường trú", "Cư trú", "Giấy tờ chứng minh chỗ ở hợp pháp", "yes", "yes"],
        ["2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực", "Bản chính", "yes", "yes"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    book.save(&file).unwrap();
    let o = cmd(&data, &["procedures", "import", file.to_str().unwrap()]).env("HOSO_CONFIG", &config).run();
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("Imported 2 procedures (3 components) from 3 rows"), "{}", stdout(&o));
    let o = cmd(&data, &["--json", "procedures", "--search", "thuong tru"]).env("HOSO_CONFIG", &config).run();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["procedure"][0]["code"], "1.004222");
    assert_eq!(v["procedure"][0]["components"][1]["needs_certification"], true);

    // A file that is no procedure list is refused, and the catalogue stays.
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "a,b,c\n1,2,3\n").unwrap();
    let o = cmd(&data, &["procedures", "import", other.to_str().unwrap()]).env("HOSO_CONFIG", &config).run();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no heading row"), "{}", stderr(&o));
    let o = cmd(&data, &["--json", "procedures"]).env("HOSO_CONFIG", &config).run();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["procedure"].as_array().unwrap().len(), 2);
}
