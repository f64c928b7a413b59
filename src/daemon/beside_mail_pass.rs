//! Machine mail follows its consultation. A bounce of a reply, an out-of-office answering an acknowledgement —
//! machine mail about triaje's own mail — is filed beside its consultation, in the folder the register places
//! the consultation in (`machine_mail::resolve`). The consultation may be on its way elsewhere at that moment:
//! its reply was just sent and the same round files it in `Atendidas`, or a coordinator dragged it to another
//! folder and the corrections pass has not noticed yet. The register keeps which consultation each such message
//! is beside and where triaje put it (`beside_mail`), so this pass, after the corrections and the filing of
//! answers, moves the message (and the «Respuesta NO entregada» note beside a bounce) to where the consultation
//! is now — as the ticket notes follow theirs (`ticket_notes_pass`).
//!
//! Order (crash safety): the message is looked for in the folder triaje put it in, by its `Message-ID` confirmed
//! by its fingerprint; moved; then recorded. A crash before the record finds it gone from there next time and
//! looks in the destination: found, it is recorded there; found nowhere, a person moved it, and it is left where
//! they put it. Before that, the corrections pass may see it arrive in the consultation's folder: the register
//! takes that as following, not as a person rescuing machine mail (`Store::record_manual_moves`). A `UID MOVE`
//! never leaves two copies, so nothing is duplicated; nothing is deleted, so nothing is lost.

use chrono::Utc;

use super::locate::uids_of_consultation;
use super::machine_mail::bounce_note_id;
use super::DaemonError;
use crate::config::{Config, MailboxConfig};
use crate::imap::Session;
use crate::store::{BesideMailToMove, Store};

/// Moves the machine mail of `mailbox` whose consultation is now in another folder to that folder. Returns how
/// many messages were moved. Leaves some folder selected.
pub async fn beside_mail_pass(
    session: &mut Session,
    config: &Config,
    store: &Store,
    mailbox: &MailboxConfig,
) -> Result<usize, DaemonError> {
    let answered = &config.folders.answered;
    let mut moved = 0;
    for m in store.beside_mail_to_move(&mailbox.name, answered).await? {
        let found = follow(session, config, mailbox, &m).await?;
        if found {
            moved += 1;
        } else {
            tracing::info!(mailbox = %mailbox.name, ticket = %m.ticket, machine = %m.machine.ticket, from = %m.from, "machine mail beside a consultation not where it was filed: left where a person put it");
        }
        store
            .beside_mail_followed(&m, found, m.to == *answered, Utc::now())
            .await?;
    }
    Ok(moved)
}

/// Moves one message (and the note beside a bounce) from `m.from` to `m.to`. Whether the message is in `m.to`
/// now: moved by this call, or by an earlier one that stopped before recording it.
async fn follow(
    session: &mut Session,
    config: &Config,
    mailbox: &MailboxConfig,
    m: &BesideMailToMove,
) -> Result<bool, DaemonError> {
    let max = config.triage.header_fingerprint_above();
    session.select(&m.from).await?;
    let mut uids = uids_of_consultation(session, &m.machine, max).await?;
    if uids.is_empty() {
        session.select(&m.to).await?;
        return Ok(!uids_of_consultation(session, &m.machine, max)
            .await?
            .is_empty());
    }
    // The note beside a bounced reply goes along (none beside other machine mail: the search finds nothing).
    let note = bounce_note_id(&m.ticket, &m.machine.fingerprint, mailbox);
    uids.extend(session.uids_with_message_id(&note).await?);
    session.move_to(&uids, &m.to).await?;
    tracing::info!(mailbox = %mailbox.name, ticket = %m.ticket, machine = %m.machine.ticket, from = %m.from, to = %m.to, "machine mail followed its consultation");
    Ok(true)
}
