//! One pass over a mailbox's inbox: finish what a previous run left half done, then triage the backlog by batch.
//!
//! Order of a batch (the crash-safety argument): list → fetch → decide → record + advance cursor (one
//! transaction) → tag + move on the server → mark filed. A crash before the commit repeats the batch from
//! the old cursor; a crash after it leaves rows `recorded` but not filed, which the next pass files first.
//! Tagging and `UID MOVE` of UIDs already moved are no-ops, so repeating them is harmless. A backlog is tagged
//! and moved on a second connection (`filer`) while this one fetches; the order per message is the same.
//!
//! The pass reads as its steps: `file_leftovers`, `resume_after`, then per batch the decisions (on every core),
//! `recognise_and_route` for each message, the record, `join_conversations`, `file_on_server`; and at the end
//! `carry_out_answers`. What a message is filed as is decided in `workflow` (`filing`); here it is only carried out.

use std::collections::{BTreeMap, HashMap, VecDeque};

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::decide_batch::{batches, held_bytes, DecideJob, Fetched};
use super::filer::Filer;
use super::followups::{self, Followup};
use super::machine_mail::BounceNote;
use super::ticket_notes_pass::{file_due_notes, NOTES_PER_PASS};
use super::unit_mail::UnitMail;
use super::verdicts::{self, VerdictMail};
use super::{DaemonError, Triage};
use crate::config::MailboxConfig;
use crate::imap::{MessageMeta, Session};
use crate::store::{ConsultationRow, Cursor, NewConsultation, Recorded, ThreadLink, TriageExtras};
use crate::vocabulary::{ConsultationState, ThreadRole};
use crate::workflow::{file_as_rating, file_as_verdict, keywords_for, Decision};

/// Recorded messages are tagged and moved in groups of about this many (several batches): each `UID MOVE`
/// makes the server rewrite the inbox's index, so fewer, larger moves cost it less. A crash before the move
/// leaves them recorded, and the next pass files them first.
const FILE_GROUP: usize = 1000;

/// Batches handed to the deciding threads at once: the one whose decisions are awaited and the next.
const IN_FLIGHT: usize = 2;

/// A backlog of more batches than this is filed on a second connection while the first keeps fetching
/// (`filer`); a smaller one (what arrives during IDLE) is filed on the first, with no connection to open.
const FILE_BESIDE_FROM: usize = 2;

/// On the second connection, recorded messages are handed over in groups of at least this many: every move
/// costs the server a rewrite of the inbox's index whatever its size, and a smaller group, sooner, leaves less to
/// move once the last batch is recorded.
const FILE_BESIDE_GROUP: usize = 500;

/// What one pass did, for logs and `triaje once`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PassSummary {
    /// Messages newly recorded.
    pub recorded: usize,
    /// Messages moved to their folder (new ones and ones left over by an interrupted run).
    pub filed: usize,
    /// Messages sent to the errors folder.
    pub errors: usize,
    /// Per target folder, how many were moved there.
    pub by_folder: BTreeMap<String, usize>,
    /// Tickets of what was recorded in this pass, in order.
    pub tickets: Vec<String>,
    /// Acknowledgements queued for citizens.
    pub acknowledged: usize,
    /// Ticket notes filed at the end of this pass while the second connection moved the last groups: the
    /// round's notes pass files only what is left of its share (`ticket_notes_pass`).
    pub notes_filed: usize,
}

impl PassSummary {
    /// Adds what another connection filed for this pass.
    fn add_filed(&mut self, other: PassSummary) {
        self.filed += other.filed;
        self.errors += other.errors;
        for (folder, n) in other.by_folder {
            *self.by_folder.entry(folder).or_default() += n;
        }
    }
}

