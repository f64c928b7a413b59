//! Message templates the administrator edits (`rules/templates/*.txt`): plain Spanish text with `{{name}}`
//! placeholders and a first line `Asunto: …`.
//!
//! A template is checked when it is loaded, like a rule file: an unknown placeholder or a missing subject line is
//! an error with file:line:column, so a typo never reaches a citizen as `{{tiket}}`.

use std::collections::HashMap;
use std::path::Path;

/// One problem in a template file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct TemplateError {
    /// The file (or origin) of the template.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong, in Spanish.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Var(String),
}

/// A checked template: subject and body, each a list of literal text and placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    subject: Vec<Piece>,
    body: Vec<Piece>,
}

impl Template {
    /// Parses `text` (from `origin`, for messages), allowing only the placeholders in `allowed`.
    pub fn parse(origin: &str, text: &str, allowed: &[&str]) -> Result<Template, TemplateError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let err = |line: usize, column: usize, message: String| TemplateError {
            file: origin.to_string(),
            line,
            column,
            message,
        };
        let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
        let first = first.trim_end_matches('\r');
        let Some(subject) = first.strip_prefix("Asunto:") else {
            return Err(err(
                1,
                1,
                "la primera línea debe ser «Asunto: …» (el asunto del mensaje)".into(),
            ));
        };
        let lead = subject.len() - subject.trim_start().len();
        let subject = pieces(subject.trim(), allowed, 1, "Asunto:".len() + lead + 1)
            .map_err(|(l, c, m)| err(l, c, m))?;
        // The body starts after the subject line and one optional blank line.
        let body_text = rest
            .strip_prefix("\r\n")
            .or_else(|| rest.strip_prefix('\n'))
            .unwrap_or(rest);
        let body_first_line = if body_text.len() == rest.len() { 2 } else { 3 };
        let body = pieces(
            &body_text.replace("\r\n", "\n"),
            allowed,
            body_first_line,
            1,
        )
        .map_err(|(l, c, m)| err(l, c, m))?;
        Ok(Template { subject, body })
    }

    /// Reads and parses a template file.
    pub fn load(path: &Path, allowed: &[&str]) -> Result<Template, TemplateError> {
        let text = std::fs::read_to_string(path).map_err(|e| TemplateError {
            file: path.display().to_string(),
            line: 0,
            column: 0,
            message: format!("no se pudo leer la plantilla: {e}"),
        })?;
        Template::parse(&path.display().to_string(), &text, allowed)
    }

    /// The subject with the values filled in (missing values render empty).
    pub fn subject(&self, values: &HashMap<&str, String>) -> String {
        render(&self.subject, values)
    }

    /// The body with the values filled in (missing values render empty).
    pub fn body(&self, values: &HashMap<&str, String>) -> String {
        render(&self.body, values)
    }
}

fn render(pieces: &[Piece], values: &HashMap<&str, String>) -> String {
    let mut out = String::new();
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Var(v) => out.push_str(values.get(v.as_str()).map(String::as_str).unwrap_or("")),
        }
    }
    out
}

type PieceError = (usize, usize, String);

/// Splits text into literal pieces and `{{name}}` placeholders; `line`/`column` locate the text's first byte.
fn pieces(
    text: &str,
    allowed: &[&str],
    line: usize,
    column: usize,
) -> Result<Vec<Piece>, PieceError> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut consumed = 0;
    let locate = |offset: usize| {
        let before = &text[..offset];
        let l = before.matches('\n').count();
        let c = before
            .rsplit('\n')
            .next()
            .map(|s| s.chars().count())
            .unwrap_or(0);
        if l == 0 {
            (line, column + c)
        } else {
            (line + l, c + 1)
        }
    };
    while let Some(start) = rest.find("{{") {
        if start > 0 {
            out.push(Piece::Text(rest[..start].to_string()));
        }
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            let (l, c) = locate(consumed + start);
            return Err((l, c, "falta cerrar «}}» en este marcador".into()));
        };
        let name = after[..end].trim();
        if !allowed.contains(&name) {
            let (l, c) = locate(consumed + start);
            return Err((
                l,
                c,
                format!(
                    "marcador desconocido «{{{{{name}}}}}»; los válidos aquí son: {}",
                    allowed
                        .iter()
                        .map(|a| format!("{{{{{a}}}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        out.push(Piece::Var(name.to_string()));
        let skip = start + 2 + end + 2;
        consumed += skip;
        rest = &rest[skip..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALLOWED: &[&str] = &["ticket", "nombre", "vence"];

    #[test]
    fn placeholders_are_filled_in_subject_and_body() {
        let t = Template::parse(
            "acuse.txt",
            "Asunto: Recibimos su consulta {{ticket}}\n\nEstimado(a) {{ nombre }}:\nVence el {{vence}}.\n",
            ALLOWED,
        )
        .unwrap();
        let values = HashMap::from([
            ("ticket", "CONS-2026-000001".to_string()),
            ("nombre", "Juan".to_string()),
            ("vence", "lun 07/12/2026".to_string()),
        ]);
        assert_eq!(t.subject(&values), "Recibimos su consulta CONS-2026-000001");
        assert_eq!(
            t.body(&values),
            "Estimado(a) Juan:\nVence el lun 07/12/2026.\n"
        );
    }

    #[test]
    fn a_misspelt_placeholder_is_refused_with_its_position() {
        let e = Template::parse(
            "acuse.txt",
            "Asunto: x\n\nHola\nSu ticket {{tiket}}\n",
            ALLOWED,
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (4, 11), "{e}");
        assert!(e.message.contains("{{tiket}}"), "{e}");
        assert!(
            e.to_string()
                .starts_with("acuse.txt:4:11: marcador desconocido"),
            "{e}"
        );
    }

    #[test]
    fn an_unclosed_placeholder_and_a_missing_subject_are_refused() {
        let e = Template::parse("a.txt", "Asunto: {{ticket\n", ALLOWED).unwrap_err();
        assert_eq!((e.line, e.column), (1, 9), "{e}");
        let e = Template::parse("a.txt", "Hola {{nombre}}\n", ALLOWED).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("Asunto:"));
    }
}
