-- A page kept in the record but left out of its component's PDF/A, and why:
-- 'blank' (the gate found it blank: the back of a one-sided sheet),
-- 'separator' (a separator sheet between components), 'clerk' (a person
-- left it out). 'kept': a person put a flagged page back in, which processing
-- never overrides. NULL: in the PDF/A, nothing flagged it.
ALTER TABLE pages ADD COLUMN left_out TEXT
    CHECK (left_out IN ('blank', 'separator', 'clerk', 'kept'));
