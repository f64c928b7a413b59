//! A draft seen for the first time in `Por enviar`: which consultation it answers, the facts the workflow
//! decides on, and carrying the decision out (queue the reply, or notify the supervisor, or return the draft
//! with a note).
//!
//! Linking, in order: the thread (the `In-Reply-To`/`References` a Reply button wrote, on the citizen's message,
//! the acknowledgement, the reply or a follow-up: the thread's open consultation), a ticket in the subject, and
//! for drafts without threading headers (Outlook) the addressee and subject when exactly one open consultation
//! fits. A consultation of another mailbox is named in the note, not answered from here.

use chrono::{DateTime, Utc};

use super::locate::uids_of_consultation;
use super::reply_approval::Settled;
use super::reply_mail::{compose_reply, copies_said, note, notice, outgoing};
use super::{DaemonError, Office};
use crate::config::MailboxConfig;
use crate::imap::Session;
use crate::mail::compose::{domain_of, random_hex};
use crate::mail::{self, ParsedMail};
use crate::rules::normalize;
use crate::store::{ConsultationRow, NewReply, OutgoingKind};
use crate::survey::{approval_link, ApprovalKey, ApprovalToken};
use crate::vocabulary::ConsultationState;
use crate::workflow::message_ids;
use crate::workflow::{
    author_of, decide_draft, draft_link, DraftDecision, DraftFacts, DraftInput, DraftPlace,
    DraftProblem, DragGuard, Effect, Reply, ReplyState, Standing,
};

/// What linking found.
enum Linked {
    /// The consultation of this mailbox the draft answers.
    Here(ConsultationRow),
    /// A consultation of another mailbox.
    Elsewhere(ConsultationRow),
    /// Nothing.
    Nothing,
}

/// Decides and records a draft seen for the first time; says where it goes.
pub(super) async fn new_draft(
    session: &mut Session,
    office: &Office,
    mailbox: &MailboxConfig,
    raw: &[u8],
    fp: String,
    now: DateTime<Utc>,
) -> Result<Settled, DaemonError> {
    let parsed = match mail::parse(raw) {
        Ok(p) => p,
        Err(e) => {
            let input = unlinked(vec![DraftProblem::Unreadable(e.to_string())]);
            return carry_out(
                session,
                office,
                mailbox,
                None,
                None,
                raw,
                fp,
                "desconocido",
                &input,
                now,
            )
            .await;
        }
    };
    // The assistant's words and signature as a reply is read (a name and role block under the answer signs it
    // too), not as the rules read a citizen's message.
    let answer = mail::answer(&parsed.body_text);
    let author = author_of(
        parsed.from.as_ref().map(|a| a.email.as_str()),
        &office.own_addresses,
        answer.signature.as_deref(),
    );
    let (consultation, found) = consultation_answered(session, office, mailbox, &parsed).await?;
    let Some(c) = consultation else {
        let input = unlinked(found);
        return carry_out(
            session,
            office,
            mailbox,
            None,
            Some(&parsed),
            raw,
            fp,
            &author,
            &input,
            now,
        )
        .await;
    };
    let recipients = recipients_of(&parsed);
    let citizen = c.answer_address().map(str::to_ascii_lowercase);
    let open_reply = open_reply_of(office, &c).await?;
    let legal = waits_for_legal(session, office, mailbox, &c).await?;
    let standing = standing_of(c.state);
    let input = DraftInput {
        facts: Some(DraftFacts {
            fresh_text: &answer.text,
            signature: answer.signature.as_deref(),
            recipients: &recipients,
            citizen: citizen.as_deref(),
            require_signature: office.config.replies.require_signature,
            standing,
        }),
        found,
        legal,
        supervisor_configured: office.config.replies.supervisor.is_some(),
        open_reply,
    };
    carry_out(
        session,
        office,
        mailbox,
        Some(&c),
        Some(&parsed),
        raw,
        fp,
        &author,
        &input,
        now,
    )
    .await
}

/// Which consultation of this mailbox the draft answers; when none, why (it answers one of another mailbox, or
/// nothing triaje recorded).
async fn consultation_answered(
    session: &mut Session,
    office: &Office,
    mailbox: &MailboxConfig,
    parsed: &ParsedMail,
) -> Result<(Option<ConsultationRow>, Vec<DraftProblem>), DaemonError> {
    Ok(match link(session, office, mailbox, parsed).await? {
        Linked::Here(c) => (Some(c), vec![]),
        Linked::Elsewhere(c) => {
            let address = office
                .config
                .mailbox(&c.mailbox)
                .map(|m| m.address.clone())
                .unwrap_or_else(|| c.mailbox.clone());
            (
                None,
                vec![DraftProblem::OtherMailbox {
                    ticket: c.ticket,
                    mailbox: address,
                }],
            )
        }
        Linked::Nothing => (None, vec![DraftProblem::Unlinked]),
    })
}

