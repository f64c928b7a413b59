//! The running daemon: one worker per mailbox, rules reloaded without a restart, a clean stop on SIGTERM.
//!
//! This is the thin shell around the pure core: it fetches with `imap`, decides with `workflow`, records with
//! `store`, and files with `imap` again, in that order, so a crash at any point repeats only idempotent work.

mod error;
mod instance_lock;
mod mailbox_worker;
mod rules_reload;
mod shutdown;
mod triage_pass;

pub use error::DaemonError;
pub use instance_lock::InstanceLock;
pub use mailbox_worker::run_mailbox;
pub use rules_reload::{watch_rules, RulesHandle};
pub use shutdown::shutdown_on_signals;
pub use triage_pass::{triage_pass, PassSummary};

use std::sync::Arc;

use crate::calendar::BusinessCalendar;
use crate::config::Config;
use crate::store::Store;

/// What every worker shares: settings, the store, the rules in force and the calendar.
#[derive(Clone)]
pub struct Shared {
    /// Validated configuration.
    pub config: Arc<Config>,
    /// The store (SQLite or PostgreSQL).
    pub store: Store,
    /// The routing rules in force, swapped on reload.
    pub rules: RulesHandle,
    /// Business days.
    pub calendar: Arc<BusinessCalendar>,
}

impl Shared {
    /// Opens everything a run needs: calendar, rules (refusing to start on a bad rule set), store (migrated).
    pub async fn open(config: Config) -> Result<Shared, DaemonError> {
        let calendar = match &config.calendar {
            Some(path) => BusinessCalendar::load(path)?,
            None => BusinessCalendar::peru_default(),
        };
        for warning in calendar.warnings() {
            tracing::warn!(%warning, "calendar");
        }
        let rules = RulesHandle::load(&config.rules_dir, &config.folders.targets)?;
        if config.database_url.starts_with("sqlite:") {
            std::fs::create_dir_all(&config.data_dir).map_err(|e| DaemonError::DataDir {
                path: config.data_dir.clone(),
                source: e,
            })?;
        }
        let store = Store::connect(&config.database_url).await?;
        store.migrate().await?;
        Ok(Shared {
            config: Arc::new(config),
            store,
            rules,
            calendar: Arc::new(calendar),
        })
    }
}
