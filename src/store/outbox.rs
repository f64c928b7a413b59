//! The outbox: outgoing mail queued durably, claimed by one sender at a time, and its fate recorded.
//!
//! A row's life: `queued` → (claimed) `sending` → `sent`, or back to `queued` with a later `next_attempt_at`
//! after a temporary failure, or `failed` after a permanent one. A `sending` row whose claim expired (its sender
//! died) is due again. Rows are never deleted.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use super::sql::{instant, millis, optional_instant};
use super::{Backend, Store, StoreError};

/// Why a message is sent; decided by whoever composed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutgoingKind {
    /// The acknowledgement a citizen gets with the ticket number and due date.
    Acknowledgement,
    /// The reply to a citizen, with its survey.
    Reply,
    /// A notice to the supervisor or the coordinator.
    Notification,
}

impl OutgoingKind {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            OutgoingKind::Acknowledgement => "acknowledgement",
            OutgoingKind::Reply => "reply",
            OutgoingKind::Notification => "notification",
        }
    }

    /// Reads the stored spelling back.
    pub(crate) fn parse(value: &str) -> Result<OutgoingKind, StoreError> {
        match value {
            "acknowledgement" => Ok(OutgoingKind::Acknowledgement),
            "reply" => Ok(OutgoingKind::Reply),
            "notification" => Ok(OutgoingKind::Notification),
            _ => Err(StoreError::CorruptText {
                what: "outbox.kind",
                value: value.to_string(),
            }),
        }
    }
}

impl fmt::Display for OutgoingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an outgoing message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutgoingState {
    /// Waiting for its `next_attempt_at`.
    Queued,
    /// Claimed by a sender until its claim expires.
    Sending,
    /// The server accepted it (250 after DATA).
    Sent,
    /// The server refused it for good (5xx), or temporary failures lasted past `give_up_hours`.
    Failed,
}

/// Stored spellings of [`OutgoingState`].
mod state {
    pub const QUEUED: &str = "queued";
    pub const SENDING: &str = "sending";
    pub const SENT: &str = "sent";
    pub const FAILED: &str = "failed";
}

impl OutgoingState {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            OutgoingState::Queued => state::QUEUED,
            OutgoingState::Sending => state::SENDING,
            OutgoingState::Sent => state::SENT,
            OutgoingState::Failed => state::FAILED,
        }
    }

    /// Reads the stored spelling back.
    fn parse(value: &str) -> Result<OutgoingState, StoreError> {
        match value {
            state::QUEUED => Ok(OutgoingState::Queued),
            state::SENDING => Ok(OutgoingState::Sending),
            state::SENT => Ok(OutgoingState::Sent),
            state::FAILED => Ok(OutgoingState::Failed),
            _ => Err(StoreError::CorruptText {
                what: "outbox.state",
                value: value.to_string(),
            }),
        }
    }
}

/// A message to queue: composed elsewhere, sent byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutgoing {
    /// The `[[mailbox]]` whose SMTP account sends it.
    pub mailbox: String,
    /// Why it is sent.
    pub kind: OutgoingKind,
    /// The consultation it is about, if any.
    pub consultation_id: Option<i64>,
    /// Its `Message-ID` (without angle brackets or with, as long as it is always written the same way):
    /// queueing the same one twice queues it once.
    pub message_id: String,
    /// `MAIL FROM`; empty for the null reverse path (`<>`).
    pub envelope_from: String,
    /// `RCPT TO`, at least one.
    pub recipients: Vec<String>,
    /// The whole RFC 5322 message, CRLF line endings.
    pub raw: Vec<u8>,
}

