//! The text of config.toml through validation (without reading passwords).
//! The harness lives in `triaje::fuzzing`, shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = triaje::fuzzing::fuzz_config_toml(data);
});
