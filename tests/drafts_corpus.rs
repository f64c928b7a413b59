//! The independent drafts corpus (`tests/drafts/`: reply drafts byte for byte as Thunderbird, Outlook, Gmail,
//! Apple Mail and Roundcube save them at their defaults, written by someone who did not read triaje's draft
//! handling) dropped into `Por enviar` of a live `triaje run` on the real Dovecot + Postfix.
//!
//! Each draft answers its own citizen's consultation: the citizen asks over SMTP, triaje files and acknowledges
//! it, the draft is rendered for that consultation by `tests/drafts/make.py render` (which writes the values as
//! the client would: RFC 2047, quoted-printable, flowed text, the client's date words) and saved into
//! `Por enviar` with the client's flags. Then every draft must end as its label says: **sent** (the citizen
//! receives the assistant's sentence, threaded under the question, with any `Cc` kept) or **refused** (the draft
//! lies in `Observadas` beside a note with the right reason, and the citizen receives nothing).
//!
//! `tune/` may be read by whoever works on draft handling: its test prints every draft's outcome. `heldout/`
//! may not: its test prints only the figures by client and by expectation, never a draft.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::daemon::{Daemon, CONSULTAS};
use common::drafts::{text, thread_index};
use common::{MailStack, StackOptions, StoredMessage};

#[derive(serde::Deserialize)]
struct Labels {
    draft: Vec<Label>,
}

#[derive(serde::Deserialize, Clone)]
struct Label {
    file: String,
    id: String,
    client: String,
    expect: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    expected_text: String,
    links_by: String,
    #[serde(default)]
    flags: Vec<String>,
    #[serde(default)]
    reply_to: Option<String>,
    #[serde(default)]
    thread_index: Option<String>,
    #[serde(default)]
    cc: Option<String>,
}

/// What became of one draft.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// The citizen received it as labelled.
    Sent,
    /// It lies in `Observadas` with a note giving the labelled reason.
    Refused,
    /// Anything else, said in words (kept out of the held-out output).
    Wrong(String),
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/drafts")
}

