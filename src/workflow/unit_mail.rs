//! What triaje does with a unit's mail about a derivation, as a pure decision: close the derivation with the
//! unit's answer, forward the attention to a higher unit («ELEVAR»), record that the unit raised it itself, or
//! only note that a unit wrote again about an attention it no longer holds; and whether a unit's new message that
//! names a ticket is about that attention at all.
//!
//! 002 §7.4.1.1: the unit answers the assistant, the first level sends the final answer to the citizen the same
//! day; §9.3.3: «las direcciones de segundo nivel deben elevarla el mismo día en que la reciben» — to the unit
//! named after «ELEVAR» when it is of a higher level, else to the one the holder's `escalates_to` says.

use super::derivation::{unit_reply, UnitReply};
use crate::vocabulary::{DerivationState, UnitLevel};

/// A unit of the agency as these decisions see it (its `[[unit]]`: name, level, the unit it escalates to).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitRank<'a> {
    /// Its short name (`[[unit]] name`).
    pub name: &'a str,
    /// Its level of attention.
    pub level: UnitLevel,
    /// The unit it escalates to, by name.
    pub escalates_to: Option<&'a str>,
}

/// What the daemon knows of a unit's mail and of the derivation it concerns.
#[derive(Debug, Clone, Copy)]
pub struct UnitMailFacts<'a> {
    /// Every unit of the configuration.
    pub units: &'a [UnitRank<'a>],
    /// The unit holding the derivation the mail concerns, by name.
    pub holder: &'a str,
    /// The level the derivation was made at.
    pub holder_level: UnitLevel,
    /// Where that derivation stands.
    pub state: DerivationState,
    /// The `Message-ID` of the unit's answer that closed it, if one did.
    pub answer_message_id: Option<&'a str>,
    /// This mail's `Message-ID`.
    pub message_id: Option<&'a str>,
    /// The unit that wrote, when the sender's address is a unit's.
    pub sender: Option<&'a str>,
    /// The units among the mail's recipients (To, then Cc), in order.
    pub recipients: &'a [UnitRank<'a>],
    /// What the unit wrote now (quotes and signature removed).
    pub fresh_text: &'a str,
}

/// What triaje does with a unit's mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitMailStep {
    /// This very answer closed the derivation already (a round repeated after a crash): nothing more.
    AlreadyRecorded,
    /// The unit no longer holds the attention (it answered or raised it): a line in the history, nothing else.
    WroteAgain,
    /// The holder sent the attention to a higher unit itself, with the mailbox in copy: the higher unit holds it
    /// from now, and nothing is forwarded (it already has what the lower one sent).
    RaisedByUnit {
        /// The higher unit, by name.
        to: String,
    },
    /// The holder asked to raise it: triaje forwards it to the higher unit.
    Raise {
        /// The higher unit, by name.
        to: String,
    },
    /// The unit's answer: the derivation closes and the first level answers the citizen the same day.
    Answer {
        /// The unit wrote «ELEVAR», but there is no higher unit to raise it to: its mail is taken as its answer.
        asked_to_raise: bool,
    },
}

impl UnitMailStep {
    /// Whether the mail is flagged for the assistant (filed in the units' answers): everything but an
    /// escalation, which waits beside the consultation at the units.
    pub fn flagged(&self) -> bool {
        !matches!(
            self,
            UnitMailStep::RaisedByUnit { .. } | UnitMailStep::Raise { .. }
        )
    }
}

/// Decides what a unit's mail about a derivation asks of triaje.
pub fn unit_mail_step(facts: &UnitMailFacts<'_>) -> UnitMailStep {
    if facts.answer_message_id.is_some() && facts.answer_message_id == facts.message_id {
        return UnitMailStep::AlreadyRecorded;
    }
    if facts.state != DerivationState::Open {
        return UnitMailStep::WroteAgain;
    }
    // The holder addressing a higher unit itself (To or Cc, this mailbox in copy) raised it: 002 §9.3.3,
    // «elevarla el mismo día».
    if facts.sender == Some(facts.holder) {
        if let Some(higher) = facts
            .recipients
            .iter()
            .find(|u| u.level > facts.holder_level)
        {
            return UnitMailStep::RaisedByUnit {
                to: higher.name.to_string(),
            };
        }
    }
    match unit_reply(facts.fresh_text) {
        UnitReply::Answer => UnitMailStep::Answer {
            asked_to_raise: false,
        },
        UnitReply::Escalate { to } => {
            match raise_target(facts.units, facts.holder, facts.holder_level, to.as_deref()) {
                Some(higher) => UnitMailStep::Raise {
                    to: higher.to_string(),
                },
                None => UnitMailStep::Answer {
                    asked_to_raise: true,
                },
            }
        }
    }
}

