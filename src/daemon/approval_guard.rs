//! What the server guarantees about the approved folder: asked with `MYRIGHTS` and `GETACL` (RFC 4314) when a
//! worker connects and again whenever something lies in that folder, judged by the Legal rule
//! ([`crate::workflow::drag_guard`]) and recorded for `triaje status`.

use chrono::Utc;

use super::DaemonError;
use crate::config::{Config, MailboxConfig};
use crate::imap::Session;
use crate::store::Store;
use crate::workflow::{drag_guard, DragGuard};

/// Asks the server and records the answer.
pub async fn check_approval_guard(
    session: &mut Session,
    config: &Config,
    store: &Store,
    mailbox: &MailboxConfig,
) -> Result<DragGuard, DaemonError> {
    let folder = &config.folders.approved;
    let mine = session.my_rights(folder).await?;
    let acl = session.acl(folder).await?;
    let guard = drag_guard(
        mine.as_deref(),
        acl.as_deref(),
        &config.replies.supervisor_accounts,
    );
    match &guard {
        DragGuard::Guarded => {
            tracing::info!(mailbox = %mailbox.name, "approved folder guarded by the server's ACL: drag approval counts")
        }
        DragGuard::Unguarded(why) => {
            tracing::info!(mailbox = %mailbox.name, %why, "approved folder not guarded: drag approval does not count")
        }
    }
    store
        .set_approval_guard(&mailbox.name, &guard, Utc::now())
        .await?;
    Ok(guard)
}

/// The guard last recorded for `mailbox` (unguarded when never checked).
pub(super) async fn recorded_guard(
    store: &Store,
    mailbox: &MailboxConfig,
) -> Result<DragGuard, DaemonError> {
    Ok(store
        .approval_guards()
        .await?
        .into_iter()
        .find(|(m, _)| *m == mailbox.name)
        .map(|(_, g)| g)
        .unwrap_or_else(|| DragGuard::Unguarded("aún no se consultaron los permisos".into())))
}
