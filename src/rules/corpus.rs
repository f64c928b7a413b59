//! A labelled directory of messages: `*.eml` files and a `labels.toml` saying where each belongs.
//!
//! ```toml
//! [[message]]
//! file = "0001.eml"
//! folder = "Legal"          # a target folder, or the unclassified one («Por clasificar»)
//! note = "Ley 32069: ¿qué ley aplica?"   # optional, for people
//! kind = "consulta"         # optional: consulta | incidencia | reclamo | sugerencia (scored apart)
//! hard = ["cita"]           # optional: what makes it hard to route, for people
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::toml_error::{line_column, spanish_message};
use crate::vocabulary::AttentionKind;

/// A problem reading a labelled directory, said so the person who keeps it can fix it.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// A file could not be read.
    #[error("no se pudo leer {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// `labels.toml` is malformed or names something wrong.
    #[error("{path}:{line}:{column}: {message}")]
    Labels {
        /// The labels file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong, in Spanish.
        message: String,
    },
}

/// One labelled message.
#[derive(Debug, Clone)]
pub struct LabelledMessage {
    /// Its file name, as `labels.toml` gives it.
    pub file: String,
    /// Where it belongs.
    pub folder: String,
    /// Its kind of attention, when the label says it.
    pub kind: Option<AttentionKind>,
    /// The raw message.
    pub raw: Vec<u8>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLabels {
    #[serde(default)]
    message: Vec<Spanned<RawLabel>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLabel {
    file: Spanned<String>,
    folder: Spanned<String>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
    #[serde(default)]
    kind: Option<Spanned<String>>,
    #[serde(default)]
    #[allow(dead_code)]
    hard: Option<Vec<String>>,
}

/// Reads `dir/labels.toml` and every message it lists. `folders` are the names a label may use (the targets
/// and the unclassified folder); any other name is an error at its line.
pub fn load_labelled(dir: &Path, folders: &[String]) -> Result<Vec<LabelledMessage>, CorpusError> {
    let path = dir.join("labels.toml");
    let text = std::fs::read_to_string(&path).map_err(|source| CorpusError::Read {
        path: path.clone(),
        source,
    })?;
    let at = |offset: usize, message: String| {
        let (line, column) = line_column(&text, offset);
        CorpusError::Labels {
            path: path.clone(),
            line,
            column,
            message,
        }
    };
    let labels: RawLabels = toml::from_str(&text).map_err(|e| {
        at(
            e.span().map(|s| s.start).unwrap_or(0),
            spanish_message(e.message(), None),
        )
    })?;
    if labels.message.is_empty() {
        return Err(at(0, "no hay ningún [[message]]".into()));
    }
    let mut out = Vec::with_capacity(labels.message.len());
    for label in &labels.message {
        let label = label.get_ref();
        let folder = label.folder.get_ref().trim();
        if !folders.iter().any(|f| f == folder) {
            return Err(at(
                label.folder.span().start,
                format!("la carpeta «{folder}» no es una de: {}", folders.join(", ")),
            ));
        }
        let file = label.file.get_ref().trim();
        if file.contains('/') || file.contains('\\') || file.starts_with('.') {
            return Err(at(
                label.file.span().start,
                format!("«{file}» debe ser un nombre de archivo de esta carpeta"),
            ));
        }
        let kind = match &label.kind {
            None => None,
            Some(k) => Some(
                k.get_ref()
                    .parse::<AttentionKind>()
                    .map_err(|e| at(k.span().start, e.to_string()))?,
            ),
        };
        let raw = std::fs::read(dir.join(file)).map_err(|e| {
            at(
                label.file.span().start,
                format!("no se pudo leer «{file}»: {e}"),
            )
        })?;
        out.push(LabelledMessage {
            file: file.to_string(),
            folder: folder.to_string(),
            kind,
            raw,
        });
    }
    Ok(out)
}
