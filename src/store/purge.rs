//! Removing the personal data of old consultations (Ley 29733, Peru's personal-data law) while keeping the
//! anonymous facts the register and the indicators count.
//!
//! What goes: the citizen's name and addresses, the subject, the message ids, the particulars of the history
//! (they quote addresses, the words a rule matched and the supervisor's observations), the bodies and recipients
//! of the mail triaje sent about the consultation, the observations on its reply drafts and the survey comment.
//! What stays: the ticket, the mailbox, the folders, every date and deadline, the category, availability and
//! state, who answered and approved (staff, not citizens), the survey's stars, and the kinds of the history's
//! events. Rows are never deleted, so every count is the same after a purge.
//!
//! Every statement is written once with its condition and run either as a `COUNT(*)` (dry run) or as an
//! `UPDATE` (the purge), so the dry run counts exactly what the purge changes. A second purge with the same
//! date changes nothing: each condition also asks that the data is still there.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use super::corrections::MOVED_BY_HAND;
use super::sql::millis;
use super::{Store, StoreError};

/// What the register shows in place of a removed text.
pub const PURGED_TEXT: &str = "(datos eliminados)";

/// What a purge removed (or, in a dry run, would remove).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgeSummary {
    /// Consultations whose citizen data (name, addresses, subject, message id) was blanked.
    pub consultations: u64,
    /// History entries whose particulars were replaced by [`PURGED_TEXT`].
    pub events: u64,
    /// Sent or failed outgoing messages whose body and recipients were removed.
    pub outgoing_messages: u64,
    /// Reply drafts whose observations were removed.
    pub reply_observations: u64,
    /// Survey comments removed (the stars stay).
    pub survey_comments: u64,
    /// Training examples of the learned opinion whose word features were removed (the model trained from them
    /// keeps only counts summed over many messages).
    pub learning_examples: u64,
}

impl PurgeSummary {
    /// True when nothing was (or would be) removed.
    pub fn is_empty(&self) -> bool {
        *self == PurgeSummary::default()
    }
}

/// Consultations old enough to purge: those that count as received before `$1`.
const OLD: &str = "SELECT id FROM consultations WHERE effective_received_at < $1";

/// Event kinds whose particulars are kept: they name folders and deadlines, never a person. The register reads
/// the first `filed` event's folder and the indicators count `moved_by_hand` events.
const KEPT_EVENT_KINDS: &[&str] = &["filed", MOVED_BY_HAND, "answered", "rebound"];

/// How the removed text is written back.
#[derive(Clone, Copy)]
enum Marker {
    /// As text (`$2` is [`PURGED_TEXT`]).
    Text,
    /// As bytes, for a `BLOB`/`BYTEA` column (`$2` is [`PURGED_TEXT`]'s bytes).
    Bytes,
    /// Not used by the step.
    None,
}

/// One step of the purge: a table, what the purge sets, and which rows it touches. `$1` is the cut-off in unix
/// milliseconds, `$2` the marker (when the step has one) and `$3` the purge time (only where `stamps` is set):
/// PostgreSQL wants every placeholder up to the highest used, so a step uses a prefix of them.
struct Step {
    /// The table.
    table: &'static str,
    /// The `SET` list.
    set: &'static str,
    /// The `WHERE` condition (uses `$1`, and `$2` only when the marker is text).
    condition: String,
    /// How `$2` is bound.
    marker: Marker,
    /// Whether the `SET` list uses `$3`, the purge time.
    stamps: bool,
}

