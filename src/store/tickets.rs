//! Ticket numbers: reserving consecutive sequence numbers per prefix and Lima calendar year (the number
//! itself is written by `vocabulary::format_ticket`).

use sqlx::{AnyConnection, Row};

use super::StoreError;

/// Reserves `count` consecutive sequence numbers of (`prefix`, `year`) inside the caller's transaction and
/// returns the first.
///
/// One upsert: on PostgreSQL the counter row stays locked until the transaction ends, so concurrent daemons
/// get disjoint ranges; on SQLite the write transaction is already exclusive.
pub(crate) async fn reserve(
    conn: &mut AnyConnection,
    prefix: &str,
    year: i32,
    count: usize,
) -> Result<i64, StoreError> {
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    let next: i64 = sqlx::query(
        "INSERT INTO ticket_counters (prefix, year, next) VALUES ($1, $2, 1 + $3) \
         ON CONFLICT (prefix, year) DO UPDATE SET next = ticket_counters.next + $3 \
         RETURNING next",
    )
    .bind(prefix)
    .bind(i64::from(year))
    .bind(count)
    .fetch_one(conn)
    .await
    .map_err(StoreError::query("reservar números de ticket"))?
    .get(0);
    Ok(next - count)
}
