-- Sealing and sync: the manifest fixed at sealing (every file's SHA-256), and
-- the hub's signed receipt once the record is accepted. Neither is updated.
CREATE TABLE seals (
    record_id       TEXT PRIMARY KEY,
    manifest        TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    sealed_at       TEXT NOT NULL
) STRICT;

CREATE TABLE receipts (
    record_id   TEXT PRIMARY KEY REFERENCES seals (record_id),
    receipt     TEXT NOT NULL,
    received_at TEXT NOT NULL
) STRICT;
