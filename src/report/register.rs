//! The register of attentions (001 Anexo 1): one entry per consultation, with what was computed for it.

use chrono::{DateTime, Utc};

use super::business_time::{business_minutes, hours};
use super::ReportContext;
use crate::store::RegisterRow;

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
