//! The writer's output judged by independent tools: Apache PDFBox Preflight
//! (PDF/A-1b validator, from Debian's libpdfbox2-java), pikepdf's PDF/A-2b
//! validator (veraPDF's rules, through scripts/pdfa2-check), qpdf --check, and
//! poppler's pdftotext / pdffonts / pdfimages. The `hoso:` XMP extension schema,
//! which pikepdf does not judge, is checked here against ISO 19005-2 §6.6.2.3.

// Linux-only: Preflight (Java), qpdf and poppler are Linux programs, which a
// Windows test under Wine can start but not wait for. The Windows build's PDF/A
// is judged by them from the Linux side instead (scripts/windows/test).
#![cfg(not(windows))]

use std::path::Path;
use std::process::Command;

use hoso_imaging::PageClass;
use hoso_pdf::{DEFAULT_FONT, DocumentMeta, FontFile, PageInput, PdfaPart, TextBox, write_pdfa};
use image::{DynamicImage, GrayImage, Luma, Rgb, RgbImage};

const PREFLIGHT_CP: &str = "/usr/share/java/preflight.jar:/usr/share/java/pdfbox2.jar:/usr/share/java/fontbox2.jar:/usr/share/java/xmpbox.jar:/usr/share/java/commons-logging.jar:/usr/share/java/javax.activation.jar:/usr/share/java/jaxb-api.jar";

/// Runs Preflight; its verdict and what it printed.
pub fn preflight(file: &Path) -> (bool, String) {
    let o = Command::new("java")
        .args(["-cp", PREFLIGHT_CP, "org.apache.pdfbox.preflight.Validator_A1b"])
        .arg(file)
        .output()
        .expect("java with libpdfbox2-java installed");
    let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    (o.status.success() && text.contains("is a valid PDF/A-1b file"), text)
}

/// pikepdf's PDF/A-2b judgement of a file (scripts/pdfa2-check):
/// `pikepdf_verdict`, and the findings as `violations`, `unsupported` and
/// `extension_schema` (pikepdf's denials of the described extension schema's
/// presence, which it does not read).
pub fn pikepdf_pdfa2(file: &Path) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pdfa2-check");
    let o = Command::new(&script).arg(file).output().expect("scripts/pdfa2-check runs");
    assert!(o.status.success(), "pdfa2-check: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("one JSON line")
}

