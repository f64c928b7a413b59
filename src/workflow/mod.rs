//! The decisions of a consultation's life, as pure functions: what triage does with a message.
//!
//! Nothing here speaks IMAP or SQL; the daemon feeds values in and carries the decisions out.

mod triage;

pub use triage::{decide, keywords_for, Decision, TriageContext, TriageInput};
