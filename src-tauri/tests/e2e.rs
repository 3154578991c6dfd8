//! The real desktop app (the `hoso-desktop` binary: Tauri 2, WebKitGTK) in a
//! virtual display (Xvfb), driven over WebDriver by tauri-driver and
//! WebKitWebDriver: a receptionist picks the counter's scan profile with one key
//! and scans four sheets on SANE's pnm glass in a batch that waits for each
//! next one (a page, a QR separator sheet that sends the rest to the second
//! component, a blank back left out of the PDF/A, a page), imports a sample
//! scan, builds the PDF/A; a supervisor certifies
//! with a SoftHSM2 token, seals (the receipt slip) and syncs to the reference
//! hub on a loopback port.
//! Screenshots of the real window go to target/e2e-screenshots/.

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use common::{Counter, Killed, workspace};
use serde_json::{Value, json};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A WebDriver session (W3C protocol, JSON over HTTP).
struct Driver {
    http: reqwest::blocking::Client,
    base: String,
    shots: PathBuf,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Driver {
    fn try_send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value, Value> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b.to_string());
        }
        let resp = req.send().unwrap_or_else(|e| panic!("WebDriver {path}: {e}"));
        let status = resp.status();
        let v: Value = serde_json::from_slice(&resp.bytes().unwrap()).unwrap();
        if status.is_success() { Ok(v["value"].clone()) } else { Err(v) }
    }

    fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.try_send(method, path, body).unwrap_or_else(|v| panic!("WebDriver {path}: {v}"))
    }

    /// Does `action` to the element `selector` names. The screen re-renders
    /// when a task moves on (as a person would see a button redrawn), so an
    /// element found a moment ago may be gone: find it again and retry.
    fn on_element(&self, selector: &str, action: &str, body: Value) {
        for _ in 0..20 {
            let id = self.element(selector);
            match self.try_send(reqwest::Method::POST, &format!("/element/{id}/{action}"), Some(body.clone()))
            {
                Ok(_) => return,
                Err(v) if v["value"]["error"] == "stale element reference" => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(v) => panic!("WebDriver {action} {selector}: {v}"),
            }
        }
        panic!("{selector} kept going stale");
    }

    /// Runs JavaScript in the app's window and returns its value.
    fn js(&self, script: &str, args: Value) -> Value {
        self.send(reqwest::Method::POST, "/execute/sync", Some(json!({ "script": script, "args": args })))
    }

    fn wait(&self, what: &str, timeout: Duration, script: &str, args: Value) -> Value {
        let start = Instant::now();
        loop {
            let v = self.js(script, args.clone());
            if !v.is_null() && v != json!(false) {
                return v;
            }
            if start.elapsed() > timeout {
                self.shot("failure");
                panic!("timed out waiting for {what}");
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    fn wait_for(&self, selector: &str, timeout: Duration) {
        self.wait(selector, timeout, "return !!document.querySelector(arguments[0])", json!([selector]));
    }

    fn element(&self, selector: &str) -> String {
        self.wait_for(selector, Duration::from_secs(30));
        let v = self.send(
            reqwest::Method::POST,
            "/element",
            Some(json!({ "using": "css selector", "value": selector })),
        );
        v[ELEMENT].as_str().unwrap().to_owned()
    }

    fn click(&self, selector: &str) {
        self.on_element(selector, "click", json!({}));
    }

    fn type_into(&self, selector: &str, text: &str) {
        self.on_element(selector, "clear", json!({}));
        self.on_element(selector, "value", json!({ "text": text }));
    }

    fn select(&self, selector: &str, value: &str) {
        self.element(selector);
        self.js(
            "const s = document.querySelector(arguments[0]); s.value = arguments[1]; \
             s.dispatchEvent(new Event('change', { bubbles: true })); return s.value",
            json!([selector, value]),
        );
    }

    fn text(&self, selector: &str) -> String {
        self.element(selector);
        self.js("return document.querySelector(arguments[0]).textContent", json!([selector]))
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    fn shot(&self, name: &str) {
        // Let the window paint what the DOM already holds.
        self.js(
            "return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))",
            json!([]),
        );
        std::thread::sleep(Duration::from_millis(300));
        let v = self.send(reqwest::Method::GET, "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap_or_default()).unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }

    fn sign_in(&self, user: &str, password: &str) {
        self.type_into("input[name=username]", user);
        self.type_into("input[name=password]", password);
        self.click("form.login button[type=submit]");
        self.wait_for("nav", Duration::from_secs(30));
    }
}

fn tauri_driver() -> PathBuf {
    std::env::var_os("HOSO_TAURI_DRIVER").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tools/cargo/bin/tauri-driver")
    })
}

#[test]
fn scan_certify_seal_and_sync_in_the_real_app() {
    let root = workspace();
    let counter = Counter::new("UBND phường Bến Thành", "quay-02");
    // The counter's one scan profile: SANE's pnm backend, whose glass is a
    // file the test lays each sheet in, one sheet a stack.
    counter.set_profiles(&format!(
        "[{{ name = \"Mặt kính, từng tờ\", device = \"sane:pnm:0\", source = \"flatbed\", resolution = 300, \
         wait = true, options = {{ filename = '{}' }} }}]",
        counter.glass().display()
    ));
    let sheets = [
        common::text_sheet(1240, 1754, 0),
        {
            // The separator sheet the record screen prints for component HTCO.
            let mut sheet = image::GrayImage::from_pixel(1240, 1754, image::Luma([255]));
            image::imageops::overlay(&mut sheet, &common::qr_image("HOSO-SEP:HTCO", 12), 420, 300);
            sheet
        },
        image::GrayImage::from_pixel(1240, 1754, image::Luma([252])), // the blank back
        common::text_sheet(1240, 1754, 3),
    ];
    counter.lay(&sheets[0]);

    // A virtual display, then tauri-driver in front of WebKitWebDriver.
    // A display number nobody holds: a display left by a killed Xvfb keeps its
    // lock and socket, and an app sent there cannot open its window.
    let free = (90..400)
        .find(|n| {
            !Path::new(&format!("/tmp/.X{n}-lock")).exists()
                && !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
        })
        .expect("a free X display number");
    let display = format!(":{free}");
    let mut xvfb = Killed(
        Command::new("Xvfb")
            .args([display.as_str(), "-screen", "0", "1366x768x24", "-nolisten", "tcp"])
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb (package xvfb)"),
    );
    // The app opens its window as soon as the session starts: wait for the
    // display's socket first (on a cold machine Xvfb takes a while, and an app
    // without its display ends before the driver can answer).
    let socket = format!("/tmp/.X11-unix/X{}", &display[1..]);
    let started = Instant::now();
    while !Path::new(&socket).exists() {
        assert!(started.elapsed() < Duration::from_secs(30), "Xvfb did not open {display}");
        assert!(matches!(xvfb.0.try_wait(), Ok(None)), "Xvfb ended before it opened {display}");
        std::thread::sleep(Duration::from_millis(50));
    }
    let (port, native_port) = (free_port(), free_port());
    let driver_exe = tauri_driver();
    let mut command = Command::new(&driver_exe);
    command
        .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
        .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
        // Its own process group, ended with it: WebKitWebDriver included.
        .process_group(0)
        .env("DISPLAY", &display)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    counter.env(&mut command);
    let mut driver =
        Killed(command.spawn().unwrap_or_else(|e| {
            panic!("{}: {e} (scripts/setup installs tauri-driver)", driver_exe.display())
        }));
    let stdout = driver.0.stdout.take().unwrap();
    std::thread::spawn(move || for _ in BufReader::new(stdout).lines() {});
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "tauri-driver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    // tauri-driver starts WebKitWebDriver beside itself and passes the new
    // session to it: asked before WebKitWebDriver listens (a loaded machine),
    // it drops the connection (IncompleteMessage). Wait for both.
    while std::net::TcpStream::connect(("127.0.0.1", native_port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(60), "WebKitWebDriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }

    hoso_sync::install_tls_provider();
    let http = reqwest::blocking::Client::builder().timeout(Duration::from_secs(120)).build().unwrap();
    let capabilities = json!({ "capabilities": { "alwaysMatch": {
        "browserName": "wry",
        "tauri:options": { "application": env!("CARGO_BIN_EXE_hoso-desktop") }
    }}});
    let session: Value = serde_json::from_slice(
        &http
            .post(format!("http://127.0.0.1:{port}/session"))
            .header("content-type", "application/json")
            .body(capabilities.to_string())
            .send()
            .unwrap()
            .bytes()
            .unwrap(),
    )
    .unwrap();
    let id =
        session["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {session}")).to_owned();
    let shots = root.join("target/e2e-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let d = Driver { http, base: format!("http://127.0.0.1:{port}/session/{id}"), shots };

    // Reception: a record; a batch of four sheets on the glass with the
    // counter's profile, each its own stack: a page of the first component,
    // the separator sheet of the second, a blank back, a page; then the PDF/A.
    d.wait_for("form.login", Duration::from_secs(60));
    d.shot("01-sign-in");
    d.sign_in("lan", "quay-mot-123");
    d.js("location.hash = '#/new'", json!([]));
    d.select("select[name=procedure]", "1.004222");
    d.type_into("input[name=name]", "Võ Thị Sáu");
    d.click("form.new-record button[type=submit]");
    d.wait_for("section.component[data-component='2']", Duration::from_secs(30));
    let code = d.text("main h1").rsplit(' ').next().unwrap().to_owned();
    let first = "section.component[data-component='1']";
    d.click(&format!("{first} details.scan summary"));
    // The clerk picks the profile with one key; no settings of her own are offered.
    d.js("document.dispatchEvent(new KeyboardEvent('keydown', { key: '1' }))", json!([]));
    let chosen =
        d.js(&format!("return document.querySelector(\"{first} select[name=profile]\").value"), json!([]));
    assert_eq!(chosen, "Mặt kính, từng tờ");
    assert_eq!(
        d.js(&format!("return document.querySelectorAll(\"{first} select[name=source]\").length"), json!([])),
        0
    );
    d.click(&format!("{first} button.scan-button"));
    let pages_in = |component: u32| {
        format!(
            "document.querySelectorAll(\"section.component[data-component='{component}'] figure.page\").length"
        )
    };
    d.wait_for("#tasks .task.waiting button.scan-next", Duration::from_secs(60));
    d.shot("01b-waiting-for-the-next-stack");
    assert!(d.text("#tasks .task.waiting").contains("Đặt xấp giấy tiếp theo"), "{}", d.text("#tasks"));
    // Each wait: the next sheet on the glass, then "scan next".
    for (n, sheet) in sheets.iter().enumerate().skip(1) {
        counter.lay(sheet);
        d.click("#tasks .task.waiting button.scan-next");
        d.wait(
            "the sheet stored and the batch waiting again",
            Duration::from_secs(60),
            &format!(
                "return {} + {} === {} && !!document.querySelector('#tasks .task.waiting')",
                pages_in(1),
                pages_in(2),
                n + 1
            ),
            json!([]),
        );
    }
    d.js("document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))", json!([]));
    d.wait(
        "the batch finished with four sheets in four stacks",
        Duration::from_secs(30),
        "return [...document.querySelectorAll('#tasks .task.done')].some(t => t.textContent.includes('4 trang trong 4 xấp'))",
        json!([]),
    );
    let second = "section.component[data-component='2']";
    d.wait(
        "the separator kept out of the PDF/A, the blank back flagged, the pages read",
        Duration::from_secs(180),
        &format!(
            "return {} === 1 && {} === 3 \
                && !!document.querySelector(\"{second} figure.page[data-left-out=separator]\") \
                && !!document.querySelector(\"{second} figure.page.processed[data-left-out=blank]\") \
                && document.querySelectorAll(\"figure.page.processed img\").length === 4",
            pages_in(1),
            pages_in(2)
        ),
        json!([]),
    );
    d.shot("01c-separator-and-blank-back");
    // A sample scan through the window's file input (WebDriver hands it the
    // file as a person picking it would); its bytes cross Tauri's IPC.
    let sample = workspace().join("../shared/samples/pages/dev_p05.png");
    d.on_element(
        "section.component[data-component='1'] input[name=files]",
        "value",
        json!({ "text": sample.to_str().unwrap() }),
    );
    d.wait(
        "the picked file read as a second page of the first component",
        Duration::from_secs(180),
        "return document.querySelectorAll(\"section.component[data-component='1'] figure.page.processed img\").length === 2",
        json!([]),
    );
    assert!(d.text("main .status").contains("Đã nhập 1 trang"), "{}", d.text("main .status"));
    d.click("button.build-button");
    d.wait_for(".doc.pdfa:not(.stale)", Duration::from_secs(120));
    d.shot("02-scanned-and-built");
    d.click("header button:last-child");

    // Supervisor: certify with the token, seal, sync.
    d.sign_in("minh", "giam-sat-456");
    d.js("location.hash = '#/certify'", json!([]));
    d.wait_for("table.queue", Duration::from_secs(30));
    d.select("select[name=certificate]", &counter.fingerprint("certifier"));
    d.type_into("input[name=pin]", "123456");
    d.shot("03-certify");
    d.click("form.certify button[type=submit]");
    d.wait_for("#tasks .task.done[data-kind=certify]", Duration::from_secs(120));
    d.js(&format!("location.hash = '#/record/{code}'"), json!([]));
    d.wait_for(".doc.certified", Duration::from_secs(30));
    d.click("button.seal-button");
    d.wait_for("dialog.slip .qr svg", Duration::from_secs(30));
    assert_eq!(d.text("dialog.slip .slip-code").trim(), code);
    d.shot("04-receipt-slip");
    d.click("dialog.slip .no-print button:last-child");
    d.js("location.hash = '#/sync'", json!([]));
    d.click("button.sync-button");
    d.wait_for("table.ledger tr[data-state=synced]", Duration::from_secs(120));
    d.shot("05-synced");
    let events = d.js("return window.hosoTaskEvents ?? 0", json!([]));
    assert!(events.as_u64().unwrap_or(0) >= 5, "task progress arrived as Tauri events: {events}");
    let _ = d.http.delete(d.base.clone()).send();

    assert_eq!(counter.hub.record_count().unwrap(), 1, "the record is at the hub, once");
}
