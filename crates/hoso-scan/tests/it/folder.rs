//! Watched folder.
