/* A TWAIN data source made for HoSo's tests (never shipped).
 *
 * No third-party TWAIN data source is packaged for Debian's Wine (its only one,
 * gphoto2.ds, needs a camera), so the Windows tests drive this one through
 * Wine's source manager (twain_32.dll). Wine's manager loads its sources by the
 * fixed names "sane.ds" and "gphoto2.ds" from C:\windows\twain_64, so the test
 * harness (scripts/windows/common.sh, scripts/windows/test) builds this file and
 * installs it there as "sane.ds", in the test prefix only.
 *
 * Written from the TWAIN 2.4 specification, independently of HoSo's Rust side,
 * so that a layout or protocol mistake on either side fails a test. It is
 * strict: an operation in the wrong state fails with TWCC_SEQERROR.
 *
 * It behaves as a sheet-fed duplex scanner with a flatbed. What it does is set
 * by environment variables the tests give the worker process:
 *   HOSO_TESTDS_SHEETS=N      sheets in the feeder (default 3; 0 = empty)
 *   HOSO_TESTDS_JAM_AT=K      the K-th image of the batch jams (TWCC_PAPERJAM)
 *   HOSO_TESTDS_COVER_AT=K    the K-th image fails with the cover open (TWCC_INTERLOCK)
 *   HOSO_TESTDS_HANG_AT=K     the K-th image's transfer never returns
 *   HOSO_TESTDS_CRASH_AT=K    the K-th image's transfer crashes the process
 *   HOSO_TESTDS_NATIVE_ONLY=1 no memory transfer (ICAP_XFERMECH offers native only)
 *   HOSO_TESTDS_UI_ONLY=1     fails MSG_ENABLEDS with ShowUI = FALSE (CAP_UICONTROLLABLE is FALSE)
 *   HOSO_TESTDS_LOG=PATH      appends one line per operation it was asked for
 * Image K of a batch (1-based; in duplex, front then back of each sheet) has a
 * 64 x 64 block in its top-left corner of grey level 16 * K (RGB: 16 * K,
 * 255 - 16 * K, 100), on a white page, so the tests can check the order. */

#include <windows.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma pack(push, 2)
typedef struct { int16_t Whole; uint16_t Frac; } FIX32;
typedef struct {
    uint16_t MajorNum, MinorNum, Language, Country;
    char Info[34];
} VERSION_;
typedef struct {
    uint32_t Id;
    VERSION_ Version;
    uint16_t ProtocolMajor, ProtocolMinor;
    uint32_t SupportedGroups;
    char Manufacturer[34], ProductFamily[34], ProductName[34];
} IDENTITY;
typedef struct { uint16_t Cap, ConType; HANDLE hContainer; } CAPABILITY;
typedef struct { uint16_t ItemType; uint32_t Item; } ONEVALUE;
typedef struct { uint16_t ItemType; uint32_t NumItems, CurrentIndex, DefaultIndex; uint8_t ItemList[1]; } ENUMERATION;
typedef struct { uint16_t ShowUI, ModalUI; HANDLE hParent; } USERINTERFACE;
typedef struct { void *pEvent; uint16_t TWMessage; } EVENT;
typedef struct { uint16_t Count; uint32_t EOJ; } PENDINGXFERS;
typedef struct {
    FIX32 XResolution, YResolution;
    int32_t ImageWidth, ImageLength;
    int16_t SamplesPerPixel, BitsPerSample[8], BitsPerPixel;
    uint16_t Planar;
    int16_t PixelType;
    uint16_t Compression;
} IMAGEINFO;
typedef struct { uint32_t MinBufSize, MaxBufSize, Preferred; } SETUPMEMXFER;
typedef struct { uint32_t Flags, Length; void *TheMem; } MEMORY;
typedef struct {
    uint16_t Compression;
    uint32_t BytesPerRow, Columns, Rows, XOffset, YOffset, BytesWritten;
    MEMORY Memory;
} IMAGEMEMXFER;
typedef struct { uint16_t ConditionCode, Data; } STATUS;
typedef struct { FIX32 Left, Top, Right, Bottom; } FRAME;
typedef struct { FRAME Frame; uint32_t DocumentNumber, PageNumber, FrameNumber; } IMAGELAYOUT;
#pragma pack(pop)

typedef uint16_t (WINAPI *DSMENTRY)(IDENTITY *, IDENTITY *, uint32_t, uint16_t, uint16_t, void *);

