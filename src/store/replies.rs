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
use crate::workflow::{Approval, ApprovalChannel, DragGuard, ReplyState};

/// Stored spellings of [`ReplyState`] (`replies.state`); nothing outside the store sees them.
pub(crate) mod spelling {
    pub const AWAITING_VALIDATION: &str = "awaiting_validation";
    pub const RETURNED: &str = "returned";
    pub const QUEUED: &str = "queued";
    pub const SENT: &str = "sent";
    pub const WITHDRAWN: &str = "withdrawn";
    pub const REFUSED: &str = "refused";
}

/// The stored spelling of a reply's state.
pub(crate) fn state_text(state: ReplyState) -> &'static str {
    match state {
        ReplyState::AwaitingValidation => spelling::AWAITING_VALIDATION,
        ReplyState::Returned => spelling::RETURNED,
        ReplyState::Queued => spelling::QUEUED,
        ReplyState::Sent => spelling::SENT,
        ReplyState::Withdrawn => spelling::WITHDRAWN,
        ReplyState::Refused => spelling::REFUSED,
    }
}

fn parse_state(value: &str) -> Result<ReplyState, StoreError> {
    Ok(match value {
        spelling::AWAITING_VALIDATION => ReplyState::AwaitingValidation,
        spelling::RETURNED => ReplyState::Returned,
        spelling::QUEUED => ReplyState::Queued,
        spelling::SENT => ReplyState::Sent,
        spelling::WITHDRAWN => ReplyState::Withdrawn,
        spelling::REFUSED => ReplyState::Refused,
        _ => {
            return Err(StoreError::CorruptText {
                what: "replies.state",
                value: value.to_string(),
            })
        }
    })
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
    /// Initial state.
    pub state: ReplyState,
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
    /// Where it is.
    pub state: ReplyState,
    /// The supervisor's observations or the refusal's reasons.
    pub observations: Option<String>,
    /// See [`NewReply::notification_message_id`].
    pub notification_message_id: Option<String>,
    /// See [`NewReply::reply_message_id`].
    pub reply_message_id: Option<String>,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// How it was approved.
    pub approved_via: Option<ApprovalChannel>,
    /// When the supervisor confirmed the notice's approval link (carried out by the next reply pass).
    pub approval_requested_at: Option<DateTime<Utc>>,
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
     notification_message_id, reply_message_id, approved_by, submitted_at, sent_at, draft_message_id, \
     approved_via, approval_requested_at";

fn reply_from_row(row: &AnyRow) -> Result<ReplyRow, StoreError> {
    Ok(ReplyRow {
        id: row.get(0),
        consultation_id: row.get(1),
        draft_fingerprint: row.get(2),
        author: row.get(3),
        legal: row.get::<i64, _>(4) != 0,
        state: parse_state(&row.get::<String, _>(5))?,
        observations: row.get(6),
        notification_message_id: row.get(7),
        reply_message_id: row.get(8),
        approved_by: row.get(9),
        submitted_at: instant("replies.submitted_at", row.get(10))?,
        sent_at: optional_instant("replies.sent_at", row.get(11))?,
        draft_message_id: row.get(12),
        approved_via: row
            .get::<Option<String>, _>(13)
            .as_deref()
            .and_then(ApprovalChannel::parse),
        approval_requested_at: optional_instant("replies.approval_requested_at", row.get(14))?,
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
        // `approve_reply`, and a reply is queued only by a draft accepted to be sent.
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
        .bind(state_text(reply.state))
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
            if reply.state != ReplyState::Refused {
                sqlx::query("UPDATE replies SET state = $1 WHERE consultation_id = $2 AND state = $3 AND id <> $4")
                    .bind(spelling::WITHDRAWN)
                    .bind(consultation_id)
                    .bind(spelling::RETURNED)
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

    /// The supervisor approved reply `id`: queue `outgoing` (the reply to the citizen) and `also` (his answer),
    /// and write `event` in the history. `false` when the reply was not waiting for validation (approved or
    /// returned before): nothing changes.
    pub async fn approve_reply(
        &self,
        id: i64,
        approval: &Approval,
        outgoing: &NewOutgoing,
        also: &[NewOutgoing],
        event: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let consultation: Option<Option<i64>> = sqlx::query_scalar(
            "UPDATE replies SET state = $1, approved_by = $2, approved_at = $3, reply_message_id = $4, \
               approved_via = $7 \
             WHERE id = $5 AND state = $6 RETURNING consultation_id",
        )
        .bind(spelling::QUEUED)
        .bind(approval.by.as_str())
        .bind(millis(now))
        .bind(outgoing.message_id.as_str())
        .bind(id)
        .bind(spelling::AWAITING_VALIDATION)
        .bind(approval.via.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::query("aprobar una respuesta"))?;
        let Some(consultation) = consultation else {
            return Ok(false);
        };
        enqueue_in(&mut tx, outgoing, now).await?;
        self.queue_and_note(&mut tx, consultation, also, event, now)
            .await?;
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar una aprobación"))?;
        Ok(true)
    }

    /// The supervisor returned reply `id` with `observations`; `also` (his answer) is queued and `event` written
    /// in the same transaction. `false` when it was not waiting for validation.
    pub async fn return_reply(
        &self,
        id: i64,
        observations: &str,
        also: &[NewOutgoing],
        event: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let consultation: Option<Option<i64>> = sqlx::query_scalar(
            "UPDATE replies SET state = $1, observations = $2 WHERE id = $3 AND state = $4 RETURNING consultation_id",
        )
        .bind(spelling::RETURNED)
        .bind(observations)
        .bind(id)
        .bind(spelling::AWAITING_VALIDATION)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::query("devolver una respuesta"))?;
        let Some(consultation) = consultation else {
            return Ok(false);
        };
        self.queue_and_note(&mut tx, consultation, also, event, now)
            .await?;
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar una devolución"))?;
        Ok(true)
    }

    /// The consultation a draft in this thread answers: of the consultations these Message-IDs belong to — a
    /// citizen's message, the acknowledgement triaje sent for it, the reply triaje sent, the supervisor's
    /// notice — the newest one still open; when none is open, the newest one (answered: the draft is then
    /// refused as already answered). Any mailbox: the caller tells a draft dropped in the wrong one.
    ///
    /// This is the thread as the register knows it today (the Message-IDs triaje recorded or sent); a thread
    /// table that also knows follow-ups can replace the body without changing what it promises.
    pub async fn open_consultation_of_thread(
        &self,
        ids: &[String],
    ) -> Result<Option<ConsultationRow>, StoreError> {
        let mut found: Vec<ConsultationRow> = Vec::new();
        for id in ids {
            let rows = sqlx::query(concat!(
                "SELECT ",
                consultation_columns!(),
                " FROM consultations WHERE state NOT IN ($2, $3) AND (message_id = $1 \
                   OR id IN (SELECT consultation_id FROM outbox WHERE message_id = $1 AND consultation_id IS NOT NULL) \
                   OR id IN (SELECT consultation_id FROM replies WHERE consultation_id IS NOT NULL \
                             AND (reply_message_id = $1 OR notification_message_id = $1)))"
            ))
            .bind(id.as_str())
            .bind(consultation_state::FOLLOWUP)
            // Machine mail (a bounce, an auto-reply) threads with our mail but is never a consultation to answer.
            .bind(consultation_state::AUTOMATIC)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("buscar la consulta de un hilo"))?;
            for row in &rows {
                let c = consultation_from_row(row)?;
                if !found.iter().any(|f| f.id == c.id) {
                    found.push(c);
                }
            }
        }
        let open = |c: &ConsultationRow| c.state.is_answerable();
        let newest_open = found.iter().filter(|c| open(c)).max_by_key(|c| c.id);
        Ok(newest_open
            .or_else(|| found.iter().max_by_key(|c| c.id))
            .cloned())
    }

    /// Open consultations of `mailbox` whose answer goes to `address` (their `Reply-To`, else `From`): the
    /// candidates for a draft without threading headers (Outlook), matched by subject by the caller.
    pub async fn open_consultations_answered_to(
        &self,
        mailbox: &str,
        address: &str,
    ) -> Result<Vec<ConsultationRow>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            consultation_columns!(),
            " FROM consultations WHERE mailbox = $1 AND state IN ($3, $4) \
               AND (LOWER(reply_to_addr) = $2 OR (reply_to_addr IS NULL AND LOWER(from_addr) = $2)) ORDER BY id"
        ))
        .bind(mailbox)
        .bind(address.to_ascii_lowercase())
        .bind(consultation_state::RECORDED)
        .bind(consultation_state::FILED)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("buscar las consultas abiertas de un ciudadano"))?;
        rows.iter().map(consultation_from_row).collect()
    }

    /// The reply with row id `id`, if any.
    pub async fn reply_by_id(&self, id: i64) -> Result<Option<ReplyRow>, StoreError> {
        let sql = format!("SELECT {REPLY_COLUMNS} FROM replies WHERE id = $1");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("buscar un borrador"))?;
        row.as_ref().map(reply_from_row).transpose()
    }

    /// The supervisor confirmed the approval link of reply `id`'s notice: the mailbox's next reply pass carries
    /// it out. `false` when the reply is not waiting for validation (or the link was confirmed before).
    pub async fn request_link_approval(
        &self,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let changed = sqlx::query(
            "UPDATE replies SET approval_requested_at = $1 WHERE id = $2 AND state = $3 \
             AND approval_requested_at IS NULL",
        )
        .bind(millis(now))
        .bind(id)
        .bind(spelling::AWAITING_VALIDATION)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("registrar una aprobación por enlace"))?
        .rows_affected();
        Ok(changed > 0)
    }

    /// Replies of `mailbox` whose approval link the supervisor confirmed, still waiting to be carried out.
    pub async fn link_approvals_to_carry_out(
        &self,
        mailbox: &str,
    ) -> Result<Vec<ReplyRow>, StoreError> {
        let columns = REPLY_COLUMNS
            .split(',')
            .map(|c| format!("r.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {columns} FROM replies r JOIN consultations c ON c.id = r.consultation_id \
             WHERE c.mailbox = $1 AND r.state = $2 AND r.approval_requested_at IS NOT NULL ORDER BY r.id"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(mailbox)
            .bind(spelling::AWAITING_VALIDATION)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query(
                "leer las aprobaciones por enlace pendientes",
            ))?;
        rows.iter().map(reply_from_row).collect()
    }

    /// A confirmed approval link that was refused (the supervisor wrote the draft): forget the request so it is
    /// not tried again, queue `also` (the answer to the supervisor) and write `event`, in one transaction.
    pub async fn refuse_approval(
        &self,
        reply: &ReplyRow,
        also: &[NewOutgoing],
        event: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE replies SET approval_requested_at = NULL WHERE id = $1")
            .bind(reply.id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("anular una aprobación por enlace"))?;
        self.queue_and_note(&mut tx, reply.consultation_id, also, event, now)
            .await?;
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar una aprobación rechazada"))
    }

    /// A line in consultation `consultation_id`'s history, with `also` queued (an answer, a notice) in the same
    /// transaction.
    pub async fn reply_history(
        &self,
        consultation_id: Option<i64>,
        also: &[NewOutgoing],
        event: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        self.queue_and_note(&mut tx, consultation_id, also, event, now)
            .await?;
        tx.commit()
            .await
            .map_err(StoreError::query("registrar un paso de una respuesta"))
    }

    /// Queues `also` and writes `event` in consultation `consultation_id`'s history, inside `tx`.
    async fn queue_and_note(
        &self,
        tx: &mut sqlx::AnyConnection,
        consultation_id: Option<i64>,
        also: &[NewOutgoing],
        event: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        for out in also {
            enqueue_in(tx, out, now).await?;
        }
        if let Some(consultation_id) = consultation_id {
            let ev = NewEvent {
                consultation_id,
                kind: "reply",
                detail: event.to_string(),
            };
            events::append(tx, self.backend, &[ev], now).await?;
        }
        Ok(())
    }

    /// Records what the server's ACL guarantees about `mailbox`'s approved folder, for `status`.
    pub async fn set_approval_guard(
        &self,
        mailbox: &str,
        guard: &DragGuard,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (guarded, detail) = match guard {
            DragGuard::Guarded => (1_i64, String::new()),
            DragGuard::Unguarded(why) => (0, why.clone()),
        };
        sqlx::query(
            "INSERT INTO approval_guards (mailbox, guarded, detail, checked_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (mailbox) DO UPDATE SET guarded = $2, detail = $3, checked_at = $4",
        )
        .bind(mailbox)
        .bind(guarded)
        .bind(detail)
        .bind(millis(now))
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("registrar los permisos de la carpeta de aprobadas"))?;
        Ok(())
    }

    /// What the server's ACL guaranteed about each mailbox's approved folder when last checked.
    pub async fn approval_guards(&self) -> Result<Vec<(String, DragGuard)>, StoreError> {
        let rows =
            sqlx::query("SELECT mailbox, guarded, detail FROM approval_guards ORDER BY mailbox")
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::query(
                    "leer los permisos de las carpetas de aprobadas",
                ))?;
        Ok(rows
            .iter()
            .map(|r| {
                let guard = if r.get::<i64, _>(1) != 0 {
                    DragGuard::Guarded
                } else {
                    DragGuard::Unguarded(r.get(2))
                };
                (r.get(0), guard)
            })
            .collect())
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
            .bind(spelling::QUEUED)
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
            .bind(spelling::SENT)
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
