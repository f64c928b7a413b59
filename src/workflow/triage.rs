//! Triage of one message: parse, classify, date. Values in, a decision out.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::calendar::{self, Availability, BusinessCalendar, DeadlinePolicy, Reception, LIMA};
use crate::mail;
use crate::rules::{Classification, RuleSet};
use crate::workflow::acknowledge::{acknowledgement_for, AckInput};

/// Everything triage needs besides the message: the rules, the calendar and the mailbox's policies.
pub struct TriageContext<'a> {
    /// The routing rules in force.
    pub rules: &'a RuleSet,
    /// Business days.
    pub calendar: &'a BusinessCalendar,
    /// The mailbox's opening and cut-off.
    pub reception: &'a Reception,
    /// The mailbox's deadline policy.
    pub deadline: &'a DeadlinePolicy,
    /// Folder for messages no rule is sure about.
    pub unclassified_folder: &'a str,
    /// Folder for messages that cannot be processed.
    pub errors_folder: &'a str,
    /// Category recorded when no rule matched.
    pub default_category: &'a str,
    /// Availability when no rule matched.
    pub default_availability: Availability,
    /// Largest message processed whole.
    pub max_message_bytes: u64,
    /// Every address of the office's mailboxes (lower-case): their mail is never acknowledged.
    pub own_addresses: &'a [String],
}

/// One message as the server gave it.
pub struct TriageInput<'a> {
    /// The bytes fetched: the whole message, or only its header when it was over the size limit.
    pub raw: &'a [u8],
    /// RFC822.SIZE as the server reported it.
    pub size: u64,
    /// INTERNALDATE: when it reached the mailbox. Deadlines count from this, never from the sender's `Date:`.
    pub internal_date: Option<DateTime<Utc>>,
    /// When triage saw it; used only if the server gave no INTERNALDATE.
    pub now: DateTime<Utc>,
}

/// What triage decided for one message.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Target folder.
    pub folder: String,
    /// Reason for the consultation (for the indicators).
    pub category: String,
    /// Availability class.
    pub availability: Availability,
    /// The rule that matched, if any.
    pub rule: Option<String>,
    /// Why it matched, for the event log.
    pub explanation: String,
    /// When it reached the mailbox.
    pub received_at: DateTime<Utc>,
    /// The sender's `Date:` header (kept for the record, untrusted).
    pub sender_date: Option<DateTime<Utc>>,
    /// When it counts as received (cut-off and business days applied).
    pub effective_received_at: DateTime<Utc>,
    /// When it must be answered.
    pub deadline_at: DateTime<Utc>,
    /// Why it could not be processed (then `folder` is the errors folder).
    pub error_reason: Option<String>,
    /// `Message-ID`, when present.
    pub message_id: Option<String>,
    /// Sender address.
    pub from_addr: Option<String>,
    /// Sender display name.
    pub from_name: Option<String>,
    /// Subject (decoded).
    pub subject: String,
    /// SHA-256 of the bytes fetched: recognises the same message after the server renumbers a folder.
    pub fingerprint: String,
    /// `Reply-To` address, when the sender gave one: answers go there.
    pub reply_to_addr: Option<String>,
    /// Why the sender gets no acknowledgement whatever the hourly limit says (a machine, the office itself, a
    /// noreply sender, an unreadable message); `None` when one should be queued.
    pub ack_skip: Option<String>,
    /// `In-Reply-To` and `References` ids, most recent first: how an answer to triaje's own mail (a survey
    /// rating, the supervisor's verdict) is recognised.
    pub thread_ids: Vec<String>,
    /// The start of what the sender wrote now (at most 2 KB): a rating «4», the supervisor's observations.
    pub fresh_text: String,
    /// A machine sent it (auto-reply, bounce, list): in a conversation it closes nothing and opens nothing.
    pub automatic: bool,
}

