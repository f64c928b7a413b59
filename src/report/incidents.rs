//! The incident coordinator's reports (002 §8.3.2 and §9.3): the daily consolidated report of the incidents that
//! came in and those solved or answered (002 §8.3.2.3, §9.3.1 «Sobre el reporte de las incidencias»), the
//! statistics of recurring incidents — (i) distribution by origin, (ii) cumulative frequency, (iii) the TOP, most
//! frequent (002 §8.3.2.2) — and the month's indicators (002 §9.3.4): total incidents, % resolved by each level of
//! attention, compliance of each level against its limit (002 §9.3.2), and the time each unit took apart from the
//! first level's own.
//!
//! Pure: [`IncidentRecord`]s (register entries plus what the derivations say) and the calendar in, values out.
//! An incident that was never derived stayed at the first level; the level, unit and times of a derivation are
//! filled by the caller from the store's derivation rows.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

use super::business_time::{business_minutes, hours};
use super::register::RegisterEntry;
use super::ReportContext;
use crate::calendar::{BusinessCalendar, LIMA};
use crate::spanish;
use crate::vocabulary::{AttentionKind, UnitLevel};
use crate::workflow::unit_late_at;

/// How many classifications the TOP table shows (more when the last place is tied).
pub const TOP_SIZE: usize = 10;

/// A level of attention (002 §7.2–7.4, §9.3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// The UAUS assistant: tells the citizen the same day that the incident was reported.
    First,
    /// A directorate's specialists (specialised topics).
    Second,
    /// The technical units (how the system works).
    Third,
}

impl From<UnitLevel> for Level {
    /// A unit's level as the reports count it (the first level is the office, never a unit).
    fn from(level: UnitLevel) -> Level {
        match level {
            UnitLevel::Second => Level::Second,
            UnitLevel::Third => Level::Third,
        }
    }
}

impl Level {
    /// Every level, in order.
    pub const ALL: [Level; 3] = [Level::First, Level::Second, Level::Third];

    /// The level from its number (1, 2 or 3).
    pub fn from_number(n: u8) -> Option<Level> {
        match n {
            1 => Some(Level::First),
            2 => Some(Level::Second),
            3 => Some(Level::Third),
            _ => None,
        }
    }

    /// As the reports name it.
    pub const fn spanish(self) -> &'static str {
        match self {
            Level::First => "Primer nivel",
            Level::Second => "Segundo nivel",
            Level::Third => "Tercer nivel",
        }
    }

    /// The most business days the level has to answer an incident, counted from the day it received it (002
    /// §9.3.2): the first level the same day (0), the second at most 5 (at least 1), the third at most 5 (at
    /// least 2).
    pub const fn limit_business_days(self) -> i64 {
        match self {
            Level::First => 0,
            Level::Second | Level::Third => 5,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.spanish())
    }
}

/// One unit's hold of an incident: from the derivation to its answer, or to its raising it to the next level.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitHold {
    /// The unit.
    pub unit: String,
    /// Its level (second or third).
    pub level: Level,
    /// When it received the incident.
    pub derived_at: DateTime<Utc>,
    /// Its own due instant, when the derivation recorded one (else the level's limit counts).
    pub due_at: Option<DateTime<Utc>>,
    /// When it answered, or raised it.
    pub closed_at: Option<DateTime<Utc>>,
    /// Whether it was closed by raising it to the next level rather than answering.
    pub raised: bool,
}

impl UnitHold {
    /// When it closed, as of `now` (a close after `now` is not seen).
    fn closed_by(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.closed_at.filter(|at| *at <= now)
    }