enum {
    DG_CONTROL = 1, DG_IMAGE = 2,
    DAT_NULL = 0, DAT_CAPABILITY = 1, DAT_EVENT = 2, DAT_IDENTITY = 3, DAT_PENDINGXFERS = 5,
    DAT_SETUPMEMXFER = 6, DAT_STATUS = 8, DAT_USERINTERFACE = 9, DAT_ENTRYPOINT = 0x403,
    DAT_IMAGEINFO = 0x101, DAT_IMAGELAYOUT = 0x102, DAT_IMAGEMEMXFER = 0x103, DAT_IMAGENATIVEXFER = 0x104,
    MSG_GET = 1, MSG_GETCURRENT = 2, MSG_GETDEFAULT = 3, MSG_SET = 6, MSG_RESET = 7, MSG_QUERYSUPPORT = 8,
    MSG_XFERREADY = 0x101, MSG_CLOSEDSREQ = 0x102, MSG_OPENDS = 0x401, MSG_CLOSEDS = 0x402,
    MSG_DISABLEDS = 0x501, MSG_ENABLEDS = 0x502, MSG_PROCESSEVENT = 0x601, MSG_ENDXFER = 0x701,
    TWRC_SUCCESS = 0, TWRC_FAILURE = 1, TWRC_CHECKSTATUS = 2, TWRC_CANCEL = 3, TWRC_NOTDSEVENT = 5,
    TWRC_XFERDONE = 6,
    TWCC_SUCCESS = 0, TWCC_BUMMER = 1, TWCC_BADCAP = 6, TWCC_BADPROTOCOL = 9, TWCC_BADVALUE = 10,
    TWCC_SEQERROR = 11, TWCC_CAPUNSUPPORTED = 13, TWCC_PAPERJAM = 20, TWCC_INTERLOCK = 24,
    TWON_ENUMERATION = 4, TWON_ONEVALUE = 5,
    TWTY_INT16 = 1, TWTY_INT32 = 2, TWTY_UINT16 = 4, TWTY_BOOL = 6, TWTY_FIX32 = 7,
    CAP_XFERCOUNT = 0x0001, ICAP_PIXELTYPE = 0x0101, ICAP_UNITS = 0x0102, ICAP_XFERMECH = 0x0103,
    CAP_FEEDERENABLED = 0x1002, CAP_FEEDERLOADED = 0x1003, CAP_AUTOFEED = 0x1007,
    CAP_UICONTROLLABLE = 0x100e, CAP_DUPLEX = 0x1012, CAP_DUPLEXENABLED = 0x1013,
    ICAP_PHYSICALWIDTH = 0x1111, ICAP_PHYSICALHEIGHT = 0x1112, ICAP_XRESOLUTION = 0x1118,
    ICAP_YRESOLUTION = 0x1119, ICAP_PIXELFLAVOR = 0x111f, ICAP_BITDEPTH = 0x112b,
    TWPT_BW = 0, TWPT_GRAY = 1, TWPT_RGB = 2, TWSX_NATIVE = 0, TWSX_MEMORY = 2,
    TWMF_APPOWNS = 1, TWMF_POINTER = 8,
};

static IDENTITY self_id;
static IDENTITY app_id;
static DSMENTRY dsm;
static int state = 3; /* 3 closed, 4 open, 5 enabled, 6 ready, 7 transferring */
static uint16_t cc = TWCC_SUCCESS;

static int sheets, jam_at, cover_at, hang_at, crash_at, native_only, ui_only;
static int feeder = 1, autofeed = 1, duplex = 0, pixel_type = TWPT_GRAY, xfer_mech = TWSX_NATIVE;
static int resolution = 100;
static const int resolutions[] = {100, 150, 200, 300};

/* The batch: images left, image number in the batch, rows already sent. */
static int images_left, image_no, rows_sent;

static int env_int(const char *name, int fallback) {
    const char *v = getenv(name);
    return v && *v ? atoi(v) : fallback;
}

static void note(const char *fmt, ...) {
    const char *path = getenv("HOSO_TESTDS_LOG");
    if (!path || !*path) return;
    FILE *f = fopen(path, "ab"); /* "\n", not "\r\n" */
    if (!f) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
    fclose(f);
}

static uint16_t fail(uint16_t code) { cc = code; return TWRC_FAILURE; }

