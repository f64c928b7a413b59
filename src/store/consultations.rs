//! Consultation rows: what triage records, what is still to be filed, and reading the register back.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use super::events::{self, NewEvent};
use super::sql::{
    imap_number, instant, keep_prepared, millis, optional_instant, word, Placeholders,
};
use super::{Store, StoreError};
use crate::vocabulary::{Availability, ConsultationState};
use crate::workflow::{embeds_consultation_record, ConsultationRecord};

/// The stored spellings of `ConsultationState`, for binding in SQL (one source: the vocabulary).
pub(crate) mod state {
    use crate::vocabulary::ConsultationState;

    /// See `ConsultationState::Recorded`.
    pub const RECORDED: &str = ConsultationState::Recorded.as_str();
    /// See `ConsultationState::Filed`.
    pub const FILED: &str = ConsultationState::Filed.as_str();
    /// See `ConsultationState::Error`.
    pub const ERROR: &str = ConsultationState::Error.as_str();
    /// See `ConsultationState::Answered`.
    pub const ANSWERED: &str = ConsultationState::Answered.as_str();
    /// See `ConsultationState::Followup`.
    pub const FOLLOWUP: &str = ConsultationState::Followup.as_str();
    /// See `ConsultationState::Automatic`.
    pub const AUTOMATIC: &str = ConsultationState::Automatic.as_str();
}

/// The stored spellings of `AcknowledgementState` (`consultations.ack`), for binding in SQL.
pub(crate) mod ack {
    use crate::vocabulary::AcknowledgementState;

    /// See `AcknowledgementState::Pending`.
    pub const PENDING: &str = AcknowledgementState::Pending.as_str();
    /// See `AcknowledgementState::Queued`.
    pub const QUEUED: &str = AcknowledgementState::Queued.as_str();
    /// See `AcknowledgementState::Skipped`.
    pub const SKIPPED: &str = AcknowledgementState::Skipped.as_str();
}

/// A consultation triage has just decided, ready to be recorded: its record and what only recording needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConsultation {
    /// The mailbox's UIDVALIDITY when the message was fetched.
    pub uidvalidity: u32,
    /// The message's UID in the inbox.
    pub uid: u32,
    /// The message's size in bytes.
    pub size_bytes: i64,
    /// Sender, subject, dates, folder, category, availability; `error_reason` set records it in state `error`.
    pub record: ConsultationRecord,
    /// Why the rules decided so (logged with the `recorded` event).
    pub explanation: String,
    /// Why the citizen gets no acknowledgement (a machine, the office itself…); `None` queues one.
    pub ack_skip: Option<String>,
}

embeds_consultation_record!(NewConsultation);

/// What the register holds for one message of a batch (or one still waiting to be filed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The row's id.
    pub id: i64,
    /// The ticket number given to the citizen.
    pub ticket: String,
    /// The message's UID in the inbox.
    pub uid: u32,
    /// The UIDVALIDITY that UID belongs to.
    pub uidvalidity: u32,
    /// The folder to move it to.
    pub folder: String,
    /// How readily the office can answer it.
    pub availability: Availability,
    /// When the answer is due.
    pub deadline_at: DateTime<Utc>,
    /// `Recorded`, `Filed` or `Error`.
    pub state: ConsultationState,
    /// Whether this call created the row (false: it was already there, or was rebound to a new UID).
    pub is_new: bool,
}

/// One consultation as the register holds it: its record and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationRow {
    /// The row's id.
    pub id: i64,
    /// The ticket number.
    pub ticket: String,
    /// The mailbox it arrived in.
    pub mailbox: String,
    /// See `Recorded::uidvalidity`.
    pub uidvalidity: u32,
    /// See `Recorded::uid`.
    pub uid: u32,
    /// Sender, subject, dates, folder, category, availability, and why it could not be processed, if so.
    pub record: ConsultationRecord,
    /// Where it stands (`Recorded`, `Filed`, `Error`, …).
    pub state: ConsultationState,
    /// When it was moved to its folder, if it was.
    pub filed_at: Option<DateTime<Utc>>,
    /// See `NewConsultation::size_bytes`.
    pub size_bytes: i64,
    /// When the reply was accepted by the SMTP server, once answered.
    pub answered_at: Option<DateTime<Utc>>,
    /// Whether the answer met the deadline, once answered.
    pub within_deadline: Option<bool>,
}

