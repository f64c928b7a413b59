//! A unit's mail in the inbox about a derivation: its answer, or its request to raise the attention to the next
//! level. It is not a new consultation: it is recorded like every message (nothing is lost), never acknowledged,
//! and filed beside the consultation — an answer in `Respuestas de unidades`, flagged so the assistant sees it at
//! once, with the consultation moved there too; an escalation in `En unidades`, where the consultation waits for
//! the higher unit.
//!
//! Recognised by the thread (`In-Reply-To`/`References` naming the derivation's forward: a Reply from any
//! client, or a colleague's forward of it) or, from a unit's own address, by the ticket in the subject (a unit
//! that wrote a new message). 002 §7.4.1.1 and §9.3.3: the unit answers the assistant, the first level sends
//! the final answer to the citizen the same day; a second-level unit raises an incident to the third level the
//! same day it receives it.

use chrono::{DateTime, Utc};

use super::derivation_pass::{derive, find_consultation};
use super::{DaemonError, Triage};
use crate::config::{MailboxConfig, Unit};
use crate::imap::Session;
use crate::store::{ConsultationRow, Derivation};
use crate::vocabulary::DerivationState;
use crate::workflow::{
    draft_link, final_answer_due, keywords_for, message_ids, unit_reply, Decision, UnitReply,
};

/// A unit's mail about a derivation, recognised at triage and carried out once filed.
#[derive(Debug, Clone)]
pub struct UnitMail {
    /// The derivation it answers (open, or already closed for a unit that writes again).
    pub derivation: Derivation,
    /// The consultation derived.
    pub consultation: Box<ConsultationRow>,
    /// What the unit wrote means.
    pub reply: UnitReply,
    /// The higher unit it goes to, for an escalation that has one.
    pub raise_to: Option<Unit>,
    /// The lower unit sent it to the higher one itself (this mail is its copy): triaje records the new holder
    /// and forwards nothing.
    pub forwarded_by_unit: bool,
    /// Who wrote (address), for the history.
    pub from: Option<String>,
    /// What the unit wrote now (for the higher unit's forward).
    pub fresh_text: String,
    /// Its `Message-ID`.
    pub message_id: Option<String>,
    /// When it reached the mailbox.
    pub received_at: DateTime<Utc>,
}

impl UnitMail {
    /// Whether it is flagged for the assistant: an answer (or a request to raise that cannot be carried out),
    /// not an escalation carried out by triaje.
    pub fn flagged(&self) -> bool {
        self.raise_to.is_none()
    }
}

/// Recognises a unit's mail about a derivation; `None` for anything else.
pub async fn recognise(triage: &Triage, d: &Decision) -> Result<Option<UnitMail>, DaemonError> {
    if d.error_reason.is_some() || d.machine.is_some() {
        return Ok(None);
    }
    let office = &triage.office;
    let store = &office.store;
    let sender = d
        .from_addr
        .as_deref()
        .and_then(|from| office.config.unit_by_address(from));
    // triaje's forwards are named by their ids; a lower unit's own forward to the higher one (recorded by its
    // Message-ID) is looked for only in mail from a unit, so a citizen's reply costs no lookup.
    let quoted: Vec<String> = d
        .thread_ids
        .iter()
        .filter(|id| sender.is_some() || message_ids::is_derivation(id))
        .cloned()
        .collect();
    let mut derivation = store.derivation_by_message_ids(&quoted).await?;
    if derivation.is_none() {
        // A unit's new message (a forward, a new mail) with the ticket in its subject: only from the address of a
        // unit that held or holds it (anyone can type a ticket); it concerns whoever holds it now.
        if let Some(unit) = sender {
            for ticket in draft_link(&d.subject, None, &[]).tickets {
                let Some(c) = store.consultation_by_ticket(&ticket).await? else {
                    continue;
                };
                let held = store.derivations_of(&[c.id]).await?;
                if held.iter().any(|h| h.unit == unit.name) {
                    if let Some(open) = store.open_derivation(c.id).await? {
                        derivation = Some(open);
                        break;
                    }
                }
            }
        }
    }
    let Some(mut derivation) = derivation else {
        return Ok(None);
    };
    // A reply to an escalated forward (the lower unit writing again, or the higher one answering its
    // colleague's forward) concerns whoever holds the attention now.
    if derivation.state == DerivationState::Escalated {
        if let Some(open) = store.open_derivation(derivation.consultation_id).await? {
            derivation = open;
        }
    }
    let Some(consultation) = store.consultation_by_id(derivation.consultation_id).await? else {
        return Ok(None);
    };
    // The holder addressing a higher unit itself (its forward or its reply, To or Cc, with this mailbox in
    // copy) raised it: the higher unit already has what it sent (002 §9.3.3, «elevarla el mismo día»).
    let addressed = sender
        .filter(|u| u.name == derivation.unit && derivation.state == DerivationState::Open)
        .and_then(|_| {
            d.recipients
                .iter()
                .filter_map(|r| office.config.unit_by_address(r))
                .find(|u| u.level > derivation.level)
                .cloned()
        });
    let (reply, raise_to, forwarded_by_unit) = match addressed {
        Some(higher) => (
            UnitReply::Escalate {
                to: Some(higher.name.clone()),
            },
            Some(higher),
            true,
        ),
        None => {
            let reply = unit_reply(&d.fresh_text);
            let raise_to = match (&reply, derivation.state) {
                (UnitReply::Escalate { to }, DerivationState::Open) => {
                    raise_target(&office.config, &derivation, to.as_deref())
                }
                _ => None,
            };
            (reply, raise_to, false)
        }
    };
    Ok(Some(UnitMail {
        derivation,
        consultation: Box::new(consultation),
        reply,
        raise_to,
        forwarded_by_unit,
        from: d.from_addr.clone(),
        fresh_text: d.fresh_text.clone(),
        message_id: d.message_id.clone(),
        received_at: d.received_at,
    }))
}