/// The steps, consultations last (the others find their rows through the consultations' dates, not their mark).
fn steps() -> Vec<Step> {
    let kept: Vec<String> = KEPT_EVENT_KINDS.iter().map(|k| format!("'{k}'")).collect();
    vec![
        Step {
            table: "events",
            set: "detail = $2",
            condition: format!(
                "consultation_id IN ({OLD}) AND kind NOT IN ({}) AND detail <> $2",
                kept.join(", ")
            ),
            marker: Marker::Text,
            stamps: false,
        },
        // A sent reply not yet filed still needs its bytes: its exact copy goes to the sent folder. Mail with no
        // consultation (the coordinator's digests, which list subjects and names) goes by its own date.
        Step {
            table: "outbox",
            set: "raw = $2, recipients = '', last_error = NULL",
            condition: format!(
                "state IN ('sent', 'failed') AND recipients <> '' \
                 AND (consultation_id IN ({OLD}) OR (consultation_id IS NULL AND created_at < $1)) \
                 AND NOT EXISTS (SELECT 1 FROM replies r WHERE r.reply_message_id = outbox.message_id \
                                 AND r.filed_at IS NULL AND r.state IN ('queued', 'sent'))"
            ),
            marker: Marker::Bytes,
            stamps: false,
        },
        Step {
            table: "replies",
            set: "observations = NULL",
            condition: format!("consultation_id IN ({OLD}) AND observations IS NOT NULL"),
            marker: Marker::None,
            stamps: false,
        },
        Step {
            table: "survey_ratings",
            set: "comment = NULL",
            condition: format!("consultation_id IN ({OLD}) AND comment IS NOT NULL"),
            marker: Marker::None,
            stamps: false,
        },
        // The hashed word features a confirmed filing left for the learned opinion (an empty blob, portably).
        Step {
            table: "routing_examples",
            set: "features = substr(features, 1, 0)",
            condition: format!("consultation_id IN ({OLD}) AND length(features) > 0"),
            marker: Marker::None,
            stamps: false,
        },
        Step {
            table: "consultations",
            set: "from_addr = NULL, from_name = NULL, reply_to_addr = NULL, message_id = NULL, \
                  subject = $2, purged_at = $3",
            condition: "effective_received_at < $1 AND purged_at IS NULL".to_string(),
            marker: Marker::Text,
            stamps: true,
        },
    ]
}

impl Store {
    /// Removes the personal data of every consultation that counts as received (effective received time)
    /// before `before`, in one transaction, and marks those consultations purged at `now`. Idempotent.
    pub async fn purge_personal_data(
        &self,
        before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<PurgeSummary, StoreError> {
        let mut tx = self.begin_write().await?;
        let summary = run_steps(&mut tx, before, Some(now)).await?;
        tx.commit().await.map_err(StoreError::query(
            "confirmar la eliminación de datos personales",
        ))?;
        Ok(summary)
    }

    /// What [`Store::purge_personal_data`] would remove with the same `before`, changing nothing.
    pub async fn purge_preview(&self, before: DateTime<Utc>) -> Result<PurgeSummary, StoreError> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(StoreError::query("abrir una conexión"))?;
        run_steps(&mut conn, before, None).await
    }
}

/// Runs every step as an update (with `now`) or as a count (without).
async fn run_steps(
    conn: &mut AnyConnection,
    before: DateTime<Utc>,
    now: Option<DateTime<Utc>>,
) -> Result<PurgeSummary, StoreError> {
    let mut counts = Vec::new();
    for step in steps() {
        // Only the fixed texts above are interpolated; the dates and the marker are bound.
        let n = match now {
            Some(now) => {
                let sql = format!(
                    "UPDATE {} SET {} WHERE {}",
                    step.table, step.set, step.condition
                );
                let mut query = sqlx::query(AssertSqlSafe(sql)).bind(millis(before));
                query = match step.marker {
                    Marker::Text => query.bind(PURGED_TEXT),
                    Marker::Bytes => query.bind(PURGED_TEXT.as_bytes()),
                    Marker::None => query,
                };
                if step.stamps {
                    query = query.bind(millis(now));
                }
                query
                    .execute(&mut *conn)
                    .await
                    .map_err(StoreError::query("eliminar datos personales"))?
                    .rows_affected()
            }
            None => {
                let sql = format!(
                    "SELECT COUNT(*) FROM {} WHERE {}",
                    step.table, step.condition
                );
                let mut query = sqlx::query(AssertSqlSafe(sql)).bind(millis(before));
                if step.condition.contains("$2") {
                    query = query.bind(PURGED_TEXT);
                }
                let row = query
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(StoreError::query(
                        "contar los datos personales por eliminar",
                    ))?;
                u64::try_from(row.get::<i64, _>(0)).unwrap_or(0)
            }
        };
        counts.push(n);
    }
    Ok(PurgeSummary {
        events: counts[0],
        outgoing_messages: counts[1],
        reply_observations: counts[2],
        survey_comments: counts[3],
        learning_examples: counts[4],
        consultations: counts[5],
    })
}
