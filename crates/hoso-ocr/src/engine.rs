//! The only unsafe code of hoso-ocr: Tesseract's C API (`tesseract/capi.h`),
//! loaded at run time, and a thin owner of one `TessBaseAPI` handle.
//!
//! Why loaded at run time rather than linked: on Windows Tesseract is a DLL the
//! installer puts beside the program (no import library, no pkg-config for the
//! cross build), and a missing library must be a clear message, not a program
//! that does not start. Linux loads the system's `libtesseract.so.5` the same
//! way, so both platforms run one code path. Only the 14 functions below are
//! used; their signatures are those of capi.h in Tesseract 4 and 5.
//!
//! Why not the `tesseract` crate: it does not expose orientation detection
//! (`DetectOrientationScript`), which the sample pages need (one is upside down).
//! A handle is `Send` but not `Sync`: one per worker thread.

#![allow(unsafe_code)]

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::path::{Path, PathBuf};
use std::ptr::NonNull;
use std::sync::Mutex;

use image::GrayImage;

use crate::OcrError;

/// `TessOcrEngineMode` values.
const OEM_TESSERACT_ONLY: c_int = 0;
const OEM_LSTM_ONLY: c_int = 1;
/// `TessPageSegMode` values.
const PSM_OSD_ONLY: c_int = 0;
const PSM_AUTO: c_int = 3;

type Handle = *mut c_void;

/// The entry points, resolved from the loaded library.
struct Lib {
    create: unsafe extern "C" fn() -> Handle,
    init2: unsafe extern "C" fn(Handle, *const c_char, *const c_char, c_int) -> c_int,
    set_variable: unsafe extern "C" fn(Handle, *const c_char, *const c_char) -> c_int,
    set_page_seg_mode: unsafe extern "C" fn(Handle, c_int),
    set_image: unsafe extern "C" fn(Handle, *const u8, c_int, c_int, c_int, c_int),
    set_source_resolution: unsafe extern "C" fn(Handle, c_int),
    detect_orientation_script:
        unsafe extern "C" fn(Handle, *mut c_int, *mut f32, *mut *const c_char, *mut f32) -> c_int,
    recognize: unsafe extern "C" fn(Handle, *mut c_void) -> c_int,
    get_tsv_text: unsafe extern "C" fn(Handle, c_int) -> *mut c_char,
    delete_text: unsafe extern "C" fn(*const c_char),
    clear: unsafe extern "C" fn(Handle),
    end: unsafe extern "C" fn(Handle),
    delete: unsafe extern "C" fn(Handle),
    version: unsafe extern "C" fn() -> *const c_char,
    /// Where it was loaded from, for diagnostics.
    path: String,
    /// Keeps the library mapped while the function pointers above are in use.
    _lib: libloading::Library,
}

impl std::fmt::Debug for Lib {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lib").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Lib {
    /// Loads the library at `path` (a file, or a bare name for the system's
    /// search) and resolves every entry point.
    fn open(path: &Path) -> Result<Lib, libloading::Error> {
        // SAFETY: loading Tesseract runs its static initialisers, which only set up
        // its own tables. Each symbol is cast to the signature capi.h declares.
        unsafe {
            let lib = load(path)?;
            macro_rules! sym {
                ($n:literal) => {
                    *lib.get(concat!($n, "\0").as_bytes())?
                };
            }
            Ok(Lib {
                create: sym!("TessBaseAPICreate"),
                init2: sym!("TessBaseAPIInit2"),
                set_variable: sym!("TessBaseAPISetVariable"),
                set_page_seg_mode: sym!("TessBaseAPISetPageSegMode"),
                set_image: sym!("TessBaseAPISetImage"),
                set_source_resolution: sym!("TessBaseAPISetSourceResolution"),
                detect_orientation_script: sym!("TessBaseAPIDetectOrientationScript"),
                recognize: sym!("TessBaseAPIRecognize"),
                get_tsv_text: sym!("TessBaseAPIGetTsvText"),
                delete_text: sym!("TessDeleteText"),
                clear: sym!("TessBaseAPIClear"),
                end: sym!("TessBaseAPIEnd"),
                delete: sym!("TessBaseAPIDelete"),
                version: sym!("TessVersion"),
                path: path.display().to_string(),
                _lib: lib,
            })
        }
    }
}

