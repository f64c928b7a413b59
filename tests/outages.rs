//! Outages (issue 6, part 2), on real servers: the IMAP server stopped and started again under a running
//! daemon, and a server that accepts the connection and never answers. triaje recovers or gives up with a clear
//! message; it never hangs and never loses mail.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::MailStack;

const CONSULTAS: &str = "consultas@osce.test";

/// A configuration for one mailbox; `io_timeout` is short where a silent server must be given up on quickly.
fn config(dir: &Path, imap_port: u16, io_timeout: u32) -> std::path::PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        format!(
            r#"data_dir = "{data}"
rules_dir = "{rules}"

[triage]
poll_seconds = 1
io_timeout_seconds = {io_timeout}

[[mailbox]]
name = "consultas"
address = "{CONSULTAS}"
[mailbox.imap]
host = "127.0.0.1"
port = {imap_port}
tls = "none"
username = "{CONSULTAS}"
password = "secret"
"#,
            data = dir.join("data").display(),
            rules = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("rules")
                .display(),
        ),
    )
    .unwrap();
    path
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
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), stack.imap_port, 20);
    let log = dir.path().join("run.log");
    let mut child = Command::new(common::triaje_bin())
        .arg("--config")
        .arg(&config)
        .args(["--log", "info", "run"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
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
    assert!(
        child.try_wait().unwrap().is_none(),
        "the daemon must not exit on an outage"
    );
    stack.start_imap();

    let filed = stack
        .wait_for(CONSULTAS, "SEACE", 2, Duration::from_secs(90))
        .await;
    assert_eq!(filed.len(), 2);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("mailbox failed; will retry"),
        "the outage shows in the log:\n{text}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
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
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), port, 2);
    let start = Instant::now();
    let mut child = Command::new(common::triaje_bin())
        .arg("--config")
        .arg(&config)
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
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), stack.imap_port, 20);
    // A second mailbox whose password expired.
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&format!(
        "\n[[mailbox]]\nname = \"contacto\"\naddress = \"contacto@osce.test\"\n[mailbox.imap]\nhost = \"127.0.0.1\"\n\
         port = {}\ntls = \"none\"\nusername = \"contacto@osce.test\"\npassword = \"caducada\"\n",
        stack.imap_port
    ));
    std::fs::write(&config, text).unwrap();
    let mut child = Command::new(common::triaje_bin())
        .arg("--config")
        .arg(&config)
        .args(["--log", "info", "run"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.path().join("run.log")).unwrap())
        .spawn()
        .unwrap();
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
        let out = Command::new(common::triaje_bin())
            .arg("--config")
            .arg(&config)
            .arg("status")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
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
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_daemon_on_the_same_sqlite_store_refuses_to_run() {
    let stack = MailStack::start();
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), stack.imap_port, 20);
    let mut first = Command::new(common::triaje_bin())
        .arg("--config")
        .arg(&config)
        .arg("run")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let second = Command::new(common::triaje_bin())
        .arg("--config")
        .arg(&config)
        .arg("run")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        !second.status.success(),
        "a second daemon must not run: {err}"
    );
    assert!(
        err.contains(&format!(
            "ya hay un triaje en ejecución con este almacenamiento (proceso {}",
            first.id()
        )),
        "{err}"
    );
    assert!(
        first.try_wait().unwrap().is_none(),
        "the first one keeps running"
    );
    first.kill().unwrap();
    first.wait().unwrap();
}
