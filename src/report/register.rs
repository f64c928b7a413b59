//! The register of attentions (001 Anexo 1): one entry per consultation, with what was computed for it.

use chrono::{DateTime, Utc};

use super::business_time::{business_minutes, hours};
use super::ReportContext;
use crate::store::RegisterRow;
use crate::workflow::unit_late_at;

/// The only channel triaje attends.
pub const CHANNEL: &str = "Correo electrónico";

/// Whether an attention met its deadline, as of the report's instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compliance {
    /// Answered by its deadline.
    Within,
    /// Answered after its deadline.
    Late,
    /// Not answered and its deadline has passed.
    Overdue,
    /// Not answered, still in time.
    Pending,
}

impl Compliance {
    /// The register's «Dentro del plazo» column: `Sí`, `No`, or `—` while it is still in time.
    ///
    /// An unanswered consultation past its deadline is already `No`: whatever happens next, it was not answered
    /// in time.
    pub fn spanish(self) -> &'static str {
        match self {
            Compliance::Within => "Sí",
            Compliance::Late | Compliance::Overdue => "No",
            Compliance::Pending => "—",
        }
    }
}

/// One line of the register: the stored facts and what they mean.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterEntry {
    /// What the store holds.
    pub row: RegisterRow,
    /// Whether it was answered as of the report's instant (an answer after that instant is not seen).
    pub answered_at: Option<DateTime<Utc>>,
    /// Business hours from the effective received time to the answer (see `business_time`); `None` unanswered.
    pub business_hours: Option<f64>,
    /// Business days from the effective received date to the answer's date (0: answered the same day).
    pub business_days: Option<i64>,
    /// Deadline compliance.
    pub compliance: Compliance,
    /// For an attention not answered as of the report's instant: business days from that day to its deadline's
    /// day (0: due today; negative: that many business days overdue). What a complaint's 30-business-day
    /// clock shows.
    pub business_days_left: Option<i64>,
    /// The highest level of attention that held it: 1 (the office alone), 2 or 3 (002 §7.1–7.3).
    pub level: u8,
    /// The unit holding it now, or the last one that held it; `None` when it was never derived.
    pub unit: Option<String>,
    /// Each unit's own time, in derivation order (derived → answered or raised).
    pub unit_spans: Vec<UnitSpan>,
    /// The first level's own business hours once answered after a derivation: from the effective reception to
    /// the first derivation, plus from the unit's answer to the reply to the citizen.
    pub first_level_hours: Option<f64>,
}

/// The time one unit held an attention (002 §9.3.1: «Medir el cumplimiento del servicio en cada nivel»).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitSpan {
    /// The unit's short name.
    pub unit: String,
    /// 2 or 3.
    pub level: u8,
    /// Business hours from its derivation to its answer (or escalation); `None` while it holds it.
    pub business_hours: Option<f64>,
    /// Whether it answered (or raised it) by its deadline; `None` while it holds it and is in time.
    pub within_deadline: Option<bool>,
}

impl RegisterEntry {
    /// The units' business hours together, once at least one answered or raised it.
    pub fn unit_hours(&self) -> Option<f64> {
        let closed: Vec<f64> = self
            .unit_spans
            .iter()
            .filter_map(|s| s.business_hours)
            .collect();
        (!closed.is_empty()).then(|| closed.iter().sum())
    }
}

