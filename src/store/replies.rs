//! Reply drafts and what became of them: submitted, sent to validation, returned, approved, queued, sent, filed.
//!
//! Every change that queues mail writes the outbox row in the same transaction, so "approved but never queued"
//! and "queued twice" cannot happen; every change is also an event in the consultation's history.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use super::consultations::{
    consultation_columns, consultation_from_row, consultation_from_row_at,
    state as consultation_state, ConsultationRow,
};
use super::events::{self, NewEvent};
use super::outbox::{enqueue_in, NewOutgoing, OutgoingKind};
use super::sql::{instant, millis, optional_instant};
use super::{Store, StoreError};

/// Stored values of `replies.state`.
pub mod reply_state {
    /// A Legal reply waiting for the supervisor.
    pub const AWAITING_VALIDATION: &str = "awaiting_validation";
    /// Sent back by the supervisor.
    pub const RETURNED: &str = "returned";
    /// In the outbox.
    pub const QUEUED: &str = "queued";
    /// Accepted by the SMTP server and filed.
    pub const SENT: &str = "sent";
    /// Replaced by a newer draft.
    pub const WITHDRAWN: &str = "withdrawn";
    /// Failed the checks.
    pub const REFUSED: &str = "refused";
}

/// A draft to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReply {
    /// The consultation it answers (`None` for a refused draft nobody could link).
    pub consultation_id: Option<i64>,
    /// SHA-256 of the draft's bytes: the same draft seen again (after a crash) is recognised.
    pub draft_fingerprint: String,
    /// The draft's `Message-ID`.
    pub draft_message_id: Option<String>,
    /// Who wrote it.
    pub author: String,
    /// Whether a supervisor must approve it.
    pub legal: bool,
    /// Initial state (`reply_state::*`).
    pub state: &'static str,
    /// Observations (the reasons of a refusal).
    pub observations: Option<String>,
    /// `Message-ID` of the supervisor's notification, for a Legal draft.
    pub notification_message_id: Option<String>,
    /// `Message-ID` of the reply to the citizen, once composed.
    pub reply_message_id: Option<String>,
}

/// A recorded draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyRow {
    /// Row id.
    pub id: i64,
    /// The consultation.
    pub consultation_id: Option<i64>,
    /// See [`NewReply::draft_fingerprint`].
    pub draft_fingerprint: String,
    /// The draft's `Message-ID`.
    pub draft_message_id: Option<String>,
    /// Who wrote it.
    pub author: String,
    /// Whether a supervisor must approve it.
    pub legal: bool,
    /// `reply_state::*`.
    pub state: String,
    /// The supervisor's observations or the refusal's reasons.
    pub observations: Option<String>,
    /// See [`NewReply::notification_message_id`].
    pub notification_message_id: Option<String>,
    /// See [`NewReply::reply_message_id`].
    pub reply_message_id: Option<String>,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
    /// When the SMTP server accepted the reply.
    pub sent_at: Option<DateTime<Utc>>,
}

/// A reply the SMTP server accepted whose consultation is not yet filed as answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentReply {
    /// The reply's row id.
    pub reply_id: i64,
    /// The consultation.
    pub consultation: ConsultationRow,
    /// The exact bytes sent (for the copy in the sent folder).
    pub raw: Vec<u8>,
    /// The reply's `Message-ID`.
    pub message_id: String,
    /// When the server accepted it.
    pub sent_at: DateTime<Utc>,
}

const REPLY_COLUMNS: &str = "id, consultation_id, draft_fingerprint, author, legal, state, observations, \
     notification_message_id, reply_message_id, approved_by, submitted_at, sent_at, draft_message_id";

fn reply_from_row(row: &AnyRow) -> Result<ReplyRow, StoreError> {
    Ok(ReplyRow {
        id: row.get(0),
        consultation_id: row.get(1),
        draft_fingerprint: row.get(2),
        author: row.get(3),
        legal: row.get::<i64, _>(4) != 0,
        state: row.get(5),
        observations: row.get(6),
        notification_message_id: row.get(7),
        reply_message_id: row.get(8),
        approved_by: row.get(9),
        submitted_at: instant("replies.submitted_at", row.get(10))?,
        sent_at: optional_instant("replies.sent_at", row.get(11))?,
        draft_message_id: row.get(12),
    })
}

