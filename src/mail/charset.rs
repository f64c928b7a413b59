//! Bytes → text with the fallbacks mail clients use when a message lies about (or forgets) its charset.
//!
//! Citizens' mail is often mislabelled: Latin-1 bytes declared as UTF-8 or US-ASCII, UTF-8 declared as
//! ISO-8859-1, raw 8-bit headers with no label at all, Japanese suppliers' ISO-2022-JP. Thunderbird and Outlook
//! show those correctly by sniffing; so does this module. The result says when the decoding is doubtful (bytes
//! that no reading explains), so text shown back to a citizen — the greeting of the acknowledgement — can leave
//! out a name rather than print replacement characters.

/// Text decoded from bytes, and whether the decoding can be trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text; bytes that no charset explains are U+FFFD.
    pub text: String,
    /// True when some bytes could not be decoded (the text holds U+FFFD or a guess).
    pub doubtful: bool,
}

/// Decodes `bytes` declared as `label` (a MIME charset name; `None` when the message gave none).
///
/// - ISO-2022-JP escape sequences are recognised whatever the label says (7-bit, often sent unlabelled).
/// - No label, US-ASCII, UTF-8 or an unknown label: UTF-8 when the bytes are UTF-8, else Windows-1252 (the
///   superset of Latin-1 every client falls back to).
/// - ISO-8859-1 / Windows-1252 labels on bytes that are valid multi-byte UTF-8: UTF-8 (no Latin-1 text
///   reads as valid UTF-8 by chance), else Windows-1252 (whose extra letters — curly quotes, dashes, the euro —
///   are what "ISO-8859-1" mail from Windows actually holds).
/// - Any other label known to `encoding_rs` or to mail-parser (UTF-7, UTF-16 without a BOM…): that charset.
pub fn decode(bytes: &[u8], label: Option<&str>) -> Decoded {
    let label = clean_label(label);
    if bytes.is_ascii() {
        if looks_like_iso2022jp(bytes) && label.as_deref() != Some("utf-7") {
            return with_encoding(encoding_rs::ISO_2022_JP, bytes);
        }
        // UTF-7 and UTF-16 can be pure ASCII bytes that mean something else; everything else reads as ASCII.
        if !matches!(label.as_deref(), Some(l) if l.starts_with("utf-7") || l.starts_with("utf-16") || l.starts_with("utf16"))
        {
            return Decoded {
                text: String::from_utf8_lossy(bytes).into_owned(),
                doubtful: false,
            };
        }
    }
    match label.as_deref() {
        None | Some("us-ascii" | "ascii" | "utf-8" | "utf8" | "unknown-8bit" | "x-unknown") => {
            utf8_or_latin(bytes)
        }
        Some(
            "iso-8859-1" | "iso8859-1" | "latin1" | "latin-1" | "windows-1252" | "cp1252"
            | "iso_8859-1",
        ) => {
            if has_multibyte_utf8(bytes) {
                utf8_or_latin(bytes)
            } else {
                with_encoding(encoding_rs::WINDOWS_1252, bytes)
            }
        }
        Some(other) => match encoding_rs::Encoding::for_label(other.as_bytes()) {
            // UTF-16 labels without a byte-order mark: mail-parser guesses the byte order, encoding_rs does not.
            Some(enc) if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE => {
                by_mail_parser(other, bytes).unwrap_or_else(|| with_encoding(enc, bytes))
            }
            Some(enc) if enc == encoding_rs::REPLACEMENT => utf8_or_latin(bytes),
            Some(enc) => {
                let decoded = with_encoding(enc, bytes);
                // A wrong label (UTF-8 bytes declared as some other charset): what the bytes are wins.
                if decoded.doubtful && std::str::from_utf8(bytes).is_ok() {
                    utf8_or_latin(bytes)
                } else {
                    decoded
                }
            }
            None => by_mail_parser(other, bytes).unwrap_or_else(|| utf8_or_latin(bytes)),
        },
    }
}

