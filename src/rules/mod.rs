//! Routing rules: load `rules/*.toml`, check every rule before it takes effect, classify a message, explain why.
//!
//! Rules are tried in order (files by name, rules as written); the first that matches decides the folder, the
//! category and the availability class. A message no rule matches goes to «Por clasificar». Matching is case- and
//! accent-insensitive and looks at the citizen's fresh text, never at quoted replies or signatures.

mod error;
mod explain;
mod matcher;
mod rule_file;
mod rule_set;

pub use error::{RuleError, RuleErrors};
pub use explain::explain;
pub use matcher::normalize;
pub use rule_set::{Classification, Rule, RuleSet};

#[cfg(test)]
mod tests;
