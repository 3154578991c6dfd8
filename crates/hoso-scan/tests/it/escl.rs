//! The eSCL client against a scanner simulator on loopback.
//!
//! No eSCL scanner (nor a program that serves eSCL, such as AirSane) can be
//! installed here, so the server below is written for the tests. To keep it
//! honest it is first checked by a real eSCL client, sane-airscan (through
//! `scanimage`): what it serves is what a Debian desktop would accept from a
//! network scanner.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use hoso_scan::escl::EsclScanner;
use hoso_scan::{ColourMode, ScanError, ScanSettings, Scanner, Source};

/// How the simulated scanner behaves.
#[derive(Debug, Clone, Default)]
struct Behaviour {
    /// Sheets in the feeder.
    sheets: u32,
    /// Jam after this many pages of a feeder job.
    jam_after: Option<u32>,
    /// Answer ScanJobs with 503.
    busy: bool,
}

#[derive(Debug, Default)]
struct State {
    behaviour: Behaviour,
    jobs: u32,
    /// (pages sent, pages wanted, dpi, colour, deleted, not-ready-once answered)
    job: Option<(u32, u32, u32, bool, bool, bool)>,
    jammed: bool,
    deleted: u32,
    /// The job reads from the feeder, which each page it sends takes a sheet out of.
    feeder_job: bool,
}

struct Server {
    port: u16,
    state: Arc<Mutex<State>>,
}

/// What both the platen and the feeder offer.
const INPUT_CAPS: &str = r#"
      <scan:MinWidth>16</scan:MinWidth><scan:MaxWidth>2550</scan:MaxWidth>
      <scan:MinHeight>16</scan:MinHeight><scan:MaxHeight>3508</scan:MaxHeight>
      <scan:MaxScanRegions>1</scan:MaxScanRegions>
      <scan:SettingProfiles><scan:SettingProfile>
        <scan:ColorModes><scan:ColorMode>RGB24</scan:ColorMode><scan:ColorMode>Grayscale8</scan:ColorMode></scan:ColorModes>
        <scan:DocumentFormats><pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat><pwg:DocumentFormat>image/png</pwg:DocumentFormat></scan:DocumentFormats>
        <scan:SupportedResolutions><scan:DiscreteResolutions>
          <scan:DiscreteResolution><scan:XResolution>200</scan:XResolution><scan:YResolution>200</scan:YResolution></scan:DiscreteResolution>
          <scan:DiscreteResolution><scan:XResolution>300</scan:XResolution><scan:YResolution>300</scan:YResolution></scan:DiscreteResolution>
        </scan:DiscreteResolutions></scan:SupportedResolutions>
      </scan:SettingProfile></scan:SettingProfiles>
"#;

fn capabilities() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerCapabilities xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">
  <pwg:Version>2.63</pwg:Version>
  <pwg:MakeAndModel>HoSo Simulated-eSCL</pwg:MakeAndModel>
  <pwg:SerialNumber>0001</pwg:SerialNumber>
  <scan:UUID>4509a320-00a0-008f-00b6-002507510eca</scan:UUID>
  <scan:Platen><scan:PlatenInputCaps>{INPUT_CAPS}</scan:PlatenInputCaps></scan:Platen>
  <scan:Adf>
    <scan:AdfSimplexInputCaps>{INPUT_CAPS}</scan:AdfSimplexInputCaps>
    <scan:FeederCapacity>50</scan:FeederCapacity>
  </scan:Adf>
</scan:ScannerCapabilities>
"#
    )
}

fn tag(body: &str, name: &str) -> Option<String> {
    let start = body.find(&format!("{name}>"))? + name.len() + 1;
    let end = body[start..].find('<')? + start;
    Some(body[start..end].trim().to_owned())
}

/// A page the simulator "scans": a grey or colour page with a dark band.
fn page_png(dpi: u32, colour: bool) -> Vec<u8> {
    let (w, h) = (210 * dpi * 10 / 254, 297 * dpi * 10 / 254);
    let img = if colour {
        image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| {
            if y / 50 % 4 == 1 {
                image::Rgb([20, 20, 20])
            } else if x < 100 {
                image::Rgb([200, 30, 30])
            } else {
                image::Rgb([250, 250, 250])
            }
        }))
    } else {
        image::DynamicImage::ImageLuma8(image::GrayImage::from_fn(w, h, |_, y| {
            image::Luma([if y / 50 % 4 == 1 { 20 } else { 250 }])
        }))
    };
    hoso_imaging::encode_png(&img, dpi as f32, "")
}

fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
    let mut head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
}

