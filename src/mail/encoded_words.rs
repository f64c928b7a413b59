//! Header text as mail clients read it: RFC 2047 encoded words decoded leniently, raw 8-bit bytes sniffed.
//!
//! Lenient where senders are sloppy, the way Thunderbird is: adjacent encoded words are joined before their
//! charset is decoded (so a character split across two words survives), an encoded word without its closing
//! `?=` runs to the end of its token, base64 is decoded up to the first damage, a `=` that starts no hex pair in
//! Q encoding is kept as it is, and an unknown charset is sniffed like raw bytes. What could not be read is
//! reported as doubtful.

use super::charset::{self, Decoded};

/// Decodes a raw header value (the bytes after `Name:`, possibly folded).
pub fn decode_header(raw: &[u8]) -> Decoded {
    let unfolded = unfold(raw);
    let mut text = String::with_capacity(unfolded.len());
    let mut doubtful = false;
    // Decoded bytes of consecutive encoded words in one charset, waiting to be decoded together.
    let mut pending: Option<(String, Vec<u8>)> = None;
    // Whitespace seen after an encoded word: dropped if another encoded word follows (RFC 2047 §6.2).
    let mut gap: Vec<u8> = Vec::new();
    let mut plain: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < unfolded.len() {
        if unfolded[i..].starts_with(b"=?") {
            if let Some(word) = encoded_word(&unfolded[i..]) {
                // Text before this word.
                if !plain.is_empty() {
                    flush_pending(&mut pending, &mut text, &mut doubtful);
                    push_plain(&mut text, &mut doubtful, &gap);
                    push_plain(&mut text, &mut doubtful, &plain);
                    plain.clear();
                }
                gap.clear();
                doubtful |= word.damaged;
                match &mut pending {
                    Some((cs, bytes)) if cs.eq_ignore_ascii_case(&word.charset) => {
                        bytes.extend_from_slice(&word.bytes)
                    }
                    _ => {
                        flush_pending(&mut pending, &mut text, &mut doubtful);
                        pending = Some((word.charset, word.bytes));
                    }
                }
                i += word.consumed;
                continue;
            }
        }
        let b = unfolded[i];
        if pending.is_some() && plain.is_empty() && (b == b' ' || b == b'\t') {
            gap.push(b);
        } else {
            plain.push(b);
        }
        i += 1;
    }
    flush_pending(&mut pending, &mut text, &mut doubtful);
    push_plain(&mut text, &mut doubtful, &gap);
    push_plain(&mut text, &mut doubtful, &plain);
    if text.contains('\u{fffd}') {
        doubtful = true;
    }
    Decoded { text, doubtful }
}