/// [`decode`] of bytes the caller owns (or borrows): when they read as they are (ASCII, or UTF-8 under a label
/// that [`decode`] reads as UTF-8 when it is), the text takes them over instead of copying them. A part of
/// 20 KB was copied once more here for nothing.
pub fn decode_owned(bytes: std::borrow::Cow<'_, [u8]>, label: Option<&str>) -> Decoded {
    let std::borrow::Cow::Owned(owned) = bytes else {
        return decode(&bytes, label);
    };
    let clean = clean_label(label);
    let as_is = if owned.is_ascii() {
        // The cases `decode` reads as ASCII: neither ISO-2022-JP escapes (unless labelled UTF-7) nor a UTF-7
        // or UTF-16 label.
        let iso2022jp = looks_like_iso2022jp(&owned) && clean.as_deref() != Some("utf-7");
        let wide = matches!(clean.as_deref(), Some(l) if l.starts_with("utf-7") || l.starts_with("utf-16") || l.starts_with("utf16"));
        !(iso2022jp || wide)
    } else {
        // The labels `decode` reads as UTF-8 whenever the bytes are UTF-8.
        matches!(
            clean.as_deref(),
            None | Some(
                "us-ascii"
                    | "ascii"
                    | "utf-8"
                    | "utf8"
                    | "unknown-8bit"
                    | "x-unknown"
                    | "iso-8859-1"
                    | "iso8859-1"
                    | "latin1"
                    | "latin-1"
                    | "windows-1252"
                    | "cp1252"
                    | "iso_8859-1"
            )
        )
    };
    if !as_is {
        return decode(&owned, label);
    }
    match String::from_utf8(owned) {
        Ok(text) => Decoded {
            text,
            doubtful: false,
        },
        Err(e) => decode(e.as_bytes(), label),
    }
}

/// A MIME charset label as [`decode`] compares it: trimmed, unquoted, lower-case; `None` when empty.
fn clean_label(label: Option<&str>) -> Option<String> {
    label
        .map(|l| {
            l.trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .to_ascii_lowercase()
        })
        .filter(|l| !l.is_empty())
}

/// UTF-8 when the bytes are UTF-8, else Windows-1252; doubtful only when neither explains them.
fn utf8_or_latin(bytes: &[u8]) -> Decoded {
    match std::str::from_utf8(bytes) {
        Ok(s) => Decoded {
            text: s.to_string(),
            doubtful: false,
        },
        Err(_) if has_valid_multibyte(bytes) => {
            // A few broken sequences in UTF-8 text (a truncated line, a bad byte): keep the UTF-8 reading.
            Decoded {
                text: String::from_utf8_lossy(bytes).into_owned(),
                doubtful: true,
            }
        }
        Err(_) => with_encoding(encoding_rs::WINDOWS_1252, bytes),
    }
}

/// Decodes with one `encoding_rs` encoding; doubtful when it met bytes it could not map.
fn with_encoding(enc: &'static encoding_rs::Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    // Windows-1252 maps five bytes to nothing (0x81, 0x8D, 0x8F, 0x90, 0x9D): encoding_rs gives them as C1
    // controls, which are no text either.
    let doubtful = had_errors
        || (enc == encoding_rs::WINDOWS_1252
            && text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)));
    Decoded {
        text: text.into_owned(),
        doubtful,
    }
}

/// mail-parser's decoder for a label `encoding_rs` does not know (UTF-7) or decodes differently (UTF-16
/// without a byte-order mark, whose order mail-parser guesses).
fn by_mail_parser(label: &str, bytes: &[u8]) -> Option<Decoded> {
    let decoder = mail_parser::decoders::charsets::map::charset_decoder(label.as_bytes())?;
    let text = decoder(bytes);
    let doubtful = text.contains('\u{fffd}');
    Some(Decoded { text, doubtful })
}

/// True when the bytes hold ISO-2022-JP escape sequences (ESC `$B`, ESC `$@`, ESC `(J`, ESC `(B`…).
pub fn looks_like_iso2022jp(bytes: &[u8]) -> bool {
    bytes.windows(3).any(|w| {
        w[0] == 0x1b
            && matches!(
                (w[1], w[2]),
                (b'$', b'B' | b'@' | b'(') | (b'(', b'J' | b'I')
            )
    })
}

/// True when the bytes contain at least one well-formed multi-byte UTF-8 sequence and are valid UTF-8.
fn has_multibyte_utf8(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
}

