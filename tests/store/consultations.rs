//! Consultations in the register: tickets (consecutive, unique, per Lima year, never shared by two daemons), batches
//! recorded once, the mailbox cursor, renumbered messages, error rows, events, the status counts, and a record read back
//! as written.

use super::*;

on_both_backends!(
    tickets_are_consecutive_unique_and_restart_each_lima_year,
    a_large_batch_keeps_input_order_and_consecutive_tickets,
    a_repeated_batch_records_nothing_twice_and_keeps_its_tickets,
    cursor_moves_only_forward_and_resets_on_new_uidvalidity,
    a_message_renumbered_before_filing_is_rebound_not_recorded_again,
    error_rows_wait_to_be_moved_and_keep_state_error,
    events_are_logged_in_order,
    status_counts_what_is_due_today_and_overdue,
    a_recorded_consultation_reads_back_as_written,
    a_complaint_keeps_its_area_and_a_drag_out_of_its_folder_makes_it_a_consultation,
);

async fn tickets_are_consecutive_unique_and_restart_each_lima_year(db: &TestDb) {
    let store = &db.store;
    let first = record(store, &batch(1..=3), june(10)).await;
    assert_eq!(
        tickets(&first),
        ["CONS-2026-000001", "CONS-2026-000002", "CONS-2026-000003"]
    );
    assert!(first
        .iter()
        .all(|r| r.is_new && r.state == ConsultationState::Recorded));
    let second = record(store, &batch(4..=5), june(11)).await;
    assert_eq!(tickets(&second), ["CONS-2026-000004", "CONS-2026-000005"]);

    // 23:30 on 31 December in Lima is already 2027 in UTC: the ticket still belongs to 2026.
    let new_years_eve = record(store, &batch([6]), lima(2026, 12, 31, 23, 30)).await;
    assert_eq!(tickets(&new_years_eve), ["CONS-2026-000006"]);
    let new_year = record(store, &batch([7, 8]), lima(2027, 1, 1, 0, 30)).await;
    assert_eq!(tickets(&new_year), ["CONS-2027-000001", "CONS-2027-000002"]);

    // Another prefix (another office) counts on its own.
    let contacto = [consultation(1, 1)];
    let other = store
        .record_batch(
            "contacto",
            cursor_after(&contacto),
            &contacto,
            "CONT",
            june(12),
        )
        .await
        .expect("record contacto");
    assert_eq!(tickets(&other), ["CONT-2026-000001"]);

    let all = store.consultations(None).await.expect("consultations");
    let unique: HashSet<&str> = all.iter().map(|c| c.ticket.as_str()).collect();
    assert_eq!(unique.len(), 9);
    assert_eq!(
        store
            .consultations(Some("contacto"))
            .await
            .expect("contacto")
            .len(),
        1
    );
}

async fn a_large_batch_keeps_input_order_and_consecutive_tickets(db: &TestDb) {
    // 450 messages span three insert statements; the results must still follow the input.
    let mut input = batch(1..=450);
    input.reverse();
    let recorded = record(&db.store, &input, june(10)).await;
    assert_eq!(recorded.len(), 450);
    for (position, (given, got)) in input.iter().zip(&recorded).enumerate() {
        assert_eq!(got.uid, given.uid);
        assert_eq!(got.ticket, format!("CONS-2026-{:06}", position + 1));
    }
    let stored = db
        .store
        .consultations(Some("consultas"))
        .await
        .expect("read");
    assert_eq!(stored.len(), 450);
    for row in &stored {
        let twin = recorded.iter().find(|r| r.id == row.id).expect("returned");
        assert_eq!((twin.uid, &twin.ticket), (row.uid, &row.ticket));
    }
}

