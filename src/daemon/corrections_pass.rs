//! Notices the coordinator's manual corrections: a consultation dragged out of `Por clasificar` (or out of a
//! wrong folder) into another one. It is how the rules' accuracy is measured, and the register follows the
//! person's decision.
//!
//! Cheap by design: one `STATUS` per watched folder; only a folder whose UIDNEXT moved since the last look is
//! selected, and only its new messages' `Message-ID` headers are fetched (a moved message gets a new UID). A
//! message whose consultation the register already places in that folder is triaje's own filing and costs no
//! more; only a message the register places elsewhere (or one without a `Message-ID`) is downloaded, to confirm
//! by its fingerprint which consultation it is. The last look is kept in the store, so moves made while triaje
//! was stopped are noticed too.

use std::collections::HashMap;

use chrono::Utc;

use super::locate::{fingerprint_of, readings};
use super::DaemonError;
use crate::config::{Config, MailboxConfig};
use crate::imap::{MessageIdentity, Session};
use crate::store::{ConsultationRow, Store};
use crate::vocabulary::AttentionKind;

/// Looks for manual moves into the rule folders and the unclassified folder; returns how many were recorded.
pub async fn corrections_pass(
    session: &mut Session,
    config: &Config,
    store: &Store,
    mailbox: &MailboxConfig,
) -> Result<usize, DaemonError> {
    let folders = &config.folders;
    // The kinds' folders too: a drag into «Reclamos» (or out of it) corrects the kind, as a drag between areas
    // corrects the area.
    let mut watched = folders.filed();
    watched.push(folders.unclassified.clone());
    let mut recorded = 0;
    for folder in &watched {
        let now = session.folder_status(folder).await?;
        let mark = store.folder_mark(&mailbox.name, folder).await?;
        let after = match mark {
            // First look at this folder (or the server renumbered it): what is there now is the starting point.
            None => None,
            Some((uidvalidity, _)) if uidvalidity != now.uidvalidity => None,
            Some((_, uid_next)) if uid_next == now.uid_next => continue,
            Some((_, uid_next)) => Some(uid_next.saturating_sub(1)),
        };
        if let Some(after) = after {
            // The kind follows the folder; an area's folder also says the area.
            let kind = config
                .kinds
                .kind_of_folder(folder)
                .unwrap_or(AttentionKind::Consultation);
            let area = folders.targets.contains(folder).then_some(folder.as_str());
            session.select(folder).await?;
            let arrived = session.new_message_identities(after).await?;
            let moved = moved_by_hand(session, config, store, mailbox, folder, &arrived).await?;
            let n = store
                .record_manual_moves(&mailbox.name, folder, kind, area, &moved, Utc::now())
                .await?;
            if n > 0 {
                tracing::info!(mailbox = %mailbox.name, folder = %folder, corrections = n, "manual corrections recorded");
            }
            recorded += n;
        }
        store
            .set_folder_mark(&mailbox.name, folder, now.uidvalidity, now.uid_next)
            .await?;
    }
    Ok(recorded)
}

/// The consultations (row ids) whose messages, among those that just `arrived` in `folder`, the register places
/// in another folder: a person moved them.
async fn moved_by_hand(
    session: &mut Session,
    config: &Config,
    store: &Store,
    mailbox: &MailboxConfig,
    folder: &str,
    arrived: &[MessageIdentity],
) -> Result<Vec<i64>, DaemonError> {
    let max = config.triage.header_fingerprint_above();
    let ids: Vec<Option<String>> = arrived
        .iter()
        .map(|m| crate::mail::message_id(&m.message_id_header))
        .collect();
    let mut wanted: Vec<String> = ids.iter().flatten().cloned().collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut by_id: HashMap<String, Vec<ConsultationRow>> = HashMap::new();
    for c in store
        .consultations_with_message_ids(&mailbox.name, &wanted)
        .await?
    {
        if let Some(id) = c.message_id.clone() {
            by_id.entry(id).or_default().push(c);
        }
    }
    let mut moved = Vec::new();
    for (message, id) in arrived.iter().zip(&ids) {
        let candidates: &[ConsultationRow] = match id {
            Some(id) => by_id.get(id).map(Vec::as_slice).unwrap_or_default(),
            None => &[],
        };
        // triaje's own filing (the register already says this folder): nothing to download.
        if !candidates.is_empty() && candidates.iter().all(|c| c.folder == folder) {
            continue;
        }
        // A Message-ID no consultation of this mailbox has: not one of ours (a colleague's own mail, say).
        if id.is_some() && candidates.is_empty() {
            continue;
        }
        for headers_only in readings(u64::from(message.size), max) {
            let Some(fp) = fingerprint_of(session, message.uid, headers_only).await? else {
                break;
            };
            let matching: Vec<ConsultationRow> = match id {
                Some(_) => candidates
                    .iter()
                    .filter(|c| c.fingerprint == fp)
                    .cloned()
                    .collect(),
                None => {
                    store
                        .consultations_with_fingerprint(&mailbox.name, &fp)
                        .await?
                }
            };
            if matching.is_empty() {
                continue;
            }
            // Several consultations can share the bytes (a message delivered twice); one already in this
            // folder means this copy is triaje's filing of it.
            if !matching.iter().any(|c| c.folder == folder) {
                moved.push(matching[0].id);
            }
            break;
        }
    }
    Ok(moved)
}
