//! Drivers against real counterparts: SANE's own `test` backend (a real SANE
//! driver without hardware, from Debian's libsane1) with a private
//! SANE_CONFIG_DIR, each also through the worker process; TWAIN under Wine
//! with a data source made for the tests; and a watched folder on the real
//! file system.

mod escl;
mod folder;
// SANE is the Linux (and macOS) scanner interface; Windows drives TWAIN and WIA.
#[cfg(not(windows))]
mod sane;
// TWAIN is Windows-only: under Wine, with a test data source.
#[cfg(windows)]
mod twain;
