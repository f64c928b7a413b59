//! Which days count: Monday to Friday, minus holidays, decreed days and the office's own days off.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};

use super::calendar_file::{self, AnnualRule, CalendarFile, EasterRule};
use super::easter::easter_sunday;
use super::error::CalendarError;
use crate::toml_error::Located;

/// The national calendar shipped inside the binary (`calendar/peru.toml`).
const NATIONAL_TEXT: &str = include_str!("../../calendar/peru.toml");

/// How the embedded file is named in messages.
const NATIONAL_ORIGIN: &str = "calendario nacional (calendar/peru.toml)";

/// Why a day does not count as a business day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NonWorkingReason {
    /// Saturday or Sunday.
    Weekend,
    /// A national holiday set by law (D.Leg. 713 and later laws).
    Holiday,
    /// A non-working day the government decreed for the public sector (a supreme decree).
    Decreed,
    /// A day off of this office or region only (a regional holiday, a closure), from the administrator's file.
    Local,
}

impl NonWorkingReason {
    /// Which reason is shown when several apply to one day: a holiday on a Sunday is shown as the holiday.
    fn rank(self) -> u8 {
        match self {
            NonWorkingReason::Holiday => 0,
            NonWorkingReason::Decreed => 1,
            NonWorkingReason::Local => 2,
            NonWorkingReason::Weekend => 3,
        }
    }
}

/// A day that does not count, and why, so reports and `calendar` output can cite the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonWorking {
    /// The kind of day off.
    pub reason: NonWorkingReason,
    /// Its name ("Fiestas Patrias", "sábado").
    pub name: String,
    /// The norm that sets it ("D.Leg. 713, art. 6", "D.S. 042-2025-PCM").
    pub source: String,
}

/// One day of a listing: the date, its Spanish weekday and why it does not count (if it does not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayInfo {
    /// The date.
    pub date: NaiveDate,
    /// The weekday in Spanish, lower case ("lunes").
    pub weekday: &'static str,
    /// `None` for a business day.
    pub non_working: Option<NonWorking>,
}

/// The business calendar of the Peruvian public sector, possibly extended with an office's own days.
///
/// Pure: every question takes a date and answers from the loaded rules; nothing reads the clock.
#[derive(Debug, Clone)]
pub struct BusinessCalendar {
    /// Fixed-date rules by (month, day): national holidays and annual local days.
    annual: HashMap<(u32, u32), Vec<AnnualRule>>,
    /// Easter-relative holidays.
    easter: Vec<EasterRule>,
    /// Single dates: decreed days and one-off local days (the higher-ranked reason kept per date).
    dated: HashMap<NaiveDate, NonWorking>,
    /// Up to which date decrees were checked (the latest of the files that say it).
    decreed_until: Option<NaiveDate>,
    /// What the administrator should know about the loaded calendar.
    warnings: Vec<String>,
    /// Weekend answers, built once so lookups can hand out references.
    saturday: NonWorking,
    /// See `saturday`.
    sunday: NonWorking,
}

impl BusinessCalendar {
    /// The national calendar embedded in the binary. It is checked by a unit test, so it cannot fail here.
    pub fn peru_default() -> BusinessCalendar {
        static NATIONAL: OnceLock<BusinessCalendar> = OnceLock::new();
        NATIONAL
            .get_or_init(|| {
                BusinessCalendar::from_toml_str(NATIONAL_TEXT, NATIONAL_ORIGIN, false)
                    .unwrap_or_else(|e| panic!("the embedded calendar/peru.toml is invalid: {e}"))
            })
            .clone()
    }