    /// Whether the unit acted within its limit, as of `now`; `None`: still open and in time.
    ///
    /// A second-level unit that raises an incident must do so the day it receives it (002 §9.3.2: «las direcciones
    /// de segundo nivel deben elevarla el mismo día en que la reciben»); an answer is due by the unit's own due
    /// instant when recorded, else within the level's business days from the day it received it (002 §9.3.2).
    pub fn in_time(&self, calendar: &BusinessCalendar, now: DateTime<Utc>) -> Option<bool> {
        let closed = self.closed_by(now);
        if self.raised {
            return closed.map(|at| lima_day(at) <= lima_day(self.derived_at));
        }
        match self.due_at {
            Some(due) => match closed {
                Some(at) => Some(!unit_late_at(due, at)),
                None if unit_late_at(due, now) => Some(false),
                None => None,
            },
            None => {
                let limit = calendar.add_business_days(
                    lima_day(self.derived_at),
                    self.level.limit_business_days() as u32,
                );
                match closed {
                    Some(at) => Some(lima_day(at) <= limit),
                    None if lima_day(now) > limit => Some(false),
                    None => None,
                }
            }
        }
    }
}

/// An incident as the coordinator follows it: its register entry, and the units that held it.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentRecord {
    /// The register's line (its answer is the final answer to the citizen).
    pub entry: RegisterEntry,
    /// When the citizen was told the incident was reported (the acknowledgement sent), if known.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// The units that held it, in derivation order; empty: it stayed at the first level.
    pub holds: Vec<UnitHold>,
}

impl IncidentRecord {
    /// An incident that stayed at the first level (never derived).
    pub fn first_level(entry: RegisterEntry, acknowledged_at: Option<DateTime<Utc>>) -> Self {
        IncidentRecord {
            entry,
            acknowledged_at,
            holds: Vec::new(),
        }
    }

    /// The highest level it reached.
    pub fn level(&self) -> Level {
        self.holds
            .iter()
            .map(|h| h.level)
            .max()
            .unwrap_or(Level::First)
    }

    /// The unit holding it last, if it was derived.
    pub fn unit(&self) -> Option<&str> {
        self.holds.last().map(|h| h.unit.as_str())
    }

    /// When it was first derived: the end of the first level's own time before the units.
    pub fn derived_at(&self) -> Option<DateTime<Utc>> {
        self.holds.first().map(|h| h.derived_at)
    }

