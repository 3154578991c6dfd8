-- Recognised text of a page, written with the page's processing result.
-- `layout` is the OCR result as JSON: the upright transform (quarter turn, skew)
-- and every word with its box in the upright page's pixels and its confidence.
CREATE TABLE page_text (
    page_id    INTEGER PRIMARY KEY REFERENCES pages (id),
    engine     TEXT NOT NULL,        -- e.g. "tesseract 5.3.0 vie"
    text       TEXT NOT NULL,
    mean_conf  REAL NOT NULL,
    layout     TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