impl Store {
    /// The consultation of `mailbox` whose `Message-ID` is the first of `ids` that matches any.
    pub async fn consultation_by_message_ids(
        &self,
        mailbox: &str,
        ids: &[String],
    ) -> Result<Option<ConsultationRow>, StoreError> {
        for id in ids {
            let row = sqlx::query(concat!(
                "SELECT ",
                consultation_columns!(),
                " FROM consultations WHERE mailbox = $1 AND message_id = $2 ORDER BY id LIMIT 1"
            ))
            .bind(mailbox)
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("buscar una consulta por Message-ID"))?;
            if let Some(row) = row {
                return consultation_from_row(&row).map(Some);
            }
        }
        Ok(None)
    }

    /// The draft recorded with this fingerprint, if any.
    pub async fn reply_by_fingerprint(
        &self,
        fingerprint: &str,
    ) -> Result<Option<ReplyRow>, StoreError> {
        let sql = format!("SELECT {REPLY_COLUMNS} FROM replies WHERE draft_fingerprint = $1");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(fingerprint)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("buscar un borrador"))?;
        row.as_ref().map(reply_from_row).transpose()
    }

    /// The reply whose supervisor notification had this `Message-ID`, if any.
    pub async fn reply_by_notification(
        &self,
        message_id: &str,
    ) -> Result<Option<ReplyRow>, StoreError> {
        let sql = format!("SELECT {REPLY_COLUMNS} FROM replies WHERE notification_message_id = $1");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(message_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query(
                "buscar un borrador por su aviso de validación",
            ))?;
        row.as_ref().map(reply_from_row).transpose()
    }

    /// The reply that went to a citizen under this `Message-ID`, if any.
    pub async fn reply_by_message_id(
        &self,
        message_id: &str,
    ) -> Result<Option<ReplyRow>, StoreError> {
        let sql = format!("SELECT {REPLY_COLUMNS} FROM replies WHERE reply_message_id = $1");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(message_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("buscar una respuesta por Message-ID"))?;
        row.as_ref().map(reply_from_row).transpose()
    }

    /// Every draft of a consultation, oldest first.
    pub async fn replies_for(&self, consultation_id: i64) -> Result<Vec<ReplyRow>, StoreError> {
        let sql =
            format!("SELECT {REPLY_COLUMNS} FROM replies WHERE consultation_id = $1 ORDER BY id");
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(consultation_id)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("leer los borradores de una consulta"))?;
        rows.iter().map(reply_from_row).collect()
    }

    /// Records a draft and, in the same transaction, queues `outgoing` (the reply, or the supervisor's
    /// notification) and withdraws the consultation's earlier returned drafts. `None` when this draft was
    /// recorded before (seen again after a crash): nothing changes.
    pub async fn submit_reply(
        &self,
        reply: &NewReply,
        outgoing: Option<&NewOutgoing>,
        event: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        // The one rule that must hold whatever the caller does: a Legal reply reaches the outbox only through
        // `approve_reply`.
        if reply.legal && outgoing.is_some_and(|o| o.kind == OutgoingKind::Reply) {
            return Err(StoreError::Refused(
                "una respuesta legal solo se envía con la aprobación del supervisor".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO replies (consultation_id, draft_fingerprint, draft_message_id, author, legal, state, \
               observations, notification_message_id, reply_message_id, approved_by, approved_at, submitted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, $10) \
             ON CONFLICT (draft_fingerprint) DO NOTHING RETURNING id",
        )
        .bind(reply.consultation_id)
        .bind(reply.draft_fingerprint.as_str())
        .bind(reply.draft_message_id.as_deref())
        .bind(reply.author.as_str())
        .bind(i64::from(reply.legal))
        .bind(reply.state)
        .bind(reply.observations.as_deref())
        .bind(reply.notification_message_id.as_deref())
        .bind(reply.reply_message_id.as_deref())
        .bind(millis(now))
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::query("registrar un borrador"))?;
        let Some(id) = id else {
            return Ok(None);
        };
        if let Some(consultation_id) = reply.consultation_id {
            if reply.state != reply_state::REFUSED {
                sqlx::query("UPDATE replies SET state = $1 WHERE consultation_id = $2 AND state = $3 AND id <> $4")
                    .bind(reply_state::WITHDRAWN)
                    .bind(consultation_id)
                    .bind(reply_state::RETURNED)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::query("retirar borradores anteriores"))?;
            }
            let ev = NewEvent {
                consultation_id,
                kind: "reply",
                detail: event.to_string(),
            };
            events::append(&mut tx, self.backend, &[ev], now).await?;
        }
        if let Some(out) = outgoing {
            enqueue_in(&mut tx, out, now).await?;
        }
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar un borrador"))?;
        Ok(Some(id))
    }

    /// The supervisor approved reply `id`: queue `outgoing` (the reply to the citizen). `false` when the reply
    /// was not waiting for validation (approved or returned before): nothing changes.
    pub async fn approve_reply(
        &self,
        id: i64,
        by: &str,
        outgoing: &NewOutgoing,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let consultation: Option<Option<i64>> = sqlx::query_scalar(
            "UPDATE replies SET state = $1, approved_by = $2, approved_at = $3, reply_message_id = $4 \
             WHERE id = $5 AND state = $6 RETURNING consultation_id",
        )
        .bind(reply_state::QUEUED)
        .bind(by)
        .bind(millis(now))
        .bind(outgoing.message_id.as_str())
        .bind(id)
        .bind(reply_state::AWAITING_VALIDATION)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::query("aprobar una respuesta"))?;
        let Some(consultation) = consultation else {
            return Ok(false);
        };
        enqueue_in(&mut tx, outgoing, now).await?;
        if let Some(consultation_id) = consultation {
            let ev = NewEvent {
                consultation_id,
                kind: "reply",
                detail: format!("respuesta aprobada por {by} y puesta en cola de envío"),
            };
            events::append(&mut tx, self.backend, &[ev], now).await?;
        }
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar una aprobación"))?;
        Ok(true)
    }

    /// The supervisor returned reply `id` with `observations`. `false` when it was not waiting for validation.
    pub async fn return_reply(
        &self,
        id: i64,
        by: &str,
        observations: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let consultation: Option<Option<i64>> = sqlx::query_scalar(
            "UPDATE replies SET state = $1, observations = $2 WHERE id = $3 AND state = $4 RETURNING consultation_id",
        )
        .bind(reply_state::RETURNED)
        .bind(observations)
        .bind(id)
        .bind(reply_state::AWAITING_VALIDATION)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::query("devolver una respuesta"))?;
        let Some(consultation) = consultation else {
            return Ok(false);
        };
        if let Some(consultation_id) = consultation {
            let ev = NewEvent {
                consultation_id,
                kind: "reply",
                detail: format!("respuesta devuelta por {by} con observaciones: {observations}"),
            };
            events::append(&mut tx, self.backend, &[ev], now).await?;
        }
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar una devolución"))?;
        Ok(true)
    }

    /// Replies of `mailbox` the SMTP server accepted whose consultation is not yet filed as answered.
    pub async fn sent_replies_to_file(&self, mailbox: &str) -> Result<Vec<SentReply>, StoreError> {
        let sql = format!(
            "SELECT r.id, o.raw, o.message_id, o.sent_at, {} FROM replies r \
             JOIN outbox o ON o.message_id = r.reply_message_id \
             JOIN consultations c ON c.id = r.consultation_id \
             WHERE c.mailbox = $1 AND r.state = $2 AND o.state = 'sent' AND r.filed_at IS NULL ORDER BY r.id",
            consultation_columns!().split(", ").map(|c| format!("c.{}", c.trim())).collect::<Vec<_>>().join(", ")
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(mailbox)
            .bind(reply_state::QUEUED)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query(
                "leer las respuestas enviadas por archivar",
            ))?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            // The consultation's columns start after the four reply/outbox ones.
            let consultation = consultation_from_row_at(row, 4)?;
            out.push(SentReply {
                reply_id: row.get(0),
                raw: row.get(1),
                message_id: row.get(2),
                sent_at: instant("outbox.sent_at", row.get::<Option<i64>, _>(3).unwrap_or(0))?,
                consultation,
            });
        }
        Ok(out)
    }

    /// The sent reply is in the sent folder and its consultation in the answered folder: record the answer
    /// (when, and whether it met the deadline) and close the reply.
    pub async fn mark_answered(
        &self,
        sent: &SentReply,
        answered_folder: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let within = sent.sent_at <= sent.consultation.deadline_at;
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query("UPDATE replies SET state = $1, sent_at = $2, filed_at = $3 WHERE id = $4 AND filed_at IS NULL")
            .bind(reply_state::SENT)
            .bind(millis(sent.sent_at))
            .bind(millis(now))
            .bind(sent.reply_id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("cerrar una respuesta"))?
            .rows_affected();
        if changed > 0 {
            sqlx::query(
                "UPDATE consultations SET state = $1, answered_at = $2, within_deadline = $3, folder = $4 WHERE id = $5",
            )
            .bind(consultation_state::ANSWERED)
            .bind(millis(sent.sent_at))
            .bind(i64::from(within))
            .bind(answered_folder)
            .bind(sent.consultation.id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("marcar una consulta como atendida"))?;
            let ev = NewEvent {
                consultation_id: sent.consultation.id,
                kind: "answered",
                detail: if within {
                    "respondida dentro del plazo".to_string()
                } else {
                    "respondida fuera del plazo".to_string()
                },
            };
            events::append(&mut tx, self.backend, &[ev], now).await?;
        }
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar una respuesta enviada"))
    }
}
