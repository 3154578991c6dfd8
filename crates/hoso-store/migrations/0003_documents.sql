-- Built documents: one PDF/A per component of a record, later its certified
-- versions. Rows are never updated; a rebuild adds a row and the newest counts.
CREATE TABLE documents (
    id         INTEGER PRIMARY KEY,
    record_id  TEXT NOT NULL,
    component  INTEGER NOT NULL,
    blob       TEXT NOT NULL REFERENCES blobs (hash),
    pages      INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('pdfa', 'certified')),
    created_at TEXT NOT NULL,
    FOREIGN KEY (record_id, component) REFERENCES components (record_id, ordinal)
) STRICT;

CREATE INDEX documents_by_component ON documents (record_id, component, id);
