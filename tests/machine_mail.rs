//! Machine mail and hostile mail thrown at a live `triaje run` on the real Dovecot + Postfix (issue 15).
//!
//! - Every machine signal in use (a real `MAIL FROM:<>` delivery, `X-Autoreply`, `X-Autorespond`, `X-Loop`
//!   naming the mailbox, lists, bulk, `noreply`, `Auto-Submitted`, «Respuesta automática», Exchange's
//!   `X-Auto-Response-Suppress`, a DSN, triaje's own acknowledgement coming back): filed in «Automáticos», never
//!   acknowledged, out of the register and the status counts; a citizen's ordinary mail from a big provider
//!   (DKIM, ARC, Outlook headers) is still a consultation.
//! - A bounce of a reply and an auto-reply to an acknowledgement: filed beside their consultation, the bounce
//!   flagged with a note, the history and `triaje status` say the citizen did not receive the answer. Such mail
//!   follows its consultation when it moves: into «Atendidas» with its answer, also when it came while the
//!   consultation was on its way there, and to where a coordinator dragged it.
//! - Forwards (`message/rfc822`, an `.eml` alone), damaged base64, a blank text part beside HTML, raw Latin-1 and
//!   undecodable names, an unbalanced quote in `From:`, an internationalised address, and two citizens' messages
//!   sharing one Message-ID: classified by their question and acknowledged as a person would expect.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use triaje::vocabulary::ConsultationState;

use chrono::{Duration as Days, Utc};
use common::drafts::{self, Answer};
use common::installation::{output_text, Installation, Installed};
use common::MailStack;
use triaje::store::{
    ConsultationRow, NewOutgoing, OutgoingKind, Store, FOLLOWED_CONSULTATION, MOVED_BY_HAND,
};

const CONSULTAS: &str = "consultas@osce.test";
const WAIT: Duration = Duration::from_secs(60);

fn install(stack: &MailStack, dir: &Path) -> PathBuf {
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "data_dir = \"{}\"\nrules_dir = \"{}\"\n\n[triage]\npoll_seconds = 1\n\n[[mailbox]]\nname = \"consultas\"\n\
             address = \"{CONSULTAS}\"\ndeadline = \"disponibilidad\"\n[mailbox.imap]\nhost = \"127.0.0.1\"\nport = {}\n\
             tls = \"none\"\nusername = \"{CONSULTAS}\"\npassword = \"secret\"\n[mailbox.smtp]\nhost = \"127.0.0.1\"\n\
             port = {}\ntls = \"none\"\n",
            dir.join("data").display(),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("rules").display(),
            stack.imap_port,
            stack.smtp_port
        ),
    )
    .unwrap();
    config
}

fn run(config: &Path, dir: &Path) -> Child {
    Command::new(common::triaje_bin())
        .arg("--config")
        .arg(config)
        .arg("run")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("run.log")).unwrap())
        .spawn()
        .unwrap()
}

fn stop(mut child: Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}

