//! A TWAIN session on Windows: the source manager, a hidden window with its
//! message loop, and the state machine of one source (TWAIN 2.4, chapter 2):
//!
//! 3 manager open → 4 source open (capabilities set here) → 5 enabled
//! (no driver window unless the driver insists) → 6 a transfer ready → 7 one
//! image transferred (memory strips, or one native bitmap when the driver
//! offers no memory transfer) → back to 6 while `TW_PENDINGXFERS.Count` says
//! more, else 5 → disabled (4) → closed (3) → manager closed.
//!
//! All of it runs on one thread that owns the window ([`TwainScanner`] talks
//! to it over channels), and one image is transferred per
//! [`Scanner::next_page`], so the app has stored a page before the next is
//! asked of the driver. It runs in the scan worker's process, never the app's.
//!
//! Capability containers are allocated with `GlobalAlloc`, as the Windows
//! source managers do themselves.

#![allow(unsafe_code)]

use std::ffi::c_void;
use std::sync::OnceLock;

use image::DynamicImage;
use windows_sys::Win32::Foundation::{GlobalFree, HWND};
use windows_sys::Win32::System::LibraryLoader::GetModuleHandleW;
use windows_sys::Win32::System::Memory::{GHND, GlobalAlloc, GlobalLock, GlobalSize, GlobalUnlock};
use windows_sys::Win32::UI::WindowsAndMessaging::{
    CreateWindowExW, DestroyWindow, DispatchMessageW, MSG, MsgWaitForMultipleObjects, PM_REMOVE,
    PeekMessageW, QS_ALLINPUT, TranslateMessage, WS_POPUP,
};

use super::*;
use crate::device_thread::{Answer, DeviceThread};
use crate::{
    Canceller, Capabilities, ColourMode, DeviceInfo, ScanError, ScanSettings, ScannedPage, Scanner, Source,
    common_resolutions, nearest_resolution,
};

#[repr(C, packed(2))]
#[derive(Clone, Copy)]
struct Version {
    major: u16,
    minor: u16,
    language: u16,
    country: u16,
    info: [u8; 34],
}

#[repr(C, packed(2))]
#[derive(Clone, Copy)]
struct Identity {
    id: u32,
    version: Version,
    protocol_major: u16,
    protocol_minor: u16,
    supported_groups: u32,
    manufacturer: [u8; 34],
    product_family: [u8; 34],
    product_name: [u8; 34],
}

#[repr(C, packed(2))]
struct Capability {
    cap: u16,
    con_type: u16,
    container: *mut c_void,
}

#[repr(C, packed(2))]
struct UserInterface {
    show_ui: u16,
    modal_ui: u16,
    parent: HWND,
}

#[repr(C, packed(2))]
struct Event {
    event: *mut c_void,
    message: u16,
}

#[repr(C, packed(2))]
#[derive(Default)]
struct PendingXfers {
    count: u16,
    eoj: u32,
}

#[repr(C, packed(2))]
#[derive(Default)]
struct ImageInfo {
    x_resolution: u32,
    y_resolution: u32,
    width: i32,
    length: i32,
    samples_per_pixel: i16,
    bits_per_sample: [i16; 8],
    bits_per_pixel: i16,
    planar: u16,
    pixel_type: i16,
    compression: u16,
}

#[repr(C, packed(2))]
#[derive(Default)]
struct SetupMemXfer {
    min: u32,
    max: u32,
    preferred: u32,
}

#[repr(C, packed(2))]
struct ImageMemXfer {
    compression: u16,
    bytes_per_row: u32,
    columns: u32,
    rows: u32,
    x_offset: u32,
    y_offset: u32,
    bytes_written: u32,
    flags: u32,
    length: u32,
    memory: *mut c_void,
}

#[repr(C, packed(2))]
#[derive(Default)]
struct Status {
    condition: u16,
    data: u16,
}

#[repr(C, packed(2))]
struct ImageLayout {
    frame: [u32; 4],
    document: u32,
    page: u32,
    frame_number: u32,
}

