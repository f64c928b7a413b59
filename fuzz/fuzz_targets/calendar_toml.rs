//! The text of a calendar file through its loader; deadline arithmetic when it loads.
//! The harness lives in `triaje::fuzzing`, shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = triaje::fuzzing::fuzz_calendar_toml(data);
});
