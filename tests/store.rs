//! The register against real databases: every scenario runs on SQLite (a file in a temporary folder) and on
//! the PostgreSQL server at 127.0.0.1:5432 (a fresh database per test, dropped afterwards).
//!
//! PostgreSQL being unreachable is a failure, never a skip: the PostgreSQL path is half of what is tested.

use std::collections::HashSet;
use triaje::vocabulary::Availability;
use triaje::vocabulary::ConsultationState;
use triaje::workflow::ConsultationRecord;
use triaje::workflow::{Approval, ApprovalChannel, ReplyState};

use chrono::{DateTime, TimeZone, Utc};
use triaje::store::{
    Backend, Cursor, NewConsultation, RatingOutcome, RatingSource, Recorded, Store, StoreError,
};

// ---------------------------------------------------------------------------------------------------------
// Harness

/// Where the PostgreSQL test server is; trust authentication, database `test` exists.
const PG_SERVER: &str = "127.0.0.1:5432";
/// Users tried in turn for the administrative connection.
const PG_USERS: [&str; 2] = ["root", "postgres"];

/// A migrated register on a throwaway database, removed when dropped.
struct TestDb {
    /// The register under test.
    store: Store,
    /// Its URL, to open a second pool on the same database.
    url: String,
    /// Keeps the SQLite folder alive until the end of the test.
    _folder: Option<tempfile::TempDir>,
    /// Drops the PostgreSQL database at the end of the test.
    _database: Option<PgDatabase>,
}

impl TestDb {
    /// A fresh SQLite register in a temporary folder.
    async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("create a temporary folder");
        let url = format!("sqlite://{}/data/triaje.db", dir.path().display());
        let store = Store::connect(&url).await.expect("open SQLite");
        store.migrate().await.expect("migrate SQLite");
        assert_eq!(store.backend(), Backend::Sqlite);
        TestDb {
            store,
            url,
            _folder: Some(dir),
            _database: None,
        }
    }

    /// A fresh PostgreSQL register in its own database.
    async fn postgres() -> TestDb {
        let database = PgDatabase::create().await;
        let url = database.url();
        let store = Store::connect(&url).await.expect("open PostgreSQL");
        store.migrate().await.expect("migrate PostgreSQL");
        assert_eq!(store.backend(), Backend::Postgres);
        TestDb {
            store,
            url,
            _folder: None,
            _database: Some(database),
        }
    }

    /// Closes the pool so the database can be dropped cleanly.
    async fn finish(self) {
        self.store.close().await;
    }
}

/// A uniquely named PostgreSQL database, dropped (with its connections) on drop, even after a panic.
struct PgDatabase {
    /// The administrative URL (database `test`) that worked.
    admin_url: String,
    /// The user that worked.
    user: &'static str,
    /// `triaje_test_…`.
    name: String,
}

impl PgDatabase {
    /// Creates the database; panics with what to do if the server cannot be reached.
    async fn create() -> PgDatabase {
        use sqlx::{Connection, Executor};
        let mut failures = Vec::new();
        for user in PG_USERS {
            let admin_url = format!("postgres://{user}@{PG_SERVER}/test");
            match sqlx::PgConnection::connect(&admin_url).await {
                Ok(mut admin) => {
                    let name = unique_name();
                    admin
                        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                        .await
                        .expect("CREATE DATABASE on the test server");
                    let _ = admin.close().await;
                    return PgDatabase {
                        admin_url,
                        user,
                        name,
                    };
                }
                Err(error) => failures.push(format!("{admin_url}: {error}")),
            }
        }
        panic!(
            "PostgreSQL is required for these tests and is unreachable at {PG_SERVER} \
             (start it, with trust auth and a database `test`): {}",
            failures.join("; ")
        );
    }

    /// The URL of this database.
    fn url(&self) -> String {
        format!("postgres://{}@{PG_SERVER}/{}", self.user, self.name)
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let drop_sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        // Drop cannot await, and the test's runtime may be gone (panic): use a runtime of our own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                use sqlx::{Connection, Executor};
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = admin.execute(sqlx::AssertSqlSafe(drop_sql)).await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

/// `triaje_test_<pid>_<nanos>_<n>`: unique across parallel tests and processes.
fn unique_name() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.subsec_nanos());
    format!(
        "triaje_test_{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Runs each scenario `fn(&TestDb)` as two tests: `<scenario>::sqlite` and `<scenario>::postgres`.
macro_rules! on_both_backends {
    ($($scenario:ident),* $(,)?) => {$(
        mod $scenario {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = super::TestDb::sqlite().await;
                super::$scenario(&db).await;
                db.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let db = super::TestDb::postgres().await;
                super::$scenario(&db).await;
                db.finish().await;
            }
        }
    )*};
}

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
    migrating_twice_changes_nothing,
    the_first_survey_answer_counts_and_later_ones_change_nothing,
    a_comment_needs_a_rating_and_the_first_one_is_kept,
    the_survey_summary_counts_satisfied_answers_against_the_target,
    a_legal_reply_is_queued_only_by_its_approval,
    the_register_of_a_day_joins_the_reply_the_supervisor_and_the_survey,
    a_lease_has_one_holder_until_it_lapses_or_is_released,
);

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