    /// When the last unit's answer came back (not a raise), as of `now`.
    pub fn unit_answered_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.holds
            .last()
            .filter(|h| !h.raised)
            .and_then(|h| h.closed_by(now))
    }

    /// The unit as the report shows it: its name, or «Primer nivel».
    pub fn holder(&self) -> &str {
        self.unit().unwrap_or(Level::First.spanish())
    }

    /// The origin (002 §8.3.2.2 «tipificación de origen»): the area the rules decided, else the folder.
    pub fn origin(&self) -> String {
        let area = self.entry.area();
        if area.is_empty() {
            "(sin área)".to_string()
        } else {
            area.to_string()
        }
    }

    /// The classification: the rule's category.
    pub fn classification(&self) -> &str {
        &self.entry.row.category
    }

    /// The state as the coordinator reads it, as of `now`.
    pub fn state(&self, now: DateTime<Utc>) -> &'static str {
        match (
            self.entry.answered_at,
            self.holds.is_empty(),
            self.unit_answered_at(now),
        ) {
            (Some(_), _, _) => "Atendida",
            (None, false, Some(_)) => "Respuesta de la unidad recibida",
            (None, false, None) => "En la unidad",
            (None, true, _) => "En el primer nivel",
        }
    }

    /// Business days it has been open: from its effective received day to the final answer's day, or to `day`
    /// when not answered by then.
    pub fn days_open(&self, calendar: &BusinessCalendar, day: NaiveDate) -> i64 {
        let from = lima_day(self.entry.row.effective_received_at);
        let to = self.entry.answered_at.map_or(day, lima_day);
        calendar.business_days_between(from, to).max(0)
    }

    /// Whether the first level did its part the same day, as of `now` (002 §9.3.2): told the citizen the day the
    /// incident came in («Esta respuesta se emite el mismo día»: the acknowledgement, or the final answer when no
    /// acknowledgement is known), and, once a unit answered, sent the final answer the day that answer came
    /// («para ser remitida el mismo día»). `None`: not yet, and the day is not over.
    pub fn first_level_in_time(&self, now: DateTime<Utc>) -> Option<bool> {
        let on_the_day = |day: NaiveDate, done: Option<DateTime<Utc>>| match done {
            Some(at) => Some(lima_day(at) <= day),
            None if lima_day(now) > day => Some(false),
            None => None,
        };
        let answered = self.entry.answered_at.filter(|at| *at <= now);
        let told = [self.acknowledged_at.filter(|at| *at <= now), answered]
            .into_iter()
            .flatten()
            .min();
        let reported = on_the_day(lima_day(self.entry.row.effective_received_at), told);
        let relayed = self
            .unit_answered_at(now)
            .and_then(|back| on_the_day(lima_day(back), answered));
        let back = self.unit_answered_at(now).is_some();
        if reported == Some(false) || relayed == Some(false) {
            Some(false)
        } else if reported.is_none() || (back && relayed.is_none()) {
            None
        } else {
            Some(true)
        }
    }

    /// Whether `hold` (one of this incident's) was in time, as of `now` ([`UnitHold::in_time`]); a hold never
    /// closed is not late once the citizen got the final answer (the first level answered without the unit).
    pub fn hold_in_time(
        &self,
        hold: &UnitHold,
        calendar: &BusinessCalendar,
        now: DateTime<Utc>,
    ) -> Option<bool> {
        let answered = self.entry.answered_at.is_some_and(|at| at <= now);
        if answered && hold.closed_by(now).is_none() {
            return None;
        }
        hold.in_time(calendar, now)
    }

    /// The first level's own business hours, as of `ctx.now`: reception to the first derivation plus the last
    /// unit's answer to the final answer; reception to the answer when never derived. `None` until answered
    /// (or, derived, until derived).
    fn first_level_hours(&self, ctx: &ReportContext<'_>) -> Option<f64> {
        let bh = |from, to| {
            hours(business_minutes(
                ctx.calendar,
                ctx.reception(&self.entry.row.mailbox),
                from,
                to,
            ))
        };
        let received = self.entry.row.effective_received_at;
        match (self.derived_at(), self.entry.answered_at) {
            (None, Some(answered)) => Some(bh(received, answered)),
            (None, None) => None,
            (Some(derived), answered) => {
                let mut own = bh(received, derived);
                if let (Some(back), Some(answered)) = (self.unit_answered_at(ctx.now), answered) {
                    own += bh(back, answered);
                }
                Some(own)
            }
        }
    }
}

/// The Lima day of an instant.
fn lima_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&LIMA).date_naive()
}

/// One line of a frequency table (002 §8.3.2.2 (i) and (ii)).
#[derive(Debug, Clone, PartialEq)]
pub struct Frequency {
    /// The origin or classification.
    pub key: String,
    /// How many incidents.
    pub count: u64,
    /// Its share of all (0–1).
    pub share: f64,
    /// This line's and every line above it (cumulative frequency).
    pub cumulative: u64,
    /// The same, as a share (0–1).
    pub cumulative_share: f64,
}

/// The frequency table of `keys`: most frequent first (ties by name), with each line's share and the cumulative
/// count and share down to it.
pub fn frequencies<I, S>(keys: I) -> Vec<Frequency>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for key in keys {
        *counts.entry(key.into()).or_default() += 1;
    }
    let total: u64 = counts.values().sum();
    let mut lines: Vec<(String, u64)> = counts.into_iter().collect();
    // Stable on the BTreeMap's name order, so equal counts keep alphabetical order.
    lines.sort_by_key(|l| std::cmp::Reverse(l.1));
    let mut cumulative = 0;
    lines
        .into_iter()
        .map(|(key, count)| {
            cumulative += count;
            Frequency {
                key,
                count,
                share: count as f64 / total as f64,
                cumulative,
                cumulative_share: cumulative as f64 / total as f64,
            }
        })
        .collect()
}

