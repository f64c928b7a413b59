//! The decisions of a consultation's life, as pure functions: what triage does with a message, and which steps a
//! reply may take.
//!
//! Nothing here speaks IMAP or SQL; the daemon feeds values in and carries the decisions out.

mod acknowledge;
mod draft;
mod followup;
mod reply;
mod triage;

pub use acknowledge::{acknowledgement_for, AckInput, AckSkip};
pub use draft::{
    author_of, check_draft, draft_link, reply_subject, DraftFacts, DraftLink, DraftProblem,
};
pub use followup::{
    in_thread, is_bare_thanks, rating_in, verdict_in, InThread, ThreadFacts, Verdict,
};

pub use reply::{Reply, ReplyState, Step, TransitionError};
pub use triage::{decide, fingerprint, keywords_for, Decision, TriageContext, TriageInput};
