//! Mail in the inbox that answers triaje's own mail: a citizen's rating by e-mail («4») and the supervisor's
//! verdict on a Legal reply («APROBADO», or observations). Such mail is recorded like any message (nothing is
//! ever lost) but filed beside what it answers, gets no acknowledgement, and then takes effect.

use chrono::{DateTime, Utc};

use super::replies_pass::{approve_by_mail, as_workflow_reply};
use super::{DaemonError, Shared};
use crate::config::MailboxConfig;
use crate::imap::Session;
use crate::store::{reply_state, ReplyRow};
use crate::web::RatingSource;
use crate::workflow::{rating_in, verdict_in, Decision, Verdict};

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
    /// The supervisor decided on a Legal reply.
    Verdict {
        /// The reply decided on.
        reply: Box<ReplyRow>,
        /// The decision.
        verdict: Verdict,
        /// The supervisor's address.
        by: String,
    },
}

/// Recognises an answer to triaje's own mail; `None` for an ordinary message.
pub async fn recognise(shared: &Shared, d: &Decision) -> Result<Option<Followup>, DaemonError> {
    if d.thread_ids.is_empty() || d.error_reason.is_some() {
        return Ok(None);
    }
    let from = d.from_addr.as_deref().unwrap_or("").to_ascii_lowercase();
    for id in &d.thread_ids {
        if id.starts_with("validacion.") {
            let Some(reply) = shared.store.reply_by_notification(id).await? else {
                continue;
            };
            // Only the configured supervisor decides; anyone else answering the notice is ordinary mail.
            let supervisor = shared.config.replies.supervisor.as_deref().unwrap_or("");
            if from != supervisor || reply.state != reply_state::AWAITING_VALIDATION {
                return Ok(None);
            }
            return Ok(verdict_in(&d.fresh_text).map(|verdict| Followup::Verdict {
                reply: Box::new(reply),
                verdict,
                by: from.clone(),
            }));
        }
        if id.starts_with("respuesta.") {
            let Some(reply) = shared.store.reply_by_message_id(id).await? else {
                continue;
            };
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

/// Carries out recognised follow-ups once their messages are recorded and filed. Leaves the session with some
/// other folder selected: the caller selects the inbox again.
pub async fn apply(
    session: &mut Session,
    shared: &Shared,
    mailbox: &MailboxConfig,
    followups: Vec<Followup>,
    now: DateTime<Utc>,
) -> Result<(), DaemonError> {
    let folders = &shared.config.folders;
    for f in followups {
        match f {
            Followup::Rating {
                consultation_id,
                rating,
            } => {
                let outcome = shared
                    .store
                    .record_rating(consultation_id, rating, RatingSource::Email, now)
                    .await?;
                tracing::info!(mailbox = %mailbox.name, consultation_id, rating, ?outcome, "survey answered by e-mail");
            }
            Followup::Verdict { reply, verdict, by } => {
                // The draft waits in the validation folder; find it by its Message-ID.
                session.select(&folders.validation).await?;
                let uids = match &reply.draft_message_id {
                    Some(id) => session.uids_with_message_id(id).await?,
                    None => Vec::new(),
                };
                match verdict {
                    Verdict::Approve => {
                        let Some(&uid) = uids.first() else {
                            tracing::warn!(mailbox = %mailbox.name, reply = reply.id, "approved draft not found in the validation folder");
                            continue;
                        };
                        let raw = session.fetch_raw(&[uid], false).await?;
                        let Some(draft) = raw.first() else { continue };
                        if approve_by_mail(shared, mailbox, &reply, &draft.raw, &by, now).await? {
                            session.move_to(&[uid], &folders.answered).await?;
                        }
                    }
                    Verdict::Return(observations) => {
                        if let Err(e) = as_workflow_reply(&reply).send_back(&by, &observations, now)
                        {
                            tracing::warn!(mailbox = %mailbox.name, reply = reply.id, reason = %e, "return refused");
                            continue;
                        }
                        if shared
                            .store
                            .return_reply(reply.id, &by, &observations, now)
                            .await?
                            && !uids.is_empty()
                        {
                            session.move_to(&uids, &folders.returned).await?;
                        }
                        tracing::info!(mailbox = %mailbox.name, reply = reply.id, "legal reply returned with observations");
                    }
                }
                shared.outbox_wake.notify_one();
            }
        }
    }
    Ok(())
}
