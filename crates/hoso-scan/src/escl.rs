//! eSCL ("AirScan", Mopria): driverless network scanners over HTTP.
//!
//! The client speaks the four requests every eSCL scanner answers, relative to
//! its base URL (usually `http://host/eSCL`):
//! - `GET ScannerCapabilities`: sources (Platen, Adf simplex/duplex), colour
//!   modes, resolutions, maximum area (in 1/300 inch);
//! - `GET ScannerStatus`: idle / processing, and the feeder's state (jam, empty,
//!   door open), used to explain a failed job;
//! - `POST ScanJobs` with a `ScanSettings` document: `201 Created` and the job's
//!   URL in `Location`; `503` busy; `409` e.g. feeder empty;
//! - `GET <job>/NextDocument`: one page per request (JPEG or PNG) until `404`
//!   ends the job; `503` means not ready yet, ask again. `DELETE <job>` cancels.
//!
//! Pages are decoded with hoso-imaging's limits before they are handed out.

use std::time::Duration;

use hoso_imaging::Limits;
use roxmltree::Document;

use crate::{
    Canceller, Capabilities, ColourMode, DeviceInfo, ScanError, ScanSettings, ScannedPage, Scanner, Source,
    common_resolutions, nearest_resolution,
};

const NS_SCAN: &str = "http://schemas.hp.com/imaging/escl/2011/05/03";
const NS_PWG: &str = "http://www.pwg.org/schemas/2010/12/sm";
/// A page may take this long to arrive (slow feeders at high resolution).
const PAGE_TIMEOUT: Duration = Duration::from_secs(120);
/// How often to ask again while the scanner says 503 for a page.
const RETRY_DELAY: Duration = Duration::from_millis(300);

/// A network scanner reached by its eSCL base URL.
#[derive(Debug)]
pub struct EsclScanner {
    base: String,
    http: reqwest::blocking::Client,
    info: DeviceInfo,
    caps: Capabilities,
    /// Formats the device offers for pages; PNG preferred (lossless), else JPEG.
    format: String,
    job: Option<Job>,
    canceller: Canceller,
}

#[derive(Debug)]
struct Job {
    url: String,
    source: Source,
    pages: u32,
    finished: bool,
    dpi: u32,
}

fn device_error(what: &str, e: impl std::fmt::Display) -> ScanError {
    ScanError::Device(format!("{what}: {e}"))
}

impl EsclScanner {
    /// Connects to `url` (`http://host:port/eSCL`, also accepted with an
    /// `escl:` prefix) and reads its capabilities.
    pub fn open(url: &str) -> Result<EsclScanner, ScanError> {
        let base = url.strip_prefix("escl:").unwrap_or(url).trim_end_matches('/').to_owned();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(ScanError::NotFound(format!("{url} (expected http://host/eSCL)")));
        }
        // reqwest is built with rustls without a chosen crypto provider: ring,
        // as everywhere in HoSo (eSCL over https then works too).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(PAGE_TIMEOUT)
            .build()
            .map_err(|e| device_error("HTTP client", e))?;
        let resp = http
            .get(format!("{base}/ScannerCapabilities"))
            .send()
            .map_err(|e| ScanError::NotFound(format!("{base}: {e}")))?;
        if !resp.status().is_success() {
            return Err(ScanError::NotFound(format!("{base}: HTTP {}", resp.status())));
        }
        let xml = resp.text().map_err(|e| device_error("ScannerCapabilities", e))?;
        let parsed = parse_capabilities(&xml)?;
        // Cancelling takes effect between requests (a page already on the wire is
        // received and dropped); the job is then deleted on the scanner.
        let canceller = Canceller::default();
        Ok(EsclScanner {
            info: DeviceInfo {
                id: format!("escl:{base}"),
                vendor: parsed.make.clone(),
                model: parsed.model.clone(),
                kind: "eSCL network scanner".into(),
            },
            caps: parsed.caps,
            format: parsed.format,
            base,
            http,
            job: None,
            canceller,
        })
    }

    /// The feeder's state (AdfState) from ScannerStatus, if the scanner says.
    fn adf_state(&self) -> Option<String> {
        let xml = self.http.get(format!("{}/ScannerStatus", self.base)).send().ok()?.text().ok()?;
        let doc = Document::parse(&xml).ok()?;
        Some(doc.descendants().find(|n| n.has_tag_name((NS_SCAN, "AdfState")))?.text()?.to_owned())
    }

    /// The feeder's state from ScannerStatus, as an error when it explains a failure.
    fn status_error(&self) -> Option<ScanError> {
        match self.adf_state()?.as_str() {
            "ScannerAdfJam" => Some(ScanError::Jammed),
            "ScannerAdfEmpty" => Some(ScanError::FeederEmpty),
            "ScannerAdfHatchOpen" | "ScannerAdfDoorOpen" => Some(ScanError::CoverOpen),
            _ => None,
        }
    }

    fn delete_job(&mut self) {
        if let Some(job) = self.job.as_mut()
            && !job.finished
        {
            job.finished = true;
            let _ = self.http.delete(&job.url).timeout(Duration::from_secs(5)).send();
        }
    }
}