async fn a_repeated_batch_records_nothing_twice_and_keeps_its_tickets(db: &TestDb) {
    let store = &db.store;
    let first = record(store, &batch(1..=5), june(10)).await;
    // The daemon died before moving them and fetches the same messages again, plus two new ones.
    let again = record(store, &batch(1..=7), june(10)).await;
    assert_eq!(tickets(&again[..5]), tickets(&first));
    assert_eq!(
        again.iter().map(|r| r.id).take(5).collect::<Vec<_>>(),
        first.iter().map(|r| r.id).collect::<Vec<_>>()
    );
    assert!(again[..5].iter().all(|r| !r.is_new));
    assert_eq!(
        tickets(&again[5..]),
        ["CONS-2026-000006", "CONS-2026-000007"]
    );
    assert!(again[5..].iter().all(|r| r.is_new));

    // The same UID twice in one batch gives one row.
    let doubled = record(store, &batch([8, 8]), june(10)).await;
    assert_eq!(doubled[0].ticket, doubled[1].ticket);
    assert!(doubled[0].is_new && !doubled[1].is_new);

    assert_eq!(store.consultations(None).await.expect("read").len(), 8);
    for recorded in &first {
        let events = store.events_for(recorded.id).await.expect("events");
        assert_eq!(events.len(), 1, "one `recorded` event, not one per attempt");
    }
}

async fn cursor_moves_only_forward_and_resets_on_new_uidvalidity(db: &TestDb) {
    let store = &db.store;
    assert_eq!(store.cursor("consultas").await.expect("cursor"), None);
    let save = |uidvalidity, last_uid| async move {
        store
            .record_batch(
                "consultas",
                Cursor {
                    uidvalidity,
                    last_uid,
                },
                &[],
                "CONS",
                june(10),
            )
            .await
            .expect("record_batch");
        store.cursor("consultas").await.expect("cursor")
    };
    assert_eq!(
        save(1, 10).await,
        Some(Cursor {
            uidvalidity: 1,
            last_uid: 10
        })
    );
    assert_eq!(
        save(1, 5).await,
        Some(Cursor {
            uidvalidity: 1,
            last_uid: 10
        }),
        "never rewinds"
    );
    assert_eq!(
        save(1, 20).await,
        Some(Cursor {
            uidvalidity: 1,
            last_uid: 20
        })
    );
    assert_eq!(
        save(2, 3).await,
        Some(Cursor {
            uidvalidity: 2,
            last_uid: 3
        }),
        "new UIDVALIDITY"
    );
    // UIDs above 2^31 survive the round trip.
    assert_eq!(
        save(u32::MAX, u32::MAX).await,
        Some(Cursor {
            uidvalidity: u32::MAX,
            last_uid: u32::MAX
        })
    );
    assert_eq!(
        store.cursor("contacto").await.expect("cursor"),
        None,
        "per mailbox"
    );

    // The cursor moves with the records of a batch.
    record(store, &batch([30, 31]), june(10)).await;
    assert_eq!(
        store.cursor("consultas").await.expect("cursor"),
        Some(Cursor {
            uidvalidity: 1,
            last_uid: 31
        })
    );
}

async fn a_message_renumbered_before_filing_is_rebound_not_recorded_again(db: &TestDb) {
    let store = &db.store;
    let before = record(store, &batch([5, 6]), june(10)).await;
    // UID 6 was moved to its folder; UID 5 was not when the server renumbered the inbox.
    store
        .mark_filed(&[before[1].id], june(10))
        .await
        .expect("mark_filed");

    let mut renumbered_5 = consultation(2, 1);
    renumbered_5.fingerprint = consultation(1, 5).record.fingerprint;
    let mut copy_of_6 = consultation(2, 2);
    copy_of_6.fingerprint = consultation(1, 6).record.fingerprint;
    let fresh = consultation(2, 3);
    let after = record(store, &[renumbered_5, copy_of_6, fresh], june(11)).await;

    assert_eq!(after[0].id, before[0].id);
    assert_eq!(
        after[0].ticket, before[0].ticket,
        "the citizen keeps the ticket"
    );
    assert_eq!((after[0].uidvalidity, after[0].uid), (2, 1));
    assert!(!after[0].is_new);
    assert!(
        after[1].is_new,
        "a filed message seen again in the inbox is a new arrival"
    );
    assert!(after[2].is_new);
    assert_eq!(after[1].ticket, "CONS-2026-000003");

    let unfiled = store.unfiled("consultas").await.expect("unfiled");
    assert_eq!(
        unfiled
            .iter()
            .map(|r| (r.uidvalidity, r.uid))
            .collect::<Vec<_>>(),
        [(2, 1), (2, 2), (2, 3)]
    );
    let events = store.events_for(before[0].id).await.expect("events");
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["recorded", "rebound"]);
    assert!(events[1].detail.contains("UID 5") && events[1].detail.contains("UID 1"));

    // Repeating the renumbered batch is a plain repeat now.
    let mut again_5 = consultation(2, 1);
    again_5.fingerprint = consultation(1, 5).record.fingerprint;
    let repeat = record(store, &[again_5], june(11)).await;
    assert_eq!(repeat[0].id, before[0].id);
    assert_eq!(
        store.events_for(before[0].id).await.expect("events").len(),
        2
    );
    assert_eq!(store.consultations(None).await.expect("read").len(), 4);
}

