//! One pass over a mailbox's reply folders: drafts the assistants dropped, Legal replies the supervisor approved
//! or returned, and replies the SMTP server accepted that still have to be filed.
//!
//! Order (the crash-safety argument, as for triage): read the draft → decide → record + queue mail (one
//! transaction) → move the draft on the server. A crash before the commit repeats the decision; after it, the
//! draft is still where it was, is recognised by its fingerprint, and is only moved. Mail is queued under a
//! `Message-ID` stored with the reply, so nothing is queued twice.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::locate::uids_of_consultation;
use super::{DaemonError, Shared};
use crate::config::MailboxConfig;
use crate::imap::Session;
use crate::mail::compose::{domain_of, new_message_id, sanitize, OutgoingMail};
use crate::mail::reply::{draft_content, reply, validation_notice, ReplyFacts};
use crate::mail::{self, Address, ParsedMail};
use crate::store::{reply_state, ConsultationRow, NewOutgoing, NewReply, OutgoingKind, ReplyRow};
use crate::workflow::{
    author_of, check_draft, draft_link, fingerprint, reply_subject, DraftFacts, DraftProblem,
    Reply, ReplyState,
};

/// Header that marks triaje's own notes in the returned folder, so they are never taken for drafts.
const NOTE_HEADER: &str = "X-Triaje-Note";

/// What one pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RepliesSummary {
    /// Replies queued for citizens.
    pub queued: usize,
    /// Legal replies sent to the supervisor.
    pub to_validation: usize,
    /// Drafts returned to the assistant (by the checks or the supervisor).
    pub returned: usize,
    /// Sent replies filed (copy in the sent folder, consultation in the answered folder).
    pub filed: usize,
}

/// Which folder a draft was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Drafts,
    Approved,
    Returned,
}

/// Runs every step of the reply workflow once for `mailbox`.
pub async fn replies_pass(
    session: &mut Session,
    shared: &Shared,
    mailbox: &MailboxConfig,
) -> Result<RepliesSummary, DaemonError> {
    let folders = &shared.config.folders;
    let mut summary = RepliesSummary::default();
    scan(
        session,
        shared,
        mailbox,
        &folders.drafts,
        Source::Drafts,
        &mut summary,
    )
    .await?;
    scan(
        session,
        shared,
        mailbox,
        &folders.approved,
        Source::Approved,
        &mut summary,
    )
    .await?;
    scan(
        session,
        shared,
        mailbox,
        &folders.returned,
        Source::Returned,
        &mut summary,
    )
    .await?;
    file_sent(session, shared, mailbox, &mut summary).await?;
    if summary.queued + summary.to_validation > 0 {
        shared.outbox_wake.notify_one();
    }
    Ok(summary)
}

/// Looks at the messages of one reply folder and moves each where its decision says.
async fn scan(
    session: &mut Session,
    shared: &Shared,
    mailbox: &MailboxConfig,
    folder: &str,
    source: Source,
    summary: &mut RepliesSummary,
) -> Result<(), DaemonError> {
    let selected = session.select(folder).await?;
    if selected.exists == 0 {
        return Ok(());
    }
    let metas = session.new_messages(0).await?;
    let uids: Vec<u32> = metas
        .iter()
        .take(shared.config.replies.batch)
        .map(|m| m.uid)
        .collect();
    let fetched = session.fetch_raw(&uids, false).await?;
    let folders = &shared.config.folders;
    let mut moves: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut notes: Vec<Vec<u8>> = Vec::new();
    let now = Utc::now();
    for draft in &fetched {
        let fp = fingerprint(&draft.raw);
        let known = shared.store.reply_by_fingerprint(&fp).await?;
        let outcome = match (source, known) {
            // A draft decided before a crash, still in its folder: only the move is left to do.
            (Source::Drafts, Some(r)) => Outcome::Move(destination(folders, &r)),
            (Source::Approved, Some(r)) if r.state == reply_state::AWAITING_VALIDATION => {
                approve(
                    shared,
                    mailbox,
                    &r,
                    &draft.raw,
                    "el supervisor (movió el borrador a aprobadas)",
                    now,
                )
                .await?
            }
            (Source::Approved, Some(r)) => Outcome::Move(destination(folders, &r)),
            (Source::Returned, Some(r)) if r.state == reply_state::AWAITING_VALIDATION => {
                let observations =
                    "el supervisor devolvió el borrador sin escribir observaciones; consúltele";
                shared
                    .store
                    .return_reply(r.id, "el supervisor", observations, now)
                    .await?;
                summary.returned += 1;
                Outcome::Stay
            }
            (Source::Returned, _) => Outcome::Stay,
            (Source::Drafts | Source::Approved, None) => {
                new_draft(shared, mailbox, &draft.raw, fp, now).await?
            }
        };
        match outcome {
            Outcome::Stay => {}
            Outcome::Move(to) => {
                if to != folder {
                    moves.entry(to).or_default().push(draft.uid);
                }
            }
            Outcome::Queued => {
                summary.queued += 1;
                moves
                    .entry(folders.answered.clone())
                    .or_default()
                    .push(draft.uid);
            }
            Outcome::ToValidation => {
                summary.to_validation += 1;
                moves
                    .entry(folders.validation.clone())
                    .or_default()
                    .push(draft.uid);
            }
            Outcome::Refused(note) => {
                summary.returned += 1;
                notes.push(note);
                moves
                    .entry(folders.returned.clone())
                    .or_default()
                    .push(draft.uid);
            }
        }
    }
    for (to, uids) in &moves {
        session.move_to(uids, to).await?;
    }
    for note in &notes {
        session.append(&folders.returned, &[], note).await?;
    }
    Ok(())
}

