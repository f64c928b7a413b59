//! `config.toml` → typed, validated settings. Secrets come from the environment or a file, never the log.
//!
//! Loading never touches the network: it reads the file, checks every value once, and hands the rest of the
//! daemon settings it can trust. A misspelled key is an error with its line and column, not a silent default.

mod error;
mod kinds;
mod mailbox;
mod oauth;
mod secret;
mod smtp;
mod units;
mod web;

/// The units' level is an office word (`vocabulary`); named here too, beside the `[[unit]]` it is read from.
pub use crate::vocabulary::UnitLevel;
pub use error::ConfigError;
pub use kinds::{KindSettings, Kinds, DEFAULT_COMPLAINTS_BOOK};
pub use mailbox::{ImapSettings, MailboxConfig, TlsMode};
pub use oauth::{
    Login, OAuthGrant, OAuthProvider, OAuthSource, SaslChoice, GOOGLE_SCOPE, MICROSOFT_SCOPE,
};
pub use secret::Secret;
pub use smtp::{OutboxSettings, SmtpSettings};
pub use units::Unit;
pub use web::{DashboardLogin, WebSettings};

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::vocabulary::Availability;

/// Everything `triaje` needs to run, validated.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the SQLite file, the instance lock and other local state live.
    pub data_dir: PathBuf,
    /// The store: `sqlite://…` (default, in `data_dir`) or `postgres://…` for several instances.
    pub database_url: String,
    /// Directory of `*.toml` routing rules.
    pub rules_dir: PathBuf,
    /// The administrator's calendar file; `None` uses the embedded Peruvian calendar.
    pub calendar: Option<PathBuf>,
    /// Prefix of ticket numbers (`CONS` gives `CONS-2026-000123`).
    pub ticket_prefix: String,
    /// Names of the IMAP folders that make up the mailbox contract.
    pub folders: Folders,
    /// How triage fetches and files.
    pub triage: TriageSettings,
    /// Acknowledgements to citizens.
    pub acknowledgement: AcknowledgementSettings,
    /// Replies and their validation.
    pub replies: ReplySettings,
    /// The coordinator's daily mail; `None` (no `[digest]` section): none is sent.
    pub digest: Option<DigestSettings>,
    /// The incident coordinator's daily consolidated report (`[incidents]`); `None`: not mailed.
    pub incidents: Option<IncidentSettings>,
    /// The mailboxes to triage, each with its own account, cut-off and deadline policy.
    pub mailboxes: Vec<MailboxConfig>,
    /// How queued outgoing mail is sent and retried (`[outbox]`).
    pub outbox: OutboxSettings,
    /// The survey's web server; `None` (no `[web]` section) runs none.
    pub web: Option<WebSettings>,
    /// The agency's units consultations are derived to (`[[unit]]`, second and third level); empty: no
    /// derivation folders.
    pub units: Vec<Unit>,
    /// Incidents, complaints and suggestions: folder, deadline, acknowledgement (`[kinds.*]`).
    pub kinds: Kinds,
}

/// Folder names of the mailbox contract (configurable; Spanish defaults).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Folders {
    /// Folders the rules may file into.
    pub targets: Vec<String>,
    /// Where a message goes when no rule is sure.
    pub unclassified: String,
    /// Where a message that could not be processed goes, with its reason recorded.
    pub errors: String,
    /// Where assistants drop finished reply drafts.
    pub drafts: String,
    /// Where Legal replies wait for the supervisor.
    pub validation: String,
    /// Where the supervisor moves a Legal reply to approve it.
    pub approved: String,
    /// Where returned and refused drafts go back to the assistant, with the reasons.
    pub returned: String,
    /// Where answered consultations (and their used drafts) go.
    pub answered: String,
    /// Where a copy of every reply triaje sent goes.
    pub sent: String,
    /// Where mail sent by machines goes (auto-replies, bounces, lists, bulk mail, notifications): recorded with
    /// its reason, never acknowledged, no consultation.
    pub automatic: String,
    /// The parent of the derivation folders: the assistant drags a consultation into `<derive_prefix>/<unit>`
    /// (with the server's hierarchy delimiter) to derive it to that unit.
    pub derive_prefix: String,
    /// Where derived consultations wait while a unit holds them.
    pub at_units: String,
    /// Where a unit's answer is filed, flagged, beside its consultation, for the assistant to answer the citizen.
    pub unit_answers: String,
    /// The folders of the kinds of attention (`[kinds.*] folder`: «Incidencias», «Reclamos»,
    /// «Sugerencias»), filled from `[kinds]` when the configuration is read: attentions are filed there as in
    /// the targets.
    #[serde(skip)]
    pub kinds: Vec<String>,
}