/// Everyone the draft is addressed to (`To` and `Cc`), in lower case.
fn recipients_of(parsed: &ParsedMail) -> Vec<String> {
    parsed
        .to
        .iter()
        .chain(parsed.cc.iter())
        .map(|a| a.email.to_ascii_lowercase())
        .collect()
}

/// The state of a reply to `c` still under way, if any (a second draft must not overtake it).
async fn open_reply_of(
    office: &Office,
    c: &ConsultationRow,
) -> Result<Option<ReplyState>, DaemonError> {
    Ok(office
        .store
        .replies_for(c.id)
        .await?
        .into_iter()
        .map(|r| r.state)
        .find(|s| s.is_open()))
}

/// Whether the reply to `c` must wait for the supervisor's validation: `c` is filed in a Legal folder, or it is
/// an incident, complaint or suggestion whose area is Legal (filed in its kind's folder, it is still a legal
/// answer: 002 §7.4.1.3).
async fn waits_for_legal(
    session: &mut Session,
    office: &Office,
    mailbox: &MailboxConfig,
    c: &ConsultationRow,
) -> Result<bool, DaemonError> {
    let legal_folders = &office.config.replies.legal_folders;
    if legal_folders.contains(&c.folder)
        || (c.kind.has_own_folder() && c.area.as_ref().is_some_and(|a| legal_folders.contains(a)))
    {
        return Ok(true);
    }
    // The coordinator may have moved the consultation into a Legal folder since the register last looked
    // (the corrections pass notices it on its next round): the server, not the register, has the last word.
    let legal = in_a_legal_folder(session, office, c).await?;
    if legal {
        tracing::info!(mailbox = %mailbox.name, ticket = %c.ticket, "consultation found in a Legal folder: the draft waits for validation");
    }
    Ok(legal)
}

/// Where the consultation stands, as the draft checks see it.
fn standing_of(state: ConsultationState) -> Standing {
    match state {
        ConsultationState::Answered => Standing::Answered,
        ConsultationState::Error => Standing::Unprocessable,
        _ => Standing::Open,
    }
}

/// The decision's input for a draft that answers no consultation of this mailbox, with the reasons found.
fn unlinked(found: Vec<DraftProblem>) -> DraftInput<'static> {
    DraftInput {
        facts: None,
        found,
        legal: false,
        supervisor_configured: true,
        open_reply: None,
    }
}

/// Decides with the workflow and records the decision with the mail it causes, in one transaction.
#[allow(clippy::too_many_arguments)]
async fn carry_out(
    session: &mut Session,
    office: &Office,
    mailbox: &MailboxConfig,
    c: Option<&ConsultationRow>,
    parsed: Option<&ParsedMail>,
    raw: &[u8],
    fp: String,
    author: &str,
    input: &DraftInput<'_>,
    now: DateTime<Utc>,
) -> Result<Settled, DaemonError> {
    let decision = decide_draft(input);
    let t = Reply::from_draft(&decision, input.legal, author);
    let mut history: Vec<String> = Vec::new();
    let mut note_text = None;
    let mut place = None;
    for e in &t.effects {
        match e {
            Effect::History(h) => history.push(h.clone()),
            Effect::NoteForAssistant(n) => note_text = Some(n.clone()),
            Effect::MoveDraft(p) => place = Some(*p),
            Effect::QueueReply | Effect::NotifySupervisor | Effect::AnswerSupervisor(_) => {}
        }
    }
    let domain = domain_of(&mailbox.address).to_string();
    let mut new = NewReply {
        consultation_id: c.map(|c| c.id),
        draft_fingerprint: fp,
        draft_message_id: parsed.and_then(|p| p.message_id.clone()),
        author: author.to_string(),
        legal: input.legal,
        state: t.reply.state,
        observations: t.reply.observations.clone(),
        notification_message_id: None,
        reply_message_id: None,
    };
    let mut queued = false;
    let out = match (&decision, c, parsed) {
        (DraftDecision::Send, Some(c), Some(parsed)) => {
            let reply_id = message_ids::reply(&c.ticket, &domain, &random_hex(12));
            let mail = compose_reply(office, mailbox, c, raw, parsed, reply_id.clone(), now)?;
            history.push(copies_said(&mail).trim_start_matches("; ").to_string());
            new.reply_message_id = Some(reply_id);
            queued = true;
            Some(outgoing(mailbox, OutgoingKind::Reply, Some(c.id), &mail)?)
        }
        (DraftDecision::AwaitValidation, Some(c), Some(parsed)) => {
            let Some(supervisor) = office.config.replies.supervisor.as_deref() else {
                return Ok(Settled::default());
            };
            let notice_id = message_ids::validation_notice(&c.ticket, &domain, &random_hex(12));
            let link = approval_link_for(office, &notice_id, now);
            let drag_counts = super::approval_guard::recorded_guard(&office.store, mailbox).await?
                == DragGuard::Guarded;
            new.notification_message_id = Some(notice_id.clone());
            Some(notice(
                office,
                mailbox,
                c,
                supervisor,
                author,
                &parsed.body_text,
                notice_id,
                link.as_deref(),
                drag_counts,
                now,
            )?)
        }
        _ => None,
    };
    history.retain(|h| !h.is_empty());
    office
        .store
        .submit_reply(&new, out.as_ref(), &history.join("\n"), now)
        .await?;
    let _ = session;
    match &decision {
        DraftDecision::Send => {
            tracing::info!(mailbox = %mailbox.name, ticket = c.map(|c| c.ticket.as_str()).unwrap_or("-"), "reply queued")
        }
        DraftDecision::AwaitValidation => {
            tracing::info!(mailbox = %mailbox.name, ticket = c.map(|c| c.ticket.as_str()).unwrap_or("-"), "legal reply waiting for validation")
        }
        DraftDecision::Refuse(_) => {
            tracing::info!(mailbox = %mailbox.name, ticket = c.map(|c| c.ticket.as_str()).unwrap_or("-"), "draft returned to the assistant")
        }
    }
    let note =
        note_text.and_then(|reasons| refusal_note(office, mailbox, c, parsed, &reasons, now));
    Ok(Settled {
        place,
        note,
        queued,
    })
}

