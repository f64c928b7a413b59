//! The independent hostile- and machine-mail corpus (`tests/hostile_independent/`, written by another hand than
//! triaje's machine-mail detector, from how real software writes such mail) thrown at a live `triaje run` on the
//! real Dovecot + Postfix, every message over SMTP with the envelope sender its label names (`MAIL FROM:<>` for
//! bounces and reports).
//!
//! First four real consultations are asked (the anchors of `anchors.toml`), acknowledged, and three of them
//! answered through a draft in «Por enviar»; the corpus's `beside` templates are then filled with the real
//! Message-IDs, subjects and headers of those acknowledgements and replies, so their bounces and responders
//! answer mail triaje really sent. Then every case is delivered and the test reads, from the mail server, the
//! store and `triaje report register`, what became of each:
//!
//! - every message in exactly one folder with its bytes unchanged (the fingerprint triage recorded), INBOX empty;
//! - machine mail never acknowledged and never in the day's register (zero tolerance);
//! - machine mail filed apart (`Automáticos`), or beside its consultation when it is about the office's own
//!   acknowledgement or reply;
//! - people's machine-looking mail acknowledged and in the register;
//! - broken mail a consultation, or in `Errores` with its reason;
//! - the daemon alive and without a panic.
//!
//! The corpus is split into `tune/` and `heldout/` (make.py, by a seeded hash): the tune test prints every case's
//! outcome, the held-out test only aggregates. Floors are set at what this version reaches (see README.md of
//! the corpus for the figures and the misses by family).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::TimeZone;
use common::daemon::{Daemon, CONSULTAS};
use common::drafts::{self, Answer};
use common::{MailStack, StackOptions, StoredMessage};
use serde::Deserialize;
use triaje::store::{ConsultationRow, OutgoingKind, OutgoingState, Store};
use triaje::vocabulary::AttentionKind;

const WAIT: Duration = Duration::from_secs(240);
/// The IMAP name of `Automáticos` (modified UTF-7).
const AUTOMATIC: &str = "Autom&AOE-ticos";
const ERRORS: &str = "Errores";

/// One case of a half's `labels.toml`.
#[derive(Debug, Clone, Deserialize)]
struct Case {
    file: String,
    kind: String,
    expect: String,
    signal: String,
    family: String,
    mail_from: String,
    token: String,
    #[allow(dead_code)]
    sane: bool,
    anchor: Option<String>,
    about: Option<String>,
    /// People and broken mail: where the acknowledgement must arrive (a user of the test stack).
    answer_to: Option<String>,
    /// Beside: it says our acknowledgement or reply did not reach the citizen.
    #[serde(default)]
    undelivered: bool,
    #[allow(dead_code)]
    note: String,
}

#[derive(Deserialize)]
struct Labels {
    case: Vec<Case>,
}

/// A consultation asked before the corpus is delivered (`anchors.toml`).
#[derive(Debug, Clone, Deserialize)]
struct Anchor {
    key: String,
    citizen: String,
    name: String,
    subject: String,
    message_id: String,
    body: String,
    answered: bool,
}

#[derive(Deserialize)]
struct Anchors {
    anchor: Vec<Anchor>,
}

fn corpus_dir() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/hostile_independent"
    ))
}

fn load(half: &str) -> Vec<(Case, Vec<u8>)> {
    let dir = corpus_dir().join(half);
    let labels: Labels =
        toml::from_str(&std::fs::read_to_string(dir.join("labels.toml")).unwrap()).unwrap();
    labels
        .case
        .into_iter()
        .map(|c| {
            let raw = std::fs::read(dir.join(&c.file)).unwrap();
            (c, raw)
        })
        .collect()
}

fn anchors() -> Vec<Anchor> {
    let text = std::fs::read_to_string(corpus_dir().join("anchors.toml")).unwrap();
    toml::from_str::<Anchors>(&text).unwrap().anchor
}

