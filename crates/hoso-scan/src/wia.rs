//! WIA 2.0 scanners (Windows), through the `windows` crate's COM bindings:
//! discovery with `IWiaDevMgr2::EnumDeviceInfo`, the device's flatbed and
//! feeder items found by category, their settings written as WIA properties,
//! and a batch as one `IWiaTransfer::Download` of the item, whose pages arrive
//! as BMP streams through [`Callback`].
//!
//! One page per [`Scanner::next_page`], as with SANE and TWAIN: the callback
//! hands a finished page to the app and asks WIA for the next page's stream
//! only once the app asks for the next page, so every page is stored before
//! the next is transferred. `WIA_ERROR_PAPER_EMPTY` after a page is the normal
//! end of a feeder batch; before any page it is [`ScanError::FeederEmpty`].
//! Like TWAIN, WIA runs in the scan worker's process, never the app's.
//!
//! A PC whose WIA service is absent (Wine) or stopped lists no WIA scanner.

#![allow(unsafe_code)]

use std::sync::{Arc, Mutex, mpsc};

use windows::Win32::Devices::ImageAcquisition::{
    DUPLEX, FEEDER, FRONT_FIRST, IEnumWiaItem2, IWiaDevMgr2, IWiaItem2, IWiaPropertyStorage, IWiaTransfer,
    IWiaTransferCallback, IWiaTransferCallback_Impl, WIA_CATEGORY_FEEDER, WIA_CATEGORY_FLATBED,
    WIA_DATA_COLOR, WIA_DATA_GRAYSCALE, WIA_DATA_THRESHOLD, WIA_DEVINFO_ENUM_LOCAL, WIA_DIP_DEV_ID,
    WIA_DIP_DEV_NAME, WIA_DIP_DEV_TYPE, WIA_DIP_VEND_DESC, WIA_ERROR_BUSY, WIA_ERROR_COVER_OPEN,
    WIA_ERROR_DEVICE_LOCKED, WIA_ERROR_OFFLINE, WIA_ERROR_PAPER_EMPTY, WIA_ERROR_PAPER_JAM, WIA_IPA_DATATYPE,
    WIA_IPA_DEPTH, WIA_IPA_FORMAT, WIA_IPA_TYMED, WIA_IPS_DOCUMENT_HANDLING_SELECT,
    WIA_IPS_MAX_HORIZONTAL_SIZE, WIA_IPS_MAX_VERTICAL_SIZE, WIA_IPS_OPTICAL_XRES, WIA_IPS_PAGES,
    WIA_IPS_XEXTENT, WIA_IPS_XPOS, WIA_IPS_XRES, WIA_IPS_YEXTENT, WIA_IPS_YPOS, WIA_IPS_YRES,
    WIA_S_NO_DEVICE_AVAILABLE, WIA_TRANSFER_MSG_END_OF_STREAM, WiaDevMgr2, WiaImgFmt_BMP, WiaTransferParams,
};
use windows::Win32::Foundation::{E_ABORT, HGLOBAL, S_FALSE};
use windows::Win32::System::Com::StructuredStorage::{
    CreateStreamOnHGlobal, PROPSPEC, PROPSPEC_0, PROPVARIANT, PRSPEC_PROPID, PropVariantClear,
};
use windows::Win32::System::Com::{
    CLSCTX_LOCAL_SERVER, COINIT_MULTITHREADED, CoCreateInstance, CoInitializeEx, CoUninitialize, IStream,
    STATFLAG_NONAME, STATSTG, STREAM_SEEK_SET, TYMED_FILE,
};
use windows::Win32::System::Variant::{VT_BSTR, VT_CLSID, VT_I4, VT_INT, VT_UI4, VT_UINT};
use windows::core::{BSTR, GUID, Interface, implement};

use crate::{
    Canceller, Capabilities, ColourMode, DeviceInfo, ScanError, ScanSettings, ScannedPage, Scanner, Source,
    common_resolutions, nearest_resolution,
};

/// `WIA_DPS_DOCUMENT_HANDLING_CAPABILITIES` (the feeder item's
/// `WIA_IPS_DOCUMENT_HANDLING_CAPABILITIES`), which the bindings do not name.
const DOCUMENT_HANDLING_CAPABILITIES: u32 = 3086;
/// `StiDeviceTypeScanner`: the high word of `WIA_DIP_DEV_TYPE`.
const STI_SCANNER: i32 = 1;
/// `WIA_IPS_PAGES`: as many as the feeder holds.
const ALL_PAGES: i32 = 0;

