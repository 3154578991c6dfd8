//! Searchable PDF/A of scanned pages: each page is its image with an invisible
//! text layer (render mode 3) laid word by word over the OCR boxes, in an
//! embedded subset of Liberation Serif with a ToUnicode map.
//!
//! - [`write_pdfa`] builds one document from [`PageInput`]s and [`DocumentMeta`].
//! - The file uses only structures legal in both PDF/A-1b and PDF/A-2b: a
//!   classic cross-reference table, no object streams, no transparency, no
//!   filters on the XMP, embedded fonts with CIDToGIDMap (and the CIDSet part 1
//!   asks for), an sRGB OutputIntent ([`icc`]), a trailer ID, Info and XMP kept
//!   identical. The part declared is a parameter: the tests validate part 1
//!   with Apache PDFBox Preflight and part 2 with pikepdf's PDF/A-2b validator.
//! - Images are chosen per page (see [`hoso_imaging::PageClass`]): colour pages
//!   stay 24-bit colour (Circular 05/2025) as JPEG, grey pages as grey JPEG,
//!   plain text pages as 1-bit Flate.
//!
//! No IO beyond reading the font file the caller names; bytes in, bytes out.

mod font;
mod icc;
mod xmp;

use std::io::Cursor;

use hoso_imaging::PageClass;
use image::DynamicImage;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, TextRenderingMode};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

pub use font::{DEFAULT_FONT, FontFile, FontUse};
pub use icc::srgb_profile;

/// Which PDF/A part the file declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfaPart {
    /// PDF/A-1b (ISO 19005-1), for validation with Preflight.
    One,
    /// PDF/A-2b (ISO 19005-2), the archive format of Circular 05/2025.
    Two,
}

/// Errors building a PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("{}", hoso_i18n::msg!("pdf-font", detail = .0))]
    Font(String),
    #[error("{}", hoso_i18n::msg!("pdf-image", page = *.page, why = .reason))]
    Image { page: usize, reason: String },
    #[error("{}", hoso_i18n::msg!("pdf-empty"))]
    Empty,
}

/// One recognised word, its box in the page image's pixels (origin top left).
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    pub text: String,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    /// Words with the same key are one text line and share a baseline.
    pub line: u64,
}

/// One page: the upright image, its resolution, how to encode it, its words.
#[derive(Debug, Clone)]
pub struct PageInput {
    pub image: DynamicImage,
    pub dpi: f32,
    pub class: PageClass,
    pub words: Vec<TextBox>,
}

/// Document metadata, written to both the Info dictionary and the XMP.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentMeta {
    pub title: String,
    /// The receiving agency.
    pub author: String,
    pub subject: String,
    pub keywords: String,
    /// ISO 639 language of the content, `vi`.
    pub language: String,
    /// `YYYY-MM-DDThh:mm:ss+07:00`.
    pub created: String,
    /// Record fields for the XMP extension schema (`hoso:` namespace).
    pub record_code: String,
    pub procedure: String,
    pub component: String,
    /// Producer, e.g. `HoSo Intake 0.0.0`.
    pub producer: String,
}

/// JPEG quality of the background layer of colour and grey pages.
const JPEG_QUALITY: u8 = 55;
/// The background layer's resolution: paper tone, seals, photos, signatures in
/// colour; the text itself is in the full-resolution mask.
const BACKGROUND_DPI: f32 = 100.0;

/// An image XObject's bytes and how to describe it.
struct Raster {
    data: Vec<u8>,
    filter: Filter,
    width: u32,
    height: u32,
    colour: bool,
    bits: i32,
}

/// How a page is drawn: one full-resolution 1-bit image (plain text pages), or
/// mixed raster content: a reduced-resolution JPEG background (colour or grey)
/// under a full-resolution stencil mask of the dark text, filled with the ink's
/// own colour. Colour stays colour; text stays as sharp as the scan.
enum Layers {
    Bilevel(Raster),
    Mixed { background: Raster, mask: Option<Raster>, ink: [f32; 3] },
}

fn jpeg(img: &DynamicImage, page: usize) -> Result<Vec<u8>, PdfError> {
    let mut data = Vec::new();
    img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        Cursor::new(&mut data),
        JPEG_QUALITY,
    ))
    .map_err(|e| PdfError::Image { page, reason: e.to_string() })?;
    Ok(data)
}

