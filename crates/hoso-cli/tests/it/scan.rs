//! `hoso devices`, `hoso scan` and `hoso watch` with real counterparts: SANE's
//! `test` backend (a real SANE driver, no hardware) through a private
//! SANE_CONFIG_DIR, and a real folder.

use std::process::Stdio;

use crate::crash::{assert_consistent, kill_when, wait_until};
use crate::*;

/// A private SANE config enabling only the test backend, A4-sized.
pub fn sane_conf() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dll.conf"), "test\n").unwrap();
    let stock = std::fs::read_to_string("/etc/sane.d/test.conf").expect("sane-utils / libsane1 installed");
    std::fs::write(dir.path().join("test.conf"), stock.replace("geometry_max 200.0", "geometry_max 300.0"))
        .unwrap();
    dir
}

fn scan_cmd(data: &Path, conf: &Path, args: &[&str]) -> Command {
    let mut c = cmd(data, args);
    c.env("SANE_CONFIG_DIR", conf);
    c
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(o), stderr(o)))
}

#[test]
fn devices_scan_jam_and_low_resolution() {
    let conf = sane_conf();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let o = scan_cmd(&data, conf.path(), &["--json", "devices"]).run();
    let devices = json(&o);
    let test0 =
        devices.as_array().unwrap().iter().find(|d| d["device"]["id"] == "sane:test:0").expect("test:0");
    assert!(test0["capabilities"]["resolutions"].as_array().unwrap().contains(&300.into()));

    let code = new_record(&data);
    // A feeder batch: the test backend's feeder holds ten sheets.
    let o =
        scan_cmd(&data, conf.path(), &["--json", "scan", &code, "--device", "sane:test:0", "--mode", "gray"])
            .args(["--resolution", "200", "--option", "test-picture=Grid"])
            .run();
    assert!(o.status.success(), "{}", stderr(&o));
    let report = json(&o);
    assert_eq!(report["pages"].as_array().unwrap().len(), 10, "{report}");
    assert!(report["failure"].is_null());

    // A jam: a clear message, exit 1, the earlier pages untouched.
    let o = scan_cmd(&data, conf.path(), &["scan", &code, "--device", "sane:test:0", "--source", "flatbed"])
        .args(["--option", "read-return-value=SANE_STATUS_JAMMED"])
        .run();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("paper jam"), "{}", stdout(&o));
    assert_eq!(pages_in_db(&data), 10);

    // 150 dpi is below the 200 dpi of Circular 05/2025: stored, then rejected by the gate.
    let o = scan_cmd(&data, conf.path(), &["scan", &code, "--device", "sane:test:0", "--source", "flatbed"])
        .args(["--resolution", "150", "--mode", "gray", "--process"])
        .run();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = hoso(&data, &["--json", "record", "show", &code]);
    let detail = json(&o);
    let pages = detail["components"][0]["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 11);
    let low = pages.iter().find(|p| p["dpi"] == 150.0).expect("the 150 dpi page");
    assert_eq!(low["state"], "failed");
    assert!(low["note"].as_str().unwrap().contains("200 dpi"), "{low}");
    assert!(pages.iter().filter(|p| p["dpi"] == 200.0).all(|p| p["state"] == "processed"));
    assert_consistent(&data);
}

