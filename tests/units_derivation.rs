//! Derivation to the agency's units from the mail client, end to end on real servers (Postfix delivers into
//! Dovecot; the units are mailboxes of the test domain answering from their own accounts over SMTP): the
//! assistant drags a consultation into `Derivar/<unidad>`, the unit receives the forward with the citizen's message
//! attached untouched, answers it, and the assistant answers the citizen; a second-level unit raises an incident to
//! the third level; a unit's late answer shows in the coordinator's morning mail; a message that is no
//! consultation comes back with a note. Seed 002 §7.4.1.1 and §9.3.3.

mod common;

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use common::daemon::{Daemon, CONSULTAS};
use common::installation::Installation;
use common::{MailStack, StackOptions, StoredMessage};
use triaje::calendar::{BusinessCalendar, Reception, LIMA};
use triaje::vocabulary::{ConsultationState, DerivationState, UnitLevel};

const SEACE_UNIT: &str = "seace@osce.test";
const OTI_UNIT: &str = "oti@osce.test";
const CITIZEN: &str = "ciudadano1@example.test";
const COORDINATOR: &str = "coordinador@osce.test";
const LIMIT: Duration = Duration::from_secs(60);

/// The units of these tests: the SEACE directorate (second level, 3 business days, raises to OTI) and the IT
/// office (third level, the manual's 5).
const UNITS: &str = "[[unit]]\nname = \"seace\"\ndisplay_name = \"Dirección del SEACE\"\n\
                     address = \"seace@osce.test\"\nlevel = 2\ndeadline = 3\nescalates_to = \"oti\"\n\n\
                     [[unit]]\nname = \"oti\"\ndisplay_name = \"Oficina de Tecnologías de la Información\"\n\
                     address = \"oti@osce.test\"\nlevel = 3\n";

fn stack() -> MailStack {
    MailStack::start_with(StackOptions {
        users: vec![SEACE_UNIT.into(), OTI_UNIT.into()],
        ..StackOptions::default()
    })
}

fn daemon(stack: &MailStack) -> Daemon {
    Installation::new(stack).extra(UNITS).write().spawn_run()
}