/// A claimed message, ready to send.
#[derive(Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Row id, for `mark_*`.
    pub id: i64,
    /// See [`NewOutgoing::mailbox`].
    pub mailbox: String,
    /// See [`NewOutgoing::kind`].
    pub kind: OutgoingKind,
    /// See [`NewOutgoing::consultation_id`].
    pub consultation_id: Option<i64>,
    /// See [`NewOutgoing::message_id`].
    pub message_id: String,
    /// See [`NewOutgoing::envelope_from`].
    pub envelope_from: String,
    /// See [`NewOutgoing::recipients`].
    pub recipients: Vec<String>,
    /// See [`NewOutgoing::raw`].
    pub raw: Vec<u8>,
    /// SMTP transactions tried before this claim.
    pub attempts: i64,
    /// When it was queued (the give-up clock starts here).
    pub created_at: DateTime<Utc>,
}

impl fmt::Debug for Outgoing {
    /// Everything but the message itself, which may hold a citizen's personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Outgoing")
            .field("id", &self.id)
            .field("mailbox", &self.mailbox)
            .field("kind", &self.kind)
            .field("message_id", &self.message_id)
            .field("attempts", &self.attempts)
            .field("bytes", &self.raw.len())
            .finish_non_exhaustive()
    }
}

/// What was sent (or not) about a consultation, for tests and `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingSummary {
    /// Why it is sent.
    pub kind: OutgoingKind,
    /// Where it stands.
    pub state: OutgoingState,
    /// Its `Message-ID`.
    pub message_id: String,
    /// When the server accepted it.
    pub sent_at: Option<DateTime<Utc>>,
    /// SMTP transactions tried.
    pub attempts: i64,
    /// The last failure's reason (kept after a later success).
    pub last_error: Option<String>,
}

/// The outbox at a glance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    /// Waiting to be sent (including retries).
    pub queued: i64,
    /// Claimed by a sender right now (or by one that died, until its claim expires).
    pub sending: i64,
    /// Accepted by the server.
    pub sent: i64,
    /// Refused for good; the coordinator must look at them.
    pub failed: i64,
    /// When the oldest message not yet sent (queued or sending) was queued.
    pub oldest_queued_at: Option<DateTime<Utc>>,
}

/// The columns `outgoing_from_row` reads, in order.
const OUTGOING_COLUMNS: &str =
    "id, mailbox, kind, consultation_id, message_id, envelope_from, recipients, raw, \
                                attempts, created_at";

impl Store {
    /// Queues `message` to be sent; `false` when a message with its `Message-ID` was queued before (nothing
    /// changes then, whatever its state).
    pub async fn enqueue(
        &self,
        message: &NewOutgoing,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let queued = enqueue_in(&mut tx, message, now).await?;
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar un correo en cola"))?;
        Ok(queued)
    }

