//! Finding messages in the selected folder (`UID SEARCH`) and setting system flags on them.

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
        let clean: String = id
            .chars()
            .filter(|c| !c.is_control() && *c != '"' && *c != '\\')
            .collect();
        self.uid_search(&format!("HEADER Message-ID \"{clean}\""))
            .await
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
}