// The specification's sizes (a handle or pointer is 8 bytes in a 64-bit
// process, 4 in a 32-bit one), so a field out of place fails the build.
const PTR: usize = size_of::<usize>();
const _: () = assert!(size_of::<Identity>() == 156);
const _: () = assert!(size_of::<Capability>() == 4 + PTR);
const _: () = assert!(size_of::<UserInterface>() == 4 + PTR);
const _: () = assert!(size_of::<Event>() == PTR + 2);
const _: () = assert!(size_of::<PendingXfers>() == 6);
const _: () = assert!(size_of::<ImageInfo>() == 42);
const _: () = assert!(size_of::<ImageMemXfer>() == 34 + PTR);
const _: () = assert!(size_of::<ImageLayout>() == 28);

type Entry = unsafe extern "system" fn(*mut Identity, *mut Identity, u32, u16, u16, *mut c_void) -> u16;

/// The source manager, loaded once per process and never unloaded (data
/// sources keep threads and windows that outlive their close).
fn manager() -> Result<Entry, ScanError> {
    static DSM: OnceLock<Result<Entry, String>> = OnceLock::new();
    DSM.get_or_init(|| {
        let mut tried = Vec::new();
        for name in ["TWAINDSM.dll", "twain_32.dll"] {
            // SAFETY: loading a source manager runs its DllMain, which is what
            // using TWAIN means; DSM_Entry has the specification's signature.
            match unsafe { libloading::Library::new(name) } {
                Ok(lib) => {
                    let lib: &'static libloading::Library = Box::leak(Box::new(lib));
                    // SAFETY: as above.
                    match unsafe { lib.get::<Entry>(b"DSM_Entry\0") } {
                        Ok(entry) => {
                            log::debug!("TWAIN source manager: {name}");
                            return Ok(*entry);
                        }
                        Err(e) => tried.push(format!("{name}: {e}")),
                    }
                }
                Err(e) => tried.push(format!("{name}: {e}")),
            }
        }
        Err(tried.join("; "))
    })
    .clone()
    .map_err(ScanError::NoTwain)
}

fn text(field: &[u8]) -> String {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..end]).trim().to_owned()
}

fn str34(s: &str) -> [u8; 34] {
    let mut b = [0u8; 34];
    for (d, c) in b.iter_mut().zip(s.bytes().take(33)) {
        *d = c;
    }
    b
}

fn app_identity() -> Identity {
    Identity {
        id: 0,
        version: Version {
            major: 0,
            minor: 1,
            language: 2,
            country: 1,
            info: str34(env!("CARGO_PKG_VERSION")),
        },
        protocol_major: 2,
        protocol_minor: 4,
        supported_groups: DG_CONTROL | DG_IMAGE | DF_APP2,
        manufacturer: str34("HoSo"),
        product_family: str34("HoSo Intake"),
        product_name: str34("HoSo Intake"),
    }
}

fn device_info(id: &Identity) -> DeviceInfo {
    let name = text(&{ id.product_name });
    DeviceInfo {
        id: format!("twain:{name}"),
        vendor: text(&{ id.manufacturer }),
        model: name,
        kind: "TWAIN scanner".into(),
    }
}

/// Where the session is in the state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum State {
    ManagerOpen = 3,
    SourceOpen = 4,
    Enabled = 5,
    Ready = 6,
    Transferring = 7,
}

enum Wakeup {
    TransferReady,
    CloseRequested,
}

struct Batch {
    feeder: bool,
    memory: bool,
    flavor: u16,
    dpi: f32,
    pages: u32,
    ended: bool,
}

struct Session {
    entry: Entry,
    /// Boxed: the source manager keeps these addresses.
    app: Box<Identity>,
    source: Option<Box<Identity>>,
    window: HWND,
    state: State,
    /// MSG_OPENDSM succeeded, so MSG_CLOSEDSM is owed.
    manager_open: bool,
    batch: Option<Batch>,
}

impl Session {
    /// Opens the manager (state 3) on a hidden window of this thread.
    fn open_manager() -> Result<Session, ScanError> {
        let entry = manager()?;
        let class: Vec<u16> = "STATIC\0".encode_utf16().collect();
        let title: Vec<u16> = "HoSo TWAIN\0".encode_utf16().collect();
        // SAFETY: a plain hidden popup of the system's STATIC class; no
        // pointers outlive the call.
        let window = unsafe {
            CreateWindowExW(
                0,
                class.as_ptr(),
                title.as_ptr(),
                WS_POPUP,
                0,
                0,
                0,
                0,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                GetModuleHandleW(std::ptr::null()),
                std::ptr::null(),
            )
        };
        if window.is_null() {
            return Err(ScanError::Device("TWAIN: no window for the source manager".into()));
        }
        let mut s = Session {
            entry,
            app: Box::new(app_identity()),
            source: None,
            window,
            state: State::ManagerOpen,
            manager_open: false,
            batch: None,
        };
        let mut parent = window;
        let rc = s.call(false, DG_CONTROL, DAT_PARENT, MSG_OPENDSM, (&raw mut parent).cast());
        if rc != TWRC_SUCCESS {
            return Err(condition_error(s.status(false), "MSG_OPENDSM"));
        }
        s.manager_open = true;
        Ok(s)
    }