/// Packs `ink(x, y)` as 1-bit rows, 1 = white (no ink), Flate-compressed.
fn pack_bits(w: u32, h: u32, ink: impl Fn(u32, u32) -> bool) -> Vec<u8> {
    let row_bytes = (w as usize).div_ceil(8);
    let mut bits = vec![0u8; row_bytes * h as usize];
    for y in 0..h {
        for x in 0..w {
            if !ink(x, y) {
                bits[y as usize * row_bytes + x as usize / 8] |= 0x80 >> (x % 8);
            }
        }
    }
    miniz_oxide::deflate::compress_to_vec_zlib(&bits, 9)
}

fn encode_layers(img: &DynamicImage, class: PageClass, dpi: f32, page: usize) -> Result<Layers, PdfError> {
    let (w, h) = (img.width(), img.height());
    if class == PageClass::Bilevel {
        // Thresholded after flattening, so an edge shadow or uneven light does not
        // turn into a black band; a nearly blank page stays blank.
        let gray = hoso_imaging::ocr_gray(img);
        let t = otsu(&gray).min(160);
        let data = pack_bits(w, h, |x, y| gray.get_pixel(x, y).0[0] <= t);
        return Ok(Layers::Bilevel(Raster {
            data,
            filter: Filter::FlateDecode,
            width: w,
            height: h,
            colour: false,
            bits: 1,
        }));
    }
    // Dark text: the clean grey copy OCR uses (coloured ink taken out, light
    // flattened), thresholded. Seals and signatures stay in the background.
    let clean = hoso_imaging::ocr_gray(img);
    let t = otsu(&clean).min(160);
    let is_ink = |x: u32, y: u32| clean.get_pixel(x, y).0[0] <= t;
    let rgb = img.to_rgb8();
    let (mut sum, mut n) = ([0u64; 3], 0u64);
    // The ink's colour: neutral ink pixels only, so text under a red seal does
    // not tint every letter.
    for (x, y, p) in rgb.enumerate_pixels() {
        let [r, g, b] = p.0;
        if is_ink(x, y) && r.max(g).max(b) - r.min(g).min(b) < 48 {
            for (s, v) in sum.iter_mut().zip(p.0) {
                *s += u64::from(v);
            }
            n += 1;
        }
    }
    let ink = if n == 0 { [0.0; 3] } else { sum.map(|s| s as f32 / n as f32 / 255.0) };
    let mask = (n > 0).then(|| Raster {
        data: pack_bits(w, h, is_ink),
        filter: Filter::FlateDecode,
        width: w,
        height: h,
        colour: false,
        bits: 1,
    });
    // Background: blocks of the page averaged without their ink pixels.
    let f = (dpi / BACKGROUND_DPI).round().max(1.0) as u32;
    let (bw, bh) = (w.div_ceil(f), h.div_ceil(f));
    let background = image::RgbImage::from_fn(bw, bh, |bx, by| {
        let (mut acc, mut count, mut lightest) = ([0u32; 3], 0u32, [0u8; 3]);
        for y in by * f..((by + 1) * f).min(h) {
            for x in bx * f..((bx + 1) * f).min(w) {
                let p = rgb.get_pixel(x, y).0;
                if p.iter().map(|&v| u32::from(v)).sum::<u32>()
                    > lightest.iter().map(|&v| u32::from(v)).sum::<u32>()
                {
                    lightest = p;
                }
                if !is_ink(x, y) {
                    for c in 0..3 {
                        acc[c] += u32::from(p[c]);
                    }
                    count += 1;
                }
            }
        }
        image::Rgb(if count == 0 { lightest } else { acc.map(|a| (a / count) as u8) })
    });
    let colour = class == PageClass::Colour;
    let background = if colour {
        DynamicImage::ImageRgb8(background)
    } else {
        DynamicImage::ImageLuma8(DynamicImage::ImageRgb8(background).to_luma8())
    };
    let data = jpeg(&background, page)?;
    Ok(Layers::Mixed {
        background: Raster { data, filter: Filter::DctDecode, width: bw, height: bh, colour, bits: 8 },
        mask,
        ink,
    })
}

/// Otsu's threshold over the histogram.
fn otsu(gray: &image::GrayImage) -> u8 {
    let mut hist = [0u64; 256];
    for p in gray.as_raw() {
        hist[*p as usize] += 1;
    }
    let total: u64 = hist.iter().sum();
    let sum: f64 = hist.iter().enumerate().map(|(i, &c)| i as f64 * c as f64).sum();
    let (mut sum_b, mut w_b, mut best, mut threshold) = (0.0, 0u64, 0.0, 128u8);
    for (t, &c) in hist.iter().enumerate() {
        w_b += c;
        if w_b == 0 || w_b == total {
            continue;
        }
        sum_b += t as f64 * c as f64;
        let w_f = total - w_b;
        let (m_b, m_f) = (sum_b / w_b as f64, (sum - sum_b) / w_f as f64);
        let between = w_b as f64 * w_f as f64 * (m_b - m_f).powi(2);
        if between > best {
            best = between;
            threshold = t as u8;
        }
    }
    threshold
}

