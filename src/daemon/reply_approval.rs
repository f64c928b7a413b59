//! The supervisor's decisions on a Legal reply, whatever the channel: an approval (answer to the notice, the
//! notice's link, a drag to the approved folder) or a return with observations (an answer to the notice, a drag
//! to the returned folder). The workflow decides ([`Reply::approve`], [`Reply::send_back`]); this records the
//! step with the mail it causes in one transaction and says where the draft goes.

use chrono::{DateTime, Utc};

use super::reply_mail::{answer_supervisor, compose_reply, copies_said, note, outgoing};
use super::{DaemonError, Office};
use crate::config::MailboxConfig;
use crate::mail::compose::{domain_of, random_hex};
use crate::mail::{self, ParsedMail};
use crate::store::{NewOutgoing, OutgoingKind, ReplyRow};
use crate::workflow::message_ids;
use crate::workflow::{
    Approval, ApprovalAttempt, ApprovalChannel, DraftAuthor, DraftPlace, DragGuard, Effect, Reply,
};

/// Where a decided draft goes, and the note to put beside it there.
#[derive(Debug, Default)]
pub(super) struct Settled {
    /// The draft's place; `None`: leave it where it is.
    pub place: Option<DraftPlace>,
    /// A note for the assistant, to append to the place's folder.
    pub note: Option<Vec<u8>>,
    /// Whether a reply was queued for the citizen.
    pub queued: bool,
}

