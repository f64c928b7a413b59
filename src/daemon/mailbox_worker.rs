//! The life of one mailbox under `triaje run`: connect, triage, wait for mail, and start again after failures.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Notify};
use tracing::Instrument;

use super::{
    beside_mail_pass, check_approval_guard, conversation_pass, corrections_pass, replies_pass,
    reply_watch, ticket_notes_pass, tidy_validation, triage_pass, DaemonError, Installation,
    RepliesSummary, NOTES_PER_PASS,
};
use crate::config::MailboxConfig;
use crate::imap::{self, Wakeup};

/// The longest pause between reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// How long an IDLE lasts before we re-check anyway (servers drop IDLE after 30 min; RFC 2177 says 29).
const IDLE_PERIOD: Duration = Duration::from_secs(5 * 60);

/// Runs one mailbox until `shutdown` turns true. Failures are logged and retried with exponential backoff;
/// a refused login waits the longest, so a wrong password does not lock the account. A worker needs the
/// triage context (which holds the office its other passes work through) and the counters it reports to.
pub async fn run_mailbox(
    installation: Installation,
    mailbox: MailboxConfig,
    shutdown: watch::Receiver<bool>,
) {
    // The span is attached to the future (not entered), so it follows the task across `.await`s.
    let span = tracing::info_span!("mailbox", mailbox = %mailbox.name);
    supervise(installation, mailbox, shutdown)
        .instrument(span)
        .await
}