    /// Claims up to `limit` due messages for `instance` until `now + lease` and returns them, oldest due first.
    ///
    /// Due: `queued` with `next_attempt_at <= now`, or `sending` with an expired claim (its sender died).
    /// On PostgreSQL rows locked by another claimer are skipped (`FOR UPDATE SKIP LOCKED`), so concurrent
    /// senders get disjoint sets; on SQLite the write transaction is exclusive.
    pub async fn claim_due(
        &self,
        instance: &str,
        now: DateTime<Utc>,
        lease: Duration,
        limit: usize,
    ) -> Result<Vec<Outgoing>, StoreError> {
        let skip_locked = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE outbox SET state = $1, claimed_by = $2, claimed_until = $3 \
             WHERE id IN (SELECT id FROM outbox \
                          WHERE (state = $4 AND next_attempt_at <= $5) OR (state = $1 AND claimed_until <= $5) \
                          ORDER BY next_attempt_at, id LIMIT $6{skip_locked}) \
             RETURNING {OUTGOING_COLUMNS}, next_attempt_at"
        );
        let mut tx = self.begin_write().await?;
        // An acknowledgement whose send was interrupted (the sender died after starting it) may have reached
        // the citizen: it is not sent again, so a citizen gets at most one per consultation.
        sqlx::query(
            "UPDATE outbox SET state = $1, last_error = $2, claimed_by = NULL, claimed_until = NULL \
             WHERE state = $3 AND claimed_until <= $4 AND started_at IS NOT NULL AND kind = $5",
        )
        .bind(state::FAILED)
        .bind(
            "envío interrumpido sin confirmación del servidor: el acuse quizá llegó y no se reenvía para no \
             duplicarlo",
        )
        .bind(state::SENDING)
        .bind(millis(now))
        .bind(OutgoingKind::Acknowledgement.as_str())
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("cerrar acuses interrumpidos"))?;
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(state::SENDING)
            .bind(instance)
            .bind(millis(now + lease))
            .bind(state::QUEUED)
            .bind(millis(now))
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&mut *tx)
            .await
            .map_err(StoreError::query("tomar correos pendientes de envío"))?;
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar la toma de correos"))?;
        // RETURNING gives no order: put them back in the order they were due.
        let mut claimed = rows
            .iter()
            .map(|row| Ok((row.get::<i64, _>(10), outgoing_from_row(row)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        claimed.sort_by_key(|(due, outgoing)| (*due, outgoing.id));
        Ok(claimed.into_iter().map(|(_, outgoing)| outgoing).collect())
    }

    /// Extends `instance`'s claim on message `id` to `until`, right before sending it; `false` when the claim
    /// is no longer `instance`'s (it expired and another sender took the message, or it is no longer `sending`),
    /// in which case the message must not be sent.
    pub async fn renew_claim(
        &self,
        id: i64,
        instance: &str,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE outbox SET claimed_until = $1, started_at = $5 WHERE id = $2 AND claimed_by = $3 AND state = $4",
        )
        .bind(millis(until))
        .bind(id)
        .bind(instance)
        .bind(state::SENDING)
        .bind(millis(Utc::now()))
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("renovar la toma de un correo"))?;
        Ok(done.rows_affected() == 1)
    }

    /// Records that the server accepted message `id` (sent by `instance`) at `at`; counts the attempt.
    pub async fn mark_sent(
        &self,
        id: i64,
        instance: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // Unconditional on the claim: the message did go out, whoever holds the row now.
        sqlx::query(
            "UPDATE outbox SET state = $1, sent_at = $2, claimed_by = $3, claimed_until = NULL, \
               attempts = attempts + 1 \
             WHERE id = $4 AND state <> $1",
        )
        .bind(state::SENT)
        .bind(millis(at))
        .bind(instance)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("anotar un correo como enviado"))?;
        Ok(())
    }

    /// Puts message `id` back in the queue after a temporary failure, due again at `next_attempt_at`;
    /// counts the attempt. Does nothing to a message already `sent` or `failed`.
    pub async fn mark_retry(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET state = $1, next_attempt_at = $2, last_error = $3, claimed_by = NULL, \
               claimed_until = NULL, started_at = NULL, attempts = attempts + 1 \
             WHERE id = $4 AND state IN ($1, $5)",
        )
        .bind(state::QUEUED)
        .bind(millis(next_attempt_at))
        .bind(error)
        .bind(id)
        .bind(state::SENDING)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("reprogramar un correo"))?;
        Ok(())
    }

    /// Records that message `id` will never be sent (a permanent refusal, or retries past the limit), with the
    /// reason; counts the attempt. The row stays for the coordinator to see.
    pub async fn mark_failed(&self, id: i64, error: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET state = $1, last_error = $2, claimed_by = NULL, claimed_until = NULL, \
               attempts = attempts + 1 \
             WHERE id = $3 AND state IN ($4, $5)",
        )
        .bind(state::FAILED)
        .bind(error)
        .bind(id)
        .bind(state::QUEUED)
        .bind(state::SENDING)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("anotar un correo como fallido"))?;
        Ok(())
    }

    /// Hands back, untried, every message `instance` still holds (a sender stopping mid-batch), so others
    /// need not wait for the claims to expire.
    pub async fn release_claims(&self, instance: &str) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE outbox SET state = $1, claimed_by = NULL, claimed_until = NULL, started_at = NULL \
             WHERE claimed_by = $2 AND state = $3",
        )
        .bind(state::QUEUED)
        .bind(instance)
        .bind(state::SENDING)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("devolver correos tomados"))?;
        Ok(done.rows_affected())
    }

    /// How many messages are in each state, and since when the oldest unsent one waits.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(CASE WHEN state = $1 THEN 1 END), COUNT(CASE WHEN state = $2 THEN 1 END), \
               COUNT(CASE WHEN state = $3 THEN 1 END), COUNT(CASE WHEN state = $4 THEN 1 END), \
               MIN(CASE WHEN state IN ($1, $2) THEN created_at END) \
             FROM outbox",
        )
        .bind(state::QUEUED)
        .bind(state::SENDING)
        .bind(state::SENT)
        .bind(state::FAILED)
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("contar el correo saliente"))?;
        Ok(OutboxCounts {
            queued: row.get(0),
            sending: row.get(1),
            sent: row.get(2),
            failed: row.get(3),
            oldest_queued_at: optional_instant("outbox.created_at", row.get(4))?,
        })
    }

    /// Every message queued about `consultation_id`, in the order queued.
    pub async fn outgoing_for(
        &self,
        consultation_id: i64,
    ) -> Result<Vec<OutgoingSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, state, message_id, sent_at, attempts, last_error FROM outbox \
             WHERE consultation_id = $1 ORDER BY id",
        )
        .bind(consultation_id)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("leer el correo saliente de una consulta"))?;
        rows.iter().map(summary_from_row).collect()
    }

    /// The message queued with `message_id`, whatever its state.
    pub async fn outgoing_by_message_id(
        &self,
        message_id: &str,
    ) -> Result<Option<OutgoingSummary>, StoreError> {
        let row = sqlx::query(
            "SELECT kind, state, message_id, sent_at, attempts, last_error FROM outbox WHERE message_id = $1",
        )
        .bind(message_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("leer un correo saliente"))?;
        row.as_ref().map(summary_from_row).transpose()
    }
}