static FIX32 fix(double v) {
    FIX32 f;
    long n = (long)(v * 65536.0 + 0.5);
    f.Whole = (int16_t)(n >> 16);
    f.Frac = (uint16_t)(n & 0xffff);
    return f;
}

static int page_width(void) { return (int)(resolution * 8.27); }   /* A4 210 mm */
static int page_height(void) { return (int)(resolution * 11.69); } /* A4 297 mm */
static int samples(void) { return pixel_type == TWPT_RGB ? 3 : 1; }
static int bits_per_pixel(void) { return pixel_type == TWPT_BW ? 1 : 8 * samples(); }
static int bytes_per_row(void) { return (page_width() * bits_per_pixel() + 7) / 8; }

/* Sample c of pixel (x, y) of image k, 0..255. */
static int sample(int k, int x, int y, int c) {
    int inside = x < 64 && y < 64;
    if (!inside) return 255;
    int level = (16 * k) & 0xff;
    if (pixel_type == TWPT_RGB) return c == 0 ? level : c == 1 ? 255 - level : 100;
    return level;
}

/* Row y of image k packed as the transfer sends it: 1-bit MSB first with
 * 0 = black (TWPF_CHOCOLATE), 8-bit grey, or 8-bit RGB. */
static void pack_row(int k, int y, uint8_t *out) {
    int w = page_width();
    if (pixel_type == TWPT_BW) {
        memset(out, 0, bytes_per_row());
        for (int x = 0; x < w; x++)
            if (sample(k, x, y, 0) >= 128) out[x / 8] |= (uint8_t)(0x80 >> (x % 8));
        return;
    }
    int n = samples();
    for (int x = 0; x < w; x++)
        for (int c = 0; c < n; c++) out[x * n + c] = (uint8_t)sample(k, x, y, c);
}

static HANDLE one_value(uint16_t type, uint32_t item) {
    HANDLE h = GlobalAlloc(GHND, sizeof(ONEVALUE));
    ONEVALUE *v = GlobalLock(h);
    v->ItemType = type;
    v->Item = item;
    GlobalUnlock(h);
    return h;
}

static HANDLE enumeration(uint16_t type, const uint32_t *items, int n, int current, size_t item_size) {
    HANDLE h = GlobalAlloc(GHND, sizeof(ENUMERATION) + n * item_size);
    ENUMERATION *e = GlobalLock(h);
    e->ItemType = type;
    e->NumItems = n;
    e->CurrentIndex = current;
    e->DefaultIndex = 0;
    for (int i = 0; i < n; i++) {
        if (item_size == 4) {
            FIX32 f = fix(items[i]);
            memcpy(e->ItemList + 4 * i, &f, 4);
        } else {
            uint16_t v = (uint16_t)items[i];
            memcpy(e->ItemList + 2 * i, &v, 2);
        }
    }
    GlobalUnlock(h);
    return h;
}

static uint32_t fix_bits(FIX32 f) { uint32_t u; memcpy(&u, &f, 4); return u; }

/* The value a MSG_SET carries, as an integer (FIX32 rounded). */
static int set_value(CAPABILITY *cap, int *value) {
    if (cap->ConType != TWON_ONEVALUE || !cap->hContainer) return 0;
    ONEVALUE *v = GlobalLock(cap->hContainer);
    if (!v) return 0;
    if (v->ItemType == TWTY_FIX32) {
        FIX32 f;
        memcpy(&f, &v->Item, 4);
        *value = f.Whole + (f.Frac >= 0x8000 ? 1 : 0);
    } else if (v->ItemType == TWTY_INT16) {
        *value = (int16_t)(v->Item & 0xffff);
    } else {
        *value = (int)(v->Item & 0xffff);
    }
    GlobalUnlock(cap->hContainer);
    return 1;
}

