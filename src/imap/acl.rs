//! Access control lists (RFC 4314): what the logged-in account may do in a folder (`MYRIGHTS`) and who may do
//! what there (`GETACL`). triaje asks about the approved folder at start: a drag there counts as the
//! supervisor's approval only where the server lets no one else put mail in it.

use async_imap::imap_proto::{Response, Status};

use super::{encode_mailbox_name, ImapError, Session};

/// The rights letters of an account on a folder (`lrswipkxtecda`), as the server gave them.
pub type Rights = String;

impl Session {
    /// Our rights on `folder`; `None` when the server has no ACL (it does not announce `ACL`) or refuses to say.
    pub async fn my_rights(&mut self, folder: &str) -> Result<Option<Rights>, ImapError> {
        if !self.has_capability("ACL") {
            return Ok(None);
        }
        let command = format!("MYRIGHTS {}", quoted(&encode_mailbox_name(folder)));
        let mut rights = None;
        let ok = self
            .command_with_data("MYRIGHTS", &command, |r| {
                if let Response::MyRights(m) = r {
                    rights = Some(m.rights.iter().map(|&c| char::from(c)).collect());
                }
            })
            .await?;
        Ok(if ok { rights } else { None })
    }

    /// Who may do what on `folder` (identifier, rights); `None` when the server has no ACL or will not show the
    /// list (it needs the administer right, which the shared account should not have).
    pub async fn acl(&mut self, folder: &str) -> Result<Option<Vec<(String, Rights)>>, ImapError> {
        if !self.has_capability("ACL") {
            return Ok(None);
        }
        let command = format!("GETACL {}", quoted(&encode_mailbox_name(folder)));
        let mut entries = Vec::new();
        let ok = self
            .command_with_data("GETACL", &command, |r| {
                if let Response::Acl(acl) = r {
                    for e in &acl.acls {
                        entries.push((
                            e.identifier.to_string(),
                            e.rights.iter().map(|&c| char::from(c)).collect(),
                        ));
                    }
                }
            })
            .await?;
        Ok(ok.then_some(entries))
    }

    /// Runs `command`, hands every untagged response to `each`, and says whether it ended in `OK` (`false` for
    /// `NO`/`BAD`: the server refused, which is an answer, not a failure).
    async fn command_with_data(
        &mut self,
        what: &'static str,
        command: &str,
        mut each: impl FnMut(&Response<'_>),
    ) -> Result<bool, ImapError> {
        let timeout = self.timeout;
        let raw = self.raw()?;
        let exchange = async {
            let id = raw.run_command(command).await?;
            loop {
                let Some(response) = raw.read_response().await? else {
                    return Err(async_imap::error::Error::ConnectionLost);
                };
                match response.parsed() {
                    Response::Done { tag, status, .. } if *tag == id => {
                        return Ok(*status == Status::Ok);
                    }
                    other => each(other),
                }
            }
        };
        match tokio::time::timeout(timeout, exchange).await {
            Ok(r) => r.map_err(|e| ImapError::protocol(what, e)),
            Err(_) => Err(ImapError::Timeout {
                what,
                seconds: timeout.as_secs(),
            }),
        }
    }
}

/// An IMAP quoted string.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}
