//! Finding a consultation's message on the server once the office may have moved it: by its `Message-ID`,
//! confirmed by the fingerprint triage recorded.
//!
//! triaje used to tag every message with its ticket number as an IMAP keyword and search for that. Each new
//! keyword makes the server send the folder's whole keyword list again, to every client, for ever (servers never
//! forget a keyword), so a backlog of N messages cost N² bytes of `FLAGS` responses. The `Message-ID` is already
//! on the message; the fingerprint settles the rare cases where it is missing or shared (a message delivered
//! twice keeps its `Message-ID`).

use chrono::Duration;

use crate::imap::{ImapError, Session};
use crate::store::ConsultationRow;
use crate::workflow::fingerprint;

/// The two ways triage may have read a message, in the order worth trying: whole, or only its header when it was
/// over `header_fingerprint_above` (`TriageSettings::header_fingerprint_above`: read by sections, or oversize).
/// The limits may have changed since, so the other way is the fallback.
pub(crate) fn readings(size: u64, header_fingerprint_above: u64) -> [bool; 2] {
    let headers_only = size > header_fingerprint_above;
    [headers_only, !headers_only]
}

/// The fingerprint of message `uid` of the selected folder read whole or header only; `None` when it is gone.
pub(crate) async fn fingerprint_of(
    session: &mut Session,
    uid: u32,
    headers_only: bool,
) -> Result<Option<String>, ImapError> {
    let fetched = session.fetch_raw(&[uid], headers_only).await?;
    Ok(fetched
        .into_iter()
        .find(|f| f.uid == uid)
        .map(|f| fingerprint(&f.raw)))
}

/// Whether message `uid` (of `size` bytes) of the selected folder has the fingerprint `wanted`.
pub(crate) async fn has_fingerprint(
    session: &mut Session,
    uid: u32,
    size: u64,
    header_fingerprint_above: u64,
    wanted: &str,
) -> Result<bool, ImapError> {
    for headers_only in readings(size, header_fingerprint_above) {
        match fingerprint_of(session, uid, headers_only).await? {
            None => return Ok(false),
            Some(fp) if fp == wanted => return Ok(true),
            Some(_) => {}
        }
    }
    Ok(false)
}

/// The UIDs, in the selected folder, of messages that are consultation `c`'s message: same `Message-ID` (or,
/// when it had none, same sender and arrival within a day) and same fingerprint. Usually one; two only when the
/// same bytes were delivered twice, and then either will do.
pub async fn uids_of_consultation(
    session: &mut Session,
    c: &ConsultationRow,
    header_fingerprint_above: u64,
) -> Result<Vec<u32>, ImapError> {
    let candidates = match &c.message_id {
        Some(id) => session.uids_with_message_id(id).await?,
        None => {
            let from = c.received_at - Duration::days(1);
            let until = c.received_at + Duration::days(2);
            session
                .uids_received_between(c.from_addr.as_deref(), from, until)
                .await?
        }
    };
    let size = u64::try_from(c.size_bytes).unwrap_or(0);
    let mut found = Vec::new();
    for uid in candidates {
        if has_fingerprint(session, uid, size, header_fingerprint_above, &c.fingerprint).await? {
            found.push(uid);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_over_the_limit_is_tried_by_its_header_first() {
        assert_eq!(readings(30, 10), [true, false]);
        assert_eq!(readings(10, 10), [false, true]);
    }
}
