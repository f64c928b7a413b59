//! The outbox (both backends, plus concurrent claimers on PostgreSQL): queued once, claimed by one, retried, released.

use std::collections::HashSet;
use std::time::Duration;

use chrono::TimeDelta;
use triaje::store::{NewOutgoing, OutboxCounts, OutgoingKind, OutgoingState, Store};

use super::{batch, june, record, TestDb};

/// The lease every claim in these scenarios takes.
const LEASE: Duration = Duration::from_secs(120);

/// An acknowledgement for consultation `consultation_id` (or a notification when `None`), `n` making it unique.
fn acknowledgement(n: u32, consultation_id: Option<i64>) -> NewOutgoing {
    NewOutgoing {
        mailbox: "consultas".into(),
        kind: if consultation_id.is_some() {
            OutgoingKind::Acknowledgement
        } else {
            OutgoingKind::Notification
        },
        consultation_id,
        message_id: format!("<ack-{n}@osce.test>"),
        envelope_from: "consultas@osce.test".into(),
        recipients: vec![
            format!("ciudadano{n}@example.test"),
            "copia@example.test".into(),
        ],
        raw: format!("Message-ID: <ack-{n}@osce.test>\r\nSubject: Acuse\r\n\r\nGracias \u{e1}\r\n")
            .into_bytes(),
    }
}

async fn queue(store: &Store, count: u32) {
    for n in 1..=count {
        assert!(store
            .enqueue(&acknowledgement(n, None), june(10))
            .await
            .expect("enqueue"));
    }
}

on_both_backends!(
    queueing_the_same_message_id_twice_queues_it_once,
    a_claimed_message_goes_to_one_claimer_and_reads_back_intact,
    an_expired_claim_can_be_taken_again_and_the_old_claimer_cannot_renew,
    retry_waits_for_its_time_then_sent_and_failed_are_final,
    counts_and_status_show_the_outbox,
    released_claims_are_due_again_at_once,
);

async fn queueing_the_same_message_id_twice_queues_it_once(db: &TestDb) {
    let recorded = record(&db.store, &batch([1]), june(10)).await;
    let message = acknowledgement(1, Some(recorded[0].id));
    assert!(db.store.enqueue(&message, june(10)).await.expect("first"));
    assert!(!db.store.enqueue(&message, june(11)).await.expect("second"));
    let outgoing = db.store.outgoing_for(recorded[0].id).await.expect("read");
    assert_eq!(outgoing.len(), 1);
    assert_eq!(outgoing[0].kind, OutgoingKind::Acknowledgement);
    assert_eq!(outgoing[0].state, OutgoingState::Queued);
    assert_eq!(outgoing[0].message_id, "<ack-1@osce.test>");
    assert_eq!(outgoing[0].attempts, 0);
    assert_eq!(db.store.outbox_counts().await.expect("counts").queued, 1);
}

async fn a_claimed_message_goes_to_one_claimer_and_reads_back_intact(db: &TestDb) {
    queue(&db.store, 3).await;
    // Not due before it was queued.
    let early = db
        .store
        .claim_due("a", june(9), LEASE, 10)
        .await
        .expect("claim");
    assert!(early.is_empty());
    let first = db
        .store
        .claim_due("a", june(10), LEASE, 2)
        .await
        .expect("claim");
    assert_eq!(
        first
            .iter()
            .map(|m| m.message_id.as_str())
            .collect::<Vec<_>>(),
        ["<ack-1@osce.test>", "<ack-2@osce.test>"]
    );
    let message = &first[0];
    let original = acknowledgement(1, None);
    assert_eq!(message.raw, original.raw, "bytes come back untouched");
    assert_eq!(message.recipients, original.recipients);
    assert_eq!(message.envelope_from, "consultas@osce.test");
    assert_eq!(message.kind, OutgoingKind::Notification);
    assert_eq!(message.attempts, 0);
    assert_eq!(message.created_at, june(10));
    let second = db
        .store
        .claim_due("b", june(10), LEASE, 10)
        .await
        .expect("claim");
    assert_eq!(second.len(), 1, "b only gets what a did not claim");
    assert_eq!(second[0].message_id, "<ack-3@osce.test>");
    assert!(db
        .store
        .claim_due("c", june(10), LEASE, 10)
        .await
        .expect("claim")
        .is_empty());
    let counts = db.store.outbox_counts().await.expect("counts");
    assert_eq!((counts.queued, counts.sending), (0, 3));
}

