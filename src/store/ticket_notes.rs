//! The ticket notes filed beside each consultation (see migration 0031): which consultations still need theirs,
//! where each note is, and which notes must follow their consultation to another folder.

use chrono::{DateTime, Utc};
use sqlx::{AssertSqlSafe, Row};

use super::consultations::{
    consultation_columns, consultation_from_row, state, CONSULTATION_COLUMN_COUNT,
};
use super::sql::{millis, word};
use super::{ConsultationRow, Store, StoreError};
use crate::vocabulary::{AcknowledgementState, ThreadRole};

/// A consultation whose note is still to be filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteDue {
    /// The consultation.
    pub consultation: ConsultationRow,
    /// Whether the citizen's acknowledgement was queued (`false`: skipped, or not decided yet).
    pub acknowledged: bool,
    /// The ticket of the conversation's first consultation, when this one is a follow-up.
    pub follows_up: Option<String>,
}

/// A filed note whose consultation is now somewhere else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteToMove {
    /// The consultation.
    pub consultation_id: i64,
    /// Its ticket, for the logs.
    pub ticket: String,
    /// The note's `Message-ID`.
    pub message_id: String,
    /// Where the note is.
    pub from: String,
    /// Where its consultation is.
    pub to: String,
}

/// Records where a consultation's note is: `$1` consultation id, `$2` the note's message id, `$3` folder, `$4`
/// time (millis), `$5` state (`filed` or `closed`); one row per consultation.
const NOTE_UPSERT: &str =
    "INSERT INTO ticket_notes (consultation_id, message_id, state, folder, updated_at) \
     VALUES ($1, $2, $5, $3, $4) \
     ON CONFLICT (consultation_id) DO UPDATE SET message_id = excluded.message_id, \
       state = excluded.state, folder = excluded.folder, updated_at = excluded.updated_at";

impl Store {
    /// Attentions of `mailbox` filed in their folder that have no note yet (not the additions, thanks and
    /// copies of a conversation, which are not attentions), oldest first, at most `limit`.
    pub async fn notes_due(&self, mailbox: &str, limit: usize) -> Result<Vec<NoteDue>, StoreError> {
        let columns = consultation_columns!()
            .split(", ")
            .map(|c| format!("c.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {columns}, c.ack, (SELECT r.ticket FROM consultations r WHERE r.id = c.thread_id) \
             FROM consultations c \
             WHERE c.mailbox = $1 AND c.state = $2 AND (c.thread_role IS NULL OR c.thread_role = $3) \
               AND NOT EXISTS (SELECT 1 FROM ticket_notes n WHERE n.consultation_id = c.id) \
             ORDER BY c.id LIMIT $4"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(mailbox)
            .bind(state::FILED)
            .bind(ThreadRole::FollowUp.as_str())
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("leer las consultas sin ficha"))?;
        rows.iter()
            .map(|row| {
                let ack: AcknowledgementState =
                    word("consultations.ack", row.get(CONSULTATION_COLUMN_COUNT))?;
                Ok(NoteDue {
                    consultation: consultation_from_row(row)?,
                    acknowledged: ack == AcknowledgementState::Queued,
                    follows_up: row.get(CONSULTATION_COLUMN_COUNT + 1),
                })
            })
            .collect()
    }

    /// Notes that consultation `consultation_id`'s note (`message_id`) is in `folder`; `closed` when that is the
    /// answered folder, where it stays for good (later rounds no longer look at it).
    pub async fn note_filed(
        &self,
        consultation_id: i64,
        message_id: &str,
        folder: &str,
        closed: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(NOTE_UPSERT)
            .bind(consultation_id)
            .bind(message_id)
            .bind(folder)
            .bind(millis(now))
            .bind(if closed { "closed" } else { "filed" })
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("anotar la ficha de una consulta"))?;
        Ok(())
    }

    /// Notes that each `(consultation id, note's message id)` note is in `folder`, all in one transaction (the
    /// notes of a folder are appended together).
    pub async fn notes_filed(
        &self,
        notes: &[(i64, String)],
        folder: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if notes.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for (consultation_id, message_id) in notes {
            sqlx::query(NOTE_UPSERT)
                .bind(*consultation_id)
                .bind(message_id.as_str())
                .bind(folder)
                .bind(millis(now))
                .bind("filed")
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("anotar las fichas de una carpeta"))?;
        }
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar las fichas de una carpeta"))?;
        Ok(())
    }

    /// Notes of `mailbox` that are not where their consultation is: moved by a person (the register follows the
    /// correction) or answered (then in `answered_folder`).
    pub async fn notes_to_move(
        &self,
        mailbox: &str,
        answered_folder: &str,
    ) -> Result<Vec<NoteToMove>, StoreError> {
        let rows = sqlx::query(
            "SELECT n.consultation_id, c.ticket, n.message_id, n.folder, \
               CASE WHEN c.state = $2 THEN $3 ELSE c.folder END \
             FROM ticket_notes n JOIN consultations c ON c.id = n.consultation_id \
             WHERE c.mailbox = $1 AND n.state = 'filed' \
               AND n.folder <> CASE WHEN c.state = $2 THEN $3 ELSE c.folder END \
             ORDER BY n.consultation_id",
        )
        .bind(mailbox)
        .bind(state::ANSWERED)
        .bind(answered_folder)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("leer las fichas por mover"))?;
        Ok(rows
            .iter()
            .map(|row| NoteToMove {
                consultation_id: row.get(0),
                ticket: row.get(1),
                message_id: row.get(2),
                from: row.get(3),
                to: row.get(4),
            })
            .collect())
    }
}
