//! `triaje status`: per mailbox, where triage stands and what is due, for the coordinator.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::Row;

use super::consultations::state;
use super::cursor::Cursor;
use super::outbox::{OutboxCounts, OutgoingKind};
use super::sql::{imap_number, millis, optional_instant};
use super::{Store, StoreError};
use crate::vocabulary::SurveySummary;

/// The event kind that records a bounce of a consultation's reply (the citizen did not receive it).
pub const REPLY_UNDELIVERED: &str = "reply_undelivered";

/// The state of the register at one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusReport {
    /// When the report was taken.
    pub now: DateTime<Utc>,
    /// One entry per mailbox with a cursor or a consultation, by name.
    pub mailboxes: Vec<MailboxStatus>,
    /// How long the oldest message still waiting to be filed (any mailbox) has been in the inbox.
    pub oldest_unfiled_age: Option<TimeDelta>,
    /// Outgoing mail (acknowledgements, replies, notifications) by state.
    pub outbox: OutboxCounts,
    /// The satisfaction survey's answers so far, against the 85 % target.
    pub survey: SurveySummary,
    /// Each mailbox's connection as the daemon last saw it.
    pub health: Vec<super::MailboxHealth>,
    /// The leases held now: which daemons run and which mailboxes each works on.
    pub leases: Vec<super::LeaseRow>,
}

/// Where one mailbox stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxStatus {
    /// The mailbox's name.
    pub mailbox: String,
    /// Its cursor, `None` before its first batch.
    pub cursor: Option<Cursor>,
    /// Consultations recorded (every state but machine mail).
    pub recorded: i64,
    /// Machine mail recorded (auto-replies, bounces, lists…): not consultations, counted apart.
    pub automatic: i64,
    /// Tickets of answered consultations whose reply bounced (the citizen did not receive it), and no later
    /// reply went out.
    pub undelivered: Vec<String>,
    /// Consultations not yet moved out of the inbox (`filed_at` empty).
    pub unfiled: i64,
    /// Consultations in state `error`.
    pub errors: i64,
    /// Consultations per folder, by folder name (machine mail not included).
    pub per_folder: BTreeMap<String, i64>,
    /// Open consultations due later today: deadline between `now` and the end of today.
    pub due_today: i64,
    /// Open consultations past their deadline (deadline before `now`); not counted in `due_today`.
    pub overdue: i64,
    /// When the oldest message still waiting to be filed reached the mailbox.
    pub oldest_unfiled_at: Option<DateTime<Utc>>,
}

impl MailboxStatus {
    /// An empty entry for `mailbox`.
    fn new(mailbox: String) -> MailboxStatus {
        MailboxStatus {
            mailbox,
            cursor: None,
            recorded: 0,
            automatic: 0,
            undelivered: Vec::new(),
            unfiled: 0,
            errors: 0,
            per_folder: BTreeMap::new(),
            due_today: 0,
            overdue: 0,
            oldest_unfiled_at: None,
        }
    }
}

impl Store {
    /// The status of every mailbox at `now`; `today_end` is the end of today's business day (or of the day)
    /// in the office's time zone.
    ///
    /// Until replies are tracked, every consultation not in state `error` counts as open.
    pub async fn status(
        &self,
        now: DateTime<Utc>,
        today_end: DateTime<Utc>,
    ) -> Result<StatusReport, StoreError> {
        let mut mailboxes: BTreeMap<String, MailboxStatus> = BTreeMap::new();
        let cursors = sqlx::query("SELECT mailbox, uidvalidity, last_uid FROM mailbox_cursors")
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("leer los cursores de los buzones"))?;
        for row in &cursors {
            let name: String = row.get(0);
            let cursor = Cursor {
                uidvalidity: imap_number("mailbox_cursors.uidvalidity", row.get(1))?,
                last_uid: imap_number("mailbox_cursors.last_uid", row.get(2))?,
            };
            mailboxes
                .entry(name.clone())
                .or_insert_with(|| MailboxStatus::new(name))
                .cursor = Some(cursor);
        }

