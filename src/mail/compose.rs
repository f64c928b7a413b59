//! Building the messages triaje sends: acknowledgements, replies with their survey, notifications.
//!
//! Output is RFC 5322 / MIME bytes, ready for SMTP as they are (the outbox stores and sends exactly these bytes,
//! so a retried send is byte-for-byte the same message with the same `Message-ID`). The MIME itself is written
//! by `mail-builder`, the builder of the mail-parser family that reads what arrives: RFC 2047 headers folded
//! within 78 columns, RFC 2231 file names, quoted-printable or base64 bodies, `multipart/related` inline images
//! with their `Content-ID`. What is triaje's: which headers (the exact `Message-ID` triaje chose, the thread,
//! `Auto-Submitted` and `X-Loop`), blind copies never written, and distrust of text that came from citizens
//! (names, subjects): header values lose every control character, so nothing a citizen writes can add a
//! header, and an address that would not survive a header is refused.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use mail_builder::headers::address::Address as HeaderAddress;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::date::Date;
use mail_builder::headers::message_id::MessageId;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::text::Text;
use mail_builder::mime::MimePart;
use mail_builder::MessageBuilder;

use super::Address;

/// A file sent along with a message (a reply's attachments, the assistant's PDF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingAttachment {
    /// File name shown to the recipient.
    pub name: String,
    /// MIME type (`application/pdf`).
    pub content_type: String,
    /// The file's bytes.
    pub content: Vec<u8>,
    /// `Content-ID` (without angle brackets) of an inline part the HTML shows with `cid:`; `None` for an
    /// ordinary attachment.
    pub content_id: Option<String>,
}

/// A message to build. Addresses are checked by [`OutgoingMail::to_bytes`]; names and subject may be anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// `From:`.
    pub from: Address,
    /// `To:` (at least one).
    pub to: Vec<Address>,
    /// `Cc:`.
    pub cc: Vec<Address>,
    /// Blind copies: recipients of the envelope only, never written in the message.
    pub bcc: Vec<Address>,
    /// `Reply-To:`, when answers should go elsewhere than `From`.
    pub reply_to: Option<Address>,
    /// The subject, unencoded.
    pub subject: String,
    /// `Message-ID` without angle brackets.
    pub message_id: String,
    /// The message this one answers (without angle brackets).
    pub in_reply_to: Option<String>,
    /// The thread, oldest first, without angle brackets.
    pub references: Vec<String>,
    /// `Date:`.
    pub date: DateTime<Utc>,
    /// `Auto-Submitted:` value (RFC 3834): `auto-replied` for acknowledgements, `auto-generated` for
    /// notifications; `None` for a reply a person wrote.
    pub auto_submitted: Option<&'static str>,
    /// Extra headers `(name, value)`: names must be ASCII tokens; values are sanitised like every other.
    pub extra_headers: Vec<(String, String)>,
    /// The text/plain body.
    pub text: String,
    /// The text/html body, when there is one.
    pub html: Option<String>,
    /// Files to attach, and the inline images of the HTML (those with a `content_id`).
    pub attachments: Vec<OutgoingAttachment>,
}

/// Why a message cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    /// An address that would not survive a mail header.
    #[error("la dirección «{0}» no es válida")]
    BadAddress(String),
    /// No recipient.
    #[error("el mensaje no tiene destinatario")]
    NoRecipient,
}