/// Delivers `raw` byte for byte over SMTP (`common::smtp_send` reads the message as UTF-8, which would turn the
/// corpus's raw Latin-1 and Windows-1252 bytes into replacement characters): dot-stuffing only, line ends as
/// written, `BODY=8BITMIME` when the message has 8-bit bytes, as a real client announces.
fn deliver(port: u16, from: &str, to: &str, raw: &[u8]) -> Result<(), String> {
    let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(60))).ok();
    let mut reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
    let mut writer = stream;
    let answer = |reader: &mut BufReader<TcpStream>, code: &str| -> Result<(), String> {
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).map_err(|e| e.to_string())?;
            if !line.starts_with(code) {
                return Err(format!(
                    "expected {code}, the server said «{}»",
                    line.trim_end()
                ));
            }
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok(());
            }
        }
    };
    answer(&mut reader, "220")?;
    let eight_bit = if raw.iter().any(|b| *b >= 0x80) {
        " BODY=8BITMIME"
    } else {
        ""
    };
    for (command, code) in [
        ("EHLO corpus.test".to_string(), "250"),
        (format!("MAIL FROM:<{from}>{eight_bit}"), "250"),
        (format!("RCPT TO:<{to}>"), "250"),
        ("DATA".to_string(), "354"),
    ] {
        writer
            .write_all(format!("{command}\r\n").as_bytes())
            .map_err(|e| e.to_string())?;
        answer(&mut reader, code)?;
    }
    let mut data = Vec::with_capacity(raw.len() + 64);
    for line in raw.split_inclusive(|b| *b == b'\n') {
        if line.first() == Some(&b'.') {
            data.push(b'.');
        }
        data.extend_from_slice(line);
    }
    if !data.ends_with(b"\n") {
        data.extend_from_slice(b"\r\n");
    }
    data.extend_from_slice(b".\r\n");
    writer.write_all(&data).map_err(|e| e.to_string())?;
    answer(&mut reader, "250")?;
    let _ = writer.write_all(b"QUIT\r\n");
    Ok(())
}

/// The header block of a stored message, as IMAP's `BODY[HEADER]` gives it.
fn header_text(raw: &[u8]) -> String {
    String::from_utf8_lossy(common::header_of(raw)).to_string()
}

/// A header field's raw value, unfolded (encoded words left as they are, as an MTA would copy them).
fn raw_field(raw: &[u8], name: &str) -> String {
    let head = header_text(raw)
        .replace("\r\n ", " ")
        .replace("\r\n\t", " ");
    head.lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
        .unwrap_or_default()
}