/// The note beside a refused draft: the ticket, the mailbox, every reason, what to do.
pub(super) fn refusal_note(
    office: &Office,
    mailbox: &MailboxConfig,
    c: Option<&ConsultationRow>,
    parsed: Option<&ParsedMail>,
    reasons: &str,
    now: DateTime<Utc>,
) -> Option<Vec<u8>> {
    let subject = parsed.map(|p| p.subject.as_str()).unwrap_or("");
    let which = match c {
        Some(c) => format!("de la consulta {} ", c.ticket),
        None => String::new(),
    };
    note(
        mailbox,
        c.map(|c| c.ticket.as_str()),
        parsed,
        "Borrador devuelto",
        &format!(
            "El borrador «{}» {which}(buzón {}) no se envió al ciudadano:\n\n{reasons}\n\nCorríjalo (por ejemplo \
             con «Editar como nuevo mensaje») y vuelva a dejarlo en la carpeta «{}».\n",
            crate::mail::compose::sanitize(subject),
            mailbox.address,
            office.config.folders.drafts
        ),
        now,
    )
}

/// The approval link of a notice, when a web server is configured.
fn approval_link_for(office: &Office, notice_id: &str, now: DateTime<Utc>) -> Option<String> {
    let web = office.config.web.as_ref()?;
    let key = ApprovalKey::from_survey_key(office.survey_key.as_ref()?);
    let token = ApprovalToken {
        notice_id: notice_id.to_string(),
        expires_at: now
            + chrono::Duration::days(i64::from(office.config.replies.approval_link_days.max(1))),
    };
    Some(approval_link(&web.public_url, &key, &token))
}

