-- The certification book (sổ chứng thực): one number per certified document,
-- restarting at 1 each year. A number is reserved before signing (the statement
-- printed on the copy carries it) and linked to the signed document after; a
-- signature that failed leaves the number marked void, never reused or removed.
CREATE TABLE certification_book (
    id          INTEGER PRIMARY KEY,
    year        INTEGER NOT NULL,
    number      INTEGER NOT NULL,
    book        TEXT NOT NULL,           -- e.g. 01/2026-SCT/BS
    record_id   TEXT NOT NULL,
    component   INTEGER NOT NULL,
    pages       INTEGER NOT NULL,
    certifier   TEXT NOT NULL,
    document_id INTEGER REFERENCES documents (id),
    void_reason TEXT,
    created_at  TEXT NOT NULL,
    UNIQUE (year, number)
) STRICT;