/// The TOP `n` of a frequency table (002 §8.3.2.2 (iii)): its first `n` lines, and any further line tied with the
/// last of them, so that a tie is never cut arbitrarily.
pub fn top(table: &[Frequency], n: usize) -> Vec<Frequency> {
    let Some(last) = n.checked_sub(1).and_then(|i| table.get(i)) else {
        return table.iter().take(n).cloned().collect();
    };
    table
        .iter()
        .enumerate()
        .take_while(|(i, f)| *i < n || f.count == last.count)
        .map(|(_, f)| f.clone())
        .collect()
}

/// The statistics of recurring incidents over a set of incidents (002 §8.3.2.2).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IncidentStatistics {
    /// How many incidents.
    pub total: u64,
    /// (i) Distribution by origin, with (ii) cumulative frequency.
    pub by_origin: Vec<Frequency>,
    /// Distribution by classification (the rule's category), with cumulative frequency.
    pub by_classification: Vec<Frequency>,
    /// (iii) The TOP classifications, most frequent first.
    pub top: Vec<Frequency>,
}

impl IncidentStatistics {
    /// The statistics of `records`.
    pub fn of(records: &[IncidentRecord]) -> IncidentStatistics {
        let by_classification = frequencies(records.iter().map(|r| r.classification()));
        IncidentStatistics {
            total: records.len() as u64,
            by_origin: frequencies(records.iter().map(|r| r.origin())),
            top: top(&by_classification, TOP_SIZE),
            by_classification,
        }
    }
}

/// The daily consolidated incident report (002 §8.3.2.3, §9.3.1).
#[derive(Debug, Clone, PartialEq)]
pub struct DailyIncidentReport {
    /// The day reported.
    pub date: NaiveDate,
    /// The instant it is counted at: the end of that day, or the report's time if earlier.
    pub as_of: DateTime<Utc>,
    /// The incidents that came in that day (effective received day).
    pub received: Vec<IncidentRecord>,
    /// The incidents solved and answered to the citizen that day, whenever they came in.
    pub solved: Vec<IncidentRecord>,
    /// The running statistics: every incident of the month up to the end of that day.
    pub statistics: IncidentStatistics,
}

impl DailyIncidentReport {
    /// The report of `date` as of `as_of` from the incidents of its month up to its end (`month`: others are ignored) and
    /// those answered that day (`answered`, whenever received).
    pub fn compute(
        date: NaiveDate,
        as_of: DateTime<Utc>,
        month: Vec<IncidentRecord>,
        answered: Vec<IncidentRecord>,
    ) -> DailyIncidentReport {
        let month: Vec<IncidentRecord> = month
            .into_iter()
            .filter(|r| r.entry.row.kind == AttentionKind::Incident)
            .filter(|r| lima_day(r.entry.row.effective_received_at) <= date)
            .collect();
        let received = month
            .iter()
            .filter(|r| lima_day(r.entry.row.effective_received_at) == date)
            .cloned()
            .collect();
        let solved = answered
            .into_iter()
            .filter(|r| r.entry.row.kind == AttentionKind::Incident)
            .filter(|r| r.entry.answered_at.map(lima_day) == Some(date))
            .collect();
        DailyIncidentReport {
            date,
            as_of,
            received,
            solved,
            statistics: IncidentStatistics::of(&month),
        }
    }
}

