//! Conversations: which consultation a message belongs to when it answers something of the thread.
//!
//! A thread is named by its first consultation (the *root*). Its known `Message-ID`s are:
//! - the citizen's messages: `consultations.message_id` of the root and of every later message recorded in the
//!   thread (`consultations.thread_id` = the root, `thread_role` saying what it is);
//! - what triaje sent about any of them: the outbox's `message_id` of the acknowledgement and of the reply
//!   (queued in the same transaction as their cause, so a thread never misses one). The supervisor's notices are
//!   not part of the citizen's thread: an answer to a notice is a verdict, never a consultation.
//!
//! So «which thread is this message in» is one statement over two unique-or-indexed columns, and «the open
//! consultation of this thread» is one more over `thread_id`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::{AssertSqlSafe, Row};

use super::consultations::{
    consultation_columns, consultation_from_row, state, CONSULTATION_COLUMN_COUNT,
};
use super::events::{self, NewEvent};
use super::outbox::OutgoingKind;
use super::sql::{keep_prepared, millis, word, Placeholders, ROWS_PER_STATEMENT};
use super::{ConsultationRow, Store, StoreError};
use crate::vocabulary::{ConsultationState, ThreadRole};

/// How many ids one lookup carries at most (a long `References` chain is cut to its most recent ids).
const IDS_PER_LOOKUP: usize = 50;

/// The event kind written on the consultation a message of `role` joins.
fn event_kind(role: ThreadRole) -> &'static str {
    match role {
        ThreadRole::FollowUp => "followup_received",
        ThreadRole::Addition => "information_added",
        ThreadRole::Thanks => "thanks_received",
        ThreadRole::Copy => "copy_received",
    }
}

/// One consultation of a thread with its role (`None` for the root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadMember {
    /// The register's row.
    pub consultation: ConsultationRow,
    /// What it is in the thread; `None` for the thread's first consultation.
    pub role: Option<ThreadRole>,
}

impl ThreadMember {
    /// Whether this is an attention (the thread's first consultation or a follow-up) the office must answer or
    /// has answered — not an addition, a thanks, a copy, an answer to triaje's own mail, nor an unreadable one.
    pub fn is_attention(&self) -> bool {
        matches!(self.role, None | Some(ThreadRole::FollowUp))
            && self.consultation.state != ConsultationState::Followup
            && self.consultation.state != ConsultationState::Error
    }

    /// Whether it is an attention still waiting for its answer.
    pub fn is_open_attention(&self) -> bool {
        self.is_attention() && self.consultation.state != ConsultationState::Answered
    }
}

/// A conversation as the register holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    /// The thread's first consultation's id.
    pub root_id: i64,
    /// Every consultation of the thread, the root first, in the order they were recorded.
    pub members: Vec<ThreadMember>,
}

impl Thread {
    /// The open consultation of the thread: the latest attention not answered yet.
    pub fn open_attention(&self) -> Option<&ConsultationRow> {
        self.members
            .iter()
            .rev()
            .find(|m| m.is_open_attention())
            .map(|m| &m.consultation)
    }

    /// The latest attention, answered or not: what a new message in the thread is about.
    pub fn latest_attention(&self) -> Option<&ConsultationRow> {
        self.members
            .iter()
            .rev()
            .find(|m| m.is_attention())
            .map(|m| &m.consultation)
    }

    /// The thread's first consultation.
    pub fn root(&self) -> Option<&ConsultationRow> {
        self.members
            .iter()
            .find(|m| m.consultation.id == self.root_id)
            .map(|m| &m.consultation)
    }
}

/// A message recorded in a thread, to link once it is in the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadLink {
    /// The new message's row.
    pub consultation_id: i64,
    /// The thread's first consultation.
    pub root_id: i64,
    /// What the message is.
    pub role: ThreadRole,
    /// The consultation it concerns (the open attention, the one it follows up, the one it copies), whose
    /// history gets `detail`.
    pub target_id: i64,
    /// What happened, in Spanish, for both histories.
    pub detail: String,
}

