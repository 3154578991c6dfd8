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
