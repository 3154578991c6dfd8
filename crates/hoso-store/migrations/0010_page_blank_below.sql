-- The share of a page's area (0-1) with ink under which processing takes it
-- for a blank back, as the scan profile it was scanned with set it. NULL: the
-- built-in threshold.
ALTER TABLE pages ADD COLUMN blank_below REAL
    CHECK (blank_below IS NULL OR (blank_below >= 0 AND blank_below <= 1));
