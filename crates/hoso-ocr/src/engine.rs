//! The only unsafe code of hoso-ocr: a thin owner of one Tesseract `TessBaseAPI`
//! handle over the C API of the system library (tesseract-sys bindings).
//!
//! Why not the `tesseract` crate: it does not expose orientation detection
//! (`DetectOrientationScript`), which the sample pages need (one is upside down).
//! The handle is `Send` but not `Sync`: one per worker thread.

#![allow(unsafe_code)]

use std::ffi::{CStr, CString, c_char, c_int};
use std::path::Path;
use std::ptr::NonNull;

use image::GrayImage;
use tesseract_sys as sys;

use crate::OcrError;

/// Page segmentation modes used here.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Psm {
    /// Orientation and script detection only.
    OsdOnly,
    /// Fully automatic layout analysis, no OSD.
    Auto,
}

/// One initialised Tesseract engine.
#[derive(Debug)]
pub(crate) struct Api {
    raw: NonNull<sys::TessBaseAPI>,
}

// SAFETY: a TessBaseAPI has no thread affinity; it may move between threads as long
// as it is used from one at a time, which `&mut self` on every call guarantees
// (the type is not `Sync`).
unsafe impl Send for Api {}

impl Api {
    /// Creates and initialises an engine for `languages` ("vie+eng", "osd") with
    /// models from `datapath` (the library's default when `None`).
    pub(crate) fn new(datapath: Option<&Path>, languages: &str, legacy: bool) -> Result<Self, OcrError> {
        let init_error = || OcrError::Init {
            languages: languages.to_owned(),
            datapath: datapath.map(|p| p.display().to_string()).unwrap_or_else(|| "(mặc định)".into()),
        };
        let path = match datapath {
            Some(p) => Some(CString::new(p.to_string_lossy().as_bytes()).map_err(|_| init_error())?),
            None => None,
        };
        let lang = CString::new(languages).map_err(|_| init_error())?;
        // SAFETY: plain constructor; null means out of memory.
        let raw = NonNull::new(unsafe { sys::TessBaseAPICreate() }).ok_or_else(init_error)?;
        let api = Self { raw };
        let oem = if legacy {
            sys::TessOcrEngineMode_OEM_TESSERACT_ONLY
        } else {
            sys::TessOcrEngineMode_OEM_LSTM_ONLY
        };
        // SAFETY: the handle is live; both strings outlive the call (Tesseract copies them).
        let rc = unsafe {
            sys::TessBaseAPIInit2(
                api.raw.as_ptr(),
                path.as_ref().map_or(std::ptr::null(), |p| p.as_ptr()),
                lang.as_ptr(),
                oem,
            )
        };
        if rc != 0 {
            return Err(init_error());
        }
        Ok(api)
    }

    /// Sets a Tesseract parameter; false when the name is unknown.
    pub(crate) fn set_variable(&mut self, name: &str, value: &str) -> bool {
        let (Ok(n), Ok(v)) = (CString::new(name), CString::new(value)) else { return false };
        // SAFETY: live handle, NUL-terminated strings that outlive the call.
        unsafe { sys::TessBaseAPISetVariable(self.raw.as_ptr(), n.as_ptr(), v.as_ptr()) != 0 }
    }

    pub(crate) fn set_psm(&mut self, psm: Psm) {
        let mode = match psm {
            Psm::OsdOnly => sys::TessPageSegMode_PSM_OSD_ONLY,
            Psm::Auto => sys::TessPageSegMode_PSM_AUTO,
        };
        // SAFETY: live handle, valid enum value.
        unsafe { sys::TessBaseAPISetPageSegMode(self.raw.as_ptr(), mode) }
    }

    /// Hands Tesseract an 8-bit grey image (it copies the pixels) and its resolution.
    pub(crate) fn set_image(&mut self, img: &GrayImage, dpi: u32) -> Result<(), OcrError> {
        let (w, h) = img.dimensions();
        let (Ok(cw), Ok(ch)) = (c_int::try_from(w), c_int::try_from(h)) else {
            return Err(OcrError::ImageTooLarge { width: w, height: h });
        };
        if w == 0 || h == 0 {
            return Err(OcrError::ImageTooLarge { width: w, height: h });
        }
        let data = img.as_raw();
        debug_assert_eq!(data.len(), w as usize * h as usize);
        // SAFETY: `data` holds h rows of w bytes (1 byte per pixel, stride w) and stays
        // alive for the call; Tesseract copies it into its own Pix.
        unsafe {
            sys::TessBaseAPISetImage(self.raw.as_ptr(), data.as_ptr(), cw, ch, 1, cw);
            sys::TessBaseAPISetSourceResolution(self.raw.as_ptr(), dpi.clamp(70, 1200) as c_int);
        }
        Ok(())
    }

    /// Orientation of the current image: clockwise degrees the content is turned
    /// (0/90/180/270) and Tesseract's confidence, or `None` when it cannot tell
    /// (too little text).
    pub(crate) fn detect_orientation(&mut self) -> Option<(u16, f32)> {
        let mut deg: c_int = 0;
        let mut conf: f32 = 0.0;
        let mut script: *const c_char = std::ptr::null();
        let mut script_conf: f32 = 0.0;
        // SAFETY: live handle with an image set; all out-pointers point at locals. The
        // script name points into Tesseract's own tables and is not freed here.
        let ok = unsafe {
            sys::TessBaseAPIDetectOrientationScript(
                self.raw.as_ptr(),
                &mut deg,
                &mut conf,
                &mut script,
                &mut script_conf,
            )
        };
        if ok == 0 {
            return None;
        }
        let deg = u16::try_from(deg.rem_euclid(360)).ok()?;
        Some((deg, conf))
    }

    /// Recognises the current image and returns Tesseract's TSV output.
    pub(crate) fn recognise_tsv(&mut self) -> Result<String, OcrError> {
        // SAFETY: live handle with an image set; a null monitor is allowed.
        let rc = unsafe { sys::TessBaseAPIRecognize(self.raw.as_ptr(), std::ptr::null_mut()) };
        if rc != 0 {
            return Err(OcrError::Recognise);
        }
        // SAFETY: live handle after a successful Recognize; the returned string is
        // owned by us and freed with TessDeleteText exactly once.
        unsafe {
            let text = sys::TessBaseAPIGetTsvText(self.raw.as_ptr(), 0);
            if text.is_null() {
                return Err(OcrError::Recognise);
            }
            let out = CStr::from_ptr(text).to_string_lossy().into_owned();
            sys::TessDeleteText(text);
            Ok(out)
        }
    }

    /// Forgets the current image and results (keeps the loaded models).
    pub(crate) fn clear(&mut self) {
        // SAFETY: live handle.
        unsafe { sys::TessBaseAPIClear(self.raw.as_ptr()) }
    }

    /// The library's version string.
    pub(crate) fn version() -> String {
        // SAFETY: returns a pointer to a static NUL-terminated string.
        unsafe { CStr::from_ptr(sys::TessVersion()).to_string_lossy().into_owned() }
    }
}

impl Drop for Api {
    fn drop(&mut self) {
        // SAFETY: the handle is live and dropped once; End then Delete is the
        // documented teardown.
        unsafe {
            sys::TessBaseAPIEnd(self.raw.as_ptr());
            sys::TessBaseAPIDelete(self.raw.as_ptr());
        }
    }
}
