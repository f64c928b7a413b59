//! Putting a message into a folder (`APPEND`): the copy of what triaje sent, notes for the assistant.

use super::{encode_mailbox_name, within, ImapError, Session};

impl Session {
    /// Appends `raw` to `folder` with `flags` (system flags like `\Seen` or keywords).
    pub async fn append(
        &mut self,
        folder: &str,
        flags: &[&str],
        raw: &[u8],
    ) -> Result<(), ImapError> {
        let name = encode_mailbox_name(folder);
        let flags = (!flags.is_empty()).then(|| format!("({})", flags.join(" ")));
        let timeout = self.timeout;
        let session = self.raw()?;
        within(
            timeout,
            "APPEND",
            session.append(&name, flags.as_deref(), None, raw),
        )
        .await
    }

    /// Appends `raw` to `folder` with `flags` and the arrival time (INTERNALDATE) `at`, so that clients sorting
    /// by arrival show it where it belongs (a ticket note just after its consultation).
    pub async fn append_at(
        &mut self,
        folder: &str,
        flags: &[&str],
        raw: &[u8],
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), ImapError> {
        let name = encode_mailbox_name(folder);
        let flags = (!flags.is_empty()).then(|| format!("({})", flags.join(" ")));
        // RFC 3501 date-time: "dd-Mon-yyyy hh:mm:ss +zzzz" (English month names whatever the locale).
        let date = format!("\"{}\"", at.format("%d-%b-%Y %H:%M:%S +0000"));
        let timeout = self.timeout;
        let session = self.raw()?;
        within(
            timeout,
            "APPEND",
            session.append(&name, flags.as_deref(), Some(&date), raw),
        )
        .await
    }
}
