//! One pass over a mailbox's reply folders, in named steps: approvals the supervisor confirmed with the notice's
//! link, drafts the assistants dropped, drafts dragged to the approved and to the returned folder, and replies
//! the SMTP server accepted that still have to be filed. What each draft becomes is the workflow's decision
//! ([`crate::workflow::decide_draft`], [`crate::workflow::Reply`]); these steps only fetch, record and move.
//!
//! Order (the crash-safety argument, as for triage): read the draft → decide → record + queue mail (one
//! transaction) → move the draft on the server. A crash before the commit repeats the decision; after it, the
//! draft is still where it was, is recognised by its fingerprint, and is only moved. Mail is queued under a
//! `Message-ID` stored with the reply, so nothing is queued twice.

use std::collections::BTreeMap;

use chrono::Utc;

use super::approval_guard::check_approval_guard;
use super::locate::uids_of_consultation;
use super::reply_approval::{approve, send_back, Settled};
use super::reply_drafts::{new_draft, place_of, refusal_note};
use super::reply_mail::NOTE_HEADER;
use super::{DaemonError, Office};
use crate::config::MailboxConfig;
use crate::imap::Session;
use crate::store::ReplyRow;
use crate::workflow::{fingerprint, ApprovalChannel, DraftPlace, DragGuard, ReplyState};

/// What one pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RepliesSummary {
    /// Replies queued for citizens.
    pub queued: usize,
    /// Legal replies sent to the supervisor.
    pub to_validation: usize,
    /// Drafts returned to the assistant (by the checks or the supervisor).
    pub returned: usize,
    /// Sent replies filed (copy in the sent folder, consultation in the answered folder).
    pub filed: usize,
}

/// Runs every step of the reply workflow once for `mailbox`.
pub async fn replies_pass(
    session: &mut Session,
    office: &Office,
    mailbox: &MailboxConfig,
) -> Result<RepliesSummary, DaemonError> {
    let mut summary = RepliesSummary::default();
    link_approvals(session, office, mailbox, &mut summary).await?;
    dropped_drafts(session, office, mailbox, &mut summary).await?;
    dragged_to_approved(session, office, mailbox, &mut summary).await?;
    dragged_to_returned(session, office, mailbox, &mut summary).await?;
    file_sent(session, office, mailbox, &mut summary).await?;
    if summary.queued + summary.to_validation > 0 {
        office.outbox_wake.notify_one();
    }
    Ok(summary)
}

/// Which messages of a folder a step looks at, a batch at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Window {
    /// The oldest first: folders triaje empties (`Por enviar`, `Aprobadas`), so every message gets its turn.
    Oldest,
    /// The newest: folders that keep what lies in them (`Observadas`, `Validación legal`), where what just
    /// arrived must not wait behind notes and answers kept for the assistants.
    Newest,
}

/// A folder's messages (up to the batch, from the `window`'s end), whole.
async fn messages_of(
    session: &mut Session,
    office: &Office,
    folder: &str,
    window: Window,
) -> Result<Vec<(u32, Vec<u8>)>, DaemonError> {
    let selected = session.select(folder).await?;
    if selected.exists == 0 {
        return Ok(Vec::new());
    }
    let metas = session.new_messages(0).await?;
    let batch = office.config.replies.batch;
    let skip = match window {
        Window::Oldest => 0,
        Window::Newest => metas.len().saturating_sub(batch),
    };
    let uids: Vec<u32> = metas.iter().skip(skip).take(batch).map(|m| m.uid).collect();
    Ok(session
        .fetch_raw(&uids, false)
        .await?
        .into_iter()
        .map(|f| (f.uid, f.raw))
        .collect())
}

/// What a message found in a reply folder is.
enum Seen {
    /// One of triaje's own notes.
    Note,
    /// A draft decided before.
    Known(Box<ReplyRow>),
    /// A draft seen for the first time, with its fingerprint.
    New(String),
}

