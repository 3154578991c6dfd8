# HoSo Intake — English messages. One catalogue per language; every id here
# is in vi.ftl with the same variables (a test checks it).

## Background tasks (the desktop's task bar)

task-progress-pages = { $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
}
task-built = Built { $documents } PDF/A ({ $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
})
task-scanned = Scanned { $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
}
task-scanned-then-stopped = Scanned { $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
}, then: { $why }
task-rescanned = Page { $page } rescanned
task-read = Read { $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
}
task-certified = Certified: { $copies }
task-certified-copy = { $record } no. { $number }
task-certified-copy-pending = { $record } no. { $number } (long-term validation data pending)
task-certified-before = done before: { $copies }
task-synced = Sent { $synced }, { $postponed } postponed, { $rejected } rejected
task-internal-error = internal error, see the log
task-no-page = the scanner returned no page

## Errors a front end says in one language

# Technical detail no catalogue translates (an OS or parser error's own text).
detail = { $detail }

error-not-signed-in = not signed in
error-only-certifier = only a supervisor may certify copies
error-only-admin = administrators only
error-unknown-command = unknown command { $command }
error-bad-arguments = bad arguments

## The command line's answers

doctor-summary = Result: { $ok } ok, { $warnings ->
    [one] { $warnings } warning
   *[other] { $warnings } warnings
}, { $problems ->
    [one] { $problems } problem
   *[other] { $problems } problems
}
ledger-attempts = { $attempts ->
    [one] { $attempts } attempt
   *[other] { $attempts } attempts
}

## The desktop window (ui/src): labels, and the names of record states and page issues

ui-app-name = Record intake
ui-sign-in = Sign in
ui-sign-out = Sign out
ui-username = Username
ui-password = Password
ui-no-accounts = No account exists yet. IT creates the first one with: hoso user add NAME --name "Full name" --role admin
ui-records = Records
ui-new-record = New record
ui-certification = Certification
ui-sync = Sync
ui-diagnostics = Diagnostics
ui-settings = Settings
ui-accounts = Accounts
ui-verify = Verify signatures
ui-verify-hint = Pick a signed PDF (an electronic copy from this counter or another agency) to see who signed, when, the trust path, revocation and whether the file changed after signing.
ui-signed-file = Signed PDF
ui-no-signature = The file has no digital signature.
ui-signature = Signature
ui-signer = Signer
ui-issuer = Issuer
ui-signing-time = Signing time (as the signer wrote)
ui-time-stamp = Time-stamp
ui-pades-level = PAdES level
ui-trust-path = Trust path
ui-revocation = Revocation
ui-changed-after-signing = Changed after signing
ui-code = Record code
ui-procedure = Procedure
ui-applicant = Applicant
ui-state = State
ui-received = Received
ui-pages = Pages
ui-all = All
ui-name = Full name
ui-personal-id = Personal ID
ui-phone = Phone
ui-address = Address
ui-read-card = Read the ID card on the glass
ui-card-file = Card image file…
ui-create = Open record
ui-checklist = Checklist
ui-required = required
ui-optional = optional
ui-needs-cert = needs certification
ui-scan = Scan
ui-scanner = Scanner
ui-source = Source
ui-feeder = Feeder
ui-flatbed = Flatbed
ui-duplex = Duplex
ui-resolution = Resolution
ui-mode = Colour
ui-colour = Colour
ui-gray = Grey
ui-bw = Black & white
ui-import-files = Import files…
ui-pages-imported = { $n ->
    [one] { $n } page imported
   *[other] { $n } pages imported
}
ui-pages-already = { $n ->
    [one] { $n } page was already in the record
   *[other] { $n } pages were already in the record
}
ui-drop-hint = PNG, JPEG, TIFF; or drop files here
ui-build = Build PDF/A
ui-seal = Seal and queue
ui-slip = Receipt slip
ui-print = Print
ui-remove = Remove page
ui-move-up = Earlier
ui-move-down = Later
ui-rescan = Rescan
ui-turn = Turn right 90°
ui-view = View
ui-waiting-ocr = being read
ui-no-pages = No pages yet
ui-stale-doc = Old PDF: pages changed, build again
ui-certify-queue = Records awaiting certification
ui-certificate = Certificate
ui-pin = Token PIN
ui-certify-selected = Certify selected records
ui-title = Title
ui-nothing-waiting = Nothing is waiting.
ui-ledger = Sync ledger
ui-attempts = Attempts
ui-last-error = Last error
ui-send-now = Send now
ui-retry = Send again
ui-check = Check
ui-run-again = Check again
ui-hint = What to do
ui-config-files = Configuration files
ui-settings-note = Changes are written to this PC's configuration file and win over IT's machine-wide file. Empty a field to use the shared value again.
ui-settings-read-only = Only administrators can change settings.
ui-save = Save
ui-saved = Saved
ui-nothing-changed = Nothing changed
ui-setting = Setting
ui-value = Value
ui-origin = Where from
ui-src-default = default
ui-src-system = machine-wide file
ui-src-user = this PC
ui-src-environment = environment
ui-src-flag = flag
ui-role = Role
ui-reception = Reception
ui-supervisor = Supervisor
ui-admin = Administrator
ui-add = Add
ui-disable = Disable
ui-enable = Enable
ui-set-password = Set password
ui-disabled = disabled
ui-tasks = Tasks
ui-page-image = Page image
ui-pdf = PDF
ui-close = Close
ui-language = Tiếng Việt
state-draft = Draft
state-scanning = Scanning
state-processing = Processing
state-review = Review
state-certification = Certified
state-sealed = Sealed
state-queued = Queued
state-synced = Synced
state-rejected = Rejected
issue-blank = Blank
issue-blurred = Blurred
issue-too-dark = Too dark
issue-faint = Faint
issue-low-dpi = Below 200 dpi: rescan
issue-no-dpi = No dpi

