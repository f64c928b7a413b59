//! What the fuzzer found, kept found: every input that once crashed a fuzz target
//! (`tests/fuzz_regressions/<target>/`) and the fuzzer's seed corpus (`fuzz/corpus/<target>/seed-*`) run through
//! the same harness functions as `cargo fuzz` (`triaje::fuzzing`), here in plain `cargo test`, so the harnesses
//! keep compiling and a fixed crash cannot come back. See `scripts/fuzz` and RELIABILITY.md, "Fuzzing".

use std::path::{Path, PathBuf};

use triaje::config::Folders;
use triaje::fuzzing::{fuzz_calendar_toml, fuzz_config_toml, fuzz_parse_classify, fuzz_rules_toml};

/// Files of one target: the crash regressions, then the seeds. A folder that does not exist has none.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for (dir, seeds_only) in [
        (root.join("tests/fuzz_regressions").join(target), false),
        (root.join("fuzz/corpus").join(target), true),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .filter(|p| {
                !seeds_only
                    || p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("seed-"))
            })
            .collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).unwrap();
            out.push((path, bytes));
        }
    }
    out
}

/// Files of one target that are crash regressions (not seeds).
fn regressions(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    inputs(target)
        .into_iter()
        .filter(|(p, _)| p.components().any(|c| c.as_os_str() == "fuzz_regressions"))
        .collect()
}

#[test]
fn every_fuzzed_message_is_filed_or_goes_to_errors_with_a_reason() {
    let folders = Folders::default();
    let inputs = inputs("parse_classify");
    assert!(inputs.len() >= 10, "the seed corpus is missing");
    for (path, bytes) in inputs {
        let d = fuzz_parse_classify(&bytes);
        let known = folders.targets.contains(&d.folder)
            || d.folder == folders.unclassified
            || d.folder == folders.errors
            || d.folder == folders.automatic;
        assert!(
            known,
            "{}: filed to unknown folder {}",
            path.display(),
            d.folder
        );
        if d.folder == folders.automatic {
            let machine = d.machine.as_ref().expect("machine mail carries its reason");
            assert!(
                machine.reason.starts_with("correo automático"),
                "{}: machine mail without its reason: {:?}",
                path.display(),
                machine.reason
            );
        }
        if d.folder == folders.errors {
            let reason = d.record.error_reason.unwrap_or_default();
            assert!(
                reason.starts_with("no se pudo leer el mensaje"),
                "{}: errors folder without its reason: {reason:?}",
                path.display()
            );
        }
    }
}

#[test]
fn a_message_that_is_not_mail_goes_to_errors_with_its_reason() {
    let d = fuzz_parse_classify(b"\x00\x01 this is not a header\n\nbody");
    assert_eq!(d.folder, Folders::default().errors);
    assert!(d.error_reason.is_some());
    assert!(d.deadline_at >= d.effective_received_at);
}

#[test]
fn the_shipped_rules_load_through_the_fuzz_harness() {
    for (path, bytes) in inputs("rules_toml") {
        if regressions("rules_toml").iter().any(|(p, _)| *p == path) {
            continue;
        }
        let loaded = fuzz_rules_toml(&bytes).expect("seeds are UTF-8");
        assert!(
            loaded.is_ok(),
            "{}: {}",
            path.display(),
            loaded.unwrap_err()
        );
    }
}

#[test]
fn every_fuzzed_rule_file_loads_or_says_file_line_and_column() {
    for (path, bytes) in regressions("rules_toml") {
        match fuzz_rules_toml(&bytes) {
            None | Some(Ok(_)) => {}
            Some(Err(errors)) => {
                for e in &errors.0 {
                    assert!(
                        e.to_string().starts_with("fuzz.toml"),
                        "{}: {e}",
                        path.display()
                    );
                }
            }
        }
    }
}

#[test]
fn a_rule_file_with_a_wrong_type_says_where() {
    let errors = fuzz_rules_toml(b"[[rule]]\nname = 1\n")
        .unwrap()
        .unwrap_err();
    assert_eq!(errors.0[0].location(), "fuzz.toml:2:8", "{errors}");
    assert!(fuzz_rules_toml(b"\xff\xfe").is_none());
}

#[test]
fn the_seed_calendars_load_and_their_deadlines_add_up() {
    for (path, bytes) in inputs("calendar_toml") {
        let loaded = fuzz_calendar_toml(&bytes).expect("UTF-8");
        let is_regression = regressions("calendar_toml").iter().any(|(p, _)| *p == path);
        match loaded {
            Ok(_) => {}
            // A crash regression may be a file the loader must refuse: it must say where.
            Err(e) if is_regression => {
                assert!(
                    e.to_string().starts_with("fuzz.toml:"),
                    "{}: {e}",
                    path.display()
                )
            }
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }
}

#[test]
fn a_calendar_with_a_date_that_does_not_exist_says_where() {
    let text = b"[[decreed]]\ndate = \"2026-02-30\"\nname = \"x\"\nsource = \"y\"\n";
    let e = fuzz_calendar_toml(text).unwrap().unwrap_err();
    assert!(e.to_string().starts_with("fuzz.toml:2:8: "), "{e}");
}

#[test]
fn the_example_config_validates_through_the_fuzz_harness() {
    for (path, bytes) in inputs("config_toml") {
        match fuzz_config_toml(&bytes) {
            None => {}
            Some(Ok(_)) => {}
            Some(Err(e)) => {
                let is_regression = regressions("config_toml").iter().any(|(p, _)| *p == path);
                assert!(is_regression, "{}: {e}", path.display());
                assert!(
                    e.to_string().contains("config.toml"),
                    "{}: {e}",
                    path.display()
                );
            }
        }
    }
}