embeds_consultation_record!(ConsultationRow);

/// The columns `Recorded` is read from, in `recorded_from_row`'s order.
macro_rules! recorded_columns {
    () => {
        "id, ticket, uid, uidvalidity, folder, availability, deadline_at, state"
    };
}
pub(crate) use recorded_columns;

/// The columns `ConsultationRow` is read from, in `consultation_from_row`'s order.
macro_rules! consultation_columns {
    () => {
        "id, ticket, mailbox, uidvalidity, uid, message_id, from_addr, from_name, subject, received_at, \
         sender_date, effective_received_at, deadline_at, folder, category, availability, rule, state, \
         error_reason, filed_at, size_bytes, reply_to_addr, answered_at, within_deadline, fingerprint, kind, area"
    };
}
pub(crate) use consultation_columns;

/// How many columns `consultation_columns!()` names: a query that selects more after them reads them from here.
pub(crate) const CONSULTATION_COLUMN_COUNT: usize = 27;

/// The `consultation_columns!()` of the table named `alias` in a join (`m.id, m.ticket, …`), in the same order.
pub(crate) fn consultation_columns_as(alias: &str) -> String {
    consultation_columns!()
        .split(", ")
        .map(|c| format!("{alias}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads the `recorded_columns!()` of `row`, starting at column 0.
pub(crate) fn recorded_from_row(row: &AnyRow, is_new: bool) -> Result<Recorded, StoreError> {
    Ok(Recorded {
        id: row.get(0),
        ticket: row.get(1),
        uid: imap_number("consultations.uid", row.get(2))?,
        uidvalidity: imap_number("consultations.uidvalidity", row.get(3))?,
        folder: row.get(4),
        availability: word("consultations.availability", row.get(5))?,
        deadline_at: instant("consultations.deadline_at", row.get(6))?,
        state: word("consultations.state", row.get(7))?,
        is_new,
    })
}

/// Reads the `consultation_columns!()` of `row`.
pub(crate) fn consultation_from_row(row: &AnyRow) -> Result<ConsultationRow, StoreError> {
    consultation_from_row_at(row, 0)
}

/// Reads the `consultation_columns!()` of `row` starting at column `o` (after columns of a join).
pub(crate) fn consultation_from_row_at(
    row: &AnyRow,
    o: usize,
) -> Result<ConsultationRow, StoreError> {
    Ok(ConsultationRow {
        id: row.get(o),
        ticket: row.get(o + 1),
        mailbox: row.get(o + 2),
        uidvalidity: imap_number("consultations.uidvalidity", row.get(o + 3))?,
        uid: imap_number("consultations.uid", row.get(o + 4))?,
        record: ConsultationRecord {
            message_id: row.get(o + 5),
            from_addr: row.get(o + 6),
            from_name: row.get(o + 7),
            subject: row.get(o + 8),
            reply_to_addr: row.get(o + 21),
            fingerprint: row.get(o + 24),
            received_at: instant("consultations.received_at", row.get(o + 9))?,
            sender_date: optional_instant("consultations.sender_date", row.get(o + 10))?,
            effective_received_at: instant("consultations.effective_received_at", row.get(o + 11))?,
            deadline_at: instant("consultations.deadline_at", row.get(o + 12))?,
            folder: row.get(o + 13),
            category: row.get(o + 14),
            availability: word("consultations.availability", row.get(o + 15))?,
            rule: row.get(o + 16),
            error_reason: row.get(o + 18),
            kind: word("consultations.kind", row.get(o + 25))?,
            area: row.get(o + 26),
        },
        state: word("consultations.state", row.get(o + 17))?,
        filed_at: optional_instant("consultations.filed_at", row.get(o + 19))?,
        size_bytes: row.get(o + 20),
        answered_at: optional_instant("consultations.answered_at", row.get(o + 22))?,
        within_deadline: row.get::<Option<i64>, _>(o + 23).map(|v| v != 0),
    })
}

/// How many ids one `mark_filed` statement carries.
const IDS_PER_STATEMENT: usize = 500;

impl Store {
    /// The consultations of `mailbox` not yet moved out of the inbox (error rows included: they still go to
    /// the errors folder), by UID.
    pub async fn unfiled(&self, mailbox: &str) -> Result<Vec<Recorded>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            recorded_columns!(),
            " FROM consultations WHERE mailbox = $1 AND filed_at IS NULL ORDER BY uid, uidvalidity"
        ))
        .bind(mailbox)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("leer las consultas por archivar"))?;
        rows.iter()
            .map(|row| recorded_from_row(row, false))
            .collect()
    }

    /// Notes that the consultations `ids` were moved to their folders at `now`.
    ///
    /// A `recorded` row becomes `filed`; an `error` row keeps its state (it was moved to the errors folder).
    /// Rows already filed are left alone, so repeating the call after a crash logs nothing twice.
    pub async fn mark_filed(&self, ids: &[i64], now: DateTime<Utc>) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        let mut filed = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let mut placeholders = Placeholders::new(self.backend);
            let sql = format!(
                "UPDATE consultations SET filed_at = {at}, \
                   state = CASE WHEN state = '{recorded}' THEN '{filed}' ELSE state END \
                 WHERE filed_at IS NULL AND id IN ({ids}) RETURNING id, folder",
                at = placeholders.one(),
                recorded = state::RECORDED,
                filed = state::FILED,
                ids = placeholders.list(chunk.len()),
            );
            // Only constants and placeholders are interpolated; every value is bound.
            let mut query = sqlx::query(AssertSqlSafe(sql))
                .persistent(keep_prepared(chunk.len(), IDS_PER_STATEMENT))
                .bind(millis(now));
            for id in chunk {
                query = query.bind(*id);
            }
            let rows = query
                .fetch_all(&mut *tx)
                .await
                .map_err(StoreError::query("marcar consultas como archivadas"))?;
            filed.extend(rows.iter().map(|row| NewEvent {
                consultation_id: row.get(0),
                kind: "filed",
                detail: row.get(1),
            }));
        }
        // RETURNING order is unspecified: log in id order so the history reads the same on both backends.
        filed.sort_by_key(|event| event.consultation_id);
        events::append(&mut tx, self.backend, &filed, now).await?;
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar el archivo de consultas"))
    }

    /// Puts consultation `id` in state `error` with `reason` (e.g. its move failed for good).
    pub async fn mark_error(
        &self,
        id: i64,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let updated =
            sqlx::query("UPDATE consultations SET state = $1, error_reason = $2 WHERE id = $3")
                .bind(state::ERROR)
                .bind(reason)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("marcar una consulta con error"))?
                .rows_affected();
        if updated > 0 {
            let event = NewEvent {
                consultation_id: id,
                kind: "error",
                detail: reason.to_string(),
            };
            events::append(&mut tx, self.backend, &[event], now).await?;
        }
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar el error de una consulta"))
    }

    /// Marks recorded messages as answers to triaje's own mail (state `followup`): they are filed like any
    /// message but are not consultations, so they count in no deadline.
    pub async fn mark_followups(&self, ids: &[i64]) -> Result<(), StoreError> {
        for id in ids {
            sqlx::query("UPDATE consultations SET state = $1 WHERE id = $2 AND state = $3")
                .bind(state::FOLLOWUP)
                .bind(*id)
                .bind(state::RECORDED)
                .execute(&self.pool)
                .await
                .map_err(StoreError::query(
                    "marcar una respuesta a un correo de triaje",
                ))?;
        }
        Ok(())
    }

    /// Open consultations (not answered, not in error, not follow-ups, not machine mail) due by `until`, earliest
    /// deadline first:
    /// what is overdue and what falls due today, for the coordinator's morning mail and the dashboard.
    pub async fn open_due_by(
        &self,
        until: DateTime<Utc>,
    ) -> Result<Vec<ConsultationRow>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            consultation_columns!(),
            " FROM consultations WHERE state NOT IN ($1, $2, $3, $5) AND deadline_at <= $4 ORDER BY deadline_at, id"
        ))
        .bind(state::ERROR)
        .bind(state::ANSWERED)
        .bind(state::FOLLOWUP)
        .bind(millis(until))
        .bind(state::AUTOMATIC)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("leer las consultas que vencen"))?;
        rows.iter().map(consultation_from_row).collect()
    }

    /// The consultation with row id `id`, if any.
    pub async fn consultation_by_id(&self, id: i64) -> Result<Option<ConsultationRow>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            consultation_columns!(),
            " FROM consultations WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("buscar una consulta"))?;
        row.as_ref().map(consultation_from_row).transpose()
    }

    /// The consultation with ticket number `ticket`, if any.
    pub async fn consultation_by_ticket(
        &self,
        ticket: &str,
    ) -> Result<Option<ConsultationRow>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            consultation_columns!(),
            " FROM consultations WHERE ticket = $1"
        ))
        .bind(ticket)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("buscar una consulta por ticket"))?;
        row.as_ref().map(consultation_from_row).transpose()
    }

    /// The consultations of `mailbox` whose message has one of these `Message-ID`s, in the order they were
    /// recorded. Several may share one (a message delivered twice); the caller tells them apart by fingerprint.
    pub async fn consultations_with_message_ids(
        &self,
        mailbox: &str,
        message_ids: &[String],
    ) -> Result<Vec<ConsultationRow>, StoreError> {
        let mut found = Vec::new();
        for chunk in message_ids.chunks(IDS_PER_STATEMENT) {
            let mut p = Placeholders::new(self.backend);
            let mailbox_param = p.one();
            let list = p.list(chunk.len());
            let sql = format!(
                "SELECT {} FROM consultations WHERE mailbox = {mailbox_param} AND message_id IN ({list}) ORDER BY id",
                consultation_columns!()
            );
            let mut query = sqlx::query(AssertSqlSafe(sql)).bind(mailbox);
            for id in chunk {
                query = query.bind(id.as_str());
            }
            let rows = query
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::query("buscar consultas por Message-ID"))?;
            for row in &rows {
                found.push(consultation_from_row(row)?);
            }
        }
        Ok(found)
    }

    /// The consultations of `mailbox` recorded from a message with this fingerprint (one without a
    /// `Message-ID`, say), in the order they were recorded.
    pub async fn consultations_with_fingerprint(
        &self,
        mailbox: &str,
        fingerprint: &str,
    ) -> Result<Vec<ConsultationRow>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            consultation_columns!(),
            " FROM consultations WHERE mailbox = $1 AND fingerprint = $2 ORDER BY id"
        ))
        .bind(mailbox)
        .bind(fingerprint)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("buscar consultas por huella"))?;
        rows.iter().map(consultation_from_row).collect()
    }

    /// Every consultation (of `mailbox`, or of all mailboxes), in the order they were recorded.
    pub async fn consultations(
        &self,
        mailbox: Option<&str>,
    ) -> Result<Vec<ConsultationRow>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            consultation_columns!(),
            " FROM consultations WHERE $1 IS NULL OR mailbox = $1 ORDER BY id"
        ))
        .bind(mailbox)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("leer el registro de consultas"))?;
        rows.iter().map(consultation_from_row).collect()
    }
}
