//! The learned opinion's upkeep in the running daemon: confirmed filings become training examples, and the
//! model is retrained every night and after every N corrections, stored, and picked up by every daemon that
//! shares the database.
//!
//! Each mailbox worker turns its own mailbox's confirmed filings into examples (reading their messages back
//! from the server, in the session it already holds), so the work follows the mailbox leases. Retraining reads
//! only the store: the seed's counts plus every example (the area's corrected by inner folds over the examples),
//! which any daemon computes the same way.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Days, TimeZone, Utc};
use tokio::sync::watch;

use super::confirmed_mail::fetch_confirmed;
use super::{DaemonError, RulesHandle};
use crate::calendar::LIMA;
use crate::config::{Config, MailboxConfig};
use crate::imap::Session;
use crate::rules::learned::{
    area_counts_with, counts_with, kind_seed_counts, seed_counts, view_features, Counts,
    LearnedModel,
};
use crate::rules::LearnedSettings;
use crate::store::{RoutingExample, Store};

/// Confirmed filings read back per mailbox and round: a first run on a year of register catches up in steps.
const HARVEST_BATCH: i64 = 200;
/// How often the daemon looks for a newer model in the store and whether a retraining is due.
const LEARNING_ROUND: Duration = Duration::from_secs(60);

/// Turns `mailbox`'s confirmed filings that have no training example yet into examples; returns how many.
pub async fn harvest_examples(
    session: &mut Session,
    config: &Config,
    store: &Store,
    rules: &RulesHandle,
    mailbox: &MailboxConfig,
) -> Result<usize, DaemonError> {
    let rules = rules.current();
    if !rules.routing().learned.enabled {
        return Ok(0);
    }
    let filings = store
        .confirmed_filings(Some(&mailbox.name), None, true, HARVEST_BATCH)
        .await?;
    if filings.is_empty() {
        return Ok(0);
    }
    let folders = &config.folders;
    let raws = fetch_confirmed(session, folders, &filings, config.triage.max_message_bytes).await?;
    let learnable = |f: &str| folders.targets.iter().any(|t| t == f) || f == folders.unclassified;
    // A filing confirmed in a kind's folder («Reclamos») teaches the kind (the consultation's kind, read with
    // the example) and, when its area is one of the folders, the area; with no area its folder is left empty,
    // which the area's training skips.
    let kind_folder = |f: &str| config.kinds.kind_of_folder(f).is_some();
    let now = Utc::now();
    let mut learned = 0;
    for (filing, raw) in filings.iter().zip(raws) {
        // A message gone from the server, unreadable, or confirmed in a folder that is not a class (an old
        // name): an empty example, so it is not looked for again.
        let folder = if kind_folder(&filing.folder) {
            filing
                .consultation
                .area
                .clone()
                .filter(|a| learnable(a))
                .unwrap_or_default()
        } else {
            filing.folder.clone()
        };
        let features = match (
            learnable(&filing.folder) || kind_folder(&filing.folder),
            raw.map(|r| crate::mail::parse(&r)),
        ) {
            (true, Some(Ok(mail))) => view_features(&mail.view(), rules.routing()),
            _ => Vec::new(),
        };
        if !features.is_empty() {
            learned += 1;
        }
        store
            .save_routing_example(
                &RoutingExample {
                    consultation_id: filing.consultation.id,
                    folder,
                    corrected: filing.corrected,
                    features,
                    kind: filing.consultation.kind,
                },
                now,
            )
            .await?;
    }
    if learned > 0 {
        tracing::info!(mailbox = %mailbox.name, examples = learned, "confirmed filings learned");
    }
    Ok(learned)
}

/// Forgets the examples and models stored with another reading of the text than this build's (after an
/// upgrade that changed the learned opinion's features): the harvest reads those messages again and, with no
/// model left, the next learning round retrains at once. Cheap when there is nothing to forget.
async fn forget_stale(store: &Store) -> Result<(), DaemonError> {
    let (examples, models) = store.forget_stale_learning().await?;
    if examples + models > 0 {
        tracing::info!(
            examples,
            models,
            "learned material of another reading of the text forgotten; its messages will be read again"
        );
    }
    Ok(())
}

