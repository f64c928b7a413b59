//! The calendar file format (documented at the top of `calendar/peru.toml`) and its validation into rules.
//!
//! Parsing is strict: unknown keys, dates that do not exist and years out of range are errors with the
//! file's line and column, because a silently ignored holiday moves every deadline around it.

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use super::business_calendar::{NonWorking, NonWorkingReason};
use super::error::CalendarError;

/// Years accepted in `since` / `until`: wide enough for any real law, narrow enough to catch typos (`20245`).
const YEARS: std::ops::RangeInclusive<i64> = 1900..=2200;

/// Offsets accepted in `[[easter]]`. Within ±70 days of Easter (22 March–25 April) the date always stays
/// in the same calendar year, which keeps the lookup to one computus per year; Corpus Christi (+60) fits.
const EASTER_OFFSETS: std::ops::RangeInclusive<i64> = -70..=70;

/// The file as written; kept private so only validated rules leave this module.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    decreed_until: Option<Spanned<toml::Value>>,
    include_national: Option<bool>,
    #[serde(default)]
    holiday: Vec<RawAnnual>,
    #[serde(default)]
    easter: Vec<RawEaster>,
    #[serde(default)]
    decreed: Vec<RawDated>,
    #[serde(default)]
    local: Vec<RawAnnual>,
}

/// `[[holiday]]` and `[[local]]`: a date (MM-DD every year, or a full date for `[[local]]`), with years.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnnual {
    date: Spanned<toml::Value>,
    name: Spanned<String>,
    source: Spanned<String>,
    since: Option<Spanned<i64>>,
    until: Option<Spanned<i64>>,
}

/// `[[easter]]`: an offset in days from Easter Sunday.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEaster {
    offset: Spanned<i64>,
    name: Spanned<String>,
    source: Spanned<String>,
    since: Option<Spanned<i64>>,
    until: Option<Spanned<i64>>,
}

/// `[[decreed]]`: one full date.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDated {
    date: Spanned<toml::Value>,
    name: Spanned<String>,
    source: Spanned<String>,
}

/// The years in which a recurring rule applies (both ends included; `None` = unbounded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Years {
    pub since: Option<i32>,
    pub until: Option<i32>,
}

impl Years {
    /// Whether the rule applies in `year`.
    pub fn contains(self, year: i32) -> bool {
        self.since.is_none_or(|s| year >= s) && self.until.is_none_or(|u| year <= u)
    }
}

/// A day off on the same month and day every year (a national holiday or a regional one).
#[derive(Debug, Clone)]
pub(crate) struct AnnualRule {
    pub month: u32,
    pub day: u32,
    pub years: Years,
    pub day_off: NonWorking,
}

/// A day off counted from Easter Sunday.
#[derive(Debug, Clone)]
pub(crate) struct EasterRule {
    pub offset: i64,
    pub years: Years,
    pub day_off: NonWorking,
}

/// One validated calendar file.
#[derive(Debug, Clone)]
pub(crate) struct CalendarFile {
    /// Where the file came from, for warnings.
    pub origin: String,
    /// The date up to which decrees were checked.
    pub decreed_until: Option<NaiveDate>,
    /// `include_national`, if the file says it.
    pub include_national: Option<bool>,
    /// Fixed-date rules, holidays and annual local days.
    pub annual: Vec<AnnualRule>,
    /// Easter-relative rules.
    pub easter: Vec<EasterRule>,
    /// Single dates: decreed days and one-off local days.
    pub dated: Vec<(NaiveDate, NonWorking)>,
}

/// A date as written: `MM-DD` (every year) or a full date.
enum WrittenDate {
    Annual { month: u32, day: u32 },
    Full(NaiveDate),
}

/// Parses and validates one calendar file.
pub(crate) fn parse(text: &str, origin: &str) -> Result<CalendarFile, CalendarError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| CalendarError::syntax(origin, text, &e))?;
    let err =
        |span: std::ops::Range<usize>, msg: String| CalendarError::at(origin, text, span, msg);

    let decreed_until = match &raw.decreed_until {
        None => None,
        Some(v) => match written_date(v).map_err(|m| err(v.span(), m))? {
            WrittenDate::Full(d) => Some(d),
            WrittenDate::Annual { .. } => return Err(err(
                v.span(),
                "decreed_until necesita la fecha completa (AAAA-MM-DD), por ejemplo \"2026-12-31\""
                    .into(),
            )),
        },
    };

    let mut file = CalendarFile {
        origin: origin.to_string(),
        decreed_until,
        include_national: raw.include_national,
        annual: Vec::new(),
        easter: Vec::new(),
        dated: Vec::new(),
    };

    for h in raw.holiday {
        let day_off =
            day_off(NonWorkingReason::Holiday, &h.name, &h.source).map_err(|(s, m)| err(s, m))?;
        let years = years(&h.since, &h.until).map_err(|(s, m)| err(s, m))?;
        match written_date(&h.date).map_err(|m| err(h.date.span(), m))? {
            WrittenDate::Annual { month, day } => file.annual.push(AnnualRule { month, day, years, day_off }),
            WrittenDate::Full(_) => {
                return Err(err(
                    h.date.span(),
                    "un feriado [[holiday]] se repite cada año: escriba solo mes y día (MM-DD), por ejemplo \
                     \"07-28\"; para un día de un solo año use [[decreed]] o [[local]]"
                        .into(),
                ))
            }
        }
    }

    for e in raw.easter {
        let day_off =
            day_off(NonWorkingReason::Holiday, &e.name, &e.source).map_err(|(s, m)| err(s, m))?;
        let years = years(&e.since, &e.until).map_err(|(s, m)| err(s, m))?;
        let offset = *e.offset.get_ref();
        if !EASTER_OFFSETS.contains(&offset) {
            return Err(err(
                e.offset.span(),
                format!(
                    "offset = {offset} está fuera del rango admitido ({} a {} días desde el Domingo de \
                     Resurrección); Jueves Santo es -3 y Viernes Santo -2",
                    EASTER_OFFSETS.start(),
                    EASTER_OFFSETS.end()
                ),
            ));
        }
        file.easter.push(EasterRule {
            offset,
            years,
            day_off,
        });
    }

    for d in raw.decreed {
        let day_off =
            day_off(NonWorkingReason::Decreed, &d.name, &d.source).map_err(|(s, m)| err(s, m))?;
        match written_date(&d.date).map_err(|m| err(d.date.span(), m))? {
            WrittenDate::Full(date) => file.dated.push((date, day_off)),
            WrittenDate::Annual { .. } => {
                return Err(err(
                    d.date.span(),
                    "un día decretado [[decreed]] necesita la fecha completa (AAAA-MM-DD), por ejemplo \
                     \"2026-01-02\""
                        .into(),
                ))
            }
        }
    }

    for l in raw.local {
        let day_off =
            day_off(NonWorkingReason::Local, &l.name, &l.source).map_err(|(s, m)| err(s, m))?;
        let years = years(&l.since, &l.until).map_err(|(s, m)| err(s, m))?;
        match written_date(&l.date).map_err(|m| err(l.date.span(), m))? {
            WrittenDate::Annual { month, day } => file.annual.push(AnnualRule {
                month,
                day,
                years,
                day_off,
            }),
            WrittenDate::Full(date) => {
                if let Some(s) = l.since.as_ref().or(l.until.as_ref()) {
                    return Err(err(
                        s.span(),
                        "since y until solo se usan con fechas MM-DD que se repiten cada año; esta fecha \
                         completa ya indica su año"
                            .into(),
                    ));
                }
                file.dated.push((date, day_off))
            }
        }
    }
    Ok(file)
}

