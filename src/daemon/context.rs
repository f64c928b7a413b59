//! What the passes are handed, cut by job instead of one bag: the office (settings, register, outbox bell, own
//! addresses, survey key) that every pass recording or queuing mail works through, what triage adds to it, and
//! the installation that `open` returns to the starters (`triaje run`, `once`, `migrate`, `rules learn`).
//! Passes that read only the settings or the register take those as plain arguments.

use std::sync::Arc;

use tokio::sync::Notify;

use super::{learning, DaemonError, DecideSlots, RulesHandle};
use crate::calendar::BusinessCalendar;
use crate::config::Config;
use crate::counters::Counters;
use crate::mail::acknowledgement::{AckTemplates, ACK_PLACEHOLDERS};
use crate::mail::template::Template;
use crate::store::Store;
use crate::vocabulary::AttentionKind;

/// What a pass that records mail and queues mail to send needs: the reply passes, Legal's verdicts, the
/// follow-ups and the daily mail. It holds the outbox bell because every queued message rings it, the survey
/// key because a reply carries signed links and a Legal notice an approval link, and the own addresses because
/// a draft's recipients and a follow-up's sender are told apart from the office's mailboxes by them.
#[derive(Clone)]
pub struct Office {
    /// Validated configuration.
    pub config: Arc<Config>,
    /// The store (SQLite or PostgreSQL).
    pub store: Store,
    /// Woken whenever something is queued, so the outbox sender does not wait for its next round.
    pub outbox_wake: Arc<Notify>,
    /// The key survey (and approval) links are signed with, when a `[web]` server is configured.
    pub survey_key: Option<crate::survey::SurveyKey>,
    /// Every address of the configured mailboxes, lower-case: mail from them is never acknowledged.
    pub own_addresses: Arc<Vec<String>>,
}

impl Office {
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

    /// The five survey links (1 to 5 stars) of a consultation's reply, signed so they cannot be edited, moved
    /// to another consultation or used after `survey_valid_days`; `None` when no `[web]` server is configured.
    pub fn survey_links(
        &self,
        c: &crate::store::ConsultationRow,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<crate::mail::reply::SurveyLinks> {
        let web = self.config.web.as_ref()?;
        let key = self.survey_key.as_ref()?;
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
}

/// What the triage pass needs on top of the office: the rules and calendar it decides with, the
/// acknowledgement it queues, and the slots that bound how many batches are decided at once. It carries the
/// whole office because a message it reads may be Legal's verdict or a follow-up, carried out there and then.
#[derive(Clone)]
pub struct Triage {
    /// Settings, register, outbox bell, survey key and own addresses.
    pub office: Office,
    /// The routing rules in force, swapped on reload.
    pub rules: RulesHandle,
    /// Business days, for deadlines.
    pub calendar: Arc<BusinessCalendar>,
    /// The acknowledgement templates (one per kind of attention), when acknowledgements are enabled.
    pub ack_template: Option<Arc<AckTemplates>>,
    /// How many parts of batches are decided at once, whatever the number of mailboxes.
    pub decide_slots: Arc<DecideSlots>,
}

/// Everything a run opens, handed only to the starters, which give each task its part: the mailbox workers
/// the triage context and the counters, the digests the office and calendar, the learning task the store and
/// rules, the web server the counters.
#[derive(Clone)]
pub struct Installation {
    /// What the mailbox workers triage and answer with.
    pub triage: Triage,
    /// Connections, failures and messages filed per mailbox since the start, for `/metrics`.
    pub counters: Arc<Counters>,
}

/// The acknowledgement template shipped with triaje, used when the rules folder has none.
const BUILT_IN_ACK_TEMPLATE: &str = include_str!("../../rules/templates/acuse.txt");

/// The shipped acknowledgements of the other kinds of attention, by file name.
const BUILT_IN_KIND_TEMPLATES: [(AttentionKind, &str, &str); 3] = [
    (
        AttentionKind::Incident,
        "acuse-incidencia.txt",
        include_str!("../../rules/templates/acuse-incidencia.txt"),
    ),
    (
        AttentionKind::Complaint,
        "acuse-reclamo.txt",
        include_str!("../../rules/templates/acuse-reclamo.txt"),
    ),
    (
        AttentionKind::Suggestion,
        "acuse-sugerencia.txt",
        include_str!("../../rules/templates/acuse-sugerencia.txt"),
    ),
];

/// Every kind's acknowledgement: the consultation's as [`acknowledgement_template`] finds it; each other kind's
/// from `[kinds.<clase>] template` (which must exist), else the rules folder's `templates/acuse-<clase>.txt`,
/// else the built-in text.
fn acknowledgement_templates(config: &Config) -> Result<AckTemplates, DaemonError> {
    let consultation = acknowledgement_template(config)?;
    let mut kinds = Vec::with_capacity(3);
    for (kind, file, built_in) in BUILT_IN_KIND_TEMPLATES {
        let configured = config.kinds.get(kind).and_then(|k| k.template.clone());
        let beside_rules = config.rules_dir.join("templates").join(file);
        let template = match configured {
            Some(path) => Template::load(&path, ACK_PLACEHOLDERS)?,
            None if beside_rules.exists() => Template::load(&beside_rules, ACK_PLACEHOLDERS)?,
            None => Template::parse(
                &format!("(plantilla incorporada) {file}"),
                built_in,
                ACK_PLACEHOLDERS,
            )?,
        };
        kinds.push(template);
    }
    let mut kinds = kinds.into_iter();
    let mut next = || kinds.next().unwrap_or_else(|| consultation.clone());
    Ok(AckTemplates {
        incident: next(),
        complaint: next(),
        suggestion: next(),
        consultation,
    })
}

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

impl Installation {
    /// Validated configuration.
    pub fn config(&self) -> &Arc<Config> {
        &self.triage.office.config
    }

    /// The store (SQLite or PostgreSQL).
    pub fn store(&self) -> &Store {
        &self.triage.office.store
    }

    /// Settings, register, outbox bell, survey key and own addresses.
    pub fn office(&self) -> &Office {
        &self.triage.office
    }

    /// Opens everything a run needs: calendar, rules (refusing to start on a bad rule set), store (migrated).
    pub async fn open(config: Config) -> Result<Installation, DaemonError> {
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
            Some(Arc::new(acknowledgement_templates(&config)?))
        } else {
            None
        };
        // The configuration checked the key's length; a key that still fails here means no links, not no replies.
        let survey_key = config.web.as_ref().and_then(|w| {
            crate::survey::SurveyKey::from_bytes(w.survey_key.expose().as_bytes()).ok()
        });
        let office = Office {
            config: Arc::new(config),
            store,
            outbox_wake: Arc::new(Notify::new()),
            survey_key,
            own_addresses: Arc::new(own_addresses),
        };
        Ok(Installation {
            triage: Triage {
                office,
                rules,
                calendar: Arc::new(calendar),
                ack_template,
                decide_slots: Arc::new(DecideSlots::one_per_core()),
            },
            counters: Arc::new(Counters::default()),
        })
    }
}