    /// One DSM_Entry call, to the source (`to_source`) or the manager.
    fn call(&mut self, to_source: bool, dg: u32, dat: u16, msg: u16, data: *mut c_void) -> u16 {
        let dest = match (to_source, self.source.as_mut()) {
            (true, Some(s)) => &raw mut **s,
            _ => std::ptr::null_mut(),
        };
        // SAFETY: `data` points at the structure the triplet names, alive for
        // the call; the identities are boxed and live as long as the session.
        unsafe { (self.entry)(&raw mut *self.app, dest, dg, dat, msg, data) }
    }

    fn status(&mut self, of_source: bool) -> u16 {
        let mut st = Status::default();
        self.call(of_source, DG_CONTROL, DAT_STATUS, MSG_GET, (&raw mut st).cast());
        st.condition
    }

    fn identities(&mut self) -> Vec<Identity> {
        let mut found = Vec::new();
        let mut msg = MSG_GETFIRST;
        loop {
            let mut id = app_identity();
            id.id = 0;
            id.product_name = [0; 34];
            match self.call(false, DG_CONTROL, DAT_IDENTITY, msg, (&raw mut id).cast()) {
                TWRC_SUCCESS => {}
                TWRC_ENDOFLIST => break,
                _ => {
                    log::debug!("TWAIN: listing sources stopped, condition {}", self.status(false));
                    break;
                }
            }
            found.push(id);
            msg = MSG_GETNEXT;
            if found.len() > 256 {
                break;
            }
        }
        found
    }

    /// Opens the source named `product` (the default source when empty): state 4.
    fn open_source(&mut self, product: &str) -> Result<(), ScanError> {
        let mut id = if product.is_empty() {
            let mut id = app_identity();
            if self.call(false, DG_CONTROL, DAT_IDENTITY, MSG_GETDEFAULT, (&raw mut id).cast())
                != TWRC_SUCCESS
            {
                return Err(ScanError::NotFound("twain:".into()));
            }
            id
        } else {
            let all = self.identities();
            let name = |i: &Identity| text(&{ i.product_name });
            all.iter()
                .find(|i| name(i) == product)
                .or_else(|| all.iter().find(|i| name(i).eq_ignore_ascii_case(product)))
                .copied()
                .ok_or_else(|| ScanError::NotFound(format!("twain:{product}")))?
        };
        let rc = self.call(false, DG_CONTROL, DAT_IDENTITY, MSG_OPENDS, (&raw mut id).cast());
        if rc != TWRC_SUCCESS {
            return Err(match self.status(false) {
                3 => ScanError::NotFound(format!("twain:{product}")),
                cc => condition_error(cc, "MSG_OPENDS"),
            });
        }
        self.source = Some(Box::new(id));
        self.state = State::SourceOpen;
        Ok(())
    }

    /// A capability's value; `None` when the source does not answer.
    fn get(&mut self, cap: u16, msg: u16) -> Option<Container> {
        let mut c = Capability { cap, con_type: 0, container: std::ptr::null_mut() };
        let rc = self.call(true, DG_CONTROL, DAT_CAPABILITY, msg, (&raw mut c).cast());
        let handle = c.container;
        if handle.is_null() {
            return None;
        }
        // SAFETY: the source handed us a global memory block it allocated;
        // we read at most its size and free it, as the specification says.
        let parsed = unsafe {
            let size = GlobalSize(handle);
            let p = GlobalLock(handle);
            let parsed = (!p.is_null() && rc == TWRC_SUCCESS)
                .then(|| parse_container(c.con_type, std::slice::from_raw_parts(p.cast::<u8>(), size)))
                .flatten();
            if !p.is_null() {
                GlobalUnlock(handle);
            }
            GlobalFree(handle);
            parsed
        };
        parsed
    }

