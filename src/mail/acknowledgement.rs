//! The acknowledgement a citizen receives: ticket, when the consultation counts as received, when it is due; and
//! its counterpart for the office, the ticket note filed beside the consultation in the shared mailbox.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::compose::{self, OutgoingMail};
use super::template::Template;
use super::Address;
use crate::vocabulary::AttentionKind;

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
    "libro_reclamaciones",
];

/// The acknowledgement of each kind of attention: a consultation's (`acuse.txt`), an incident's (the first
/// level's same-day answer, 002 §9.3.3), a complaint's (naming the Libro de Reclamaciones, D.S. 007-2020-PCM)
/// and a suggestion's (002 §9.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AckTemplates {
    /// `acuse.txt`.
    pub consultation: Template,
    /// `acuse-incidencia.txt`.
    pub incident: Template,
    /// `acuse-reclamo.txt`.
    pub complaint: Template,
    /// `acuse-sugerencia.txt`.
    pub suggestion: Template,
}

impl AckTemplates {
    /// The template for an attention of `kind`.
    pub fn for_kind(&self, kind: AttentionKind) -> &Template {
        match kind {
            AttentionKind::Consultation => &self.consultation,
            AttentionKind::Incident => &self.incident,
            AttentionKind::Complaint => &self.complaint,
            AttentionKind::Suggestion => &self.suggestion,
        }
    }
}

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
    /// Where the citizen files a complaint in the Libro de Reclamaciones (`[kinds.reclamo]`).
    pub complaints_book: String,
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
        ("libro_reclamaciones", facts.complaints_book.clone()),
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

/// Header that marks triaje's own notes in the shared mailbox (the ticket note beside a consultation, the note
/// beside a returned draft), so no pass ever takes one for a consultation, a draft or a correction.
pub const NOTE_HEADER: &str = "X-Triaje-Note";

/// What the ticket note beside a consultation says, already formatted for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketNoteFacts {
    /// `CONS-2026-000123`.
    pub ticket: String,
    /// The consultation's subject.
    pub subject: String,
    /// `Rosa Quispe <rosa@example.pe>`, or the address alone.
    pub citizen: String,
    /// The citizen's `Message-ID`: the note threads under it.
    pub message_id: Option<String>,
    /// Real arrival, formatted.
    pub received: String,
    /// Effective received time, formatted.
    pub counts_from: String,
    /// Deadline, formatted.
    pub due: String,
    /// `Alta`, `Media` or `Baja`.
    pub availability: String,
    /// Where it was filed.
    pub folder: String,
    /// For an incident, complaint or suggestion: its kind and area (`reclamo; área: RNP`); `None` for a
    /// consultation.
    pub kind: Option<String>,
    /// Whether the citizen was sent the acknowledgement.
    pub acknowledged: bool,
    /// The ticket of the consultation this one follows up, when it is a follow-up in a conversation.
    pub follows_up: Option<String>,
    /// The drafts folder (`Por enviar`), for the how-to line.
    pub drafts_folder: String,
    /// The mailbox's display name and address: the note is from and to the shared mailbox.
    pub mailbox_name: String,
    /// See `mailbox_name`.
    pub mailbox_address: String,
}

/// The ticket note: a short message filed (APPENDed) beside the consultation, threading under the citizen's
/// message (`In-Reply-To`, `References`, Outlook's `Thread-Topic`), whose subject shows ticket, due date and
/// availability in every client's message list and conversation view — Outlook included, which shows no IMAP
/// keywords. `date` is just after the consultation's arrival, so it sorts beside it.
pub fn ticket_note(
    facts: &TicketNoteFacts,
    message_id: String,
    date: DateTime<Utc>,
) -> OutgoingMail {
    let topic = compose::sanitize(strip_reply_prefixes(&facts.subject));
    let subject = format!(
        "[{}] Vence {} · {} · {}",
        facts.ticket,
        facts.due,
        facts.availability,
        if topic.is_empty() {
            "(sin asunto)"
        } else {
            &topic
        }
    );
    let mut text = format!(
        "Ficha de la consulta {ticket}\n\n\
         Ticket: {ticket}\n\
         Vence: {due}\n\
         Disponibilidad: {availability}\n\
         Carpeta: {folder}\n\
         Ciudadano: {citizen}\n\
         Asunto: {subject}\n\
         Recibida: {received}\n\
         Plazo contado desde: {counts_from}\n",
        ticket = facts.ticket,
        due = facts.due,
        availability = facts.availability,
        folder = facts.folder,
        citizen = facts.citizen,
        subject = compose::sanitize(&facts.subject),
        received = facts.received,
        counts_from = facts.counts_from,
    );
    if let Some(kind) = &facts.kind {
        text.push_str(&format!("Clase de atención: {kind}\n"));
    }
    if let Some(first) = &facts.follows_up {
        text.push_str(&format!(
            "Seguimiento de: {first} (el ciudadano volvió a escribir después de la respuesta)\n"
        ));
    }
    text.push_str(if facts.acknowledged {
        "Acuse de recibo: enviado al ciudadano con este número.\n"
    } else {
        "Acuse de recibo: no se envió (el motivo está en el historial de la consulta).\n"
    });
    text.push_str(&format!(
        "\nPara responder, use «Responder» sobre el mensaje del ciudadano (no sobre esta ficha) y deje el \
         borrador en «{}».\nEsta ficha la archivó triaje junto a la consulta; no es un mensaje del ciudadano ni \
         un borrador, y sigue a la consulta si la mueve de carpeta.\n",
        facts.drafts_folder
    ));
    OutgoingMail {
        from: Address {
            email: facts.mailbox_address.clone(),
            name: Some(format!("triaje ({})", facts.mailbox_name)),
        },
        to: vec![Address {
            email: facts.mailbox_address.clone(),
            name: Some(facts.mailbox_name.clone()),
        }],
        cc: Vec::new(),
        bcc: Vec::new(),
        reply_to: None,
        subject,
        message_id,
        in_reply_to: facts.message_id.clone(),
        references: facts.message_id.iter().cloned().collect(),
        date,
        auto_submitted: Some("auto-generated"),
        extra_headers: vec![
            (NOTE_HEADER.into(), "ficha de la consulta".into()),
            ("X-Triaje-Ticket".into(), facts.ticket.clone()),
            ("Thread-Topic".into(), topic.to_string()),
        ],
        text,
        html: None,
        attachments: vec![],
    }
}

