//! The coordinator's daily mail, on business days only: at `due_list_at` what is due today and overdue, at
//! `register_at` the day's register as a workbook.
//!
//! Each mail has a `Message-ID` made of its kind and date, and the outbox keeps one message per id: a daemon
//! restarted in the afternoon, or several daemons on one PostgreSQL store, send each mail once.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::clock_rounds::{every_tick, queue_timed_mail, TimedMail};
use super::{DaemonError, Office};
use crate::calendar::{BusinessCalendar, LIMA};
use crate::config::{DigestSettings, MailboxConfig};
use crate::mail::compose::domain_of;
use crate::report::{self, digest::due_list_text, workbook, ReportContext};
use crate::workflow::message_ids;

/// Sends the daily mail until `shutdown`. The calendar says which days are business days.
pub async fn run_digests(
    office: Office,
    calendar: Arc<BusinessCalendar>,
    shutdown: watch::Receiver<bool>,
) {
    let Some(settings) = office.config.digest.clone() else {
        return;
    };
    let (office, calendar, settings) = (&office, &*calendar, &settings);
    every_tick("daily mail", shutdown, |now| {
        digest_round(office, calendar, settings, now)
    })
    .await;
}

/// Queues whichever daily mail is due at `now` and not queued yet.
pub async fn digest_round(
    office: &Office,
    calendar: &BusinessCalendar,
    settings: &DigestSettings,
    now: DateTime<Utc>,
) -> Result<(), DaemonError> {
    let local = now.with_timezone(&LIMA);
    let today = local.date_naive();
    if !calendar.is_business_day(today) {
        return Ok(());
    }
    let Some(mailbox) = office.config.mailbox(&settings.mailbox) else {
        return Ok(());
    };
    let domain = domain_of(&mailbox.address).to_string();
    if settings.due_list_at.is_some_and(|at| local.time() >= at) {
        let id = message_ids::due_digest(today, &domain);
        if office.store.outgoing_by_message_id(&id).await?.is_none() {
            let (_, end_of_day) =
                report::day_bounds(today).map_err(|e| DaemonError::Compose(e.to_string()))?;
            let open = office.store.open_due_by(end_of_day).await?;
            let mut text = String::new();
            // A mailbox that cannot be read is the first thing the coordinator must know.
            for h in office
                .store
                .mailbox_health()
                .await?
                .into_iter()
                .filter(|h| h.failing)
            {
                text.push_str(&format!("{}\n\n", h.warning(now)));
            }
            if office.config.database_url.starts_with("sqlite:") {
                if let Some(warning) =
                    crate::store::disk_space::low_disk_warning(&office.config.data_dir)
                {
                    text.push_str(&format!("{warning}\n\n"));
                }
            }
            text.push_str(&due_list_text(today, &open, now));
            // What the units hold, the late ones first (002 §9.3.3).
            let held = office.store.held_by_units().await?;
            let display = |name: &str| office.config.unit_display_name(name).to_string();
            text.push_str(&crate::report::digest::units_text(&held, &display, now));
            let overdue = open.iter().filter(|c| c.deadline_at < now).count();
            let late_units = held.iter().filter(|h| h.derivation.is_late(now)).count();
            let mut subject = format!(
                "Por atender al {}: {} vencidas, {} vencen hoy",
                today.format("%d/%m/%Y"),
                overdue,
                open.len() - overdue
            );
            if late_units > 0 {
                subject.push_str(&format!(", {late_units} en unidades vencidas"));
            }
            let mail = TimedMail {
                to: settings.coordinator.clone(),
                message_id: id,
                subject,
                text,
                workbook: None,
            };
            queue(office, mailbox, mail, now).await?;
        }
    }
    if settings.register_at.is_some_and(|at| local.time() >= at) {
        let id = message_ids::register_digest(today, &domain);
        if office.store.outgoing_by_message_id(&id).await?.is_none() {
            let (from, to) =
                report::day_bounds(today).map_err(|e| DaemonError::Compose(e.to_string()))?;
            let rows = office.store.register_rows(from, to).await?;
            let ctx = ReportContext::of_config(&office.config, calendar, now);
            let entries = report::register::entries(rows, &ctx);
            let bytes = workbook::register_workbook(&entries)
                .map_err(|e| DaemonError::Compose(e.to_string()))?;
            let text = format!(
                "Adjunto el registro de atenciones del {}: {} atenciones.\n\nEste es un mensaje automático de triaje.\n",
                today.format("%d/%m/%Y"),
                entries.len()
            );
            let subject = format!("Registro de atenciones del {}", today.format("%d/%m/%Y"));
            let mail = TimedMail {
                to: settings.coordinator.clone(),
                message_id: id,
                subject,
                text,
                workbook: Some((format!("registro-{today}.xlsx"), bytes)),
            };
            queue(office, mailbox, mail, now).await?;
        }
    }
    Ok(())
}

/// Queues one of the coordinator's daily mails.
async fn queue(
    office: &Office,
    mailbox: &MailboxConfig,
    mail: TimedMail,
    now: DateTime<Utc>,
) -> Result<(), DaemonError> {
    let to = mail.to.clone();
    if queue_timed_mail(office, mailbox, mail, now).await? {
        tracing::info!(%to, "daily mail queued");
    }
    Ok(())
}
