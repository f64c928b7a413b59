//! The sender of a message read leniently from its raw `From:` (or `Reply-To:`) value, as a mail client would:
//! unbalanced quotes, comments, a name without quotes around its comma, encoded words, raw 8-bit names and
//! internationalised addresses (RFC 6531/6532, `josé@correo.pe`) all yield the address a person sees.

use super::charset::Decoded;
use super::encoded_words::decode_header;
use super::Address;

/// A sender read from a header, and whether its name's decoding is doubtful.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    /// Address (lower-case) and display name.
    pub address: Address,
    /// True when the display name could not be decoded with confidence (then it is better not shown).
    pub doubtful_name: bool,
}

/// The first usable mailbox of a raw address-list value; `None` when none is there (an empty group, garbage).
pub fn first_mailbox(raw: &[u8]) -> Option<Sender> {
    let value: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b })
        .collect();
    // Items without an `@` are the front of a name that held a comma (`Pérez, Juan <juan@x.pe>`): they are
    // joined to the item after them.
    let mut front: Vec<u8> = Vec::new();
    for item in split_list(&value) {
        if !has_at(item) {
            front.extend_from_slice(item);
            front.push(b',');
            continue;
        }
        front.extend_from_slice(item);
        if let Some(found) = mailbox(&front) {
            return Some(found);
        }
        front.clear();
    }
    None
}

/// Splits an address list at the commas that are outside quotes, angle brackets and comments. An unbalanced
/// quote would swallow the rest of the list: then the quote does not count.
fn split_list(value: &[u8]) -> Vec<&[u8]> {
    let balanced = value.iter().filter(|&&b| b == b'"').count() % 2 == 0;
    let mut out = Vec::new();
    let (mut start, mut quoted, mut angle, mut comment) = (0, false, false, 0u32);
    let mut escaped = false;
    for (i, &b) in value.iter().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match b {
            b'\\' => escaped = true,
            b'"' if balanced && comment == 0 => quoted = !quoted,
            b'(' if !quoted => comment += 1,
            b')' if !quoted && comment > 0 => comment -= 1,
            b'<' if !quoted && comment == 0 => angle = true,
            b'>' if !quoted && comment == 0 => angle = false,
            b',' | b';' if !quoted && !angle && comment == 0 => {
                out.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&value[start..]);
    out
}

/// One mailbox: `Name <addr>`, `addr (Name)`, `"Name" addr`, a group's `Group: addr`.
fn mailbox(item: &[u8]) -> Option<Sender> {
    let item = trim(item);
    // A group's display name (`Equipo: a@b.pe`): what follows the colon, unless the colon is inside <…>.
    let item = match (
        item.iter().position(|&b| b == b':'),
        item.iter().position(|&b| b == b'<'),
    ) {
        (Some(colon), angle) if angle.is_none_or(|a| colon < a) && !has_at(&item[..colon]) => {
            trim(&item[colon + 1..])
        }
        _ => item,
    };
    if let Some(open) = item.iter().rposition(|&b| b == b'<') {
        let close = item[open..]
            .iter()
            .position(|&b| b == b'>')
            .map(|p| open + p)
            .unwrap_or(item.len());
        let inside = without_comments(&item[open + 1..close]);
        let email = clean_address(&inside)?;
        let name =
            display_name(&item[..open]).or_else(|| comment_name(&item[close.min(item.len())..]));
        return Some(sender(email, name));
    }
    // No angle brackets: the token with an `@`; the rest (a comment, quoted text) is the name.
    let bare = without_comments(item);
    let token = bare
        .split(|b| b.is_ascii_whitespace())
        .find(|t| has_at(t))?;
    let email = clean_address(token)?;
    let name = comment_name(item).or_else(|| {
        let before: Vec<u8> = bare
            .split(|b| b.is_ascii_whitespace())
            .filter(|t| !has_at(t) && !t.is_empty())
            .collect::<Vec<_>>()
            .join(&b' ');
        display_name(&before)
    });
    Some(sender(email, name))
}

fn sender(email: String, name: Option<Decoded>) -> Sender {
    let doubtful_name = name.as_ref().is_some_and(|n| n.doubtful);
    Sender {
        address: Address {
            email,
            name: name.map(|n| n.text).filter(|n| !n.is_empty()),
        },
        doubtful_name,
    }
}

fn has_at(bytes: &[u8]) -> bool {
    bytes.contains(&b'@')
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &bytes[start..end]
}

/// The bytes without `( … )` comments (nested), outside quotes.
fn without_comments(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut depth = 0u32;
    for &b in bytes {
        match b {
            b'(' => depth += 1,
            b')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(b),
            _ => {}
        }
    }
    out
}

/// The last comment's text, as a name (`juan@x.pe (Juan Pérez)`).
fn comment_name(bytes: &[u8]) -> Option<Decoded> {
    let open = bytes.iter().rposition(|&b| b == b'(')?;
    let close = bytes[open..]
        .iter()
        .position(|&b| b == b')')
        .map_or(bytes.len(), |p| open + p);
    display_name(&bytes[open + 1..close])
}

/// A display name: encoded words and raw 8-bit decoded, quotes and escapes removed, one line.
fn display_name(bytes: &[u8]) -> Option<Decoded> {
    let raw = without_comments(bytes);
    let raw: Vec<u8> = raw.into_iter().filter(|&b| b != b'"').collect();
    let mut d = decode_header(trim(&raw));
    // Quoted-pair escapes (`\"`, `\\`) stand for the character after the backslash.
    let mut text = String::with_capacity(d.text.len());
    let mut escaped = false;
    for c in d.text.chars() {
        if c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        escaped = false;
        text.push(if c.is_control() { ' ' } else { c });
    }
    d.text = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| c == '\'' || c == ',')
        .trim()
        .to_string();
    (!d.text.is_empty()).then_some(d)
}

