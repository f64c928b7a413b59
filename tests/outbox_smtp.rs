//! The outbox against the real Postfix + Dovecot of the test harness: what triaje queues reaches the citizen's
//! INBOX once, byte for byte; an SMTP outage delays it without losing it; a refusal is kept as `failed`; and two
//! senders sharing one PostgreSQL register never send a message twice.

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::MailStack;
use tokio::sync::{watch, Notify};
use triaje::config::{OutboxSettings, SmtpSettings, TlsMode};
use triaje::smtp::{run_outbox, send_due_once, Mailer, SendReport};
use triaje::store::{NewOutgoing, OutgoingKind, OutgoingState, OutgoingSummary, Store};

/// Short retries so an outage test takes seconds, not minutes.
fn settings() -> OutboxSettings {
    OutboxSettings {
        batch: 20,
        retry_first: Duration::from_secs(1),
        retry_max: Duration::from_secs(2),
        give_up_after: Duration::from_secs(3600),
        lease: Duration::from_secs(60),
    }
}

/// The `consultas` mailer on the stack's Postfix (plain SMTP on loopback, no login, as the harness allows).
fn mailers(stack: &MailStack) -> HashMap<String, Mailer> {
    let smtp = SmtpSettings {
        host: "127.0.0.1".into(),
        port: stack.smtp_port,
        tls: TlsMode::None,
        ca_file: None,
        credentials: None,
        from: "consultas@osce.test".into(),
    };
    let mailer = Mailer::new("consultas", &smtp).expect("mailer");
    HashMap::from([("consultas".to_string(), mailer)])
}

/// A fresh SQLite register in `dir`.
async fn sqlite_store(dir: &tempfile::TempDir) -> Store {
    let store = Store::connect(&format!("sqlite://{}/triaje.db", dir.path().display()))
        .await
        .expect("open SQLite");
    store.migrate().await.expect("migrate");
    store
}

/// An acknowledgement numbered `n` to `to`, composed as the workflow would: CRLF, UTF-8 body, a line starting
/// with a dot (dot-stuffing must be undone on the other side).
fn acknowledgement(n: usize, to: &str) -> NewOutgoing {
    let message_id = format!("<acuse-{n}-{}@osce.test>", std::process::id());
    let raw = format!(
        "From: Consultas OSCE <consultas@osce.test>\r\n\
         To: {to}\r\n\
         Subject: Acuse de recibo CONS-2026-{n:06}\r\n\
         Date: Wed, 10 Jun 2026 10:00:00 -0500\r\n\
         Message-ID: {message_id}\r\n\
         Auto-Submitted: auto-replied\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         \r\n\
         Estimada ciudadana: recibimos su consulta n.\u{ba} {n}.\r\n\
         .Esta línea empieza con un punto.\r\n\
         Atención al ciudadano\r\n"
    );
    NewOutgoing {
        mailbox: "consultas".into(),
        kind: OutgoingKind::Acknowledgement,
        consultation_id: None,
        message_id,
        envelope_from: "consultas@osce.test".into(),
        recipients: vec![to.to_string()],
        raw: raw.into_bytes(),
    }
}