impl Default for Folders {
    fn default() -> Self {
        Folders {
            targets: vec!["SEACE".into(), "RNP".into(), "Legal".into()],
            unclassified: "Por clasificar".into(),
            errors: "Errores".into(),
            drafts: "Por enviar".into(),
            validation: "Validación legal".into(),
            approved: "Aprobadas".into(),
            returned: "Observadas".into(),
            answered: "Atendidas".into(),
            sent: "Enviados".into(),
            automatic: "Automáticos".into(),
            derive_prefix: "Derivar".into(),
            at_units: "En unidades".into(),
            unit_answers: "Respuestas de unidades".into(),
            kinds: Kinds::default()
                .folders()
                .into_iter()
                .map(|(_, f)| f)
                .collect(),
        }
    }
}

impl TriageSettings {
    /// Whether a message of `size` bytes is read by sections (header, structure, text parts) rather than whole;
    /// its fingerprint is then that of its header. Oversize messages are read by their header alone.
    pub fn read_by_header(&self, size: u64) -> bool {
        size > self.header_fingerprint_above()
    }

    /// Messages bigger than this were fingerprinted by their header at triage (read by sections, or oversize).
    pub fn header_fingerprint_above(&self) -> u64 {
        self.whole_message_bytes.min(self.max_message_bytes)
    }
}

impl Folders {
    /// The folders attentions are filed in: the targets (the areas) and the kinds' folders.
    pub fn filed(&self) -> Vec<String> {
        let mut filed = self.targets.clone();
        filed.extend(self.kinds.iter().cloned());
        filed
    }

    /// Every folder of the mailbox contract, created on the server when missing.
    pub fn all(&self) -> Vec<String> {
        let mut all = self.filed();
        for f in [
            &self.unclassified,
            &self.errors,
            &self.drafts,
            &self.validation,
            &self.approved,
            &self.returned,
            &self.answered,
            &self.sent,
            &self.automatic,
            &self.at_units,
            &self.unit_answers,
        ] {
            all.push(f.clone());
        }
        all
    }

    /// The derivation folder of unit `unit` under the prefix, joined with the server's hierarchy `delimiter`
    /// (`Derivar/seace` on Dovecot, `Derivar.seace` where the server uses dots); no delimiter (a flat server):
    /// `Derivar seace`.
    pub fn derive_folder(&self, delimiter: Option<&str>, unit: &str) -> String {
        format!("{}{}{unit}", self.derive_prefix, delimiter.unwrap_or(" "))
    }
}

/// How triage works through a mailbox.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TriageSettings {
    /// Messages fetched, recorded and moved together; memory is bounded by this, not by the backlog.
    pub batch_size: usize,
    /// A batch also holds at most this many bytes of mail (a message bigger than this is a batch of its own);
    /// the batch downloaded while another is decided too. With `whole_message_bytes` this bounds memory
    /// whatever the messages weigh.
    pub batch_bytes: u64,
    /// Messages up to this size are downloaded whole; bigger ones (up to `max_message_bytes`) are read from their
    /// header, structure and text parts only — their attachments are never downloaded — and their fingerprint
    /// is that of their header.
    pub whole_message_bytes: u64,
    /// Seconds between checks when the server has no IDLE (or `idle = false`).
    pub poll_seconds: u64,
    /// Use IMAP IDLE when the server offers it.
    pub idle: bool,
    /// Messages larger than this are recorded with their headers and filed to the errors folder.
    pub max_message_bytes: u64,
    /// Seconds any single IMAP exchange may take before the connection is considered dead.
    pub io_timeout_seconds: u64,
    /// Category recorded when no rule matched.
    pub default_category: String,
    /// Availability given when no rule matched.
    pub default_availability: Availability,
}

impl Default for TriageSettings {
    fn default() -> Self {
        TriageSettings {
            batch_size: 250,
            batch_bytes: 32 * 1024 * 1024,
            whole_message_bytes: 8 * 1024 * 1024,
            poll_seconds: 30,
            idle: true,
            max_message_bytes: 25 * 1024 * 1024,
            io_timeout_seconds: 60,
            default_category: "Sin clasificar".into(),
            default_availability: Availability::Medium,
        }
    }
}

