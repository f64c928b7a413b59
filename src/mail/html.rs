//! HTML → plain text, for the many messages (webmail, Outlook) that carry no text/plain part.
//!
//! Deliberately small: drop what is never shown (`script`, `style`, `head`, comments), turn block elements into
//! line breaks, mark `blockquote` content with `> ` so quoted earlier messages are stripped like plain-text
//! quotes, and decode entities. Broken markup degrades to "some text", never to a panic.

/// Extracts the visible text of an HTML document, one block per line.
pub fn html_to_text(html: &str) -> String {
    let mut out = Extractor::default();
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            // Comments (and Outlook's conditional comments) are never shown.
            i += rest.find("-->").map(|p| p + 3).unwrap_or(rest.len());
            continue;
        }
        if bytes[i] == b'<' {
            if let Some(tag) = parse_tag(rest) {
                i += tag.len;
                if !tag.closing && is_raw_text(&tag.name) {
                    // Skip to the matching close tag; its content is code, not text.
                    let close = format!("</{}", tag.name);
                    i += find_ascii_ci(&html[i..], &close)
                        .map(|p| {
                            let after = &html[i + p..];
                            p + after.find('>').map(|q| q + 1).unwrap_or(after.len())
                        })
                        .unwrap_or(html.len() - i);
                    continue;
                }
                out.tag(&tag);
                continue;
            }
        }
        if bytes[i] == b'&' {
            if let Some((decoded, used)) = decode_entity(rest) {
                out.text(decoded.encode_utf8(&mut [0; 4]));
                i += used;
                continue;
            }
        }
        // Copy a run of ordinary characters up to the next markup character.
        let run = rest
            .char_indices()
            .skip(1)
            .find(|(_, c)| *c == '<' || *c == '&')
            .map(|(p, _)| p)
            .unwrap_or(rest.len());
        out.text(&rest[..run]);
        i += run;
    }
    out.finish()
}

/// One parsed tag: `<p class="x">`, `</div>`, `<br/>`.
struct Tag {
    /// Lower-case element name.
    name: String,
    /// `</…>`.
    closing: bool,
    /// Bytes the tag occupies, `<` to `>` inclusive.
    len: usize,
}

/// Parses a tag at the start of `s`, or `None` when `<` is just a less-than sign in text.
fn parse_tag(s: &str) -> Option<Tag> {
    let b = s.as_bytes();
    let mut p = 1;
    let closing = b.get(p) == Some(&b'/');
    if closing {
        p += 1;
    }
    let start = p;
    while p < b.len() && (b[p].is_ascii_alphanumeric() || b[p] == b':' || b[p] == b'-') {
        p += 1;
    }
    if p == start && b.get(p) != Some(&b'!') && b.get(p) != Some(&b'?') {
        return None;
    }
    let name = s[start..p].to_ascii_lowercase();
    // Find the closing '>' outside quoted attribute values.
    let mut quote: Option<u8> = None;
    while p < b.len() {
        match (quote, b[p]) {
            (None, b'"') | (None, b'\'') => quote = Some(b[p]),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => {
                return Some(Tag {
                    name,
                    closing,
                    len: p + 1,
                })
            }
            _ => {}
        }
        p += 1;
    }
    // An unterminated tag swallows the rest: that is what browsers show too.
    Some(Tag {
        name,
        closing,
        len: s.len(),
    })
}

/// Elements whose content is never displayed.
fn is_raw_text(name: &str) -> bool {
    matches!(name, "script" | "style" | "head" | "title" | "xml")
}

/// Elements that start a new line.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "pre"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "blockquote"
            | "dd"
            | "dt"
            | "dl"
            | "address"
            | "center"
            | "form"
            | "body"
            | "html"
    )
}

/// Builds the text, collapsing HTML whitespace and keeping track of quotes and `<pre>`.
#[derive(Default)]
struct Extractor {
    lines: Vec<String>,
    line: String,
    quote_depth: usize,
    pre_depth: usize,
    pending_space: bool,
}

impl Extractor {
    fn tag(&mut self, tag: &Tag) {
        match tag.name.as_str() {
            "blockquote" => {
                self.newline();
                if tag.closing {
                    self.quote_depth = self.quote_depth.saturating_sub(1);
                } else {
                    self.quote_depth += 1;
                }
            }
            "pre" => {
                self.newline();
                if tag.closing {
                    self.pre_depth = self.pre_depth.saturating_sub(1);
                } else {
                    self.pre_depth += 1;
                }
            }
            "td" | "th" if !tag.closing => self.pending_space = true,
            "br" => self.line_break(),
            name if is_block(name) => self.newline(),
            _ => {}
        }
    }

