//! A message sent to both `consultas@` and `contacto@`: each mailbox files and records its copy (two rows, one
//! per mailbox: nothing is lost), the later one is a copy of the first (one attention), and the citizen gets one
//! acknowledgement, not two. tests/conversations.rs answers it once and sees both closed.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use triaje::vocabulary::ConsultationState;

use common::MailStack;

#[tokio::test(flavor = "multi_thread")]
async fn a_message_to_both_mailboxes_is_one_attention_and_one_acknowledgement() {
    let stack = MailStack::start();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let mailbox = |name: &str| {
        format!(
            "\n[[mailbox]]\nname = \"{name}\"\naddress = \"{name}@osce.test\"\n[mailbox.imap]\nhost = \"127.0.0.1\"\n\
             port = {}\ntls = \"none\"\nusername = \"{name}@osce.test\"\npassword = \"secret\"\n[mailbox.smtp]\n\
             host = \"127.0.0.1\"\nport = {}\ntls = \"none\"\n",
            stack.imap_port, stack.smtp_port
        )
    };
    std::fs::write(
        &config,
        format!(
            "data_dir = \"{}\"\nrules_dir = \"{}\"\n\n[triage]\npoll_seconds = 1\n{}{}",
            dir.path().join("data").display(),
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("rules")
                .display(),
            mailbox("consultas"),
            mailbox("contacto"),
        ),
    )
    .unwrap();
    let mut child = Command::new(common::triaje_bin())
        .arg("--config")
        .arg(&config)
        .arg("run")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.path().join("run.log")).unwrap())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let citizen = "ciudadano1@example.test";
    let raw = format!(
        "From: {citizen}\r\nTo: consultas@osce.test, contacto@osce.test\r\nSubject: Clave del SEACE\r\n\
         Message-ID: <ambos@example.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         No puedo ingresar al SEACE, olvide la contraseña.\r\n"
    );
    stack.send(
        citizen,
        &["consultas@osce.test", "contacto@osce.test"],
        raw.as_bytes(),
    );
    stack
        .wait_for("consultas@osce.test", "SEACE", 1, Duration::from_secs(20))
        .await;
    stack
        .wait_for("contacto@osce.test", "SEACE", 1, Duration::from_secs(20))
        .await;
    stack
        .wait_for(citizen, "INBOX", 1, Duration::from_secs(20))
        .await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    let inbox = stack.messages(citizen, "INBOX").await;
    assert_eq!(inbox.len(), 1, "one acknowledgement, not one per mailbox");

    let db = common::sqlite_store(dir.path()).await;
    let rows = db.consultations(None).await.unwrap();
    assert_eq!(rows.len(), 2, "one record per mailbox");
    let skipped: Vec<_> = {
        let mut v = Vec::new();
        for r in &rows {
            v.extend(
                db.events_for(r.id)
                    .await
                    .unwrap()
                    .into_iter()
                    .filter(|e| e.kind == "ack_skipped"),
            );
        }
        v
    };
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    // Skipped when it was recorded as a copy, or (both mailboxes recorded it at the same moment) when the first
    // one's acknowledgement was already queued.
    assert!(
        skipped[0].detail.contains("que ya acusó recibo")
            || skipped[0].detail.contains("llegó también al buzón"),
        "{skipped:?}"
    );
    let start = std::time::Instant::now();
    loop {
        let rows = db.consultations(None).await.unwrap();
        if rows
            .iter()
            .filter(|r| r.state != ConsultationState::Followup)
            .count()
            == 1
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "two attentions: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