    fn current(&mut self, cap: u16) -> Option<f64> {
        self.get(cap, MSG_GETCURRENT).and_then(|c| c.current())
    }

    /// Sets a one-value capability; `Err` carries the condition code.
    fn set(&mut self, cap: u16, item_type: u16, item: u32) -> Result<(), u16> {
        let bytes = one_value(item_type, item);
        // SAFETY: a block of our own, written within its size, freed below.
        let handle = unsafe {
            let h = GlobalAlloc(GHND, bytes.len());
            if h.is_null() {
                return Err(2);
            }
            let p = GlobalLock(h);
            if p.is_null() {
                GlobalFree(h);
                return Err(2);
            }
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), p.cast::<u8>(), bytes.len());
            GlobalUnlock(h);
            h
        };
        let mut c = Capability { cap, con_type: TWON_ONEVALUE, container: handle };
        let rc = self.call(true, DG_CONTROL, DAT_CAPABILITY, MSG_SET, (&raw mut c).cast());
        // SAFETY: ours, allocated above.
        unsafe { GlobalFree(handle) };
        match rc {
            TWRC_SUCCESS | TWRC_CHECKSTATUS => Ok(()),
            _ => Err(self.status(true)),
        }
    }

    fn capabilities(&mut self) -> Capabilities {
        let _ = self.set(ICAP_UNITS, TWTY_UINT16, u32::from(TWUN_INCHES));
        let mut resolutions = match self.get(ICAP_XRESOLUTION, MSG_GET) {
            Some(Container::Range { min, max, .. }) => common_resolutions(min as u32, max as u32),
            Some(c) => c.values().into_iter().filter(|v| *v >= 1.0).map(|v| v.round() as u32).collect(),
            None => Vec::new(),
        };
        resolutions.sort_unstable();
        resolutions.dedup();
        let mut modes: Vec<ColourMode> = self
            .get(ICAP_PIXELTYPE, MSG_GET)
            .map(|c| c.values())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|t| match t as u16 {
                TWPT_RGB => Some(ColourMode::Colour),
                TWPT_GRAY => Some(ColourMode::Gray),
                TWPT_BW => Some(ColourMode::BlackWhite),
                _ => None,
            })
            .collect();
        modes.sort_by_key(|m| *m as u8);
        modes.dedup();
        let feeder = self.current(CAP_FEEDERENABLED);
        let duplex = self.current(CAP_DUPLEX).is_some_and(|d| d > 0.0);
        // A flatbed is there when the feeder can be switched off.
        let flatbed = match feeder {
            None => true,
            Some(was) => {
                let off = self.set(CAP_FEEDERENABLED, TWTY_BOOL, 0).is_ok()
                    && self.current(CAP_FEEDERENABLED) == Some(0.0);
                let _ = self.set(CAP_FEEDERENABLED, TWTY_BOOL, u32::from(was != 0.0));
                off
            }
        };
        let mut sources = Vec::new();
        if flatbed {
            sources.push(Source::Flatbed);
        }
        if feeder.is_some() {
            sources.push(Source::Feeder);
            if duplex {
                sources.push(Source::FeederDuplex);
            }
        }
        let inches =
            |v: Option<f64>, fallback: f32| v.filter(|v| *v > 0.0).map_or(fallback, |v| (v * 25.4) as f32);
        Capabilities {
            sources,
            resolutions,
            modes,
            max_width_mm: inches(self.current(ICAP_PHYSICALWIDTH), 216.0),
            max_height_mm: inches(self.current(ICAP_PHYSICALHEIGHT), 356.0),
        }
    }

    fn enable(&mut self, show_ui: bool) -> bool {
        let mut ui = UserInterface { show_ui: u16::from(show_ui), modal_ui: 0, parent: self.window };
        matches!(
            self.call(true, DG_CONTROL, DAT_USERINTERFACE, MSG_ENABLEDS, (&raw mut ui).cast()),
            TWRC_SUCCESS | TWRC_CHECKSTATUS
        )
    }

    /// Sets up and enables a batch: state 5.
    fn start(&mut self, s: &ScanSettings, caps: &Capabilities) -> Result<(), ScanError> {
        self.end_batch();
        let feeder = s.source != Source::Flatbed;
        let duplex = s.source == Source::FeederDuplex;
        if !caps.sources.contains(&s.source) {
            return Err(ScanError::Unsupported(format!("{:?}", s.source).to_lowercase()));
        }
        let _ = self.set(ICAP_UNITS, TWTY_UINT16, u32::from(TWUN_INCHES));
        if caps.sources.contains(&Source::Feeder) {
            self.set(CAP_FEEDERENABLED, TWTY_BOOL, u32::from(feeder))
                .map_err(|_| ScanError::Unsupported(if feeder { "feeder" } else { "flatbed" }.into()))?;
        }
        if feeder {
            let _ = self.set(CAP_AUTOFEED, TWTY_BOOL, 1);
        }
        if caps.sources.contains(&Source::FeederDuplex) {
            let r = self.set(CAP_DUPLEXENABLED, TWTY_BOOL, u32::from(duplex));
            if duplex && r.is_err() {
                return Err(ScanError::Unsupported("duplex".into()));
            }
        }
        let pixel_type = match s.mode {
            ColourMode::Colour => TWPT_RGB,
            ColourMode::Gray => TWPT_GRAY,
            ColourMode::BlackWhite => TWPT_BW,
        };
        self.set(ICAP_PIXELTYPE, TWTY_UINT16, u32::from(pixel_type))
            .map_err(|_| ScanError::Unsupported(format!("{:?}", s.mode).to_lowercase()))?;
        if s.mode == ColourMode::BlackWhite {
            let _ = self.set(ICAP_BITDEPTH, TWTY_UINT16, 1);
        }
        let dpi = nearest_resolution(&caps.resolutions, s.resolution).unwrap_or(s.resolution);
        for cap in [ICAP_XRESOLUTION, ICAP_YRESOLUTION] {
            self.set(cap, TWTY_FIX32, to_fix32(f64::from(dpi)))
                .map_err(|_| ScanError::Unsupported(format!("{dpi} dpi")))?;
        }
        let (w, h) = (s.width_mm.min(caps.max_width_mm), s.height_mm.min(caps.max_height_mm));
        let mut layout = ImageLayout {
            frame: [0, 0, to_fix32(f64::from(w) / 25.4), to_fix32(f64::from(h) / 25.4)],
            document: 1,
            page: 1,
            frame_number: 1,
        };
        // Not every driver takes a frame; its default is the whole page.
        self.call(true, DG_IMAGE, DAT_IMAGELAYOUT, MSG_SET, (&raw mut layout).cast());
        let _ = self.set(CAP_XFERCOUNT, TWTY_INT16, 0xffff);
        let _ = self.set(CAP_INDICATORS, TWTY_BOOL, 0);
        let memory = self.set(ICAP_XFERMECH, TWTY_UINT16, u32::from(TWSX_MEMORY)).is_ok();
        if !memory {
            log::info!("TWAIN: no memory transfer; native transfer instead");
            let _ = self.set(ICAP_XFERMECH, TWTY_UINT16, u32::from(TWSX_NATIVE));
        }
        if feeder && self.current(CAP_FEEDERLOADED) == Some(0.0) {
            return Err(ScanError::FeederEmpty);
        }
        let flavor = self.current(ICAP_PIXELFLAVOR).map_or(0, |f| f as u16);
        // No driver window, unless the driver cannot work without one.
        let controllable = self.current(CAP_UICONTROLLABLE) != Some(0.0);
        if !(controllable && self.enable(false)) {
            log::warn!("TWAIN: the driver insists on its own window");
            if !self.enable(true) {
                return Err(condition_error(self.status(true), "MSG_ENABLEDS"));
            }
        }
        self.state = State::Enabled;
        self.batch = Some(Batch { feeder, memory, flavor, dpi: dpi as f32, pages: 0, ended: false });
        Ok(())
    }

    /// Runs the message loop until the source says a transfer is ready or the
    /// batch is over (or the app cancels).
    fn wait(&mut self, cancel: &Canceller) -> Result<Wakeup, ScanError> {
        loop {
            let mut msg = MSG::default();
            // SAFETY: the thread's own message queue; `msg` outlives each call.
            while unsafe { PeekMessageW(&raw mut msg, std::ptr::null_mut(), 0, 0, PM_REMOVE) } != 0 {
                let mut event = Event { event: (&raw mut msg).cast(), message: 0 };
                if self.call(true, DG_CONTROL, DAT_EVENT, MSG_PROCESSEVENT, (&raw mut event).cast())
                    == TWRC_DSEVENT
                {
                    match event.message {
                        MSG_XFERREADY => return Ok(Wakeup::TransferReady),
                        MSG_CLOSEDSREQ | MSG_CLOSEDSOK => return Ok(Wakeup::CloseRequested),
                        _ => {}
                    }
                } else {
                    // SAFETY: as above.
                    unsafe {
                        TranslateMessage(&raw const msg);
                        DispatchMessageW(&raw const msg);
                    }
                }
            }
            if cancel.is_cancelled() {
                return Err(ScanError::Cancelled);
            }
            // SAFETY: waits on this thread's queue only.
            unsafe { MsgWaitForMultipleObjects(0, std::ptr::null(), 0, 100, QS_ALLINPUT) };
        }
    }

    fn next(&mut self, cancel: &Canceller) -> Result<Option<ScannedPage>, ScanError> {
        let Some((ended, empty)) = self.batch.as_ref().map(|b| (b.ended, b.feeder && b.pages == 0)) else {
            return Err(ScanError::Device("TWAIN: no batch started".into()));
        };
        if ended {
            return Ok(None);
        }
        if self.state == State::Enabled {
            match self.wait(cancel) {
                Ok(Wakeup::TransferReady) => self.state = State::Ready,
                Ok(Wakeup::CloseRequested) => {
                    self.end_batch();
                    return if empty { Err(ScanError::FeederEmpty) } else { Ok(None) };
                }
                Err(e) => {
                    self.end_batch();
                    return Err(e);
                }
            }
        }
        match self.transfer(cancel) {
            Ok(page) => {
                let mut pending = PendingXfers::default();
                let rc =
                    self.call(true, DG_CONTROL, DAT_PENDINGXFERS, MSG_ENDXFER, (&raw mut pending).cast());
                let more = rc == TWRC_SUCCESS && pending.count != 0;
                self.state = if more { State::Ready } else { State::Enabled };
                if let Some(b) = self.batch.as_mut() {
                    b.pages += 1;
                }
                if !more {
                    // The end of the batch, as the pending transfers say.
                    self.end_batch();
                }
                Ok(Some(page))
            }
            Err(e) => {
                self.end_batch();
                Err(e)
            }
        }
    }

    /// One image, in state 6; leaves the session in state 7.
    fn transfer(&mut self, cancel: &Canceller) -> Result<ScannedPage, ScanError> {
        let (memory, flavor, wanted_dpi) = match self.batch.as_ref() {
            Some(b) => (b.memory, b.flavor, b.dpi),
            None => return Err(ScanError::Device("TWAIN: no batch started".into())),
        };
        let mut info = ImageInfo::default();
        if self.call(true, DG_IMAGE, DAT_IMAGEINFO, MSG_GET, (&raw mut info).cast()) != TWRC_SUCCESS {
            return Err(condition_error(self.status(true), "DAT_IMAGEINFO"));
        }
        let reported = from_fix32(info.x_resolution) as f32;
        let (image, dib_dpi) = if memory {
            (self.memory_transfer(&info, flavor, cancel)?, None)
        } else {
            self.native_transfer()?
        };
        let dpi = if reported >= 1.0 { reported } else { dib_dpi.unwrap_or(wanted_dpi) };
        Ok(ScannedPage { image, dpi })
    }

    fn memory_transfer(
        &mut self,
        info: &ImageInfo,
        flavor: u16,
        cancel: &Canceller,
    ) -> Result<DynamicImage, ScanError> {
        let mut setup = SetupMemXfer::default();
        let size = if self.call(true, DG_CONTROL, DAT_SETUPMEMXFER, MSG_GET, (&raw mut setup).cast())
            == TWRC_SUCCESS
        {
            let (min, max, preferred) = (setup.min, setup.max, setup.preferred);
            let want = if preferred != TWON_DONTCARE32 && preferred > 0 { preferred } else { 256 << 10 };
            let want = if max != TWON_DONTCARE32 && max > 0 { want.min(max) } else { want };
            want.max(min).min(64 << 20) as usize
        } else {
            256 << 10
        };
        let mut buffer = vec![0u8; size.max(1)];
        let mut strips = Strips::new(info.width, info.length, info.bits_per_pixel, flavor)?;
        loop {
            if cancel.is_cancelled() {
                return Err(ScanError::Cancelled);
            }
            let mut x = ImageMemXfer {
                compression: 0xffff,
                bytes_per_row: TWON_DONTCARE32,
                columns: TWON_DONTCARE32,
                rows: TWON_DONTCARE32,
                x_offset: TWON_DONTCARE32,
                y_offset: TWON_DONTCARE32,
                bytes_written: TWON_DONTCARE32,
                flags: TWMF_APPOWNS | TWMF_POINTER,
                length: buffer.len() as u32,
                memory: buffer.as_mut_ptr().cast(),
            };
            let rc = self.call(true, DG_IMAGE, DAT_IMAGEMEMXFER, MSG_GET, (&raw mut x).cast());
            match rc {
                TWRC_SUCCESS | TWRC_XFERDONE => {
                    self.state = State::Transferring;
                    if x.compression != 0 {
                        return Err(ScanError::Unsupported("compressed memory transfer".into()));
                    }
                    let written = (x.bytes_written as usize).min(buffer.len());
                    strips.add(
                        x.x_offset,
                        x.y_offset,
                        x.columns,
                        x.rows,
                        x.bytes_per_row as usize,
                        &buffer[..written],
                    )?;
                    if rc == TWRC_XFERDONE {
                        return strips.finish();
                    }
                }
                TWRC_CANCEL => {
                    self.state = State::Transferring;
                    return Err(ScanError::Cancelled);
                }
                _ => return Err(condition_error(self.status(true), "DAT_IMAGEMEMXFER")),
            }
        }
    }

    fn native_transfer(&mut self) -> Result<(DynamicImage, Option<f32>), ScanError> {
        let mut handle: *mut c_void = std::ptr::null_mut();
        let rc = self.call(true, DG_IMAGE, DAT_IMAGENATIVEXFER, MSG_GET, (&raw mut handle).cast());
        match rc {
            TWRC_XFERDONE => self.state = State::Transferring,
            TWRC_CANCEL => {
                self.state = State::Transferring;
                return Err(ScanError::Cancelled);
            }
            _ => return Err(condition_error(self.status(true), "DAT_IMAGENATIVEXFER")),
        }
        if handle.is_null() {
            return Err(ScanError::Device("TWAIN: native transfer without a bitmap".into()));
        }
        // SAFETY: the bitmap is a global block the source gave us to own; it
        // is read within its size and freed here.
        unsafe {
            let size = GlobalSize(handle);
            let p = GlobalLock(handle);
            let decoded = if p.is_null() {
                Err(ScanError::Device("TWAIN: the bitmap cannot be read".into()))
            } else {
                let r = decode_dib(std::slice::from_raw_parts(p.cast::<u8>(), size));
                GlobalUnlock(handle);
                r
            };
            GlobalFree(handle);
            decoded
        }
    }

    /// Back to state 4 from wherever the batch is, and marks it ended.
    /// CAP_FEEDERLOADED while the source is open and idle (capabilities can
    /// be read in state 4 only), with the feeder as the source.
    fn feeder_loaded(&mut self) -> Option<bool> {
        if self.state != State::SourceOpen || self.current(CAP_FEEDERENABLED) != Some(1.0) {
            return None;
        }
        self.current(CAP_FEEDERLOADED).map(|v| v != 0.0)
    }

    fn end_batch(&mut self) {
        if self.state == State::Transferring {
            let mut p = PendingXfers::default();
            let rc = self.call(true, DG_CONTROL, DAT_PENDINGXFERS, MSG_ENDXFER, (&raw mut p).cast());
            self.state = if rc == TWRC_SUCCESS && p.count == 0 { State::Enabled } else { State::Ready };
        }
        if self.state == State::Ready {
            let mut p = PendingXfers::default();
            self.call(true, DG_CONTROL, DAT_PENDINGXFERS, MSG_RESET, (&raw mut p).cast());
            self.state = State::Enabled;
        }
        if self.state == State::Enabled {
            let mut ui = UserInterface { show_ui: 0, modal_ui: 0, parent: self.window };
            self.call(true, DG_CONTROL, DAT_USERINTERFACE, MSG_DISABLEDS, (&raw mut ui).cast());
            self.state = State::SourceOpen;
        }
        if let Some(b) = self.batch.as_mut() {
            b.ended = true;
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.end_batch();
        if self.state == State::SourceOpen
            && let Some(mut source) = self.source.take()
        {
            let id: *mut Identity = &raw mut *source;
            self.call(false, DG_CONTROL, DAT_IDENTITY, MSG_CLOSEDS, id.cast());
            self.state = State::ManagerOpen;
        }
        if self.manager_open {
            let mut parent = self.window;
            self.call(false, DG_CONTROL, DAT_PARENT, MSG_CLOSEDSM, (&raw mut parent).cast());
        }
        if !self.window.is_null() {
            // SAFETY: our own window, on the thread that made it.
            unsafe { DestroyWindow(self.window) };
        }
    }
}

