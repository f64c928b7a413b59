//! The decision for a draft seen for the first time: refuse it with its reasons, send it, or hold it for the
//! supervisor's validation. Pure: the daemon gathers the facts, this says what they mean.

use crate::workflow::draft::{check_draft, DraftFacts, DraftProblem};

use super::ReplyState;

/// Everything the decision looks at.
#[derive(Debug, Clone)]
pub struct DraftInput<'a> {
    /// The checks' facts (text, signature, recipients, the consultation's standing); `None` when the draft
    /// could not be linked to a consultation or read.
    pub facts: Option<DraftFacts<'a>>,
    /// Problems found before the checks (unreadable draft, no consultation, another mailbox's consultation).
    pub found: Vec<DraftProblem>,
    /// Whether the consultation is Legal: filed in a Legal folder according to the register **or** found in
    /// one on the server right now (the coordinator may have just moved it there).
    pub legal: bool,
    /// Whether a supervisor is configured.
    pub supervisor_configured: bool,
    /// The state of the consultation's reply already on its way, if any.
    pub open_reply: Option<ReplyState>,
}

/// What becomes of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftDecision {
    /// Returned to the assistant with every reason at once.
    Refuse(Vec<DraftProblem>),
    /// Queued for the citizen now (not Legal).
    Send,
    /// Held for the supervisor (Legal).
    AwaitValidation,
}

/// Decides a draft. A Legal draft is never sent from here: it can only wait for validation or be refused.
pub fn decide_draft(input: &DraftInput<'_>) -> DraftDecision {
    let mut problems = input.found.clone();
    if let Some(facts) = &input.facts {
        problems.extend(check_draft(facts));
    } else if problems.is_empty() {
        problems.push(DraftProblem::Unlinked);
    }
    match input.open_reply {
        Some(ReplyState::Queued) => problems.push(DraftProblem::ReplyQueued),
        Some(ReplyState::AwaitingValidation) => {
            problems.push(DraftProblem::ReplyAwaitingValidation)
        }
        _ => {}
    }
    if input.legal && !input.supervisor_configured {
        problems.push(DraftProblem::NoSupervisor);
    }
    if !problems.is_empty() {
        return DraftDecision::Refuse(problems);
    }
    if input.legal {
        DraftDecision::AwaitValidation
    } else {
        DraftDecision::Send
    }
}
