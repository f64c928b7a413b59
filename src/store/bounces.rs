//! What machine mail refers to: the mail triaje sent that a bounce returns or an auto-reply answers.

use sqlx::{AssertSqlSafe, Row};

use super::outbox::OutgoingKind;
use super::sql::Placeholders;
use super::{Store, StoreError};

/// A message triaje sent, as a bounce or an auto-reply names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMail {
    /// Its `Message-ID`.
    pub message_id: String,
    /// Acknowledgement, reply or notification.
    pub kind: OutgoingKind,
    /// The consultation it was about, if any.
    pub consultation_id: Option<i64>,
}

/// At most this many ids are looked up for one message (a bounce names one; `References` may hold a thread).
const MAX_IDS: usize = 50;

impl Store {
    /// The mail triaje sent with one of these `Message-ID`s, in the order of `ids` (the most telling first).
    pub async fn sent_mail_named(&self, ids: &[String]) -> Result<Vec<SentMail>, StoreError> {
        let ids = &ids[..ids.len().min(MAX_IDS)];
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut p = Placeholders::new(self.backend);
        let sql = format!(
            "SELECT message_id, kind, consultation_id FROM outbox WHERE message_id IN ({})",
            p.list(ids.len())
        );
        // Only placeholders are interpolated; every value is bound.
        let mut query = sqlx::query(AssertSqlSafe(sql)).persistent(false);
        for id in ids {
            query = query.bind(id.as_str());
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query(
                "buscar el correo de triaje al que responde un mensaje automático",
            ))?;
        let mut found = Vec::with_capacity(rows.len());
        for row in &rows {
            found.push(SentMail {
                message_id: row.get(0),
                kind: OutgoingKind::parse(row.get(1))?,
                consultation_id: row.get(2),
            });
        }
        found.sort_by_key(|m| ids.iter().position(|id| *id == m.message_id));
        Ok(found)
    }
}