/// The PDF date of `YYYY-MM-DDThh:mm:ss±hh:mm` (the XMP form of the same instant).
fn pdf_date(iso: &str) -> pdf_writer::Date {
    let num = |r: std::ops::Range<usize>| iso.get(r).and_then(|s| s.parse::<u16>().ok()).unwrap_or(0);
    let mut date = pdf_writer::Date::new(num(0..4))
        .month(num(5..7) as u8)
        .day(num(8..10) as u8)
        .hour(num(11..13) as u8)
        .minute(num(14..16) as u8)
        .second(num(17..19) as u8);
    match iso.get(19..20) {
        Some(sign @ ("+" | "-")) => {
            let h = num(20..22) as i8;
            date =
                date.utc_offset_hour(if sign == "-" { -h } else { h }).utc_offset_minute(num(23..25) as u8);
        }
        _ => date = date.utc_offset_hour(0),
    }
    date
}

/// A page made ready for writing: its image layers encoded, its text kept.
struct Prepared {
    width: u32,
    height: u32,
    dpi: f32,
    layers: Layers,
    words: Vec<TextBox>,
}

/// Decodes and encodes every page, on as many threads as there are cores
/// (at most one per page): each takes the next page not yet taken. The
/// first failure (by page order) stops the others from taking more.
fn prepare_pages(
    page_count: usize,
    page: &(impl Fn(usize) -> Result<PageInput, PdfError> + Sync),
) -> Result<Vec<Prepared>, PdfError> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let prepare = |i: usize| -> Result<Prepared, PdfError> {
        let input = page(i)?;
        let layers = encode_layers(&input.image, input.class, input.dpi, i + 1)?;
        Ok(Prepared {
            width: input.image.width(),
            height: input.image.height(),
            dpi: input.dpi,
            layers,
            words: input.words,
        })
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(page_count).max(1);
    if workers == 1 {
        return (0..page_count).map(prepare).collect();
    }
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let done: Mutex<Vec<Option<Result<Prepared, PdfError>>>> =
        Mutex::new((0..page_count).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while !failed.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= page_count {
                        break;
                    }
                    let result = prepare(i);
                    failed.fetch_or(result.is_err(), Ordering::Relaxed);
                    done.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
                }
            });
        }
    });
    let done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    // In page order: a page left undone comes after the failure that stopped it.
    let mut out = Vec::with_capacity(page_count);
    for (i, slot) in done.into_iter().enumerate() {
        match slot {
            Some(result) => out.push(result?),
            None => return Err(PdfError::Image { page: i + 1, reason: "not prepared".into() }),
        }
    }
    Ok(out)
}