/// Acknowledgements: the automatic answer that tells a citizen the ticket number and the due date.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AcknowledgementSettings {
    /// Send acknowledgements at all (needs a `[mailbox.smtp]` for each mailbox that sends them).
    pub enabled: bool,
    /// At most this many acknowledgements to one address per hour; more mail from it is filed without one.
    pub per_sender_per_hour: u32,
    /// The template; relative to the config file. Absent: `<rules_dir>/templates/acuse.txt` when that file
    /// exists, else the text built into triaje (the shipped `rules/templates/acuse.txt`).
    pub template: Option<PathBuf>,
    /// Mail that reached the mailbox longer ago than this (a backlog found at the first start, a long outage)
    /// is filed without an acknowledgement: a receipt days late confuses more than it helps.
    pub max_age_hours: u32,
}

impl Default for AcknowledgementSettings {
    fn default() -> Self {
        AcknowledgementSettings {
            enabled: true,
            per_sender_per_hour: 3,
            template: None,
            max_age_hours: 48,
        }
    }
}

/// Replies: what a draft must have, which consultations need the supervisor, who the supervisor is.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReplySettings {
    /// A draft without a signature under its text is returned to the assistant.
    pub require_signature: bool,
    /// Consultations filed in these folders need the supervisor's approval before their reply goes out.
    pub legal_folders: Vec<String>,
    /// The quality supervisor's address: told of every reply waiting for validation; the only address whose
    /// answer to that notice approves or returns a reply.
    pub supervisor: Option<String>,
    /// The names the supervisor signs with («Víctor Campos»): a draft sent or signed under one of them is his
    /// own, and he cannot approve it.
    pub supervisor_names: Vec<String>,
    /// The supervisor's IMAP account(s) on the shared mailbox's server: the only identifiers that may hold the
    /// insert right on the approved folder for a drag there to count (default: the supervisor's address).
    pub supervisor_accounts: Vec<String>,
    /// Days the approval link of a validation notice works.
    pub approval_link_days: u32,
    /// Drafts looked at per pass.
    pub batch: usize,
    /// Seconds between looks at the reply folders (drafts, approvals) while the inbox is quiet.
    pub check_seconds: u64,
}

impl Default for ReplySettings {
    fn default() -> Self {
        ReplySettings {
            require_signature: true,
            legal_folders: vec!["Legal".into()],
            supervisor: None,
            supervisor_names: Vec::new(),
            supervisor_accounts: Vec::new(),
            approval_link_days: 7,
            batch: 50,
            check_seconds: 15,
        }
    }
}

/// The coordinator's daily mail (`[digest]`): each business morning what is due today and what is overdue, and
/// each business afternoon the day's register as a workbook. Sent through the outbox; skipped on non-business
/// days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestSettings {
    /// Who receives them.
    pub coordinator: String,
    /// The mailbox whose address and SMTP account send them.
    pub mailbox: String,
    /// When (Lima time) the list of what is due today and overdue goes out; `None`: never.
    pub due_list_at: Option<chrono::NaiveTime>,
    /// When (Lima time) the day's register goes out; `None`: never.
    pub register_at: Option<chrono::NaiveTime>,
}

/// The incident coordinator's daily consolidated report (`[incidents]`, 002 §8.3.2.3): at the end of each business
/// day the day's incidents received and solved, with the statistics of recurring incidents, as a workbook. Sent
/// through the outbox, once per business day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentSettings {
    /// The incident coordinator of the UAUS (002 §8.3.2): who receives it.
    pub coordinator: String,
    /// The mailbox whose address and SMTP account send it.
    pub mailbox: String,
    /// When (Lima time) the day's report goes out.
    pub send_at: chrono::NaiveTime,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIncidents {
    coordinator: toml::Spanned<String>,
    mailbox: Option<toml::Spanned<String>>,
    send_at: Option<toml::Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDigest {
    coordinator: toml::Spanned<String>,
    mailbox: Option<toml::Spanned<String>>,
    due_list_at: Option<toml::Spanned<String>>,
    register_at: Option<toml::Spanned<String>>,
}

/// The file as written, before validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    rules_dir: Option<PathBuf>,
    calendar: Option<PathBuf>,
    ticket_prefix: Option<toml::Spanned<String>>,
    #[serde(default)]
    folders: Folders,
    #[serde(default)]
    triage: TriageSettings,
    #[serde(default)]
    acknowledgement: AcknowledgementSettings,
    #[serde(default)]
    replies: ReplySettings,
    digest: Option<RawDigest>,
    incidents: Option<RawIncidents>,
    #[serde(default)]
    mailbox: Vec<mailbox::RawMailbox>,
    /// Token sources several mailboxes share (`[oauth.NAME]`).
    #[serde(default)]
    oauth: std::collections::HashMap<String, toml::Spanned<oauth::RawOAuth>>,
    outbox: Option<smtp::RawOutbox>,
    web: Option<web::RawWeb>,
    #[serde(default)]
    unit: Vec<units::RawUnit>,
    #[serde(default)]
    kinds: kinds::RawKinds,
}

