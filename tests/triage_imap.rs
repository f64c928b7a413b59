//! Triage against a real Dovecot on loopback: dates, folders, keywords, idempotence, IDLE, both databases.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use common::{consultation_of, MailStack};
use triaje::calendar::LIMA;
use triaje::store::Store;

/// A test installation: config file, data dir, and the store URL it uses.
struct Install {
    dir: tempfile::TempDir,
    config: PathBuf,
    db_url: String,
}

fn install(stack: &MailStack, db_url: Option<String>, extra_triage: &str) -> Install {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db_url = db_url.unwrap_or_else(|| format!("sqlite://{}", data.join("triaje.db").display()));
    // A private copy of the shipped rules, so a test can edit them under a running daemon.
    let rules = dir.path().join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in std::fs::read_dir(&shipped).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) == Some("toml") {
            std::fs::copy(&path, rules.join(path.file_name().unwrap())).unwrap();
        }
    }
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            r#"data_dir = "{data}"
database_url = "{db_url}"
rules_dir = "{rules}"

[triage]
poll_seconds = 1
{extra_triage}

[[mailbox]]
name = "consultas"
address = "consultas@osce.test"
cutoff = "16:30"
deadline = "disponibilidad"
[mailbox.imap]
host = "127.0.0.1"
port = {port}
tls = "none"
username = "consultas@osce.test"
password = "secret"
"#,
            data = data.display(),
            rules = rules.display(),
            port = stack.imap_port,
        ),
    )
    .unwrap();
    Install {
        dir,
        config,
        db_url,
    }
}

fn triaje(inst: &Install, args: &[&str]) -> Output {
    let out = Command::new(common::triaje_bin())
        .arg("--config")
        .arg(&inst.config)
        .args(args)
        .output()
        .unwrap();
    out
}

fn once(inst: &Install) -> String {
    let out = triaje(inst, &["once"]);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "triaje once failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn lima(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<FixedOffset> {
    FixedOffset::west_opt(5 * 3600)
        .unwrap()
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
}

fn consultation(subject_word: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Ciudadano <ciudadano1@example.test>\r\nTo: consultas@osce.test\r\nSubject: {subject_word}\r\n\
         Message-ID: <{}@example.test>\r\nDate: Wed, 01 Jan 2099 08:00:00 -0500\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        uuid_like(subject_word, body)
    )
    .into_bytes()
}

fn uuid_like(a: &str, b: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (a, b, std::time::SystemTime::now()).hash(&mut h);
    format!("{:016x}", h.finish())
}

const SEACE_BODY: &str =
    "No puedo ingresar al SEACE, mi usuario esta bloqueado y olvide la contraseña.";
const RNP_BODY: &str = "Quiero renovar mi inscripción en el Registro Nacional de Proveedores como proveedor de bienes.";

async fn store(inst: &Install) -> Store {
    Store::connect(&inst.db_url).await.unwrap()
}

fn lima_text(t: DateTime<Utc>) -> String {
    t.with_timezone(&LIMA).format("%Y-%m-%d %H:%M").to_string()
}

