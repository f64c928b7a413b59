//! What can be wrong with a configuration file, said so the administrator can fix it.

use std::ops::Range;
use std::path::PathBuf;

use crate::toml_error::{spanish_message, Located};

/// A configuration that cannot be used. Every message says where (file:line:column when known) and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read at all.
    #[error("no se pudo leer el archivo de configuración {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why the system refused.
        source: std::io::Error,
    },
    /// A syntax error, an unknown key or a value of the wrong kind, with its position.
    #[error("{0}")]
    At(Located),
    /// A value that is well-formed but not acceptable (the message names the file and the key).
    #[error("{0}")]
    Invalid(String),
    /// A password that is not available (missing variable, unreadable file).
    #[error("{0}")]
    Secret(String),
}

impl ConfigError {
    /// An error located at a byte span of `text`.
    pub(crate) fn at(
        origin: &str,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        ConfigError::At(Located::at(origin, text, span.start, message))
    }

    /// Turns a TOML parse/deserialize error into a located one with a Spanish lead.
    pub(crate) fn syntax(origin: &str, text: &str, err: &toml::de::Error) -> Self {
        let message = spanish_message(err.message(), None);
        match err.span() {
            Some(span) => ConfigError::at(origin, text, span, message),
            None => ConfigError::Invalid(format!("{origin}: {message}")),
        }
    }
}