/// Queues `message` inside the caller's write transaction (opened with `Store::begin_write`, so that on SQLite it
/// holds the write lock): the consultation and its acknowledgement commit together or not at all.
/// `false` when its `Message-ID` was queued before.
pub(crate) async fn enqueue_in(
    conn: &mut AnyConnection,
    message: &NewOutgoing,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let inserted = sqlx::query(
        "INSERT INTO outbox (mailbox, kind, consultation_id, message_id, envelope_from, recipients, raw, \
           state, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $9) \
         ON CONFLICT (message_id) DO NOTHING RETURNING id",
    )
    .bind(message.mailbox.as_str())
    .bind(message.kind.as_str())
    .bind(message.consultation_id)
    .bind(message.message_id.as_str())
    .bind(message.envelope_from.as_str())
    .bind(message.recipients.join("\n"))
    .bind(message.raw.as_slice())
    .bind(state::QUEUED)
    .bind(millis(now))
    .fetch_optional(conn)
    .await
    .map_err(StoreError::query("poner un correo en cola"))?;
    Ok(inserted.is_some())
}

/// A claimed row (columns as in `OUTGOING_COLUMNS`).
fn outgoing_from_row(row: &AnyRow) -> Result<Outgoing, StoreError> {
    let recipients: String = row.get(6);
    Ok(Outgoing {
        id: row.get(0),
        mailbox: row.get(1),
        kind: OutgoingKind::parse(row.get(2))?,
        consultation_id: row.get(3),
        message_id: row.get(4),
        envelope_from: row.get(5),
        recipients: recipients
            .lines()
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect(),
        raw: row.get(7),
        attempts: row.get(8),
        created_at: instant("outbox.created_at", row.get(9))?,
    })
}

/// A summary row (kind, state, message_id, sent_at, attempts, last_error).
fn summary_from_row(row: &AnyRow) -> Result<OutgoingSummary, StoreError> {
    Ok(OutgoingSummary {
        kind: OutgoingKind::parse(row.get(0))?,
        state: OutgoingState::parse(row.get(1))?,
        message_id: row.get(2),
        sent_at: optional_instant("outbox.sent_at", row.get(3))?,
        attempts: row.get(4),
        last_error: row.get(5),
    })
}
