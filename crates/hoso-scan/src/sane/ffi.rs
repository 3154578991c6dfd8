//! The C interface of SANE 1.x (sane/sane.h), loaded at run time from
//! `libsane.so.1` so the program starts on machines without SANE.
//!
//! The only unsafe code of hoso-scan lives here and in `device.rs`'s calls into
//! it. Layouts follow the SANE standard 1.0: every SANE_Word, SANE_Int,
//! SANE_Bool and SANE_Fixed is a 32-bit C `int`; enums are C `int`s.

#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_void};

pub type Word = c_int;
pub type Status = c_int;
pub type Handle = *mut c_void;

pub const STATUS_GOOD: Status = 0;
pub const STATUS_UNSUPPORTED: Status = 1;
pub const STATUS_CANCELLED: Status = 2;
pub const STATUS_DEVICE_BUSY: Status = 3;
pub const STATUS_INVAL: Status = 4;
pub const STATUS_EOF: Status = 5;
pub const STATUS_JAMMED: Status = 6;
pub const STATUS_NO_DOCS: Status = 7;
pub const STATUS_COVER_OPEN: Status = 8;
pub const STATUS_IO_ERROR: Status = 9;
pub const STATUS_NO_MEM: Status = 10;
pub const STATUS_ACCESS_DENIED: Status = 11;

pub const TYPE_BOOL: c_int = 0;
pub const TYPE_INT: c_int = 1;
pub const TYPE_FIXED: c_int = 2;
pub const TYPE_STRING: c_int = 3;

pub const CONSTRAINT_RANGE: c_int = 1;
pub const CONSTRAINT_WORD_LIST: c_int = 2;
pub const CONSTRAINT_STRING_LIST: c_int = 3;

pub const CAP_INACTIVE: Word = 32;

pub const ACTION_GET_VALUE: c_int = 0;
pub const ACTION_SET_VALUE: c_int = 1;

pub const FRAME_GRAY: c_int = 0;
pub const FRAME_RGB: c_int = 1;

/// SANE_Fixed has 16 fractional bits.
pub const FIXED_SCALE: f64 = 65536.0;

#[repr(C)]
pub struct Device {
    pub name: *const c_char,
    pub vendor: *const c_char,
    pub model: *const c_char,
    pub kind: *const c_char,
}

#[repr(C)]
pub struct Range {
    pub min: Word,
    pub max: Word,
    pub quant: Word,
}

#[repr(C)]
pub struct OptionDescriptor {
    pub name: *const c_char,
    pub title: *const c_char,
    pub desc: *const c_char,
    pub value_type: c_int,
    pub unit: c_int,
    pub size: Word,
    pub cap: Word,
    pub constraint_type: c_int,
    /// A union of `*const *const c_char`, `*const Word` and `*const Range`.
    pub constraint: *const c_void,
}

#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub struct Parameters {
    pub format: c_int,
    pub last_frame: Word,
    pub bytes_per_line: Word,
    pub pixels_per_line: Word,
    pub lines: Word,
    pub depth: Word,
}

/// The entry points, resolved from the loaded library.
pub struct Api {
    pub init: unsafe extern "C" fn(*mut Word, *const c_void) -> Status,
    pub exit: unsafe extern "C" fn(),
    pub get_devices: unsafe extern "C" fn(*mut *const *const Device, Word) -> Status,
    pub open: unsafe extern "C" fn(*const c_char, *mut Handle) -> Status,
    pub close: unsafe extern "C" fn(Handle),
    pub get_option_descriptor: unsafe extern "C" fn(Handle, Word) -> *const OptionDescriptor,
    pub control_option: unsafe extern "C" fn(Handle, Word, c_int, *mut c_void, *mut Word) -> Status,
    pub get_parameters: unsafe extern "C" fn(Handle, *mut Parameters) -> Status,
    pub start: unsafe extern "C" fn(Handle) -> Status,
    pub read: unsafe extern "C" fn(Handle, *mut u8, Word, *mut Word) -> Status,
    pub cancel: unsafe extern "C" fn(Handle),
    /// Keeps the library mapped while the function pointers above are in use.
    _lib: libloading::Library,
}

