//! The text of one rule file through the rules loader and checker; classification when it loads.
//! The harness lives in `triaje::fuzzing`, shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = triaje::fuzzing::fuzz_rules_toml(data);
});