/// One level's share and compliance in a month (002 §9.3.4 «Porcentaje mensual de incidencias resueltas por cada
/// nivel de atención»; §9.3.2 limits).
#[derive(Debug, Clone, PartialEq)]
pub struct LevelIndicators {
    /// The level.
    pub level: Level,
    /// Incidents whose highest level was this one.
    pub reached: u64,
    /// Of those, answered to the citizen (resolved at this level).
    pub resolved: u64,
    /// `resolved` over all the month's incidents.
    pub resolved_share: Option<f64>,
    /// Incidents this level acted on in time (first level: told the citizen the same day; units: answered within
    /// their limit).
    pub in_time: u64,
    /// Incidents this level failed its limit on.
    pub late: u64,
    /// `in_time / (in_time + late)`.
    pub compliance: Option<f64>,
    /// Mean business hours this level took: the first level its own time (reception to derivation, and the
    /// unit's answer to the final answer; reception to answer when not derived); a unit level from derivation to
    /// the unit's answer.
    pub average_hours: Option<f64>,
}

/// One unit's time (issue 18: the time each unit took, apart from the first level's own).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitTime {
    /// The unit.
    pub unit: String,
    /// Incidents derived to it.
    pub derived: u64,
    /// Answered (or raised to the next level) by it.
    pub answered: u64,
    /// Answered within its limit.
    pub in_time: u64,
    /// Mean business hours from derivation to its answer (or raise).
    pub average_hours: Option<f64>,
}

/// What the indicators say of «Porcentaje mensual de incidencias direccionadas correctamente» (002 §9.3.4): triaje
/// does not yet know when a derivation went to the wrong unit.
pub const CORRECTLY_DIRECTED_NOT_MEASURED: &str =
    "no medido todavía: triaje aún no registra cuándo una unidad devuelve una incidencia que no le correspondía";

/// The month's incident indicators (002 §9.3.4), the `Incidencias` sheet.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IncidentIndicators {
    /// Statistics: total, by origin with cumulative frequency, by classification, TOP.
    pub statistics: IncidentStatistics,
    /// Each level, first to third.
    pub levels: Vec<LevelIndicators>,
    /// Each unit that received incidents, by name.
    pub units: Vec<UnitTime>,
}

/// The mean, or `None` when empty.
fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

impl IncidentIndicators {
    /// The indicators of the month's `records` (incidents only count), as of `ctx.now`.
    pub fn compute(records: &[IncidentRecord], ctx: &ReportContext<'_>) -> IncidentIndicators {
        let records: Vec<IncidentRecord> = records
            .iter()
            .filter(|r| r.entry.row.kind == AttentionKind::Incident)
            .cloned()
            .collect();
        let total = records.len() as u64;
        let now = ctx.now;
        let hold_hours = |r: &IncidentRecord, h: &UnitHold| {
            h.closed_by(now).map(|closed| {
                hours(business_minutes(
                    ctx.calendar,
                    ctx.reception(&r.entry.row.mailbox),
                    h.derived_at,
                    closed,
                ))
            })
        };
        let tally = |verdicts: &mut dyn Iterator<Item = Option<bool>>| {
            verdicts.fold((0, 0), |(yes, no), v| match v {
                Some(true) => (yes + 1, no),
                Some(false) => (yes, no + 1),
                None => (yes, no),
            })
        };
        let levels = Level::ALL
            .into_iter()
            .map(|level| {
                let reached: Vec<&IncidentRecord> =
                    records.iter().filter(|r| r.level() == level).collect();
                let resolved = reached
                    .iter()
                    .filter(|r| r.entry.answered_at.is_some())
                    .count() as u64;
                // The first level acts on every incident; a unit level on each hold at that level.
                let ((in_time, late), times) = if level == Level::First {
                    (
                        tally(&mut records.iter().map(|r| r.first_level_in_time(now))),
                        records
                            .iter()
                            .filter_map(|r| r.first_level_hours(ctx))
                            .collect::<Vec<_>>(),
                    )
                } else {
                    let holds: Vec<(&IncidentRecord, &UnitHold)> = records
                        .iter()
                        .flat_map(|r| r.holds.iter().map(move |h| (r, h)))
                        .filter(|(_, h)| h.level == level)
                        .collect();
                    (
                        tally(
                            &mut holds
                                .iter()
                                .map(|(r, h)| r.hold_in_time(h, ctx.calendar, now)),
                        ),
                        holds.iter().filter_map(|(r, h)| hold_hours(r, h)).collect(),
                    )
                };
                LevelIndicators {
                    level,
                    reached: reached.len() as u64,
                    resolved,
                    resolved_share: (total > 0).then(|| resolved as f64 / total as f64),
                    in_time,
                    late,
                    compliance: (in_time + late > 0)
                        .then(|| in_time as f64 / (in_time + late) as f64),
                    average_hours: mean(&times),
                }
            })
            .collect();
        let mut units: BTreeMap<String, (UnitTime, Vec<f64>)> = BTreeMap::new();
        for r in &records {
            for h in &r.holds {
                let (u, times) = units.entry(h.unit.clone()).or_insert_with(|| {
                    (
                        UnitTime {
                            unit: h.unit.clone(),
                            derived: 0,
                            answered: 0,
                            in_time: 0,
                            average_hours: None,
                        },
                        Vec::new(),
                    )
                });
                u.derived += 1;
                if let Some(spent) = hold_hours(r, h) {
                    u.answered += 1;
                    times.push(spent);
                }
                if r.hold_in_time(h, ctx.calendar, now) == Some(true) {
                    u.in_time += 1;
                }
            }
        }
        IncidentIndicators {
            statistics: IncidentStatistics::of(&records),
            levels,
            units: units
                .into_values()
                .map(|(mut u, times)| {
                    u.average_hours = mean(&times);
                    u
                })
                .collect(),
        }
    }
}

