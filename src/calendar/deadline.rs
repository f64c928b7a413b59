//! Deadlines: the availability table (001 §5.6.2), a number of business days, or hours (OSCE's 24 hours).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::business_calendar::BusinessCalendar;
use super::reception::lima_at;
use super::LIMA;
use crate::vocabulary::Availability;

/// The most business days a mailbox may set: beyond this it is surely a typo (the directive's maximum is 10).
const MAX_DAYS: u32 = 60;

/// The most hours a mailbox may set (30 full business days).
const MAX_HOURS: u32 = 720;

/// The directive's table tops out at 10 business days (Baja: 7 a 10).
const MAX_AVAILABILITY_DAYS: u32 = 10;

/// How a mailbox counts the time it has to answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadlinePolicy {
    /// By the consultation's availability class: the maximum business days of Alta, Media and Baja
    /// (the directive's 3/6/10 unless the mailbox sets lower ones).
    Availability {
        /// Business days for `Alta`.
        high: u32,
        /// Business days for `Media`.
        medium: u32,
        /// Business days for `Baja`.
        low: u32,
    },
    /// Hours of clock time, counted only on business days (OSCE: 24 hours).
    Hours(u32),
    /// A fixed number of business days whatever the class (Senace: 2).
    BusinessDays(u32),
}

impl Default for DeadlinePolicy {
    /// The directive's table: Alta 3, Media 6, Baja 10 business days.
    fn default() -> Self {
        DeadlinePolicy::Availability {
            high: Availability::High.max_business_days(),
            medium: Availability::Medium.max_business_days(),
            low: Availability::Low.max_business_days(),
        }
    }
}

/// A deadline policy that is not one of the accepted forms, or is out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseDeadlinePolicyError {
    /// Not one of the forms at all.
    #[error(
        "plazo «{0}» no reconocido: escriba \"disponibilidad\" (Alta 3, Media 6 y Baja 10 días hábiles, según la \
         directiva), \"disponibilidad 2/5/8\" (sus propios máximos para Alta/Media/Baja), \"24 horas\" o \
         \"2 días hábiles\""
    )]
    Unrecognized(String),
    /// The right form with numbers that cannot be used.
    #[error("plazo «{input}» no válido: {reason}")]
    OutOfRange {
        /// What was written.
        input: String,
        /// What is wrong with the numbers, in Spanish.
        reason: String,
    },
}

impl FromStr for DeadlinePolicy {
    type Err = ParseDeadlinePolicyError;

    /// Accepts, in any case and with or without accents: `disponibilidad`, `disponibilidad 2/5/8`,
    /// `24 horas` / `24h` / `1 hora`, `2 días hábiles` / `1 día hábil`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let unrecognized = || ParseDeadlinePolicyError::Unrecognized(s.trim().to_string());
        let out_of_range = |reason: String| ParseDeadlinePolicyError::OutOfRange {
            input: s.trim().to_string(),
            reason,
        };
        let text = normalize(s);

        if text == "disponibilidad" {
            return Ok(DeadlinePolicy::default());
        }
        if let Some(table) = text.strip_prefix("disponibilidad ") {
            let days: Vec<u64> = table
                .split('/')
                .map(|n| n.trim().parse::<u64>())
                .collect::<Result<_, _>>()
                .map_err(|_| unrecognized())?;
            let [high, medium, low] = days[..] else {
                return Err(unrecognized());
            };
            if high == 0 {
                return Err(out_of_range("Alta necesita al menos 1 día hábil".into()));
            }
            if !(high < medium && medium < low) {
                return Err(out_of_range(format!(
                    "los días de Alta/Media/Baja deben crecer ({high}/{medium}/{low}); por ejemplo 2/5/8"
                )));
            }
            if low > u64::from(MAX_AVAILABILITY_DAYS) {
                return Err(out_of_range(format!(
                    "la directiva fija como máximo {MAX_AVAILABILITY_DAYS} días hábiles (Baja); se escribió {low}"
                )));
            }
            // Each value is at most 10 here, so the narrowing is lossless.
            return Ok(DeadlinePolicy::Availability {
                high: high as u32,
                medium: medium as u32,
                low: low as u32,
            });
        }

