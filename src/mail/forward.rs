//! Messages inside a message: a forwarded consultation attached as `message/rfc822` (at any depth), or as an
//! `.eml` file. Their question is what the rules must classify; the forwarder stays who wrote to the office.

use mail_parser::{Message, MessageParser, MimeHeaders, PartType};

use super::body::body_text;
use super::encoded_words::decode_header;
use super::fresh_text;

/// A message found inside another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embedded {
    /// Its decoded subject.
    pub subject: String,
    /// What its author wrote (no quotes, no signature).
    pub fresh_text: String,
    /// Its `Message-ID`, without angle brackets (how a bounce names the message it returns).
    pub message_id: Option<String>,
    /// Its `X-Triaje-Ticket`, when it is mail triaje sent.
    pub ticket: Option<String>,
}

/// Embedded messages read at most this deep (a forward of a forward of …).
const MAX_DEPTH: usize = 8;
/// At most this many embedded messages are read from one message.
const MAX_EMBEDDED: usize = 16;

/// Every message embedded in `msg`, depth first, in the order they appear.
pub fn embedded(msg: &Message<'_>) -> Vec<Embedded> {
    let mut out = Vec::new();
    collect(msg, 0, &mut out);
    out
}

fn collect(msg: &Message<'_>, depth: usize, out: &mut Vec<Embedded>) {
    if depth >= MAX_DEPTH {
        return;
    }
    for part in &msg.parts {
        if out.len() >= MAX_EMBEDDED {
            return;
        }
        match &part.body {
            PartType::Message(inner) => {
                out.push(describe(inner));
                collect(inner, depth + 1, out);
            }
            PartType::Binary(bytes) | PartType::InlineBinary(bytes) if is_eml(part) => {
                let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    MessageParser::new().parse(bytes.as_ref())
                }));
                if let Ok(Some(inner)) = parsed {
                    if !inner.headers().is_empty() {
                        out.push(describe(&inner));
                        collect(&inner, depth + 1, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// An attached file that is a message: `message/rfc822` sent base64 (mail-parser leaves those undecoded), or a
/// file named `*.eml`.
fn is_eml(part: &mail_parser::MessagePart<'_>) -> bool {
    let rfc822 = part.content_type().is_some_and(|ct| {
        ct.c_type.eq_ignore_ascii_case("message")
            && ct.c_subtype.as_deref().is_some_and(|s| {
                s.eq_ignore_ascii_case("rfc822") || s.eq_ignore_ascii_case("global")
            })
    });
    let named = part
        .attachment_name()
        .is_some_and(|n| n.to_ascii_lowercase().trim().ends_with(".eml"));
    rfc822 || named
}

fn describe(msg: &Message<'_>) -> Embedded {
    let raw_header = |name: &str| super::parse::raw_header(msg, name);
    let subject = raw_header("Subject")
        .map(|raw| super::parse::one_line(&decode_header(raw).text))
        .unwrap_or_default();
    let body = body_text(msg);
    let forward = super::parse::is_forward_subject(&subject);
    Embedded {
        fresh_text: fresh_text(&body.text, forward),
        subject,
        message_id: msg
            .message_id()
            .map(|id| id.trim().trim_matches(|c| c == '<' || c == '>').to_string())
            .filter(|id| !id.is_empty()),
        ticket: raw_header("X-Triaje-Ticket")
            .map(|raw| String::from_utf8_lossy(raw).trim().to_string())
            .filter(|t| !t.is_empty()),
    }
}
