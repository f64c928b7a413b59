//! Derivation to the agency's units, as pure decisions: which dropped attention is derived (or sent back, and
//! why), when a unit must answer, whether it raised the attention the day it received it, what the unit's mail
//! means (an answer, or a request to raise the attention to the next level), and the first level's deadline once
//! the unit has answered. What triaje then does with a unit's mail is `unit_mail`.
//!
//! The office's manual (seed 002) gives the steps: the assistant asks the unit, the unit answers the assistant,
//! the assistant answers the citizen (§7.4.1.1, «Cuando corresponde a un seguimiento…»: «La/el responsable del
//! órgano y unidad orgánica debe brindar la información solicitada por la/el asistente de atención a la
//! brevedad. La/el asistente de atención debe comunicar a la/el usuaria/o la respuesta»); the levels' limits and
//! the same-day rules are §9.3.3 («Sobre la respuesta de la incidencia a la/el usuaria/o»).

use chrono::{DateTime, Utc};

use crate::calendar::{
    deadline, effective_received_at, BusinessCalendar, DeadlinePolicy, Reception, LIMA,
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

/// What triaje does with an attention an assistant dropped into a unit's derivation folder; `H` is what the
/// caller knows of the derivation that holds it already (handed back when that is the reason to refuse).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DropStep<H> {
    /// Forward it to the unit, record the derivation, file it in `En unidades`.
    Derive,
    /// This unit holds it already (recorded by a run that stopped before the move): only the move is left.
    OnlyMove,
    /// Send it back to the returned folder with a note saying why.
    Refuse(DeriveRefusal<H>),
}

/// Why a dropped attention is not derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeriveRefusal<H> {
    /// It is not an attention waiting for its answer ([`not_derivable`] says why, in the office's words).
    NotDerivable(&'static str),
    /// The mailbox has no account to send the forward with (`[mailbox.smtp]`).
    CannotSend,
    /// Another unit holds it already (this derivation): it is not derived to two units at once; that unit
    /// answers or raises it.
    HeldBy(H),
}

/// Decides what to do with an attention in `state` dropped into the derivation folder of `unit`, when the mailbox
/// can (`can_send`) or cannot send mail and `held_by` is the open derivation that holds it now, if any, with its
/// unit's name. A refusal says the first reason in this order: not derivable, no account to send, held by
/// another unit.
pub fn dropped_step<H>(
    state: ConsultationState,
    can_send: bool,
    held_by: Option<(&str, H)>,
    unit: &str,
) -> DropStep<H> {
    if let Some(what) = not_derivable(state) {
        return DropStep::Refuse(DeriveRefusal::NotDerivable(what));
    }
    if !can_send {
        return DropStep::Refuse(DeriveRefusal::CannotSend);
    }
    match held_by {
        Some((holder, _)) if holder == unit => DropStep::OnlyMove,
        Some((_, held)) => DropStep::Refuse(DeriveRefusal::HeldBy(held)),
        None => DropStep::Derive,
    }
}

/// How many business days after receiving an attention (derived to it at `derived_at`) a unit raised it at
/// `raised_at`: 0 when it raised it the same day (002 §9.3.3: «las direcciones de segundo nivel deben elevarla el
/// mismo día en que la reciben»). A derivation after the cut-off or on a non-business day counts as received
/// the next business day, as mail does (002 §7.4.1.1).
pub fn raised_days_late(
    calendar: &BusinessCalendar,
    reception: &Reception,
    derived_at: DateTime<Utc>,
    raised_at: DateTime<Utc>,
) -> i64 {
    let received = effective_received_at(calendar, reception, derived_at).date_naive();
    let raised = raised_at.with_timezone(&LIMA).date_naive();
    calendar.business_days_between(received, raised).max(0)
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

    #[test]
    fn a_dropped_attention_is_derived_only_when_waiting_sendable_and_held_by_no_other_unit() {
        let filed = ConsultationState::Filed;
        let step = |state, can_send, held_by: Option<&'static str>| {
            dropped_step(state, can_send, held_by.map(|u| (u, u)), "seace")
        };
        assert_eq!(step(filed, true, None), DropStep::Derive);
        assert_eq!(
            step(ConsultationState::Recorded, true, None),
            DropStep::Derive
        );
        assert_eq!(step(filed, true, Some("seace")), DropStep::OnlyMove);
        assert_eq!(
            step(filed, true, Some("rnp")),
            DropStep::Refuse(DeriveRefusal::HeldBy("rnp"))
        );
        assert_eq!(
            step(filed, false, None),
            DropStep::Refuse(DeriveRefusal::CannotSend)
        );
        // The first reason is the one said: an answered attention, even held and unsendable, is answered.
        assert_eq!(
            step(ConsultationState::Answered, false, Some("rnp")),
            DropStep::Refuse(DeriveRefusal::NotDerivable(
                not_derivable(ConsultationState::Answered).unwrap_or_default()
            ))
        );
        assert_eq!(
            step(filed, false, Some("seace")),
            DropStep::Refuse(DeriveRefusal::CannotSend)
        );
    }

    #[test]
    fn a_unit_raising_the_day_it_received_it_is_on_time_and_the_next_business_day_is_one_late() {
        let cal = BusinessCalendar::peru_default();
        let r = Reception::default();
        // Derived Wednesday 10:00: raised at 15:00 the same day, on Thursday, on the next Monday.
        let derived = lima(2026, 6, 3, 10, 0);
        assert_eq!(
            raised_days_late(&cal, &r, derived, lima(2026, 6, 3, 15, 0)),
            0
        );
        assert_eq!(
            raised_days_late(&cal, &r, derived, lima(2026, 6, 4, 9, 0)),
            1
        );
        assert_eq!(
            raised_days_late(&cal, &r, derived, lima(2026, 6, 8, 9, 0)),
            3
        );
    }

    #[test]
    fn a_derivation_after_the_cutoff_counts_as_received_the_next_business_day() {
        let cal = BusinessCalendar::peru_default();
        let r = Reception::default();
        // Derived Friday 17:00 (after the cut-off): raised on Monday is the same day it counts as received, and
        // raising it that Friday evening is not «early» either.
        let derived = lima(2026, 6, 5, 17, 0);
        assert_eq!(
            raised_days_late(&cal, &r, derived, lima(2026, 6, 8, 11, 0)),
            0
        );
        assert_eq!(
            raised_days_late(&cal, &r, derived, lima(2026, 6, 5, 18, 0)),
            0
        );
        assert_eq!(
            raised_days_late(&cal, &r, derived, lima(2026, 6, 9, 11, 0)),
            1
        );
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
