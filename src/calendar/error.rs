//! What can be wrong with a calendar file, said so the administrator can fix it.

use std::ops::Range;
use std::path::PathBuf;

use crate::toml_error::{spanish_message, Located};

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
    /// position (the file is its path, or `calendario nacional` for the embedded one).
    #[error("{0}")]
    Invalid(Located),
}

impl CalendarError {
    /// An error located at a byte span of `text`.
    pub(crate) fn at(
        origin: &str,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        CalendarError::Invalid(Located::at(origin, text, span.start, message))
    }

    /// Turns a TOML parse or deserialize error into a located one with a Spanish explanation.
    pub(crate) fn syntax(origin: &str, text: &str, err: &toml::de::Error) -> Self {
        let message = spanish_message(err.message(), None);
        // A few serde errors carry no span; the top of the file is the honest answer then.
        CalendarError::at(origin, text, err.span().unwrap_or(0..0), message)
    }
}
