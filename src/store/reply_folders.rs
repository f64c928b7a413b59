//! What the reply folders' watchers ask the register: whether a sent reply is waiting to be filed.

use super::replies::spelling;
use super::{Store, StoreError};

impl Store {
    /// How many replies of `mailbox` the SMTP server accepted that are not filed yet (their copy in the sent
    /// folder, the consultation in the answered folder). A cheap count, asked every second by the watcher that
    /// wakes the mailbox's worker to file them.
    pub async fn sent_replies_waiting(&self, mailbox: &str) -> Result<i64, StoreError> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM replies r \
             JOIN outbox o ON o.message_id = r.reply_message_id \
             JOIN consultations c ON c.id = r.consultation_id \
             WHERE c.mailbox = $1 AND r.state = $2 AND o.state = 'sent' AND r.filed_at IS NULL",
        )
        .bind(mailbox)
        .bind(spelling::QUEUED)
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query(
            "contar las respuestas enviadas por archivar",
        ))
    }
}