## Signatures (hoso-sign): signing, verdicts, trust paths, revocation, time-stamps

sign-token = token / PKCS#11: { $detail }
sign-wrong-pin = wrong PIN
sign-pin-locked = the PIN is locked: contact the certificate provider
sign-token-busy = the token is signing another certify batch: wait for it to finish
sign-certificate = certificate: { $detail }
sign-expired = the certificate has expired: { $detail }
sign-not-yet-valid = the certificate is not valid yet: { $detail }
sign-pdf = PDF: { $detail }
sign-timestamp = time-stamp authority: { $detail }
sign-pdf-unreadable = the PDF cannot be read: { $why }
sign-pdf-encrypted = the PDF is encrypted: not verified
sign-bad-byte-range = /ByteRange of signature { $field } is wrong
sign-bad-contents = /Contents of signature { $field } is wrong
sign-no-signature = the file has no digital signature
sign-module-unloadable = cannot load the PKCS#11 module { $module }: { $why }
sign-choose-certificate = the token holds { $count } certificates: choose one by fingerprint
sign-certificate-not-found = certificate not found on the token
sign-no-private-key = no private key for this certificate
sign-token-not-found = token { $label } not found: is it plugged in?
sign-p12-unreadable = { $file }: { $why } (wrong password?)
verdict-valid = VALID
verdict-revocation-unknown = REVOCATION NOT CHECKED (signature intact, path trusted, revocation unknown)
verdict-revoked = REVOKED (signature intact, but a certificate was revoked)
verdict-untrusted = UNTRUSTED (no chain to a trusted root)
verdict-changed = CHANGED AFTER SIGNING (the signed revision is intact, but the document was changed later)
verdict-invalid = INVALID (file altered or signature wrong)
level-b-lt = B-LT: the file carries its own revocation data and verifies offline
level-b-t = B-T: time-stamped
level-b-b = B-B: basic signature
time-proven = { $time } ({ $tsa }, proven)
time-not-proven = { $time } ({ $tsa }, not proven: { $why })
time-claimed = no time-stamp: the signing time is the signer's claim
change-added = object { $object } ({ $kind }) added after signing
change-replaced = object { $object } ({ $kind }) replaced after signing
change-replaced-keys = object { $object } ({ $kind }) replaced after signing ({ $keys })
path-fault-no-roots = no trusted root is configured
path-fault-unknown-issuer = no path to a trusted root
path-fault-not-ca = a certificate that is not a CA's issued another
path-fault-not-cert-signer = an issuer's key may not sign certificates (keyCertSign)
path-fault-path-too-long = the path is longer than an issuer allows
path-fault-expired = a certificate of the path had expired
path-fault-not-yet-valid = a certificate of the path was not valid yet
path-fault-signer-key-usage = the signer's certificate is not for signing documents (keyUsage)
path-fault-ca-as-signer = a CA certificate signed the document
path-fault-algorithm = an algorithm or key that is not accepted (SHA-1, RSA under 2048 bits, ...)
path-fault-bad-signature = the signature on a certificate of the path is wrong
path-fault-critical-extension = a certificate has an unknown critical extension
path-fault-name-constraints = a name outside the issuer's constraints
path-fault-revoked = the certificate was revoked
path-fault-malformed = unreadable certificate: { $detail }
tsa-fault-unreadable = the time-stamp cannot be read
tsa-fault-imprint-mismatch = the time-stamp stamps another value
tsa-fault-bad-signature = the time-stamp's signature does not verify
tsa-fault-not-timestamping = the TSA's certificate is not for time-stamping
tsa-fault-untrusted = the time-stamping authority is not trusted: { $why }
tsa-fault-revoked = the TSA's certificate was revoked
revocation-good = { $subject }: not revoked ({ $source })
revocation-revoked = { $subject }: REVOKED since { $since } ({ $source })
revocation-revoked-reason = { $subject }: REVOKED since { $since }, { $reason } ({ $source })
revocation-unknown = { $subject }: revocation not checked ({ $why })
revocation-no-address = the certificate names no CRL or OCSP address
revocation-dss-useless = the file's validation data (DSS) holds no answer that counts
revocation-source-failed = { $kind } { $url }: { $why }
revocation-kept-failed = { $kind } { $url } (kept): { $why }
revocation-offline = { $kind } { $url }: offline, none kept
revocation-future = issued in the future
revocation-stale = out of date (past its next update)
crl-pem-not-crl = PEM { $label }, not a CRL
crl-unreadable = unreadable CRL: { $why }
crl-other-issuer = the CRL is another issuer's
crl-signature-unreadable = unreadable CRL signature
crl-bad-signature = the CRL's signature does not verify: { $why }
crl-no-crl-sign = the issuer may not sign CRLs (cRLSign)
crl-delta = a delta CRL, not complete
crl-out-of-scope = the CRL's scope leaves this certificate out
crl-critical-extension = unknown critical CRL extension { $oid }
ocsp-unreadable = unreadable OCSP response: { $why }
ocsp-refused = the responder refused: { $status }
ocsp-empty = empty OCSP response
ocsp-unknown-type = unknown OCSP response type { $oid }
ocsp-future = the OCSP response was produced in the future
ocsp-signature-unreadable = unreadable OCSP signature
ocsp-bad-signature = the OCSP signature does not verify: { $why }
ocsp-other-certificate = the OCSP response is for another certificate
ocsp-unknown-certificate = the responder does not know this certificate
ocsp-responder-missing = the OCSP responder's certificate is missing
ocsp-not-delegated = the responder was not delegated by the issuer
ocsp-responder-not-issuers = the responder's certificate is not the issuer's: { $why }
ocsp-responder-no-eku = the responder's certificate lacks OCSPSigning
ocsp-responder-not-valid = the responder's certificate was not valid when it answered
ltv-gap = signature { $signature }: { $why }
ltv-unreadable-signature = the signature cannot be read
ltv-no-signer = the signer's certificate is missing
ltv-no-timestamp = no time-stamp (configure tsa_url): validation data would count only while it is current
ltv-timestamp-unproven = the time-stamp proves no signing time: { $why }

