//! Raw bytes → [`ParsedMail`], on mail-parser 0.11.

use std::borrow::Cow;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use mail_parser::parsers::MessageStream;
use mail_parser::{
    Header, HeaderName, HeaderValue, Message, MessageParser, MessagePart, MimeHeaders, PartType,
};

use super::auto::{detect, AutoSignals};
use super::body::body_text;
use super::{
    decode_header, first_mailbox, forward, fresh_text, report, Address, Attachment, MailError,
    ParsedMail,
};

/// The `Message-ID` of a message from its header (or only its `Message-ID:` line), as [`parse`] reads it:
/// without angle brackets, on one line. `None` when there is none.
pub fn message_id(header: &[u8]) -> Option<String> {
    parse(header).ok().and_then(|m| m.message_id)
}

/// Parses a raw RFC 5322 message leniently.
///
/// Fails only when the input is not a message at all (empty, or not starting with a header block); anything else —
/// broken MIME, unknown charsets, missing headers — yields the best reading possible. Never panics.
pub fn parse(raw: &[u8]) -> Result<ParsedMail, MailError> {
    parse_reading(raw, true)
}

/// [`parse`], with the light reading of [`read_structure`] allowed or not (the tests compare both).
fn parse_reading(raw: &[u8], light_allowed: bool) -> Result<ParsedMail, MailError> {
    if raw.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(MailError::Empty);
    }
    // Old-Mac mail ends its lines with a bare CR, which mail-parser does not see as a line end at all: the whole
    // message would read as one header with no sender, subject or text. With no LF anywhere, CR is the line end.
    let normalized;
    let raw = if !raw.contains(&b'\n') && raw.contains(&b'\r') {
        normalized = raw
            .iter()
            .map(|&b| if b == b'\r' { b'\n' } else { b })
            .collect::<Vec<u8>>();
        &normalized[..]
    } else {
        raw
    };
    if !starts_with_header(raw) {
        return Err(MailError::NoHeaders);
    }
    let msg = read_structure(raw, light_allowed)?;
    if msg.headers().is_empty() {
        return Err(MailError::NoHeaders);
    }

    let headers: Vec<(String, String)> = msg
        .headers()
        .iter()
        .map(|h| {
            (
                h.name().to_ascii_lowercase(),
                one_line(&header_text(&value_of(msg.raw_message.as_ref(), h))),
            )
        })
        .collect();
    // Subject and sender are read again from the raw bytes, with the fallbacks mail clients use: mail-parser
    // leaves broken encoded words raw and reads raw Latin-1 as replacement characters.
    let subject = match raw_header(&msg, "Subject") {
        Some(raw) => one_line(&decode_header(raw).text),
        None => one_line(msg.subject().unwrap_or("")),
    };
    let sender = raw_header(&msg, "From").and_then(first_mailbox);
    let name_doubtful = sender.as_ref().is_some_and(|s| s.doubtful_name);
    let from = sender
        .map(|s| clean(s.address))
        .or_else(|| msg.from().and_then(|a| a.first()).and_then(to_address));
    let reply_to = raw_header(&msg, "Reply-To")
        .and_then(first_mailbox)
        .map(|s| clean(s.address))
        .or_else(|| msg.reply_to().and_then(|a| a.first()).and_then(to_address));
    let to = msg
        .all_to()
        .flat_map(|a| a.iter())
        .filter_map(to_address)
        .collect();
    let cc = msg
        .all_cc()
        .flat_map(|a| a.iter())
        .filter_map(to_address)
        .collect();
    let date = msg
        .date()
        .filter(|d| d.is_valid())
        .and_then(|d| DateTime::<Utc>::from_timestamp(d.to_timestamp(), 0));

    // NUL is not text (PostgreSQL refuses it in a TEXT column); it goes, whatever else the body holds.
    let body = body_text(&msg);
    let body_text = body.text;
    let fresh_text = fresh_text(&body_text, is_forward_subject(&subject));

    let attachments = msg
        .attachments()
        .map(|part| Attachment {
            name: part.attachment_name().unwrap_or("").to_string(),
            content_type: part
                .content_type()
                .map(|ct| match &ct.c_subtype {
                    Some(sub) => format!("{}/{}", ct.c_type, sub),
                    None => ct.c_type.to_string(),
                })
                .unwrap_or_else(|| "application/octet-stream".into())
                .to_ascii_lowercase(),
        })
        .collect();

    // The message's own parts only (`msg.parts` holds no part of an attached message): a citizen who forwards
    // a bounce to ask about it is not a bounce.
    let content_types: Vec<String> = msg
        .parts
        .iter()
        .filter_map(|p| p.content_type())
        .map(|ct| {
            format!("{}/{}", ct.c_type, ct.c_subtype.as_deref().unwrap_or("")).to_ascii_lowercase()
        })
        .collect();
    let top = msg.parts.first().and_then(|p| p.content_type());
    let report_type = top
        .and_then(|ct| ct.attribute("report-type"))
        .map(|r| r.trim().to_ascii_lowercase());
    let top_type = content_types.first().cloned().unwrap_or_default();
    let from_email = from.as_ref().map(|a: &Address| a.email.as_str());
    let evidence = detect(&AutoSignals {
        headers: &headers,
        subject: &subject,
        from: from_email,
        reply_to: reply_to.as_ref().map(|a| a.email.as_str()),
        top_type: &top_type,
        report_type: report_type.as_deref(),
        content_types: &content_types,
        // A question and a signature are in a message's first pages; a 2 MB pasted log is not read for them.
        text: super::cap_on_char_boundary(&fresh_text, super::BODY_LIMIT),
        signed: &|| {
            super::signature(super::cap_on_char_boundary(&body_text, super::BODY_LIMIT)).is_some()
        },
    });
    let auto = evidence.verdict(&[]);

    let embedded = forward::embedded(&msg);
    // What a machine returns names the message it is about; a person's forward is a question to classify.
    // Both are read while only weak signals speak: triage weighs them again with what it alone knows.
    let (mut returned_ids, mut returned_tickets, delivery) = if evidence.any_signal() {
        let mut scanned = report::returned_headers(&msg);
        scanned.push_str(&body_text);
        let (ids, tickets) = report::header_lines_ids(&scanned);
        (ids, tickets, report::delivery_status(&msg))
    } else {
        (Vec::new(), Vec::new(), None)
    };
    if evidence.any_signal() {
        for e in &embedded {
            if let Some(id) = &e.message_id {
                if !returned_ids.contains(id) {
                    returned_ids.push(id.clone());
                }
            }
            returned_tickets.extend(e.ticket.iter().cloned());
        }
    }
    let question_text = if evidence.strong.is_none() && !embedded.is_empty() {
        let mut q = fresh_text.clone();
        for e in &embedded {
            q.push_str("\n\n");
            q.push_str(&e.subject);
            q.push('\n');
            q.push_str(&e.fresh_text);
        }
        q
    } else {
        String::new()
    };

    Ok(ParsedMail {
        message_id: msg
            .message_id()
            .map(|id| one_line(&strip_angles(id)))
            .filter(|id| !id.is_empty()),
        subject,
        from,
        reply_to,
        to,
        cc,
        date,
        in_reply_to: ids(msg.in_reply_to())
            .into_iter()
            .map(|id| one_line(&id))
            .next(),
        references: ids(msg.references()),
        headers,
        body_text,
        fresh_text,
        attachments,
        auto_submitted: auto.as_ref().map(|a| a.kind),
        auto_evidence: auto.map(|a| one_line(&a.evidence)),
        machine_evidence: evidence,
        name_doubtful,
        text_doubtful: body.doubtful,
        embedded,
        question_text,
        returned_ids,
        returned_tickets,
        delivery,
    })
}

