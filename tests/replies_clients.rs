//! Drafts as the office's mail clients save them (tests/common/drafts.rs: Thunderbird plain and HTML at their
//! defaults, Outlook for Windows without threading headers and with an inline logo and a copy, Outlook for
//! Android in English, Gmail, Apple Mail, Roundcube), dropped into `Por enviar` of a live `triaje run` on the
//! real Dovecot + Postfix: every one reaches its citizen with the assistant's words, without the quote, threaded
//! under the question; then the replies a shared mailbox sees on a normal day (a Reply on the acknowledgement, a
//! refused draft dropped again).

mod common;

use std::time::{Duration, Instant};
use triaje::vocabulary::ConsultationState;

use common::daemon::{Daemon, CONSULTAS};
use common::drafts::{self, history, question, text, Answer};
use common::{MailStack, StackOptions, StoredMessage};

const COORDINATOR: &str = "coordinador@osce.test";

fn parsed(m: &StoredMessage) -> mail_parser::Message<'_> {
    mail_parser::MessageParser::default().parse(&m.raw).unwrap()
}

/// Waits until `user`'s inbox holds a message whose subject starts with `RE:`; returns it.
async fn reply_for(stack: &MailStack, daemon: &Daemon, user: &str) -> StoredMessage {
    let start = Instant::now();
    loop {
        if let Some(m) = stack
            .messages(user, "INBOX")
            .await
            .into_iter()
            .find(|m| m.subject.starts_with("RE:"))
        {
            return m;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let notes: Vec<String> = stack
                .messages(CONSULTAS, "Observadas")
                .await
                .iter()
                .map(text)
                .collect();
            panic!(
                "no reply reached {user}; notes in Observadas: {notes:#?}\n{}",
                daemon.log()
            );
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn drafts_saved_by_every_client_at_its_defaults_reach_the_citizen() {
    let citizens: Vec<String> = (1..=8).map(|i| format!("vecino{i}@example.test")).collect();
    let stack = MailStack::start_with(StackOptions {
        users: citizens.clone(),
        ..StackOptions::default()
    });
    let daemon = Daemon::start(&stack);
    let timeout = Duration::from_secs(60);
    // Consultations, not incident reports: a subject that names a failure («Error al publicar…») makes the
    // message an incident, filed in «Incidencias» (the kind rules), which is not what this test is about.
    let subjects = [
        "Clave del SEACE bloqueada",
        "No veo mi proceso en el SEACE",
        "Usuario SEACE de la entidad",
        "Registro en el SEACE de un contrato",
        "Consulta sobre el buscador del SEACE",
        "Publicar en el SEACE",
        "Olvidé mi contraseña del SEACE",
        "Certificado SEACE para firmar",
    ];
    let body = "No puedo ingresar al SEACE con mi usuario y contraseña.";
    for (i, (citizen, subject)) in citizens.iter().zip(subjects).enumerate() {
        stack.send(
            citizen,
            &[CONSULTAS],
            &question(citizen, &format!("q{i}@example.test"), subject, body),
        );
    }
    stack.wait_for(CONSULTAS, "SEACE", 8, timeout).await;
    for citizen in &citizens {
        stack.wait_for(citizen, "INBOX", 1, timeout).await; // the acknowledgement
    }

    let answers: Vec<String> = (0..8)
        .map(|i| format!("Respuesta número {i}: su usuario del SEACE ya fue desbloqueado."))
        .collect();
    let ids: Vec<String> = (0..8).map(|i| format!("q{i}@example.test")).collect();
    let tags: Vec<String> = (0..8).map(|i| format!("borrador-cliente-{i}")).collect();
    let answer = |i: usize| Answer {
        citizen: &citizens[i],
        name: "Vecino",
        question_id: &ids[i],
        subject: subjects[i],
        question: body,
        text: &answers[i],
        tag: &tags[i],
    };
    let saved: Vec<(&str, Vec<u8>)> = vec![
        ("Thunderbird (texto)", drafts::thunderbird_plain(&answer(0))),
        ("Thunderbird (HTML)", drafts::thunderbird_html(&answer(1))),
        (
            "Outlook (Windows, logo, copia)",
            drafts::outlook_desktop(&answer(2), true, Some(COORDINATOR)),
        ),
        (
            "Outlook (Windows)",
            drafts::outlook_desktop(&answer(3), false, None),
        ),
        (
            "Outlook (Android, inglés)",
            drafts::outlook_mobile_english(&answer(4)),
        ),
        ("Gmail", drafts::gmail(&answer(5))),
        ("Apple Mail", drafts::apple_mail(&answer(6))),
        ("Roundcube", drafts::roundcube(&answer(7))),
    ];
    let mut assistant = stack.imap(CONSULTAS).await;
    for (_, raw) in &saved {
        assistant.append_draft("Por enviar", raw).await;
    }

    for (i, (client, _)) in saved.iter().enumerate() {
        let reply = reply_for(&stack, &daemon, &citizens[i]).await;
        let words = text(&reply);
        assert!(words.contains(&answers[i]), "{client}: {words}");
        assert!(words.contains("Ana Torres"), "{client}: signed: {words}");
        assert_eq!(
            parsed(&reply).in_reply_to().as_text(),
            Some(ids[i].as_str()),
            "{client}: threaded under the question"
        );
        assert!(
            reply.subject.contains(subjects[i]),
            "{client}: {}",
            reply.subject
        );
    }

    // Outlook's inline logo reaches the citizen inline (multipart/related, its Content-ID), not as a stray
    // attachment, and the copy the assistant added went out and is in the history.
    let logo = reply_for(&stack, &daemon, &citizens[2]).await;
    let raw = String::from_utf8_lossy(&logo.raw).to_string();
    assert!(raw.contains("multipart/related"), "{raw}");
    assert!(
        raw.contains("Content-ID: <image001.png@01DB3C1A.2F3B4C50>"),
        "{raw}"
    );
    assert!(
        !raw.contains("multipart/mixed"),
        "no attachment part: {raw}"
    );
    let html = parsed(&logo).body_html(0).unwrap().into_owned();
    assert!(
        html.contains("cid:image001.png@01DB3C1A.2F3B4C50"),
        "{html}"
    );
    assert!(raw.contains(&format!("Cc: <{COORDINATOR}>")), "{raw}");
    let copy = stack.wait_for(COORDINATOR, "INBOX", 1, timeout).await;
    assert_eq!(copy[0].message_id, logo.message_id);
    let db = common::sqlite_store(daemon.dir.path()).await;
    let c = db
        .consultations(None)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.from_addr.as_deref() == Some(citizens[2].as_str()))
        .unwrap();
    let history = history(&db, c.id).await;
    assert!(
        history
            .iter()
            .any(|h| h.contains(&format!("con copia a {COORDINATOR}"))),
        "{history:#?}"
    );
    // Nothing was returned: no notes.
    assert!(stack.messages(CONSULTAS, "Observadas").await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_on_the_acknowledgement_answers_and_a_refused_draft_dropped_again_gets_its_note_again(
) {
    let stack = MailStack::start();
    let daemon = Daemon::start(&stack);
    let timeout = Duration::from_secs(60);
    let citizen = "ciudadano1@example.test";
    stack.send(
        citizen,
        &[CONSULTAS],
        &question(
            citizen,
            "q-ack@example.test",
            "Clave SEACE",
            "Olvidé mi clave del SEACE.",
        ),
    );
    stack.wait_for(CONSULTAS, "SEACE", 1, timeout).await;
    let ack = stack.wait_for(citizen, "INBOX", 1, timeout).await.remove(0);
    let ack_id = ack.message_id.clone().unwrap();

    // An unsigned draft is returned with a note naming the ticket and the mailbox; dropped again unchanged, it
    // comes back with its note again.
    let unsigned = format!(
        "From: {CONSULTAS}\r\nTo: {citizen}\r\nSubject: RE: Clave SEACE\r\nMessage-ID: <sin-firma-2@osce.test>\r\n\
         In-Reply-To: <q-ack@example.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYa está.\r\n"
    );
    let mut assistant = stack.imap(CONSULTAS).await;
    assistant
        .append_draft("Por enviar", unsigned.as_bytes())
        .await;
    let returned = stack.wait_for(CONSULTAS, "Observadas", 2, timeout).await;
    let note = returned
        .iter()
        .find(|m| m.subject.starts_with("Borrador devuelto"))
        .expect("a note");
    let db = common::sqlite_store(daemon.dir.path()).await;
    let ticket = db.consultations(None).await.unwrap()[0].ticket.clone();
    assert!(note.subject.contains(&ticket), "{}", note.subject);
    assert!(note.subject.contains(CONSULTAS), "{}", note.subject);
    assert!(text(note).contains("no está firmado"), "{}", text(note));
    // (The note goes along with it, as a person selecting both would do; it is put back.)
    assistant.move_all("Observadas", "Por enviar").await;
    let again = stack.wait_for(CONSULTAS, "Observadas", 3, timeout).await;
    assert_eq!(
        again
            .iter()
            .filter(|m| m.subject.starts_with("Borrador devuelto"))
            .count(),
        2,
        "the note again"
    );

    // Reply on the acknowledgement (as the citizen's thread shows it): the draft answers the consultation.
    let on_ack = format!(
        "From: Consultas OSCE <{CONSULTAS}>\r\nTo: {citizen}\r\nSubject: Re: {}\r\nMessage-ID: <sobre-acuse@osce.test>\r\n\
         In-Reply-To: <{ack_id}>\r\nReferences: <q-ack@example.test> <{ack_id}>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nSu clave fue restablecida.\r\n\r\nAtentamente,\r\nAna Torres\r\n",
        ack.subject
    );
    assistant
        .append_draft("Por enviar", on_ack.as_bytes())
        .await;
    let reply = reply_for(&stack, &daemon, citizen).await;
    assert!(text(&reply).contains("Su clave fue restablecida."));
    assert!(reply.subject.contains(&ticket));
    assistant.logout().await;
}

/// An Outlook citizen and an Outlook assistant: the draft has no threading headers and its subject was edited,
/// so only Outlook's conversation index (`Thread-Index`) ties it to the question — among two open consultations
/// of the same citizen.
#[tokio::test(flavor = "multi_thread")]
async fn an_outlook_draft_with_an_edited_subject_is_matched_by_its_conversation_index() {
    let stack = MailStack::start();
    let daemon = Daemon::start(&stack);
    let citizen = "ciudadano2@example.test";
    let conversation = drafts::thread_index(0x21, 0);
    let outlook_question = format!(
        "From: Vecino <{citizen}>\r\nTo: {CONSULTAS}\r\nSubject: Clave del SEACE\r\nMessage-ID: <outlook-q@example.test>\r\n\
         Thread-Topic: Clave del SEACE\r\nThread-Index: {conversation}\r\nDate: Mon, 23 Nov 2026 10:00:00 -0500\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nNo puedo ingresar al SEACE.\r\n"
    );
    stack.send(citizen, &[CONSULTAS], outlook_question.as_bytes());
    stack.send(
        citizen,
        &[CONSULTAS],
        &question(
            citizen,
            "otra@example.test",
            "Usuario del SEACE",
            "Otra consulta del SEACE.",
        ),
    );
    stack
        .wait_for(CONSULTAS, "SEACE", 2, Duration::from_secs(60))
        .await;
    let draft = drafts::outlook_desktop_in(
        &Answer {
            citizen,
            name: "Vecino",
            question_id: "outlook-q@example.test",
            subject: "Su trámite en el SEACE",
            question: "No puedo ingresar al SEACE.",
            text: "Ya puede ingresar con su nueva clave.",
            tag: "outlook-ti",
        },
        false,
        None,
        &drafts::thread_index(0x21, 1),
    );
    let mut assistant = stack.imap(CONSULTAS).await;
    assistant.append_draft("Por enviar", &draft).await;
    let reply = reply_for(&stack, &daemon, citizen).await;
    assert!(text(&reply).contains("Ya puede ingresar con su nueva clave."));
    assert_eq!(
        parsed(&reply).in_reply_to().as_text(),
        Some("outlook-q@example.test"),
        "the reply answers the Outlook question"
    );
    assistant.logout().await;
}

/// The citizen asks again in the thread after the answer (a follow-up with the old ticket in its subject): a
/// plain Reply on it answers the follow-up, not the old answered consultation the subject names.
#[tokio::test(flavor = "multi_thread")]
async fn a_plain_reply_on_a_follow_up_answers_the_open_consultation_of_the_thread() {
    let stack = MailStack::start();
    let daemon = Daemon::start(&stack);
    let citizen = "ciudadano3@example.test";
    drafts::ask(
        &stack,
        citizen,
        "primera@example.test",
        "Clave SEACE",
        "Olvidé mi clave del SEACE.",
    )
    .await;
    let first = Answer {
        citizen,
        name: "Vecino",
        question_id: "primera@example.test",
        subject: "Clave SEACE",
        question: "Olvidé mi clave del SEACE.",
        text: "Le enviamos una clave temporal.",
        tag: "primera-respuesta",
    };
    let mut assistant = stack.imap(CONSULTAS).await;
    assistant
        .append_draft("Por enviar", &drafts::gmail(&first))
        .await;
    let reply = reply_for(&stack, &daemon, citizen).await;
    let reply_id = reply.message_id.clone().unwrap();
    // Answered and filed; then the follow-up in the thread, its subject carrying the first ticket.
    let start = Instant::now();
    while stack.messages(CONSULTAS, "Atendidas").await.len() < 2 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{}",
            daemon.log()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let follow_up = format!(
        "From: Vecino <{citizen}>\r\nTo: {CONSULTAS}\r\nSubject: {}\r\nMessage-ID: <segunda@example.test>\r\n\
         In-Reply-To: <{reply_id}>\r\nReferences: <primera@example.test> <{reply_id}>\r\n\
         Date: Tue, 24 Nov 2026 10:00:00 -0500\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         La clave temporal no funciona en el SEACE, me dice usuario bloqueado.\r\n",
        reply.subject
    );
    stack.send(citizen, &[CONSULTAS], follow_up.as_bytes());
    let db = common::sqlite_store(daemon.dir.path()).await;
    let start = Instant::now();
    let open = loop {
        if let Some(c) = db.consultations(None).await.unwrap().into_iter().find(|c| {
            c.message_id.as_deref() == Some("segunda@example.test")
                && c.state == ConsultationState::Filed
        }) {
            break c;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{}",
            daemon.log()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    // Reply on the follow-up: the subject still names the first (answered) ticket.
    let on_follow_up = format!(
        "From: Consultas OSCE <{CONSULTAS}>\r\nTo: {citizen}\r\nSubject: RE: {}\r\nMessage-ID: <sobre-segunda@osce.test>\r\n\
         In-Reply-To: <segunda@example.test>\r\nReferences: <primera@example.test> <{reply_id}> <segunda@example.test>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nDesbloqueamos su usuario; intente de nuevo.\r\n\r\n\
         Atentamente,\r\nAna Torres\r\n",
        reply.subject
    );
    assistant
        .append_draft("Por enviar", on_follow_up.as_bytes())
        .await;
    let start = Instant::now();
    loop {
        let replies: Vec<StoredMessage> = stack
            .messages(citizen, "INBOX")
            .await
            .into_iter()
            .filter(|m| text(m).contains("Desbloqueamos su usuario"))
            .collect();
        if let Some(second) = replies.first() {
            assert!(second.subject.contains(&open.ticket), "{}", second.subject);
            break;
        }
        let notes: Vec<String> = stack
            .messages(CONSULTAS, "Observadas")
            .await
            .iter()
            .map(text)
            .collect();
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the follow-up was not answered; notes: {notes:#?}\n{}",
            daemon.log()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assistant.logout().await;
}

/// A draft for a `contacto@` consultation dropped in `consultas@`'s «Por enviar» comes back with a note that
/// says which mailbox it belongs to.
#[tokio::test(flavor = "multi_thread")]
async fn a_draft_dropped_in_the_wrong_mailbox_is_returned_naming_the_right_one() {
    let stack = MailStack::start();
    let contacto = "contacto@osce.test";
    let second = format!(
        "[[mailbox]]\nname = \"contacto\"\naddress = \"{contacto}\"\ndisplay_name = \"Contacto\"\n\
         [mailbox.imap]\nhost = \"127.0.0.1\"\nport = {imap}\ntls = \"none\"\nusername = \"{contacto}\"\n\
         password = \"secret\"\n[mailbox.smtp]\nhost = \"127.0.0.1\"\nport = {smtp}\ntls = \"none\"\n",
        imap = stack.imap_port,
        smtp = stack.smtp_port
    );
    let daemon = Daemon::start_with(&stack, &second);
    let citizen = "ciudadano4@example.test";
    stack.send(
        citizen,
        &[contacto],
        &question(
            citizen,
            "a-contacto@example.test",
            "Clave SEACE",
            "Olvidé mi clave del SEACE.",
        ),
    );
    stack
        .wait_for(citizen, "INBOX", 1, Duration::from_secs(60))
        .await;
    let db = common::sqlite_store(daemon.dir.path()).await;
    let ticket = db.consultations(None).await.unwrap().remove(0).ticket;
    let draft = format!(
        "From: {CONSULTAS}\r\nTo: {citizen}\r\nSubject: RE: Clave SEACE [{ticket}]\r\nMessage-ID: <buzon-equivocado@osce.test>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nSu clave fue restablecida.\r\n\r\nAtentamente,\r\nAna Torres\r\n"
    );
    let mut assistant = stack.imap(CONSULTAS).await;
    assistant.append_draft("Por enviar", draft.as_bytes()).await;
    let returned = stack
        .wait_for(CONSULTAS, "Observadas", 2, Duration::from_secs(60))
        .await;
    let note = returned
        .iter()
        .find(|m| m.subject.starts_with("Borrador devuelto"))
        .expect("a note");
    assert!(
        text(note).contains(&format!("la consulta {ticket} es del buzón {contacto}")),
        "{}",
        text(note)
    );
    assert_eq!(
        stack.messages(citizen, "INBOX").await.len(),
        1,
        "nothing sent"
    );
    assistant.logout().await;
}

/// An assistant copies a colleague whose address the office's mail server refuses (mistyped, or a domain it
/// does not deliver to): the citizen still gets the reply, with the copy's address in it, and the consultation's
/// history says the copy did not go.
#[tokio::test(flavor = "multi_thread")]
async fn a_reply_whose_copy_the_server_refuses_still_reaches_the_citizen() {
    let stack = MailStack::start();
    let daemon = Daemon::start(&stack);
    let citizen = "ciudadano5@example.test";
    // The test mail stack delivers only to its own domains and refuses this one at RCPT.
    let colleague = "kvilchez@fuera-de-la-red.example";
    let body = "Olvidé mi clave del SEACE.";
    drafts::ask(&stack, citizen, "q-copia@example.test", "Clave SEACE", body).await;
    let answer = Answer {
        citizen,
        name: "Vecino",
        question_id: "q-copia@example.test",
        subject: "Clave SEACE",
        question: body,
        text: "Su clave del SEACE fue restablecida.",
        tag: "borrador-copia-rechazada",
    };
    let mut assistant = stack.imap(CONSULTAS).await;
    assistant
        .append_draft(
            "Por enviar",
            &drafts::outlook_desktop(&answer, false, Some(colleague)),
        )
        .await;
    let reply = reply_for(&stack, &daemon, citizen).await;
    assert!(text(&reply).contains("Su clave del SEACE fue restablecida."));
    assert!(
        parsed(&reply)
            .cc()
            .is_some_and(|cc| cc.iter().any(|a| a.address() == Some(colleague))),
        "the copy is still named in the reply"
    );
    let db = common::sqlite_store(daemon.dir.path()).await;
    let c = db.consultations(None).await.unwrap().remove(0);
    let start = Instant::now();
    loop {
        let history = history(&db, c.id).await;
        if history
            .iter()
            .any(|h| h.contains(&format!("la copia a {colleague} no se entregó")))
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{history:#?}\n{}",
            daemon.log()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let status = daemon.status();
    assert!(
        status.contains("0 fallidos"),
        "nothing counted as failed: {status}"
    );
    assistant.logout().await;
}
