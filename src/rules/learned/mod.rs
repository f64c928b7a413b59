//! The learned opinion: a naive Bayes model trained on the office's confirmed filings (and a shipped seed),
//! which votes like one more weighted rule.

mod features;
mod model;
mod seed;

pub use features::{for_each_feature, message_features, MAX_TEXT_BYTES, STEM_BYTES};
pub use model::{Counts, LearnedModel, Vote};
pub use seed::{seed_counts, seed_model, SEED_TEXT};

use crate::mail::MessageView;

use super::matcher::normalize;
use super::zones::{is_reply_subject, without_disclaimers};

/// The features of a message as the learned opinion reads it when it votes: the normalised subject (worth
/// `reply_subject_weight` in a reply or forward) and the normalised new text without disclaimers.
pub fn view_features(view: &MessageView<'_>, reply_subject_weight: f64) -> Vec<(u64, f32)> {
    let subject_weight = if is_reply_subject(view.subject) {
        reply_subject_weight as f32
    } else {
        1.0
    };
    let text = without_disclaimers(view.text);
    message_features(&normalize(view.subject), subject_weight, &normalize(&text))
}

/// How many times a correction by hand counts, against once for a filing confirmed by being answered: a
/// correction is the office saying the rules were wrong on exactly this kind of message.
pub const CORRECTION_TIMES: f64 = 3.0;

/// The seed's counts plus the office's confirmed filings: `(folder, features, corrected)`.
pub fn counts_with<'a>(
    seed: &Counts,
    examples: impl IntoIterator<Item = (&'a str, &'a [(u64, f32)], bool)>,
) -> Counts {
    let mut counts = seed.clone();
    for (folder, features, corrected) in examples {
        let times = if corrected { CORRECTION_TIMES } else { 1.0 };
        counts.add(folder, features, times);
    }
    counts
}
