//! A watched folder.
