//! The decisions of a consultation's life, as pure functions: what triage does with a message, and which steps a
//! reply may take.
//!
//! Nothing here speaks IMAP or SQL; the daemon feeds values in and carries the decisions out.

mod acknowledge;
mod consultation_record;
mod derivation;
mod draft;
mod filing;
mod followup;
pub mod message_ids;
mod reply;
mod triage;
mod unit_mail;
mod verdict;

pub use acknowledge::{
    acknowledgement_due, acknowledgement_for, sender_key, AckInput, AckSkip, DueAck,
};
pub(crate) use consultation_record::embeds_consultation_record;
pub use consultation_record::ConsultationRecord;
pub use derivation::{
    dropped_step, final_answer_due, not_derivable, raised_days_late, unit_due, unit_late_at,
    unit_reply, DeriveRefusal, DropStep, UnitReply, ESCALATE_WORD, UNIT_ANSWER_CATEGORY,
};
pub use draft::{
    author_of, check_draft, draft_link, reply_subject, DraftFacts, DraftLink, DraftProblem,
    Standing,
};
pub use filing::{
    file_as_rating, file_as_unit_mail, file_as_verdict, file_in_thread, ThreadTarget,
    RATING_CATEGORY, VERDICT_CATEGORY,
};
pub use followup::{in_thread, is_bare_thanks, rating_in, InThread, ThreadFacts};
pub use verdict::{describe as describe_verdict, verdict_in, Verdict};

pub use reply::{
    check_approval, decide_draft, drag_guard, is_supervisor_authored, Approval, ApprovalAttempt,
    ApprovalChannel, ApprovalRefusal, DraftAuthor, DraftDecision, DraftInput, DraftPlace,
    DragGuard, Effect, Refusal, Reply, ReplyState, Supervisor, Transition,
};
pub use triage::{
    decide, fingerprint, keywords_for, Decision, KindFiling, MachineMail, TriageContext,
    TriageInput, AUTOMATIC_CATEGORY,
};
pub use unit_mail::{
    names_its_attention, raise_target, unit_mail_step, UnitMailFacts, UnitMailStep, UnitRank,
};