async fn check_cutoff_and_holidays(db_url: Option<String>) {
    let stack = MailStack::start();
    let inst = install(&stack, db_url, "");
    // Friday 20 Nov 2026: 16:29 is before the cut-off, 16:30 is not.
    let cases = [
        (
            "seace antes del corte",
            SEACE_BODY,
            lima(2026, 11, 20, 16, 29),
            "2026-11-20 16:29",
        ),
        (
            "seace en el corte",
            SEACE_BODY,
            lima(2026, 11, 20, 16, 30),
            "2026-11-23 08:30",
        ),
        (
            "rnp sabado",
            RNP_BODY,
            lima(2026, 11, 21, 11, 0),
            "2026-11-23 08:30",
        ),
        // 28 and 29 July are Fiestas Patrias.
        (
            "rnp fiestas patrias",
            RNP_BODY,
            lima(2026, 7, 28, 10, 0),
            "2026-07-30 08:30",
        ),
        // Holy Thursday and Good Friday 2026: 2 and 3 April.
        (
            "rnp jueves santo",
            RNP_BODY,
            lima(2026, 4, 2, 10, 0),
            "2026-04-06 08:30",
        ),
    ];
    for (subject, body, at, _) in &cases {
        stack
            .append(
                "consultas@osce.test",
                "INBOX",
                &consultation(subject, body),
                Some(*at),
            )
            .await;
    }
    // Another time zone: 22:00 in UTC+1 is 16:00 in Lima, before the cut-off.
    let madrid = FixedOffset::east_opt(3600)
        .unwrap()
        .with_ymd_and_hms(2026, 11, 19, 22, 0, 0)
        .unwrap();
    stack
        .append(
            "consultas@osce.test",
            "INBOX",
            &consultation("seace desde madrid", SEACE_BODY),
            Some(madrid),
        )
        .await;

    let out = once(&inst);
    assert!(out.contains("6 registrados"), "{out}");
    assert!(stack
        .messages("consultas@osce.test", "INBOX")
        .await
        .is_empty());

    let seace = stack.messages("consultas@osce.test", "SEACE").await;
    let rnp = stack.messages("consultas@osce.test", "RNP").await;
    assert_eq!(seace.len(), 3, "SEACE holds the three SEACE questions");
    assert_eq!(rnp.len(), 3, "RNP holds the three RNP questions");

    let db = store(&inst).await;
    let mut seen = Vec::new();
    for m in seace.iter().chain(rnp.iter()) {
        let c = consultation_of(&db, m).await;
        // The forged 2099 Date: header never moves anything: arrival is the server's INTERNALDATE.
        assert!(
            c.received_at.to_rfc3339().starts_with("2026-"),
            "{:?}",
            c.received_at
        );
        assert!(
            m.flags
                .iter()
                .any(|f| f == "Alta" || f == "Media" || f == "Baja"),
            "{:?}",
            m.flags
        );
        let due = c
            .deadline_at
            .with_timezone(&LIMA)
            .format("Vence_%Y-%m-%d")
            .to_string();
        assert!(
            m.flags.contains(&due),
            "deadline keyword {due} in {:?}",
            m.flags
        );
        // Only those two keywords: one per message (its ticket) would make the server resend a list that grows
        // with every message to every client.
        let keywords: Vec<&String> = m.flags.iter().filter(|f| !f.starts_with('\\')).collect();
        assert_eq!(keywords.len(), 2, "{:?}", m.flags);
        seen.push((m.subject.clone(), lima_text(c.effective_received_at)));
    }
    for (subject, _, _, expected) in &cases {
        let got = seen
            .iter()
            .find(|(s, _)| s == subject)
            .map(|(_, e)| e.clone());
        assert_eq!(
            got.as_deref(),
            Some(*expected),
            "effective time of «{subject}»"
        );
    }
    let madrid = seen
        .iter()
        .find(|(s, _)| s == "seace desde madrid")
        .unwrap();
    assert_eq!(madrid.1, "2026-11-19 16:00");
}

