//! Errors a command reports to the person who ran it.

/// Why a command failed; `main` prints it and exits non-zero.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Configuration file.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// Daemon start-up or run.
    #[error(transparent)]
    Daemon(#[from] crate::daemon::DaemonError),
    /// Database.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// Rule files.
    #[error(transparent)]
    Rules(#[from] crate::rules::RuleErrors),
    /// Calendar file.
    #[error(transparent)]
    Calendar(#[from] crate::calendar::CalendarError),
    /// A report that could not be produced.
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
    /// Arguments that make no sense.
    #[error("{0}")]
    Usage(String),
    /// A file that cannot be read.
    #[error("no se pudo leer {path}: {source}")]
    Read {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Sending mail (an SMTP account that cannot be set up).
    #[error(transparent)]
    Smtp(#[from] crate::smtp::SmtpError),
    /// The web server's address cannot be used.
    #[error("no se pudo abrir el servidor web en {addr}: {source} (revise [web] bind)")]
    Bind {
        /// The address.
        addr: String,
        /// Why.
        source: std::io::Error,
    },
    /// Some mailboxes failed in `once`.
    #[error("{0}")]
    Partial(String),
}