## Records, pages and the store (hoso-core, hoso-model, hoso-store)

state-wrong-for-pages = record { $record } is { $state }: pages can no longer be added
state-wrong-for-seal = record { $record } is { $state }: only records in review or certified can be sealed
state-wrong-for-certify = record { $record } is { $state }: certify in review or certified
state-change-refused = a record cannot go from { $from } to { $to }
store-cannot-open = cannot open the store in { $folder }
procedure-unknown = procedure { $procedure } is not in the catalogue (`hoso procedures` lists them)
file-unreadable = cannot read { $file }
folder-unreadable = cannot list the folder { $folder }
card-unusable = the card image { $file } cannot be used
card-unread = neither the QR code nor the MRZ of the card could be read
card-unread-because = neither the QR code nor the MRZ of the card could be read: { $why }
scanner-none = no scanner found: connect one, or set `scanner` in config.toml
audit-damaged-no-seal = the audit log is damaged ({ $at }): nothing sealed; run `hoso audit verify`
component-no-pdfa-build = component { $component } has no PDF/A: build it first (`hoso build`)
component-pdfa-stale = the pages of component { $component } changed after its PDF/A was built: build again
component-needs-certification = component { $component } needs certification before sealing (`hoso certify`)
component-no-pdf = the component has no PDF yet
record-no-documents = record { $record } has no documents yet: run `hoso build` first
page-not-processed = page { $component }.{ $page } is not processed yet: run `hoso process` first
process-busy = another HoSo process is already processing the store in { $folder }
page-raw-lost = the raw image is missing or damaged: { $why }
page-unprocessable = the page cannot be processed: { $why }
document-kind-certified = Certified electronic copy
document-kind-digitised = Digitised copy

## Certifying copies (hoso-core)

certify-agency-password = set HOSO_AGENCY_P12_PASSWORD for the agency's key file { $file }
certify-no-agency-key = no agency key configured: set `agency_certificate` (fingerprint) or `agency_pkcs12` in config.toml
certify-untrusted = the certificate «{ $subject }» is not trusted, nothing certified: { $why }
certify-revoked = a certificate was revoked, nothing certified: { $why }
certify-nothing-needed = no component needs certification (give --component)
certify-no-pdfa = component { $component } has no PDF/A: run `hoso build`
certify-voided = certification number { $number } voided

## Sync (hoso-core, hoso-sync)

sync-no-hub = no hub configured: set `hub_url` in config.toml
sync-no-device = set `device_id` in config.toml (as enrolled at the hub)
sync-hub-ca-unreadable = cannot read hub_ca { $file }

## Settings and configuration (hoso-core)

settings-no-folder = { $key }: no folder { $value }
settings-no-file = { $key }: no file { $value }
settings-not-url = { $key }: needs an http(s):// address, not «{ $value }»
settings-not-scanner = { $key }: needs `sane:<device>`, `twain:<name>`, `wia:<id>` or `escl:http://…` (see `hoso devices`), not «{ $value }»
settings-not-bool = { $key }: true or false, not «{ $value }»
settings-not-number = { $key }: needs a whole number from 1, not «{ $value }»
settings-not-hex-key = { $key }: needs the 64 hex digits `hoso-hub key` prints
settings-fixed = { $key }: not changed here: moving the store is an IT job (installer/README.md)
settings-no-home = no home folder to keep settings in
settings-file-invalid = config file { $file } is invalid
settings-unknown-key = no setting «{ $key }»
settings-overridden = { $key }: is set by the { $source } and would win over the file
settings-not-saved = the settings were not saved
config-file-unreadable = cannot read the config file { $file }
config-no-unit = no receiving unit configured: set `unit = "000.00.01.H29"` in config.toml, HOSO_UNIT or --unit
config-bad-unit = invalid receiving unit code
config-bad-catalogue = invalid procedure catalogue

## Importing page files (hoso-core, hoso-imaging)

import-not-found = { $file }: no such file; check the path
import-permission-denied = { $file }: no permission to read it; ask IT
import-unreadable = { $file }: cannot read it (a folder, or a failing disk?): { $why }
import-too-big = { $file }: { $mb } MB, more than the 512 MB a file may have; split it
import-image = { $file }: { $why }
image-empty = the file is empty (0 bytes); scan or copy it again
image-not-an-image = not a PNG, JPEG or TIFF image (it starts with { $start }); export the scan as one of these
image-too-large = the image is { $width }×{ $height } pixels, larger than the { $side }-pixel/{ $megapixels }-megapixel limit; rescan at 300 dpi
image-too-many-frames = the TIFF has more than { $count } pages; split it into smaller files
image-damaged = the image is damaged or incomplete ({ $why }); scan or copy it again
image-unsupported = this kind of { $format } image is not supported ({ $why }); save it as 8-bit PNG or JPEG
image-no-such-frame = the file has no page { $page }

## The quality gate (hoso-imaging)

quality-low-dpi = below 200 dpi: rescan
quality-no-dpi = the file declares no dpi
quality-blank = looks blank: check it
quality-too-dark = page too dark
quality-faint = print too faint
quality-blurred = image blurred: rescan advised

## The record's own rules (hoso-model)

