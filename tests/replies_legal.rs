//! Legal replies go out only through the supervisor's validation, on the real Dovecot + Postfix with a live
//! `triaje run`: a drag by the shared account is refused and the citizen receives nothing; the supervisor's
//! «Aprobado, puede enviarse.» above his signature approves; answers to the notice from anyone else, a second
//! answer after the decision, and the supervisor's approval of his own draft change nothing and open nothing;
//! the notice's link approves only when confirmed (a scanner's GET or HEAD records nothing); where the server's
//! ACL lets only the supervisor put mail in «Aprobadas», his drag approves; a draft dropped while its
//! consultation is being moved into `Legal` waits for validation.

mod common;

use std::time::{Duration, Instant};
use triaje::vocabulary::ConsultationState;

use common::daemon::{Daemon, CONSULTAS, SUPERVISOR};
use common::drafts::{self, history, text, Answer};
use common::{http_get, http_request, MailStack, StackOptions, StoredMessage};
use triaje::imap::encode_mailbox_name as enc;

const LEGAL_BODY: &str =
    "En un contrato de servicios la entidad me aplicó una penalidad por mora. ¿Es correcto el cálculo?";
const SEACE_BODY: &str = "No puedo ingresar al SEACE, mi usuario está bloqueado.";
const NAMES: &str = r#"supervisor_names = ["Víctor Campos"]"#;

/// The supervisor's answer to a notice, as his client sends it.
fn answer_to_notice(from: &str, notice_id: &str, id: &str, words: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {CONSULTAS}\r\nSubject: RE: Validación legal pendiente\r\nMessage-ID: <{id}>\r\n\
         In-Reply-To: <{notice_id}>\r\nReferences: <{notice_id}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         {words}\r\n\r\nEl lun., 23 nov. 2026 a las 11:00, Consultas OSCE escribió:\r\n> Hay una respuesta...\r\n"
    )
    .into_bytes()
}

