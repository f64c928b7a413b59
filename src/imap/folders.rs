//! Making sure the folders of the mailbox contract exist.

use futures::TryStreamExt;

use super::{decode_mailbox_name, encode_mailbox_name, within, ImapError, Session};

impl Session {
    /// Creates (and subscribes, so mail clients show them) any of `folders` that do not exist yet.
    pub async fn ensure_folders(&mut self, folders: &[String]) -> Result<(), ImapError> {
        let existing = self.folder_names().await?;
        for folder in folders {
            if existing.iter().any(|e| e == folder) {
                continue;
            }
            let wire = encode_mailbox_name(folder);
            let raw = self.raw()?;
            let created = raw.create(&wire).await;
            if let Err(e) = created {
                // Another instance (or a person) may have created it meanwhile: check before failing.
                let now = self.folder_names().await?;
                if !now.iter().any(|n| n == folder) {
                    return Err(ImapError::Unsupported {
                        what: format!(
                            "no se pudo crear la carpeta «{folder}» en el servidor: {}. Revise los permisos \
                             de la cuenta en el servidor de correo, o cree la carpeta a mano",
                            super::error::server_reply(&e)
                        ),
                    });
                }
            }
            let raw = self.raw()?;
            let _ = raw.subscribe(&wire).await;
            tracing::info!(folder = %folder, "created folder");
        }
        Ok(())
    }

    /// The server's hierarchy delimiter (`/` on Dovecot, `.` on some servers), as `LIST` reports it;
    /// `None` on a server without hierarchy.
    pub async fn hierarchy_delimiter(&mut self) -> Result<Option<String>, ImapError> {
        let timeout = self.timeout;
        let raw = self.raw()?;
        let fut = async {
            // `LIST "" "%"` (the top-level folders, INBOX among them): every entry carries the delimiter, and
            // unlike `LIST "" ""` every client library parses it.
            let names = raw.list(Some(""), Some("%")).await?;
            names.try_collect::<Vec<_>>().await
        };
        let names = within(timeout, "LIST", fut).await?;
        Ok(names
            .iter()
            .find_map(|n| n.delimiter())
            .filter(|d| !d.is_empty())
            .map(str::to_string))
    }

    /// Every folder name on the account, decoded.
    pub async fn folder_names(&mut self) -> Result<Vec<String>, ImapError> {
        let timeout = self.timeout;
        let raw = self.raw()?;
        let fut = async {
            let names = raw.list(Some(""), Some("*")).await?;
            names.try_collect::<Vec<_>>().await
        };
        let names = within(timeout, "LIST", fut).await?;
        Ok(names
            .iter()
            .map(|n| decode_mailbox_name(n.name()))
            .collect())
    }
}
