//! The register against real databases: every scenario runs on SQLite (a file in a temporary folder) and on
//! the PostgreSQL server at 127.0.0.1:5432 (a fresh database per test, dropped afterwards).
//!
//! PostgreSQL being unreachable is a failure, never a skip: the PostgreSQL path is half of what is tested.
//!
//! This file holds the harness and the fixtures; the scenarios live in one module per area of the register.

use std::collections::HashSet;
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
        availability: "Alta".to_string(),
        rule: Some("seace-registro".to_string()),
        explanation: "«SEACE» en el asunto".to_string(),
        size_bytes: 2_048,
        error_reason: None,
        reply_to_addr: None,
        ack_skip: None,
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
// Scenarios, by area

mod backends;
mod consultations;
mod leases;
mod outbox;
mod register;
mod replies;
mod survey;
