//! `config.toml` → typed, validated settings. Secrets come from the environment or a file, never the log.
//!
//! Loading never touches the network: it reads the file, checks every value once, and hands the rest of the
//! daemon settings it can trust. A misspelled key is an error with its line and column, not a silent default.

mod error;
mod mailbox;
mod secret;
mod web;

pub use error::ConfigError;
pub use mailbox::{ImapSettings, MailboxConfig, TlsMode};
pub use secret::Secret;
pub use web::WebSettings;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::calendar::Availability;

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
    /// The mailboxes to triage, each with its own account, cut-off and deadline policy.
    pub mailboxes: Vec<MailboxConfig>,
    /// The survey's web server; `None` (no `[web]` section) runs none.
    pub web: Option<WebSettings>,
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
}

impl Default for Folders {
    fn default() -> Self {
        Folders {
            targets: vec!["SEACE".into(), "RNP".into(), "Legal".into()],
            unclassified: "Por clasificar".into(),
            errors: "Errores".into(),
        }
    }
}

impl Folders {
    /// Every folder triage may move a message into, created on the server when missing.
    pub fn all(&self) -> Vec<String> {
        let mut all = self.targets.clone();
        all.push(self.unclassified.clone());
        all.push(self.errors.clone());
        all
    }
}

/// How triage works through a mailbox.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TriageSettings {
    /// Messages fetched, recorded and moved together; memory is bounded by this, not by the backlog.
    pub batch_size: usize,
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
            poll_seconds: 30,
            idle: true,
            max_message_bytes: 25 * 1024 * 1024,
            io_timeout_seconds: 60,
            default_category: "Sin clasificar".into(),
            default_availability: Availability::Medium,
        }
    }
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
    mailbox: Vec<mailbox::RawMailbox>,
    web: Option<web::RawWeb>,
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
        let triage = raw.triage;
        if triage.batch_size == 0 || triage.batch_size > 5000 {
            return Err(ConfigError::Invalid(format!(
                "{origin}: [triage] batch_size debe estar entre 1 y 5000 (es {})",
                triage.batch_size
            )));
        }
        if raw.mailbox.is_empty() {
            return Err(ConfigError::Invalid(format!(
                "{origin}: no hay ningún buzón: agregue al menos una sección [[mailbox]]"
            )));
        }
        let mut mailboxes = Vec::new();
        for m in raw.mailbox {
            let mailbox = m.validate(origin, text, base, secrets)?;
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
        let web = raw
            .web
            .map(|web| web.validate(origin, text, base, secrets))
            .transpose()?;
        Ok(Config {
            data_dir,
            database_url,
            rules_dir: resolve(raw.rules_dir.unwrap_or_else(|| PathBuf::from("rules"))),
            calendar: raw.calendar.map(resolve),
            ticket_prefix,
            folders: raw.folders,
            triage,
            mailboxes,
            web,
        })
    }

    /// The mailbox called `name`, for commands that act on one.
    pub fn mailbox(&self, name: &str) -> Option<&MailboxConfig> {
        self.mailboxes.iter().find(|m| m.name == name)
    }
}

#[cfg(test)]
mod tests;
