//! Content-Transfer-Encoding undone leniently: a damaged base64 or quoted-printable part is decoded up to (and
//! around) the damage instead of being dropped whole.
//!
//! MIME writes base64 in lines of 76 characters, each a whole number of 4-character groups, so one line with a
//! bad character can be skipped and the lines after it still decode. That is what a person would read in a mail
//! client that shows "the rest of the message".

use std::borrow::Cow;

/// Bytes of a part's body after undoing its transfer encoding, and whether damage was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undone<'a> {
    /// The decoded bytes: borrowed from the part when there was nothing to undo (7bit, 8bit, binary).
    pub bytes: Cow<'a, [u8]>,
    /// True when some input could not be decoded and was left out (or kept as written).
    pub damaged: bool,
}

/// Undoes `encoding` (the `Content-Transfer-Encoding` value; anything unknown is taken as it is).
pub fn undo<'a>(encoding: Option<&str>, body: &'a [u8]) -> Undone<'a> {
    let encoding = encoding.map(str::trim);
    let is = |name: &str| encoding.is_some_and(|e| e.eq_ignore_ascii_case(name));
    if is("base64") {
        base64(body)
    } else if is("quoted-printable") {
        quoted_printable(body)
    } else {
        Undone {
            bytes: Cow::Borrowed(body),
            damaged: false,
        }
    }
}

/// Base64, line by line when a line is damaged.
fn base64(body: &[u8]) -> Undone<'static> {
    if let Some(bytes) = strict_base64(body) {
        return Undone {
            bytes: Cow::Owned(bytes),
            damaged: false,
        };
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut damaged = false;
    // Characters of lines that were not a whole number of groups, carried into the next line (an encoder with
    // another line length).
    let mut carry: Vec<u8> = Vec::new();
    for line in body.split(|&b| b == b'\n') {
        let clean: Vec<u8> = line
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        if clean.is_empty() {
            continue;
        }
        if clean.iter().all(|&b| is_b64(b) || b == b'=') {
            carry.extend_from_slice(&clean);
            let whole = carry.len() / 4 * 4;
            if let Some(bytes) = strict_base64(&carry[..whole]) {
                out.extend_from_slice(&bytes);
                carry.drain(..whole);
                continue;
            }
        }
        damaged = true;
        // Characters inserted into a line (a mail gateway's garbage) leave the groups around them intact: without
        // them, a line that is still a whole number of groups decodes.
        let kept: Vec<u8> = clean
            .iter()
            .copied()
            .filter(|&b| is_b64(b) || b == b'=')
            .collect();
        if (carry.len() + kept.len()).is_multiple_of(4) {
            carry.extend_from_slice(&kept);
            if let Some(bytes) = strict_base64(&carry) {
                out.extend_from_slice(&bytes);
                carry.clear();
                continue;
            }
        }
        // Otherwise the line is left out, with whatever was carried into it, so the next line starts on a group
        // boundary again.
        carry.clear();
    }
    if !carry.is_empty() {
        // The tail that is not a whole group: decode what it holds.
        let (bytes, _) = super::encoded_words::base64_prefix(&carry);
        out.extend_from_slice(&bytes);
        damaged = true;
    }
    Undone {
        bytes: Cow::Owned(out),
        damaged,
    }
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// Base64 that must be entirely valid (whitespace ignored, padding only at the end of a group).
fn strict_base64(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut group = [0u8; 4];
    let mut n = 0;
    let mut ended = false;
    for &c in body {
        if c.is_ascii_whitespace() {
            continue;
        }
        if ended {
            // Data after a padded group: several encoded blocks glued together. Start a new group.
            if c == b'=' {
                continue;
            }
            ended = false;
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                // Padding: the group ends here. Stray padding between groups (a careless encoder, a line
                // glued on) carries no data and is skipped.
                match n {
                    0 | 1 => continue,
                    2 => out.push(group[0] << 2 | group[1] >> 4),
                    _ => {
                        out.push(group[0] << 2 | group[1] >> 4);
                        out.push(group[1] << 4 | group[2] >> 2);
                    }
                }
                n = 0;
                ended = true;
                continue;
            }
            _ => return None,
        };
        group[n] = v;
        n += 1;
        if n == 4 {
            out.push(group[0] << 2 | group[1] >> 4);
            out.push(group[1] << 4 | group[2] >> 2);
            out.push(group[2] << 6 | group[3]);
            n = 0;
        }
    }
    match n {
        0 => Some(out),
        // Missing padding: what the characters hold.
        2 => {
            out.push(group[0] << 2 | group[1] >> 4);
            Some(out)
        }
        3 => {
            out.push(group[0] << 2 | group[1] >> 4);
            out.push(group[1] << 4 | group[2] >> 2);
            Some(out)
        }
        _ => None,
    }
}