/// Tells a note, a known draft and a new one apart.
async fn seen(office: &Office, raw: &[u8]) -> Result<Seen, DaemonError> {
    if is_note(raw) {
        return Ok(Seen::Note);
    }
    let fp = fingerprint(raw);
    Ok(match office.store.reply_by_fingerprint(&fp).await? {
        Some(r) => Seen::Known(Box::new(r)),
        None => Seen::New(fp),
    })
}

/// Whether `raw` is one of triaje's own notes.
fn is_note(raw: &[u8]) -> bool {
    let head = crate::mail::parse(raw).ok();
    head.is_some_and(|p| p.header(NOTE_HEADER).is_some())
}

/// The folder of a draft's place.
fn folder_of(office: &Office, place: DraftPlace) -> &str {
    let folders = &office.config.folders;
    match place {
        DraftPlace::Validation => &folders.validation,
        DraftPlace::Answered => &folders.answered,
        DraftPlace::Returned => &folders.returned,
    }
}

/// Carries out where decided drafts of `folder` go: one move per destination, then the notes beside them.
async fn settle_all(
    session: &mut Session,
    office: &Office,
    folder: &str,
    decided: Vec<(u32, Settled)>,
    summary: &mut RepliesSummary,
) -> Result<(), DaemonError> {
    let mut moves: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut notes: Vec<(String, Vec<u8>)> = Vec::new();
    for (uid, s) in decided {
        let Some(place) = s.place else { continue };
        let to = folder_of(office, place).to_string();
        match place {
            DraftPlace::Answered if s.queued => summary.queued += 1,
            DraftPlace::Validation if to != folder => summary.to_validation += 1,
            DraftPlace::Returned if s.note.is_some() => summary.returned += 1,
            _ => {}
        }
        if let Some(n) = s.note {
            notes.push((to.clone(), n));
        }
        if to != folder {
            moves.entry(to).or_default().push(uid);
        }
    }
    if !moves.is_empty() {
        session.select(folder).await?;
        for (to, uids) in &moves {
            session.move_to(uids, to).await?;
        }
    }
    for (to, note) in &notes {
        session.append(to, &[], note).await?;
    }
    Ok(())
}

/// Carries out one decided draft of `folder` (for the verdicts arriving by mail).
pub(super) async fn settle(
    session: &mut Session,
    office: &Office,
    folder: &str,
    uid: u32,
    settled: Settled,
) -> Result<(), DaemonError> {
    let mut summary = RepliesSummary::default();
    settle_all(session, office, folder, vec![(uid, settled)], &mut summary).await
}

/// The draft of reply `r` in `folder`, found by its `Message-ID` and confirmed by its fingerprint (or by the
/// fingerprint alone when it has no `Message-ID`).
pub(super) async fn find_draft(
    session: &mut Session,
    office: &Office,
    folder: &str,
    r: &ReplyRow,
) -> Result<Option<(u32, Vec<u8>)>, DaemonError> {
    let candidates: Vec<(u32, Vec<u8>)> = match &r.draft_message_id {
        Some(id) => {
            session.select(folder).await?;
            let uids = session.uids_with_message_id(id).await?;
            session
                .fetch_raw(&uids, false)
                .await?
                .into_iter()
                .map(|f| (f.uid, f.raw))
                .collect()
        }
        None => messages_of(session, office, folder, Window::Newest).await?,
    };
    Ok(candidates
        .into_iter()
        .find(|(_, raw)| fingerprint(raw) == r.draft_fingerprint))
}

/// After a (re)connection: drafts decided by a run that died before moving them out of the validation folder
/// (approved or returned, their record committed) are moved where their decision put them. Once per connection:
/// the validation folder keeps the notes beside the drafts, so looking at it every pass would download them
/// every time.
pub async fn tidy_validation(
    session: &mut Session,
    office: &Office,
    mailbox: &MailboxConfig,
) -> Result<(), DaemonError> {
    let folder = office.config.folders.validation.clone();
    let mut decided = Vec::new();
    for (uid, raw) in messages_of(session, office, &folder, Window::Newest).await? {
        if let Seen::Known(r) = seen(office, &raw).await? {
            if r.state != ReplyState::AwaitingValidation {
                tracing::info!(mailbox = %mailbox.name, reply = r.id, "decided draft left in the validation folder by an interrupted run: moved");
                decided.push((uid, placed(place_of(r.state))));
            }
        }
    }
    let mut summary = RepliesSummary::default();
    settle_all(session, office, &folder, decided, &mut summary).await
}

