//! What a coordinator hands in: the day's register of attentions (001 Anexo 1, «Registro de atención de
//! consultas») and the month's indicators of the virtual channel (002 §8.2.1.3), as Excel workbooks and CSV; the
//! incident coordinator's daily report and month (`incidents`); the year's suggestions per unit (`suggestions`,
//! 002 §9.1); the coordinator's morning list of what falls due (`digest`, mailed by the daemon).
//!
//! The computations (`register`, `indicators`, `business_time`, `suggestions`, `digest`) are pure: they take the
//! rows the store read, the business calendar, each mailbox's hours and the report's instant, and return values.
//! `workbook` and `csv` turn those values into bytes; the command line writes the files.
//!
//! Which consultations belong to a day or a month: those whose **effective received time** (Lima) falls in it.
//! Mail that arrives after the cut-off or on a non-business day counts from the next business day, so it is in
//! that day's register: every attention appears in exactly one business day's register, and the register of a
//! Saturday is empty. The real arrival time is shown beside it.

pub mod business_time;
pub mod csv;
pub mod digest;
pub mod incidents;
pub mod indicators;
pub mod register;
pub mod suggestions;
pub mod workbook;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::calendar::{BusinessCalendar, Reception, LIMA};

pub use business_time::business_minutes;
pub use indicators::{Breakdown, Indicators, MonthIndicators, UnitIndicators};
pub use register::{Compliance, RegisterEntry, UnitSpan};
pub use suggestions::SuggestionsReport;

/// Why a report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The workbook library refused something.
    #[error("no se pudo generar el libro Excel: {0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    /// A day or month outside the calendar chrono knows.
    #[error("fecha fuera de rango: {0}")]
    Date(String),
}

/// What the computations need besides the rows: the calendar, each mailbox's hours, and "now".
#[derive(Debug, Clone)]
pub struct ReportContext<'a> {
    /// Business days and holidays.
    pub calendar: &'a BusinessCalendar,
    /// Each mailbox's opening and cut-off, by mailbox name.
    pub receptions: BTreeMap<String, Reception>,
    /// The hours of a mailbox the config no longer lists (OSCE's 08:30–16:30).
    pub default_reception: Reception,
    /// When the report is taken: what is not answered by then is pending, or overdue past its deadline.
    pub now: DateTime<Utc>,
}

impl<'a> ReportContext<'a> {
    /// The context of a configuration: each configured mailbox's hours, at `now`.
    pub fn of_config(
        config: &crate::config::Config,
        calendar: &'a BusinessCalendar,
        now: DateTime<Utc>,
    ) -> ReportContext<'a> {
        ReportContext {
            calendar,
            receptions: receptions_of(config),
            default_reception: Reception::default(),
            now,
        }
    }
}

/// Each configured mailbox's opening and cut-off, by mailbox name.
pub fn receptions_of(config: &crate::config::Config) -> BTreeMap<String, Reception> {
    config
        .mailboxes
        .iter()
        .map(|m| (m.name.clone(), m.reception.clone()))
        .collect()
}

impl ReportContext<'_> {
    /// The hours of `mailbox`.
    pub fn reception(&self, mailbox: &str) -> &Reception {
        self.receptions
            .get(mailbox)
            .unwrap_or(&self.default_reception)
    }
}

/// The start of `date` (00:00) in Lima, as an instant.
pub fn lima_midnight(date: NaiveDate) -> Result<DateTime<Utc>, ReportError> {
    LIMA.from_local_datetime(&date.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| ReportError::Date(date.to_string()))
}

/// The instants `[start, end)` of the Lima day `date`.
pub fn day_bounds(date: NaiveDate) -> Result<(DateTime<Utc>, DateTime<Utc>), ReportError> {
    let next = date
        .succ_opt()
        .ok_or_else(|| ReportError::Date(date.to_string()))?;
    Ok((lima_midnight(date)?, lima_midnight(next)?))
}

/// The first day of the month `year-month` and of the next month.
pub fn month_days(year: i32, month: u32) -> Result<(NaiveDate, NaiveDate), ReportError> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)
        .ok_or_else(|| ReportError::Date(format!("{year}-{month:02}")))?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .ok_or_else(|| ReportError::Date(format!("{year}-{month:02}")))?;
    Ok((first, next))
}
