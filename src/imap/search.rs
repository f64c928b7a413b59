//! Finding messages in the selected folder (`UID SEARCH`) and setting system flags on them.

use chrono::{DateTime, Utc};
use futures::TryStreamExt;

use super::{uid_set, within, ImapError, Session};

impl Session {
    /// UIDs of the selected folder's messages carrying `keyword` (a ticket number, say), ascending.
    pub async fn uids_with_keyword(&mut self, keyword: &str) -> Result<Vec<u32>, ImapError> {
        if !super::keywords::is_valid_keyword(keyword) {
            return Ok(Vec::new());
        }
        self.uid_search(&format!("KEYWORD {keyword}")).await
    }

    /// UIDs of the selected folder's messages whose `Message-ID` is `id`.
    pub async fn uids_with_message_id(&mut self, id: &str) -> Result<Vec<u32>, ImapError> {
        self.uid_search(&format!("HEADER Message-ID {}", quoted(id)))
            .await
    }

    /// UIDs of the selected folder's messages whose `Message-ID` is any of `ids` (none for no ids): one search,
    /// which the server answers reading each message's header once.
    pub async fn uids_with_any_message_id(
        &mut self,
        ids: &[String],
    ) -> Result<Vec<u32>, ImapError> {
        let Some((last, rest)) = ids.split_last() else {
            return Ok(Vec::new());
        };
        // `OR a OR b c`: each `OR` joins one key to the rest.
        let mut query = String::new();
        for id in rest {
            query.push_str("OR HEADER Message-ID ");
            query.push_str(&quoted(id));
            query.push(' ');
        }
        query.push_str("HEADER Message-ID ");
        query.push_str(&quoted(last));
        self.uid_search(&query).await
    }

    /// UIDs of the selected folder's messages whose header `name` contains `value` (IMAP's substring match).
    pub async fn uids_with_header(
        &mut self,
        name: &str,
        value: &str,
    ) -> Result<Vec<u32>, ImapError> {
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Ok(Vec::new());
        }
        self.uid_search(&format!("HEADER {name} {}", quoted(value)))
            .await
    }

    /// UIDs of the selected folder's messages that reached the server (INTERNALDATE) on a day in [`from`,
    /// `until`), from `sender` when given. Days are the server's; callers leave a day of margin.
    pub async fn uids_received_between(
        &mut self,
        sender: Option<&str>,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<u32>, ImapError> {
        let mut query = format!(
            "SINCE {} BEFORE {}",
            from.format("%-d-%b-%Y"),
            until.format("%-d-%b-%Y")
        );
        if let Some(sender) = sender {
            query.push_str(&format!(" FROM {}", quoted(sender)));
        }
        self.uid_search(&query).await
    }

    async fn uid_search(&mut self, query: &str) -> Result<Vec<u32>, ImapError> {
        let timeout = self.timeout;
        let raw = self.raw()?;
        let found = within(timeout, "UID SEARCH", raw.uid_search(query)).await?;
        let mut uids: Vec<u32> = found.into_iter().collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// Adds system flags (`\Answered`, `\Seen`) to the given messages of the selected folder.
    pub async fn add_flags(&mut self, uids: &[u32], flags: &[&str]) -> Result<(), ImapError> {
        if uids.is_empty() || flags.is_empty() {
            return Ok(());
        }
        let timeout = self.timeout;
        let raw = self.raw()?;
        let cmd = format!("+FLAGS.SILENT ({})", flags.join(" "));
        let set = uid_set(uids);
        let fut = async {
            let stream = raw.uid_store(&set, &cmd).await?;
            stream.try_collect::<Vec<_>>().await
        };
        within(timeout, "UID STORE (marcas)", fut).await.map(|_| ())
    }

    /// Removes keywords (a due date that changed) from the given messages of the selected folder.
    pub async fn remove_keywords(
        &mut self,
        uids: &[u32],
        keywords: &[&str],
    ) -> Result<(), ImapError> {
        let keywords: Vec<&str> = keywords
            .iter()
            .copied()
            .filter(|k| super::keywords::is_valid_keyword(k))
            .collect();
        if uids.is_empty() || keywords.is_empty() {
            return Ok(());
        }
        let timeout = self.timeout;
        let raw = self.raw()?;
        let cmd = format!("-FLAGS.SILENT ({})", keywords.join(" "));
        let set = uid_set(uids);
        let fut = async {
            let stream = raw.uid_store(&set, &cmd).await?;
            stream.try_collect::<Vec<_>>().await
        };
        within(timeout, "UID STORE (quitar etiquetas)", fut)
            .await
            .map(|_| ())
    }
}

/// A quoted string for a substring search on `s`. Header values come from strangers: a quoted string cannot carry
/// controls, `"` or `\\`, and 8-bit text needs a charset not every server takes; the longest run of `s` without
/// them is still a substring of it, so the search only widens (a fingerprint then narrows).
fn quoted(s: &str) -> String {
    let longest = s
        .split(|c: char| c.is_control() || !c.is_ascii() || c == '"' || c == '\\')
        .max_by_key(|piece| piece.len())
        .unwrap_or("");
    format!("\"{longest}\"")
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn a_search_string_keeps_the_longest_plain_run() {
        assert_eq!(quoted("abc@example.pe"), "\"abc@example.pe\"");
        assert_eq!(quoted("a\"b\\long-part@x"), "\"long-part@x\"");
        assert_eq!(
            quoted("ñandú-123456@municipio.pe"),
            "\"-123456@municipio.pe\""
        );
    }
}
