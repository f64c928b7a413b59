//! The reply a citizen receives (the assistant's draft, from the mailbox, threaded, with the survey) and the
//! notice a supervisor receives when a Legal reply waits for validation.

use chrono::{DateTime, Utc};
use mail_parser::{MessageParser, MimeHeaders};

use super::compose::{sanitize, OutgoingAttachment, OutgoingMail};
use super::Address;
use crate::spanish::escape_html;

/// What the assistant wrote: text, HTML (when their client wrote one), attached files and inline images, and
/// the copies she addressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftContent {
    /// text/plain body (derived from the HTML when the draft has only HTML).
    pub text: String,
    /// text/html body, when there is one.
    pub html: Option<String>,
    /// Attached files, whole; the images the HTML shows inline (`cid:`) keep their `Content-ID`.
    pub attachments: Vec<OutgoingAttachment>,
    /// `Cc` of the draft.
    pub cc: Vec<Address>,
    /// `Bcc` of the draft (clients keep it in the saved draft; it never reaches the message sent).
    pub bcc: Vec<Address>,
}

/// Reads the content of a draft; `None` when the bytes are not a message at all.
pub fn draft_content(raw: &[u8]) -> Option<DraftContent> {
    let m = MessageParser::default().parse(raw)?;
    let html = m.body_html(0).map(|h| h.into_owned());
    let text = match m.body_text(0) {
        Some(t) => t.into_owned(),
        None => html.as_deref().map(super::html_to_text).unwrap_or_default(),
    };
    let shown = |id: &str| {
        html.as_deref().is_some_and(|h| {
            let id = id.trim_matches(|c| c == '<' || c == '>');
            h.contains(&format!("cid:{id}"))
        })
    };
    let addresses = |value: Option<&mail_parser::Address<'_>>| -> Vec<Address> {
        value
            .map(|a| {
                a.iter()
                    .filter_map(|x| {
                        let email = x.address()?.trim().to_ascii_lowercase();
                        (!email.is_empty()).then(|| Address {
                            email,
                            name: x
                                .name()
                                .map(|n| n.trim().to_string())
                                .filter(|n| !n.is_empty()),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let attachments = m
        .attachments()
        .filter(|a| !a.is_message())
        .map(|a| OutgoingAttachment {
            content_id: a
                .content_id()
                .filter(|id| shown(id))
                .map(|id| id.trim_matches(|c| c == '<' || c == '>').to_string()),
            name: a.attachment_name().unwrap_or("adjunto").to_string(),
            content_type: a
                .content_type()
                .map(|c| match c.subtype() {
                    Some(sub) => format!("{}/{}", c.ctype(), sub),
                    None => c.ctype().to_string(),
                })
                .unwrap_or_else(|| "application/octet-stream".into()),
            content: a.contents().to_vec(),
        })
        .collect();
    Some(DraftContent {
        cc: addresses(m.cc()),
        bcc: addresses(m.bcc()),
        text,
        html,
        attachments,
    })
}

/// Who and what a reply is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyFacts {
    /// Ticket number.
    pub ticket: String,
    /// The citizen (the consultation's `Reply-To`, else `From`).
    pub citizen: Address,
    /// The subject, already `RE: … [TICKET]`.
    pub subject: String,
    /// The citizen's `Message-ID`.
    pub in_reply_to: Option<String>,
    /// The thread, oldest first (ending with the citizen's message).
    pub references: Vec<String>,
    /// The mailbox's display name.
    pub mailbox_name: String,
    /// The mailbox's address (the `From`).
    pub mailbox_address: String,
    /// The reply's own `Message-ID`.
    pub message_id: String,
}

/// The five survey links, 1 to 5 stars.
pub type SurveyLinks = [String; 5];

/// The reply: the draft's words, then the survey (five links and the alternative of answering with a number).
///
/// Without links (no web server configured) the survey is the number alternative alone.
pub fn reply(
    content: &DraftContent,
    facts: &ReplyFacts,
    links: Option<&SurveyLinks>,
    now: DateTime<Utc>,
) -> OutgoingMail {
    let mut text = content.text.trim_end().to_string();
    text.push_str("\n\n");
    text.push_str(&survey_text(&facts.ticket, links));
    let html = content
        .html
        .as_deref()
        .map(|h| insert_before_body_end(h, &survey_html(&facts.ticket, links)));
    OutgoingMail {
        from: Address {
            email: facts.mailbox_address.clone(),
            name: Some(facts.mailbox_name.clone()),
        },
        to: vec![facts.citizen.clone()],
        cc: content
            .cc
            .iter()
            .filter(|a| !a.email.eq_ignore_ascii_case(&facts.citizen.email))
            .cloned()
            .collect(),
        bcc: content.bcc.clone(),
        reply_to: None,
        subject: facts.subject.clone(),
        message_id: facts.message_id.clone(),
        in_reply_to: facts.in_reply_to.clone(),
        references: facts.references.clone(),
        date: now,
        auto_submitted: None,
        extra_headers: vec![("X-Triaje-Ticket".into(), facts.ticket.clone())],
        text,
        html: Some(
            html.unwrap_or_else(|| text_to_html(&content.text, &survey_html(&facts.ticket, links))),
        ),
        attachments: content.attachments.clone(),
    }
}

fn survey_text(ticket: &str, links: Option<&SurveyLinks>) -> String {
    let mut s = format!(
        "------------------------------------------------------------\n\
         ¿Cómo calificaría la atención de su consulta {ticket}?\n"
    );
    let Some(links) = links else {
        s.push_str("Responda a este correo escribiendo solo un número del 1 (muy mala) al 5 (excelente).\n");
        return s;
    };
    s.push_str("Elija de 1 (muy mala) a 5 (excelente): abra el enlace y confirme con el botón de la página:\n");
    for (i, link) in links.iter().enumerate() {
        let n = i + 1;
        let word = if n == 1 { "estrella" } else { "estrellas" };
        s.push_str(&format!("  {n} {word}: {link}\n"));
    }
    s.push_str("O responda a este correo escribiendo solo un número del 1 al 5.\n");
    s
}

fn survey_html(ticket: &str, links: Option<&SurveyLinks>) -> String {
    let mut s = format!(
        "<hr><p>¿Cómo calificaría la atención de su consulta {}?</p>",
        escape_html(ticket)
    );
    let Some(links) = links else {
        s.push_str("<p>Responda a este correo escribiendo solo un número del 1 (muy mala) al 5 (excelente).</p>");
        return s;
    };
    s.push_str("<p>Elija de 1 (muy mala) a 5 (excelente):</p><p>");
    for (i, link) in links.iter().enumerate() {
        let n = i + 1;
        let word = if n == 1 { "estrella" } else { "estrellas" };
        s.push_str(&format!(
            "<a href=\"{}\" aria-label=\"{n} {word} de 5\" style=\"font-size:1.4em;text-decoration:none;padding:0 .2em\">{}</a> ",
            escape_html(link),
            "★".repeat(n)
        ));
    }
    s.push_str("</p><p>O responda a este correo escribiendo solo un número del 1 al 5.</p>");
    s
}

fn insert_before_body_end(html: &str, block: &str) -> String {
    match html.to_ascii_lowercase().rfind("</body>") {
        Some(pos) => format!("{}{}{}", &html[..pos], block, &html[pos..]),
        None => format!("{html}{block}"),
    }
}

fn text_to_html(text: &str, block: &str) -> String {
    let paragraphs: Vec<String> = text
        .trim_end()
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", escape_html(p).replace('\n', "<br>")))
        .collect();
    format!(
        "<!DOCTYPE html><html lang=\"es\"><head><meta charset=\"utf-8\"></head><body>{}{}</body></html>",
        paragraphs.join(""),
        block
    )
}

/// What the supervisor's notice says about a Legal reply waiting for him.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeFacts<'a> {
    /// The supervisor's address.
    pub supervisor: &'a str,
    /// Ticket number.
    pub ticket: &'a str,
    /// The consultation's subject.
    pub consultation_subject: &'a str,
    /// Who wrote the draft.
    pub author: &'a str,
    /// The draft's text.
    pub draft_text: &'a str,
    /// The validation folder's name.
    pub validation_folder: &'a str,
    /// The approved folder's name.
    pub approved_folder: &'a str,
    /// Whether dragging to the approved folder counts (the server's ACL lets only the supervisor do it).
    pub drag_counts: bool,
    /// The one-click approval link (a page that asks to confirm), when a web server is configured.
    pub approval_link: Option<&'a str>,
    /// The mailbox's display name and address (the `From`).
    pub mailbox_name: &'a str,
    /// See `mailbox_name`.
    pub mailbox_address: &'a str,
}

/// The notice to the supervisor: the draft's text, and how to approve or return it from the mail client.
pub fn validation_notice(
    f: &NoticeFacts<'_>,
    message_id: String,
    now: DateTime<Utc>,
) -> OutgoingMail {
    let mut how = String::from(
        "Para APROBARLA: responda a este correo escribiendo «Aprobado» (puede añadir «puede enviarse» y su \
         firma)",
    );
    if let Some(link) = f.approval_link {
        how.push_str(&format!(
            ", o abra este enlace y confirme la aprobación en la página:\n  {link}\n"
        ));
    } else {
        how.push_str(".\n");
    }
    if f.drag_counts {
        how.push_str(&format!(
            "También puede mover el borrador de la carpeta «{}» a «{}».\n",
            f.validation_folder, f.approved_folder
        ));
    }
    let text = format!(
        "Hay una respuesta a una consulta legal esperando su validación.\n\n\
         Ticket: {ticket}\nConsulta: {subject}\nRedactada por: {author}\n\n\
         {how}\
         Para DEVOLVERLA con observaciones: responda a este correo escribiendo sus observaciones; el asistente \
         las verá junto al borrador. Todo lo que no sea claramente una aprobación se toma como observaciones, y \
         se le confirmará cómo se leyó su respuesta.\n\n\
         ---------------- Borrador ----------------\n{draft}\n",
        ticket = f.ticket,
        subject = sanitize(f.consultation_subject),
        author = f.author,
        draft = f.draft_text.trim_end(),
    );
    OutgoingMail {
        from: Address {
            email: f.mailbox_address.to_string(),
            name: Some(format!("{} (triaje)", f.mailbox_name)),
        },
        to: vec![Address {
            email: f.supervisor.to_string(),
            name: None,
        }],
        cc: vec![],
        bcc: vec![],
        reply_to: None,
        subject: format!("Validación legal pendiente: {}", f.ticket),
        message_id,
        in_reply_to: None,
        references: vec![],
        date: now,
        auto_submitted: Some("auto-generated"),
        extra_headers: vec![("X-Triaje-Ticket".into(), f.ticket.to_string())],
        text,
        html: None,
        attachments: vec![],
    }
}

#[allow(clippy::too_many_arguments)]
/// triaje's answer to the supervisor (how his answer was read, or why an approval did not count), threaded under
/// the notice.
pub fn supervisor_answer(
    supervisor: &str,
    ticket: &str,
    notice_id: Option<&str>,
    text: &str,
    mailbox_name: &str,
    mailbox_address: &str,
    message_id: String,
    now: DateTime<Utc>,
) -> OutgoingMail {
    OutgoingMail {
        from: Address {
            email: mailbox_address.to_string(),
            name: Some(format!("{mailbox_name} (triaje)")),
        },
        to: vec![Address {
            email: supervisor.to_string(),
            name: None,
        }],
        cc: vec![],
        bcc: vec![],
        reply_to: None,
        subject: format!("RE: Validación legal pendiente: {ticket}"),
        message_id,
        in_reply_to: notice_id.map(str::to_string),
        references: notice_id.map(str::to_string).into_iter().collect(),
        date: now,
        auto_submitted: Some("auto-replied"),
        extra_headers: vec![("X-Triaje-Ticket".into(), ticket.to_string())],
        text: format!("Consulta {ticket}: {text}\n"),
        html: None,
        attachments: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> ReplyFacts {
        ReplyFacts {
            ticket: "CONS-2026-000001".into(),
            citizen: Address {
                email: "juan@example.test".into(),
                name: Some("Juan".into()),
            },
            subject: "RE: Renovación [CONS-2026-000001]".into(),
            in_reply_to: Some("q1@example.test".into()),
            references: vec!["q1@example.test".into()],
            mailbox_name: "Consultas OSCE".into(),
            mailbox_address: "consultas@osce.test".into(),
            message_id: "respuesta.x@osce.test".into(),
        }
    }

    fn links() -> SurveyLinks {
        std::array::from_fn(|i| format!("http://127.0.0.1:8080/encuesta/t{}", i + 1))
    }

    #[test]
    fn the_reply_keeps_the_draft_and_adds_five_links_and_the_number_option() {
        let draft = b"From: consultas@osce.test\r\nTo: juan@example.test\r\nSubject: RE: Renovacion\r\n\
            Content-Type: text/plain; charset=utf-8\r\n\r\nSu constancia esta lista.\r\n\r\nAtentamente,\r\nAna\r\n";
        let content = draft_content(draft).unwrap();
        let mail = reply(&content, &facts(), Some(&links()), Utc::now());
        assert!(mail.text.starts_with("Su constancia esta lista."));
        for i in 1..=5 {
            assert!(mail.text.contains(&format!("encuesta/t{i}")));
            assert!(mail
                .html
                .as_ref()
                .unwrap()
                .contains(&format!("encuesta/t{i}")));
        }
        assert!(mail.text.contains("solo un número del 1 al 5"));
        assert_eq!(mail.auto_submitted, None);
        let raw = mail.to_bytes().unwrap();
        let parsed = MessageParser::default().parse(&raw).unwrap();
        assert_eq!(parsed.in_reply_to().as_text(), Some("q1@example.test"));
    }

    #[test]
    fn an_html_draft_gets_the_survey_inside_its_body_and_keeps_its_attachment() {
        let draft = "From: consultas@osce.test\r\nTo: juan@example.test\r\nSubject: RE: x\r\nMIME-Version: 1.0\r\n\
            Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
            <html><body><p>Respuesta</p></body></html>\r\n--b\r\nContent-Type: application/pdf; name=\"c.pdf\"\r\n\
            Content-Disposition: attachment; filename=\"c.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n";
        let content = draft_content(draft.as_bytes()).unwrap();
        assert_eq!(content.attachments.len(), 1);
        assert_eq!(content.attachments[0].content, b"%PDF-");
        let mail = reply(&content, &facts(), Some(&links()), Utc::now());
        let html = mail.html.unwrap();
        assert!(
            html.find("encuesta/t1").unwrap() < html.find("</body>").unwrap(),
            "{html}"
        );
    }
}