impl OutgoingMail {
    /// The message as bytes, CRLF line ends, ready for SMTP.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ComposeError> {
        if self.to.is_empty() {
            return Err(ComposeError::NoRecipient);
        }
        let mut m = MessageBuilder::new()
            .date(Date::new(self.date.timestamp()))
            .from(header_address(&self.from)?)
            .to(address_list(&self.to)?);
        if !self.cc.is_empty() {
            m = m.cc(address_list(&self.cc)?);
        }
        for a in &self.bcc {
            // Checked like the others, though never written: the envelope gets them.
            header_address(a)?;
        }
        if let Some(r) = &self.reply_to {
            m = m.reply_to(header_address(r)?);
        }
        m = m
            .subject(Text::new(sanitize(&self.subject)))
            .message_id(MessageId::new(clean_id(&self.message_id)));
        if let Some(id) = &self.in_reply_to {
            m = m.in_reply_to(MessageId::new(clean_id(id)));
        }
        if !self.references.is_empty() {
            m = m.references(MessageId::new_list(
                self.references.iter().map(|r| clean_id(r)),
            ));
        }
        if let Some(a) = self.auto_submitted {
            m = m.header("Auto-Submitted", Raw::new(a));
            // Names the sending mailbox: an auto-forward or a responder that sends it back is recognised as a loop
            // (mail::auto, workflow::triage). The address was checked above: it holds no space or control.
            m = m.header("X-Loop", Raw::new(self.from.email.trim().to_string()));
        }
        for (name, value) in &self.extra_headers {
            if is_header_name(name) {
                m = m.header(name.clone(), Text::new(sanitize(value)));
            }
        }
        let mut bytes = Vec::with_capacity(2048 + self.text.len() * 2);
        m.body(self.body()).serialize(&mut bytes);
        Ok(bytes)
    }

    /// The MIME tree: the text (and the HTML beside it as `multipart/alternative`), the HTML's inline images
    /// with it in `multipart/related` (RFC 2387; without HTML they are ordinary attachments), and the files in
    /// `multipart/mixed`.
    fn body(&self) -> MimePart<'_> {
        let text = MimePart::new("text/plain", self.text.as_str());
        let (inline, files): (Vec<&OutgoingAttachment>, Vec<&OutgoingAttachment>) = self
            .attachments
            .iter()
            .partition(|a| a.content_id.is_some() && self.html.is_some());
        let first = match &self.html {
            None => text,
            Some(html) => {
                let alternative = MimePart::new(
                    "multipart/alternative",
                    vec![text, MimePart::new("text/html", html.as_str())],
                );
                if inline.is_empty() {
                    alternative
                } else {
                    let mut parts = vec![alternative];
                    parts.extend(inline.into_iter().map(attachment_part));
                    MimePart::new(
                        ContentType::new("multipart/related")
                            .attribute("type", "multipart/alternative"),
                        parts,
                    )
                }
            }
        };
        if files.is_empty() {
            first
        } else {
            let mut parts = vec![first];
            parts.extend(files.into_iter().map(attachment_part));
            MimePart::new("multipart/mixed", parts)
        }
    }
}

/// `n` random bytes as lower-case hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    // The OS generator only fails on a broken system; fall back to the clock rather than refuse to send.
    if getrandom::getrandom(&mut bytes).is_err() {
        let t = Utc::now().timestamp_nanos_opt().unwrap_or(0) as u128;
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (t >> ((i % 16) * 8)) as u8 ^ (i as u8).wrapping_mul(151);
        }
    }
    bytes.iter().fold(String::with_capacity(2 * n), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The domain part of an address (`osce.test` of `consultas@osce.test`).
pub fn domain_of(address: &str) -> &str {
    address
        .rsplit_once('@')
        .map(|(_, d)| d)
        .unwrap_or("localhost")
}

/// A message id as it goes between angle brackets: without them, and without anything that would end it.
fn clean_id(id: &str) -> String {
    id.trim_matches(|c| c == '<' || c == '>')
        .replace(['\r', '\n', ' ', '<', '>'], "")
}

/// Removes every control character (CR and LF above all): a citizen's subject or name must stay one header.
pub fn sanitize(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Every address of `list`, checked.
fn address_list(list: &[Address]) -> Result<HeaderAddress<'static>, ComposeError> {
    Ok(HeaderAddress::new_list(
        list.iter()
            .map(header_address)
            .collect::<Result<Vec<_>, _>>()?,
    ))
}

/// An address for a header: its display name cleaned (the builder quotes or encodes it), the address checked.
fn header_address(a: &Address) -> Result<HeaderAddress<'static>, ComposeError> {
    let email = a.email.trim();
    let valid = email.len() <= 254
        && email.matches('@').count() == 1
        && !email.starts_with('@')
        && !email.ends_with('@')
        && email.chars().all(|c| {
            // Internationalised addresses (RFC 6531/6532: `josé@correo.pe`) are written as UTF-8; the SMTP
            // client asks the server for SMTPUTF8 when an address needs it.
            (c.is_ascii_graphic() || (!c.is_ascii() && c.is_alphanumeric()))
                && !matches!(
                    c,
                    '<' | '>' | '(' | ')' | ',' | ';' | ':' | '"' | '\\' | '[' | ']'
                )
        });
    if !valid {
        return Err(ComposeError::BadAddress(sanitize(email)));
    }
    let name = a.name.as_deref().map(sanitize).filter(|n| !n.is_empty());
    Ok(HeaderAddress::new_address(name, email.to_string()))
}