/// Triages every message waiting in the mailbox's inbox. Stops between batches when `shutdown` turns true.
pub async fn triage_pass(
    session: &mut Session,
    triage: &Triage,
    mailbox: &MailboxConfig,
    shutdown: &watch::Receiver<bool>,
) -> Result<PassSummary, DaemonError> {
    let config = &triage.office.config;
    let selected = session.select(&mailbox.inbox).await?;
    let mut summary = PassSummary::default();

    file_leftovers(session, triage, mailbox, selected.uidvalidity, &mut summary).await?;
    // Acknowledgements a previous run recorded but did not queue (it died in between).
    summary.acknowledged +=
        super::acknowledge_pending(&triage.office, triage.ack_template.as_deref(), mailbox).await?;
    let after = resume_after(triage, mailbox, selected.uidvalidity).await?;
    let waiting = session.new_messages(after).await?;
    if waiting.is_empty() {
        return Ok(summary);
    }
    tracing::info!(mailbox = %mailbox.name, waiting = waiting.len(), "triaging");
    let mut pending_followups: Vec<Followup> = Vec::new();
    let mut bounce_notes = Vec::new();
    let mut pending_verdicts: Vec<VerdictMail> = Vec::new();
    let mut pending_unit_mail: Vec<UnitMail> = Vec::new();

    // Batches bounded by count and by bytes: a backlog of big attachments never holds more than two batches'
    // worth of bytes (the one decided and the one downloading).
    let t = &config.triage;
    let chunks = batches(&waiting, t.batch_size, t.batch_bytes, |m| {
        held_bytes(
            u64::from(m.size),
            t.whole_message_bytes,
            t.max_message_bytes,
        )
    });
    let mut to_file: Vec<Recorded> = Vec::new();
    let mut filer = if chunks.len() > FILE_BESIDE_FROM {
        Filer::open(triage, mailbox, selected.uidvalidity).await
    } else {
        None
    };
    // The pipeline keeps both cores busy: a batch goes to the deciding threads as soon as it is downloaded, and
    // the batch after next downloads as soon as a batch's decisions are back, so recording, tagging and moving
    // batch i (the store's and the server's work, a move of a thousand messages taking the server longer than
    // deciding a batch) overlap the deciding of batches i+1 and i+2 instead of leaving the cores idle. At most two
    // batches' bytes are held: a batch's bytes are gone once it is decided, before the one after next downloads.
    let mut in_flight: VecDeque<Deciding> = VecDeque::with_capacity(IN_FLIGHT);
    for chunk in chunks.iter().take(IN_FLIGHT) {
        let bodies = fetch_batch(session, chunk, &config.triage).await?;
        in_flight.push_back(spawn_decide(triage, mailbox, chunk, bodies));
    }
    for (index, chunk) in chunks.iter().enumerate() {
        let Some(this) = in_flight.pop_front() else {
            break;
        };
        if *shutdown.borrow() {
            // The batches being decided are not recorded: the cursor stays before them, so the next pass reads
            // them.
            tracing::info!(mailbox = %mailbox.name, "stopping between batches");
            break;
        }
        let started = std::time::Instant::now();
        let now = this.now;
        let decisions = DaemonError::from_join(this.handle.await.and_then(|decided| decided))?;
        if let Some(after_next) = chunks.get(index + IN_FLIGHT) {
            let bodies = fetch_batch(session, after_next, &config.triage).await?;
            in_flight.push_back(spawn_decide(triage, mailbox, after_next, bodies));
        }
        let decided = started.elapsed();
        let mut batch = Vec::with_capacity(chunk.len());
        let mut extras = Vec::with_capacity(chunk.len());
        let mut bounced: Vec<u32> = Vec::new();
        let mut followups_by_uid: HashMap<u32, Followup> = HashMap::new();
        let mut verdicts_by_uid: HashMap<u32, VerdictMail> = HashMap::new();
        let mut unit_mail_by_uid: HashMap<u32, UnitMail> = HashMap::new();
        let decided_messages: Vec<&crate::workflow::Decision> =
            decisions.iter().filter_map(|(_, d)| d.as_ref()).collect();
        let elsewhere =
            followups::same_messages_elsewhere(&triage.office, mailbox, &decided_messages).await?;
        for (meta, decision) in decisions {
            let Some(mut d) = decision else {
                // Listed a moment ago, gone now: a person moved or deleted it before triage. It is not in
                // the inbox any more, so there is nothing to file; say so rather than stay silent.
                tracing::warn!(mailbox = %mailbox.name, uid = meta.uid, "message left the inbox before triage");
                continue;
            };
            let routed = recognise_and_route(triage, mailbox, &mut d, &elsewhere, now).await?;
            if let Some(note) = routed.bounce_note {
                bounced.push(meta.uid);
                bounce_notes.push(note);
            }
            extras.push(routed.extras);
            if let Some(v) = routed.verdict {
                verdicts_by_uid.insert(meta.uid, v);
            }
            if let Some(f) = routed.followup {
                followups_by_uid.insert(meta.uid, f);
            }
            if let Some(u) = routed.unit_mail {
                // A unit's answer is flagged while still in the inbox (the flag moves with it).
                if u.flagged() {
                    bounced.push(meta.uid);
                }
                unit_mail_by_uid.insert(meta.uid, u);
            }
            if let Some(reason) = &d.error_reason {
                tracing::warn!(mailbox = %mailbox.name, uid = meta.uid, reason = %reason, "message goes to the errors folder");
            }
            batch.push(NewConsultation {
                uidvalidity: selected.uidvalidity,
                uid: meta.uid,
                size_bytes: i64::from(meta.size),
                record: d.record,
                explanation: d.explanation,
                ack_skip: d.ack_skip,
            });
        }
        let last_uid = chunk.last().map(|m| m.uid).unwrap_or(after);
        let cursor = Cursor {
            uidvalidity: selected.uidvalidity,
            last_uid,
        };
        let recorded = triage
            .office
            .store
            .record_triaged(
                &mailbox.name,
                cursor,
                &batch,
                &extras,
                &config.ticket_prefix,
                now,
            )
            .await?;
        // A bounced reply is flagged while still in the inbox (the flag moves with it).
        session.add_flags(&bounced, &["\\Flagged"]).await?;
        // Follow-ups are idempotent (a rating counts once, a verdict applies only to a reply still waiting), so
        // those of a batch repeated after a crash are carried out again rather than lost.
        let answers = join_conversations(
            triage,
            mailbox,
            &recorded,
            followups_by_uid,
            verdicts_by_uid,
            now,
        )
        .await?;
        pending_followups.extend(answers.followups);
        pending_verdicts.extend(answers.verdicts);
        // A unit's mail is no attention of its own: recorded, then carried out once filed.
        let mut unit_mail_ids = Vec::new();
        for r in &recorded {
            if let Some(u) = unit_mail_by_uid.remove(&r.uid) {
                unit_mail_ids.push(r.id);
                pending_unit_mail.push(u);
            }
        }
        triage.office.store.mark_followups(&unit_mail_ids).await?;
        let stored = started.elapsed();
        for r in recorded.iter().filter(|r| r.is_new) {
            tracing::info!(mailbox = %mailbox.name, uid = r.uid, ticket = %r.ticket, folder = %r.folder, "recorded");
            summary.recorded += 1;
            summary.tickets.push(r.ticket.clone());
        }
        to_file.extend(recorded);
        match &mut filer {
            // Filed on the second connection as soon as recorded, while this one fetches the next batch.
            Some(filer) => {
                if to_file.len() >= FILE_BESIDE_GROUP {
                    filer.file(std::mem::take(&mut to_file)).await?;
                }
            }
            None => {
                if to_file.len() >= FILE_GROUP {
                    file_on_server(session, triage, &to_file, &mut summary).await?;
                    to_file.clear();
                }
            }
        }
        summary.acknowledged +=
            super::acknowledge_pending(&triage.office, triage.ack_template.as_deref(), mailbox)
                .await?;
        // Where a batch's time goes, for the benchmark's profile (cumulative milliseconds).
        tracing::debug!(
            mailbox = %mailbox.name,
            messages = chunk.len(),
            fetched_and_decided_ms = decided.as_millis(),
            recorded_ms = stored.as_millis(),
            filed_ms = started.elapsed().as_millis(),
            "batch done"
        );
    }
    // The last group, or what was recorded before a stop between batches: filed now rather than at the next start.
    if let Some(mut filer) = filer {
        filer.file(std::mem::take(&mut to_file)).await?;
        // While the second connection moves the last groups, this one files the round's ticket notes of what is
        // filed by then (the notes pass's own steps: looked for, appended, recorded): one after the other they
        // were the longest part of the round's tail. The round's notes pass files only what is left of its share.
        // A pass stopping for a shutdown leaves them to the next round.
        if !*shutdown.borrow() {
            summary.notes_filed = file_due_notes(
                session,
                config,
                &triage.office.store,
                mailbox,
                NOTES_PER_PASS,
            )
            .await?;
        }
        // The passes below work on this inbox by UID: the same one, never one the server renumbered meanwhile.
        if summary.notes_filed > 0
            && session.select(&mailbox.inbox).await?.uidvalidity != selected.uidvalidity
        {
            return Err(DaemonError::Interrupted(
                "el servidor renumeró la bandeja durante el triaje; se continúa en la próxima pasada".into(),
            ));
        }
        summary.add_filed(filer.finish().await?);
    }
    file_on_server(session, triage, &to_file, &mut summary).await?;
    carry_out_answers(
        session,
        triage,
        mailbox,
        pending_followups,
        bounce_notes,
        pending_verdicts,
    )
    .await?;
    if !pending_unit_mail.is_empty() {
        super::unit_mail::apply(session, triage, mailbox, pending_unit_mail).await?;
        session.select(&mailbox.inbox).await?;
    }
    Ok(summary)
}

