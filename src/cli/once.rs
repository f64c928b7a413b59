//! `triaje once`: triage what is waiting now, print what went where and when it is due, exit.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::CliError;
use crate::config::{Config, ImapSettings, MailboxConfig};
use crate::daemon::{replies_pass, triage_pass, HeldLease, PassSummary, RepliesSummary};
use crate::imap::{self, ImapError, Session};
use crate::store::mailbox_lease;

/// Above this many messages only totals are printed.
const MAX_ROWS: usize = 500;

/// Triages every mailbox (or one) once. A failing mailbox is reported and the others still run.
pub async fn once(config: Config, only: Option<&str>, quiet: bool) -> Result<(), CliError> {
    if let Some(name) = only {
        if config.mailbox(name).is_none() {
            let names: Vec<&str> = config.mailboxes.iter().map(|m| m.name.as_str()).collect();
            return Err(CliError::Usage(format!(
                "no hay un buzón llamado «{name}» en la configuración; los buzones son: {}",
                names.join(", ")
            )));
        }
    }
    // The first mailbox's session is opened (login, folders) on another thread while this one loads the rules
    // and opens the store: both take a few tenths of a second before any mail is read, one waiting on the
    // server and the other on a core, so side by side a run starts sooner. Nothing is read or moved before
    // the lock, the store and the lease are held; the folders are the ones every run makes sure of anyway.
    let timeout = Duration::from_secs(config.triage.io_timeout_seconds);
    let mut early = config
        .mailboxes
        .iter()
        .find(|m| only.is_none_or(|n| n == m.name))
        .map(|mailbox| EarlySession::open(mailbox, config.folders.all(), timeout));
    // With PostgreSQL a running daemon may own a mailbox: `once` takes each mailbox's lease for its whole run
    // and leaves alone those another instance works on. With SQLite the instance lock already excludes that.
    let opened = super::open_for_work(config).await;
    let (_lock, installation) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            if let Some(early) = early.take() {
                early.abandon().await;
            }
            return Err(e);
        }
    };
    let triage = &installation.triage;
    let (office, config, store) = (&triage.office, installation.config(), installation.store());
    let holder = super::run::instance_name();
    let mut leases = Vec::new();
    let mut skipped = Vec::new();
    for mailbox in &config.mailboxes {
        if only.is_some_and(|n| n != mailbox.name) {
            continue;
        }
        match HeldLease::take(store, mailbox_lease(&mailbox.name), &holder).await? {
            Some(lease) => leases.push(lease),
            None => {
                println!(
                    "buzón {}: lo atiende otro triaje en ejecución con esta misma base de datos; se omite",
                    mailbox.name
                );
                skipped.push(mailbox.name.clone());
            }
        }
    }
    let only_held =
        |name: &str| only.is_none_or(|n| n == name) && !skipped.iter().any(|s| s == name);
    let (_never, shutdown) = watch::channel(false);
    let mut failures = Vec::new();
    let mut tickets = Vec::new();
    let mut total = PassSummary::default();
    let mut replies = RepliesSummary::default();
    for mailbox in &config.mailboxes {
        if !only_held(&mailbox.name) {
            continue;
        }
        let early = early.take_if(|e| e.mailbox == mailbox.name);
        let result = async {
            let mut session = match early {
                Some(early) => early.session().await?,
                None => ready_session(&mailbox.imap, &config.folders.all(), timeout).await?,
            };
            let derive_folders = crate::daemon::ensure_derive_folders(&mut session, office).await?;
            let summary = triage_pass(&mut session, triage, mailbox, &shutdown).await?;
            crate::daemon::corrections_pass(&mut session, config, store, mailbox).await?;
            crate::daemon::check_approval_guard(&mut session, config, store, mailbox).await?;
            crate::daemon::tidy_validation(&mut session, office, mailbox).await?;
            let replies = replies_pass(&mut session, office, mailbox).await?;
            crate::daemon::derivation_pass(
                &mut session,
                office,
                &triage.calendar,
                mailbox,
                &derive_folders,
            )
            .await?;
            crate::daemon::conversation_pass(&mut session, config, store, mailbox).await?;
            // What is left of the round's notes once the triage pass filed some (a large backlog's).
            crate::daemon::ticket_notes_pass(
                &mut session,
                config,
                store,
                mailbox,
                crate::daemon::NOTES_PER_PASS.saturating_sub(summary.notes_filed),
            )
            .await?;
            crate::daemon::beside_mail_pass(&mut session, config, store, mailbox).await?;
            session.logout().await;
            Ok::<_, crate::daemon::DaemonError>((summary, replies))
        }
        .await;
        match result {
            Ok((s, r)) => {
                total.acknowledged += s.acknowledged;
                replies.queued += r.queued;
                replies.to_validation += r.to_validation;
                replies.returned += r.returned;
                total.recorded += s.recorded;
                total.filed += s.filed;
                total.errors += s.errors;
                for (folder, n) in s.by_folder {
                    *total.by_folder.entry(folder).or_default() += n;
                }
                tickets.extend(s.tickets);
            }
            Err(e) => {
                eprintln!("buzón {}: {e}", mailbox.name);
                failures.push(mailbox.name.clone());
            }
        }
    }
    // The first mailbox was another instance's (its lease was held): its early session goes unused.
    if let Some(early) = early.take() {
        early.abandon().await;
    }
    if !quiet && !tickets.is_empty() && tickets.len() <= MAX_ROWS {
        print_table(store, &tickets).await?;
    }
    println!(
        "\n{} registrados, {} archivados ({} en {}).",
        total.recorded, total.filed, total.errors, config.folders.errors
    );
    for (folder, n) in &total.by_folder {
        println!("  {folder:<16} {n}");
    }
    // What was queued goes out now; replies the server accepted are then filed (sent copy, answered folder).
    let mailers = crate::smtp::mailers(config)?;
    let sent = if mailers.is_empty() {
        crate::smtp::SendReport::default()
    } else {
        crate::smtp::send_due_once(
            store,
            &mailers,
            &config.outbox,
            &super::run::instance_name(),
        )
        .await?
    };
    if sent.sent > 0 {
        for mailbox in &config.mailboxes {
            if !only_held(&mailbox.name) {
                continue;
            }
            let result = async {
                let mut session = imap::connect(&mailbox.imap, timeout).await?;
                let r = replies_pass(&mut session, office, mailbox).await?;
                session.logout().await;
                Ok::<_, crate::daemon::DaemonError>(r)
            }
            .await;
            match result {
                Ok(r) => replies.filed += r.filed,
                Err(e) => eprintln!("buzón {}: {e}", mailbox.name),
            }
        }
    }
    println!(
        "Acuses de recibo en cola: {}. Respuestas: {} en cola, {} a validación legal, {} devueltas, {} archivadas \
         como atendidas. Correo enviado ahora: {} ({} por reintentar, {} rechazados).",
        total.acknowledged,
        replies.queued,
        replies.to_validation,
        replies.returned,
        replies.filed,
        sent.sent,
        sent.retried,
        sent.failed
    );
    for lease in leases {
        lease.release().await;
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(CliError::Partial(format!(
            "no se pudo procesar: {} (los demás buzones sí)",
            failures.join(", ")
        )))
    }
}