impl Drop for EsclScanner {
    fn drop(&mut self) {
        self.delete_job();
    }
}

impl Scanner for EsclScanner {
    fn info(&self) -> &DeviceInfo {
        &self.info
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn start_batch(&mut self, s: &ScanSettings) -> Result<(), ScanError> {
        self.delete_job();
        self.canceller.reset();
        if !self.caps.sources.contains(&s.source) {
            return Err(ScanError::Unsupported(format!("{:?}", s.source)));
        }
        if !self.caps.modes.contains(&s.mode) {
            return Err(ScanError::Unsupported(format!("{:?}", s.mode)));
        }
        let dpi = nearest_resolution(&self.caps.resolutions, s.resolution).unwrap_or(s.resolution);
        let body = scan_settings_xml(s, dpi, &self.caps, &self.format);
        let resp = self
            .http
            .post(format!("{}/ScanJobs", self.base))
            .header("Content-Type", "text/xml")
            .body(body)
            .send()
            .map_err(|e| device_error("ScanJobs", e))?;
        match resp.status().as_u16() {
            201 => {}
            503 => return Err(ScanError::Busy),
            409 => return Err(self.status_error().unwrap_or(ScanError::FeederEmpty)),
            code => {
                return Err(self.status_error().unwrap_or(device_error("ScanJobs", format!("HTTP {code}"))));
            }
        }
        let location = resp
            .headers()
            .get("Location")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| device_error("ScanJobs", "no Location header"))?;
        let url = if location.starts_with("http") {
            location.to_owned()
        } else {
            // A path: keep scheme and authority of the base URL.
            let authority_end = self.base.find("://").map_or(0, |i| i + 3);
            let host_end =
                self.base[authority_end..].find('/').map_or(self.base.len(), |i| authority_end + i);
            format!("{}{}", &self.base[..host_end], location)
        };
        self.job = Some(Job {
            url: url.trim_end_matches('/').to_owned(),
            source: s.source,
            pages: 0,
            finished: false,
            dpi,
        });
        Ok(())
    }