/// A model just trained and stored.
pub struct Trained {
    /// Its id in the store.
    pub id: i64,
    /// The model (`None` when the counts hold fewer than two classes).
    pub model: Option<Arc<LearnedModel>>,
    /// The counts it was trained from.
    pub counts: Counts,
    /// The kind model (`None` when its counts hold fewer than two kinds).
    pub kind_model: Option<Arc<LearnedModel>>,
    /// The counts the kind model was trained from.
    pub kind_counts: Counts,
    /// Confirmed filings it learned from.
    pub examples: usize,
    /// Of those, corrections by hand.
    pub corrections: usize,
}

/// Trains a model from the seed and every stored example (the area's counts corrected by inner folds,
/// [`area_counts_with`]), and stores it as the latest.
pub async fn retrain(
    store: &Store,
    trained_by: &str,
    now: DateTime<Utc>,
) -> Result<Trained, DaemonError> {
    let examples = store.routing_examples().await?;
    // The area's counts corrected by inner folds over the office's filings, each put in its fold by its
    // consultation's id (stable from one night to the next, and the same in every daemon).
    let keys: Vec<String> = examples
        .iter()
        .map(|e| e.consultation_id.to_string())
        .collect();
    let counts = area_counts_with(
        &seed_counts(),
        examples
            .iter()
            .zip(&keys)
            .filter(|(e, _)| !e.folder.is_empty())
            .map(|(e, k)| {
                (
                    e.folder.as_str(),
                    e.features.as_slice(),
                    e.corrected,
                    k.as_str(),
                )
            }),
    );
    // Every confirmed filing also says its kind: most say «consulta», the drags into a kind's folder say more.
    let kind_counts = counts_with(
        &kind_seed_counts(),
        examples
            .iter()
            .map(|e| (e.kind.as_str(), e.features.as_slice(), e.corrected)),
    );
    let corrections = examples.iter().filter(|e| e.corrected).count();
    let id = store
        .save_routing_model(
            trained_by,
            examples.len() as i64,
            corrections as i64,
            &counts.to_text(),
            &kind_counts.to_text(),
            now,
        )
        .await?;
    Ok(Trained {
        id,
        model: LearnedModel::train(&counts).map(Arc::new),
        counts,
        kind_model: LearnedModel::train(&kind_counts).map(Arc::new),
        kind_counts,
        examples: examples.len(),
        corrections,
    })
}

/// Puts the store's latest model in force when it is not already; true when it changed.
pub async fn load_latest(store: &Store, rules: &RulesHandle) -> Result<bool, DaemonError> {
    forget_stale(store).await?;
    let Some((id, _)) = store.latest_routing_model_id().await? else {
        return Ok(false);
    };
    if rules.learned_id() == Some(id) {
        return Ok(false);
    }
    let Some(stored) = store.latest_routing_model().await? else {
        return Ok(false);
    };
    match Counts::from_text(&stored.counts)
        .ok()
        .and_then(|c| LearnedModel::train(&c))
    {
        Some(model) => {
            // A model stored before the kind learned (no kind counts) leaves the kind seed voting.
            let kind_model = stored
                .kind_counts
                .as_deref()
                .and_then(|t| Counts::from_text(t).ok())
                .and_then(|c| LearnedModel::train(&c))
                .map(Arc::new);
            rules.set_learned(stored.id, Arc::new(model), kind_model);
            tracing::info!(
                model = stored.id,
                examples = stored.examples,
                "learned model in force"
            );
            Ok(true)
        }
        None => {
            tracing::warn!(
                model = stored.id,
                "the stored learned model cannot be read; the previous one stays"
            );
            Ok(false)
        }
    }
}

/// Whether a retraining is due at `now`: the nightly one (the last `retrain_at`, Lima time, passed since the
/// last training), or `retrain_after_corrections` corrections learned since it (0: never by count).
pub fn retrain_due(
    settings: &LearnedSettings,
    last_trained: Option<DateTime<Utc>>,
    corrections_since: u64,
    now: DateTime<Utc>,
) -> bool {
    if !settings.enabled {
        return false;
    }
    let n = u64::from(settings.retrain_after_corrections);
    if n > 0 && corrections_since >= n {
        return true;
    }
    let today = now.with_timezone(&LIMA).date_naive();
    let at = |day: chrono::NaiveDate| {
        LIMA.from_local_datetime(&day.and_time(settings.retrain_at))
            .single()
            .map(|t| t.with_timezone(&Utc))
    };
    let last_nightly = match at(today) {
        Some(t) if t <= now => Some(t),
        _ => today.checked_sub_days(Days::new(1)).and_then(at),
    };
    match (last_trained, last_nightly) {
        (Some(trained), Some(nightly)) => trained < nightly,
        // Never trained: the first night (or the first corrections) will.
        (None, _) => false,
        (_, None) => false,
    }
}

