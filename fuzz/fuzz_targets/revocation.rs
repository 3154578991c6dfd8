//! Fuzz target: [`targets::revocation`] on each input libFuzzer makes.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::revocation(data);
});
