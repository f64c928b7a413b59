//! The crash campaign (issue 6, part 1), short version: real Postfix and Dovecot, `triaje run` killed with
//! SIGKILL at random moments (seeded; the seed is printed) while consultations arrive over SMTP and assistants
//! drop reply drafts, restarted after each kill. At the end, from the servers and the store: every delivered
//! message is in exactly one folder with exactly one record, no citizen got two acknowledgements for one message
//! (acknowledgements interrupted by a kill are not resent: at most one missing per kill), every accepted draft
//! produced its reply, and extra copies of replies are bounded by the kills that could cause them (README,
//! "Outgoing mail and what triaje guarantees").
//!
//! `scripts/faults` runs the long campaign (FAULTS_MESSAGES, FAULTS_KILLS, FAULTS_SEED) and writes its figures.

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::installation::Installation;
use common::MailStack;

const CONSULTAS: &str = "consultas@osce.test";
const CITIZENS: [&str; 5] = [
    "ciudadano1@example.test",
    "ciudadano2@example.test",
    "ciudadano3@example.test",
    "ciudadano4@example.test",
    "ciudadano5@example.test",
];
const BODIES: [(&str, &str); 3] = [
    ("Clave del SEACE", "No puedo ingresar al SEACE, mi usuario esta bloqueado y olvide la contraseña."),
    ("Renovación RNP", "Quiero renovar mi inscripción en el Registro Nacional de Proveedores como proveedor de bienes."),
    ("Consulta", "Buenos días, quisiera información general."),
];

/// A small, seeded generator (xorshift64*): the same seed replays the same campaign.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn consultation(from: &str, id: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {CONSULTAS}\r\nSubject: {subject} {id}\r\nMessage-ID: <{id}>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