/// How triage reads mail: MIME headers, dates, addresses and ids parsed; other headers (X-…, Auto-Submitted,
/// Precedence) decoded from RFC 2047 words, not left raw.
fn configured() -> MessageParser {
    MessageParser::new()
        .with_mime_headers()
        .with_date_headers()
        .with_address_headers()
        .with_message_ids()
        .header_text(HeaderName::Subject)
        .header_text(HeaderName::Comments)
        .header_address(HeaderName::ListId)
        .header_address(HeaderName::ListUnsubscribe)
        .default_header_text()
}

/// The reading that decodes every part's transfer encoding, attachments included.
static FULL: LazyLock<MessageParser> = LazyLock::new(configured);

/// The same reading with `Content-Transfer-Encoding` left unread, so mail-parser undoes no encoding: it only
/// finds the parts. See [`read_structure`].
static LIGHT: LazyLock<MessageParser> =
    LazyLock::new(|| configured().ignore_header(HeaderName::ContentTransferEncoding));

/// The message's structure as mail-parser reads it.
///
/// mail-parser undoes the transfer encoding of every part as it finds it; triage reads only the text parts,
/// and decodes those again from the raw bytes (`body`), so for a message of text parts alone that decoding was
/// thrown away — it was the largest single cost of triage (a sixth of the CPU of `scripts/bench`). Such a
/// message is read without it ([`LIGHT`]) when that reading is provably the one the full reading gives
/// ([`light_reading_holds`]): the same parts at the same places, each text part's encoding read the same way,
/// attached files (whose content nothing reads) left encoded. Anything else — an embedded message, a base64
/// text part, a text part mail-parser's decoder would give up on — is read again in full, as before.
///
/// mail-parser 0.11.9 asserts its own MIME bookkeeping with `debug_assert!` (message.rs: «Invalid part ID,
/// could not find multipart»), and the fuzzer found multipart mail that trips it: a debug build would panic on
/// a citizen's message and its mailbox worker would die on it at every retry. A panic inside the parser, from
/// this or any other bug of the dependency, makes the message unreadable (errors folder, with the reason)
/// instead. In a release build that assertion is compiled out and the parser recovers the message itself.
fn read_structure(raw: &[u8], light_allowed: bool) -> Result<Message<'_>, MailError> {
    let light = light_allowed
        .then(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| LIGHT.parse(raw))));
    if let Some(Ok(Some(msg))) = light {
        if light_reading_holds(&msg) {
            return Ok(msg);
        }
    }
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| FULL.parse(raw)))
        .map_err(|_| MailError::ParserPanic)?
        .ok_or(MailError::NoHeaders)
}