    /// Loads the administrator's calendar file. It extends the national calendar unless it says
    /// `include_national = false`.
    pub fn load(path: &Path) -> Result<BusinessCalendar, CalendarError> {
        let text = std::fs::read_to_string(path).map_err(|source| CalendarError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        BusinessCalendar::from_toml_str(&text, &path.display().to_string(), true)
    }

    /// Builds a calendar from the text of a calendar file. `origin` names the file in messages.
    /// `include_national_default` says whether the embedded national calendar is added when the file does not
    /// say `include_national` itself (`true` for administrators' files).
    pub fn from_toml_str(
        text: &str,
        origin: &str,
        include_national_default: bool,
    ) -> Result<BusinessCalendar, CalendarError> {
        let file = calendar_file::parse(text, origin)?;
        let mut files = Vec::new();
        if file.include_national.unwrap_or(include_national_default) {
            // The embedded file is parsed on its own (never with include_national) so it cannot recurse.
            files.push(calendar_file::parse(NATIONAL_TEXT, NATIONAL_ORIGIN)?);
        }
        files.push(file);
        BusinessCalendar::from_files(files, origin)
    }

    /// Merges validated files; later files add to earlier ones.
    fn from_files(
        files: Vec<CalendarFile>,
        origin: &str,
    ) -> Result<BusinessCalendar, CalendarError> {
        let mut cal = BusinessCalendar {
            annual: HashMap::new(),
            easter: Vec::new(),
            dated: HashMap::new(),
            decreed_until: None,
            warnings: Vec::new(),
            saturday: weekend("sábado"),
            sunday: weekend("domingo"),
        };
        let mut latest_decree: Option<(NaiveDate, String)> = None;
        for file in files {
            cal.decreed_until = cal.decreed_until.max(file.decreed_until);
            for rule in file.annual {
                cal.annual
                    .entry((rule.month, rule.day))
                    .or_default()
                    .push(rule);
            }
            cal.easter.extend(file.easter);
            for (date, day_off) in file.dated {
                if day_off.reason == NonWorkingReason::Decreed
                    && latest_decree.as_ref().is_none_or(|(d, _)| date > *d)
                {
                    latest_decree = Some((date, file.origin.clone()));
                }
                match cal.dated.get(&date) {
                    Some(kept) if kept.reason.rank() <= day_off.reason.rank() => {}
                    _ => {
                        cal.dated.insert(date, day_off);
                    }
                }
            }
        }
        cal.check_has_business_days(origin)?;
        cal.warnings = cal.coverage_warnings(latest_decree);
        Ok(cal)
    }

    /// Refuses a calendar whose local days leave a year with no business day at all: every deadline in it
    /// would be searched for forever.
    fn check_has_business_days(&self, origin: &str) -> Result<(), CalendarError> {
        for year in 2000..=2100 {
            let mut day = NaiveDate::from_ymd_opt(year, 1, 1);
            let found = std::iter::from_fn(|| {
                let d = day?;
                day = d.succ_opt().filter(|n| n.year() == year);
                Some(d)
            })
            .any(|d| self.is_business_day(d));
            if !found {
                return Err(CalendarError::Invalid(Located::at(
                    origin,
                    "",
                    0,
                    format!(
                        "el calendario no deja ningún día hábil en el año {year}: revise los días [[local]] \
                         con fecha MM-DD"
                    ),
                )));
            }
        }
        Ok(())
    }

    /// What the administrator must keep up to date: decrees are published a few at a time, and a missing one
    /// makes deadlines one day early.
    fn coverage_warnings(&self, latest_decree: Option<(NaiveDate, String)>) -> Vec<String> {
        let mut warnings = Vec::new();
        match self.decreed_until {
            Some(until) => warnings.push(format!(
                "los días no laborables decretados para el sector público se conocen solo hasta el {}: \
                 revise si hay nuevos decretos supremos en El Peruano, agréguelos como [[decreed]] en su \
                 archivo de calendario y actualice decreed_until",
                until.format("%d/%m/%Y")
            )),
            None => warnings.push(
                "el calendario no indica hasta qué fecha se revisaron los decretos supremos (decreed_until): \
                 los días no laborables decretados que falten harán que los plazos venzan antes"
                    .to_string(),
            ),
        }
        if let (Some(until), Some((latest, origin))) = (self.decreed_until, latest_decree) {
            if latest > until {
                warnings.push(format!(
                    "{origin}: hay un día decretado el {} posterior a decreed_until ({}): actualice decreed_until \
                     a la fecha hasta la que revisó los decretos",
                    latest.format("%d/%m/%Y"),
                    until.format("%d/%m/%Y")
                ));
            }
        }
        warnings
    }

    /// Whether `date` is a business day of the public sector.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        self.lookup(date).is_none()
    }

