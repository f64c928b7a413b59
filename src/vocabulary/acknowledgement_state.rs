//! Whether a consultation's acknowledgement was sent, as stored in `consultations.ack`.

use std::fmt;
use std::str::FromStr;

use super::UnknownWord;

/// Where a consultation's acknowledgement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AcknowledgementState {
    /// An acknowledgement is still to be queued.
    Pending,
    /// The acknowledgement is in the outbox.
    Queued,
    /// No acknowledgement, for the reason in the event log.
    Skipped,
}

impl AcknowledgementState {
    /// The stored spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            AcknowledgementState::Pending => "pending",
            AcknowledgementState::Queued => "queued",
            AcknowledgementState::Skipped => "skipped",
        }
    }
}

impl fmt::Display for AcknowledgementState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AcknowledgementState {
    type Err = UnknownWord;

    /// Back from the stored spelling; anything else is refused.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "pending" => AcknowledgementState::Pending,
            "queued" => AcknowledgementState::Queued,
            "skipped" => AcknowledgementState::Skipped,
            _ => {
                return Err(UnknownWord {
                    word: "estado de acuse",
                    value: s.to_string(),
                    expected: "pending, queued, skipped",
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
        for state in [
            AcknowledgementState::Pending,
            AcknowledgementState::Queued,
            AcknowledgementState::Skipped,
        ] {
            assert_eq!(state.as_str().parse::<AcknowledgementState>(), Ok(state));
        }
        assert!("sent".parse::<AcknowledgementState>().is_err());
    }
}
