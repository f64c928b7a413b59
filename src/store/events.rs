//! The event log: what happened to each consultation and when (recorded, rebound, filed, error).

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use super::sql::{instant, keep_prepared, millis, Placeholders, ROWS_PER_STATEMENT};
use super::{Backend, Store, StoreError};

/// One entry of a consultation's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened: `recorded`, `rebound`, `filed`, `error`, …
    pub kind: String,
    /// The particulars, in Spanish (folder and rule, the error's reason, …).
    pub detail: String,
}

/// An event about to be written.
pub(crate) struct NewEvent {
    /// The consultation it belongs to.
    pub consultation_id: i64,
    /// See `EventRow::kind`.
    pub kind: &'static str,
    /// See `EventRow::detail`.
    pub detail: String,
}

impl Store {
    /// The history of one consultation, oldest first.
    pub async fn events_for(&self, consultation_id: i64) -> Result<Vec<EventRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, kind, detail FROM events WHERE consultation_id = $1 ORDER BY id",
        )
        .bind(consultation_id)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("leer el historial de una consulta"))?;
        rows.into_iter()
            .map(|row| {
                Ok(EventRow {
                    at: instant("events.at", row.get(0))?,
                    kind: row.get(1),
                    detail: row.get(2),
                })
            })
            .collect()
    }
}

/// Writes `events` (all at `at`) in the caller's transaction, in order, a few hundred per statement.
pub(crate) async fn append(
    conn: &mut AnyConnection,
    backend: Backend,
    events: &[NewEvent],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    for chunk in events.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO events (consultation_id, at, kind, detail) VALUES {}",
            Placeholders::new(backend).tuples(chunk.len(), 4)
        );
        // Only placeholders are interpolated; every value is bound.
        let mut query = sqlx::query(AssertSqlSafe(sql))
            .persistent(keep_prepared(chunk.len(), ROWS_PER_STATEMENT));
        for event in chunk {
            query = query
                .bind(event.consultation_id)
                .bind(millis(at))
                .bind(event.kind)
                .bind(event.detail.as_str());
        }
        query
            .execute(&mut *conn)
            .await
            .map_err(StoreError::query("anotar eventos"))?;
    }
    Ok(())
}
