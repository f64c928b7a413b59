//! Certificates are always verified (issue 6, part 7): a private Dovecot (and Postfix) speaking TLS with a
//! certificate from a throw-away CA made at test time. Without `ca_file` triaje refuses the server and says, in
//! Spanish, which mailbox, why and what to do; with the CA it files; a certificate for another name is refused
//! even from the right CA. Nothing is filed by a refused run: the mail stays in the inbox.

mod common;

use std::path::Path;
use std::time::Duration;

use common::installation::{output_text, Installation, Installed, Mailbox};
use common::{MailStack, TestCa};

const CONSULTAS: &str = "consultas@osce.test";

/// How triaje reaches the IMAP server in a test.
struct Imap<'a> {
    /// Port on 127.0.0.1.
    port: u16,
    /// `implicit` or `starttls`.
    tls: &'a str,
    /// The CA to trust, if any.
    ca_file: Option<&'a Path>,
}

/// A one-mailbox installation reaching IMAP as `imap` says; `with_smtp` adds SMTP over STARTTLS without a
/// `ca_file` (acknowledgements are then sent).
fn installation(stack: &MailStack, imap: &Imap, with_smtp: bool) -> Installed {
    let mut mailbox = Mailbox::new("consultas", stack)
        .set("imap", &format!("port = {}", imap.port))
        .set("imap", &format!("tls = \"{}\"", imap.tls))
        .set("smtp", "tls = \"starttls\"");
    if let Some(ca) = imap.ca_file {
        mailbox = mailbox.set("imap", &format!("ca_file = \"{}\"", ca.display()));
    }
    if !with_smtp {
        mailbox = mailbox.without("smtp");
    }
    Installation::bare()
        .mailbox(mailbox)
        .set("triage", "io_timeout_seconds = 20")
        .write()
}

fn consultation(id: &str) -> Vec<u8> {
    format!(
        "From: ciudadano1@example.test\r\nTo: {CONSULTAS}\r\nSubject: Clave SEACE {id}\r\nMessage-ID: <{id}>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nNo puedo ingresar al SEACE, olvide la contraseña.\r\n"
    )
    .into_bytes()
}

/// Runs `triaje once` and expects it to refuse the server: non-zero, the mailbox named, `why` said, `advice`
/// given, and the message still in the inbox.
async fn refused(stack: &MailStack, imap: &Imap<'_>, why: &str, advice: &str) {
    let out = installation(stack, imap, false).once();
    let said = output_text(&out);
    assert!(
        !out.status.success(),
        "an untrusted server was accepted:\n{said}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("buzón consultas"),
        "the mailbox is named:\n{said}"
    );
    assert!(stderr.contains(why), "«{why}» is said:\n{said}");
    assert!(stderr.contains(advice), "«{advice}» is advised:\n{said}");
    assert!(
        !stderr.contains("UnknownIssuer") && !stderr.contains("NotValidForName"),
        "rustls's words are not the administrator's:\n{said}"
    );
    assert_eq!(stack.messages(CONSULTAS, "INBOX").await.len(), 1, "{said}");
    assert!(
        stack.messages(CONSULTAS, "SEACE").await.is_empty(),
        "{said}"
    );
}

/// Runs `triaje once` and expects the message filed.
async fn filed(stack: &MailStack, imap: &Imap<'_>) {
    let out = installation(stack, imap, false).once();
    assert!(out.status.success(), "{}", output_text(&out));
    stack
        .wait_for(CONSULTAS, "SEACE", 1, Duration::from_secs(10))
        .await;
    assert!(stack.messages(CONSULTAS, "INBOX").await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn implicit_tls_is_refused_without_the_ca_and_files_with_it() {
    let ca = TestCa::new("CA de prueba triaje");
    let (cert, key) = ca.issue("imap", &["127.0.0.1", "localhost"]);
    let stack = MailStack::start_with_tls(&cert, &key);
    stack
        .append(
            CONSULTAS,
            "INBOX",
            &consultation("tls-1@example.test"),
            None,
        )
        .await;
    let port = stack.imaps_port.expect("imaps port");
    let untrusted = Imap {
        port,
        tls: "implicit",
        ca_file: None,
    };
    refused(&stack, &untrusted, "no es de confianza", "ca_file").await;
    let trusted = Imap {
        ca_file: Some(&ca.cert),
        ..untrusted
    };
    filed(&stack, &trusted).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn starttls_is_refused_without_the_ca_and_files_with_it() {
    let ca = TestCa::new("CA de prueba triaje");
    let (cert, key) = ca.issue("imap", &["127.0.0.1"]);
    let stack = MailStack::start_with_tls(&cert, &key);
    stack
        .append(
            CONSULTAS,
            "INBOX",
            &consultation("tls-2@example.test"),
            None,
        )
        .await;
    let untrusted = Imap {
        port: stack.imap_port,
        tls: "starttls",
        ca_file: None,
    };
    refused(&stack, &untrusted, "no es de confianza", "ca_file").await;
    let trusted = Imap {
        ca_file: Some(&ca.cert),
        ..untrusted
    };
    filed(&stack, &trusted).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_certificate_for_another_name_is_refused_even_from_a_trusted_ca() {
    let ca = TestCa::new("CA de prueba triaje");
    let (cert, key) = ca.issue("otro", &["otro.example"]);
    let stack = MailStack::start_with_tls(&cert, &key);
    stack
        .append(
            CONSULTAS,
            "INBOX",
            &consultation("tls-3@example.test"),
            None,
        )
        .await;
    let imap = Imap {
        port: stack.imaps_port.expect("imaps port"),
        tls: "implicit",
        ca_file: Some(&ca.cert),
    };
    refused(
        &stack,
        &imap,
        "no coincide con «127.0.0.1» (el certificado es para otro.example)",
        "host de [mailbox.imap]",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_acknowledgement_is_not_sent_to_an_untrusted_smtp_server() {
    let ca = TestCa::new("CA de prueba triaje");
    let (cert, key) = ca.issue("mail", &["127.0.0.1"]);
    let stack = MailStack::start_with_tls(&cert, &key);
    stack
        .append(
            CONSULTAS,
            "INBOX",
            &consultation("tls-4@example.test"),
            None,
        )
        .await;
    // IMAP trusts the CA; SMTP (STARTTLS on Postfix, same certificate) is given no ca_file.
    let imap = Imap {
        port: stack.imaps_port.expect("imaps port"),
        tls: "implicit",
        ca_file: Some(&ca.cert),
    };
    let installed = installation(&stack, &imap, true);
    let out = installed.once();
    let said = output_text(&out);
    assert!(out.status.success(), "{said}");
    stack
        .wait_for(CONSULTAS, "SEACE", 1, Duration::from_secs(10))
        .await;
    assert!(
        said.contains("Correo enviado ahora: 0 (1 por reintentar"),
        "{said}"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        stack
            .messages("ciudadano1@example.test", "INBOX")
            .await
            .is_empty(),
        "the acknowledgement went out through an untrusted server"
    );
    let status = output_text(&installed.triaje(&["status"]));
    assert!(status.contains("1 en cola"), "{status}");
    // The queued acknowledgement carries the reason, in the administrator's words.
    let store = installed.store().await;
    let consultation =
        common::consultation_of(&store, &stack.messages(CONSULTAS, "SEACE").await[0]).await;
    let outgoing = store.outgoing_for(consultation.id).await.unwrap();
    let error = outgoing[0].last_error.clone().unwrap_or_default();
    assert!(
        error.contains("no es de confianza") && error.contains("[mailbox.smtp]"),
        "{error}"
    );
    store.close().await;
}
