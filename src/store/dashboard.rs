//! What the coordinator's dashboard and `/metrics` read: counts by mailbox and state, the open consultations
//! due by a given instant, and the weekly received/answered trend. Cheap aggregate queries, written once for
//! SQLite and PostgreSQL.

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::Row;

use super::consultations::state;
use super::sql::{instant, millis, optional_instant};
use super::{Store, StoreError};

/// How many consultations of one mailbox are in one state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateCount {
    /// The mailbox's name.
    pub mailbox: String,
    /// The stored state (`recorded`, `filed`, `error`, `answered`, `followup`, `automatic`).
    pub state: String,
    /// How many.
    pub count: i64,
    /// When the oldest of them still waiting to be filed reached the mailbox.
    pub oldest_unfiled_at: Option<DateTime<Utc>>,
}

/// An open consultation with a deadline: what the dashboard lists as due today or overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueConsultation {
    /// The ticket given to the citizen.
    pub ticket: String,
    /// The subject.
    pub subject: String,
    /// The mailbox it arrived in.
    pub mailbox: String,
    /// The folder it is in now.
    pub folder: String,
    /// When the answer is due.
    pub deadline_at: DateTime<Utc>,
}

/// Consultations received and answered in one week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekCount {
    /// The week's first instant.
    pub start: DateTime<Utc>,
    /// Consultations whose effective received time falls in the week.
    pub received: u64,
    /// Consultations answered in the week (whenever they were received).
    pub answered: u64,
}

impl Store {
    /// Attentions per kind (consulta, incidencia, reclamo, sugerencia), and how many of each are still open (not
    /// answered): answers to triaje's own mail, machine mail and unprocessable messages are not attentions.
    pub async fn kind_counts(&self) -> Result<Vec<(String, i64, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, COUNT(*), SUM(CASE WHEN state = $1 THEN 0 ELSE 1 END) FROM consultations \
             WHERE state NOT IN ($2, $3, $4) GROUP BY kind ORDER BY kind",
        )
        .bind(state::ANSWERED)
        .bind(state::FOLLOWUP)
        .bind(state::AUTOMATIC)
        .bind(state::ERROR)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("contar las atenciones por clase"))?;
        Ok(rows
            .iter()
            .map(|row| {
                (
                    row.get(0),
                    row.get(1),
                    row.get::<Option<i64>, _>(2).unwrap_or(0),
                )
            })
            .collect())
    }

    /// Consultations per mailbox and state, with each group's oldest unfiled arrival: one aggregate query.
    pub async fn consultation_counts(&self) -> Result<Vec<StateCount>, StoreError> {
        let rows = sqlx::query(
            "SELECT mailbox, state, COUNT(*), MIN(CASE WHEN filed_at IS NULL THEN received_at END) \
             FROM consultations GROUP BY mailbox, state ORDER BY mailbox, state",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("contar las consultas por buzón y estado"))?;
        rows.iter()
            .map(|row| {
                Ok(StateCount {
                    mailbox: row.get(0),
                    state: row.get(1),
                    count: row.get(2),
                    oldest_unfiled_at: optional_instant("consultations.received_at", row.get(3))?,
                })
            })
            .collect()
    }

    /// The open consultations (not answered, not in error, not answers to our own mail, not machine mail) whose
    /// deadline is at
    /// or before `until`, oldest deadline first, then ticket.
    pub async fn due_by(&self, until: DateTime<Utc>) -> Result<Vec<DueConsultation>, StoreError> {
        let rows = sqlx::query(
            "SELECT ticket, subject, mailbox, folder, deadline_at FROM consultations \
             WHERE state NOT IN ($1, $2, $3, $5) AND deadline_at <= $4 \
             ORDER BY deadline_at, ticket",
        )
        .bind(state::ERROR)
        .bind(state::ANSWERED)
        .bind(state::FOLLOWUP)
        .bind(millis(until))
        .bind(state::AUTOMATIC)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("leer las consultas por vencer"))?;
        rows.iter()
            .map(|row| {
                Ok(DueConsultation {
                    ticket: row.get(0),
                    subject: row.get(1),
                    mailbox: row.get(2),
                    folder: row.get(3),
                    deadline_at: instant("consultations.deadline_at", row.get(4))?,
                })
            })
            .collect()
    }

    /// Received and answered per week for `weeks` weeks starting at `first` (each week 7 × 24 h; Lima has no
    /// daylight saving time), oldest first. Two aggregate queries.
    pub async fn weekly_trend(
        &self,
        first: DateTime<Utc>,
        weeks: u32,
    ) -> Result<Vec<WeekCount>, StoreError> {
        let week = TimeDelta::days(7);
        let end = first + week * i32::try_from(weeks).unwrap_or(i32::MAX);
        let mut out: Vec<WeekCount> = (0..weeks)
            .map(|n| WeekCount {
                start: first + week * n as i32,
                received: 0,
                answered: 0,
            })
            .collect();
        for (answered, sql, what) in [
            (
                false,
                "SELECT (effective_received_at - $1) / $2, COUNT(*) FROM consultations \
                 WHERE effective_received_at >= $1 AND effective_received_at < $3 AND state NOT IN ($4, $5) \
                 GROUP BY 1",
                "contar las consultas recibidas por semana",
            ),
            (
                true,
                "SELECT (answered_at - $1) / $2, COUNT(*) FROM consultations \
                 WHERE answered_at >= $1 AND answered_at < $3 AND state NOT IN ($4, $5) GROUP BY 1",
                "contar las consultas atendidas por semana",
            ),
        ] {
            let rows = sqlx::query(sql)
                .bind(millis(first))
                .bind(week.num_milliseconds())
                .bind(millis(end))
                .bind(state::FOLLOWUP)
                .bind(state::AUTOMATIC)
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::query(what))?;
            for row in &rows {
                let index: i64 = row.get(0);
                let count: i64 = row.get(1);
                if let Some(slot) = usize::try_from(index).ok().and_then(|i| out.get_mut(i)) {
                    let count = u64::try_from(count).unwrap_or(0);
                    if answered {
                        slot.answered = count;
                    } else {
                        slot.received = count;
                    }
                }
            }
        }
        Ok(out)
    }
}
