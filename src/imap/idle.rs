//! Waiting for new mail: IMAP IDLE where the server has it, otherwise a plain sleep (polling).

use std::time::Duration;

use async_imap::extensions::idle::IdleResponse;
use tokio::sync::watch;

use super::{ImapError, Session};

/// Why the wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wakeup {
    /// The server reported a change (new mail, most likely).
    Activity,
    /// Nothing happened for the whole period; time to check anyway (and keep the connection alive).
    Timeout,
    /// The daemon is shutting down.
    Shutdown,
}

impl Session {
    /// Waits for activity in the selected folder for at most `period`, or until `shutdown` turns true.
    ///
    /// Uses IDLE when `use_idle` and the server announces it; otherwise sleeps (the caller polls).
    pub async fn wait_for_mail(
        &mut self,
        period: Duration,
        use_idle: bool,
        shutdown: &mut watch::Receiver<bool>,
    ) -> Result<Wakeup, ImapError> {
        if *shutdown.borrow() {
            return Ok(Wakeup::Shutdown);
        }
        if !(use_idle && self.has_capability("IDLE")) {
            return Ok(tokio::select! {
                _ = tokio::time::sleep(period) => Wakeup::Timeout,
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
                r = wait => Some(r),
                _ = shutdown.changed() => None,
            };
            drop(stop);
            match outcome {
                None => Wakeup::Shutdown,
                Some(Ok(IdleResponse::NewData(_))) => Wakeup::Activity,
                Some(Ok(IdleResponse::Timeout)) => Wakeup::Timeout,
                Some(Ok(IdleResponse::ManualInterrupt)) => Wakeup::Activity,
                Some(Err(e)) => return Err(ImapError::protocol("IDLE", e)),
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