/// A PDF/A-2b judgement: pikepdf finds no violation and leaves nothing
/// unjudged beyond the extension schema's presence, and the extension
/// schema's description is what ISO 19005-2 asks ([`extension_schema_findings`]).
pub fn assert_pdfa2b(file: &Path) {
    let report = pikepdf_pdfa2(file);
    assert_eq!(report["violations"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["unsupported"], serde_json::json!([]), "{report:#}");
    let bytes = std::fs::read(file).unwrap();
    let findings = extension_schema_findings(&xmp_packet(&bytes));
    assert!(findings.is_empty(), "{findings:#?}");
}

/// The (unfiltered) XMP packet of a file this writer made.
fn xmp_packet(pdf: &[u8]) -> String {
    let s = String::from_utf8_lossy(pdf);
    let start = s.find("<?xpacket begin").expect("an XMP packet");
    let end = s[start..].find("<?xpacket end").expect("the packet's end") + start;
    s[start..end].to_owned()
}

/// What ISO 19005-2 §6.6.2.3 (and 19005-1 §6.7.8) asks of XMP properties
/// outside the predefined schemas, as a list of what is wrong (empty: none):
/// each such namespace is described in `pdfaExtension:schemas` by one
/// `pdfaSchema` with its namespace URI, the prefix the packet uses, a schema
/// name and a property Seq; each property used is described there with a
/// name, a value type the XMP specification defines, a category (internal or
/// external) and a description; a Text property holds text only.
fn extension_schema_findings(packet: &str) -> Vec<String> {
    const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    const EXT: &str = "http://www.aiim.org/pdfa/ns/extension/";
    const SCHEMA: &str = "http://www.aiim.org/pdfa/ns/schema#";
    const PROPERTY: &str = "http://www.aiim.org/pdfa/ns/property#";
    // The schemas of XMP and PDF/A that need no description (19005-2 §6.6.2.3.1).
    const PREDEFINED: &[&str] = &[
        "http://www.aiim.org/pdfa/ns/id/",
        "http://purl.org/dc/elements/1.1/",
        "http://ns.adobe.com/xap/1.0/",
        "http://ns.adobe.com/pdf/1.3/",
        "http://ns.adobe.com/xap/1.0/mm/",
        "http://ns.adobe.com/xap/1.0/rights/",
        EXT,
    ];
    // XMP's basic and core value types that a property may name.
    const VALUE_TYPES: &[&str] = &[
        "Boolean",
        "Date",
        "Integer",
        "Real",
        "Text",
        "AgentName",
        "Locale",
        "MIMEType",
        "ProperName",
        "URI",
        "URL",
        "XPath",
    ];
    let body = packet.trim_start_matches(|c| c != '>').trim_start_matches('>');
    let doc = match roxmltree::Document::parse(body) {
        Ok(d) => d,
        Err(e) => return vec![format!("the packet is not XML: {e}")],
    };
    let mut findings = Vec::new();
    fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, ns: &str, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
        n.children().find(|c| c.tag_name().namespace() == Some(ns) && c.tag_name().name() == name)
    }
    fn text(n: Option<roxmltree::Node<'_, '_>>) -> String {
        n.and_then(|n| n.text()).unwrap_or("").trim().to_owned()
    }
    fn items<'a, 'i>(n: roxmltree::Node<'a, 'i>, container: &str) -> Vec<roxmltree::Node<'a, 'i>> {
        const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
        child(n, RDF, container)
            .map(|c| c.children().filter(|li| li.has_tag_name((RDF, "li"))).collect())
            .unwrap_or_default()
    }
    // The described schemas: namespace URI → (prefix, property name → value type).
    let mut described = std::collections::HashMap::new();
    for schemas in doc.descendants().filter(|n| n.has_tag_name((EXT, "schemas"))) {
        if child(schemas, RDF, "Bag").is_none() {
            findings.push("pdfaExtension:schemas is not a Bag".to_owned());
        }
        for schema in items(schemas, "Bag") {
            let uri = text(child(schema, SCHEMA, "namespaceURI"));
            let prefix = text(child(schema, SCHEMA, "prefix"));
            if uri.is_empty() || prefix.is_empty() || text(child(schema, SCHEMA, "schema")).is_empty() {
                findings.push(format!("schema {uri:?}: namespaceURI, prefix and schema are required"));
            }
            let mut properties = std::collections::HashMap::new();
            match child(schema, SCHEMA, "property") {
                Some(p) if child(p, RDF, "Seq").is_some() => {
                    for property in items(p, "Seq") {
                        let name = text(child(property, PROPERTY, "name"));
                        let value_type = text(child(property, PROPERTY, "valueType"));
                        let category = text(child(property, PROPERTY, "category"));
                        if !VALUE_TYPES.contains(&value_type.as_str()) {
                            findings.push(format!("{prefix}:{name}: value type {value_type:?} is not XMP's"));
                        }
                        if !matches!(category.as_str(), "internal" | "external") {
                            findings.push(format!("{prefix}:{name}: category {category:?}"));
                        }
                        if text(child(property, PROPERTY, "description")).is_empty() {
                            findings.push(format!("{prefix}:{name}: no description"));
                        }
                        properties.insert(name, value_type);
                    }
                }
                _ => findings.push(format!("schema {uri}: pdfaSchema:property is not a Seq")),
            }
            described.insert(uri, (prefix, properties));
        }
    }
    // Every property of the packet outside the predefined schemas.
    let rdf_descriptions = doc.descendants().filter(|n| n.has_tag_name((RDF, "Description")));
    for property in rdf_descriptions.flat_map(|d| d.children().filter(|c| c.is_element())) {
        let Some(ns) = property.tag_name().namespace() else { continue };
        if PREDEFINED.contains(&ns) {
            continue;
        }
        let name = property.tag_name().name();
        let prefix = property.lookup_prefix(ns).unwrap_or("");
        match described.get(ns) {
            None => findings.push(format!("{prefix}:{name}: namespace {ns} is not described")),
            Some((described_prefix, _)) if described_prefix != prefix => {
                findings.push(format!("{prefix}:{name}: described with prefix {described_prefix:?}"))
            }
            Some((_, properties)) => match properties.get(name).map(String::as_str) {
                None => findings.push(format!("{prefix}:{name}: not described in its schema")),
                Some("Text") if property.children().any(|c| c.is_element()) => {
                    findings.push(format!("{prefix}:{name}: a Text property with structure"))
                }
                Some(_) => {}
            },
        }
    }
    findings
}

