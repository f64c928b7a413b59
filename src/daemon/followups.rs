//! Mail in the inbox that answers triaje's own mail or continues a conversation: a citizen's rating by e-mail
//! («4») and a citizen's later message in a consultation's thread (added information, a follow-up question, a
//! thanks, the same message delivered to another mailbox). Such mail is recorded like any message (nothing is ever
//! lost) but filed beside what it answers, gets no acknowledgement, and then takes effect. (The supervisor's
//! verdicts on Legal replies are recognised before, in [`super::verdicts`].)

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::vocabulary::ThreadRole;

use super::{DaemonError, Office};
use crate::calendar::BusinessCalendar;
use crate::config::MailboxConfig;
use crate::imap::Session;
use crate::store::RatingSource;
use crate::store::{ConsultationRow, Thread};
use crate::workflow::message_ids;
use crate::workflow::{
    self, draft_link, in_thread, rating_in, Decision, InThread, ThreadFacts, ThreadTarget,
};

/// What an answer to triaje's mail means.
#[derive(Debug, Clone)]
pub enum Followup {
    /// A citizen rated the reply to consultation `consultation_id`.
    Rating {
        /// The consultation rated.
        consultation_id: i64,
        /// 1 to 5.
        rating: u8,
    },
    /// A citizen's message in an existing consultation's thread.
    InThread {
        /// The thread's first consultation.
        root_id: i64,
        /// What the message is.
        role: ThreadRole,
        /// The consultation it concerns: the open one (addition, thanks), the answered one it follows up, the
        /// one it copies.
        target: Box<ConsultationRow>,
        /// Where it is filed: beside that consultation.
        folder: String,
    },
}

/// Recognises an answer to triaje's own mail or a message of an existing conversation; `None` for an ordinary
/// message (a new consultation).
///
/// `elsewhere` holds, by `Message-ID`, the consultations other mailboxes recorded from the batch's messages (see
/// [`same_messages_elsewhere`]).
pub async fn recognise(
    office: &Office,
    d: &Decision,
    elsewhere: &HashMap<String, ConsultationRow>,
) -> Result<Option<Followup>, DaemonError> {
    if d.error_reason.is_some() {
        return Ok(None);
    }
    if let Some(f) = answer_to_triaje(office, d).await? {
        return Ok(Some(f));
    }
    in_conversation(office, d, elsewhere).await
}

/// The consultations other mailboxes recorded from these decisions' messages, by `Message-ID` (one lookup per
/// batch; none with a single mailbox).
pub async fn same_messages_elsewhere(
    office: &Office,
    mailbox: &MailboxConfig,
    decisions: &[&Decision],
) -> Result<HashMap<String, ConsultationRow>, DaemonError> {
    if office.config.mailboxes.len() < 2 {
        return Ok(HashMap::new());
    }
    let ids: Vec<String> = decisions
        .iter()
        .filter_map(|d| d.message_id.clone())
        .collect();
    Ok(office
        .store
        .same_messages_elsewhere(&mailbox.name, &ids)
        .await?)
}

/// A rating: an answer to the reply's survey.
async fn answer_to_triaje(office: &Office, d: &Decision) -> Result<Option<Followup>, DaemonError> {
    for id in &d.thread_ids {
        if message_ids::is_reply(id) {
            let Some(reply) = office.store.reply_by_message_id(id).await? else {
                continue;
            };
            // Anything but a bare number is the conversation going on (a thanks, a new question).
            let (Some(consultation_id), Some(rating)) =
                (reply.consultation_id, rating_in(&d.fresh_text))
            else {
                return Ok(None);
            };
            return Ok(Some(Followup::Rating {
                consultation_id,
                rating,
            }));
        }
    }
    Ok(None)
}

/// A message of an existing conversation: from the citizen of that conversation, it answers (`In-Reply-To`,
/// `References`) their message or what triaje sent about it, or it is the very message already recorded in
/// another mailbox, or its subject carries a ticket of theirs.
async fn in_conversation(
    office: &Office,
    d: &Decision,
    elsewhere: &HashMap<String, ConsultationRow>,
) -> Result<Option<Followup>, DaemonError> {
    // The same message sent to several of the office's addresses: the first mailbox to record it has the
    // attention; this copy is answered by that answer.
    if let Some((id, first)) = d
        .message_id
        .as_ref()
        .and_then(|id| elsewhere.get(id).map(|first| (id, first)))
        .filter(|(_, first)| same_address(first.from_addr.as_deref(), d.from_addr.as_deref()))
    {
        let Some(thread) = office.store.thread_of(std::slice::from_ref(id)).await? else {
            return Ok(None);
        };
        let folder = beside(office, ThreadRole::Copy, first).await?;
        return Ok(Some(Followup::InThread {
            root_id: thread.root_id,
            role: ThreadRole::Copy,
            target: Box::new(first.clone()),
            folder,
        }));
    }
    // An answer to a validation notice is the supervisor's business (a verdict), never the citizen's conversation.
    if d.thread_ids
        .iter()
        .any(|id| message_ids::is_validation_notice(id))
    {
        return Ok(None);
    }
    let mut thread = office.store.thread_of(&d.thread_ids).await?;
    if thread.is_none() {
        thread = by_ticket_of_the_same_citizen(office, d).await?;
    }
    let Some(thread) = thread else {
        return Ok(None);
    };
    // Only the citizen continues their conversation. The acknowledgement's Message-ID follows from the ticket, so
    // anyone could thread a message under someone else's consultation: a stranger's message is a consultation of
    // its own (with its own ticket and acknowledgement), never information added to another citizen's case.
    if !is_the_citizen(&thread, d.from_addr.as_deref()) {
        return Ok(None);
    }
    let open = thread.open_attention().cloned();
    let Some(latest) = open.clone().or_else(|| thread.latest_attention().cloned()) else {
        return Ok(None);
    };
    let role = match in_thread(&ThreadFacts {
        copy: false,
        automatic: d.automatic,
        from_office: d.from_addr.as_deref().is_some_and(|from| {
            office
                .own_addresses
                .iter()
                .any(|own| own.eq_ignore_ascii_case(from))
                || office
                    .config
                    .replies
                    .supervisor
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case(from))
        }),
        fresh_text: &d.fresh_text,
        open: open.is_some(),
    }) {
        InThread::Copy => ThreadRole::Copy,
        InThread::Thanks => ThreadRole::Thanks,
        InThread::Addition => ThreadRole::Addition,
        InThread::FollowUp => ThreadRole::FollowUp,
    };
    let folder = beside(office, role, &latest).await?;
    Ok(Some(Followup::InThread {
        root_id: thread.root_id,
        role,
        target: Box::new(latest),
        folder,
    }))
}

