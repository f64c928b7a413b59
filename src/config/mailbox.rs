//! One `[[mailbox]]`: its IMAP account, its reception hours and its deadline policy.

use std::path::{Path, PathBuf};

use chrono::NaiveTime;
use serde::Deserialize;

use std::collections::HashMap;
use std::sync::Arc;

use super::oauth::{validate_mailbox_source, AuthKeys, Login, OAuthSource, Place, RawOAuth};
use super::smtp::{RawSmtp, SmtpSettings};
use super::{ConfigError, Secret};
use crate::calendar::{DeadlinePolicy, Reception};

/// How the IMAP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// TLS from the first byte (port 993). The default.
    Implicit,
    /// Plain connection upgraded with STARTTLS (port 143).
    Starttls,
    /// No encryption. Accepted only for loopback addresses (tests, a local proxy).
    None,
}

/// The IMAP account of a mailbox, validated.
#[derive(Debug, Clone)]
pub struct ImapSettings {
    /// Server host name (also the name the certificate must carry).
    pub host: String,
    /// Server port.
    pub port: u16,
    /// Transport protection.
    pub tls: TlsMode,
    /// Extra CA certificates (PEM) to trust besides the public roots, e.g. the agency's own CA.
    pub ca_file: Option<PathBuf>,
    /// Login name (with OAuth, the mailbox's address: the token is used for this account).
    pub username: String,
    /// A password (from the environment or a file) or an OAuth 2.0 token source.
    pub login: Login,
}

/// A mailbox triaje watches (`consultas@`, `contacto@`), validated.
#[derive(Debug, Clone)]
pub struct MailboxConfig {
    /// Short name used in logs, the store and the CLI (`consultas`).
    pub name: String,
    /// The mailbox's own address; mail from it is never answered automatically.
    pub address: String,
    /// The name citizens see as sender and signature (`Consultas OSCE`); defaults to the address.
    pub display_name: String,
    /// Its IMAP account.
    pub imap: ImapSettings,
    /// The account it sends through (`[mailbox.smtp]`); `None` when this mailbox sends nothing.
    pub smtp: Option<SmtpSettings>,
    /// The folder new mail arrives in.
    pub inbox: String,
    /// Opening and cut-off hours: mail at or after the cut-off counts from the next business day.
    pub reception: Reception,
    /// How the deadline is computed for this mailbox.
    pub deadline: DeadlinePolicy,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMailbox {
    name: toml::Spanned<String>,
    address: String,
    display_name: Option<String>,
    imap: RawImap,
    smtp: Option<RawSmtp>,
    oauth: Option<toml::Spanned<RawOAuth>>,
    #[serde(default = "default_inbox")]
    inbox: String,
    #[serde(default = "default_opening")]
    opening: toml::Spanned<String>,
    #[serde(default = "default_cutoff")]
    cutoff: toml::Spanned<String>,
    #[serde(default = "default_deadline")]
    deadline: toml::Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImap {
    host: toml::Spanned<String>,
    port: Option<u16>,
    #[serde(default = "default_tls")]
    tls: TlsMode,
    ca_file: Option<PathBuf>,
    username: String,
    auth: Option<toml::Spanned<String>>,
    mechanism: Option<toml::Spanned<String>>,
    password: Option<String>,
    password_env: Option<String>,
    password_file: Option<PathBuf>,
}

fn default_inbox() -> String {
    "INBOX".into()
}
fn default_opening() -> toml::Spanned<String> {
    toml::Spanned::new(0..0, "08:30".into())
}
fn default_cutoff() -> toml::Spanned<String> {
    toml::Spanned::new(0..0, "16:30".into())
}
fn default_deadline() -> toml::Spanned<String> {
    toml::Spanned::new(0..0, "disponibilidad".into())
}
fn default_tls() -> TlsMode {
    TlsMode::Implicit
}

/// True for names that can only mean this machine; plain IMAP or SMTP is refused anywhere else.
pub(super) fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
}

impl RawMailbox {
    pub(super) fn validate(
        self,
        origin: &str,
        text: &str,
        base: &Path,
        secrets: bool,
        shared_oauth: &HashMap<String, Arc<OAuthSource>>,
    ) -> Result<MailboxConfig, ConfigError> {
        let at = |span, msg: String| ConfigError::at(origin, text, span, msg);
        let place = Place {
            origin,
            text,
            base,
            secrets,
        };
        let name = self.name.get_ref().trim().to_string();
        let name_ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !name_ok {
            return Err(at(
                self.name.span(),
                format!("el nombre de buzón «{name}» debe usar solo letras, números, - o _ (por ejemplo consultas)"),
            ));
        }
        let time = |s: &toml::Spanned<String>, what: &str| {
            NaiveTime::parse_from_str(s.get_ref().trim(), "%H:%M").map_err(|_| {
                at(
                    s.span(),
                    format!(
                        "{what} «{}» no es una hora válida; escriba HH:MM, por ejemplo 16:30",
                        s.get_ref()
                    ),
                )
            })
        };
        let opening = time(&self.opening, "la hora de apertura")?;
        let cutoff = time(&self.cutoff, "la hora de corte")?;
        if cutoff <= opening {
            return Err(at(
                self.cutoff.span(),
                format!("la hora de corte {cutoff} del buzón «{name}» debe ser posterior a la apertura {opening}"),
            ));
        }
        let deadline: DeadlinePolicy = self.deadline.get_ref().parse().map_err(
            |e: crate::calendar::ParseDeadlinePolicyError| at(self.deadline.span(), e.to_string()),
        )?;

        let host = self.imap.host.get_ref().trim().to_string();
        if self.imap.tls == TlsMode::None && !is_loopback(&host) {
            return Err(at(
                self.imap.host.span(),
                format!(
                    "el buzón «{name}» usa tls = \"none\" con el servidor {host}: sin cifrado solo se permite \
                     en esta misma máquina (127.0.0.1 o localhost); use tls = \"implicit\" o \"starttls\""
                ),
            ));
        }
        let port = self.imap.port.unwrap_or(match self.imap.tls {
            TlsMode::Implicit => 993,
            TlsMode::Starttls | TlsMode::None => 143,
        });
        let imap_oauth = AuthKeys {
            auth: &self.imap.auth,
            mechanism: &self.imap.mechanism,
            section: "[mailbox.imap]",
        }
        .oauth(&place)?;
        let oauth_span = self.oauth.as_ref().map(|o| o.span());
        let oauth = self
            .oauth
            .map(|raw| validate_mailbox_source(raw, &name, shared_oauth, &place))
            .transpose()?;
        let login = match imap_oauth {
            Some(mechanism) => {
                let password_given = self.imap.password.is_some()
                    || self.imap.password_env.is_some()
                    || self.imap.password_file.is_some();
                let auth_span = self.imap.auth.as_ref().map(|a| a.span()).unwrap_or(0..0);
                if password_given {
                    return Err(at(
                        auth_span,
                        format!(
                            "el buzón «{name}» entra a IMAP con auth = \"oauth2\" y además tiene contraseña: \
                             quite password_env / password_file / password de [mailbox.imap]"
                        ),
                    ));
                }
                let source = oauth.clone().ok_or_else(|| {
                    at(
                        auth_span.clone(),
                        format!(
                            "el buzón «{name}» entra a IMAP con auth = \"oauth2\" pero no dice de dónde sacar \
                             los tokens: agregue una sección [mailbox.oauth] (o [mailbox.oauth] shared = \"NOMBRE\" \
                             con una sección [oauth.NOMBRE])"
                        ),
                    )
                })?;
                Login::OAuth2 { source, mechanism }
            }
            None => Login::Password(self.imap.password(&name, origin, base, secrets)?),
        };
        let ca_file = self
            .imap
            .ca_file
            .map(|p| if p.is_absolute() { p } else { base.join(p) });
        let address = self.address.trim().to_lowercase();
        let smtp = self
            .smtp
            .map(|smtp| smtp.validate(&place, &name, &address, oauth.as_ref()))
            .transpose()?;
        let uses_oauth = login.oauth().is_some()
            || smtp
                .as_ref()
                .and_then(|s| s.credentials.as_ref())
                .is_some_and(|(_, login)| login.oauth().is_some());
        if let (Some(span), false) = (oauth_span, uses_oauth) {
            return Err(at(
                span,
                format!(
                    "el buzón «{name}» tiene [mailbox.oauth] pero ni [mailbox.imap] ni [mailbox.smtp] dicen \
                     auth = \"oauth2\": agréguelo donde corresponda, o quite [mailbox.oauth]"
                ),
            ));
        }
        Ok(MailboxConfig {
            name,
            display_name: self
                .display_name
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| address.clone()),
            address,
            imap: ImapSettings {
                host,
                port,
                tls: self.imap.tls,
                ca_file,
                username: self.imap.username,
                login,
            },
            smtp,
            inbox: self.inbox,
            reception: Reception { opening, cutoff },
            deadline,
        })
    }
}