/// What becomes of one draft.
enum Outcome {
    /// Leave it where it is.
    Stay,
    /// Move it (it was decided before).
    Move(String),
    /// The reply is queued: the draft goes to the answered folder.
    Queued,
    /// Waiting for the supervisor: the draft goes to the validation folder.
    ToValidation,
    /// Refused: the draft goes back with this note beside it.
    Refused(Vec<u8>),
}

/// Where a draft already decided belongs.
fn destination(folders: &crate::config::Folders, r: &ReplyRow) -> String {
    match r.state.as_str() {
        reply_state::AWAITING_VALIDATION => folders.validation.clone(),
        reply_state::QUEUED | reply_state::SENT => folders.answered.clone(),
        _ => folders.returned.clone(),
    }
}

/// Decides a draft seen for the first time.
async fn new_draft(
    shared: &Shared,
    mailbox: &MailboxConfig,
    raw: &[u8],
    fp: String,
    now: DateTime<Utc>,
) -> Result<Outcome, DaemonError> {
    let parsed = match mail::parse(raw) {
        Ok(p) => p,
        Err(e) => {
            let reason = format!("no se pudo leer el borrador: {e}");
            return refuse(shared, mailbox, None, None, fp, "", &[reason], now).await;
        }
    };
    if parsed.header(NOTE_HEADER).is_some() {
        // One of our own notes dragged into the drafts folder: put it back with the others.
        return Ok(Outcome::Move(shared.config.folders.returned.clone()));
    }
    let link = draft_link(
        &parsed.subject,
        parsed.in_reply_to.as_deref(),
        &parsed.references,
    );
    // The open consultation of the conversation the Reply button threaded the draft into (a follow-up the
    // citizen sent after the first answer, say), before the ticket its subject may still carry.
    let mut consultation = shared
        .store
        .open_consultation_in_thread(&link.message_ids)
        .await?;
    if consultation.is_none() {
        for ticket in &link.tickets {
            if let Some(c) = shared.store.consultation_by_ticket(ticket).await? {
                if c.mailbox == mailbox.name {
                    consultation = Some(c);
                    break;
                }
            }
        }
    }
    if consultation.is_none() {
        consultation = shared
            .store
            .consultation_by_message_ids(&mailbox.name, &link.message_ids)
            .await?;
    }
    let signature = mail::signature(&parsed.body_text);
    let author = author_of(
        parsed.from.as_ref().map(|a| a.email.as_str()),
        &shared.own_addresses,
        signature.as_deref(),
    );
    let Some(c) = consultation else {
        let reasons = [DraftProblem::Unlinked.describe()];
        return refuse(
            shared,
            mailbox,
            None,
            Some(&parsed),
            fp,
            &author,
            &reasons,
            now,
        )
        .await;
    };
    let recipients: Vec<String> = parsed
        .to
        .iter()
        .chain(parsed.cc.iter())
        .map(|a| a.email.to_ascii_lowercase())
        .collect();
    let citizen = c.answer_address().map(str::to_ascii_lowercase);
    let problems = check_draft(&DraftFacts {
        fresh_text: &parsed.fresh_text,
        signature: signature.as_deref(),
        recipients: &recipients,
        citizen: citizen.as_deref(),
        require_signature: shared.config.replies.require_signature,
        consultation_state: &c.state,
    });
    // One reply at a time: a second draft while the first waits for the supervisor or the SMTP server would
    // send the citizen two answers.
    let open =
        shared.store.replies_for(c.id).await?.into_iter().find(|r| {
            r.state == reply_state::AWAITING_VALIDATION || r.state == reply_state::QUEUED
        });
    let mut reasons: Vec<String> = problems.iter().map(DraftProblem::describe).collect();
    if let Some(open) = &open {
        reasons.push(if open.state == reply_state::QUEUED {
            "esta consulta ya tiene una respuesta en cola de envío; no se envía otra".into()
        } else {
            "esta consulta ya tiene una respuesta esperando la validación legal; espere la decisión del supervisor".into()
        });
    }
    let legal = shared.config.replies.legal_folders.contains(&c.folder);
    let supervisor = shared.config.replies.supervisor.clone();
    if legal && supervisor.is_none() {
        reasons.push(
            "la consulta es legal y necesita validación, pero no hay supervisor configurado ([replies] supervisor); \
             avise al administrador"
                .into(),
        );
    }
    if !reasons.is_empty() {
        return refuse(
            shared,
            mailbox,
            Some(&c),
            Some(&parsed),
            fp,
            &author,
            &reasons,
            now,
        )
        .await;
    }
    let domain = domain_of(&mailbox.address).to_string();
    if let (true, Some(supervisor)) = (legal, supervisor) {
        let notice_id = new_message_id("validacion", &c.ticket, &domain);
        let notice = validation_notice(
            &supervisor,
            &c.ticket,
            &c.subject,
            &author,
            &parsed.body_text,
            &shared.config.folders.validation,
            &shared.config.folders.approved,
            &mailbox.display_name,
            &mailbox.address,
            notice_id.clone(),
            now,
        );
        let outgoing = outgoing(
            mailbox,
            OutgoingKind::Notification,
            Some(c.id),
            &notice,
            &mailbox.address,
        )?;
        let new = NewReply {
            consultation_id: Some(c.id),
            draft_fingerprint: fp,
            draft_message_id: parsed.message_id.clone(),
            author: author.clone(),
            legal: true,
            state: reply_state::AWAITING_VALIDATION,
            observations: None,
            notification_message_id: Some(notice_id),
            reply_message_id: None,
        };
        let event =
            format!("borrador de {author} enviado a validación legal; se avisó a {supervisor}");
        shared
            .store
            .submit_reply(&new, Some(&outgoing), &event, now)
            .await?;
        tracing::info!(mailbox = %mailbox.name, ticket = %c.ticket, "legal reply waiting for validation");
        return Ok(Outcome::ToValidation);
    }
    let reply_id = new_message_id("respuesta", &c.ticket, &domain);
    let mail = compose_reply(shared, mailbox, &c, raw, &parsed, reply_id.clone(), now)?;
    let out = outgoing(
        mailbox,
        OutgoingKind::Reply,
        Some(c.id),
        &mail,
        &mailbox.address,
    )?;
    let new = NewReply {
        consultation_id: Some(c.id),
        draft_fingerprint: fp,
        draft_message_id: parsed.message_id.clone(),
        author: author.clone(),
        legal: false,
        state: reply_state::QUEUED,
        observations: None,
        notification_message_id: None,
        reply_message_id: Some(reply_id),
    };
    let event = format!("respuesta de {author} aceptada y puesta en cola de envío");
    shared
        .store
        .submit_reply(&new, Some(&out), &event, now)
        .await?;
    tracing::info!(mailbox = %mailbox.name, ticket = %c.ticket, "reply queued");
    Ok(Outcome::Queued)
}

