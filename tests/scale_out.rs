//! Scale-out (issue 7): three `triaje run` sharing one PostgreSQL store and 27 mailboxes on the real mail stack.
//! The daemons split the mailboxes between them (9 each); one is killed with SIGKILL while mail arrives and
//! reply drafts are being sent; the two left take its mailboxes over within 30 s. At the end, from the servers
//! and the store: every message filed once and recorded once, no acknowledgement twice, every draft's reply
//! sent (at most one extra copy: the kill's documented window), every mailbox held by a live daemon.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{MailStack, StackOptions};
use triaje::store::Store;

const MAILBOXES: usize = 27;
const CITIZENS: [&str; 5] = [
    "ciudadano1@example.test",
    "ciudadano2@example.test",
    "ciudadano3@example.test",
    "ciudadano4@example.test",
    "ciudadano5@example.test",
];
/// Non-legal consultations, so each draft goes out without a supervisor.
const BODIES: [(&str, &str); 2] = [
    ("Clave del SEACE", "No puedo ingresar al SEACE, mi usuario esta bloqueado y olvide la contraseña."),
    ("Renovación RNP", "Quiero renovar mi inscripción en el Registro Nacional de Proveedores como proveedor de bienes."),
];

fn address(i: usize) -> String {
    format!("m{:02}@osce.test", i + 1)
}

fn name(i: usize) -> String {
    format!("m{:02}", i + 1)
}

fn spawn(config: &Path, log: &Path) -> Child {
    let log = std::fs::File::create(log).unwrap();
    Command::new(common::triaje_bin())
        .arg("--config")
        .arg(config)
        .args(["--log", "info", "run"])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap()
}

fn write_config(path: &Path, data: &Path, db: &str, stack: &MailStack) {
    let mut text = format!(
        r#"data_dir = "{data}"
database_url = "{db}"
rules_dir = "{rules}"

[triage]
poll_seconds = 1

[acknowledgement]
per_sender_per_hour = 100000

[replies]
check_seconds = 1

[outbox]
retry_first_seconds = 1
retry_max_seconds = 2
lease_seconds = 60
"#,
        data = data.display(),
        rules = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("rules")
            .display(),
    );
    for i in 0..MAILBOXES {
        text.push_str(&format!(
            r#"
[[mailbox]]
name = "{name}"
address = "{address}"
[mailbox.imap]
host = "127.0.0.1"
port = {imap}
tls = "none"
username = "{address}"
password = "secret"
[mailbox.smtp]
host = "127.0.0.1"
port = {smtp}
tls = "none"
"#,
            name = name(i),
            address = address(i),
            imap = stack.imap_port,
            smtp = stack.smtp_port,
        ));
    }
    std::fs::write(path, text).unwrap();
}

/// Who holds which mailbox now: holder → mailboxes.
async fn holders(store: &Store) -> BTreeMap<String, Vec<String>> {
    let mut by_holder: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for lease in store.live_leases().await.unwrap() {
        if let Some(mailbox) = lease.name.strip_prefix("mailbox:") {
            by_holder
                .entry(lease.holder)
                .or_default()
                .push(mailbox.to_string());
        }
    }
    by_holder
}

fn holder_pid(holder: &str) -> u32 {
    holder.rsplit(':').next().unwrap().parse().unwrap()
}

fn consultation(from: &str, to: &str, id: &str, (subject, body): (&str, &str)) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject} {id}\r\nMessage-ID: <{id}>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

fn in_reply_to(raw: &[u8]) -> Vec<String> {
    mail_parser::MessageParser::default()
        .parse(raw)
        .and_then(|m| {
            m.in_reply_to()
                .as_text_list()
                .map(|l| l.iter().map(|s| s.to_string()).collect())
        })
        .unwrap_or_default()
}

