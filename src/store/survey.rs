//! Survey answers: the stars a citizen gave a reply (by link or by e-mail), an optional comment, and the
//! summary against the office's target (85 % of answers with 3, 4 or 5 stars).

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::sql::{instant, millis, optional_instant};
use super::{Store, StoreError};
use crate::vocabulary::SurveySummary;

/// Longest comment kept, in characters; the rest is cut.
pub const MAX_COMMENT_CHARS: usize = 2_000;

/// How the citizen answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatingSource {
    /// One of the five links in the reply.
    Web,
    /// A reply to our mail holding a single number.
    Email,
}

impl RatingSource {
    /// The stored spelling.
    fn as_str(self) -> &'static str {
        match self {
            RatingSource::Web => "web",
            RatingSource::Email => "email",
        }
    }

    /// Back from the stored spelling.
    fn from_stored(value: &str) -> Option<RatingSource> {
        match value {
            "web" => Some(RatingSource::Web),
            "email" => Some(RatingSource::Email),
            _ => None,
        }
    }
}

/// What became of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatingOutcome {
    /// It was the first answer for the consultation: it counts.
    Recorded,
    /// The consultation had been rated before; the earlier answer is kept and this one changes nothing.
    AlreadyRated {
        /// The stars kept.
        rating: u8,
    },
}

/// The survey answer of one consultation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyRating {
    /// Stars, 1 to 5.
    pub rating: u8,
    /// How it was given.
    pub source: RatingSource,
    /// When.
    pub rated_at: DateTime<Utc>,
    /// The citizen's comment, if any.
    pub comment: Option<String>,
    /// When the comment was left.
    pub commented_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Records `rating` (1..=5) for a consultation, unless it was rated before: the first answer counts, and
    /// a repeated or later answer (a second click, another star, a replayed link) changes nothing.
    ///
    /// A rating outside 1..=5 or an unknown consultation is refused by the database.
    pub async fn record_rating(
        &self,
        consultation_id: i64,
        rating: u8,
        source: RatingSource,
        at: DateTime<Utc>,
    ) -> Result<RatingOutcome, StoreError> {
        let inserted = sqlx::query(
            "INSERT INTO survey_ratings (consultation_id, rating, source, rated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (consultation_id) DO NOTHING",
        )
        .bind(consultation_id)
        .bind(i64::from(rating))
        .bind(source.as_str())
        .bind(millis(at))
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("anotar la respuesta de la encuesta"))?
        .rows_affected();
        if inserted == 1 {
            return Ok(RatingOutcome::Recorded);
        }
        match self.survey_rating(consultation_id).await? {
            Some(kept) => Ok(RatingOutcome::AlreadyRated {
                rating: kept.rating,
            }),
            // The row was there a moment ago and rows are never deleted: the table was edited by hand.
            None => Err(StoreError::Corrupt {
                what: "survey_ratings.consultation_id",
                value: consultation_id,
            }),
        }
    }

    /// Keeps the citizen's comment on a rated consultation (trimmed, cut at [`MAX_COMMENT_CHARS`]).
    ///
    /// Returns `false`, changing nothing, when the consultation has no rating yet, already has a comment (the
    /// first one is kept) or the comment is blank.
    pub async fn record_comment(
        &self,
        consultation_id: i64,
        comment: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let comment = comment.trim();
        if comment.is_empty() {
            return Ok(false);
        }
        let comment: String = comment.chars().take(MAX_COMMENT_CHARS).collect();
        let updated = sqlx::query(
            "UPDATE survey_ratings SET comment = $1, commented_at = $2 \
             WHERE consultation_id = $3 AND comment IS NULL",
        )
        .bind(comment.as_str())
        .bind(millis(at))
        .bind(consultation_id)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("guardar el comentario de la encuesta"))?
        .rows_affected();
        Ok(updated == 1)
    }

    /// The survey answer of a consultation, if it has one.
    pub async fn survey_rating(
        &self,
        consultation_id: i64,
    ) -> Result<Option<SurveyRating>, StoreError> {
        let row = sqlx::query(
            "SELECT rating, source, rated_at, comment, commented_at \
             FROM survey_ratings WHERE consultation_id = $1",
        )
        .bind(consultation_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("leer la respuesta de la encuesta"))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let rating: i64 = row.get(0);
        let source: String = row.get(1);
        Ok(Some(SurveyRating {
            rating: stars("survey_ratings.rating", rating)?,
            source: RatingSource::from_stored(&source).ok_or(StoreError::Corrupt {
                what: "survey_ratings.source",
                value: consultation_id,
            })?,
            rated_at: instant("survey_ratings.rated_at", row.get(2))?,
            comment: row.get(3),
            commented_at: optional_instant("survey_ratings.commented_at", row.get(4))?,
        }))
    }

    /// Answers per star and the satisfied share, over every answer recorded.
    pub async fn survey_summary(&self) -> Result<SurveySummary, StoreError> {
        let rows = sqlx::query("SELECT rating, COUNT(*) FROM survey_ratings GROUP BY rating")
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("resumir la encuesta"))?;
        let mut counts = [0u64; 5];
        for row in &rows {
            let rating = stars("survey_ratings.rating", row.get(0))?;
            let count: i64 = row.get(1);
            counts[usize::from(rating - 1)] = u64::try_from(count).unwrap_or(0);
        }
        Ok(SurveySummary::from_counts(counts))
    }

    /// Answers `Ok` when the register answers a trivial query (for the health check).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(StoreError::query("comprobar la conexión"))
    }
}

/// A stored rating back (1..=5).
fn stars(what: &'static str, value: i64) -> Result<u8, StoreError> {
    u8::try_from(value)
        .ok()
        .filter(|stars| (1..=5).contains(stars))
        .ok_or(StoreError::Corrupt { what, value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_three_stars_and_up_as_satisfied() {
        let summary = SurveySummary::from_counts([1, 0, 1, 1, 1]);
        assert_eq!((summary.total, summary.satisfied), (4, 3));
        assert_eq!(summary.satisfied_share, Some(0.75));
        assert_eq!(summary.meets_target(), Some(false));
        assert_eq!(
            summary.to_string(),
            "Encuesta: 4 respuestas, 3 satisfechas (75 %; meta 85 %)"
        );
    }

    #[test]
    fn an_empty_survey_has_no_share_and_says_so() {
        let summary = SurveySummary::from_counts([0; 5]);
        assert_eq!(summary.satisfied_share, None);
        assert_eq!(summary.meets_target(), None);
        assert_eq!(
            summary.to_string(),
            "Encuesta: todavía sin respuestas (meta 85 %)"
        );
    }

    #[test]
    fn one_answer_is_singular() {
        let summary = SurveySummary::from_counts([0, 0, 0, 0, 1]);
        assert_eq!(
            summary.to_string(),
            "Encuesta: 1 respuesta, 1 satisfecha (100 %; meta 85 %)"
        );
        assert_eq!(summary.meets_target(), Some(true));
    }
}