/// Writes a PDF/A document of `page_count` pages, asking `page(i)` for each.
/// The pages are decoded and their image layers encoded on every core at
/// once, one page a core (so at most that many decoded pages are in memory);
/// the encoded layers and the text are then written in page order. `font` must cover
/// the text (Liberation Serif does for Vietnamese). `file_id` is the trailer ID
/// (e.g. from a hash of the pages).
pub fn write_pdfa(
    page_count: usize,
    page: impl Fn(usize) -> Result<PageInput, PdfError> + Sync,
    meta: &DocumentMeta,
    font: &FontFile,
    part: PdfaPart,
    file_id: [u8; 16],
) -> Result<Vec<u8>, PdfError> {
    if page_count == 0 {
        return Err(PdfError::Empty);
    }
    let mut pdf = Pdf::new();
    match part {
        PdfaPart::One => pdf.set_version(1, 4),
        PdfaPart::Two => pdf.set_version(1, 7),
    }
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog_id = alloc();
    let pages_id = alloc();
    let info_id = alloc();
    let xmp_id = alloc();
    let icc_id = alloc();
    let font_id = alloc();
    let cid_font_id = alloc();
    let descriptor_id = alloc();
    let font_file_id = alloc();
    let to_unicode_id = alloc();
    let cid_set_id = (part == PdfaPart::One).then(&mut alloc);

    // Pages first: the text they carry decides the font subset.
    let mut fonts = FontUse::new(font);
    let mut page_ids = Vec::new();
    for page in prepare_pages(page_count, &page)? {
        let page_id = alloc();
        let image_id = alloc();
        let content_id = alloc();
        page_ids.push(page_id);
        let (wpx, hpx) = (page.width, page.height);
        let scale = 72.0 / page.dpi.max(1.0);
        let (w, h) = (wpx as f32 * scale, hpx as f32 * scale);
        let layers = page.layers;
        let write_raster = |pdf: &mut Pdf, id: Ref, r: &Raster, stencil: bool| {
            let mut image = pdf.image_xobject(id, &r.data);
            image.filter(r.filter);
            image.width(r.width as i32);
            image.height(r.height as i32);
            if stencil {
                image.image_mask(true);
                // 1 bits are paper: paint where the sample is 0.
            } else if r.colour {
                image.color_space().device_rgb();
            } else {
                image.color_space().device_gray();
            }
            image.bits_per_component(r.bits);
            image.finish();
        };
        let mask_id = alloc();
        let mut content = Content::new();
        let mut x_objects = vec![(b"Im1".as_slice(), image_id)];
        match &layers {
            Layers::Bilevel(r) => {
                write_raster(&mut pdf, image_id, r, false);
                content.save_state();
                content.transform([w, 0.0, 0.0, h, 0.0, 0.0]);
                content.x_object(Name(b"Im1"));
                content.restore_state();
            }
            Layers::Mixed { background, mask, ink } => {
                write_raster(&mut pdf, image_id, background, false);
                content.save_state();
                content.transform([w, 0.0, 0.0, h, 0.0, 0.0]);
                content.x_object(Name(b"Im1"));
                if let Some(m) = mask {
                    write_raster(&mut pdf, mask_id, m, true);
                    x_objects.push((b"Mk1".as_slice(), mask_id));
                    if background.colour {
                        content.set_fill_rgb(ink[0], ink[1], ink[2]);
                    } else {
                        content.set_fill_gray((ink[0] + ink[1] + ink[2]) / 3.0);
                    }
                    content.x_object(Name(b"Mk1"));
                }
                content.restore_state();
            }
        }
        if !page.words.is_empty() {
            content.begin_text();
            content.set_text_rendering_mode(TextRenderingMode::Invisible);
            let em_height = (font.ascender - font.descender) / font.units_per_em;
            // Words of a line share one baseline and size, from the line's box.
            let mut lines: std::collections::HashMap<u64, (u32, u32)> = std::collections::HashMap::new();
            for word in &page.words {
                let e = lines.entry(word.line).or_insert((word.y, word.y + word.h));
                e.0 = e.0.min(word.y);
                e.1 = e.1.max(word.y + word.h);
            }
            for (k, word) in page.words.iter().enumerate() {
                let (top, bottom) = lines[&word.line];
                // A trailing space lets text extraction see the word break.
                let last_on_line = page.words.get(k + 1).is_none_or(|n| n.line != word.line);
                let text = if last_on_line { word.text.clone() } else { format!("{} ", word.text) };
                let (encoded_text, advance_em) = fonts.encode(&text);
                let size = ((bottom - top) as f32 * scale / em_height).max(1.0);
                let gap = page
                    .words
                    .get(k + 1)
                    .filter(|_| !last_on_line)
                    .map_or(0, |n| n.x.saturating_sub(word.x + word.w));
                let width = (word.w + gap) as f32 * scale;
                let natural = advance_em * size;
                let stretch =
                    if natural > 0.0 { (width / natural * 100.0).clamp(1.0, 1000.0) } else { 100.0 };
                let baseline = h - bottom as f32 * scale - font.descender / font.units_per_em * size;
                content.set_font(Name(b"F1"), size);
                content.set_horizontal_scaling(stretch);
                content.set_text_matrix([1.0, 0.0, 0.0, 1.0, word.x as f32 * scale, baseline]);
                content.show(Str(&encoded_text));
            }
            content.end_text();
        }
        let stream = content.finish();
        pdf.stream(content_id, &stream);

        let mut p = pdf.page(page_id);
        p.parent(pages_id);
        p.media_box(Rect::new(0.0, 0.0, w, h));
        p.contents(content_id);
        let mut resources = p.resources();
        {
            let mut xo = resources.x_objects();
            for (name, id) in &x_objects {
                xo.pair(Name(name), *id);
            }
        }
        if !page.words.is_empty() {
            resources.fonts().pair(Name(b"F1"), font_id);
        }
        resources.finish();
        p.finish();
    }

    pdf.pages(pages_id).kids(page_ids.iter().copied()).count(page_ids.len() as i32);

    write_font(
        &mut pdf,
        &fonts,
        FontRefs {
            type0: font_id,
            cid_font: cid_font_id,
            descriptor: descriptor_id,
            file: font_file_id,
            to_unicode: to_unicode_id,
            cid_set: cid_set_id,
        },
        &subset_tag(&file_id),
    )?;

    // Colour: sRGB output intent. No /Alternate: the profile is the colour
    // space, and veraPDF's rules (pikepdf's PDF/A-2b validator) refuse a
    // CalRGB alternate on an OutputIntent profile and then treat the file as
    // having no output intent at all.
    let profile = srgb_profile();
    pdf.icc_profile(icc_id, &profile).n(3);

    // Metadata, twice, identical.
    let mut info = pdf.document_info(info_id);
    info.title(TextStr(&meta.title));
    info.author(TextStr(&meta.author));
    info.subject(TextStr(&meta.subject));
    info.keywords(TextStr(&meta.keywords));
    info.producer(TextStr(&meta.producer));
    info.creator(TextStr(&meta.producer));
    info.creation_date(pdf_date(&meta.created));
    info.modified_date(pdf_date(&meta.created));
    info.finish();
    let xmp_bytes = xmp::xmp(meta, part);
    pdf.metadata(xmp_id, &xmp_bytes);

    let mut catalog = pdf.catalog(catalog_id);
    catalog.pages(pages_id);
    catalog.metadata(xmp_id);
    catalog.lang(TextStr(&meta.language));
    catalog
        .output_intents()
        .push()
        .subtype(pdf_writer::types::OutputIntentSubtype::PDFA)
        .output_condition_identifier(TextStr("sRGB IEC61966-2.1"))
        .output_condition(TextStr("sRGB"))
        .registry_name(TextStr("http://www.color.org"))
        .info(TextStr("sRGB IEC61966-2.1"))
        .dest_output_profile(icc_id);
    catalog.finish();
    pdf.set_file_id((file_id.to_vec(), file_id.to_vec()));
    Ok(pdf.finish())
}

