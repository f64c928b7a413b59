//! The running daemon: one worker per mailbox, rules reloaded without a restart, a clean stop on SIGTERM.
//!
//! This is the shell around the pure core: it fetches with `imap`, decides with `workflow`, records with
//! `store`, and files with `imap` again, in that order, so a crash at any point repeats only idempotent work.
//! The decisions are the workflow's: triage, where a verdict, a rating or a message of a conversation is filed
//! (`workflow::filing`), whether an acknowledgement goes (`workflow::acknowledgement_due`), the Message-IDs of
//! what triaje sends and how an answer is recognised by them (`workflow::message_ids`), and every step of a reply.
//! What the passes still do themselves is look things up (which consultation a message answers, by the register
//! and the server) and carry the decisions out. The long passes read as named steps (`triage_pass`,
//! `reply_drafts::new_draft`). Every pass still takes the whole `Shared`.

mod acknowledge_pass;
mod approval_guard;
mod confirmed_mail;
mod conversation_pass;
mod corrections_pass;
mod decide_batch;
mod digests;
mod error;
mod followups;
mod instance_lock;
mod learning;
mod locate;
mod machine_mail;
mod mailbox_leases;
mod mailbox_worker;
mod replies_pass;
mod reply_approval;
mod reply_drafts;
mod reply_mail;
mod reply_watch;
mod rules_reload;
mod shutdown;
mod ticket_notes_pass;
mod triage_pass;
mod verdicts;

pub use acknowledge_pass::acknowledge_pending;
pub use approval_guard::check_approval_guard;
pub use confirmed_mail::fetch_confirmed;
pub use conversation_pass::conversation_pass;
pub use corrections_pass::corrections_pass;
pub use decide_batch::DecideSlots;
pub use digests::{digest_round, run_digests};
pub use error::DaemonError;
pub use instance_lock::InstanceLock;
pub use learning::{harvest_examples, load_latest, retrain, retrain_due, run_learning, Trained};
pub use mailbox_leases::{run_mailboxes, HeldLease, LEASE_ROUND, LEASE_TTL};
pub use mailbox_worker::run_mailbox;
pub use replies_pass::{replies_pass, tidy_validation, RepliesSummary};
pub use rules_reload::{watch_rules, RulesHandle};
pub use shutdown::shutdown_on_signals;
pub use ticket_notes_pass::ticket_notes_pass;
pub use triage_pass::{triage_pass, PassSummary};

use std::sync::Arc;

use crate::calendar::BusinessCalendar;
use crate::config::Config;
use crate::counters::Counters;
use crate::mail::acknowledgement::ACK_PLACEHOLDERS;
use crate::mail::template::Template;
use crate::store::Store;

/// What every worker shares: settings, the store, the rules in force and the calendar.
#[derive(Clone)]
pub struct Shared {
    /// Validated configuration.
    pub config: Arc<Config>,
    /// The store (SQLite or PostgreSQL).
    pub store: Store,
    /// The routing rules in force, swapped on reload.
    pub rules: RulesHandle,
    /// Business days.
    pub calendar: Arc<BusinessCalendar>,
    /// Every address of the configured mailboxes, lower-case: mail from them is never acknowledged.
    pub own_addresses: Arc<Vec<String>>,
    /// The acknowledgement template, when acknowledgements are enabled.
    pub ack_template: Option<Arc<Template>>,
    /// Woken whenever something is queued, so the outbox sender does not wait for its next round.
    pub outbox_wake: Arc<tokio::sync::Notify>,
    /// The key survey links are signed with, when a `[web]` server is configured.
    pub survey_key: Option<crate::survey::SurveyKey>,
    /// Connections, failures and messages filed per mailbox since the start, for `/metrics`.
    pub counters: Arc<Counters>,
    /// How many parts of batches are decided at once, whatever the number of mailboxes.
    pub decide_slots: Arc<DecideSlots>,
}

/// The acknowledgement template shipped with triaje, used when the rules folder has none.
const BUILT_IN_ACK_TEMPLATE: &str = include_str!("../../rules/templates/acuse.txt");

