//! The learned opinion's material: the office's confirmed filings as training examples, and the trained models.
//!
//! A filing is confirmed when the office acted on it: the consultation was answered from the folder it was in
//! (the first `filed` event's folder, or the folder a person moved it to), or a coordinator moved it by hand
//! (`moved_by_hand`, the strongest signal: the rules were wrong). Each example keeps only hashed word features
//! of the message, never its text. Models are stored as the counts they were trained from, newest last, so
//! every daemon sharing the database votes with the same model.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::consultations::{consultation_columns, consultation_from_row_at, state};
use super::corrections::MOVED_BY_HAND;
use super::sql::{instant, millis, word};
use super::{ConsultationRow, Store, StoreError};
use crate::rules::learned::{FEATURES_VERSION, HEADER};
use crate::vocabulary::AttentionKind;

/// Models kept in the store; older ones are deleted when a new one is saved.
const MODELS_KEPT: i64 = 5;

/// The first bytes of a stored example's features: «TRF» and the reading of the text they were taken with
/// ([`FEATURES_VERSION`]). Features stored before the tag existed (reading 1) have none.
const FEATURES_TAG: [u8; 4] = [b'T', b'R', b'F', FEATURES_VERSION];

/// A consultation whose folder the office confirmed.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfirmedFiling {
    /// The consultation.
    pub consultation: ConsultationRow,
    /// The folder it belongs to, as the office decided.
    pub folder: String,
    /// The folder triage filed it into.
    pub filed_in: String,
    /// True when a person moved it: triage was wrong (or unsure).
    pub corrected: bool,
}

/// A training example as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutingExample {
    /// The consultation it comes from.
    pub consultation_id: i64,
    /// Its confirmed folder.
    pub folder: String,
    /// True when it was a correction by hand.
    pub corrected: bool,
    /// Hashed word features and their counts; empty when the message could not be found.
    pub features: Vec<(u64, f32)>,
    /// The consultation's kind as the office confirmed it (read with the example from the consultation, which a
    /// drag into or out of a kind's folder corrects; not saved with it).
    pub kind: AttentionKind,
}

/// A trained model as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredModel {
    /// Its id (increasing).
    pub id: i64,
    /// When it was trained.
    pub trained_at: DateTime<Utc>,
    /// Who trained it (`triaje rules learn`, or a daemon `host:pid`).
    pub trained_by: String,
    /// Confirmed filings it learned from (besides the shipped seed).
    pub examples: i64,
    /// Of those, corrections by hand.
    pub corrections: i64,
    /// The counts, in `rules::learned::Counts` text form.
    pub counts: String,
    /// The kind model's counts, same form (`None`: a model trained before the kind learned).
    pub kind_counts: Option<String>,
}

/// The target of a `moved_by_hand` event's detail, «movida a mano de «X» a «Y»», and what may follow it
/// («; la clase de atención pasa de consulta a reclamo», written by `record_manual_moves`).
fn moved_to(detail: &str) -> Option<&str> {
    let rest = detail.strip_prefix("movida a mano de «")?;
    let (_, to) = rest.split_once("» a «")?;
    to.split_once('»').map(|(folder, _)| folder)
}

