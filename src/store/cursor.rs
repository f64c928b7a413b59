//! The per-mailbox IMAP cursor: UIDVALIDITY and the last UID recorded, advanced with the records.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use super::sql::{imap_number, millis};
use super::{Store, StoreError};

/// Where triage of a mailbox stands: every UID up to `last_uid` under `uidvalidity` is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// The mailbox's UIDVALIDITY when these UIDs were seen; a new value means the server renumbered it.
    pub uidvalidity: u32,
    /// The highest UID recorded.
    pub last_uid: u32,
}

impl Store {
    /// The cursor of `mailbox`, or `None` before its first batch.
    pub async fn cursor(&self, mailbox: &str) -> Result<Option<Cursor>, StoreError> {
        let row =
            sqlx::query("SELECT uidvalidity, last_uid FROM mailbox_cursors WHERE mailbox = $1")
                .bind(mailbox)
                .fetch_optional(&self.pool)
                .await
                .map_err(StoreError::query("leer el cursor del buzón"))?;
        row.map(|row| {
            Ok(Cursor {
                uidvalidity: imap_number("mailbox_cursors.uidvalidity", row.get(0))?,
                last_uid: imap_number("mailbox_cursors.last_uid", row.get(1))?,
            })
        })
        .transpose()
    }
}

/// Saves `cursor` for `mailbox` inside the caller's transaction.
///
/// Under the same UIDVALIDITY it only moves forward (a late or repeated batch never rewinds it); a different
/// UIDVALIDITY replaces it, because the old UIDs mean nothing any more.
pub(crate) async fn save(
    conn: &mut AnyConnection,
    mailbox: &str,
    cursor: Cursor,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO mailbox_cursors (mailbox, uidvalidity, last_uid, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (mailbox) DO UPDATE SET \
           last_uid = CASE WHEN mailbox_cursors.uidvalidity = excluded.uidvalidity \
                            AND mailbox_cursors.last_uid > excluded.last_uid \
                           THEN mailbox_cursors.last_uid ELSE excluded.last_uid END, \
           uidvalidity = excluded.uidvalidity, \
           updated_at = excluded.updated_at",
    )
    .bind(mailbox)
    .bind(i64::from(cursor.uidvalidity))
    .bind(i64::from(cursor.last_uid))
    .bind(millis(now))
    .execute(conn)
    .await
    .map_err(StoreError::query("guardar el cursor del buzón"))?;
    Ok(())
}