/// A batch's decisions, in its order: `None` for a message listed but gone before it was fetched.
type Decided = Vec<(MessageMeta, Option<Decision>)>;

/// A batch handed to the deciding threads, and when it was seen (its decisions and its record share that time).
struct Deciding {
    /// The decisions, in the batch's order.
    handle: tokio::task::JoinHandle<Result<Decided, tokio::task::JoinError>>,
    /// When the batch was handed over.
    now: DateTime<Utc>,
}

/// Starts deciding `chunk` (whose fetched bytes are `bodies`) on every core, with the rules in force now.
fn spawn_decide(
    triage: &Triage,
    mailbox: &MailboxConfig,
    chunk: &[MessageMeta],
    bodies: HashMap<u32, Fetched>,
) -> Deciding {
    let now = Utc::now();
    let job = DecideJob {
        triage: triage.clone(),
        mailbox: mailbox.clone(),
        rules: triage.rules.current(),
        metas: chunk.to_vec(),
        bodies,
        now,
    };
    Deciding {
        handle: tokio::spawn(job.run_parallel()),
        now,
    }
}

/// Step 1: a previous run recorded these but died before moving them; they are moved first.
async fn file_leftovers(
    session: &mut Session,
    triage: &Triage,
    mailbox: &MailboxConfig,
    uidvalidity: u32,
    summary: &mut PassSummary,
) -> Result<(), DaemonError> {
    let leftovers: Vec<Recorded> = triage
        .office
        .store
        .unfiled(&mailbox.name)
        .await?
        .into_iter()
        .filter(|r| r.uidvalidity == uidvalidity)
        .collect();
    if !leftovers.is_empty() {
        tracing::info!(
            mailbox = %mailbox.name,
            count = leftovers.len(),
            "filing messages recorded by an interrupted run"
        );
        file_on_server(session, triage, &leftovers, summary).await?;
    }
    Ok(())
}

