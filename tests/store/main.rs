//! The register against real databases: every scenario runs on SQLite (a file in a temporary folder) and on
//! the PostgreSQL server at 127.0.0.1:5432 (a fresh database per test, dropped afterwards).
//!
//! PostgreSQL being unreachable is a failure, never a skip: the PostgreSQL path is half of what is tested.
//!
//! This file holds the harness and the fixtures; the scenarios live in one module per area of the register.

use std::collections::HashSet;
use triaje::vocabulary::ConsultationState;
use triaje::vocabulary::{AttentionKind, Availability};
use triaje::workflow::ConsultationRecord;
use triaje::workflow::{Approval, ApprovalChannel, ReplyState};

use chrono::{DateTime, TimeZone, Utc};
use triaje::store::{
    Cursor, NewConsultation, RatingOutcome, RatingSource, Recorded, Store, StoreError,
};

// ---------------------------------------------------------------------------------------------------------
// Harness

#[path = "../common/mod.rs"]
mod common;

/// A migrated register on a throwaway database (SQLite in a temporary folder, or a PostgreSQL database of its
/// own), removed when dropped: the harness's [`Register`](common::register::Register).
use common::register::Register as TestDb;

/// Runs each scenario `fn(&TestDb)` as two tests: `<scenario>::sqlite` and `<scenario>::postgres` (declared
/// before the area modules so that each of them can use it).
macro_rules! on_both_backends {
    ($($scenario:ident),* $(,)?) => {$(
        mod $scenario {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = crate::TestDb::sqlite().await;
                super::$scenario(&db).await;
                db.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let db = crate::TestDb::postgres().await;
                super::$scenario(&db).await;
                db.finish().await;
            }
        }
    )*};
}

// ---------------------------------------------------------------------------------------------------------
// Fixtures

/// An instant given in Lima local time (UTC−5, no daylight saving).
fn lima(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, hour + 5, minute, 0)
        .single()
        .or_else(|| {
            // hour + 5 past midnight: let chrono roll the day over.
            Utc.with_ymd_and_hms(year, month, day, 0, minute, 0)
                .single()
                .map(|midnight| midnight + chrono::TimeDelta::hours(i64::from(hour) + 5))
        })
        .expect("valid Lima time")
}

/// A SEACE consultation with UID `uid` under UIDVALIDITY `uidvalidity`, received at 10:00 Lima on 10 June 2026.
fn consultation(uidvalidity: u32, uid: u32) -> NewConsultation {
    let received = lima(2026, 6, 10, 10, 0);
    NewConsultation {
        uidvalidity,
        uid,
        explanation: "«SEACE» en el asunto".to_string(),
        size_bytes: 2_048,
        ack_skip: None,
        record: ConsultationRecord {
            fingerprint: format!("{:064x}", u64::from(uid) * 7919 + 13),
            message_id: Some(format!("<{uid}@ciudadano.example>")),
            from_addr: Some(format!("ciudadano{uid}@example.pe")),
            from_name: Some("Rosa Quispe".to_string()),
            subject: format!("Consulta sobre el registro en el SEACE n.º {uid}"),
            received_at: received,
            sender_date: Some(received - chrono::TimeDelta::minutes(2)),
            effective_received_at: received,
            deadline_at: lima(2026, 6, 11, 23, 59),
            folder: "SEACE".to_string(),
            category: "seace".to_string(),
            availability: Availability::High,
            rule: Some("seace-registro".to_string()),
            kind: AttentionKind::Consultation,
            area: None,
            error_reason: None,
            reply_to_addr: None,
        },
    }
}

/// Consultations with UIDs `uids` under UIDVALIDITY 1.
fn batch(uids: impl IntoIterator<Item = u32>) -> Vec<NewConsultation> {
    uids.into_iter().map(|uid| consultation(1, uid)).collect()
}

/// The cursor after `batch`.
fn cursor_after(batch: &[NewConsultation]) -> Cursor {
    Cursor {
        uidvalidity: batch.first().map_or(1, |c| c.uidvalidity),
        last_uid: batch.iter().map(|c| c.uid).max().unwrap_or(0),
    }
}

/// A day of June 2026 at noon, Lima.
fn june(day: u32) -> DateTime<Utc> {
    lima(2026, 6, day, 12, 0)
}

/// Records `batch` in `consultas` with prefix CONS at `now`.
async fn record(store: &Store, batch: &[NewConsultation], now: DateTime<Utc>) -> Vec<Recorded> {
    store
        .record_batch("consultas", cursor_after(batch), batch, "CONS", now)
        .await
        .expect("record_batch")
}

/// A person drags the messages of `ids` in `consultas` into the area folder `folder` at `at` (the corrections
/// pass's record of it): consultations of that area from now. Returns how many were corrections.
async fn drag_to_area(store: &Store, folder: &str, ids: &[i64], at: DateTime<Utc>) -> usize {
    store
        .record_manual_moves(
            "consultas",
            folder,
            AttentionKind::Consultation,
            Some(folder),
            ids,
            at,
        )
        .await
        .expect("record_manual_moves")
}

fn tickets(recorded: &[Recorded]) -> Vec<&str> {
    recorded.iter().map(|r| r.ticket.as_str()).collect()
}

// ---------------------------------------------------------------------------------------------------------
// Scenarios, by area

mod backends;
mod beside_mail;
mod consultations;
mod leases;
mod outbox;
mod register;
mod replies;
mod survey;
mod ticket_notes;
