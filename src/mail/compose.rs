//! Building the messages triaje sends: acknowledgements, replies with their survey, notifications.
//!
//! Output is RFC 5322 / MIME bytes, ready for SMTP as they are (the outbox stores and sends exactly these bytes,
//! so a retried send is byte-for-byte the same message with the same `Message-ID`). Text comes from citizens
//! (names, subjects) and is never trusted: header values lose every control character, so nothing a citizen
//! writes can add a header, and non-ASCII text is encoded (RFC 2047 in headers, quoted-printable in bodies).

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

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
        let mut h = String::with_capacity(1024);
        header(&mut h, "Date", &self.date.to_rfc2822());
        header(&mut h, "From", &address(&self.from)?);
        let to = self
            .to
            .iter()
            .map(address)
            .collect::<Result<Vec<_>, _>>()?
            .join(", ");
        header(&mut h, "To", &to);
        if !self.cc.is_empty() {
            let cc = self
                .cc
                .iter()
                .map(address)
                .collect::<Result<Vec<_>, _>>()?
                .join(", ");
            header(&mut h, "Cc", &cc);
        }
        for a in &self.bcc {
            // Checked like the others, though never written: the envelope gets them.
            address(a)?;
        }
        if let Some(r) = &self.reply_to {
            header(&mut h, "Reply-To", &address(r)?);
        }
        header(&mut h, "Subject", &encode_words(&sanitize(&self.subject)));
        header(&mut h, "Message-ID", &angle(&self.message_id));
        if let Some(id) = &self.in_reply_to {
            header(&mut h, "In-Reply-To", &angle(id));
        }
        if !self.references.is_empty() {
            let refs: Vec<String> = self.references.iter().map(|r| angle(r)).collect();
            header(&mut h, "References", &refs.join(" "));
        }
        if let Some(a) = self.auto_submitted {
            header(&mut h, "Auto-Submitted", a);
            // Names the sending mailbox: an auto-forward or a responder that sends it back is recognised as a loop
            // (mail::auto, workflow::triage).
            header(
                &mut h,
                "X-Loop",
                &address(&Address {
                    email: self.from.email.clone(),
                    name: None,
                })?,
            );
        }
        for (name, value) in &self.extra_headers {
            if is_header_name(name) {
                header(&mut h, name, &encode_words(&sanitize(value)));
            }
        }
        header(&mut h, "MIME-Version", "1.0");

        let seed = &self.message_id;
        // Inline images travel with the HTML that shows them (multipart/related, RFC 2387); without HTML they
        // are ordinary attachments.
        let (inline, files): (Vec<&OutgoingAttachment>, Vec<&OutgoingAttachment>) = self
            .attachments
            .iter()
            .partition(|a| a.content_id.is_some() && self.html.is_some());
        let first = match &self.html {
            None => text_part(&self.text),
            Some(html) if inline.is_empty() => alternative(seed, &self.text, html),
            Some(html) => {
                let boundary = boundary(seed, "related");
                let mut b = format!(
                    "Content-Type: multipart/related; type=\"multipart/alternative\";\r\n boundary=\"{boundary}\"\r\n\r\n"
                );
                b.push_str(&format!("--{boundary}\r\n"));
                b.push_str(&alternative(seed, &self.text, html));
                for a in &inline {
                    b.push_str(&format!("\r\n--{boundary}\r\n"));
                    b.push_str(&attachment_part(a));
                }
                b.push_str(&format!("\r\n--{boundary}--\r\n"));
                b
            }
        };
        let body = if files.is_empty() {
            first
        } else {
            let boundary = boundary(seed, "mixed");
            let mut b =
                format!("Content-Type: multipart/mixed;\r\n boundary=\"{boundary}\"\r\n\r\n");
            b.push_str(&format!("--{boundary}\r\n"));
            b.push_str(&first);
            for a in &files {
                b.push_str(&format!("\r\n--{boundary}\r\n"));
                b.push_str(&attachment_part(a));
            }
            b.push_str(&format!("\r\n--{boundary}--\r\n"));
            b
        };
        h.push_str(&body);
        Ok(h.into_bytes())
    }
}