/// Whether the consultation's message lies in a Legal folder on the server right now.
async fn in_a_legal_folder(
    session: &mut Session,
    office: &Office,
    c: &ConsultationRow,
) -> Result<bool, DaemonError> {
    let max = office.config.triage.max_message_bytes;
    for folder in &office.config.replies.legal_folders {
        if !office.config.folders.targets.contains(folder) {
            continue;
        }
        session.select(folder).await?;
        if !uids_of_consultation(session, c, max).await?.is_empty() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Which consultation a draft answers.
async fn link(
    session: &mut Session,
    office: &Office,
    mailbox: &MailboxConfig,
    parsed: &ParsedMail,
) -> Result<Linked, DaemonError> {
    let link = draft_link(
        &parsed.subject,
        parsed.in_reply_to.as_deref(),
        &parsed.references,
    );
    let place = |c: ConsultationRow| {
        if c.mailbox == mailbox.name {
            Linked::Here(c)
        } else {
            Linked::Elsewhere(c)
        }
    };
    let is_open = |c: &ConsultationRow| c.state.is_answerable();
    // The open attention of the conversation the Reply button threaded the draft into (a follow-up the citizen
    // sent after the first answer, say), before anything its subject may still carry. A message sent to several
    // of the office's mailboxes is one attention: where this mailbox holds a copy of it, this mailbox's assistant
    // answers it too.
    if let Some(thread) = office.store.thread_of(&link.message_ids).await? {
        if let Some(c) = thread.open_attention().cloned() {
            let copy_here = thread
                .members
                .iter()
                .any(|m| m.consultation.mailbox == mailbox.name);
            return Ok(if copy_here { Linked::Here(c) } else { place(c) });
        }
    }
    let thread = office
        .store
        .open_consultation_of_thread(&link.message_ids)
        .await?;
    if let Some(c) = &thread {
        if is_open(c) {
            return Ok(place(c.clone()));
        }
    }
    // A ticket in the subject names an open consultation the thread does not know (a new draft with the ticket
    // typed in), or confirms the answered one.
    let mut by_ticket = None;
    for ticket in &link.tickets {
        if let Some(c) = office.store.consultation_by_ticket(ticket).await? {
            if is_open(&c) {
                return Ok(place(c));
            }
            by_ticket.get_or_insert(c);
        }
    }
    if let Some(c) = thread.or(by_ticket) {
        return Ok(place(c));
    }
    // Outlook keeps the conversation in `Thread-Index`, whose first 22 bytes are the same in every message of
    // it: where the citizen wrote from Outlook too, the server finds the question by them.
    if let Some(c) = by_thread_index(session, office, parsed).await? {
        return Ok(place(c));
    }
    // No threading headers, no ticket: Outlook. The addressee and the subject decide when exactly one open
    // consultation fits.
    let subject = parsed
        .header("thread-topic")
        .map(str::to_string)
        .unwrap_or_else(|| parsed.subject.clone());
    let wanted = base_subject(&subject);
    let mut fits: Vec<ConsultationRow> = Vec::new();
    for to in &parsed.to {
        for c in office
            .store
            .open_consultations_answered_to(&mailbox.name, &to.email)
            .await?
        {
            if base_subject(&c.subject) == wanted && !fits.iter().any(|f| f.id == c.id) {
                fits.push(c);
            }
        }
    }
    if fits.len() == 1 {
        return Ok(Linked::Here(fits.remove(0)));
    }
    Ok(Linked::Nothing)
}

/// The open consultation whose message shares the draft's Outlook conversation (`Thread-Index`), if any.
async fn by_thread_index(
    session: &mut Session,
    office: &Office,
    parsed: &ParsedMail,
) -> Result<Option<ConsultationRow>, DaemonError> {
    // 28 base64 characters carry the first 21 bytes, all of them the conversation's.
    let Some(key) = parsed
        .header("thread-index")
        .map(|t| t.trim().chars().take(28).collect::<String>())
        .filter(|k| {
            k.len() == 28
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/')
        })
    else {
        return Ok(None);
    };
    let folders = &office.config.folders;
    let mut ids = Vec::new();
    for folder in folders.filed().iter().chain([&folders.unclassified]) {
        session.select(folder).await?;
        let uids = session.uids_with_header("Thread-Index", &key).await?;
        for f in session.fetch_raw(&uids, true).await? {
            ids.extend(crate::mail::message_id(&f.raw));
        }
    }
    if let Some(c) = office.store.open_consultation_in_thread(&ids).await? {
        return Ok(Some(c));
    }
    let found = office.store.open_consultation_of_thread(&ids).await?;
    Ok(found.filter(|c| c.state.is_answerable()))
}

/// A subject without reply and forward prefixes (`RE:`, `RV:`, `AW:`…) or a ticket, normalised.
fn base_subject(subject: &str) -> String {
    let mut s = normalize(subject);
    loop {
        let t = s.trim_start();
        let cut = [
            "re:", "rv:", "fw:", "fwd:", "res:", "aw:", "sv:", "enc:", "tr:", "r:",
        ]
        .iter()
        .find(|p| t.starts_with(*p))
        .map(|p| t[p.len()..].to_string());
        match cut {
            Some(rest) => s = rest,
            None => break,
        }
    }
    let without_ticket: String = s
        .split_whitespace()
        .filter(|w| {
            let w = w.trim_matches(|c: char| c == '[' || c == ']');
            !(w.len() >= 13
                && w.matches('-').count() == 2
                && w.chars().last().is_some_and(|c| c.is_ascii_digit()))
        })
        .collect::<Vec<_>>()
        .join(" ");
    without_ticket
}

/// Where a draft that was decided before belongs.
pub(super) fn place_of(state: ReplyState) -> DraftPlace {
    match state {
        ReplyState::AwaitingValidation => DraftPlace::Validation,
        ReplyState::Queued | ReplyState::Sent => DraftPlace::Answered,
        ReplyState::Returned | ReplyState::Withdrawn | ReplyState::Refused => DraftPlace::Returned,
    }
}

#[cfg(test)]
mod tests {
    use super::base_subject;

    #[test]
    fn subjects_compare_without_prefixes_tickets_or_accents() {
        assert_eq!(
            base_subject("RE: Renovación RNP [CONS-2026-000001]"),
            base_subject("Renovacion RNP")
        );
        assert_eq!(base_subject("RV: AW: Penalidad"), "penalidad");
        assert_ne!(
            base_subject("RE: Penalidad"),
            base_subject("Penalidad por mora")
        );
    }
}
