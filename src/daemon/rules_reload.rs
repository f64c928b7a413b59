//! The rules in force, and their reload: a new set replaces the old one only if it is entirely valid.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use tokio::sync::watch;

use crate::rules::{RuleErrors, RuleSet};

/// A shared, swappable rule set. Readers take a cheap `Arc` snapshot per batch.
#[derive(Clone)]
pub struct RulesHandle {
    current: Arc<RwLock<Arc<RuleSet>>>,
    dir: PathBuf,
    folders: Vec<String>,
}

impl RulesHandle {
    /// Loads the rules of `dir`; fails if any file has an error.
    pub fn load(dir: &Path, folders: &[String]) -> Result<RulesHandle, RuleErrors> {
        let set = RuleSet::load_dir(dir, folders)?;
        Ok(RulesHandle {
            current: Arc::new(RwLock::new(Arc::new(set))),
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
        let set = RuleSet::load_dir(&self.dir, &self.folders)?;
        let n = set.len();
        match self.current.write() {
            Ok(mut g) => *g = Arc::new(set),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(set),
        }
        Ok(n)
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