/// A new `Message-ID` (without angle brackets) for mail about `ticket`: `kind.ticket.random@domain`.
///
/// The random part makes ids unguessable; notifications rely on it (an answer must quote the id it got).
pub fn new_message_id(kind: &str, ticket: &str, domain: &str) -> String {
    format!(
        "{kind}.{}.{}@{}",
        sanitize_id(ticket),
        random_hex(12),
        sanitize_id(domain)
    )
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

fn sanitize_id(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        .collect()
}

fn angle(id: &str) -> String {
    format!(
        "<{}>",
        id.trim_matches(|c| c == '<' || c == '>')
            .replace(['\r', '\n', ' ', '<', '>'], "")
    )
}

/// Writes one header, folded at spaces so no line passes 78 characters where that is possible.
fn header(out: &mut String, name: &str, value: &str) {
    let mut line_len = name.len() + 2;
    out.push_str(name);
    out.push_str(": ");
    let mut first = true;
    for word in value.split(' ') {
        if !first {
            if line_len + 1 + word.len() > 76 {
                out.push_str("\r\n ");
                line_len = 1;
            } else {
                out.push(' ');
                line_len += 1;
            }
        }
        out.push_str(word);
        line_len += word.len();
        first = false;
    }
    out.push_str("\r\n");
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

/// `Name <addr>` with the name encoded when needed, or the bare address.
fn address(a: &Address) -> Result<String, ComposeError> {
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
    match a.name.as_deref().map(sanitize).filter(|n| !n.is_empty()) {
        None => Ok(email.to_string()),
        Some(name) if name.is_ascii() => {
            let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
            Ok(format!("\"{quoted}\" <{email}>"))
        }
        Some(name) => Ok(format!("{} <{email}>", encode_words(&name))),
    }
}

/// RFC 2047: ASCII text as is; anything else as UTF-8 base64 encoded words of at most 75 characters, split on
/// character boundaries.
pub fn encode_words(s: &str) -> String {
    if s.is_ascii() && !s.contains("=?") {
        return s.to_string();
    }
    // 39 bytes of UTF-8 → 52 base64 characters + 12 of `=?UTF-8?B?…?=` = 64: a word fits a folded line
    // even after `Subject: `.
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in s.chars() {
        if chunk.len() + c.len_utf8() > 39 {
            words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
    }
    words.join(" ")
}

fn text_part(text: &str) -> String {
    format!(
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{}",
        quoted_printable(text)
    )
}

fn html_part(html: &str) -> String {
    format!(
        "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{}",
        quoted_printable(html)
    )
}

fn alternative(seed: &str, text: &str, html: &str) -> String {
    let b = boundary(seed, "alt");
    format!(
        "Content-Type: multipart/alternative;\r\n boundary=\"{b}\"\r\n\r\n--{b}\r\n{}\r\n--{b}\r\n{}\r\n--{b}--\r\n",
        text_part(text),
        html_part(html)
    )
}

fn attachment_part(a: &OutgoingAttachment) -> String {
    let name = sanitize(&a.name).replace('"', "'");
    let ctype = if is_mime_type(&a.content_type) {
        a.content_type.to_ascii_lowercase()
    } else {
        "application/octet-stream".to_string()
    };
    let mut out = match &a.content_id {
        Some(id) => format!(
            "Content-Type: {ctype}; name=\"{n}\"\r\nContent-Disposition: inline; filename=\"{n}\"\r\n\
             Content-ID: {id}\r\nContent-Transfer-Encoding: base64\r\n\r\n",
            n = encode_words(&name),
            id = angle(id)
        ),
        None => format!(
            "Content-Type: {ctype}; name=\"{n}\"\r\nContent-Disposition: attachment; filename=\"{n}\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n",
            n = encode_words(&name)
        ),
    };
    let encoded = base64(&a.content);
    for line in encoded.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push_str("\r\n");
    }
    out
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

/// A boundary that cannot occur in quoted-printable or base64 output (it contains `=_`).
fn boundary(seed: &str, kind: &str) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(format!("{kind}{seed}").as_bytes());
    let hex: String = h[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("=_triaje_{kind}_{hex}")
}

/// Quoted-printable (RFC 2045) of UTF-8 text, CRLF line ends, soft breaks before 76 characters.
pub fn quoted_printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let normalized = text.replace("\r\n", "\n");
    for (i, line) in normalized.split('\n').enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        let bytes = line.as_bytes();
        let mut col = 0;
        for (j, &b) in bytes.iter().enumerate() {
            let last = j + 1 == bytes.len();
            let literal =
                (b == b' ' || b == b'\t') && !last || (33..=126).contains(&b) && b != b'=';
            // Dots at line start would be doubled by SMTP's dot-stuffing anyway; encode them to keep lines
            // byte-identical for every transport.
            let literal = literal && !(col == 0 && b == b'.');
            let piece = if literal {
                (b as char).to_string()
            } else {
                format!("={b:02X}")
            };
            if col + piece.len() > 75 {
                out.push_str("=\r\n");
                col = 0;
            }
            out.push_str(&piece);
            col += piece.len();
        }
    }
    if !out.ends_with("\r\n") {
        out.push_str("\r\n");
    }
    out
}

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = match chunk.len() {
            3 => u32::from(chunk[0]) << 16 | u32::from(chunk[1]) << 8 | u32::from(chunk[2]),
            2 => u32::from(chunk[0]) << 16 | u32::from(chunk[1]) << 8,
            _ => u32::from(chunk[0]) << 16,
        };
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
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
            "Estimado Juan:\n\nSu constancia está lista.\n.\nAtentamente,\nAna\n"
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
        assert!(head.contains("Cc: jefa@osce.test"), "{head}");
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
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn message_ids_are_unique_and_clean() {
        let a = new_message_id("ack", "CONS-2026-000001", "osce.test");
        let b = new_message_id("ack", "CONS-2026-000001", "osce.test");
        assert_ne!(a, b);
        assert!(
            a.starts_with("ack.CONS-2026-000001.") && a.ends_with("@osce.test"),
            "{a}"
        );
    }
}
