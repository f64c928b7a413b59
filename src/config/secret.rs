//! Passwords: read from an environment variable or a file, never printed.

use std::fmt;
use std::path::Path;

/// A secret value whose `Debug` output never shows it, so it cannot leak into logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value, for the one place that must send it (IMAP LOGIN).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Reads a secret from a file (first line, trailing newline removed).
    ///
    /// A file that others can read still works, but gets a warning: a password file should be `chmod 600`.
    pub fn from_file(path: &Path) -> Result<Secret, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "no se pudo leer el archivo de contraseña {}: {e}",
                path.display()
            )
        })?;
        warn_if_world_readable(path);
        let value = text.lines().next().unwrap_or("").to_string();
        if value.is_empty() {
            return Err(format!(
                "el archivo de contraseña {} está vacío",
                path.display()
            ));
        }
        Ok(Secret(value))
    }

    /// Reads a secret from an environment variable.
    pub fn from_env(var: &str) -> Result<Secret, String> {
        match std::env::var(var) {
            Ok(v) if !v.is_empty() => Ok(Secret(v)),
            _ => Err(format!(
                "la variable de entorno {var} no está definida o está vacía; defínala con la contraseña"
            )),
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Warns when a file holding a secret (a password, a key, a token) can be read by every user.
#[cfg(unix)]
pub(super) fn warn_if_world_readable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o004 != 0 {
            tracing::warn!(
                path = %path.display(),
                "secret file (password, key) is readable by every user on this machine; run chmod 600 on it"
            );
        }
    }
}

#[cfg(not(unix))]
pub(super) fn warn_if_world_readable(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_password() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(***)");
    }

    #[test]
    fn password_file_first_line_is_the_password() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pass");
        std::fs::write(&p, "s3creto\n").unwrap();
        assert_eq!(Secret::from_file(&p).unwrap().expose(), "s3creto");
        let missing = Secret::from_file(&dir.path().join("nope")).unwrap_err();
        assert!(missing.contains("no se pudo leer"), "{missing}");
    }
}
