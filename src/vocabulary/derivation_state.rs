//! Where a derivation to a unit stands, as stored in `derivations.state` (migration 0070).

use std::fmt;
use std::str::FromStr;

use super::UnknownWord;

/// Where a derivation to a unit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DerivationState {
    /// The unit holds the attention; its answer is awaited until the derivation's due date.
    Open,
    /// The unit answered; the first level sends the final answer the same day (002 §9.3.3).
    Answered,
    /// The unit raised it to a higher level, which holds it now (002 §9.3.3).
    Escalated,
}

impl DerivationState {
    /// The stored spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            DerivationState::Open => "open",
            DerivationState::Answered => "answered",
            DerivationState::Escalated => "escalated",
        }
    }
}

impl fmt::Display for DerivationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DerivationState {
    type Err = UnknownWord;

    /// Back from the stored spelling; anything else is refused.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "open" => DerivationState::Open,
            "answered" => DerivationState::Answered,
            "escalated" => DerivationState::Escalated,
            _ => {
                return Err(UnknownWord {
                    word: "estado de derivación",
                    value: s.to_string(),
                    expected: "open, answered, escalated",
                })
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_reads_back_and_others_are_refused() {
        for s in [
            DerivationState::Open,
            DerivationState::Answered,
            DerivationState::Escalated,
        ] {
            assert_eq!(s.as_str().parse::<DerivationState>(), Ok(s));
        }
        assert!("closed".parse::<DerivationState>().is_err());
    }
}
