//! Small conversions between Rust values and what the `Any` driver stores, and placeholder lists.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use super::{Backend, StoreError};
use crate::vocabulary::UnitLevel;

/// How many rows one multi-row statement carries: few round trips, far below both backends' parameter
/// limits (SQLite 32,766; PostgreSQL 65,535) even at 21 columns.
pub(crate) const ROWS_PER_STATEMENT: usize = 200;

/// Whether a multi-row statement built for `rows` rows, of chunks of at most `per_statement`, stays prepared on
/// its connection (sqlx's statement cache) to be used again.
///
/// Only a full chunk's: its text is the same for every full chunk, so a backlog parses it once per connection
/// instead of once per batch (compiling the 200-row insert and lookup statements was about 1 % of `scripts/bench`'s
/// instructions, 53 k a message). A shorter chunk's text changes with its length, and keeping each one would only
/// fill the cache.
pub(crate) fn keep_prepared(rows: usize, per_statement: usize) -> bool {
    rows == per_statement
}

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

/// A stored unit level back (2 or 3, `vocabulary::UnitLevel`): any other number is refused, never read as a
/// level it is not. The tables' `CHECK (level IN (2, 3))` keeps such a row out; this is the edge's own guard.
pub(crate) fn unit_level(what: &'static str, value: i64) -> Result<UnitLevel, StoreError> {
    UnitLevel::from_number(value).ok_or(StoreError::Corrupt { what, value })
}

/// A stored UID or UIDVALIDITY back (IMAP numbers are 32-bit unsigned).
pub(crate) fn imap_number(what: &'static str, value: i64) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| StoreError::Corrupt { what, value })
}

/// Reads a stored word (`consultations.state`, `consultations.availability`, …) into its vocabulary type;
/// a spelling the type does not know is refused, naming the column and the value.
pub(crate) fn word<T>(what: &'static str, value: String) -> Result<T, StoreError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    value.parse().map_err(|e: T::Err| StoreError::UnknownWord {
        what,
        reason: e.to_string(),
    })
}

/// Numbers the placeholders of a statement built at run time (multi-row inserts, `IN` lists).
///
/// PostgreSQL wants `$1, $2, …`. SQLite accepts those too, but looks each named parameter up in a linear list
/// when parsing and again when sqlx binds it, which is quadratic: a 4,000-parameter insert took 180 ms. Plain
/// `?` costs nothing there. So built statements never reuse a placeholder, values are bound in the order the
/// placeholders appear, and only the spelling differs per backend.
pub(crate) struct Placeholders {
    /// `$n` (PostgreSQL) or `?` (SQLite).
    numbered: bool,
    /// The number of the next `$n`.
    next: usize,
}

impl Placeholders {
    /// Placeholders for `backend`, starting at 1.
    pub(crate) fn new(backend: Backend) -> Placeholders {
        Placeholders {
            numbered: backend == Backend::Postgres,
            next: 1,
        }
    }

    /// Appends one placeholder to `out`.
    fn push(&mut self, out: &mut String) {
        if self.numbered {
            let _ = write!(out, "${}", self.next);
        } else {
            out.push('?');
        }
        self.next += 1;
    }

    /// One placeholder.
    pub(crate) fn one(&mut self) -> String {
        let mut out = String::with_capacity(4);
        self.push(&mut out);
        out
    }

    /// `count` placeholders separated by commas.
    pub(crate) fn list(&mut self, count: usize) -> String {
        let mut out = String::with_capacity(count * 6);
        for n in 0..count {
            if n > 0 {
                out.push_str(", ");
            }
            self.push(&mut out);
        }
        out
    }

    /// `(…), (…), …`: `rows` tuples of `columns` placeholders.
    pub(crate) fn tuples(&mut self, rows: usize, columns: usize) -> String {
        let mut out = String::with_capacity(rows * (columns * 6 + 4));
        for row in 0..rows {
            if row > 0 {
                out.push_str(", ");
            }
            out.push('(');
            out.push_str(&self.list(columns));
            out.push(')');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_placeholders_are_numbered_in_order_of_appearance() {
        let mut p = Placeholders::new(Backend::Postgres);
        assert_eq!(p.one(), "$1");
        assert_eq!(p.tuples(2, 2), "($2, $3), ($4, $5)");
        assert_eq!(p.list(2), "$6, $7");
    }

    #[test]
    fn sqlite_placeholders_are_anonymous() {
        let mut p = Placeholders::new(Backend::Sqlite);
        assert_eq!(p.one(), "?");
        assert_eq!(p.tuples(2, 2), "(?, ?), (?, ?)");
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

    #[test]
    fn a_unit_level_no_unit_can_have_is_refused() {
        assert_eq!(unit_level("level", 2).expect("second"), UnitLevel::Second);
        assert_eq!(unit_level("level", 3).expect("third"), UnitLevel::Third);
        for bad in [0, 1, 4, 258, -2] {
            assert!(
                matches!(
                    unit_level("derivations.level", bad),
                    Err(StoreError::Corrupt { what: "derivations.level", value }) if value == bad
                ),
                "{bad}"
            );
        }
    }
}
