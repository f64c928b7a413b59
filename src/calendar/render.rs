//! A listing of days for the `calendar` command: which count and why the others do not.

use std::fmt::Write;

use chrono::NaiveDate;

use super::business_calendar::{BusinessCalendar, NonWorking, NonWorkingReason};
use crate::spanish;

/// One line per day from `from` to `to` (both included) in Spanish, then the count:
///
/// ```text
/// lun 27/07/2026  hábil
/// mar 28/07/2026  feriado: Fiestas Patrias (D.Leg. 713, art. 6)
/// 1 día hábil de 2 días
/// ```
pub fn render_days(cal: &BusinessCalendar, from: NaiveDate, to: NaiveDate) -> String {
    let mut out = String::new();
    let (mut business, mut total) = (0u64, 0u64);
    for day in cal.days(from, to) {
        total += 1;
        let what = match &day.non_working {
            None => {
                business += 1;
                "hábil".to_string()
            }
            Some(nw) => describe(nw),
        };
        // Writing to a String cannot fail.
        let _ = writeln!(out, "{}  {what}", spanish::day_and_date(day.date));
    }
    let business = if business == 1 {
        "1 día hábil".to_string()
    } else {
        format!("{business} días hábiles")
    };
    let total = if total == 1 {
        "1 día".to_string()
    } else {
        format!("{total} días")
    };
    let _ = write!(out, "{business} de {total}");
    out
}

/// Why a day does not count, with the norm, as the administrator would check it.
fn describe(nw: &NonWorking) -> String {
    match nw.reason {
        NonWorkingReason::Weekend => "fin de semana".to_string(),
        NonWorkingReason::Holiday => format!("feriado: {} ({})", nw.name, nw.source),
        NonWorkingReason::Decreed => format!("no laborable decretado: {} ({})", nw.name, nw.source),
        NonWorkingReason::Local => format!("no laborable local: {} ({})", nw.name, nw.source),
    }
}
