//! The mail the reply lifecycle sends or leaves: the reply to the citizen (from the draft's bytes), the
//! supervisor's notice with its approval link, triaje's answers to the supervisor, and the notes an assistant
//! finds beside a draft. Composition only; what to send is the workflow's decision.

use chrono::{DateTime, Utc};

use super::{DaemonError, Office};
use crate::config::MailboxConfig;
use crate::mail::compose::{domain_of, random_hex, sanitize, OutgoingMail};
use crate::mail::reply::{
    draft_content, reply, supervisor_answer, validation_notice, NoticeFacts, ReplyFacts,
};
use crate::mail::{Address, ParsedMail};
use crate::store::{ConsultationRow, NewOutgoing, OutgoingKind, ReplyRow};
use crate::workflow::message_ids;
use crate::workflow::reply_subject;

/// Header that marks triaje's own notes in the reply folders, so they are never taken for drafts.
pub(super) const NOTE_HEADER: &str = "X-Triaje-Note";

/// The reply to the citizen from the draft's bytes: its text, HTML, inline images, attachments and copies.
pub(super) fn compose_reply(
    office: &Office,
    mailbox: &MailboxConfig,
    c: &ConsultationRow,
    raw: &[u8],
    parsed: &ParsedMail,
    message_id: String,
    now: DateTime<Utc>,
) -> Result<OutgoingMail, DaemonError> {
    let content = draft_content(raw)
        .ok_or_else(|| DaemonError::Compose("el borrador no es un mensaje".into()))?;
    let mut references = parsed.references.clone();
    if let Some(id) = &c.message_id {
        if !references.contains(id) {
            references.push(id.clone());
        }
    }
    let citizen = c.answer_address().unwrap_or_default().to_string();
    let facts = ReplyFacts {
        ticket: c.ticket.clone(),
        citizen: Address {
            email: citizen,
            name: c.from_name.clone(),
        },
        subject: reply_subject(&parsed.subject, &c.ticket),
        in_reply_to: c.message_id.clone(),
        references,
        mailbox_name: mailbox.display_name.clone(),
        mailbox_address: mailbox.address.clone(),
        message_id,
    };
    let links = office.survey_links(c, now);
    Ok(reply(&content, &facts, links.as_ref(), now))
}

/// The copies a reply carries, for the history («con copia a …»); empty when none.
pub(super) fn copies_said(mail: &OutgoingMail) -> String {
    let cc: Vec<&str> = mail.cc.iter().map(|a| a.email.as_str()).collect();
    let bcc: Vec<&str> = mail.bcc.iter().map(|a| a.email.as_str()).collect();
    let mut s = String::new();
    if !cc.is_empty() {
        s.push_str(&format!("; con copia a {}", cc.join(", ")));
    }
    if !bcc.is_empty() {
        s.push_str(&format!("; con copia oculta a {}", bcc.join(", ")));
    }
    s
}

/// The supervisor's notice of a Legal reply waiting for him.
#[allow(clippy::too_many_arguments)]
pub(super) fn notice(
    office: &Office,
    mailbox: &MailboxConfig,
    c: &ConsultationRow,
    supervisor: &str,
    author: &str,
    draft_text: &str,
    notice_id: String,
    approval_link: Option<&str>,
    drag_counts: bool,
    now: DateTime<Utc>,
) -> Result<NewOutgoing, DaemonError> {
    let folders = &office.config.folders;
    let mail = validation_notice(
        &NoticeFacts {
            supervisor,
            ticket: &c.ticket,
            consultation_subject: &c.subject,
            author,
            draft_text,
            validation_folder: &folders.validation,
            approved_folder: &folders.approved,
            drag_counts,
            approval_link,
            mailbox_name: &mailbox.display_name,
            mailbox_address: &mailbox.address,
        },
        notice_id,
        now,
    );
    outgoing(mailbox, OutgoingKind::Notification, Some(c.id), &mail)
}

/// triaje's answer to the supervisor about reply `r`, threaded under its notice.
pub(super) fn answer_supervisor(
    office: &Office,
    mailbox: &MailboxConfig,
    ticket: &str,
    r: &ReplyRow,
    text: &str,
    now: DateTime<Utc>,
) -> Result<Option<NewOutgoing>, DaemonError> {
    let Some(supervisor) = office.config.replies.supervisor.as_deref() else {
        return Ok(None);
    };
    let mail = supervisor_answer(
        supervisor,
        ticket,
        r.notification_message_id.as_deref(),
        text,
        &mailbox.display_name,
        &mailbox.address,
        message_ids::supervisor_notice(ticket, domain_of(&mailbox.address), &random_hex(12)),
        now,
    );
    outgoing(
        mailbox,
        OutgoingKind::Notification,
        r.consultation_id,
        &mail,
    )
    .map(Some)
}

/// A note for the assistant, to put beside a draft in a reply folder: it names the ticket, the mailbox and the
/// draft, says why, and what to do.
pub(super) fn note(
    mailbox: &MailboxConfig,
    ticket: Option<&str>,
    draft: Option<&ParsedMail>,
    title: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Option<Vec<u8>> {
    let subject = draft.map(|p| p.subject.as_str()).unwrap_or("");
    let about = match ticket {
        Some(t) => format!("{title} [{t}] ({}): {}", mailbox.address, sanitize(subject)),
        None => format!("{title} ({}): {}", mailbox.address, sanitize(subject)),
    };
    let mail = OutgoingMail {
        from: Address {
            email: mailbox.address.clone(),
            name: Some("triaje".into()),
        },
        to: vec![Address {
            email: mailbox.address.clone(),
            name: None,
        }],
        cc: vec![],
        bcc: vec![],
        reply_to: None,
        subject: about,
        message_id: message_ids::draft_note(ticket, domain_of(&mailbox.address), &random_hex(12)),
        in_reply_to: draft.and_then(|p| p.message_id.clone()),
        references: draft
            .and_then(|p| p.message_id.clone())
            .into_iter()
            .collect(),
        date: now,
        auto_submitted: Some("auto-generated"),
        extra_headers: vec![(NOTE_HEADER.into(), title.to_string())],
        text: text.to_string(),
        html: None,
        attachments: vec![],
    };
    mail.to_bytes().ok()
}

/// An outbox row for a composed message (sent by the mailbox's own account).
pub(super) fn outgoing(
    mailbox: &MailboxConfig,
    kind: OutgoingKind,
    consultation_id: Option<i64>,
    mail: &OutgoingMail,
) -> Result<NewOutgoing, DaemonError> {
    let raw = mail
        .to_bytes()
        .map_err(|e| DaemonError::Compose(e.to_string()))?;
    Ok(NewOutgoing {
        mailbox: mailbox.name.clone(),
        kind,
        consultation_id,
        message_id: mail.message_id.clone(),
        envelope_from: mailbox.address.clone(),
        recipients: mail
            .to
            .iter()
            .chain(&mail.cc)
            .chain(&mail.bcc)
            .map(|a| a.email.clone())
            .collect(),
        raw,
    })
}