/// COM on this thread for as long as the value lives (multithreaded: WIA's
/// callbacks come on the service's own threads).
struct Com;

impl Com {
    fn init() -> Result<Com, ScanError> {
        // SAFETY: plain call; paired with CoUninitialize in Drop on this thread.
        let hr = unsafe { CoInitializeEx(None, COINIT_MULTITHREADED) };
        hr.ok().map(|()| Com).map_err(|e| ScanError::Device(format!("WIA: COM: {e}")))
    }
}

impl Drop for Com {
    fn drop(&mut self) {
        // SAFETY: this thread initialised COM in Com::init.
        unsafe { CoUninitialize() }
    }
}

fn manager() -> windows::core::Result<IWiaDevMgr2> {
    // SAFETY: creates the WIA service's device manager; no pointers.
    unsafe { CoCreateInstance(&WiaDevMgr2, None, CLSCTX_LOCAL_SERVER) }
}

/// A WIA failure as the clerk's error.
fn scan_error(e: &windows::core::Error) -> ScanError {
    let hr = e.code();
    if hr == WIA_ERROR_PAPER_JAM {
        ScanError::Jammed
    } else if hr == WIA_ERROR_PAPER_EMPTY {
        ScanError::FeederEmpty
    } else if hr == WIA_ERROR_COVER_OPEN {
        ScanError::CoverOpen
    } else if hr == WIA_ERROR_BUSY || hr == WIA_ERROR_DEVICE_LOCKED {
        ScanError::Busy
    } else if hr == WIA_ERROR_OFFLINE || hr == WIA_S_NO_DEVICE_AVAILABLE {
        ScanError::NotFound(format!("WIA ({})", e.message()))
    } else if hr == S_FALSE || hr == E_ABORT {
        ScanError::Cancelled
    } else {
        ScanError::Device(format!("WIA {:#010x}: {}", hr.0, e.message()))
    }
}

/// A property's value, as far as HoSo reads them.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Int(i32),
    Text(String),
    Guid(GUID),
    Absent,
}

impl Value {
    fn int(&self) -> Option<i32> {
        if let Value::Int(v) = self { Some(*v) } else { None }
    }

    fn text(&self) -> String {
        if let Value::Text(t) = self { t.clone() } else { String::new() }
    }
}

fn spec(id: u32) -> PROPSPEC {
    PROPSPEC { ulKind: PRSPEC_PROPID, Anonymous: PROPSPEC_0 { propid: id } }
}

/// Reads properties `ids`; one the device lacks is [`Value::Absent`].
fn read(storage: &IWiaPropertyStorage, ids: &[u32]) -> windows::core::Result<Vec<Value>> {
    let specs: Vec<PROPSPEC> = ids.iter().map(|&id| spec(id)).collect();
    let mut vars: Vec<PROPVARIANT> = ids.iter().map(|_| PROPVARIANT::default()).collect();
    // SAFETY: both arrays hold ids.len() elements; the variants are cleared below.
    unsafe { storage.ReadMultiple(ids.len() as u32, specs.as_ptr(), vars.as_mut_ptr())? };
    Ok(vars
        .iter_mut()
        .map(|var| {
            // SAFETY: vt says which member of the union ReadMultiple filled in.
            let value = unsafe {
                let inner = &var.Anonymous.Anonymous;
                match inner.vt {
                    VT_I4 | VT_INT => Value::Int(inner.Anonymous.lVal),
                    VT_UI4 | VT_UINT => Value::Int(inner.Anonymous.ulVal as i32),
                    VT_BSTR => Value::Text(inner.Anonymous.bstrVal.to_string()),
                    VT_CLSID if !inner.Anonymous.puuid.is_null() => Value::Guid(*inner.Anonymous.puuid),
                    _ => Value::Absent,
                }
            };
            // SAFETY: frees what ReadMultiple allocated in this variant.
            let _ = unsafe { PropVariantClear(var) };
            value
        })
        .collect())
}

