//! Drivers against real counterparts: SANE's own `test` backend (a real SANE
//! driver without hardware, from Debian's libsane1) with a private
//! SANE_CONFIG_DIR, and a watched folder on the real file system.

mod escl;
mod folder;
// SANE is the Linux (and macOS) scanner interface; Windows drives TWAIN and WIA.
#[cfg(not(windows))]
mod sane;
