//! The fuzz harnesses: one function per target of `fuzz/` (`cargo fuzz run <target>`), shared with
//! `tests/fuzz_regressions.rs`, which replays every input that once crashed so the fix stays fixed.
//!
//! Each harness takes arbitrary bytes, drives the same pure path the daemon takes with such input (a delivered
//! message, a rule file, a calendar file, a configuration file) and returns what that path decided, so the
//! regression tests can check the user-visible outcome. Each also asserts the invariants the rest of triaje
//! relies on (dates that never go backwards, no NUL on its way to PostgreSQL): a broken invariant is a crash
//! for the fuzzer, just like a panic.
//!
//! Not part of the public API: it exists for the fuzzer and its tests only.

use std::path::Path;
use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};

use crate::calendar::{self, BusinessCalendar, CalendarError, DeadlinePolicy, Reception};
use crate::config::{Config, ConfigError, Folders};
use crate::mail::{MessageView, ParsedMail};
use crate::rules::{explain, RuleErrors, RuleSet};
use crate::vocabulary::Availability;
use crate::workflow::{self, Decision, TriageContext, TriageInput};

/// The address of the office's own mailbox in the triage context: its mail is never acknowledged.
const OWN_ADDRESS: &str = "consultas@entidad.gob.pe";

/// The shipped rules (`rules/*.toml`), loaded once per process: loading them is far slower than one message.
fn shipped_rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        RuleSet::load_dir(&dir, &Folders::default().targets)
            .unwrap_or_else(|e| panic!("the shipped rules in {} do not load: {e}", dir.display()))
    })
}

/// The embedded Peruvian calendar, built once.
fn peru() -> &'static BusinessCalendar {
    static PERU: OnceLock<BusinessCalendar> = OnceLock::new();
    PERU.get_or_init(BusinessCalendar::peru_default)
}

