//! Moving filed messages out of the inbox: `UID MOVE` per folder, or COPY + delete where MOVE is missing.

use super::encode_mailbox_name;
use super::{uid_set, within, ImapError, Session};

impl Session {
    /// Moves `uids` of the selected folder into `folder` in one command.
    ///
    /// UIDs that are no longer there are ignored by the server, so repeating a move after a crash is harmless.
    /// Without MOVE (RFC 6851) the fallback is `UID COPY`, `UID STORE +FLAGS (\Deleted)`, `UID EXPUNGE`
    /// (UIDPLUS), which only removes the messages we copied; a crash between COPY and EXPUNGE can leave one
    /// extra copy in the target folder — the only duplicate window, and only on servers without MOVE.
    pub async fn move_to(&mut self, uids: &[u32], folder: &str) -> Result<(), ImapError> {
        if uids.is_empty() {
            return Ok(());
        }
        let set = uid_set(uids);
        let target = encode_mailbox_name(folder);
        let timeout = self.timeout;
        let has_move = self.has_capability("MOVE");
        let has_uidplus = self.has_capability("UIDPLUS");
        let raw = self.raw()?;
        let fut = async {
            if has_move {
                raw.uid_mv(&set, &target).await
            } else if has_uidplus {
                raw.uid_copy(&set, &target).await?;
                {
                    use futures::TryStreamExt;
                    let s = raw.uid_store(&set, "+FLAGS.SILENT (\\Deleted)").await?;
                    let _ = s.try_collect::<Vec<_>>().await?;
                }
                {
                    use futures::TryStreamExt;
                    let s = raw.uid_expunge(&set).await?;
                    let _ = s.try_collect::<Vec<_>>().await?;
                }
                Ok(())
            } else {
                Err(async_imap::error::Error::No(
                    "el servidor no ofrece MOVE ni UIDPLUS; triaje no puede retirar mensajes de la \
                     bandeja sin arriesgar borrar otros"
                        .into(),
                ))
            }
        };
        within(timeout, "UID MOVE", fut).await
    }
}
