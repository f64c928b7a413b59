//! The messages of the office's confirmed filings, read back from the server: what `rules learn` learns from
//! and what `rules evaluate --from-register` measures the rules on.
//!
//! The register holds no message text; the server does. An answered consultation's message is in the answered
//! folder, one moved by hand in the folder it was moved to; each is found by its `Message-ID` and confirmed by
//! the fingerprint recorded at triage (`locate`). Each folder is selected once per call.

use std::collections::BTreeMap;

use super::locate::uids_of_consultation;
use crate::config::Folders;
use crate::imap::{ImapError, Session};
use crate::store::ConfirmedFiling;
use crate::vocabulary::ConsultationState;

/// The folders where a confirmed filing's message may be, most likely first.
fn likely_folders(f: &ConfirmedFiling, folders: &Folders) -> Vec<String> {
    let mut out = Vec::new();
    let answered = f.consultation.state == ConsultationState::Answered;
    let mut push = |name: &str| {
        if !out.iter().any(|o: &String| o == name) {
            out.push(name.to_string());
        }
    };
    if answered {
        push(&folders.answered);
    }
    push(&f.folder);
    push(&f.filed_in);
    if !answered {
        push(&folders.answered);
    }
    out
}

/// The raw message of each filing (in the same order), `None` where it is no longer on the server.
pub async fn fetch_confirmed(
    session: &mut Session,
    folders: &Folders,
    filings: &[ConfirmedFiling],
    max_message_bytes: u64,
) -> Result<Vec<Option<Vec<u8>>>, ImapError> {
    let mut found: Vec<Option<Vec<u8>>> = vec![None; filings.len()];
    let candidates: Vec<Vec<String>> = filings.iter().map(|f| likely_folders(f, folders)).collect();
    let rounds = candidates.iter().map(Vec::len).max().unwrap_or(0);
    for round in 0..rounds {
        // Folder → the filings still missing whose `round`-th guess it is.
        let mut by_folder: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, c) in candidates.iter().enumerate() {
            if found[i].is_none() {
                if let Some(folder) = c.get(round) {
                    by_folder.entry(folder.as_str()).or_default().push(i);
                }
            }
        }
        for (folder, wanted) in by_folder {
            match session.select(folder).await {
                Ok(_) => {}
                // A folder that does not exist (renamed in the config since) holds nothing to learn from.
                Err(ImapError::Protocol {
                    connection_lost: false,
                    ..
                }) => continue,
                Err(e) => return Err(e),
            }
            for i in wanted {
                let c = &filings[i].consultation;
                let Some(&uid) = uids_of_consultation(session, c, max_message_bytes)
                    .await?
                    .first()
                else {
                    continue;
                };
                // Read whole: the fingerprint may be of the header alone, the words are in the body.
                found[i] = session.fetch_one(uid).await?;
            }
        }
    }
    Ok(found)
}
