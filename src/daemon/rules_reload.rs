//! The rules in force, and their reload: a new set replaces the old one only if it is entirely valid.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use tokio::sync::watch;

use crate::rules::learned::LearnedModel;
use crate::rules::{RuleErrors, RuleSet};

/// A learned model from the store, with its id there, and its kind model (`None`: the kind seed's).
type StoreModel = (i64, Arc<LearnedModel>, Option<Arc<LearnedModel>>);

/// A shared, swappable rule set. Readers take a cheap `Arc` snapshot per batch.
#[derive(Clone)]
pub struct RulesHandle {
    current: Arc<RwLock<Arc<RuleSet>>>,
    /// The learned model from the store that votes with the rules (`None`: the shipped seed's), kept across
    /// reloads of the rule files.
    learned: Arc<RwLock<Option<StoreModel>>>,
    /// Held while a reload or a new model replaces the set, so neither undoes the other.
    swapping: Arc<std::sync::Mutex<()>>,
    dir: PathBuf,
    folders: Vec<String>,
}

impl RulesHandle {
    /// Loads the rules of `dir`; fails if any file has an error.
    pub fn load(dir: &Path, folders: &[String]) -> Result<RulesHandle, RuleErrors> {
        let set = RuleSet::load_dir(dir, folders)?;
        Ok(RulesHandle {
            current: Arc::new(RwLock::new(Arc::new(set))),
            learned: Arc::new(RwLock::new(None)),
            swapping: Arc::new(std::sync::Mutex::new(())),
            dir: dir.to_path_buf(),
            folders: folders.to_vec(),
        })
    }

    /// The rules in force now.
    pub fn current(&self) -> Arc<RuleSet> {
        match self.current.read() {
            Ok(g) => Arc::clone(&g),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Reads the directory again. A valid set replaces the current one; an invalid one is refused and the
    /// current rules stay, and the errors are returned so they can be logged.
    pub fn reload(&self) -> Result<usize, RuleErrors> {
        let _swapping = self.swapping.lock().unwrap_or_else(|p| p.into_inner());
        let mut set = RuleSet::load_dir(&self.dir, &self.folders)?;
        if let Some((_, model, kind_model)) = self.learned_model() {
            set = set.with_learned(Some(model));
            if let Some(kind_model) = kind_model {
                set = set.with_kind_learned(Some(kind_model));
            }
        }
        let n = set.len();
        self.replace(set);
        Ok(n)
    }

    fn replace(&self, set: RuleSet) {
        match self.current.write() {
            Ok(mut g) => *g = Arc::new(set),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(set),
        }
    }

    /// The store's model in force, if one replaced the seed.
    fn learned_model(&self) -> Option<StoreModel> {
        match self.learned.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The id in the store of the learned model in force (`None`: the shipped seed's).
    pub fn learned_id(&self) -> Option<i64> {
        self.learned_model().map(|(id, _, _)| id)
    }

    /// Makes `model` (the store's model `id`) and its kind model vote with the rules from the next batch on
    /// (`kind_model` `None`: the kind seed's keeps voting on the kind).
    pub fn set_learned(
        &self,
        id: i64,
        model: Arc<LearnedModel>,
        kind_model: Option<Arc<LearnedModel>>,
    ) {
        let _swapping = self.swapping.lock().unwrap_or_else(|p| p.into_inner());
        let entry = Some((id, Arc::clone(&model), kind_model.clone()));
        match self.learned.write() {
            Ok(mut g) => *g = entry,
            Err(poisoned) => *poisoned.into_inner() = entry,
        }
        let mut set = (*self.current()).clone().with_learned(Some(model));
        if let Some(kind_model) = kind_model {
            set = set.with_kind_learned(Some(kind_model));
        }
        self.replace(set);
    }

    /// The directory the rules come from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Newest modification time and file count of the `*.toml` files in `dir`: a change in either means reload.
fn fingerprint(dir: &Path) -> Option<(SystemTime, usize)> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut newest = SystemTime::UNIX_EPOCH;
    let mut count = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        count += 1;
        if let Ok(modified) = entry.metadata().and_then(|m| m.modified()) {
            newest = newest.max(modified);
        }
    }
    Some((newest, count))
}

/// Watches the rules directory (every `period`, and on SIGHUP) and reloads when it changes.
pub async fn watch_rules(
    handle: RulesHandle,
    period: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut last = fingerprint(handle.dir());
    #[cfg(unix)]
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    loop {
        #[cfg(unix)]
        let hup_recv = async {
            match hup.as_mut() {
                Some(h) => {
                    h.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let hup_recv = std::future::pending::<()>();
        let forced = tokio::select! {
            _ = tokio::time::sleep(period) => false,
            _ = hup_recv => true,
            _ = shutdown.changed() => return,
        };
        let now = fingerprint(handle.dir());
        if !forced && now == last {
            continue;
        }
        last = now;
        match handle.reload() {
            Ok(n) => tracing::info!(rules = n, dir = %handle.dir().display(), "rules reloaded"),
            Err(errors) => tracing::error!(
                dir = %handle.dir().display(),
                "new rules refused, the previous rules stay in force:\n{errors}"
            ),
        }
    }
}
