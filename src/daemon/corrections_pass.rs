//! Notices the coordinator's manual corrections: a consultation dragged out of `Por clasificar` (or out of a
//! wrong folder) into another one. It is how the rules' accuracy is measured, and the register follows the
//! person's decision.
//!
//! Cheap by design: one `STATUS` per watched folder; only a folder whose UIDNEXT moved since the last look is
//! selected, and only its new messages' flags are fetched (a moved message gets a new UID). The last look is
//! kept in the store, so moves made while triaje was stopped are noticed too.

use chrono::Utc;

use super::{DaemonError, Shared};
use crate::config::MailboxConfig;
use crate::imap::Session;

/// Looks for manual moves into the rule folders and the unclassified folder; returns how many were recorded.
pub async fn corrections_pass(
    session: &mut Session,
    shared: &Shared,
    mailbox: &MailboxConfig,
) -> Result<usize, DaemonError> {
    let folders = &shared.config.folders;
    let mut watched = folders.targets.clone();
    watched.push(folders.unclassified.clone());
    let prefix = format!("{}-", shared.config.ticket_prefix);
    let mut recorded = 0;
    for folder in &watched {
        let now = session.folder_status(folder).await?;
        let mark = shared.store.folder_mark(&mailbox.name, folder).await?;
        let after = match mark {
            // First look at this folder (or the server renumbered it): what is there now is the starting point.
            None => None,
            Some((uidvalidity, _)) if uidvalidity != now.uidvalidity => None,
            Some((_, uid_next)) if uid_next == now.uid_next => continue,
            Some((_, uid_next)) => Some(uid_next.saturating_sub(1)),
        };
        if let Some(after) = after {
            session.select(folder).await?;
            let arrived = session.new_messages(after).await?;
            let tickets: Vec<String> = arrived
                .iter()
                .filter_map(|m| m.flags.iter().find(|f| f.starts_with(&prefix)).cloned())
                .collect();
            let n = shared
                .store
                .record_manual_moves(&mailbox.name, folder, &tickets, Utc::now())
                .await?;
            if n > 0 {
                tracing::info!(mailbox = %mailbox.name, folder = %folder, corrections = n, "manual corrections recorded");
            }
            recorded += n;
        }
        shared
            .store
            .set_folder_mark(&mailbox.name, folder, now.uidvalidity, now.uid_next)
            .await?;
    }
    Ok(recorded)
}
