-- Initial schema. Never edit a released migration: add a new file instead.

-- Daily sequence of record codes, per receiving unit and date of receipt.
CREATE TABLE record_counter (
    unit TEXT NOT NULL,
    day  TEXT NOT NULL,              -- YYYY-MM-DD, Vietnam time
    last INTEGER NOT NULL CHECK (last BETWEEN 1 AND 9999),
    PRIMARY KEY (unit, day)
) STRICT;

CREATE TABLE records (
    id           TEXT PRIMARY KEY,   -- UUID
    code         TEXT NOT NULL UNIQUE,
    procedure    TEXT NOT NULL,
    channel      TEXT NOT NULL,
    applicant    TEXT NOT NULL,      -- JSON of hoso_model::Applicant
    state        TEXT NOT NULL,
    state_reason TEXT,
    received_at  TEXT NOT NULL,      -- RFC 3339, +07:00
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX records_state ON records (state);

CREATE TABLE components (
    record_id           TEXT NOT NULL REFERENCES records (id),
    ordinal             INTEGER NOT NULL CHECK (ordinal >= 1),
    code                TEXT NOT NULL,
    name                TEXT NOT NULL,
    required            INTEGER NOT NULL,
    needs_certification INTEGER NOT NULL,
    PRIMARY KEY (record_id, ordinal)
) STRICT;

-- A row exists only after its file is written, fsynced and renamed into place.
CREATE TABLE blobs (
    hash       TEXT PRIMARY KEY,     -- SHA-256, lowercase hex
    size       INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE pages (
    id         INTEGER PRIMARY KEY,
    record_id  TEXT NOT NULL,
    component  INTEGER NOT NULL,
    ordinal    INTEGER NOT NULL,
    source     TEXT NOT NULL REFERENCES blobs (hash),
    frame      INTEGER NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    dpi        REAL,
    state      TEXT NOT NULL,
    note       TEXT,
    metrics    TEXT,                 -- JSON of the processing results
    thumbnail  TEXT REFERENCES blobs (hash),
    created_at TEXT NOT NULL,
    FOREIGN KEY (record_id, component) REFERENCES components (record_id, ordinal),
    UNIQUE (record_id, component, ordinal),
    UNIQUE (record_id, source, frame)
) STRICT;

-- Durable work: survives crashes; a lease that runs out makes the job ready again.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    subject      TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('ready', 'leased', 'done', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_after    INTEGER NOT NULL,   -- unix milliseconds
    lease_owner  TEXT,
    lease_until  INTEGER,            -- unix milliseconds
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (kind, subject)
) STRICT;
CREATE INDEX jobs_due ON jobs (state, run_after);

-- Append-only, hash-chained: hash = SHA-256 over the entry and the previous hash.
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL,         -- JSON, hashed exactly as stored
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
