//! Derivation to the agency's units, as pure decisions: when a unit must answer, what the unit's mail means
//! (an answer, or a request to raise the attention to the next level), and the first level's deadline once the
//! unit has answered.
//!
//! The office's manual (seed 002) gives the steps: the assistant asks the unit, the unit answers the assistant,
//! the assistant answers the citizen (§7.4.1.1, «Cuando corresponde a un seguimiento…»: «La/el responsable del
//! órgano y unidad orgánica debe brindar la información solicitada por la/el asistente de atención a la
//! brevedad. La/el asistente de atención debe comunicar a la/el usuaria/o la respuesta»); the levels' limits and
//! the same-day rules are §9.3.3 («Sobre la respuesta de la incidencia a la/el usuaria/o»).

use chrono::{DateTime, Utc};

use crate::calendar::{
    deadline, effective_received_at, BusinessCalendar, DeadlinePolicy, Reception,
};
use crate::vocabulary::{Availability, ConsultationState};

/// The category the register gives a unit's mail (it is not an attention of its own).
pub const UNIT_ANSWER_CATEGORY: &str = "Respuesta de unidad";

/// The word a unit writes first in its answer to raise the attention to the next level.
pub const ESCALATE_WORD: &str = "ELEVAR";

/// When a unit with `days` business days must answer an attention derived to it at `now`: the end of the
/// `days`-th business day after the day the derivation counts from (002 §9.3.3: second level «máximo 05 (cinco)
/// días hábiles», third level the same maximum). A derivation after the mailbox's cut-off or on a non-business
/// day counts from the next business day's opening, as mail does (002 §7.4.1.1).
pub fn unit_due(
    calendar: &BusinessCalendar,
    reception: &Reception,
    days: u32,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let from = effective_received_at(calendar, reception, now);
    deadline(
        calendar,
        &DeadlinePolicy::BusinessDays(days),
        Availability::Medium,
        from,
    )
    .with_timezone(&Utc)
}

/// The first level's deadline for the final answer once the unit's answer arrived at `answered_at`: the end of
/// that business day (002 §9.3.3: «La respuesta final a la/el usuaria/o se remite al primer nivel de atención,
/// mediante el correo consultas@osce.gob.pe para ser remitida el mismo día»). An answer after the cut-off or on
/// a non-business day counts from the next business day, as any mail does (002 §7.4.1.1).
pub fn final_answer_due(
    calendar: &BusinessCalendar,
    reception: &Reception,
    answered_at: DateTime<Utc>,
) -> DateTime<Utc> {
    let from = effective_received_at(calendar, reception, answered_at);
    deadline(
        calendar,
        &DeadlinePolicy::BusinessDays(0),
        Availability::Medium,
        from,
    )
    .with_timezone(&Utc)
}

/// Whether a unit that must answer by `due_at` is late at `at` (now, while it holds the attention; the instant it
/// answered, once it has): only strictly after the due instant. `due_at` is already the end of the unit's last
/// business day ([`unit_due`], 002 §9.3.3 «máximo 05 (cinco) días hábiles»), so an answer at that very instant is
/// still within the days the manual gives. The one place this rule is written: the dashboard, the digests, the
/// reports and `triaje estado` all ask here.
pub fn unit_late_at(due_at: DateTime<Utc>, at: DateTime<Utc>) -> bool {
    due_at < at
}

/// Why a consultation in `state` cannot be derived to a unit, as the note on the message sent back says it
/// (after «El mensaje <ticket> …»); `None` when it can: only an attention still waiting for its answer (filed, or
/// recorded and about to be) is asked of a unit (002 §7.4.1.1).
pub fn not_derivable(state: ConsultationState) -> Option<&'static str> {
    Some(match state {
        ConsultationState::Filed | ConsultationState::Recorded => return None,
        ConsultationState::Answered => {
            "ya fue respondida al ciudadano (si volvió a escribir, derive su nuevo mensaje)"
        }
        ConsultationState::Automatic => "es correo automático (no es una consulta)",
        ConsultationState::Error => "no se pudo procesar (está en el historial con su motivo)",
        _ => "es un mensaje de una conversación o una respuesta, no una consulta por atender",
    })
}

/// What a unit's mail about a derivation means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitReply {
    /// The unit's answer for the citizen: the derivation closes and the first level answers the same day.
    Answer,
    /// The unit raises the attention to a higher level (002 §9.3.3: «las direcciones de segundo nivel deben
    /// elevarla el mismo día en que la reciben»): to the unit named after the word, or else to the one its
    /// `escalates_to` says.
    Escalate {
        /// The unit named after «ELEVAR» («ELEVAR a oti», «ELEVAR oti»), as written (lower case).
        to: Option<String>,
    },
}

