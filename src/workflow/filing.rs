//! Where an answer to triaje's own mail or a message of a conversation is filed, and why it gets no
//! acknowledgement: the routing that overrides what the rules decided once the daemon has recognised the message
//! (a supervisor's verdict, a survey rating, a message joining a consultation's thread).

use chrono::Utc;

use crate::calendar::{deadline, BusinessCalendar, DeadlinePolicy, LIMA};
use crate::vocabulary::{AttentionKind, Availability, ThreadRole};
use crate::workflow::{AckSkip, Decision, UNIT_ANSWER_CATEGORY};

/// The category of an answer to a validation notice.
pub const VERDICT_CATEGORY: &str = "Validación legal";

/// The category of a rating sent by e-mail.
pub const RATING_CATEGORY: &str = "Encuesta de satisfacción";

/// An answer to a validation notice (the supervisor's, or a forged or stray one): never a consultation, never
/// acknowledged, filed beside the drafts the supervisor decides on (`returned_folder`).
pub fn file_as_verdict(d: &mut Decision, returned_folder: &str) {
    d.folder = returned_folder.to_string();
    d.category = VERDICT_CATEGORY.into();
    d.kind = AttentionKind::Consultation;
    d.area = None;
    d.ack_skip = Some(AckSkip::Followup.describe());
}

/// A survey rating by e-mail: filed with the answered consultations, never acknowledged.
pub fn file_as_rating(d: &mut Decision, answered_folder: &str) {
    d.folder = answered_folder.to_string();
    d.category = RATING_CATEGORY.into();
    d.kind = AttentionKind::Consultation;
    d.area = None;
    d.ack_skip = Some(AckSkip::Followup.describe());
}

/// A unit's mail about a derivation (002 §7.4.1.1: the unit answers the assistant; §9.3.3: a unit raises an
/// incident to the next level): never a consultation of its own, never acknowledged. An answer — or a request to
/// raise that triaje cannot carry out — goes to the units' answers (`unit_answers_folder`), where the assistant
/// sees it; an escalation triaje carries out (`escalated`) waits beside the consultation in the units' folder
/// (`at_units_folder`).
pub fn file_as_unit_mail(
    d: &mut Decision,
    escalated: bool,
    unit: &str,
    ticket: &str,
    unit_answers_folder: &str,
    at_units_folder: &str,
) {
    d.folder = if escalated {
        at_units_folder
    } else {
        unit_answers_folder
    }
    .to_string();
    d.category = UNIT_ANSWER_CATEGORY.into();
    d.ack_skip = Some(format!(
        "{}: mensaje de la unidad «{unit}» sobre la consulta {ticket}",
        AckSkip::Followup.describe(),
    ));
}

/// The consultation a message of a conversation joins, as far as filing it needs.
#[derive(Debug, Clone, Copy)]
pub struct ThreadTarget<'a> {
    /// The mailbox it arrived in.
    pub mailbox: &'a str,
    /// Its ticket.
    pub ticket: &'a str,
    /// Its category, which the message takes.
    pub category: &'a str,
    /// Its availability, which a follow-up question keeps.
    pub availability: Availability,
    /// Its kind of attention, which the message takes (it is filed beside it: the kind follows the folder).
    pub kind: AttentionKind,
    /// Its area, which the message takes.
    pub area: Option<&'a str>,
}

/// How a message of a conversation is recorded: in `folder` (beside the consultation, or where the follow-up
/// goes), under the conversation's category, and without an acknowledgement. A follow-up question is an attention
/// of its own: it keeps the conversation's availability, and its deadline counts from its own arrival by the
/// mailbox's `policy`.
pub fn file_in_thread(
    d: &mut Decision,
    role: ThreadRole,
    target: &ThreadTarget<'_>,
    folder: &str,
    calendar: &BusinessCalendar,
    policy: &DeadlinePolicy,
) {
    d.folder = folder.to_string();
    d.category = target.category.to_string();
    d.kind = target.kind;
    d.area = target.area.map(str::to_string);
    d.ack_skip = Some(no_acknowledgement_in_thread(role, target));
    if role == ThreadRole::FollowUp {
        d.availability = target.availability;
        let effective = d.effective_received_at.with_timezone(&LIMA);
        d.deadline_at = deadline(calendar, policy, d.availability, effective).with_timezone(&Utc);
    }
}

