//! The learned opinion: a naive Bayes model trained on the office's confirmed filings (and a shipped seed),
//! which votes like one more weighted rule.

mod correction;
mod features;
mod model;
mod packed;
mod seed;

pub use correction::{
    corrected_counts, corrected_counts_with, inner_fold, Example, EXTRA_TIMES, INNER_FOLDS,
};
pub use features::{
    for_each_feature, for_each_feature_with, message_features, message_features_with, ASK_WEIGHT,
    FEATURES_VERSION, MAX_TEXT_BYTES, STEM_BYTES,
};
pub use model::{Counts, LearnedModel, Reading, Vote, HEADER};
pub use seed::{
    kind_seed_counts, kind_seed_model, packed_seed, packed_seed_path, seed_counts, seed_model,
    KIND_SEED_PACKED, KIND_SEED_TEXT, SEED_PACKED, SEED_TEXT,
};

use crate::mail::MessageView;

use super::matcher::normalize;
use super::zones::{is_reply_subject, without_disclaimers};
use super::Routing;

/// What the learned opinion reads of a message: its normalised subject, that subject's weight (`[routing]
/// reply_subject_weight` in a reply or forward, 1 otherwise) and its normalised new text without disclaimers.
/// [`view_features`] reads these, and a [`Reading`] of the same three votes on what those features trained.
pub fn view_inputs(view: &MessageView<'_>, routing: &Routing) -> (String, f32, String) {
    let subject_weight = if is_reply_subject(view.subject) {
        routing.reply_subject_weight as f32
    } else {
        1.0
    };
    let text = without_disclaimers(view.text);
    (normalize(view.subject), subject_weight, normalize(&text))
}

/// The features of a message as the learned opinion reads it when it votes ([`view_inputs`]), with the asking
/// clause's features when `[routing] asking`.
pub fn view_features(view: &MessageView<'_>, routing: &Routing) -> Vec<(u64, f32)> {
    let (subject, subject_weight, text) = view_inputs(view, routing);
    message_features_with(&subject, subject_weight, &text, routing.asking)
}

/// How many times a correction by hand counts, against once for a filing confirmed by being answered: a
/// correction is the office saying the rules were wrong on exactly this kind of message.
pub const CORRECTION_TIMES: f64 = 3.0;

/// The seed's counts plus the office's confirmed filings: `(folder, features, corrected)`, each counted once, a
/// correction by hand [`CORRECTION_TIMES`]. What the kind's model is trained from; the area's is corrected
/// ([`area_counts_with`]).
pub fn counts_with<'a>(
    seed: &Counts,
    examples: impl IntoIterator<Item = (&'a str, &'a [(u64, f32)], bool)>,
) -> Counts {
    let mut counts = seed.clone();
    counts.add_all(examples.into_iter().map(|(folder, features, corrected)| {
        let times = if corrected { CORRECTION_TIMES } else { 1.0 };
        (folder, features, times)
    }));
    counts
}

/// The area's counts the daemon trains: the seed's counts plus the office's confirmed filings `(folder,
/// features, corrected, key)`, corrected by inner folds ([`corrected_counts`]): each filing voted by the seed
/// plus the other folds' filings, and counted once more when that vote files it wrong. `key` (the
/// consultation's id) puts a filing in the same fold at every retraining. The seed is not voted again: it was
/// corrected when it was written.
pub fn area_counts_with<'a>(
    seed: &Counts,
    examples: impl IntoIterator<Item = (&'a str, &'a [(u64, f32)], bool, &'a str)>,
) -> Counts {
    let examples: Vec<Example<'a>> = examples
        .into_iter()
        .map(|(class, features, corrected, key)| Example {
            class,
            features,
            times: if corrected { CORRECTION_TIMES } else { 1.0 },
            key,
        })
        .collect();
    corrected_counts(seed, &examples)
}

/// The seed's counts from labelled directories (`labels.toml` beside the messages; `labels` are the folder
/// names allowed), corrected by inner folds over the messages ([`corrected_counts`], each message's fold by its
/// file name). The same directories always give the same counts.
pub fn seed_from_corpora(
    corpora: &[std::path::PathBuf],
    labels: &[String],
    routing: &Routing,
) -> Result<Counts, super::corpus::CorpusError> {
    let mut base = Counts::default();
    for c in labels {
        base.add(c, &[], 0.0);
    }
    // Read first, counted in one pass (in the same order): adding one message at a time rewrote the counts for
    // every message that brought a new word.
    // (folder, file name, features): the file name is the inner folds' key.
    let mut read: Vec<(String, String, Features)> = Vec::new();
    for dir in corpora {
        for m in super::corpus::load_labelled(dir, labels)? {
            if let Ok(mail) = crate::mail::parse(&m.raw) {
                let features = view_features(&mail.view(), routing);
                read.push((m.folder, m.file, features));
            }
        }
    }
    let examples: Vec<Example<'_>> = read
        .iter()
        .map(|(class, file, features)| Example {
            class,
            features,
            times: 1.0,
            key: file,
        })
        .collect();
    Ok(corrected_counts(&base, &examples))
}

/// A message's features as the opinion reads them: (hashed feature, weight).
type Features = Vec<(u64, f32)>;

/// The kind's seed counts from the same labelled directories: each message whose label says its `kind`
/// counts for that kind (consulta, incidencia, reclamo, sugerencia); a message without one is left out, for
/// nobody said what it is.
pub fn kind_seed_from_corpora(
    corpora: &[std::path::PathBuf],
    labels: &[String],
    routing: &Routing,
) -> Result<Counts, super::corpus::CorpusError> {
    let mut counts = Counts::default();
    for k in crate::vocabulary::AttentionKind::ALL {
        counts.add(k.as_str(), &[], 0.0);
    }
    let mut read: Vec<(&str, Vec<(u64, f32)>)> = Vec::new();
    for dir in corpora {
        for m in super::corpus::load_labelled(dir, labels)? {
            let Some(kind) = m.kind else { continue };
            if let Ok(mail) = crate::mail::parse(&m.raw) {
                read.push((kind.as_str(), view_features(&mail.view(), routing)));
            }
        }
    }
    counts.add_all(read.iter().map(|(c, f)| (*c, f.as_slice(), 1.0)));
    Ok(counts)
}

/// The seed file: the counts, with the corpora they come from in a comment after the first line
/// (`# fuentes: tests/corpus tests/routing/tune`), so the test that checks the shipped seed trains again from
/// exactly those.
pub fn seed_file_text(counts: &Counts, corpora: &[std::path::PathBuf]) -> String {
    let text = counts.to_text();
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let sources: Vec<String> = corpora.iter().map(|c| c.display().to_string()).collect();
    format!("{first}\n# fuentes: {}\n{rest}", sources.join(" "))
}

/// The kind's seed file beside the area's `seed.txt`: `seed-clases.txt` in the same folder.
pub fn kind_seed_path(seed: &std::path::Path) -> std::path::PathBuf {
    seed.with_file_name("seed-clases.txt")
}

/// The corpora the shipped seed says it was trained from (its `# fuentes:` line).
pub fn seed_sources() -> Vec<std::path::PathBuf> {
    SEED_TEXT
        .lines()
        .find_map(|l| l.strip_prefix("# fuentes: "))
        .map(|l| l.split_whitespace().map(std::path::PathBuf::from).collect())
        .unwrap_or_default()
}
