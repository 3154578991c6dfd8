//! Fuzz target: [`targets::signed_pdf`] on each input libFuzzer makes.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::signed_pdf(data);
});