/// Whether the light reading of `msg` is the full one: every part is a container, a text part whose encoding
/// the full reading would have undone without trouble and without moving the part's end — none, `7bit`,
/// `8bit`…, or quoted-printable its decoder does not give up on (base64 text is left to the full reading: its
/// decoder finds a part's end its own way, and checking that costs as much as decoding) — or an attached file.
///
/// An attached file (a PDF, an image) is never read for its content: only its name and type, from its headers,
/// which both readings read alike. Whatever its encoding, both readings end it at the same boundary: the light
/// one copies it up to there, and mail-parser's base64 and quoted-printable decoders stop there too, or — when
/// they give up on damaged data — look for that same boundary from the part's start (`seek_part_end`, the loop
/// `mime_part` runs), so the parts after it are found at the same places. Only the decoded bytes, which nothing
/// reads, differ. Decoding them was a pass over every attachment (mail-parser's base64 decoder, 4 % of
/// `scripts/bench`'s profile). Excluded: an attached message (`message/*` or `*.eml`, whose decoded bytes are
/// read as a forwarded message), and a part the light reading itself could not end (`is_encoding_problem`).
fn light_reading_holds(msg: &Message<'_>) -> bool {
    let raw: &[u8] = msg.raw_message.as_ref();
    msg.parts.iter().all(|part| {
        // A Content-Transfer-Encoding with an encoded word: the full reading decodes the word and may end
        // the header elsewhere than the light one, which skipped it to its line end.
        let plain_headers = part
            .headers
            .iter()
            .filter(|h| h.name == HeaderName::ContentTransferEncoding)
            .all(|h| {
                raw.get(h.offset_start as usize..h.offset_end as usize)
                    .is_some_and(|v| memchr::memmem::find(v, b"=?").is_none())
            });
        plain_headers
            && match &part.body {
                PartType::Multipart(_) => true,
                PartType::Text(_) | PartType::Html(_) => {
                    !part.is_encoding_problem && decodes_alike(raw, part, encoding_of(raw, part))
                }
                PartType::Binary(_) | PartType::InlineBinary(_) => {
                    !part.is_encoding_problem && !is_message(part)
                }
                PartType::Message(_) => false,
            }
    })
}

