//! The embedded font: Liberation Serif (the metric twin of Times New Roman, with
//! every Vietnamese glyph), subset to the glyphs a document uses and written as a
//! CID-keyed TrueType font (Identity-H) with a ToUnicode map, so text copied out
//! of the PDF is the Vietnamese that went in (NFC).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use subsetter::GlyphRemapper;

use crate::PdfError;

/// Where Debian's fonts-liberation2 puts the regular face.
pub const DEFAULT_FONT: &str = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf";

/// A TrueType font file in memory with the metrics the writer needs.
#[derive(Debug, Clone)]
pub struct FontFile {
    data: Arc<Vec<u8>>,
    path: PathBuf,
    /// Design units per em.
    pub units_per_em: f32,
    pub ascender: f32,
    pub descender: f32,
    pub cap_height: f32,
    pub bbox: [f32; 4],
    /// PostScript name, e.g. `LiberationSerif`.
    pub name: String,
}

impl FontFile {
    /// Reads and checks a TrueType font.
    pub fn load(path: &Path) -> Result<FontFile, PdfError> {
        let data = std::fs::read(path).map_err(|e| PdfError::Font(format!("{}: {e}", path.display())))?;
        let face = ttf_parser::Face::parse(&data, 0)
            .map_err(|e| PdfError::Font(format!("{}: {e}", path.display())))?;
        let b = face.global_bounding_box();
        // The PostScript name, from a Unicode record or else the (ASCII) Macintosh one.
        let name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| {
                n.to_string()
                    .or_else(|| n.name.is_ascii().then(|| String::from_utf8_lossy(n.name).into_owned()))
            })
            .unwrap_or_else(|| "HoSoFont".into());
        Ok(FontFile {
            units_per_em: f32::from(face.units_per_em()),
            ascender: f32::from(face.ascender()),
            descender: f32::from(face.descender()),
            cap_height: f32::from(face.capital_height().unwrap_or(face.ascender())),
            bbox: [b.x_min.into(), b.y_min.into(), b.x_max.into(), b.y_max.into()],
            name: name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect(),
            data: Arc::new(data),
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn face(&self) -> ttf_parser::Face<'_> {
        ttf_parser::Face::parse(&self.data, 0).expect("checked when loaded")
    }
}

/// The glyphs one document uses, and how to write text with them.
#[derive(Debug)]
pub struct FontUse {
    font: FontFile,
    remapper: GlyphRemapper,
    /// New glyph id → (advance in font units, the text it stands for).
    glyphs: BTreeMap<u16, (u16, String)>,
}

impl FontUse {
    pub fn new(font: &FontFile) -> FontUse {
        let mut remapper = GlyphRemapper::new();
        remapper.remap(0);
        FontUse { font: font.clone(), remapper, glyphs: BTreeMap::new() }
    }

    pub fn font(&self) -> &FontFile {
        &self.font
    }

    /// Encodes text as 2-byte CIDs (the subset's glyph ids) and returns them with
    /// the text's advance in ems. Characters the font lacks become `.notdef`.
    pub fn encode(&mut self, text: &str) -> (Vec<u8>, f32) {
        let face = self.font.face();
        let mut out = Vec::with_capacity(text.len() * 2);
        let mut advance = 0u32;
        for c in text.chars() {
            let gid = face.glyph_index(c).map_or(0, |g| g.0);
            let new = self.remapper.remap(gid);
            let adv = face.glyph_hor_advance(ttf_parser::GlyphId(gid)).unwrap_or(0);
            advance += u32::from(adv);
            if gid != 0 {
                self.glyphs.entry(new).or_insert_with(|| (adv, c.to_string()));
            }
            out.extend_from_slice(&new.to_be_bytes());
        }
        (out, advance as f32 / self.font.units_per_em)
    }

    /// The subset font program.
    pub fn subset(&self) -> Result<Vec<u8>, PdfError> {
        subsetter::subset(&self.font.data, 0, &self.remapper)
            .map_err(|e| PdfError::Font(format!("subset: {e}")))
    }

    /// Number of glyphs in the subset (CIDs 0..n).
    pub fn glyph_count(&self) -> u16 {
        self.remapper.num_gids()
    }

    /// Advance widths per CID in PDF glyph space (1000 per em), for `/W`.
    pub fn widths(&self) -> Vec<(u16, f32)> {
        let face = self.font.face();
        let mut out = Vec::new();
        for old in self.remapper.remapped_gids() {
            let new = self.remapper.get(old).expect("remapped");
            let adv = face.glyph_hor_advance(ttf_parser::GlyphId(old)).unwrap_or(0);
            out.push((new, f32::from(adv) * 1000.0 / self.font.units_per_em));
        }
        out.sort_by_key(|(cid, _)| *cid);
        out
    }

    /// The ToUnicode CMap.
    pub fn to_unicode(&self) -> Vec<u8> {
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        let entries: Vec<_> = self.glyphs.iter().collect();
        for chunk in entries.chunks(100) {
            cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
            for (cid, (_, text)) in chunk {
                let utf16: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
                cmap.push_str(&format!("<{cid:04X}> <{utf16}>\n"));
            }
            cmap.push_str("endbfchar\n");
        }
        cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        cmap.into_bytes()
    }

    /// The CIDSet bitmap (PDF/A-1: which CIDs the subset holds).
    pub fn cid_set(&self) -> Vec<u8> {
        let n = usize::from(self.glyph_count());
        let mut bits = vec![0u8; n.div_ceil(8)];
        for cid in 0..n {
            bits[cid / 8] |= 0x80 >> (cid % 8);
        }
        bits
    }
}
