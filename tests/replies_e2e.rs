//! The answer side, end to end on real servers: Postfix delivers into Dovecot, `triaje run` files, acknowledges,
//! takes the assistant's draft, waits for the supervisor on Legal consultations, sends the reply with its survey,
//! and the citizen's click on a survey link is recorded.

mod common;

use std::time::{Duration, Instant};
use triaje::vocabulary::ConsultationState;

use common::daemon::{Daemon, CONSULTAS, SUPERVISOR};
use common::{http_get, http_post, MailStack, StoredMessage};
use triaje::imap::encode_mailbox_name as enc;

fn consultation(from: &str, id: &str, subject: &str, body: &str, extra: &str) -> Vec<u8> {
    format!(
        "From: Ciudadano <{from}>\r\nTo: {CONSULTAS}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         Date: Mon, 23 Nov 2026 10:00:00 -0500\r\nMIME-Version: 1.0\r\n{extra}\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// The draft an assistant's mail client saves after pressing Reply, writing, and signing.
fn draft(to: &str, in_reply_to: &str, subject: &str, text: &str) -> Vec<u8> {
    format!(
        "From: Consultas OSCE <{CONSULTAS}>\r\nTo: {to}\r\nSubject: RE: {subject}\r\n\
         Message-ID: <borrador-{}@osce.test>\r\nIn-Reply-To: <{in_reply_to}>\r\nReferences: <{in_reply_to}>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n\r\nAtentamente,\r\n\
         Ana Torres\r\nMesa de ayuda\r\n\r\nEl lun., 23 nov. 2026 a las 10:00, Ciudadano <{to}> escribió:\r\n\
         > la pregunta\r\n",
        triaje_unique()
    )
    .into_bytes()
}

fn triaje_unique() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

fn header(m: &StoredMessage, name: &str) -> Option<String> {
    let parsed = mail_parser::MessageParser::default().parse(&m.raw)?;
    parsed.header_raw(name).map(|v| v.trim().to_string())
}

fn body(m: &StoredMessage) -> String {
    mail_parser::MessageParser::default()
        .parse(&m.raw)
        .and_then(|p| p.body_text(0).map(|t| t.into_owned()))
        .unwrap_or_default()
}

/// The survey links of a reply, 1 to 5 stars, as paths.
fn survey_paths(m: &StoredMessage) -> Vec<String> {
    body(m)
        .lines()
        .filter_map(|l| {
            l.split_once("http://127.0.0.1:")
                .map(|(_, rest)| rest.to_string())
        })
        .filter_map(|rest| rest.split_once('/').map(|(_, p)| format!("/{}", p.trim())))
        .collect()
}

const SEACE_BODY: &str =
    "No puedo ingresar al SEACE, mi usuario esta bloqueado y olvide la contraseña.";
const LEGAL_BODY: &str =
    "En un contrato de servicios la entidad me aplicó una penalidad por mora. ¿Es correcto el cálculo?";

#[tokio::test(flavor = "multi_thread")]
async fn a_consultation_is_acknowledged_answered_once_and_rated() {
    let stack = MailStack::start();
    let daemon = Daemon::start(&stack);
    let timeout = Duration::from_secs(30);

    // 1. A citizen writes: the consultation is filed and the citizen is acknowledged.
    stack.send(
        "ciudadano1@example.test",
        &[CONSULTAS],
        &consultation(
            "ciudadano1@example.test",
            "q1@example.test",
            "No puedo entrar al SEACE",
            SEACE_BODY,
            "",
        ),
    );
    let filed = stack.wait_for(CONSULTAS, "SEACE", 1, timeout).await;
    let db = common::sqlite_store(daemon.dir.path()).await;
    let ticket = common::consultation_of(&db, &filed[0]).await.ticket;
    let inbox = stack
        .wait_for("ciudadano1@example.test", "INBOX", 1, timeout)
        .await;
    let ack = &inbox[0];
    assert!(ack.subject.contains(&ticket), "{}", ack.subject);
    assert_eq!(
        header(ack, "Auto-Submitted").as_deref(),
        Some("auto-replied")
    );
    assert_eq!(
        header(ack, "In-Reply-To").as_deref(),
        Some("<q1@example.test>")
    );
    assert!(
        body(ack).contains("Le responderemos a más tardar"),
        "{}",
        body(ack)
    );

    // 2. An out-of-office reply is filed but gets no acknowledgement (no mail loop).
    stack.send(
        "ciudadano2@example.test",
        &[CONSULTAS],
        &consultation(
            "ciudadano2@example.test",
            "ooo@example.test",
            "Respuesta automática: fuera de la oficina",
            "Estaré fuera hasta el lunes.",
            "Auto-Submitted: auto-replied\r\n",
        ),
    );

    // 3. An unsigned draft addressed to someone else comes back to the assistant with the reasons beside it.
    let mut assistant = stack.imap(CONSULTAS).await;
    let unsigned = format!(
        "From: {CONSULTAS}\r\nTo: otro@example.test\r\nSubject: RE: No puedo entrar al SEACE\r\n\
         Message-ID: <sin-firma@osce.test>\r\nIn-Reply-To: <q1@example.test>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nYa está.\r\n"
    );
    assistant
        .append("Por enviar", unsigned.as_bytes(), None)
        .await;
    let returned = stack.wait_for(CONSULTAS, "Observadas", 2, timeout).await;
    let note = returned
        .iter()
        .find(|m| m.subject.starts_with("Borrador devuelto"))
        .expect("a note for the assistant");
    assert!(body(note).contains("no está firmado"), "{}", body(note));
    assert!(
        body(note).contains("ciudadano1@example.test"),
        "{}",
        body(note)
    );
    assert!(stack.messages(CONSULTAS, "Por enviar").await.is_empty());

    // 4. The assistant answers properly: Reply, write, sign, drop the draft in «Por enviar».
    assistant
        .append(
            "Por enviar",
            &draft(
                "ciudadano1@example.test",
                "q1@example.test",
                "No puedo entrar al SEACE",
                "Su usuario ya fue desbloqueado.",
            ),
            None,
        )
        .await;
    let inbox = stack
        .wait_for("ciudadano1@example.test", "INBOX", 2, timeout)
        .await;
    let reply = inbox
        .iter()
        .find(|m| m.subject.starts_with("RE:"))
        .expect("the reply");
    assert_eq!(
        reply.subject,
        format!("RE: No puedo entrar al SEACE [{ticket}]")
    );
    assert_eq!(
        header(reply, "In-Reply-To").as_deref(),
        Some("<q1@example.test>")
    );
    assert!(body(reply).contains("Su usuario ya fue desbloqueado."));
    assert!(body(reply).contains("Ana Torres"));
    let links = survey_paths(reply);
    assert_eq!(links.len(), 5, "five survey links in:\n{}", body(reply));

    // A copy in «Enviados»; the consultation in «Atendidas» with \Answered.
    let sent = stack.wait_for(CONSULTAS, "Enviados", 1, timeout).await;
    assert_eq!(sent[0].message_id, reply.message_id);
    let start = Instant::now();
    loop {
        let answered = stack.messages(CONSULTAS, "Atendidas").await;
        if answered.iter().any(|m| {
            m.message_id.as_deref() == Some("q1@example.test")
                && m.flags.iter().any(|f| f == "\\Answered")
        }) {
            break;
        }
        assert!(
            start.elapsed() < timeout,
            "consultation not in Atendidas:\n{}",
            daemon.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(stack.messages(CONSULTAS, "SEACE").await.is_empty());

    // 5. The citizen's mail gateway opens every link (GET and HEAD) before she reads the mail: nothing is
    //    recorded. Then she clicks four stars on the page; a forged link is refused and changes nothing.
    for link in &links {
        let (code, page) = http_get(daemon.web_port, link).unwrap();
        assert_eq!(code, 200, "{page}");
        assert!(page.contains("Enviar mi calificación"), "{page}");
    }
    assert!(
        daemon.status().contains("Encuesta: todavía sin respuestas"),
        "{}",
        daemon.status()
    );
    let (code, page) = http_post(daemon.web_port, &links[3], "estrellas=4").unwrap();
    assert_eq!(code, 200, "{page}");
    assert!(page.contains("Gracias"), "{page}");
    let mut forged = links[4].clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    let (code, _) = http_get(daemon.web_port, &forged).unwrap();
    assert_eq!(code, 400);
    // The second click (five stars) keeps the first answer.
    http_post(daemon.web_port, &links[4], "estrellas=5").unwrap();
    let status = daemon.status();
    assert!(status.contains("Encuesta: 1 respuesta"), "{status}");

    // The out-of-office message was filed and got nothing back; exactly one acknowledgement and one reply
    // reached the citizen.
    assert!(stack
        .messages("ciudadano2@example.test", "INBOX")
        .await
        .is_empty());
    assert_eq!(
        stack
            .messages("ciudadano1@example.test", "INBOX")
            .await
            .len(),
        2
    );
    assert!(status.contains("Correo saliente: 0 en cola"), "{status}");

    // 6. The coordinator's reports, on the data this real flow produced.
    let c = db.consultation_by_ticket(&ticket).await.unwrap().unwrap();
    let effective = c
        .effective_received_at
        .with_timezone(&triaje::calendar::LIMA);
    let csv = daemon.dir.path().join("registro.csv");
    let out = daemon.triaje(&[
        "report",
        "register",
        "--day",
        &effective.format("%Y-%m-%d").to_string(),
        "--format",
        "csv",
        "--output",
        csv.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let register = std::fs::read_to_string(&csv).unwrap();
    let row = register
        .lines()
        .find(|l| l.contains(&ticket))
        .expect("the consultation in the register");
    assert!(
        row.contains("Ana Torres"),
        "the assistant who answered: {row}"
    );
    assert!(row.contains("ciudadano1@example.test"), "{row}");
    let xlsx = daemon.dir.path().join("indicadores.xlsx");
    let out = daemon.triaje(&[
        "report",
        "indicators",
        "--month",
        &effective.format("%Y-%m").to_string(),
        "--output",
        xlsx.to_str().unwrap(),
    ]);
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("Atendidas:            1"), "{summary}");
    assert!(summary.contains("Satisfacción: 1 de 1"), "{summary}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_legal_reply_goes_out_only_after_the_supervisor_approves_it() {
    let stack = MailStack::start();
    let daemon = Daemon::start(&stack);
    let timeout = Duration::from_secs(30);
    let citizen = "ciudadano3@example.test";
    let subject = "Penalidad por mora";

    stack.send(
        citizen,
        &[CONSULTAS],
        &consultation(citizen, "q3@example.test", subject, LEGAL_BODY, ""),
    );
    stack.wait_for(CONSULTAS, "Legal", 1, timeout).await;
    stack.wait_for(citizen, "INBOX", 1, timeout).await; // the acknowledgement

    // The assistant's first draft goes to validation, and the supervisor is told.
    let mut assistant = stack.imap(CONSULTAS).await;
    assistant
        .append(
            "Por enviar",
            &draft(
                citizen,
                "q3@example.test",
                subject,
                "La penalidad está bien calculada.",
            ),
            None,
        )
        .await;
    let waiting = stack
        .wait_for(CONSULTAS, &enc("Validación legal"), 1, timeout)
        .await;
    assert_eq!(waiting.len(), 1);
    let notices = stack.wait_for(SUPERVISOR, "INBOX", 1, timeout).await;
    let notice_id = notices[0].message_id.clone().unwrap();
    assert!(body(&notices[0]).contains("La penalidad está bien calculada."));

    // The supervisor answers the notice with observations: the draft goes back to the assistant, beside the
    // observations, and nothing reaches the citizen.
    let observations = format!(
        "From: {SUPERVISOR}\r\nTo: {CONSULTAS}\r\nSubject: RE: Validación legal pendiente\r\n\
         Message-ID: <obs-1@osce.test>\r\nIn-Reply-To: <{notice_id}>\r\nReferences: <{notice_id}>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nCite el artículo 162 del reglamento.\r\n"
    );
    stack.send(SUPERVISOR, &[CONSULTAS], observations.as_bytes());
    let returned = stack.wait_for(CONSULTAS, "Observadas", 2, timeout).await;
    assert!(returned
        .iter()
        .any(|m| body(m).contains("Cite el artículo 162")));
    assert!(stack
        .messages(CONSULTAS, &enc("Validación legal"))
        .await
        .is_empty());
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        stack.messages(citizen, "INBOX").await.len(),
        1,
        "no reply before approval"
    );

    // The corrected draft goes to validation again; the supervisor approves by answering the notice as people
    // write, with his signature.
    assistant
        .append(
            "Por enviar",
            &draft(
                citizen,
                "q3@example.test",
                subject,
                "Según el artículo 162 del reglamento, la penalidad es correcta.",
            ),
            None,
        )
        .await;
    stack
        .wait_for(CONSULTAS, &enc("Validación legal"), 1, timeout)
        .await;
    // The supervisor's inbox: the first notice, triaje's word on how his observations were read, the new notice.
    let supervisor_inbox = stack.wait_for(SUPERVISOR, "INBOX", 3, timeout).await;
    assert!(
        supervisor_inbox
            .iter()
            .any(|m| body(m).contains("se leyó como OBSERVACIONES")),
        "the supervisor is told how his answer was read"
    );
    let second_notice = supervisor_inbox
        .iter()
        .filter(|m| m.subject.starts_with("Validación legal pendiente"))
        .nth(1)
        .and_then(|m| m.message_id.clone())
        .expect("the second notice");
    let approval = format!(
        "From: {SUPERVISOR}\r\nTo: {CONSULTAS}\r\nSubject: RE: Validación legal pendiente\r\n\
         Message-ID: <ok-1@osce.test>\r\nIn-Reply-To: <{second_notice}>\r\nReferences: <{second_notice}>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nAprobado, puede enviarse.\r\n\r\nVíctor Campos\r\n\
         Supervisor de Calidad\r\n"
    );
    stack.send(SUPERVISOR, &[CONSULTAS], approval.as_bytes());

    let inbox = stack.wait_for(citizen, "INBOX", 2, timeout).await;
    let replies: Vec<&StoredMessage> = inbox
        .iter()
        .filter(|m| m.subject.starts_with("RE:"))
        .collect();
    assert_eq!(replies.len(), 1);
    assert!(body(replies[0]).contains("artículo 162"));
    assert!(
        !body(replies[0]).contains("bien calculada"),
        "the returned draft never goes out"
    );

    // The citizen rates by e-mail with a single number.
    let reply_id = replies[0].message_id.clone().unwrap();
    let rating = format!(
        "From: {citizen}\r\nTo: {CONSULTAS}\r\nSubject: RE: {subject}\r\nMessage-ID: <rating-1@example.test>\r\n\
         In-Reply-To: <{reply_id}>\r\nReferences: <{reply_id}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n4\r\n"
    );
    stack.send(citizen, &[CONSULTAS], rating.as_bytes());
    let start = Instant::now();
    loop {
        let status = daemon.status();
        if status.contains("Encuesta: 1 respuesta") {
            break;
        }
        assert!(
            start.elapsed() < timeout,
            "rating by e-mail not recorded:\n{status}\n{}",
            daemon.log()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    // The rating is not a new consultation: no acknowledgement for it.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(stack.messages(citizen, "INBOX").await.len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_queued_while_smtp_is_down_goes_out_once_it_is_back() {
    let stack = MailStack::start();
    let daemon = Daemon::start(&stack);
    let timeout = Duration::from_secs(30);
    let citizen = "ciudadano4@example.test";
    stack.send(
        citizen,
        &[CONSULTAS],
        &consultation(citizen, "q4@example.test", "Clave SEACE", SEACE_BODY, ""),
    );
    stack.wait_for(citizen, "INBOX", 1, timeout).await;

    stack.stop_smtp();
    let mut assistant = stack.imap(CONSULTAS).await;
    assistant
        .append(
            "Por enviar",
            &draft(
                citizen,
                "q4@example.test",
                "Clave SEACE",
                "Ya puede ingresar.",
            ),
            None,
        )
        .await;
    // The draft is taken and the reply waits in the queue while the server is down.
    stack.wait_for(CONSULTAS, "Atendidas", 1, timeout).await;
    let start = Instant::now();
    while !daemon.status().contains("Correo saliente: 1 en cola") {
        assert!(start.elapsed() < timeout, "{}", daemon.status());
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;

    stack.start_smtp();
    let inbox = stack.wait_for(citizen, "INBOX", 2, timeout).await;
    assert_eq!(
        inbox
            .iter()
            .filter(|m| m.subject.starts_with("RE:"))
            .count(),
        1
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(stack.messages(citizen, "INBOX").await.len(), 2, "sent once");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sender_gets_at_most_the_configured_acknowledgements_per_hour() {
    let stack = MailStack::start();
    let daemon = Daemon::start_with(&stack, "[acknowledgement]\nper_sender_per_hour = 2");
    let timeout = Duration::from_secs(30);
    let citizen = "ciudadano5@example.test";
    for i in 0..3 {
        stack.send(
            citizen,
            &[CONSULTAS],
            &consultation(
                citizen,
                &format!("q5-{i}@example.test"),
                &format!("Clave SEACE {i}"),
                SEACE_BODY,
                "",
            ),
        );
    }
    stack.wait_for(CONSULTAS, "SEACE", 3, timeout).await;
    stack.wait_for(citizen, "INBOX", 2, timeout).await;
    // Give the third acknowledgement every chance to (wrongly) arrive.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        stack.messages(citizen, "INBOX").await.len(),
        2,
        "{}",
        daemon.log()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_coordinator_gets_the_daily_mail_once_and_only_on_business_days() {
    let stack = MailStack::start();
    let coordinator = "coordinador@osce.test";
    let settings = format!(
        "[digest]\ncoordinator = \"{coordinator}\"\ndue_list_at = \"00:00\"\nregister_at = \"00:00\""
    );
    let mut daemon = Daemon::start_with(&stack, &settings);
    let today = chrono::Utc::now()
        .with_timezone(&triaje::calendar::LIMA)
        .date_naive();
    let business = triaje::calendar::BusinessCalendar::peru_default().is_business_day(today);
    if !business {
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert!(
            stack.messages(coordinator, "INBOX").await.is_empty(),
            "no daily mail on {today}"
        );
        return;
    }
    let inbox = stack
        .wait_for(coordinator, "INBOX", 2, Duration::from_secs(30))
        .await;
    assert!(
        inbox
            .iter()
            .any(|m| m.subject.starts_with("Por atender al")),
        "{:?}",
        inbox.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    let register = inbox
        .iter()
        .find(|m| m.subject.starts_with("Registro de atenciones"))
        .expect("register mail");
    let parsed = mail_parser::MessageParser::default()
        .parse(&register.raw)
        .unwrap();
    let attachment = parsed.attachments().next().expect("the workbook");
    assert!(
        attachment.contents().starts_with(b"PK"),
        "an xlsx (zip) workbook"
    );
    // A restarted daemon does not send today's mail again.
    daemon.stop();
    daemon.spawn();
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(stack.messages(coordinator, "INBOX").await.len(), 2);
}

/// The consultation filed as answered is the one answered, though the ticket is not on the message: one without
/// a `Message-ID` is found by its sender, day and content; of two deliveries of one message (same `Message-ID`),
/// the answered copy moves and the other stays open.
#[tokio::test(flavor = "multi_thread")]
async fn the_answered_message_is_found_without_or_with_a_shared_message_id() {
    let stack = MailStack::start();
    let daemon = Daemon::start(&stack);
    let timeout = Duration::from_secs(30);
    let mut assistant = stack.imap(CONSULTAS).await;
    let without_id = format!(
        "From: Ciudadano <ciudadano2@example.test>\r\nTo: {CONSULTAS}\r\nSubject: Sin identificador\r\n\
         Date: Mon, 23 Nov 2026 10:00:00 -0500\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{SEACE_BODY}\r\n"
    );
    let copy = |relay: &str| {
        format!(
            "Received: from {relay} by osce.test; Mon, 23 Nov 2026 10:00:00 -0500\r\n\
             From: Ciudadano <ciudadano3@example.test>\r\nTo: {CONSULTAS}\r\nSubject: Repetido\r\n\
             Message-ID: <doble@example.test>\r\nDate: Mon, 23 Nov 2026 10:00:00 -0500\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\r\n{SEACE_BODY}\r\n"
        )
    };
    for raw in [without_id, copy("relay1"), copy("relay2")] {
        assistant.append("INBOX", raw.as_bytes(), None).await;
    }
    let filed = stack.wait_for(CONSULTAS, "SEACE", 3, timeout).await;
    let db = common::sqlite_store(daemon.dir.path()).await;
    let is = |m: &StoredMessage, what: &str| String::from_utf8_lossy(&m.raw).contains(what);
    let mut answered_tickets = Vec::new();
    for (m, to) in filed
        .iter()
        .filter(|m| is(m, "Sin identificador") || is(m, "relay2"))
        .map(|m| {
            let to = if m.message_id.is_none() {
                "ciudadano2@example.test"
            } else {
                "ciudadano3@example.test"
            };
            (m, to)
        })
    {
        let ticket = common::consultation_of(&db, m).await.ticket;
        let draft = format!(
            "From: Consultas OSCE <{CONSULTAS}>\r\nTo: {to}\r\nSubject: RE: {} [{ticket}]\r\n\
             Message-ID: <borrador-{}@osce.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             Su usuario ya fue desbloqueado.\r\n\r\nAtentamente,\r\nAna Torres\r\nMesa de ayuda\r\n",
            m.subject,
            triaje_unique()
        );
        assistant.append("Por enviar", draft.as_bytes(), None).await;
        answered_tickets.push(ticket);
    }
    assert_eq!(answered_tickets.len(), 2);

    // «Atendidas» gets the two drafts and the two consultations they answer.
    let answered = stack.wait_for(CONSULTAS, "Atendidas", 4, timeout).await;
    let start = Instant::now();
    while stack.messages(CONSULTAS, "SEACE").await.len() != 1 {
        assert!(start.elapsed() < timeout, "{}", daemon.log());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(answered.iter().any(|m| m.message_id.is_none()));
    assert!(answered.iter().any(|m| is(m, "relay2")));
    let left = stack.messages(CONSULTAS, "SEACE").await;
    assert!(is(&left[0], "relay1"), "the unanswered copy stays in SEACE");
    for ticket in &answered_tickets {
        let c = db.consultation_by_ticket(ticket).await.unwrap().unwrap();
        assert_eq!(c.state, ConsultationState::Answered, "{ticket}");
    }
    let open = common::consultation_of(&db, &left[0]).await;
    assert_eq!(open.folder, "SEACE");
    assert_ne!(open.state, ConsultationState::Answered);
    assistant.logout().await;
}