/// Whether `part` is declared a message (`message/rfc822`, `message/global`, or any `message/*`) or named
/// `*.eml`: its decoded bytes are read as a forwarded message (`forward`).
fn is_message(part: &MessagePart<'_>) -> bool {
    part.content_type()
        .is_some_and(|ct| ct.c_type.eq_ignore_ascii_case("message"))
        || part
            .attachment_name()
            .is_some_and(|n| n.to_ascii_lowercase().trim().ends_with(".eml"))
}

/// A part's transfer encoding as mail-parser decides which decoder to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// Copied as it is (none, `7bit`, `8bit`, `binary`, anything unknown).
    Identity,
    /// `quoted-printable`.
    QuotedPrintable,
    /// `base64`.
    Base64,
}

/// The encoding of `part`: mail-parser takes its last Content-Transfer-Encoding, compared without trimming.
fn encoding_of(raw: &[u8], part: &MessagePart<'_>) -> Encoding {
    let Some(header) = part
        .headers
        .iter()
        .rev()
        .find(|h| h.name == HeaderName::ContentTransferEncoding)
    else {
        return Encoding::Identity;
    };
    match value_of(raw, header).as_ref() {
        HeaderValue::Text(e) if e.eq_ignore_ascii_case("base64") => Encoding::Base64,
        HeaderValue::Text(e) if e.eq_ignore_ascii_case("quoted-printable") => {
            Encoding::QuotedPrintable
        }
        _ => Encoding::Identity,
    }
}

/// Whether the full reading would have decoded `part` (in `encoding`) and ended it where the light reading
/// did: mail-parser finds a part's end the same way whether it copies it or undoes its encoding, unless its
/// decoder gives up on the part.
fn decodes_alike(raw: &[u8], part: &MessagePart<'_>, encoding: Encoding) -> bool {
    let Some(body) = raw.get(part.offset_body as usize..part.offset_end as usize) else {
        return false;
    };
    match encoding {
        Encoding::Identity => true,
        Encoding::QuotedPrintable => !quoted_printable_gives_up(body),
        Encoding::Base64 => false,
    }
}

/// Whether mail-parser's quoted-printable decoder gives up on `body` (and the full reading then takes the part
/// as undecoded text elsewhere): it does when it meets a `=` right after a `=`, or after a `=` and one hex
/// digit — blanks and carriage returns between them included, and for the digit even a line end.
fn quoted_printable_gives_up(body: &[u8]) -> bool {
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'=', &body[i..]) {
        let mut j = i + at + 1;
        // Right after `=`; `digit` once one hex digit followed it.
        let mut digit = false;
        loop {
            let Some(&c) = body.get(j) else {
                return false;
            };
            j += 1;
            match c {
                b'=' => return true,
                b'\r' => {}
                b'\n' if !digit => break,
                b'\n' => {}
                _ if digit => break,
                _ if c.is_ascii_hexdigit() => digit = true,
                _ if c.is_ascii_whitespace() => {}
                _ => break,
            }
        }
        i = j;
    }
    false
}

/// The value of header `h` as the full reading gives it: the light reading leaves `Content-Transfer-Encoding`
/// unread ([`LIGHT`]), and it is read here from its raw bytes as the full reading does (unstructured text).
pub(crate) fn value_of<'a>(raw: &'a [u8], h: &'a Header<'a>) -> Cow<'a, HeaderValue<'a>> {
    if h.name == HeaderName::ContentTransferEncoding && matches!(h.value, HeaderValue::Empty) {
        if let Some(bytes) = raw.get(h.offset_start as usize..h.offset_end as usize) {
            return Cow::Owned(MessageStream::new(bytes).parse_unstructured());
        }
    }
    Cow::Borrowed(&h.value)
}

/// The raw value of the last header called `name` of the message's own header block (the one mail-parser's
/// accessors return).
pub(crate) fn raw_header<'a>(msg: &'a mail_parser::Message<'_>, name: &str) -> Option<&'a [u8]> {
    msg.headers()
        .iter()
        .rev()
        .find(|h| h.name.as_str().eq_ignore_ascii_case(name))
        .and_then(|h| {
            msg.raw_message
                .get(h.offset_start as usize..h.offset_end as usize)
        })
}

