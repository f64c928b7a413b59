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
    draft_link, final_answer_due, keywords_for, message_ids, names_its_attention, unit_mail_step,
    Decision, UnitMailFacts, UnitMailStep, UnitRank,
};

/// A unit's mail about a derivation, recognised at triage and carried out once filed.
#[derive(Debug, Clone)]
pub struct UnitMail {
    /// The derivation it answers (open, or already closed for a unit that writes again).
    pub derivation: Derivation,
    /// The consultation derived.
    pub consultation: Box<ConsultationRow>,
    /// What triaje does with it (the workflow's decision).
    pub step: UnitMailStep,
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
        self.step.flagged()
    }
}

/// A configured unit as the workflow's decisions see it.
fn rank(u: &Unit) -> UnitRank<'_> {
    UnitRank {
        name: &u.name,
        level: u.level,
        escalates_to: u.escalates_to.as_deref(),
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
                if names_its_attention(&unit.name, held.iter().map(|h| h.unit.as_str())) {
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
    let units: Vec<UnitRank> = office.config.units.iter().map(rank).collect();
    let recipients: Vec<UnitRank> = d
        .recipients
        .iter()
        .filter_map(|r| office.config.unit_by_address(r))
        .map(rank)
        .collect();
    let step = unit_mail_step(&UnitMailFacts {
        units: &units,
        holder: &derivation.unit,
        holder_level: derivation.level,
        state: derivation.state,
        answer_message_id: derivation.answer_message_id.as_deref(),
        message_id: d.message_id.as_deref(),
        sender: sender.map(|u| u.name.as_str()),
        recipients: &recipients,
        fresh_text: &d.fresh_text,
    });
    Ok(Some(UnitMail {
        derivation,
        consultation: Box::new(consultation),
        step,
        from: d.from_addr.clone(),
        fresh_text: d.fresh_text.clone(),
        message_id: d.message_id.clone(),
        received_at: d.received_at,
    }))
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
        let unit_name = office.config.unit_display_name(&d.unit);
        let by = || {
            format!(
                "{unit_name} ({})",
                mail.from.as_deref().unwrap_or(&d.unit_address)
            )
        };
        let higher = |to: &str| {
            let unit = office.config.unit(to);
            if unit.is_none() {
                // The decision picks among the configured units: only a unit removed since could be missing.
                tracing::warn!(mailbox = %mailbox.name, ticket = %c.ticket, to, "the unit to raise to is no longer configured");
            }
            unit
        };
        match &mail.step {
            UnitMailStep::AlreadyRecorded => {}
            UnitMailStep::WroteAgain => {
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
            UnitMailStep::RaisedByUnit { to } => {
                let Some(higher) = higher(to) else { continue };
                super::derivation_pass::record_raised_by_unit(
                    office,
                    &triage.calendar,
                    mailbox,
                    higher,
                    c,
                    d,
                    &by(),
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
            UnitMailStep::Raise { to } => {
                let Some(higher) = higher(to) else { continue };
                let Some((folder, uid)) = find_consultation(session, office, c).await? else {
                    tracing::warn!(mailbox = %mailbox.name, ticket = %c.ticket, "escalation asked, but the consultation's message is nowhere on the server");
                    continue;
                };
                session.select(&folder).await?;
                let Some(original) = session.fetch_one(uid).await? else {
                    continue;
                };
                derive(
                    office,
                    &triage.calendar,
                    mailbox,
                    higher,
                    c,
                    &original,
                    Some((d, &by(), &mail.fresh_text)),
                    Utc::now(),
                )
                .await?;
                if folder != folders.at_units {
                    session.move_to(&[uid], &folders.at_units).await?;
                }
                tracing::info!(mailbox = %mailbox.name, ticket = %c.ticket, from = %d.unit, to = %higher.name, "escalated to a higher unit");
            }
            UnitMailStep::Answer { asked_to_raise } => {
                let final_due =
                    final_answer_due(&triage.calendar, &mailbox.reception, mail.received_at);
                let detail = if *asked_to_raise {
                    format!(
                        "{unit_name} pidió elevar la consulta, pero no hay una unidad de nivel superior a la que \
                         elevarla (escalates_to): se trata como su respuesta; la respuesta final vence el {}",
                        crate::spanish::day_date_time(&final_due)
                    )
                } else {
                    format!(
                        "{unit_name} respondió (nivel {}): la respuesta final al ciudadano vence el {} \
                         (el mismo día, manual 002 §9.3.3)",
                        d.level.number(),
                        crate::spanish::day_date_time(&final_due)
                    )
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
