//! Conversations, end to end on real servers: a citizen's later messages in a consultation's thread reach that
//! consultation (added information, a follow-up after the answer, a thanks), and one message to both mailboxes
//! is one attention answered once. Mail goes in over SMTP (Postfix → Dovecot) exactly as a citizen's client
//! sends it, with the `In-Reply-To`/`References` their Reply button writes.

mod common;

use std::time::{Duration, Instant};
use triaje::vocabulary::ConsultationState;

use common::daemon::Daemon;
use common::installation::Installation;
use common::{MailStack, StoredMessage};
use triaje::store::{ConsultationRow, Store};
use triaje::vocabulary::ThreadRole;

const CONSULTAS: &str = "consultas@osce.test";
const CONTACTO: &str = "contacto@osce.test";
const CITIZEN: &str = "ciudadano1@example.test";
const WAIT: Duration = Duration::from_secs(60);

/// The citizen's first question: filed in SEACE by the shipped rules.
fn question(id: &str, to: &str) -> Vec<u8> {
    format!(
        "From: Rosa Quispe <{CITIZEN}>\r\nTo: {to}\r\nSubject: Clave del SEACE\r\nMessage-ID: <{id}>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         No puedo ingresar al SEACE, olvidé la contraseña de mi usuario.\r\n"
    )
    .into_bytes()
}

/// What the citizen's client sends when she presses Reply on `answered` and writes `text` above the quote.
fn citizen_reply(id: &str, answered: &StoredMessage, text: &str) -> Vec<u8> {
    let parent = answered.message_id.clone().expect("a Message-ID");
    let references = match header(answered, "References") {
        Some(r) => format!("{r} <{parent}>"),
        None => format!("<{parent}>"),
    };
    format!(
        "From: Rosa Quispe <{CITIZEN}>\r\nTo: {CONSULTAS}\r\nSubject: RE: {subject}\r\nMessage-ID: <{id}>\r\n\
         In-Reply-To: <{parent}>\r\nReferences: {references}\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n\r\n\
         El lun., 23 nov. 2026 a las 10:00, Consultas OSCE <{CONSULTAS}> escribió:\r\n> {quoted}\r\n",
        subject = answered.subject,
        quoted = answered.subject,
    )
    .into_bytes()
}

/// The draft an assistant saves after pressing Reply on `message` in the shared mailbox.
fn draft(id: &str, message: &StoredMessage, text: &str) -> Vec<u8> {
    let parent = message.message_id.clone().expect("a Message-ID");
    format!(
        "From: Consultas OSCE <{CONSULTAS}>\r\nTo: {CITIZEN}\r\nSubject: RE: {subject}\r\nMessage-ID: <{id}>\r\n\
         In-Reply-To: <{parent}>\r\nReferences: <{parent}>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n\r\nAtentamente,\r\nAna Torres\r\n\
         Mesa de ayuda\r\n\r\nEl lun., 23 nov. 2026, Rosa Quispe <{CITIZEN}> escribió:\r\n> la pregunta\r\n",
        subject = message.subject,
    )
    .into_bytes()
}

fn header(m: &StoredMessage, name: &str) -> Option<String> {
    let parsed = mail_parser::MessageParser::default().parse(&m.raw)?;
    parsed.header_raw(name).map(|v| v.trim().to_string())
}

/// The messages of a folder that are the citizens' (not triaje's notes filed beside them).
async fn citizens_mail(stack: &MailStack, user: &str, folder: &str) -> Vec<StoredMessage> {
    stack
        .messages(user, folder)
        .await
        .into_iter()
        .filter(|m| header(m, "X-Triaje-Note").is_none())
        .collect()
}