        let totals = sqlx::query(
            "SELECT mailbox, COUNT(CASE WHEN state <> $6 THEN 1 END), \
               COUNT(CASE WHEN filed_at IS NULL THEN 1 END), \
               COUNT(CASE WHEN state = $1 THEN 1 END), \
               COUNT(CASE WHEN state NOT IN ($1, $4, $5, $6) AND deadline_at >= $2 AND deadline_at <= $3 THEN 1 END), \
               COUNT(CASE WHEN state NOT IN ($1, $4, $5, $6) AND deadline_at < $2 THEN 1 END), \
               MIN(CASE WHEN filed_at IS NULL THEN received_at END), \
               COUNT(CASE WHEN state = $6 THEN 1 END) \
             FROM consultations GROUP BY mailbox",
        )
        .bind(state::ERROR)
        .bind(millis(now))
        .bind(millis(today_end))
        // Answered consultations, answers to triaje's own mail and machine mail are due nowhere.
        .bind(state::ANSWERED)
        .bind(state::FOLLOWUP)
        .bind(state::AUTOMATIC)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("contar las consultas por buzón"))?;
        for row in &totals {
            let name: String = row.get(0);
            let status = mailboxes
                .entry(name.clone())
                .or_insert_with(|| MailboxStatus::new(name));
            status.recorded = row.get(1);
            status.unfiled = row.get(2);
            status.errors = row.get(3);
            status.due_today = row.get(4);
            status.overdue = row.get(5);
            status.oldest_unfiled_at = optional_instant("consultations.received_at", row.get(6))?;
            status.automatic = row.get(7);
        }

        let folders = sqlx::query(
            "SELECT mailbox, folder, COUNT(*) FROM consultations WHERE state <> $1 GROUP BY mailbox, folder",
        )
        .bind(state::AUTOMATIC)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("contar las consultas por carpeta"))?;
        for row in &folders {
            let name: String = row.get(0);
            let status = mailboxes
                .entry(name.clone())
                .or_insert_with(|| MailboxStatus::new(name));
            status.per_folder.insert(row.get(1), row.get(2));
        }

        // Replies that bounced, unless a later reply went out: one queued after the bounce was recorded and
        // accepted by the mail server. Not an `answered` event after the bounce: the reply that bounced is itself
        // filed as answered after its bounce when the bounce comes before the round that files it.
        let undelivered = sqlx::query(
            "SELECT c.mailbox, c.ticket FROM consultations c JOIN events e ON e.consultation_id = c.id \
             WHERE e.kind = $1 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.consultation_id = c.id \
               AND o.kind = $2 AND o.state = 'sent' AND o.created_at > e.at) \
             GROUP BY c.mailbox, c.ticket ORDER BY c.mailbox, c.ticket",
        )
        .bind(REPLY_UNDELIVERED)
        .bind(OutgoingKind::Reply.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("buscar las respuestas que rebotaron"))?;
        for row in &undelivered {
            let name: String = row.get(0);
            mailboxes
                .entry(name.clone())
                .or_insert_with(|| MailboxStatus::new(name))
                .undelivered
                .push(row.get(1));
        }

        let oldest = mailboxes
            .values()
            .filter_map(|status| status.oldest_unfiled_at)
            .min();
        let outbox = self.outbox_counts().await?;
        let survey = self.survey_summary().await?;
        let health = self.mailbox_health().await?;
        let leases = self.live_leases().await?;
        Ok(StatusReport {
            leases,
            health,
            now,
            mailboxes: mailboxes.into_values().collect(),
            oldest_unfiled_age: oldest.map(|at| now - at),
            outbox,
            survey,
        })
    }
}

