//! A delivered message, as raw bytes, through everything triage does with it but IMAP and the store.
//! The harness lives in `triaje::fuzzing`, shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = triaje::fuzzing::fuzz_parse_classify(data);
});
