//! What a mailbox does for its conversations after the replies pass: a message that was also sent to another
//! of the office's mailboxes is one attention (the later record becomes a copy of the first, also when both
//! mailboxes recorded it at the same moment), and the copies follow their consultation into the answered folder
//! once it is answered there, so that one answer closes both (the citizen wrote once; the office answers once).

use chrono::Utc;

use super::locate::uids_of_consultation;
use super::DaemonError;
use crate::config::{Config, MailboxConfig};
use crate::imap::Session;
use crate::store::Store;

/// Files as answered the copies of `mailbox` whose consultation was answered from another mailbox. Returns how
/// many were filed. Leaves some folder selected.
pub async fn conversation_pass(
    session: &mut Session,
    config: &Config,
    store: &Store,
    mailbox: &MailboxConfig,
) -> Result<usize, DaemonError> {
    let folders = &config.folders;
    let max = config.triage.max_message_bytes;
    // Both mailboxes' workers may have recorded the message at the same moment: the later record is a copy.
    for ticket in store.adopt_copies(&mailbox.name, Utc::now()).await? {
        tracing::info!(mailbox = %mailbox.name, ticket = %ticket, "same message recorded by another mailbox first: kept as its copy");
    }
    let copies = store.copies_to_close(&mailbox.name).await?;
    let mut closed = 0;
    for copy in copies {
        // Where it was filed; a person may have moved it to the answered folder already.
        let mut found = false;
        for place in [&copy.folder, &folders.answered] {
            session.select(place).await?;
            let uids = uids_of_consultation(session, &copy, max).await?;
            if uids.is_empty() {
                continue;
            }
            session.add_flags(&uids, &["\\Answered"]).await?;
            if *place != folders.answered {
                session.move_to(&uids, &folders.answered).await?;
            }
            found = true;
            break;
        }
        if !found {
            tracing::warn!(mailbox = %mailbox.name, ticket = %copy.ticket, "copy of an answered consultation not found on the server; recorded anyway");
        }
        store
            .close_copy(copy.id, &folders.answered, Utc::now())
            .await?;
        tracing::info!(mailbox = %mailbox.name, ticket = %copy.ticket, "copy filed as answered with its consultation");
        closed += 1;
    }
    Ok(closed)
}