        let digits = text.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return Err(unrecognized());
        }
        let (number, unit) = text.split_at(digits);
        let Ok(number) = number.parse::<u64>() else {
            return Err(out_of_range("el número es demasiado grande".into()));
        };
        let (max, make): (u32, fn(u32) -> DeadlinePolicy) = match unit.trim() {
            "h" | "hora" | "horas" => (MAX_HOURS, DeadlinePolicy::Hours),
            "dia habil" | "dias habiles" => (MAX_DAYS, DeadlinePolicy::BusinessDays),
            _ => return Err(unrecognized()),
        };
        if number == 0 {
            return Err(out_of_range("el plazo no puede ser cero".into()));
        }
        if number > u64::from(max) {
            return Err(out_of_range(format!("el máximo admitido es {max}")));
        }
        Ok(make(number as u32))
    }
}

/// Lower case, accents removed, spaces collapsed: "2 Días  Hábiles" → "2 dias habiles".
fn normalize(s: &str) -> String {
    let plain: String = s
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl fmt::Display for DeadlinePolicy {
    /// The Spanish form administrators write in `config.toml`; it parses back to the same policy.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            p if *p == DeadlinePolicy::default() => f.write_str("disponibilidad"),
            DeadlinePolicy::Availability { high, medium, low } => {
                write!(f, "disponibilidad {high}/{medium}/{low}")
            }
            DeadlinePolicy::Hours(1) => f.write_str("1 hora"),
            DeadlinePolicy::Hours(h) => write!(f, "{h} horas"),
            DeadlinePolicy::BusinessDays(1) => f.write_str("1 día hábil"),
            DeadlinePolicy::BusinessDays(n) => write!(f, "{n} días hábiles"),
        }
    }
}

/// When the answer is due, in Lima time.
///
/// With business days (by availability or fixed) it is the end (23:59:59) of the N-th business day after
/// the effective date: effective Monday, Alta 3 → Thursday 23:59:59. With hours, the clock runs only on
/// business days: Friday 10:00 + 24 hours → Monday 10:00. `availability` only matters for
/// `DeadlinePolicy::Availability`.
pub fn deadline(
    cal: &BusinessCalendar,
    policy: &DeadlinePolicy,
    availability: Availability,
    effective: DateTime<Tz>,
) -> DateTime<Tz> {
    let effective = effective.with_timezone(&LIMA);
    let days = match *policy {
        DeadlinePolicy::Hours(h) => return after_business_hours(cal, effective, h),
        DeadlinePolicy::BusinessDays(n) => n,
        DeadlinePolicy::Availability { high, medium, low } => match availability {
            Availability::High => high,
            Availability::Medium => medium,
            Availability::Low => low,
        },
    };
    let start = effective.date_naive();
    let day = match days {
        // Only reachable by building a policy by hand: "today", or the next business day if today is not one.
        0 if !cal.is_business_day(start) => cal.next_business_day(start),
        n => cal.add_business_days(start, n),
    };
    end_of(day)
}

/// The last second of `date` in Lima: what "by the end of the day" means to a citizen.
fn end_of(date: NaiveDate) -> DateTime<Tz> {
    lima_at(
        date,
        NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN),
    )
}

/// `hours` of clock time from `start`, skipping whole non-working days.
fn after_business_hours(cal: &BusinessCalendar, start: DateTime<Tz>, hours: u32) -> DateTime<Tz> {
    let mut now = start;
    let mut remaining = Duration::hours(i64::from(hours));
    loop {
        let date = now.date_naive();
        if !cal.is_business_day(date) {
            now = lima_at(cal.next_business_day(date), NaiveTime::MIN);
            continue;
        }
        let Some(tomorrow) = date.succ_opt() else {
            return now;
        };
        let left_today = lima_at(tomorrow, NaiveTime::MIN) - now;
        if remaining < left_today {
            return now + remaining;
        }
        if remaining == left_today {
            // Exactly midnight would fall on the next (maybe non-working) day; the end of today is the same deadline.
            return end_of(date);
        }
        remaining -= left_today;
        now = lima_at(cal.next_business_day(date), NaiveTime::MIN);
    }
}
