//! Machine mail in the inbox, carried out: recorded as what it is (state `automatic`, with its reason, no
//! deadline, no acknowledgement) and filed in the automatic folder — or, when it answers triaje's own mail (a
//! bounce of a reply or an acknowledgement, an auto-reply to them), filed beside that consultation with an event
//! in its history. A reply that bounced is also shown to the assistants where they look: the bounce is flagged
//! and a note from triaje goes beside it, and `triaje status` names the consultation.

use chrono::{DateTime, Utc};

use super::DaemonError;
use crate::config::MailboxConfig;
use crate::imap::Session;
use crate::mail::compose::{domain_of, sanitize, OutgoingMail};
use crate::mail::{Address, AutoKind};
use crate::store::{OutgoingKind, RelatedEvent, Store, TriageExtras, REPLY_UNDELIVERED};
use crate::workflow::Decision;

/// The note triaje leaves beside a bounced reply, to append once the bounce is filed.
#[derive(Debug, Clone)]
pub(crate) struct BounceNote {
    /// The folder the bounce was filed in (beside its consultation).
    pub folder: String,
    /// The note, composed.
    pub raw: Vec<u8>,
    /// The note's `Message-ID`: appending it again after a crash is recognised by it.
    pub message_id: String,
}

/// What triage records besides the row, and the note to leave for a bounced reply.
pub(crate) struct Resolved {
    /// Extras for `Store::record_triaged`.
    pub extras: TriageExtras,
    /// For a bounced reply: flag the message and leave this note beside it.
    pub note: Option<BounceNote>,
}

/// Decides where machine mail goes and what it means for the consultation it concerns. Ordinary mail only gets
/// its content fingerprint.
pub(crate) async fn resolve(
    store: &Store,
    mailbox: &MailboxConfig,
    d: &mut Decision,
    now: DateTime<Utc>,
) -> Result<Resolved, DaemonError> {
    let mut extras = TriageExtras {
        content_fingerprint: d.content_fingerprint.clone(),
        ..TriageExtras::default()
    };
    let Some(mut machine) = d.machine.take() else {
        return Ok(Resolved { extras, note: None });
    };
    // triaje's own mail coming back (a redirect, an auto-forward that kept its Message-ID) is a loop whatever
    // else it looks like.
    if let Some(id) = &d.message_id {
        if let Some(own) = store
            .sent_mail_named(std::slice::from_ref(id))
            .await?
            .first()
        {
            machine.kind = AutoKind::Loop;
            machine.reason = format!(
                "correo automático: {} (es un correo que triaje envió —{}— y volvió)",
                AutoKind::Loop.describe(),
                kind_name(own.kind)
            );
        }
    }
    // What it is about: the mail triaje sent that it names, else a ticket it quotes.
    let mut about: Option<(i64, Option<OutgoingKind>)> = None;
    for sent in store.sent_mail_named(&machine.about_ids).await? {
        if let Some(id) = sent.consultation_id {
            about = Some((id, Some(sent.kind)));
            break;
        }
    }
    if about.is_none() {
        for ticket in &machine.about_tickets {
            if let Some(c) = store.consultation_by_ticket(ticket).await? {
                about = Some((c.id, None));
                break;
            }
        }
    }
    let mut note = None;
    if let Some((id, sent_kind)) = about {
        if let Some(c) = store.consultation_by_id(id).await? {
            let failure = machine.kind.is_delivery_failure()
                && machine.delivery.as_ref().is_none_or(|s| s.failed());
            let what = machine
                .delivery
                .as_ref()
                .map(|s| s.describe())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| machine.kind.describe().to_string());
            let (kind, detail) = match (failure, sent_kind) {
                (true, Some(OutgoingKind::Reply)) => (
                    REPLY_UNDELIVERED,
                    format!("la respuesta NO llegó al ciudadano: rebotó ({what})"),
                ),
                (true, Some(OutgoingKind::Acknowledgement)) => (
                    "ack_undelivered",
                    format!("el acuse de recibo no llegó al ciudadano: rebotó ({what})"),
                ),
                (true, _) => (
                    "mail_undelivered",
                    format!("un correo de la oficina sobre esta consulta rebotó ({what})"),
                ),
                (false, _) => (
                    "auto_reply_received",
                    format!(
                        "llegó una respuesta automática a un correo de la oficina: {}",
                        machine.reason
                    ),
                ),
            };
            // Beside its consultation, in the folder the register places it in now — when that folder is this
            // mailbox's. The register keeps the pair: a consultation on its way elsewhere (its reply just sent and
            // «Atendidas» next, or dragged by a coordinator and not yet noticed) takes the message along
            // (`beside_mail_pass`).
            if c.mailbox == mailbox.name {
                d.folder = c.folder.clone();
                extras.beside = Some(c.id);
            }
            machine.reason = format!("{}; se refiere a la consulta {}", machine.reason, c.ticket);
            d.explanation = machine.reason.clone();
            if kind == REPLY_UNDELIVERED {
                note = Some(bounce_note(mailbox, &c.ticket, &c.subject, &what, d, now));
            }
            extras.related = Some(RelatedEvent {
                consultation_id: c.id,
                kind,
                detail,
            });
        }
    }
    extras.machine_reason = Some(machine.reason.clone());
    d.machine = Some(machine);
    Ok(Resolved { extras, note })
}