/// Waits until `folder` of `user` holds a citizen's message with `message_id`.
async fn wait_for_message(
    stack: &MailStack,
    daemon: &Daemon,
    user: &str,
    folder: &str,
    message_id: &str,
) -> StoredMessage {
    let start = Instant::now();
    loop {
        if let Some(m) = citizens_mail(stack, user, folder)
            .await
            .into_iter()
            .find(|m| m.message_id.as_deref() == Some(message_id))
        {
            return m;
        }
        assert!(
            start.elapsed() < WAIT,
            "{message_id} never reached «{folder}» of {user}:\n{}",
            daemon.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits until the citizen's inbox holds `count` messages and returns them.
async fn citizen_inbox(stack: &MailStack, count: usize) -> Vec<StoredMessage> {
    stack.wait_for(CITIZEN, "INBOX", count, WAIT).await
}

/// The register's row of the message with `message_id` in `mailbox`.
async fn row(store: &Store, mailbox: &str, message_id: &str) -> ConsultationRow {
    store
        .consultations_with_message_ids(mailbox, &[message_id.to_string()])
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{message_id} is not in the register"))
}

/// Waits until the register says `message_id` (in `mailbox`) is in `state`.
async fn wait_for_state(
    store: &Store,
    daemon: &Daemon,
    mailbox: &str,
    message_id: &str,
    state: ConsultationState,
) -> ConsultationRow {
    let start = Instant::now();
    loop {
        let found = store
            .consultations_with_message_ids(mailbox, &[message_id.to_string()])
            .await
            .unwrap();
        if let Some(c) = found.into_iter().find(|c| c.state == state) {
            return c;
        }
        assert!(
            start.elapsed() < WAIT,
            "{message_id} never reached state {state}:\n{}",
            daemon.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits a few seconds more for anything the daemon might still (wrongly) send.
async fn settle() {
    tokio::time::sleep(Duration::from_secs(4)).await;
}

/// The role a message has in its thread, read from the thread of its `Message-ID`.
async fn role_of(store: &Store, message_id: &str) -> Option<ThreadRole> {
    store
        .thread_of(&[message_id.to_string()])
        .await
        .unwrap()
        .expect("a thread")
        .members
        .into_iter()
        .find(|m| m.consultation.message_id.as_deref() == Some(message_id))
        .and_then(|m| m.role)
}

/// The citizen asks (`id`), is acknowledged, and the assistant answers with a plain Reply: returns her question
/// as filed and the reply as she received it, once the register says it is answered.
async fn asked_and_answered(
    stack: &MailStack,
    daemon: &Daemon,
    store: &Store,
    id: &str,
) -> (StoredMessage, StoredMessage) {
    stack.send(CITIZEN, &[CONSULTAS], &question(id, CONSULTAS));
    let asked = wait_for_message(stack, daemon, CONSULTAS, "SEACE", id).await;
    citizen_inbox(stack, 1).await;
    let answer = draft(
        &format!("borrador-{id}"),
        &asked,
        "Puede restablecer su contraseña con la opción «Olvidé mi contraseña».",
    );
    stack.append(CONSULTAS, "Por enviar", &answer, None).await;
    let reply = citizen_inbox(stack, 2)
        .await
        .into_iter()
        .find(|m| m.subject.starts_with("RE:"))
        .expect("the reply");
    wait_for_state(store, daemon, "consultas", id, ConsultationState::Answered).await;
    (asked, reply)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_acknowledgement_answered_with_added_information_lands_on_the_first_consultation() {
    let stack = MailStack::start();
    let daemon = Daemon::start(&stack);
    stack.send(
        CITIZEN,
        &[CONSULTAS],
        &question("q-info@example.test", CONSULTAS),
    );
    wait_for_message(&stack, &daemon, CONSULTAS, "SEACE", "q-info@example.test").await;
    let ack = citizen_inbox(&stack, 1).await.remove(0);
    assert!(ack.subject.contains("CONS-"), "{}", ack.subject);

    // The acknowledgement invites her to add information by answering it; she does.
    let more = citizen_reply(
        "q-info-2@example.test",
        &ack,
        "Les envío mi RUC 20123456789 y el nombre de la entidad: Municipalidad de San Borja.",
    );
    stack.send(CITIZEN, &[CONSULTAS], &more);
    let beside =
        wait_for_message(&stack, &daemon, CONSULTAS, "SEACE", "q-info-2@example.test").await;
    assert!(header(&beside, "In-Reply-To").is_some());
    settle().await;

    // No second acknowledgement, no second attention: the information is in the first one's history.
    assert_eq!(citizen_inbox(&stack, 1).await.len(), 1);
    let store = daemon.store().await;
    let first = row(&store, "consultas", "q-info@example.test").await;
    let added = row(&store, "consultas", "q-info-2@example.test").await;
    assert_eq!(
        added.state,
        ConsultationState::Followup,
        "not an attention of its own"
    );
    assert_eq!(
        role_of(&store, "q-info-2@example.test").await,
        Some(ThreadRole::Addition)
    );
    let history = store.events_for(first.id).await.unwrap();
    assert!(
        history
            .iter()
            .any(|e| e.kind == "information_added" && e.detail.contains(&added.ticket)),
        "{history:?}"
    );
    let open = store
        .open_consultation_in_thread(&["q-info-2@example.test".to_string()])
        .await
        .unwrap()
        .expect("the open consultation");
    assert_eq!(open.ticket, first.ticket);
    let status = daemon.status();
    assert!(
        !status.contains(&added.ticket),
        "the addition is no attention: {status}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_follow_up_after_the_answer_gets_its_own_deadline_and_a_plain_reply_answers_it() {
    let stack = MailStack::start();
    let daemon = Daemon::start(&stack);
    let store = daemon.store().await;
    let (_, reply) = asked_and_answered(&stack, &daemon, &store, "q-seg@example.test").await;
    let first = row(&store, "consultas", "q-seg@example.test").await;

    // She answers the reply with a new question: the conversation reopens as a follow-up.
    let again = citizen_reply(
        "q-seg-2@example.test",
        &reply,
        "Gracias, ya pude entrar. ¿Cómo cambio el correo electrónico de la cuenta?",
    );
    stack.send(CITIZEN, &[CONSULTAS], &again);
    let follow_up_message =
        wait_for_message(&stack, &daemon, CONSULTAS, "SEACE", "q-seg-2@example.test").await;
    let follow_up = wait_for_state(
        &store,
        &daemon,
        "consultas",
        "q-seg-2@example.test",
        ConsultationState::Filed,
    )
    .await;
    settle().await;
    assert_eq!(
        citizen_inbox(&stack, 2).await.len(),
        2,
        "no acknowledgement for a follow-up"
    );
    assert_eq!(
        role_of(&store, "q-seg-2@example.test").await,
        Some(ThreadRole::FollowUp)
    );
    assert_eq!(follow_up.folder, "SEACE", "the conversation's folder");
    // Its deadline counts from its own arrival, after the first answer.
    // (INTERNALDATE has whole seconds; the answer's time has milliseconds.)
    assert!(
        follow_up.received_at + chrono::TimeDelta::seconds(1)
            >= first.answered_at.expect("answered")
    );
    assert!(follow_up.effective_received_at >= first.effective_received_at);
    // Exactly what the mailbox's policy (the default, by availability) gives for the conversation's availability
    // from the follow-up's own effective reception.
    let expected = triaje::calendar::deadline(
        &triaje::calendar::BusinessCalendar::peru_default(),
        &"disponibilidad".parse().unwrap(),
        first.availability,
        follow_up
            .effective_received_at
            .with_timezone(&triaje::calendar::LIMA),
    );
    assert_eq!(follow_up.deadline_at, expected.with_timezone(&chrono::Utc));
    assert_eq!(follow_up.availability, first.availability);
    assert!(daemon.status().contains("consultas"));

    // The assistant presses a plain Reply on the follow-up: the draft answers it (not «ya fue respondida»).
    let second_draft = draft(
        "borrador-seg-2@osce.test",
        &follow_up_message,
        "Puede cambiarlo en «Mis datos» dentro del SEACE.",
    );
    stack
        .append(CONSULTAS, "Por enviar", &second_draft, None)
        .await;
    let inbox = citizen_inbox(&stack, 3).await;
    assert_eq!(
        inbox
            .iter()
            .filter(|m| m.subject.starts_with("RE:"))
            .count(),
        2
    );
    let answered = wait_for_state(
        &store,
        &daemon,
        "consultas",
        "q-seg-2@example.test",
        ConsultationState::Answered,
    )
    .await;
    assert!(answered.answered_at.is_some());
    assert!(
        citizens_mail(&stack, CONSULTAS, "Observadas")
            .await
            .is_empty(),
        "no draft returned"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thanks_after_the_answer_opens_nothing_and_closes_nothing() {
    let stack = MailStack::start();
    let daemon = Daemon::start(&stack);
    let store = daemon.store().await;
    let (_, reply) = asked_and_answered(&stack, &daemon, &store, "q-gra@example.test").await;

    let thanks = citizen_reply(
        "q-gra-2@example.test",
        &reply,
        "Muchas gracias por la pronta respuesta.\r\n\r\nSaludos cordiales,\r\nRosa Quispe",
    );
    stack.send(CITIZEN, &[CONSULTAS], &thanks);
    // Filed beside the answered consultation, never in a rule folder (whatever its quoted subject says).
    wait_for_message(
        &stack,
        &daemon,
        CONSULTAS,
        "Atendidas",
        "q-gra-2@example.test",
    )
    .await;
    settle().await;
    for folder in ["SEACE", "RNP", "Legal", "Por clasificar"] {
        assert!(
            !citizens_mail(&stack, CONSULTAS, folder)
                .await
                .iter()
                .any(|m| m.message_id.as_deref() == Some("q-gra-2@example.test")),
            "the thanks is not in {folder}"
        );
    }
    assert_eq!(
        citizen_inbox(&stack, 2).await.len(),
        2,
        "no acknowledgement for a thanks"
    );
    let thanks_row = row(&store, "consultas", "q-gra-2@example.test").await;
    assert_eq!(thanks_row.state, ConsultationState::Followup);
    assert_eq!(
        role_of(&store, "q-gra-2@example.test").await,
        Some(ThreadRole::Thanks)
    );
    let first = row(&store, "consultas", "q-gra@example.test").await;
    assert_eq!(first.state, ConsultationState::Answered, "still answered");
    assert!(store
        .open_consultation_in_thread(&["q-gra-2@example.test".to_string()])
        .await
        .unwrap()
        .is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_to_both_mailboxes_is_answered_once_and_both_are_closed() {
    let stack = MailStack::start();
    let daemon = Installation::new(&stack)
        .mailboxes(&stack, &["consultas", "contacto"])
        .write()
        .spawn_run();
    let both = format!("{CONSULTAS}, {CONTACTO}");
    stack.send(
        CITIZEN,
        &[CONSULTAS, CONTACTO],
        &question("q-ambos@example.test", &both),
    );
    let asked = wait_for_message(&stack, &daemon, CONSULTAS, "SEACE", "q-ambos@example.test").await;
    wait_for_message(&stack, &daemon, CONTACTO, "SEACE", "q-ambos@example.test").await;
    citizen_inbox(&stack, 1).await;

    // One attention: whichever mailbox recorded it first has it, the other holds a copy.
    let store = daemon.store().await;
    let start = Instant::now();
    loop {
        let rows = store
            .consultations_with_message_ids("consultas", &["q-ambos@example.test".to_string()])
            .await
            .unwrap()
            .into_iter()
            .chain(
                store
                    .consultations_with_message_ids(
                        "contacto",
                        &["q-ambos@example.test".to_string()],
                    )
                    .await
                    .unwrap(),
            )
            .collect::<Vec<_>>();
        let attentions = rows
            .iter()
            .filter(|c| c.state != ConsultationState::Followup)
            .count();
        if rows.len() == 2 && attentions == 1 {
            break;
        }
        assert!(
            start.elapsed() < WAIT,
            "two attentions: {rows:?}\n{}",
            daemon.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // The assistant of `consultas@` answers it once.
    stack
        .append(
            CONSULTAS,
            "Por enviar",
            &draft(
                "borrador-ambos@osce.test",
                &asked,
                "Puede restablecer su contraseña con la opción «Olvidé mi contraseña».",
            ),
            None,
        )
        .await;
    citizen_inbox(&stack, 2).await;
    // Both mailboxes file it as answered.
    let in_consultas = wait_for_message(
        &stack,
        &daemon,
        CONSULTAS,
        "Atendidas",
        "q-ambos@example.test",
    )
    .await;
    let in_contacto = wait_for_message(
        &stack,
        &daemon,
        CONTACTO,
        "Atendidas",
        "q-ambos@example.test",
    )
    .await;
    for m in [&in_consultas, &in_contacto] {
        assert!(m.flags.iter().any(|f| f == "\\Answered"), "{:?}", m.flags);
    }
    settle().await;
    assert_eq!(
        citizen_inbox(&stack, 2).await.len(),
        2,
        "one acknowledgement, one reply"
    );
    let copy = store
        .consultations_with_message_ids("contacto", &["q-ambos@example.test".to_string()])
        .await
        .unwrap()
        .into_iter()
        .chain(
            store
                .consultations_with_message_ids("consultas", &["q-ambos@example.test".to_string()])
                .await
                .unwrap(),
        )
        .find(|c| c.state == ConsultationState::Followup)
        .expect("the copy");
    assert!(copy.answered_at.is_some(), "the copy is closed: {copy:?}");
}

/// triaje's ticket notes in a folder.
async fn notes_in(stack: &MailStack, user: &str, folder: &str) -> Vec<StoredMessage> {
    stack.ticket_notes(user, folder).await
}

/// Waits until `folder` holds the ticket note of `ticket`.
async fn wait_for_note(
    stack: &MailStack,
    daemon: &Daemon,
    folder: &str,
    ticket: &str,
) -> StoredMessage {
    let start = Instant::now();
    loop {
        if let Some(n) = notes_in(stack, CONSULTAS, folder)
            .await
            .into_iter()
            .find(|n| n.subject.contains(ticket))
        {
            return n;
        }
        assert!(
            start.elapsed() < WAIT,
            "the note of {ticket} never reached «{folder}»:\n{}",
            daemon.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_ticket_note_sits_beside_the_consultation_and_follows_it() {
    let stack = MailStack::start();
    let daemon = Daemon::start(&stack);
    stack.send(
        CITIZEN,
        &[CONSULTAS],
        &question("q-ficha@example.test", CONSULTAS),
    );
    let asked = wait_for_message(&stack, &daemon, CONSULTAS, "SEACE", "q-ficha@example.test").await;
    let store = daemon.store().await;
    let c = row(&store, "consultas", "q-ficha@example.test").await;

    // Beside it, threading with it: ticket, due date and availability in the subject any client lists.
    let note = wait_for_note(&stack, &daemon, "SEACE", &c.ticket).await;
    assert!(
        note.subject.starts_with(&format!("[{}] Vence ", c.ticket)),
        "{}",
        note.subject
    );
    assert!(
        note.subject.contains(c.availability.spanish()),
        "{}",
        note.subject
    );
    assert!(note.subject.contains("Clave del SEACE"), "{}", note.subject);
    assert_eq!(
        header(&note, "In-Reply-To").as_deref(),
        Some("<q-ficha@example.test>")
    );
    assert!(note.flags.iter().any(|f| f == "\\Seen"), "{:?}", note.flags);
    assert!(
        note.internal_date >= asked.internal_date,
        "sorts after the consultation"
    );

    // The coordinator drags the consultation to RNP: the register follows, and so does the note; the note
    // itself is never taken for a correction or a consultation.
    let mut client = stack.imap(CONSULTAS).await;
    client
        .move_uids("SEACE", &asked.uid.to_string(), "RNP")
        .await;
    client.logout().await;
    wait_for_note(&stack, &daemon, "RNP", &c.ticket).await;
    // Dovecot's MOVE copies, then expunges: another session may see the note in both folders for a moment.
    let start = Instant::now();
    while !notes_in(&stack, CONSULTAS, "SEACE").await.is_empty() {
        assert!(
            start.elapsed() < WAIT,
            "the note stayed in «SEACE» after it reached «RNP»:\n{}",
            daemon.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let moved = row(&store, "consultas", "q-ficha@example.test").await;
    assert_eq!(moved.folder, "RNP");
    let in_rnp = citizens_mail(&stack, CONSULTAS, "RNP").await;
    assert_eq!(
        in_rnp.len(),
        1,
        "the consultation alone among the citizens' mail"
    );

    // Answered: the consultation and its note go to «Atendidas».
    stack
        .append(
            CONSULTAS,
            "Por enviar",
            &draft(
                "borrador-ficha@osce.test",
                &in_rnp[0],
                "Puede restablecer su contraseña con la opción «Olvidé mi contraseña».",
            ),
            None,
        )
        .await;
    wait_for_message(
        &stack,
        &daemon,
        CONSULTAS,
        "Atendidas",
        "q-ficha@example.test",
    )
    .await;
    wait_for_note(&stack, &daemon, "Atendidas", &c.ticket).await;
    settle().await;
    assert!(notes_in(&stack, CONSULTAS, "RNP").await.is_empty());
    assert_eq!(
        store.consultations(None).await.unwrap().len(),
        1,
        "one consultation"
    );
    let history = store.events_for(c.id).await.unwrap();
    assert_eq!(
        history.iter().filter(|e| e.kind == "moved_by_hand").count(),
        1,
        "{history:?}"
    );
    assert!(citizens_mail(&stack, CONSULTAS, "Observadas")
        .await
        .is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stranger_threading_under_someone_elses_acknowledgement_gets_a_consultation_of_their_own()
{
    let stack = MailStack::start();
    let daemon = Daemon::start(&stack);
    stack.send(
        CITIZEN,
        &[CONSULTAS],
        &question("q-ajeno@example.test", CONSULTAS),
    );
    wait_for_message(&stack, &daemon, CONSULTAS, "SEACE", "q-ajeno@example.test").await;
    let ack = citizen_inbox(&stack, 1).await.remove(0);
    // Someone else answers Rosa's acknowledgement (its Message-ID follows from the ticket).
    let stranger = "ciudadano2@example.test";
    let raw = format!(
        "From: {stranger}\r\nTo: {CONSULTAS}\r\nSubject: RE: {subject}\r\nMessage-ID: <q-ajeno-2@example.test>\r\n\
         In-Reply-To: <{parent}>\r\nReferences: <{parent}>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nNo puedo ingresar al SEACE con mi usuario de entidad.\r\n",
        subject = ack.subject,
        parent = ack.message_id.clone().expect("a Message-ID"),
    );
    stack.send(stranger, &[CONSULTAS], raw.as_bytes());
    let store = daemon.store().await;
    let theirs = wait_for_state(
        &store,
        &daemon,
        "consultas",
        "q-ajeno-2@example.test",
        ConsultationState::Filed,
    )
    .await;
    // Their own consultation, acknowledged to them; Rosa's history has nothing of it.
    stack.wait_for(stranger, "INBOX", 1, WAIT).await;
    assert!(store
        .thread_of(&["q-ajeno-2@example.test".to_string()])
        .await
        .unwrap()
        .is_some_and(|t| t.members.len() == 1 && t.root_id == theirs.id));
    let rosa = row(&store, "consultas", "q-ajeno@example.test").await;
    let history = store.events_for(rosa.id).await.unwrap();
    assert!(
        !history.iter().any(|e| e.detail.contains(&theirs.ticket)),
        "{history:?}"
    );
}
