//! Speaking IMAP: connecting (TLS verified by default), selecting, fetching in batches, tagging, moving, idling.
//!
//! This module knows nothing of routing; it carries out what the workflow decided, one batch per round trip
//! wherever the protocol allows it. One file per operation, as the protocol names them.

mod acl;
mod append;
mod authenticate;
mod connect;
mod error;
mod fetch;
mod folders;
mod idle;
mod keywords;
mod move_messages;
mod search;
mod sections;
mod status;
mod stream;
mod uid_set;
mod utf7;

pub use acl::Rights;
pub use connect::connect;
pub use error::ImapError;
pub use fetch::{FetchedMessage, MessageIdentity, MessageMeta};
pub use idle::Wakeup;
pub use sections::{SectionedMessage, TEXT_PART_BYTES};
pub use status::FolderStatus;
pub use uid_set::uid_set;
pub use utf7::{decode_mailbox_name, encode_mailbox_name};

use std::time::Duration;

use async_imap::Session as RawSession;

use stream::MailStream;

/// A logged-in IMAP session on one account, with the server's capabilities as announced after login.
pub struct Session {
    inner: Option<RawSession<MailStream>>,
    /// Capabilities read after authentication (Dovecot adds UIDPLUS and CONDSTORE only then).
    capabilities: Vec<String>,
    /// Limit for any single exchange: a server that stops answering must not hang the daemon.
    timeout: Duration,
    /// Account name, for error messages.
    account: String,
}

/// Runs one IMAP exchange under `timeout`: a server that stops answering must not hang the daemon.
async fn within<T, F>(timeout: Duration, what: &'static str, fut: F) -> Result<T, ImapError>
where
    F: std::future::Future<Output = Result<T, async_imap::error::Error>>,
{
    match tokio::time::timeout(timeout, fut).await {
        Ok(r) => r.map_err(|e| ImapError::protocol(what, e)),
        Err(_) => Err(ImapError::Timeout {
            what,
            seconds: timeout.as_secs(),
        }),
    }
}

/// What SELECT told us about a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selected {
    /// The folder's UIDVALIDITY; when it changes, every UID we knew is meaningless.
    pub uidvalidity: u32,
    /// The UID the next message will get.
    pub uid_next: Option<u32>,
    /// Number of messages in the folder.
    pub exists: u32,
}

impl Session {
    /// True when the server announced `cap` (case-insensitive), e.g. `MOVE`, `IDLE`, `UIDPLUS`.
    pub fn has_capability(&self, cap: &str) -> bool {
        self.capabilities
            .iter()
            .any(|c| c.eq_ignore_ascii_case(cap))
    }

    /// The account this session is logged into.
    pub fn account(&self) -> &str {
        &self.account
    }

    fn raw(&mut self) -> Result<&mut RawSession<MailStream>, ImapError> {
        self.inner.as_mut().ok_or(ImapError::Closed)
    }

    /// Selects `folder` (read-write) and returns its UIDVALIDITY and counts.
    pub async fn select(&mut self, folder: &str) -> Result<Selected, ImapError> {
        let name = encode_mailbox_name(folder);
        let timeout = self.timeout;
        let raw = self.raw()?;
        let mailbox = within(timeout, "SELECT", raw.select(&name)).await?;
        let uidvalidity = mailbox.uid_validity.ok_or_else(|| ImapError::Unsupported {
            what: format!("el servidor no informó UIDVALIDITY de la carpeta {folder}"),
        })?;
        Ok(Selected {
            uidvalidity,
            uid_next: mailbox.uid_next,
            exists: mailbox.exists,
        })
    }

    /// Says goodbye politely; errors are irrelevant at this point.
    pub async fn logout(mut self) {
        if let Some(mut raw) = self.inner.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), raw.logout()).await;
        }
    }
}
