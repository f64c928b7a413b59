//! Ticket numbers: `{prefix}-{year}-{seq:06}`, consecutive per prefix and Lima calendar year.

use chrono::{DateTime, Datelike, Utc};
use sqlx::{AnyConnection, Row};

use super::StoreError;

/// The ticket a citizen is told: `CONS-2026-000123`.
pub fn format_ticket(prefix: &str, year: i32, seq: i64) -> String {
    format!("{prefix}-{year}-{seq:06}")
}

/// The year tickets issued at `now` belong to: the office's (America/Lima) calendar year, so mail arriving
/// at 20:00 on 31 December in Lima (01:00 UTC on 1 January) still gets a number of the old year.
pub(crate) fn ticket_year(now: DateTime<Utc>) -> i32 {
    now.with_timezone(&chrono_tz::America::Lima).year()
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ticket_has_prefix_year_and_six_digits() {
        assert_eq!(format_ticket("CONS", 2026, 123), "CONS-2026-000123");
        assert_eq!(format_ticket("CONS", 2026, 1_234_567), "CONS-2026-1234567");
    }

    #[test]
    fn new_years_eve_evening_in_lima_is_still_the_old_year() {
        let utc_new_year = Utc
            .with_ymd_and_hms(2027, 1, 1, 1, 0, 0)
            .single()
            .expect("valid");
        assert_eq!(ticket_year(utc_new_year), 2026);
        let lima_new_year = Utc
            .with_ymd_and_hms(2027, 1, 1, 5, 0, 0)
            .single()
            .expect("valid");
        assert_eq!(ticket_year(lima_new_year), 2027);
    }
}
