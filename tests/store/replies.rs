//! Replies: a Legal reply is queued only by its approval.

use super::*;

on_both_backends!(a_legal_reply_is_queued_only_by_its_approval,);

async fn a_legal_reply_is_queued_only_by_its_approval(db: &TestDb) {
    use triaje::store::{NewOutgoing, NewReply, OutgoingKind};
    let store = &db.store;
    let id = record(store, &batch([1]), june(10)).await[0].id;
    let reply_mail = |message_id: &str| NewOutgoing {
        mailbox: "consultas".into(),
        kind: OutgoingKind::Reply,
        consultation_id: Some(id),
        message_id: message_id.into(),
        envelope_from: "consultas@osce.test".into(),
        recipients: vec!["juan@example.test".into()],
        raw: b"Subject: RE\r\n\r\nx\r\n".to_vec(),
    };
    let legal = NewReply {
        consultation_id: Some(id),
        draft_fingerprint: "borrador-1".into(),
        draft_message_id: Some("b1@osce.test".into()),
        author: "Ana".into(),
        legal: true,
        state: ReplyState::Queued,
        observations: None,
        notification_message_id: None,
        reply_message_id: Some("r1@osce.test".into()),
    };
    // Queuing the reply of a Legal draft directly is refused, and nothing is written.
    let refused = store
        .submit_reply(&legal, Some(&reply_mail("r1@osce.test")), "x", june(11))
        .await;
    assert!(refused.is_err());
    assert!(store.replies_for(id).await.expect("read").is_empty());
    assert!(store.outgoing_for(id).await.expect("read").is_empty());

    // Waiting for validation: returned once (nothing queued), then a new draft approved (queued once).
    let waiting = NewReply {
        state: ReplyState::AwaitingValidation,
        reply_message_id: None,
        ..legal.clone()
    };
    let first = store
        .submit_reply(&waiting, None, "a validación", june(11))
        .await
        .expect("submit")
        .expect("new");
    assert!(store
        .return_reply(first, "Cite el artículo", &[], "devuelta", june(12))
        .await
        .expect("return"));
    assert!(!store
        .approve_reply(
            first,
            &Approval {
                by: "supervisor@osce.test".into(),
                via: ApprovalChannel::Mail
            },
            &reply_mail("r0@osce.test"),
            &[],
            "aprobada",
            june(12)
        )
        .await
        .expect("approve a returned draft"));
    let second = NewReply {
        draft_fingerprint: "borrador-2".into(),
        ..waiting.clone()
    };
    let second = store
        .submit_reply(&second, None, "a validación", june(13))
        .await
        .expect("submit")
        .expect("new");
    assert!(store
        .approve_reply(
            second,
            &Approval {
                by: "supervisor@osce.test".into(),
                via: ApprovalChannel::Mail
            },
            &reply_mail("r2@osce.test"),
            &[],
            "aprobada",
            june(14)
        )
        .await
        .expect("approve"));
    assert!(!store
        .approve_reply(
            second,
            &Approval {
                by: "supervisor@osce.test".into(),
                via: ApprovalChannel::Mail
            },
            &reply_mail("r3@osce.test"),
            &[],
            "aprobada",
            june(14)
        )
        .await
        .expect("approve twice"));
    let queued = store.outgoing_for(id).await.expect("read");
    assert_eq!(queued.len(), 1, "exactly one reply queued");
    assert_eq!(queued[0].message_id, "r2@osce.test");
    let states: Vec<ReplyState> = store
        .replies_for(id)
        .await
        .expect("read")
        .into_iter()
        .map(|r| r.state)
        .collect();
    assert_eq!(states, vec![ReplyState::Withdrawn, ReplyState::Queued]);
}