/// Where a message of a conversation is filed: beside the consultation it concerns — in the answered folder once
/// that is answered — except a follow-up question, which opens again in the folder triage filed the
/// conversation in (a Legal conversation stays Legal, so its answer is still validated).
async fn beside(
    office: &Office,
    role: ThreadRole,
    target: &ConsultationRow,
) -> Result<String, DaemonError> {
    if !target.is_answered() {
        return Ok(target.folder.clone());
    }
    if role != ThreadRole::FollowUp {
        return Ok(office.config.folders.answered.clone());
    }
    Ok(office
        .store
        .filed_folder(target.id)
        .await?
        .filter(|f| {
            office.config.folders.filed().contains(f) || *f == office.config.folders.unclassified
        })
        .unwrap_or_else(|| office.config.folders.unclassified.clone()))
}

/// The thread of a ticket written in the subject («RE: Recibimos su consulta CONS-2026-000123»), when the message
/// comes from the citizen who asked (their address or their `Reply-To`): anyone can type a ticket, so a stranger's
/// mail with one is a consultation of its own.
async fn by_ticket_of_the_same_citizen(
    office: &Office,
    d: &Decision,
) -> Result<Option<Thread>, DaemonError> {
    for ticket in draft_link(&d.subject, None, &[]).tickets {
        let Some(thread) = office.store.thread_by_ticket(&ticket).await? else {
            continue;
        };
        if is_the_citizen(&thread, d.from_addr.as_deref()) {
            return Ok(Some(thread));
        }
    }
    Ok(None)
}

/// Whether `from` is the address (or `Reply-To`) of someone who wrote in the conversation.
fn is_the_citizen(thread: &Thread, from: Option<&str>) -> bool {
    thread.members.iter().any(|m| {
        same_address(m.consultation.from_addr.as_deref(), from)
            || same_address(m.consultation.reply_to_addr.as_deref(), from)
    })
}

/// Two addresses, both known and equal but for case.
fn same_address(a: Option<&str>, b: Option<&str>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
}

/// Carries out recognised follow-ups once their messages are recorded and filed. Leaves the session with some
/// other folder selected: the caller selects the inbox again.
pub async fn apply(
    session: &mut Session,
    office: &Office,
    mailbox: &MailboxConfig,
    followups: Vec<Followup>,
    now: DateTime<Utc>,
) -> Result<(), DaemonError> {
    // Nothing here needs the server any more: ratings are recorded, conversations were linked when recorded.
    let _ = session;
    for f in followups {
        match f {
            Followup::Rating {
                consultation_id,
                rating,
            } => {
                let outcome = office
                    .store
                    .record_rating(consultation_id, rating, RatingSource::Email, now)
                    .await?;
                tracing::info!(mailbox = %mailbox.name, consultation_id, rating, ?outcome, "survey answered by e-mail");
            }
            // Linked to its thread when it was recorded; nothing more to do.
            Followup::InThread { .. } => {}
        }
    }
    Ok(())
}

/// Files a message of a conversation beside `target` (see `workflow::file_in_thread`).
pub fn file_in_thread(
    calendar: &BusinessCalendar,
    mailbox: &MailboxConfig,
    d: &mut Decision,
    role: ThreadRole,
    target: &ConsultationRow,
    folder: &str,
) {
    let target = ThreadTarget {
        mailbox: &target.mailbox,
        ticket: &target.ticket,
        category: &target.category,
        availability: target.availability,
        kind: target.kind,
        area: target.area.as_deref(),
    };
    workflow::file_in_thread(d, role, &target, folder, calendar, &mailbox.deadline);
}

/// What the histories say about a message of a conversation.
pub fn thread_detail(role: ThreadRole, ticket: &str, target: &ConsultationRow) -> String {
    match role {
        ThreadRole::Copy => format!(
            "el mismo mensaje llegó a los buzones «{}» ({}) y al de la copia ({ticket}): se atiende y responde una \
             sola vez, como {}",
            target.mailbox, target.ticket, target.ticket
        ),
        ThreadRole::FollowUp => format!(
            "el ciudadano volvió a escribir en la conversación de {} después de la respuesta: seguimiento {ticket}, \
             con su propio plazo desde su llegada",
            target.ticket
        ),
        ThreadRole::Addition => format!(
            "el ciudadano agregó información a la consulta {} (mensaje {ticket}, archivado junto a ella)",
            target.ticket
        ),
        ThreadRole::Thanks => format!(
            "agradecimiento o respuesta automática en la conversación de {} (mensaje {ticket}): no abre ni cierra nada",
            target.ticket
        ),
    }
}
