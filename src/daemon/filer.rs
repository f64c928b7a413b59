//! Filing a large backlog on a second connection, while the first keeps fetching.
//!
//! Tagging and moving a thousand recorded messages keeps the server busy for a while (each `UID MOVE` rewrites
//! the inbox's index); done on the connection that fetches, it stopped the downloads, and the deciding threads
//! ran dry. A second session on the same inbox files what the first has recorded, as the records arrive:
//! whatever was recorded while it was moving the previous group goes in its next move.
//!
//! Crash safety is the single connection's: the filer is handed only rows already committed to the store
//! (record before move), it marks them filed only after the server moved them, and a crash or a lost connection
//! in between leaves them recorded and unfiled, which the next pass files first (`file_leftovers`). Tagging and
//! moving UIDs already moved are no-ops. When the second connection cannot be had, the pass files on its own
//! connection as before.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::triage_pass::{file_on_server, PassSummary};
use super::{DaemonError, Triage};
use crate::config::MailboxConfig;
use crate::imap::{self, Session};
use crate::store::Recorded;

/// Recorded groups waiting for the filer; the main loop waits (rather than piling up rows) beyond this.
const QUEUED_GROUPS: usize = 8;

/// The second connection's task and the queue it files from. Dropping it (an error on the main connection)
/// stops the task: what it had not moved stays recorded, for the next pass.
pub(super) struct Filer {
    queue: Option<mpsc::Sender<Vec<Recorded>>>,
    task: Option<JoinHandle<Result<PassSummary, DaemonError>>>,
}

impl Filer {
    /// Opens a second session on `mailbox`'s inbox; `None` when the server refuses it or the inbox was
    /// renumbered meanwhile (the pass then files on its own connection).
    pub(super) async fn open(
        triage: &Triage,
        mailbox: &MailboxConfig,
        uidvalidity: u32,
    ) -> Option<Filer> {
        let timeout = Duration::from_secs(triage.office.config.triage.io_timeout_seconds);
        let mut session = match imap::connect(&mailbox.imap, timeout).await {
            Ok(s) => s,
            Err(e) => {
                tracing::info!(mailbox = %mailbox.name, error = %e, "no second connection for filing: filing on the first");
                return None;
            }
        };
        match session.select(&mailbox.inbox).await {
            Ok(selected) if selected.uidvalidity == uidvalidity => {}
            Ok(_) => {
                tracing::info!(mailbox = %mailbox.name, "the inbox was renumbered: filing on the first connection");
                session.logout().await;
                return None;
            }
            Err(e) => {
                tracing::info!(mailbox = %mailbox.name, error = %e, "no second connection for filing: filing on the first");
                session.logout().await;
                return None;
            }
        }
        let (queue, groups) = mpsc::channel(QUEUED_GROUPS);
        let task = tokio::spawn(file_groups(session, triage.clone(), groups));
        Some(Filer {
            queue: Some(queue),
            task: Some(task),
        })
    }

    /// Hands over rows already recorded in the store, to be tagged, moved and marked filed.
    pub(super) async fn file(&mut self, recorded: Vec<Recorded>) -> Result<(), DaemonError> {
        if recorded.is_empty() {
            return Ok(());
        }
        let sent = match &self.queue {
            Some(queue) => queue.send(recorded).await.is_ok(),
            None => false,
        };
        if sent {
            Ok(())
        } else {
            // The task stopped early: only an error does that. Its rows stay recorded, for the next pass.
            self.finish().await.map(|_| ())
        }
    }

    /// Waits until everything handed over is filed; returns what the second connection filed.
    pub(super) async fn finish(&mut self) -> Result<PassSummary, DaemonError> {
        self.queue = None;
        let Some(task) = self.task.take() else {
            return Err(DaemonError::Interrupted(
                "the filing connection had already stopped".into(),
            ));
        };
        DaemonError::from_join(task.await)?
    }
}

impl Drop for Filer {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

/// The second connection's loop: each move takes every group queued so far (fewer, larger moves cost the
/// server less), until the main loop closes the queue.
async fn file_groups(
    mut session: Session,
    triage: Triage,
    mut groups: mpsc::Receiver<Vec<Recorded>>,
) -> Result<PassSummary, DaemonError> {
    let mut summary = PassSummary::default();
    while let Some(mut group) = groups.recv().await {
        while let Ok(more) = groups.try_recv() {
            group.extend(more);
        }
        file_on_server(&mut session, &triage, &group, &mut summary).await?;
    }
    session.logout().await;
    Ok(summary)
}