/// Writes one property: a number, or (with `guid`) a GUID.
fn write(
    storage: &IWiaPropertyStorage,
    id: u32,
    value: i32,
    guid: Option<&GUID>,
) -> windows::core::Result<()> {
    let spec = spec(id);
    let mut var = PROPVARIANT::default();
    // SAFETY: sets the member that vt names; a GUID variant points at `guid`,
    // which outlives the call, and the variant is not cleared (it owns nothing).
    unsafe {
        let inner = &mut *var.Anonymous.Anonymous;
        match guid {
            Some(g) => {
                inner.vt = VT_CLSID;
                inner.Anonymous.puuid = std::ptr::from_ref(g).cast_mut();
            }
            None => {
                inner.vt = VT_I4;
                inner.Anonymous.lVal = value;
            }
        }
        storage.WriteMultiple(1, &spec, &var, 2)
    }
}

/// The WIA scanners on this PC (`wia:<device id>`); none when the PC has no
/// WIA service.
pub fn devices() -> Result<Vec<DeviceInfo>, ScanError> {
    let _com = Com::init()?;
    match manager() {
        Ok(mgr) => list(&mgr),
        Err(e) => {
            log::info!("WIA: no device manager on this PC ({e}): no WIA scanners");
            Ok(Vec::new())
        }
    }
}

/// The scanners `mgr` knows.
fn list(mgr: &IWiaDevMgr2) -> Result<Vec<DeviceInfo>, ScanError> {
    // SAFETY: plain COM calls on live interfaces; out-parameters sized as declared.
    let list = unsafe { mgr.EnumDeviceInfo(WIA_DEVINFO_ENUM_LOCAL as i32) }.map_err(|e| scan_error(&e))?;
    let mut found = Vec::new();
    loop {
        let mut item: [Option<IWiaPropertyStorage>; 1] = [None];
        let mut fetched = 0u32;
        // SAFETY: room for one element, as asked.
        unsafe { list.Next(1, item.as_mut_ptr(), &mut fetched) }.map_err(|e| scan_error(&e))?;
        let Some(storage) = item[0].take().filter(|_| fetched == 1) else { break };
        let v = read(&storage, &[WIA_DIP_DEV_ID, WIA_DIP_DEV_NAME, WIA_DIP_VEND_DESC, WIA_DIP_DEV_TYPE])
            .map_err(|e| scan_error(&e))?;
        if v[3].int().is_some_and(|t| t >> 16 != STI_SCANNER) {
            continue; // a camera or a video device
        }
        found.push(DeviceInfo {
            id: format!("wia:{}", v[0].text()),
            vendor: v[2].text(),
            model: v[1].text(),
            kind: "WIA scanner".into(),
        });
    }
    Ok(found)
}

/// A device's flatbed and feeder items.
struct Items {
    flatbed: Option<IWiaItem2>,
    feeder: Option<IWiaItem2>,
}

fn items(root: &IWiaItem2) -> windows::core::Result<Items> {
    let mut items = Items { flatbed: None, feeder: None };
    // SAFETY: plain COM calls; room for one element per Next.
    unsafe {
        let children: IEnumWiaItem2 = root.EnumChildItems(None)?;
        loop {
            let mut child: [Option<IWiaItem2>; 1] = [None];
            let mut fetched = 0u32;
            children.Next(1, child.as_mut_ptr(), &mut fetched)?;
            let Some(child) = child[0].take().filter(|_| fetched == 1) else { break };
            let category = child.GetItemCategory()?;
            if category == WIA_CATEGORY_FLATBED && items.flatbed.is_none() {
                items.flatbed = Some(child);
            } else if category == WIA_CATEGORY_FEEDER && items.feeder.is_none() {
                items.feeder = Some(child);
            }
        }
    }
    Ok(items)
}