static uint16_t capability(uint16_t msg, CAPABILITY *cap) {
    if (state < 4) return fail(TWCC_SEQERROR);
    note("CAP %s 0x%04x", msg == MSG_SET ? "SET" : msg == MSG_QUERYSUPPORT ? "QUERY" : "GET", cap->Cap);
    int value = 0;
    if (msg == MSG_QUERYSUPPORT) {
        switch (cap->Cap) {
        case CAP_XFERCOUNT: case ICAP_PIXELTYPE: case ICAP_UNITS: case ICAP_XFERMECH: case CAP_FEEDERENABLED:
        case CAP_FEEDERLOADED: case CAP_AUTOFEED: case CAP_UICONTROLLABLE: case CAP_DUPLEX:
        case CAP_DUPLEXENABLED: case ICAP_PHYSICALWIDTH: case ICAP_PHYSICALHEIGHT: case ICAP_XRESOLUTION:
        case ICAP_YRESOLUTION: case ICAP_PIXELFLAVOR:
            cap->ConType = TWON_ONEVALUE;
            cap->hContainer = one_value(TWTY_INT32, 0x000f); /* GET | SET | GETDEFAULT | GETCURRENT */
            return TWRC_SUCCESS;
        default:
            return fail(TWCC_CAPUNSUPPORTED);
        }
    }
    if (msg == MSG_SET) {
        if (state != 4) return fail(TWCC_SEQERROR);
        if (!set_value(cap, &value)) return fail(TWCC_BADVALUE);
        switch (cap->Cap) {
        case CAP_XFERCOUNT: return TWRC_SUCCESS;
        case ICAP_UNITS: return value == 0 ? TWRC_SUCCESS : fail(TWCC_BADVALUE);
        case ICAP_PIXELTYPE:
            if (value != TWPT_BW && value != TWPT_GRAY && value != TWPT_RGB) return fail(TWCC_BADVALUE);
            pixel_type = value;
            return TWRC_SUCCESS;
        case ICAP_XFERMECH:
            if (value == TWSX_NATIVE || (value == TWSX_MEMORY && !native_only)) { xfer_mech = value; return TWRC_SUCCESS; }
            return fail(TWCC_BADVALUE);
        case ICAP_XRESOLUTION: case ICAP_YRESOLUTION:
            for (int i = 0; i < 4; i++)
                if (resolutions[i] == value) { resolution = value; return TWRC_SUCCESS; }
            return fail(TWCC_BADVALUE);
        case CAP_FEEDERENABLED: feeder = value != 0; return TWRC_SUCCESS;
        case CAP_AUTOFEED: autofeed = value != 0; return TWRC_SUCCESS;
        case CAP_DUPLEXENABLED: duplex = value != 0; return TWRC_SUCCESS;
        default: return fail(TWCC_CAPUNSUPPORTED);
        }
    }
    if (msg != MSG_GET && msg != MSG_GETCURRENT && msg != MSG_GETDEFAULT) return fail(TWCC_BADPROTOCOL);
    cap->ConType = TWON_ONEVALUE;
    switch (cap->Cap) {
    case ICAP_XRESOLUTION: case ICAP_YRESOLUTION: {
        if (msg != MSG_GET) { cap->hContainer = one_value(TWTY_FIX32, fix_bits(fix(resolution))); return TWRC_SUCCESS; }
        uint32_t items[4] = {100, 150, 200, 300};
        int cur = 0;
        for (int i = 0; i < 4; i++) if (resolutions[i] == resolution) cur = i;
        cap->ConType = TWON_ENUMERATION;
        cap->hContainer = enumeration(TWTY_FIX32, items, 4, cur, 4);
        return TWRC_SUCCESS;
    }
    case ICAP_PIXELTYPE: {
        if (msg != MSG_GET) { cap->hContainer = one_value(TWTY_UINT16, pixel_type); return TWRC_SUCCESS; }
        uint32_t items[3] = {TWPT_BW, TWPT_GRAY, TWPT_RGB};
        cap->ConType = TWON_ENUMERATION;
        cap->hContainer = enumeration(TWTY_UINT16, items, 3, pixel_type, 2);
        return TWRC_SUCCESS;
    }
    case ICAP_XFERMECH: {
        if (msg != MSG_GET || native_only) { cap->hContainer = one_value(TWTY_UINT16, xfer_mech); return TWRC_SUCCESS; }
        uint32_t items[2] = {TWSX_NATIVE, TWSX_MEMORY};
        cap->ConType = TWON_ENUMERATION;
        cap->hContainer = enumeration(TWTY_UINT16, items, 2, xfer_mech == TWSX_MEMORY, 2);
        return TWRC_SUCCESS;
    }
    case CAP_FEEDERENABLED: cap->hContainer = one_value(TWTY_BOOL, feeder); return TWRC_SUCCESS;
    case CAP_FEEDERLOADED: cap->hContainer = one_value(TWTY_BOOL, sheets > 0); return TWRC_SUCCESS;
    case CAP_AUTOFEED: cap->hContainer = one_value(TWTY_BOOL, autofeed); return TWRC_SUCCESS;
    case CAP_UICONTROLLABLE: cap->hContainer = one_value(TWTY_BOOL, !ui_only); return TWRC_SUCCESS;
    case CAP_DUPLEX: cap->hContainer = one_value(TWTY_UINT16, 1); return TWRC_SUCCESS; /* TWDX_1PASSDUPLEX */
    case CAP_DUPLEXENABLED: cap->hContainer = one_value(TWTY_BOOL, duplex); return TWRC_SUCCESS;
    case ICAP_PHYSICALWIDTH: cap->hContainer = one_value(TWTY_FIX32, fix_bits(fix(8.5))); return TWRC_SUCCESS;
    case ICAP_PHYSICALHEIGHT: cap->hContainer = one_value(TWTY_FIX32, fix_bits(fix(14.0))); return TWRC_SUCCESS;
    case ICAP_UNITS: cap->hContainer = one_value(TWTY_UINT16, 0); return TWRC_SUCCESS;
    case ICAP_PIXELFLAVOR: cap->hContainer = one_value(TWTY_UINT16, 0); return TWRC_SUCCESS; /* chocolate */
    case CAP_XFERCOUNT: cap->hContainer = one_value(TWTY_INT16, 0xffff); return TWRC_SUCCESS;
    default: return fail(TWCC_CAPUNSUPPORTED);
    }
}