/// Step 2: the UID after which the inbox is still to be read. A UIDVALIDITY change means the server renumbered
/// the inbox: start over; the store recognises messages already recorded by their fingerprint, so nothing is
/// recorded twice.
async fn resume_after(
    triage: &Triage,
    mailbox: &MailboxConfig,
    uidvalidity: u32,
) -> Result<u32, DaemonError> {
    Ok(match triage.office.store.cursor(&mailbox.name).await? {
        Some(c) if c.uidvalidity == uidvalidity => c.last_uid,
        Some(c) => {
            tracing::warn!(
                mailbox = %mailbox.name,
                old = c.uidvalidity,
                new = uidvalidity,
                "UIDVALIDITY changed: re-reading the whole inbox"
            );
            0
        }
        None => 0,
    })
}

/// What a decided message turned out to be besides what the rules said.
struct Routed {
    /// Extras for `Store::record_triaged` (machine mail's reason, the content fingerprint).
    extras: TriageExtras,
    /// For a bounced reply: the note to leave beside it (and the message is flagged).
    bounce_note: Option<BounceNote>,
    /// An answer to a validation notice.
    verdict: Option<VerdictMail>,
    /// A rating or a message of a conversation.
    followup: Option<Followup>,
    /// A unit's answer or escalation about a derivation.
    unit_mail: Option<UnitMail>,
}

