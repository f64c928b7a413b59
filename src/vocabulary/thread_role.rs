//! What a later message of a conversation is, as stored in `consultations.thread_role`.

use std::fmt;
use std::str::FromStr;

use super::UnknownWord;

/// What a later message of a thread is to the consultation it joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThreadRole {
    /// A new question after the answer: an attention of its own, with its own deadline.
    FollowUp,
    /// More information while the consultation is open: filed beside it, not an attention.
    Addition,
    /// A bare thanks or an automatic answer: closes nothing, opens nothing.
    Thanks,
    /// The same message delivered to another of the office's mailboxes: one attention, answered once.
    Copy,
}

impl ThreadRole {
    /// The stored spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            ThreadRole::FollowUp => "followup",
            ThreadRole::Addition => "addition",
            ThreadRole::Thanks => "thanks",
            ThreadRole::Copy => "copy",
        }
    }
}

impl fmt::Display for ThreadRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ThreadRole {
    type Err = UnknownWord;

    /// Back from the stored spelling; anything else is refused.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "followup" => ThreadRole::FollowUp,
            "addition" => ThreadRole::Addition,
            "thanks" => ThreadRole::Thanks,
            "copy" => ThreadRole::Copy,
            _ => {
                return Err(UnknownWord {
                    word: "papel en la conversación",
                    value: s.to_string(),
                    expected: "followup, addition, thanks, copy",
                })
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_reads_back_and_others_are_refused() {
        for role in [
            ThreadRole::FollowUp,
            ThreadRole::Addition,
            ThreadRole::Thanks,
            ThreadRole::Copy,
        ] {
            assert_eq!(role.as_str().parse::<ThreadRole>(), Ok(role));
        }
        assert!("reply".parse::<ThreadRole>().is_err());
    }
}