/// Keeps the learned model fresh until shutdown: every minute it picks up a newer model another daemon (or
/// `triaje rules learn`) stored, and retrains when one is due. It needs only the store the models and
/// examples are kept in and the rules the model is swapped into.
pub async fn run_learning(
    store: Store,
    rules: RulesHandle,
    instance: String,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        if let Err(e) = learning_round(&store, &rules, &instance).await {
            tracing::warn!(error = %e, "learned model upkeep failed; will retry");
        }
        tokio::select! {
            _ = tokio::time::sleep(LEARNING_ROUND) => {}
            _ = shutdown.changed() => return,
        }
    }
}

async fn learning_round(
    store: &Store,
    rules: &RulesHandle,
    instance: &str,
) -> Result<(), DaemonError> {
    load_latest(store, rules).await?;
    let settings = rules.current().routing().learned.clone();
    if !settings.enabled {
        return Ok(());
    }
    let latest = store.latest_routing_model_id().await?;
    let last_trained = latest.map(|(_, at)| at);
    let corrections = store.corrected_examples_since(last_trained).await?;
    let now = Utc::now();
    let due = match last_trained {
        Some(_) => retrain_due(&settings, last_trained, corrections, now),
        // No model stored yet: the first confirmed filings train one at once.
        None => !store.routing_examples().await?.is_empty(),
    };
    if !due {
        return Ok(());
    }
    let trained = retrain(store, instance, now).await?;
    tracing::info!(
        model = trained.id,
        examples = trained.examples,
        corrections = trained.corrections,
        "learned model retrained"
    );
    if let Some(model) = trained.model {
        rules.set_learned(trained.id, model, trained.kind_model);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn lima(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        LIMA.with_ymd_and_hms(2026, 11, d, h, m, 0)
            .single()
            .expect("valid")
            .with_timezone(&Utc)
    }

    fn settings() -> LearnedSettings {
        LearnedSettings {
            retrain_after_corrections: 3,
            retrain_at: NaiveTime::from_hms_opt(3, 0, 0).expect("valid"),
            ..LearnedSettings::default()
        }
    }

    #[test]
    fn it_retrains_every_night_once() {
        let s = settings();
        // Trained yesterday at 10:00; tonight's 03:00 has passed.
        assert!(retrain_due(&s, Some(lima(19, 10, 0)), 0, lima(20, 3, 5)));
        // Trained at 03:01 today: done for today, also in the afternoon.
        assert!(!retrain_due(&s, Some(lima(20, 3, 1)), 0, lima(20, 16, 0)));
        // Before tonight's hour, last night's counts.
        assert!(!retrain_due(&s, Some(lima(19, 3, 1)), 0, lima(20, 2, 59)));
        assert!(retrain_due(&s, Some(lima(19, 2, 0)), 0, lima(20, 2, 59)));
    }

    #[test]
    fn it_retrains_after_n_corrections_and_not_when_off() {
        let s = settings();
        assert!(retrain_due(&s, Some(lima(20, 9, 0)), 3, lima(20, 9, 5)));
        assert!(!retrain_due(&s, Some(lima(20, 9, 0)), 2, lima(20, 9, 5)));
        let off = LearnedSettings {
            enabled: false,
            ..settings()
        };
        assert!(!retrain_due(&off, Some(lima(1, 0, 0)), 99, lima(20, 9, 5)));
        let never_by_count = LearnedSettings {
            retrain_after_corrections: 0,
            ..settings()
        };
        assert!(!retrain_due(
            &never_by_count,
            Some(lima(20, 9, 0)),
            99,
            lima(20, 9, 5)
        ));
    }
}
