//! The survey's rule (document 000): an answer with 3, 4 or 5 stars is satisfied, and the office must reach
//! 85 % of satisfied answers.

use std::fmt;
use std::ops::RangeInclusive;

/// The share of satisfied answers the office must reach (document 000).
pub const SATISFACTION_TARGET: f64 = 0.85;

/// The stars of a satisfied answer.
pub const SATISFIED_STARS: RangeInclusive<u8> = 3..=5;

/// Whether an answer of `stars` counts as satisfied.
pub fn is_satisfied(stars: u8) -> bool {
    SATISFIED_STARS.contains(&stars)
}

/// Survey results: answers per star and the satisfied share against the target.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SurveySummary {
    /// Answers with 1, 2, 3, 4 and 5 stars (index 0 is one star).
    pub counts: [u64; 5],
    /// Answers with 3, 4 or 5 stars.
    pub satisfied: u64,
    /// Every answer.
    pub total: u64,
    /// `satisfied / total`, `None` before the first answer.
    pub satisfied_share: Option<f64>,
}

impl SurveySummary {
    /// The summary of answers counted per star (index 0 is one star).
    pub fn from_counts(counts: [u64; 5]) -> SurveySummary {
        let total = counts.iter().sum();
        // Index i holds the answers with i + 1 stars.
        let satisfied = SATISFIED_STARS
            .map(|stars| counts[usize::from(stars) - 1])
            .sum();
        SurveySummary {
            counts,
            satisfied,
            total,
            satisfied_share: (total > 0).then(|| satisfied as f64 / total as f64),
        }
    }

    /// Whether the satisfied share reaches the target; `None` before the first answer.
    pub fn meets_target(&self) -> Option<bool> {
        self.satisfied_share
            .map(|share| share >= SATISFACTION_TARGET)
    }
}

impl fmt::Display for SurveySummary {
    /// `Encuesta: 4 respuestas, 3 satisfechas (75 %; meta 85 %)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let target = (SATISFACTION_TARGET * 100.0).round();
        match self.satisfied_share {
            None => write!(f, "Encuesta: todavía sin respuestas (meta {target} %)"),
            Some(share) => write!(
                f,
                "Encuesta: {} {}, {} {} ({} %; meta {target} %)",
                self.total,
                if self.total == 1 {
                    "respuesta"
                } else {
                    "respuestas"
                },
                self.satisfied,
                if self.satisfied == 1 {
                    "satisfecha"
                } else {
                    "satisfechas"
                },
                (share * 100.0).round()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_four_and_five_stars_are_satisfied() {
        let satisfied: Vec<u8> = (1..=5).filter(|s| is_satisfied(*s)).collect();
        assert_eq!(satisfied, vec![3, 4, 5]);
    }

    #[test]
    fn the_target_is_met_at_85_percent() {
        let met = SurveySummary::from_counts([0, 3, 0, 0, 17]);
        assert_eq!(met.satisfied, 17);
        assert_eq!(met.meets_target(), Some(true));
        let missed = SurveySummary::from_counts([1, 3, 0, 0, 16]);
        assert_eq!(missed.meets_target(), Some(false));
        assert_eq!(SurveySummary::from_counts([0; 5]).meets_target(), None);
    }
}