impl Api {
    /// Loads `libsane.so.1` (or `name`) and resolves the entry points.
    pub fn load(name: &str) -> Result<Api, libloading::Error> {
        // SAFETY: loading libsane runs its initialisers, which only set up its own
        // state. Each symbol is cast to the signature sane.h declares for it.
        unsafe {
            let lib = libloading::Library::new(name)?;
            macro_rules! sym {
                ($n:literal) => {
                    *lib.get(concat!($n, "\0").as_bytes())?
                };
            }
            Ok(Api {
                init: sym!("sane_init"),
                exit: sym!("sane_exit"),
                get_devices: sym!("sane_get_devices"),
                open: sym!("sane_open"),
                close: sym!("sane_close"),
                get_option_descriptor: sym!("sane_get_option_descriptor"),
                control_option: sym!("sane_control_option"),
                get_parameters: sym!("sane_get_parameters"),
                start: sym!("sane_start"),
                read: sym!("sane_read"),
                cancel: sym!("sane_cancel"),
                _lib: lib,
            })
        }
    }
}

/// A device handle as a plain value, so it can cross threads (SANE allows
/// `sane_cancel` from anywhere; every other call stays on the device's thread).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawHandle(usize);

/// An option constraint, copied out of SANE's memory.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    None,
    Range { min: Word, max: Word, quant: Word },
    Words(Vec<Word>),
    Strings(Vec<String>),
}

/// An option descriptor, copied out of SANE's memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Descriptor {
    pub name: String,
    pub value_type: c_int,
    pub size: Word,
    pub cap: Word,
    pub constraint: Constraint,
}

/// Copies a C string SANE owns (null → empty).
///
/// SAFETY: `p` is null or points to a NUL-terminated string alive for the call.
unsafe fn text(p: *const c_char) -> String {
    if p.is_null() {
        String::new()
    } else {
        unsafe { std::ffi::CStr::from_ptr(p) }.to_string_lossy().into_owned()
    }
}

fn check(status: Status) -> Result<(), Status> {
    if status == STATUS_GOOD { Ok(()) } else { Err(status) }
}

// Safe wrappers. SAFETY for all of them: `Api` holds the library, so the function
// pointers are valid; handles come from `open` and are used until `close`; all
// buffers passed are owned locals of the size SANE is told.
impl Api {
    pub fn init(&self) -> Result<Word, Status> {
        let mut version: Word = 0;
        check(unsafe { (self.init)(&mut version, std::ptr::null()) })?;
        Ok(version)
    }

    pub fn exit(&self) {
        unsafe { (self.exit)() }
    }

    /// `(name, vendor, model, type)` of every device.
    pub fn devices(&self, local_only: bool) -> Result<Vec<[String; 4]>, Status> {
        let mut list: *const *const Device = std::ptr::null();
        check(unsafe { (self.get_devices)(&mut list, Word::from(local_only)) })?;
        let mut out = Vec::new();
        if list.is_null() {
            return Ok(out);
        }
        // The list is NULL-terminated and stays valid until the next call.
        let mut i = 0;
        loop {
            let d = unsafe { *list.add(i) };
            if d.is_null() {
                break;
            }
            let d = unsafe { &*d };
            out.push(unsafe { [text(d.name), text(d.vendor), text(d.model), text(d.kind)] });
            i += 1;
        }
        Ok(out)
    }

    pub fn open(&self, name: &str) -> Result<RawHandle, Status> {
        let name = std::ffi::CString::new(name).map_err(|_| STATUS_INVAL)?;
        let mut h: Handle = std::ptr::null_mut();
        check(unsafe { (self.open)(name.as_ptr(), &mut h) })?;
        if h.is_null() {
            return Err(STATUS_INVAL);
        }
        Ok(RawHandle(h as usize))
    }