async fn error_rows_wait_to_be_moved_and_keep_state_error(db: &TestDb) {
    let store = &db.store;
    let mut broken = consultation(1, 2);
    broken.folder = "Errores".to_string();
    broken.error_reason = Some("mensaje de 40 MB: supera el máximo de 25 MB".to_string());
    let recorded = record(store, &[consultation(1, 1), broken], june(10)).await;
    assert_eq!(recorded[0].state, ConsultationState::Recorded);
    assert_eq!(recorded[1].state, ConsultationState::Error);

    let unfiled = store.unfiled("consultas").await.expect("unfiled");
    assert_eq!(unfiled.iter().map(|r| r.uid).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(unfiled[1].folder, "Errores");

    let ids: Vec<i64> = recorded.iter().map(|r| r.id).collect();
    store.mark_filed(&ids, june(10)).await.expect("mark_filed");
    store
        .mark_filed(&ids, june(11))
        .await
        .expect("mark_filed is idempotent");
    assert!(store
        .unfiled("consultas")
        .await
        .expect("unfiled")
        .is_empty());

    let good = store
        .consultation_by_ticket(&recorded[0].ticket)
        .await
        .expect("read")
        .expect("row");
    let bad = store
        .consultation_by_ticket(&recorded[1].ticket)
        .await
        .expect("read")
        .expect("row");
    assert_eq!(good.state, ConsultationState::Filed);
    assert_eq!(bad.state, ConsultationState::Error);
    assert_eq!(
        bad.error_reason.as_deref(),
        Some("mensaje de 40 MB: supera el máximo de 25 MB")
    );
    assert_eq!(
        good.filed_at,
        Some(june(10)),
        "the second call changed nothing"
    );
    assert_eq!(bad.filed_at, Some(june(10)));
    let filed_events = |id| async move {
        store
            .events_for(id)
            .await
            .expect("events")
            .into_iter()
            .filter(|e| e.kind == "filed")
            .count()
    };
    assert_eq!(filed_events(good.id).await, 1);
    assert_eq!(filed_events(bad.id).await, 1);

    // A row can also fail later (e.g. its move was refused for good).
    store
        .mark_error(good.id, "el servidor rechazó MOVE", june(12))
        .await
        .expect("mark_error");
    let failed = store
        .consultation_by_ticket(&good.ticket)
        .await
        .expect("read")
        .expect("row");
    assert_eq!(failed.state, ConsultationState::Error);
    assert_eq!(
        failed.error_reason.as_deref(),
        Some("el servidor rechazó MOVE")
    );
}

async fn events_are_logged_in_order(db: &TestDb) {
    let store = &db.store;
    let recorded = record(store, &batch([1]), june(10)).await;
    let id = recorded[0].id;
    store.mark_filed(&[id], june(11)).await.expect("mark_filed");
    store
        .mark_error(id, "respuesta rebotada", june(12))
        .await
        .expect("mark_error");

    let events = store.events_for(id).await.expect("events");
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["recorded", "filed", "error"]);
    assert_eq!(
        events.iter().map(|e| e.at).collect::<Vec<_>>(),
        [june(10), june(11), june(12)]
    );
    assert!(events[0].detail.contains("SEACE"), "{}", events[0].detail);
    assert!(
        events[0].detail.contains("seace-registro"),
        "{}",
        events[0].detail
    );
    assert!(
        events[0].detail.contains("«SEACE» en el asunto"),
        "{}",
        events[0].detail
    );
    assert_eq!(events[1].detail, "SEACE");
    assert_eq!(events[2].detail, "respuesta rebotada");
    assert!(store
        .events_for(id + 1000)
        .await
        .expect("events")
        .is_empty());
}

