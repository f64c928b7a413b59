//! Machine mail filed beside its consultation (migration 0051): the register keeps the pair and where triaje put
//! the message, says which messages must follow their consultation to another folder, and tells following apart
//! from a person's correction or rescue.

use super::*;
use triaje::store::{TriageExtras, FOLLOWED_CONSULTATION, MOVED_BY_HAND};

on_both_backends!(
    machine_mail_beside_a_consultation_follows_it_and_is_never_taken_for_a_correction
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
    let corrected = store
        .record_manual_moves("consultas", "RNP", &[first], june(11))
        .await
        .expect("record_manual_moves");
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
    let corrected = store
        .record_manual_moves("consultas", "RNP", &[second_auto, second], june(12))
        .await
        .expect("record_manual_moves");
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
    let corrected = store
        .record_manual_moves("consultas", "Legal", &[first_auto], june(13))
        .await
        .expect("record_manual_moves");
    assert_eq!(corrected, 1);
    store
        .record_manual_moves("consultas", "SEACE", &[first], june(13))
        .await
        .expect("record_manual_moves");
    assert!(
        to_move().await.expect("to move").is_empty(),
        "a rescued message stays where the person put it"
    );
    assert_eq!(
        place(store, first_auto).await,
        (ConsultationState::Filed, "Legal".to_string())
    );
}