fn header_ids(raw: &[u8], name: &str) -> Vec<String> {
    let Some(m) = mail_parser::MessageParser::default().parse(raw) else {
        return Vec::new();
    };
    match name {
        "in-reply-to" => m
            .in_reply_to()
            .as_text_list()
            .map(|l| l.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default(),
        _ => m
            .message_id()
            .map(|s| vec![s.to_string()])
            .unwrap_or_default(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_at_random_nothing_is_lost_filed_twice_or_acknowledged_twice() {
    let messages = env_number("FAULTS_MESSAGES", 150);
    let kills = env_number("FAULTS_KILLS", 5);
    let seed = env_number(
        "FAULTS_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
            | 1,
    );
    eprintln!(
        "faults: seed {seed} (replay with FAULTS_SEED={seed}), {messages} messages, {kills} kills"
    );
    let mut rng = Rng(seed);

    let stack = MailStack::start();
    let installed = Installation::plain(&stack)
        .set("triage", "poll_seconds = 1")
        .set("triage", "batch_size = 20")
        .set("acknowledgement", "per_sender_per_hour = 100000")
        .set("replies", "check_seconds = 1")
        .set("outbox", "retry_first_seconds = 1")
        .set("outbox", "retry_max_seconds = 2")
        .set("outbox", "lease_seconds = 60")
        .write();

    // Deliveries run in their own thread, at a steady pace, while the daemon is killed and restarted.
    let smtp_port = stack.smtp_port;
    let mut plan = Vec::new();
    for i in 0..messages {
        let citizen = CITIZENS[rng.below(CITIZENS.len() as u64) as usize];
        let (subject, body) = BODIES[rng.below(BODIES.len() as u64) as usize];
        plan.push((citizen, format!("m{i}.{seed}@example.test"), subject, body));
    }
    let deliveries = plan.clone();
    let sender = std::thread::spawn(move || {
        for (citizen, id, subject, body) in deliveries {
            common::smtp_send(
                smtp_port,
                citizen,
                &[CONSULTAS],
                &consultation(citizen, &id, subject, body),
            )
            .unwrap();
            std::thread::sleep(Duration::from_millis(15));
        }
    });

    let mut daemon = installed.spawn_run();
    let mut assistant = stack.imap(CONSULTAS).await;
    let mut drafts: HashMap<String, String> = HashMap::new(); // citizen Message-ID → citizen
    let mut done_kills = 0;
    let start = Instant::now();
    while done_kills < kills {
        tokio::time::sleep(Duration::from_millis(300 + rng.below(1500))).await;
        // Assistants answer a few filed SEACE consultations between kills.
        for m in assistant.messages("SEACE").await.into_iter().take(3) {
            let Some(id) = m.message_id.clone() else {
                continue;
            };
            if drafts.contains_key(&id) {
                continue;
            }
            let to = plan
                .iter()
                .find(|p| p.1 == id)
                .map(|p| p.0)
                .unwrap_or(CITIZENS[0]);
            let draft = format!(
                "From: {CONSULTAS}\r\nTo: {to}\r\nSubject: RE: {}\r\nMessage-ID: <d.{id}>\r\nIn-Reply-To: <{id}>\r\n\
                 Content-Type: text/plain; charset=utf-8\r\n\r\nSu usuario fue desbloqueado.\r\n\r\nAtentamente,\r\nAna\r\n",
                m.subject
            );
            assistant.append("Por enviar", draft.as_bytes(), None).await;
            drafts.insert(id, to.to_string());
        }
        daemon.stop();
        done_kills += 1;
        daemon.spawn();
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "campaign took too long"
        );
    }
    sender.join().unwrap();

    // Let the last run finish everything: inbox and drafts empty, outbox drained (a claim of a killed sender
    // expires after lease_seconds).
    let deadline = Instant::now() + Duration::from_secs(150);
    loop {
        let inbox = assistant.summaries("INBOX").await.len();
        let pending = assistant.summaries("Por enviar").await.len();
        let status = daemon.status();
        if inbox == 0 && pending == 0 && status.contains("Correo saliente: 0 en cola") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not settled: inbox {inbox}, drafts {pending}\n{status}\n{}",
            daemon
                .log()
                .lines()
                .rev()
                .take(30)
                .collect::<Vec<_>>()
                .join("\n")
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    daemon.stop();

    // Every delivered message: exactly one copy across the office's folders.
    let mut copies: HashMap<String, usize> = HashMap::new();
    for folder in assistant.folders().await {
        for m in assistant.messages(&folder).await {
            if let Some(id) = m.message_id {
                *copies.entry(id).or_default() += 1;
            }
        }
    }
    let mut lost = 0;
    let mut filed_twice = 0;
    for (_, id, _, _) in &plan {
        match copies.get(id).copied().unwrap_or(0) {
            0 => lost += 1,
            1 => {}
            _ => filed_twice += 1,
        }
    }
    // Exactly one record per delivered message.
    let db = daemon.store().await;
    let rows = db.consultations(Some("consultas")).await.unwrap();
    let mut records: HashMap<String, usize> = HashMap::new();
    for r in &rows {
        if let Some(id) = &r.message_id {
            *records.entry(id.clone()).or_default() += 1;
        }
    }
    let unrecorded = plan.iter().filter(|p| !records.contains_key(&p.1)).count();
    let recorded_twice = plan
        .iter()
        .filter(|p| records.get(&p.1).copied().unwrap_or(0) > 1)
        .count();

    // The citizens' side: acknowledgements and replies per consultation.
    let mut acks: HashMap<String, usize> = HashMap::new();
    let mut replies: HashMap<String, usize> = HashMap::new();
    for citizen in CITIZENS {
        for m in stack.messages(citizen, "INBOX").await {
            for id in header_ids(&m.raw, "in-reply-to") {
                if m.subject.starts_with("RE:") {
                    *replies.entry(id).or_default() += 1;
                } else {
                    *acks.entry(id).or_default() += 1;
                }
            }
        }
    }
    let acked_twice = acks.values().filter(|&&n| n > 1).count();
    let unacknowledged = plan.iter().filter(|p| !acks.contains_key(&p.1)).count();
    let missing_replies = drafts
        .keys()
        .filter(|id| !replies.contains_key(*id))
        .count();
    let replies_twice: usize = replies.values().filter(|&&n| n > 1).map(|n| n - 1).sum();
    let figures = format!(
        "seed {seed}: delivered {messages}, kills {done_kills}, drafts {}, lost {lost}, filed twice {filed_twice}, \
         unrecorded {unrecorded}, recorded twice {recorded_twice}, acknowledged twice {acked_twice}, \
         not acknowledged {unacknowledged}, replies missing {missing_replies}, extra reply copies {replies_twice}",
        drafts.len()
    );
    eprintln!("faults: {figures}");
    if let Ok(path) = std::env::var("FAULTS_FIGURES") {
        std::fs::write(path, format!("{figures}\n")).unwrap();
    }
    assert_eq!(
        (lost, filed_twice, unrecorded, recorded_twice),
        (0, 0, 0, 0),
        "{figures}"
    );
    assert_eq!(missing_replies, 0, "{figures}");
    // Acknowledgements are at most once: never two, and one whose send a kill interrupted is not sent again.
    assert_eq!(acked_twice, 0, "{figures}");
    assert!(unacknowledged <= done_kills as usize, "{figures}");
    // Replies are at least once: the one documented duplicate window is a kill between the server's 250 and
    // the record of the send, at most one message per kill.
    assert!(replies_twice <= done_kills as usize, "{figures}");
}
