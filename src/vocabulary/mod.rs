//! The office's words as types: what kind of attention a message asks for, what a consultation's availability,
//! state and acknowledgement are, what a later message of a thread is, which level of attention a unit is and
//! where a derivation to it stands, how a ticket is numbered, what the survey must reach and how long the
//! per-sender acknowledgement limit looks back.
//!
//! One file per word. Every module above the edge (`rules`, `calendar`, `workflow`, `report`, `web`) speaks
//! these types; the store keeps its columns as text and converts at its edge with `as_str()` and `FromStr`,
//! which refuses a word it does not know. Pure: no I/O, no clock.

mod acknowledgement_state;
mod acknowledgement_window;
mod attention_kind;
mod availability;
mod consultation_state;
mod derivation_state;
mod survey_rule;
mod thread_role;
mod ticket;
mod unit_level;

pub use acknowledgement_state::AcknowledgementState;
pub use acknowledgement_window::ACK_WINDOW;
pub use attention_kind::AttentionKind;
pub use availability::{Availability, ParseAvailabilityError};
pub use consultation_state::ConsultationState;
pub use derivation_state::DerivationState;
pub use survey_rule::{is_satisfied, SurveySummary, SATISFACTION_TARGET, SATISFIED_STARS};
pub use thread_role::ThreadRole;
pub use ticket::{format_ticket, ticket_year};
pub use unit_level::UnitLevel;

/// A stored word that is none of its type's spellings: the database was edited by hand or by a newer triaje.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{word} «{value}» desconocido: se esperaba uno de {expected}")]
pub struct UnknownWord {
    /// Which word (`estado de consulta`, `estado de acuse`, …).
    pub word: &'static str,
    /// The value found.
    pub value: String,
    /// The spellings accepted, comma-separated.
    pub expected: &'static str,
}
