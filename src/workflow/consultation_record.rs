//! The one record of a consultation: what triage decides about a message, what the store records and what it
//! reads back. Triage's `Decision`, the store's `NewConsultation` and `ConsultationRow` each embed it beside
//! the fields only they have, instead of copying it field by field.

use chrono::{DateTime, Utc};

use crate::vocabulary::{AttentionKind, Availability};

/// Who wrote, about what, when it counts from and is due, and where it is filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationRecord {
    /// The `Message-ID:` header, if any.
    pub message_id: Option<String>,
    /// The sender's address, if it could be parsed.
    pub from_addr: Option<String>,
    /// The sender's display name, if any (left out when its decoding is doubtful).
    pub from_name: Option<String>,
    /// The subject, decoded (empty when missing).
    pub subject: String,
    /// Where an answer goes when it is not `from_addr` (the `Reply-To` address).
    pub reply_to_addr: Option<String>,
    /// SHA-256 (hex) of the bytes fetched: recognises the same message after the server renumbers a folder,
    /// and tells it apart from another with the same `Message-ID` wherever the office has moved it.
    pub fingerprint: String,
    /// When the message reached the mailbox (INTERNALDATE).
    pub received_at: DateTime<Utc>,
    /// The sender's `Date:` header (informative only; never used for deadlines).
    pub sender_date: Option<DateTime<Utc>>,
    /// When the deadline starts counting (after the cut-off and non-business days).
    pub effective_received_at: DateTime<Utc>,
    /// When the answer is due.
    pub deadline_at: DateTime<Utc>,
    /// The IMAP folder it is filed into.
    pub folder: String,
    /// The reason for the consultation the rules gave it (for the indicators).
    pub category: String,
    /// How readily the office can answer it.
    pub availability: Availability,
    /// The rule that decided, if any.
    pub rule: Option<String>,
    /// The kind of attention (a consultation, or an incident, complaint or suggestion filed in its kind's
    /// folder).
    pub kind: AttentionKind,
    /// The area the folders' tally decided (SEACE, RNP, Legal), also for an incident, complaint or suggestion
    /// filed in its kind's folder; `None` when no area was sure (or for rows recorded before kinds).
    pub area: Option<String>,
    /// Why the message could not be processed (then `folder` is the errors folder).
    pub error_reason: Option<String>,
}

impl ConsultationRecord {
    /// Where an answer goes: `Reply-To` when the citizen gave one, else `From`.
    pub fn answer_address(&self) -> Option<&str> {
        self.reply_to_addr.as_deref().or(self.from_addr.as_deref())
    }
}

/// Lets a struct that embeds the record in a field `record` read and write the record's fields as its own
/// (`row.subject`, `decision.folder = …`): the record is part of it, not something it points to.
macro_rules! embeds_consultation_record {
    ($outer:ty) => {
        impl std::ops::Deref for $outer {
            type Target = $crate::workflow::ConsultationRecord;

            fn deref(&self) -> &Self::Target {
                &self.record
            }
        }

        impl std::ops::DerefMut for $outer {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.record
            }
        }
    };
}
pub(crate) use embeds_consultation_record;
