//! Drafts are acted on in seconds whatever the server's IDLE keepalive: the reply folders are watched on their
//! own connections, so a draft dropped while the inbox is quiet goes out without waiting for the inbox's IDLE to
//! end (which a keepalive «* OK Still here» used to postpone for ever) nor for `check_seconds`.
//!
//! The latency itself is measured by `scripts/bench-live` (bench/LIVE.md); this test asserts only that the
//! reply goes out, with a deadline far below every timer that could otherwise have sent it.

mod common;

use std::time::{Duration, Instant};

use common::installation::Installation;
use common::{MailStack, StackOptions};

const CONSULTAS: &str = "consultas@osce.test";
const CITIZEN: &str = "ciudadano1@example.test";

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_dropped_while_the_inbox_is_quiet_goes_out_with_a_ten_second_keepalive() {
    let stack = MailStack::start_with(StackOptions {
        idle_keepalive_seconds: Some(10),
        ..StackOptions::default()
    });
    // The reply folders' own timer is 10 minutes: only their watchers can send the reply within the deadline.
    let daemon = Installation::new(&stack)
        .set("replies", "check_seconds = 600")
        .write()
        .spawn_run();
    let raw = "From: Rosa Quispe <ciudadano1@example.test>\r\nTo: consultas@osce.test\r\n\
               Subject: Clave del SEACE\r\nMessage-ID: <latencia-1@example.test>\r\nMIME-Version: 1.0\r\n\
               Content-Type: text/plain; charset=utf-8\r\n\r\nNo puedo ingresar al SEACE, olvidé mi contraseña.\r\n";
    stack.send(CITIZEN, &[CONSULTAS], raw.as_bytes());
    let deadline = Duration::from_secs(60);
    stack.wait_for(CONSULTAS, "SEACE", 1, deadline).await;
    stack.wait_for(CITIZEN, "INBOX", 1, deadline).await;

    // The office is quiet: the inbox's IDLE hears only the server's keepalives for a while.
    tokio::time::sleep(Duration::from_secs(15)).await;

    let draft = "From: Consultas OSCE <consultas@osce.test>\r\nTo: ciudadano1@example.test\r\n\
                 Subject: RE: Clave del SEACE\r\nMessage-ID: <borrador-latencia@osce.test>\r\n\
                 In-Reply-To: <latencia-1@example.test>\r\nReferences: <latencia-1@example.test>\r\n\
                 MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
                 Le enviamos el enlace para restablecer su contraseña.\r\n\r\nAtentamente,\r\nAna Torres\r\n";
    let dropped = Instant::now();
    stack
        .append(CONSULTAS, "Por enviar", draft.as_bytes(), None)
        .await;
    let start = Instant::now();
    loop {
        let inbox = stack.messages(CITIZEN, "INBOX").await;
        if inbox.iter().any(|m| m.subject.starts_with("RE:")) {
            break;
        }
        assert!(
            start.elapsed() < deadline,
            "the reply did not go out while the inbox was quiet:\n{}",
            daemon.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!(
        "reply received {:.2} s after the drop (not asserted; see scripts/bench-live)",
        dropped.elapsed().as_secs_f64()
    );
    // And it is filed as answered soon after, without waiting for the reply folders' timer either.
    let start = Instant::now();
    while !stack
        .messages(CONSULTAS, "Atendidas")
        .await
        .iter()
        .any(|m| m.message_id.as_deref() == Some("latencia-1@example.test"))
    {
        assert!(
            start.elapsed() < deadline,
            "the answered consultation was not filed:\n{}",
            daemon.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
