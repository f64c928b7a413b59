//! The forward that derives a consultation to a unit: a short note of what is asked and by when, with the
//! citizen's message attached as it arrived (`message/rfc822`, untouched), the ticket in the subject and a
//! `Message-ID` in triaje's protocol, so the unit's answer — by Reply from any client — is recognised.
//! Pure: the daemon passes the facts and queues the bytes.

use chrono::{DateTime, Utc};

use super::compose::{sanitize, OutgoingAttachment, OutgoingMail};
use super::Address;
use crate::spanish;

/// What the forward says.
#[derive(Debug, Clone)]
pub struct ForwardToUnit<'a> {
    /// The consultation's ticket.
    pub ticket: &'a str,
    /// The citizen's subject.
    pub subject: &'a str,
    /// The citizen's address, when known.
    pub citizen: Option<&'a str>,
    /// When the consultation arrived.
    pub received_at: DateTime<Utc>,
    /// The unit's display name and address.
    pub unit_name: &'a str,
    /// See `unit_name`.
    pub unit_address: &'a str,
    /// 2 or 3.
    pub level: u8,
    /// Business days the unit has.
    pub deadline_days: u32,
    /// When the unit must answer.
    pub due_at: DateTime<Utc>,
    /// The unit this one may raise it to (display name), when it has one.
    pub escalates_to: Option<&'a str>,
    /// For an escalation: who raised it and what they wrote.
    pub raised_by: Option<(&'a str, &'a str)>,
    /// The shared mailbox: the forward is from it and the answer comes back to it.
    pub mailbox_name: &'a str,
    /// See `mailbox_name`.
    pub mailbox_address: &'a str,
    /// The forward's `Message-ID` (triaje's protocol).
    pub message_id: String,
    /// The citizen's message as it arrived.
    pub original: &'a [u8],
    /// When it is written.
    pub date: DateTime<Utc>,
}

/// «[CONS-2026-000123] Derivación: <asunto>».
pub fn forward_subject(ticket: &str, subject: &str) -> String {
    let topic = sanitize(subject);
    format!(
        "[{ticket}] Derivación: {}",
        if topic.is_empty() {
            "(sin asunto)"
        } else {
            &topic
        }
    )
}

/// The forward, ready to queue.
pub fn forward_to_unit(f: &ForwardToUnit<'_>) -> OutgoingMail {
    let level = match f.level {
        3 => "tercer nivel",
        _ => "segundo nivel",
    };
    let mut text = format!(
        "Derivación de la consulta {ticket} a {unit} ({level} de atención).\n\n\
         Se solicita: atender la consulta adjunta y responder a este correo (botón «Responder») con la \
         información para el ciudadano; la mesa de ayuda de {mailbox} se la remite el mismo día.\n\
         Plazo: a más tardar el {due} ({days} {day_word} hábiles).\n\n\
         Ticket: {ticket}\n\
         Asunto del ciudadano: {subject}\n\
         Ciudadano: {citizen}\n\
         Recibida en {mailbox}: {received}\n",
        ticket = f.ticket,
        unit = sanitize(f.unit_name),
        mailbox = f.mailbox_address,
        due = spanish::day_date_time(&f.due_at),
        days = f.deadline_days,
        day_word = if f.deadline_days == 1 { "día" } else { "días" },
        subject = sanitize(f.subject),
        citizen = f.citizen.unwrap_or("(sin remitente)"),
        received = spanish::day_date_time(&f.received_at),
    );
    if let Some((by, said)) = f.raised_by {
        text.push_str(&format!(
            "\nElevada por {}, que escribió:\n{}\n",
            sanitize(by),
            said.lines()
                .map(|l| format!("> {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    if let Some(higher) = f.escalates_to {
        text.push_str(&format!(
            "\nSi corresponde al siguiente nivel, responda a este correo escribiendo ELEVAR en la primera línea \
             (y el motivo debajo): triaje la deriva a {} el mismo día.\n",
            sanitize(higher)
        ));
    }
    text.push_str(
        "\nEl mensaje original del ciudadano va adjunto sin cambios. Conserve el número de ticket en el asunto \
         de su respuesta.\n",
    );
    OutgoingMail {
        from: Address {
            email: f.mailbox_address.to_string(),
            name: Some(f.mailbox_name.to_string()),
        },
        to: vec![Address {
            email: f.unit_address.to_string(),
            name: Some(f.unit_name.to_string()),
        }],
        cc: vec![],
        bcc: vec![],
        reply_to: None,
        subject: forward_subject(f.ticket, f.subject),
        message_id: f.message_id.clone(),
        in_reply_to: None,
        references: vec![],
        date: f.date,
        auto_submitted: None,
        extra_headers: vec![],
        text,
        html: None,
        attachments: vec![OutgoingAttachment {
            name: format!("{}.eml", f.ticket),
            content_type: "message/rfc822".into(),
            content: f.original.to_vec(),
            content_id: None,
        }],
    }
}

#[cfg(test)]
mod tests {
    use mail_parser::{MessageParser, MimeHeaders, PartType};

    use super::*;

    #[test]
    fn the_citizens_message_travels_byte_for_byte_under_the_ticket() {
        let original = "From: Rosa <rosa@example.pe>\r\nSubject: Constancia RNP\r\nMessage-ID: <q@example.pe>\r\n\
                        Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
                        ¿Cuándo sale mi constancia?\r\n"
            .as_bytes();
        let at = DateTime::from_timestamp(1_790_000_000, 0).unwrap();
        let mail = forward_to_unit(&ForwardToUnit {
            ticket: "CONS-2026-000123",
            subject: "Constancia RNP",
            citizen: Some("rosa@example.pe"),
            received_at: at,
            unit_name: "Subdirección del RNP",
            unit_address: "rnp@osce.test",
            level: 2,
            deadline_days: 5,
            due_at: at,
            escalates_to: Some("Oficina de Tecnologías de la Información"),
            raised_by: None,
            mailbox_name: "Consultas OSCE",
            mailbox_address: "consultas@osce.test",
            message_id: "derivacion.CONS-2026-000123.ab@osce.test".into(),
            original,
            date: at,
        });
        let raw = mail.to_bytes().unwrap();
        let window = raw.windows(original.len()).any(|w| w == original);
        assert!(window, "the original is not inside untouched");
        let parsed = MessageParser::default().parse(&raw).unwrap();
        assert_eq!(
            parsed.subject(),
            Some("[CONS-2026-000123] Derivación: Constancia RNP")
        );
        let attached = parsed
            .parts
            .iter()
            .find(|p| matches!(p.body, PartType::Message(_)))
            .expect("an attached message");
        assert!(attached
            .content_type()
            .is_some_and(|ct| ct.c_type == "message"));
        assert!(parsed.body_text(0).unwrap().contains("ELEVAR"));
    }
}