/// Runs a poppler tool on the file; pdftotext writes to stdout.
fn tool(name: &str, args: &[&str], file: &Path) -> String {
    let mut c = Command::new(name);
    c.args(args).arg(file);
    if name == "pdftotext" {
        c.arg("-");
    }
    let o = c.output().unwrap_or_else(|e| panic!("{name}: {e}"));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn meta() -> DocumentMeta {
    DocumentMeta {
        title: "000.00.01.H29-261123-0001 – Giấy khai sinh".into(),
        author: "Trung tâm Phục vụ hành chính công phường Sài Gòn".into(),
        subject: "Chứng thực bản sao từ bản chính".into(),
        keywords: "000.00.01.H29-261123-0001; 2.000815; BC".into(),
        language: "vi".into(),
        created: "2026-11-23T10:15:30+07:00".into(),
        record_code: "000.00.01.H29-261123-0001".into(),
        procedure: "2.000815".into(),
        component: "1 BC".into(),
        producer: "HoSo Intake test".into(),
    }
}

/// A 200 dpi A5-ish page with two dark bars where the words are, plus a red
/// stamp on the colour version.
fn page(colour: bool) -> DynamicImage {
    let (w, h) = (1100, 800);
    let ink =
        |x: u32, y: u32| (100..1000).contains(&x) && ((100..140).contains(&y) || (200..240).contains(&y));
    if colour {
        DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
            let d = (x as i32 - 800).pow(2) + (y as i32 - 600).pow(2);
            if ink(x, y) {
                Rgb([20, 20, 25])
            } else if (90 * 90..110 * 110).contains(&d) {
                Rgb([210, 30, 40])
            } else {
                Rgb([245, 243, 238])
            }
        }))
    } else {
        DynamicImage::ImageLuma8(GrayImage::from_fn(w, h, |x, y| Luma([if ink(x, y) { 15 } else { 250 }])))
    }
}

fn words() -> Vec<TextBox> {
    let word =
        |text: &str, x: u32, y: u32, w: u32, line: u64| TextBox { text: text.into(), x, y, w, h: 40, line };
    vec![
        word("Chứng", 100, 100, 180, 1),
        word("thực", 300, 100, 140, 1),
        word("bản", 460, 100, 110, 1),
        word("sao", 590, 100, 100, 1),
        word("đúng", 710, 100, 140, 1),
        word("với", 870, 100, 130, 1),
        word("bản", 100, 200, 110, 2),
        word("chính.", 230, 200, 170, 2),
        word("Số:", 420, 200, 90, 2),
        word("01/2026", 530, 200, 200, 2),
    ]
}

fn write(dir: &Path, name: &str, part: PdfaPart, classes: &[PageClass]) -> std::path::PathBuf {
    let font = FontFile::load(Path::new(DEFAULT_FONT)).expect("fonts-liberation2 installed");
    let pdf = write_pdfa(
        classes.len(),
        |i| {
            Ok(PageInput {
                image: page(classes[i] == PageClass::Colour),
                dpi: 200.0,
                class: classes[i],
                words: words(),
            })
        },
        &meta(),
        &font,
        part,
        *b"0123456789abcdef",
    )
    .unwrap();
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    path
}

#[test]
fn part1_output_passes_preflight_and_reads_back_as_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    let file =
        write(dir.path(), "a1.pdf", PdfaPart::One, &[PageClass::Bilevel, PageClass::Colour, PageClass::Gray]);
    let (valid, report) = preflight(&file);
    assert!(valid, "{report}");

    let qpdf = Command::new("qpdf").arg("--check").arg(&file).output().unwrap();
    assert!(qpdf.status.success(), "{}", String::from_utf8_lossy(&qpdf.stdout));

    // Text copies out as the NFC Vietnamese that went in, words and lines kept.
    let text = tool("pdftotext", &["-f", "2", "-l", "2"], &file);
    assert!(text.contains("Chứng thực bản sao đúng với\nbản chính. Số: 01/2026"), "{text:?}");

    let fonts = tool("pdffonts", &[], &file);
    let row = fonts.lines().find(|l| l.contains("LiberationSerif")).expect("the font is listed");
    assert!(row.contains("CID TrueType") && row.contains("Identity-H"), "{fonts}");
    assert_eq!(
        row.split_whitespace().rev().skip(2).take(3).collect::<Vec<_>>(),
        ["yes", "yes", "yes"],
        "emb sub uni: {fonts}"
    );

    // Colour stays colour (background), text is a full-resolution mask; plain
    // text pages are one bit.
    let images = tool("pdfimages", &["-list"], &file);
    let rows: Vec<Vec<&str>> = images.lines().skip(2).map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows[0][2..6], ["image", "1100", "800", "gray"], "{images}");
    assert_eq!(rows[0][7], "1", "{images}");
    assert!(rows.iter().any(|r| r[0] == "2" && r[5] == "rgb" && r[8] == "jpeg"), "{images}");
    assert!(rows.iter().any(|r| r[0] == "2" && r[2] == "stencil" && r[3] == "1100"), "{images}");
}