/// The unit an escalation goes to: the one named after «ELEVAR» when it is of a higher level, else the holder's
/// `escalates_to`.
fn raise_target(
    config: &crate::config::Config,
    derivation: &Derivation,
    named: Option<&str>,
) -> Option<Unit> {
    let holder_level = derivation.level;
    if let Some(unit) = named
        .and_then(|n| config.unit(n))
        .filter(|u| u.level > holder_level)
    {
        return Some(unit.clone());
    }
    config
        .unit(&derivation.unit)
        .and_then(|u| u.escalates_to.as_deref())
        .and_then(|n| config.unit(n))
        .cloned()
}

/// Carries out the units' mail once recorded and filed: closes the derivation with the answer's time and sets
/// the first level's same-day deadline, or derives to the higher unit; moves the consultation beside the answer.
/// Leaves some other folder selected.
pub async fn apply(
    session: &mut Session,
    triage: &Triage,
    mailbox: &MailboxConfig,
    mails: Vec<UnitMail>,
) -> Result<(), DaemonError> {
    let office = &triage.office;
    let folders = &office.config.folders;
    for mail in mails {
        let c = &mail.consultation;
        let d = &mail.derivation;
        let unit_name = office
            .config
            .unit(&d.unit)
            .map(|u| u.display_name.clone())
            .unwrap_or_else(|| d.unit.clone());
        let already = d.answer_message_id.is_some() && d.answer_message_id == mail.message_id;
        if d.state != DerivationState::Open || already {
            if !already {
                office
                    .store
                    .derivation_history(
                        c.id,
                        "unit_mail",
                        &format!(
                            "{unit_name} volvió a escribir sobre la consulta (archivado en «{}»)",
                            folders.unit_answers
                        ),
                        Utc::now(),
                    )
                    .await?;
            }
            continue;
        }
        match &mail.raise_to {
            Some(higher) if mail.forwarded_by_unit => {
                let by = format!(
                    "{unit_name} ({})",
                    mail.from.as_deref().unwrap_or(&d.unit_address)
                );
                super::derivation_pass::record_raised_by_unit(
                    office,
                    &triage.calendar,
                    mailbox,
                    higher,
                    c,
                    d,
                    &by,
                    mail.message_id.as_deref(),
                    Utc::now(),
                )
                .await?;
                if let Some((folder, uid)) = find_consultation(session, office, c).await? {
                    if folder != folders.at_units && folder != folders.answered {
                        session.move_to(&[uid], &folders.at_units).await?;
                    }
                }
                tracing::info!(mailbox = %mailbox.name, ticket = %c.ticket, from = %d.unit, to = %higher.name, "raised by the unit itself to a higher unit");
            }
            Some(higher) => {
                let Some((folder, uid)) = find_consultation(session, office, c).await? else {
                    tracing::warn!(mailbox = %mailbox.name, ticket = %c.ticket, "escalation asked, but the consultation's message is nowhere on the server");
                    continue;
                };
                session.select(&folder).await?;
                let Some(original) = session.fetch_one(uid).await? else {
                    continue;
                };
                let by = format!(
                    "{unit_name} ({})",
                    mail.from.as_deref().unwrap_or(&d.unit_address)
                );
                derive(
                    office,
                    &triage.calendar,
                    mailbox,
                    higher,
                    c,
                    &original,
                    Some((d, &by, &mail.fresh_text)),
                    Utc::now(),
                )
                .await?;
                if folder != folders.at_units {
                    session.move_to(&[uid], &folders.at_units).await?;
                }
                tracing::info!(mailbox = %mailbox.name, ticket = %c.ticket, from = %d.unit, to = %higher.name, "escalated to a higher unit");
            }
            None => {
                let final_due =
                    final_answer_due(&triage.calendar, &mailbox.reception, mail.received_at);
                let detail = match &mail.reply {
                    UnitReply::Answer => format!(
                        "{unit_name} respondió (nivel {}): la respuesta final al ciudadano vence el {} \
                         (el mismo día, manual 002 §9.3.3)",
                        d.level.number(),
                        crate::spanish::day_date_time(&final_due)
                    ),
                    UnitReply::Escalate { .. } => format!(
                        "{unit_name} pidió elevar la consulta, pero no hay una unidad de nivel superior a la que \
                         elevarla (escalates_to): se trata como su respuesta; la respuesta final vence el {}",
                        crate::spanish::day_date_time(&final_due)
                    ),
                };
                office
                    .store
                    .close_derivation(
                        d.id,
                        mail.message_id.as_deref(),
                        mail.received_at,
                        final_due,
                        &detail,
                    )
                    .await?;
                if let Some((folder, uid)) = find_consultation(session, office, c).await? {
                    if folder != folders.answered {
                        session.select(&folder).await?;
                        // The due date the assistant sees moves to the same day (the keyword follows the move).
                        let old = keywords_for(c.availability, c.deadline_at);
                        let new = keywords_for(c.availability, final_due);
                        let stale: Vec<&str> = old
                            .iter()
                            .filter(|k| !new.contains(k))
                            .map(String::as_str)
                            .collect();
                        session.remove_keywords(&[uid], &stale).await?;
                        session.add_keywords(&[(new, vec![uid])]).await?;
                        if folder != folders.unit_answers {
                            session.move_to(&[uid], &folders.unit_answers).await?;
                        }
                    }
                }
                tracing::info!(mailbox = %mailbox.name, ticket = %c.ticket, unit = %d.unit, "a unit answered");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::UnitLevel;

    fn config() -> crate::config::Config {
        let text = r#"
[[mailbox]]
name = "consultas"
address = "consultas@osce.test"
[mailbox.imap]
host = "127.0.0.1"
tls = "none"
username = "consultas@osce.test"

[[unit]]
name = "seace"
address = "seace@osce.test"
level = 2
escalates_to = "oti"

[[unit]]
name = "dtn"
address = "dtn@osce.test"
level = 2

[[unit]]
name = "oti"
address = "oti@osce.test"
level = 3
"#;
        crate::config::Config::from_toml_str_offline(text, "config.toml", std::path::Path::new("/"))
            .expect("valid")
    }

    fn held_by(unit: &str, level: UnitLevel) -> Derivation {
        let at = Utc::now();
        Derivation::open_for_tests(unit, level, at, at)
    }

    #[test]
    fn elevar_goes_to_the_units_escalates_to_unless_a_higher_unit_is_named() {
        let c = config();
        let name = |u: Option<Unit>| u.map(|u| u.name);
        assert_eq!(
            name(raise_target(&c, &held_by("seace", UnitLevel::Second), None)),
            Some("oti".into())
        );
        assert_eq!(
            name(raise_target(
                &c,
                &held_by("seace", UnitLevel::Second),
                Some("oti")
            )),
            Some("oti".into())
        );
        // A unit of the same level, or an unknown one, is not where an escalation goes.
        assert_eq!(
            name(raise_target(
                &c,
                &held_by("seace", UnitLevel::Second),
                Some("dtn")
            )),
            Some("oti".into())
        );
        assert_eq!(
            name(raise_target(
                &c,
                &held_by("seace", UnitLevel::Second),
                Some("por")
            )),
            Some("oti".into())
        );
        // The directorate without escalates_to names the IT office itself; with nobody named, nowhere to go.
        assert_eq!(
            name(raise_target(
                &c,
                &held_by("dtn", UnitLevel::Second),
                Some("oti")
            )),
            Some("oti".into())
        );
        assert_eq!(
            name(raise_target(&c, &held_by("dtn", UnitLevel::Second), None)),
            None
        );
        assert_eq!(
            name(raise_target(&c, &held_by("oti", UnitLevel::Third), None)),
            None
        );
    }
}
