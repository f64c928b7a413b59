//! `triaje calendar`: business days and non-working days of a range, as the deadlines see them.

use chrono::{Duration, NaiveDate, Utc};

use super::{date_arg, load_offline, CliError};
use crate::calendar::{render_days, BusinessCalendar, NonWorkingReason, LIMA};

/// Prints the days of `from..=to` (default: the next 30 days), or a year's non-working days.
pub fn show(
    config_path: &std::path::Path,
    from: Option<&str>,
    to: Option<&str>,
    year: Option<i32>,
) -> Result<(), CliError> {
    let calendar = match load_offline(config_path)?.and_then(|c| c.calendar) {
        Some(path) => BusinessCalendar::load(&path)?,
        None => BusinessCalendar::peru_default(),
    };
    for warning in calendar.warnings() {
        eprintln!("Aviso: {warning}");
    }
    if let Some(year) = year {
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Err(CliError::Usage(format!("año fuera de rango: {year}")));
        };
        println!("Feriados y días no laborables de {year}:");
        let mut business = 0;
        for day in calendar.days(first, last) {
            match calendar.non_working(day.date) {
                Some(nw) if nw.reason != NonWorkingReason::Weekend => {
                    println!(
                        "  {}  {}  ({})",
                        day.date.format("%d/%m/%Y"),
                        nw.name,
                        nw.source
                    )
                }
                Some(_) => {}
                None => business += 1,
            }
        }
        println!("{business} días hábiles en {year}.");
        return Ok(());
    }
    let from = match from {
        Some(s) => date_arg("--from", s)?,
        None => Utc::now().with_timezone(&LIMA).date_naive(),
    };
    let to = match to {
        Some(s) => date_arg("--to", s)?,
        None => from + Duration::days(30),
    };
    if to < from {
        return Err(CliError::Usage("--to es anterior a --from".into()));
    }
    if (to - from).num_days() > 3660 {
        return Err(CliError::Usage(
            "el rango es demasiado largo (máximo 10 años)".into(),
        ));
    }
    print!("{}", render_days(&calendar, from, to));
    Ok(())
}
