//! Watching the reply folders on their own, so a dropped draft or an approval is acted on in seconds whatever
//! the inbox does.
//!
//! The mailbox's worker waits on the inbox (IDLE). Each watched reply folder (`Por enviar`, `Aprobadas`) gets a
//! connection of its own that IDLEs on it and wakes the worker when anything changes there; a replies pass then
//! runs at once. A reply the SMTP server accepted wakes the worker too (the register says so), so it is filed
//! without waiting. Without IDLE (or with `idle = false`) the worker polls every `check_seconds` on a real
//! timer instead, and the watchers are not started.
//!
//! The watchers only accelerate: when one fails it logs and reconnects with backoff, and the worker's own timer
//! still looks at the reply folders every `check_seconds`.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;
use tracing::Instrument;

use crate::config::{Config, MailboxConfig};
use crate::imap::{self, Wakeup};
use crate::store::Store;

/// How long one IDLE on a reply folder lasts before it is renewed (servers drop IDLE after 30 min).
const IDLE_PERIOD: Duration = Duration::from_secs(5 * 60);
/// The longest pause before a failed watcher connects again.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// How often the register is asked whether a sent reply waits to be filed.
const SENT_CHECK: Duration = Duration::from_secs(1);
/// While a sent reply stays unfiled (its consultation is missing on the server, say), the worker is woken again
/// at most this often.
const SENT_REMIND: Duration = Duration::from_secs(30);

/// The watchers of one mailbox; they stop when this is dropped (the worker's connection ended).
pub(crate) struct ReplyWatchers {
    /// The running tasks.
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for ReplyWatchers {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Starts the watchers of `mailbox`: one IDLE connection per watched reply folder (and per folder of `also`, the
/// units' derivation folders) when `idle` (the server has IDLE and the configuration allows it), and the check
/// for sent replies to file. Each wakes `wake`.
pub(crate) fn start(
    config: &Config,
    store: &Store,
    mailbox: &MailboxConfig,
    idle: bool,
    also: &[String],
    wake: Arc<Notify>,
    shutdown: &watch::Receiver<bool>,
) -> ReplyWatchers {
    let mut tasks = Vec::new();
    if idle {
        let folders = &config.folders;
        for folder in [&folders.drafts, &folders.approved].into_iter().chain(also) {
            let span = tracing::info_span!("watch", folder = %folder);
            tasks.push(tokio::spawn(
                watch_folder(
                    Duration::from_secs(config.triage.io_timeout_seconds),
                    mailbox.clone(),
                    folder.clone(),
                    Arc::clone(&wake),
                    shutdown.clone(),
                )
                .instrument(span),
            ));
        }
    }
    tasks.push(tokio::spawn(
        watch_sent(store.clone(), mailbox.name.clone(), wake, shutdown.clone()).in_current_span(),
    ));
    ReplyWatchers { tasks }
}

/// IDLEs on `folder` over a connection of its own and notifies `wake` on every change, reconnecting with
/// backoff after failures, until `shutdown`. `timeout` bounds each IMAP exchange.
async fn watch_folder(
    timeout: Duration,
    mailbox: MailboxConfig,
    folder: String,
    wake: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    // Nobody else wakes a watcher: its IDLE ends on the folder's activity, its period or the shutdown.
    let never = Notify::new();
    let mut backoff = Duration::from_secs(1);
    loop {
        let result: Result<(), imap::ImapError> = async {
            let mut session = imap::connect(&mailbox.imap, timeout).await?;
            session.select(&folder).await?;
            tracing::debug!("watching the reply folder");
            // A draft dropped while this watcher was (re)connecting is in the folder already: look now.
            wake.notify_one();
            backoff = Duration::from_secs(1);
            loop {
                match session
                    .wait_for_mail(IDLE_PERIOD, true, &never, &mut shutdown)
                    .await?
                {
                    Wakeup::Shutdown => {
                        session.logout().await;
                        return Ok(());
                    }
                    Wakeup::Activity => wake.notify_one(),
                    Wakeup::Timeout | Wakeup::Woken => {}
                }
            }
        }
        .await;
        match result {
            Ok(()) => return,
            Err(e) => {
                tracing::warn!(error = %e, retry_in_s = backoff.as_secs(), "reply folder watcher failed; the worker's timer covers it meanwhile");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = shutdown.changed() => return,
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Wakes the worker when the SMTP server accepted a reply of `mailbox` that is not filed yet, so the copy in the
/// sent folder and the consultation's move to the answered folder follow within about a second.
async fn watch_sent(
    store: Store,
    mailbox: String,
    wake: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut last = (0_i64, tokio::time::Instant::now());
    loop {
        tokio::select! {
            _ = tokio::time::sleep(SENT_CHECK) => {}
            _ = shutdown.changed() => return,
        }
        match store.sent_replies_waiting(&mailbox).await {
            Ok(0) => last.0 = 0,
            Ok(n) => {
                if n != last.0 || last.1.elapsed() >= SENT_REMIND {
                    wake.notify_one();
                    last = (n, tokio::time::Instant::now());
                }
            }
            // The worker reports a store that fails; this is only an accelerator.
            Err(e) => tracing::debug!(error = %e, "could not count the sent replies to file"),
        }
    }
}
