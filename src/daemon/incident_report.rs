//! The incident coordinator's daily consolidated report (002 §8.3.2.3, §9.3.1): read from the store, computed by
//! `report::incidents`, and mailed with its workbook at `[incidents] send_at` of each business day.
//!
//! The mail's `Message-ID` is made of the day (`incidencias.DAY@domain`) and the outbox keeps one message per id:
//! a restarted daemon, or several daemons on one PostgreSQL store, send each day's report once.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use tokio::sync::watch;

use super::clock_rounds::{every_tick, queue_timed_mail, TimedMail};
use super::{DaemonError, Office};
use crate::calendar::BusinessCalendar;
use crate::config::IncidentSettings;
use crate::mail::compose::domain_of;
use crate::report::incidents::{report_day, DailyIncidentReport, IncidentRecord, Level, UnitHold};
use crate::report::register::RegisterEntry;
use crate::report::{self, workbook, ReportContext};
use crate::store::{Derivation, RegisterRow, Store};
use crate::vocabulary::{AttentionKind, DerivationState};
use crate::workflow::message_ids;

/// The incident records of `rows` (the incidents among them) as of `ctx.now`, with when each acknowledgement
/// went out and each unit's hold from the row's derivations (in derivation order), shown by the unit's
/// `display_name`.
pub async fn incident_records(
    store: &Store,
    config: &crate::config::Config,
    rows: Vec<RegisterRow>,
    ctx: &ReportContext<'_>,
) -> Result<Vec<IncidentRecord>, DaemonError> {
    let rows: Vec<RegisterRow> = rows
        .into_iter()
        .filter(|r| r.kind == AttentionKind::Incident)
        .collect();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let acknowledged = store.acknowledged_at(&ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let at = acknowledged.get(&row.id).copied();
            let holds = row.derivations.iter().map(|d| hold_of(config, d)).collect();
            IncidentRecord {
                holds,
                ..IncidentRecord::first_level(RegisterEntry::new(row, ctx), at)
            }
        })
        .collect())
}

/// A derivation as the incident reports see it: the unit by the name people read, its level, its own due date
/// (the unit's `deadline`, 002 §9.3.3), and whether it closed by raising the incident to the next level.
fn hold_of(config: &crate::config::Config, d: &Derivation) -> UnitHold {
    UnitHold {
        unit: config.unit_display_name(&d.unit).to_string(),
        level: Level::from(d.level),
        derived_at: d.derived_at,
        due_at: Some(d.due_at),
        closed_at: d.answered_at,
        raised: d.state == DerivationState::Escalated,
    }
}

/// The daily report of `date` as of `now` (or the end of that day, if earlier): the day's incidents, those
/// answered that day, and the statistics of the month up to that day.
pub async fn daily_incident_report(
    store: &Store,
    config: &crate::config::Config,
    calendar: &BusinessCalendar,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<DailyIncidentReport, DaemonError> {
    let compose = |e: report::ReportError| DaemonError::Compose(e.to_string());
    let (day_start, day_end) = report::day_bounds(date).map_err(compose)?;
    let first = chrono::Datelike::with_day(&date, 1).unwrap_or(date);
    let month_start = report::lima_midnight(first).map_err(compose)?;
    let as_of = now.min(day_end);
    let ctx = ReportContext::of_config(config, calendar, as_of);
    let month = store.register_rows(month_start, day_end).await?;
    let answered = store.register_rows_answered(day_start, day_end).await?;
    let month = incident_records(store, config, month, &ctx).await?;
    let answered = incident_records(store, config, answered, &ctx).await?;
    Ok(DailyIncidentReport::compute(date, as_of, month, answered))
}

/// Mails the daily report until `shutdown`.
pub async fn run_incident_reports(
    office: Office,
    calendar: Arc<BusinessCalendar>,
    shutdown: watch::Receiver<bool>,
) {
    let Some(settings) = office.config.incidents.clone() else {
        return;
    };
    let (office, calendar, settings) = (&office, &*calendar, &settings);
    every_tick("incident report", shutdown, |now| {
        incident_report_round(office, calendar, settings, now)
    })
    .await;
}

/// Queues the report of the business day due at `now` ([`report_day`]) unless it is queued already.
pub async fn incident_report_round(
    office: &Office,
    calendar: &BusinessCalendar,
    settings: &IncidentSettings,
    now: DateTime<Utc>,
) -> Result<(), DaemonError> {
    let Some(day) = report_day(calendar, settings.send_at, now) else {
        return Ok(());
    };
    let Some(mailbox) = office.config.mailbox(&settings.mailbox) else {
        return Ok(());
    };
    let id = message_ids::incident_report(day, domain_of(&mailbox.address));
    if office.store.outgoing_by_message_id(&id).await?.is_some() {
        return Ok(());
    }
    let report = daily_incident_report(&office.store, &office.config, calendar, day, now).await?;
    let bytes = workbook::incidents_workbook(&report, calendar)
        .map_err(|e| DaemonError::Compose(e.to_string()))?;
    let date = day.format("%d/%m/%Y");
    let subject = format!(
        "Incidencias del {date}: {} ingresadas, {} solucionadas",
        report.received.len(),
        report.solved.len()
    );
    let mut text = format!(
        "Reporte consolidado de incidencias del {date} (002 §8.3.2.3).\n\n\
         Ingresadas en el día: {}\nSolucionadas y atendidas en el día: {}\nIncidencias del mes hasta el día: {}\n",
        report.received.len(),
        report.solved.len(),
        report.statistics.total
    );
    if !report.statistics.top.is_empty() {
        text.push_str("\nLas más frecuentes del mes:\n");
        for f in &report.statistics.top {
            text.push_str(&format!("  {}: {}\n", f.key, f.count));
        }
    }
    text.push_str(
        "\nEl libro adjunto trae las incidencias ingresadas y las solucionadas, la distribución por origen y por \
         clasificación con su frecuencia acumulada, y el TOP de las más frecuentes.\n\n\
         Este es un mensaje automático de triaje.\n",
    );
    let mail = TimedMail {
        to: settings.coordinator.clone(),
        message_id: id,
        subject,
        text,
        workbook: Some((format!("incidencias-{day}.xlsx"), bytes)),
    };
    if queue_timed_mail(office, mailbox, mail, now).await? {
        tracing::info!(to = %settings.coordinator, %day, "incident report queued");
    }
    Ok(())
}
