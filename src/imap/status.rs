//! `STATUS`: a folder's UIDVALIDITY and UIDNEXT without selecting it, to see cheaply whether anything arrived.

use super::{encode_mailbox_name, within, ImapError, Session};

/// What STATUS told us about a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderStatus {
    /// The folder's UIDVALIDITY.
    pub uidvalidity: u32,
    /// The UID the next message put into the folder will get.
    pub uid_next: u32,
}

impl Session {
    /// UIDVALIDITY and UIDNEXT of `folder`.
    pub async fn folder_status(&mut self, folder: &str) -> Result<FolderStatus, ImapError> {
        let name = encode_mailbox_name(folder);
        let timeout = self.timeout;
        let raw = self.raw()?;
        let mailbox = within(
            timeout,
            "STATUS",
            raw.status(&name, "(UIDVALIDITY UIDNEXT)"),
        )
        .await?;
        match (mailbox.uid_validity, mailbox.uid_next) {
            (Some(uidvalidity), Some(uid_next)) => Ok(FolderStatus {
                uidvalidity,
                uid_next,
            }),
            _ => Err(ImapError::Unsupported {
                what: format!(
                    "el servidor no informó UIDVALIDITY y UIDNEXT de la carpeta {folder}"
                ),
            }),
        }
    }
}
