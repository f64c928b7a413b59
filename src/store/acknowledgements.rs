//! Acknowledgements still to queue, and queueing them: the outbox row and the consultation's `ack` state change
//! in one transaction, so a crash never loses an acknowledgement nor queues one twice.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::consultations::ack;
use super::events::{self, NewEvent};
use super::outbox::{enqueue_in, NewOutgoing, OutgoingKind};
use super::sql::{instant, word};
use super::{Store, StoreError};
use crate::vocabulary::AttentionKind;

/// A consultation whose citizen has not been acknowledged yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingAck {
    /// Consultation id.
    pub id: i64,
    /// Ticket number.
    pub ticket: String,
    /// The citizen's `Message-ID`, for threading.
    pub message_id: Option<String>,
    /// Sender address.
    pub from_addr: Option<String>,
    /// Sender name.
    pub from_name: Option<String>,
    /// `Reply-To` address, when given.
    pub reply_to_addr: Option<String>,
    /// Subject.
    pub subject: String,
    /// Real arrival.
    pub received_at: DateTime<Utc>,
    /// When the deadline starts counting.
    pub effective_received_at: DateTime<Utc>,
    /// Deadline.
    pub deadline_at: DateTime<Utc>,
    /// The kind of attention: which acknowledgement it gets.
    pub kind: AttentionKind,
}

/// What to do with one pending acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AckResolution {
    /// Queue this message.
    Queue(NewOutgoing),
    /// Send nothing, for this reason (Spanish, for the register).
    Skip(String),
}

impl Store {
    /// Consultations of `mailbox` still waiting for their acknowledgement to be queued, oldest first.
    pub async fn pending_acknowledgements(
        &self,
        mailbox: &str,
        limit: usize,
    ) -> Result<Vec<PendingAck>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, ticket, message_id, from_addr, from_name, reply_to_addr, subject, received_at, \
               effective_received_at, deadline_at, kind \
             FROM consultations WHERE mailbox = $1 AND ack = $2 ORDER BY id LIMIT $3",
        )
        .bind(mailbox)
        .bind(ack::PENDING)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("leer los acuses de recibo pendientes"))?;
        rows.iter()
            .map(|row| {
                Ok(PendingAck {
                    id: row.get(0),
                    ticket: row.get(1),
                    message_id: row.get(2),
                    from_addr: row.get(3),
                    from_name: row.get(4),
                    reply_to_addr: row.get(5),
                    subject: row.get(6),
                    received_at: instant("consultations.received_at", row.get(7))?,
                    effective_received_at: instant(
                        "consultations.effective_received_at",
                        row.get(8),
                    )?,
                    deadline_at: instant("consultations.deadline_at", row.get(9))?,
                    kind: word("consultations.kind", row.get(10))?,
                })
            })
            .collect()
    }

    /// How many acknowledgements were queued for `address` since `since` (the per-sender hourly limit).
    pub async fn acknowledgements_since(
        &self,
        address: &str,
        since: DateTime<Utc>,
    ) -> Result<u32, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE kind = $1 AND recipients = $2 AND created_at >= $3",
        )
        .bind(OutgoingKind::Acknowledgement.as_str())
        .bind(address)
        .bind(since.timestamp_millis())
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query(
            "contar los acuses enviados a un remitente",
        ))?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Queues or skips each pending acknowledgement, in one transaction. A consultation no longer pending (another
    /// daemon did it) is left alone, and an outbox row is only written for a consultation this call moved out of
    /// `pending`. Returns how many were queued.
    pub async fn resolve_acknowledgements(
        &self,
        items: &[(i64, AckResolution)],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        if items.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        let mut queued = 0;
        let mut log = Vec::with_capacity(items.len());
        for (id, resolution) in items {
            // A message sent to both `consultas@` and `contacto@` is two consultations but gets one
            // acknowledgement: checked inside the write transaction, so two mailboxes' workers cannot both send.
            // "The same message" is the same content from the same sender (its content fingerprint), not the same
            // Message-ID: two citizens' different messages can share one. Rows recorded before the content
            // fingerprint existed fall back to Message-ID and sender.
            let elsewhere: Option<String> = match resolution {
                AckResolution::Queue(_) => acknowledged_elsewhere(&mut tx, *id).await?,
                AckResolution::Skip(_) => None,
            };
            let duplicate = elsewhere.map(|other| {
                AckResolution::Skip(format!(
                    "sin acuse: el mismo mensaje llegó también al buzón «{other}», que ya acusó recibo"
                ))
            });
            let resolution = duplicate.as_ref().unwrap_or(resolution);
            let next = match resolution {
                AckResolution::Queue(_) => ack::QUEUED,
                AckResolution::Skip(_) => ack::SKIPPED,
            };
            let changed =
                sqlx::query("UPDATE consultations SET ack = $1 WHERE id = $2 AND ack = $3")
                    .bind(next)
                    .bind(*id)
                    .bind(ack::PENDING)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::query("anotar el acuse de recibo"))?
                    .rows_affected();
            if changed == 0 {
                continue;
            }
            match resolution {
                AckResolution::Queue(message) => {
                    enqueue_in(&mut tx, message, now).await?;
                    queued += 1;
                    log.push(NewEvent {
                        consultation_id: *id,
                        kind: "ack_queued",
                        detail: format!(
                            "acuse de recibo en cola para {}",
                            message.recipients.join(", ")
                        ),
                    });
                }
                AckResolution::Skip(reason) => log.push(NewEvent {
                    consultation_id: *id,
                    kind: "ack_skipped",
                    detail: reason.clone(),
                }),
            }
        }
        events::append(&mut tx, self.backend, &log, now).await?;
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar los acuses de recibo"))?;
        Ok(queued)
    }
}

/// The mailbox of another consultation of the same message (same content fingerprint, or same Message-ID for rows
/// recorded before fingerprints existed) from the same sender that was acknowledged already.
async fn acknowledged_elsewhere(
    conn: &mut sqlx::AnyConnection,
    id: i64,
) -> Result<Option<String>, StoreError> {
    let row = sqlx::query(
        "SELECT content_fingerprint, message_id, COALESCE(reply_to_addr, from_addr) FROM consultations WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(StoreError::query("buscar un acuse de otro buzón"))?;
    let Some(row) = row else { return Ok(None) };
    let (content, message_id, sender): (Option<String>, Option<String>, Option<String>) =
        (row.get(0), row.get(1), row.get(2));
    let Some(sender) = sender else {
        return Ok(None);
    };
    let (column, key) = match (content, message_id) {
        (Some(content), _) => ("content_fingerprint", content),
        (None, Some(message_id)) => ("message_id", message_id),
        (None, None) => return Ok(None),
    };
    // Only a column name chosen above is interpolated; every value is bound.
    let sql = format!(
        "SELECT mailbox FROM consultations WHERE {column} = $1 AND id <> $2 AND ack = $3 \
           AND COALESCE(reply_to_addr, from_addr) = $4 ORDER BY id LIMIT 1"
    );
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(key)
        .bind(id)
        .bind(ack::QUEUED)
        .bind(sender)
        .fetch_optional(&mut *conn)
        .await
        .map_err(StoreError::query("buscar un acuse de otro buzón"))
}