/// A file or inline image: its name cleaned, its type checked (anything unusual is sent as
/// `application/octet-stream`), base64 (the builder's choice for anything that is not text).
fn attachment_part(a: &OutgoingAttachment) -> MimePart<'_> {
    let name = sanitize(&a.name);
    let ctype = if is_mime_type(&a.content_type) {
        a.content_type.to_ascii_lowercase()
    } else {
        "application/octet-stream".to_string()
    };
    if ctype == "message/rfc822" {
        // A forwarded message goes as it is, byte for byte (RFC 2046 §5.2.1 allows only 7bit, 8bit or binary
        // for message/rfc822): the unit opens the citizen's own message, with its headers and attachments.
        let encoding = if a.content.is_ascii() { "7bit" } else { "8bit" };
        return MimePart::new(ContentType::new(ctype), a.content.as_slice())
            .transfer_encoding(encoding)
            .attachment(name);
    }
    // `name` on the type as well as `filename` on the disposition: older clients read only the first.
    let part = MimePart::new(
        ContentType::new(ctype).attribute("name", name.clone()),
        a.content.as_slice(),
    );
    match &a.content_id {
        Some(id) => part.inline().cid(clean_id(id)),
        None => part.attachment(name),
    }
}

fn is_mime_type(t: &str) -> bool {
    let mut parts = t.split('/');
    let ok = |p: Option<&str>| {
        p.is_some_and(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.+_".contains(&b))
        })
    };
    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mail_parser::MimeHeaders;

    fn addr(email: &str, name: Option<&str>) -> Address {
        Address {
            email: email.into(),
            name: name.map(str::to_string),
        }
    }

    fn sample() -> OutgoingMail {
        OutgoingMail {
            from: addr("consultas@osce.test", Some("Consultas OSCE")),
            to: vec![addr("juan@example.test", Some("Juan Pérez"))],
            cc: vec![],
            bcc: vec![],
            reply_to: None,
            subject: "RE: Inscripción en el RNP [CONS-2026-000123]".into(),
            message_id: "reply.CONS-2026-000123.abc@osce.test".into(),
            in_reply_to: Some("q1@example.test".into()),
            references: vec!["q0@example.test".into(), "q1@example.test".into()],
            date: DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
            auto_submitted: None,
            extra_headers: vec![],
            text: "Estimado Juan:\n\nSu constancia está lista.\n.\nAtentamente,\nAna".into(),
            html: Some("<p>Estimado Juan:</p><p>Su constancia está lista.</p>".into()),
            attachments: vec![],
        }
    }

    #[test]
    fn a_reply_reads_back_with_its_threading_and_both_parts() {
        let raw = sample().to_bytes().unwrap();
        let m = mail_parser::MessageParser::default().parse(&raw).unwrap();
        assert_eq!(
            m.subject(),
            Some("RE: Inscripción en el RNP [CONS-2026-000123]")
        );
        assert_eq!(m.message_id(), Some("reply.CONS-2026-000123.abc@osce.test"));
        assert_eq!(m.in_reply_to().as_text(), Some("q1@example.test"));
        assert_eq!(m.references().as_text_list().map(|l| l.len()), Some(2));
        let to = m.to().unwrap().first().unwrap();
        assert_eq!(to.name(), Some("Juan Pérez"));
        assert_eq!(to.address(), Some("juan@example.test"));
        assert_eq!(
            m.body_text(0).unwrap().replace("\r\n", "\n"),
            "Estimado Juan:\n\nSu constancia está lista.\n.\nAtentamente,\nAna"
        );
        assert!(m.body_html(0).unwrap().contains("constancia está lista"));
    }

    #[test]
    fn a_citizen_cannot_add_headers_through_a_subject_or_name() {
        let mut m = sample();
        m.subject = "Hola\r\nBcc: victima@example.test".into();
        m.to = vec![addr(
            "juan@example.test",
            Some("Juan\r\nBcc: otro@example.test"),
        )];
        let raw = String::from_utf8(m.to_bytes().unwrap()).unwrap();
        let head = raw.split("\r\n\r\n").next().unwrap();
        assert!(
            !head
                .lines()
                .any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
            "{head}"
        );
    }

    #[test]
    fn an_address_with_header_syntax_is_refused() {
        let mut m = sample();
        m.to = vec![addr("a@b.test>\r\nBcc: c@d.test", None)];
        assert!(matches!(m.to_bytes(), Err(ComposeError::BadAddress(_))));
        m.to = vec![];
        assert_eq!(m.to_bytes(), Err(ComposeError::NoRecipient));
    }

    #[test]
    fn attachments_go_out_whole() {
        let mut m = sample();
        let pdf: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
        m.attachments.push(OutgoingAttachment {
            name: "constancia ñ.pdf".into(),
            content_type: "application/pdf".into(),
            content: pdf.clone(),
            content_id: None,
        });
        let raw = m.to_bytes().unwrap();
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let a = parsed.attachments().next().unwrap();
        assert_eq!(a.attachment_name(), Some("constancia ñ.pdf"));
        assert_eq!(a.contents(), &pdf[..]);
        assert!(parsed.body_html(0).is_some());
    }

    #[test]
    fn an_inline_logo_travels_with_the_html_and_copies_are_written_but_blind_ones_are_not() {
        let mut m = sample();
        m.html = Some("<p>Hola</p><img src=\"cid:logo@osce\">".into());
        m.cc = vec![addr("jefa@osce.test", None)];
        m.bcc = vec![addr("archivo@osce.test", None)];
        m.attachments.push(OutgoingAttachment {
            name: "logo.png".into(),
            content_type: "image/png".into(),
            content: vec![137, 80, 78, 71],
            content_id: Some("logo@osce".into()),
        });
        let raw = m.to_bytes().unwrap();
        let text = String::from_utf8_lossy(&raw);
        let head = text.split("\r\n\r\n").next().unwrap();
        assert!(head.contains("Cc: <jefa@osce.test>"), "{head}");
        assert!(!text.to_ascii_lowercase().contains("archivo@osce.test"));
        assert!(text.contains("multipart/related"), "{text}");
        assert!(!text.contains("multipart/mixed"), "no stray attachment");
        assert!(text.contains("Content-ID: <logo@osce>"));
        assert!(text.contains("Content-Disposition: inline"));
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        assert!(parsed.body_html(0).unwrap().contains("cid:logo@osce"));
    }

    #[test]
    fn long_lines_and_long_subjects_stay_within_limits() {
        let mut m = sample();
        m.subject = "Consulta sobre la aplicación de penalidades ".repeat(6);
        m.text = "á".repeat(500);
        let raw = String::from_utf8(m.to_bytes().unwrap()).unwrap();
        assert!(raw.lines().all(|l| l.len() <= 78), "{raw}");
        let parsed = mail_parser::MessageParser::default()
            .parse(raw.as_bytes())
            .unwrap();
        assert_eq!(parsed.subject().unwrap(), sanitize(&m.subject));
        assert_eq!(parsed.body_text(0).unwrap().trim_end(), m.text);
    }

    #[test]
    fn an_acknowledgement_says_it_is_automatic_and_names_its_mailbox() {
        let mut m = sample();
        m.auto_submitted = Some("auto-replied");
        m.extra_headers = vec![
            ("X-Triaje-Ticket".into(), "CONS-2026-000123".into()),
            ("Mal Nombre".into(), "ignorado".into()),
        ];
        let raw = m.to_bytes().unwrap();
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let header = |name: &str| {
            parsed
                .header_raw(name)
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        assert_eq!(header("Auto-Submitted"), "auto-replied");
        assert_eq!(header("X-Loop"), "consultas@osce.test");
        assert_eq!(header("X-Triaje-Ticket"), "CONS-2026-000123");
        let text = String::from_utf8_lossy(&raw);
        assert!(!text.contains("Mal Nombre"), "{text}");
    }

    #[test]
    fn the_chosen_message_id_and_thread_are_written_as_given() {
        let mut m = sample();
        m.message_id = "<ack.CONS-2026-000123.0a1b@osce.test>".into();
        m.references = vec!["a@x.test".into(), "<b@x.test>".into()];
        let raw = m.to_bytes().unwrap();
        let text = String::from_utf8_lossy(&raw);
        assert!(
            text.contains("Message-ID: <ack.CONS-2026-000123.0a1b@osce.test>\r\n"),
            "{text}"
        );
        assert!(
            text.contains("In-Reply-To: <q1@example.test>\r\n"),
            "{text}"
        );
        assert!(
            text.contains("References: <a@x.test> <b@x.test>\r\n"),
            "{text}"
        );
    }

    #[test]
    fn accented_names_and_international_addresses_read_back_as_written() {
        let mut m = sample();
        m.from = addr("consultas@osce.test", Some("Atención al Ciudadano – OSCE"));
        m.to = vec![addr("josé.pérez@correo.pe", Some("José \"Pepe\" Pérez"))];
        m.subject = "Consulta sobre la inscripción — ¿cuándo vence? [CONS-2026-000123]".into();
        let raw = m.to_bytes().unwrap();
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let to = parsed.to().unwrap().first().unwrap();
        assert_eq!(to.address(), Some("josé.pérez@correo.pe"));
        assert_eq!(to.name(), Some("José \"Pepe\" Pérez"));
        let from = parsed.from().unwrap().first().unwrap();
        assert_eq!(from.name(), Some("Atención al Ciudadano – OSCE"));
        assert_eq!(parsed.subject(), Some(m.subject.as_str()));
        let head = String::from_utf8_lossy(&raw);
        let head = head.split("\r\n\r\n").next().unwrap();
        // Names and subject are encoded words; only the international address itself is 8-bit (RFC 6532).
        let subject_line = head.lines().find(|l| l.starts_with("Subject:")).unwrap();
        assert!(subject_line.is_ascii(), "{subject_line}");
    }

    #[test]
    fn an_odd_attachment_type_or_name_cannot_break_the_message() {
        let mut m = sample();
        m.attachments.push(OutgoingAttachment {
            name: "informe\r\nContent-Type: text/html\".pdf".into(),
            content_type: "application/pdf\r\nX-Evil: 1".into(),
            content: b"%PDF-1.4".to_vec(),
            content_id: None,
        });
        let raw = m.to_bytes().unwrap();
        let text = String::from_utf8_lossy(&raw);
        assert!(!text.contains("X-Evil"), "{text}");
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let a = parsed.attachments().next().unwrap();
        assert_eq!(a.content_type().map(|c| c.ctype()), Some("application"));
        assert_eq!(
            a.attachment_name(),
            Some("informe Content-Type: text/html\".pdf")
        );
        assert_eq!(a.contents(), b"%PDF-1.4");
    }

    #[test]
    fn random_tokens_differ_and_are_hex() {
        let (a, b) = (random_hex(12), random_hex(12));
        assert_ne!(a, b);
        assert_eq!(a.len(), 24);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()), "{a}");
    }
}