/// Loads a shared library. On Windows the DLL's own folder is searched for its
/// dependencies (Leptonica, the C++ runtime the installer puts beside it), so it
/// loads from wherever it lies without changing the process's search path.
///
/// # Safety
/// Loading runs the library's initialisers.
unsafe fn load(path: &Path) -> Result<libloading::Library, libloading::Error> {
    #[cfg(windows)]
    {
        use libloading::os::windows::{LOAD_WITH_ALTERED_SEARCH_PATH, Library};
        // SAFETY: as for the caller; the flag only changes where dependencies are looked for.
        unsafe { Library::load_with_flags(path, LOAD_WITH_ALTERED_SEARCH_PATH).map(Into::into) }
    }
    #[cfg(not(windows))]
    {
        // SAFETY: as for the caller.
        unsafe { libloading::Library::new(path) }
    }
}

/// Libraries loaded so far, by the location asked for. They are never unloaded:
/// engines may live until the process ends, and unloading Tesseract is not safe
/// while any of its threads or tables are in use.
static LOADED: Mutex<Vec<(Option<PathBuf>, &'static Lib)>> = Mutex::new(Vec::new());

/// The library for `configured` (a file, or a folder holding it; the platform's
/// usual places when `None`), loaded on first use. A failure is not remembered,
/// so installing the library later works without restarting.
fn library(configured: Option<&Path>) -> Result<&'static Lib, OcrError> {
    let mut loaded = LOADED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, lib)) = loaded.iter().find(|(k, _)| k.as_deref() == configured) {
        return Ok(lib);
    }
    let mut tried = Vec::new();
    for candidate in candidates(configured) {
        match Lib::open(&candidate) {
            Ok(lib) => {
                let lib: &'static Lib = Box::leak(Box::new(lib));
                log::info!("Tesseract loaded from {}", lib.path);
                loaded.push((configured.map(Path::to_owned), lib));
                return Ok(lib);
            }
            Err(e) => tried.push(format!("{}: {e}", candidate.display())),
        }
    }
    Err(OcrError::Library { tried: if tried.is_empty() { "—".into() } else { tried.join("; ") } })
}

/// Where to look for the library, in order.
fn candidates(configured: Option<&Path>) -> Vec<PathBuf> {
    match configured {
        Some(p) if p.is_dir() => find_in(p).into_iter().collect(),
        Some(p) => vec![p.to_owned()],
        None => default_candidates(),
    }
}

/// Linux and other Unix systems: the distribution's library by its soname.
#[cfg(not(windows))]
fn default_candidates() -> Vec<PathBuf> {
    ["libtesseract.so.5", "libtesseract.so.4", "libtesseract.so"].iter().map(PathBuf::from).collect()
}

/// Windows: the DLL the installer puts in `tesseract\` beside the program, or
/// beside the program itself.
#[cfg(windows)]
fn default_candidates() -> Vec<PathBuf> {
    let Some(dir) = crate::program_dir() else { return Vec::new() };
    [dir.join("tesseract"), dir].iter().filter_map(|d| find_in(d)).collect()
}

/// The Tesseract library in a folder: `libtesseract.so*` or a `tesseract*.dll`
/// (Windows builds carry the version and often a hash in the name:
/// `tesseract55.dll`, `tesseract55-8a3c….dll`).
fn find_in(dir: &Path) -> Option<PathBuf> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
            (name.starts_with("tesseract") && name.ends_with(".dll")) || name.starts_with("libtesseract.so")
        })
        .collect();
    names.sort();
    names.into_iter().next()
}

/// The library's version and where it was loaded from, or why it could not be.
pub(crate) fn describe(configured: Option<&Path>) -> Result<(String, String), OcrError> {
    let lib = library(configured)?;
    // SAFETY: returns a pointer to a static NUL-terminated string.
    let version = unsafe { CStr::from_ptr((lib.version)()).to_string_lossy().into_owned() };
    Ok((version, lib.path.clone()))
}

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
    lib: &'static Lib,
    raw: NonNull<c_void>,
}

// SAFETY: a TessBaseAPI has no thread affinity; it may move between threads as long
// as it is used from one at a time, which `&mut self` on every call guarantees
// (the type is not `Sync`). The library it points into is never unloaded.
unsafe impl Send for Api {}