/// A recorded draft as the workflow's state machine, so every step the daemon takes is one it allows.
pub(super) fn as_workflow_reply(r: &ReplyRow) -> Reply {
    let state = match r.state.as_str() {
        reply_state::AWAITING_VALIDATION => ReplyState::AwaitingValidation,
        reply_state::RETURNED => ReplyState::Returned {
            observations: r.observations.clone().unwrap_or_default(),
        },
        reply_state::QUEUED => ReplyState::Queued,
        reply_state::SENT => ReplyState::Sent {
            at: r.sent_at.unwrap_or(r.submitted_at),
        },
        _ => ReplyState::Withdrawn,
    };
    Reply {
        legal: r.legal,
        author: r.author.clone(),
        approved_by: r.approved_by.clone(),
        state,
        history: Vec::new(),
    }
}

/// The supervisor approved a Legal reply: compose it from the draft and queue it.
async fn approve(
    shared: &Shared,
    mailbox: &MailboxConfig,
    r: &ReplyRow,
    raw: &[u8],
    by: &str,
    now: DateTime<Utc>,
) -> Result<Outcome, DaemonError> {
    let folders = &shared.config.folders;
    // The state machine has the last word: e.g. the person who wrote the reply cannot also approve it.
    if let Err(e) = as_workflow_reply(r).approve(by, now) {
        tracing::warn!(mailbox = %mailbox.name, reply = r.id, reason = %e, "approval refused");
        return Ok(Outcome::Move(folders.validation.clone()));
    }
    let Some(consultation_id) = r.consultation_id else {
        return Ok(Outcome::Move(folders.returned.clone()));
    };
    let Some(c) = shared.store.consultation_by_id(consultation_id).await? else {
        return Ok(Outcome::Move(folders.returned.clone()));
    };
    let parsed = match mail::parse(raw) {
        Ok(p) => p,
        Err(_) => return Ok(Outcome::Move(folders.returned.clone())),
    };
    let reply_id = new_message_id("respuesta", &c.ticket, domain_of(&mailbox.address));
    let mail = compose_reply(shared, mailbox, &c, raw, &parsed, reply_id, now)?;
    let out = outgoing(
        mailbox,
        OutgoingKind::Reply,
        Some(c.id),
        &mail,
        &mailbox.address,
    )?;
    if shared.store.approve_reply(r.id, by, &out, now).await? {
        tracing::info!(mailbox = %mailbox.name, ticket = %c.ticket, "legal reply approved and queued");
        Ok(Outcome::Queued)
    } else {
        Ok(Outcome::Move(folders.answered.clone()))
    }
}