/// Object numbers of an embedded font's six objects.
#[derive(Debug, Clone, Copy)]
pub struct FontRefs {
    pub type0: Ref,
    pub cid_font: Ref,
    pub descriptor: Ref,
    pub file: Ref,
    pub to_unicode: Ref,
    /// PDF/A-1 asks for a CIDSet; PDF/A-2 only asks that one, if present, be
    /// complete, which validators do not all check (pikepdf leaves it
    /// unjudged), so part 2 goes without.
    pub cid_set: Option<Ref>,
}

/// Writes the font objects for the glyphs `fonts` used: a Type0 font over a
/// CIDFontType2 subset (Identity-H, CIDToGIDMap Identity, widths, CIDSet when asked,
/// ToUnicode), as PDF/A-1 and -2 require. `tag` is the six-letter subset tag.
pub fn write_font(
    chunk: &mut pdf_writer::Chunk,
    fonts: &FontUse,
    refs: FontRefs,
    tag: &str,
) -> Result<(), PdfError> {
    let font = fonts.font();
    let base_font = format!("{tag}+{}", font.name);
    chunk
        .type0_font(refs.type0)
        .base_font(Name(base_font.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(refs.cid_font)
        .to_unicode(refs.to_unicode);
    let mut cid = chunk.cid_font(refs.cid_font);
    cid.subtype(CidFontType::Type2);
    cid.base_font(Name(base_font.as_bytes()));
    cid.system_info(SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 });
    cid.font_descriptor(refs.descriptor);
    cid.default_width(0.0);
    cid.cid_to_gid_map_predefined(Name(b"Identity"));
    {
        let mut w = cid.widths();
        for (c, width) in fonts.widths() {
            w.consecutive(c, [width]);
        }
    }
    cid.finish();
    let k = 1000.0 / font.units_per_em;
    let mut descriptor = chunk.font_descriptor(refs.descriptor);
    descriptor
        .name(Name(base_font.as_bytes()))
        .flags(FontFlags::SERIF | FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(font.bbox[0] * k, font.bbox[1] * k, font.bbox[2] * k, font.bbox[3] * k))
        .italic_angle(0.0)
        .ascent(font.ascender * k)
        .descent(font.descender * k)
        .cap_height(font.cap_height * k)
        .stem_v(80.0)
        .font_file2(refs.file);
    if let Some(cid_set) = refs.cid_set {
        descriptor.cid_set(cid_set);
    }
    descriptor.finish();
    let program = fonts.subset()?;
    chunk.stream(refs.file, &program).pair(Name(b"Length1"), program.len() as i32);
    chunk.stream(refs.to_unicode, &fonts.to_unicode());
    if let Some(cid_set) = refs.cid_set {
        chunk.stream(cid_set, &fonts.cid_set());
    }
    Ok(())
}

/// Six capital letters derived from the file id, for the font subset name.
pub fn subset_tag(id: &[u8]) -> String {
    id.iter().take(6).map(|b| char::from(b'A' + b % 26)).collect()
}