impl RegisterEntry {
    /// The entry of `row` as of `ctx.now`.
    pub fn new(row: RegisterRow, ctx: &ReportContext<'_>) -> RegisterEntry {
        let answered_at = row.answered_at.filter(|at| *at <= ctx.now);
        let (business_hours, business_days) = match answered_at {
            Some(at) => {
                let minutes = business_minutes(
                    ctx.calendar,
                    ctx.reception(&row.mailbox),
                    row.effective_received_at,
                    at,
                );
                let from = row
                    .effective_received_at
                    .with_timezone(&crate::calendar::LIMA)
                    .date_naive();
                let to = at.with_timezone(&crate::calendar::LIMA).date_naive();
                (
                    Some(hours(minutes)),
                    Some(ctx.calendar.business_days_between(from, to).max(0)),
                )
            }
            None => (None, None),
        };
        let compliance = match answered_at {
            Some(at) if at <= row.deadline_at => Compliance::Within,
            Some(_) => Compliance::Late,
            None if row.deadline_at < ctx.now => Compliance::Overdue,
            None => Compliance::Pending,
        };
        let reception = ctx.reception(&row.mailbox);
        let unit_spans: Vec<UnitSpan> = row
            .derivations
            .iter()
            .map(|d| {
                let closed = d.answered_at.filter(|at| *at <= ctx.now);
                UnitSpan {
                    unit: d.unit.clone(),
                    level: d.level.number(),
                    business_hours: closed.map(|at| {
                        hours(business_minutes(ctx.calendar, reception, d.derived_at, at))
                    }),
                    within_deadline: match closed {
                        Some(at) => Some(!unit_late_at(d.due_at, at)),
                        // Answered to the citizen without the unit's answer: the unit is not late any more.
                        None if answered_at.is_some() => None,
                        None if unit_late_at(d.due_at, ctx.now) => Some(false),
                        None => None,
                    },
                }
            })
            .collect();
        let level = row
            .derivations
            .iter()
            .map(|d| d.level.number())
            .max()
            .unwrap_or(1);
        let unit = row
            .derivations
            .iter()
            .rev()
            .find(|d| d.state == crate::vocabulary::DerivationState::Open)
            .or(row.derivations.last())
            .map(|d| d.unit.clone());
        let first_level_hours = match (answered_at, row.derivations.first(), row.derivations.last())
        {
            (Some(reply), Some(first), Some(last)) => {
                let before = business_minutes(
                    ctx.calendar,
                    reception,
                    row.effective_received_at,
                    first.derived_at,
                );
                let after = last
                    .answered_at
                    .map(|unit_answer| {
                        business_minutes(ctx.calendar, reception, unit_answer, reply)
                    })
                    .unwrap_or(0);
                Some(hours(before + after))
            }
            _ => None,
        };
        let business_days_left = answered_at.is_none().then(|| {
            let today = ctx.now.with_timezone(&crate::calendar::LIMA).date_naive();
            let due = row
                .deadline_at
                .with_timezone(&crate::calendar::LIMA)
                .date_naive();
            ctx.calendar.business_days_between(today, due)
        });
        RegisterEntry {
            row,
            answered_at,
            business_hours,
            business_days,
            compliance,
            level,
            unit,
            unit_spans,
            first_level_hours,
            business_days_left,
        }
    }

    /// The citizen as the register names them: `Nombre <correo>`, or whichever is known.
    pub fn citizen(&self) -> String {
        match (&self.row.citizen_name, &self.row.citizen_address) {
            (Some(name), Some(address)) if !name.trim().is_empty() => {
                format!("{} <{address}>", name.trim())
            }
            (_, Some(address)) => address.clone(),
            (Some(name), None) => name.clone(),
            (None, None) => String::new(),
        }
    }

    /// The area as the register shows it: the one the rules decided, else (a consultation recorded before kinds,
    /// or filed by hand) its folder.
    pub fn area(&self) -> &str {
        match &self.row.area {
            Some(area) => area,
            None if !self.row.kind.has_own_folder() => &self.row.folder,
            None => "",
        }
    }

    /// The supervisor who validated the reply, only for a Legal one.
    pub fn supervisor(&self) -> Option<&str> {
        match self.row.legal {
            Some(true) => self.row.supervisor.as_deref(),
            _ => None,
        }
    }
}

/// The register entries of `rows` as of `ctx.now`, in the rows' order.
pub fn entries(rows: Vec<RegisterRow>, ctx: &ReportContext<'_>) -> Vec<RegisterEntry> {
    rows.into_iter()
        .map(|row| RegisterEntry::new(row, ctx))
        .collect()
}