/// Step 1: approvals the supervisor confirmed on the notice link's page.
async fn link_approvals(
    session: &mut Session,
    office: &Office,
    mailbox: &MailboxConfig,
    summary: &mut RepliesSummary,
) -> Result<(), DaemonError> {
    let folder = office.config.folders.validation.clone();
    for r in office
        .store
        .link_approvals_to_carry_out(&mailbox.name)
        .await?
    {
        let Some((uid, raw)) = find_draft(session, office, &folder, &r).await? else {
            tracing::warn!(mailbox = %mailbox.name, reply = r.id, "approved by link, but the draft is not in the validation folder");
            continue;
        };
        let settled = approve(
            office,
            mailbox,
            &r,
            &raw,
            ApprovalChannel::Link,
            None,
            &DragGuard::Guarded,
            Utc::now(),
        )
        .await?;
        settle_all(session, office, &folder, vec![(uid, settled)], summary).await?;
    }
    Ok(())
}

/// Step 2: drafts dropped in `Por enviar`.
async fn dropped_drafts(
    session: &mut Session,
    office: &Office,
    mailbox: &MailboxConfig,
    summary: &mut RepliesSummary,
) -> Result<(), DaemonError> {
    let folder = office.config.folders.drafts.clone();
    let mut decided = Vec::new();
    for (uid, raw) in messages_of(session, office, &folder, Window::Oldest).await? {
        let now = Utc::now();
        let settled = match seen(office, &raw).await? {
            // One of our notes dragged here: put it back with the others.
            Seen::Note => placed(DraftPlace::Returned),
            // Refused before and dropped again unchanged: it goes back with its note again.
            Seen::Known(r) if r.state == ReplyState::Refused => {
                refused_again(office, mailbox, &r, &raw, now).await?
            }
            // Decided before a crash, still here: only the move is left to do.
            Seen::Known(r) => placed(place_of(r.state)),
            Seen::New(fp) => new_draft(session, office, mailbox, &raw, fp, now).await?,
        };
        decided.push((uid, settled));
    }
    settle_all(session, office, &folder, decided, summary).await
}

/// A refused draft dropped again unchanged: the note again, and a line in the history.
async fn refused_again(
    office: &Office,
    mailbox: &MailboxConfig,
    r: &ReplyRow,
    raw: &[u8],
    now: chrono::DateTime<Utc>,
) -> Result<Settled, DaemonError> {
    let c = match r.consultation_id {
        Some(id) => office.store.consultation_by_id(id).await?,
        None => None,
    };
    let reasons = r.observations.clone().unwrap_or_default();
    office
        .store
        .reply_history(
            r.consultation_id,
            &[],
            &format!(
                "el mismo borrador se dejó otra vez sin cambios y se devolvió otra vez:\n{reasons}"
            ),
            now,
        )
        .await?;
    let parsed = crate::mail::parse(raw).ok();
    Ok(Settled {
        place: Some(DraftPlace::Returned),
        note: refusal_note(office, mailbox, c.as_ref(), parsed.as_ref(), &reasons, now),
        queued: false,
    })
}

fn placed(place: DraftPlace) -> Settled {
    Settled {
        place: Some(place),
        ..Settled::default()
    }
}