impl fmt::Display for IncidentIndicators {
    /// The lines the indicators command prints about incidents.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Incidencias del mes (002 §9.3.4): {}",
            self.statistics.total
        )?;
        if self.statistics.total == 0 {
            return Ok(());
        }
        for l in &self.levels {
            writeln!(
                f,
                "  {}: {} resueltas ({} del total), {} en plazo de {} ({}), promedio {}",
                l.level,
                l.resolved,
                spanish::percent(l.resolved_share),
                l.in_time,
                l.in_time + l.late,
                spanish::percent(l.compliance),
                spanish::hours(l.average_hours)
            )?;
        }
        writeln!(
            f,
            "  Direccionadas correctamente: {CORRECTLY_DIRECTED_NOT_MEASURED}"
        )?;
        let top: Vec<String> = self
            .statistics
            .top
            .iter()
            .map(|t| format!("{} ({})", t.key, t.count))
            .collect();
        writeln!(f, "  Más frecuentes: {}", top.join(", "))?;
        for u in &self.units {
            writeln!(
                f,
                "  {}: {} derivadas, {} respondidas, {} en plazo, promedio {}",
                u.unit,
                u.derived,
                u.answered,
                u.in_time,
                spanish::hours(u.average_hours)
            )?;
        }
        Ok(())
    }
}

/// The business day whose incident report is due at `now`: today once `send_at` (Lima) has passed on a business
/// day, else the most recent business day before. A daemon that was stopped at `send_at` sends the report when
/// it comes back (the outbox keeps one per day, so never twice). `None` only for a calendar without business days.
pub fn report_day(
    calendar: &BusinessCalendar,
    send_at: chrono::NaiveTime,
    now: DateTime<Utc>,
) -> Option<NaiveDate> {
    let local = now.with_timezone(&LIMA);
    let mut day = local.date_naive();
    if local.time() < send_at {
        day = day.pred_opt()?;
    }
    // A year is more than any run of holidays and weekends.
    (0..366).find_map(|_| {
        let found = calendar.is_business_day(day).then_some(day);
        day = day.pred_opt().unwrap_or(day);
        found
    })
}

#[cfg(test)]
mod tests;
