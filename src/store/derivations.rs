//! Derivations to the agency's units (migration 0070): who holds an attention, since when and until when; the
//! unit's answer or its escalation; what the units hold now and which of them are late.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use super::events::{self, NewEvent};
use super::outbox::enqueue_in;
use super::sql::{instant, millis, optional_instant, unit_level, word, Placeholders};
use super::{NewOutgoing, Store, StoreError};
use crate::vocabulary::{DerivationState, UnitLevel};
use crate::workflow::unit_late_at;

/// What a derivation is from the moment it is recorded: which attention, from which mailbox, to which unit (as
/// it was then), by which forward, until when, and which lower derivation it raised. [`NewDerivation`] records
/// it and [`Derivation`] reads it back, each embedding it beside the fields only it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivationRecord {
    /// The consultation (or incident) derived.
    pub consultation_id: i64,
    /// The mailbox whose assistant derived it (its account sends the forward).
    pub mailbox: String,
    /// The unit's short name (`[[unit]] name`).
    pub unit: String,
    /// The unit's address when it was derived.
    pub unit_address: String,
    /// The unit's level (002 §7.2–7.3), stored as its number.
    pub level: UnitLevel,
    /// The forward's `Message-ID` (or the lower unit's own forward, when it raised the attention itself).
    pub message_id: String,
    /// When the unit must answer.
    pub due_at: DateTime<Utc>,
    /// The lower level's derivation this escalation came from; recording closes it as `escalated` in the same
    /// transaction.
    pub escalated_from: Option<i64>,
}

/// Lets [`Derivation`] and [`NewDerivation`] read the record's fields as their own (`d.unit`, `new.due_at`):
/// the record is part of them, not something they point to.
macro_rules! embeds_derivation_record {
    ($outer:ty) => {
        impl std::ops::Deref for $outer {
            type Target = DerivationRecord;

            fn deref(&self) -> &DerivationRecord {
                &self.record
            }
        }
    };
}

/// One holder of a derived attention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation {
    /// Row id.
    pub id: i64,
    /// Which attention, to which unit, by which forward, until when.
    pub record: DerivationRecord,
    /// When the unit got it.
    pub derived_at: DateTime<Utc>,
    /// Where it stands.
    pub state: DerivationState,
    /// When the unit answered or raised it.
    pub answered_at: Option<DateTime<Utc>>,
    /// The `Message-ID` of the unit's answer.
    pub answer_message_id: Option<String>,
    /// The consultation's deadline before the unit's answer set the first level's «same day».
    pub first_due_at: Option<DateTime<Utc>>,
}

embeds_derivation_record!(Derivation);

impl Derivation {
    /// Whether the unit is late as of `now` ([`unit_late_at`]): judged at its answer (or escalation) when it
    /// closed it by `now`, else at `now` while it still holds the attention.
    pub fn is_late(&self, now: DateTime<Utc>) -> bool {
        let closed = self.answered_at.filter(|at| *at <= now);
        unit_late_at(self.due_at, closed.unwrap_or(now))
    }
}

#[cfg(test)]
impl Derivation {
    /// An open derivation of consultation 1 (mailbox `consultas`) to `unit` at `<unit>@osce.test`, made at
    /// `derived_at` and due at `due_at`: the one the unit tests of the daemon, the dashboard and the reports start
    /// from, changing what their case is about.
    pub(crate) fn open_for_tests(
        unit: &str,
        level: UnitLevel,
        derived_at: DateTime<Utc>,
        due_at: DateTime<Utc>,
    ) -> Derivation {
        Derivation {
            id: 1,
            record: DerivationRecord {
                consultation_id: 1,
                mailbox: "consultas".into(),
                unit: unit.into(),
                unit_address: format!("{unit}@osce.test"),
                level,
                message_id: "derivacion.CONS-2026-000001.ab@osce.test".into(),
                due_at,
                escalated_from: None,
            },
            derived_at,
            state: DerivationState::Open,
            answered_at: None,
            answer_message_id: None,
            first_due_at: None,
        }
    }
}

/// A derivation about to be recorded: its record and the history line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDerivation {
    /// Which attention, to which unit, by which forward, until when.
    pub record: DerivationRecord,
    /// The history line.
    pub detail: String,
}

embeds_derivation_record!(NewDerivation);

/// An open derivation with what the lists show of its consultation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldByUnit {
    /// The derivation.
    pub derivation: Derivation,
    /// The consultation's ticket.
    pub ticket: String,
    /// The consultation's subject.
    pub subject: String,
}

const COLUMNS: &str =
    "id, consultation_id, mailbox, unit, unit_address, level, message_id, derived_at, due_at, \
                       state, answered_at, answer_message_id, escalated_from, first_due_at";

