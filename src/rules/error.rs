//! What can be wrong with rule files, said with file:line:column so the administrator can fix it.

use std::fmt;

use crate::toml_error::line_column;

/// One problem in one rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// The file (as given: a path for `load_dir`, the origin for `from_sources`).
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file or folder.
    pub line: usize,
    /// 1-based column in characters; 0 with `line` 0.
    pub column: usize,
    /// What is wrong and what to do, in Spanish.
    pub message: String,
}

impl RuleError {
    /// An error at a byte offset of `text`.
    pub(crate) fn at(file: &str, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_column(text, offset);
        RuleError {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    /// An error about a whole file or folder, without a position.
    pub(crate) fn whole(file: &str, message: impl Into<String>) -> Self {
        RuleError {
            file: file.to_string(),
            line: 0,
            column: 0,
            message: message.into(),
        }
    }

    /// `file:line:column` (or just `file` when there is no position): where the first rule with a name was written.
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.line, self.column)
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

/// Every problem found in a set of rule files. A set with any error is never used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleErrors(pub Vec<RuleError>);

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.0 {
            writeln!(f, "{e}")?;
        }
        let n = self.0.len();
        write!(
            f,
            "{n} {} en las reglas: corríjalos; un conjunto de reglas con errores nunca se aplica.",
            if n == 1 { "error" } else { "errores" }
        )
    }
}

impl std::error::Error for RuleErrors {}
