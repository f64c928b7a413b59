//! The one reading of a TOML file's errors for the administrator, shared by `config.toml`, the rule files
//! and the calendar file: *where* (1-based line and column, in characters, of a byte offset) and *what* (the
//! TOML library's English message behind a Spanish explanation of the common cases). Each file's error type
//! puts the two together with the file's name ([`Located`]: `archivo:línea:columna: mensaje`). Pure.

use std::fmt;

/// A problem at a place in a file: `origin:line:column: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The file (its path, or a name such as `calendario nacional` for an embedded one).
    pub origin: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong and what to write instead, in Spanish.
    pub message: String,
}

impl Located {
    /// `message` about byte `offset` of `text`, the contents of `origin`.
    pub fn at(origin: &str, text: &str, offset: usize, message: impl Into<String>) -> Located {
        let (line, column) = line_column(text, offset);
        Located {
            origin: origin.to_string(),
            line,
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.origin, self.line, self.column, self.message
        )
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
///
/// An offset past the end counts as the end; one inside a multi-byte character (a span from another copy of
/// the text, a hand-made offset) steps back to that character's start rather than panic.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    // Counted byte by byte (a loop the compiler vectorises): every rule's name is placed when it is read, and
    // `matches('\n')` walked the file up to it at a few instructions a byte (4 M of a `triaje rules test`).
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

/// The TOML library's message `msg` said in Spanish: an unknown key with the valid ones, a missing key, a
/// date that does not exist, a value of the wrong kind (followed by `type_hint`, what the file expects there,
/// when the caller knows it), else the original behind «error de formato TOML».
pub fn spanish_message(msg: &str, type_hint: Option<&str>) -> String {
    let msg = msg.trim();
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        return match rest.split_once(", expected") {
            Some((field, expected)) => {
                let expected = expected
                    .trim()
                    .trim_start_matches("one of")
                    .trim_start_matches("a ")
                    .trim();
                format!(
                    "clave desconocida {}; las claves válidas aquí son: {expected}",
                    field.trim()
                )
            }
            None => {
                let field = rest.split_once(',').map_or(rest, |(field, _)| field);
                format!("clave desconocida {}; aquí no van claves", field.trim())
            }
        };
    }
    if let Some(field) = msg.strip_prefix("missing field ") {
        return format!("falta la clave obligatoria {field}");
    }
    if msg.starts_with("invalid date") {
        return format!("la fecha no existe ({msg})");
    }
    if msg.starts_with("invalid type") {
        return match type_hint {
            Some(hint) => format!("el valor no es del tipo esperado ({msg}); {hint}"),
            None => format!("el valor no es del tipo esperado ({msg})"),
        };
    }
    format!("error de formato TOML: {msg}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_lines_and_columns_in_characters() {
        let text = "a = 1\nbb = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, 9), (2, 4));
        assert_eq!(line_column(text, 999), (3, 1));
        let accented = "año = 1\nclave = \"x\"\n";
        // `= 1` starts at byte 5 (ñ takes two bytes) but is the fifth character.
        assert_eq!(line_column(accented, 5), (1, 5));
    }

    #[test]
    fn an_offset_inside_a_character_steps_back_to_its_start() {
        let text = "ñandú = 1";
        // ñ is bytes 0–1, ú bytes 5–6.
        assert_eq!(line_column(text, 1), (1, 1));
        assert_eq!(line_column(text, 5), (1, 5));
        assert_eq!(line_column(text, 6), (1, 5));
    }

    #[test]
    fn a_misspelled_key_is_explained_with_the_valid_ones() {
        assert_eq!(
            spanish_message("unknown field `nmae`, expected one of `date`, `name`", None),
            "clave desconocida `nmae`; las claves válidas aquí son: `date`, `name`"
        );
        assert_eq!(
            spanish_message("unknown field `x`, expected `name`", None),
            "clave desconocida `x`; las claves válidas aquí son: `name`"
        );
        assert_eq!(
            spanish_message("unknown field `x`, there are no fields", None),
            "clave desconocida `x`; aquí no van claves"
        );
    }

    #[test]
    fn missing_keys_bad_dates_and_wrong_kinds_are_said_in_spanish() {
        assert_eq!(
            spanish_message("missing field `name`\n", None),
            "falta la clave obligatoria `name`"
        );
        assert!(spanish_message("invalid date", None).starts_with("la fecha no existe"));
        assert_eq!(
            spanish_message(
                "invalid type: string \"x\", expected a sequence",
                Some("los patrones van en una lista: [\"…\"]")
            ),
            "el valor no es del tipo esperado (invalid type: string \"x\", expected a sequence); \
             los patrones van en una lista: [\"…\"]"
        );
        assert_eq!(
            spanish_message("expected `=`", None),
            "error de formato TOML: expected `=`"
        );
    }
}
