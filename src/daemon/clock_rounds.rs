//! The loop behind the mails sent at a time of day (the coordinator's daily mail, the incident coordinator's
//! report): look at the clock every few seconds, run the round, keep going when it fails, stop on shutdown.
//!
//! Each round decides by itself whether something is due (and the outbox keeps one message per `Message-ID`),
//! so a missed or repeated tick costs nothing.

use std::future::Future;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::DaemonError;

/// How often the clock is looked at.
const TICK: std::time::Duration = std::time::Duration::from_secs(20);

/// Runs `round(now)` every [`TICK`] until `shutdown`; a failed round is logged as `what` and tried again at the
/// next tick.
pub async fn every_tick<F, Fut>(
    what: &'static str,
    mut shutdown: watch::Receiver<bool>,
    mut round: F,
) where
    F: FnMut(DateTime<Utc>) -> Fut,
    Fut: Future<Output = Result<(), DaemonError>>,
{
    loop {
        if let Err(e) = round(Utc::now()).await {
            tracing::warn!(error = %e, "{what} not queued; will retry");
        }
        tokio::select! {
            _ = tokio::time::sleep(TICK) => {}
            _ = shutdown.changed() => return,
        }
    }
}
