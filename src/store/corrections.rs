//! Manual corrections of the rules: messages a coordinator dragged out of `Por clasificar` or out of a wrong
//! folder. Each is recorded (the consultation's folder follows the person's decision, with an event), which is
//! how the rules' accuracy is measured in the indicators.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::beside_mail::{self, FOLLOWED_CONSULTATION};
use super::consultations::state;
use super::events::{self, NewEvent};
use super::sql::imap_number;
use super::{Store, StoreError};
use crate::vocabulary::AttentionKind;

/// The kind of the event that records a manual correction.
pub const MOVED_BY_HAND: &str = "moved_by_hand";

impl Store {
    /// Where triaje last looked in `folder` of `mailbox`: (UIDVALIDITY, UIDNEXT).
    pub async fn folder_mark(
        &self,
        mailbox: &str,
        folder: &str,
    ) -> Result<Option<(u32, u32)>, StoreError> {
        let row = sqlx::query(
            "SELECT uidvalidity, uid_next FROM folder_marks WHERE mailbox = $1 AND folder = $2",
        )
        .bind(mailbox)
        .bind(folder)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("leer la marca de una carpeta"))?;
        row.map(|r| {
            Ok((
                imap_number("folder_marks.uidvalidity", r.get(0))?,
                imap_number("folder_marks.uid_next", r.get(1))?,
            ))
        })
        .transpose()
    }

    /// Remembers where triaje looked in `folder`.
    pub async fn set_folder_mark(
        &self,
        mailbox: &str,
        folder: &str,
        uidvalidity: u32,
        uid_next: u32,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO folder_marks (mailbox, folder, uidvalidity, uid_next) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (mailbox, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity, uid_next = excluded.uid_next",
        )
        .bind(mailbox)
        .bind(folder)
        .bind(i64::from(uidvalidity))
        .bind(i64::from(uid_next))
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("guardar la marca de una carpeta"))?;
        Ok(())
    }

    /// Records that the messages of these consultations (row ids) are now in `folder` by a person's hand. Only consultations of
    /// `mailbox` that were filed elsewhere and are still open change (triaje's own moves, answered consultations
    /// and answers to triaje's mail do not count; machine mail found beside its consultation followed it, and is
    /// only noted there). Returns how many corrections were recorded.
    ///
    /// The kind of attention follows the folder: `kind` is what `folder` makes them (the kind of a kind's
    /// folder, a consultation anywhere else) and `area`, when given, their new area (the folder, when it is an
    /// area's); an incident dragged into «SEACE» becomes a SEACE consultation, a consultation dragged into
    /// «Reclamos» a complaint that keeps its area.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_manual_moves(
        &self,
        mailbox: &str,
        folder: &str,
        kind: AttentionKind,
        area: Option<&str>,
        consultation_ids: &[i64],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        if consultation_ids.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        let mut log = Vec::new();
        let mut followed = Vec::new();
        let mut moved: Vec<(i64, String, String, String)> =
            Vec::with_capacity(consultation_ids.len());
        for &consultation_id in consultation_ids {
            let row = sqlx::query(
                "SELECT id, folder, state, kind FROM consultations WHERE id = $1 AND mailbox = $2",
            )
            .bind(consultation_id)
            .bind(mailbox)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::query("buscar una consulta movida a mano"))?;
            if let Some(row) = row {
                moved.push((row.get(0), row.get(1), row.get(2), row.get(3)));
            }
        }
        // Consultations before machine mail: a bounce dragged along with its consultation finds it moved.
        moved.sort_by_key(|(_, _, st, _)| st == state::AUTOMATIC);
        for (id, from, st, was) in moved {
            // triaje's own filing, answered consultations and answers to triaje's mail are not corrections.
            if from == folder
                || st == state::ANSWERED
                || st == state::FOLLOWUP
                || st == state::RECORDED
            {
                continue;
            }
            // Machine mail beside a consultation, found in the folder that consultation is in now, followed it:
            // triaje moved it there and stopped before recording so (crash safety), or a person put it back
            // beside its consultation. Where it is is noted; it is neither a correction nor a rescue.
            if st == state::AUTOMATIC
                && beside_mail::followed_into(&mut tx, id).await?.as_deref() == Some(folder)
            {
                beside_mail::followed(&mut tx, id, folder, now).await?;
                followed.push(NewEvent {
                    consultation_id: id,
                    kind: FOLLOWED_CONSULTATION,
                    detail: format!("siguió a su consulta: de «{from}» a «{folder}»"),
                });
                continue;
            }
            // Machine mail a person files into a consultation folder was a consultation after all (a citizen's
            // message that looked automatic): from now on it counts like one, from when it arrived.
            let rescued = st == state::AUTOMATIC;
            if rescued {
                beside_mail::stop_following(&mut tx, id, now).await?;
            }
            sqlx::query(
                "UPDATE consultations SET folder = $1, state = CASE WHEN state = $3 THEN $4 ELSE state END, \
                   kind = $5, area = CASE WHEN $6 = '' THEN area ELSE $6 END \
                 WHERE id = $2",
            )
            .bind(folder)
            .bind(id)
            .bind(state::AUTOMATIC)
            .bind(state::FILED)
            .bind(kind.as_str())
            .bind(area.unwrap_or(""))
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("anotar una corrección manual"))?;
            log.push(NewEvent {
                consultation_id: id,
                kind: MOVED_BY_HAND,
                detail: if rescued {
                    format!(
                        "movida a mano de «{from}» a «{folder}»: no era correo automático, ahora cuenta como \
                         consulta (sin acuse de recibo automático)"
                    )
                } else if was != kind.as_str() {
                    format!("movida a mano de «{from}» a «{folder}»; la clase de atención pasa de {was} a {kind}")
                } else {
                    format!("movida a mano de «{from}» a «{folder}»")
                },
            });
        }
        let count = log.len();
        log.extend(followed);
        events::append(&mut tx, self.backend, &log, now).await?;
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar las correcciones manuales"))?;
        Ok(count)
    }

    /// How many consultations with an effective received time in [`from`, `to`) were corrected by hand.
    pub async fn manual_corrections(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT e.consultation_id) FROM events e JOIN consultations c ON c.id = e.consultation_id \
             WHERE e.kind = $1 AND c.effective_received_at >= $2 AND c.effective_received_at < $3",
        )
        .bind(MOVED_BY_HAND)
        .bind(from.timestamp_millis())
        .bind(to.timestamp_millis())
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("contar las correcciones manuales"))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