    fn text(&mut self, s: &str) {
        for c in s.chars() {
            if self.pre_depth > 0 {
                if c == '\n' {
                    self.newline_forced();
                } else if c != '\r' {
                    self.push(c);
                }
            } else if c.is_whitespace() && c != '\u{a0}' {
                self.pending_space = true;
            } else {
                if self.pending_space && !self.line.trim_start_matches(['>', ' ']).is_empty() {
                    self.line.push(' ');
                }
                self.pending_space = false;
                self.push(if c == '\u{a0}' { ' ' } else { c });
            }
        }
    }

    fn push(&mut self, c: char) {
        if self.line.is_empty() && self.quote_depth > 0 {
            self.line.push_str(&"> ".repeat(self.quote_depth));
        }
        self.line.push(c);
    }

    /// Ends the current block; empty blocks leave no blank lines (`</p><p>` is one line break).
    fn newline(&mut self) {
        self.pending_space = false;
        let line = std::mem::take(&mut self.line);
        let trimmed = line.trim_end();
        if !trimmed.trim_start_matches(['>', ' ']).is_empty() {
            self.lines.push(trimmed.to_string());
        }
    }

    /// `<br>`: ends the line, and on an empty line leaves one blank line (`<br><br>` between paragraphs).
    fn line_break(&mut self) {
        if self.line.trim_start_matches(['>', ' ']).trim().is_empty() {
            self.line.clear();
            self.pending_space = false;
            if self.lines.last().is_some_and(|l| !l.is_empty()) {
                self.lines.push(String::new());
            }
        } else {
            self.newline();
        }
    }

    fn newline_forced(&mut self) {
        let line = std::mem::take(&mut self.line);
        self.lines.push(line.trim_end().to_string());
    }

    fn finish(mut self) -> String {
        self.newline();
        while self.lines.last().is_some_and(|l| l.is_empty()) {
            self.lines.pop();
        }
        let start = self.lines.iter().position(|l| !l.is_empty()).unwrap_or(0);
        let mut text = self.lines[start..].join("\n");
        if !text.is_empty() {
            text.push('\n');
        }
        text
    }
}

/// Decodes the entity at the start of `s` (`&amp;`, `&#233;`, `&#xE9;`, `&oacute;`): the character and bytes used.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let end = s.char_indices().take(12).find(|(_, c)| *c == ';')?.0;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code).filter(|c| *c != '\0')?
    } else {
        named_entity(body)?
    };
    Some((c, end + 1))
}

/// The named entities that appear in Spanish mail.
fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "aacute" => 'á',
        "eacute" => 'é',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "Aacute" => 'Á',
        "Eacute" => 'É',
        "Iacute" => 'Í',
        "Oacute" => 'Ó',
        "Uacute" => 'Ú',
        "ntilde" => 'ñ',
        "Ntilde" => 'Ñ',
        "uuml" => 'ü',
        "Uuml" => 'Ü',
        "iexcl" => '¡',
        "iquest" => '¿',
        "ordm" => 'º',
        "ordf" => 'ª',
        "deg" => '°',
        "laquo" => '«',
        "raquo" => '»',
        "middot" => '·',
        "bull" => '•',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "euro" => '€',
        "copy" => '©',
        "reg" => '®',
        "shy" => '\u{ad}',
        "zwnj" => '\u{200c}',
        _ => return None,
    })
}

/// Byte position of `needle` (ASCII) in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_breaks_become_lines() {
        let text = html_to_text(
            "<html><body><p>Buenos días,</p><p>¿Cómo renuevo mi<br>inscripción?</p></body></html>",
        );
        assert_eq!(text, "Buenos días,\n¿Cómo renuevo mi\ninscripción?\n");
    }

    #[test]
    fn scripts_styles_and_comments_are_not_text() {
        let text = html_to_text(
            "<head><title>t</title><style>p{color:red}</style></head><!-- x --><script>var a='<p>';</script><div>Hola</div>",
        );
        assert_eq!(text, "Hola\n");
    }

    #[test]
    fn entities_are_decoded() {
        let text = html_to_text("<p>inscripci&oacute;n &amp; renovaci&#243;n&nbsp;RNP &#x2013; &iquest;c&oacute;mo?</p>");
        assert_eq!(text, "inscripción & renovación RNP – ¿cómo?\n");
    }

    #[test]
    fn blockquotes_are_marked_as_quotes() {
        let text = html_to_text(
            "<div>Gracias</div><blockquote><div>Respuesta anterior</div></blockquote>",
        );
        assert_eq!(text, "Gracias\n> Respuesta anterior\n");
    }

    #[test]
    fn broken_markup_does_not_panic() {
        for s in [
            "<",
            "<p",
            "&",
            "&#;",
            "&#xZZ;",
            "<a href='>",
            "<<<>>>",
            "</",
            "&#1114112;",
            "ñ<ñ&ñ",
        ] {
            let _ = html_to_text(s);
        }
        assert_eq!(html_to_text("a < b"), "a < b\n");
    }
}