/// The supervisor approved by answering the notice: queue the reply. `false` when nothing changed.
pub(super) async fn approve_by_mail(
    shared: &Shared,
    mailbox: &MailboxConfig,
    r: &ReplyRow,
    raw: &[u8],
    by: &str,
    now: DateTime<Utc>,
) -> Result<bool, DaemonError> {
    Ok(matches!(
        approve(shared, mailbox, r, raw, by, now).await?,
        Outcome::Queued
    ))
}

/// Records a refused draft and writes the note the assistant will find beside it.
#[allow(clippy::too_many_arguments)]
async fn refuse(
    shared: &Shared,
    mailbox: &MailboxConfig,
    c: Option<&ConsultationRow>,
    parsed: Option<&ParsedMail>,
    fp: String,
    author: &str,
    reasons: &[String],
    now: DateTime<Utc>,
) -> Result<Outcome, DaemonError> {
    let text = reasons
        .iter()
        .map(|r| format!("- {r}"))
        .collect::<Vec<_>>()
        .join("\n");
    let new = NewReply {
        consultation_id: c.map(|c| c.id),
        draft_fingerprint: fp,
        draft_message_id: parsed.and_then(|p| p.message_id.clone()),
        author: if author.is_empty() {
            "desconocido".into()
        } else {
            author.to_string()
        },
        legal: false,
        state: reply_state::REFUSED,
        observations: Some(text.clone()),
        notification_message_id: None,
        reply_message_id: None,
    };
    let event = format!("borrador devuelto al asistente:\n{text}");
    shared.store.submit_reply(&new, None, &event, now).await?;
    let subject = parsed.map(|p| p.subject.as_str()).unwrap_or("");
    tracing::info!(mailbox = %mailbox.name, ticket = c.map(|c| c.ticket.as_str()).unwrap_or("-"), "draft returned to the assistant");
    let note = OutgoingMail {
        from: Address {
            email: mailbox.address.clone(),
            name: Some("triaje".into()),
        },
        to: vec![Address {
            email: mailbox.address.clone(),
            name: None,
        }],
        reply_to: None,
        subject: format!("Borrador devuelto: {}", sanitize(subject)),
        message_id: new_message_id("nota", c.map(|c| c.ticket.as_str()).unwrap_or("sin-ticket"), domain_of(&mailbox.address)),
        in_reply_to: parsed.and_then(|p| p.message_id.clone()),
        references: parsed.and_then(|p| p.message_id.clone()).into_iter().collect(),
        date: now,
        auto_submitted: Some("auto-generated"),
        extra_headers: vec![(NOTE_HEADER.into(), "borrador devuelto".into())],
        text: format!(
            "El borrador «{}» no se envió al ciudadano:\n\n{text}\n\nCorríjalo (por ejemplo con «Editar como nuevo \
             mensaje») y vuelva a dejarlo en la carpeta «{}».\n",
            sanitize(subject),
            shared.config.folders.drafts
        ),
        html: None,
        attachments: vec![],
    };
    match note.to_bytes() {
        Ok(bytes) => Ok(Outcome::Refused(bytes)),
        Err(_) => Ok(Outcome::Move(shared.config.folders.returned.clone())),
    }
}