fn lima(t: DateTime<Utc>) -> String {
    crate::spanish::day_date_time(&t)
}

async fn print_table(store: &crate::store::Store, tickets: &[String]) -> Result<(), CliError> {
    println!(
        "{:<17} {:<10} {:<15} {:<6} {:<20} {:<20} {:<20} ASUNTO",
        "TICKET", "BUZÓN", "CARPETA", "DISP.", "LLEGÓ", "CUENTA DESDE", "VENCE"
    );
    for ticket in tickets {
        let Some(c) = store.consultation_by_ticket(ticket).await? else {
            continue;
        };
        let subject: String = c.subject.chars().take(50).collect();
        println!(
            "{:<17} {:<10} {:<15} {:<6} {:<20} {:<20} {:<20} {}",
            c.ticket,
            c.mailbox,
            c.folder,
            c.availability,
            lima(c.received_at),
            lima(c.effective_received_at),
            lima(c.deadline_at),
            subject
        );
    }
    Ok(())
}

/// A session logged in to a mailbox's server, with `folders` created where missing: what every run starts from.
async fn ready_session(
    settings: &ImapSettings,
    folders: &[String],
    timeout: Duration,
) -> Result<Session, ImapError> {
    let mut session = imap::connect(settings, timeout).await?;
    session.ensure_folders(folders).await?;
    Ok(session)
}

/// A mailbox's IMAP session being opened on the runtime's worker threads (login, then the folders every run
/// makes sure of) while the caller does something else.
struct EarlySession {
    /// The mailbox's name (`[[mailbox]] name`).
    mailbox: String,
    /// The task opening it.
    task: tokio::task::JoinHandle<Result<Session, ImapError>>,
}

impl EarlySession {
    /// Starts connecting to `mailbox`'s server and creating `folders` where missing.
    fn open(mailbox: &MailboxConfig, folders: Vec<String>, timeout: Duration) -> EarlySession {
        let settings = mailbox.imap.clone();
        EarlySession {
            mailbox: mailbox.name.clone(),
            task: tokio::spawn(async move { ready_session(&settings, &folders, timeout).await }),
        }
    }

    /// The session, once logged in with its folders in place; the error it met otherwise.
    async fn session(self) -> Result<Session, crate::daemon::DaemonError> {
        Ok(crate::daemon::DaemonError::from_join(self.task.await)??)
    }

    /// Logs out of a session that will not be used (or stops opening it).
    async fn abandon(self) {
        if self.task.is_finished() {
            if let Ok(Ok(session)) = self.task.await {
                session.logout().await;
            }
        } else {
            self.task.abort();
        }
    }
}