/// The subject without the `RE:`/`RV:`/`FW:` prefixes mail clients add (Outlook's conversation topic).
fn strip_reply_prefixes(subject: &str) -> &str {
    let mut s = subject.trim();
    loop {
        let lower = s.to_ascii_lowercase();
        match ["re:", "rv:", "fw:", "fwd:", "res:", "aw:", "tr:"]
            .iter()
            .find(|p| lower.starts_with(*p))
        {
            Some(p) => s = s[p.len()..].trim_start(),
            None => return s,
        }
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
            complaints_book: "https://reclamos.example.test/osce".into(),
        }
    }

    fn shipped(name: &str) -> Template {
        let path = format!("{}/rules/templates/{name}", env!("CARGO_MANIFEST_DIR"));
        Template::load(std::path::Path::new(&path), ACK_PLACEHOLDERS).unwrap()
    }

    #[test]
    fn a_complaint_is_told_about_the_libro_de_reclamaciones_and_its_thirty_days() {
        let mail = acknowledgement(
            &shipped("acuse-reclamo.txt"),
            &facts(),
            "a@osce.test".into(),
            Utc::now(),
        );
        assert!(
            mail.subject
                .starts_with("Recibimos su reclamo CONS-2026-000123"),
            "{}",
            mail.subject
        );
        assert!(
            mail.text.contains("Libro\nde Reclamaciones")
                || mail.text.contains("Libro de Reclamaciones"),
            "{}",
            mail.text
        );
        assert!(
            mail.text.contains("https://reclamos.example.test/osce"),
            "{}",
            mail.text
        );
        assert!(mail.text.contains("007-2020-PCM"), "{}", mail.text);
        assert!(mail.text.contains("lun 07/12/2026"), "{}", mail.text);
    }

    #[test]
    fn an_incident_is_told_the_same_day_that_it_was_reported() {
        let mail = acknowledgement(
            &shipped("acuse-incidencia.txt"),
            &facts(),
            "a@osce.test".into(),
            Utc::now(),
        );
        assert!(
            mail.subject
                .starts_with("Reportamos su incidencia CONS-2026-000123"),
            "{}",
            mail.subject
        );
        assert!(
            mail.text.contains("hoy mismo la hemos reportado"),
            "{}",
            mail.text
        );
        let mail = acknowledgement(
            &shipped("acuse-sugerencia.txt"),
            &facts(),
            "a@osce.test".into(),
            Utc::now(),
        );
        assert!(
            mail.text.contains("le comunicará el resultado"),
            "{}",
            mail.text
        );
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

    fn note_facts() -> TicketNoteFacts {
        TicketNoteFacts {
            ticket: "CONS-2026-000123".into(),
            subject: "RE: Renovación RNP".into(),
            citizen: "Juan Pérez <juan@example.test>".into(),
            message_id: Some("q1@example.test".into()),
            received: "vie 20/11/2026 16:45".into(),
            counts_from: "lun 23/11/2026 08:30".into(),
            due: "lun 07/12/2026 23:59".into(),
            availability: "Media".into(),
            folder: "RNP".into(),
            kind: None,
            acknowledged: true,
            follows_up: None,
            drafts_folder: "Por enviar".into(),
            mailbox_name: "Consultas OSCE".into(),
            mailbox_address: "consultas@osce.test".into(),
        }
    }

    #[test]
    fn the_ticket_note_shows_ticket_due_date_and_availability_and_threads_with_the_consultation() {
        let mail = ticket_note(&note_facts(), "ficha.x@osce.test".into(), Utc::now());
        assert_eq!(
            mail.subject,
            "[CONS-2026-000123] Vence lun 07/12/2026 23:59 · Media · Renovación RNP"
        );
        assert_eq!(mail.in_reply_to.as_deref(), Some("q1@example.test"));
        let raw = mail.to_bytes().unwrap();
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        assert_eq!(
            parsed.header("X-Triaje-Note").and_then(|h| h.as_text()),
            Some("ficha de la consulta")
        );
        // Outlook groups a conversation by its topic: the citizen's subject without «RE:» (RFC 2047-encoded).
        assert!(parsed.header_raw("Thread-Topic").is_some());
        let text = parsed.body_text(0).unwrap();
        assert!(text.contains("Disponibilidad: Media"), "{text}");
        assert!(text.contains("«Por enviar»"), "{text}");
    }
}