async fn summary(store: &Store, message_id: &str) -> OutgoingSummary {
    store
        .outgoing_by_message_id(message_id)
        .await
        .expect("read outbox")
        .expect("queued message is there")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acknowledgement_reaches_the_citizen_once_with_its_bytes_intact() {
    let stack = MailStack::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sqlite_store(&dir).await;
    let mailers = mailers(&stack);
    let message = acknowledgement(1, "ciudadano1@example.test");
    assert!(store.enqueue(&message, Utc::now()).await.expect("enqueue"));
    assert!(
        !store.enqueue(&message, Utc::now()).await.expect("enqueue"),
        "same Message-ID"
    );

    let report = send_due_once(&store, &mailers, &settings(), "test-a")
        .await
        .expect("pass");
    assert_eq!(
        report,
        SendReport {
            sent: 1,
            retried: 0,
            failed: 0
        }
    );
    let inbox = stack
        .wait_for(
            "ciudadano1@example.test",
            "INBOX",
            1,
            Duration::from_secs(20),
        )
        .await;
    let delivered = &inbox[0];
    assert_eq!(
        delivered.message_id.as_deref(),
        Some(message.message_id.trim_matches(['<', '>']))
    );
    assert_eq!(delivered.subject, "Acuse de recibo CONS-2026-000001");
    // Postfix and Dovecot only prepend their trace headers (Received, Return-Path, Delivered-To).
    assert!(
        delivered.raw.ends_with(&message.raw),
        "the composed bytes arrive untouched:\n{}",
        String::from_utf8_lossy(&delivered.raw)
    );

    let state = summary(&store, &message.message_id).await;
    assert_eq!(state.state, OutgoingState::Sent);
    assert_eq!(state.attempts, 1);
    assert!(state.sent_at.is_some());
    // Nothing left to do: a second pass sends nothing, and the INBOX still holds one copy.
    let again = send_due_once(&store, &mailers, &settings(), "test-a")
        .await
        .expect("pass");
    assert_eq!(again, SendReport::default());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        stack
            .messages("ciudadano1@example.test", "INBOX")
            .await
            .len(),
        1
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_queued_while_the_smtp_server_is_down_goes_out_when_it_is_back() {
    let stack = MailStack::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sqlite_store(&dir).await;
    let mailers = mailers(&stack);
    stack.stop_smtp();

    let first = acknowledgement(1, "ciudadano2@example.test");
    let second = acknowledgement(2, "ciudadano2@example.test");
    store.enqueue(&first, Utc::now()).await.expect("enqueue");
    store.enqueue(&second, Utc::now()).await.expect("enqueue");
    let report = send_due_once(&store, &mailers, &settings(), "test-b")
        .await
        .expect("pass");
    assert_eq!(
        report,
        SendReport {
            sent: 0,
            retried: 2,
            failed: 0
        }
    );
    for message in [&first, &second] {
        let state = summary(&store, &message.message_id).await;
        assert_eq!(state.state, OutgoingState::Queued, "kept for later");
        assert_eq!(state.attempts, 1);
        let error = state.last_error.expect("reason recorded");
        assert!(error.contains("127.0.0.1"), "{error}");
    }
    // Not due yet: a pass right away tries nothing.
    let early = send_due_once(&store, &mailers, &settings(), "test-b")
        .await
        .expect("pass");
    assert_eq!(early, SendReport::default());

    stack.start_smtp();
    let start = Instant::now();
    let mut sent = 0;
    while sent < 2 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "not sent after Postfix came back"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        sent += send_due_once(&store, &mailers, &settings(), "test-b")
            .await
            .expect("pass")
            .sent;
    }
    let inbox = stack
        .wait_for(
            "ciudadano2@example.test",
            "INBOX",
            2,
            Duration::from_secs(20),
        )
        .await;
    let ids: HashSet<String> = inbox.iter().filter_map(|m| m.message_id.clone()).collect();
    assert_eq!(ids.len(), 2, "each delivered once");
    let state = summary(&store, &first.message_id).await;
    assert_eq!(state.state, OutgoingState::Sent);
    assert!(state.attempts >= 2);
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recipient_the_server_refuses_is_kept_as_failed_and_never_resent() {
    let stack = MailStack::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = sqlite_store(&dir).await;
    let mailers = mailers(&stack);
    // example.test is one of the stack's domains, but this user does not exist: Postfix says 550 at RCPT.
    let refused = acknowledgement(1, "nadie@example.test");
    let fine = acknowledgement(2, "ciudadano3@example.test");
    store.enqueue(&refused, Utc::now()).await.expect("enqueue");
    store.enqueue(&fine, Utc::now()).await.expect("enqueue");

    let report = send_due_once(&store, &mailers, &settings(), "test-c")
        .await
        .expect("pass");
    assert_eq!(
        report,
        SendReport {
            sent: 1,
            retried: 0,
            failed: 1
        }
    );
    let state = summary(&store, &refused.message_id).await;
    assert_eq!(state.state, OutgoingState::Failed);
    let reason = state.last_error.expect("the server's reason");
    assert!(reason.contains("550"), "{reason}");
    assert!(reason.contains("nadie@example.test"), "{reason}");

    tokio::time::sleep(Duration::from_millis(1500)).await;
    let again = send_due_once(&store, &mailers, &settings(), "test-c")
        .await
        .expect("pass");
    assert_eq!(again, SendReport::default(), "a refusal is not retried");
    assert_eq!(summary(&store, &refused.message_id).await.attempts, 1);
    let counts = store.outbox_counts().await.expect("counts");
    assert_eq!((counts.sent, counts.failed, counts.queued), (1, 1, 0));
    stack
        .wait_for(
            "ciudadano3@example.test",
            "INBOX",
            1,
            Duration::from_secs(20),
        )
        .await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_senders_on_postgres_deliver_thirty_messages_exactly_once() {
    let stack = MailStack::start();
    let (url, _guard) = common::fresh_pg_database();
    let store = Store::connect(&url).await.expect("open PostgreSQL");
    store.migrate().await.expect("migrate");
    let other = Store::connect(&url).await.expect("second pool");

    let (stop, shutdown) = watch::channel(false);
    let small_batches = OutboxSettings {
        batch: 4,
        ..settings()
    };
    let wakes = [Arc::new(Notify::new()), Arc::new(Notify::new())];
    let senders = [
        tokio::spawn(run_outbox(
            store.clone(),
            mailers(&stack),
            small_batches.clone(),
            "sender-1".into(),
            shutdown.clone(),
            wakes[0].clone(),
        )),
        tokio::spawn(run_outbox(
            other.clone(),
            mailers(&stack),
            small_batches,
            "sender-2".into(),
            shutdown,
            wakes[1].clone(),
        )),
    ];

    let messages: Vec<NewOutgoing> = (1..=30)
        .map(|n| acknowledgement(n, "ciudadano4@example.test"))
        .collect();
    for message in &messages {
        store.enqueue(message, Utc::now()).await.expect("enqueue");
        for wake in &wakes {
            wake.notify_one();
        }
    }

    let start = Instant::now();
    loop {
        let counts = store.outbox_counts().await.expect("counts");
        if counts.sent == 30 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "only {counts:?} after a minute"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let inbox = stack
        .wait_for(
            "ciudadano4@example.test",
            "INBOX",
            30,
            Duration::from_secs(30),
        )
        .await;
    let ids: HashSet<String> = inbox.iter().filter_map(|m| m.message_id.clone()).collect();
    assert_eq!(ids.len(), 30, "thirty different messages");
    // A late duplicate would still be in Postfix's queue: give it time to show up.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        stack
            .messages("ciudadano4@example.test", "INBOX")
            .await
            .len(),
        30,
        "no message delivered twice"
    );
    for message in &messages {
        let state = summary(&store, &message.message_id).await;
        assert_eq!(state.state, OutgoingState::Sent);
        assert_eq!(state.attempts, 1, "{}", message.message_id);
    }

    stop.send(true).expect("senders listen");
    for sender in senders {
        tokio::time::timeout(Duration::from_secs(10), sender)
            .await
            .expect("sender stops promptly on shutdown")
            .expect("sender task");
    }
    other.close().await;
    store.close().await;
}