/// Reads what the unit wrote (its fresh text, quotes and signature removed): «ELEVAR» as the first word of the
/// first line that has text asks for the next level; anything else is the answer.
pub fn unit_reply(fresh_text: &str) -> UnitReply {
    let Some(first) = fresh_text.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return UnitReply::Answer;
    };
    let mut words = first
        .split(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | '.' | ';'))
        .filter(|w| !w.is_empty());
    let Some(word) = words.next() else {
        return UnitReply::Answer;
    };
    if !word.eq_ignore_ascii_case(ESCALATE_WORD) {
        return UnitReply::Answer;
    }
    let to = words
        .find(|w| {
            !matches!(
                w.to_lowercase().as_str(),
                "a" | "al" | "la" | "el" | "unidad"
            )
        })
        .map(|w| w.to_lowercase());
    UnitReply::Escalate { to }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime, TimeZone};

    use super::*;
    use crate::calendar::LIMA;

    #[test]
    fn a_unit_is_late_only_after_its_due_instant() {
        let due = Utc.with_ymd_and_hms(2026, 3, 9, 22, 0, 0).unwrap();
        let second = chrono::Duration::seconds(1);
        // Still holding it: in time up to the due instant itself, late a second after.
        assert!(!unit_late_at(due, due - second));
        assert!(!unit_late_at(due, due));
        assert!(unit_late_at(due, due + second));
        // Answered: judged at the answer's instant, whatever the clock says now.
        let answered_in_time = due - chrono::Duration::hours(3);
        assert!(!unit_late_at(due, answered_in_time));
        let answered_late = due + chrono::Duration::days(1);
        assert!(unit_late_at(due, answered_late));
    }

    #[test]
    fn only_an_attention_still_waiting_for_its_answer_is_derived() {
        assert_eq!(not_derivable(ConsultationState::Filed), None);
        assert_eq!(not_derivable(ConsultationState::Recorded), None);
        let answered = not_derivable(ConsultationState::Answered).unwrap_or_default();
        assert!(answered.contains("ya fue respondida"), "{answered}");
        assert!(not_derivable(ConsultationState::Automatic).is_some());
        assert!(not_derivable(ConsultationState::Error).is_some());
    }

    fn lima(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        LIMA.from_local_datetime(
            &NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_time(NaiveTime::from_hms_opt(h, min, 0).unwrap()),
        )
        .unwrap()
        .with_timezone(&Utc)
    }

    fn shown(at: DateTime<Utc>) -> String {
        at.with_timezone(&LIMA)
            .format("%a %Y-%m-%d %H:%M")
            .to_string()
    }

    #[test]
    fn a_unit_with_five_days_derived_on_monday_morning_answers_by_next_monday() {
        let cal = BusinessCalendar::peru_default();
        let due = unit_due(&cal, &Reception::default(), 5, lima(2026, 6, 1, 10, 0));
        assert_eq!(shown(due), "Mon 2026-06-08 23:59");
    }

    #[test]
    fn a_derivation_after_the_cutoff_on_friday_counts_from_monday() {
        let cal = BusinessCalendar::peru_default();
        let due = unit_due(&cal, &Reception::default(), 2, lima(2026, 6, 5, 17, 0));
        // Counted from Monday 8 June: two business days later is Wednesday 10.
        assert_eq!(shown(due), "Wed 2026-06-10 23:59");
    }

    #[test]
    fn a_units_answer_at_noon_must_reach_the_citizen_the_same_day() {
        let cal = BusinessCalendar::peru_default();
        let due = final_answer_due(&cal, &Reception::default(), lima(2026, 6, 3, 12, 0));
        assert_eq!(shown(due), "Wed 2026-06-03 23:59");
    }

    #[test]
    fn a_units_answer_on_saturday_is_sent_on_monday() {
        let cal = BusinessCalendar::peru_default();
        let due = final_answer_due(&cal, &Reception::default(), lima(2026, 6, 6, 11, 0));
        assert_eq!(shown(due), "Mon 2026-06-08 23:59");
    }

    #[test]
    fn elevar_first_asks_for_the_next_level_and_names_the_unit_when_written() {
        assert_eq!(
            unit_reply("ELEVAR\nEs un problema de la plataforma."),
            UnitReply::Escalate { to: None }
        );
        assert_eq!(
            unit_reply("\n  Elevar a OTI: el certificado no carga"),
            UnitReply::Escalate {
                to: Some("oti".into())
            }
        );
        assert_eq!(
            unit_reply("El usuario ya fue desbloqueado; no hace falta elevar."),
            UnitReply::Answer
        );
        assert_eq!(unit_reply(""), UnitReply::Answer);
    }
}
