//! Workspace-wide tests: repository hygiene (`tests/tidy.rs`) now; the end-to-end
//! chain scanner → PDF/A → signature → sync joins as those parts land.