/// The ticket of the consultation reply `r` answers (empty when none).
pub(super) async fn ticket_of(office: &Office, r: &ReplyRow) -> Result<String, DaemonError> {
    Ok(match r.consultation_id {
        Some(id) => office
            .store
            .consultation_by_id(id)
            .await?
            .map(|c| c.ticket)
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// A recorded reply as the workflow's lifecycle sees it.
pub(super) fn as_workflow_reply(r: &ReplyRow) -> Reply {
    Reply {
        legal: r.legal,
        author: r.author.clone(),
        state: r.state,
        approval: match (&r.approved_by, r.approved_via) {
            (Some(by), Some(via)) => Some(Approval {
                by: by.clone(),
                via,
            }),
            (Some(by), None) => Some(Approval {
                by: by.clone(),
                via: ApprovalChannel::Mail,
            }),
            _ => None,
        },
        observations: r.observations.clone(),
    }
}

/// The parts of a step's effects the daemon carries out here.
struct Carry {
    history: Vec<String>,
    answers: Vec<String>,
    note: Option<String>,
    place: Option<DraftPlace>,
}

fn carry(effects: &[Effect]) -> Carry {
    let mut c = Carry {
        history: Vec::new(),
        answers: Vec::new(),
        note: None,
        place: None,
    };
    for e in effects {
        match e {
            Effect::History(h) => c.history.push(h.clone()),
            Effect::AnswerSupervisor(a) => c.answers.push(a.clone()),
            Effect::NoteForAssistant(n) => c.note = Some(n.clone()),
            Effect::MoveDraft(p) => c.place = Some(*p),
            // Queuing the reply and notifying are done by the callers that compose them.
            Effect::QueueReply | Effect::NotifySupervisor => {}
        }
    }
    c
}

fn answers(
    office: &Office,
    mailbox: &MailboxConfig,
    ticket: &str,
    r: &ReplyRow,
    texts: &[String],
    now: DateTime<Utc>,
) -> Result<Vec<NewOutgoing>, DaemonError> {
    let mut out = Vec::new();
    for t in texts {
        if let Some(o) = answer_supervisor(office, mailbox, ticket, r, t, now)? {
            out.push(o);
        }
    }
    Ok(out)
}

/// Who the draft says wrote it.
fn author_of_draft(parsed: &ParsedMail) -> (Option<String>, Option<String>, Option<String>) {
    (
        parsed.from.as_ref().map(|a| a.email.clone()),
        parsed.from.as_ref().and_then(|a| a.name.clone()),
        mail::signature(&parsed.body_text),
    )
}

/// An approval attempt on reply `r`, whose draft's bytes are `raw`.
#[allow(clippy::too_many_arguments)]
pub(super) async fn approve(
    office: &Office,
    mailbox: &MailboxConfig,
    r: &ReplyRow,
    raw: &[u8],
    channel: ApprovalChannel,
    from: Option<&str>,
    guard: &DragGuard,
    now: DateTime<Utc>,
) -> Result<Settled, DaemonError> {
    let Some(supervisor) = office.supervisor() else {
        return Ok(Settled {
            place: Some(DraftPlace::Validation),
            ..Settled::default()
        });
    };
    let consultation = match r.consultation_id {
        Some(id) => office.store.consultation_by_id(id).await?,
        None => None,
    };
    let Some(c) = consultation else {
        return Ok(Settled {
            place: Some(DraftPlace::Returned),
            ..Settled::default()
        });
    };
    let parsed = match mail::parse(raw) {
        Ok(p) => p,
        Err(_) => {
            return Ok(Settled {
                place: Some(DraftPlace::Returned),
                ..Settled::default()
            })
        }
    };
    let (address, name, signature) = author_of_draft(&parsed);
    let attempt = ApprovalAttempt {
        channel,
        from,
        guard,
        author: DraftAuthor {
            address: address.as_deref(),
            name: name.as_deref(),
            signature: signature.as_deref(),
        },
    };
    match as_workflow_reply(r).approve(&attempt, &supervisor) {
        Ok(t) => {
            let Some(approval) = t.reply.approval.clone() else {
                return Ok(Settled::default());
            };
            let parts = carry(&t.effects);
            let reply_id =
                message_ids::reply(&c.ticket, domain_of(&mailbox.address), &random_hex(12));
            let mail = compose_reply(office, mailbox, &c, raw, &parsed, reply_id, now)?;
            let out = outgoing(mailbox, OutgoingKind::Reply, Some(c.id), &mail)?;
            let also = answers(office, mailbox, &c.ticket, r, &parts.answers, now)?;
            let event = format!("{}{}", parts.history.join("\n"), copies_said(&mail));
            let done = office
                .store
                .approve_reply(r.id, &approval, &out, &also, &event, now)
                .await?;
            tracing::info!(mailbox = %mailbox.name, ticket = %c.ticket, via = approval.via.as_str(), done, "legal reply approved");
            office.outbox_wake.notify_one();
            Ok(Settled {
                place: Some(DraftPlace::Answered),
                note: None,
                queued: done,
            })
        }
        Err(refusal) => {
            let parts = carry(&refusal.effects);
            let also = answers(office, mailbox, &c.ticket, r, &parts.answers, now)?;
            let event = parts.history.join("\n");
            if channel == ApprovalChannel::Link {
                office.store.refuse_approval(r, &also, &event, now).await?;
            } else {
                office
                    .store
                    .reply_history(r.consultation_id, &also, &event, now)
                    .await?;
            }
            // The reason may name a person's address: the log says only which channel was refused.
            tracing::warn!(mailbox = %mailbox.name, ticket = %c.ticket, via = channel.as_str(), "approval refused");
            if !also.is_empty() {
                office.outbox_wake.notify_one();
            }
            let note = parts.note.and_then(|text| {
                note(
                    mailbox,
                    Some(&c.ticket),
                    Some(&parsed),
                    "Aprobación no válida",
                    &format!(
                        "El borrador de la consulta {} (buzón {}) no se envió al ciudadano:\n\n{text}\n",
                        c.ticket, mailbox.address
                    ),
                    now,
                )
            });
            Ok(Settled {
                place: parts.place,
                note,
                queued: false,
            })
        }
    }
}

/// The supervisor returns reply `r`: with his own words (an answer to the notice) or without (a drag to the
/// returned folder).
pub(super) async fn send_back(
    office: &Office,
    mailbox: &MailboxConfig,
    r: &ReplyRow,
    by: &str,
    observations: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Settled, DaemonError> {
    let ticket = ticket_of(office, r).await?;
    match as_workflow_reply(r).send_back(by, observations) {
        Ok(t) => {
            let parts = carry(&t.effects);
            let also = answers(office, mailbox, &ticket, r, &parts.answers, now)?;
            let text = t.reply.observations.clone().unwrap_or_default();
            office
                .store
                .return_reply(r.id, &text, &also, &parts.history.join("\n"), now)
                .await?;
            if !also.is_empty() {
                office.outbox_wake.notify_one();
            }
            tracing::info!(mailbox = %mailbox.name, %ticket, "legal reply returned with observations");
            let note = parts.note.and_then(|n| {
                note(
                    mailbox,
                    Some(&ticket),
                    None,
                    "Borrador observado",
                    &format!(
                        "La respuesta a la consulta {ticket} (buzón {}) volvió de validación legal:\n\n{n}\n\n\
                         Corríjala y deje el borrador corregido en la carpeta «{}».\n",
                        mailbox.address, office.config.folders.drafts
                    ),
                    now,
                )
            });
            Ok(Settled {
                place: parts.place,
                note,
                queued: false,
            })
        }
        Err(refusal) => {
            let parts = carry(&refusal.effects);
            let also = answers(office, mailbox, &ticket, r, &parts.answers, now)?;
            office
                .store
                .reply_history(r.consultation_id, &also, &parts.history.join("\n"), now)
                .await?;
            Ok(Settled::default())
        }
    }
}