impl ConsultationRow {
    /// Whether its reply went out (state `answered`).
    pub fn is_answered(&self) -> bool {
        self.state == ConsultationState::Answered
    }
}

impl Store {
    /// The thread that the first of `message_ids` known to the register belongs to (pass `In-Reply-To` first,
    /// then `References` from the most recent). `None` when none is known or the thread has no attention (an
    /// answer to a rating, say).
    pub async fn thread_of(&self, message_ids: &[String]) -> Result<Option<Thread>, StoreError> {
        let ids = &message_ids[..message_ids.len().min(IDS_PER_LOOKUP)];
        if ids.is_empty() {
            return Ok(None);
        }
        let mut p = Placeholders::new(self.backend);
        let first = p.list(ids.len());
        let second = p.list(ids.len());
        let (ack, reply) = (p.one(), p.one());
        let sql = format!(
            "SELECT c.message_id, COALESCE(c.thread_id, c.id) FROM consultations c \
               WHERE c.message_id IN ({first}) \
             UNION ALL \
             SELECT o.message_id, COALESCE(c.thread_id, c.id) FROM outbox o \
               JOIN consultations c ON c.id = o.consultation_id \
               WHERE o.message_id IN ({second}) AND o.kind IN ({ack}, {reply})"
        );
        // Only placeholders are interpolated; every value is bound.
        let mut query = sqlx::query(AssertSqlSafe(sql)).persistent(false);
        for id in ids.iter().chain(ids) {
            query = query.bind(id.as_str());
        }
        let rows = query
            .bind(OutgoingKind::Acknowledgement.as_str())
            .bind(OutgoingKind::Reply.as_str())
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("buscar la conversación de un mensaje"))?;
        let found: Vec<(String, i64)> = rows
            .iter()
            .map(|row| (row.get::<String, _>(0), row.get::<i64, _>(1)))
            .collect();
        // The most recent id the register knows decides (a citizen quoting two conversations answers the last).
        let root = ids
            .iter()
            .find_map(|id| found.iter().find(|(m, _)| m == id).map(|(_, root)| *root));
        match root {
            Some(root) => self.thread(root).await,
            None => Ok(None),
        }
    }

    /// The thread whose first consultation (or any of whose consultations) has ticket `ticket`.
    pub async fn thread_by_ticket(&self, ticket: &str) -> Result<Option<Thread>, StoreError> {
        let root: Option<i64> = sqlx::query_scalar(
            "SELECT COALESCE(thread_id, id) FROM consultations WHERE ticket = $1",
        )
        .bind(ticket)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("buscar la conversación de un ticket"))?;
        match root {
            Some(root) => self.thread(root).await,
            None => Ok(None),
        }
    }

    /// The open consultation of the thread these `Message-ID`s belong to (a draft's `In-Reply-To` and
    /// `References`, most recent first): the latest attention of the conversation not answered yet — a
    /// follow-up the citizen sent after the first answer, or the first consultation itself. `None` when the
    /// ids name no known thread or everything in it is answered (then the draft's own links decide).
    ///
    /// This is the lookup a reply draft is linked with: pressing Reply on any message of the conversation (the
    /// citizen's first question, the acknowledgement, the reply, the follow-up) answers what is open in it.
    pub async fn open_consultation_in_thread(
        &self,
        message_ids: &[String],
    ) -> Result<Option<ConsultationRow>, StoreError> {
        Ok(self
            .thread_of(message_ids)
            .await?
            .and_then(|t| t.open_attention().cloned()))
    }

    /// The thread rooted at `root`, or `None` when it has no attention.
    async fn thread(&self, root: i64) -> Result<Option<Thread>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            consultation_columns!(),
            ", thread_role FROM consultations WHERE id = $1 OR thread_id = $1 ORDER BY id"
        ))
        .bind(root)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("leer una conversación"))?;
        let mut members = Vec::with_capacity(rows.len());
        for row in &rows {
            let role: Option<String> = row.get(CONSULTATION_COLUMN_COUNT);
            members.push(ThreadMember {
                consultation: consultation_from_row(row)?,
                role: role
                    .map(|r| word("consultations.thread_role", r))
                    .transpose()?,
            });
        }
        let thread = Thread {
            root_id: root,
            members,
        };
        Ok(thread.latest_attention().is_some().then_some(thread))
    }

    /// The folder consultation `id` was filed in by triage (what the register shows), also after its answer moved
    /// it to the answered folder: where a follow-up of its conversation belongs.
    pub async fn filed_folder(&self, id: i64) -> Result<Option<String>, StoreError> {
        sqlx::query_scalar(
            "SELECT COALESCE((SELECT e.detail FROM events e WHERE e.consultation_id = c.id AND e.kind = 'filed' \
                              ORDER BY e.id LIMIT 1), c.folder) \
             FROM consultations c WHERE c.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("leer la carpeta de una consulta"))
    }

    /// For each of `message_ids` recorded in a mailbox other than `mailbox` (the same message sent to several of
    /// the office's addresses), the first consultation recorded from it there. One statement per 200 ids: triage
    /// asks once per batch.
    pub async fn same_messages_elsewhere(
        &self,
        mailbox: &str,
        message_ids: &[String],
    ) -> Result<HashMap<String, ConsultationRow>, StoreError> {
        let mut found: HashMap<String, ConsultationRow> = HashMap::new();
        for chunk in message_ids.chunks(ROWS_PER_STATEMENT) {
            let mut p = Placeholders::new(self.backend);
            let list = p.list(chunk.len());
            let other = p.one();
            let sql = format!(
                "SELECT {} FROM consultations WHERE message_id IN ({list}) AND mailbox <> {other} \
                 AND thread_role IS NULL ORDER BY id",
                consultation_columns!()
            );
            // Only column names and placeholders are interpolated; every value is bound.
            let mut query = sqlx::query(AssertSqlSafe(sql))
                .persistent(keep_prepared(chunk.len(), ROWS_PER_STATEMENT));
            for id in chunk {
                query = query.bind(id.as_str());
            }
            let rows = query
                .bind(mailbox)
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::query("buscar el mismo mensaje en otro buzón"))?;
            for row in &rows {
                let c = consultation_from_row(row)?;
                if let Some(id) = c.message_id.clone() {
                    // Ordered by id: the first record of each message stays.
                    found.entry(id).or_insert(c);
                }
            }
        }
        Ok(found)
    }

    /// Links recorded messages to their threads, with an event in both histories. Idempotent: a message already
    /// linked is left alone (a batch repeated after a crash links nothing twice).
    pub async fn join_threads(
        &self,
        links: &[ThreadLink],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if links.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        let mut log = Vec::new();
        for link in links {
            let changed = sqlx::query(
                "UPDATE consultations SET thread_id = $1, thread_role = $2 \
                 WHERE id = $3 AND thread_id IS NULL AND id <> $1",
            )
            .bind(link.root_id)
            .bind(link.role.as_str())
            .bind(link.consultation_id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("unir un mensaje a su conversación"))?
            .rows_affected();
            if changed == 0 {
                continue;
            }
            log.push(NewEvent {
                consultation_id: link.consultation_id,
                kind: "thread",
                detail: link.detail.clone(),
            });
            if link.target_id != link.consultation_id {
                log.push(NewEvent {
                    consultation_id: link.target_id,
                    kind: event_kind(link.role),
                    detail: link.detail.clone(),
                });
            }
        }
        events::append(&mut tx, self.backend, &log, now).await?;
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar las conversaciones"))
    }

    /// Makes copies of the consultations of `mailbox` that another mailbox recorded first from the same message
    /// (same `Message-ID`): when both mailboxes' workers triaged the message at the same moment, neither saw the
    /// other's record and both recorded an attention. The later one becomes a copy (not an attention, no
    /// deadline of its own) of the earlier, unless an assistant already answered or drafted for it. Returns the
    /// tickets of the copies made.
    pub async fn adopt_copies(
        &self,
        mailbox: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let pairs = sqlx::query(
            "SELECT k.id, k.ticket, COALESCE(p.thread_id, p.id), p.id, p.ticket, p.mailbox FROM consultations k \
             JOIN consultations p ON p.message_id = k.message_id AND p.mailbox <> k.mailbox AND p.id < k.id \
             WHERE k.mailbox = $1 AND k.thread_id IS NULL AND k.thread_role IS NULL AND k.state IN ($2, $3) \
               AND p.thread_role IS NULL AND p.state IN ($2, $3, $4) \
               AND NOT EXISTS (SELECT 1 FROM replies r WHERE r.consultation_id = k.id) \
             ORDER BY k.id, p.id",
        )
        .bind(mailbox)
        .bind(state::RECORDED)
        .bind(state::FILED)
        .bind(state::ANSWERED)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("buscar el mismo mensaje registrado en dos buzones"))?;
        if pairs.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.begin_write().await?;
        let mut log = Vec::new();
        let mut adopted: Vec<String> = Vec::new();
        for row in &pairs {
            let (id, ticket, root, first_id, first_ticket, first_mailbox): (
                i64,
                String,
                i64,
                i64,
                String,
                String,
            ) = (
                row.get(0),
                row.get(1),
                row.get(2),
                row.get(3),
                row.get(4),
                row.get(5),
            );
            if adopted.contains(&ticket) {
                continue;
            }
            let changed = sqlx::query(
                "UPDATE consultations SET thread_id = $1, thread_role = $2, state = $3 \
                 WHERE id = $4 AND thread_id IS NULL AND state IN ($5, $6)",
            )
            .bind(root)
            .bind(ThreadRole::Copy.as_str())
            .bind(state::FOLLOWUP)
            .bind(id)
            .bind(state::RECORDED)
            .bind(state::FILED)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query(
                "convertir en copia una consulta repetida",
            ))?
            .rows_affected();
            if changed == 0 {
                continue;
            }
            let detail = format!(
                "el mismo mensaje llegó a los buzones «{first_mailbox}» ({first_ticket}) y «{mailbox}» ({ticket}): \
                 se atiende y responde una sola vez, como {first_ticket}"
            );
            log.push(NewEvent {
                consultation_id: id,
                kind: "thread",
                detail: detail.clone(),
            });
            log.push(NewEvent {
                consultation_id: first_id,
                kind: event_kind(ThreadRole::Copy),
                detail,
            });
            adopted.push(ticket);
        }
        events::append(&mut tx, self.backend, &log, now).await?;
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar las copias de consultas"))?;
        Ok(adopted)
    }

    /// Copies of `mailbox` (the same message delivered to another of the office's mailboxes too) filed in their
    /// folder whose consultation was answered meanwhile: to be filed as answered too.
    pub async fn copies_to_close(&self, mailbox: &str) -> Result<Vec<ConsultationRow>, StoreError> {
        let columns = consultation_columns!()
            .split(", ")
            .map(|c| format!("k.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {columns} FROM consultations k \
             WHERE k.mailbox = $1 AND k.thread_role = $2 AND k.answered_at IS NULL AND k.filed_at IS NOT NULL \
               AND EXISTS (SELECT 1 FROM consultations p WHERE p.message_id = k.message_id AND p.id <> k.id \
                           AND p.state = $3) \
             ORDER BY k.id"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(mailbox)
            .bind(ThreadRole::Copy.as_str())
            .bind(state::ANSWERED)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query(
                "leer las copias de consultas respondidas",
            ))?;
        rows.iter().map(consultation_from_row).collect()
    }

    /// Notes that copy `id` was filed in `folder` as answered (its consultation's answer covers it).
    pub async fn close_copy(
        &self,
        id: i64,
        folder: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE consultations SET answered_at = $1 WHERE id = $2 AND answered_at IS NULL",
        )
        .bind(millis(now))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query(
            "cerrar la copia de una consulta respondida",
        ))?
        .rows_affected();
        if changed > 0 {
            let event = NewEvent {
                consultation_id: id,
                kind: "copy_closed",
                detail: format!(
                    "la consulta se respondió desde el otro buzón; esta copia se archivó en {folder}"
                ),
            };
            events::append(&mut tx, self.backend, &[event], now).await?;
        }
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar el cierre de una copia"))
    }
}