async fn status_counts_what_is_due_today_and_overdue(db: &TestDb) {
    let store = &db.store;
    let now = lima(2026, 6, 10, 10, 0);
    let today_end = lima(2026, 6, 10, 23, 59);
    let due = |uid, deadline, folder: &str| {
        let mut c = consultation(1, uid);
        c.received_at = lima(2026, 6, 8, 9, 0) + chrono::TimeDelta::minutes(i64::from(uid));
        c.deadline_at = deadline;
        c.folder = folder.to_string();
        c
    };
    let overdue = due(1, lima(2026, 6, 9, 23, 59), "SEACE");
    let due_this_afternoon = due(2, lima(2026, 6, 10, 16, 30), "RNP");
    let due_tomorrow = due(3, lima(2026, 6, 11, 23, 59), "RNP");
    let mut broken = due(4, lima(2026, 6, 9, 23, 59), "Errores");
    broken.error_reason = Some("no se pudo leer".to_string());
    let recorded = record(
        store,
        &[overdue, due_this_afternoon, due_tomorrow, broken],
        lima(2026, 6, 8, 9, 30),
    )
    .await;
    // The overdue one was filed; the other three still wait in the inbox.
    store
        .mark_filed(&[recorded[0].id], now)
        .await
        .expect("mark_filed");
    store
        .record_batch(
            "contacto",
            Cursor {
                uidvalidity: 9,
                last_uid: 0,
            },
            &[],
            "CONT",
            now,
        )
        .await
        .expect("cursor only");

    let report = store.status(now, today_end).await.expect("status");
    assert_eq!(report.mailboxes.len(), 2);
    let consultas = report
        .mailboxes
        .iter()
        .find(|m| m.mailbox == "consultas")
        .expect("consultas");
    assert_eq!(
        consultas.cursor,
        Some(Cursor {
            uidvalidity: 1,
            last_uid: 4
        })
    );
    assert_eq!(consultas.recorded, 4);
    assert_eq!(consultas.unfiled, 3);
    assert_eq!(consultas.errors, 1);
    assert_eq!(
        consultas.due_today, 1,
        "the error row does not count as open"
    );
    assert_eq!(consultas.overdue, 1);
    assert_eq!(consultas.per_folder.get("RNP"), Some(&2));
    assert_eq!(consultas.per_folder.get("SEACE"), Some(&1));
    assert_eq!(consultas.per_folder.get("Errores"), Some(&1));
    // UID 2 is the oldest still in the inbox: received 09:02 on the 8th, 49 h 58 min before `now`.
    assert_eq!(consultas.oldest_unfiled_at, Some(lima(2026, 6, 8, 9, 2)));
    assert_eq!(
        report.oldest_unfiled_age,
        Some(now - lima(2026, 6, 8, 9, 2))
    );
    let contacto = report
        .mailboxes
        .iter()
        .find(|m| m.mailbox == "contacto")
        .expect("contacto");
    assert_eq!(
        (contacto.recorded, contacto.cursor.map(|c| c.uidvalidity)),
        (0, Some(9))
    );

    let text = report.to_string();
    assert!(text.contains("10/06/2026 10:00"), "{text}");
    assert!(text.contains("Vencen hoy: 1 · vencidas: 1"), "{text}");
    assert!(text.contains("por archivar: 3"), "{text}");
    assert!(text.contains("hace 2 d 0 h"), "{text}");
}