fn kind_name(kind: OutgoingKind) -> &'static str {
    match kind {
        OutgoingKind::Acknowledgement => "un acuse de recibo",
        OutgoingKind::Reply => "una respuesta",
        OutgoingKind::Notification => "un aviso",
    }
}

/// The `Message-ID` of the note beside the bounce (fingerprint `fingerprint`) of consultation `ticket`'s reply:
/// one note per bounce, found again by it after a crash and when the bounce follows its consultation.
pub(crate) fn bounce_note_id(ticket: &str, fingerprint: &str, mailbox: &MailboxConfig) -> String {
    format!(
        "rebote.{ticket}.{}@{}",
        &fingerprint[..16.min(fingerprint.len())],
        domain_of(&mailbox.address)
    )
}

/// The note beside a bounced reply: what happened and what to do, for the assistant who opens the folder.
fn bounce_note(
    mailbox: &MailboxConfig,
    ticket: &str,
    subject: &str,
    what: &str,
    d: &Decision,
    now: DateTime<Utc>,
) -> BounceNote {
    let message_id = bounce_note_id(ticket, &d.fingerprint, mailbox);
    let citizen = d.from_addr.clone().unwrap_or_default();
    let mail = OutgoingMail {
        from: Address {
            email: mailbox.address.clone(),
            name: Some("triaje".into()),
        },
        to: vec![Address {
            email: mailbox.address.clone(),
            name: None,
        }],
        cc: Vec::new(),
        bcc: Vec::new(),
        reply_to: None,
        subject: format!("Respuesta NO entregada: {ticket} {}", sanitize(subject)),
        message_id: message_id.clone(),
        in_reply_to: d.message_id.clone(),
        references: d.message_id.iter().cloned().collect(),
        date: now,
        auto_submitted: Some("auto-generated"),
        extra_headers: vec![
            ("X-Triaje-Note".into(), "respuesta no entregada".into()),
            ("X-Triaje-Ticket".into(), ticket.to_string()),
        ],
        text: format!(
            "La respuesta a la consulta {ticket} («{}») NO llegó al ciudadano: el servidor de correo la \
             devolvió ({what}).\n\nEl aviso de rebote está junto a esta nota, en la carpeta de la consulta, \
             marcado con una bandera, y queda en el historial de la consulta. Revise la dirección del ciudadano y \
             comuníquese con él por otro medio, o pídale una dirección que funcione.\n\nEnviado por: {}\n",
            sanitize(subject),
            if citizen.is_empty() { "el servidor de correo".to_string() } else { citizen },
        ),
        html: None,
        attachments: vec![],
    };
    BounceNote {
        folder: d.folder.clone(),
        raw: mail.to_bytes().unwrap_or_default(),
        message_id,
    }
}

/// Leaves each note beside its bounce (once: a note already there, found by its Message-ID, is not appended
/// again) and flags it. Leaves the session with another folder selected: the caller selects the inbox again.
pub(crate) async fn leave_notes(
    session: &mut Session,
    mailbox: &MailboxConfig,
    notes: Vec<BounceNote>,
) -> Result<(), DaemonError> {
    for note in notes {
        if note.raw.is_empty() {
            continue;
        }
        session.select(&note.folder).await?;
        if session
            .uids_with_message_id(&note.message_id)
            .await?
            .is_empty()
        {
            session
                .append(&note.folder, &["\\Flagged"], &note.raw)
                .await?;
            tracing::warn!(mailbox = %mailbox.name, folder = %note.folder, "a reply bounced: note left beside the consultation");
        }
    }
    Ok(())
}