/// The reply to the citizen from the draft's bytes.
fn compose_reply(
    shared: &Shared,
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
    let links = super::survey_links(shared, c, now);
    Ok(reply(&content, &facts, links.as_ref(), now))
}

/// An outbox row for a composed message.
fn outgoing(
    mailbox: &MailboxConfig,
    kind: OutgoingKind,
    consultation_id: Option<i64>,
    mail: &OutgoingMail,
    envelope_from: &str,
) -> Result<NewOutgoing, DaemonError> {
    let raw = mail
        .to_bytes()
        .map_err(|e| DaemonError::Compose(e.to_string()))?;
    Ok(NewOutgoing {
        mailbox: mailbox.name.clone(),
        kind,
        consultation_id,
        message_id: mail.message_id.clone(),
        envelope_from: envelope_from.to_string(),
        recipients: mail.to.iter().map(|a| a.email.clone()).collect(),
        raw,
    })
}

/// Files what the SMTP server accepted: a copy in the sent folder, the consultation in the answered folder
/// with `\Answered`, and the answer's time and deadline compliance in the register.
async fn file_sent(
    session: &mut Session,
    shared: &Shared,
    mailbox: &MailboxConfig,
    summary: &mut RepliesSummary,
) -> Result<(), DaemonError> {
    let sent = shared.store.sent_replies_to_file(&mailbox.name).await?;
    let folders = &shared.config.folders;
    for s in sent {
        // The copy: appended once (a repeat after a crash finds it by its Message-ID).
        session.select(&folders.sent).await?;
        if session
            .uids_with_message_id(&s.message_id)
            .await?
            .is_empty()
        {
            session.append(&folders.sent, &["\\Seen"], &s.raw).await?;
        }
        // The consultation, found by its Message-ID and fingerprint wherever the office filed it.
        let max = shared.config.triage.max_message_bytes;
        let mut places = vec![s.consultation.folder.clone()];
        places.extend(folders.targets.iter().cloned());
        places.push(folders.unclassified.clone());
        places.dedup();
        let mut moved = false;
        for place in places.iter().filter(|p| **p != folders.answered) {
            session.select(place).await?;
            let uids = uids_of_consultation(session, &s.consultation, max).await?;
            // Two copies of the same bytes are two consultations: this answer files one of them.
            if let Some(&uid) = uids.first() {
                session.add_flags(&[uid], &["\\Answered"]).await?;
                session.move_to(&[uid], &folders.answered).await?;
                moved = true;
                break;
            }
        }
        if !moved {
            // Already there: a repeat after a crash between the move and its record.
            session.select(&folders.answered).await?;
            let uids = uids_of_consultation(session, &s.consultation, max).await?;
            session.add_flags(&uids, &["\\Answered"]).await?;
            if uids.is_empty() {
                tracing::warn!(mailbox = %mailbox.name, ticket = %s.consultation.ticket, "answered consultation not found on the server; recorded anyway");
            }
        }
        shared
            .store
            .mark_answered(&s, &folders.answered, Utc::now())
            .await?;
        summary.filed += 1;
    }
    Ok(())
}