fn tickets(recorded: &[Recorded]) -> Vec<&str> {
    recorded.iter().map(|r| r.ticket.as_str()).collect()
}

// ---------------------------------------------------------------------------------------------------------
// Scenarios on both backends

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

async fn migrating_twice_changes_nothing(db: &TestDb) {
    record(&db.store, &batch([1]), june(10)).await;
    db.store.migrate().await.expect("second migrate");
    // A second daemon opening the same database migrates too.
    let other = Store::connect(&db.url).await.expect("second pool");
    other.migrate().await.expect("migrate from a second pool");
    assert_eq!(other.consultations(None).await.expect("read").len(), 1);
    other.close().await;
}

// ---------------------------------------------------------------------------------------------------------
// Backend-specific

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

async fn a_lease_has_one_holder_until_it_lapses_or_is_released(db: &TestDb) {
    use std::time::Duration;
    let store = &db.store;
    let long = Duration::from_secs(30);
    assert!(store
        .take_lease("mailbox:consultas", "a:1", long)
        .await
        .unwrap());
    assert!(
        !store
            .take_lease("mailbox:consultas", "b:2", long)
            .await
            .unwrap(),
        "a live lease went to a second holder"
    );
    assert!(
        store
            .take_lease("mailbox:consultas", "a:1", long)
            .await
            .unwrap(),
        "renewal"
    );
    let live = store.live_leases().await.unwrap();
    assert_eq!(live.len(), 1);
    assert_eq!(
        (live[0].name.as_str(), live[0].holder.as_str()),
        ("mailbox:consultas", "a:1")
    );
    // Releasing someone else's lease does nothing; the holder's release frees it at once.
    store
        .release_lease("mailbox:consultas", "b:2")
        .await
        .unwrap();
    assert!(!store
        .take_lease("mailbox:consultas", "b:2", long)
        .await
        .unwrap());
    store
        .release_lease("mailbox:consultas", "a:1")
        .await
        .unwrap();
    assert!(store
        .take_lease("mailbox:consultas", "b:2", long)
        .await
        .unwrap());
    // A lease its holder stopped renewing lapses, and then anyone takes it.
    assert!(store
        .take_lease("mailbox:contacto", "a:1", Duration::from_millis(200))
        .await
        .unwrap());
    assert!(!store
        .take_lease("mailbox:contacto", "b:2", long)
        .await
        .unwrap());
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(store
        .live_leases()
        .await
        .unwrap()
        .iter()
        .all(|l| l.name != "mailbox:contacto"));
    assert!(
        store
            .take_lease("mailbox:contacto", "b:2", long)
            .await
            .unwrap(),
        "takeover"
    );
    assert!(
        !store
            .take_lease("mailbox:contacto", "a:1", long)
            .await
            .unwrap(),
        "the old holder cannot renew"
    );
}

#[tokio::test]
async fn many_instances_racing_for_one_free_lease_on_postgres_elect_one() {
    use std::time::Duration;
    let db = TestDb::postgres().await;
    let mut pools = Vec::new();
    for _ in 0..6 {
        pools.push(Store::connect(&db.url).await.expect("pool"));
    }
    for round in 0..20 {
        let name = format!("mailbox:m{round}");
        let racers = pools.iter().enumerate().map(|(i, store)| {
            let (store, name) = (store.clone(), name.clone());
            tokio::spawn(async move {
                store
                    .take_lease(&name, &format!("h:{i}"), Duration::from_secs(30))
                    .await
                    .unwrap()
            })
        });
        let winners = futures::future::join_all(racers)
            .await
            .into_iter()
            .filter(|won| *won.as_ref().unwrap())
            .count();
        assert_eq!(winners, 1, "round {round}: {winners} holders");
    }
    for store in pools {
        store.close().await;
    }
    db.finish().await;
}

#[tokio::test]
async fn sqlite_file_is_created_in_wal_mode() {
    use sqlx::{Connection, Row};
    let db = TestDb::sqlite().await;
    let path = db.url.trim_start_matches("sqlite://").to_string();
    assert!(
        std::path::Path::new(&path).is_file(),
        "the file and its folder were created"
    );
    // WAL is a property of the file: a connection of its own sees it.
    let mut conn = sqlx::SqliteConnection::connect(&db.url)
        .await
        .expect("open the file");
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await
        .expect("pragma")
        .get(0);
    assert_eq!(mode, "wal");
    let _ = conn.close().await;
    db.finish().await;
}

