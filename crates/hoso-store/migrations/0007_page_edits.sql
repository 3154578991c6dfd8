-- Page edits at the counter (remove, reorder) after a PDF/A was built: the
-- component remembers the highest document id that existed when its pages
-- last changed; its documents up to that id no longer show its pages and must
-- be built (and certified) again before sealing.
ALTER TABLE components ADD COLUMN stale_through INTEGER NOT NULL DEFAULT 0;
