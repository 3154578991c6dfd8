//! The sRGB ICC profile of the OutputIntent, generated here (ICC v2, display
//! class, D50 PCS) so no third-party profile file has to be shipped or licensed.
//!
//! Primaries are the sRGB ones chromatically adapted to D50 (Bradford), as in
//! every common sRGB v2 profile; the tone curve is the sRGB piecewise function
//! sampled at 1024 points. Version 2.1 keeps it valid for PDF/A-1 as well as -2.

/// s15Fixed16Number.
fn s15(v: f64) -> [u8; 4] {
    ((v * 65536.0).round() as i32).to_be_bytes()
}

fn xyz(x: f64, y: f64, z: f64) -> Vec<u8> {
    let mut t = b"XYZ \0\0\0\0".to_vec();
    for v in [x, y, z] {
        t.extend_from_slice(&s15(v));
    }
    t
}

fn text_description(s: &str) -> Vec<u8> {
    let mut t = b"desc\0\0\0\0".to_vec();
    t.extend_from_slice(&(s.len() as u32 + 1).to_be_bytes());
    t.extend_from_slice(s.as_bytes());
    t.push(0);
    t.extend_from_slice(&[0; 4]); // Unicode language code
    t.extend_from_slice(&[0; 4]); // Unicode count
    t.extend_from_slice(&[0; 2]); // ScriptCode code
    t.push(0); // ScriptCode count
    t.extend_from_slice(&[0; 67]);
    t
}

fn text(s: &str) -> Vec<u8> {
    let mut t = b"text\0\0\0\0".to_vec();
    t.extend_from_slice(s.as_bytes());
    t.push(0);
    t
}

fn srgb_curve() -> Vec<u8> {
    const N: usize = 1024;
    let mut t = b"curv\0\0\0\0".to_vec();
    t.extend_from_slice(&(N as u32).to_be_bytes());
    for i in 0..N {
        let v = i as f64 / (N - 1) as f64;
        let lin = if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) };
        t.extend_from_slice(&((lin * 65535.0).round() as u16).to_be_bytes());
    }
    t
}

/// The profile bytes.
pub fn srgb_profile() -> Vec<u8> {
    let curve = srgb_curve();
    let tags: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"desc", text_description("sRGB IEC61966-2.1 (HoSo Intake)")),
        (b"cprt", text("No copyright, use freely")),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
        (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve.clone()),
        (b"gTRC", curve.clone()),
        (b"bTRC", curve),
    ];
    let table_len = 4 + 12 * tags.len();
    let mut offset = 128 + table_len;
    let mut table = (tags.len() as u32).to_be_bytes().to_vec();
    let mut data = Vec::new();
    for (sig, body) in &tags {
        while !(offset + data.len()).is_multiple_of(4) {
            data.push(0);
        }
        table.extend_from_slice(*sig);
        table.extend_from_slice(&((offset + data.len()) as u32).to_be_bytes());
        table.extend_from_slice(&(body.len() as u32).to_be_bytes());
        data.extend_from_slice(body);
    }
    while !data.len().is_multiple_of(4) {
        data.push(0);
    }
    offset += data.len();
    let mut header = Vec::with_capacity(128);
    header.extend_from_slice(&(offset as u32).to_be_bytes());
    header.extend_from_slice(&[0; 4]); // preferred CMM
    header.extend_from_slice(&[2, 0x10, 0, 0]); // version 2.1
    header.extend_from_slice(b"mntrRGB XYZ ");
    for v in [2026u16, 1, 1, 0, 0, 0] {
        header.extend_from_slice(&v.to_be_bytes());
    }
    header.extend_from_slice(b"acsp");
    header.extend_from_slice(&[0; 4]); // platform
    header.extend_from_slice(&[0; 4]); // flags
    header.extend_from_slice(&[0; 8]); // manufacturer, model
    header.extend_from_slice(&[0; 8]); // attributes
    header.extend_from_slice(&[0, 0, 0, 0]); // perceptual
    header.extend_from_slice(&s15(0.9642));
    header.extend_from_slice(&s15(1.0));
    header.extend_from_slice(&s15(0.8249));
    header.extend_from_slice(&[0; 4]); // creator
    header.resize(128, 0);
    let mut out = header;
    out.extend_from_slice(&table);
    out.extend_from_slice(&data);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn header_is_consistent() {
        let p = super::srgb_profile();
        assert_eq!(u32::from_be_bytes(p[0..4].try_into().unwrap()) as usize, p.len());
        assert_eq!(&p[36..40], b"acsp");
        assert_eq!(&p[12..20], b"mntrRGB ");
        assert_eq!(p.len() % 4, 0);
    }
}