/// A cheap, stable hash of the input (FNV-1a): picks dates and policies so that the fuzzer, by changing the
/// bytes, also explores the calendar, while the same input always takes the same path.
fn seed(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// One of the deadline policies a mailbox may set, chosen by `seed`.
fn policy(seed: u64) -> DeadlinePolicy {
    match seed % 4 {
        0 => DeadlinePolicy::default(),
        1 => DeadlinePolicy::Hours(24),
        2 => DeadlinePolicy::BusinessDays(2),
        _ => DeadlinePolicy::Availability {
            high: 2,
            medium: 5,
            low: 8,
        },
    }
}

/// An instant between 2000 and 2100 chosen by `seed`: the range check_has_business_days guarantees.
fn instant(seed: u64) -> DateTime<Utc> {
    // 2000-01-01T00:00:00Z plus up to 100 years of seconds: always a valid instant.
    let secs = 946_684_800 + (seed % 3_155_760_000) as i64;
    DateTime::<Utc>::from_timestamp(secs, 0).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// `parse_classify`: a delivered message, as raw bytes, through what triage does with it — parse, fresh text,
/// classify with the shipped rules, reception date and deadline on the Peruvian calendar, the acknowledgement
/// decision, and the reading of a survey rating or a supervisor's verdict. Everything but IMAP and the store.
///
/// Returns triage's decision; a message that cannot be read still gets one (errors folder, with its reason).
pub fn fuzz_parse_classify(data: &[u8]) -> Decision {
    let seed = seed(data);
    let rules = shipped_rules();
    let folders = Folders::default();
    let reception = Reception::default();
    let deadline = policy(seed >> 8);
    let own = [OWN_ADDRESS.to_string()];
    let ctx = TriageContext {
        rules,
        calendar: peru(),
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
        kinds: &[],
    };
    let received = instant(seed);
    let d = workflow::decide(
        &ctx,
        &TriageInput {
            fingerprint_len: None,
            raw: data,
            size: data.len() as u64,
            // One message in 16 without INTERNALDATE, as some servers do: then triage's own clock counts.
            internal_date: (!seed.is_multiple_of(16)).then_some(received),
            now: received,
        },
    );

    // What the daemon does next with a decision (daemon/followups.rs, daemon/triage_pass.rs).
    let _ = workflow::rating_in(&d.fresh_text);
    let _ = workflow::verdict_in(&d.fresh_text);
    let _ = workflow::keywords_for(d.availability, d.deadline_at);

    assert!(
        d.effective_received_at >= d.received_at,
        "counted as received before it arrived: {d:?}"
    );
    assert!(
        d.deadline_at >= d.effective_received_at,
        "due before it counts as received: {d:?}"
    );
    assert_eq!(
        d.error_reason.is_some(),
        d.folder == folders.errors,
        "an error reason and the errors folder go together: {d:?}"
    );
    // These are stored in TEXT columns or looked up in SQL; PostgreSQL refuses NUL in text.
    let texts = [
        Some(&d.subject),
        Some(&d.fresh_text),
        Some(&d.explanation),
        d.message_id.as_ref(),
        d.from_addr.as_ref(),
        d.from_name.as_ref(),
        d.reply_to_addr.as_ref(),
    ];
    for text in texts.into_iter().flatten().chain(&d.thread_ids) {
        assert!(!text.contains('\0'), "NUL in a stored field: {text:?}");
    }
    assert!(
        !d.subject.contains(char::is_control),
        "the subject must be one clean line: {:?}",
        d.subject
    );
    d
}

/// `rules_toml`: the text of one rule file through the loader and checker (`rules check`, the daemon's reload);
/// when it loads, it classifies a few messages so the compiled patterns run too.
///
/// `None` when the bytes are not UTF-8 (the loader reads files as text and says so before parsing).
pub fn fuzz_rules_toml(data: &[u8]) -> Option<Result<RuleSet, RuleErrors>> {
    let text = std::str::from_utf8(data).ok()?;
    let sources = [("fuzz.toml".to_string(), text.to_string())];
    let loaded = RuleSet::from_sources(&sources, &Folders::default().targets);
    match &loaded {
        Ok(set) => {
            assert!(!set.is_empty(), "a loaded rule set has rules");
            for view in sample_views() {
                let _ = explain(&set.classify(&view));
            }
        }
        Err(RuleErrors(errors)) => {
            assert!(!errors.is_empty(), "a rejected rule set says why");
            let lines = text.lines().count().max(1);
            for e in errors {
                assert!(
                    e.line <= lines + 1,
                    "error past the end of the file: {e} ({lines} lines)"
                );
                let _ = e.to_string();
            }
        }
    }
    Some(loaded)
}

/// A few messages for fuzzed rules to classify: a typical question, an empty one, a long accented one.
fn sample_views() -> Vec<MessageView<'static>> {
    static MAILS: OnceLock<Vec<ParsedMail>> = OnceLock::new();
    let mails = MAILS.get_or_init(|| {
        let long =
            "Señores, la inscripción en el RNP de mi empresa no figura vigente; ".repeat(200);
        [
            (
                "Consulta sobre inscripción RNP",
                "¿Cómo renuevo mi inscripción?",
            ),
            ("", ""),
            ("RE: FW: Árbitro — SEACE", long.as_str()),
        ]
        .into_iter()
        .map(|(subject, text)| ParsedMail {
            subject: subject.to_string(),
            from: Some(crate::mail::Address {
                email: "juan.perez@gmail.com".into(),
                name: Some("Juan Pérez".into()),
            }),
            headers: vec![("x-mailer".into(), "Outlook".into())],
            body_text: text.to_string(),
            fresh_text: text.to_string(),
            ..ParsedMail::default()
        })
        .collect()
    });
    mails.iter().map(ParsedMail::view).collect()
}

/// `calendar_toml`: the text of an administrator's calendar file through the loader; when it loads, deadline
/// arithmetic from a date derived from the input, checked against itself (the n-th business day after a date
/// is n business days after it).
///
/// `None` when the bytes are not UTF-8.
pub fn fuzz_calendar_toml(data: &[u8]) -> Option<Result<BusinessCalendar, CalendarError>> {
    let text = std::str::from_utf8(data).ok()?;
    let seed = seed(data);
    // Administrators' files extend the national calendar unless they say otherwise; try both defaults.
    let loaded = BusinessCalendar::from_toml_str(text, "fuzz.toml", seed.is_multiple_of(2));
    if let Ok(cal) = &loaded {
        let _ = cal.warnings();
        let at = instant(seed >> 1);
        let date = at.with_timezone(&calendar::LIMA).date_naive();
        let next = cal.next_business_day(date);
        assert!(next > date, "the next business day after {date} is {next}");
        assert!(cal.is_business_day(next), "{next} is not a business day");
        let n = ((seed >> 40) % 61) as u32;
        let nth = cal.add_business_days(date, n);
        assert_eq!(
            cal.business_days_between(date, nth),
            i64::from(n),
            "{nth} should be {n} business days after {date}"
        );
        let effective = calendar::effective_received_at(cal, &Reception::default(), at);
        for availability in Availability::ALL {
            let due = calendar::deadline(cal, &policy(seed >> 48), availability, effective);
            assert!(due >= effective, "due {due} before {effective}");
        }
        let two_weeks = date + Duration::days(14);
        let _ = calendar::render_days(cal, date, two_weeks);
        let _ = cal.days(date, two_weeks).count();
    }
    Some(loaded)
}

/// `config_toml`: the text of `config.toml` through validation, without reading any password (as
/// `rules check` and `calendar` do), so the fuzzer never opens a file the input names.
///
/// `None` when the bytes are not UTF-8.
pub fn fuzz_config_toml(data: &[u8]) -> Option<Result<Config, ConfigError>> {
    let text = std::str::from_utf8(data).ok()?;
    let loaded = Config::from_toml_str_offline(text, "config.toml", Path::new("/etc/triaje"));
    if let Err(e) = &loaded {
        let _ = e.to_string();
    }
    Some(loaded)
}