fn derivation_from_row(row: &AnyRow) -> Result<Derivation, StoreError> {
    Ok(Derivation {
        id: row.get(0),
        record: DerivationRecord {
            consultation_id: row.get(1),
            mailbox: row.get(2),
            unit: row.get(3),
            unit_address: row.get(4),
            level: unit_level("derivations.level", row.get(5))?,
            message_id: row.get(6),
            due_at: instant("derivations.due_at", row.get(8))?,
            escalated_from: row.get(12),
        },
        derived_at: instant("derivations.derived_at", row.get(7))?,
        state: word("derivations.state", row.get(9))?,
        answered_at: optional_instant("derivations.answered_at", row.get(10))?,
        answer_message_id: row.get(11),
        first_due_at: optional_instant("derivations.first_due_at", row.get(13))?,
    })
}

impl Store {
    /// Records a derivation and queues its forward in one transaction (with the history line, and closing the
    /// lower level's derivation when this is an escalation): the unit is told exactly when the register says it
    /// holds the attention. `forward` is `None` when the lower unit sent it to the higher one itself. Returns the
    /// new row's id.
    pub async fn record_derivation(
        &self,
        new: &NewDerivation,
        forward: Option<&NewOutgoing>,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        if let Some(from) = new.escalated_from {
            sqlx::query(
                "UPDATE derivations SET state = $1, answered_at = $2 WHERE id = $3 AND state = $4",
            )
            .bind(DerivationState::Escalated.as_str())
            .bind(millis(now))
            .bind(from)
            .bind(DerivationState::Open.as_str())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("cerrar una derivación elevada"))?;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO derivations (consultation_id, mailbox, unit, unit_address, level, message_id, derived_at, \
               due_at, state, escalated_from) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(new.consultation_id)
        .bind(new.mailbox.as_str())
        .bind(new.unit.as_str())
        .bind(new.unit_address.as_str())
        .bind(i64::from(new.level.number()))
        .bind(new.message_id.as_str())
        .bind(millis(now))
        .bind(millis(new.due_at))
        .bind(DerivationState::Open.as_str())
        .bind(new.escalated_from)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::query("registrar una derivación"))?;
        if let Some(forward) = forward {
            enqueue_in(&mut tx, forward, now).await?;
        }
        events::append(
            &mut tx,
            self.backend,
            &[NewEvent {
                consultation_id: new.consultation_id,
                kind: if new.escalated_from.is_some() {
                    "escalated"
                } else {
                    "derived"
                },
                detail: new.detail.clone(),
            }],
            now,
        )
        .await?;
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar una derivación"))?;
        Ok(id)
    }

    /// The derivation a unit holds now for consultation `consultation_id`, if any.
    pub async fn open_derivation(
        &self,
        consultation_id: i64,
    ) -> Result<Option<Derivation>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM derivations WHERE consultation_id = $1 AND state = $2 ORDER BY id DESC LIMIT 1"
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(consultation_id)
            .bind(DerivationState::Open.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query(
                "leer la derivación abierta de una consulta",
            ))?;
        row.as_ref().map(derivation_from_row).transpose()
    }

    /// Every derivation of the consultations `ids`, oldest first (the register's columns).
    pub async fn derivations_of(&self, ids: &[i64]) -> Result<Vec<Derivation>, StoreError> {
        let mut all = Vec::new();
        for chunk in ids.chunks(super::sql::ROWS_PER_STATEMENT) {
            let mut p = Placeholders::new(self.backend);
            let list = p.list(chunk.len());
            let sql = format!(
                "SELECT {COLUMNS} FROM derivations WHERE consultation_id IN ({list}) ORDER BY id"
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            let rows = q
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::query("leer las derivaciones de las consultas"))?;
            for row in &rows {
                all.push(derivation_from_row(row)?);
            }
        }
        Ok(all)
    }

    /// The derivation whose forward had one of `message_ids` (the ids a unit's answer quotes): triaje's forward,
    /// or a lower unit's own forward to the higher one. The most recent ids first, at most 20 of them.
    pub async fn derivation_by_message_ids(
        &self,
        message_ids: &[String],
    ) -> Result<Option<Derivation>, StoreError> {
        for id in message_ids.iter().take(20) {
            let sql = format!("SELECT {COLUMNS} FROM derivations WHERE message_id = $1");
            let row = sqlx::query(AssertSqlSafe(sql))
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(StoreError::query("buscar una derivación por su Message-ID"))?;
            if let Some(row) = row {
                return derivation_from_row(&row).map(Some);
            }
        }
        Ok(None)
    }

    /// Closes derivation `id` with the unit's answer (`answer_message_id`, arrived `answered_at`), and sets the
    /// consultation's deadline to `final_due` (the first level's «same day», 002 §9.3.3), keeping the one it
    /// had for the register; with the history line, in one transaction. `false` when it was not open.
    pub async fn close_derivation(
        &self,
        id: i64,
        answer_message_id: Option<&str>,
        answered_at: DateTime<Utc>,
        final_due: DateTime<Utc>,
        detail: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let consultation_id: Option<i64> = sqlx::query_scalar(
            "SELECT consultation_id FROM derivations WHERE id = $1 AND state = $2",
        )
        .bind(id)
        .bind(DerivationState::Open.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::query("leer una derivación"))?;
        let Some(consultation_id) = consultation_id else {
            return Ok(false);
        };
        sqlx::query(
            "UPDATE derivations SET state = $1, answered_at = $2, answer_message_id = $3, \
               first_due_at = (SELECT deadline_at FROM consultations WHERE id = $4) \
             WHERE id = $5",
        )
        .bind(DerivationState::Answered.as_str())
        .bind(millis(answered_at))
        .bind(answer_message_id)
        .bind(consultation_id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("cerrar una derivación respondida"))?;
        sqlx::query("UPDATE consultations SET deadline_at = $1 WHERE id = $2")
            .bind(millis(final_due))
            .bind(consultation_id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("poner el plazo de la respuesta final"))?;
        events::append(
            &mut tx,
            self.backend,
            &[NewEvent {
                consultation_id,
                kind: "unit_answered",
                detail: detail.to_string(),
            }],
            answered_at,
        )
        .await?;
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar la respuesta de una unidad"))?;
        Ok(true)
    }

    /// What the units hold now, oldest derivation first, with the ticket and subject of each attention.
    pub async fn held_by_units(&self) -> Result<Vec<HeldByUnit>, StoreError> {
        let columns = COLUMNS
            .split(", ")
            .map(|c| format!("d.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {columns}, c.ticket, c.subject FROM derivations d \
             JOIN consultations c ON c.id = d.consultation_id \
             WHERE d.state = $1 AND c.answered_at IS NULL ORDER BY d.due_at, d.id"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(DerivationState::Open.as_str())
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("leer lo que tienen las unidades"))?;
        rows.iter()
            .map(|row| {
                Ok(HeldByUnit {
                    derivation: derivation_from_row(row)?,
                    ticket: row.get(14),
                    subject: row.get(15),
                })
            })
            .collect()
    }

    /// Derivations answered or raised in `[from, until)` (the month's indicators: each unit's own time).
    pub async fn derivations_closed_between(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<Derivation>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM derivations WHERE answered_at >= $1 AND answered_at < $2 ORDER BY id"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(millis(from))
            .bind(millis(until))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query(
                "leer las derivaciones cerradas del periodo",
            ))?;
        rows.iter().map(derivation_from_row).collect()
    }

    /// Records a line in a consultation's history about its derivation (a unit's later mail, a refused drag).
    pub async fn derivation_history(
        &self,
        consultation_id: i64,
        kind: &'static str,
        detail: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        events::append(
            &mut tx,
            self.backend,
            &[NewEvent {
                consultation_id,
                kind,
                detail: detail.to_string(),
            }],
            now,
        )
        .await?;
        tx.commit().await.map_err(StoreError::query(
            "confirmar el historial de una derivación",
        ))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone, Utc};

    use super::Derivation;
    use crate::vocabulary::{DerivationState, UnitLevel};

    fn seace_due(due: chrono::DateTime<Utc>) -> Derivation {
        Derivation::open_for_tests("seace", UnitLevel::Second, due - TimeDelta::days(7), due)
    }

    #[test]
    fn a_unit_still_holding_the_attention_is_late_only_after_its_due_instant() {
        let due = Utc.with_ymd_and_hms(2026, 3, 10, 4, 59, 59).unwrap();
        let held = seace_due(due);
        assert!(!held.is_late(due - TimeDelta::hours(1)));
        assert!(
            !held.is_late(due),
            "exactly at the due instant the unit is still in time"
        );
        assert!(held.is_late(due + TimeDelta::seconds(1)));
    }

    #[test]
    fn a_unit_that_answered_is_judged_by_its_answer_not_by_today() {
        let due = Utc.with_ymd_and_hms(2026, 3, 10, 4, 59, 59).unwrap();
        let weeks_later = due + TimeDelta::days(20);
        let in_time = Derivation {
            state: DerivationState::Answered,
            answered_at: Some(due),
            ..seace_due(due)
        };
        assert!(!in_time.is_late(weeks_later));
        let late = Derivation {
            state: DerivationState::Answered,
            answered_at: Some(due + TimeDelta::seconds(1)),
            ..seace_due(due)
        };
        assert!(late.is_late(weeks_later));
        // Asked about a moment before the answer, the unit was still holding it: judged at that moment.
        assert!(!late.is_late(due - TimeDelta::hours(2)));
    }
}
