//! `triaje run`: every mailbox continuously, rules reloaded on change, clean stop on SIGTERM.

use std::time::Duration;

use super::CliError;
use crate::config::Config;
use crate::daemon::{run_mailboxes, shutdown_on_signals, watch_rules};

/// Runs until SIGTERM/SIGINT; each mailbox finishes the batch in hand before the process exits.
pub async fn run(config: &Config) -> Result<(), CliError> {
    let (_lock, installation) = super::open_for_work(config.clone()).await?;
    let triage = &installation.triage;
    let office = &triage.office;
    let shutdown = shutdown_on_signals();
    tracing::info!(
        mailboxes = office.config.mailboxes.len(),
        rules = triage.rules.current().len(),
        "triaje running"
    );
    let mut tasks = Vec::new();
    // Outgoing mail: one sender for every mailbox with an SMTP account; it claims rows, so several daemons on
    // one PostgreSQL store never send the same message twice.
    let mailers = crate::smtp::mailers(&office.config)?;
    if !mailers.is_empty() {
        tasks.push(tokio::spawn(crate::smtp::run_outbox(
            office.store.clone(),
            mailers,
            office.config.outbox.clone(),
            instance_name(),
            shutdown.clone(),
            office.outbox_wake.clone(),
        )));
    }
    // The web server (survey, /health, /metrics, and the dashboard when it has a password), when configured.
    if let (Some(web), Some(key)) = (office.config.web.clone(), office.survey_key.clone()) {
        let listener = tokio::net::TcpListener::bind(web.bind)
            .await
            .map_err(|source| CliError::Bind {
                addr: web.bind.to_string(),
                source,
            })?;
        tracing::info!(bind = %web.bind, public_url = %web.public_url, "web server listening");
        let dashboard = web.dashboard.clone().map(|login| {
            crate::web::Dashboard::new(
                login,
                &key,
                &web.public_url,
                triage.calendar.clone(),
                crate::report::receptions_of(&office.config),
            )
            .with_unit_names(
                office
                    .config
                    .units
                    .iter()
                    .map(|u| (u.name.clone(), u.display_name.clone()))
                    .collect(),
            )
        });
        if dashboard.is_some() {
            tracing::info!(public_url = %web.public_url, "coordinator's dashboard on at /panel");
        }
        let state = crate::web::WebState {
            store: office.store.clone(),
            key,
            dashboard,
            counters: Some(installation.counters.clone()),
        };
        let mut stop = shutdown.clone();
        tasks.push(tokio::spawn(async move {
            let until = async move {
                let _ = stop.wait_for(|s| *s).await;
            };
            if let Err(e) = crate::web::serve(listener, state, until).await {
                tracing::error!(error = %e, "web server stopped");
            }
        }));
    }
    // The coordinator's daily mail, when `[digest]` is configured.
    tasks.push(tokio::spawn(crate::daemon::run_digests(
        office.clone(),
        triage.calendar.clone(),
        shutdown.clone(),
    )));
    // The incident coordinator's daily report, when `[incidents]` is configured.
    tasks.push(tokio::spawn(crate::daemon::run_incident_reports(
        office.clone(),
        triage.calendar.clone(),
        shutdown.clone(),
    )));
    tasks.push(tokio::spawn(watch_rules(
        triage.rules.clone(),
        Duration::from_secs(2),
        shutdown.clone(),
    )));
    // The learned opinion: a newer model from the store, retraining every night and after N corrections.
    tasks.push(tokio::spawn(crate::daemon::run_learning(
        office.store.clone(),
        triage.rules.clone(),
        instance_name(),
        shutdown.clone(),
    )));
    // The mailboxes: all of them with SQLite; this daemon's share when several share a PostgreSQL store.
    tasks.push(tokio::spawn(run_mailboxes(
        installation.clone(),
        instance_name(),
        shutdown.clone(),
    )));
    for t in tasks {
        let _ = t.await;
    }
    tracing::info!("triaje stopped");
    Ok(())
}

/// This daemon's name in the outbox's claims: host and process id, so a claim says who holds it.
pub(crate) fn instance_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "triaje".into());
    format!("{host}:{}", std::process::id())
}