/// Step 3, per decided message: recognises machine mail, a supervisor's verdict, a survey rating or a message of a
/// conversation, and files the decision where that goes (the workflow's `filing`).
async fn recognise_and_route(
    triage: &Triage,
    mailbox: &MailboxConfig,
    d: &mut Decision,
    elsewhere: &HashMap<String, ConsultationRow>,
    now: DateTime<Utc>,
) -> Result<Routed, DaemonError> {
    let config = &triage.office.config;
    // Machine mail: where it goes and what it says about a consultation (machine_mail.rs).
    let resolved = super::machine_mail::resolve(&triage.office.store, mailbox, d, now).await?;
    // A unit's mail about a derivation (it quotes the forward triaje sent it) is neither a verdict nor a citizen's.
    if let Some(u) = super::unit_mail::recognise(triage, d).await? {
        crate::workflow::file_as_unit_mail(
            d,
            !u.flagged(),
            &u.derivation.unit,
            &u.consultation.ticket,
            &config.folders.unit_answers,
            &config.folders.at_units,
        );
        return Ok(Routed {
            extras: resolved.extras,
            bounce_note: resolved.note,
            verdict: None,
            followup: None,
            unit_mail: Some(u),
        });
    }
    // Machine mail is never a verdict nor a rating, whatever thread it claims to be in.
    let verdict = match d.machine {
        Some(_) => None,
        None => verdicts::recognise(&triage.office, d).await?,
    };
    let followup = match (&verdict, &d.machine) {
        (None, None) => followups::recognise(&triage.office, d, elsewhere).await?,
        _ => None,
    };
    if verdict.is_some() {
        file_as_verdict(d, &config.folders.returned);
    } else if let Some(f) = &followup {
        // Filed beside what it answers, never acknowledged, carried out once recorded.
        match f {
            Followup::Rating { .. } => file_as_rating(d, &config.folders.answered),
            Followup::InThread {
                role,
                target,
                folder,
                ..
            } => followups::file_in_thread(&triage.calendar, mailbox, d, *role, target, folder),
        }
    }
    Ok(Routed {
        extras: resolved.extras,
        bounce_note: resolved.note,
        verdict,
        followup,
        unit_mail: None,
    })
}

/// The answers of a recorded batch still to be carried out once filed.
struct Answers {
    /// Ratings and messages that are no attention of their own.
    followups: Vec<Followup>,
    /// Verdicts.
    verdicts: Vec<VerdictMail>,
}

/// Step 4, after recording: links the messages of conversations to their threads and marks the answers to
/// triaje's own mail as follow-ups (no deadline). A follow-up question is an attention of its own and stays one.
async fn join_conversations(
    triage: &Triage,
    mailbox: &MailboxConfig,
    recorded: &[Recorded],
    mut followups_by_uid: HashMap<u32, Followup>,
    mut verdicts_by_uid: HashMap<u32, VerdictMail>,
    now: DateTime<Utc>,
) -> Result<Answers, DaemonError> {
    let mut answers = Answers {
        followups: Vec::new(),
        verdicts: Vec::new(),
    };
    let mut followup_ids = Vec::new();
    let mut links = Vec::new();
    for r in recorded {
        if let Some(f) = followups_by_uid.remove(&r.uid) {
            if let Followup::InThread {
                root_id,
                role,
                target,
                ..
            } = &f
            {
                links.push(ThreadLink {
                    consultation_id: r.id,
                    root_id: *root_id,
                    role: *role,
                    target_id: target.id,
                    detail: followups::thread_detail(*role, &r.ticket, target),
                });
                tracing::info!(mailbox = %mailbox.name, uid = r.uid, ticket = %r.ticket, thread = %target.ticket, role = role.as_str(), "message of a conversation");
                // A follow-up question is an attention of its own; the rest are not attentions.
                if *role == ThreadRole::FollowUp {
                    continue;
                }
            }
            answers.followups.push(f);
            followup_ids.push(r.id);
        }
        if let Some(v) = verdicts_by_uid.remove(&r.uid) {
            answers.verdicts.push(v);
            followup_ids.push(r.id);
        }
    }
    triage.office.store.mark_followups(&followup_ids).await?;
    triage.office.store.join_threads(&links, now).await?;
    Ok(answers)
}

