//! Triage's CPU on one core, without a mail server: decides every file of the directories given (as the daemon
//! decides a fetched message: parse, machine mail, rules, learned opinion, dates, fingerprints) and prints the
//! time and a fingerprint of every decision, so a speed-up can be checked to decide exactly as before.
//!
//! `cargo run --release --example decide_dir -- DIR [DIR…] [--passes N] [--dump]` (`--dump`: every decision of
//! the first pass, one a line, to compare two builds whose fingerprints differ)
//!
//! The messages `scripts/bench` files can be written out for it with `python3 -c "import sys;
//! sys.path.insert(0, 'scripts'); import bench; [open(f'/tmp/m/{i:05}.eml', 'wb').write(m) for i, m in
//! enumerate(bench.build(5000))]"`. The fingerprint covers everything a decision holds (the record, the
//! explanation recorded in the register, the fresh text, the machine-mail reason, both fingerprints).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Utc};
use triaje::calendar::{BusinessCalendar, DeadlinePolicy, Reception};
use triaje::config::Folders;
use triaje::rules::RuleSet;
use triaje::vocabulary::Availability;
use triaje::workflow::{decide, TriageContext, TriageInput};

fn main() {
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut passes = 3usize;
    let mut dump = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--dump" {
            dump = true;
        } else if a == "--passes" {
            passes = args.next().and_then(|n| n.parse().ok()).unwrap_or(3);
        } else {
            dirs.push(PathBuf::from(a));
        }
    }
    let mut messages: Vec<Vec<u8>> = Vec::new();
    for dir in &dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_none_or(|x| x != "toml"))
            .collect();
        files.sort();
        messages.extend(files.iter().map(|f| std::fs::read(f).expect("readable")));
    }
    let bytes: usize = messages.iter().map(Vec::len).sum();
    let folders = Folders::default();
    let rules_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let rules = RuleSet::load_dir(&rules_dir, &folders.targets).unwrap_or_else(|e| panic!("{e}"));
    let calendar = BusinessCalendar::peru_default();
    let reception = Reception::default();
    let deadline = DeadlinePolicy::Availability {
        high: 3,
        medium: 6,
        low: 10,
    };
    let own = vec!["consultas@osce.test".to_string()];
    let ctx = TriageContext {
        rules: &rules,
        calendar: &calendar,
        reception: &reception,
        deadline: &deadline,
        unclassified_folder: &folders.unclassified,
        errors_folder: &folders.errors,
        default_category: "Sin clasificar",
        default_availability: Availability::Medium,
        max_message_bytes: 25 * 1024 * 1024,
        own_addresses: &own,
        automatic_folder: &folders.automatic,
        ticket_prefix: "CONS",
        // No `[kinds.*]`: every kind stays in its area's folder, as before kinds existed (measures comparable).
        kinds: &[],
    };
    let now: DateTime<Utc> = DateTime::from_timestamp(1_795_000_000, 0).expect("a date");
    println!("{} mensajes, {:.1} MB", messages.len(), bytes as f64 / 1e6);
    let mut times = Vec::new();
    for pass in 0..passes {
        let started = Instant::now();
        let mut fingerprint = DefaultHasher::new();
        for raw in &messages {
            let d = decide(
                &ctx,
                &TriageInput {
                    raw,
                    fingerprint_len: None,
                    size: raw.len() as u64,
                    internal_date: Some(now),
                    now,
                },
            );
            if pass == 0 {
                let shown = format!("{d:?}");
                if dump {
                    // One decision a line, to diff two builds where their fingerprints differ.
                    println!("{shown}");
                }
                shown.hash(&mut fingerprint);
            }
            std::hint::black_box(&d);
        }
        let elapsed = started.elapsed().as_secs_f64();
        if pass == 0 {
            println!("huella de las decisiones: {:016x}", fingerprint.finish());
        } else {
            times.push(elapsed);
        }
        println!("pasada {}: {:.3} s", pass + 1, elapsed);
    }
    times.sort_by(f64::total_cmp);
    if let Some(t) = times.get(times.len() / 2) {
        println!(
            "mediana (sin la primera): {t:.3} s, {:.0} mensajes por segundo en un hilo",
            messages.len() as f64 / t
        );
    }
}