identity-mrz-shape = an ID card MRZ is 3 lines of 30 characters (A-Z, 0-9, <); read it again
identity-check-digit = the { $field } check digit does not match; read the MRZ again
identity-date = the { $field } date is not a valid date
identity-inconsistent = the personal ID in the MRZ does not match its document number
identity-qr-shape = the QR text is not a CCCD QR code (7 fields separated by |)
personal-id-shape = a personal ID has exactly 12 digits, not «{ $text }»
personal-id-province = «{ $text }» does not start with a province code (001 Hà Nội … 079 TP. Hồ Chí Minh … 096 Cà Mau)
personal-id-mismatch = personal ID { $id } says born { $id_year } ({ $id_sex }), but the applicant was born { $year } ({ $sex })
record-code-unit = unit code «{ $text }» must look like 000.00.01.H29 (3.2.2 digits, then a capital letter and 2 digits)
record-code-shape = record code «{ $text }» must look like 000.00.01.H29-250801-0001
record-code-date = record code date «{ $text }» is not a valid YYMMDD date
record-code-sequence = record code sequence «{ $text }» must be 4 digits from 0001 to 9999

## The store (hoso-store)

store-not-found = not found: { $what }
store-stale-state = record { $record } is { $actual }, not { $expected } as expected; reload it and try again
store-closed = record { $record } is { $state }: pages can no longer be added
store-sequence-exhausted = unit { $unit } has used all 9999 record numbers for { $day }
store-blob-damaged = blob { $hash } is missing or damaged on disk; restore it from a backup
account-password-short = the password needs at least { $min } characters
account-bad-username = username: not empty, no spaces
account-exists = account { $username } exists
account-wrong-password = wrong username or password
account-disabled = account { $username } is disabled
account-locked = account { $username } is locked after { $failed } wrong passwords; ask an administrator to reset it

## `hoso doctor` (hoso-core): what each check found, and what to do

doctor-config-none = no configuration file was read; built-in defaults only
doctor-config-none-hint = IT: write { $file } (template: installer/config.toml)
doctor-unit-none = no receiving unit: records cannot be numbered
doctor-unit-none-hint = IT: set the unit's code, `unit = "000.00.01.H29"`, in the configuration file
doctor-store-unwritable-hint = the store folder (data_dir) must be writable by the counter's user
doctor-store-ok = { $folder } (run `hoso store check --deep` to re-hash)
doctor-store-empty = { $folder } (empty: made on first use)
doctor-disk-unknown = free space unknown: { $why }
doctor-disk-free = { $free } free
doctor-disk-full-hint = scans stop when the disk fills: free space or move data_dir
doctor-disk-low-hint = below { $warning }: about 1 MB per scanned page
doctor-ocr-threads-unset = OMP_THREAD_LIMIT is unset
doctor-ocr-threads-wrong = OMP_THREAD_LIMIT is { $value }
doctor-ocr-threads-hint = OCR is 3-7x slower without it: start the app through its launcher
doctor-ocr-library-hint = install tesseract-ocr (Linux), reinstall HoSo (Windows), or set `ocr_library`
doctor-ocr-ok = Tesseract { $version } ({ $path }), languages { $languages }
doctor-ocr-models-hint = install tesseract-ocr-vie and tesseract-ocr-osd, or set `tessdata`
doctor-scanner-stack-hint-windows = reinstall HoSo Intake, then the scanner's TWAIN driver
doctor-scanner-stack-hint = install libsane1 and the scanner's SANE driver (sane-airscan for network scanners)
doctor-scanner-escl = { $scanner } (eSCL, checked when scanning); { $finder } sees { $count }
doctor-scanner-missing = configured scanner { $scanner } not found; { $finder } sees: { $seen }
doctor-scanner-missing-hint = check the USB cable and power, then `hoso devices`; or correct `scanner`
doctor-scanner-no-twain = no TWAIN scanner driver is installed
doctor-scanner-no-twain-hint = install the scanner maker's TWAIN driver, or set an eSCL network scanner as `scanner`, or a `watch_folder`
doctor-scanner-none = SANE sees no scanner
doctor-scanner-none-hint = connect the scanner, or use a watched folder (`watch_folder`)
doctor-none = none
doctor-expired = { $name }: expired on { $date }
doctor-expires-soon = { $name }: expires on { $date }, in { $days } days
doctor-valid-until = { $name }: valid until { $date }
doctor-pkcs11-none = no PKCS#11 module at { $module }
doctor-pkcs11-none-hint = counters that certify: install the token's driver (OpenSC or the CA's), set `pkcs11_module`
doctor-pkcs11-choose-hint = set `pkcs11_module` to one of: { $modules }
doctor-pkcs11-bits = { $module } is { $module_bits }, this program is { $program_bits }
doctor-pkcs11-bits-hint = install the driver's build of the same bitness (64-bit: System32, not SysWOW64)
doctor-pkcs11-failed-hint = is pcscd running and the module the vendor's? (`pkcs11-tool --module … -L`)
doctor-token-none-labelled = no token labelled «{ $label }» with certificates is plugged in
doctor-token-none = no token with certificates is plugged in
doctor-token-none-hint = plug in the supervisor's USB token (`hoso tokens`)
doctor-certificate-renew-hint = ask the CA to renew it: an expired certificate cannot sign
doctor-certificate-untrusted = { $found }; not trusted: { $why }
doctor-certificate-untrusted-hint = the certificate has no path to `trust_roots`: ask the CA for its chain, or correct `trust_roots`
doctor-certificate-revocation = { $found }; { $revocation }
doctor-certificate-revoked-hint = the certificate was revoked and cannot certify: ask the CA for a new one
doctor-certificate-unknown-hint = reach the CA's OCSP/CRL, or put the CA's CRL in the store's revocation folder
doctor-agency-missing = no certificate { $fingerprint }… on the tokens
doctor-agency-missing-hint = plug in the agency's token or correct `agency_certificate` (`hoso tokens`)
doctor-roots-none = no `trust_roots`: signatures are checked without a trusted root
doctor-roots-none-hint = IT: put the national root CA (PEM) in `trust_roots`
doctor-roots-empty = { $file }: no certificate
doctor-roots-ok = { $count } root(s) in { $file }; { $each }
doctor-tsa-none = no `tsa_url`: certified copies are signed without a time-stamp (PAdES B-B) and get no long-term validation data
doctor-tsa-none-hint = IT: set `tsa_url` to the CA's time-stamping service (RFC 3161)
doctor-tsa-failed-hint = check the network and `tsa_url`: certifying stops without a time-stamp
doctor-tsa-ok = { $url }: { $tsa } at { $time }, path { $path }
doctor-tsa-unproven = { $url }: { $tsa }: its time-stamps would not prove the signing time: { $why }
doctor-tsa-unproven-hint = IT: add the TSA's root to `trust_roots`
doctor-hub-none = no `hub_url`: records stay queued on this PC
doctor-hub-no-device = `hub_url` is set but `device_id` is not
doctor-hub-no-device-hint = set `device_id` to the id enrolled at the hub
doctor-hub-key-damaged = device.key is damaged
doctor-hub-no-key = this PC has no device key yet
doctor-hub-no-key-hint = run `hoso sync key` and give the key to IT for `hoso-hub enrol`
doctor-hub-unreachable-hint = check the network, the hub's address, and `hub_ca` for a private CA
doctor-hub-ok = { $url }: answers, device { $device } enrolled
doctor-hub-not-enrolled = { $url }: device { $device } is not enrolled
doctor-hub-not-enrolled-hint = give IT this PC's key (`hoso sync key`) for `hoso-hub enrol`
doctor-hub-bad-signature = { $url }: the hub refused the signature
doctor-hub-bad-signature-hint = check the clock, and that the enrolled key is this PC's (`hoso sync key`)
doctor-hub-answered = { $url }: answered { $status }
doctor-clock-none = the hub sent no time
doctor-clock-off = this PC is { $seconds } s off the hub's clock
doctor-clock-off-hint = set the time (NTP): the hub refuses requests more than 5 minutes off
doctor-clock-drift-hint = enable NTP time synchronisation
doctor-clock-ok = within { $seconds } s of the hub