fn capabilities(items: &Items) -> windows::core::Result<Capabilities> {
    let mut caps = Capabilities {
        sources: Vec::new(),
        resolutions: Vec::new(),
        modes: vec![ColourMode::Colour, ColourMode::Gray, ColourMode::BlackWhite],
        max_width_mm: 0.0,
        max_height_mm: 0.0,
    };
    let mut optical = 0;
    for (item, source) in [(&items.flatbed, Source::Flatbed), (&items.feeder, Source::Feeder)] {
        let Some(item) = item else { continue };
        let storage: IWiaPropertyStorage = item.cast()?;
        let v = read(
            &storage,
            &[
                WIA_IPS_OPTICAL_XRES,
                WIA_IPS_MAX_HORIZONTAL_SIZE,
                WIA_IPS_MAX_VERTICAL_SIZE,
                DOCUMENT_HANDLING_CAPABILITIES,
            ],
        )?;
        optical = optical.max(v[0].int().unwrap_or(0));
        // Sizes in thousandths of an inch.
        caps.max_width_mm = caps.max_width_mm.max(v[1].int().unwrap_or(0) as f32 * 0.0254);
        caps.max_height_mm = caps.max_height_mm.max(v[2].int().unwrap_or(0) as f32 * 0.0254);
        caps.sources.push(source);
        if source == Source::Feeder && v[3].int().is_some_and(|c| c as u32 & DUPLEX != 0) {
            caps.sources.push(Source::FeederDuplex);
        }
    }
    // The optical resolution bounds what is offered; 600 dpi when the driver
    // does not say.
    caps.resolutions = common_resolutions(75, if optical > 0 { optical as u32 } else { 600 });
    Ok(caps)
}

/// Sets up `item` for a batch as `settings` ask.
/// Returns the resolution set.
fn configure(item: &IWiaItem2, settings: &ScanSettings, caps: &Capabilities) -> Result<u32, ScanError> {
    let storage: IWiaPropertyStorage = item.cast().map_err(|e| scan_error(&e))?;
    let dpi = nearest_resolution(&caps.resolutions, settings.resolution).unwrap_or(settings.resolution);
    let (data_type, depth) = match settings.mode {
        ColourMode::Colour => (WIA_DATA_COLOR, 24),
        ColourMode::Gray => (WIA_DATA_GRAYSCALE, 8),
        ColourMode::BlackWhite => (WIA_DATA_THRESHOLD, 1),
    };
    let set = |id: u32, value: i32, what: &str| {
        write(&storage, id, value, None)
            .map_err(|e| ScanError::Unsupported(format!("WIA {what} {value}: {}", e.message())))
    };
    if matches!(settings.source, Source::Feeder | Source::FeederDuplex) {
        let duplex = settings.source == Source::FeederDuplex;
        let select = FEEDER | if duplex { DUPLEX | FRONT_FIRST } else { 0 };
        set(WIA_IPS_DOCUMENT_HANDLING_SELECT, select as i32, "feeder")?;
        set(WIA_IPS_PAGES, ALL_PAGES, "pages")?;
    }
    set(WIA_IPS_XRES, dpi as i32, "resolution")?;
    set(WIA_IPS_YRES, dpi as i32, "resolution")?;
    set(WIA_IPA_DATATYPE, data_type as i32, "colour mode")?;
    // Drivers that derive the depth from the data type, or offer one medium
    // only, keep these read-only.
    for (id, value, what) in
        [(WIA_IPA_DEPTH, depth, "bit depth"), (WIA_IPA_TYMED, TYMED_FILE.0, "transfer medium")]
    {
        if let Err(e) = set(id, value, what) {
            log::info!("{e}: the driver's own is kept");
        }
    }
    write(&storage, WIA_IPA_FORMAT, 0, Some(&WiaImgFmt_BMP))
        .map_err(|e| ScanError::Unsupported(format!("WIA BMP format: {}", e.message())))?;
    // The area: from the top-left corner, clipped to the device's.
    let px = |mm: f32, max_mm: f32| {
        let mm = if max_mm > 0.0 { mm.min(max_mm) } else { mm };
        (mm / 25.4 * dpi as f32).round() as i32
    };
    let _ = set(WIA_IPS_XPOS, 0, "area");
    let _ = set(WIA_IPS_YPOS, 0, "area");
    // Some drivers fix the extent for a feeder; their own is then kept.
    if let Err(e) = set(WIA_IPS_XEXTENT, px(settings.width_mm, caps.max_width_mm), "area")
        .and_then(|()| set(WIA_IPS_YEXTENT, px(settings.height_mm, caps.max_height_mm), "area"))
    {
        log::info!("{e}: the driver's own scan area is used");
    }
    Ok(dpi)
}

