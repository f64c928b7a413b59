//! Waiting for new mail: IMAP IDLE where the server has it, otherwise a plain sleep (polling).
//!
//! The period is a real timer. async-imap's own IDLE timeout restarts on every response, and servers send a
//! keepalive («* OK Still here») every `imap_idle_notify_interval` (2 min on Dovecot by default, 10 s on some):
//! with that timeout alone a wait meant to last 15 s lasted until the next citizen's mail.

use std::time::Duration;

use async_imap::extensions::idle::IdleResponse;
use tokio::sync::{watch, Notify};

use super::{ImapError, Session};

/// Why the wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wakeup {
    /// The server reported a change in the watched folder (new mail, most likely).
    Activity,
    /// Someone asked the waiter to look now (a watched reply folder changed, a reply was sent).
    Woken,
    /// Nothing happened for the whole period; time to check anyway (and keep the connection alive).
    Timeout,
    /// The daemon is shutting down.
    Shutdown,
}

impl Session {
    /// Waits for activity in the selected folder for at most `period` (wall-clock, whatever the server sends
    /// meanwhile), until `wake` is notified, or until `shutdown` turns true.
    ///
    /// Uses IDLE when `use_idle` and the server announces it; otherwise sleeps (the caller polls). A
    /// notification given while nobody waited is kept by `Notify` and ends the next wait at once.
    pub async fn wait_for_mail(
        &mut self,
        period: Duration,
        use_idle: bool,
        wake: &Notify,
        shutdown: &mut watch::Receiver<bool>,
    ) -> Result<Wakeup, ImapError> {
        if *shutdown.borrow() {
            return Ok(Wakeup::Shutdown);
        }
        if !(use_idle && self.has_capability("IDLE")) {
            return Ok(tokio::select! {
                _ = tokio::time::sleep(period) => Wakeup::Timeout,
                _ = wake.notified() => Wakeup::Woken,
                _ = shutdown.changed() => Wakeup::Shutdown,
            });
        }
        let session = self.inner.take().ok_or(ImapError::Closed)?;
        let mut handle = session.idle();
        let timeout = self.timeout;
        match tokio::time::timeout(timeout, handle.init()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(ImapError::protocol("IDLE", e)),
            Err(_) => {
                return Err(ImapError::Timeout {
                    what: "IDLE",
                    seconds: timeout.as_secs(),
                })
            }
        }
        let wakeup = {
            let (wait, stop) = handle.wait_with_timeout(period);
            let outcome = tokio::select! {
                r = wait => Ok(r),
                // The real timer: keepalives restart the library's timeout, never this one.
                _ = tokio::time::sleep(period) => Err(Wakeup::Timeout),
                _ = wake.notified() => Err(Wakeup::Woken),
                _ = shutdown.changed() => Err(Wakeup::Shutdown),
            };
            drop(stop);
            match outcome {
                Err(wakeup) => wakeup,
                Ok(Ok(IdleResponse::NewData(_))) => Wakeup::Activity,
                Ok(Ok(IdleResponse::Timeout)) => Wakeup::Timeout,
                Ok(Ok(IdleResponse::ManualInterrupt)) => Wakeup::Activity,
                Ok(Err(e)) => return Err(ImapError::protocol("IDLE", e)),
            }
        };
        match tokio::time::timeout(timeout, handle.done()).await {
            Ok(Ok(session)) => self.inner = Some(session),
            Ok(Err(e)) => return Err(ImapError::protocol("IDLE DONE", e)),
            Err(_) => {
                return Err(ImapError::Timeout {
                    what: "IDLE DONE",
                    seconds: timeout.as_secs(),
                })
            }
        }
        Ok(wakeup)
    }
}
