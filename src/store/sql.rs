//! Small conversions between Rust values and what the `Any` driver stores, and placeholder lists.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use super::StoreError;

/// How many rows one multi-row statement carries: few round trips, far below both backends' parameter
/// limits (SQLite 32,766; PostgreSQL 65,535) even at 21 columns.
pub(crate) const ROWS_PER_STATEMENT: usize = 200;

/// An instant as stored: unix milliseconds.
pub(crate) fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// A stored instant back.
pub(crate) fn instant(what: &'static str, value: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(value).ok_or(StoreError::Corrupt { what, value })
}

/// A stored optional instant back.
pub(crate) fn optional_instant(
    what: &'static str,
    value: Option<i64>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    value.map(|value| instant(what, value)).transpose()
}

/// A stored UID or UIDVALIDITY back (IMAP numbers are 32-bit unsigned).
pub(crate) fn imap_number(what: &'static str, value: i64) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| StoreError::Corrupt { what, value })
}

/// `$first, $first+1, …` (`count` placeholders).
pub(crate) fn list(first: usize, count: usize) -> String {
    let mut out = String::with_capacity(count * 5);
    for n in first..first + count {
        if n > first {
            out.push_str(", ");
        }
        let _ = write!(out, "${n}");
    }
    out
}

/// `($first, …), (…), …`: `rows` tuples of `columns` placeholders, numbered from `first`.
pub(crate) fn tuples(first: usize, rows: usize, columns: usize) -> String {
    let mut out = String::with_capacity(rows * columns * 5);
    for row in 0..rows {
        if row > 0 {
            out.push_str(", ");
        }
        out.push('(');
        out.push_str(&list(first + row * columns, columns));
        out.push(')');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuples_number_placeholders_row_by_row() {
        assert_eq!(tuples(3, 2, 2), "($3, $4), ($5, $6)");
        assert_eq!(list(1, 3), "$1, $2, $3");
    }

    #[test]
    fn instants_round_trip_to_the_millisecond() {
        let at = DateTime::from_timestamp_millis(1_763_800_000_123).expect("valid");
        assert_eq!(instant("t", millis(at)).expect("valid"), at);
    }

    #[test]
    fn out_of_range_uid_is_reported_not_truncated() {
        assert!(imap_number("uid", 1 << 32).is_err());
        assert_eq!(
            imap_number("uid", 4_294_967_295).expect("max u32"),
            u32::MAX
        );
    }
}
