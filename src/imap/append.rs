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

    /// Appends every `(message, arrival time)` of `messages` to `folder` with `flags`: with MULTIAPPEND (RFC 3502)
    /// and LITERAL+ (RFC 7888), in one command and one round trip, which the server carries out all or nothing;
    /// else one `APPEND` each.
    pub async fn append_all_at(
        &mut self,
        folder: &str,
        flags: &[&str],
        messages: &[(Vec<u8>, chrono::DateTime<chrono::Utc>)],
    ) -> Result<(), ImapError> {
        if !(self.has_capability("MULTIAPPEND") && self.has_capability("LITERAL+"))
            || messages.len() < 2
        {
            for (raw, at) in messages {
                self.append_at(folder, flags, raw, *at).await?;
            }
            return Ok(());
        }
        use async_imap::imap_proto::{Response, Status};
        use tokio::io::AsyncWriteExt;
        // A quoted string, as async-imap's own `APPEND` sends the name (a folder's name may hold spaces).
        let name = format!(
            "\"{}\"",
            encode_mailbox_name(folder)
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
        );
        let flags = (!flags.is_empty()).then(|| format!("({}) ", flags.join(" ")));
        // Each message's flags, date and non-synchronising literal size, the first one after the mailbox's name.
        let head = |raw: &[u8], at: &chrono::DateTime<chrono::Utc>| {
            format!(
                "{}\"{}\" {{{}+}}",
                flags.as_deref().unwrap_or(""),
                at.format("%d-%b-%Y %H:%M:%S +0000"),
                raw.len()
            )
        };
        let timeout = self.timeout;
        let session = self.raw()?;
        let fut = async {
            let (first, at) = &messages[0];
            let tag = session
                .run_command(format!("APPEND {name} {}", head(first, at)))
                .await?;
            let stream = session.get_mut();
            stream.write_all(first).await?;
            for (raw, at) in &messages[1..] {
                stream.write_all(b" ").await?;
                stream.write_all(head(raw, at).as_bytes()).await?;
                stream.write_all(b"\r\n").await?;
                stream.write_all(raw).await?;
            }
            stream.write_all(b"\r\n").await?;
            stream.flush().await?;
            loop {
                let Some(resp) = session.read_response().await? else {
                    return Err(async_imap::error::Error::ConnectionLost);
                };
                if let Response::Done {
                    tag: done,
                    status,
                    outcome,
                } = resp.parsed()
                {
                    if *done == tag {
                        return match status {
                            Status::Ok => Ok(()),
                            _ => Err(async_imap::error::Error::No(
                                outcome.information.as_deref().unwrap_or("").to_string(),
                            )),
                        };
                    }
                }
            }
        };
        within(timeout, "APPEND (varios)", fut).await
    }
}