    /// Why `date` is not a business day, or `None` if it is one. When several reasons apply, a holiday is
    /// shown before a decree, a decree before a local day, and any of them before the weekend.
    pub fn non_working(&self, date: NaiveDate) -> Option<NonWorking> {
        self.lookup(date).cloned()
    }

    /// The reason for `date`, borrowed: deadlines ask this for every day they count.
    fn lookup(&self, date: NaiveDate) -> Option<&NonWorking> {
        let year = date.year();
        let annual = self
            .annual
            .get(&(date.month(), date.day()))
            .into_iter()
            .flatten()
            .filter(move |r| r.years.contains(year))
            .map(|r| &r.day_off);
        // Easter is only computed when some rule needs it (an office file may have none).
        let offset = (!self.easter.is_empty()).then(|| (date - easter_sunday(year)).num_days());
        let easter = self
            .easter
            .iter()
            .filter(move |r| Some(r.offset) == offset && r.years.contains(year))
            .map(|r| &r.day_off);
        let weekend = match date.weekday() {
            Weekday::Sat => Some(&self.saturday),
            Weekday::Sun => Some(&self.sunday),
            _ => None,
        };
        // No allocation: deadlines ask this for every day they count. `min_by_key` keeps the first of equals,
        // so the earliest file wins a tie.
        annual
            .chain(easter)
            .chain(self.dated.get(&date))
            .chain(weekend)
            .min_by_key(|c| c.reason.rank())
    }

    /// The first business day strictly after `date`.
    pub fn next_business_day(&self, date: NaiveDate) -> NaiveDate {
        let mut d = date;
        loop {
            match d.succ_opt() {
                Some(next) => d = next,
                // The end of chrono's calendar (year 262143): nothing later exists to return.
                None => return d,
            }
            if self.is_business_day(d) {
                return d;
            }
        }
    }

    /// The `n`-th business day after `date` (`date` itself is not counted; `n = 0` returns `date`).
    pub fn add_business_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        (0..n).fold(date, |d, _| self.next_business_day(d))
    }

    /// The number of business days after `from` up to and including `to`; negative when `to` is before
    /// `from` (then the business days after `to` up to and including `from`). For "days late" indicators.
    pub fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let count = |a: NaiveDate, b: NaiveDate| {
            a.iter_days()
                .skip(1)
                .take_while(|d| *d <= b)
                .filter(|d| self.is_business_day(*d))
                .count() as i64
        };
        if to >= from {
            count(from, to)
        } else {
            -count(to, from)
        }
    }

    /// Every day from `first` to `last`, both included, with its weekday and reason for not counting.
    pub fn days(&self, first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = DayInfo> + '_ {
        first
            .iter_days()
            .take_while(move |d| *d <= last)
            .map(move |date| DayInfo {
                date,
                weekday: crate::spanish::weekday(date.weekday()),
                non_working: self.non_working(date),
            })
    }

    /// What the administrator should know about this calendar (shown at start-up and by `calendar`).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The date up to which the government's decreed non-working days are known.
    pub fn decreed_until(&self) -> Option<NaiveDate> {
        self.decreed_until
    }
}

/// The answer for Saturdays and Sundays: the public sector works Monday to Friday.
fn weekend(name: &str) -> NonWorking {
    NonWorking {
        reason: NonWorkingReason::Weekend,
        name: name.to_string(),
        source: "jornada de lunes a viernes".to_string(),
    }
}