impl fmt::Display for StatusReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lima = self.now.with_timezone(&chrono_tz::America::Lima);
        writeln!(
            f,
            "Estado del registro al {} (hora de Lima)",
            lima.format("%d/%m/%Y %H:%M")
        )?;
        if self.mailboxes.is_empty() {
            writeln!(f)?;
            writeln!(f, "Todavía no se ha registrado ninguna consulta.")?;
        }
        for status in &self.mailboxes {
            writeln!(f)?;
            write!(f, "{status}")?;
        }
        writeln!(f)?;
        match self.oldest_unfiled_age {
            Some(age) => writeln!(
                f,
                "El mensaje sin archivar más antiguo llegó hace {}.",
                human_age(age)
            ),
            None => writeln!(f, "No hay mensajes pendientes de archivar."),
        }?;
        for h in self.health.iter().filter(|h| h.failing) {
            writeln!(f, "{}", h.warning(self.now))?;
        }
        write!(f, "{}", InstancesLines(&self.leases))?;
        writeln!(f, "{}", self.survey)?;
        write!(f, "{}", OutboxLine(&self.outbox, self.now))
    }
}

/// `En ejecución: host:812 (consultas, contacto).`, one line per running daemon; nothing when none runs.
struct InstancesLines<'a>(&'a [super::LeaseRow]);

impl fmt::Display for InstancesLines<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for instance in self
            .0
            .iter()
            .filter_map(|l| l.name.strip_prefix("instance:"))
        {
            let mailboxes: Vec<&str> = self
                .0
                .iter()
                .filter(|l| l.holder == instance)
                .filter_map(|l| l.name.strip_prefix("mailbox:"))
                .collect();
            let list = if mailboxes.is_empty() {
                "sin buzones a su cargo".to_string()
            } else {
                mailboxes.join(", ")
            };
            writeln!(f, "En ejecución: triaje {instance} ({list}).")?;
        }
        Ok(())
    }
}

/// `Correo saliente: 2 en cola (el más antiguo desde …), 14 enviados, 0 fallidos`.
struct OutboxLine<'a>(&'a OutboxCounts, DateTime<Utc>);

impl fmt::Display for OutboxLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let OutboxLine(counts, now) = self;
        let waiting = counts.queued + counts.sending;
        write!(f, "Correo saliente: {waiting} en cola")?;
        if let Some(oldest) = counts.oldest_queued_at {
            let lima = oldest.with_timezone(&chrono_tz::America::Lima);
            write!(
                f,
                " (el más antiguo desde el {}, hace {})",
                lima.format("%d/%m/%Y %H:%M"),
                human_age(*now - oldest)
            )?;
        }
        if counts.sending > 0 {
            write!(f, ", {} enviándose", counts.sending)?;
        }
        writeln!(f, ", {} enviados, {} fallidos", counts.sent, counts.failed)?;
        if counts.failed > 0 {
            writeln!(
                f,
                "  {} correos no se enviarán (el servidor los rechazó o se agotaron los reintentos); \
                 el motivo de cada uno queda en el registro (tabla outbox, columna last_error).",
                counts.failed
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for MailboxStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Buzón {}", self.mailbox)?;
        match self.cursor {
            Some(cursor) => writeln!(
                f,
                "  Leído hasta el UID {} (UIDVALIDITY {})",
                cursor.last_uid, cursor.uidvalidity
            )?,
            None => writeln!(f, "  Aún no leído")?,
        }
        writeln!(
            f,
            "  Registradas: {} · por archivar: {} · con error: {}",
            self.recorded, self.unfiled, self.errors
        )?;
        if self.automatic > 0 {
            writeln!(
                f,
                "  Correo automático (no son consultas, sin plazo ni acuse): {}",
                self.automatic
            )?;
        }
        if !self.undelivered.is_empty() {
            writeln!(
                f,
                "  ATENCIÓN: la respuesta no llegó al ciudadano (rebotó) en {}: {}. El aviso está junto a cada \
                 consulta en su carpeta y en su historial.",
                if self.undelivered.len() == 1 { "1 consulta".to_string() } else { format!("{} consultas", self.undelivered.len()) },
                self.undelivered.join(", ")
            )?;
        }
        if !self.per_folder.is_empty() {
            let folders: Vec<String> = self
                .per_folder
                .iter()
                .map(|(folder, count)| format!("{folder} {count}"))
                .collect();
            writeln!(f, "  Por carpeta: {}", folders.join(", "))?;
        }
        writeln!(
            f,
            "  Vencen hoy: {} · vencidas: {}",
            self.due_today, self.overdue
        )
    }
}