impl Api {
    /// Creates and initialises an engine for `languages` ("vie+eng", "osd") with
    /// models from `datapath` (the library's default when `None`), from the
    /// library at `library` (the platform's usual places when `None`).
    pub(crate) fn new(
        library: Option<&Path>,
        datapath: Option<&Path>,
        languages: &str,
        legacy: bool,
    ) -> Result<Self, OcrError> {
        let lib = self::library(library)?;
        let init_error = || OcrError::Init {
            languages: languages.to_owned(),
            datapath: datapath
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| hoso_i18n::msg!("ocr-default-models").to_string()),
        };
        let path = match datapath {
            Some(p) => Some(CString::new(p.to_string_lossy().as_bytes()).map_err(|_| init_error())?),
            None => None,
        };
        let lang = CString::new(languages).map_err(|_| init_error())?;
        // SAFETY: plain constructor; null means out of memory.
        let raw = NonNull::new(unsafe { (lib.create)() }).ok_or_else(init_error)?;
        let api = Self { lib, raw };
        let oem = if legacy { OEM_TESSERACT_ONLY } else { OEM_LSTM_ONLY };
        // SAFETY: the handle is live; both strings outlive the call (Tesseract copies them).
        let rc = unsafe {
            (lib.init2)(
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
        unsafe { (self.lib.set_variable)(self.raw.as_ptr(), n.as_ptr(), v.as_ptr()) != 0 }
    }

    pub(crate) fn set_psm(&mut self, psm: Psm) {
        let mode = match psm {
            Psm::OsdOnly => PSM_OSD_ONLY,
            Psm::Auto => PSM_AUTO,
        };
        // SAFETY: live handle, valid enum value.
        unsafe { (self.lib.set_page_seg_mode)(self.raw.as_ptr(), mode) }
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
            (self.lib.set_image)(self.raw.as_ptr(), data.as_ptr(), cw, ch, 1, cw);
            (self.lib.set_source_resolution)(self.raw.as_ptr(), dpi.clamp(70, 1200) as c_int);
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
            (self.lib.detect_orientation_script)(
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
        let rc = unsafe { (self.lib.recognize)(self.raw.as_ptr(), std::ptr::null_mut()) };
        if rc != 0 {
            return Err(OcrError::Recognise);
        }
        // SAFETY: live handle after a successful Recognize; the returned string is
        // owned by us and freed with TessDeleteText exactly once.
        unsafe {
            let text = (self.lib.get_tsv_text)(self.raw.as_ptr(), 0);
            if text.is_null() {
                return Err(OcrError::Recognise);
            }
            let out = CStr::from_ptr(text).to_string_lossy().into_owned();
            (self.lib.delete_text)(text);
            Ok(out)
        }
    }

    /// Forgets the current image and results (keeps the loaded models).
    pub(crate) fn clear(&mut self) {
        // SAFETY: live handle.
        unsafe { (self.lib.clear)(self.raw.as_ptr()) }
    }
}

impl Drop for Api {
    fn drop(&mut self) {
        // SAFETY: the handle is live and dropped once; End then Delete is the
        // documented teardown.
        unsafe {
            (self.lib.end)(self.raw.as_ptr());
            (self.lib.delete)(self.raw.as_ptr());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_library_is_a_clear_error_naming_what_was_tried() {
        let dir = std::env::temp_dir().join(format!("hoso-no-tesseract-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = describe(Some(&dir.join("tesseract55.dll"))).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("tesseract55.dll"), "{text}");
        assert!(text.contains("Tesseract"), "{text}");
        // A folder without the library: nothing to try, still a clear error.
        let err = describe(Some(&dir)).unwrap_err();
        assert!(matches!(err, OcrError::Library { .. }), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_library_is_found_in_a_folder_by_its_windows_or_unix_name() {
        let dir = std::env::temp_dir().join(format!("hoso-find-tesseract-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("leptonica-1.87.0.dll"), b"").unwrap();
        assert_eq!(find_in(&dir), None);
        std::fs::write(dir.join("tesseract55-8a3c.dll"), b"").unwrap();
        assert_eq!(find_in(&dir), Some(dir.join("tesseract55-8a3c.dll")));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