fn handle(mut stream: TcpStream, state: &Mutex<State>, port: u16) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() || line.is_empty() {
        return;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or("").to_owned(), parts.next().unwrap_or("").to_owned());
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h == "\r\n" || h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; length];
    let _ = reader.read_exact(&mut body);
    let body = String::from_utf8_lossy(&body).into_owned();
    let xml = [("Content-Type", "text/xml".to_owned())];
    let mut s = state.lock().unwrap();
    match (method.as_str(), path.as_str()) {
        ("GET", "/eSCL/ScannerCapabilities") => {
            respond(&mut stream, "200 OK", &xml, capabilities().as_bytes())
        }
        ("GET", "/eSCL/ScannerStatus") => {
            let adf = if s.jammed {
                "ScannerAdfJam"
            } else if s.behaviour.sheets == 0 {
                "ScannerAdfEmpty"
            } else {
                "ScannerAdfLoaded"
            };
            let busy = if s.job.is_some_and(|j| !j.4 && j.0 < j.1) { "Processing" } else { "Idle" };
            let doc = format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><scan:ScannerStatus xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm"><pwg:Version>2.63</pwg:Version><pwg:State>{busy}</pwg:State><scan:AdfState>{adf}</scan:AdfState></scan:ScannerStatus>"#
            );
            respond(&mut stream, "200 OK", &xml, doc.as_bytes());
        }
        ("POST", "/eSCL/ScanJobs") => {
            if s.behaviour.busy {
                return respond(&mut stream, "503 Service Unavailable", &[], b"");
            }
            let feeder = tag(&body, "InputSource").as_deref() == Some("Feeder");
            let colour = tag(&body, "ColorMode").as_deref() == Some("RGB24");
            let dpi = tag(&body, "XResolution").and_then(|r| r.parse().ok()).unwrap_or(300);
            if feeder && s.behaviour.sheets == 0 {
                return respond(&mut stream, "409 Conflict", &[], b"");
            }
            let wanted = if feeder { s.behaviour.sheets } else { 1 };
            s.jobs += 1;
            s.jammed = false;
            s.feeder_job = feeder;
            s.job = Some((0, wanted, dpi, colour, false, false));
            let location = format!("http://127.0.0.1:{port}/eSCL/ScanJobs/{}", s.jobs);
            respond(&mut stream, "201 Created", &[("Location", location)], b"");
        }
        ("GET", p) if p.ends_with("/NextDocument") => {
            let jam_after = s.behaviour.jam_after;
            let Some(job) = s.job.as_mut() else { return respond(&mut stream, "404 Not Found", &[], b"") };
            if job.4 || job.0 >= job.1 || jam_after.is_some_and(|j| job.0 >= j) {
                if jam_after.is_some_and(|j| job.0 >= j) {
                    s.jammed = true;
                }
                return respond(&mut stream, "404 Not Found", &[], b"");
            }
            if !job.5 {
                // Real scanners answer 503 until the first page is ready.
                job.5 = true;
                return respond(&mut stream, "503 Service Unavailable", &[], b"");
            }
            job.0 += 1;
            let (dpi, colour) = (job.2, job.3);
            if s.feeder_job {
                s.behaviour.sheets = s.behaviour.sheets.saturating_sub(1);
            }
            drop(s);
            respond(
                &mut stream,
                "200 OK",
                &[("Content-Type", "image/png".to_owned())],
                &page_png(dpi, colour),
            );
        }
        ("DELETE", p) if p.starts_with("/eSCL/ScanJobs/") => {
            if let Some(job) = s.job.as_mut() {
                job.4 = true;
            }
            s.deleted += 1;
            respond(&mut stream, "200 OK", &[], b"");
        }
        _ => respond(&mut stream, "404 Not Found", &[], b""),
    }
}

fn serve(behaviour: Behaviour) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let state = Arc::new(Mutex::new(State { behaviour, ..State::default() }));
    let shared = Arc::clone(&state);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let state = Arc::clone(&shared);
            std::thread::spawn(move || handle(stream, &state, port));
        }
    });
    Server { port, state }
}

fn url(server: &Server) -> String {
    format!("escl:http://127.0.0.1:{}/eSCL", server.port)
}

// Linux-only: the real eSCL client that vouches for the simulator is sane-airscan.
#[cfg(not(windows))]
#[test]
fn the_simulator_is_accepted_by_sane_airscan() {
    let server = serve(Behaviour { sheets: 3, ..Behaviour::default() });
    let conf = tempfile::tempdir().unwrap();
    std::fs::write(conf.path().join("dll.conf"), "airscan\n").unwrap();
    std::fs::write(
        conf.path().join("airscan.conf"),
        format!(
            "[devices]\n\"HoSo Sim\" = http://127.0.0.1:{}/eSCL, eSCL\n[options]\ndiscovery = disable\n",
            server.port
        ),
    )
    .unwrap();
    let out = conf.path().join("page.png");
    let o = std::process::Command::new("scanimage")
        .env("SANE_CONFIG_DIR", conf.path())
        .args(["-d", "airscan:e0:HoSo Sim", "--source", "ADF", "--mode", "Gray", "--resolution", "200"])
        .args(["--format=png", "-o"])
        .arg(&out)
        .output()
        .expect("scanimage (sane-utils) runs");
    assert!(o.status.success(), "sane-airscan refused the simulator: {}", String::from_utf8_lossy(&o.stderr));
    let frame =
        hoso_imaging::decode_frame(&std::fs::read(&out).unwrap(), 0, &hoso_imaging::Limits::default())
            .unwrap();
    // sane-airscan asks for the whole area (2550 × 3508 / 300 in) and pads the page to it.
    assert_eq!((frame.info.width, frame.info.height), (1700, 2339));
}