async fn an_expired_claim_can_be_taken_again_and_the_old_claimer_cannot_renew(db: &TestDb) {
    queue(&db.store, 1).await;
    let now = june(10);
    let claimed = db
        .store
        .claim_due("dead", now, LEASE, 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    let before_expiry = now + TimeDelta::seconds(119);
    assert!(db
        .store
        .claim_due("b", before_expiry, LEASE, 10)
        .await
        .expect("claim")
        .is_empty());
    let after_expiry = now + TimeDelta::seconds(120);
    let again = db
        .store
        .claim_due("b", after_expiry, LEASE, 10)
        .await
        .expect("claim");
    assert_eq!(again.len(), 1, "a dead sender's claim expires");
    assert_eq!(again[0].id, claimed[0].id);
    let later = after_expiry + TimeDelta::seconds(200);
    assert!(!db
        .store
        .renew_claim(claimed[0].id, "dead", later)
        .await
        .expect("renew"));
    assert!(db
        .store
        .renew_claim(claimed[0].id, "b", later)
        .await
        .expect("renew"));
}

async fn retry_waits_for_its_time_then_sent_and_failed_are_final(db: &TestDb) {
    let recorded = record(&db.store, &batch([1]), june(10)).await;
    let id = recorded[0].id;
    db.store
        .enqueue(&acknowledgement(1, Some(id)), june(10))
        .await
        .expect("enqueue");
    db.store
        .enqueue(&acknowledgement(2, Some(id)), june(10))
        .await
        .expect("enqueue");
    let claimed = db
        .store
        .claim_due("a", june(10), LEASE, 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 2);
    let retry_at = june(10) + TimeDelta::minutes(5);
    db.store
        .mark_retry(claimed[0].id, "451 4.3.0 intente más tarde", retry_at)
        .await
        .expect("retry");
    db.store
        .mark_failed(claimed[1].id, "550 5.1.1 usuario desconocido")
        .await
        .expect("failed");
    assert!(db
        .store
        .claim_due("a", retry_at - TimeDelta::seconds(1), LEASE, 10)
        .await
        .expect("claim")
        .is_empty());
    let again = db
        .store
        .claim_due("a", retry_at, LEASE, 10)
        .await
        .expect("claim");
    assert_eq!(
        again.len(),
        1,
        "only the retried one is due; failed is final"
    );
    assert_eq!(again[0].attempts, 1);
    let sent_at = retry_at + TimeDelta::seconds(2);
    db.store
        .mark_sent(again[0].id, "a", sent_at)
        .await
        .expect("sent");
    // Neither a late retry nor a late failure undoes `sent`.
    db.store
        .mark_retry(again[0].id, "tarde", sent_at)
        .await
        .expect("retry");
    db.store
        .mark_failed(again[0].id, "tarde")
        .await
        .expect("failed");
    let outgoing = db.store.outgoing_for(id).await.expect("read");
    assert_eq!(outgoing[0].state, OutgoingState::Sent);
    assert_eq!(outgoing[0].sent_at, Some(sent_at));
    assert_eq!(outgoing[0].attempts, 2);
    assert_eq!(
        outgoing[0].last_error.as_deref(),
        Some("451 4.3.0 intente más tarde")
    );
    assert_eq!(outgoing[1].state, OutgoingState::Failed);
    assert_eq!(
        outgoing[1].last_error.as_deref(),
        Some("550 5.1.1 usuario desconocido")
    );
    assert!(db
        .store
        .claim_due("a", june(20), LEASE, 10)
        .await
        .expect("claim")
        .is_empty());
}

async fn counts_and_status_show_the_outbox(db: &TestDb) {
    assert_eq!(
        db.store.outbox_counts().await.expect("counts"),
        OutboxCounts::default()
    );
    queue(&db.store, 4).await;
    db.store
        .enqueue(&acknowledgement(9, None), june(11))
        .await
        .expect("enqueue");
    let claimed = db
        .store
        .claim_due("a", june(12), LEASE, 3)
        .await
        .expect("claim");
    db.store
        .mark_sent(claimed[0].id, "a", june(12))
        .await
        .expect("sent");
    db.store
        .mark_failed(claimed[1].id, "550")
        .await
        .expect("failed");
    let counts = db.store.outbox_counts().await.expect("counts");
    assert_eq!(
        counts,
        OutboxCounts {
            queued: 2,
            sending: 1,
            sent: 1,
            failed: 1,
            oldest_queued_at: Some(june(10))
        }
    );
    let report = db.store.status(june(12), june(12)).await.expect("status");
    assert_eq!(report.outbox, counts);
    let text = report.to_string();
    assert!(
        text.contains("Correo saliente: 3 en cola (el más antiguo desde el 10/06/2026 12:00"),
        "{text}"
    );
    assert!(text.contains("1 enviados, 1 fallidos"), "{text}");
}

async fn released_claims_are_due_again_at_once(db: &TestDb) {
    queue(&db.store, 2).await;
    let claimed = db
        .store
        .claim_due("a", june(10), LEASE, 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 2);
    assert_eq!(db.store.release_claims("a").await.expect("release"), 2);
    let again = db
        .store
        .claim_due("b", june(10), LEASE, 10)
        .await
        .expect("claim");
    assert_eq!(again.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_claimers_on_postgres_get_disjoint_sets() {
    let db = TestDb::postgres().await;
    queue(&db.store, 200).await;
    let other = Store::connect(&db.url).await.expect("second pool");
    let run = |store: Store, name: &'static str| {
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let claimed = store
                    .claim_due(name, june(10), LEASE, 7)
                    .await
                    .expect("claim");
                if claimed.is_empty() {
                    return mine;
                }
                mine.extend(claimed.into_iter().map(|m| m.id));
            }
        })
    };
    let (a, b) = tokio::join!(run(db.store.clone(), "a"), run(other.clone(), "b"));
    let (a, b) = (a.expect("a"), b.expect("b"));
    let a_set: HashSet<i64> = a.iter().copied().collect();
    let b_set: HashSet<i64> = b.iter().copied().collect();
    assert!(a_set.is_disjoint(&b_set), "a row was claimed twice");
    assert_eq!(a.len() + b.len(), 200);
    assert_eq!(a_set.len() + b_set.len(), 200);
    other.close().await;
    db.finish().await;
}
