//! Each mailbox's connection health as the daemon last saw it, so a failing mailbox is never silent.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::sql::{instant, millis, optional_instant};
use super::{Store, StoreError};

/// A mailbox's last known health.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxHealth {
    /// The mailbox.
    pub mailbox: String,
    /// Whether its worker is failing now.
    pub failing: bool,
    /// Why, in Spanish, when failing.
    pub last_error: Option<String>,
    /// Since when it fails.
    pub failing_since: Option<DateTime<Utc>>,
    /// When the daemon last reported.
    pub updated_at: DateTime<Utc>,
}

impl MailboxHealth {
    /// «ATENCIÓN: el buzón contacto no funciona desde el 23/11/2026 09:12 (hace 2 h 05 min): …», for `triaje
    /// status` and the coordinator's morning mail.
    pub fn warning(&self, now: DateTime<Utc>) -> String {
        let since = self.failing_since.unwrap_or(self.updated_at);
        format!(
            "ATENCIÓN: el buzón {} no funciona desde el {} (hace {}): {}",
            self.mailbox,
            since
                .with_timezone(&chrono_tz::America::Lima)
                .format("%d/%m/%Y %H:%M"),
            super::status::human_age(now - since),
            self.last_error.as_deref().unwrap_or("sin detalle")
        )
    }
}

impl Store {
    /// The mailbox's worker connected and works.
    pub async fn mailbox_ok(&self, mailbox: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO mailbox_health (mailbox, failing, last_error, failing_since, updated_at) \
             VALUES ($1, 0, NULL, NULL, $2) \
             ON CONFLICT (mailbox) DO UPDATE SET failing = 0, last_error = NULL, failing_since = NULL, \
               updated_at = excluded.updated_at",
        )
        .bind(mailbox)
        .bind(millis(now))
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("anotar que un buzón funciona"))?;
        Ok(())
    }

    /// The mailbox's worker failed with `error` (kept since the first failure of the series).
    pub async fn mailbox_failing(
        &self,
        mailbox: &str,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO mailbox_health (mailbox, failing, last_error, failing_since, updated_at) \
             VALUES ($1, 1, $2, $3, $3) \
             ON CONFLICT (mailbox) DO UPDATE SET failing = 1, last_error = excluded.last_error, \
               failing_since = COALESCE(mailbox_health.failing_since, excluded.failing_since), \
               updated_at = excluded.updated_at",
        )
        .bind(mailbox)
        .bind(error)
        .bind(millis(now))
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("anotar que un buzón falla"))?;
        Ok(())
    }

    /// Every mailbox's last known health, by name.
    pub async fn mailbox_health(&self) -> Result<Vec<MailboxHealth>, StoreError> {
        let rows = sqlx::query(
            "SELECT mailbox, failing, last_error, failing_since, updated_at FROM mailbox_health ORDER BY mailbox",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("leer el estado de los buzones"))?;
        rows.iter()
            .map(|r| {
                Ok(MailboxHealth {
                    mailbox: r.get(0),
                    failing: r.get::<i64, _>(1) != 0,
                    last_error: r.get(2),
                    failing_since: optional_instant("mailbox_health.failing_since", r.get(3))?,
                    updated_at: instant("mailbox_health.updated_at", r.get(4))?,
                })
            })
            .collect()
    }
}
