//! Leases: which daemon works on which mailbox when several share one PostgreSQL store.
//!
//! A lease is a row (`name`, `holder`, `expires_at`). Its holder renews it every few seconds; once `expires_at`
//! has passed anyone may take it. Every comparison uses the database's own clock, so instances on machines
//! whose clocks disagree still agree on who holds what.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::{AssertSqlSafe, Row};

use super::sql::instant;
use super::{Backend, Store, StoreError};

/// A lease held now (not expired).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseRow {
    /// What is leased: `mailbox:<name>` or `instance:<holder>`.
    pub name: String,
    /// Who holds it (`host:pid`).
    pub holder: String,
    /// Since when this holder has held it without interruption.
    pub acquired_at: DateTime<Utc>,
    /// When it lapses unless renewed.
    pub expires_at: DateTime<Utc>,
}

/// The lease name of a mailbox.
pub fn mailbox_lease(mailbox: &str) -> String {
    format!("mailbox:{mailbox}")
}

/// The lease name that says an instance is alive.
pub fn instance_lease(holder: &str) -> String {
    format!("instance:{holder}")
}

/// The database's clock in unix milliseconds, as an SQL expression (a constant: the only text spliced into
/// this module's statements, hence `AssertSqlSafe`).
fn db_now(backend: Backend) -> &'static str {
    match backend {
        // `clock_timestamp()`, not `now()`: the latter is frozen at the start of the transaction.
        Backend::Postgres => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
        Backend::Sqlite => "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)",
    }
}

impl Store {
    /// Takes the lease `name` for `holder` until `ttl` from now, or renews it when `holder` already holds it.
    /// Returns whether `holder` holds it now; `false` means someone else does and it has not expired.
    pub async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let now = db_now(self.backend);
        // One statement, so two instances racing for a free lease cannot both win: the conflicting insert waits
        // for the row lock (PostgreSQL) or the write lock (SQLite) and then sees the winner's row.
        let sql = format!(
            "INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES ($1, $2, {now}, {now} + $3) \
             ON CONFLICT (name) DO UPDATE SET \
               acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at \
                                  ELSE excluded.acquired_at END, \
               holder = excluded.holder, expires_at = excluded.expires_at \
             WHERE leases.holder = excluded.holder OR leases.expires_at < excluded.acquired_at \
             RETURNING holder"
        );
        let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX / 2);
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(name)
            .bind(holder)
            .bind(ttl_ms)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("tomar o renovar un turno de trabajo"))?;
        Ok(row.is_some())
    }

    /// Gives the lease `name` back, if `holder` holds it, so another instance can take it at once.
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("devolver un turno de trabajo"))?;
        Ok(())
    }

    /// Forgets every lease. Only for a store that cannot be shared (SQLite, under the instance lock): the
    /// leases left by a process that was killed would otherwise keep its mailboxes idle until they expire.
    pub async fn clear_leases(&self) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM leases")
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("borrar los turnos de trabajo"))?;
        Ok(())
    }

    /// Forgets leases expired for more than an hour: the instance rows of processes long gone would otherwise
    /// pile up, one per restart. Called by the daemons' lease rounds, never by a read.
    pub async fn sweep_expired_leases(&self) -> Result<(), StoreError> {
        let now = db_now(self.backend);
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM leases WHERE expires_at < {now} - 3600000"
        )))
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("borrar turnos de trabajo vencidos"))?;
        Ok(())
    }

    /// Every lease held now, by name; expired rows are left out. Only reads (so `triaje status` works on a full
    /// disk).
    pub async fn live_leases(&self) -> Result<Vec<LeaseRow>, StoreError> {
        let now = db_now(self.backend);
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT name, holder, acquired_at, expires_at FROM leases WHERE expires_at >= {now} ORDER BY name"
        )))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("leer los turnos de trabajo"))?;
        rows.iter()
            .map(|r| {
                Ok(LeaseRow {
                    name: r.get(0),
                    holder: r.get(1),
                    acquired_at: instant("leases.acquired_at", r.get(2))?,
                    expires_at: instant("leases.expires_at", r.get(3))?,
                })
            })
            .collect()
    }
}