/// `3 min`, `2 h 05 min`, `4 d 3 h`: how long ago, for a person.
pub(crate) fn human_age(age: TimeDelta) -> String {
    let minutes = age.num_minutes().max(0);
    if minutes < 1 {
        return "menos de un minuto".to_string();
    }
    let (days, hours, minutes) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{minutes} min"),
        (0, _) => format!("{hours} h {minutes:02} min"),
        _ => format!("{days} d {hours} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lease(name: &str, holder: &str, now: DateTime<Utc>) -> crate::store::LeaseRow {
        crate::store::LeaseRow {
            name: name.into(),
            holder: holder.into(),
            acquired_at: now,
            expires_at: now + TimeDelta::seconds(20),
        }
    }

    #[test]
    fn ages_read_like_a_person_says_them() {
        assert_eq!(human_age(TimeDelta::seconds(20)), "menos de un minuto");
        assert_eq!(human_age(TimeDelta::minutes(3)), "3 min");
        assert_eq!(human_age(TimeDelta::minutes(125)), "2 h 05 min");
        assert_eq!(human_age(TimeDelta::hours(99)), "4 d 3 h");
    }

    #[test]
    fn report_names_each_mailbox_and_what_is_due() {
        let now = DateTime::from_timestamp(1_795_000_000, 0).expect("valid");
        let mut consultas = MailboxStatus::new("consultas".into());
        consultas.cursor = Some(Cursor {
            uidvalidity: 7,
            last_uid: 812,
        });
        consultas.recorded = 812;
        consultas.due_today = 12;
        consultas.overdue = 2;
        consultas.per_folder.insert("SEACE".into(), 400);
        let report = StatusReport {
            now,
            mailboxes: vec![consultas],
            oldest_unfiled_age: None,
            outbox: OutboxCounts {
                queued: 2,
                sending: 0,
                sent: 14,
                failed: 0,
                oldest_queued_at: Some(now - TimeDelta::minutes(3)),
            },
            survey: SurveySummary::from_counts([1, 0, 1, 1, 1]),
            health: vec![crate::store::MailboxHealth {
                mailbox: "contacto".into(),
                failing: true,
                last_error: Some("el servidor IMAP rechazó el usuario o la contraseña".into()),
                failing_since: Some(now - TimeDelta::hours(2)),
                updated_at: now,
            }],
            leases: vec![
                lease("instance:srv1:812", "srv1:812", now),
                lease("instance:srv2:90", "srv2:90", now),
                lease("mailbox:consultas", "srv1:812", now),
                lease("mailbox:contacto", "srv1:812", now),
            ],
        };
        let text = report.to_string();
        assert!(
            text.contains("En ejecución: triaje srv1:812 (consultas, contacto).")
                && text.contains("En ejecución: triaje srv2:90 (sin buzones a su cargo)."),
            "{text}"
        );
        assert!(
            text.contains("ATENCIÓN: el buzón contacto no funciona desde el ")
                && text.contains("(hace 2 h"),
            "{text}"
        );
        assert!(
            text.contains("rechazó el usuario o la contraseña"),
            "{text}"
        );
        assert!(
            text.contains("Encuesta: 4 respuestas, 3 satisfechas (75 %; meta 85 %)"),
            "{text}"
        );
        assert!(text.contains("Buzón consultas"), "{text}");
        assert!(
            text.contains("Leído hasta el UID 812 (UIDVALIDITY 7)"),
            "{text}"
        );
        assert!(text.contains("Vencen hoy: 12 · vencidas: 2"), "{text}");
        assert!(text.contains("Por carpeta: SEACE 400"), "{text}");
        assert!(
            text.contains("No hay mensajes pendientes de archivar."),
            "{text}"
        );
        assert!(
            text.contains("Correo saliente: 2 en cola (el más antiguo desde el "),
            "{text}"
        );
        assert!(
            text.contains("hace 3 min), 14 enviados, 0 fallidos"),
            "{text}"
        );
    }
}
