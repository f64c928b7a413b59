//! Outages (issue 6, part 2), on real servers: the IMAP server stopped and started again under a running
//! daemon, and a server that accepts the connection and never answers. triaje recovers or gives up with a clear
//! message; it never hangs and never loses mail.

mod common;

use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::installation::{Installation, Mailbox};
use common::MailStack;

const CONSULTAS: &str = "consultas@osce.test";

/// An installation reading `mailbox` over IMAP; `io_timeout` is short where a silent server must be given up on
/// quickly.
fn installation(mailbox: Mailbox, io_timeout: u32) -> Installation {
    Installation::bare()
        .mailbox(mailbox.without("smtp"))
        .set("triage", "poll_seconds = 1")
        .set("triage", &format!("io_timeout_seconds = {io_timeout}"))
}

fn consultation(id: &str) -> Vec<u8> {
    format!(
        "From: ciudadano1@example.test\r\nTo: {CONSULTAS}\r\nSubject: Clave SEACE {id}\r\nMessage-ID: <{id}>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nNo puedo ingresar al SEACE, olvide la contraseña.\r\n"
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_daemon_survives_the_imap_server_going_down_and_files_what_came_meanwhile() {
    let stack = MailStack::start();
    let mut daemon = installation(Mailbox::new("consultas", &stack), 20)
        .write()
        .spawn_run();
    stack
        .append(
            CONSULTAS,
            "INBOX",
            &consultation("antes@example.test"),
            None,
        )
        .await;
    stack
        .wait_for(CONSULTAS, "SEACE", 1, Duration::from_secs(15))
        .await;

    // Dovecot goes down for a few seconds; mail keeps arriving (Postfix queues it until LMTP is back).
    stack.stop_imap();
    stack.send(
        "ciudadano1@example.test",
        &[CONSULTAS],
        &consultation("durante@example.test"),
    );
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(daemon.is_running(), "the daemon must not exit on an outage");
    stack.start_imap();

    let filed = stack
        .wait_for(CONSULTAS, "SEACE", 2, Duration::from_secs(90))
        .await;
    assert_eq!(filed.len(), 2);
    let text = daemon.log();
    assert!(
        text.contains("mailbox failed; will retry"),
        "the outage shows in the log:\n{text}"
    );
    daemon.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_never_answers_is_given_up_on_with_a_clear_message() {
    // Accepts connections and never says a word (not even the IMAP greeting).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let installed = installation(Mailbox::on("consultas", port, None, "secret"), 2).write();
    let start = Instant::now();
    let mut child = installed
        .command()
        .arg("once")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "triaje once hangs on a silent server"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!status.success(), "{err}");
    assert!(
        err.contains("buzón consultas"),
        "which mailbox failed: {err}"
    );
    assert!(
        err.contains("no respondió") || err.contains("tiempo"),
        "why: {err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mailbox_that_cannot_log_in_is_reported_and_the_others_keep_working() {
    let stack = MailStack::start();
    // A second mailbox whose password expired.
    let mut daemon = installation(Mailbox::new("consultas", &stack), 20)
        .mailbox(Mailbox::on("contacto", stack.imap_port, None, "caducada"))
        .write()
        .spawn_run();
    stack
        .append(
            CONSULTAS,
            "INBOX",
            &consultation("sigue@example.test"),
            None,
        )
        .await;
    stack
        .wait_for(CONSULTAS, "SEACE", 1, Duration::from_secs(15))
        .await;
    let start = Instant::now();
    let status = loop {
        let text = daemon.status();
        if text.contains("ATENCIÓN: el buzón contacto no funciona") {
            break text;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the failing mailbox is not reported:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert!(
        !status.contains("el buzón consultas no funciona"),
        "{status}"
    );
    daemon.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_daemon_on_the_same_sqlite_store_refuses_to_run() {
    let stack = MailStack::start();
    let mut first = installation(Mailbox::new("consultas", &stack), 20)
        .write()
        .spawn_run();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let second = first.triaje(&["run"]);
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        !second.status.success(),
        "a second daemon must not run: {err}"
    );
    assert!(
        err.contains(&format!(
            "ya hay un triaje en ejecución con este almacenamiento (proceso {}",
            first.id().unwrap()
        )),
        "{err}"
    );
    assert!(first.is_running(), "the first one keeps running");
    first.stop();
}
