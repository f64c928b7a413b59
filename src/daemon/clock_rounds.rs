//! The mails sent at a time of day (the coordinator's daily mail, the incident coordinator's report): the loop
//! that looks at the clock every few seconds, runs the round, keeps going when it fails and stops on shutdown; and
//! the one way such a mail is written and queued.
//!
//! Each round decides by itself whether something is due (and the outbox keeps one message per `Message-ID`),
//! so a missed or repeated tick costs nothing.

use std::future::Future;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::{DaemonError, Office};
use crate::config::MailboxConfig;
use crate::mail::compose::{OutgoingAttachment, OutgoingMail};
use crate::mail::Address;
use crate::store::{NewOutgoing, OutgoingKind};

/// How often the clock is looked at.
const TICK: std::time::Duration = std::time::Duration::from_secs(20);

/// The MIME type of the workbooks these mails carry.
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Runs `round(now)` every [`TICK`] until `shutdown`; a failed round is logged as `what` and tried again at the
/// next tick.
pub async fn every_tick<F, Fut>(
    what: &'static str,
    mut shutdown: watch::Receiver<bool>,
    mut round: F,
) where
    F: FnMut(DateTime<Utc>) -> Fut,
    Fut: Future<Output = Result<(), DaemonError>>,
{
    loop {
        if let Err(e) = round(Utc::now()).await {
            tracing::warn!(error = %e, "{what} not queued; will retry");
        }
        tokio::select! {
            _ = tokio::time::sleep(TICK) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// A mail to one of the office's people, sent at a time of day.
pub struct TimedMail {
    /// Who receives it (the coordinator, the incident coordinator).
    pub to: String,
    /// Its `Message-ID`, made of its kind and day: the outbox keeps one message per id.
    pub message_id: String,
    /// The subject.
    pub subject: String,
    /// The text.
    pub text: String,
    /// The workbook attached, by file name, if any.
    pub workbook: Option<(String, Vec<u8>)>,
}

/// Queues `mail` from `mailbox` (its address, shown as «<name> (triaje)», and its SMTP account), marked
/// auto-generated so no one's auto-responder answers it, and rings the outbox. Returns whether it was queued
/// now (`false`: a message with its `Message-ID` was queued already).
pub async fn queue_timed_mail(
    office: &Office,
    mailbox: &MailboxConfig,
    mail: TimedMail,
    now: DateTime<Utc>,
) -> Result<bool, DaemonError> {
    let attachments = mail
        .workbook
        .into_iter()
        .map(|(name, content)| OutgoingAttachment {
            name,
            content_id: None,
            content_type: XLSX.into(),
            content,
        })
        .collect();
    let raw = OutgoingMail {
        from: Address {
            email: mailbox.address.clone(),
            name: Some(format!("{} (triaje)", mailbox.display_name)),
        },
        to: vec![Address {
            email: mail.to.clone(),
            name: None,
        }],
        cc: vec![],
        bcc: vec![],
        reply_to: None,
        subject: mail.subject,
        message_id: mail.message_id.clone(),
        in_reply_to: None,
        references: vec![],
        date: now,
        auto_submitted: Some("auto-generated"),
        extra_headers: vec![],
        text: mail.text,
        html: None,
        attachments,
    }
    .to_bytes()
    .map_err(|e| DaemonError::Compose(e.to_string()))?;
    let queued = office
        .store
        .enqueue(
            &NewOutgoing {
                mailbox: mailbox.name.clone(),
                kind: OutgoingKind::Notification,
                consultation_id: None,
                message_id: mail.message_id,
                envelope_from: mailbox.address.clone(),
                recipients: vec![mail.to],
                raw,
            },
            now,
        )
        .await?;
    if queued {
        office.outbox_wake.notify_one();
    }
    Ok(queued)
}
