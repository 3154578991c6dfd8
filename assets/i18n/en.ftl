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