/// An address as the register keeps it: the name on one line, without control characters.
fn clean(mut a: Address) -> Address {
    a.name = a.name.map(|n| one_line(&n)).filter(|n| !n.is_empty());
    a
}

/// True when the input opens with a header field (`Name: value`), optionally after an mbox `From ` line.
fn starts_with_header(raw: &[u8]) -> bool {
    let mut lines = raw.split(|b| *b == b'\n');
    let mut first = lines.next().unwrap_or(&[]);
    if first.starts_with(b"From ") {
        first = lines.next().unwrap_or(&[]);
    }
    let Some(colon) = first.iter().position(|b| *b == b':') else {
        return false;
    };
    // RFC 5322 field names: printable ASCII except ':' and space.
    colon > 0 && first[..colon].iter().all(|b| (33..=126).contains(b))
}

/// `RV:`, `FW:`, `Fwd:`, `Reenviar:` — a forwarded message, whose quoted content is the question.
pub(crate) fn is_forward_subject(subject: &str) -> bool {
    let s = subject.trim_start().to_lowercase();
    ["rv:", "fw:", "fwd:", "reenv:", "reenviar:", "tr:", "enc:"]
        .iter()
        .any(|p| s.starts_with(p))
}

/// Header text as one clean line: NUL and other control characters (a CR or LF smuggled into a subject or a name
/// by broken line endings) become spaces, runs of whitespace one space. The register, the rules and PostgreSQL
/// (which refuses NUL in text) only ever see this.
pub(crate) fn one_line(s: &str) -> String {
    // One pass and one allocation (every header of every message comes through here): a control character
    // counts as a space, and each run of them and of whitespace between two words becomes one space.
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars() {
        if c.is_control() || c.is_whitespace() {
            gap = !out.is_empty();
        } else {
            if gap {
                out.push(' ');
                gap = false;
            }
            out.push(c);
        }
    }
    out
}

fn to_address(addr: &mail_parser::Addr<'_>) -> Option<Address> {
    // Only what a server would accept as an address: mail-parser also returns fragments of garbage (`<<@@`).
    let email = super::address::clean_address(addr.address()?.as_bytes())?;
    let name = addr
        .name()
        .map(|n| one_line(n).trim_matches('"').trim().to_string())
        .filter(|n| !n.is_empty());
    Some(Address { email, name })
}

fn strip_angles(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

/// Message ids from an `In-Reply-To`/`References` value.
fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(t) => vec![strip_angles(t)],
        HeaderValue::TextList(list) => list.iter().map(|t| strip_angles(t)).collect(),
        _ => Vec::new(),
    }
}