/// The acknowledgement template: the configured file (which must exist), else the rules folder's
/// `templates/acuse.txt` when there is one, else the built-in text. A template with errors stops the start.
fn acknowledgement_template(config: &Config) -> Result<Template, DaemonError> {
    if let Some(path) = &config.acknowledgement.template {
        return Ok(Template::load(path, ACK_PLACEHOLDERS)?);
    }
    let beside_rules = config.rules_dir.join("templates").join("acuse.txt");
    if beside_rules.exists() {
        return Ok(Template::load(&beside_rules, ACK_PLACEHOLDERS)?);
    }
    Ok(Template::parse(
        "(plantilla incorporada) acuse.txt",
        BUILT_IN_ACK_TEMPLATE,
        ACK_PLACEHOLDERS,
    )?)
}

/// The five survey links (1 to 5 stars) of a consultation's reply, signed so they cannot be edited, moved to
/// another consultation or used after `survey_valid_days`; `None` when no `[web]` server is configured.
pub fn survey_links(
    shared: &Shared,
    c: &crate::store::ConsultationRow,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<crate::mail::reply::SurveyLinks> {
    let web = shared.config.web.as_ref()?;
    let key = shared.survey_key.as_ref()?;
    let expires_at = now + chrono::Duration::days(i64::from(web.survey_valid_days));
    Some(std::array::from_fn(|i| {
        let token = crate::survey::SurveyToken {
            consultation_id: c.id,
            ticket: c.ticket.clone(),
            rating: (i + 1) as u8,
            expires_at,
        };
        crate::survey::survey_link(&web.public_url, key, &token)
    }))
}

impl Shared {
    /// The quality supervisor as the Legal rule knows him, when one is configured.
    pub fn supervisor(&self) -> Option<crate::workflow::Supervisor> {
        let replies = &self.config.replies;
        replies
            .supervisor
            .as_ref()
            .map(|address| crate::workflow::Supervisor {
                address: address.clone(),
                names: replies.supervisor_names.clone(),
            })
    }

    /// Opens everything a run needs: calendar, rules (refusing to start on a bad rule set), store (migrated).
    pub async fn open(config: Config) -> Result<Shared, DaemonError> {
        let calendar = match &config.calendar {
            Some(path) => BusinessCalendar::load(path)?,
            None => BusinessCalendar::peru_default(),
        };
        for warning in calendar.warnings() {
            tracing::warn!(%warning, "calendar");
        }
        let rules = RulesHandle::load(&config.rules_dir, &config.folders.targets)?;
        if config.database_url.starts_with("sqlite:") {
            std::fs::create_dir_all(&config.data_dir).map_err(|e| DaemonError::DataDir {
                path: config.data_dir.clone(),
                source: e,
            })?;
        }
        let store = Store::connect(&config.database_url).await?;
        store.migrate().await?;
        // The learned model the office trained (shared by every daemon on this store) replaces the seed.
        learning::load_latest(&store, &rules).await?;
        let own_addresses = config
            .mailboxes
            .iter()
            .map(|m| m.address.to_ascii_lowercase())
            .collect();
        let ack_template = if config.acknowledgement.enabled {
            Some(Arc::new(acknowledgement_template(&config)?))
        } else {
            None
        };
        // The configuration checked the key's length; a key that still fails here means no links, not no replies.
        let survey_key = config.web.as_ref().and_then(|w| {
            crate::survey::SurveyKey::from_bytes(w.survey_key.expose().as_bytes()).ok()
        });
        Ok(Shared {
            counters: Arc::new(Counters::default()),
            decide_slots: Arc::new(DecideSlots::one_per_core()),
            survey_key,
            ack_template,
            outbox_wake: Arc::new(tokio::sync::Notify::new()),
            own_addresses: Arc::new(own_addresses),
            config: Arc::new(config),
            store,
            rules,
            calendar: Arc::new(calendar),
        })
    }
}