/// Features as stored: 12 bytes each, the hash and the count, little-endian.
fn encode_features(features: &[(u64, f32)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(FEATURES_TAG.len() + features.len() * 12);
    out.extend_from_slice(&FEATURES_TAG);
    for (h, w) in features {
        out.extend_from_slice(&h.to_le_bytes());
        out.extend_from_slice(&w.to_le_bytes());
    }
    out
}

/// Reads stored features; anything that is not [`FEATURES_TAG`] and whole 12-byte records reads as none: a purged
/// row, or features taken with another reading of the text (stored before an upgrade; see
/// [`Store::forget_stale_learning`]).
fn decode_features(bytes: &[u8]) -> Vec<(u64, f32)> {
    let Some(bytes) = bytes.strip_prefix(&FEATURES_TAG) else {
        return Vec::new();
    };
    if !bytes.len().is_multiple_of(12) {
        return Vec::new();
    }
    bytes
        .chunks_exact(12)
        .filter_map(|c| {
            let h = u64::from_le_bytes(c[..8].try_into().ok()?);
            let w = f32::from_le_bytes(c[8..].try_into().ok()?);
            w.is_finite().then_some((h, w))
        })
        .collect()
}

impl Store {
    /// Confirmed filings of `mailbox` (every mailbox when `None`) that count as received at or after `since`,
    /// oldest first; with `without_example`, only those not yet turned into a training example. At most
    /// `limit`.
    pub async fn confirmed_filings(
        &self,
        mailbox: Option<&str>,
        since: Option<DateTime<Utc>>,
        without_example: bool,
        limit: i64,
    ) -> Result<Vec<ConfirmedFiling>, StoreError> {
        let sql = format!(
            "SELECT (SELECT e.detail FROM events e WHERE e.consultation_id = c.id AND e.kind = 'filed' \
                     ORDER BY e.id LIMIT 1), \
                    (SELECT e.detail FROM events e WHERE e.consultation_id = c.id AND e.kind = $1 \
                     ORDER BY e.id DESC LIMIT 1), \
                    {} \
             FROM consultations c \
             WHERE c.state IN ($2, $3) AND ($4 = '' OR c.mailbox = $4) AND c.effective_received_at >= $5 \
               AND ($6 = 0 OR NOT EXISTS (SELECT 1 FROM routing_examples x WHERE x.consultation_id = c.id)) \
               AND (c.state = $2 OR EXISTS (SELECT 1 FROM events e WHERE e.consultation_id = c.id AND e.kind = $1)) \
             ORDER BY c.effective_received_at, c.id LIMIT $7",
            consultation_columns!()
                .split(", ")
                .map(|c| format!("c.{}", c.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(MOVED_BY_HAND)
            .bind(state::ANSWERED)
            .bind(state::FILED)
            .bind(mailbox.unwrap_or(""))
            .bind(since.map(millis).unwrap_or(i64::MIN))
            .bind(i64::from(without_example))
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("leer las clasificaciones confirmadas"))?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let filed: Option<String> = row.get(0);
            let moved: Option<String> = row.get(1);
            let consultation = consultation_from_row_at(&row, 2)?;
            let filed_in = filed.unwrap_or_else(|| consultation.folder.clone());
            let (folder, corrected) = match moved.as_deref().and_then(moved_to) {
                Some(to) => (to.to_string(), true),
                // An answered consultation no one moved was answered from the folder triage chose.
                None => (filed_in.clone(), false),
            };
            out.push(ConfirmedFiling {
                consultation,
                folder,
                filed_in,
                corrected,
            });
        }
        Ok(out)
    }

    /// Saves the training example of a confirmed filing (features empty when its message was not found);
    /// saving one again replaces it.
    pub async fn save_routing_example(
        &self,
        example: &RoutingExample,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO routing_examples (consultation_id, folder, corrected, features, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (consultation_id) DO UPDATE SET \
             folder = excluded.folder, corrected = excluded.corrected, features = excluded.features, \
             created_at = excluded.created_at",
        )
        .bind(example.consultation_id)
        .bind(&example.folder)
        .bind(i64::from(example.corrected))
        .bind(encode_features(&example.features))
        .bind(millis(now))
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("guardar un ejemplo de aprendizaje"))?;
        Ok(())
    }

    /// Every stored training example that has features.
    pub async fn routing_examples(&self) -> Result<Vec<RoutingExample>, StoreError> {
        let rows = sqlx::query(
            "SELECT x.consultation_id, x.folder, x.corrected, x.features, c.kind \
             FROM routing_examples x JOIN consultations c ON c.id = x.consultation_id \
             ORDER BY x.consultation_id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("leer los ejemplos de aprendizaje"))?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let features = decode_features(&r.get::<Vec<u8>, _>(3));
            if features.is_empty() {
                continue;
            }
            out.push(RoutingExample {
                consultation_id: r.get(0),
                folder: r.get(1),
                corrected: r.get::<i64, _>(2) != 0,
                features,
                kind: word("consultations.kind", r.get(4))?,
            });
        }
        Ok(out)
    }

    /// Corrections by hand turned into training examples after `after` (all when `None`): what the retraining
    /// after every N corrections counts (a correction counts once its message was read from the server).
    pub async fn corrected_examples_since(
        &self,
        after: Option<DateTime<Utc>>,
    ) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM routing_examples WHERE corrected = 1 AND length(features) > 0 AND created_at > $1",
        )
        .bind(after.map(millis).unwrap_or(i64::MIN))
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("contar las correcciones aprendidas"))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Saves a trained model with its kind model's counts (it becomes the latest) and deletes all but the last few.
    pub async fn save_routing_model(
        &self,
        trained_by: &str,
        examples: i64,
        corrections: i64,
        counts: &str,
        kind_counts: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO routing_models (trained_at, trained_by, examples, corrections, counts, kind_counts) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(millis(now))
        .bind(trained_by)
        .bind(examples)
        .bind(corrections)
        .bind(counts)
        .bind(kind_counts)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::query("guardar el modelo aprendido"))?;
        sqlx::query("DELETE FROM routing_models WHERE id <= $1")
            .bind(id - MODELS_KEPT)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("borrar modelos antiguos"))?;
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar el modelo aprendido"))?;
        Ok(id)
    }

    /// Forgets what was learned with another reading of the text than this build's (an upgrade that changed
    /// the learned opinion's features): stored examples whose features are not tagged with it, which the next
    /// harvest reads again from the server (their messages still there), and stored models whose counts were
    /// taken with it, so the daemon votes with the seed until it retrains — at once, since no model is left —
    /// and never mixes two readings. Examples without features (their message was not found) are kept. Returns
    /// how many examples and models were forgotten.
    pub async fn forget_stale_learning(&self) -> Result<(u64, u64), StoreError> {
        let examples = sqlx::query(
            "DELETE FROM routing_examples WHERE length(features) > 0 AND substr(features, 1, 4) <> $1",
        )
        .bind(FEATURES_TAG.to_vec())
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("olvidar ejemplos de aprendizaje de otra versión"))?
        .rows_affected();
        // Only a constant's length is put in the text.
        let models = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM routing_models WHERE substr(counts, 1, {}) <> $1",
            HEADER.len()
        )))
        .bind(HEADER)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query(
            "olvidar modelos aprendidos de otra versión",
        ))?
        .rows_affected();
        Ok((examples, models))
    }

    /// The latest model's id and when it was trained, without its counts (cheap to poll).
    pub async fn latest_routing_model_id(
        &self,
    ) -> Result<Option<(i64, DateTime<Utc>)>, StoreError> {
        let row = sqlx::query("SELECT id, trained_at FROM routing_models ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("leer el último modelo aprendido"))?;
        row.map(|r| Ok((r.get(0), instant("routing_models.trained_at", r.get(1))?)))
            .transpose()
    }

    /// The latest trained model, if any.
    pub async fn latest_routing_model(&self) -> Result<Option<StoredModel>, StoreError> {
        let row = sqlx::query(
            "SELECT id, trained_at, trained_by, examples, corrections, counts, kind_counts FROM routing_models \
             ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("leer el modelo aprendido"))?;
        row.map(|r| {
            Ok(StoredModel {
                id: r.get(0),
                trained_at: instant("routing_models.trained_at", r.get(1))?,
                trained_by: r.get(2),
                examples: r.get(3),
                corrections: r.get(4),
                counts: r.get(5),
                kind_counts: r.get(6),
            })
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_survive_storage_and_a_purged_blob_reads_as_none() {
        let f = vec![(1u64, 1.0f32), (u64::MAX, 0.5)];
        assert_eq!(decode_features(&encode_features(&f)), f);
        assert!(decode_features(b"(datos eliminados)").is_empty());
        assert!(decode_features(&encode_features(&[])).is_empty());
    }

    #[test]
    fn features_of_another_reading_read_as_none() {
        // Stored before the tag (reading 1): whole 12-byte records and nothing else.
        let mut old = Vec::new();
        old.extend_from_slice(&7u64.to_le_bytes());
        old.extend_from_slice(&1.0f32.to_le_bytes());
        assert!(decode_features(&old).is_empty());
        // A later reading's tag.
        let mut later = encode_features(&[(7, 1.0)]);
        later[3] = FEATURES_VERSION + 1;
        assert!(decode_features(&later).is_empty());
    }

    #[test]
    fn the_target_of_a_move_is_read_from_its_event() {
        assert_eq!(
            moved_to("movida a mano de «Por clasificar» a «RNP»"),
            Some("RNP")
        );
        assert_eq!(
            moved_to("movida a mano de «SEACE» a «Reclamos»; la clase de atención pasa de consulta a reclamo"),
            Some("Reclamos")
        );
        assert_eq!(moved_to("otra cosa"), None);
    }
}
