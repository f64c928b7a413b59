//! The supervisor's answers to validation notices, arriving in the inbox: recognised by the notice's
//! `Message-ID` in their thread, recorded like any message (nothing is lost) but never as a consultation — no
//! ticket of their own in any count, no acknowledgement — filed beside the drafts they decide on, and then
//! carried out. A forged one (not from the supervisor) or a stray one (the reply was decided already) changes
//! nothing; the supervisor is told how his answer was read.

use chrono::{DateTime, Utc};

use super::reply_approval::{approve, send_back, ticket_of, Settled};
use super::reply_mail::answer_supervisor;
use super::{DaemonError, Office};
use crate::config::MailboxConfig;
use crate::imap::Session;
use crate::store::ReplyRow;
use crate::workflow::message_ids;
use crate::workflow::{verdict_in, ApprovalChannel, Decision, DragGuard, ReplyState, Verdict};

/// An answer to a validation notice.
#[derive(Debug, Clone)]
pub struct VerdictMail {
    /// The reply whose notice it answers.
    pub reply: Box<ReplyRow>,
    /// Who sent it (lower-case).
    pub from: String,
    /// What it says; `None` when it says nothing.
    pub verdict: Option<Verdict>,
}

/// Recognises an answer to a validation notice (whoever sent it); `None` for any other message.
pub async fn recognise(office: &Office, d: &Decision) -> Result<Option<VerdictMail>, DaemonError> {
    if d.error_reason.is_some() {
        return Ok(None);
    }
    for id in &d.thread_ids {
        if !message_ids::is_validation_notice(id) {
            continue;
        }
        if let Some(reply) = office.store.reply_by_notification(id).await? {
            return Ok(Some(VerdictMail {
                reply: Box::new(reply),
                from: d.from_addr.as_deref().unwrap_or("").to_ascii_lowercase(),
                verdict: verdict_in(&d.fresh_text),
            }));
        }
    }
    Ok(None)
}

/// Carries out recognised verdicts once their messages are recorded and filed. Leaves the session with some
/// other folder selected: the caller selects the inbox again.
pub async fn apply(
    session: &mut Session,
    office: &Office,
    mailbox: &MailboxConfig,
    verdicts: Vec<VerdictMail>,
    now: DateTime<Utc>,
) -> Result<(), DaemonError> {
    let folders = &office.config.folders;
    for v in verdicts {
        // Read again: an earlier verdict of this batch may have decided it.
        let Some(reply) = office.store.reply_by_id(v.reply.id).await? else {
            continue;
        };
        let ticket = ticket_of(office, &reply).await?;
        let supervisor = office.config.replies.supervisor.as_deref().unwrap_or("");
        if v.from != supervisor {
            office
                .store
                .reply_history(
                    reply.consultation_id,
                    &[],
                    &format!(
                        "respuesta al aviso de validación de {} ignorada: no es el supervisor configurado",
                        v.from
                    ),
                    now,
                )
                .await?;
            tracing::warn!(mailbox = %mailbox.name, %ticket, "answer to a validation notice from someone else: ignored");
            continue;
        }
        if reply.state != ReplyState::AwaitingValidation {
            tell(
                office,
                mailbox,
                &ticket,
                &reply,
                &format!(
                    "recibimos su mensaje, pero esa respuesta {}; no se cambió nada.",
                    reply.state.describe()
                ),
                now,
            )
            .await?;
            continue;
        }
        let Some(verdict) = v.verdict else {
            tell(
                office,
                mailbox,
                &ticket,
                &reply,
                "su respuesta no tenía texto: no se tomó ninguna decisión. Responda «Aprobado» para aprobar, o \
                 escriba sus observaciones para devolverla.",
                now,
            )
            .await?;
            continue;
        };
        let Some((uid, raw)) =
            super::replies_pass::find_draft(session, office, &folders.validation, &reply).await?
        else {
            tell(
                office,
                mailbox,
                &ticket,
                &reply,
                &format!(
                    "no se encontró el borrador en la carpeta «{}» (¿alguien lo movió?); no se cambió nada. \
                     Devuélvalo a esa carpeta y responda de nuevo al aviso.",
                    folders.validation
                ),
                now,
            )
            .await?;
            continue;
        };
        let settled: Settled = match verdict {
            Verdict::Approve => {
                approve(
                    office,
                    mailbox,
                    &reply,
                    &raw,
                    ApprovalChannel::Mail,
                    Some(&v.from),
                    &DragGuard::Guarded,
                    now,
                )
                .await?
            }
            Verdict::Return(observations) => {
                send_back(office, mailbox, &reply, &v.from, Some(&observations), now).await?
            }
        };
        super::replies_pass::settle(session, office, &folders.validation, uid, settled).await?;
    }
    Ok(())
}

/// Tells the supervisor why his answer changed nothing, and writes it in the history.
async fn tell(
    office: &Office,
    mailbox: &MailboxConfig,
    ticket: &str,
    r: &ReplyRow,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), DaemonError> {
    let also: Vec<_> = answer_supervisor(office, mailbox, ticket, r, text, now)?
        .into_iter()
        .collect();
    office
        .store
        .reply_history(
            r.consultation_id,
            &also,
            &format!("respuesta del supervisor sin efecto: {text}"),
            now,
        )
        .await?;
    office.outbox_wake.notify_one();
    Ok(())
}
