//! Mail in the inbox that answers triaje's own mail: a citizen's rating by e-mail («4»). Such mail is recorded
//! like any message (nothing is ever lost) but filed beside what it answers, gets no acknowledgement, and then
//! takes effect. (The supervisor's verdicts on Legal replies are in [`super::verdicts`].)

use chrono::{DateTime, Utc};

use super::{DaemonError, Shared};
use crate::config::MailboxConfig;
use crate::imap::Session;
use crate::web::RatingSource;
use crate::workflow::{rating_in, Decision};

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
}

/// Recognises an answer to triaje's own mail; `None` for an ordinary message.
pub async fn recognise(shared: &Shared, d: &Decision) -> Result<Option<Followup>, DaemonError> {
    if d.thread_ids.is_empty() || d.error_reason.is_some() {
        return Ok(None);
    }
    for id in &d.thread_ids {
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
    let _ = session;
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
        }
    }
    Ok(())
}
