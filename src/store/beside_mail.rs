//! Machine mail filed beside its consultation (see migration 0051): a bounce of a reply or an acknowledgement, an
//! out-of-office answering one. The register says which consultation each such message is beside and the folder
//! triaje last put it in, so the message follows the consultation as its ticket note does: when a coordinator
//! moves the consultation, and into the answered folder with its answer — also when it arrived while the
//! consultation was on its way there.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use super::consultations::{consultation_columns_as, consultation_from_row_at, state};
use super::events::{self, NewEvent};
use super::sql::millis;
use super::{ConsultationRow, Store, StoreError};

/// The kind of the event that records machine mail following its consultation (in the machine mail's history).
pub const FOLLOWED_CONSULTATION: &str = "followed_consultation";

/// Machine mail filed beside a consultation that is now in another folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BesideMailToMove {
    /// The machine mail's own row: its `Message-ID` and fingerprint find it on the server.
    pub machine: ConsultationRow,
    /// The consultation it is beside.
    pub consultation_id: i64,
    /// That consultation's ticket (the logs, the bounce note's `Message-ID`).
    pub ticket: String,
    /// Where triaje last put the machine mail.
    pub from: String,
    /// Where its consultation is now.
    pub to: String,
}

impl Store {
    /// Machine mail of `mailbox` filed beside a consultation that is no longer in the folder the mail was put
    /// in: moved by a person (the register follows the correction) or answered (then in `answered_folder`).
    /// Only mail still recorded as machine mail: one a person rescued as a consultation is no longer followed.
    pub async fn beside_mail_to_move(
        &self,
        mailbox: &str,
        answered_folder: &str,
    ) -> Result<Vec<BesideMailToMove>, StoreError> {
        let sql = format!(
            "SELECT b.consultation_id, c.ticket, b.folder, CASE WHEN c.state = $2 THEN $3 ELSE c.folder END, {} \
             FROM beside_mail b JOIN consultations m ON m.id = b.machine_id \
               JOIN consultations c ON c.id = b.consultation_id \
             WHERE m.mailbox = $1 AND b.state = 'filed' AND m.state = $4 AND m.filed_at IS NOT NULL \
               AND b.folder <> CASE WHEN c.state = $2 THEN $3 ELSE c.folder END \
             ORDER BY b.machine_id",
            consultation_columns_as("m")
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(mailbox)
            .bind(state::ANSWERED)
            .bind(answered_folder)
            .bind(state::AUTOMATIC)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query(
                "leer el correo automático por mover junto a su consulta",
            ))?;
        rows.iter()
            .map(|row| {
                Ok(BesideMailToMove {
                    consultation_id: row.get(0),
                    ticket: row.get(1),
                    from: row.get(2),
                    to: row.get(3),
                    machine: consultation_from_row_at(row, 4)?,
                })
            })
            .collect()
    }

    /// Records where machine mail `m` is after following its consultation into `m.to`: `found` when it was moved
    /// there (or a crash left it there already), else it was no longer where triaje put it (a person moved it)
    /// and only stops being looked for in `m.from`. `closed` when `m.to` is the answered folder, where it stays.
    pub async fn beside_mail_followed(
        &self,
        m: &BesideMailToMove,
        found: bool,
        closed: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let detail = if found {
            machine_mail_in(&mut tx, m.machine.id, &m.to).await?;
            format!(
                "siguió a su consulta {}: de «{}» a «{}»",
                m.ticket, m.from, m.to
            )
        } else {
            format!(
                "no estaba en «{}» cuando su consulta {} pasó a «{}» (alguien lo movió): se deja donde esté",
                m.from, m.ticket, m.to
            )
        };
        set_beside(&mut tx, m.machine.id, Some(&m.to), closed, now).await?;
        let event = NewEvent {
            consultation_id: m.machine.id,
            kind: FOLLOWED_CONSULTATION,
            detail,
        };
        events::append(&mut tx, self.backend, &[event], now).await?;
        tx.commit().await.map_err(StoreError::query(
            "confirmar el correo automático junto a su consulta",
        ))
    }
}

/// Records, in the caller's transaction, that machine mail `machine_id` was filed in `folder` beside consultation
/// `consultation_id` (closed at once when that consultation is answered and rests in `folder`).
pub(crate) async fn filed_beside(
    conn: &mut AnyConnection,
    machine_id: i64,
    consultation_id: i64,
    folder: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO beside_mail (machine_id, consultation_id, state, folder, updated_at) \
         SELECT $1, c.id, CASE WHEN c.state = $4 AND c.folder = $3 THEN 'closed' ELSE 'filed' END, $3, $5 \
         FROM consultations c WHERE c.id = $2 \
         ON CONFLICT (machine_id) DO NOTHING",
    )
    .bind(machine_id)
    .bind(consultation_id)
    .bind(folder)
    .bind(state::ANSWERED)
    .bind(millis(now))
    .execute(&mut *conn)
    .await
    .map_err(StoreError::query(
        "anotar un correo automático archivado junto a su consulta",
    ))?;
    Ok(())
}

/// The folder the consultation that machine mail `machine_id` is beside is in now, when it is beside one and
/// still followed.
pub(crate) async fn followed_into(
    conn: &mut AnyConnection,
    machine_id: i64,
) -> Result<Option<String>, StoreError> {
    let row = sqlx::query(
        "SELECT c.folder FROM beside_mail b JOIN consultations c ON c.id = b.consultation_id \
         WHERE b.machine_id = $1 AND b.state = 'filed'",
    )
    .bind(machine_id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(StoreError::query(
        "buscar la consulta junto a la que va un correo automático",
    ))?;
    Ok(row.map(|r| r.get(0)))
}

/// Records, in the caller's transaction, that machine mail `machine_id` is in `folder` beside its consultation.
pub(crate) async fn followed(
    conn: &mut AnyConnection,
    machine_id: i64,
    folder: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    machine_mail_in(conn, machine_id, folder).await?;
    set_beside(conn, machine_id, Some(folder), false, now).await
}

/// Stops following machine mail `machine_id`, in the caller's transaction: a person filed it as a consultation.
pub(crate) async fn stop_following(
    conn: &mut AnyConnection,
    machine_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    set_beside(conn, machine_id, None, true, now).await
}

/// The machine mail's own row says it is in `folder`.
async fn machine_mail_in(
    conn: &mut AnyConnection,
    machine_id: i64,
    folder: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE consultations SET folder = $1 WHERE id = $2")
        .bind(folder)
        .bind(machine_id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::query("anotar dónde está un correo automático"))?;
    Ok(())
}

/// Where triaje last put machine mail `machine_id` (unchanged when `folder` is `None`), and whether it is no
/// longer followed (`closed`).
async fn set_beside(
    conn: &mut AnyConnection,
    machine_id: i64,
    folder: Option<&str>,
    closed: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE beside_mail SET folder = COALESCE($1, folder), state = $2, updated_at = $3 WHERE machine_id = $4",
    )
    .bind(folder)
    .bind(if closed { "closed" } else { "filed" })
    .bind(millis(now))
    .bind(machine_id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::query(
        "anotar el correo automático junto a su consulta",
    ))?;
    Ok(())
}