/// Decides folder, category, availability, effective date and deadline for one message.
///
/// Never fails: a message that cannot be parsed or is too big still gets its dates and a record, and goes to
/// the errors folder with its reason, so nothing is lost and the office still sees when it must be answered.
pub fn decide(ctx: &TriageContext<'_>, input: &TriageInput<'_>) -> Decision {
    let received_at = input.internal_date.unwrap_or(input.now);
    let effective = calendar::effective_received_at(ctx.calendar, ctx.reception, received_at);
    let fingerprint = fingerprint(input.raw);
    let parsed = mail::parse(input.raw);
    let oversize = input.size > ctx.max_message_bytes;

    let (message_id, from_addr, from_name, subject, sender_date) = match &parsed {
        Ok(m) => (
            m.message_id.clone(),
            m.from.as_ref().map(|a| a.email.clone()),
            m.from.as_ref().and_then(|a| a.name.clone()),
            m.subject.clone(),
            m.date,
        ),
        Err(_) => (None, None, None, String::new(), None),
    };

    let error_reason = if oversize {
        Some(format!(
            "el mensaje mide {} y supera el máximo configurado de {} (triage.max_message_bytes); \
             se registró con sus encabezados y debe atenderse a mano",
            human_size(input.size),
            human_size(ctx.max_message_bytes)
        ))
    } else {
        parsed
            .as_ref()
            .err()
            .map(|e| format!("no se pudo leer el mensaje: {e}"))
    };

    let (folder, category, availability, rule, explanation) = match (&error_reason, &parsed) {
        (None, Ok(m)) => {
            let classification = ctx.rules.classify(&m.view());
            let explanation = crate::rules::explain(&classification);
            match classification {
                Classification::Matched {
                    rule,
                    folder,
                    category,
                    availability,
                    ..
                } => (folder, category, availability, Some(rule), explanation),
                Classification::Unmatched { .. } => (
                    ctx.unclassified_folder.to_string(),
                    ctx.default_category.to_string(),
                    ctx.default_availability,
                    None,
                    explanation,
                ),
            }
        }
        (reason, _) => (
            ctx.errors_folder.to_string(),
            "Error de procesamiento".to_string(),
            ctx.default_availability,
            None,
            reason.clone().unwrap_or_default(),
        ),
    };
    let deadline = calendar::deadline(ctx.calendar, ctx.deadline, availability, effective);
    let (thread_ids, fresh_text) = match &parsed {
        Ok(m) => {
            let mut ids: Vec<String> = m.in_reply_to.iter().cloned().collect();
            for r in m.references.iter().rev() {
                if !ids.contains(r) {
                    ids.push(r.clone());
                }
            }
            let mut end = m.fresh_text.len().min(2048);
            while !m.fresh_text.is_char_boundary(end) {
                end -= 1;
            }
            (ids, m.fresh_text[..end].to_string())
        }
        Err(_) => (Vec::new(), String::new()),
    };
    let reply_to_addr = parsed
        .as_ref()
        .ok()
        .and_then(|m| m.reply_to.as_ref())
        .map(|a| a.email.clone());
    // The hourly limit needs the outbox; everything else is decided here, once, and recorded.
    let ack_skip = acknowledgement_for(&AckInput {
        answer_to: reply_to_addr.as_deref().or(from_addr.as_deref()),
        auto: parsed.as_ref().ok().and_then(|m| m.auto_submitted),
        own_addresses: ctx.own_addresses,
        unprocessable: error_reason.is_some(),
        followup: false,
        sent_last_hour: 0,
        limit_per_hour: u32::MAX,
    })
    .err()
    .map(|skip| skip.describe());
    Decision {
        folder,
        category,
        availability,
        rule,
        explanation,
        received_at,
        sender_date,
        effective_received_at: effective.with_timezone(&Utc),
        deadline_at: deadline.with_timezone(&Utc),
        error_reason,
        message_id,
        from_addr,
        from_name,
        subject,
        fingerprint,
        reply_to_addr,
        ack_skip,
        thread_ids,
        fresh_text,
        automatic: parsed.as_ref().is_ok_and(|m| m.auto_submitted.is_some()),
    }
}

/// The IMAP keywords that make a filed message readable in a plain mail client: its availability and its due
/// date (`Alta`, `Vence_2026-11-25`).
///
/// Not its ticket: a server never forgets a keyword and sends a folder's whole keyword list again each time a
/// new one appears, so one keyword per message made a backlog of N messages cost N² bytes (and every client's
/// tag list grow for ever). Availabilities are three and due dates one per business day; the ticket is in the
/// acknowledgement, the reply's subject and the register.
pub fn keywords_for(availability: &str, deadline_at: DateTime<Utc>) -> Vec<String> {
    let due = deadline_at.with_timezone(&LIMA).format("%Y-%m-%d");
    vec![availability.to_string(), format!("Vence_{due}")]
}

/// SHA-256 (hex) of a message's bytes: recognises the same message again (after the server renumbers a folder,
/// or a draft seen again after a crash).
pub fn fingerprint(raw: &[u8]) -> String {
    hex(&Sha256::digest(raw))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.0} KB", (bytes as f64 / 1024.0).ceil())
    }
}
