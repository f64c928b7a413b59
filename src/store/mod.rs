//! The register: every consultation, the per-mailbox IMAP cursor, the event log, ticket numbers, the outbox,
//! reply drafts, the satisfaction survey's answers, conversations and ticket notes, the derivations to the units
//! (`derivations`), the machine mail filed beside its consultation (`beside_mail`), and the day's register.
//!
//! One code path for SQLite (the embedded default) and PostgreSQL (several daemons sharing work): every query
//! is one text with `$1, $2` placeholders run through sqlx's `Any` driver. That driver maps only integers,
//! floats, text and bytes, so instants are stored as unix milliseconds (UTC) and UIDs as 64-bit integers.
//! DDL differs per backend (identity columns), so there is one migration set per backend, picked at runtime.
//!
//! All SQL of the crate lives here, one place per query. The office's words (states, availability, thread roles)
//! are `vocabulary` types: columns stay text, converted here with `as_str()` on the way in and `FromStr` on the
//! way out, where a word the vocabulary does not know is an error (`StoreError::UnknownWord`), never a silent
//! default. What the office decides (the survey's target, the acknowledgement window, what a consultation's
//! record holds) is in `vocabulary` and `workflow`; what stays here is what a query must know to select its rows
//! (which states are still open, which count in the register) and the transactions that keep them consistent.

mod acknowledgements;
mod beside_mail;
mod bounces;
mod connect;
mod consultations;
mod copy;
mod corrections;
mod cursor;
mod dashboard;
mod derivations;
pub mod disk_space;
mod error;
mod events;
mod health;
mod leases;
mod outbox;
mod purge;
mod record;
mod register;
mod replies;
mod reply_folders;
mod routing_model;
mod sql;
mod status;
mod survey;
mod threads;
mod ticket_notes;
mod tickets;

pub use acknowledgements::{AckResolution, PendingAck};
pub use beside_mail::{BesideMailToMove, FOLLOWED_CONSULTATION};
pub use bounces::SentMail;
pub use consultations::{ConsultationRow, NewConsultation, Recorded};
pub use copy::{CopySummary, TABLES};
pub use corrections::MOVED_BY_HAND;
pub use cursor::Cursor;
pub use dashboard::{DueConsultation, StateCount, WeekCount};
pub use derivations::{Derivation, DerivationRecord, HeldByUnit, NewDerivation};
pub use error::StoreError;
pub use events::EventRow;
pub use health::MailboxHealth;
pub use leases::{instance_lease, mailbox_lease, LeaseRow};
pub use outbox::{
    NewOutgoing, OutboxCounts, Outgoing, OutgoingKind, OutgoingState, OutgoingSummary,
};
pub use purge::{PurgeSummary, PURGED_TEXT};
pub use record::{RelatedEvent, TriageExtras};
pub use register::RegisterRow;
pub use replies::{NewReply, ReplyRow, SentReply};
pub use routing_model::{ConfirmedFiling, RoutingExample, StoredModel};
pub use status::{MailboxStatus, StatusReport, REPLY_UNDELIVERED};
pub use survey::{RatingOutcome, RatingSource, SurveyRating, MAX_COMMENT_CHARS};
pub use threads::{Thread, ThreadLink, ThreadMember};
pub use ticket_notes::{NoteDue, NoteToMove};

use sqlx::AnyPool;

/// Migrations embedded in the binary, one set per backend (identity columns are spelled differently).
static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
/// See `SQLITE_MIGRATIONS`.
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database holds the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A local file (one daemon).
    Sqlite,
    /// A server (several daemons sharing mailboxes).
    Postgres,
}

/// A handle on the register; cheap to clone (it shares one connection pool).
#[derive(Clone)]
pub struct Store {
    /// The shared pool.
    pool: AnyPool,
    /// Which backend the pool speaks to (transactions start differently).
    backend: Backend,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens the register at `url`: `sqlite://path` or `postgres://…`.
    ///
    /// For SQLite the file and its folder are created when missing, the file is put in WAL mode, and every
    /// connection waits up to 5 s for a lock and enforces foreign keys. Does not migrate: call `migrate`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let backend = connect::backend_of(url).ok_or_else(|| StoreError::UnsupportedUrl {
            url: connect::redact(url),
        })?;
        let pool = connect::open_pool(url, backend).await?;
        Ok(Store { pool, backend })
    }

    /// Brings the schema up to date (idempotent; safe with several daemons on PostgreSQL, which take a lock).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&self.pool)
            .await
            .map_err(|source| StoreError::Migrate { source })
    }

    /// Which backend this register runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection, waiting for queries in flight (call before exit so SQLite checkpoints its WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Starts a write transaction.
    ///
    /// On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`): a deferred transaction that reads and
    /// then writes fails at once with SQLITE_BUSY when another connection wrote meanwhile, without waiting.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        let begun = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        };
        begun.map_err(StoreError::query("abrir una transacción"))
    }
}
