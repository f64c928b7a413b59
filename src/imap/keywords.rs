//! Tagging messages with IMAP keywords (availability, deadline), many messages per round trip.

use async_imap::imap_proto::{Response, Status};

use super::{uid_set, within, ImapError, Session};

/// True for a string IMAP accepts as a keyword atom (no spaces, parentheses, quotes, wildcards or controls).
pub fn is_valid_keyword(k: &str) -> bool {
    !k.is_empty()
        && k.bytes().all(|b| {
            b > 0x20
                && b < 0x7f
                && !matches!(b, b'(' | b')' | b'{' | b'%' | b'*' | b'"' | b'\\' | b']')
        })
}

impl Session {
    /// Adds keywords to messages: `tags` pairs a set of keywords with the UIDs that get it.
    ///
    /// One `UID STORE` per set; the commands are pipelined — all written, then all answers read — so the cost is
    /// one round trip.
    pub async fn add_keywords(
        &mut self,
        tags: &[(Vec<String>, Vec<u32>)],
    ) -> Result<(), ImapError> {
        let timeout = self.timeout;
        let raw = self.raw()?;
        let fut = async {
            let mut pending = Vec::with_capacity(tags.len());
            for (keywords, uids) in tags {
                let words: Vec<&str> = keywords
                    .iter()
                    .map(String::as_str)
                    .filter(|k| is_valid_keyword(k))
                    .collect();
                if words.is_empty() || uids.is_empty() {
                    continue;
                }
                let cmd = format!(
                    "UID STORE {} +FLAGS.SILENT ({})",
                    uid_set(uids),
                    words.join(" ")
                );
                pending.push(raw.run_command(&cmd).await?);
            }
            let mut failures = Vec::new();
            let mut done = 0;
            while done < pending.len() {
                let Some(resp) = raw.read_response().await? else {
                    return Err(async_imap::error::Error::ConnectionLost);
                };
                if let Response::Done {
                    tag,
                    status,
                    outcome,
                } = resp.parsed()
                {
                    if pending.iter().any(|p| p == tag) {
                        done += 1;
                        if *status != Status::Ok {
                            failures.push(outcome.information.as_deref().unwrap_or("").to_string());
                        }
                    }
                }
            }
            Ok(failures)
        };
        let failures = within(timeout, "UID STORE", fut).await?;
        if let Some(first) = failures.first() {
            // Keywords are a convenience for people; the record is in the store. Say so, but do not stop filing.
            tracing::warn!(failed = failures.len(), reason = %first, "server refused some keywords");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_and_deadline_keywords_are_valid_atoms() {
        assert!(is_valid_keyword("Media"));
        assert!(is_valid_keyword("Vence_2026-11-25"));
        assert!(!is_valid_keyword("Por clasificar"));
        assert!(!is_valid_keyword("a(b"));
        assert!(!is_valid_keyword(""));
    }
}