static void tell_app(uint16_t msg) {
    if (!dsm) {
        HMODULE m = GetModuleHandleA("TWAINDSM.dll");
        if (!m) m = GetModuleHandleA("twain_32.dll");
        if (m) dsm = (DSMENTRY)(void *)GetProcAddress(m, "DSM_Entry");
    }
    if (dsm) dsm(&self_id, &app_id, DG_CONTROL, DAT_NULL, msg, NULL);
    note("TELL %s", msg == MSG_XFERREADY ? "XFERREADY" : "CLOSEDSREQ");
}

static uint16_t enable(USERINTERFACE *ui) {
    if (state != 4) return fail(TWCC_SEQERROR);
    note("ENABLEDS showui=%d feeder=%d duplex=%d mech=%s res=%d type=%d", ui->ShowUI, feeder, duplex,
         xfer_mech == TWSX_MEMORY ? "memory" : "native", resolution, pixel_type);
    if (!ui->ShowUI && ui_only) return fail(TWCC_BADPROTOCOL);
    int loaded = feeder ? sheets : 1;
    images_left = feeder ? loaded * (duplex ? 2 : 1) : 1;
    image_no = 0;
    state = 5;
    if (images_left > 0) {
        state = 6;
        tell_app(MSG_XFERREADY);
    } else {
        tell_app(MSG_CLOSEDSREQ);
    }
    return TWRC_SUCCESS;
}

/* Starts image image_no + 1: faults on request. Returns 0 to go on. */
static int begin_image(uint16_t *rc) {
    int k = image_no + 1;
    if (k == hang_at) { note("HANG %d", k); Sleep(INFINITE); }
    if (k == crash_at) { note("CRASH %d", k); *(volatile int *)0 = 1; }
    if (k == jam_at) { note("JAM %d", k); *rc = fail(TWCC_PAPERJAM); return 1; }
    if (k == cover_at) { note("COVER %d", k); *rc = fail(TWCC_INTERLOCK); return 1; }
    return 0;
}

static void end_image(void) {
    image_no++;
    images_left--;
    if (feeder && (!duplex || image_no % 2 == 0)) sheets--;
    rows_sent = 0;
    state = 7;
}

static uint16_t image_info(IMAGEINFO *info) {
    if (state != 6 && state != 7) return fail(TWCC_SEQERROR);
    memset(info, 0, sizeof *info);
    info->XResolution = info->YResolution = fix(resolution);
    info->ImageWidth = page_width();
    info->ImageLength = page_height();
    info->SamplesPerPixel = (int16_t)samples();
    for (int i = 0; i < samples(); i++) info->BitsPerSample[i] = pixel_type == TWPT_BW ? 1 : 8;
    info->BitsPerPixel = (int16_t)bits_per_pixel();
    info->PixelType = (int16_t)pixel_type;
    return TWRC_SUCCESS;
}

