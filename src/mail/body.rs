//! The text of a message as a person reads it: its text parts decoded from the raw bytes with lenient transfer
//! decoding and charset fallbacks, and the HTML when the plain alternative is blank.
//!
//! mail-parser finds the parts; the decoding is redone here because mail-parser drops a whole base64 part at
//! the first bad character and trusts declared charsets that lie.

use mail_parser::{HeaderName, HeaderValue, Message, MessagePart, MimeHeaders, PartType};

use super::{charset, html_to_text, transfer};

/// A message's text and whether any of it was decoded with doubts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyText {
    /// The text, parts joined by line breaks, CRLF turned into LF, NUL removed.
    pub text: String,
    /// True when some part was damaged or its charset guessed without confidence.
    pub doubtful: bool,
}

/// The text of `msg`: its plain text parts; the HTML parts as text when the plain ones are blank (a mail client
/// that sends an empty `text/plain` beside the real HTML); nothing when it has neither.
pub fn body_text(msg: &Message<'_>) -> BodyText {
    let plain = joined(msg, &msg.text_body);
    if !plain.text.trim().is_empty() || msg.html_body == msg.text_body {
        return plain;
    }
    let html = joined(msg, &msg.html_body);
    if html.text.trim().is_empty() {
        plain
    } else {
        html
    }
}

fn joined(msg: &Message<'_>, ids: &[u32]) -> BodyText {
    let mut out = BodyText::default();
    for id in ids {
        let Some(part) = msg.parts.get(*id as usize) else {
            continue;
        };
        let Some((text, doubtful)) = part_text(msg, part) else {
            continue;
        };
        out.doubtful |= doubtful;
        if out.text.is_empty() {
            // Most messages have one text part: it becomes the text without a copy.
            out.text = text;
            continue;
        }
        if !out.text.ends_with('\n') {
            out.text.push('\n');
        }
        out.text.push_str(&text);
    }
    out.text = without_cr_before_lf_and_nul(std::mem::take(&mut out.text));
    out
}

/// `text.replace("\r\n", "\n").replace('\0', "")` in one pass over the text, in place: CRLF becomes LF, then
/// NUL goes (a CR that only meets its LF once the NUL between them is gone stays, as with the two
/// replacements).
fn without_cr_before_lf_and_nul(text: String) -> String {
    let mut bytes = text.into_bytes();
    let mut kept = 0;
    let mut i = 0;
    // The runs between two CRs or NULs are moved in one go: a byte at a time was a tenth of reading a body.
    while let Some(run) = memchr::memchr2(b'\r', 0, &bytes[i..]) {
        if kept < i {
            bytes.copy_within(i..i + run, kept);
        }
        kept += run;
        i += run;
        // Only bytes before `i` have been written to, so the byte after this one is still the original.
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[kept] = b'\r';
            kept += 1;
        }
        i += 1;
    }
    if kept < i {
        let len = bytes.len();
        bytes.copy_within(i..len, kept);
        kept += len - i;
    } else {
        kept = bytes.len();
    }
    bytes.truncate(kept);
    // Only ASCII bytes were taken out of valid UTF-8, so it is still valid; the fallback only avoids a panic.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A text or HTML part's text (HTML converted), decoded from the raw bytes; `None` for other parts.
pub fn part_text(msg: &Message<'_>, part: &MessagePart<'_>) -> Option<(String, bool)> {
    let is_html = match &part.body {
        PartType::Text(_) => false,
        PartType::Html(_) => true,
        _ => return None,
    };
    let raw = msg
        .raw_message
        .get(part.offset_body as usize..part.offset_end as usize);
    let Some(raw) = raw.filter(|_| part.offset_end > part.offset_body) else {
        // No raw slice to redo (an empty part): mail-parser's reading is all there is.
        let text = match &part.body {
            PartType::Text(t) => t.to_string(),
            PartType::Html(h) => html_to_text(h),
            _ => return None,
        };
        return Some((text, false));
    };
    let encoding = part
        .headers
        .iter()
        .rev()
        .find(|h| h.name == HeaderName::ContentTransferEncoding)
        .map(|h| super::parse::value_of(msg.raw_message.as_ref(), h));
    let encoding = match encoding.as_deref() {
        Some(HeaderValue::Text(t)) => Some(t.as_ref()),
        _ => None,
    };
    let undone = transfer::undo(encoding, raw);
    let label = part.content_type().and_then(|ct| ct.attribute("charset"));
    let decoded = charset::decode_owned(undone.bytes, label);
    let decoded_doubtful = decoded.doubtful;
    let text = if is_html {
        html_to_text(&decoded.text)
    } else {
        decoded.text
    };
    Some((text, undone.damaged || decoded_doubtful))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(raw: &str) -> BodyText {
        let raw = raw.replace('\n', "\r\n");
        let msg = mail_parser::MessageParser::new()
            .parse(raw.as_bytes())
            .expect("a message");
        body_text(&msg)
    }

    #[test]
    fn a_blank_plain_alternative_falls_back_to_the_html() {
        let b = read(
            "Subject: x\nContent-Type: multipart/alternative; boundary=\"a\"\n\n--a\nContent-Type: text/plain; charset=utf-8\n\n \n\n--a\nContent-Type: text/html; charset=utf-8\n\n<p>No puedo ingresar al <b>SEACE</b></p>\n--a--\n",
        );
        assert!(
            b.text.contains("No puedo ingresar al SEACE"),
            "{:?}",
            b.text
        );
    }

    #[test]
    fn a_bad_base64_line_loses_only_that_line() {
        let b = read(
            "Subject: x\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nQnVlbm9zIGTDrWFzLCBubyBwdWVkbyBpbmdyZXNhciBhbCBTRUFDRS4g\nTWkgdXN1YXJpbyBlc3T!!!IGJsb3F1ZWFkby4gwr9Dw7NtbyBsbyBy\nZWN1cGVybz8gQXRlbnRhbWVudGUsIE1hcsOtYQ==\n",
        );
        assert!(
            b.text
                .starts_with("Buenos días, no puedo ingresar al SEACE."),
            "{:?}",
            b.text
        );
        assert!(b.text.contains("Atentamente, María"), "{:?}", b.text);
        assert!(b.doubtful);
    }

    #[test]
    fn line_ends_and_nul_go_as_the_two_replacements_took_them() {
        for text in [
            "a\r\nb\r\n",
            "a\r\r\nb",
            "a\r\0\nb\0",
            "\0\r\n\r",
            "sin nada",
            "año\r\ncañón\0",
            "\r",
            "",
            "fin\r\n",
            "\0\0a\r\r\n\r\0",
        ] {
            assert_eq!(
                without_cr_before_lf_and_nul(text.to_string()),
                text.replace("\r\n", "\n").replace('\0', ""),
                "{text:?}"
            );
        }
    }

    #[test]
    fn mislabelled_latin1_reads_as_written() {
        let mut raw = b"Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n".to_vec();
        raw.extend_from_slice(b"Se\xf1ores, mi inscripci\xf3n\r\n");
        let msg = mail_parser::MessageParser::new().parse(&raw).unwrap();
        assert_eq!(body_text(&msg).text.trim(), "Señores, mi inscripción");
    }
}
