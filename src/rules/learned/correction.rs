//! The correction of the counts by inner folds (issue 16): every training message that an opinion trained
//! *without it* files in the wrong folder is counted once more in its right folder.
//!
//! Naive Bayes fits nearly every message it was trained on, so its errors are sought where it meets mail it
//! has not seen: the examples are split into [`INNER_FOLDS`] folds by a stable hash of a key of their own
//! (a message's file name, a stored example's consultation id), and each fold is voted by an opinion trained on
//! the base counts plus the other folds. A message that vote files wrong is added again, [`EXTRA_TIMES`] times,
//! to its right folder: a perceptron step on held-out errors. The result is still counts, what the seed and the
//! store hold, and a vote costs what it did; training costs `INNER_FOLDS + 1` trainings instead of one.
//!
//! Measured by leave one writer out (`examples/routing_cv.rs`): fewer messages in a wrong folder at the same
//! accuracy (the README's «Fewer wrong folders, eleventh session»).

use super::features::fnv;
use super::model::{Counts, LearnedModel, Reading};

/// How many inner folds the examples are split into (five measured as well as ten, at half the cost).
pub const INNER_FOLDS: usize = 5;

/// How many times a misfiled example is counted again, beside what it already counts.
pub const EXTRA_TIMES: f64 = 1.0;

/// One training example as the correction takes it.
#[derive(Debug, Clone, Copy)]
pub struct Example<'a> {
    /// Its right folder.
    pub class: &'a str,
    /// Its features as the opinion is trained on them ([`super::message_features_with`]).
    pub features: &'a [(u64, f32)],
    /// How many times it counts (a correction by hand [`super::CORRECTION_TIMES`], otherwise 1).
    pub times: f64,
    /// What puts it in its inner fold: stable from one training to the next, so the same examples always give
    /// the same counts (a message's file name, a stored example's consultation id).
    pub key: &'a str,
}

/// The inner fold of an example's key: FNV-1a of `inner:` and the key, modulo `folds`. The prefix keeps these
/// folds apart from the outer folds `examples/routing_cv.rs` hashes from the same file names.
pub fn inner_fold(key: &str, folds: usize) -> usize {
    (fnv(format!("inner:{key}").as_bytes()) % folds.max(1) as u64) as usize
}

