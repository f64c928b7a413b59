//! Ticket notes: the notes of a folder recorded together leave nothing due, and are where the register says.

use super::*;

on_both_backends!(notes_recorded_together_are_no_longer_due);

async fn notes_recorded_together_are_no_longer_due(db: &TestDb) {
    let store = &db.store;
    let asked = record(store, &batch([1, 2, 3]), june(10)).await;
    let ids: Vec<i64> = asked.iter().map(|r| r.id).collect();
    store.mark_filed(&ids, june(10)).await.expect("mark_filed");
    let due = store.notes_due("consultas", 100).await.expect("notes_due");
    assert_eq!(due.len(), 3, "every filed consultation is due a note");
    let folder = asked[0].folder.clone();
    let notes: Vec<(i64, String)> = ids[..2]
        .iter()
        .map(|id| (*id, format!("ficha.{id}@osce.test")))
        .collect();
    store
        .notes_filed(&notes, &folder, june(10))
        .await
        .expect("notes_filed");
    // Recording them again (a crash after the record, before the next round) changes nothing.
    store
        .notes_filed(&notes, &folder, june(10))
        .await
        .expect("notes_filed twice");
    let due: Vec<i64> = store
        .notes_due("consultas", 100)
        .await
        .expect("notes_due")
        .iter()
        .map(|n| n.consultation.id)
        .collect();
    assert_eq!(due, vec![ids[2]]);
    store
        .notes_filed(&[], &folder, june(10))
        .await
        .expect("no notes");
}