    fn next_page(&mut self) -> Result<Option<ScannedPage>, ScanError> {
        let Some(job) = self.job.as_ref() else {
            return Err(ScanError::Device("no batch started".into()));
        };
        if job.finished || (job.source == Source::Flatbed && job.pages > 0) {
            self.delete_job();
            return Ok(None);
        }
        let (url, dpi, pages) = (format!("{}/NextDocument", job.url), job.dpi, job.pages);
        let started = std::time::Instant::now();
        loop {
            if self.canceller.is_cancelled() {
                self.delete_job();
                return Err(ScanError::Cancelled);
            }
            let resp = self.http.get(&url).send().map_err(|e| device_error("NextDocument", e))?;
            match resp.status().as_u16() {
                200 => {
                    let bytes = resp.bytes().map_err(|e| device_error("NextDocument", e))?;
                    if self.canceller.is_cancelled() {
                        self.delete_job();
                        return Err(ScanError::Cancelled);
                    }
                    let frame = hoso_imaging::decode_frame(&bytes, 0, &Limits::default())
                        .map_err(|e| device_error("page image", e))?;
                    if let Some(job) = self.job.as_mut() {
                        job.pages += 1;
                    }
                    // PNG stores dots per metre: 300 dpi reads back as 299.9994.
                    let dpi = frame.info.dpi.map_or(dpi as f32, f32::round);
                    return Ok(Some(ScannedPage { image: frame.image, dpi }));
                }
                404 => {
                    if let Some(job) = self.job.as_mut() {
                        job.finished = true;
                    }
                    // No page at all: say why (empty feeder, jam) if the scanner tells.
                    if pages == 0 {
                        return Err(self.status_error().unwrap_or(ScanError::FeederEmpty));
                    }
                    // A jam after some pages also ends the job with 404.
                    return match self.status_error() {
                        Some(e @ (ScanError::Jammed | ScanError::CoverOpen)) => Err(e),
                        _ => Ok(None),
                    };
                }
                503 if started.elapsed() < PAGE_TIMEOUT => std::thread::sleep(RETRY_DELAY),
                code => {
                    self.delete_job();
                    return Err(self
                        .status_error()
                        .unwrap_or(device_error("NextDocument", format!("HTTP {code}"))));
                }
            }
        }
    }

    fn canceller(&self) -> Canceller {
        self.canceller.clone()
    }

    /// AdfState: ScannerAdfLoaded or ScannerAdfEmpty; anything else (a jam,
    /// no feeder, no answer) tells nothing about paper.
    fn feeder_loaded(&mut self) -> Result<Option<bool>, ScanError> {
        Ok(match self.adf_state().as_deref() {
            Some("ScannerAdfLoaded") => Some(true),
            Some("ScannerAdfEmpty") => Some(false),
            _ => None,
        })
    }
}

struct Parsed {
    make: String,
    model: String,
    caps: Capabilities,
    format: String,
}

