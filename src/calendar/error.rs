//! What can be wrong with a calendar file, said so the administrator can fix it.

use std::ops::Range;
use std::path::PathBuf;

/// A calendar file that cannot be used. Every message says where (file:line:column) and what to do.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    /// The administrator's calendar file could not be read at all.
    #[error("no se pudo leer el archivo de calendario {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why the system refused.
        source: std::io::Error,
    },
    /// A syntax error, an unknown key or a value that makes no sense (a date that does not exist), with its
    /// position.
    #[error("{origin}:{line}:{column}: {message}")]
    Invalid {
        /// The file (its path, or `calendario nacional` for the embedded one).
        origin: String,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What is wrong and what to write instead, in Spanish.
        message: String,
    },
}

impl CalendarError {
    /// An error located at a byte span of `text`.
    pub(crate) fn at(
        origin: &str,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = line_column(text, span.start);
        CalendarError::Invalid {
            origin: origin.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    /// Turns a TOML parse or deserialize error into a located one with a Spanish explanation.
    pub(crate) fn syntax(origin: &str, text: &str, err: &toml::de::Error) -> Self {
        let message = spanish_toml_message(err.message());
        // A few serde errors carry no span; the top of the file is the honest answer then.
        CalendarError::at(origin, text, err.span().unwrap_or(0..0), message)
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

/// Puts the TOML library's English message behind a Spanish explanation of the common cases.
fn spanish_toml_message(msg: &str) -> String {
    let msg = msg.trim();
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
        let expected = expected
            .trim()
            .trim_start_matches("one of")
            .trim_start_matches("a ")
            .trim();
        return format!(
            "clave desconocida {field}; las claves válidas aquí son: {expected}",
            field = field.trim()
        );
    }
    if let Some(field) = msg.strip_prefix("missing field ") {
        return format!("falta la clave obligatoria {field}");
    }
    if msg.starts_with("invalid date") {
        return format!("la fecha no existe ({msg})");
    }
    if msg.starts_with("invalid type") {
        return format!("el valor no es del tipo esperado ({msg})");
    }
    format!("error de formato TOML: {msg}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_lines_and_columns() {
        let text = "a = 1\nbb = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, 9), (2, 4));
    }

    #[test]
    fn a_misspelled_key_is_explained_in_spanish() {
        let msg = spanish_toml_message("unknown field `nmae`, expected one of `date`, `name`");
        assert_eq!(
            msg,
            "clave desconocida `nmae`; las claves válidas aquí son: `date`, `name`"
        );
    }
}
