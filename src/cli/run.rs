//! `triaje run`: every mailbox continuously, rules reloaded on change, clean stop on SIGTERM.

use std::time::Duration;

use super::CliError;
use crate::config::Config;
use crate::daemon::{run_mailbox, shutdown_on_signals, watch_rules, InstanceLock, Shared};

/// Runs until SIGTERM/SIGINT; each mailbox finishes the batch in hand before the process exits.
pub async fn run(config: &Config) -> Result<(), CliError> {
    // One daemon per SQLite store; PostgreSQL instances coordinate through the database instead.
    let _lock = if config.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir).map_err(|source| CliError::Read {
            path: config.data_dir.clone(),
            source,
        })?;
        Some(InstanceLock::acquire(&config.data_dir)?)
    } else {
        None
    };
    let shared = Shared::open(config.clone()).await?;
    let shutdown = shutdown_on_signals();
    tracing::info!(
        mailboxes = shared.config.mailboxes.len(),
        rules = shared.rules.current().len(),
        "triaje running"
    );
    let mut tasks = Vec::new();
    tasks.push(tokio::spawn(watch_rules(
        shared.rules.clone(),
        Duration::from_secs(2),
        shutdown.clone(),
    )));
    for mailbox in shared.config.mailboxes.clone() {
        tasks.push(tokio::spawn(run_mailbox(
            shared.clone(),
            mailbox,
            shutdown.clone(),
        )));
    }
    for t in tasks {
        let _ = t.await;
    }
    tracing::info!("triaje stopped");
    Ok(())
}
