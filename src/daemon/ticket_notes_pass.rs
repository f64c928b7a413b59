//! The ticket visible in every mail client: beside each consultation triaje files its note (ticket, due date,
//! availability, acknowledgement; see `mail::acknowledgement::ticket_note`), threading with the citizen's message
//! so Outlook's conversation view shows it too (Outlook shows no IMAP keywords). The note follows its
//! consultation: when a coordinator moves the consultation (the corrections pass updates the register) and when
//! it is answered.
//!
//! No pass takes a note for anything else: triage reads only the inbox; the corrections pass and the filing of
//! answers look messages up by the consultation's own `Message-ID` (the note has its own, `ficha.…`); the
//! replies pass returns anything carrying `X-Triaje-Note` to the returned folder.
//!
//! Order (crash safety): a note is looked for by its `Message-ID` before it is appended, and recorded after; a
//! crash in between finds it there next time instead of filing a second one. The notes due in one folder go
//! together, up to `LOOKED_FOR_AT_ONCE` at a time: one search looks for all of them (the server reads each
//! message's header once per search, which per note cost it 10-40 ms on a folder of a thousand), and each only
//! when that search found some (what a crash leaves); the missing ones are appended in one command (MULTIAPPEND,
//! all or nothing), then recorded in one transaction.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::DaemonError;
use crate::config::{Config, MailboxConfig};
use crate::imap::Session;
use crate::mail::acknowledgement::{ticket_note, TicketNoteFacts};
use crate::mail::compose::domain_of;
use crate::spanish;
use crate::store::{NoteDue, Store};
use crate::workflow::message_ids;

/// How many notes one round files at most (a backlog is filed over the next rounds, never holding up triage),
/// counting those a large backlog's triage pass filed while its second connection moved the last groups.
pub const NOTES_PER_PASS: usize = 100;

/// How many notes of one folder one search looks for (a search key of nested `OR`s, kept short).
const LOOKED_FOR_AT_ONCE: usize = 50;

/// Files the notes still due for `mailbox`, at most `budget` of them (what is left of the round's
/// [`NOTES_PER_PASS`] once the triage pass filed some, `PassSummary::notes_filed`), and moves those whose
/// consultation moved. Returns how many notes were filed or moved. Leaves some folder selected.
pub async fn ticket_notes_pass(
    session: &mut Session,
    config: &Config,
    store: &Store,
    mailbox: &MailboxConfig,
    budget: usize,
) -> Result<usize, DaemonError> {
    let mut done = file_due_notes(session, config, store, mailbox, budget).await?;
    let answered = &config.folders.answered;
    for note in store.notes_to_move(&mailbox.name, answered).await? {
        session.select(&note.from).await?;
        let uids = session.uids_with_message_id(&note.message_id).await?;
        if uids.is_empty() {
            // A person moved or deleted the note itself: it is recorded where the consultation is, and not
            // looked for again.
            tracing::info!(mailbox = %mailbox.name, ticket = %note.ticket, "ticket note not where it was");
        } else {
            session.move_to(&uids, &note.to).await?;
            tracing::debug!(mailbox = %mailbox.name, ticket = %note.ticket, from = %note.from, to = %note.to, "ticket note followed its consultation");
            done += 1;
        }
        store
            .note_filed(
                note.consultation_id,
                &note.message_id,
                &note.to,
                note.to == *answered,
                Utc::now(),
            )
            .await?;
    }
    Ok(done)
}

/// Files the notes still due for `mailbox`, at most `limit` of them, each in its consultation's folder. Returns
/// how many were filed. Leaves some folder selected (none when nothing was due).
pub(super) async fn file_due_notes(
    session: &mut Session,
    config: &Config,
    store: &Store,
    mailbox: &MailboxConfig,
    limit: usize,
) -> Result<usize, DaemonError> {
    if limit == 0 {
        return Ok(0);
    }
    let mut done = 0;
    let due = store.notes_due(&mailbox.name, limit).await?;
    // By folder, each in the register's order: one `SELECT` and one search per folder rather than per note.
    let mut by_folder: BTreeMap<&str, Vec<&NoteDue>> = BTreeMap::new();
    for note in &due {
        by_folder
            .entry(note.consultation.folder.as_str())
            .or_default()
            .push(note);
    }
    let domain = domain_of(&mailbox.address);
    for (folder, notes) in by_folder {
        session.select(folder).await?;
        for group in notes.chunks(LOOKED_FOR_AT_ONCE) {
            let ids: Vec<String> = group
                .iter()
                .map(|n| message_ids::ticket_note(&n.consultation.ticket, domain))
                .collect();
            let some_there = !session.uids_with_any_message_id(&ids).await?.is_empty();
            let mut missing = Vec::with_capacity(group.len());
            for (note, message_id) in group.iter().zip(&ids) {
                // Only after a crash is any already there: then each is looked for on its own.
                let there =
                    some_there && !session.uids_with_message_id(message_id).await?.is_empty();
                if !there {
                    missing.push(compose_note(config, mailbox, note, message_id)?);
                }
            }
            session.append_all_at(folder, &["\\Seen"], &missing).await?;
            let filed: Vec<(i64, String)> = group
                .iter()
                .zip(ids)
                .map(|(note, message_id)| (note.consultation.id, message_id))
                .collect();
            store.notes_filed(&filed, folder, Utc::now()).await?;
            for note in group {
                tracing::debug!(mailbox = %mailbox.name, ticket = %note.consultation.ticket, folder, "ticket note filed");
            }
            done += group.len();
        }
    }
    Ok(done)
}

/// The note of one consultation (`message_id`), and the arrival time it is appended with.
fn compose_note(
    config: &Config,
    mailbox: &MailboxConfig,
    due: &NoteDue,
    message_id: &str,
) -> Result<(Vec<u8>, DateTime<Utc>), DaemonError> {
    let c = &due.consultation;
    let citizen = match (&c.from_name, c.answer_address()) {
        (Some(name), Some(address)) if !name.trim().is_empty() => format!("{name} <{address}>"),
        (_, Some(address)) => address.to_string(),
        _ => "(sin dirección)".to_string(),
    };
    let facts = TicketNoteFacts {
        ticket: c.ticket.clone(),
        subject: c.subject.clone(),
        citizen,
        message_id: c.message_id.clone(),
        received: spanish::day_date_time(&c.received_at),
        counts_from: spanish::day_date_time(&c.effective_received_at),
        due: spanish::day_date_time(&c.deadline_at),
        availability: c.availability.to_string(),
        folder: c.folder.clone(),
        kind: c.kind.has_own_folder().then(|| match &c.area {
            Some(area) => format!("{}; área: {area}", c.kind),
            None => c.kind.to_string(),
        }),
        acknowledged: due.acknowledged,
        follows_up: due.follows_up.clone(),
        drafts_folder: config.folders.drafts.clone(),
        mailbox_name: mailbox.display_name.clone(),
        mailbox_address: mailbox.address.clone(),
    };
    // Just after the consultation, so it sorts beside it by date and by arrival.
    let at = c.received_at + Duration::seconds(1);
    let raw = ticket_note(&facts, message_id.to_string(), at)
        .to_bytes()
        .map_err(|e| DaemonError::Compose(e.to_string()))?;
    Ok((raw, at))
}