/// Step 3: drafts dragged to the approved folder. A drag counts only where the server's ACL lets only the
/// supervisor put mail there, asked right now.
async fn dragged_to_approved(
    session: &mut Session,
    office: &Office,
    mailbox: &MailboxConfig,
    summary: &mut RepliesSummary,
) -> Result<(), DaemonError> {
    let folder = office.config.folders.approved.clone();
    let found = messages_of(session, office, &folder, Window::Oldest).await?;
    if found.is_empty() {
        return Ok(());
    }
    let guard = check_approval_guard(session, &office.config, &office.store, mailbox).await?;
    let mut decided = Vec::new();
    for (uid, raw) in found {
        let now = Utc::now();
        let settled = match seen(office, &raw).await? {
            Seen::Note => placed(DraftPlace::Returned),
            Seen::Known(r) if r.state == ReplyState::AwaitingValidation => {
                approve(
                    office,
                    mailbox,
                    &r,
                    &raw,
                    ApprovalChannel::Drag,
                    None,
                    &guard,
                    now,
                )
                .await?
            }
            Seen::Known(r) => placed(place_of(r.state)),
            // A draft nobody submitted put straight here: it is decided like any dropped draft (a Legal one
            // can only wait for validation).
            Seen::New(fp) => new_draft(session, office, mailbox, &raw, fp, now).await?,
        };
        decided.push((uid, settled));
    }
    settle_all(session, office, &folder, decided, summary).await
}

/// Step 4: drafts the supervisor dragged from validation to the returned folder without writing: returned,
/// with a note for the assistant to ask him.
async fn dragged_to_returned(
    session: &mut Session,
    office: &Office,
    mailbox: &MailboxConfig,
    summary: &mut RepliesSummary,
) -> Result<(), DaemonError> {
    let folder = office.config.folders.returned.clone();
    let mut decided = Vec::new();
    for (uid, raw) in messages_of(session, office, &folder, Window::Newest).await? {
        if is_note(&raw) {
            continue;
        }
        if let Some(r) = office
            .store
            .reply_by_fingerprint(&fingerprint(&raw))
            .await?
        {
            if r.state == ReplyState::AwaitingValidation {
                let settled =
                    send_back(office, mailbox, &r, "el supervisor", None, Utc::now()).await?;
                decided.push((uid, settled));
            }
        }
    }
    settle_all(session, office, &folder, decided, summary).await
}

/// Files what the SMTP server accepted: a copy in the sent folder, the consultation in the answered folder
/// with `\Answered`, and the answer's time and deadline compliance in the register.
async fn file_sent(
    session: &mut Session,
    office: &Office,
    mailbox: &MailboxConfig,
    summary: &mut RepliesSummary,
) -> Result<(), DaemonError> {
    let sent = office.store.sent_replies_to_file(&mailbox.name).await?;
    let folders = &office.config.folders;
    for s in sent {
        // The copy: appended once (a repeat after a crash finds it by its Message-ID).
        session.select(&folders.sent).await?;
        if session
            .uids_with_message_id(&s.message_id)
            .await?
            .is_empty()
        {
            session.append(&folders.sent, &["\\Seen"], &s.raw).await?;
        }
        // The consultation, found by its Message-ID and fingerprint wherever the office filed it.
        let max = office.config.triage.header_fingerprint_above();
        let mut places = vec![
            folders.unit_answers.clone(),
            folders.at_units.clone(),
            s.consultation.folder.clone(),
        ];
        places.extend(folders.filed());
        places.push(folders.unclassified.clone());
        let mut seen = Vec::new();
        places.retain(|p| {
            let first = !seen.contains(p);
            seen.push(p.clone());
            first
        });
        let mut moved = false;
        for place in places.iter().filter(|p| **p != folders.answered) {
            session.select(place).await?;
            let uids = uids_of_consultation(session, &s.consultation, max).await?;
            // Two copies of the same bytes are two consultations: this answer files one of them.
            if let Some(&uid) = uids.first() {
                session.add_flags(&[uid], &["\\Answered"]).await?;
                session.move_to(&[uid], &folders.answered).await?;
                moved = true;
                break;
            }
        }
        if !moved {
            // Already there: a repeat after a crash between the move and its record.
            session.select(&folders.answered).await?;
            let uids = uids_of_consultation(session, &s.consultation, max).await?;
            session.add_flags(&uids, &["\\Answered"]).await?;
            if uids.is_empty() {
                tracing::warn!(mailbox = %mailbox.name, ticket = %s.consultation.ticket, "answered consultation not found on the server; recorded anyway");
            }
        }
        office
            .store
            .mark_answered(&s, &folders.answered, Utc::now())
            .await?;
        summary.filed += 1;
    }
    Ok(())
}