/// Whether a unit's new message (not a reply to a forward) that names an attention's ticket in its subject is
/// about that attention: only when the unit that wrote (`sender`) held or holds it (`holders`: every unit it was
/// derived to), since anyone can type a ticket.
pub fn names_its_attention<'a>(sender: &str, holders: impl IntoIterator<Item = &'a str>) -> bool {
    holders.into_iter().any(|h| h == sender)
}

/// The unit an escalation of `holder` (derived at `holder_level`) goes to: the one `named` after «ELEVAR» when it
/// is a unit of a higher level, else the holder's `escalates_to`; `None` when there is none.
pub fn raise_target<'a>(
    units: &[UnitRank<'a>],
    holder: &str,
    holder_level: UnitLevel,
    named: Option<&str>,
) -> Option<&'a str> {
    let unit = |name: &str| units.iter().find(|u| u.name == name);
    if let Some(named) = named.and_then(unit).filter(|u| u.level > holder_level) {
        return Some(named.name);
    }
    unit(holder)
        .and_then(|u| u.escalates_to)
        .and_then(unit)
        .map(|u| u.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The directorate that escalates to the IT office, the one that escalates nowhere, and the IT office.
    const UNITS: [UnitRank<'static>; 3] = [
        UnitRank {
            name: "seace",
            level: UnitLevel::Second,
            escalates_to: Some("oti"),
        },
        UnitRank {
            name: "dtn",
            level: UnitLevel::Second,
            escalates_to: None,
        },
        UnitRank {
            name: "oti",
            level: UnitLevel::Third,
            escalates_to: None,
        },
    ];

    fn seace_writes(text: &'static str) -> UnitMailFacts<'static> {
        UnitMailFacts {
            units: &UNITS,
            holder: "seace",
            holder_level: UnitLevel::Second,
            state: DerivationState::Open,
            answer_message_id: None,
            message_id: Some("a1@seace.osce.test"),
            sender: Some("seace"),
            recipients: &[],
            fresh_text: text,
        }
    }

    #[test]
    fn elevar_goes_to_the_units_escalates_to_unless_a_higher_unit_is_named() {
        let second = UnitLevel::Second;
        assert_eq!(raise_target(&UNITS, "seace", second, None), Some("oti"));
        assert_eq!(
            raise_target(&UNITS, "seace", second, Some("oti")),
            Some("oti")
        );
        // A unit of the same level, or an unknown one, is not where an escalation goes.
        assert_eq!(
            raise_target(&UNITS, "seace", second, Some("dtn")),
            Some("oti")
        );
        assert_eq!(
            raise_target(&UNITS, "seace", second, Some("por")),
            Some("oti")
        );
        // The directorate without escalates_to names the IT office itself; with nobody named, nowhere to go.
        assert_eq!(
            raise_target(&UNITS, "dtn", second, Some("oti")),
            Some("oti")
        );
        assert_eq!(raise_target(&UNITS, "dtn", second, None), None);
        assert_eq!(raise_target(&UNITS, "oti", UnitLevel::Third, None), None);
        // A holder no longer in the configuration escalates only to a unit it names.
        assert_eq!(raise_target(&UNITS, "old", second, None), None);
        assert_eq!(
            raise_target(&UNITS, "old", second, Some("oti")),
            Some("oti")
        );
    }

    #[test]
    fn a_ticket_in_a_units_new_message_counts_only_from_a_unit_that_held_the_attention() {
        assert!(names_its_attention("oti", ["seace", "oti"]));
        assert!(names_its_attention("seace", ["seace", "oti"]));
        assert!(!names_its_attention("dtn", ["seace", "oti"]));
        assert!(!names_its_attention("seace", []));
    }

    #[test]
    fn a_units_answer_closes_the_derivation_and_is_flagged_for_the_assistant() {
        let step = unit_mail_step(&seace_writes("El proveedor ya fue habilitado."));
        assert_eq!(
            step,
            UnitMailStep::Answer {
                asked_to_raise: false
            }
        );
        assert!(step.flagged());
    }

    #[test]
    fn elevar_is_forwarded_by_triaje_to_the_higher_unit_and_waits_at_the_units() {
        let step = unit_mail_step(&seace_writes("ELEVAR\nEl certificado no carga."));
        assert_eq!(step, UnitMailStep::Raise { to: "oti".into() });
        assert!(!step.flagged());
    }

    #[test]
    fn elevar_with_no_higher_unit_is_taken_as_the_units_answer() {
        let facts = UnitMailFacts {
            holder: "dtn",
            sender: Some("dtn"),
            ..seace_writes("ELEVAR por favor")
        };
        let step = unit_mail_step(&facts);
        assert_eq!(
            step,
            UnitMailStep::Answer {
                asked_to_raise: true
            }
        );
        assert!(step.flagged());
    }

    #[test]
    fn the_holder_sending_it_to_a_higher_unit_itself_raised_it() {
        let oti = [UNITS[1], UNITS[2]];
        let facts = UnitMailFacts {
            recipients: &oti,
            ..seace_writes("Estimados OTI: les reenvío el caso.")
        };
        let step = unit_mail_step(&facts);
        assert_eq!(step, UnitMailStep::RaisedByUnit { to: "oti".into() });
        assert!(!step.flagged());
        // A unit of the same level in copy raises nothing: the mail is the holder's answer.
        let same_level = [UNITS[1]];
        let facts = UnitMailFacts {
            recipients: &same_level,
            ..seace_writes("Con copia a la DTN: el proveedor ya fue habilitado.")
        };
        assert_eq!(
            unit_mail_step(&facts),
            UnitMailStep::Answer {
                asked_to_raise: false
            }
        );
        // Someone else than the holder (a colleague's forward of it) does not raise it by writing to the IT
        // office: what it wrote is read as usual.
        let facts = UnitMailFacts {
            sender: None,
            recipients: &oti,
            ..seace_writes("Respuesta para el ciudadano.")
        };
        assert_eq!(
            unit_mail_step(&facts),
            UnitMailStep::Answer {
                asked_to_raise: false
            }
        );
    }

    #[test]
    fn a_unit_writing_about_an_attention_it_no_longer_holds_only_leaves_a_line_in_the_history() {
        for state in [DerivationState::Answered, DerivationState::Escalated] {
            let oti = [UNITS[2]];
            let facts = UnitMailFacts {
                state,
                recipients: &oti,
                ..seace_writes("ELEVAR a oti")
            };
            let step = unit_mail_step(&facts);
            assert_eq!(step, UnitMailStep::WroteAgain, "{state:?}");
            assert!(step.flagged());
        }
    }

    #[test]
    fn the_answer_that_closed_the_derivation_read_again_changes_nothing() {
        let facts = UnitMailFacts {
            state: DerivationState::Answered,
            answer_message_id: Some("a1@seace.osce.test"),
            ..seace_writes("El proveedor ya fue habilitado.")
        };
        let step = unit_mail_step(&facts);
        assert_eq!(step, UnitMailStep::AlreadyRecorded);
        assert!(step.flagged());
        // Another answer of the same unit is a new mail about a closed derivation.
        let facts = UnitMailFacts {
            message_id: Some("a2@seace.osce.test"),
            ..facts
        };
        assert_eq!(unit_mail_step(&facts), UnitMailStep::WroteAgain);
        // No Message-ID on either side is never «the same answer».
        let facts = UnitMailFacts {
            message_id: None,
            answer_message_id: None,
            ..facts
        };
        assert_eq!(unit_mail_step(&facts), UnitMailStep::WroteAgain);
    }
}
