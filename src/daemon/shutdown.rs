//! Turning SIGTERM / SIGINT into a shutdown signal every worker watches.

use tokio::sync::watch;

/// Returns a receiver that turns `true` on SIGTERM or Ctrl-C. Workers finish the batch in hand, then stop.
pub fn shutdown_on_signals() -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let mut term = match signal(SignalKind::terminate()) {
                Ok(s) => s,
                Err(e) => {
                    tracing::error!(error = %e, "cannot listen for SIGTERM");
                    return;
                }
            };
            tokio::select! {
                _ = term.recv() => tracing::info!("SIGTERM received: finishing the batch in hand"),
                _ = tokio::signal::ctrl_c() => tracing::info!("interrupt received: finishing the batch in hand"),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        let _ = tx.send(true);
    });
    rx
}
