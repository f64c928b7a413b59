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
//! crash in between finds it there next time instead of filing a second one.

use chrono::{Duration, Utc};

use super::DaemonError;
use crate::config::{Config, MailboxConfig};
use crate::imap::Session;
use crate::mail::acknowledgement::{ticket_note, TicketNoteFacts};
use crate::mail::compose::domain_of;
use crate::spanish;
use crate::store::{NoteDue, Store};
use crate::workflow::message_ids;

/// How many notes one pass files at most (a backlog is filed over the next passes, never holding up triage).
const NOTES_PER_PASS: usize = 100;

/// Files the notes still due for `mailbox` and moves those whose consultation moved. Returns how many notes were
/// filed or moved. Leaves some folder selected.
pub async fn ticket_notes_pass(
    session: &mut Session,
    config: &Config,
    store: &Store,
    mailbox: &MailboxConfig,
) -> Result<usize, DaemonError> {
    let mut done = 0;
    let due = store.notes_due(&mailbox.name, NOTES_PER_PASS).await?;
    for note in &due {
        file_note(session, config, store, mailbox, note).await?;
        done += 1;
    }
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

/// Appends the note of one consultation into its folder (unless a crash left it there already) and records it.
async fn file_note(
    session: &mut Session,
    config: &Config,
    store: &Store,
    mailbox: &MailboxConfig,
    due: &NoteDue,
) -> Result<(), DaemonError> {
    let c = &due.consultation;
    let message_id = message_ids::ticket_note(&c.ticket, domain_of(&mailbox.address));
    session.select(&c.folder).await?;
    if session.uids_with_message_id(&message_id).await?.is_empty() {
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
        let raw = ticket_note(&facts, message_id.clone(), at)
            .to_bytes()
            .map_err(|e| DaemonError::Compose(e.to_string()))?;
        session.append_at(&c.folder, &["\\Seen"], &raw, at).await?;
    }
    store
        .note_filed(c.id, &message_id, &c.folder, false, Utc::now())
        .await?;
    tracing::debug!(mailbox = %mailbox.name, ticket = %c.ticket, folder = %c.folder, "ticket note filed");
    Ok(())
}
