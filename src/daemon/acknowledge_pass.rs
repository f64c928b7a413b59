//! Queues the acknowledgements of what triage recorded: one per consultation, to people only, within the
//! per-sender hourly limit.
//!
//! It runs after each triage batch and at the start of every pass, so a consultation recorded just before a
//! crash still gets its acknowledgement; the store changes `ack` and writes the outbox row in one transaction,
//! and the outbox refuses a second row with the same `Message-ID`, so none is queued twice.

use std::collections::HashMap;

use chrono::Utc;

use super::{DaemonError, Office};
use crate::config::MailboxConfig;
use crate::mail::acknowledgement::{acknowledgement, AckFacts, AckTemplates};
use crate::mail::compose::domain_of;
use crate::spanish;
use crate::store::{AckResolution, NewOutgoing, OutgoingKind};
use crate::vocabulary::ACK_WINDOW;
use crate::workflow::message_ids;
use crate::workflow::{acknowledgement_due, sender_key, DueAck};

/// How many pending acknowledgements one round handles.
const ROUND: usize = 500;

/// Queues (or skips, with the reason recorded) every pending acknowledgement of `mailbox`. Returns how many
/// were queued, each with its kind's template. Nothing is acknowledged without templates (acknowledgements are
/// off).
pub async fn acknowledge_pending(
    office: &Office,
    template: Option<&AckTemplates>,
    mailbox: &MailboxConfig,
) -> Result<usize, DaemonError> {
    let Some(templates) = template else {
        return Ok(0);
    };
    let mut total = 0;
    loop {
        let pending = office
            .store
            .pending_acknowledgements(&mailbox.name, ROUND)
            .await?;
        if pending.is_empty() {
            return Ok(total);
        }
        let now = Utc::now();
        let limit = office.config.acknowledgement.per_sender_per_hour;
        // Acknowledgements queued in this round count against the limit too.
        let mut this_round: HashMap<String, u32> = HashMap::new();
        let mut items = Vec::with_capacity(pending.len());
        for p in &pending {
            let answer_to = p.reply_to_addr.as_deref().or(p.from_addr.as_deref());
            let earlier = match answer_to {
                Some(a) => {
                    office
                        .store
                        .acknowledgements_since(&a.to_ascii_lowercase(), now - ACK_WINDOW)
                        .await?
                }
                None => 0,
            };
            let key = sender_key(answer_to);
            let decision = acknowledgement_due(&DueAck {
                answer_to,
                own_addresses: &office.own_addresses,
                can_send: mailbox.smtp.is_some(),
                age: now - p.received_at,
                max_age_hours: office.config.acknowledgement.max_age_hours,
                sent_last_hour: earlier + this_round.get(&key).copied().unwrap_or(0),
                limit_per_hour: limit,
            });
            let resolution = match decision {
                Err(skip) => AckResolution::Skip(skip.describe()),
                Ok(to) => {
                    let facts = AckFacts {
                        ticket: p.ticket.clone(),
                        // A name that did not decode cleanly is left out rather than shown garbled.
                        citizen_name: p
                            .from_name
                            .clone()
                            .filter(|n| {
                                !n.trim().is_empty() && crate::mail::charset::presentable(n)
                            })
                            .unwrap_or_else(|| to.clone()),
                        citizen_address: to.clone(),
                        subject: p.subject.clone(),
                        message_id: p.message_id.clone(),
                        received: spanish::day_date_time(&p.received_at),
                        counts_from: spanish::day_date_time(&p.effective_received_at),
                        due: spanish::day_date_time(&p.deadline_at),
                        cutoff: mailbox.reception.cutoff.format("%H:%M").to_string(),
                        mailbox_name: mailbox.display_name.clone(),
                        mailbox_address: mailbox.address.clone(),
                        complaints_book: office.config.kinds.complaints_book.clone(),
                    };
                    // Each kind its own: an incident's is the first level's same-day answer (002 §9.3.3), a
                    // complaint's names the Libro de Reclamaciones (D.S. 007-2020-PCM).
                    let template = templates.for_kind(p.kind);
                    // One acknowledgement per consultation: its Message-ID is derived from the ticket only, so a
                    // round repeated after a crash produces the same id and the outbox keeps the first.
                    let message_id =
                        message_ids::acknowledgement(&p.ticket, domain_of(&mailbox.address));
                    match acknowledgement(template, &facts, message_id.clone(), now).to_bytes() {
                        Ok(raw) => {
                            *this_round.entry(key).or_default() += 1;
                            AckResolution::Queue(NewOutgoing {
                                mailbox: mailbox.name.clone(),
                                kind: OutgoingKind::Acknowledgement,
                                consultation_id: Some(p.id),
                                message_id,
                                // Null reverse path (RFC 3834 §3.3): a bounce of an acknowledgement must
                                // never come back and start a loop.
                                envelope_from: String::new(),
                                recipients: vec![to],
                                raw,
                            })
                        }
                        Err(e) => AckResolution::Skip(format!("sin acuse: {e}")),
                    }
                }
            };
            items.push((p.id, resolution));
        }
        let queued = office.store.resolve_acknowledgements(&items, now).await?;
        if queued > 0 {
            tracing::info!(mailbox = %mailbox.name, queued, "acknowledgements queued");
            office.outbox_wake.notify_one();
        }
        total += queued;
        if pending.len() < ROUND {
            return Ok(total);
        }
    }
}
