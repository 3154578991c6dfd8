-- A component attached by reference to a document already digitised at a
-- counter of the city (DuocTaiSuDung): the original record, unit and file, by
-- hash, as the hub answered the lookup. No bytes are kept here: the hub has them.
CREATE TABLE reused (
    record_id TEXT NOT NULL REFERENCES records (id),
    component INTEGER NOT NULL,
    original_record TEXT NOT NULL,
    original_code TEXT NOT NULL,
    unit TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('pdfa', 'certified')),
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    sealed_at TEXT NOT NULL,
    attached_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    PRIMARY KEY (record_id, component, sha256)
) STRICT;