/// Waits until `user`'s inbox has `n` messages whose subject starts with `prefix`; returns them.
async fn wait_subjects(
    stack: &MailStack,
    daemon: &Daemon,
    user: &str,
    prefix: &str,
    n: usize,
) -> Vec<StoredMessage> {
    let start = Instant::now();
    loop {
        let got: Vec<StoredMessage> = stack
            .messages(user, "INBOX")
            .await
            .into_iter()
            .filter(|m| m.subject.starts_with(prefix))
            .collect();
        if got.len() >= n {
            return got;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{user} has {} of {n} «{prefix}…»:\n{}",
            got.len(),
            daemon.log()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// The approval link's path in a notice.
fn approval_path(notice: &StoredMessage) -> String {
    let body = text(notice);
    let line = body
        .lines()
        .find(|l| l.contains("/validacion/"))
        .unwrap_or_else(|| panic!("no approval link in:\n{body}"));
    let at = line.find("/validacion/").unwrap();
    line[at..].trim().to_string()
}

fn answer<'a>(
    citizen: &'a str,
    id: &'a str,
    subject: &'a str,
    text: &'a str,
    tag: &'a str,
) -> Answer<'a> {
    Answer {
        citizen,
        name: "Vecino",
        question_id: id,
        subject,
        question: LEGAL_BODY,
        text,
        tag,
    }
}

/// A citizen's Legal question, answered by the assistant with a draft saved by `client`: returns once the draft
/// waits in «Validación legal» and the supervisor has its notice.
async fn waiting_for_validation(
    stack: &MailStack,
    daemon: &Daemon,
    citizen: &str,
    id: &str,
    client: fn(&Answer<'_>) -> Vec<u8>,
    words: &str,
) -> StoredMessage {
    drafts::ask(stack, citizen, id, "Penalidad", LEGAL_BODY).await;
    let mut assistant = stack.imap(CONSULTAS).await;
    assistant
        .append_draft(
            "Por enviar",
            &client(&answer(citizen, id, "Penalidad", words, id)),
        )
        .await;
    assistant.logout().await;
    stack
        .wait_for(
            CONSULTAS,
            &enc("Validación legal"),
            1,
            Duration::from_secs(60),
        )
        .await;
    wait_subjects(stack, daemon, SUPERVISOR, "Validación legal pendiente", 1)
        .await
        .remove(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_supervisors_approval_sends_a_legal_reply_and_nothing_else_opens_a_consultation() {
    let stack = MailStack::start();
    let daemon = Daemon::start_configured(&stack, "", NAMES);
    let db = common::sqlite_store(daemon.dir.path()).await;
    let citizen = "ciudadano1@example.test";
    let own = "ciudadano2@example.test";
    drafts::ask(
        &stack,
        citizen,
        "legal-1@example.test",
        "Penalidad por mora",
        LEGAL_BODY,
    )
    .await;
    drafts::ask(
        &stack,
        own,
        "legal-2@example.test",
        "Penalidad en obra",
        LEGAL_BODY,
    )
    .await;
    stack
        .wait_for(CONSULTAS, "Legal", 2, Duration::from_secs(60))
        .await;

    // The assistant's Legal draft goes to validation; the supervisor's notice carries the approval link and,
    // on a server without folder permissions, does not offer the drag.
    let mut assistant = stack.imap(CONSULTAS).await;
    let draft = drafts::thunderbird_plain(&answer(
        citizen,
        "legal-1@example.test",
        "Penalidad por mora",
        "La penalidad está bien calculada según el artículo 162.",
        "legal-borrador-1",
    ));
    assistant.append_draft("Por enviar", &draft).await;
    stack
        .wait_for(
            CONSULTAS,
            &enc("Validación legal"),
            1,
            Duration::from_secs(60),
        )
        .await;
    let notice = wait_subjects(&stack, &daemon, SUPERVISOR, "Validación legal pendiente", 1)
        .await
        .remove(0);
    let notice_id = notice.message_id.clone().unwrap();
    let link = approval_path(&notice);
    assert!(
        !text(&notice).contains("mover el borrador"),
        "{}",
        text(&notice)
    );

    // The assistant drags her own draft to «Aprobadas»: refused — back in validation with a note, the
    // supervisor told — and the citizen receives nothing.
    assistant
        .move_all(&enc("Validación legal"), "Aprobadas")
        .await;
    let back = stack
        .wait_for(
            CONSULTAS,
            &enc("Validación legal"),
            2,
            Duration::from_secs(60),
        )
        .await;
    let note = back
        .iter()
        .find(|m| m.subject.starts_with("Aprobación no válida"))
        .expect("a note");
    assert!(
        text(note).contains("no cuenta como aprobación"),
        "{}",
        text(note)
    );
    let told = wait_subjects(
        &stack,
        &daemon,
        SUPERVISOR,
        "RE: Validación legal pendiente",
        1,
    )
    .await;
    assert!(text(&told[0]).contains("no cuenta como aprobación"));

    // A mail scanner follows the approval link (GET and HEAD): the page asks to confirm and nothing changes.
    let (code, page) = http_get(daemon.web_port, &link).unwrap();
    assert_eq!(code, 200, "{page}");
    assert!(page.contains("<form method=\"post\""), "{page}");
    let (code, _) = http_request(daemon.web_port, "HEAD", &link).unwrap();
    assert!(code == 200 || code == 405, "{code}");

    // Someone else answers the notice «Aprobado» (a forwarded notice): nothing, and no consultation.
    stack.send(
        "ciudadano3@example.test",
        &[CONSULTAS],
        &answer_to_notice(
            "ciudadano3@example.test",
            &notice_id,
            "forjada@example.test",
            "Aprobado",
        ),
    );
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        stack.messages(citizen, "INBOX").await.len(),
        1,
        "no reply before the supervisor's approval:\n{}",
        daemon.log()
    );
    assert!(
        stack
            .messages("ciudadano3@example.test", "INBOX")
            .await
            .is_empty(),
        "no acknowledgement"
    );

    // The supervisor approves as people write: «Aprobado, puede enviarse.» above his signature.
    stack.send(
        SUPERVISOR,
        &[CONSULTAS],
        &answer_to_notice(
            SUPERVISOR,
            &notice_id,
            "aprobado-1@osce.test",
            "Aprobado, puede enviarse.\r\n\r\nVíctor Campos\r\nSupervisor de Calidad",
        ),
    );
    let reply = wait_subjects(&stack, &daemon, citizen, "RE:", 1)
        .await
        .remove(0);
    assert!(text(&reply).contains("artículo 162"));
    let read_as = wait_subjects(
        &stack,
        &daemon,
        SUPERVISOR,
        "RE: Validación legal pendiente",
        2,
    )
    .await;
    assert!(read_as
        .iter()
        .any(|m| text(m).contains("se leyó como APROBACIÓN")));

    // A second answer after the decision changes nothing; he is told so.
    stack.send(
        SUPERVISOR,
        &[CONSULTAS],
        &answer_to_notice(SUPERVISOR, &notice_id, "tarde-1@osce.test", "Conforme."),
    );
    let stray = wait_subjects(
        &stack,
        &daemon,
        SUPERVISOR,
        "RE: Validación legal pendiente",
        3,
    )
    .await;
    assert!(stray.iter().any(|m| text(m).contains("no se cambió nada")));

    // The supervisor's own draft (he signs it): his approval by mail and by the link are refused with the
    // reason, and that citizen receives nothing.
    let mine = drafts::thunderbird_plain(&Answer {
        text: "La penalidad es correcta.",
        ..answer(
            own,
            "legal-2@example.test",
            "Penalidad en obra",
            "",
            "legal-borrador-2",
        )
    });
    let mine = String::from_utf8(mine).unwrap().replace(
        "-- \r\nAna Torres\r\nMesa de ayuda OSCE",
        "-- \r\nVíctor Campos\r\nSupervisor de Calidad",
    );
    assistant.append_draft("Por enviar", mine.as_bytes()).await;
    let notices = wait_subjects(&stack, &daemon, SUPERVISOR, "Validación legal pendiente", 2).await;
    let own_notice = notices
        .iter()
        .find(|m| m.message_id != notice.message_id)
        .unwrap();
    let own_id = own_notice.message_id.clone().unwrap();
    stack.send(
        SUPERVISOR,
        &[CONSULTAS],
        &answer_to_notice(SUPERVISOR, &own_id, "propia-1@osce.test", "APROBADO"),
    );
    let (code, page) = http_request(daemon.web_port, "POST", &approval_path(own_notice)).unwrap();
    assert_eq!(code, 200, "{page}");
    let refusals = wait_subjects(
        &stack,
        &daemon,
        SUPERVISOR,
        "RE: Validación legal pendiente",
        5,
    )
    .await;
    assert!(
        refusals
            .iter()
            .filter(|m| text(m).contains("propio supervisor"))
            .count()
            >= 2,
        "refused by mail and by link, and told why"
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        stack.messages(own, "INBOX").await.len(),
        1,
        "no reply to his own draft"
    );
    // He returns it by dragging it to «Observadas» without writing: the assistant finds a note beside it.
    let before = stack.messages(CONSULTAS, "Observadas").await.len();
    assistant
        .move_all(&enc("Validación legal"), "Observadas")
        .await;
    let start = Instant::now();
    loop {
        let returned = stack.messages(CONSULTAS, "Observadas").await;
        if returned
            .iter()
            .any(|m| m.subject.starts_with("Borrador observado") && text(m).contains("consúltele"))
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no note among {} (was {before}):\n{}",
            returned.len(),
            daemon.log()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    // The verdicts — approval, forged, stray, self-approval — are in the register as nothing but follow-ups:
    // two consultations, two acknowledgements, no new tickets.
    let consultations: Vec<_> = db
        .consultations(None)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.state != ConsultationState::Followup)
        .collect();
    assert_eq!(consultations.len(), 2, "{consultations:#?}");
    for who in [SUPERVISOR, "ciudadano3@example.test"] {
        assert!(
            !stack
                .messages(who, "INBOX")
                .await
                .iter()
                .any(|m| m.subject.starts_with("Recibimos su consulta")),
            "no acknowledgement to {who}"
        );
    }
    let history: Vec<String> = db
        .events_for(
            consultations
                .iter()
                .find(|c| c.from_addr.as_deref() == Some(citizen))
                .unwrap()
                .id,
        )
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.detail)
        .collect();
    assert!(
        history.iter().any(|h| h.contains("no es el supervisor")),
        "{history:#?}"
    );
    assert!(
        history
            .iter()
            .any(|h| h.contains("aprobada por supervisor@osce.test (por correo")),
        "{history:#?}"
    );
    assistant.logout().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_supervisor_approves_with_the_link_once_he_confirms_on_its_page() {
    let stack = MailStack::start();
    let mut daemon = Daemon::start_configured(&stack, "", NAMES);
    let citizen = "ciudadano4@example.test";
    let notice = waiting_for_validation(
        &stack,
        &daemon,
        citizen,
        "legal-4@example.test",
        drafts::gmail,
        "El cálculo es correcto.",
    )
    .await;
    let link = approval_path(&notice);
    // An edited link is refused.
    let mut edited = link.clone();
    edited.insert(15, 'x');
    let (code, _) = http_request(daemon.web_port, "POST", &edited).unwrap();
    assert_eq!(code, 400);
    let (code, page) = http_request(daemon.web_port, "POST", &link).unwrap();
    assert_eq!(code, 200, "{page}");
    let reply = wait_subjects(&stack, &daemon, citizen, "RE:", 1)
        .await
        .remove(0);
    assert!(text(&reply).contains("El cálculo es correcto."));
    // Confirming again says it is already on its way.
    let (code, _) = http_request(daemon.web_port, "POST", &link).unwrap();
    assert_eq!(code, 409);

    // A run that died after recording the approval but before moving the draft left it in «Validación legal»:
    // the next start puts it where its decision put it.
    let answered = stack
        .wait_for(CONSULTAS, "Atendidas", 2, Duration::from_secs(60))
        .await;
    let draft = answered
        .iter()
        .find(|m| m.subject.starts_with("Re:"))
        .expect("the approved draft");
    daemon.stop();
    let mut office = stack.imap(CONSULTAS).await;
    office
        .move_uids(
            "Atendidas",
            &draft.uid.to_string(),
            &enc("Validación legal"),
        )
        .await;
    daemon.spawn();
    let start = Instant::now();
    while !stack
        .messages(CONSULTAS, &enc("Validación legal"))
        .await
        .is_empty()
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{}",
            daemon.log()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(stack.messages(CONSULTAS, "Atendidas").await.len(), 2);
    office.logout().await;
    assert_eq!(
        wait_subjects(&stack, &daemon, citizen, "RE:", 1)
            .await
            .len(),
        1,
        "still one reply"
    );
    let db = common::sqlite_store(daemon.dir.path()).await;
    let c = db.consultations(None).await.unwrap().remove(0);
    let history = history(&db, c.id).await;
    assert!(
        history
            .iter()
            .any(|h| h.contains("con el enlace de aprobación")),
        "{history:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn where_the_server_lets_only_the_supervisor_into_aprobadas_his_drag_approves() {
    // The one-time server setting of the README: the shared account may read and empty «Aprobadas» but not put
    // mail there nor change who may; the supervisor, with his own account, may.
    let acl = format!(
        "Aprobadas owner lrwstekx\n\
         \"shared/{CONSULTAS}/Aprobadas\" user={SUPERVISOR} lrwstipekx\n\
         \"shared/{CONSULTAS}/Validación legal\" user={SUPERVISOR} lrwstipekx"
    );
    let stack = MailStack::start_with(StackOptions {
        acl: Some(acl),
        ..StackOptions::default()
    });
    let daemon = Daemon::start_configured(&stack, "", NAMES);
    let citizen = "ciudadano5@example.test";
    let notice = waiting_for_validation(
        &stack,
        &daemon,
        citizen,
        "legal-5@example.test",
        drafts::roundcube,
        "Es correcta.",
    )
    .await;
    let start = Instant::now();
    while !daemon
        .status()
        .contains("mover a «Aprobadas» cuenta como aprobación")
    {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{}",
            daemon.status()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let mut assistant = stack.imap(CONSULTAS).await;
    assert!(
        text(&notice).contains("mover el borrador"),
        "{}",
        text(&notice)
    );
    // The assistant cannot drag it: the server refuses.
    assert!(assistant
        .try_move_all(&enc("Validación legal"), "Aprobadas")
        .await
        .is_err());
    assert!(assistant
        .try_append_draft("Aprobadas", b"Subject: x\r\n\r\nx\r\n")
        .await
        .is_err());
    // The supervisor drags it with his own account.
    let mut supervisor = stack.imap(SUPERVISOR).await;
    supervisor
        .try_move_all(
            &enc(&format!("shared/{CONSULTAS}/Validación legal")),
            &enc(&format!("shared/{CONSULTAS}/Aprobadas")),
        )
        .await
        .unwrap();
    let reply = wait_subjects(&stack, &daemon, citizen, "RE:", 1)
        .await
        .remove(0);
    assert!(text(&reply).contains("Es correcta."));
    let db = common::sqlite_store(daemon.dir.path()).await;
    let c = db.consultations(None).await.unwrap().remove(0);
    let history = history(&db, c.id).await;
    assert!(
        history.iter().any(|h| h.contains("moviendo el borrador")),
        "{history:#?}"
    );
    assistant.logout().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_dropped_while_its_consultation_is_moved_into_legal_waits_for_validation() {
    let stack = MailStack::start();
    let mut daemon = Daemon::start_configured(&stack, "", NAMES);
    let citizen = "ciudadano1@example.test";
    drafts::ask(
        &stack,
        citizen,
        "seace-1@example.test",
        "Clave SEACE",
        SEACE_BODY,
    )
    .await;
    stack
        .wait_for(CONSULTAS, "SEACE", 1, Duration::from_secs(60))
        .await;
    // Both in the same cycle: the coordinator moves the consultation into «Legal» and the assistant drops her
    // draft, while triaje has not looked yet.
    daemon.stop();
    let mut office = stack.imap(CONSULTAS).await;
    office.move_all("SEACE", "Legal").await;
    office
        .append_draft(
            "Por enviar",
            &drafts::outlook_mobile_english(&Answer {
                question: SEACE_BODY,
                ..answer(
                    citizen,
                    "seace-1@example.test",
                    "Clave SEACE",
                    "Su usuario fue desbloqueado.",
                    "s1",
                )
            }),
        )
        .await;
    daemon.spawn();
    stack
        .wait_for(
            CONSULTAS,
            &enc("Validación legal"),
            1,
            Duration::from_secs(60),
        )
        .await;
    wait_subjects(&stack, &daemon, SUPERVISOR, "Validación legal pendiente", 1).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        stack.messages(citizen, "INBOX").await.len(),
        1,
        "nothing sent before validation"
    );
    office.logout().await;
}