/// Waits until `folder` of consultas holds `count` messages and the daemon recorded them all (`records`).
async fn settle(
    stack: &MailStack,
    dir: &Path,
    folder: &str,
    count: usize,
    records: usize,
) -> Store {
    stack.wait_for(CONSULTAS, folder, count, WAIT).await;
    let store = common::sqlite_store(dir).await;
    let start = Instant::now();
    loop {
        let rows = store.consultations(None).await.unwrap();
        let inbox = stack.messages(CONSULTAS, "INBOX").await;
        if rows.len() >= records && rows.iter().all(|r| r.filed_at.is_some()) && inbox.is_empty() {
            return store;
        }
        assert!(
            start.elapsed() < WAIT,
            "{} records, {} in INBOX",
            rows.len(),
            inbox.len()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn status(config: &Path) -> String {
    let out = Command::new(common::triaje_bin())
        .arg("--config")
        .arg(config)
        .arg("status")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn mail(from: &str, subject: &str, extra: &str, body: &str, id: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {CONSULTAS}\r\nSubject: {subject}\r\nDate: Mon, 23 Nov 2026 09:00:00 -0500\r\n\
         Message-ID: <{id}>\r\nMIME-Version: 1.0\r\n{extra}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// A real mail server's bounce (DSN) of the reply `reply_id` to `citizen`: the mailbox is full; the returned
/// headers name the reply.
fn dsn(citizen: &str, reply_id: &str, subject: &str) -> Vec<u8> {
    format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.test>\r\nTo: {CONSULTAS}\r\n\
         Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn-1@mx.example.test>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\r\n\r\n--R\r\n\
         Content-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n--R\r\n\
         Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.test\r\n\r\n\
         Final-Recipient: rfc822; {citizen}\r\nAction: failed\r\nStatus: 5.2.2\r\n\
         Diagnostic-Code: smtp; 552 5.2.2 mailbox full\r\n\r\n--R\r\nContent-Type: text/rfc822-headers\r\n\r\n\
         From: {CONSULTAS}\r\nTo: {citizen}\r\nSubject: {subject}\r\nMessage-ID: <{reply_id}>\r\n\r\n--R--\r\n"
    )
    .into_bytes()
}

/// The citizen's out-of-office (Exchange style, `Auto-Submitted`) answering the acknowledgement of `ticket`.
fn out_of_office(citizen: &str, ticket: &str, id: &str) -> Vec<u8> {
    mail(
        citizen,
        &format!("Respuesta automática: Recibimos su consulta {ticket}"),
        &format!("Auto-Submitted: auto-replied\r\nIn-Reply-To: <acuse.{ticket}@osce.test>\r\n"),
        "Estoy de vacaciones hasta el lunes.",
        id,
    )
}

/// The acknowledgements a citizen received.
async fn acks(stack: &MailStack, citizen: &str) -> Vec<common::StoredMessage> {
    stack.messages(citizen, "INBOX").await
}

#[tokio::test(flavor = "multi_thread")]
async fn machine_mail_is_filed_apart_never_acknowledged_and_out_of_the_register() {
    let stack = MailStack::start();
    let dir = tempfile::tempdir().unwrap();
    let config = install(&stack, dir.path());
    let daemon = run(&config, dir.path());
    let question =
        "No puedo ingresar al SEACE, mi usuario está bloqueado. ¿Cómo recupero el acceso?";
    let citizen = "ciudadano1@example.test";
    // A real null-sender delivery (MAIL FROM:<>): Dovecot writes `Return-Path: <>`.
    stack.send(
        "",
        &[CONSULTAS],
        &mail(
            "Sistema <sistema@example.test>",
            "Aviso de la plataforma",
            "",
            question,
            "m1@example.test",
        ),
    );
    // What a notice says: no question, no signature. Weak signals (an auto-reply subject, X-Auto-Response-Suppress,
    // Precedence: bulk, a noreply sender) decide only with no sign of a person; strong ones decide even over a
    // citizen's question, so those carry one.
    let notice = "Su trámite fue actualizado en la plataforma.";
    let machine: Vec<(&str, &str, &str, &str)> =
        vec![
        ("Aviso", "X-Autoreply: yes\r\n", "m2", question),
        ("Aviso", "X-Autorespond: Vacation\r\n", "m3", question),
        (
            "Consulta SEACE",
            "X-Loop: consultas@osce.test\r\n",
            "m4",
            question,
        ),
        (
            "Boletín SEACE",
            "List-Unsubscribe: <mailto:baja@example.test>\r\nList-Id: <boletin.example.test>\r\n",
            "m5",
            question,
        ),
        ("Oferta", "Precedence: bulk\r\n", "m6", notice),
        (
            "Notificación",
            "Auto-Submitted: auto-generated\r\n",
            "m7",
            question,
        ),
        ("Respuesta automática: Consulta SEACE", "", "m8", notice),
        ("Consulta", "X-Auto-Response-Suppress: All\r\n", "m9", notice),
    ];
    for (subject, extra, id, body) in &machine {
        let raw = mail(
            &format!("Remitente <{citizen}>"),
            subject,
            extra,
            body,
            &format!("{id}@example.test"),
        );
        stack.send(citizen, &[CONSULTAS], &raw);
    }
    stack.send(
        "noreply@example.test",
        &[CONSULTAS],
        &mail(
            "Plataforma <noreply@example.test>",
            "Su trámite",
            "",
            notice,
            "m10@example.test",
        ),
    );
    // triaje's own acknowledgement coming back (a forwarder that kept its headers): a loop.
    stack.send(
        citizen,
        &[CONSULTAS],
        &mail(
            CONSULTAS,
            "Recibimos su consulta CONS-2026-000999",
            "Auto-Submitted: auto-replied\r\nX-Triaje-Ticket: CONS-2026-000999\r\n",
            "Hemos recibido su consulta",
            "acuse.CONS-2026-000999@osce.test",
        ),
    );
    // A citizen writing from a big provider: DKIM, ARC, Outlook's headers — a person, acknowledged.
    stack.send(
        citizen,
        &[CONSULTAS],
        &mail(
            &format!("María Quispe <{citizen}>"),
            "Registro de participante en el SEACE",
            "DKIM-Signature: v=1; a=rsa-sha256; d=example.test; s=20230601; h=from:to:subject\r\n\
             ARC-Seal: i=1; a=rsa-sha256; t=1700000000; cv=none; d=example.test\r\n\
             X-Mailer: Microsoft Outlook 16.0\r\nThread-Index: AQHZ\r\nX-MS-Has-Attach: \r\n",
            // A consultation, not an incident: a locked account would be filed in «Incidencias» (the labelling
            // guide's incidencia: something broken that stops the writer), and this test is about the headers.
            "¿Cómo registro a mi empresa como participante en un procedimiento del SEACE?",
            "persona@example.test",
        ),
    );
    let total = machine.len() + 4;
    let store = settle(&stack, dir.path(), "Autom&AOE-ticos", total - 1, total).await;
    stack.wait_for(CONSULTAS, "SEACE", 1, WAIT).await;
    // The outbox has sent what it was going to: only the person's acknowledgement.
    stack.wait_for(citizen, "INBOX", 1, WAIT).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let received = acks(&stack, citizen).await;
    assert_eq!(
        received.len(),
        1,
        "machine mail acknowledged: {:?}",
        received.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    assert!(
        received[0].subject.contains("Registro de participante"),
        "{}",
        received[0].subject
    );

    let rows = store.consultations(None).await.unwrap();
    let automatic: Vec<_> = rows
        .iter()
        .filter(|r| r.state == ConsultationState::Automatic)
        .collect();
    assert_eq!(
        automatic.len(),
        total - 1,
        "{:?}",
        rows.iter()
            .map(|r| (&r.subject, &r.state))
            .collect::<Vec<_>>()
    );
    for r in &automatic {
        assert_eq!(r.folder, "Automáticos");
        assert_eq!(r.category, triaje::workflow::AUTOMATIC_CATEGORY);
        let events = store.events_for(r.id).await.unwrap();
        let why = events
            .iter()
            .find(|e| e.kind == "automatic")
            .map(|e| e.detail.clone());
        assert!(
            why.as_deref()
                .is_some_and(|d| d.contains("correo automático")),
            "{}: {events:?}",
            r.subject
        );
        assert!(
            store.outgoing_for(r.id).await.unwrap().is_empty(),
            "{} acknowledged",
            r.subject
        );
    }
    let null_sender = automatic
        .iter()
        .find(|r| r.subject == "Aviso de la plataforma")
        .unwrap();
    let why = store.events_for(null_sender.id).await.unwrap();
    assert!(
        why.iter().any(|e| e.detail.contains("Return-Path: <>")),
        "{why:?}"
    );

    // Out of the register, the due lists and the counts; counted apart in `status`.
    let now = Utc::now();
    let register = store
        .register_rows(now - Days::days(30), now + Days::days(30))
        .await
        .unwrap();
    assert_eq!(register.len(), 1, "machine mail in the register");
    assert!(store
        .open_due_by(now + Days::days(60))
        .await
        .unwrap()
        .iter()
        .all(|c| c.state != ConsultationState::Automatic));
    let text = status(&config);
    assert!(text.contains("Registradas: 1 "), "{text}");
    assert!(
        text.contains(&format!(
            "Correo automático (no son consultas, sin plazo ni acuse): {}",
            total - 1
        )),
        "{text}"
    );
    // No availability or due-date keywords on machine mail.
    let mut imap = stack.imap(CONSULTAS).await;
    for (_, _, flags) in imap.summaries("Autom&AOE-ticos").await {
        assert!(flags.iter().all(|f| !f.starts_with("Vence_")), "{flags:?}");
    }
    imap.logout().await;
    store.close().await;
    stop(daemon);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bounced_reply_is_shown_beside_its_consultation() {
    let stack = MailStack::start();
    let dir = tempfile::tempdir().unwrap();
    let config = install(&stack, dir.path());
    let daemon = run(&config, dir.path());
    let citizen = "ciudadano2@example.test";
    stack.send(
        citizen,
        &[CONSULTAS],
        &mail(
            citizen,
            "Clave del SEACE",
            "",
            "No puedo ingresar al SEACE, olvidé la contraseña.",
            "q1@example.test",
        ),
    );
    let store = settle(&stack, dir.path(), "SEACE", 1, 1).await;
    let c = store.consultations(None).await.unwrap().remove(0);
    stack.wait_for(citizen, "INBOX", 1, WAIT).await;
    // The reply triaje sent about it (queued here; the reply workflow is tested in replies_e2e.rs).
    let reply_id = format!("respuesta.{}.0123456789ab@osce.test", c.ticket);
    store
        .enqueue(
            &NewOutgoing {
                mailbox: "consultas".into(),
                kind: OutgoingKind::Reply,
                consultation_id: Some(c.id),
                message_id: reply_id.clone(),
                envelope_from: CONSULTAS.into(),
                recipients: vec![citizen.into()],
                raw: mail(CONSULTAS, "RE: Clave del SEACE", "", "Respuesta", &reply_id),
            },
            Utc::now(),
        )
        .await
        .unwrap();
    // The reply bounces (a real null-sender DSN naming it in its returned headers)…
    stack.send(
        "",
        &[CONSULTAS],
        &dsn(citizen, &reply_id, "RE: Clave del SEACE"),
    );
    // … and the citizen's out-of-office answers the acknowledgement.
    let ooo = out_of_office(citizen, &c.ticket, "ooo-1@example.test");
    stack.send(citizen, &[CONSULTAS], &ooo);

    let store = settle(&stack, dir.path(), "SEACE", 4, 3).await;
    let seace = stack.messages(CONSULTAS, "SEACE").await;
    let bounce = seace
        .iter()
        .find(|m| m.subject.contains("Undelivered"))
        .expect("the bounce beside its consultation");
    assert!(
        bounce.flags.iter().any(|f| f == "\\Flagged"),
        "{:?}",
        bounce.flags
    );
    let note = seace
        .iter()
        .find(|m| m.subject.starts_with("Respuesta NO entregada"))
        .expect("a note beside it");
    assert!(note.subject.contains(&c.ticket) && note.flags.iter().any(|f| f == "\\Flagged"));
    assert!(String::from_utf8_lossy(&note.raw).contains("552 5.2.2 mailbox full"));
    assert!(
        seace
            .iter()
            .any(|m| m.subject.starts_with("Respuesta autom")),
        "the auto-reply beside it too"
    );
    assert!(stack
        .messages(CONSULTAS, "Autom&AOE-ticos")
        .await
        .is_empty());

    let history = store.events_for(c.id).await.unwrap();
    let kinds: Vec<&str> = history.iter().map(|e| e.kind.as_str()).collect();
    assert!(
        kinds.contains(&"reply_undelivered") && kinds.contains(&"auto_reply_received"),
        "{kinds:?}"
    );
    let text = status(&config);
    assert!(
        text.contains("ATENCIÓN: la respuesta no llegó al ciudadano") && text.contains(&c.ticket),
        "{text}"
    );
    // Neither machine message was acknowledged: the citizen holds the one acknowledgement (and the reply).
    tokio::time::sleep(Duration::from_secs(3)).await;
    let received = acks(&stack, citizen).await;
    assert!(received
        .iter()
        .all(|m| !m.subject.contains("Undelivered") && !m.subject.contains("vacaciones")));
    assert_eq!(
        received
            .iter()
            .filter(|m| m.subject.starts_with("Recibimos"))
            .count(),
        1
    );
    store.close().await;
    stop(daemon);
}

#[tokio::test(flavor = "multi_thread")]
async fn forwards_broken_text_and_odd_senders_are_read_as_a_person_would() {
    let stack = MailStack::start();
    let dir = tempfile::tempdir().unwrap();
    let config = install(&stack, dir.path());
    let daemon = run(&config, dir.path());
    let rnp = "Quiero renovar mi inscripción en el Registro Nacional de Proveedores; ¿qué documentos presento?";
    // A forward: the forwarder's note, the question attached as message/rfc822.
    let forward = format!(
        "From: Ana Torres <ciudadano3@example.test>\r\nTo: {CONSULTAS}\r\nSubject: RV: consulta de mi colega\r\n\
         Message-ID: <fw-1@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"F\"\r\n\r\n\
         --F\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nLes reenvío la consulta, gracias.\r\n--F\r\n\
         Content-Type: message/rfc822\r\n\r\nFrom: Colega <colega@example.test>\r\nSubject: Renovación RNP\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{rnp}\r\n--F--\r\n"
    );
    stack.send("ciudadano3@example.test", &[CONSULTAS], forward.as_bytes());
    // The .eml alone: no subject, no text, one attached file.
    use base64::Engine as _;
    let inner = format!("From: x@example.test\r\nSubject: Renovación RNP\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{rnp}\r\n");
    let eml = base64::engine::general_purpose::STANDARD.encode(inner.as_bytes());
    let eml_only = format!(
        "From: ciudadano4@example.test\r\nTo: {CONSULTAS}\r\nMessage-ID: <eml-1@example.test>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"E\"\r\n\r\n--E\r\nContent-Type: application/octet-stream; name=\"consulta.eml\"\r\n\
         Content-Disposition: attachment; filename=\"consulta.eml\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{eml}\r\n--E--\r\n"
    );
    stack.send("ciudadano4@example.test", &[CONSULTAS], eml_only.as_bytes());
    // Damaged base64 (one bad line), and a blank text part beside the HTML.
    let seace = "Buenos días, no puedo ingresar al SEACE: mi usuario está bloqueado y necesito presentar mi oferta mañana. Atentamente, Rosa";
    let b64 = base64::engine::general_purpose::STANDARD.encode(seace.as_bytes());
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let damaged = format!(
        "{}\r\n{}!!\r\n{}",
        lines[0],
        &lines[1][..60],
        lines[2..].join("\r\n")
    );
    let broken = format!(
        "From: ciudadano5@example.test\r\nTo: {CONSULTAS}\r\nSubject: consulta\r\nMessage-ID: <b64-1@example.test>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{damaged}\r\n"
    );
    stack.send("ciudadano5@example.test", &[CONSULTAS], broken.as_bytes());
    let html = format!(
        "From: ciudadano5@example.test\r\nTo: {CONSULTAS}\r\nSubject: pregunta\r\nMessage-ID: <html-1@example.test>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"H\"\r\n\r\n--H\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n \r\n--H\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
         <p>{rnp}</p>\r\n--H--\r\n"
    );
    stack.send("ciudadano5@example.test", &[CONSULTAS], html.as_bytes());
    // Raw Latin-1 name (APPENDed: SMTP would not carry raw 8-bit headers untouched), an undecodable one, and an
    // unbalanced quote.
    let mut latin = b"From: Jos\xe9 \xd1ique <ciudadano1@example.test>\r\n".to_vec();
    latin.extend_from_slice(&mail("", "Clave SEACE", "", seace, "latin-1@example.test")[8..]);
    stack.append(CONSULTAS, "INBOX", &latin, None).await;
    // A name in UTF-8 with a broken sequence: no reading explains it.
    let bad_name = base64::engine::general_purpose::STANDARD.encode(b"Jos\xc3\x28 P\xc3\xa9rez");
    let mut garbled =
        format!("From: =?utf-8?B?{bad_name}?= <ciudadano2@example.test>\r\n").into_bytes();
    garbled.extend_from_slice(&mail("", "Clave SEACE", "", seace, "garbled@example.test")[8..]);
    stack.append(CONSULTAS, "INBOX", &garbled, None).await;
    stack.send(
        "ciudadano3@example.test",
        &[CONSULTAS],
        &mail(
            "\"Quispe, María <ciudadano3@example.test>",
            "Clave SEACE",
            "",
            seace,
            "quote@example.test",
        ),
    );
    // Two citizens' different messages sharing one Message-ID: both are acknowledged.
    stack.send(
        "ciudadano4@example.test",
        &[CONSULTAS],
        &mail(
            "ciudadano4@example.test",
            "Clave SEACE",
            "",
            seace,
            "compartido@x.test",
        ),
    );
    stack.send(
        "ciudadano5@example.test",
        &[CONSULTAS],
        &mail(
            "ciudadano5@example.test",
            "Otra clave SEACE",
            "",
            "Tampoco puedo ingresar al SEACE.",
            "compartido@x.test",
        ),
    );
    // An internationalised address: acknowledged through SMTPUTF8.
    stack.send(
        "ciudadano1@example.test",
        &[CONSULTAS],
        &mail(
            "José <josé@example.test>",
            "Clave SEACE",
            "",
            seace,
            "eai@example.test",
        ),
    );

    let store = settle(&stack, dir.path(), "RNP", 3, 10).await;
    let rows = store.consultations(None).await.unwrap();
    let by_id = |id: &str| {
        rows.iter()
            .find(|r| r.message_id.as_deref() == Some(id))
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert_eq!(
        by_id("fw-1@example.test").folder,
        "RNP",
        "the forwarded question decides"
    );
    assert_eq!(
        by_id("fw-1@example.test").from_addr.as_deref(),
        Some("ciudadano3@example.test")
    );
    assert_eq!(
        by_id("eml-1@example.test").folder,
        "RNP",
        "the attached .eml decides"
    );
    assert_eq!(
        by_id("b64-1@example.test").folder,
        "SEACE",
        "damaged base64 still read"
    );
    assert_eq!(
        by_id("html-1@example.test").folder,
        "RNP",
        "the HTML behind a blank text part"
    );
    assert_eq!(
        by_id("latin-1@example.test").from_name.as_deref(),
        Some("José Ñique")
    );
    assert_eq!(
        by_id("garbled@example.test").from_name,
        None,
        "a doubtful name is not kept"
    );
    assert_eq!(
        by_id("quote@example.test").from_addr.as_deref(),
        Some("ciudadano3@example.test")
    );
    assert_eq!(
        by_id("eai@example.test").from_addr.as_deref(),
        Some("josé@example.test")
    );

    // Acknowledgements: to the forwarders, both sharers of a Message-ID, the lenient senders, the EAI address.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let greeting = |m: &common::StoredMessage| String::from_utf8_lossy(&m.raw).to_string();
    let one = acks(&stack, "ciudadano1@example.test").await;
    assert!(
        one.iter()
            .any(|m| greeting(m).contains("Estimado(a) Jos=C3=A9 =C3=91ique")
                || greeting(m).contains("José Ñique")),
        "{:?}",
        one.iter().map(greeting).collect::<Vec<_>>()
    );
    let two = acks(&stack, "ciudadano2@example.test").await;
    assert_eq!(two.len(), 1);
    assert!(
        greeting(&two[0]).contains("Estimado(a) ciudadano2@example.test"),
        "{}",
        greeting(&two[0])
    );
    assert!(
        !greeting(&two[0]).contains("=EF=BF=BD"),
        "no replacement characters"
    );
    assert_eq!(
        acks(&stack, "ciudadano3@example.test").await.len(),
        2,
        "forward and unbalanced quote"
    );
    assert_eq!(
        acks(&stack, "ciudadano4@example.test").await.len(),
        2,
        ".eml and shared Message-ID"
    );
    assert_eq!(
        acks(&stack, "ciudadano5@example.test").await.len(),
        3,
        "base64, HTML and shared Message-ID"
    );
    let eai = by_id("eai@example.test");
    let sent = store.outgoing_for(eai.id).await.unwrap();
    assert_eq!(sent.len(), 1, "the EAI sender gets an acknowledgement");
    let error = sent[0].last_error.clone().unwrap_or_default();
    assert!(
        !error.contains("SMTPUTF8") && !error.contains("inválid"),
        "{error}"
    );
    store.close().await;
    stop(daemon);
}

/// One round of the office with `triaje once` (triage, corrections, replies, notes, what was queued sent, what
/// was sent filed); fails with what it printed when it fails.
fn round(office: &Installed) {
    let out = office.once();
    assert!(out.status.success(), "{}", output_text(&out));
}

/// A private mail stack and an office run by `triaje once`, where `citizen` asked a SEACE question (its
/// `Message-ID` `id`) that one round filed and acknowledged; with the question's row.
async fn office_with_a_seace_question(
    citizen: &str,
    id: &str,
) -> (MailStack, Installed, ConsultationRow) {
    let stack = MailStack::start();
    let office = Installation::new(&stack).write();
    stack.send(
        citizen,
        &[CONSULTAS],
        &drafts::question(citizen, id, "Clave del SEACE", SEACE_QUESTION),
    );
    stack.wait_for(CONSULTAS, "INBOX", 1, WAIT).await;
    round(&office);
    stack.wait_for(citizen, "INBOX", 1, WAIT).await;
    let store = office.store().await;
    let c = store.consultations(None).await.unwrap().remove(0);
    store.close().await;
    assert_eq!(c.folder, "SEACE");
    (stack, office, c)
}

const SEACE_QUESTION: &str = "No puedo ingresar al SEACE, olvidé la contraseña.";

/// Where a message of consultas is, folder by folder (ticket notes apart): `(folder, how many)` of those holding
/// one whose subject starts with `subject`.
async fn whereabouts(stack: &MailStack, subject: &str) -> Vec<(String, usize)> {
    let mut imap = stack.imap(CONSULTAS).await;
    let mut found = Vec::new();
    for folder in imap.folders().await {
        let n = imap
            .messages(&folder)
            .await
            .iter()
            .filter(|m| m.subject.starts_with(subject))
            .count();
        if n > 0 {
            found.push((folder, n));
        }
    }
    imap.logout().await;
    found
}

/// The race left from issue 15: a reply bounces while its consultation is on its way to «Atendidas». The bounce
/// is in the inbox when the round begins that sends the reply and files the consultation as answered: triage
/// files it beside the consultation where the register places it then («SEACE»), and the consultation leaves.
/// Before the fix the bounce, its flag and its «Respuesta NO entregada» note stayed in «SEACE», away from the
/// answered consultation the assistants look at.
#[tokio::test(flavor = "multi_thread")]
async fn a_bounce_that_comes_while_its_consultation_is_being_answered_follows_it_into_atendidas() {
    let citizen = "ciudadano4@example.test";
    let (stack, office, c) =
        office_with_a_seace_question(citizen, "clave-rebote@example.test").await;
    // The assistant's answer is queued while the mail server is down: accepted by the office, not yet sent.
    let mut assistant = stack.imap(CONSULTAS).await;
    let answer = Answer {
        citizen,
        name: "Vecino",
        question_id: "clave-rebote@example.test",
        subject: "Clave del SEACE",
        question: SEACE_QUESTION,
        text: "Le enviamos una clave temporal a su correo.",
        tag: "respuesta-rebote",
    };
    assistant
        .append_draft("Por enviar", &drafts::thunderbird_plain(&answer))
        .await;
    stack.stop_smtp();
    let _ = office.once();
    stack.start_smtp();
    let store = office.store().await;
    let reply_id = store.replies_for(c.id).await.unwrap()[0]
        .reply_message_id
        .clone()
        .expect("the reply is queued");
    // Its bounce is in the inbox when the next round begins: that round files it beside the consultation; the
    // outbox retries the reply within a second or two, and the round that sends it files the consultation in
    // «Atendidas».
    assistant
        .append(
            "INBOX",
            &dsn(
                citizen,
                &reply_id,
                &format!("Re: Clave del SEACE [{}]", c.ticket),
            ),
            None,
        )
        .await;
    assistant.logout().await;
    let mut rounds = 0;
    loop {
        round(&office);
        rounds += 1;
        let now = store.consultation_by_id(c.id).await.unwrap().unwrap();
        if now.state == ConsultationState::Answered {
            break;
        }
        assert!(rounds < 30, "the reply was never sent: {:?}", now.state);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // The next round at the latest, the bounce and its note are beside the answered consultation, once each.
    round(&office);
    assert_eq!(
        whereabouts(&stack, "Undelivered").await,
        vec![("Atendidas".to_string(), 1)],
        "the bounce, exactly once, beside its answered consultation"
    );
    assert_eq!(
        whereabouts(&stack, "Respuesta NO entregada").await,
        vec![("Atendidas".to_string(), 1)],
        "the note beside the bounce goes along"
    );
    let atendidas = stack.messages(CONSULTAS, "Atendidas").await;
    let bounce = atendidas
        .iter()
        .find(|m| m.subject.starts_with("Undelivered"))
        .unwrap();
    assert!(
        bounce.flags.iter().any(|f| f == "\\Flagged"),
        "{:?}",
        bounce.flags
    );
    let seace = stack.messages(CONSULTAS, "SEACE").await;
    assert!(
        seace.is_empty(),
        "nothing left behind in «SEACE»: {:?}",
        seace.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    // The register says where it put it, and the consultation's history still says the reply bounced.
    let rows = store.consultations(None).await.unwrap();
    let machine = rows
        .iter()
        .find(|r| r.message_id.as_deref() == Some("dsn-1@mx.example.test"))
        .expect("the bounce is recorded");
    assert_eq!(
        (machine.state, machine.folder.as_str()),
        (ConsultationState::Automatic, "Atendidas")
    );
    let followed = store.events_for(machine.id).await.unwrap();
    assert!(
        followed
            .iter()
            .any(|e| e.kind == FOLLOWED_CONSULTATION && e.detail.contains("«SEACE» a «Atendidas»")),
        "{followed:?}"
    );
    let history = store.events_for(c.id).await.unwrap();
    assert!(history.iter().any(|e| e.kind == "reply_undelivered"));
    // Filing the reply that bounced as answered, after its bounce, is no later reply: the warning stays.
    let text = office.status();
    assert!(
        text.contains("ATENCIÓN: la respuesta no llegó al ciudadano") && text.contains(&c.ticket),
        "{text}"
    );
    // A further round moves nothing again.
    round(&office);
    assert_eq!(
        whereabouts(&stack, "Undelivered").await,
        vec![("Atendidas".to_string(), 1)]
    );
    store.close().await;
}

/// A coordinator drags a consultation to another folder, and in the same moment the citizen's out-of-office
/// answers its acknowledgement: triage files the out-of-office where the register still places the consultation,
/// then the corrections pass records the move. The out-of-office follows the consultation in that round, is not
/// taken for a person's correction or rescue next round, and is still machine mail. Then a person drags the
/// consultation on with its out-of-office together: that is following too, not a rescue.
#[tokio::test(flavor = "multi_thread")]
async fn an_out_of_office_follows_a_consultation_a_coordinator_moved_by_hand() {
    let citizen = "ciudadano5@example.test";
    let (stack, office, c) =
        office_with_a_seace_question(citizen, "clave-ausente@example.test").await;
    let mut coordinator = stack.imap(CONSULTAS).await;
    let question = coordinator.messages("SEACE").await.remove(0);
    coordinator
        .move_uids("SEACE", &question.uid.to_string(), "RNP")
        .await;
    let ooo = out_of_office(citizen, &c.ticket, "ausente-1@example.test");
    coordinator.append("INBOX", &ooo, None).await;
    round(&office);
    assert_eq!(
        whereabouts(&stack, "Respuesta autom").await,
        vec![("RNP".to_string(), 1)],
        "the out-of-office beside the consultation where the coordinator put it"
    );
    assert!(stack.messages(CONSULTAS, "SEACE").await.is_empty());
    round(&office);
    let store = office.store().await;
    let by_id = |rows: &[ConsultationRow], id: &str| {
        rows.iter()
            .find(|r| r.message_id.as_deref() == Some(id))
            .cloned()
            .unwrap()
    };
    let rows = store.consultations(None).await.unwrap();
    let machine = by_id(&rows, "ausente-1@example.test");
    assert_eq!(
        (machine.state, machine.folder.as_str()),
        (ConsultationState::Automatic, "RNP"),
        "still machine mail, recorded where triaje put it"
    );
    assert_eq!(by_id(&rows, "clave-ausente@example.test").folder, "RNP");
    let kinds = |events: Vec<triaje::store::EventRow>| {
        events.into_iter().map(|e| e.kind).collect::<Vec<_>>()
    };
    assert!(
        !kinds(store.events_for(machine.id).await.unwrap()).contains(&MOVED_BY_HAND.to_string())
    );

    // Both dragged on together: the consultation is corrected, its out-of-office followed it.
    coordinator.move_all("RNP", "Por clasificar").await;
    coordinator.logout().await;
    round(&office);
    let rows = store.consultations(None).await.unwrap();
    let machine = by_id(&rows, "ausente-1@example.test");
    assert_eq!(
        (machine.state, machine.folder.as_str()),
        (ConsultationState::Automatic, "Por clasificar")
    );
    let machine_history = kinds(store.events_for(machine.id).await.unwrap());
    assert!(
        !machine_history.contains(&MOVED_BY_HAND.to_string())
            && machine_history.contains(&FOLLOWED_CONSULTATION.to_string()),
        "{machine_history:?}"
    );
    let corrections = kinds(store.events_for(c.id).await.unwrap())
        .into_iter()
        .filter(|k| k == MOVED_BY_HAND)
        .count();
    assert_eq!(corrections, 2, "SEACE → RNP → Por clasificar");
    assert_eq!(
        whereabouts(&stack, "Respuesta autom").await,
        vec![("Por clasificar".to_string(), 1)]
    );
    store.close().await;
}