/// What the transfer tells the app.
enum Event {
    Page(Result<ScannedPage, ScanError>),
    /// The download returned: the batch is over.
    Done(Result<(), ScanError>),
}

/// The page WIA is writing, and where finished pages go.
struct Pending {
    stream: Mutex<Option<IStream>>,
    events: mpsc::Sender<Event>,
    pages: std::sync::atomic::AtomicU32,
    /// The resolution asked for, when a bitmap does not say its own.
    dpi: f32,
}

impl Pending {
    /// Hands the finished page (if any) to the app; false once the app is gone.
    fn deliver(&self) -> bool {
        let Some(stream) = self.stream.lock().unwrap_or_else(|e| e.into_inner()).take() else { return true };
        let page = stream_bytes(&stream)
            .map_err(|e| ScanError::Device(format!("WIA: reading the page: {}", e.message())))
            .and_then(|b| decode_bmp(&b, self.dpi));
        self.pages.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.events.send(Event::Page(page)).is_ok()
    }

    fn discard(&self) {
        self.stream.lock().unwrap_or_else(|e| e.into_inner()).take();
    }
}

/// WIA's callback for one download: a stream per page, handed to the app
/// when WIA says it is complete (or asks for the next one).
#[implement(IWiaTransferCallback)]
struct Callback {
    /// One token per page the app asks for.
    go: Mutex<mpsc::Receiver<()>>,
    pending: Arc<Pending>,
    canceller: Canceller,
}

/// The whole content of a memory stream.
fn stream_bytes(stream: &IStream) -> windows::core::Result<Vec<u8>> {
    // SAFETY: plain COM calls; the buffer is as long as the read asks for.
    unsafe {
        let mut stat = STATSTG::default();
        stream.Stat(&mut stat, STATFLAG_NONAME)?;
        let len = usize::try_from(stat.cbSize).map_err(|_| windows::core::Error::from(E_ABORT))?;
        stream.Seek(0, STREAM_SEEK_SET, None)?;
        let mut data = vec![0u8; len];
        let mut read = 0u32;
        let chunk = u32::try_from(len).map_err(|_| windows::core::Error::from(E_ABORT))?;
        stream.Read(data.as_mut_ptr().cast(), chunk, Some(&mut read)).ok()?;
        data.truncate(read as usize);
        Ok(data)
    }
}

/// A BMP file (what WIA writes; the DIB reader is TWAIN's native-transfer one): its file header, then a DIB; `dpi` when the
/// bitmap does not say its resolution.
fn decode_bmp(bytes: &[u8], dpi: f32) -> Result<ScannedPage, ScanError> {
    let dib = bytes
        .strip_prefix(b"BM")
        .and_then(|b| b.get(12..))
        .filter(|d| !d.is_empty())
        .ok_or_else(|| ScanError::Device("WIA: the page is not a BMP image".into()))?;
    let (image, own) = crate::twain::decode_dib(dib)?;
    Ok(ScannedPage { image, dpi: own.unwrap_or(dpi) })
}

impl IWiaTransferCallback_Impl for Callback_Impl {
    fn TransferCallback(&self, _flags: i32, params: *const WiaTransferParams) -> windows::core::Result<()> {
        if self.canceller.is_cancelled() {
            return Err(S_FALSE.into()); // S_FALSE cancels the transfer
        }
        // SAFETY: WIA passes a valid parameter block for the call's duration.
        let Some(params) = (unsafe { params.as_ref() }) else { return Ok(()) };
        if params.lMessage == WIA_TRANSFER_MSG_END_OF_STREAM as i32 && !self.pending.deliver() {
            return Err(E_ABORT.into());
        }
        Ok(())
    }

    fn GetNextStream(&self, _flags: i32, _name: &BSTR, _full_name: &BSTR) -> windows::core::Result<IStream> {
        // A driver that asks for the next stream before saying the last one
        // ended: the last one is complete.
        if !self.pending.deliver() {
            return Err(E_ABORT.into());
        }
        // The next page only once the app has stored this one and asks again.
        if self.go.lock().unwrap_or_else(|e| e.into_inner()).recv().is_err() || self.canceller.is_cancelled()
        {
            return Err(E_ABORT.into());
        }
        // SAFETY: a growing memory stream that frees its memory when released.
        let stream = unsafe { CreateStreamOnHGlobal(HGLOBAL::default(), true)? };
        *self.pending.stream.lock().unwrap_or_else(|e| e.into_inner()) = Some(stream.clone());
        Ok(stream)
    }
}