#[tokio::test(flavor = "multi_thread")]
async fn cutoff_weekend_and_holidays_on_sqlite() {
    check_cutoff_and_holidays(None).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cutoff_weekend_and_holidays_on_postgres() {
    let (url, _guard) = common::fresh_pg_database();
    check_cutoff_and_holidays(Some(url)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn running_twice_files_nothing_twice() {
    let stack = MailStack::start();
    let inst = install(&stack, None, "");
    for i in 0..5 {
        let body = if i % 2 == 0 { SEACE_BODY } else { RNP_BODY };
        stack.send(
            "ciudadano1@example.test",
            &["consultas@osce.test"],
            &consultation(&format!("consulta {i}"), body),
        );
    }
    stack
        .wait_for("consultas@osce.test", "INBOX", 5, Duration::from_secs(20))
        .await;
    let first = once(&inst);
    assert!(first.contains("5 registrados"), "{first}");
    let second = once(&inst);
    assert!(second.contains("0 registrados"), "{second}");
    let total = stack.messages("consultas@osce.test", "SEACE").await.len()
        + stack.messages("consultas@osce.test", "RNP").await.len();
    assert_eq!(total, 5);
    let db = store(&inst).await;
    let mut tickets: Vec<String> = Vec::new();
    for m in stack
        .messages("consultas@osce.test", "SEACE")
        .await
        .iter()
        .chain(stack.messages("consultas@osce.test", "RNP").await.iter())
    {
        tickets.push(consultation_of(&db, m).await.ticket);
    }
    tickets.sort();
    tickets.dedup();
    assert_eq!(tickets.len(), 5, "one distinct ticket per message");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_a_colleague_already_read_is_still_filed() {
    let stack = MailStack::start();
    let inst = install(&stack, None, "");
    stack
        .append(
            "consultas@osce.test",
            "INBOX",
            &consultation("leido", SEACE_BODY),
            None,
        )
        .await;
    {
        let mut imap = stack.imap("consultas@osce.test").await;
        imap.mark_seen_all("INBOX").await;
    }
    once(&inst);
    let seace = stack.messages("consultas@osce.test", "SEACE").await;
    assert_eq!(seace.len(), 1);
    assert!(
        seace[0].flags.iter().any(|f| f == "\\Seen"),
        "triaje keeps the colleague's \\Seen"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unmatched_and_oversize_mail_is_never_lost() {
    let stack = MailStack::start();
    let inst = install(&stack, None, "max_message_bytes = 4096");
    stack
        .append(
            "consultas@osce.test",
            "INBOX",
            &consultation("hola", "Muchas gracias, saludos."),
            None,
        )
        .await;
    let big = consultation("adjunto grande", &"x".repeat(10_000));
    stack
        .append("consultas@osce.test", "INBOX", &big, None)
        .await;
    let garbage = b"\x00\x01\x02 not a message at all \xff\xfe".to_vec();
    stack
        .append("consultas@osce.test", "INBOX", &garbage, None)
        .await;
    let out = once(&inst);
    assert!(out.contains("3 registrados"), "{out}");
    let unclassified = stack
        .messages("consultas@osce.test", "Por clasificar")
        .await;
    let errors = stack.messages("consultas@osce.test", "Errores").await;
    assert_eq!(
        unclassified.len() + errors.len(),
        3,
        "every message is somewhere"
    );
    assert!(!errors.is_empty(), "the oversize message is in Errores");
    let db = store(&inst).await;
    let big = errors
        .iter()
        .find(|m| m.subject == "adjunto grande")
        .expect("oversize message in Errores");
    let row = consultation_of(&db, big).await;
    let reason = row.record.error_reason.unwrap_or_default();
    assert!(
        reason.contains("supera el máximo"),
        "reason recorded: {reason}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn servers_without_move_still_get_mail_filed() {
    let stack = MailStack::start_with(common::StackOptions {
        no_move: true,
        ..Default::default()
    });
    let inst = install(&stack, None, "");
    stack
        .append(
            "consultas@osce.test",
            "INBOX",
            &consultation("sin move", RNP_BODY),
            None,
        )
        .await;
    once(&inst);
    assert_eq!(stack.messages("consultas@osce.test", "RNP").await.len(), 1);
    assert!(stack
        .messages("consultas@osce.test", "INBOX")
        .await
        .is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn mail_delivered_while_the_daemon_idles_is_filed_within_seconds() {
    let stack = MailStack::start();
    let inst = install(&stack, None, "");
    let mut child = std::process::Command::new(common::triaje_bin())
        .arg("--config")
        .arg(&inst.config)
        .arg("run")
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(inst.dir.path().join("run.log")).unwrap())
        .spawn()
        .unwrap();
    // Let it connect and enter IDLE.
    tokio::time::sleep(Duration::from_secs(2)).await;
    stack.send(
        "ciudadano2@example.test",
        &["consultas@osce.test"],
        &consultation("en vivo", SEACE_BODY),
    );
    let filed = stack
        .wait_for("consultas@osce.test", "SEACE", 1, Duration::from_secs(10))
        .await;
    assert_eq!(filed.len(), 1);

    // A broken rule file is refused: the old rules stay in force and the daemon keeps filing.
    let rules = inst.dir.path().join("rules");
    std::fs::write(
        rules.join("00-urgente.toml"),
        "[[rule]]\nname = \"roto\"\nfolder = ",
    )
    .unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    stack.send(
        "ciudadano2@example.test",
        &["consultas@osce.test"],
        &consultation("sigue igual", RNP_BODY),
    );
    stack
        .wait_for("consultas@osce.test", "RNP", 1, Duration::from_secs(10))
        .await;

    // A corrected file takes effect without a restart. Its rule outweighs the RNP evidence of the body (rules add
    // up their scores; order only breaks ties).
    std::fs::write(
        rules.join("00-urgente.toml"),
        "[[rule]]\nname = \"zz-prueba\"\nfolder = \"Legal\"\ncategory = \"Prueba\"\navailability = \"Baja\"\nscore = 20\nsubject = [\"palabraclave\"]\n",
    )
    .unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    stack.send(
        "ciudadano2@example.test",
        &["consultas@osce.test"],
        &consultation("palabraclave nueva", RNP_BODY),
    );
    let legal = stack
        .wait_for("consultas@osce.test", "Legal", 1, Duration::from_secs(10))
        .await;
    assert_eq!(legal[0].subject, "palabraclave nueva");

    // SIGTERM: the daemon finishes and exits cleanly.
    unsafe {
        libc_kill(child.id() as i32, 15);
    }
    let status = wait_timeout(&mut child, Duration::from_secs(10));
    let log = std::fs::read_to_string(inst.dir.path().join("run.log")).unwrap_or_default();
    assert_eq!(status, Some(true), "daemon exits 0 on SIGTERM; log:\n{log}");
}

extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, sig: i32) -> i32;
}

fn wait_timeout(child: &mut std::process::Child, limit: Duration) -> Option<bool> {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status.success());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    None
}

/// Which consultation a moved message is, with no ticket on it: a message without a `Message-ID` is told by its
/// content, and of two deliveries of one message (same `Message-ID`, different bytes) only the one moved counts.
#[tokio::test(flavor = "multi_thread")]
async fn a_correction_finds_messages_without_or_sharing_a_message_id() {
    let stack = MailStack::start();
    let inst = install(&stack, None, "");
    let no_id = b"From: Ciudadano <ciudadano2@example.test>\r\nTo: consultas@osce.test\r\nSubject: sin identificador\r\n\
                  Date: Mon, 23 Nov 2026 09:00:00 -0500\r\n\r\nBuenos dias, una consulta general.\r\n"
        .to_vec();
    let twice = |hop: &str| {
        format!(
            "Received: from {hop} by osce.test; Mon, 23 Nov 2026 09:00:00 -0500\r\n\
             From: Ciudadano <ciudadano3@example.test>\r\nTo: consultas@osce.test\r\nSubject: repetido\r\n\
             Message-ID: <misma-{}@example.test>\r\n\r\nHola, saludos cordiales.\r\n",
            uuid_like("repetido", "")
        )
    };
    let first_copy = twice("relay1");
    // The same Message-ID for both copies (the closure's id differs per call): take it from the first.
    let id_line = first_copy
        .lines()
        .find(|l| l.starts_with("Message-ID"))
        .unwrap()
        .to_string();
    let second_copy = twice("relay2")
        .lines()
        .map(|l| {
            if l.starts_with("Message-ID") {
                id_line.clone()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    for raw in [no_id, first_copy.into_bytes(), second_copy.into_bytes()] {
        stack
            .append("consultas@osce.test", "INBOX", &raw, None)
            .await;
    }
    once(&inst);
    let db = store(&inst).await;
    let unclassified = stack
        .messages("consultas@osce.test", "Por clasificar")
        .await;
    assert_eq!(unclassified.len(), 3, "all three in «Por clasificar»");
    let mut ticket_of_uid = std::collections::HashMap::new();
    for m in &unclassified {
        ticket_of_uid.insert(m.uid, consultation_of(&db, m).await.ticket);
    }
    let without = unclassified
        .iter()
        .find(|m| m.message_id.is_none())
        .expect("the message without Message-ID");
    let relay2 = unclassified
        .iter()
        .find(|m| String::from_utf8_lossy(&m.raw).contains("relay2"))
        .expect("the second copy");

    // The coordinator moves the message without Message-ID to SEACE and the second copy to RNP.
    let mut coordinator = stack.imap("consultas@osce.test").await;
    coordinator
        .move_uids("Por clasificar", &without.uid.to_string(), "SEACE")
        .await;
    coordinator
        .move_uids("Por clasificar", &relay2.uid.to_string(), "RNP")
        .await;
    once(&inst);

    let folder_of = |ticket: &str| {
        let db = db.clone();
        let ticket = ticket.to_string();
        async move {
            db.consultation_by_ticket(&ticket)
                .await
                .unwrap()
                .unwrap()
                .record
                .folder
        }
    };
    assert_eq!(folder_of(&ticket_of_uid[&without.uid]).await, "SEACE");
    assert_eq!(folder_of(&ticket_of_uid[&relay2.uid]).await, "RNP");
    let stayed = unclassified
        .iter()
        .find(|m| m.uid != without.uid && m.uid != relay2.uid)
        .unwrap();
    assert_eq!(
        folder_of(&ticket_of_uid[&stayed.uid]).await,
        "Por clasificar",
        "the first copy, with the same Message-ID, was not moved and is not a correction"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_coordinators_manual_correction_is_recorded_and_counted() {
    let stack = MailStack::start();
    let inst = install(&stack, None, "");
    stack
        .append(
            "consultas@osce.test",
            "INBOX",
            &consultation("hola", "Muchas gracias, saludos."),
            None,
        )
        .await;
    once(&inst);
    let unclassified = stack
        .messages("consultas@osce.test", "Por clasificar")
        .await;
    assert_eq!(unclassified.len(), 1);
    let db = store(&inst).await;
    let ticket = consultation_of(&db, &unclassified[0]).await.ticket;

    // The coordinator drags it to RNP in the mail client; the next pass notices.
    let mut coordinator = stack.imap("consultas@osce.test").await;
    coordinator.move_all("Por clasificar", "RNP").await;
    let second = once(&inst);
    assert!(second.contains("0 registrados"), "{second}");

    let c = db.consultation_by_ticket(&ticket).await.unwrap().unwrap();
    assert_eq!(
        c.folder, "RNP",
        "the register follows the person's decision"
    );
    let events = db.events_for(c.id).await.unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.kind == "moved_by_hand" && e.detail.contains("Por clasificar")),
        "{events:?}"
    );
    // A third pass records nothing more.
    once(&inst);
    let events = db.events_for(c.id).await.unwrap();
    assert_eq!(
        events.iter().filter(|e| e.kind == "moved_by_hand").count(),
        1
    );

    // The month's indicators count it.
    let month = chrono::Utc::now()
        .with_timezone(&LIMA)
        .format("%Y-%m")
        .to_string();
    let path = inst.dir.path().join("ind.xlsx");
    let out = triaje(
        &inst,
        &[
            "report",
            "indicators",
            "--month",
            &month,
            "--output",
            path.to_str().unwrap(),
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Correcciones de las reglas: 1"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
