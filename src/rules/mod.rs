//! Routing rules: load `rules/*.toml`, check every rule before it takes effect, classify a message, explain why.
//!
//! Every rule that matches adds its `score` to its folder (more where the word is in the citizen's new text or
//! a first message's subject, less when it is only in the subject of a reply), the learned opinion adds its
//! vote, and the folder with the highest total wins when it reaches the threshold and leads the runner-up by
//! the margin ([`Tally`]); otherwise the message goes to «Por clasificar». Matching is case- and
//! accent-insensitive and looks at the citizen's fresh text, never at quoted replies, signatures or legal
//! disclaimers.
//!
//! Rules with `kind = …` are evidence of the kind of attention (incident, complaint, suggestion), tallied
//! apart with its own threshold ([`KindDecision`]): the area is decided for every message, the kind beside it.

pub mod asking;
pub mod corpus;
mod error;
pub mod evaluation;
mod explain;
mod fx_hash;
mod inner_literals;
mod kind;
pub mod learned;
mod matcher;
mod regex_plan;
mod routing;
mod rule_file;
mod rule_set;
mod scratch;
mod shipped_regexes;
mod tally;
mod word_starts;
mod zones;

pub use error::{RuleError, RuleErrors};
pub use explain::explain;
pub use kind::{explain_kind, KindDecision};
pub use matcher::normalize;
pub use routing::{LearnedSettings, LogVote, Routing, LOG_FLOOR};
pub use rule_set::{Classification, Rule, RuleSet, LEARNED_RULE};
pub use tally::{explain_tally, points, LearnedEvidence, Outcome, RuleEvidence, Tally};
pub use zones::{is_reply_subject, without_disclaimers};

#[cfg(test)]
mod tests;