## The command line's answers (hoso-cli)

cli-error = Error:
cli-caused-by = caused by:
cli-cannot-write = hoso: cannot write the result: { $why }
cli-record-created = Opened record { $code } ({ $procedure }, { $id })
cli-no-records = No records yet.
cli-pages = { $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
}
cli-record = Record { $code }
cli-label-procedure = procedure
cli-label-state = state
cli-label-received = received
cli-label-applicant = applicant
cli-required = required
cli-optional = optional
cli-needs-certification = needs certification
cli-import-already = { $file }: already in the record, skipped
cli-import-file = { $file } ({ $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
})
cli-imported = Imported { $pages } pages into record { $record }; { $refused } files refused
cli-processed = Processed { $processed } pages: { $read } read by OCR, { $blank } blank pages to check, { $rejected } rejected (below 200 dpi, rescan), { $failed } failed
cli-ready-for-review = Ready for review: { $code }
cli-page-heading = ── Page { $page } ──
cli-confidence = (confidence { $confidence }/100, { $engine })
cli-no-text = (no recognised text)
cli-texts-written = Wrote { $count } text files to { $folder }
cli-no-scanner = No scanner found.
cli-capabilities = sources: { $sources }; modes: { $modes }; dpi: { $resolutions }; max area { $width }×{ $height } mm
cli-page-stored = page { $page } stored
cli-scanned = Scanned { $pages } pages into record { $record } from ({ $device })
cli-watching = Watching folder { $folder }
cli-watch-done = Imported { $imported }, { $rejected } files rejected
cli-applicant-from = Applicant ({ $source }):
cli-label-name = name
cli-label-personal-id = personal ID
cli-label-address = address
cli-card-unread = The card could not be read.
cli-built = Built PDF/A for record { $record }:
cli-built-document = { $file }  { $pages } pages, { $kb } KB ({ $per_page } KB/page)  { $blob }
cli-empty-components = components without pages: { $components }
cli-exported = Exported record { $record }:
cli-certified = Certified record { $record }:
cli-certified-copy = component { $component }: certification no. { $number }, book { $book } ({ $kb } KB)
cli-ltv-added = long-term validation data added (PAdES B-LT)
cli-ltv-pending = long-term validation data not added yet (tried again when sealing):
cli-ok = ok
cli-failed = FAILED
cli-signature = Signature { $index }: { $verdict }
cli-label-signer = signer
cli-label-issuer = issuer
cli-label-signing-time = signing time
cli-label-time-stamp = time-stamp
cli-label-level = PAdES level
cli-label-byte-range = byte range
cli-byte-range-gap = the byte range leaves out bytes the signer did not sign: the file holds content outside what was signed
cli-label-digest = digest
cli-weak-digest = { $algorithm }: the algorithm is too weak and not accepted
cli-label-signature-value = signature value
cli-label-chain = certificate chain
cli-label-trust-path = trust path
cli-label-reason = reason
cli-label-revocation = revocation
cli-label-valid-when-signed = certificate valid when signed
cli-label-changed = changed after signing
cli-allowed-updates = content was added after this signature, only what is allowed (a later signature, validation data, metadata)
cli-book-void = void: { $reason }
cli-book-document = document { $document }
cli-book-signing = signing
cli-sealed = Sealed and queued { $code }: { $files } files, manifest { $digest }
cli-synced = Sync: { $synced } accepted, { $postponed } to retry, { $rejected } rejected ({ $blobs } files sent, { $kb } KB)
cli-disabled = (disabled)
cli-files-read = Files read: { $files }
cli-user-file = User's file: { $file }
cli-audit-intact = Audit log intact ({ $entries } entries, head { $head })
cli-audit-tampered = AUDIT LOG TAMPERED at entry { $seq }: { $reason }
cli-fail = FAIL
cli-foreign-keys = foreign keys: { $result }
cli-blobs-checked = blobs: { $checked } checked, { $bad } bad or missing
cli-store-healthy = Store is healthy.
cli-store-problems = Store has problems.
cli-demo-result = The result is in { $folder }
cli-label-database = database
cli-label-raw-pages = raw pages and thumbnails
cli-label-show-again = show again
cli-label-recognised-text = recognised text
cli-label-export = searchable PDF/A and XML
cli-ocr-heading = Text recognition (OCR):
cli-words = { $words ->
    [one] { $words } word
   *[other] { $words } words
}