/// Why a message of a conversation gets no acknowledgement, for the register.
fn no_acknowledgement_in_thread(role: ThreadRole, target: &ThreadTarget<'_>) -> String {
    match role {
        ThreadRole::Copy => format!(
            "sin acuse: el mismo mensaje llegó también al buzón «{}» (consulta {})",
            target.mailbox, target.ticket
        ),
        ThreadRole::FollowUp => format!(
            "sin acuse: seguimiento de la consulta {} en la misma conversación",
            target.ticket
        ),
        ThreadRole::Addition => format!(
            "sin acuse: información adicional para la consulta {}",
            target.ticket
        ),
        ThreadRole::Thanks => format!(
            "sin acuse: agradecimiento o respuesta automática en la conversación de la consulta {}",
            target.ticket
        ),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone};

    use super::*;
    use crate::workflow::ConsultationRecord;

    fn lima(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        LIMA.with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .expect("valid")
            .with_timezone(&Utc)
    }

    /// What the rules decided for a message that turns out to belong to a conversation.
    fn decided() -> Decision {
        let at = lima(2026, 6, 10, 10);
        Decision {
            record: ConsultationRecord {
                message_id: Some("seguimiento@example.pe".into()),
                from_addr: Some("rosa@example.pe".into()),
                from_name: None,
                subject: "Re: mi consulta".into(),
                reply_to_addr: None,
                fingerprint: "00".into(),
                received_at: at,
                sender_date: None,
                effective_received_at: at,
                deadline_at: at,
                folder: "Por clasificar".into(),
                category: "Sin clasificar".into(),
                availability: Availability::Medium,
                rule: None,
                kind: AttentionKind::Consultation,
                area: None,
                error_reason: None,
            },
            explanation: String::new(),
            ack_skip: None,
            thread_ids: Vec::new(),
            fresh_text: String::new(),
            machine: None,
            content_fingerprint: None,
            automatic: false,
            recipients: Vec::new(),
        }
    }

    fn target() -> ThreadTarget<'static> {
        ThreadTarget {
            mailbox: "consultas",
            ticket: "CONS-2026-000001",
            category: "Registro SEACE",
            availability: Availability::High,
            kind: AttentionKind::Consultation,
            area: Some("SEACE"),
        }
    }

    fn policy() -> DeadlinePolicy {
        "disponibilidad".parse().expect("the default policy")
    }

    #[test]
    fn a_verdict_is_filed_with_the_returned_drafts_and_never_acknowledged() {
        let mut d = decided();
        file_as_verdict(&mut d, "Devueltas");
        assert_eq!(
            (d.folder.as_str(), d.category.as_str()),
            ("Devueltas", VERDICT_CATEGORY)
        );
        assert_eq!(d.ack_skip, Some(AckSkip::Followup.describe()));
    }

    #[test]
    fn a_rating_is_filed_with_the_answered_and_never_acknowledged() {
        let mut d = decided();
        file_as_rating(&mut d, "Respondidas");
        assert_eq!(
            (d.folder.as_str(), d.category.as_str()),
            ("Respondidas", RATING_CATEGORY)
        );
        assert_eq!(d.ack_skip, Some(AckSkip::Followup.describe()));
    }

    #[test]
    fn a_units_answer_is_flagged_for_the_assistant_and_an_escalation_waits_at_the_units() {
        let mut d = decided();
        file_as_unit_mail(
            &mut d,
            false,
            "seace",
            "CONS-2026-000001",
            "Respuestas de unidades",
            "En unidades",
        );
        assert_eq!(
            (d.folder.as_str(), d.category.as_str()),
            ("Respuestas de unidades", UNIT_ANSWER_CATEGORY)
        );
        let why = d.ack_skip.clone().unwrap_or_default();
        assert!(why.starts_with(&AckSkip::Followup.describe()), "{why}");
        assert!(
            why.contains("«seace»") && why.contains("CONS-2026-000001"),
            "{why}"
        );
        let mut d = decided();
        file_as_unit_mail(
            &mut d,
            true,
            "seace",
            "CONS-2026-000001",
            "Respuestas de unidades",
            "En unidades",
        );
        assert_eq!(d.folder, "En unidades");
        assert!(
            d.ack_skip.is_some(),
            "an escalation is never acknowledged either"
        );
    }

    #[test]
    fn an_addition_goes_beside_its_consultation_keeping_its_own_dates() {
        let mut d = decided();
        let before = d.deadline_at;
        let calendar = BusinessCalendar::peru_default();
        file_in_thread(
            &mut d,
            ThreadRole::Addition,
            &target(),
            "SEACE",
            &calendar,
            &policy(),
        );
        assert_eq!(
            (d.folder.as_str(), d.category.as_str()),
            ("SEACE", "Registro SEACE")
        );
        assert_eq!(d.availability, Availability::Medium);
        assert_eq!(d.deadline_at, before);
        let skip = d.ack_skip.expect("no acknowledgement");
        assert!(
            skip.contains("información adicional") && skip.contains("CONS-2026-000001"),
            "{skip}"
        );
    }

    #[test]
    fn a_follow_up_question_keeps_the_conversations_availability_and_counts_from_its_own_arrival() {
        let mut d = decided();
        let calendar = BusinessCalendar::peru_default();
        file_in_thread(
            &mut d,
            ThreadRole::FollowUp,
            &target(),
            "SEACE",
            &calendar,
            &policy(),
        );
        assert_eq!(d.availability, Availability::High);
        let expected = deadline(
            &calendar,
            &policy(),
            Availability::High,
            d.effective_received_at.with_timezone(&LIMA),
        );
        assert_eq!(d.deadline_at, expected.with_timezone(&Utc));
        assert!(d.ack_skip.expect("none").contains("seguimiento"));
    }

    #[test]
    fn every_role_says_why_no_acknowledgement_goes() {
        for role in [
            ThreadRole::FollowUp,
            ThreadRole::Addition,
            ThreadRole::Thanks,
            ThreadRole::Copy,
        ] {
            let reason = no_acknowledgement_in_thread(role, &target());
            assert!(
                reason.starts_with("sin acuse: ") && reason.contains("CONS-2026-000001"),
                "{reason}"
            );
        }
    }
}