/// The address itself, checked: one `@`, a local part and a domain made of labels; UTF-8 allowed (EAI),
/// lower-cased. `None` for anything a server would refuse (`<<@@`, `juan@`, `@x.pe`, spaces).
pub(crate) fn clean_address(bytes: &[u8]) -> Option<String> {
    // NUL and other control bytes (broken line ends, a hostile sender) are not part of an address.
    let bytes: Vec<u8> = bytes
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_control())
        .collect();
    let text = std::str::from_utf8(trim(&bytes)).ok()?;
    let text = text.trim_matches(|c: char| c == '"' || c == '\'' || c == '<' || c == '>');
    let (local, domain) = text.rsplit_once('@')?;
    let local = local.trim_matches('"');
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && local.chars().all(|c| {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(
                    c,
                    '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';' | ':' | '\\' | '"' | '@'
                )
        });
    let domain = domain.trim_end_matches('.');
    let domain_ok = !domain.is_empty()
        && domain.len() <= 253
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    (local_ok && domain_ok).then(|| format!("{}@{}", local, domain).to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(raw: &str) -> Option<(String, Option<String>)> {
        first_mailbox(raw.as_bytes()).map(|s| (s.address.email, s.address.name))
    }

    #[test]
    fn ordinary_senders() {
        assert_eq!(
            read("\"Juan Pérez\" <Juan.Perez@Gmail.com>"),
            Some(("juan.perez@gmail.com".into(), Some("Juan Pérez".into())))
        );
        assert_eq!(read("juan@x.pe"), Some(("juan@x.pe".into(), None)));
        assert_eq!(
            read("=?UTF-8?Q?Jos=C3=A9_=C3=91ique?= <jose@x.pe>"),
            Some(("jose@x.pe".into(), Some("José Ñique".into())))
        );
    }

    #[test]
    fn what_a_lenient_client_still_reads() {
        // Unbalanced quote.
        assert_eq!(
            read("\"Pérez, Juan <juan.perez@x.pe>"),
            Some(("juan.perez@x.pe".into(), Some("Pérez, Juan".into())))
        );
        // Comments, in the address and as the name.
        assert_eq!(
            read("juan(trabajo)@x.pe (Juan Pérez)"),
            Some(("juan@x.pe".into(), Some("Juan Pérez".into())))
        );
        // A name with a comma and no quotes.
        assert_eq!(
            read("Pérez, Juan <juan@x.pe>"),
            Some(("juan@x.pe".into(), Some("Pérez, Juan".into())))
        );
        // Raw Latin-1 name.
        let s = first_mailbox(b"Jos\xe9 <jose@x.pe>").unwrap();
        assert_eq!(s.address.name.as_deref(), Some("José"));
        // Missing closing bracket.
        assert_eq!(
            read("Ana <ana@x.pe"),
            Some(("ana@x.pe".into(), Some("Ana".into())))
        );
    }

    #[test]
    fn internationalised_addresses_are_addresses() {
        assert_eq!(
            read("José <José.Ñique@correo.pe>"),
            Some(("josé.ñique@correo.pe".into(), Some("José".into())))
        );
        assert_eq!(
            read("ana@municipalidad.gob.pe"),
            Some(("ana@municipalidad.gob.pe".into(), None))
        );
        assert_eq!(read("ana@ñandú.pe"), Some(("ana@ñandú.pe".into(), None)));
    }

    #[test]
    fn garbage_and_empty_groups_are_no_sender() {
        for raw in [
            "<<@@ >>sin cierre <x@",
            "undisclosed-recipients:;",
            "",
            "@x.pe",
            "juan@",
        ] {
            assert_eq!(read(raw), None, "{raw}");
        }
        assert_eq!(read("Equipo: ana@x.pe;"), Some(("ana@x.pe".into(), None)));
    }
}