## The desktop shell (src-tauri) and the command line's own refusals

upload-damaged = { $file } was damaged in transfer
applicant-bad-id = invalid personal ID: { $why }
scanner-not-chosen = no scanner configured
page-image-unreadable = the page image cannot be read
page-removed-at-review = removed at review
page-rescanned = rescanned
desktop-no-webview = Microsoft Edge WebView2 Runtime is missing: the app needs it to open its window. IT: install the WebView2 Runtime (Evergreen), then start the app again. ({ $why })
desktop-cannot-start = HoSo Intake cannot start: { $why }. Run `hoso doctor`.
desktop-cannot-run = HoSo Intake cannot run: { $why }
cli-password-env = put the password in the environment variable HOSO_PASSWORD
cli-pin-env = no PIN: put it in the environment variable { $variable }
cli-no-watch-folder = no folder: give --folder or set `watch_folder` in config.toml

## Scanners (hoso-scan)

scan-no-sane = SANE is not installed ({ $detail }); install libsane1 and sane-utils
scan-not-found = scanner { $scanner } not found
scan-no-local-driver = scanner { $scanner }: on Windows use a TWAIN (twain:<name>) or WIA (wia:<id>) scanner as `hoso devices` lists them, a network (eSCL) scanner or a watched folder
scan-busy = the scanner is busy (another program is using it)
scan-feeder-empty = the document feeder is empty: load paper and scan again
scan-jammed = paper jam: clear it; pages scanned so far are kept
scan-cover-open = the scanner cover is open
scan-cancelled = scanning cancelled
scan-unsupported = { $what }: not supported by this scanner
scan-access-denied = access to the scanner denied (check the user's scanner group)
scan-device = scanner error: { $detail }
scan-double-feed = two sheets were fed at once (double feed): put that sheet back
scan-driver-stopped = the scanner driver stopped answering: power-cycle the scanner and try again
scan-no-twain = no TWAIN source manager ({ $detail }): install the scanner's TWAIN driver
scan-driver-hung = the scanner driver stopped answering and was ended; pages scanned so far are kept. Power-cycle the scanner and scan the rest
scan-driver-crashed = the scanner driver crashed ({ $detail }); pages scanned so far are kept
scan-no-worker = the scanning helper hoso-scan-worker is missing ({ $detail }): reinstall HoSo Intake
scan-worker-direct = hoso-scan-worker: a helper of HoSo Intake, started by the app (--serve), not run directly

## OCR and PDF (hoso-ocr, hoso-pdf)

ocr-no-library = Tesseract library not found (tried { $tried }): install tesseract-ocr or set `ocr_library`
ocr-no-models = cannot start Tesseract with { $languages } (models in { $datapath }): install tesseract-ocr-vie, tesseract-ocr-eng, tesseract-ocr-osd
ocr-default-models = default
ocr-too-large = image too large for OCR: { $width }×{ $height }
ocr-failed = Tesseract failed to recognise the page
pdf-font = font: { $detail }; install fonts-liberation2
pdf-image = page { $page }: the image cannot be encoded: { $why }
pdf-empty = a document needs at least one page

## Sending to the hub (hoso-sync)

sync-transient = temporary: { $detail }
sync-rejected = rejected by the hub: { $detail }
sync-conflict = conflict: the hub holds another version: { $detail }
sync-not-enrolled = 403: this workstation is not enrolled at the hub
sync-signature-refused = 401: signature or clock refused: check the time

## What a certified copy says on its last page (Vietnamese by law: the


## English is for reviewers; the copy always carries the Vietnamese)

certificate-statement = Certified a true copy of the original.
certificate-number = Certification no.: { $number }   Book: { $book }
certificate-date = Day { $day }, month { $month }, year { $year }
certificate-reason = Certified a true copy of the original

## Files and the store: what went wrong on the disk

file-cannot-write = cannot write { $file }
file-cannot-create = cannot create the folder { $folder }
file-cannot-replace = cannot replace { $file }
file-cannot-open = cannot open { $file }
process-cannot-lock = cannot lock the store for processing
sync-device-key-damaged = device.key is damaged
catalogue-unreadable = cannot read the procedure catalogue { $file }
catalogue-invalid = the procedure catalogue { $file } is invalid
catalogue-builtin-invalid = the built-in procedure catalogue is invalid
catalogue-empty = the procedure catalogue lists no procedure
catalogue-duplicate = procedure code «{ $code }» appears twice in the catalogue
catalogue-no-components = procedure «{ $code }» needs at least one component, each with its own code
hash-invalid = not a SHA-256 hash (expected 64 hexadecimal digits): «{ $text }»
settings-bad-number = { $key }: «{ $value }» is not a number
store-open = cannot open the database { $file }: { $why }; check the folder exists and is writable
store-sql = database error: { $why }
store-io = cannot access { $file }: { $why }
store-too-new = the database has { $found } migrations but this program knows { $known }; install the newer version
store-lease-lost = job { $job } is no longer leased by this worker
store-corrupt = stored data is invalid: { $why }
record-state-unknown = no record state «{ $state }»

## The desktop's task bar while pages are read

task-progress-of = { $done }/{ $total } pages
task-progress-rate = { $done }/{ $total } pages · { $rate } pages/min · about { $left } left

## Scanning stack after stack (a batch that waits for paper)

scan-waiting = Kept { $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
}. Load the next stack and press Scan next; press Finish when there is no more paper
scan-waiting-sensor = Kept { $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
}. Load the next stack and it is scanned by itself; press Finish when there is no more paper
scan-waiting-fault = { $why }. { $pages ->
    [one] { $pages } page is
   *[other] { $pages } pages are
} kept: clear the paper, put back the sheets not yet scanned and press Scan next, or press Finish
scan-stack = Scanning stack { $stack }
scan-stacks-done = Scanned { $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
} in { $stacks } stacks
ui-scan-next = Scan next
ui-scan-finish = Finish
ui-wait-stacks = Wait for the next stack
cli-wait-keys = Enter: scan the next stack · x or Ctrl-D: finish
task-not-waiting = This scan is not waiting for paper (it has ended, or there is no such scan)

## Pages left out of the PDF/A (kept in the record)

ui-left-out-blank = Blank · left out of the PDF/A
ui-left-out-separator = Separator sheet · left out of the PDF/A
ui-left-out-clerk = Left out of the PDF/A
ui-leave-out = Leave this page out of the PDF/A (it stays in the record)
ui-put-back = Put this page back into the PDF/A
cli-page-left-out = Page { $page } is left out of the PDF/A (it stays in the record); build again to apply
cli-page-put-back = Page { $page } is back in the PDF/A; build again to apply

## Separator sheets (a QR sheet in front of each component's pages)

scan-separator = Separator sheet { $code }: the pages after it go to component { $component }
scan-separator-unknown = Separator sheet { $code }: this record has no such component; the pages after it still go to component { $component }
ui-separator-sheets = Print separator sheets
ui-separator-title = SEPARATOR SHEET
ui-separator-hint = Put this sheet in front of the component's pages and scan the whole stack; the sheet stays in the record but out of the PDF/A

## Scan profiles

profile-no-name = A scan profile needs a name
profile-bad-resolution = Scan profile "{ $profile }": a resolution of { $dpi } dpi cannot be used (100 to 1200)
profile-bad-threshold = Scan profile "{ $profile }": the blank-page threshold must be between 0 and 100 (%)
profile-manual-duplex-feeder = Scan profile "{ $profile }": manual duplex works with a one-sided feeder only (source = "feeder")
profile-manual-duplex-split = Scan profile "{ $profile }": a manual duplex batch is not split by page count
profile-bad-split = Scan profile "{ $profile }": pages per component must be 1 or more
profile-duplicate = Two scan profiles are named "{ $profile }"
profile-unknown = This counter has no scan profile "{ $profile }"
profile-locked = This counter scans with the profiles its administrator set: choose a scan profile
settings-bad-profiles = { $key }: the list of scan profiles cannot be read (written as [{"{"} name = "…", … {"}"}])
scan-duplex-needs-wait = A manual duplex batch needs to wait for the second stack (the backs)
scan-waiting-turn-over = Scanned { $pages ->
    [one] { $pages } front
   *[other] { $pages } fronts
}. Turn the whole stack over, put it back in the feeder and press Scan next for the backs
scan-duplex-interleaved = The fronts and backs of { $sheets ->
    [one] { $sheets } sheet
   *[other] { $sheets } sheets
} are in page order
scan-duplex-unpaired = The fronts ({ $fronts }) and backs ({ $backs }) differ in number: the pages are kept in the order scanned; look for a sheet fed twice or missed
scan-split = { $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
} done: the pages after them go to component { $component }
ui-scan-profile = Scan profile
ui-scan-profile-keys = Press 1–9 to pick a scan profile
ui-scan-profile-own = Own settings (administrator)
ui-manual-duplex = Manual duplex
scan-slip = Receipt slip of record { $code }: the pages after it go to that record
scan-slip-unknown = Receipt slip of record { $code }: no such record takes pages; the pages after it still go to record { $current }
cli-build-failed = The PDF/A of record { $code } was not built (build it after review): { $why }
sync-hub-not-https = Records go to a hub over https:// only (http:// only to a hub on this machine): { $url }
sync-no-hub-key = The hub's key (hub_key) is not set: its receipts could not be checked, so no record is sent
doctor-hub-https-hint = Set hub_url to the sync hub's https:// address (with hub_ca for a private CA)
doctor-hub-key-set = The hub's receipt key is set: every receipt is checked
doctor-hub-key-hint = Run "hoso-hub key" on the hub and put what it prints in hub_key
cli-audit-anchor-lost = The log no longer holds the head the receipt of record { $record } (accepted by the hub at { $accepted }) anchors ({ $head }…): the entries after entry { $after } were rewritten or cut off
cli-audit-anchored = { $anchors ->
    [one] { $anchors } hub receipt anchors
   *[other] { $anchors } hub receipts anchor
} the log; it is proven intact up to entry { $seq }
cli-audit-no-anchor = No hub receipt anchors the log yet (no record was synced)
cli-audit-unverified = { $receipts ->
    [one] { $receipts } receipt
   *[other] { $receipts } receipts
} could not be checked (no hub_key, or a signature that does not hold): not used as anchors
cli-audit-hub-last = The hub signed this counter's last head with record { $record }; that head was checked like the other anchors

## The city's procedure list (hoso procedures import)

catalogue-import-unreadable = cannot read the catalogue file { $file }
catalogue-import-no-sheet = { $file } has no worksheet
catalogue-import-not-utf8 = { $file } is not UTF-8 text: save it again as "CSV UTF-8"
catalogue-import-no-headings = { $file } has no heading row naming the procedure code, the procedure name and the component
catalogue-import-no-code = no procedure code
catalogue-import-no-name = procedure «{ $code }» has no name
catalogue-import-other-name = procedure «{ $code }» is named differently from its first row
catalogue-import-bad-flag = the "required" or "certified" cell is not yes/no
catalogue-import-component-twice = component «{ $code }» is in this procedure already
catalogue-import-no-components = procedure «{ $code }» has no component: left out
catalogue-import-nothing = { $file } holds no procedure that could be read
catalogue-import-header = procedure catalogue imported from { $file } at { $at } (hoso procedures import)
cli-catalogue-row = row { $row }: { $why }
cli-catalogue-imported = Imported { $procedures } procedures ({ $components } components) from { $rows } rows into { $file }; { $skipped } rows left out. It is this counter's catalogue from now on.
ui-procedure-search = Find the procedure: code, name or field (with or without diacritics)
ui-procedure-none = No procedure found
ui-procedure-more = More procedures match: type more to narrow it down
chip-no-service = the smart card service (PC/SC) is not running: on Windows start the Smart Card service, on Linux start pcscd
chip-no-reader = no card reader is connected to this PC
chip-reader-not-found = reader «{ $reader }» was not found; the readers connected are: { $readers }
chip-no-card = no card on the reader: put the identity card on the reader and read again
chip-removed = the card was taken off the reader during the read: put it back and read again
chip-not-emrtd = this card holds no ICAO 9303 identity chip (is it a chip identity card?)
chip-access-refused = the chip refused the MRZ key: check the document number, birth date and expiry date printed on the card
chip-bad-key = the MRZ key's { $field } is malformed: the document number is up to 9 digits, dates are YYMMDD
chip-integrity = the chip's answer failed its integrity check (wrong authentication code): read again; if it happens again the card may have been tampered with
chip-status = the chip answered step { $step } with an error (status { $sw })
chip-malformed = the chip's { $file } file cannot be read
chip-random = the system gave no random numbers to open the chip with
chip-reader-error = card reader error: { $detail }
chip-pa-no-sod = the chip has no signature file (EF.SOD): its data cannot be authenticated
chip-pa-sod-unreadable = the chip's signature file (EF.SOD) cannot be read
chip-pa-algorithm = the chip is signed with an algorithm HoSo does not accept
chip-pa-changed = the chip's { $groups } does not match what was signed: the data was changed
chip-pa-unlisted = the chip's { $groups } is not in the signed list
chip-pa-no-signer = the chip's signature file carries no signer certificate
chip-pa-bad-signature = the signature on the chip's data does not verify
chip-pa-untrusted = the chip's signer does not belong to a configured card-issuing authority (CSCA): { $why }
identity-source-typed = typed
identity-source-qr = the card's QR code
identity-source-mrz = the card's MRZ
identity-source-chip = the card's chip
chip-refused = the card's chip data is refused: { $why }
chip-csca-unreadable = the configured CSCA certificate file (csca) cannot be read
identity-problem-not-authentic = the chip's data could not be authenticated (passive authentication failed)
identity-problem-expired = the card expired on { $expiry }
identity-problem-mismatch = the chip and the printed card or form disagree on { $field }: the chip says «{ $chip }», the other «{ $other }»
chip-key-shape = write the MRZ key as DOCUMENT,YYMMDD,YYMMDD (document number, birth date, expiry date)
chip-key-needed = the chip needs the MRZ key: give --key, or a card scan whose MRZ can be read
cli-chip-verified = Chip read on { $reader }: identity VERIFIED by chip
cli-chip-not-verified = Chip read on { $reader }: identity NOT verified
chip-pa-passed = passed (data intact, signer under a configured CSCA)
cli-label-passive-auth = passive authentication
cli-label-birth = date of birth
cli-label-sex = sex
cli-label-nationality = nationality
cli-label-ethnicity = ethnicity
cli-label-religion = religion
cli-label-origin = place of origin
cli-label-residence = place of residence
cli-label-marks = identifying marks
cli-label-issued = issue date
cli-label-expiry = expiry date
cli-label-father = father's name
cli-label-mother = mother's name
cli-label-spouse = spouse's name
cli-label-old-id = old ID number
cli-label-portrait = portrait
chip-read-again = a record marked "from the chip" needs this person's chip read: read the chip again
ui-read-chip = Read the chip
ui-chip-document = Document number (last 9 digits)
ui-chip-birth = Birth date (YYMMDD)
ui-chip-expiry = Expiry date (YYMMDD)
ui-identity = Identity
ui-identity-verified = VERIFIED by chip
ui-identity-not-verified = NOT verified
identity-problem-field = the chip and the printed card or form disagree on { $field }
reuse-no-personal-id = the applicant of record { $record } has no personal ID yet: nothing already digitised can be looked up
reuse-none = Nothing has been digitised for this person yet.
reuse-found = { $count } documents already digitised for this person (the hub logged this lookup):
component-unknown = the record has no component { $component }
reuse-not-offered = the hub lists no document { $sha256 } for this record's applicant: look it up again
reuse-attached = Attached the document of record { $original } ({ $unit }) to component { $component } by reference: nothing scanned again.
ui-reuse = Already digitised
ui-reuse-title = Documents already digitised for ID { $id }
ui-reuse-attach = Attach to
ui-reused-from = Reused from record { $code } ({ $unit }, sealed { $sealed })
ui-reuse-do = Reuse
cli-label-chip-access = Chip opened by
ui-reuse-unverified = The identity was not verified by the chip: this lookup is logged as one by a typed ID. Check the documents against the applicant.
doctor-csca-none = no `csca`: a card's chip can be read but is never verified
doctor-csca-none-hint = IT: put the card issuer's CSCA certificates (PEM, DER or .p7b) in `csca`