static uint16_t memory_strip(IMAGEMEMXFER *x) {
    if (xfer_mech != TWSX_MEMORY || (state != 6 && state != 7)) return fail(TWCC_SEQERROR);
    uint16_t rc;
    if (state == 6 && rows_sent == 0 && begin_image(&rc)) return rc;
    if (state == 6) { note("XFER memory %d", image_no + 1); state = 7; rows_sent = 0; }
    int bpr = bytes_per_row(), h = page_height();
    if (!x->Memory.TheMem || x->Memory.Length < (uint32_t)bpr || !(x->Memory.Flags & TWMF_POINTER))
        return fail(TWCC_BADVALUE);
    int rows = (int)(x->Memory.Length / bpr);
    if (rows > h - rows_sent) rows = h - rows_sent;
    for (int r = 0; r < rows; r++) pack_row(image_no + 1, rows_sent + r, (uint8_t *)x->Memory.TheMem + r * bpr);
    x->Compression = 0;
    x->BytesPerRow = bpr;
    x->Columns = page_width();
    x->Rows = rows;
    x->XOffset = 0;
    x->YOffset = rows_sent;
    x->BytesWritten = rows * bpr;
    rows_sent += rows;
    if (rows_sent < h) return TWRC_SUCCESS;
    end_image();
    return TWRC_XFERDONE;
}

/* A bottom-up DIB of the image, as native transfer hands it over. */
static uint16_t native(HANDLE *out) {
    if (state != 6) return fail(TWCC_SEQERROR);
    uint16_t rc;
    if (begin_image(&rc)) return rc;
    note("XFER native %d", image_no + 1);
    int w = page_width(), h = page_height(), bpp = bits_per_pixel();
    int stride = ((w * bpp + 31) / 32) * 4;
    int colours = bpp == 24 ? 0 : (1 << bpp);
    size_t size = sizeof(BITMAPINFOHEADER) + colours * 4 + (size_t)stride * h;
    HANDLE hg = GlobalAlloc(GHND, size);
    uint8_t *p = GlobalLock(hg);
    BITMAPINFOHEADER *bi = (BITMAPINFOHEADER *)p;
    bi->biSize = sizeof *bi;
    bi->biWidth = w;
    bi->biHeight = h;
    bi->biPlanes = 1;
    bi->biBitCount = (WORD)bpp;
    bi->biCompression = BI_RGB;
    bi->biSizeImage = stride * h;
    bi->biXPelsPerMeter = bi->biYPelsPerMeter = (LONG)(resolution / 0.0254 + 0.5);
    bi->biClrUsed = colours;
    RGBQUAD *pal = (RGBQUAD *)(p + sizeof *bi);
    for (int i = 0; i < colours; i++) {
        int v = bpp == 1 ? (i ? 255 : 0) : i;
        pal[i].rgbRed = pal[i].rgbGreen = pal[i].rgbBlue = (BYTE)v;
    }
    uint8_t *bits = p + sizeof *bi + colours * 4;
    uint8_t *row = malloc(bytes_per_row());
    for (int y = 0; y < h; y++) {
        pack_row(image_no + 1, y, row);
        uint8_t *dst = bits + (size_t)(h - 1 - y) * stride;
        if (bpp == 24) {
            for (int x = 0; x < w; x++) { dst[3 * x] = row[3 * x + 2]; dst[3 * x + 1] = row[3 * x + 1]; dst[3 * x + 2] = row[3 * x]; }
        } else {
            memcpy(dst, row, bytes_per_row());
        }
    }
    free(row);
    GlobalUnlock(hg);
    *out = hg;
    end_image();
    return TWRC_XFERDONE;
}

static uint16_t pending(uint16_t msg, PENDINGXFERS *p) {
    if (msg == MSG_GET) { p->Count = (uint16_t)images_left; p->EOJ = 0; return TWRC_SUCCESS; }
    if (msg == MSG_ENDXFER) {
        if (state != 7 && state != 6) return fail(TWCC_SEQERROR);
        p->Count = (uint16_t)images_left;
        note("ENDXFER left=%d", images_left);
        state = images_left > 0 ? 6 : 5;
        return TWRC_SUCCESS;
    }
    if (msg == MSG_RESET) {
        if (state != 6 && state != 7) return fail(TWCC_SEQERROR);
        note("RESET");
        images_left = 0;
        p->Count = 0;
        state = 5;
        return TWRC_SUCCESS;
    }
    return fail(TWCC_BADPROTOCOL);
}

