//! What can stop the sender, said so the administrator knows where to look.

use std::path::PathBuf;

use crate::store::StoreError;

/// A failure of the sending machinery itself (not of one message: those are recorded in the outbox).
#[derive(Debug, thiserror::Error)]
pub enum SmtpError {
    /// The `ca_file` of a mailbox's `[mailbox.smtp]` could not be read.
    #[error("buzón «{mailbox}»: no se pudo leer el certificado ca_file {path} de [mailbox.smtp]: {source}")]
    CaFile {
        /// The mailbox.
        mailbox: String,
        /// The file.
        path: PathBuf,
        /// Why the system refused.
        source: std::io::Error,
    },
    /// The SMTP connection settings could not be turned into a client (an invalid CA file, a bad host name).
    #[error("buzón «{mailbox}»: la configuración SMTP no es utilizable: {reason}")]
    Settings {
        /// The mailbox.
        mailbox: String,
        /// What the SMTP library said.
        reason: String,
    },
    /// The register failed while claiming or recording messages.
    #[error(transparent)]
    Store(#[from] StoreError),
}