fn labels(split: &str) -> Vec<Label> {
    let path = corpus().join(split).join("labels.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("no se pudo leer {}: {e}", path.display()));
    toml::from_str::<Labels>(&text)
        .unwrap_or_else(|e| panic!("{} no es válido: {e}", path.display()))
        .draft
}

/// `make.py render FILE --values JSON`: the draft as its client would have written it for these values.
fn render(split: &str, file: &str, values: &serde_json::Value, scratch: &Path) -> Vec<u8> {
    let json = scratch.join(format!("{file}.json"));
    std::fs::write(&json, values.to_string()).unwrap();
    let out = Command::new("python3")
        .arg(corpus().join("make.py"))
        .arg("render")
        .arg(corpus().join(split).join(file))
        .arg("--values")
        .arg(&json)
        .output()
        .expect("python3 runs tests/drafts/make.py");
    assert!(
        out.status.success(),
        "make.py render {file}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn parsed(raw: &[u8]) -> mail_parser::Message<'_> {
    mail_parser::MessageParser::default()
        .parse(raw)
        .expect("a message")
}

/// Whitespace-insensitive containment: clients wrap and flow lines.
fn says(haystack: &str, needle: &str) -> bool {
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    squash(haystack).contains(&squash(needle))
}

/// The words of a refusal note for each labelled reason.
fn reason_words(reason: &str) -> &'static str {
    match reason {
        "no-own-text" | "empty" => "no tiene texto propio",
        "unsigned" => "no está firmado",
        "wrong-recipient" => "no está dirigido al ciudadano",
        other => panic!("unknown reason {other}"),
    }
}

/// One draft's consultation, asked and acknowledged, and the values its draft is rendered with.
struct Case {
    label: Label,
    citizen: String,
    question_id: String,
    draft: Vec<u8>,
    draft_id: String,
}

/// Runs one split of the corpus against a live daemon; returns each draft's label and outcome, and the
/// daemon's log.
async fn run_split(split: &str, only: Option<&str>) -> (Vec<(Label, Outcome)>, String) {
    let labels: Vec<Label> = labels(split)
        .into_iter()
        .filter(|l| only.is_none_or(|ids| ids.split(',').any(|id| id == l.id)))
        .collect();
    let citizens: Vec<String> = (0..labels.len())
        .map(|i| format!("remitente{i}@example.test"))
        .collect();
    let stack = MailStack::start_with(StackOptions {
        users: citizens.clone(),
        ..StackOptions::default()
    });
    let daemon = Daemon::start(&stack);
    let scratch = tempfile::tempdir().unwrap();
    let timeout = Duration::from_secs(120);
    let question_text = "Buenos días, no puedo ingresar al SEACE con mi usuario y contraseña; \
                         me sale usuario bloqueado. ¿Cómo lo desbloqueo?";

    // Every citizen asks (an operational SEACE question, so no draft waits for the legal validation).
    for (i, label) in labels.iter().enumerate() {
        let thread = label
            .thread_index
            .as_ref()
            .map(|_| {
                format!(
                    "Thread-Topic: Usuario bloqueado en el SEACE {i}\r\nThread-Index: {}\r\n",
                    thread_index(i as u8, 0)
                )
            })
            .unwrap_or_default();
        let raw = format!(
            "From: Ciudadano {i} <{c}>\r\nTo: {CONSULTAS}\r\nSubject: Usuario bloqueado en el SEACE {i}\r\n\
             Message-ID: <dq{i}@example.test>\r\nDate: Mon, 23 Nov 2026 10:00:00 -0500\r\n{thread}\
             MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{question_text}\r\n",
            c = citizens[i]
        );
        stack.send(&citizens[i], &[CONSULTAS], raw.as_bytes());
    }
    let mut cases = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let ack = stack
            .wait_for(&citizens[i], "INBOX", 1, timeout)
            .await
            .remove(0);
        let ticket = ack
            .subject
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .find(|p| p.starts_with("CONS-"))
            .unwrap_or_else(|| panic!("the acknowledgement names the ticket: {}", ack.subject))
            .to_string();
        let mut values = serde_json::json!({
            "CITIZEN_NAME": format!("Ciudadano {i}"),
            "CITIZEN_ADDR": citizens[i],
            "MAILBOX_NAME": "Consultas OSCE",
            "MAILBOX_ADDR": CONSULTAS,
            "CONSULTATION_MESSAGE_ID": format!("<dq{i}@example.test>"),
            "CONSULTATION_SUBJECT": format!("Usuario bloqueado en el SEACE {i}"),
            "CONSULTATION_DATE": "2026-11-23T10:00:00-05:00",
            "CONSULTATION_TEXT": question_text,
            "TICKET": ticket,
        });
        if label.thread_index.is_some() {
            values["CONSULTATION_THREAD_INDEX"] = thread_index(i as u8, 0).into();
        }
        if label.reply_to.as_deref() == Some("ack") {
            let when = ack.internal_date.to_rfc3339();
            values["ACK_MESSAGE_ID"] = format!("<{}>", ack.message_id.clone().unwrap()).into();
            values["ACK_SUBJECT"] = ack.subject.clone().into();
            values["ACK_DATE"] = when.into();
            values["ACK_TEXT"] = text(&ack).into();
        }
        let draft = render(split, &label.file, &values, scratch.path());
        let draft_id = parsed(&draft)
            .message_id()
            .expect("every draft has a Message-ID")
            .to_string();
        cases.push(Case {
            label: label.clone(),
            citizen: citizens[i].clone(),
            question_id: format!("dq{i}@example.test"),
            draft,
            draft_id,
        });
    }

    // The assistants save their drafts into «Por enviar», with the flags their client sets.
    let mut assistant = stack.imap(CONSULTAS).await;
    for case in &cases {
        let flags = if case.label.flags.is_empty() {
            "(\\Draft \\Seen)".to_string()
        } else {
            format!("({})", case.label.flags.join(" "))
        };
        assistant
            .append_flagged("Por enviar", &flags, &case.draft)
            .await;
    }

    // Wait until every draft has settled: sent (the citizen has a reply) or returned (it lies in Observadas).
    let start = Instant::now();
    loop {
        let returned = stack.messages(CONSULTAS, "Observadas").await;
        let mut settled = 0;
        for case in &cases {
            let replied = stack
                .messages(&case.citizen, "INBOX")
                .await
                .iter()
                .any(|m| m.subject.to_lowercase().starts_with("re:"));
            let back = returned
                .iter()
                .any(|m| m.message_id.as_deref() == Some(case.draft_id.as_str()));
            if replied || back {
                settled += 1;
            }
        }
        if settled == cases.len() || start.elapsed() > timeout {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    let returned = stack.messages(CONSULTAS, "Observadas").await;
    let mut outcomes = Vec::new();
    for case in cases {
        let inbox = stack.messages(&case.citizen, "INBOX").await;
        let reply: Option<&StoredMessage> = inbox
            .iter()
            .find(|m| m.subject.to_lowercase().starts_with("re:"));
        let back = returned
            .iter()
            .any(|m| m.message_id.as_deref() == Some(case.draft_id.as_str()));
        let outcome = match (case.label.expect.as_str(), reply, back) {
            ("send", Some(reply), _) => sent_as_labelled(&case, reply),
            ("send", None, true) => Outcome::Wrong(format!(
                "returned: {}",
                note_for(&returned, &case.draft_id).unwrap_or_default()
            )),
            ("refuse", None, true) => {
                let words = reason_words(case.label.reason.as_deref().unwrap_or(""));
                match note_for(&returned, &case.draft_id) {
                    Some(note) if note.contains(words) => Outcome::Refused,
                    Some(note) => Outcome::Wrong(format!("returned for another reason: {note}")),
                    None => Outcome::Wrong("returned without a note".into()),
                }
            }
            ("refuse", Some(_), _) => Outcome::Wrong("sent, should have been returned".into()),
            (_, None, false) => Outcome::Wrong("neither sent nor returned".into()),
            (other, _, _) => panic!("unknown expectation {other}"),
        };
        outcomes.push((case.label, outcome));
    }
    (outcomes, daemon.log())
}

/// The note triaje left beside a returned draft (it answers the draft's `Message-ID`).
fn note_for(returned: &[StoredMessage], draft_id: &str) -> Option<String> {
    returned
        .iter()
        .find(|m| {
            parsed(&m.raw)
                .in_reply_to()
                .as_text_list()
                .is_some_and(|ids| ids.iter().any(|id| id == draft_id))
        })
        .map(text)
}

/// A reply the citizen received is right when it carries the assistant's sentence, threads under the question
/// and keeps the copy the assistant added.
fn sent_as_labelled(case: &Case, reply: &StoredMessage) -> Outcome {
    let body = text(reply);
    if !case.label.expected_text.is_empty() && !says(&body, &case.label.expected_text) {
        return Outcome::Wrong("sent without the assistant's sentence".into());
    }
    let message = parsed(&reply.raw);
    if message.in_reply_to().as_text() != Some(case.question_id.as_str()) {
        return Outcome::Wrong(format!(
            "not threaded under the question (In-Reply-To {:?})",
            message.in_reply_to().as_text()
        ));
    }
    if let Some(cc) = &case.label.cc {
        let kept = message
            .cc()
            .is_some_and(|a| a.iter().any(|a| a.address() == Some(cc.as_str())));
        if !kept {
            return Outcome::Wrong(format!("the Cc {cc} was dropped"));
        }
    }
    Outcome::Sent
}

/// Right / total by a key of the label.
fn tally(
    outcomes: &[(Label, Outcome)],
    key: impl Fn(&Label) -> String,
) -> BTreeMap<String, (usize, usize)> {
    let mut t: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (label, outcome) in outcomes {
        let e = t.entry(key(label)).or_default();
        e.1 += 1;
        if !matches!(outcome, Outcome::Wrong(_)) {
            e.0 += 1;
        }
    }
    t
}

fn print_figures(split: &str, outcomes: &[(Label, Outcome)]) -> f64 {
    let right = outcomes
        .iter()
        .filter(|(_, o)| !matches!(o, Outcome::Wrong(_)))
        .count();
    let share = right as f64 / outcomes.len() as f64;
    println!(
        "drafts {split}: {right} of {} handled as labelled ({:.1} %)",
        outcomes.len(),
        100.0 * share
    );
    for (name, key) in [
        (
            "client",
            Box::new(|l: &Label| l.client.clone()) as Box<dyn Fn(&Label) -> String>,
        ),
        (
            "expectation",
            Box::new(|l: &Label| match &l.reason {
                Some(r) => format!("refuse ({r})"),
                None => l.expect.clone(),
            }),
        ),
        ("links_by", Box::new(|l: &Label| l.links_by.clone())),
    ] {
        for (k, (r, n)) in tally(outcomes, key) {
            println!("  {name:<12} {k:<28} {r:>3} / {n}");
        }
    }
    share
}

#[tokio::test(flavor = "multi_thread")]
async fn tuning_drafts_from_every_client_are_sent_or_returned_as_labelled() {
    // `TRIAJE_DRAFTS_ONLY=tb-07,ol-09` runs only those tuning drafts (while working on them).
    let only = std::env::var("TRIAJE_DRAFTS_ONLY").ok();
    let (outcomes, log) = run_split("tune", only.as_deref()).await;
    // The tuning part may be read: every draft's outcome is printed.
    for (label, outcome) in &outcomes {
        println!(
            "  {:<8} {:<16} {:<7} {outcome:?}",
            label.id, label.client, label.expect
        );
    }
    let share = print_figures("tune", &outcomes);
    let wrong: Vec<String> = outcomes
        .iter()
        .filter_map(|(l, o)| match o {
            Outcome::Wrong(why) => Some(format!("{} ({}): {why}", l.id, l.client)),
            _ => None,
        })
        .collect();
    if !wrong.is_empty() {
        // The daemon's warnings say why a draft was neither sent nor returned.
        for line in log
            .lines()
            .filter(|l| l.contains("WARN") || l.contains("ERROR"))
        {
            println!("  log: {line}");
        }
    }
    assert!(
        wrong.is_empty(),
        "drafts not handled as labelled: {wrong:#?} ({share:.3})"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn held_out_drafts_are_measured_without_being_shown() {
    let (outcomes, _) = run_split("heldout", None).await;
    // Only figures: a held-out draft is never printed, so no one tunes on it.
    let share = print_figures("heldout", &outcomes);
    // No held-out draft may be sent when it should have been returned (an unsigned or misaddressed answer
    // reaching a citizen is the costly mistake); the number handled as labelled is held at what was measured.
    let wrongly_sent = outcomes
        .iter()
        .filter(|(l, o)| {
            l.expect == "refuse" && matches!(o, Outcome::Wrong(w) if w.starts_with("sent"))
        })
        .count();
    assert_eq!(
        wrongly_sent, 0,
        "held-out drafts sent that should have been returned"
    );
    // Measured once, at the end of the drafts-fix work (never tuned on): 31 of 31. Held with one draft of margin.
    let right = outcomes
        .iter()
        .filter(|(_, o)| !matches!(o, Outcome::Wrong(_)))
        .count();
    assert!(
        right + 1 >= outcomes.len(),
        "held-out drafts handled as labelled: {right} of {} ({share:.3})",
        outcomes.len()
    );
}