/// Quoted-printable: `=XX` bytes, soft line breaks joined; a `=` that starts no hex pair is kept as written.
fn quoted_printable(body: &[u8]) -> Undone<'static> {
    let mut out = Vec::with_capacity(body.len());
    let mut damaged = false;
    let mut i = 0;
    while i < body.len() {
        // The text between two `=` is copied as it is, in one go: most of a part is plain text, and a byte at a
        // time was most of the decoding's cost.
        let Some(run) = memchr::memchr(b'=', &body[i..]) else {
            out.extend_from_slice(&body[i..]);
            break;
        };
        out.extend_from_slice(&body[i..i + run]);
        i += run;
        let rest = &body[i + 1..];
        // Soft line break: `=` then optional trailing blanks then the line end (or the end of the part).
        let blanks = rest
            .iter()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count();
        match rest.get(blanks) {
            None => {
                i = body.len();
                continue;
            }
            Some(b'\r') if rest.get(blanks + 1) == Some(&b'\n') => {
                i += 1 + blanks + 2;
                continue;
            }
            Some(b'\n') => {
                i += 1 + blanks + 1;
                continue;
            }
            _ => {}
        }
        let hex = |c: Option<&u8>| c.and_then(|c| (*c as char).to_digit(16));
        match (hex(rest.first()), hex(rest.get(1))) {
            (Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            _ => {
                damaged = true;
                out.push(b'=');
                i += 1;
            }
        }
    }
    Undone {
        bytes: Cow::Owned(out),
        damaged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64_lines(text: &str) -> String {
        use base64::Engine as _;
        let enc = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
        enc.as_bytes()
            .chunks(76)
            .map(|c| String::from_utf8_lossy(c).to_string() + "\r\n")
            .collect()
    }

    #[test]
    fn one_bad_base64_line_loses_only_that_line() {
        let text = "Buenos días, no puedo ingresar al SEACE: mi usuario está bloqueado y olvidé la \
                    contraseña. ¿Cómo puedo recuperar el acceso? Necesito presentar mi oferta mañana. \
                    Atentamente, María Quispe Huamán, DNI 40123456.";
        let good = b64_lines(text);
        let mut lines: Vec<String> = good.lines().map(str::to_string).collect();
        lines[1] = format!("{}!!", &lines[1][..70]);
        let damaged = lines.join("\r\n");
        let out = undo(Some("base64"), damaged.as_bytes());
        assert!(out.damaged);
        let read = String::from_utf8_lossy(&out.bytes);
        assert!(
            read.starts_with("Buenos días, no puedo ingresar al SEACE: mi usua"),
            "{read}"
        );
        assert!(read.contains("Atentamente, María Quispe Huamán"), "{read}");
    }

    #[test]
    fn good_base64_is_exact_with_or_without_padding() {
        assert_eq!(undo(Some("BASE64"), b"SG9sYQ==\r\n").bytes, &b"Hola"[..]);
        assert_eq!(undo(Some("base64"), b"SG9sYQ").bytes, &b"Hola"[..]);
        assert!(!undo(Some("base64"), b"SG9s\r\nYQ==").damaged);
    }

    #[test]
    fn quoted_printable_keeps_what_it_cannot_read() {
        let out = undo(
            Some("quoted-printable"),
            b"inscripci=C3=B3n =ZZ=\r\n sigue=",
        );
        assert_eq!(out.bytes, "inscripción =ZZ sigue".as_bytes());
        assert!(out.damaged);
        assert_eq!(undo(Some("quoted-printable"), b"a=3Db").bytes, &b"a=b"[..]);
    }

    #[test]
    fn other_encodings_are_taken_as_they_are() {
        assert_eq!(undo(Some("8bit"), b"a\xf3").bytes, &b"a\xf3"[..]);
        assert_eq!(undo(Some("x-uuencode"), b"begin").bytes, &b"begin"[..]);
        assert_eq!(undo(None, b"x").bytes, &b"x"[..]);
    }
}
