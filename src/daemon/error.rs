//! Why the daemon (or one of its mailbox workers) could not go on.

use std::path::PathBuf;

/// A failure of the running daemon. Per-mailbox failures are retried; start-up failures stop the program.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    /// The mail server.
    #[error(transparent)]
    Imap(#[from] crate::imap::ImapError),
    /// The database.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The rule files (at start-up; on reload the old rules stay).
    #[error("las reglas tienen errores; corríjalos y ejecute «triaje rules check»")]
    Rules(#[from] crate::rules::RuleErrors),
    /// A message template (acknowledgement, reply, notification).
    #[error("plantilla con errores")]
    Template(#[from] crate::mail::template::TemplateError),
    /// A message triaje had to compose could not be built.
    #[error("no se pudo componer un mensaje: {0}")]
    Compose(String),
    /// The calendar file.
    #[error(transparent)]
    Calendar(#[from] crate::calendar::CalendarError),
    /// The data directory cannot be created.
    #[error("no se pudo crear el directorio de datos {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The runtime cancelled work in progress (it is shutting down); the batch is repeated at the next start.
    #[error("el trabajo en curso fue interrumpido: {0}")]
    Interrupted(String),
    /// Another `triaje run` holds the store.
    #[error("{0}")]
    AlreadyRunning(String),
}

impl DaemonError {
    /// What a joined task gave: its value, the task's own panic carried on (a bug must not look like a
    /// cancellation), or `Interrupted` when the runtime cancelled it.
    pub fn from_join<T>(joined: Result<T, tokio::task::JoinError>) -> Result<T, DaemonError> {
        match joined {
            Ok(value) => Ok(value),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => Err(DaemonError::Interrupted(e.to_string())),
        }
    }
}
