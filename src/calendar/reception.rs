//! When a message counts as received: the cut-off rule of OSCE's manual (002 §7.4.1.1).

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::business_calendar::BusinessCalendar;
use super::LIMA;

/// The hours of a mailbox: mail at or after `cutoff`, or on a non-business day, counts from `opening` of the
/// next business day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reception {
    /// When the office starts counting on a business day (mail that waited overnight counts from here).
    pub opening: NaiveTime,
    /// From this time on (inclusive), mail counts as received the next business day.
    pub cutoff: NaiveTime,
}

impl Default for Reception {
    /// OSCE's hours: opening 08:30, cut-off 16:30.
    fn default() -> Self {
        Reception {
            opening: NaiveTime::from_hms_opt(8, 30, 0).unwrap_or(NaiveTime::MIN),
            cutoff: NaiveTime::from_hms_opt(16, 30, 0).unwrap_or(NaiveTime::MIN),
        }
    }
}

/// The moment a message counts as received, in Lima time.
///
/// `received` is when it reached the mailbox (the server's INTERNALDATE, never the sender's `Date:`). On a
/// business day before the cut-off it is the received time itself, even before opening: the office may
/// start on it early. At or after the cut-off (16:30:00 exactly is already late), or on a non-business day,
/// it is the opening of the next business day.
pub fn effective_received_at(
    cal: &BusinessCalendar,
    r: &Reception,
    received: DateTime<Utc>,
) -> DateTime<Tz> {
    let local = received.with_timezone(&LIMA);
    let date = local.date_naive();
    if cal.is_business_day(date) && local.time() < r.cutoff {
        return local;
    }
    lima_at(cal.next_business_day(date), r.opening)
}

/// `date` at `time` in Lima. Peru has had no daylight saving since 1994 and its old changes were at midnight,
/// so the local time always exists; the fallback only keeps this total.
pub(crate) fn lima_at(date: NaiveDate, time: NaiveTime) -> DateTime<Tz> {
    let naive = date.and_time(time);
    LIMA.from_local_datetime(&naive)
        .earliest()
        .unwrap_or_else(|| LIMA.from_utc_datetime(&(naive + chrono::Duration::hours(5))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lima(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        lima_at(date, NaiveTime::from_hms_opt(h, min, 0).unwrap()).with_timezone(&Utc)
    }

    fn effective(received: DateTime<Utc>) -> String {
        let cal = BusinessCalendar::peru_default();
        effective_received_at(&cal, &Reception::default(), received)
            .format("%a %Y-%m-%d %H:%M")
            .to_string()
    }

    #[test]
    fn mail_before_the_cutoff_on_a_business_day_counts_when_it_arrived() {
        assert_eq!(
            effective(lima(2026, 11, 20, 16, 29)),
            "Fri 2026-11-20 16:29"
        );
        // Before opening too: the office may answer it that same morning.
        assert_eq!(effective(lima(2026, 11, 20, 6, 5)), "Fri 2026-11-20 06:05");
    }

    #[test]
    fn mail_at_1630_on_friday_counts_from_monday() {
        assert_eq!(
            effective(lima(2026, 11, 20, 16, 30)),
            "Mon 2026-11-23 08:30"
        );
        assert_eq!(
            effective(lima(2026, 11, 20, 23, 59)),
            "Mon 2026-11-23 08:30"
        );
    }

    #[test]
    fn mail_on_saturday_counts_from_monday_opening() {
        assert_eq!(effective(lima(2026, 11, 21, 10, 0)), "Mon 2026-11-23 08:30");
    }

    #[test]
    fn mail_on_fiestas_patrias_counts_from_the_thirtieth() {
        assert_eq!(effective(lima(2026, 7, 28, 10, 0)), "Thu 2026-07-30 08:30");
    }

    #[test]
    fn mail_on_holy_thursday_counts_from_easter_monday() {
        assert_eq!(effective(lima(2026, 4, 2, 9, 0)), "Mon 2026-04-06 08:30");
    }

    #[test]
    fn new_year_holiday_decreed_day_and_weekend_push_to_the_fifth() {
        assert_eq!(effective(lima(2025, 12, 31, 17, 0)), "Mon 2026-01-05 08:30");
    }

    #[test]
    fn the_cutoff_is_read_in_lima_time_not_utc() {
        // 21:29 UTC is 16:29 in Lima: still on time.
        let utc = Utc.with_ymd_and_hms(2026, 11, 20, 21, 29, 0).unwrap();
        assert_eq!(effective(utc), "Fri 2026-11-20 16:29");
    }

    #[test]
    fn a_mailbox_with_its_own_hours_uses_them() {
        let cal = BusinessCalendar::peru_default();
        let senace = Reception {
            opening: NaiveTime::from_hms_opt(8, 45, 0).unwrap(),
            cutoff: NaiveTime::from_hms_opt(16, 50, 0).unwrap(),
        };
        let at = |h, m| {
            effective_received_at(&cal, &senace, lima(2026, 11, 20, h, m))
                .format("%d %H:%M")
                .to_string()
        };
        assert_eq!(at(16, 40), "20 16:40");
        assert_eq!(at(16, 50), "23 08:45");
    }
}