async fn a_recorded_consultation_reads_back_as_written(db: &TestDb) {
    let store = &db.store;
    let mut sparse = consultation(1, 2);
    sparse.message_id = None;
    sparse.from_addr = None;
    sparse.from_name = None;
    sparse.sender_date = None;
    sparse.rule = None;
    sparse.availability = Availability::Low;
    sparse.subject = String::new();
    let full = consultation(1, 4_000_000_000);
    let recorded = record(store, &[full.clone(), sparse.clone()], june(10)).await;
    for (given, got) in [full, sparse].iter().zip(&recorded) {
        let row = store
            .consultation_by_ticket(&got.ticket)
            .await
            .expect("read")
            .expect("row");
        assert_eq!(row.id, got.id);
        assert_eq!(row.mailbox, "consultas");
        assert_eq!((row.uidvalidity, row.uid), (given.uidvalidity, given.uid));
        assert_eq!(row.message_id, given.message_id);
        assert_eq!(row.from_addr, given.from_addr);
        assert_eq!(row.from_name, given.from_name);
        assert_eq!(row.subject, given.subject);
        assert_eq!(row.received_at, given.received_at);
        assert_eq!(row.sender_date, given.sender_date);
        assert_eq!(row.effective_received_at, given.effective_received_at);
        assert_eq!(row.deadline_at, given.deadline_at);
        assert_eq!(row.folder, given.folder);
        assert_eq!(row.category, given.category);
        assert_eq!(row.availability, given.availability);
        assert_eq!(row.rule, given.rule);
        assert_eq!(row.state, ConsultationState::Recorded);
        assert_eq!(row.error_reason, None);
        assert_eq!(row.filed_at, None);
        assert_eq!(row.size_bytes, given.size_bytes);
    }
    assert_eq!(
        store
            .consultation_by_ticket("CONS-2026-999999")
            .await
            .expect("read"),
        None
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_daemons_on_postgres_never_share_a_ticket() {
    let db = TestDb::postgres().await;
    let other = Store::connect(&db.url).await.expect("second pool");
    let run = |store: Store, parity: u32| {
        tokio::spawn(async move {
            let uids: Vec<u32> = (1..=400).filter(|uid| uid % 2 == parity).collect();
            let mut tickets = Vec::new();
            for chunk in uids.chunks(25) {
                let batch = batch(chunk.iter().copied());
                let recorded = record(&store, &batch, june(10)).await;
                tickets.extend(recorded.into_iter().map(|r| r.ticket));
            }
            tickets
        })
    };
    let (odd, even) = tokio::join!(run(db.store.clone(), 1), run(other.clone(), 0));
    let all: Vec<String> = odd
        .expect("odd")
        .into_iter()
        .chain(even.expect("even"))
        .collect();
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(all.len(), 400);
    assert_eq!(unique.len(), 400, "a ticket was given twice");
    let expected: HashSet<String> = (1..=400).map(|seq| format!("CONS-2026-{seq:06}")).collect();
    assert_eq!(all.into_iter().collect::<HashSet<_>>(), expected, "no gaps");
    assert_eq!(db.store.consultations(None).await.expect("read").len(), 400);
    other.close().await;
    db.finish().await;
}

async fn a_complaint_keeps_its_area_and_a_drag_out_of_its_folder_makes_it_a_consultation(
    db: &TestDb,
) {
    let store = &db.store;
    let mut complaint = consultation(1, 7);
    complaint.folder = "Reclamos".into();
    complaint.kind = AttentionKind::Complaint;
    complaint.area = Some("RNP".into());
    let question = consultation(1, 8);
    let recorded = record(store, &[complaint, question], june(10)).await;
    store
        .mark_filed(&[recorded[0].id, recorded[1].id], june(10))
        .await
        .expect("filed");
    let row = store
        .consultation_by_ticket(&recorded[0].ticket)
        .await
        .expect("read")
        .expect("row");
    assert_eq!(
        (row.kind, row.area.as_deref()),
        (AttentionKind::Complaint, Some("RNP"))
    );
    // The coordinator drags the consultation into «Incidencias»: it becomes an incident and keeps its area (none
    // recorded here, so none).
    let n = store
        .record_manual_moves(
            "consultas",
            "Incidencias",
            AttentionKind::Incident,
            None,
            &[recorded[1].id],
            june(11),
        )
        .await
        .expect("moved");
    assert_eq!(n, 1);
    let row = store
        .consultation_by_ticket(&recorded[1].ticket)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.folder.as_str(), row.kind),
        ("Incidencias", AttentionKind::Incident)
    );
    // And the complaint into «SEACE»: a SEACE consultation.
    drag_to_area(store, "SEACE", &[recorded[0].id], june(11)).await;
    let row = store
        .consultation_by_ticket(&recorded[0].ticket)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.folder.as_str(), row.kind, row.area.as_deref()),
        ("SEACE", AttentionKind::Consultation, Some("SEACE"))
    );
    let history = store.events_for(row.id).await.expect("events");
    assert!(
        history.iter().any(|e| e
            .detail
            .contains("la clase de atención pasa de reclamo a consulta")),
        "{history:?}"
    );
}