/// Reads a ScannerCapabilities document.
fn parse_capabilities(xml: &str) -> Result<Parsed, ScanError> {
    let doc = Document::parse(xml).map_err(|e| device_error("ScannerCapabilities", e))?;
    let text = |ns: &str, tag: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name((ns, tag)))
            .and_then(|n| n.text())
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    let make_model = text(NS_PWG, "MakeAndModel");
    let (make, model) = match make_model.split_once(' ') {
        Some((a, b)) => (a.to_owned(), b.to_owned()),
        None => (String::new(), make_model),
    };
    let mut sources = Vec::new();
    let mut modes = Vec::new();
    let mut resolutions = Vec::new();
    let mut formats = Vec::new();
    let (mut max_w, mut max_h) = (0u32, 0u32);
    for (tag, source) in [
        ("PlatenInputCaps", Source::Flatbed),
        ("AdfSimplexInputCaps", Source::Feeder),
        ("AdfDuplexInputCaps", Source::FeederDuplex),
    ] {
        let Some(caps) = doc.descendants().find(|n| n.has_tag_name((NS_SCAN, tag))) else { continue };
        sources.push(source);
        let num = |tag: &str| {
            caps.descendants()
                .find(|n| n.has_tag_name((NS_SCAN, tag)))
                .and_then(|n| n.text())
                .and_then(|t| t.trim().parse::<u32>().ok())
        };
        max_w = max_w.max(num("MaxWidth").unwrap_or(0));
        max_h = max_h.max(num("MaxHeight").unwrap_or(0));
        for n in caps.descendants() {
            if n.has_tag_name((NS_SCAN, "ColorMode")) {
                let mode = match n.text().unwrap_or("").trim() {
                    "RGB24" | "RGB48" => Some(ColourMode::Colour),
                    "Grayscale8" | "Grayscale16" => Some(ColourMode::Gray),
                    "BlackAndWhite1" => Some(ColourMode::BlackWhite),
                    _ => None,
                };
                if let Some(m) = mode
                    && !modes.contains(&m)
                {
                    modes.push(m);
                }
            } else if n.has_tag_name((NS_SCAN, "DiscreteResolution")) {
                let x = n
                    .children()
                    .find(|c| c.has_tag_name((NS_SCAN, "XResolution")))
                    .and_then(|c| c.text())
                    .and_then(|t| t.trim().parse::<u32>().ok());
                resolutions.extend(x);
            } else if n.has_tag_name((NS_SCAN, "ResolutionRange")) {
                let get = |tag: &str| {
                    n.descendants()
                        .find(|c| c.has_tag_name((NS_SCAN, tag)))
                        .and_then(|c| c.text())
                        .and_then(|t| t.trim().parse::<u32>().ok())
                };
                if let (Some(min), Some(max)) = (get("Min"), get("Max")) {
                    resolutions.extend(common_resolutions(min, max));
                }
            } else if (n.has_tag_name((NS_PWG, "DocumentFormat"))
                || n.has_tag_name((NS_SCAN, "DocumentFormatExt")))
                && let Some(t) = n.text()
            {
                formats.push(t.trim().to_owned());
            }
        }
    }
    if sources.is_empty() {
        return Err(device_error("ScannerCapabilities", "no input source (Platen or Adf) described"));
    }
    resolutions.sort_unstable();
    resolutions.dedup();
    let format = ["image/png", "image/jpeg"]
        .into_iter()
        .find(|f| formats.iter().any(|g| g == f))
        .unwrap_or("image/jpeg")
        .to_owned();
    let mm = |units: u32| units as f32 * 25.4 / 300.0;
    Ok(Parsed {
        make,
        model,
        caps: Capabilities { sources, resolutions, modes, max_width_mm: mm(max_w), max_height_mm: mm(max_h) },
        format,
    })
}

/// The ScanSettings document for a job.
fn scan_settings_xml(s: &ScanSettings, dpi: u32, caps: &Capabilities, format: &str) -> String {
    let units = |mm: f32, max: f32| {
        let mm = if max > 0.0 { mm.min(max) } else { mm };
        (mm * 300.0 / 25.4).round() as u32
    };
    let (source, duplex) = match s.source {
        Source::Flatbed => ("Platen", false),
        Source::Feeder => ("Feeder", false),
        Source::FeederDuplex => ("Feeder", true),
    };
    let mode = match s.mode {
        ColourMode::Colour => "RGB24",
        ColourMode::Gray => "Grayscale8",
        ColourMode::BlackWhite => "BlackAndWhite1",
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<scan:ScanSettings xmlns:scan="{NS_SCAN}" xmlns:pwg="{NS_PWG}">
  <pwg:Version>2.0</pwg:Version>
  <pwg:ScanRegions>
    <pwg:ScanRegion>
      <pwg:ContentRegionUnits>escl:ThreeHundredthsOfInches</pwg:ContentRegionUnits>
      <pwg:XOffset>0</pwg:XOffset>
      <pwg:YOffset>0</pwg:YOffset>
      <pwg:Width>{w}</pwg:Width>
      <pwg:Height>{h}</pwg:Height>
    </pwg:ScanRegion>
  </pwg:ScanRegions>
  <pwg:InputSource>{source}</pwg:InputSource>
  <scan:Duplex>{duplex}</scan:Duplex>
  <scan:ColorMode>{mode}</scan:ColorMode>
  <scan:XResolution>{dpi}</scan:XResolution>
  <scan:YResolution>{dpi}</scan:YResolution>
  <pwg:DocumentFormat>{format}</pwg:DocumentFormat>
  <scan:DocumentFormatExt>{format}</scan:DocumentFormatExt>
</scan:ScanSettings>
"#,
        w = units(s.width_mm, caps.max_width_mm),
        h = units(s.height_mm, caps.max_height_mm),
    )
}