async fn supervise(
    installation: Installation,
    mailbox: MailboxConfig,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut backoff = Duration::from_secs(1);
    loop {
        if *shutdown.borrow() {
            return;
        }
        let started = std::time::Instant::now();
        match serve(&installation, &mailbox, &mut shutdown).await {
            Ok(()) => return,
            Err(e) => {
                installation.counters.update(&mailbox.name, |c| {
                    c.failures += 1;
                    c.failing = Some(e.to_string());
                });
                // Never silent: status, /health and the morning mail say which mailbox fails and why.
                if let Err(store_error) = installation
                    .store()
                    .mailbox_failing(&mailbox.name, &e.to_string(), chrono::Utc::now())
                    .await
                {
                    tracing::warn!(error = %store_error, "could not record the mailbox's failure");
                }
                // A connection that worked for a while is a new incident, not the next failure of a series.
                if started.elapsed() > MAX_BACKOFF {
                    backoff = Duration::from_secs(1);
                }
                let wait = match &e {
                    DaemonError::Imap(i) if i.is_login_refused() => MAX_BACKOFF,
                    _ => backoff,
                };
                tracing::error!(error = %e, retry_in_s = wait.as_secs(), "mailbox failed; will retry");
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = shutdown.changed() => return,
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

/// One connection's worth of work: returns `Ok` only on shutdown.
async fn serve(
    installation: &Installation,
    mailbox: &MailboxConfig,
    shutdown: &mut watch::Receiver<bool>,
) -> Result<(), DaemonError> {
    let Installation { triage, counters } = installation;
    let config = &triage.office.config;
    let store = &triage.office.store;
    let settings = &config.triage;
    let timeout = Duration::from_secs(settings.io_timeout_seconds);
    let mut session = imap::connect(&mailbox.imap, timeout).await?;
    tracing::info!(idle = session.has_capability("IDLE"), "connected");
    counters.update(&mailbox.name, |c| c.connections += 1);
    session.ensure_folders(&config.folders.all()).await?;
    let derive_folders = super::ensure_derive_folders(&mut session, &triage.office).await?;
    // Whether a drag to the approved folder can count (for `status` and the supervisor's notices).
    check_approval_guard(&mut session, config, store, mailbox).await?;
    tidy_validation(&mut session, &triage.office, mailbox).await?;
    // This connection IDLEs on the inbox. The reply folders (drafts, approvals) have watchers of their own that
    // wake it the moment a draft is dropped or approved, and the register wakes it when a reply was sent; on top
    // of that every folder is looked at every `check_seconds` on a real timer, whatever keepalives the server
    // sends during IDLE.
    let idle = settings.idle && session.has_capability("IDLE");
    let replies_every = Duration::from_secs(config.replies.check_seconds.max(1));
    let period = if idle {
        IDLE_PERIOD.min(replies_every)
    } else {
        Duration::from_secs(settings.poll_seconds).min(replies_every)
    };
    let wake = Arc::new(Notify::new());
    // A drag into a unit's derivation folder is acted on as fast as a dropped draft.
    let derive_names: Vec<String> = derive_folders.iter().map(|(f, _)| f.clone()).collect();
    let _watchers = reply_watch::start(
        config,
        store,
        mailbox,
        idle,
        &derive_names,
        Arc::clone(&wake),
        shutdown,
    );
    let mut reported_ok = false;
    let mut rechecked_at = None;
    loop {
        let summary = triage_pass(&mut session, triage, mailbox, shutdown).await?;
        counters.update(&mailbox.name, |c| {
            c.filed += summary.filed as u64;
            c.errors += summary.errors as u64;
        });
        if summary.filed > 0 {
            tracing::info!(
                recorded = summary.recorded,
                filed = summary.filed,
                errors = summary.errors,
                "pass done"
            );
        }
        // The coordinator's moves first: a consultation just moved into a Legal folder is Legal for the drafts
        // of this round (the reply pass also checks the server before sending anything as not Legal).
        corrections_pass(&mut session, config, store, mailbox).await?;
        let replies = replies_pass(&mut session, &triage.office, mailbox).await?;
        if replies != RepliesSummary::default() {
            tracing::info!(
                queued = replies.queued,
                to_validation = replies.to_validation,
                returned = replies.returned,
                filed = replies.filed,
                "replies pass done"
            );
        }
        // Consultations the assistants dragged into a unit's derivation folder.
        super::derivation_pass(
            &mut session,
            &triage.office,
            &triage.calendar,
            mailbox,
            &derive_folders,
        )
        .await?;
        conversation_pass(&mut session, config, store, mailbox).await?;
        // After the corrections: a note follows the consultation to the folder a coordinator moved it to.
        // What is left of the round's notes once the triage pass filed some (a large backlog's).
        ticket_notes_pass(
            &mut session,
            config,
            store,
            mailbox,
            NOTES_PER_PASS.saturating_sub(summary.notes_filed),
        )
        .await?;
        // After the corrections and the filing of answers: machine mail filed beside a consultation that has
        // moved since (a bounce that came while its answered consultation went to «Atendidas») goes after it.
        beside_mail_pass(&mut session, config, store, mailbox).await?;
        // Confirmed filings (answered, or corrected by hand) become what the learned opinion learns from.
        super::harvest_examples(&mut session, config, store, &triage.rules, mailbox).await?;
        if !reported_ok {
            // A whole round worked: whatever failed before (password, folder, disk) is over.
            counters.update(&mailbox.name, |c| c.failing = None);
            match store.mailbox_ok(&mailbox.name, chrono::Utc::now()).await {
                Ok(()) => reported_ok = true,
                Err(e) => tracing::warn!(error = %e, "could not record that the mailbox works"),
            }
        }
        // Wait on the inbox again (the reply pass selected other folders).
        let inbox = session.select(&mailbox.inbox).await?;
        // Mail that arrived while the other passes ran is already in the inbox, and IDLE only reports what comes
        // after it starts: without this check such a message would wait for the next period (15 s measured by
        // scripts/bench-live before this check).
        // Once per UIDNEXT: a UID that never gets recorded (a message expunged by someone before triaje read it)
        // must not make this a busy loop.
        // Read after the same UID the triage pass resumes after: a fresh installation has no cursor yet (its
        // first round found an empty inbox), and a message delivered during that round must not wait a period.
        let read_up_to = match store.cursor(&mailbox.name).await? {
            Some(c) if c.uidvalidity == inbox.uidvalidity => c.last_uid,
            _ => 0,
        };
        if inbox.uid_next != rechecked_at
            && inbox
                .uid_next
                .is_some_and(|next| next > read_up_to.saturating_add(1))
        {
            rechecked_at = inbox.uid_next;
            continue;
        }
        match session
            .wait_for_mail(period, settings.idle, &wake, shutdown)
            .await?
        {
            Wakeup::Shutdown => {
                session.logout().await;
                return Ok(());
            }
            Wakeup::Activity | Wakeup::Woken | Wakeup::Timeout => {}
        }
    }
}