/// Delivers `per_mailbox` consultations to every mailbox over SMTP, one every `pace`, in a thread.
fn deliver(
    smtp_port: u16,
    round: usize,
    per_mailbox: usize,
    pace: Duration,
) -> (
    Vec<(usize, String, &'static str)>,
    std::thread::JoinHandle<()>,
) {
    let mut plan = Vec::new();
    for k in 0..per_mailbox {
        for i in 0..MAILBOXES {
            let n = plan.len();
            plan.push((
                i,
                format!("r{round}.{k}.{i}@example.test"),
                CITIZENS[n % CITIZENS.len()],
            ));
        }
    }
    let sending = plan.clone();
    let thread = std::thread::spawn(move || {
        for (n, (i, id, citizen)) in sending.into_iter().enumerate() {
            let to = address(i);
            let raw = consultation(citizen, &to, &id, BODIES[n % BODIES.len()]);
            common::smtp_send(smtp_port, citizen, &[to.as_str()], &raw).unwrap();
            std::thread::sleep(pace);
        }
    });
    (plan, thread)
}

fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(25)..].join("\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn three_daemons_share_27_mailboxes_and_take_over_a_killed_ones_work() {
    let stack = MailStack::start_with(StackOptions {
        users: (0..MAILBOXES).map(address).collect(),
        ..StackOptions::default()
    });
    let (db_url, _pg) = common::fresh_pg_database();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    write_config(&config, &dir.path().join("data"), &db_url, &stack);
    let logs: Vec<_> = (0..3)
        .map(|k| dir.path().join(format!("run{k}.log")))
        .collect();
    let store = Store::connect(&db_url).await.unwrap();
    store.migrate().await.unwrap();
    let mut daemons: Vec<Child> = logs.iter().map(|log| spawn(&config, log)).collect();

    // The three split the mailboxes evenly, every one held by exactly one of them.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let by_holder = holders(&store).await;
        let sizes: Vec<usize> = by_holder.values().map(Vec::len).collect();
        if sizes == [9, 9, 9] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not balanced: {by_holder:?}\n{}",
            tail(&logs[0])
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // First round of mail, all filed; then one reply draft per mailbox.
    let (mut plan, first) = deliver(stack.smtp_port, 1, 2, Duration::from_millis(10));
    first.join().unwrap();
    let mut clients = Vec::new();
    for i in 0..MAILBOXES {
        clients.push(stack.imap(&address(i)).await);
    }
    let deadline = Instant::now() + Duration::from_secs(90);
    for (i, client) in clients.iter_mut().enumerate() {
        while !client.summaries("INBOX").await.is_empty() {
            assert!(Instant::now() < deadline, "mailbox {} not filed", name(i));
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
    let mut drafts: HashMap<String, String> = HashMap::new(); // citizen's Message-ID → citizen
    for (i, client) in clients.iter_mut().enumerate() {
        let (_, id, citizen) = plan.iter().find(|p| p.0 == i).unwrap().clone();
        let draft = format!(
            "From: {from}\r\nTo: {citizen}\r\nSubject: RE: consulta {id}\r\nMessage-ID: <d.{id}>\r\n\
             In-Reply-To: <{id}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             Su consulta fue atendida.\r\n\r\nAtentamente,\r\nAna\r\n",
            from = address(i)
        );
        client.append("Por enviar", draft.as_bytes(), None).await;
        drafts.insert(id, citizen.to_string());
    }

    // Second round arrives while one daemon is killed in the middle of it (and of the drafts).
    let (second_plan, second) = deliver(stack.smtp_port, 2, 3, Duration::from_millis(40));
    plan.extend(second_plan);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let victim = daemons.remove(0);
    let victim_pid = victim.id();
    let mut victim = victim;
    victim.kill().unwrap();
    victim.wait().unwrap();
    let killed_at = Instant::now();
    let orphaned: Vec<String> = holders(&store)
        .await
        .into_iter()
        .filter(|(h, _)| holder_pid(h) == victim_pid)
        .flat_map(|(_, m)| m)
        .collect();
    assert_eq!(orphaned.len(), 9, "the victim held its share");

    // The survivors take every orphaned mailbox within 30 s.
    let takeover = loop {
        let by_holder = holders(&store).await;
        let held: usize = by_holder
            .iter()
            .filter(|(h, _)| holder_pid(h) != victim_pid)
            .map(|(_, m)| m.len())
            .sum();
        if held == MAILBOXES {
            break killed_at.elapsed();
        }
        assert!(
            killed_at.elapsed() < Duration::from_secs(30),
            "mailboxes not taken over 30 s after the kill: {by_holder:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    eprintln!("scale-out: the killed daemon's 9 mailboxes taken over in {takeover:?}");
    second.join().unwrap();

    // Everything settles: inboxes and drafts empty, the outbox drained.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let mut waiting = 0;
        for client in clients.iter_mut() {
            waiting += client.summaries("INBOX").await.len();
            waiting += client.summaries("Por enviar").await.len();
        }
        let queued = store.outbox_counts().await.unwrap();
        if waiting == 0 && queued.queued + queued.sending == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not settled: {waiting} messages waiting, outbox {queued:?}\n{}\n{}",
            tail(&logs[1]),
            tail(&logs[2])
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let by_holder = holders(&store).await;
    let mut sizes: Vec<usize> = by_holder.values().map(Vec::len).collect();
    sizes.sort();
    assert_eq!(
        sizes,
        [13, 14],
        "the survivors share the work: {by_holder:?}"
    );

    // Every message in exactly one folder of its mailbox, and one record each.
    let mut copies: HashMap<String, usize> = HashMap::new();
    for client in clients.iter_mut() {
        for folder in client.folders().await {
            for m in client.messages(&folder).await {
                if let Some(id) = m.message_id {
                    *copies.entry(id).or_default() += 1;
                }
            }
        }
    }
    let lost: Vec<&String> = plan
        .iter()
        .map(|p| &p.1)
        .filter(|id| !copies.contains_key(*id))
        .collect();
    let twice: Vec<&String> = plan
        .iter()
        .map(|p| &p.1)
        .filter(|id| copies.get(*id).is_some_and(|&n| n > 1))
        .collect();
    assert!(
        lost.is_empty() && twice.is_empty(),
        "lost {lost:?}, filed twice {twice:?}"
    );
    let mut records: HashMap<String, usize> = HashMap::new();
    for row in store.consultations(None).await.unwrap() {
        *records
            .entry(row.record.message_id.unwrap_or_default())
            .or_default() += 1;
    }
    assert_eq!(records.len(), plan.len(), "one record per message");
    assert!(
        records.values().all(|&n| n == 1),
        "a message recorded twice"
    );

    // The citizens: one acknowledgement at most per message (one interrupted by the kill may be missing),
    // every draft's reply, at most one extra copy (the kill).
    let mut acks: HashMap<String, usize> = HashMap::new();
    let mut replies: HashMap<String, usize> = HashMap::new();
    for citizen in CITIZENS {
        for m in stack.messages(citizen, "INBOX").await {
            for id in in_reply_to(&m.raw) {
                let counter = if m.subject.starts_with("RE:") {
                    &mut replies
                } else {
                    &mut acks
                };
                *counter.entry(id).or_default() += 1;
            }
        }
    }
    let acked_twice = acks.values().filter(|&&n| n > 1).count();
    let unacknowledged = plan.iter().filter(|p| !acks.contains_key(&p.1)).count();
    let missing_replies = drafts
        .keys()
        .filter(|id| !replies.contains_key(*id))
        .count();
    let extra_replies: usize = replies.values().map(|n| n - 1).sum();
    eprintln!(
        "scale-out: {} messages, {} drafts; acknowledged twice {acked_twice}, not acknowledged {unacknowledged}, \
         replies missing {missing_replies}, extra reply copies {extra_replies}",
        plan.len(),
        drafts.len()
    );
    assert_eq!(acked_twice, 0);
    assert!(
        unacknowledged <= 1,
        "{unacknowledged} acknowledgements missing after one kill"
    );
    assert_eq!(missing_replies, 0);
    assert!(
        extra_replies <= 1,
        "{extra_replies} extra reply copies after one kill"
    );

    for mut d in daemons {
        let _ = Command::new("kill").arg(d.id().to_string()).status();
        d.wait().unwrap();
    }
    // A clean stop hands every lease back.
    assert!(
        holders(&store).await.is_empty(),
        "leases left after a clean stop"
    );
    store.close().await;
}