enum Command {
    Start(ScanSettings, mpsc::Receiver<()>),
}

/// An open WIA device, driven on its own thread (which owns its COM objects).
#[derive(Debug)]
pub struct WiaScanner {
    info: DeviceInfo,
    caps: Capabilities,
    commands: Option<mpsc::Sender<Command>>,
    /// The batch's page tokens; None between batches.
    go: Option<mpsc::Sender<()>>,
    events: mpsc::Receiver<Event>,
    ready: mpsc::Receiver<Result<(), ScanError>>,
    canceller: Canceller,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl WiaScanner {
    /// Opens `wia:<device id>` as `hoso devices` lists it.
    pub fn open(id: &str) -> Result<WiaScanner, ScanError> {
        let device = id.strip_prefix("wia:").unwrap_or(id).to_owned();
        let wanted = id.to_owned();
        let canceller = Canceller::default();
        let thread_cancel = canceller.clone();
        let (opened_tx, opened_rx) = mpsc::channel::<Result<(DeviceInfo, Capabilities), ScanError>>();
        let (cmd_tx, cmd_rx) = mpsc::channel::<Command>();
        let (ready_tx, ready_rx) = mpsc::channel::<Result<(), ScanError>>();
        let (event_tx, event_rx) = mpsc::channel::<Event>();
        let thread = std::thread::Builder::new()
            .name("wia".into())
            .spawn(move || {
                let com = match Com::init() {
                    Ok(c) => c,
                    Err(e) => {
                        let _ = opened_tx.send(Err(e));
                        return;
                    }
                };
                let opened = (|| {
                    // Without a WIA service there is no such device.
                    let mgr = manager().map_err(|e| {
                        log::info!("WIA: no device manager on this PC ({e})");
                        ScanError::NotFound(wanted.clone())
                    })?;
                    let info = list(&mgr)?
                        .into_iter()
                        .find(|d| d.id == wanted)
                        .ok_or_else(|| ScanError::NotFound(wanted.clone()))?;
                    // SAFETY: plain COM call with a live BSTR.
                    let root = unsafe { mgr.CreateDevice(0, &BSTR::from(device.as_str())) }
                        .map_err(|e| scan_error(&e))?;
                    let items = items(&root).map_err(|e| scan_error(&e))?;
                    let caps = capabilities(&items).map_err(|e| scan_error(&e))?;
                    Ok((info, caps, root, items))
                })();
                let (caps, _root, items) = match opened {
                    Ok((info, caps, root, items)) => {
                        if opened_tx.send(Ok((info, caps.clone()))).is_err() {
                            return;
                        }
                        (caps, root, items)
                    }
                    Err(e) => {
                        let _ = opened_tx.send(Err(e));
                        return;
                    }
                };
                for Command::Start(settings, go) in cmd_rx {
                    let item = match settings.source {
                        Source::Flatbed => items.flatbed.as_ref(),
                        Source::Feeder | Source::FeederDuplex => items.feeder.as_ref(),
                    };
                    let Some(item) = item else {
                        let _ = ready_tx.send(Err(ScanError::Unsupported(format!("{:?}", settings.source))));
                        continue;
                    };
                    let configured = configure(item, &settings, &caps).and_then(|dpi| {
                        item.cast::<IWiaTransfer>().map(|t| (t, dpi)).map_err(|e| scan_error(&e))
                    });
                    let (transfer, dpi) = match configured {
                        Ok(t) => t,
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            continue;
                        }
                    };
                    let _ = ready_tx.send(Ok(()));
                    let pending = Arc::new(Pending {
                        stream: Mutex::new(None),
                        events: event_tx.clone(),
                        pages: std::sync::atomic::AtomicU32::new(0),
                        dpi: dpi as f32,
                    });
                    let callback: IWiaTransferCallback = Callback {
                        go: Mutex::new(go),
                        pending: Arc::clone(&pending),
                        canceller: thread_cancel.clone(),
                    }
                    .into();
                    // SAFETY: plain COM call; the callback lives until it returns.
                    let result = unsafe { transfer.Download(0, &callback) };
                    // The last page is complete when the download succeeded; after
                    // a failure it may be half a page, which is never handed out.
                    let ended =
                        result.is_ok() || result.as_ref().is_err_and(|e| e.code() == WIA_ERROR_PAPER_EMPTY);
                    if ended {
                        pending.deliver();
                    } else {
                        pending.discard();
                    }
                    let pages = pending.pages.load(std::sync::atomic::Ordering::SeqCst);
                    let done = match result {
                        Ok(()) => Ok(()),
                        // The feeder ran out after the last page: the normal end.
                        Err(e) if e.code() == WIA_ERROR_PAPER_EMPTY && pages > 0 => Ok(()),
                        Err(e) if thread_cancel.is_cancelled() => {
                            log::info!("WIA: cancelled ({})", e.message());
                            Err(ScanError::Cancelled)
                        }
                        Err(e) => Err(scan_error(&e)),
                    };
                    if event_tx.send(Event::Done(done)).is_err() {
                        break;
                    }
                }
                drop(items);
                drop(com);
            })
            .map_err(|e| ScanError::Device(format!("WIA thread: {e}")))?;
        let (info, caps) =
            opened_rx.recv().map_err(|_| ScanError::Device("WIA: the device thread stopped".into()))??;
        Ok(WiaScanner {
            info,
            caps,
            commands: Some(cmd_tx),
            go: None,
            events: event_rx,
            ready: ready_rx,
            canceller,
            thread: Some(thread),
        })
    }

