//! A delivered message, as raw bytes, through everything triage does with it but IMAP and the store.
//! The harness lives in `triaje::fuzzing`, shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        // libfuzzer-sys aborts on every panic, even one that `mail::parse` catches on purpose (a panic inside
        // mail-parser makes the message unreadable, as in the daemon). With the default hook back, a caught panic
        // is only printed; one that escapes the harness still aborts (libfuzzer-sys catches it) and is a crash.
        let _ = std::panic::take_hook();
    },
    |data: &[u8]| {
        let _ = triaje::fuzzing::fuzz_parse_classify(data);
    }
);
