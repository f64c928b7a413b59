//! The register of attentions (reports): a day's register joins the reply, the supervisor and the survey.

use super::*;

on_both_backends!(the_register_of_a_day_joins_the_reply_the_supervisor_and_the_survey,);

async fn the_register_of_a_day_joins_the_reply_the_supervisor_and_the_survey(db: &TestDb) {
    use triaje::store::{NewOutgoing, NewReply, OutgoingKind};
    let store = &db.store;
    let mut consultations = batch([1, 2, 3, 4]);
    consultations[1].folder = "Legal".into();
    // Arrived on the 10th after the cut-off: counts from the 11th, so it is in the 11th's register.
    consultations[2].received_at = lima(2026, 6, 10, 17, 0);
    consultations[2].effective_received_at = lima(2026, 6, 11, 8, 30);
    let ids: Vec<i64> = record(store, &consultations, june(10))
        .await
        .iter()
        .map(|r| r.id)
        .collect();
    // The fourth is a survey answer by mail, not a consultation.
    store.mark_followups(&ids[3..]).await.expect("followup");
    store.mark_filed(&ids, june(10)).await.expect("filed");

    let reply = |id: i64, fingerprint: &str, author: &str, legal: bool, state| NewReply {
        consultation_id: Some(id),
        draft_fingerprint: fingerprint.into(),
        draft_message_id: None,
        author: author.into(),
        legal,
        state,
        observations: None,
        notification_message_id: None,
        reply_message_id: (!legal).then(|| format!("{fingerprint}@osce.test")),
    };
    let mail = |id: i64, message_id: &str| NewOutgoing {
        mailbox: "consultas".into(),
        kind: OutgoingKind::Reply,
        consultation_id: Some(id),
        message_id: message_id.into(),
        envelope_from: "consultas@osce.test".into(),
        recipients: vec!["rosa@example.pe".into()],
        raw: b"Subject: RE\r\n\r\nx\r\n".to_vec(),
    };
    // The first: an earlier refused draft, then Ana's reply, sent and filed on the 11th, rated 4 stars.
    store
        .submit_reply(
            &reply(ids[0], "d0", "Pedro", false, ReplyState::Refused),
            None,
            "x",
            june(10),
        )
        .await
        .expect("refused draft");
    store
        .submit_reply(
            &reply(ids[0], "d1", "ana@osce.test", false, ReplyState::Queued),
            Some(&mail(ids[0], "d1@osce.test")),
            "x",
            june(11),
        )
        .await
        .expect("submit");
    let claimed = store
        .claim_due("a", june(11), std::time::Duration::from_secs(60), 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    store
        .mark_sent(claimed[0].id, "a", june(11))
        .await
        .expect("sent");
    for sent in store
        .sent_replies_to_file("consultas")
        .await
        .expect("to file")
    {
        store
            .mark_answered(&sent, "Atendidas", june(11))
            .await
            .expect("answered");
    }
    store
        .record_rating(ids[0], 4, RatingSource::Web, june(12))
        .await
        .expect("rating");
    // The second: Legal, approved by the supervisor, queued.
    let legal = store
        .submit_reply(
            &reply(
                ids[1],
                "d2",
                "luis@osce.test",
                true,
                ReplyState::AwaitingValidation,
            ),
            None,
            "a validación",
            june(11),
        )
        .await
        .expect("submit")
        .expect("new");
    assert!(store
        .approve_reply(
            legal,
            &Approval {
                by: "supervisor@osce.test".into(),
                via: ApprovalChannel::Mail
            },
            &mail(ids[1], "d2@osce.test"),
            &[],
            "aprobada",
            june(12)
        )
        .await
        .expect("approve"));

    let rows = store
        .register_rows(lima(2026, 6, 10, 0, 0), lima(2026, 6, 11, 0, 0))
        .await
        .expect("register");
    let tickets: Vec<&str> = rows.iter().map(|r| r.ticket.as_str()).collect();
    assert_eq!(
        tickets.len(),
        2,
        "the late one is the next day's, the follow-up is no consultation"
    );
    let first = &rows[0];
    assert_eq!(first.id, ids[0]);
    assert_eq!(
        first.folder, "SEACE",
        "the folder it was filed in, not Atendidas"
    );
    assert_eq!(first.state, "answered");
    assert_eq!(first.answered_at, Some(june(11)));
    assert_eq!(first.within_deadline, Some(true));
    assert_eq!(first.assistant.as_deref(), Some("ana@osce.test"));
    assert_eq!(first.legal, Some(false));
    assert_eq!(first.rating, Some(4));
    assert_eq!(first.citizen_name.as_deref(), Some("Rosa Quispe"));
    assert_eq!(
        first.citizen_address.as_deref(),
        Some("ciudadano1@example.pe")
    );
    let second = &rows[1];
    assert_eq!(second.folder, "Legal");
    assert_eq!(second.answered_at, None);
    assert_eq!(second.assistant.as_deref(), Some("luis@osce.test"));
    assert_eq!(second.legal, Some(true));
    assert_eq!(
        second.supervisor.as_deref(),
        Some("supervisor@osce.test (por correo, respondiendo al aviso)")
    );
    assert_eq!(second.rating, None);

    let next_day = store
        .register_rows(lima(2026, 6, 11, 0, 0), lima(2026, 6, 12, 0, 0))
        .await
        .expect("register");
    assert_eq!(next_day.len(), 1);
    assert_eq!(next_day[0].id, ids[2]);
    assert_eq!(next_day[0].received_at, lima(2026, 6, 10, 17, 0));
}