/// Removes folding: a line break followed by a space or tab is not part of the value; any other stray line
/// break (broken line ends) separates words like a space.
fn unfold(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'\r' | b'\n' => {
                let mut j = i;
                while j < raw.len() && matches!(raw[j], b'\r' | b'\n') {
                    j += 1;
                }
                if !matches!(raw.get(j), Some(b' ' | b'\t') | None) {
                    out.push(b' ');
                }
                i = j;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

fn flush_pending(pending: &mut Option<(String, Vec<u8>)>, text: &mut String, doubtful: &mut bool) {
    if let Some((cs, bytes)) = pending.take() {
        let d = charset::decode(&bytes, Some(&cs));
        *doubtful |= d.doubtful;
        text.push_str(&d.text);
    }
}

fn push_plain(text: &mut String, doubtful: &mut bool, bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    let d = charset::header_bytes(bytes);
    *doubtful |= d.doubtful;
    // A leftover `=?` means an encoded word nobody could read (an unknown encoding letter): say so.
    if d.text.contains("=?") && d.text.contains('?') {
        *doubtful = true;
    }
    text.push_str(&d.text);
}

/// One encoded word at the start of `s`.
struct Word {
    charset: String,
    bytes: Vec<u8>,
    consumed: usize,
    damaged: bool,
}

/// Parses `=?charset?B|Q?text?=` at the start of `s`, leniently; `None` when it is not an encoded word.
fn encoded_word(s: &[u8]) -> Option<Word> {
    let body = &s[2..];
    let q1 = body.iter().position(|&b| b == b'?')?;
    let charset_raw = std::str::from_utf8(&body[..q1]).ok()?;
    if charset_raw.is_empty()
        || charset_raw.len() > 40
        || !charset_raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:*".contains(&b))
    {
        return None;
    }
    // RFC 2231 language suffix: `utf-8*es`.
    let charset = charset_raw.split('*').next().unwrap_or("").to_string();
    let rest = &body[q1 + 1..];
    let (&enc, rest) = rest.split_first()?;
    let enc = enc.to_ascii_uppercase();
    if !matches!(enc, b'B' | b'Q') || rest.first() != Some(&b'?') {
        return None;
    }
    let text_start = &rest[1..];
    let (text, consumed_text, terminated) = match find(text_start, b"?=") {
        Some(end) => (&text_start[..end], end + 2, true),
        // No closing `?=`: the word runs to the next whitespace (or the end of the value).
        None => {
            let end = text_start
                .iter()
                .position(|b| b.is_ascii_whitespace())
                .unwrap_or(text_start.len());
            (&text_start[..end], end, false)
        }
    };
    if text.iter().any(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let (bytes, damaged) = match enc {
        b'B' => base64_prefix(text),
        _ => q_decode(text),
    };
    Some(Word {
        charset,
        bytes,
        consumed: 2 + q1 + 1 + 2 + consumed_text,
        damaged: damaged || !terminated,
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Base64 decoded up to the first character outside the alphabet; `true` when something was left out.
pub(crate) fn base64_prefix(text: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut damaged = false;
    for &c in text {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => {
                damaged = true;
                break;
            }
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (out, damaged)
}

/// RFC 2047 Q encoding: `_` is a space, `=XX` a byte; a `=` without two hex digits is kept as written.
fn q_decode(text: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(text.len());
    let mut damaged = false;
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'_' => out.push(b' '),
            b'=' => match (text.get(i + 1).and_then(hex), text.get(i + 2).and_then(hex)) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => {
                    damaged = true;
                    out.push(b'=');
                }
            },
            b => out.push(b),
        }
        i += 1;
    }
    (out, damaged)
}

fn hex(b: &u8) -> Option<u8> {
    (*b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(raw: &str) -> String {
        decode_header(raw.as_bytes()).text
    }

    #[test]
    fn well_formed_words_decode() {
        assert_eq!(
            text("=?UTF-8?Q?Renovaci=C3=B3n_de_inscripci=C3=B3n?="),
            "Renovación de inscripción"
        );
        assert_eq!(text("=?iso-8859-1?q?Jos=E9?= Ñique"), "José Ñique");
        assert_eq!(text("=?utf-8?B?w5F1c3Rh?= Mamani"), "Ñusta Mamani");
        assert_eq!(text("Consulta sin codificar"), "Consulta sin codificar");
    }

    #[test]
    fn adjacent_words_join_and_whitespace_between_them_goes() {
        assert_eq!(text("=?utf-8?Q?a?= =?utf-8?Q?b?="), "ab");
        assert_eq!(text("=?utf-8?Q?a?=\r\n =?utf-8?Q?b?= c"), "ab c");
        // "ó" (C3 B3) split between two words.
        assert_eq!(
            text("=?utf-8?Q?Inscripci=C3?= =?utf-8?Q?=B3n?="),
            "Inscripción"
        );
    }

    #[test]
    fn sloppy_words_still_read() {
        let d = decode_header(b"=?utf-8?Q?Consulta_sobre_el_plazo_de_apelaci=C3=B3n");
        assert_eq!(d.text, "Consulta sobre el plazo de apelación");
        let d = decode_header(b"=?utf-8?B?Q29uc3VsdGEg!!@@?= sobre SEACE");
        assert_eq!(
            d.text.split_whitespace().collect::<Vec<_>>().join(" "),
            "Consulta sobre SEACE"
        );
        assert!(d.doubtful);
        assert_eq!(text("=?x-desconocido?Q?Jos=C3=A9?="), "José");
        assert_eq!(text("=?utf-8?Q?Plazo_=ZZ_de?="), "Plazo =ZZ de");
    }

    #[test]
    fn raw_8bit_headers_are_sniffed() {
        assert_eq!(decode_header(b"inscripci\xf3n").text, "inscripción");
        assert_eq!(decode_header("inscripción".as_bytes()).text, "inscripción");
        let d = decode_header(b"=?ISO-2022-JP?B?GyRCRVBPPxsoQg==?= RNP");
        assert_eq!(d.text, "登録 RNP");
    }
}