impl Config {
    /// Reads and validates a configuration file. Relative paths are taken from the file's directory.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        Config::parse(&text, &path.display().to_string(), base, true)
    }

    /// Like [`Config::load`] but without reading passwords, for commands that never log in
    /// (`rules check`, `rules test`, `calendar`): they must work where the secrets are not available.
    pub fn load_offline(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        Config::parse(&text, &path.display().to_string(), base, false)
    }

    /// Validates configuration text; `origin` names it in errors, `base` resolves relative paths.
    pub fn from_toml_str(text: &str, origin: &str, base: &Path) -> Result<Config, ConfigError> {
        Config::parse(text, origin, base, true)
    }

    /// Like [`Config::from_toml_str`] but without reading passwords, as [`Config::load_offline`]: validation
    /// that never opens a file or reads the environment (the fuzzer feeds it arbitrary text).
    pub fn from_toml_str_offline(
        text: &str,
        origin: &str,
        base: &Path,
    ) -> Result<Config, ConfigError> {
        Config::parse(text, origin, base, false)
    }

    fn parse(text: &str, origin: &str, base: &Path, secrets: bool) -> Result<Config, ConfigError> {
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| ConfigError::syntax(origin, text, &e))?;
        let resolve = |p: PathBuf| if p.is_absolute() { p } else { base.join(p) };
        let data_dir = resolve(raw.data_dir.unwrap_or_else(|| PathBuf::from("data")));
        let database_url = match raw.database_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => url,
            None => format!("sqlite://{}", data_dir.join("triaje.db").display()),
        };
        let ticket_prefix = match raw.ticket_prefix {
            None => "CONS".to_string(),
            Some(p) => {
                let value = p.get_ref().clone();
                let valid = !value.is_empty()
                    && value.len() <= 12
                    && value.chars().all(|c| c.is_ascii_alphanumeric());
                if !valid {
                    return Err(ConfigError::at(
                        origin,
                        text,
                        p.span(),
                        format!(
                            "el prefijo de ticket «{value}» debe tener de 1 a 12 letras o números \
                             sin espacios (por ejemplo CONS)"
                        ),
                    ));
                }
                value
            }
        };
        let outbox = match raw.outbox {
            Some(outbox) => outbox.validate(origin, text)?,
            None => OutboxSettings::default(),
        };
        let triage = raw.triage;
        if triage.batch_size == 0 || triage.batch_size > 5000 {
            return Err(ConfigError::Invalid(format!(
                "{origin}: [triage] batch_size debe estar entre 1 y 5000 (es {})",
                triage.batch_size
            )));
        }
        if triage.batch_bytes < 1024 * 1024 {
            return Err(ConfigError::Invalid(format!(
                "{origin}: [triage] batch_bytes debe ser al menos 1048576 (1 MB) (es {})",
                triage.batch_bytes
            )));
        }
        if triage.whole_message_bytes < 64 * 1024 {
            return Err(ConfigError::Invalid(format!(
                "{origin}: [triage] whole_message_bytes debe ser al menos 65536 (64 KB) (es {})",
                triage.whole_message_bytes
            )));
        }
        if raw.mailbox.is_empty() {
            return Err(ConfigError::Invalid(format!(
                "{origin}: no hay ningún buzón: agregue al menos una sección [[mailbox]]"
            )));
        }
        let shared_oauth = oauth::validate_shared(
            raw.oauth,
            &oauth::Place {
                origin,
                text,
                base,
                secrets,
            },
        )?;
        let mut mailboxes = Vec::new();
        for m in raw.mailbox {
            let mailbox = m.validate(origin, text, base, secrets, &shared_oauth)?;
            if mailboxes
                .iter()
                .any(|other: &MailboxConfig| other.name == mailbox.name)
            {
                return Err(ConfigError::Invalid(format!(
                    "{origin}: el buzón «{}» aparece dos veces; cada [[mailbox]] necesita un name distinto",
                    mailbox.name
                )));
            }
            mailboxes.push(mailbox);
        }
        let rules_dir = resolve(raw.rules_dir.unwrap_or_else(|| PathBuf::from("rules")));
        let mut acknowledgement = raw.acknowledgement;
        acknowledgement.template = acknowledgement.template.map(resolve);
        let mut replies = raw.replies;
        replies.supervisor = replies
            .supervisor
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty());
        if let Some(s) = &replies.supervisor {
            if !smtp::looks_like_address(s) {
                return Err(ConfigError::Invalid(format!(
                    "{origin}: [replies] supervisor = «{s}» no es una dirección de correo"
                )));
            }
            if replies.supervisor_accounts.is_empty() {
                replies.supervisor_accounts = vec![s.clone()];
            }
        }
        replies.supervisor_names.retain(|n| !n.trim().is_empty());
        let web = raw
            .web
            .map(|web| web.validate(origin, text, base, secrets))
            .transpose()?;
        let own: Vec<String> = mailboxes.iter().map(|m| m.address.clone()).collect();
        let units = units::validate_units(raw.unit, origin, text, &own)?;
        let digest = match raw.digest {
            None => None,
            Some(d) => Some(validate_digest(d, origin, text, &mailboxes)?),
        };
        let incidents = match raw.incidents {
            None => None,
            Some(i) => Some(validate_incidents(i, origin, text, &mailboxes)?),
        };
        let kinds = raw.kinds.validate(origin, text, base)?;
        let mut folders = raw.folders;
        folders.kinds = kinds.folders().into_iter().map(|(_, f)| f).collect();
        for (kind, folder) in kinds.folders() {
            let taken = folders.all().iter().filter(|f| **f == folder).count() > 1;
            if taken {
                return Err(ConfigError::Invalid(format!(
                    "{origin}: la carpeta «{folder}» de [kinds.{kind}] ya es otra carpeta del buzón ([folders]); \
                     cada clase de atención necesita la suya"
                )));
            }
        }
        Ok(Config {
            kinds,
            digest,
            incidents,
            replies,
            acknowledgement,
            data_dir,
            database_url,
            rules_dir,
            calendar: raw.calendar.map(resolve),
            ticket_prefix,
            folders,
            triage,
            mailboxes,
            outbox,
            web,
            units,
        })
    }

    /// The unit called `name`.
    pub fn unit(&self, name: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.name == name)
    }

    /// The name people read of the unit called `name` (`[[unit]] display_name`), or `name` itself when no unit
    /// of the configuration is called so any more (a derivation recorded before the unit was removed).
    pub fn unit_display_name<'a>(&'a self, name: &'a str) -> &'a str {
        self.unit(name).map_or(name, |u| u.display_name.as_str())
    }

    /// The unit whose address is `address` (any case).
    pub fn unit_by_address(&self, address: &str) -> Option<&Unit> {
        self.units
            .iter()
            .find(|u| u.address.eq_ignore_ascii_case(address.trim()))
    }

    /// The mailbox called `name`, for commands that act on one.
    pub fn mailbox(&self, name: &str) -> Option<&MailboxConfig> {
        self.mailboxes.iter().find(|m| m.name == name)
    }
}

