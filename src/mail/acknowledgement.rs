//! The acknowledgement a citizen receives: ticket, when the consultation counts as received, when it is due.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::compose::{self, OutgoingMail};
use super::template::Template;
use super::Address;

/// Placeholders the acknowledgement template may use.
pub const ACK_PLACEHOLDERS: &[&str] = &[
    "ticket",
    "nombre",
    "asunto",
    "recibido",
    "cuenta_desde",
    "vence",
    "hora_corte",
    "buzon",
    "direccion",
];

/// What the acknowledgement says, already formatted for people (dates in Lima time, in Spanish).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AckFacts {
    /// `CONS-2026-000123`.
    pub ticket: String,
    /// The citizen's name, or their address when they gave no name.
    pub citizen_name: String,
    /// Where the acknowledgement goes.
    pub citizen_address: String,
    /// The consultation's subject.
    pub subject: String,
    /// The consultation's `Message-ID` (threading), if any.
    pub message_id: Option<String>,
    /// Real arrival, formatted.
    pub received: String,
    /// Effective received time, formatted.
    pub counts_from: String,
    /// Deadline, formatted.
    pub due: String,
    /// The mailbox's cut-off (`16:30`).
    pub cutoff: String,
    /// The mailbox's display name, used as signature (`Consultas OSCE`).
    pub mailbox_name: String,
    /// The mailbox's address, the `From`.
    pub mailbox_address: String,
}

/// Builds the acknowledgement. `message_id` is decided by the caller (it is the outbox's idempotency key).
pub fn acknowledgement(
    template: &Template,
    facts: &AckFacts,
    message_id: String,
    now: DateTime<Utc>,
) -> OutgoingMail {
    let values: HashMap<&str, String> = HashMap::from([
        ("ticket", facts.ticket.clone()),
        ("nombre", facts.citizen_name.clone()),
        ("asunto", compose::sanitize(&facts.subject)),
        ("recibido", facts.received.clone()),
        ("cuenta_desde", facts.counts_from.clone()),
        ("vence", facts.due.clone()),
        ("hora_corte", facts.cutoff.clone()),
        ("buzon", facts.mailbox_name.clone()),
        ("direccion", facts.mailbox_address.clone()),
    ]);
    let mut subject = template.subject(&values);
    // The ticket in the subject is how a citizen's answer finds its consultation again: keep it even when an
    // administrator's template forgets it.
    if !subject.contains(&facts.ticket) {
        subject = format!("{subject} [{}]", facts.ticket);
    }
    OutgoingMail {
        from: Address {
            email: facts.mailbox_address.clone(),
            name: Some(facts.mailbox_name.clone()),
        },
        to: vec![Address {
            email: facts.citizen_address.clone(),
            name: None,
        }],
        cc: vec![],
        bcc: vec![],
        reply_to: None,
        subject,
        message_id,
        in_reply_to: facts.message_id.clone(),
        references: facts.message_id.iter().cloned().collect(),
        date: now,
        auto_submitted: Some("auto-replied"),
        extra_headers: vec![("X-Triaje-Ticket".into(), facts.ticket.clone())],
        text: template.body(&values),
        html: None,
        attachments: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped_template() -> Template {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/templates/acuse.txt");
        Template::load(std::path::Path::new(path), ACK_PLACEHOLDERS).unwrap()
    }

    fn facts() -> AckFacts {
        AckFacts {
            ticket: "CONS-2026-000123".into(),
            citizen_name: "Juan Pérez".into(),
            citizen_address: "juan@example.test".into(),
            subject: "Renovación RNP".into(),
            message_id: Some("q1@example.test".into()),
            received: "vie 20/11/2026 16:45".into(),
            counts_from: "lun 23/11/2026 08:30".into(),
            due: "lun 07/12/2026".into(),
            cutoff: "16:30".into(),
            mailbox_name: "Consultas OSCE".into(),
            mailbox_address: "consultas@osce.test".into(),
        }
    }

    #[test]
    fn the_shipped_acknowledgement_says_ticket_dates_and_is_marked_automatic() {
        let mail = acknowledgement(
            &shipped_template(),
            &facts(),
            "ack.x@osce.test".into(),
            Utc::now(),
        );
        assert!(
            mail.subject.contains("CONS-2026-000123"),
            "{}",
            mail.subject
        );
        for needle in [
            "Juan Pérez",
            "CONS-2026-000123",
            "lun 23/11/2026 08:30",
            "lun 07/12/2026",
            "16:30",
        ] {
            assert!(mail.text.contains(needle), "{needle} in {}", mail.text);
        }
        assert_eq!(mail.auto_submitted, Some("auto-replied"));
        assert_eq!(mail.in_reply_to.as_deref(), Some("q1@example.test"));
        let raw = mail.to_bytes().unwrap();
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        assert_eq!(
            parsed.header("Auto-Submitted").and_then(|h| h.as_text()),
            Some("auto-replied")
        );
    }

    #[test]
    fn the_ticket_stays_in_the_subject_even_if_the_template_drops_it() {
        let t =
            Template::parse("t", "Asunto: Gracias\n\nHola {{nombre}}", ACK_PLACEHOLDERS).unwrap();
        let mail = acknowledgement(&t, &facts(), "ack.x@osce.test".into(), Utc::now());
        assert_eq!(mail.subject, "Gracias [CONS-2026-000123]");
    }
}
