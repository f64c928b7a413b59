//! The two backends themselves: migrations that can run twice, SQLite's file in WAL mode, and what a bad database
//! URL says.

use super::*;

on_both_backends!(migrating_twice_changes_nothing,);

async fn migrating_twice_changes_nothing(db: &TestDb) {
    record(&db.store, &batch([1]), june(10)).await;
    db.store.migrate().await.expect("second migrate");
    // A second daemon opening the same database migrates too.
    let other = Store::connect(&db.url).await.expect("second pool");
    other.migrate().await.expect("migrate from a second pool");
    assert_eq!(other.consultations(None).await.expect("read").len(), 1);
    other.close().await;
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