#[tokio::test]
async fn unreachable_server_is_named_without_its_password() {
    let error = Store::connect("postgres://triaje:s3cr3t@127.0.0.1:1/triaje")
        .await
        .expect_err("nothing listens on port 1");
    assert!(matches!(error, StoreError::Connect { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("postgres://triaje:***@127.0.0.1:1/triaje"),
        "{message}"
    );
    assert!(!message.contains("s3cr3t"), "{message}");
}

#[tokio::test]
async fn unknown_scheme_says_which_urls_work() {
    let error = Store::connect("mysql://root:pw@localhost/triaje")
        .await
        .expect_err("unsupported");
    let message = error.to_string();
    assert!(
        message.contains("sqlite://") && message.contains("postgres://"),
        "{message}"
    );
    assert!(!message.contains("pw@"), "{message}");
}

// ---------------------------------------------------------------------------------------------------------
// The outbox (both backends, plus concurrent claimers on PostgreSQL)

mod outbox {
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
            raw: format!(
                "Message-ID: <ack-{n}@osce.test>\r\nSubject: Acuse\r\n\r\nGracias \u{e1}\r\n"
            )
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

    macro_rules! on_both_backends {
        ($($scenario:ident),* $(,)?) => {$(
            mod $scenario {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let db = super::super::TestDb::sqlite().await;
                    super::$scenario(&db).await;
                    db.finish().await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let db = super::super::TestDb::postgres().await;
                    super::$scenario(&db).await;
                    db.finish().await;
                }
            }
        )*};
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
}

// ---------------------------------------------------------------------------------------------------------
// The satisfaction survey

async fn the_first_survey_answer_counts_and_later_ones_change_nothing(db: &TestDb) {
    let store = &db.store;
    let recorded = record(store, &batch([1, 2]), june(10)).await;
    let id = recorded[0].id;
    assert_eq!(store.survey_rating(id).await.expect("read"), None);
    assert_eq!(
        store
            .record_rating(id, 4, RatingSource::Web, june(12))
            .await
            .expect("first answer"),
        RatingOutcome::Recorded
    );
    // The same link clicked again, another star, and a mail answer: the first answer stays.
    for (stars, source) in [
        (4, RatingSource::Web),
        (1, RatingSource::Web),
        (5, RatingSource::Email),
    ] {
        assert_eq!(
            store
                .record_rating(id, stars, source, june(13))
                .await
                .expect("later answer"),
            RatingOutcome::AlreadyRated { rating: 4 }
        );
    }
    let kept = store.survey_rating(id).await.expect("read").expect("rated");
    assert_eq!(
        (kept.rating, kept.source, kept.rated_at),
        (4, RatingSource::Web, june(12))
    );
    // The other consultation is untouched, and can be rated by mail.
    assert_eq!(
        store
            .record_rating(recorded[1].id, 2, RatingSource::Email, june(14))
            .await
            .expect("mail answer"),
        RatingOutcome::Recorded
    );
    let by_mail = store
        .survey_rating(recorded[1].id)
        .await
        .expect("read")
        .expect("rated");
    assert_eq!((by_mail.rating, by_mail.source), (2, RatingSource::Email));
    // An unknown consultation is refused by the database (foreign key).
    assert!(store
        .record_rating(recorded[1].id + 100, 3, RatingSource::Web, june(14))
        .await
        .is_err());
}

async fn a_comment_needs_a_rating_and_the_first_one_is_kept(db: &TestDb) {
    let store = &db.store;
    let id = record(store, &batch([1]), june(10)).await[0].id;
    assert!(!store
        .record_comment(id, "Muy rápido", june(11))
        .await
        .expect("no rating yet"));
    store
        .record_rating(id, 5, RatingSource::Web, june(11))
        .await
        .expect("rate");
    assert!(!store
        .record_comment(id, "   ", june(11))
        .await
        .expect("blank"));
    let long = "á".repeat(2_500);
    assert!(store
        .record_comment(id, &format!("  {long}  "), june(12))
        .await
        .expect("first comment"));
    assert!(!store
        .record_comment(id, "Otro comentario", june(13))
        .await
        .expect("second comment"));
    let kept = store.survey_rating(id).await.expect("read").expect("rated");
    let comment = kept.comment.expect("comment kept");
    assert_eq!(comment.chars().count(), 2_000);
    assert!(comment.chars().all(|c| c == 'á'));
    assert_eq!(kept.commented_at, Some(june(12)));
    assert_eq!(kept.rating, 5);
}

async fn the_survey_summary_counts_satisfied_answers_against_the_target(db: &TestDb) {
    let store = &db.store;
    let empty = store.survey_summary().await.expect("summary");
    assert_eq!((empty.total, empty.satisfied_share), (0, None));
    let recorded = record(store, &batch([1, 2, 3, 4, 5]), june(10)).await;
    for (row, stars) in recorded.iter().zip([5, 4, 3, 1]) {
        store
            .record_rating(row.id, stars, RatingSource::Web, june(12))
            .await
            .expect("rate");
    }
    let summary = store.survey_summary().await.expect("summary");
    assert_eq!(summary.counts, [1, 0, 1, 1, 1]);
    assert_eq!((summary.total, summary.satisfied), (4, 3));
    assert_eq!(summary.satisfied_share, Some(0.75));
    let report = store
        .status(june(12), june(12) + chrono::TimeDelta::hours(12))
        .await
        .expect("status");
    assert_eq!(report.survey, summary);
    let text = report.to_string();
    assert!(
        text.contains("Encuesta: 4 respuestas, 3 satisfechas (75 %; meta 85 %)"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------------------
// Replies

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

// ---------------------------------------------------------------------------------------------------------
// The register of attentions (reports)

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