impl RawImap {
    /// The IMAP password, from exactly one of `password_env`, `password_file` or `password`.
    fn password(
        &self,
        name: &str,
        origin: &str,
        base: &Path,
        secrets: bool,
    ) -> Result<Secret, ConfigError> {
        let imap = self;
        let sources = [
            imap.password.is_some(),
            imap.password_env.is_some(),
            imap.password_file.is_some(),
        ]
        .iter()
        .filter(|s| **s)
        .count();
        match (&imap.password, &imap.password_env, &imap.password_file) {
            _ if !secrets => Ok(Secret::new(String::new())),
            _ if sources > 1 => Err(ConfigError::Secret(format!(
                "{origin}: el buzón «{name}» define la contraseña de más de una forma; \
                 use solo una de password_env, password_file o password"
            ))),
            (Some(p), _, _) => Ok(Secret::new(p.clone())),
            (_, Some(var), _) => Secret::from_env(var)
                .map_err(|e| ConfigError::Secret(format!("{origin}: buzón «{name}»: {e}"))),
            (_, _, Some(file)) => {
                let file = if file.is_absolute() {
                    file.clone()
                } else {
                    base.join(file)
                };
                Secret::from_file(&file)
                    .map_err(|e| ConfigError::Secret(format!("{origin}: buzón «{name}»: {e}")))
            }
            _ => Err(ConfigError::Secret(format!(
                "{origin}: el buzón «{name}» no tiene contraseña IMAP: agregue password_env = \"VARIABLE\" \
                 o password_file = \"/ruta/archivo\" en su sección [mailbox.imap] (o auth = \"oauth2\" con \
                 [mailbox.oauth] para Microsoft 365 o Google Workspace)"
            ))),
        }
    }
}