#[test]
fn part2_declares_part_2_with_the_same_structures() {
    let dir = tempfile::tempdir().unwrap();
    let one = write(dir.path(), "a1.pdf", PdfaPart::One, &[PageClass::Colour]);
    let two = write(dir.path(), "a2.pdf", PdfaPart::Two, &[PageClass::Colour]);
    let a = std::fs::read(&one).unwrap();
    let b = std::fs::read(&two).unwrap();
    assert!(b.starts_with(b"%PDF-1.7") && a.starts_with(b"%PDF-1.4"));
    let xmp = |bytes: &[u8]| {
        let s = String::from_utf8_lossy(bytes).into_owned();
        let start = s.find("<pdfaid:part>").unwrap();
        s[start..start + 14].to_owned()
    };
    assert_eq!(xmp(&a), "<pdfaid:part>1");
    assert_eq!(xmp(&b), "<pdfaid:part>2");
    // Part 1 has a CIDSet that part 2 goes without; the rest is the same.
    let has_cid_set = |bytes: &[u8]| bytes.windows(7).any(|w| w == b"/CIDSet");
    assert!(has_cid_set(&a) && !has_cid_set(&b));
    let count = |bytes: &[u8]| bytes.windows(4).filter(|w| *w == b" obj").count();
    assert_eq!(count(&a), count(&b) + 1);
    let qpdf = Command::new("qpdf").arg("--check").arg(&two).output().unwrap();
    assert!(qpdf.status.success());
    let info = tool("pdfinfo", &[], &two);
    assert!(info.contains("Title:           000.00.01.H29-261123-0001 – Giấy khai sinh"), "{info}");
    assert!(info.contains("PDF version:     1.7"), "{info}");
    assert!(info.contains("CreationDate:    Mon Nov 23 03:15:30 2026 UTC"), "{info}");
}

#[test]
fn a_broken_file_is_judged_invalid_by_preflight() {
    // The validator must be able to say no: the same file with its XMP part
    // number made inconsistent with its header rules fails.
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a1.pdf", PdfaPart::One, &[PageClass::Gray]);
    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes.windows(18).position(|w| w == b"<pdfaid:part>1</pd").unwrap();
    bytes[at + 13] = b'7';
    std::fs::write(&file, &bytes).unwrap();
    let (valid, report) = preflight(&file);
    assert!(!valid, "{report}");
}

#[test]
fn part2_output_passes_pikepdfs_pdfa2b_validator() {
    let dir = tempfile::tempdir().unwrap();
    let file =
        write(dir.path(), "a2.pdf", PdfaPart::Two, &[PageClass::Bilevel, PageClass::Colour, PageClass::Gray]);
    assert_pdfa2b(&file);
}

#[test]
fn pikepdf_refuses_a_file_without_its_output_intent() {
    // The validator must be able to say no: the same file with its
    // OutputIntent's subtype renamed (same length, offsets kept) has no PDF/A
    // output intent, so its device colour is a violation.
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a2.pdf", PdfaPart::Two, &[PageClass::Colour]);
    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes.windows(10).position(|w| w == b"/GTS_PDFA1").expect("the output intent's subtype");
    bytes[at..at + 10].copy_from_slice(b"/GTS_PDFX1");
    std::fs::write(&file, &bytes).unwrap();
    let report = pikepdf_pdfa2(&file);
    assert_eq!(report["pikepdf_verdict"], "fail", "{report:#}");
    let colour = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains("Device"));
    assert!(colour.count() > 0, "{report:#}");
}

#[test]
fn the_extension_schema_check_finds_what_19005_asks_for() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a2.pdf", PdfaPart::Two, &[PageClass::Gray]);
    let packet = xmp_packet(&std::fs::read(&file).unwrap());
    assert_eq!(extension_schema_findings(&packet), Vec::<String>::new());
    // Each way to get the description wrong is found.
    let broken = |from: &str, to: &str| {
        assert!(packet.contains(from), "{from}");
        extension_schema_findings(&packet.replacen(from, to, 1))
    };
    let undescribed = broken(
        "<pdfaProperty:name>Component</pdfaProperty:name>",
        "<pdfaProperty:name>Part</pdfaProperty:name>",
    );
    assert_eq!(undescribed, ["hoso:Component: not described in its schema"]);
    let wrong_type = broken(
        "<pdfaProperty:valueType>Text</pdfaProperty:valueType>",
        "<pdfaProperty:valueType>Chữ</pdfaProperty:valueType>",
    );
    assert_eq!(wrong_type, ["hoso:RecordCode: value type \"Chữ\" is not XMP's"]);
    let category = broken(
        "<pdfaProperty:category>external</pdfaProperty:category>",
        "<pdfaProperty:category>External</pdfaProperty:category>",
    );
    assert_eq!(category, ["hoso:RecordCode: category \"External\""]);
    let prefix =
        broken("<pdfaSchema:prefix>hoso</pdfaSchema:prefix>", "<pdfaSchema:prefix>hs</pdfaSchema:prefix>");
    assert_eq!(prefix.len(), 3, "{prefix:?}");
    let namespace = broken("<pdfaSchema:namespaceURI>https://", "<pdfaSchema:namespaceURI>http://");
    assert_eq!(namespace.len(), 3, "{namespace:?}");
    assert!(namespace[0].ends_with("is not described"), "{namespace:?}");
}