__declspec(dllexport) uint16_t WINAPI DS_Entry(IDENTITY *origin, uint32_t dg, uint16_t dat, uint16_t msg, void *data) {
    if (dg == DG_CONTROL && dat == DAT_STATUS && msg == MSG_GET) {
        STATUS *s = data;
        s->ConditionCode = cc;
        s->Data = 0;
        cc = TWCC_SUCCESS;
        return TWRC_SUCCESS;
    }
    cc = TWCC_SUCCESS;
    if (dg == DG_CONTROL && dat == DAT_IDENTITY) {
        IDENTITY *id = data;
        if (msg == MSG_GET || msg == MSG_OPENDS) {
            uint32_t keep = id->Id;
            memset(id, 0, sizeof *id);
            id->Id = keep;
            id->Version.MajorNum = 1;
            id->Version.Language = 2;
            id->Version.Country = 1;
            strcpy(id->Version.Info, "HoSo test source 1.0");
            id->ProtocolMajor = 2;
            id->ProtocolMinor = 4;
            id->SupportedGroups = DG_CONTROL | DG_IMAGE | 0x40000000; /* DF_DS2 */
            strcpy(id->Manufacturer, "HoSo Intake");
            strcpy(id->ProductFamily, "Test");
            strcpy(id->ProductName, "HoSo Test Scanner");
            if (msg == MSG_GET) return TWRC_SUCCESS;
            if (state != 3) return fail(TWCC_SEQERROR);
            self_id = *id;
            if (origin) app_id = *origin;
            sheets = env_int("HOSO_TESTDS_SHEETS", 3);
            jam_at = env_int("HOSO_TESTDS_JAM_AT", 0);
            cover_at = env_int("HOSO_TESTDS_COVER_AT", 0);
            hang_at = env_int("HOSO_TESTDS_HANG_AT", 0);
            crash_at = env_int("HOSO_TESTDS_CRASH_AT", 0);
            native_only = env_int("HOSO_TESTDS_NATIVE_ONLY", 0);
            ui_only = env_int("HOSO_TESTDS_UI_ONLY", 0);
            xfer_mech = TWSX_NATIVE;
            state = 4;
            note("OPENDS app=%s", origin ? origin->ProductName : "?");
            return TWRC_SUCCESS;
        }
        if (msg == MSG_CLOSEDS) {
            if (state != 4) { note("CLOSEDS in state %d", state); return fail(TWCC_SEQERROR); }
            state = 3;
            note("CLOSEDS");
            return TWRC_SUCCESS;
        }
        return fail(TWCC_BADPROTOCOL);
    }
    if (dg == DG_CONTROL && dat == DAT_ENTRYPOINT) return TWRC_SUCCESS;
    if (dg == DG_CONTROL && dat == DAT_EVENT && msg == MSG_PROCESSEVENT) {
        EVENT *e = data;
        e->TWMessage = 0;
        return TWRC_NOTDSEVENT;
    }
    if (dg == DG_CONTROL && dat == DAT_CAPABILITY) return capability(msg, data);
    if (dg == DG_CONTROL && dat == DAT_USERINTERFACE) {
        if (msg == MSG_ENABLEDS) return enable(data);
        if (msg == MSG_DISABLEDS) {
            if (state != 5) { note("DISABLEDS in state %d", state); return fail(TWCC_SEQERROR); }
            state = 4;
            note("DISABLEDS");
            return TWRC_SUCCESS;
        }
        return fail(TWCC_BADPROTOCOL);
    }
    if (dg == DG_CONTROL && dat == DAT_PENDINGXFERS) return pending(msg, data);
    if (dg == DG_CONTROL && dat == DAT_SETUPMEMXFER && msg == MSG_GET) {
        if (state < 4) return fail(TWCC_SEQERROR);
        SETUPMEMXFER *s = data;
        s->MinBufSize = bytes_per_row();
        s->MaxBufSize = bytes_per_row() * 256;
        s->Preferred = bytes_per_row() * 64;
        return TWRC_SUCCESS;
    }
    if (dg == DG_IMAGE && dat == DAT_IMAGEINFO && msg == MSG_GET) return image_info(data);
    if (dg == DG_IMAGE && dat == DAT_IMAGELAYOUT) return state == 4 ? TWRC_SUCCESS : fail(TWCC_SEQERROR);
    if (dg == DG_IMAGE && dat == DAT_IMAGEMEMXFER && msg == MSG_GET) return memory_strip(data);
    if (dg == DG_IMAGE && dat == DAT_IMAGENATIVEXFER && msg == MSG_GET) return native(data);
    return fail(TWCC_BADPROTOCOL);
}