#[test]
fn sigkill_mid_scan_keeps_every_stored_page() {
    let conf = sane_conf();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let code = new_record(&data);
    // Slow reads (20 ms per buffer) so the batch is still running when killed.
    let mut child =
        scan_cmd(&data, conf.path(), &["scan", &code, "--device", "sane:test:0", "--mode", "gray"])
            .args(["--option", "read-delay=yes", "--option", "read-delay-duration=20000"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
    kill_when(&mut child, || data.join("hoso.db").exists() && pages_in_db(&data) >= 3);
    let stored = pages_in_db(&data);
    assert!(stored < 10, "the batch was not interrupted");
    assert_consistent(&data);
    // Every stored page is whole and has its processing job: processing reads them all.
    let o = hoso(&data, &["--json", "process", "--workers", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)["processed"].as_i64(), Some(stored));
}

#[test]
fn watched_folder_imports_finished_files_and_rejects_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let code = new_record(&data);
    let folder = dir.path().join("inbox");
    std::fs::create_dir_all(&folder).unwrap();
    write_png(&folder, "scan-001.png", &page(620, 877, 0));
    std::fs::write(folder.join("scan-002.jpg"), b"not a jpeg").unwrap();
    let o = hoso(
        &data,
        &[
            "--json",
            "watch",
            &code,
            "--folder",
            folder.to_str().unwrap(),
            "--settle-ms",
            "300",
            "--idle-exit",
            "2",
        ],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let report = json(&o);
    assert_eq!(report["imported"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["rejected"][0]["error_code"], "not_an_image", "{report}");
    assert!(folder.join("imported/scan-001.png").is_file());
    assert!(folder.join("rejected/scan-002.jpg").is_file());
    assert!(std::fs::read_to_string(folder.join("rejected/scan-002.jpg.txt")).unwrap().contains("JPEG"));
    assert_eq!(pages_in_db(&data), 1);
}

/// Runs `hoso scan --wait` as a clerk at the terminal: at each wait (a `⏸`
/// line), `answer` gets the wait's number (from 0) and says the line to type,
/// or `None` to end the input. Returns the output and every line said on
/// standard error. A batch still running after two minutes is killed.
fn scan_answering(
    cmd: &mut Command,
    mut answer: impl FnMut(usize) -> Option<String>,
) -> (Output, Vec<String>) {
    use std::io::{BufRead, BufReader, Write};
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let pid = child.id().to_string();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(120));
        let _ = Command::new("kill").args(["-9", &pid]).status();
    });
    let mut stdin = child.stdin.take();
    let mut said = Vec::new();
    let mut waits = 0;
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        if line.starts_with('⏸') {
            match answer(waits) {
                Some(a) => writeln!(stdin.as_mut().unwrap(), "{a}").unwrap(),
                None => drop(stdin.take()),
            }
            waits += 1;
        }
        said.push(line);
    }
    (child.wait_with_output().unwrap(), said)
}

/// `hoso scan --wait`, answered as a clerk at the terminal would: the batch
/// waits when the feeder runs empty (the test backend's feeder holds ten
/// sheets, and holds ten more on the next start, as a reloaded feeder would),
/// Enter scans the next stack, end of input finishes. A jam waits too, with
/// its reason, instead of ending the batch.
#[test]
fn a_waiting_batch_scans_stack_after_stack_until_the_clerk_finishes() {
    let conf = sane_conf();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let code = new_record(&data);
    // Answers each wait with the next line of `answers`; none left: end of input.
    let scan = |extra: &[&str], answers: &[&str]| {
        let mut cmd = scan_cmd(&data, conf.path(), &["--json", "scan", &code, "--device", "sane:test:0"]);
        cmd.args(["--mode", "gray", "--resolution", "100", "--wait"]).args(extra);
        let (out, said) = scan_answering(&mut cmd, |n| answers.get(n).map(|a| (*a).to_owned()));
        let waits: Vec<String> = said.into_iter().filter(|l| l.starts_with('⏸')).collect();
        assert!(out.status.success(), "{waits:?}");
        (json(&out), waits)
    };

    // Two stacks: Enter after the first, end of input after the second.
    let (report, waits) = scan(&[], &[""]);
    assert_eq!(report["pages"].as_array().unwrap().len(), 20, "{report}");
    assert_eq!(report["stacks"], 2, "{report}");
    assert!(report["failure"].is_null(), "{report}");
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert!(waits[0].contains("Kept 10 pages") && waits[0].contains("Load the next stack"), "{waits:?}");
    assert!(waits[1].contains("Kept 20 pages"), "{waits:?}");

    // A jam on every stack: each one waits with the reason; `x` finishes.
    let (report, waits) = scan(&["--option", "read-return-value=SANE_STATUS_JAMMED"], &["", "x"]);
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert!(waits.iter().all(|w| w.contains("paper jam") && w.contains("clear the paper")), "{waits:?}");
    assert_eq!(report["stacks"], 2, "{report}");
    assert!(report["failure"].is_null(), "the clerk finished: {report}");
    assert_eq!(pages_in_db(&data), 20, "the jam lost no page stored before it");
    assert_consistent(&data);
}