    /// Ends a batch still under way: its callback stops at the next page.
    fn finish_batch(&mut self) {
        if self.go.take().is_some() {
            while let Ok(event) = self.events.recv() {
                if matches!(event, Event::Done(_)) {
                    break;
                }
            }
        }
    }
}

fn gone() -> ScanError {
    ScanError::Device("WIA: the device thread stopped".into())
}

impl Drop for WiaScanner {
    fn drop(&mut self) {
        self.canceller.cancel();
        self.finish_batch();
        self.commands.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Scanner for WiaScanner {
    fn info(&self) -> &DeviceInfo {
        &self.info
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn start_batch(&mut self, settings: &ScanSettings) -> Result<(), ScanError> {
        self.finish_batch();
        self.canceller.reset();
        let (go_tx, go_rx) = mpsc::channel();
        self.commands
            .as_ref()
            .ok_or_else(gone)?
            .send(Command::Start(settings.clone(), go_rx))
            .map_err(|_| gone())?;
        self.ready.recv().map_err(|_| gone())??;
        self.go = Some(go_tx);
        Ok(())
    }

    fn next_page(&mut self) -> Result<Option<ScannedPage>, ScanError> {
        if self.canceller.is_cancelled() {
            self.finish_batch();
            return Err(ScanError::Cancelled);
        }
        let Some(go) = &self.go else { return Ok(None) };
        // A token lets the callback ask WIA for one more page; a batch that
        // already ended ignores it.
        let _ = go.send(());
        let event = self.events.recv().map_err(|_| gone())?;
        match event {
            Event::Page(page) => page.map(Some),
            Event::Done(result) => {
                self.go = None;
                result.map(|()| None)
            }
        }
    }

    fn canceller(&self) -> Canceller {
        self.canceller.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wine has no WIA 2.0 service (the harness says it runs under Wine with
    /// HOSO_TEST_WINE): discovery answers "none", without an error. On a real
    /// PC the test lists what it finds.
    #[test]
    fn without_a_wia_service_no_scanner_is_listed() {
        let list = devices().expect("WIA discovery answers");
        println!("WIA scanners on this PC: {list:?}");
        if std::env::var_os("HOSO_TEST_WINE").is_some() {
            assert!(list.is_empty(), "{list:?}");
        }
        let err = WiaScanner::open("wia:{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\9999").err().unwrap();
        assert_eq!(err.code(), "not_found", "{err}");
    }

    #[test]
    fn a_page_that_is_no_bmp_is_refused() {
        assert!(decode_bmp(b"\x89PNG....", 300.0).is_err());
        assert!(decode_bmp(b"BM\0\0\0\0\0\0\0\0\0\0\0\0", 300.0).is_err());
    }
}
