//! Never silent (issue 6, parts 2 and 3), on real servers: a folder the mail server refuses to create, a full
//! disk under the SQLite store, and PostgreSQL crashing and coming back under a running daemon. Each time the
//! coordinator is told — `triaje status`, `/health` — with the mailbox and the reason in Spanish, the other
//! mailboxes keep working, nothing is lost, and the warning goes away once the cause is fixed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::daemon::Daemon;
use common::installation::Installation;
use common::{http_get, MailStack};

const CONSULTAS: &str = "consultas@osce.test";
const CONTACTO: &str = "contacto@osce.test";

/// An installation with a web server (for `/health`), no acknowledgements, and these mailboxes read over IMAP.
fn installation(stack: &MailStack, mailboxes: &[&str]) -> Installation {
    Installation::plain(stack)
        .mailboxes(stack, mailboxes)
        .each_mailbox(|m| m.without("smtp"))
        .set("triage", "poll_seconds = 1")
        .set("acknowledgement", "enabled = false")
        .web_on(common::free_port())
}

/// `triaje status`: whether it succeeded, and what it printed.
fn status(daemon: &Daemon) -> (bool, String) {
    daemon.run(&["status"])
}

fn consultation(to: &str, id: &str) -> Vec<u8> {
    format!(
        "From: ciudadano1@example.test\r\nTo: {to}\r\nSubject: Clave SEACE {id}\r\nMessage-ID: <{id}>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nNo puedo ingresar al SEACE, olvide la contraseña.\r\n"
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_folder_the_server_refuses_to_create_is_reported_until_fixed_and_the_others_keep_working()
{
    let stack = MailStack::start();
    // contacto's folders live in a directory the server's user may no longer write (a botched restore, a
    // full quota on the server's side): its INBOX works, but no folder can be created.
    stack
        .append(
            CONTACTO,
            "INBOX",
            &consultation(CONTACTO, "c1@example.test"),
            None,
        )
        .await;
    let folders_dir = stack.dir.join("mail/osce.test/contacto/sdbox/mailboxes");
    assert!(
        folders_dir.is_dir(),
        "sdbox layout changed: {folders_dir:?}"
    );
    let chown = |owner: &str| {
        let ok = Command::new("chown")
            .arg(owner)
            .arg(&folders_dir)
            .status()
            .unwrap()
            .success();
        assert!(ok);
    };
    chown("root:root");
    let mut daemon = installation(&stack, &["consultas", "contacto"])
        .write()
        .spawn_run();
    let web_port = daemon.web_port;
    stack
        .append(
            CONSULTAS,
            "INBOX",
            &consultation(CONSULTAS, "s1@example.test"),
            None,
        )
        .await;
    stack
        .wait_for(CONSULTAS, "SEACE", 1, Duration::from_secs(20))
        .await;

    let text = daemon
        .eventually("status names contacto", Duration::from_secs(20), || {
            let (_, text) = status(&daemon);
            text.contains("ATENCIÓN: el buzón contacto no funciona")
                .then_some(text)
        })
        .await;
    assert!(
        text.contains("no se pudo crear la carpeta «")
            && text.contains("el servidor respondió «[NOPERM] Permission denied»"),
        "{text}"
    );
    assert!(!text.contains("el buzón consultas no funciona"), "{text}");
    let (code, body) = daemon
        .eventually("/health names contacto", Duration::from_secs(10), || {
            http_get(web_port, "/health").filter(|(c, _)| *c == 503)
        })
        .await;
    assert_eq!(code, 503);
    assert!(
        body.contains("mailbox contacto: no se pudo crear la carpeta"),
        "{body}"
    );
    assert!(!body.contains("consultas"), "{body}");
    // (contacto's message waits in its inbox meanwhile; the server cannot even open it for the test's client
    // now, so that is checked below, once it is filed.)

    // The administrator fixes the server: contacto is filed, and the warnings go away.
    chown("dovecot:dovecot");
    stack
        .wait_for(CONTACTO, "SEACE", 1, Duration::from_secs(90))
        .await;
    daemon
        .eventually("status clears the warning", Duration::from_secs(20), || {
            let (_, text) = status(&daemon);
            (!text.contains("ATENCIÓN")).then_some(())
        })
        .await;
    daemon
        .eventually("/health is ok again", Duration::from_secs(10), || {
            http_get(web_port, "/health").filter(|(c, _)| *c == 200)
        })
        .await;
    daemon.stop();
}

/// A small file system of its own, so the disk can really fill; unmounted on drop.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(at: &Path, megabytes: u32) -> SmallDisk {
        std::fs::create_dir_all(at).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(at)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "this test mounts a small tmpfs and needs root (scripts/check runs as root): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk(at.to_path_buf())
    }

    /// Writes a filler file until the disk has no space left.
    fn fill(&self) {
        use std::io::Write;
        let mut f = std::fs::File::create(self.0.join("relleno")).unwrap();
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let _ = f.flush();
    }

    fn free(&self) {
        std::fs::remove_file(self.0.join("relleno")).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_under_sqlite_is_reported_and_nothing_is_lost() {
    let stack = MailStack::start();
    let dir = tempfile::tempdir().unwrap();
    let disk = SmallDisk::mount(&dir.path().join("data"), 16);
    let mut daemon = installation(&stack, &["consultas"])
        .at(dir.path())
        .write()
        .spawn_run();
    let web_port = daemon.web_port;
    stack.send(
        "ciudadano1@example.test",
        &[CONSULTAS],
        &consultation(CONSULTAS, "antes@example.test"),
    );
    stack
        .wait_for(CONSULTAS, "SEACE", 1, Duration::from_secs(20))
        .await;

    // The disk fills up; consultations keep arriving until triaje can no longer record them.
    disk.fill();
    let mut delivered = vec!["antes@example.test".to_string()];
    let start = Instant::now();
    let body = loop {
        let id = format!("lleno{}@example.test", delivered.len());
        stack.send(
            "ciudadano1@example.test",
            &[CONSULTAS],
            &consultation(CONSULTAS, &id),
        );
        delivered.push(id);
        tokio::time::sleep(Duration::from_millis(500)).await;
        if let Some((503, body)) = http_get(web_port, "/health") {
            break body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "a full disk was never reported; {} messages delivered",
            delivered.len()
        );
    };
    assert!(
        body.contains("mailbox consultas: el disco de la base de datos está lleno"),
        "{body}"
    );
    let (_, text) = status(&daemon);
    assert!(
        text.contains("ATENCIÓN: el disco de la base de datos (") && text.contains(") está lleno"),
        "{text}"
    );
    assert!(
        !stack.messages(CONSULTAS, "INBOX").await.is_empty(),
        "what could not be recorded waits in the inbox"
    );

    // Space comes back: everything delivered is filed, once, and the warning goes.
    disk.free();
    stack
        .wait_for(CONSULTAS, "SEACE", delivered.len(), Duration::from_secs(90))
        .await;
    daemon
        .eventually("/health is ok again", Duration::from_secs(90), || {
            http_get(web_port, "/health").filter(|(c, _)| *c == 200)
        })
        .await;
    let filed = stack.messages(CONSULTAS, "SEACE").await;
    assert_eq!(filed.len(), delivered.len(), "each message filed once");
    assert!(stack.messages(CONSULTAS, "INBOX").await.is_empty());
    daemon.stop();
    // The disk is small: status still says how little is left, no longer that it is full.
    let (_, text) = status(&daemon);
    assert!(
        text.contains("tiene solo") && !text.contains("está lleno"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn postgresql_crashing_under_the_daemon_is_reported_and_the_mail_waits_for_it() {
    let stack = MailStack::start();
    let pg = common::PrivatePostgres::start();
    let mut daemon = installation(&stack, &["consultas"])
        .database(&pg.url())
        .write()
        .spawn_run();
    let web_port = daemon.web_port;
    stack.send(
        "ciudadano1@example.test",
        &[CONSULTAS],
        &consultation(CONSULTAS, "antes@example.test"),
    );
    stack
        .wait_for(CONSULTAS, "SEACE", 1, Duration::from_secs(30))
        .await;

    pg.crash();
    for id in ["durante1@example.test", "durante2@example.test"] {
        stack.send(
            "ciudadano1@example.test",
            &[CONSULTAS],
            &consultation(CONSULTAS, id),
        );
    }
    let (_, body) = daemon
        .eventually("/health reports the store", Duration::from_secs(20), || {
            http_get(web_port, "/health").filter(|(c, _)| *c == 503)
        })
        .await;
    assert!(body.contains("store unavailable"), "{body}");
    let (ok, text) = status(&daemon);
    assert!(!ok, "status cannot read a stopped database: {text}");
    assert!(
        text.contains("127.0.0.1:"),
        "status names the server: {text}"
    );
    assert!(
        text.contains("no se pudo abrir la base de datos")
            && text.matches("Connection refused").count() == 1,
        "said once: {text}"
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        stack.messages(CONSULTAS, "INBOX").await.len(),
        2,
        "nothing is filed without its record"
    );

    pg.start_server();
    stack
        .wait_for(CONSULTAS, "SEACE", 3, Duration::from_secs(90))
        .await;
    daemon
        .eventually("/health is ok again", Duration::from_secs(60), || {
            http_get(web_port, "/health").filter(|(c, _)| *c == 200)
        })
        .await;
    let store = daemon.store().await;
    assert_eq!(store.consultations(None).await.unwrap().len(), 3);
    store.close().await;
    assert!(
        daemon.is_running(),
        "the daemon kept running through the outage"
    );
    daemon.stop();
}