/// The TWAIN sources the source manager knows.
pub fn devices() -> Result<Vec<DeviceInfo>, ScanError> {
    let mut s = Session::open_manager()?;
    Ok(s.identities().iter().map(device_info).collect())
}

enum Command {
    Start(ScanSettings),
    Next,
    FeederLoaded,
}

type Reply = Result<Answer, ScanError>;

/// An open TWAIN source, driven on its own thread.
#[derive(Debug)]
pub struct TwainScanner {
    info: DeviceInfo,
    caps: Capabilities,
    session: DeviceThread<Command, Reply>,
    canceller: Canceller,
}

impl TwainScanner {
    /// Opens a source by product name (`twain:HoSo Test Scanner`); `twain:`
    /// alone opens the default source.
    pub fn open(id: &str) -> Result<TwainScanner, ScanError> {
        let product = id.strip_prefix("twain:").unwrap_or(id).to_owned();
        let canceller = Canceller::default();
        let thread_cancel = canceller.clone();
        let (session, (info, caps)) =
            DeviceThread::start("twain".into(), "TWAIN", move |ready, commands, replies| {
                let opened = Session::open_manager().and_then(|mut s| {
                    s.open_source(&product)?;
                    let info = device_info(s.source.as_deref().unwrap_or(&app_identity()));
                    let caps = s.capabilities();
                    Ok((s, info, caps))
                });
                let (mut session, caps) = match opened {
                    Ok((s, info, caps)) => {
                        if ready.send(Ok((info, caps.clone()))).is_err() {
                            return;
                        }
                        (s, caps)
                    }
                    Err(e) => {
                        let _ = ready.send(Err(e));
                        return;
                    }
                };
                for cmd in commands {
                    let reply = match cmd {
                        Command::Start(settings) => {
                            session.start(&settings, &caps).map(|()| Answer::Page(None))
                        }
                        Command::Next => session.next(&thread_cancel).map(Answer::Page),
                        Command::FeederLoaded => Ok(Answer::Loaded(session.feeder_loaded())),
                    };
                    if replies.send(reply).is_err() {
                        break;
                    }
                }
            })?;
        Ok(TwainScanner { info, caps, session, canceller })
    }

    /// One request to the session thread. No time limit here: the worker's
    /// watchdog ends a driver that hangs.
    fn ask(&mut self, cmd: Command) -> Reply {
        self.session.ask(cmd, None)?
    }
}

impl Drop for TwainScanner {
    fn drop(&mut self) {
        // Then the session thread closes the source and the manager.
        self.canceller.cancel();
    }
}

impl Scanner for TwainScanner {
    fn info(&self) -> &DeviceInfo {
        &self.info
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn start_batch(&mut self, settings: &ScanSettings) -> Result<(), ScanError> {
        self.canceller.reset();
        self.ask(Command::Start(settings.clone())).map(|_| ())
    }

    fn next_page(&mut self) -> Result<Option<ScannedPage>, ScanError> {
        if self.canceller.is_cancelled() {
            return Err(ScanError::Cancelled);
        }
        self.ask(Command::Next).map(Answer::page)
    }

    fn canceller(&self) -> Canceller {
        self.canceller.clone()
    }

    /// CAP_FEEDERLOADED, between batches, when the feeder is the source.
    fn feeder_loaded(&mut self) -> Result<Option<bool>, ScanError> {
        self.ask(Command::FeederLoaded).map(Answer::loaded)
    }
}