/// A citizen's question, with accents sent as 8-bit UTF-8 as most clients do.
fn question(id: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Rosa Quispe <{CITIZEN}>\r\nTo: {CONSULTAS}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         Date: Mon, 23 Nov 2026 10:00:00 -0500\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// What a unit's mail client sends when its person presses Reply on the forward and writes `text`.
fn unit_reply(unit: &str, forward: &StoredMessage, text: &str) -> Vec<u8> {
    let id = forward
        .message_id
        .clone()
        .expect("the forward has a Message-ID");
    format!(
        "From: Especialista <{unit}>\r\nTo: Consultas OSCE <{CONSULTAS}>\r\nSubject: RE: {subject}\r\n\
         Message-ID: <respuesta-{n}@osce.test>\r\nIn-Reply-To: <{id}>\r\nReferences: <{id}>\r\n\
         Date: Mon, 23 Nov 2026 12:00:00 -0500\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\n{text}\r\n\r\nSaludos,\r\nEspecialista\r\n\r\n\
         De: Consultas OSCE <{CONSULTAS}>\r\nEnviado: lunes\r\n> Derivación de la consulta\r\n",
        subject = forward.subject,
        n = forward.uid,
    )
    .into_bytes()
}

/// The assistant's reply draft to the citizen, after the unit's answer.
fn draft(question_id: &str, subject: &str, text: &str) -> Vec<u8> {
    format!(
        "From: Consultas OSCE <{CONSULTAS}>\r\nTo: {CITIZEN}\r\nSubject: RE: {subject}\r\n\
         Message-ID: <borrador-{question_id}>\r\nIn-Reply-To: <{question_id}>\r\nReferences: <{question_id}>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
         {text}\r\n\r\nAtentamente,\r\nAna Torres\r\nMesa de ayuda\r\n"
    )
    .into_bytes()
}

/// The messages attached to `raw` as `message/rfc822`, as their bytes appear in it.
fn attached_messages(raw: &[u8]) -> Vec<Vec<u8>> {
    let parsed = mail_parser::MessageParser::default()
        .parse(raw)
        .expect("a message");
    parsed
        .parts
        .iter()
        .filter(|p| matches!(p.body, mail_parser::PartType::Message(_)))
        .map(|p| raw[p.offset_body as usize..p.offset_end as usize].to_vec())
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Files a citizen's question and returns its message as filed (in `folder`), and its ticket.
async fn filed_question(
    stack: &MailStack,
    daemon: &Daemon,
    id: &str,
    subject: &str,
    body: &str,
    folder: &str,
) -> (StoredMessage, String) {
    stack.send(CITIZEN, &[CONSULTAS], &question(id, subject, body));
    let filed = daemon.wait_for(stack, CONSULTAS, folder, 1, LIMIT).await;
    let db = daemon.store().await;
    let ticket = common::consultation_of(&db, &filed[0]).await.ticket;
    (filed[0].clone(), ticket)
}

/// The end of the Lima business day `at` counts in (the same day, or the next business day after the cut-off or
/// on a non-business day): the first level's «same day» of 002 §9.3.3.
fn is_end_of_a_business_day_from(due: DateTime<Utc>, at: DateTime<Utc>) -> bool {
    let cal = BusinessCalendar::peru_default();
    let local = due.with_timezone(&LIMA);
    let day = local.date_naive();
    let first = at.with_timezone(&LIMA).date_naive();
    cal.is_business_day(day)
        && local.format("%H:%M:%S").to_string() == "23:59:59"
        && day >= first
        && day <= cal.next_business_day(first)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_consultation_derived_to_the_seace_directorate_is_answered_by_it_and_then_to_the_citizen()
{
    let stack = stack();
    let daemon = daemon(&stack);
    let (message, ticket) = filed_question(
        &stack,
        &daemon,
        "bloqueo@example.test",
        "Usuario SEACE bloqueado",
        "No puedo ingresar al SEACE, mi usuario está bloqueado y olvidé la contraseña. ¿Qué hago?",
        "SEACE",
    )
    .await;

    // The assistant drags the consultation into «Derivar/seace».
    let mut assistant = stack.imap(CONSULTAS).await;
    assert!(
        assistant
            .folders()
            .await
            .iter()
            .any(|f| f == "Derivar/seace"),
        "triaje creates a derivation folder per unit"
    );
    assistant
        .move_uids("SEACE", &message.uid.to_string(), "Derivar/seace")
        .await;
    daemon
        .wait_for(&stack, CONSULTAS, "En unidades", 1, LIMIT)
        .await;

    // The unit receives the forward: ticket in the subject, the note with its deadline, the original untouched.
    let forwards = stack.wait_for(SEACE_UNIT, "INBOX", 1, LIMIT).await;
    let forward = &forwards[0];
    assert_eq!(
        forward.subject,
        format!("[{ticket}] Derivación: Usuario SEACE bloqueado")
    );
    let note = common::drafts::text(forward);
    assert!(note.contains("Plazo: a más tardar"), "{note}");
    assert!(note.contains("3 días hábiles"), "{note}");
    assert!(note.contains("ELEVAR"), "{note}");
    let attached = attached_messages(&forward.raw);
    assert_eq!(attached.len(), 1, "the citizen's message is attached");
    assert!(
        contains(&attached[0], &message.raw),
        "the attached message is the citizen's, byte for byte"
    );
    let db = daemon.store().await;
    let c = common::consultation_of(&db, &message).await;
    let held = db.held_by_units().await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].ticket, ticket);
    assert_eq!(held[0].derivation.unit, "seace");
    assert_eq!(held[0].derivation.level, UnitLevel::Second);
    assert!(held[0].derivation.due_at > held[0].derivation.derived_at);
    let (code, metrics) = common::http_get(daemon.web_port, "/metrics").expect("/metrics answers");
    assert_eq!(code, 200);
    assert!(
        metrics.contains("triaje_unit_waiting{unit=\"seace\",level=\"2\"} 1\n"),
        "{metrics}"
    );
    assert!(metrics.contains("triaje_unit_overdue{unit=\"seace\",level=\"2\"} 0\n"));
    let status = daemon.status();
    assert!(
        status.contains(
            "En unidades: 1 consultas, 0 con el plazo de la unidad vencido — Dirección del SEACE 1"
        ),
        "{status}"
    );

    // The unit answers from its own account with its client's Reply.
    stack.send(
        SEACE_UNIT,
        &[CONSULTAS],
        &unit_reply(
            SEACE_UNIT,
            forward,
            "Se desbloqueó el usuario; el ciudadano debe usar «Olvidé mi contraseña».",
        ),
    );
    let answers = daemon
        .wait_for(&stack, CONSULTAS, "Respuestas de unidades", 2, LIMIT)
        .await;
    let (unit_answer, consultation): (Vec<&StoredMessage>, Vec<&StoredMessage>) = answers
        .iter()
        .partition(|m| m.message_id.as_deref() != Some("bloqueo@example.test"));
    assert_eq!(
        consultation.len(),
        1,
        "the consultation is beside the answer"
    );
    assert!(
        unit_answer[0].flags.iter().any(|f| f == "\\Flagged"),
        "the unit's answer is flagged: {:?}",
        unit_answer[0].flags
    );
    assert!(stack.messages(CONSULTAS, "En unidades").await.is_empty());
    assert!(
        stack.messages(CITIZEN, "INBOX").await.len() == 1,
        "the citizen got the acknowledgement only: the unit's answer is not acknowledged"
    );
    // The unit's answer is no attention of its own, and the derivation closed with its time.
    let answer_row = common::consultation_of(&db, unit_answer[0]).await;
    assert_eq!(answer_row.state, ConsultationState::Followup);
    let derivations = db.derivations_of(&[c.id]).await.unwrap();
    assert_eq!(derivations.len(), 1);
    let answered_at = derivations[0].answered_at.expect("answered");
    assert_eq!(derivations[0].state, DerivationState::Answered);
    assert!(db.held_by_units().await.unwrap().is_empty());
    // The first level sends the final answer the same day (002 §9.3.3).
    let after = db.consultation_by_id(c.id).await.unwrap().unwrap();
    assert!(
        is_end_of_a_business_day_from(after.deadline_at, answered_at),
        "deadline {} for an answer at {answered_at}",
        after.deadline_at
    );
    // The due date the assistant sees on the consultation moved with it.
    let due = |at: DateTime<Utc>| format!("Vence_{}", at.with_timezone(&LIMA).format("%Y-%m-%d"));
    assert!(
        consultation[0].flags.contains(&due(after.deadline_at)),
        "{:?}",
        consultation[0].flags
    );
    if due(c.deadline_at) != due(after.deadline_at) {
        assert!(!consultation[0].flags.contains(&due(c.deadline_at)));
    }

    // The assistant answers the citizen as always; the consultation goes from the units' answers to «Atendidas».
    assistant
        .append(
            "Por enviar",
            &draft(
                "bloqueo@example.test",
                "Usuario SEACE bloqueado",
                "Su usuario fue desbloqueado por la Dirección del SEACE. Use «Olvidé mi contraseña».",
            ),
            None,
        )
        .await;
    stack.wait_for(CITIZEN, "INBOX", 2, LIMIT).await;
    daemon
        .wait_for(&stack, CONSULTAS, "Respuestas de unidades", 1, LIMIT)
        .await;
    // The register records the answer right after the move.
    let start = std::time::Instant::now();
    let answered = loop {
        let now = db.consultation_by_id(c.id).await.unwrap().unwrap();
        if now.state == ConsultationState::Answered {
            break now;
        }
        assert!(
            start.elapsed() < LIMIT,
            "not recorded as answered:\n{}",
            daemon.log_tail(30)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };

    // The day's register: level 2, the unit, the unit's own time and the first level's own time, each in business
    // hours of the mailbox (08:30–16:30) from the times the register holds.
    let line = daemon.register_line(&c);
    let fields: Vec<&str> = line.split(',').collect();
    let last: Vec<&str> = fields[fields.len() - 4..].to_vec();
    let derived = &db.derivations_of(&[c.id]).await.unwrap()[0];
    let cal = BusinessCalendar::peru_default();
    let hours = Reception::default();
    let minutes = |from, to| triaje::report::business_minutes(&cal, &hours, from, to) as f64 / 60.0;
    let unit_hours = minutes(derived.derived_at, answered_at);
    let first_level = minutes(c.effective_received_at, derived.derived_at)
        + minutes(answered_at, answered.answered_at.unwrap());
    assert_eq!(last[0], "2", "level: {line}");
    assert_eq!(last[1], "seace", "unit: {line}");
    let number = |s: &str| s.parse::<f64>().unwrap();
    assert!(
        (number(last[2]) - unit_hours).abs() < 0.01,
        "unit's hours {unit_hours}: {line}"
    );
    assert!(
        (number(last[3]) - first_level).abs() < 0.01,
        "first level's hours {first_level}: {line}"
    );
    // The month's indicators count the unit's time apart from the first level's.
    let month = c
        .effective_received_at
        .with_timezone(&LIMA)
        .format("%Y-%m")
        .to_string();
    let (ok, out) = daemon.run(&["report", "indicators", "--month", &month]);
    assert!(ok, "{out}");
    assert!(
        out.contains("seace (nivel 2): 1 derivadas, 1 respondidas, 1 en su plazo, 0 vencidas"),
        "{out}"
    );
    assert!(out.contains("Primer nivel en las derivadas"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_dragged_to_a_unit_that_is_no_consultation_comes_back_with_a_note() {
    let stack = stack();
    let daemon = daemon(&stack);
    let mut assistant = stack.imap(CONSULTAS).await;
    // The folders exist once the daemon connected.
    let start = std::time::Instant::now();
    while !assistant
        .folders()
        .await
        .iter()
        .any(|f| f == "Derivar/seace")
    {
        assert!(
            start.elapsed() < LIMIT,
            "no derivation folder:\n{}",
            daemon.log_tail(30)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let colleague = "From: Colega <colega@osce.test>\r\nTo: consultas@osce.test\r\nSubject: Almuerzo\r\n\
                     Message-ID: <almuerzo@osce.test>\r\nContent-Type: text/plain\r\n\r\nA la una.\r\n";
    assistant
        .append("Derivar/seace", colleague.as_bytes(), None)
        .await;
    let back = daemon
        .wait_for(&stack, CONSULTAS, "Observadas", 2, LIMIT)
        .await;
    assert!(back
        .iter()
        .any(|m| m.message_id.as_deref() == Some("almuerzo@osce.test")));
    let note = back
        .iter()
        .find(|m| m.subject.starts_with("Derivación no realizada"))
        .expect("a note beside it");
    let text = common::drafts::text(note);
    assert!(text.contains("no se derivó"), "{text}");
    assert!(text.contains("Dirección del SEACE"), "{text}");
    assert!(stack.messages(CONSULTAS, "Derivar/seace").await.is_empty());
    assert!(stack.messages(SEACE_UNIT, "INBOX").await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_incident_raised_by_the_seace_directorate_is_answered_by_the_it_office() {
    let stack = stack();
    raised_and_answered(&stack, daemon(&stack)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_incident_raised_to_the_third_level_on_postgresql() {
    let stack = stack();
    let (url, _guard) = common::fresh_pg_database();
    let daemon = Installation::new(&stack)
        .database(&url)
        .extra(UNITS)
        .write()
        .spawn_run();
    raised_and_answered(&stack, daemon).await;
}

/// The assistant drags the filed `message` from `folder` into `Derivar/seace`: the forward, once it reaches the
/// directorate's inbox.
async fn derived_to_seace(
    stack: &MailStack,
    folder: &str,
    message: &StoredMessage,
) -> StoredMessage {
    stack
        .imap(CONSULTAS)
        .await
        .move_uids(folder, &message.uid.to_string(), "Derivar/seace")
        .await;
    stack
        .wait_for(SEACE_UNIT, "INBOX", 1, LIMIT)
        .await
        .remove(0)
}

/// The SEACE directorate raises an incident with «ELEVAR»; the IT office answers it.
async fn raised_and_answered(stack: &MailStack, daemon: Daemon) {
    let (message, ticket) = filed_question(
        stack,
        &daemon,
        "certificado@example.test",
        "No carga el certificado en el SEACE",
        "Hoy es la presentación de ofertas y el SEACE no carga mi certificado digital: la plataforma da error.",
        "Incidencias",
    )
    .await;
    let forward = derived_to_seace(stack, "Incidencias", &message).await;

    // The second level raises it the same day: «ELEVAR» first in its Reply.
    stack.send(
        SEACE_UNIT,
        &[CONSULTAS],
        &unit_reply(
            SEACE_UNIT,
            &forward,
            "ELEVAR\nEs una falla de la plataforma de certificados; corresponde a OTI.",
        ),
    );
    let raised = stack.wait_for(OTI_UNIT, "INBOX", 1, LIMIT).await.remove(0);
    assert_eq!(
        raised.subject,
        format!("[{ticket}] Derivación: No carga el certificado en el SEACE")
    );
    let note = common::drafts::text(&raised);
    assert!(note.contains("Elevada por Dirección del SEACE"), "{note}");
    assert!(note.contains("corresponde a OTI"), "{note}");
    assert!(note.contains("tercer nivel"), "{note}");
    assert!(contains(&attached_messages(&raised.raw)[0], &message.raw));
    let db = daemon.store().await;
    let c = common::consultation_of(&db, &message).await;
    let held = db.held_by_units().await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].derivation.unit, "oti");
    assert_eq!(held[0].derivation.level, UnitLevel::Third);
    // The consultation still waits at the units, beside the directorate's request; nothing flagged for the assistant.
    let waiting = stack.messages(CONSULTAS, "En unidades").await;
    assert_eq!(
        waiting.len(),
        2,
        "the consultation and the request to raise it"
    );
    assert!(stack
        .messages(CONSULTAS, "Respuestas de unidades")
        .await
        .is_empty());

    // The third level answers its forward.
    stack.send(
        OTI_UNIT,
        &[CONSULTAS],
        &unit_reply(
            OTI_UNIT,
            &raised,
            "Se reinició el servicio de firma; el certificado ya carga.",
        ),
    );
    let answers = daemon
        .wait_for(stack, CONSULTAS, "Respuestas de unidades", 2, LIMIT)
        .await;
    assert!(answers
        .iter()
        .any(|m| m.message_id.as_deref() == Some("certificado@example.test")));
    let derivations = db.derivations_of(&[c.id]).await.unwrap();
    let states: Vec<(String, UnitLevel, DerivationState)> = derivations
        .iter()
        .map(|d| (d.unit.clone(), d.level, d.state))
        .collect();
    assert_eq!(
        states,
        vec![
            (
                "seace".to_string(),
                UnitLevel::Second,
                DerivationState::Escalated
            ),
            (
                "oti".to_string(),
                UnitLevel::Third,
                DerivationState::Answered
            ),
        ]
    );
    assert_eq!(derivations[1].escalated_from, Some(derivations[0].id));
    assert!(db.held_by_units().await.unwrap().is_empty());
    // The day's register: an incident, held at the third level by the IT office.
    let line = daemon.register_line(&c);
    let day = c
        .effective_received_at
        .with_timezone(&LIMA)
        .date_naive()
        .to_string();
    assert!(line.contains(",incidencia,"), "{line}");
    assert!(line.contains(",3,oti,"), "level 3, the IT office: {line}");
    // The incident coordinator's report of that day (002 §8.3.2.3): received, at the third level, held by the IT
    // office by its name, whose answer came back.
    let (ok, out) = daemon.run(&[
        "report",
        "incidents",
        "--date",
        &day,
        "--format",
        "csv",
        "-o",
        "incidencias.csv",
    ]);
    assert!(ok, "{out}");
    let csv = std::fs::read_to_string(daemon.dir.path().join("incidencias.csv")).unwrap();
    let line = csv
        .lines()
        .find(|l| l.contains(&ticket))
        .unwrap_or_else(|| panic!("{ticket} in the incident report: {csv}"));
    assert!(line.starts_with("Ingresadas,1,"), "{line}");
    assert!(
        line.contains(",Tercer nivel,Oficina de Tecnologías de la Información,"),
        "{line}"
    );
    assert!(line.contains(",Respuesta de la unidad recibida,"), "{line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_unit_past_its_deadline_shows_in_the_coordinators_morning_mail() {
    let stack = stack();
    let installed = Installation::new(&stack)
        .extra(UNITS)
        .extra(&format!(
            "[digest]\ncoordinator = \"{COORDINATOR}\"\ndue_list_at = \"\"\nregister_at = \"\"\n"
        ))
        .write();
    let config_path = installed.config.clone();
    let daemon = installed.spawn_run();
    let (message, ticket) = filed_question(
        &stack,
        &daemon,
        "constancia@example.test",
        "Constancia del SEACE",
        "¿Cómo obtengo la constancia de mi registro en el SEACE?",
        "SEACE",
    )
    .await;
    derived_to_seace(&stack, "SEACE", &message).await;
    let db = daemon.store().await;
    let due_at = db.held_by_units().await.unwrap()[0].derivation.due_at;

    // The morning of the next business day after the unit's deadline (the morning mail is computed for a `now`).
    let cal = BusinessCalendar::peru_default();
    let late_day = cal.next_business_day(due_at.with_timezone(&LIMA).date_naive());
    let morning = LIMA
        .from_local_datetime(&late_day.and_hms_opt(9, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    // Only the register and the outbox are used here: no password is read.
    let config = triaje::config::Config::load_offline(&config_path).unwrap();
    // The daemon sends no morning mail of its own (`due_list_at = ""`): this one is for the chosen morning.
    let mut settings = config.digest.clone().unwrap();
    settings.due_list_at = chrono::NaiveTime::from_hms_opt(8, 0, 0);
    let installation = triaje::daemon::Installation::open(config).await.unwrap();
    triaje::daemon::digest_round(
        installation.office(),
        &installation.triage.calendar,
        &settings,
        morning,
    )
    .await
    .unwrap();
    // The morning mail is queued for that morning; delivered then as the outbox would, byte for byte, through
    // the real Postfix (the running daemon's sender only takes what is due by the real clock).
    let store = installation.store();
    let queued = store
        .claim_due("prueba", morning, Duration::from_secs(60), 10)
        .await
        .unwrap();
    assert_eq!(queued.len(), 1, "one morning mail is due that morning");
    stack.send(&queued[0].envelope_from, &[COORDINATOR], &queued[0].raw);
    store
        .mark_sent(queued[0].id, "prueba", morning)
        .await
        .unwrap();
    let mail = stack
        .wait_for(COORDINATOR, "INBOX", 1, LIMIT)
        .await
        .remove(0);
    let text = common::drafts::text(&mail);
    assert!(text.contains("UNIDADES CON PLAZO VENCIDO (1)"), "{text}");
    assert!(text.contains(&ticket), "{text}");
    assert!(text.contains("Dirección del SEACE"), "{text}");
    assert!(
        mail.subject.contains("1 en unidades vencidas"),
        "{}",
        mail.subject
    );
}

/// The directorate's own forward of the derivation to the IT office, with the shared mailbox in copy, as Outlook
/// forwards (inline, no thread headers).
fn unit_forward(from: &str, to: &str, forward: &StoredMessage, text: &str) -> Vec<u8> {
    format!(
        "From: Especialista SEACE <{from}>\r\nTo: OTI <{to}>\r\nCc: Consultas OSCE <{CONSULTAS}>\r\n\
         Subject: RV: {subject}\r\nMessage-ID: <reenvio-{n}@osce.test>\r\nDate: Mon, 23 Nov 2026 12:00:00 -0500\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
         {text}\r\n\r\n-----Mensaje original-----\r\nDe: Consultas OSCE <{CONSULTAS}>\r\nAsunto: {subject}\r\n\r\n{note}\r\n",
        subject = forward.subject,
        n = forward.uid,
        note = common::drafts::text(forward).replace('\n', "\r\n"),
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_directorate_that_forwards_to_the_it_office_with_the_mailbox_in_copy_raises_it_too() {
    let stack = stack();
    let daemon = daemon(&stack);
    let (message, ticket) = filed_question(
        &stack,
        &daemon,
        "firma@example.test",
        "Error al firmar en el SEACE",
        "La plataforma del SEACE no deja firmar la oferta: sale un error del servidor.",
        "Incidencias",
    )
    .await;
    let forward = derived_to_seace(&stack, "Incidencias", &message).await;

    // The directorate forwards it to the IT office itself, copying the shared mailbox.
    stack.send(
        SEACE_UNIT,
        &[OTI_UNIT, CONSULTAS],
        &unit_forward(
            SEACE_UNIT,
            OTI_UNIT,
            &forward,
            "Colegas de OTI: es una falla del servicio de firma.",
        ),
    );
    let db = daemon.store().await;
    let c = common::consultation_of(&db, &message).await;
    let start = std::time::Instant::now();
    loop {
        let held = db.held_by_units().await.unwrap();
        if held.len() == 1 && held[0].derivation.unit == "oti" {
            break;
        }
        assert!(
            start.elapsed() < LIMIT,
            "the IT office does not hold it:\n{}",
            daemon.log_tail(30)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // triaje forwards nothing more: the IT office has the directorate's forward only.
    let oti = stack.wait_for(OTI_UNIT, "INBOX", 1, LIMIT).await;
    assert!(oti[0].subject.starts_with("RV: "), "{}", oti[0].subject);
    assert_eq!(stack.messages(CONSULTAS, "En unidades").await.len(), 2);

    // The IT office answers all, from its own account: the answer is recognised by the forward's thread.
    let id = oti[0].message_id.clone().unwrap();
    let answer = format!(
        "From: OTI <{OTI_UNIT}>\r\nTo: {SEACE_UNIT}\r\nCc: {CONSULTAS}\r\nSubject: RE: {subject}\r\n\
         Message-ID: <respuesta-oti@osce.test>\r\nIn-Reply-To: <{id}>\r\nReferences: <{id}>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSe corrigió el servicio de firma.\r\n",
        subject = oti[0].subject
    );
    stack.send(OTI_UNIT, &[SEACE_UNIT, CONSULTAS], answer.as_bytes());
    let answers = daemon
        .wait_for(&stack, CONSULTAS, "Respuestas de unidades", 2, LIMIT)
        .await;
    assert!(answers.iter().any(
        |m| m.message_id.as_deref() == Some("respuesta-oti@osce.test")
            && m.flags.iter().any(|f| f == "\\Flagged")
    ));
    let states: Vec<(String, DerivationState)> = db
        .derivations_of(&[c.id])
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.record.unit, d.state))
        .collect();
    assert_eq!(
        states,
        vec![
            ("seace".to_string(), DerivationState::Escalated),
            ("oti".to_string(), DerivationState::Answered),
        ],
        "{ticket}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_suggestion_derived_to_the_directorate_is_counted_under_it_in_the_annual_report() {
    let stack = stack();
    let daemon = daemon(&stack);
    let (message, ticket) = filed_question(
        &stack,
        &daemon,
        "sugerencia@example.test",
        "Buscador de procedimientos",
        "Buenas tardes. Les sugiero que el buscador de procedimientos del SEACE permita filtrar por distrito de la \
         entidad. Sería de mucha ayuda para los proveedores de provincia.",
        "Sugerencias",
    )
    .await;
    let forward = derived_to_seace(&stack, "Sugerencias", &message).await;
    assert!(forward.subject.contains(&ticket), "{}", forward.subject);
    daemon
        .wait_for(&stack, CONSULTAS, "En unidades", 1, LIMIT)
        .await;

    // 002 §9.1: each unit's annual report of the suggestions it received.
    let db = daemon.store().await;
    let year = common::consultation_of(&db, &message)
        .await
        .effective_received_at
        .with_timezone(&LIMA)
        .format("%Y")
        .to_string();
    let (ok, out) = daemon.run(&["report", "suggestions", "--year", &year]);
    assert!(ok, "{out}");
    assert!(
        out.contains("Dirección del SEACE: 1 recibidas, 0 con el resultado comunicado al ciudadano, 1 pendientes"),
        "{out}"
    );
    assert!(!out.contains("sin derivar"), "{out}");
}