/// Last step, once everything is filed: records the ratings, leaves the notes beside bounced replies and applies
/// the verdicts, each in its folder, then selects the inbox again.
async fn carry_out_answers(
    session: &mut Session,
    triage: &Triage,
    mailbox: &MailboxConfig,
    followups: Vec<Followup>,
    bounce_notes: Vec<BounceNote>,
    verdicts: Vec<VerdictMail>,
) -> Result<(), DaemonError> {
    if !followups.is_empty() {
        followups::apply(session, &triage.office, mailbox, followups, Utc::now()).await?;
        session.select(&mailbox.inbox).await?;
    }
    if !bounce_notes.is_empty() {
        super::machine_mail::leave_notes(session, mailbox, bounce_notes).await?;
        session.select(&mailbox.inbox).await?;
    }
    if !verdicts.is_empty() {
        verdicts::apply(session, &triage.office, mailbox, verdicts, Utc::now()).await?;
        session.select(&mailbox.inbox).await?;
    }
    Ok(())
}

/// Downloads a batch: whole messages up to `whole_message_bytes`; bigger ones by sections (header, structure,
/// text parts — never an attachment); only the header of those over `max_message_bytes`.
async fn fetch_batch(
    session: &mut Session,
    chunk: &[MessageMeta],
    triage: &crate::config::TriageSettings,
) -> Result<HashMap<u32, Fetched>, DaemonError> {
    let mut whole = Vec::new();
    let mut sectioned = Vec::new();
    let mut headers = Vec::new();
    for m in chunk {
        let size = u64::from(m.size);
        if size > triage.max_message_bytes {
            headers.push(m.uid);
        } else if triage.read_by_header(size) {
            sectioned.push(m.uid);
        } else {
            whole.push(m.uid);
        }
    }
    let mut bodies = HashMap::with_capacity(chunk.len());
    for f in session.fetch_raw(&whole, false).await? {
        bodies.insert(
            f.uid,
            Fetched {
                raw: f.raw,
                fingerprint_len: None,
            },
        );
    }
    for f in session.fetch_raw(&headers, true).await? {
        bodies.insert(
            f.uid,
            Fetched {
                raw: f.raw,
                fingerprint_len: None,
            },
        );
    }
    for uid in sectioned {
        if let Some(m) = session.fetch_sectioned(uid).await? {
            let fingerprint_len = Some(m.header.len());
            bodies.insert(
                uid,
                Fetched {
                    raw: m.assembled,
                    fingerprint_len,
                },
            );
        }
    }
    Ok(bodies)
}

/// Tags and moves recorded messages to their folders (one `UID MOVE` per folder), then marks them filed.
pub(super) async fn file_on_server(
    session: &mut Session,
    triage: &Triage,
    recorded: &[Recorded],
    summary: &mut PassSummary,
) -> Result<(), DaemonError> {
    if recorded.is_empty() {
        return Ok(());
    }
    // Messages with the same availability and due date share one `UID STORE`.
    let mut tags: BTreeMap<Vec<String>, Vec<u32>> = BTreeMap::new();
    // Machine mail has no availability and no due date to show.
    for r in recorded
        .iter()
        .filter(|r| r.state != ConsultationState::Automatic)
    {
        tags.entry(keywords_for(r.availability, r.deadline_at))
            .or_default()
            .push(r.uid);
    }
    let tags: Vec<(Vec<String>, Vec<u32>)> = tags.into_iter().collect();
    session.add_keywords(&tags).await?;
    let mut by_folder: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for r in recorded {
        by_folder.entry(r.folder.as_str()).or_default().push(r.uid);
    }
    for (folder, uids) in &by_folder {
        session.move_to(uids, folder).await?;
        *summary.by_folder.entry(folder.to_string()).or_default() += uids.len();
        if *folder == triage.office.config.folders.errors {
            summary.errors += uids.len();
        }
    }
    let ids: Vec<i64> = recorded.iter().map(|r| r.id).collect();
    triage.office.store.mark_filed(&ids, Utc::now()).await?;
    summary.filed += recorded.len();
    Ok(())
}