/// True when the bytes hold at least one well-formed multi-byte UTF-8 sequence: Latin-1 text almost never
/// does by chance (it would take a capital A with tilde followed by a symbol), so such text is UTF-8 with some
/// damage.
fn has_valid_multibyte(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => return !s.is_ascii(),
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                if !valid.is_ascii() {
                    return true;
                }
                let skip = e.error_len().unwrap_or(after.len()).max(1);
                rest = &after[skip.min(after.len())..];
                if rest.is_empty() {
                    return false;
                }
            }
        }
    }
}

/// The text of an unlabelled header value (raw 8-bit bytes, RFC 6532 or a careless client): UTF-8 when it is
/// UTF-8, else Windows-1252.
pub fn header_bytes(bytes: &[u8]) -> Decoded {
    if looks_like_iso2022jp(bytes) {
        return with_encoding(encoding_rs::ISO_2022_JP, bytes);
    }
    utf8_or_latin(bytes)
}

/// True when text decoded from a message can be shown back to its sender as it is: no replacement characters,
/// no encoded word left raw, no control characters.
pub fn presentable(text: &str) -> bool {
    let raw_word = text.contains("=?") && text.contains("?=");
    !(raw_word || text.contains('\u{fffd}') || text.chars().any(char::is_control))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_declared_as_utf8_reads_as_latin1() {
        let d = decode(b"inscripci\xf3n a\xf1o", Some("utf-8"));
        assert_eq!(d.text, "inscripción año");
        assert!(!d.doubtful);
    }

    #[test]
    fn utf8_declared_as_latin1_reads_as_utf8() {
        let d = decode("Señorita ¿qué?".as_bytes(), Some("iso-8859-1"));
        assert_eq!(d.text, "Señorita ¿qué?");
    }

    #[test]
    fn latin1_label_gets_windows_1252_punctuation() {
        let d = decode(b"\x93no procede\x94 \x96 \x80", Some("iso-8859-1"));
        assert_eq!(d.text, "“no procede” – €");
    }

    #[test]
    fn unlabelled_iso2022jp_is_recognised() {
        let d = decode(b"\x1b$B%O%m!<\x1b(B RNP", None);
        assert_eq!(d.text, "ハロー RNP");
        let d = decode(b"\x1b$B%O%m!<\x1b(B RNP", Some("us-ascii"));
        assert_eq!(d.text, "ハロー RNP");
    }

    #[test]
    fn unknown_labels_fall_back_to_sniffing() {
        assert_eq!(decode(b"d\xedas", Some("x-unknown")).text, "días");
        assert_eq!(decode("días".as_bytes(), Some("x-klingon")).text, "días");
    }

    #[test]
    fn utf7_and_utf16_still_decode() {
        assert_eq!(decode(b"se+APM-n", Some("utf-7")).text, "seón");
        assert_eq!(decode(b"\xe1\x00\xe9\x00", Some("utf-16le")).text, "áé");
    }

    #[test]
    fn owned_bytes_decode_as_borrowed_ones() {
        let cases: [(&[u8], Option<&str>); 9] = [
            (b"inscripci\xf3n a\xf1o", Some("utf-8")),
            ("Señorita ¿qué?".as_bytes(), Some("iso-8859-1")),
            (b"\x93no procede\x94", Some("ISO-8859-1")),
            (b"\x1b$B%O%m!<\x1b(B RNP", None),
            (b"se+APM-n", Some("utf-7")),
            (b"\xe1\x00\xe9\x00", Some("utf-16le")),
            ("días".as_bytes(), Some("x-klingon")),
            ("Consulta del año".as_bytes(), Some("\"UTF-8\"")),
            (b"plain ascii", None),
        ];
        for (bytes, label) in cases {
            assert_eq!(
                decode_owned(std::borrow::Cow::Owned(bytes.to_vec()), label),
                decode(bytes, label),
                "{bytes:?} {label:?}"
            );
        }
    }

    #[test]
    fn damaged_utf8_is_kept_but_doubtful() {
        let mut bytes = "Consulta sobre inscripción del año".as_bytes().to_vec();
        bytes.push(0xc3);
        let d = decode(&bytes, Some("utf-8"));
        assert!(d.text.starts_with("Consulta sobre inscripción del año"));
        assert!(d.doubtful);
    }
}