/// Checks `[incidents]`: an address for the coordinator, a mailbox that can send, a time as HH:MM.
fn validate_incidents(
    i: RawIncidents,
    origin: &str,
    text: &str,
    mailboxes: &[MailboxConfig],
) -> Result<IncidentSettings, ConfigError> {
    let at = |span, msg: String| ConfigError::at(origin, text, span, msg);
    let coordinator = i.coordinator.get_ref().trim().to_lowercase();
    if !smtp::looks_like_address(&coordinator) {
        return Err(at(
            i.coordinator.span(),
            format!("[incidents] coordinator = «{coordinator}» no es una dirección de correo"),
        ));
    }
    let mailbox = sending_mailbox(
        "[incidents]",
        "el reporte diario de incidencias",
        i.mailbox.as_ref(),
        i.coordinator.span(),
        mailboxes,
    )
    .map_err(|(span, msg)| at(span, msg))?;
    let send_at = match i.send_at {
        None => chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default(),
        Some(v) => chrono::NaiveTime::parse_from_str(v.get_ref().trim(), "%H:%M").map_err(|_| {
            at(
                v.span(),
                format!(
                    "[incidents] send_at = «{}» no es una hora; escriba HH:MM (hora de Lima), por ejemplo 17:00",
                    v.get_ref()
                ),
            )
        })?,
    };
    Ok(IncidentSettings {
        coordinator,
        mailbox,
        send_at,
    })
}

