//! How well machine mail is told from a person's mail, without servers: the decision triage makes (machine mail
//! goes to «Automáticos»), measured on three sets.
//!
//! - the tuning set: the machine-mail cases of `tests/hostile/` (the detector was tuned on them) and every
//!   other hostile case (people);
//! - the held-out set: `tests/hostile/heldout/` (written before further tuning and never read while tuning; the
//!   file name says the truth: `*_machine_*` or `*_person_*`);
//! - the routing corpus `tests/corpus/` (150 messages): the six its `labels.toml` notes call an auto-reply, a
//!   newsletter, spam or publicity sent in bulk, or a DSN are machine mail; the other 144 are people.
//!
//! `cargo test --test machine_detection -- --nocapture` prints the figures RELIABILITY.md quotes. A citizen
//! filed as machine mail loses the acknowledgement and the deadline, so false positives must be zero on every
//! set; a missed machine costs an acknowledgement to a machine and a consultation that is not one.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use triaje::calendar::{BusinessCalendar, DeadlinePolicy, Reception};
use triaje::config::Folders;
use triaje::rules::RuleSet;
use triaje::vocabulary::Availability;
use triaje::workflow::{decide, TriageContext, TriageInput};

/// The messages of `tests/corpus/` that a machine sent, by the notes of `tests/corpus/labels.toml` («Respuesta
/// automática fuera de oficina (Auto-Submitted)», «Boletín … (newsletter)», «Spam: …», «Publicidad de diplomado»,
/// «Rebote (DSN) de una respuesta enviada por la oficina»).
const CORPUS_MACHINE: &[&str] = &[
    "0045.eml", "0055.eml", "0064.eml", "0079.eml", "0080.eml", "0144.eml",
];

/// The cases of `tests/hostile/` that a machine sent (the others are people's mail, however broken).
const TUNING_MACHINE: &[&str] = &[
    "_ooo_microsoft.eml",
    "_dsn_multipart_report.eml",
    "_machine_",
];

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("eml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// (machine mail filed apart?, why) for one message, as the daemon decides it for `consultas@`.
struct Judge {
    rules: RuleSet,
    calendar: BusinessCalendar,
    folders: Folders,
    own: Vec<String>,
}

impl Judge {
    fn new() -> Judge {
        let folders = Folders::default();
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules");
        Judge {
            rules: RuleSet::load_dir(&dir, &folders.targets).unwrap(),
            calendar: BusinessCalendar::peru_default(),
            own: vec!["consultas@osce.test".into(), "consultas@osce.gob.pe".into()],
            folders,
        }
    }

    fn is_machine(&self, raw: &[u8]) -> (bool, String) {
        let reception = Reception::default();
        let deadline = DeadlinePolicy::Availability {
            high: 3,
            medium: 6,
            low: 10,
        };
        let ctx = TriageContext {
            rules: &self.rules,
            calendar: &self.calendar,
            reception: &reception,
            deadline: &deadline,
            unclassified_folder: &self.folders.unclassified,
            errors_folder: &self.folders.errors,
            default_category: "Sin clasificar",
            default_availability: Availability::Medium,
            max_message_bytes: 25 * 1024 * 1024,
            own_addresses: &self.own,
            automatic_folder: &self.folders.automatic,
            ticket_prefix: "CONS",
            kinds: &[],
        };
        let now: DateTime<Utc> = DateTime::from_timestamp(1_795_000_000, 0).unwrap();
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
        let why = d
            .machine
            .as_ref()
            .map(|m| m.reason.clone())
            .unwrap_or_default();
        (d.folder == self.folders.automatic, why)
    }
}

/// Confusion counts of one set, printed; returns (false positives, missed machines).
fn measure(
    judge: &Judge,
    name: &str,
    set: &[(String, Vec<u8>)],
    truth: impl Fn(&str) -> bool,
) -> (usize, usize) {
    let (mut tp, mut fp, mut tn, mut missed) = (0, 0, 0, Vec::new());
    let mut false_positives = Vec::new();
    for (file, raw) in set {
        let (found, why) = judge.is_machine(raw);
        match (truth(file), found) {
            (true, true) => tp += 1,
            (true, false) => missed.push(file.clone()),
            (false, true) => {
                fp += 1;
                false_positives.push(format!("{file}: {why}"));
            }
            (false, false) => tn += 1,
        }
    }
    eprintln!(
        "{name}: {} messages; machine mail recognised {tp} of {} (missed: {:?}); people filed as machine mail \
         {fp} of {} {:?}",
        set.len(),
        tp + missed.len(),
        missed,
        fp + tn,
        false_positives
    );
    (fp, missed.len())
}

#[test]
fn machine_mail_is_told_from_peoples_mail_on_every_corpus() {
    let judge = Judge::new();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests");

    let tuning = files(&root.join("hostile"));
    let (fp, missed) = measure(&judge, "tuning set (tests/hostile)", &tuning, |f| {
        TUNING_MACHINE.iter().any(|m| f.contains(m))
    });
    assert_eq!((fp, missed), (0, 0), "the tuning set is recognised exactly");

    let heldout = files(&root.join("hostile/heldout"));
    assert!(heldout.len() >= 25, "python3 tests/hostile/heldout/make.py");
    let (fp, _missed) = measure(
        &judge,
        "held-out set (tests/hostile/heldout)",
        &heldout,
        |f| f.contains("_machine_"),
    );
    assert_eq!(
        fp, 0,
        "no person of the held-out set is taken for a machine"
    );

    let corpus = files(&root.join("corpus"));
    assert!(corpus.len() >= 150);
    let (fp, _) = measure(&judge, "routing corpus (tests/corpus)", &corpus, |f| {
        CORPUS_MACHINE.contains(&f)
    });
    assert_eq!(
        fp, 0,
        "no consultation of the routing corpus is taken for a machine"
    );
}
