//! Response time in business hours.
//!
//! A **business hour** is an hour of a mailbox's office hours — from its `opening` to its `cutoff` — on a
//! business day of the calendar. With OSCE's hours (08:30–16:30) a business day has 8 business hours. Time at
//! night, after the cut-off, on weekends, holidays and decreed non-working days does not count. A consultation
//! received at 16:45 on Friday (effective: Monday 08:30) and answered on Monday at 10:30 took 2 business hours.

use chrono::{DateTime, Utc};

use crate::calendar::{BusinessCalendar, Reception, LIMA};

/// The minutes of office hours on business days between `from` and `to` (0 when `to` is not after `from`).
pub fn business_minutes(
    cal: &BusinessCalendar,
    hours: &Reception,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> i64 {
    if to <= from {
        return 0;
    }
    let first = from.with_timezone(&LIMA).date_naive();
    let last = to.with_timezone(&LIMA).date_naive();
    first
        .iter_days()
        .take_while(|day| *day <= last)
        .filter(|day| cal.is_business_day(*day))
        .map(|day| {
            let open = crate::calendar::lima_at(day, hours.opening).with_timezone(&Utc);
            let close = crate::calendar::lima_at(day, hours.cutoff).with_timezone(&Utc);
            let start = open.max(from);
            let end = close.min(to);
            (end - start).num_minutes().max(0)
        })
        .sum()
}

/// Minutes as business hours, for reports.
pub fn hours(minutes: i64) -> f64 {
    minutes as f64 / 60.0
}
