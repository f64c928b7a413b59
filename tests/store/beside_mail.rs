//! Machine mail about a consultation. Filed beside it (migration 0051): the register keeps the pair and where
//! triaje put the message, says which messages must follow their consultation to another folder, and tells
//! following apart from a person's correction or rescue. A bounced reply: `status` warns until a later reply
//! goes out, whenever the bounce came.

use super::*;
use triaje::store::{
    NewOutgoing, OutgoingKind, RelatedEvent, TriageExtras, FOLLOWED_CONSULTATION, MOVED_BY_HAND,
    REPLY_UNDELIVERED,
};

on_both_backends!(
    machine_mail_beside_a_consultation_follows_it_and_is_never_taken_for_a_correction,
    a_bounced_reply_is_warned_about_until_a_later_reply_goes_out,
);

/// Where the register places row `id`, and in what state.
async fn place(store: &Store, id: i64) -> (ConsultationState, String) {
    let row = store
        .consultation_by_id(id)
        .await
        .expect("consultation_by_id")
        .expect("the row");
    (row.state, row.record.folder)
}

/// The history kinds of row `id`.
async fn kinds(store: &Store, id: i64) -> Vec<String> {
    store
        .events_for(id)
        .await
        .expect("events_for")
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

async fn machine_mail_beside_a_consultation_follows_it_and_is_never_taken_for_a_correction(
    db: &TestDb,
) {
    let store = &db.store;
    let asked = record(store, &batch([1, 2]), june(10)).await;
    let (first, second) = (asked[0].id, asked[1].id);
    store
        .mark_filed(&[first, second], june(10))
        .await
        .expect("mark_filed");
    // An out-of-office answering each acknowledgement, filed beside its consultation in «SEACE».
    let machine = batch([3, 4]);
    let extras: Vec<TriageExtras> = [first, second]
        .into_iter()
        .map(|id| TriageExtras {
            machine_reason: Some("correo automático: respuesta automática".to_string()),
            beside: Some(id),
            ..TriageExtras::default()
        })
        .collect();
    let auto = store
        .record_triaged(
            "consultas",
            cursor_after(&machine),
            &machine,
            &extras,
            "CONS",
            june(10),
        )
        .await
        .expect("record_triaged");
    assert!(auto.iter().all(|r| r.state == ConsultationState::Automatic));
    let (first_auto, second_auto) = (auto[0].id, auto[1].id);
    store
        .mark_filed(&[first_auto, second_auto], june(10))
        .await
        .expect("mark_filed");
    let to_move = || store.beside_mail_to_move("consultas", "Atendidas");
    assert!(to_move().await.expect("to move").is_empty(), "beside them");

    // A coordinator drags the first consultation to «RNP»: its out-of-office is to follow it there.
    let corrected = drag_to_area(store, "RNP", &[first], june(11)).await;
    assert_eq!(corrected, 1);
    let moving = to_move().await.expect("to move");
    assert_eq!(moving.len(), 1, "{moving:?}");
    let m = &moving[0];
    assert_eq!(
        (m.machine.id, m.consultation_id, m.ticket.as_str()),
        (first_auto, first, asked[0].ticket.as_str())
    );
    assert_eq!((m.from.as_str(), m.to.as_str()), ("SEACE", "RNP"));
    store
        .beside_mail_followed(m, true, false, june(11))
        .await
        .expect("followed");
    assert!(to_move().await.expect("to move").is_empty(), "moved once");
    assert_eq!(
        place(store, first_auto).await,
        (ConsultationState::Automatic, "RNP".to_string())
    );
    assert!(kinds(store, first_auto)
        .await
        .contains(&FOLLOWED_CONSULTATION.to_string()));

    // The second consultation and its out-of-office are dragged to «RNP» together (or a crash left the
    // out-of-office moved beside it unrecorded), the out-of-office listed first: the consultation is corrected,
    // the out-of-office only followed it — still machine mail, not a rescue.
    let corrected = drag_to_area(store, "RNP", &[second_auto, second], june(12)).await;
    assert_eq!(corrected, 1, "one correction: the consultation");
    assert_eq!(
        place(store, second_auto).await,
        (ConsultationState::Automatic, "RNP".to_string())
    );
    let history = kinds(store, second_auto).await;
    assert!(
        history.contains(&FOLLOWED_CONSULTATION.to_string())
            && !history.contains(&MOVED_BY_HAND.to_string()),
        "{history:?}"
    );
    assert!(to_move().await.expect("to move").is_empty());

    // A person drags the first out-of-office alone into «Legal»: it was a consultation after all (a rescue), and
    // it no longer follows the consultation it was beside.
    let corrected = drag_to_area(store, "Legal", &[first_auto], june(13)).await;
    assert_eq!(corrected, 1);
    drag_to_area(store, "SEACE", &[first], june(13)).await;
    assert!(
        to_move().await.expect("to move").is_empty(),
        "a rescued message stays where the person put it"
    );
    assert_eq!(
        place(store, first_auto).await,
        (ConsultationState::Filed, "Legal".to_string())
    );
}

/// Reply `n` to consultation `consultation_id`, queued at `at` and accepted by the mail server at once.
async fn reply_sent(store: &Store, consultation_id: i64, n: u32, at: DateTime<Utc>) {
    let id = format!("respuesta.{n}@osce.test");
    let reply = NewOutgoing {
        mailbox: "consultas".into(),
        kind: OutgoingKind::Reply,
        consultation_id: Some(consultation_id),
        message_id: id.clone(),
        envelope_from: "consultas@osce.test".into(),
        recipients: vec!["ciudadano1@example.pe".into()],
        raw: format!("Message-ID: <{id}>\r\nSubject: RE: consulta\r\n\r\nRespuesta\r\n")
            .into_bytes(),
    };
    assert!(store.enqueue(&reply, at).await.expect("enqueue"));
    let claimed = store
        .claim_due("prueba", at, std::time::Duration::from_secs(60), 10)
        .await
        .expect("claim_due");
    for outgoing in claimed {
        store
            .mark_sent(outgoing.id, "prueba", at)
            .await
            .expect("mark_sent");
    }
}

/// The tickets `status` warns about: their reply bounced.
async fn warned(store: &Store, now: DateTime<Utc>) -> Vec<String> {
    let report = store.status(now, now).await.expect("status");
    report
        .mailboxes
        .into_iter()
        .flat_map(|m| m.undelivered)
        .collect()
}

async fn a_bounced_reply_is_warned_about_until_a_later_reply_goes_out(db: &TestDb) {
    let store = &db.store;
    let asked = record(store, &batch([1]), june(10)).await;
    let (c, ticket) = (asked[0].id, asked[0].ticket.clone());
    store.mark_filed(&[c], june(10)).await.expect("mark_filed");
    reply_sent(store, c, 1, june(10)).await;
    // Its bounce, recorded the next day (whether before or after the reply was filed as answered).
    let bounce = batch([2]);
    let extras = [TriageExtras {
        machine_reason: Some("correo automático: rebote".to_string()),
        related: Some(RelatedEvent {
            consultation_id: c,
            kind: REPLY_UNDELIVERED,
            detail: "la respuesta NO llegó al ciudadano: rebotó".to_string(),
        }),
        beside: Some(c),
        ..TriageExtras::default()
    }];
    store
        .record_triaged(
            "consultas",
            cursor_after(&bounce),
            &bounce,
            &extras,
            "CONS",
            june(11),
        )
        .await
        .expect("record_triaged");
    assert_eq!(warned(store, june(11)).await, [ticket]);
    // A later reply goes out: the citizen has an answer now.
    reply_sent(store, c, 2, june(12)).await;
    assert!(warned(store, june(12)).await.is_empty());
}