/// A message as the remote system that returns or answers it had it: without the lines the citizen's own
/// server added on delivery (`Return-Path`, `Delivered-To`).
fn as_sent(raw: &[u8]) -> Vec<u8> {
    let mut rest = raw;
    loop {
        let line_end = rest
            .iter()
            .position(|b| *b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        let line = String::from_utf8_lossy(&rest[..line_end]).to_ascii_lowercase();
        if line.starts_with("return-path:") || line.starts_with("delivered-to:") {
            rest = &rest[line_end..];
        } else {
            return rest.to_vec();
        }
    }
}

/// The placeholder values of one anchor consultation, once triaje acknowledged (and answered) it.
fn placeholder_values(
    anchor: &Anchor,
    ticket: &str,
    ack: &StoredMessage,
    reply: Option<&StoredMessage>,
) -> BTreeMap<String, Vec<u8>> {
    let mut v: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut put = |name: &str, value: Vec<u8>| {
        v.insert(format!("%%{}:{name}%%", anchor.key), value);
    };
    put("CITIZEN", anchor.citizen.clone().into_bytes());
    put("TICKET", ticket.as_bytes().to_vec());
    put("QUESTION_ID", anchor.message_id.clone().into_bytes());
    for (prefix, m) in [("ACK", Some(ack)), ("REPLY", reply)] {
        let Some(m) = m else { continue };
        let sent = as_sent(&m.raw);
        put(
            &format!("{prefix}_ID"),
            m.message_id.clone().unwrap_or_default().into_bytes(),
        );
        put(
            &format!("{prefix}_SUBJECT"),
            raw_field(&m.raw, "Subject").into_bytes(),
        );
        put(
            &format!("{prefix}_DATE"),
            raw_field(&m.raw, "Date").into_bytes(),
        );
        put(
            &format!("{prefix}_HEADERS"),
            common::header_of(&sent).to_vec(),
        );
        put(&format!("{prefix}_RAW"), sent);
    }
    v
}

/// Fills a template's `%%X:NAME%%` placeholders.
fn render(raw: &[u8], values: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut out = raw.to_vec();
    for (hole, value) in values {
        let hole = hole.as_bytes();
        let mut next = Vec::with_capacity(out.len());
        let mut i = 0;
        while i < out.len() {
            if out[i..].starts_with(hole) {
                next.extend_from_slice(value);
                i += hole.len();
            } else {
                next.push(out[i]);
                i += 1;
            }
        }
        out = next;
    }
    assert!(
        !String::from_utf8_lossy(&out).contains("%%"),
        "a placeholder left unfilled"
    );
    out
}

/// The question an anchor citizen sends from a plain mail client.
fn anchor_question(a: &Anchor) -> Vec<u8> {
    format!(
        "From: {name} <{citizen}>\r\nTo: {CONSULTAS}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         Date: Tue, 01 Dec 2026 09:10:00 -0500\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n",
        name = a.name,
        citizen = a.citizen,
        subject = a.subject,
        id = a.message_id,
        body = a.body.replace('\n', "\r\n"),
    )
    .into_bytes()
}

/// A message with its folder.
type InFolder = (String, StoredMessage);

/// Every message of the office's mailbox, by folder, without triaje's own notes (ticket notes and «Respuesta NO
/// entregada» notes carry `X-Triaje-Note`); and, apart, the «Respuesta NO entregada» notes.
async fn mailbox(stack: &MailStack) -> (Vec<InFolder>, Vec<InFolder>) {
    let mut imap = stack.imap(CONSULTAS).await;
    let (mut messages, mut undelivered_notes) = (Vec::new(), Vec::new());
    for folder in imap.folders().await {
        for m in imap.all_messages(&folder).await {
            let head = header_text(&m.raw).to_ascii_lowercase();
            if head.contains("\nx-triaje-note: respuesta no entregada") {
                undelivered_notes.push((folder.clone(), m));
            } else if !head.contains("\nx-triaje-note:") {
                messages.push((folder.clone(), m));
            }
        }
    }
    imap.logout().await;
    (messages, undelivered_notes)
}

/// What became of one case.
#[derive(Debug, Clone)]
struct Outcome {
    case: Case,
    /// Folders holding a message with the case's token (exactly one when nothing was lost or doubled).
    folders: Vec<String>,
    /// The register's record of it, found by the fingerprint of the bytes in its folder.
    row: Option<ConsultationRow>,
    /// `automatic`, `beside`, `consultation` or `error`.
    outcome: String,
    /// An acknowledgement was queued or sent for it.
    acknowledged: bool,
    /// That acknowledgement reached the citizen's mailbox (`answer_to`).
    acknowledgement_arrived: bool,
    /// Where the acknowledgement stands (`sent`, `failed: …`), for the printed table.
    acknowledgement_state: String,
    /// Its ticket is in the day's register (`triaje report register`).
    in_register: bool,
    /// The IMAP keywords on it (availability and due date, for a filed consultation).
    keywords: Vec<String>,
}

impl Outcome {
    /// Whether it went where its label says.
    fn as_expected(&self) -> bool {
        match self.case.kind.as_str() {
            "machine" => {
                self.outcome == self.case.expect
                    && !self.acknowledged
                    && !self.in_register
                    && !self.keywords.iter().any(|k| k.starts_with("Vence_"))
            }
            "person" => {
                // A person's mail is an attention of whatever kind its words make it (a «no me llega» is an
                // incident, acknowledged as one): acknowledged, registered, dated; the availability level is a
                // consultation's alone.
                let consultation = self
                    .row
                    .as_ref()
                    .is_none_or(|r| r.kind == AttentionKind::Consultation);
                self.outcome == "consultation"
                    && self.acknowledgement_arrived
                    && self.in_register
                    && self.keywords.iter().any(|k| k.starts_with("Vence_"))
                    && (!consultation
                        || self
                            .keywords
                            .iter()
                            .any(|k| ["Alta", "Media", "Baja"].contains(&k.as_str())))
            }
            _ => self.broken_handled(),
        }
    }

    /// Broken mail: a consultation, or in `Errores` with its reason.
    fn broken_handled(&self) -> bool {
        match self.outcome.as_str() {
            "consultation" => true,
            "error" => self
                .row
                .as_ref()
                .and_then(|r| r.error_reason.as_deref())
                .is_some_and(|r| !r.trim().is_empty()),
            _ => false,
        }
    }
}

/// The tickets of the day's register for every effective day the store knows, read back from
/// `triaje report register --format csv`.
fn register_tickets(daemon: &Daemon, rows: &[ConsultationRow]) -> BTreeSet<String> {
    let days: BTreeSet<String> = rows
        .iter()
        .map(|r| {
            chrono_tz::America::Lima
                .from_utc_datetime(&r.effective_received_at.naive_utc())
                .format("%Y-%m-%d")
                .to_string()
        })
        .collect();
    let mut tickets = BTreeSet::new();
    for day in days {
        let file = daemon.dir.path().join(format!("registro-{day}.csv"));
        let out = daemon.triaje(&[
            "report",
            "register",
            "--day",
            &day,
            "--format",
            "csv",
            "--output",
            file.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "report register --day {day}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for line in text.lines() {
            for field in line.split(',') {
                let field = field.trim_matches('"');
                if field.starts_with("CONS-") {
                    tickets.insert(field.to_string());
                }
            }
        }
    }
    tickets
}

/// Runs one half of the corpus against a fresh stack and daemon; returns every case's outcome.
async fn run_half(half: &str) -> (Vec<Outcome>, Vec<String>, Vec<(String, bool)>) {
    let cases = load(half);
    let anchors = anchors();
    // Every citizen of the corpus has a mailbox, so an acknowledgement is seen to arrive where it must.
    let users: BTreeSet<String> = cases
        .iter()
        .filter_map(|(c, _)| c.answer_to.clone())
        .collect();
    let stack = MailStack::start_with(StackOptions {
        users: users.into_iter().collect(),
        ..StackOptions::default()
    });
    let mut daemon = Daemon::start(&stack);

    // The anchors: asked, acknowledged, and (A–C) answered through a draft as Thunderbird saves it.
    for a in &anchors {
        stack.send(&a.citizen, &[CONSULTAS], &anchor_question(a));
    }
    let mut acks = BTreeMap::new();
    for a in &anchors {
        let ack = stack.wait_for(&a.citizen, "INBOX", 1, WAIT).await.remove(0);
        acks.insert(a.key.clone(), ack);
    }
    let mut assistant = stack.imap(CONSULTAS).await;
    for a in anchors.iter().filter(|a| a.answered) {
        let tag = format!("borrador-{half}-{}", a.key);
        let text = format!(
            "Estimado(a) {}: le respondemos su consulta «{}»; revise la guía publicada en el portal.",
            a.name, a.subject
        );
        let answer = Answer {
            citizen: &a.citizen,
            name: &a.name,
            question_id: &a.message_id,
            subject: &a.subject,
            question: &a.body,
            text: &text,
            tag: &tag,
        };
        assistant
            .append_draft("Por enviar", &drafts::thunderbird_plain(&answer))
            .await;
    }
    assistant.logout().await;
    let store: Store = common::sqlite_store(daemon.dir.path()).await;
    let mut values = BTreeMap::new();
    let mut anchor_rows = BTreeMap::new();
    for a in &anchors {
        let reply = if a.answered {
            let inbox = stack.wait_for(&a.citizen, "INBOX", 2, WAIT).await;
            inbox.into_iter().find(|m| m.subject.starts_with("RE:"))
        } else {
            None
        };
        // A bounce or a responder answers the reply seconds after it left, by which time the office has filed
        // the answered consultation in «Atendidas»: wait for that filing, as the real world does, so the machine
        // mail is thrown at the consultation where it rests, not while it moves.
        let asked = std::time::Instant::now();
        let row = loop {
            let row = store
                .consultations(None)
                .await
                .unwrap()
                .into_iter()
                .find(|r| r.message_id.as_deref() == Some(a.message_id.as_str()))
                .expect("the anchor is recorded");
            if !a.answered || row.folder == "Atendidas" || asked.elapsed() > WAIT {
                break row;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        values.extend(placeholder_values(
            a,
            &row.ticket,
            &acks[&a.key],
            reply.as_ref(),
        ));
        anchor_rows.insert(a.key.clone(), row);
    }

    // The corpus, over SMTP, each with its own envelope sender.
    for (case, raw) in &cases {
        let raw = render(raw, &values);
        deliver(stack.smtp_port, &case.mail_from, CONSULTAS, &raw)
            .unwrap_or_else(|e| panic!("{}: SMTP delivery failed: {e}", case.file));
    }

    // Settled: the inbox empty and every message recorded, for a few seconds in a row, and the outbox quiet.
    let expected_rows = anchors.len() + cases.len();
    let start = Instant::now();
    let mut quiet_since: Option<Instant> = None;
    loop {
        let inbox = stack.messages(CONSULTAS, "INBOX").await.len();
        let rows = store.consultations(None).await.unwrap().len();
        let outbox = store.outbox_counts().await.unwrap();
        let settled = inbox == 0 && rows >= expected_rows && outbox.queued + outbox.sending == 0;
        match (settled, quiet_since) {
            (true, Some(t)) if t.elapsed() > Duration::from_secs(4) => break,
            (true, None) => quiet_since = Some(Instant::now()),
            (false, _) => quiet_since = None,
            _ => {}
        }
        if start.elapsed() > WAIT {
            // Measured, not assumed: what never settled is reported below as lost.
            eprintln!(
                "{half}: not settled after {WAIT:?}: {inbox} in INBOX, {rows} of {expected_rows} recorded, \
                 outbox {outbox:?}"
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    let (stored, undelivered_notes) = mailbox(&stack).await;
    let rows = store.consultations(None).await.unwrap();
    let register = register_tickets(&daemon, &rows);
    let by_fingerprint = |m: &StoredMessage| -> Option<ConsultationRow> {
        let whole = triaje::workflow::fingerprint(&m.raw);
        let head = triaje::workflow::fingerprint(common::header_of(&m.raw));
        rows.iter()
            .find(|r| r.fingerprint == whole || r.fingerprint == head)
            .cloned()
    };
    let mut problems = Vec::new();
    let anchor_folder: BTreeMap<String, String> = anchors
        .iter()
        .map(|a| {
            let row = &anchor_rows[&a.key];
            let folder = stored
                .iter()
                .find(|(_, m)| by_fingerprint(m).is_some_and(|r| r.id == row.id))
                .map(|(f, _)| f.clone())
                .unwrap_or_default();
            (a.key.clone(), folder)
        })
        .collect();
    for a in &anchors {
        let row = &anchor_rows[&a.key];
        if !register.contains(&row.ticket) {
            problems.push(format!(
                "anchor {} ({}) is not in the register: the register check would prove nothing",
                a.key, row.ticket
            ));
        }
    }

    let mut outcomes = Vec::new();
    for (case, _) in &cases {
        let found: Vec<&(String, StoredMessage)> = stored
            .iter()
            .filter(|(_, m)| contains(&m.raw, case.token.as_bytes()))
            .collect();
        let folders: Vec<String> = found.iter().map(|(f, _)| f.clone()).collect();
        let row = found.first().and_then(|(_, m)| by_fingerprint(m));
        let folder = folders.first().cloned().unwrap_or_default();
        let (acknowledged, sent, acknowledgement_state) = match &row {
            Some(r) => {
                let sent = store.outgoing_for(r.id).await.unwrap();
                let acks: Vec<_> = sent
                    .iter()
                    .filter(|o| o.kind == OutgoingKind::Acknowledgement)
                    .collect();
                let state = acks
                    .iter()
                    .map(|o| match &o.last_error {
                        Some(e) => format!("{:?}: {e}", o.state),
                        None => format!("{:?}", o.state),
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                (
                    !acks.is_empty(),
                    acks.iter().any(|o| o.state == OutgoingState::Sent),
                    state,
                )
            }
            None => (false, false, String::new()),
        };
        let in_register = row.as_ref().is_some_and(|r| register.contains(&r.ticket));
        let acknowledgement_arrived = match (&case.answer_to, sent) {
            (Some(to), true) => stack
                .messages(to, "INBOX")
                .await
                .iter()
                // Each kind's acknowledgement (`rules/templates/acuse*.txt`): «Recibimos su consulta / reclamo /
                // sugerencia», «Reportamos su incidencia».
                .any(|m| m.subject.starts_with("Recibimos") || m.subject.starts_with("Reportamos")),
            _ => false,
        };
        let beside_folder = case.anchor.as_ref().map(|k| anchor_folder[k].clone());
        let outcome = if folders.is_empty() {
            "lost"
        } else if folder == AUTOMATIC {
            "automatic"
        } else if folder == ERRORS {
            "error"
        } else if beside_folder.as_deref() == Some(folder.as_str()) && !acknowledged && !in_register
        {
            "beside"
        } else {
            "consultation"
        };
        outcomes.push(Outcome {
            case: case.clone(),
            folders,
            row,
            outcome: outcome.to_string(),
            acknowledged,
            acknowledgement_arrived,
            acknowledgement_state,
            in_register,
            keywords: found
                .first()
                .map(|(_, m)| {
                    m.flags
                        .iter()
                        .filter(|f| !f.starts_with('\\'))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default(),
        });
    }

    if !stack.messages(CONSULTAS, "INBOX").await.is_empty() {
        problems.push("messages left in INBOX".into());
    }
    let log = daemon.log();
    if log.contains("panicked") {
        problems.push(format!("the daemon panicked:\n{log}"));
    }
    let alive = daemon
        .child
        .as_mut()
        .is_some_and(|c| c.try_wait().ok().flatten().is_none());
    if !alive || common::http_get(daemon.web_port, "/health").is_none() {
        problems.push(format!("the daemon is not alive at the end:\n{log}"));
    }
    let histories = history_checks(
        &daemon,
        &store,
        &anchors,
        &anchor_rows,
        &anchor_folder,
        &outcomes,
        &undelivered_notes,
    )
    .await;
    store.close().await;
    (outcomes, problems, histories)
}

/// What the README promises about a consultation whose acknowledgement or reply machine mail answered: its
/// history says so (`reply_undelivered`, `ack_undelivered`, `auto_reply_received`), and a reply that bounced is
/// flagged by a «Respuesta NO entregada» note beside it and a warning in `triaje status`. One line per promise
/// that applies to an anchor of this half, with whether it holds.
async fn history_checks(
    daemon: &Daemon,
    store: &Store,
    anchors: &[Anchor],
    anchor_rows: &BTreeMap<String, ConsultationRow>,
    anchor_folder: &BTreeMap<String, String>,
    outcomes: &[Outcome],
    undelivered_notes: &[InFolder],
) -> Vec<(String, bool)> {
    let status = daemon.status();
    let mut checks = Vec::new();
    for a in anchors {
        let row = &anchor_rows[&a.key];
        let kinds: Vec<String> = store
            .events_for(row.id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        let about: Vec<&Case> = outcomes
            .iter()
            .map(|o| &o.case)
            .filter(|c| c.anchor.as_deref() == Some(a.key.as_str()))
            .collect();
        let any = |about_what: &str, undelivered: bool| {
            about.iter().any(|c| {
                c.about.as_deref() == Some(about_what)
                    && c.undelivered == undelivered
                    && (undelivered
                        || !["dsn", "mailer-daemon", "loop"].contains(&c.signal.as_str()))
            })
        };
        let has = |kind: &str| kinds.iter().any(|k| k == kind);
        let who = format!("anchor {} ({})", a.key, row.ticket);
        if any("reply", true) {
            checks.push((
                format!("{who}: reply_undelivered in its history"),
                has("reply_undelivered"),
            ));
            let note = undelivered_notes.iter().any(|(folder, m)| {
                folder == &anchor_folder[&a.key]
                    && m.subject.contains(&row.ticket)
                    && m.flags.iter().any(|f| f == "\\Flagged")
            });
            checks.push((
                format!("{who}: a flagged «Respuesta NO entregada» note beside it"),
                note,
            ));
            checks.push((
                format!("{who}: `triaje status` warns the answer did not arrive"),
                status.contains("ATENCIÓN: la respuesta no llegó al ciudadano")
                    && status.contains(&row.ticket),
            ));
        }
        if any("ack", true) {
            checks.push((
                format!("{who}: ack_undelivered in its history"),
                has("ack_undelivered"),
            ));
        }
        if any("reply", false) || any("ack", false) {
            checks.push((
                format!("{who}: auto_reply_received in its history"),
                has("auto_reply_received"),
            ));
        }
    }
    checks
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// `n of m` figures grouped by a key, for the printed report.
fn tally<'a>(
    outcomes: impl Iterator<Item = &'a Outcome>,
    key: impl Fn(&Outcome) -> String,
) -> BTreeMap<String, (usize, usize)> {
    let mut t: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for o in outcomes {
        let e = t.entry(key(o)).or_default();
        e.1 += 1;
        if o.as_expected() {
            e.0 += 1;
        }
    }
    t
}

/// The figures of a half, printed; returned for the assertions.
struct Figures {
    machine: usize,
    machine_acknowledged: usize,
    machine_in_register: usize,
    machine_as_expected: usize,
    beside: usize,
    beside_as_expected: usize,
    people: usize,
    people_acknowledged_and_registered: usize,
    broken: usize,
    broken_handled: usize,
    lost_or_doubled: usize,
    without_record: usize,
}

fn figures(half: &str, outcomes: &[Outcome], by_signal: bool) -> Figures {
    let of = |kind: &'static str| outcomes.iter().filter(move |o| o.case.kind == kind);
    let machine: Vec<&Outcome> = of("machine").collect();
    let f = Figures {
        machine: machine.len(),
        machine_acknowledged: machine.iter().filter(|o| o.acknowledged).count(),
        machine_in_register: machine.iter().filter(|o| o.in_register).count(),
        machine_as_expected: machine.iter().filter(|o| o.as_expected()).count(),
        beside: machine.iter().filter(|o| o.case.expect == "beside").count(),
        beside_as_expected: machine
            .iter()
            .filter(|o| o.case.expect == "beside" && o.as_expected())
            .count(),
        people: of("person").count(),
        people_acknowledged_and_registered: of("person").filter(|o| o.as_expected()).count(),
        broken: of("broken").count(),
        broken_handled: of("broken").filter(|o| o.broken_handled()).count(),
        lost_or_doubled: outcomes.iter().filter(|o| o.folders.len() != 1).count(),
        without_record: outcomes.iter().filter(|o| o.row.is_none()).count(),
    };
    println!(
        "\n== hostile_independent, {half}: {} messages",
        outcomes.len()
    );
    println!(
        "lost or in two folders: {}; bytes changed or no record: {}",
        f.lost_or_doubled, f.without_record
    );
    println!(
        "machine mail: {} — acknowledged {}, in the register {}, filed as labelled {} ({} of {} beside their consultation)",
        f.machine,
        f.machine_acknowledged,
        f.machine_in_register,
        f.machine_as_expected,
        f.beside_as_expected,
        f.beside
    );
    println!(
        "people's machine-looking mail: {} — acknowledged and in the register {}",
        f.people, f.people_acknowledged_and_registered
    );
    println!(
        "broken mail: {} — a consultation or in Errores with its reason {} (consultations {}, errors {})",
        f.broken,
        f.broken_handled,
        of("broken").filter(|o| o.outcome == "consultation").count(),
        of("broken").filter(|o| o.outcome == "error").count()
    );
    println!("as labelled, by kind:");
    for (k, (ok, n)) in tally(outcomes.iter(), |o| o.case.kind.clone()) {
        println!("  {k:10} {ok:3} of {n:3}");
    }
    if by_signal {
        println!(
            "as labelled, by signal (machine mail; people by the machine-like sign they carry):"
        );
        for (k, (ok, n)) in tally(outcomes.iter().filter(|o| o.case.kind != "broken"), |o| {
            format!("{:7} {}", o.case.kind, o.case.signal)
        }) {
            println!("  {k:28} {ok:3} of {n:3}");
        }
    }
    f
}

fn print_cases(outcomes: &[Outcome]) {
    println!("case                                              kind     expect        outcome       folder            ack reg");
    for o in outcomes {
        println!(
            "{} {:49} {:8} {:13} {:13} {:17} {:3} {:3}  {} {}",
            if o.as_expected() { " " } else { "✗" },
            o.case.file.trim_end_matches(".eml"),
            o.case.kind,
            o.case.expect,
            o.outcome,
            o.folders.join("+"),
            if o.acknowledged { "yes" } else { "-" },
            if o.in_register { "yes" } else { "-" },
            o.row
                .as_ref()
                .map(|r| r.state.as_str())
                .unwrap_or("no record"),
            o.acknowledgement_state,
        );
    }
    let misses: BTreeMap<String, Vec<String>> =
        outcomes
            .iter()
            .filter(|o| !o.as_expected())
            .fold(BTreeMap::new(), |mut m, o| {
                m.entry(o.case.family.clone())
                    .or_default()
                    .push(o.case.file.trim_end_matches(".eml").to_string());
                m
            });
    println!("misses by family:");
    for (family, files) in misses {
        println!("  {family}: {}", files.join(", "));
    }
}

/// Tune cases that break the zero-tolerance promise (machine mail never acknowledged, never in the register)
/// with this version of triaje, each with why; reported to the coordinator for issue 15. They are still
/// checked for everything else (one folder, bytes unchanged) and printed at every run; one that stops
/// breaking the promise is printed too, so the list can shrink.
///
/// Since the weighing of round 2 (strong signals alone, weak ones against the signs of a person) none: `m52`
/// (only «Acuse de recibo automático» in the subject) and `m54` (an alias loop, `Delivered-To:
/// consultas@osce.test` below the server's own) are recognised.
const KNOWN_BREACHES_TUNE: &[(&str, &str)] = &[];

/// How many held-out machine messages break the same promise with this version (the cases are not read): 2,
/// measured once after round 2's weighing (3 before it).
const KNOWN_BREACHES_HELDOUT: usize = 2;

/// The zero-tolerance promises and the floors of what this version reaches.
fn assert_half(
    half: &str,
    outcomes: &[Outcome],
    problems: &[String],
    histories: &[(String, bool)],
    f: &Figures,
    floors: Floors,
) {
    assert!(problems.is_empty(), "{half}: {problems:#?}");
    let kept = histories.iter().filter(|(_, holds)| *holds).count();
    println!(
        "consultations whose acknowledgement or reply machine mail answered: {kept} of {} promises kept \
         (history, the «Respuesta NO entregada» note, the status warning)",
        histories.len()
    );
    assert!(
        kept >= floors.histories,
        "{half}: promises about the consultations' histories kept {kept} < {}",
        floors.histories
    );
    assert_eq!(
        f.lost_or_doubled, 0,
        "{half}: a message lost or filed twice"
    );
    assert_eq!(
        f.without_record, 0,
        "{half}: a message whose bytes in its folder match no record (changed, or never recorded)"
    );
    assert_eq!(
        f.broken_handled, f.broken,
        "{half}: broken mail neither a consultation nor in Errores with its reason"
    );
    let breaches: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.case.kind == "machine" && (o.acknowledged || o.in_register))
        .collect();
    if half == "tune" {
        let known = |o: &&Outcome| {
            KNOWN_BREACHES_TUNE
                .iter()
                .any(|(name, _)| o.case.file.trim_end_matches(".eml") == *name)
        };
        for (name, why) in KNOWN_BREACHES_TUNE {
            let still = breaches
                .iter()
                .any(|o| o.case.file.trim_end_matches(".eml") == *name);
            println!(
                "KNOWN BREACH {name}: {} ({why})",
                if still {
                    "acknowledged or in the register"
                } else {
                    "no longer — remove it from KNOWN_BREACHES_TUNE"
                }
            );
        }
        let new: Vec<&str> = breaches
            .iter()
            .filter(|o| !known(o))
            .map(|o| o.case.file.as_str())
            .collect();
        assert!(
            new.is_empty(),
            "{half}: machine mail acknowledged or in the register: {new:?}"
        );
    } else {
        println!(
            "machine mail acknowledged or in the register: {} (known: {KNOWN_BREACHES_HELDOUT})",
            breaches.len()
        );
        assert!(
            breaches.len() <= KNOWN_BREACHES_HELDOUT,
            "{half}: machine mail acknowledged or in the register: {} > {KNOWN_BREACHES_HELDOUT}",
            breaches.len()
        );
    }
    assert!(
        f.machine_as_expected >= floors.machine,
        "{half}: machine mail filed as labelled {} < {}",
        f.machine_as_expected,
        floors.machine
    );
    assert!(
        f.people_acknowledged_and_registered >= floors.people,
        "{half}: people acknowledged and registered {} < {}",
        f.people_acknowledged_and_registered,
        floors.people
    );
}

/// What this version reaches on each half (floors: a regression fails the test, an improvement does not).
#[derive(Clone, Copy)]
struct Floors {
    machine: usize,
    people: usize,
    histories: usize,
}

#[tokio::test(flavor = "multi_thread")]
async fn independent_hostile_mail_tune_half_on_a_live_daemon() {
    let (outcomes, problems, histories) = run_half("tune").await;
    print_cases(&outcomes);
    for (check, holds) in &histories {
        println!("{} {check}", if *holds { " " } else { "✗" });
    }
    let f = figures("tune", &outcomes, true);
    assert_half(
        "tune",
        &outcomes,
        &problems,
        &histories,
        &f,
        Floors {
            // 35 of 35 measured. A responder's answer to a reply that arrives while the answered consultation is
            // still on its way to «Atendidas» follows it there (`beside_mail_pass`; before it, filed in the folder
            // the consultation had just left: seen once, `z09`, and the floor was 34).
            machine: 35,
            people: 15,
            histories: 10,
        },
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn independent_hostile_mail_heldout_half_on_a_live_daemon() {
    let (outcomes, problems, histories) = run_half("heldout").await;
    // Aggregates by kind only: the held-out cases are not to be tuned on, and a figure per signal would name
    // single cases.
    let f = figures("heldout", &outcomes, false);
    assert_half(
        "heldout",
        &outcomes,
        &problems,
        &histories,
        &f,
        Floors {
            // Measured once after round 2's weighing (30 and 12 before it).
            machine: 31,
            people: 14,
            histories: 9,
        },
    );
}