/// The SANE driver runs in `hoso-scan-worker`, a process of its own: killed
/// mid-batch (as a crashing driver would end), it takes only itself down.
/// `hoso` goes on, says the driver stopped, keeps every page stored before and
/// exits with 3 (pages kept, batch cut short).
#[test]
fn a_killed_driver_worker_leaves_the_app_running_and_the_pages_kept() {
    let conf = sane_conf();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let code = new_record(&data);
    let mut child =
        scan_cmd(&data, conf.path(), &["--json", "scan", &code, "--device", "sane:test:0", "--mode", "gray"])
            .args(["--option", "read-delay=yes", "--option", "read-delay-duration=20000"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
    wait_until(&mut child, || data.join("hoso.db").exists() && pages_in_db(&data) >= 3);
    // The worker is `hoso`'s child; the driver's own threads live in it.
    let workers =
        Command::new("pgrep").args(["-P", &child.id().to_string(), "hoso-scan-work"]).output().unwrap();
    let worker = String::from_utf8_lossy(&workers.stdout).trim().to_owned();
    assert!(!worker.is_empty(), "no worker process under hoso");
    assert!(Command::new("kill").args(["-9", &worker]).status().unwrap().success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let report = json(&out);
    let kept = report["pages"].as_array().unwrap().len();
    assert!((3..10).contains(&kept), "{report}");
    assert_eq!(report["failure"]["code"], "driver_crashed", "{report}");
    assert!(report["failure"]["message"].as_str().unwrap().contains("scanner driver"), "{report}");
    assert_eq!(pages_in_db(&data) as usize, kept);
    assert_consistent(&data);
}

/// Separator sheets through a real SANE driver: SANE's `pnm` backend serves an
/// image file as its glass, and the test lays one sheet on it for each stack of
/// a batch that waits: a page, the separator sheet of component 2 (`GCS` of the
/// birth registration), another page, a sheet with a Patch T, a last page. The
/// QR sheet sends the page after it to component 2, the Patch T the last page
/// to the next component, 3; each sheet stays, left out of the PDF/A.
/// A private SANE config enabling only the `pnm` backend, whose glass is a file.
fn pnm_conf() -> tempfile::TempDir {
    let conf = tempfile::tempdir().unwrap();
    std::fs::write(conf.path().join("dll.conf"), "pnm\n").unwrap();
    conf
}

/// Lays `sheet` on the `pnm` glass `glass`.
fn lay(glass: &Path, sheet: &GrayImage) {
    let mut pgm = format!("P5\n{} {}\n255\n", sheet.width(), sheet.height()).into_bytes();
    pgm.extend_from_slice(sheet.as_raw());
    std::fs::write(glass, pgm).unwrap();
}

/// A printed sheet with a QR code: A4 at 300 dpi, the code about 60 mm wide.
fn qr_sheet(text: &str) -> GrayImage {
    let mut sheet = GrayImage::from_pixel(2480, 3508, Luma([255]));
    let qr = card::qr_image(text);
    let qr =
        image::imageops::resize(&qr, qr.width() * 3, qr.height() * 3, image::imageops::FilterType::Nearest);
    image::imageops::overlay(&mut sheet, &qr, 900, 700);
    sheet
}

/// `hoso scan` on the `pnm` glass of `conf` in a batch that waits, each sheet
/// of `sheets` its own stack: the output and what was said on standard error.
fn scan_sheets(
    data: &Path,
    conf: &Path,
    code: &str,
    glass: &Path,
    sheets: &[GrayImage],
) -> (Output, Vec<String>) {
    lay(glass, &sheets[0]);
    let mut cmd = scan_cmd(data, conf, &["--json", "scan", code, "--device", "sane:pnm:0"]);
    cmd.args(["--source", "flatbed", "--resolution", "300", "--wait"])
        .args(["--option", &format!("filename={}", glass.display())]);
    // Each wait: the next sheet on the glass and Enter; none left: the end.
    scan_answering(&mut cmd, |n| {
        sheets.get(n + 1).map(|sheet| {
            lay(glass, sheet);
            String::new()
        })
    })
}

#[test]
fn a_separator_sheet_sends_the_pages_after_it_to_its_component() {
    let conf = pnm_conf();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let code = new_record(&data);
    let glass = dir.path().join("glass.pgm");
    let separator = qr_sheet("HOSO-SEP:GCS");
    // A Patch T as pre-printed sheets carry it: narrow, wide, narrow, wide bars
    // (0.08 and 0.20 inch, 0.08 inch apart), 2.5 inches long.
    let mut patch = GrayImage::from_pixel(2480, 3508, Luma([250]));
    let mut x = 600;
    for width in [24, 60, 24, 60] {
        for (px, py) in (x..x + width).flat_map(|px| (900..1650).map(move |py| (px, py))) {
            patch.put_pixel(px, py, Luma([15]));
        }
        x += width + 24;
    }
    let sheets = [page(2480, 3508, 0), separator, page(2480, 3508, 7), patch, page(2480, 3508, 9)];
    let (out, said) = scan_sheets(&data, conf.path(), &code, &glass, &sheets);
    assert!(out.status.success(), "{said:#?}");
    let report = json(&out);
    assert_eq!((report["stacks"].as_u64(), report["separators"].as_u64()), (Some(5), Some(2)), "{report}");
    assert!(said.iter().any(|l| l.contains("Separator sheet GCS")), "{said:#?}");
    assert!(said.iter().any(|l| l.contains("Separator sheet Patch T")), "{said:#?}");

    let o = hoso(&data, &["--json", "record", "show", &code]);
    let shown = json(&o);
    let pages = |c: usize| shown["components"][c]["pages"].as_array().unwrap().clone();
    assert_eq!(pages(0).len(), 1, "{shown}");
    assert!(pages(0)[0]["left_out"].is_null(), "{shown}");
    let second = pages(1);
    assert_eq!(second.len(), 2, "{shown}");
    assert_eq!(second[0]["left_out"], "separator", "{shown}");
    assert!(second[1]["left_out"].is_null(), "{shown}");
    let third = pages(2);
    assert_eq!(third.len(), 2, "{shown}");
    assert_eq!((third[0]["left_out"].as_str(), third[1]["left_out"].as_str()), (Some("separator"), None));
    assert_consistent(&data);
}

/// Manual duplex on a one-sided feeder: the fronts (the test backend's feeder
/// holds ten sheets), a wait while the clerk turns the stack over, the backs,
/// which come last sheet first; then the record holds front 1, back 1, front
/// 2, … The clerk who finishes at the turn-over keeps the fronts as scanned.
#[test]
fn a_manual_duplex_batch_puts_fronts_and_backs_in_sheet_order() {
    let conf = sane_conf();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let code = new_record(&data);
    let scan = |answers: &[&str]| {
        let mut cmd = scan_cmd(&data, conf.path(), &["--json", "scan", &code, "--device", "sane:test:0"]);
        cmd.args(["--source", "manual-duplex", "--mode", "gray", "--resolution", "100"]);
        let (out, said) = scan_answering(&mut cmd, |n| answers.get(n).map(|a| (*a).to_owned()));
        assert!(out.status.success(), "{said:#?}");
        (json(&out), said.into_iter().filter(|l| l.starts_with('⏸')).collect::<Vec<_>>())
    };
    let order = || {
        let shown = json(&hoso(&data, &["--json", "record", "show", &code]));
        let pages = shown["components"][0]["pages"].as_array().unwrap().clone();
        pages.iter().map(|p| p["id"].as_i64().unwrap()).collect::<Vec<_>>()
    };

    // Enter at the turn-over; the backs running out ends the batch by itself.
    let (report, waits) = scan(&[""]);
    assert_eq!(waits.len(), 1, "{waits:?}");
    assert!(
        waits[0].contains("Scanned 10 fronts") && waits[0].contains("Turn the whole stack over"),
        "{waits:?}"
    );
    assert_eq!(
        report["manual_duplex"],
        serde_json::json!({ "fronts": 10, "backs": 10, "interleaved": true })
    );
    let scanned: Vec<i64> = report["pages"].as_array().unwrap().iter().map(|p| p.as_i64().unwrap()).collect();
    let (fronts, backs) = scanned.split_at(10);
    let sheets: Vec<i64> = fronts.iter().zip(backs.iter().rev()).flat_map(|(f, b)| [*f, *b]).collect();
    assert_eq!(order(), sheets, "front 1, back 1 (scanned last), front 2, …");

    // Finished at the turn-over: the fronts stay as scanned, after the others.
    let (report, _) = scan(&["x"]);
    assert_eq!(
        report["manual_duplex"],
        serde_json::json!({ "fronts": 10, "backs": 0, "interleaved": false })
    );
    let fronts: Vec<i64> = report["pages"].as_array().unwrap().iter().map(|p| p.as_i64().unwrap()).collect();
    assert_eq!(order()[20..], fronts[..]);
    assert_consistent(&data);
}

/// A counter's scan profiles (config.toml): `--profile` scans with the
/// profile's scanner, source, resolution, colour and driver options; its page
/// count splits the stack into components; its blank threshold decides which
/// pages are blank backs (white paper is blank by the built-in threshold, not
/// under a threshold of 0 %). A profile cannot be bent by flags, and an unknown
/// one is named.
#[test]
fn a_profile_fixes_how_the_counter_scans() {
    let conf = sane_conf();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let config = write_config(
        &dir.path().join("config.toml"),
        r#"scan_profiles = [
  { name = "Split by four", device = "sane:test:0", resolution = 100, mode = "gray", split_every = 4, options = { test-picture = "Grid" } },
  { name = "White, built-in", device = "sane:test:0", source = "flatbed", resolution = 200, mode = "gray", options = { test-picture = "Solid white" } },
  { name = "White, never blank", device = "sane:test:0", source = "flatbed", resolution = 200, mode = "gray", blank_threshold = 0.0, options = { test-picture = "Solid white" } },
]
"#,
    );
    let run = |args: &[&str]| {
        let mut c = scan_cmd(&data, conf.path(), args);
        c.env("HOSO_CONFIG", &config);
        c.output().unwrap()
    };
    let code = {
        let o = run(&NEW_RECORD);
        assert!(o.status.success(), "{}", stderr(&o));
        record_code(&o.stdout)
    };
    let o = run(&["--json", "scan", &code, "--profile", "Split by four"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = json(&o);
    assert_eq!(report["profile"], "Split by four");
    assert_eq!(report["device"], "sane:test:0");
    assert_eq!(report["pages"].as_array().unwrap().len(), 10, "{report}");
    let shown = |o: Output| json(&o);
    let record = shown(run(&["--json", "record", "show", &code]));
    let counts: Vec<usize> =
        (0..3).map(|c| record["components"][c]["pages"].as_array().unwrap().len()).collect();
    assert_eq!(counts, [4, 4, 2], "{record}");
    assert!(stderr(&o).contains("4 pages done: the pages after them go to component 2"), "{}", stderr(&o));
    let first = &record["components"][0]["pages"][0];
    assert!(first["dpi"].as_f64().is_some_and(|d| (d - 100.0).abs() < 1.0), "{first}");

    for profile in ["White, built-in", "White, never blank"] {
        let o = run(&["--json", "scan", &code, "--component", "3", "--profile", profile, "--process"]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let record = shown(run(&["--json", "record", "show", &code]));
    let white = record["components"][2]["pages"].as_array().unwrap().clone();
    let left_out: Vec<&serde_json::Value> = white[2..].iter().map(|p| &p["left_out"]).collect();
    assert_eq!(left_out, [&serde_json::json!("blank"), &serde_json::Value::Null], "{record}");

    let o = run(&["scan", &code, "--profile", "Split by four", "--resolution", "600"]);
    assert_eq!(o.status.code(), Some(2), "a profile is not bent by flags: {}", stderr(&o));
    let o = run(&["scan", &code, "--profile", "Nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("no scan profile \"Nope\"") || stderr(&o).contains("no scan profile \"Nope\"")
    );
}

/// Paper that comes back: a batch started on one record holds another
/// record's receipt slip (its QR code is the record code), and the pages
/// after the slip go to that record, the slip kept there as a separator; a
/// component's separator sheet after it names that record's component. The
/// slip of a record this counter does not hold (or one that takes no more
/// pages) sends nothing anywhere: the pages stay where they were going.
#[test]
fn a_receipt_slip_sends_the_pages_after_it_to_its_record() {
    let conf = pnm_conf();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let (first, second) = (new_record(&data), new_record(&data));
    let glass = dir.path().join("glass.pgm");
    let sheets = [
        page(2480, 3508, 0),
        qr_sheet(&second),
        page(2480, 3508, 7),
        qr_sheet("HOSO-SEP:GCS"),
        page(2480, 3508, 9),
        qr_sheet("000.00.01.H29-261231-9999"),
        page(2480, 3508, 11),
    ];
    let (out, said) = scan_sheets(&data, conf.path(), &first, &glass, &sheets);
    assert!(out.status.success(), "{said:#?}");
    let report = json(&out);
    assert_eq!(report["other_records"], serde_json::json!([second]), "{report}");
    assert_eq!(report["separators"], 3, "{report}");
    assert!(
        said.iter().any(|l| l.contains(&format!("Receipt slip of record {second}: the pages after it go")))
    );
    assert!(said.iter().any(|l| l.contains("no such record takes pages")), "{said:#?}");
    let pages = |code: &str, c: usize| {
        let shown = json(&hoso(&data, &["--json", "record", "show", code]));
        let pages = shown["components"][c]["pages"].as_array().unwrap().clone();
        pages.iter().map(|p| p["left_out"].as_str().unwrap_or("in").to_owned()).collect::<Vec<_>>()
    };
    assert_eq!(pages(&first, 0), ["in"]);
    assert_eq!(pages(&second, 0), ["separator", "in"]);
    assert_eq!(pages(&second, 1), ["separator", "in", "separator", "in"]);
    assert_consistent(&data);
}