#[test]
fn capabilities_and_a_feeder_batch() {
    let server = serve(Behaviour { sheets: 3, ..Behaviour::default() });
    let mut scanner = EsclScanner::open(&url(&server)).unwrap();
    let caps = scanner.capabilities().clone();
    assert_eq!(caps.sources, [Source::Flatbed, Source::Feeder]);
    assert_eq!(caps.resolutions, [200, 300]);
    assert_eq!(caps.modes, [ColourMode::Colour, ColourMode::Gray]);
    assert!((caps.max_width_mm - 215.9).abs() < 0.1, "{caps:?}");
    assert_eq!(scanner.info().model, "Simulated-eSCL");

    scanner
        .start_batch(&ScanSettings {
            source: Source::Feeder,
            mode: ColourMode::Gray,
            resolution: 300,
            ..Default::default()
        })
        .unwrap();
    let mut pages = Vec::new();
    while let Some(p) = scanner.next_page().unwrap() {
        pages.push((p.image.width(), p.image.height(), p.dpi));
    }
    assert_eq!(pages, vec![(2480, 3507, 300.0); 3]);
}

#[test]
fn flatbed_colour_page() {
    let server = serve(Behaviour::default());
    let mut scanner = EsclScanner::open(&url(&server)).unwrap();
    scanner
        .start_batch(&ScanSettings {
            source: Source::Flatbed,
            mode: ColourMode::Colour,
            resolution: 200,
            ..Default::default()
        })
        .unwrap();
    let page = scanner.next_page().unwrap().unwrap();
    assert!(page.image.as_rgb8().is_some());
    assert!(scanner.next_page().unwrap().is_none());
}

#[test]
fn empty_feeder_jam_busy_and_unreachable_are_clear_errors() {
    let feeder = ScanSettings {
        source: Source::Feeder,
        mode: ColourMode::Gray,
        resolution: 200,
        ..Default::default()
    };
    let empty = serve(Behaviour::default());
    let mut scanner = EsclScanner::open(&url(&empty)).unwrap();
    assert_eq!(scanner.start_batch(&feeder), Err(ScanError::FeederEmpty));

    let jam = serve(Behaviour { sheets: 5, jam_after: Some(2), ..Behaviour::default() });
    let mut scanner = EsclScanner::open(&url(&jam)).unwrap();
    scanner.start_batch(&feeder).unwrap();
    assert!(scanner.next_page().unwrap().is_some());
    assert!(scanner.next_page().unwrap().is_some());
    assert_eq!(scanner.next_page().map(|p| p.is_some()), Err(ScanError::Jammed));

    let busy = serve(Behaviour { sheets: 1, busy: true, ..Behaviour::default() });
    let mut scanner = EsclScanner::open(&url(&busy)).unwrap();
    assert_eq!(scanner.start_batch(&feeder), Err(ScanError::Busy));

    // Nothing listens on a port we just closed.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let err = EsclScanner::open(&format!("http://127.0.0.1:{port}/eSCL")).unwrap_err();
    assert!(matches!(err, ScanError::NotFound(_)), "{err:?}");
}

#[test]
fn cancel_deletes_the_job() {
    let server = serve(Behaviour { sheets: 4, ..Behaviour::default() });
    let mut scanner = EsclScanner::open(&url(&server)).unwrap();
    scanner
        .start_batch(&ScanSettings {
            source: Source::Feeder,
            mode: ColourMode::Gray,
            resolution: 200,
            ..Default::default()
        })
        .unwrap();
    assert!(scanner.next_page().unwrap().is_some());
    scanner.canceller().cancel();
    assert_eq!(scanner.next_page().map(|p| p.is_some()), Err(ScanError::Cancelled));
    assert_eq!(server.state.lock().unwrap().deleted, 1);
}

/// The feeder's sensor (AdfState in ScannerStatus) says when a stack is
/// loaded, which a batch waiting for paper watches to go on by itself.
#[test]
fn the_feeder_sensor_tells_an_empty_feeder_from_a_loaded_one() {
    let server = serve(Behaviour { sheets: 2, ..Behaviour::default() });
    let mut scanner = EsclScanner::open(&url(&server)).unwrap();
    let feeder = ScanSettings {
        source: Source::Feeder,
        mode: ColourMode::Gray,
        resolution: 200,
        ..Default::default()
    };
    assert_eq!(scanner.feeder_loaded(), Ok(Some(true)));
    scanner.start_batch(&feeder).unwrap();
    let mut pages = 0;
    while scanner.next_page().unwrap().is_some() {
        pages += 1;
    }
    assert_eq!(pages, 2);
    assert_eq!(scanner.feeder_loaded(), Ok(Some(false)));
    // The clerk loads the next stack.
    server.state.lock().unwrap().behaviour.sheets = 3;
    assert_eq!(scanner.feeder_loaded(), Ok(Some(true)));
    scanner.start_batch(&feeder).unwrap();
    let mut pages = 0;
    while scanner.next_page().unwrap().is_some() {
        pages += 1;
    }
    assert_eq!(pages, 3);
}
