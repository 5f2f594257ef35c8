//! Arbitrary bytes through the JSON loader: an error or documents, never a panic,
//! a hang or unbounded memory; loaded documents satisfy `check_documents`.
#![no_main]

use gitops_diff_core::{load_bytes, Format, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(docs) = load_bytes(data, "fuzz.json", Format::Json, &Limits::default()) {
        gitops_diff_fuzz::check_documents(&docs);
    }
});