/// The name and source of an entry, both required: the office must be able to say why a day is not counted.
fn day_off(
    reason: NonWorkingReason,
    name: &Spanned<String>,
    source: &Spanned<String>,
) -> Result<NonWorking, (std::ops::Range<usize>, String)> {
    if name.get_ref().trim().is_empty() {
        return Err((
            name.span(),
            "name está vacío: escriba el nombre del día, por ejemplo \"Fiestas Patrias\"".into(),
        ));
    }
    if source.get_ref().trim().is_empty() {
        return Err((
            source.span(),
            "source está vacío: escriba la norma que lo dispone, por ejemplo \"D.S. 042-2025-PCM\""
                .into(),
        ));
    }
    Ok(NonWorking {
        reason,
        name: name.get_ref().trim().to_string(),
        source: source.get_ref().trim().to_string(),
    })
}

/// `since` / `until`, checked for range and order.
fn years(
    since: &Option<Spanned<i64>>,
    until: &Option<Spanned<i64>>,
) -> Result<Years, (std::ops::Range<usize>, String)> {
    for y in [since, until].into_iter().flatten() {
        if !YEARS.contains(y.get_ref()) {
            return Err((
                y.span(),
                format!(
                    "el año {} no es válido: escriba un año entre {} y {}",
                    y.get_ref(),
                    YEARS.start(),
                    YEARS.end()
                ),
            ));
        }
    }
    if let (Some(s), Some(u)) = (since, until) {
        if u.get_ref() < s.get_ref() {
            return Err((
                u.span(),
                format!(
                    "until = {} es anterior a since = {}: el día no regiría ningún año",
                    u.get_ref(),
                    s.get_ref()
                ),
            ));
        }
    }
    // The range check above makes these conversions lossless.
    Ok(Years {
        since: since.as_ref().map(|s| *s.get_ref() as i32),
        until: until.as_ref().map(|u| *u.get_ref() as i32),
    })
}

/// Reads `"MM-DD"`, `"AAAA-MM-DD"` or a TOML date literal, and says precisely what is wrong otherwise.
fn written_date(value: &Spanned<toml::Value>) -> Result<WrittenDate, String> {
    let text = match value.get_ref() {
        toml::Value::String(s) => s.trim().to_string(),
        toml::Value::Datetime(dt) => match (dt.date, dt.time) {
            (Some(d), None) => format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
            _ => return Err(format!("«{dt}» lleva hora: escriba solo la fecha, por ejemplo \"2026-01-02\"")),
        },
        other => {
            return Err(format!(
                "la fecha debe ir entre comillas, como \"07-28\" o \"2026-01-02\" (se encontró {other})"
            ))
        }
    };
    let parts: Vec<&str> = text.split('-').collect();
    let all_digits = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    match parts.as_slice() {
        [m, d] if all_digits && m.len() == 2 && d.len() == 2 => {
            let (month, day) = (m.parse::<u32>().unwrap_or(0), d.parse::<u32>().unwrap_or(0));
            // 2000 is a leap year, so 02-29 is accepted (it then applies in leap years only).
            if NaiveDate::from_ymd_opt(2000, month, day).is_none() {
                return Err(format!("la fecha «{text}» no existe: escriba mes-día (MM-DD), por ejemplo \"07-28\""));
            }
            Ok(WrittenDate::Annual { month, day })
        }
        [y, m, d] if all_digits && y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            let date = NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .map_err(|_| format!("la fecha «{text}» no existe"))?;
            Ok(WrittenDate::Full(date))
        }
        _ => Err(format!(
            "«{text}» no es una fecha: escriba AAAA-MM-DD (por ejemplo \"2026-01-02\") o, para un día que se \
             repite cada año, MM-DD (por ejemplo \"07-28\")"
        )),
    }
}
