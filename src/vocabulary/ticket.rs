//! Ticket numbers: `{prefix}-{year}-{seq:06}`, consecutive per prefix and Lima calendar year.

use chrono::{DateTime, Datelike, Utc};

/// The ticket a citizen is told: `CONS-2026-000123`.
pub fn format_ticket(prefix: &str, year: i32, seq: i64) -> String {
    format!("{prefix}-{year}-{seq:06}")
}

/// The year tickets issued at `now` belong to: the office's (America/Lima) calendar year, so mail arriving
/// at 20:00 on 31 December in Lima (01:00 UTC on 1 January) still gets a number of the old year.
pub fn ticket_year(now: DateTime<Utc>) -> i32 {
    now.with_timezone(&chrono_tz::America::Lima).year()
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