    pub fn close(&self, h: RawHandle) {
        unsafe { (self.close)(h.0 as Handle) }
    }

    pub fn descriptor(&self, h: RawHandle, index: Word) -> Option<Descriptor> {
        let d = unsafe { (self.get_option_descriptor)(h.0 as Handle, index) };
        if d.is_null() {
            return None;
        }
        let d = unsafe { &*d };
        let constraint = match d.constraint_type {
            CONSTRAINT_RANGE if !d.constraint.is_null() => {
                let r = unsafe { &*(d.constraint as *const Range) };
                Constraint::Range { min: r.min, max: r.max, quant: r.quant }
            }
            CONSTRAINT_WORD_LIST if !d.constraint.is_null() => {
                // First word is the count.
                let words = d.constraint as *const Word;
                let n = unsafe { *words }.max(0) as usize;
                Constraint::Words((1..=n).map(|i| unsafe { *words.add(i) }).collect())
            }
            CONSTRAINT_STRING_LIST if !d.constraint.is_null() => {
                let list = d.constraint as *const *const c_char;
                let mut out = Vec::new();
                let mut i = 0;
                loop {
                    let s = unsafe { *list.add(i) };
                    if s.is_null() {
                        break;
                    }
                    out.push(unsafe { text(s) });
                    i += 1;
                }
                Constraint::Strings(out)
            }
            _ => Constraint::None,
        };
        Some(Descriptor {
            name: unsafe { text(d.name) },
            value_type: d.value_type,
            size: d.size,
            cap: d.cap,
            constraint,
        })
    }

    /// Reads a one-word option (bool, int, fixed).
    pub fn get_word(&self, h: RawHandle, index: Word) -> Result<Word, Status> {
        let mut v: Word = 0;
        check(unsafe {
            (self.control_option)(
                h.0 as Handle,
                index,
                ACTION_GET_VALUE,
                (&mut v as *mut Word).cast(),
                std::ptr::null_mut(),
            )
        })?;
        Ok(v)
    }

    /// Sets a one-word option (bool, int, fixed).
    pub fn set_word(&self, h: RawHandle, index: Word, value: Word) -> Result<(), Status> {
        let mut v = value;
        let mut info: Word = 0;
        check(unsafe {
            (self.control_option)(
                h.0 as Handle,
                index,
                ACTION_SET_VALUE,
                (&mut v as *mut Word).cast(),
                &mut info,
            )
        })
    }

    /// Sets a string option whose value buffer is `size` bytes.
    pub fn set_string(&self, h: RawHandle, index: Word, value: &str, size: Word) -> Result<(), Status> {
        let mut buf = vec![0u8; (size.max(0) as usize).max(value.len() + 1)];
        buf[..value.len()].copy_from_slice(value.as_bytes());
        let mut info: Word = 0;
        check(unsafe {
            (self.control_option)(h.0 as Handle, index, ACTION_SET_VALUE, buf.as_mut_ptr().cast(), &mut info)
        })
    }

    pub fn parameters(&self, h: RawHandle) -> Result<Parameters, Status> {
        let mut p = Parameters::default();
        check(unsafe { (self.get_parameters)(h.0 as Handle, &mut p) })?;
        Ok(p)
    }

    pub fn start(&self, h: RawHandle) -> Result<(), Status> {
        check(unsafe { (self.start)(h.0 as Handle) })
    }

    /// Reads into `buf`; `Ok(0)` never happens, the end of a frame is `Err(STATUS_EOF)`.
    pub fn read(&self, h: RawHandle, buf: &mut [u8]) -> Result<usize, Status> {
        let mut len: Word = 0;
        let max = Word::try_from(buf.len()).unwrap_or(Word::MAX);
        check(unsafe { (self.read)(h.0 as Handle, buf.as_mut_ptr(), max, &mut len) })?;
        Ok(len.max(0) as usize)
    }

    pub fn cancel(&self, h: RawHandle) {
        unsafe { (self.cancel)(h.0 as Handle) }
    }
}
