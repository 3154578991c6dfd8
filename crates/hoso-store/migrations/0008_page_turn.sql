-- A page's orientation set by a person at the counter (degrees clockwise from
-- the scan), overriding orientation detection. NULL: detected.
ALTER TABLE pages ADD COLUMN turn INTEGER CHECK (turn IN (0, 90, 180, 270));