/// The mailbox that sends a section's mail: the one named (it must have `[mailbox.smtp]`), else the first that
/// can send. The error carries the span to point at.
fn sending_mailbox(
    section: &str,
    what: &str,
    named: Option<&toml::Spanned<String>>,
    fallback_span: std::ops::Range<usize>,
    mailboxes: &[MailboxConfig],
) -> Result<String, (std::ops::Range<usize>, String)> {
    match named {
        Some(m) => {
            let name = m.get_ref().trim().to_string();
            match mailboxes.iter().find(|b| b.name == name) {
                Some(b) if b.smtp.is_some() => Ok(name),
                Some(_) => Err((
                    m.span(),
                    format!("el buzón «{name}» no tiene [mailbox.smtp]: no puede enviar {what}"),
                )),
                None => Err((m.span(), format!("no hay un [[mailbox]] llamado «{name}»"))),
            }
        }
        None => mailboxes
            .iter()
            .find(|b| b.smtp.is_some())
            .map(|b| b.name.clone())
            .ok_or_else(|| {
                (
                    fallback_span,
                    format!("{section} necesita un buzón con [mailbox.smtp] para enviar {what}"),
                )
            }),
    }
}

/// Checks `[digest]`: an address for the coordinator, a mailbox that can send, times as HH:MM.
fn validate_digest(
    d: RawDigest,
    origin: &str,
    text: &str,
    mailboxes: &[MailboxConfig],
) -> Result<DigestSettings, ConfigError> {
    let at = |span, msg: String| ConfigError::at(origin, text, span, msg);
    let coordinator = d.coordinator.get_ref().trim().to_lowercase();
    if !smtp::looks_like_address(&coordinator) {
        return Err(at(
            d.coordinator.span(),
            format!("[digest] coordinator = «{coordinator}» no es una dirección de correo"),
        ));
    }
    let mailbox = match &d.mailbox {
        Some(m) => {
            let name = m.get_ref().trim().to_string();
            match mailboxes.iter().find(|b| b.name == name) {
                Some(b) if b.smtp.is_some() => name,
                Some(_) => {
                    return Err(at(
                        m.span(),
                        format!("el buzón «{name}» no tiene [mailbox.smtp]: no puede enviar el resumen diario"),
                    ))
                }
                None => return Err(at(m.span(), format!("no hay un [[mailbox]] llamado «{name}»"))),
            }
        }
        None => {
            match mailboxes.iter().find(|b| b.smtp.is_some()) {
                Some(b) => b.name.clone(),
                None => return Err(at(
                    d.coordinator.span(),
                    "[digest] necesita un buzón con [mailbox.smtp] para enviar el resumen diario"
                        .into(),
                )),
            }
        }
    };
    let time = |value: Option<toml::Spanned<String>>,
                default: &str|
     -> Result<Option<chrono::NaiveTime>, ConfigError> {
        match value {
            None => Ok(chrono::NaiveTime::parse_from_str(default, "%H:%M").ok()),
            Some(v) if v.get_ref().trim().is_empty() => Ok(None),
            Some(v) => chrono::NaiveTime::parse_from_str(v.get_ref().trim(), "%H:%M")
                .map(Some)
                .map_err(|_| {
                    at(
                        v.span(),
                        format!("«{}» no es una hora; escriba HH:MM (por ejemplo 08:00), o \"\" para no enviarlo", v.get_ref()),
                    )
                }),
        }
    };
    Ok(DigestSettings {
        coordinator,
        mailbox,
        due_list_at: time(d.due_list_at, "08:00")?,
        register_at: time(d.register_at, "17:00")?,
    })
}

#[cfg(test)]
mod tests;
