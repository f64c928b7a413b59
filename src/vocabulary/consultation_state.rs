//! Where a recorded message stands in its life, as stored in `consultations.state`.

use std::fmt;
use std::str::FromStr;

use super::UnknownWord;

/// The state of a recorded message: a consultation on its way (recorded, filed, answered, in error) or a
/// message that is not one (an answer to triaje's own mail, machine mail).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsultationState {
    /// Recorded, not yet moved out of the inbox.
    Recorded,
    /// Moved to its folder.
    Filed,
    /// Could not be processed; goes (or went) to the errors folder with its reason.
    Error,
    /// Answered: the reply was accepted by the SMTP server and the message moved to the answered folder.
    Answered,
    /// Not a consultation: an answer to triaje's own mail (a survey rating, the supervisor's verdict), recorded
    /// so that nothing is lost, and due nowhere.
    Followup,
    /// Not a consultation: mail sent by a machine (auto-reply, bounce, list, bulk mail…), recorded so that
    /// nothing is lost, with its reason; no deadline, no acknowledgement, in no register or indicator.
    Automatic,
}

impl ConsultationState {
    /// The stored spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            ConsultationState::Recorded => "recorded",
            ConsultationState::Filed => "filed",
            ConsultationState::Error => "error",
            ConsultationState::Answered => "answered",
            ConsultationState::Followup => "followup",
            ConsultationState::Automatic => "automatic",
        }
    }

    /// Whether the message still waits for an answer that can be given: neither answered nor in error.
    pub fn is_answerable(self) -> bool {
        !matches!(self, ConsultationState::Answered | ConsultationState::Error)
    }
}

impl fmt::Display for ConsultationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ConsultationState {
    type Err = UnknownWord;

    /// Back from the stored spelling; anything else is refused.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "recorded" => ConsultationState::Recorded,
            "filed" => ConsultationState::Filed,
            "error" => ConsultationState::Error,
            "answered" => ConsultationState::Answered,
            "followup" => ConsultationState::Followup,
            "automatic" => ConsultationState::Automatic,
            _ => {
                return Err(UnknownWord {
                    word: "estado de consulta",
                    value: s.to_string(),
                    expected: "recorded, filed, error, answered, followup, automatic",
                })
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_reads_back_from_its_spelling() {
        for state in [
            ConsultationState::Recorded,
            ConsultationState::Filed,
            ConsultationState::Error,
            ConsultationState::Answered,
            ConsultationState::Followup,
            ConsultationState::Automatic,
        ] {
            assert_eq!(state.as_str().parse::<ConsultationState>(), Ok(state));
        }
    }

    #[test]
    fn an_unknown_state_is_refused_with_its_value() {
        let err = "archived".parse::<ConsultationState>().unwrap_err();
        assert!(err.to_string().contains("«archived»"), "{err}");
    }
}