/// A header's value as text, whatever mail-parser made of it.
fn header_text(value: &HeaderValue<'_>) -> String {
    match value {
        HeaderValue::Text(t) => t.trim().to_string(),
        HeaderValue::TextList(list) => list.join(", "),
        HeaderValue::Address(addr) => addr
            .iter()
            .map(|a| match (a.name(), a.address()) {
                (Some(n), Some(e)) => format!("{n} <{e}>"),
                (None, Some(e)) => e.to_string(),
                (Some(n), None) => n.to_string(),
                (None, None) => String::new(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        HeaderValue::DateTime(d) => d.to_rfc822(),
        HeaderValue::ContentType(ct) => match &ct.c_subtype {
            Some(sub) => format!("{}/{}", ct.c_type, sub),
            None => ct.c_type.to_string(),
        },
        HeaderValue::Received(r) => r.id().unwrap_or("").to_string(),
        HeaderValue::Empty => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_of_the_corpora_reads_the_same_light_or_in_full() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut read = 0;
        for dir in [
            "tests/corpus",
            "tests/routing/tune",
            "tests/hostile",
            "tests/hostile_independent/tune",
            "tests/drafts",
            "tests/fuzz_regressions/parse_classify",
            "fuzz/corpus/parse_classify",
            "examples/demo",
        ] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
                if !path.is_file() || path.extension().is_some_and(|x| x == "toml") {
                    continue;
                }
                let raw = std::fs::read(&path).expect("readable");
                assert_eq!(
                    parse_reading(&raw, true),
                    parse_reading(&raw, false),
                    "{}",
                    path.display()
                );
                read += 1;
            }
        }
        assert!(read > 500, "{read}");
    }

    #[test]
    fn one_line_is_the_text_with_controls_as_spaces_and_whitespace_runs_joined() {
        let before = |s: &str| {
            let cleaned: String = s
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        for s in [
            "",
            "   ",
            "Consulta sobre el RNP",
            "  dos\r\n  líneas\t y\u{0}NUL ",
            "a\u{a0}\u{a0}b\u{2028}c\u{85}d\u{1}\u{7f}e",
            "\u{3000}ideográfico\u{3000}",
            "=?utf-8?q?no_decodificado?=",
        ] {
            assert_eq!(one_line(s), before(s), "{s:?}");
        }
    }

    #[test]
    fn a_quoted_printable_text_mail_parser_would_give_up_on_is_read_in_full() {
        assert!(!quoted_printable_gives_up(
            b"inscripci=C3=B3n=\r\n sigue =ZZ y 3 = 3"
        ));
        assert!(!quoted_printable_gives_up(b"fin =\r\n= 3D"));
        assert!(quoted_printable_gives_up(b"a == b"));
        assert!(quoted_printable_gives_up(b"a = = b"));
        assert!(quoted_printable_gives_up(b"a =A= b"));
        assert!(quoted_printable_gives_up(b"a =A\r\n= b"));
    }

    #[test]
    fn a_message_reads_the_same_without_mail_parsers_decoding_or_is_read_in_full() {
        let plain = "From: a@b.pe\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\
                     Content-Transfer-Encoding: quoted-printable\r\n\r\nNo puedo ingresar al SEACE, \
                     mi inscripci=C3=B3n=\r\n est=C3=A1 vencida.\r\n";
        let alternative = "From: a@b.pe\r\nSubject: x\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n\
                           --b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: \
                           quoted-printable\r\n\r\nRenovaci=C3=B3n del RNP\r\n--b\r\nContent-Type: text/html; \
                           charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>Renovaci=C3=B3n \
                           del RNP</p>\r\n--b--\r\n";
        let given_up = plain.replace("SEACE,", "SEACE == ");
        let base64 = "From: a@b.pe\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\
                      Content-Transfer-Encoding: base64\r\n\r\nUmVub3ZhY2nDs24gZGVsIFJOUA==\r\n";
        let attached = "From: a@b.pe\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
                        --b\r\nContent-Type: text/plain\r\n\r\nAdjunto la constancia\r\n--b\r\nContent-Type: \
                        application/pdf; name=\"c.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0x\r\n--b--\r\n";
        let broken = base64.replace("UmVub3", "Um!!o3");
        let eml = attached
            .replace("application/pdf; name=\"c.pdf\"", "message/rfc822")
            .replace("JVBERi0x", "U3ViamVjdDogeA0KDQpob2xh");
        let eml_named = attached.replace(
            "application/pdf; name=\"c.pdf\"",
            "application/octet-stream; name=\"c.eml\"",
        );
        // An attached file's damaged base64 (the full reading gives up on it and looks for its end again), or
        // one with a line that starts like a boundary: the parts after it are where the light reading puts them.
        let damaged_file = attached.replace("JVBERi0x", "JV!!Ri0x\r\n--not-the-boundary\r\nAAAA");
        let two_files = attached.replace(
            "--b--",
            "--b\r\nContent-Type: image/png; name=\"f.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0K\r\n--b--",
        );
        for (raw, light) in [
            (plain, true),
            (alternative, true),
            (given_up.as_str(), false),
            (base64, false),
            (broken.as_str(), false),
            (attached, true),
            (damaged_file.as_str(), true),
            (two_files.as_str(), true),
            (eml.as_str(), false),
            (eml_named.as_str(), false),
        ] {
            let read = LIGHT.parse(raw.as_bytes()).expect("a message");
            assert_eq!(light_reading_holds(&read), light, "{raw}");
            assert_eq!(
                parse_reading(raw.as_bytes(), true),
                parse_reading(raw.as_bytes(), false),
                "{raw}"
            );
            let full = FULL.parse(raw.as_bytes()).expect("a message");
            if light {
                assert_eq!(body_text(&read), body_text(&full), "{raw}");
                assert_eq!(read.text_body, full.text_body);
                assert_eq!(read.html_body, full.html_body);
            }
        }
    }
}