/// The counts `base` plus every example (`times` each), corrected: each example an opinion trained on `base`
/// and the other [`INNER_FOLDS`] − 1 folds files wrong is counted [`EXTRA_TIMES`] more in its right folder.
///
/// `base` is what is not voted again: for the seed only its classes (empty counts), for the daemon's retraining
/// the seed's counts (already corrected when it was written). A fold whose training holds fewer than two
/// classes has no opinion and corrects nothing.
///
/// The vote is [`LearnedModel::vote_on_with`], the opinion's own, on a reading made of the example's training
/// features ([`Reading::set_features`]): the daemon keeps only those. It differs from the vote on the message
/// only in how a word said many times weighs (log-scaled and the message scaled to one length, as training
/// counts it); the probabilities then compared are the real vote's.
pub fn corrected_counts(base: &Counts, examples: &[Example<'_>]) -> Counts {
    corrected_counts_with(base, examples, INNER_FOLDS)
}

/// [`corrected_counts`] with `folds` inner folds (`examples/routing_cv.rs` tries others).
pub fn corrected_counts_with(base: &Counts, examples: &[Example<'_>], folds: usize) -> Counts {
    let fold: Vec<usize> = examples.iter().map(|e| inner_fold(e.key, folds)).collect();
    // The indices of the examples to count again, in the order of the examples whatever fold found them, so
    // the sums are the same in every process.
    let mut again: Vec<usize> = Vec::new();
    for part in 0..folds {
        if !fold.contains(&part) {
            continue;
        }
        let mut counts = base.clone();
        counts.add_all(
            examples
                .iter()
                .zip(&fold)
                .filter(|(_, f)| **f != part)
                .map(|(e, _)| plain(e)),
        );
        let Some(model) = LearnedModel::train(&counts) else {
            continue;
        };
        let mut reading = Reading::default();
        for (i, e) in examples
            .iter()
            .enumerate()
            .filter(|(i, _)| fold[*i] == part)
        {
            reading.set_features(e.features);
            if misfiled(&model, &reading, e.class) {
                again.push(i);
            }
        }
    }
    again.sort_unstable();
    let mut counts = base.clone();
    counts.add_all(
        examples.iter().map(plain).chain(
            again
                .iter()
                .map(|&i| (examples[i].class, examples[i].features, EXTRA_TIMES)),
        ),
    );
    counts
}

/// An example as [`Counts::add_all`] takes it.
fn plain<'a>(e: &Example<'a>) -> (&'a str, &'a [(u64, f32)], f64) {
    (e.class, e.features, e.times)
}

/// Whether the model's vote on `reading` gives `class` less than some other class (a tie is not an error).
fn misfiled(model: &LearnedModel, reading: &Reading, class: &str) -> bool {
    let vote = model.vote_on_with(reading, "", "", false);
    let mut right = 0.0;
    let mut best_other = 0.0f64;
    for (c, p) in &vote.probabilities {
        if c == class {
            right = *p;
        } else {
            best_other = best_other.max(*p);
        }
    }
    right < best_other
}

#[cfg(test)]
mod tests {
    use super::super::features::message_features;
    use super::*;

    fn labels() -> Counts {
        let mut c = Counts::default();
        for l in ["RNP", "Legal"] {
            c.add(l, &[], 0.0);
        }
        c
    }

    /// Each text's training features.
    fn features(texts: &[&str]) -> Vec<Vec<(u64, f32)>> {
        texts.iter().map(|t| message_features("", 1.0, t)).collect()
    }

    /// The extra count of `class` in the corrected counts against the plain sum, per example.
    fn extra_docs(corrected: &Counts, plain: &Counts, class: &str) -> f64 {
        let i = corrected.classes.iter().position(|c| c == class).unwrap();
        let j = plain.classes.iter().position(|c| c == class).unwrap();
        corrected.docs[i] - plain.docs[j]
    }

    #[test]
    fn a_message_the_others_file_wrong_is_counted_again_and_a_well_filed_one_is_not() {
        // Many RNP messages about «inscripcion», many Legal ones about «contrato»; one Legal message that speaks
        // of an «inscripcion» (the others' opinion files it in RNP) and one RNP message like the rest.
        let mut texts: Vec<(String, &str)> = Vec::new();
        for i in 0..12 {
            texts.push((format!("inscripcion rnp proveedor vigente {i}"), "RNP"));
            texts.push((
                format!("contrato penalidad arbitraje garantia {i}"),
                "Legal",
            ));
        }
        texts.push(("nulidad de la inscripcion rnp proveedor".into(), "Legal"));
        texts.push(("renovar inscripcion rnp proveedor".into(), "RNP"));
        let strs: Vec<&str> = texts.iter().map(|(t, _)| t.as_str()).collect();
        let feats = features(&strs);
        let keys: Vec<String> = (0..texts.len()).map(|i| format!("m{i}.eml")).collect();
        let examples: Vec<Example> = texts
            .iter()
            .zip(&feats)
            .zip(&keys)
            .map(|(((_, class), f), k)| Example {
                class,
                features: f,
                times: 1.0,
                key: k,
            })
            .collect();
        let corrected = corrected_counts(&labels(), &examples);
        let mut plain = labels();
        plain.add_all(examples.iter().map(|e| (e.class, e.features, e.times)));
        assert_eq!(extra_docs(&corrected, &plain, "Legal"), EXTRA_TIMES);
        assert_eq!(extra_docs(&corrected, &plain, "RNP"), 0.0);
        // The misfiled one's own words now count twice in Legal.
        let nulidad = message_features("", 1.0, "nulidad")[0].0;
        let legal = corrected.classes.iter().position(|c| c == "Legal").unwrap();
        let once = plain.feature(nulidad).unwrap()[legal];
        assert_eq!(corrected.feature(nulidad).unwrap()[legal], 2.0 * once);
        // The same examples always give the same counts.
        assert_eq!(corrected_counts(&labels(), &examples), corrected);
    }

    #[test]
    fn with_one_class_there_is_no_opinion_and_nothing_is_corrected() {
        let feats = features(&["inscripcion rnp", "constancia rnp"]);
        let examples: Vec<Example> = feats
            .iter()
            .zip(["a", "b"])
            .map(|(f, k)| Example {
                class: "RNP",
                features: f,
                times: 1.0,
                key: k,
            })
            .collect();
        let mut plain = Counts::default();
        plain.add_all(examples.iter().map(|e| (e.class, e.features, e.times)));
        assert_eq!(corrected_counts(&Counts::default(), &examples), plain);
    }

    #[test]
    fn inner_folds_are_stable_and_spread() {
        assert_eq!(
            inner_fold("0a1b2c3d4e.eml", 5),
            inner_fold("0a1b2c3d4e.eml", 5)
        );
        let mut seen = [0; INNER_FOLDS];
        for i in 0..500 {
            seen[inner_fold(&format!("{i}"), INNER_FOLDS)] += 1;
        }
        assert!(seen.iter().all(|n| *n > 60), "{seen:?}");
    }
}
