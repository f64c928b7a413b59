//! Sending: a mailbox's `[mailbox.smtp]` account and the top-level `[outbox]` retry policy.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use super::mailbox::is_loopback;
use super::oauth::{AuthKeys, Login, OAuthSource, Place};
use super::{ConfigError, Secret, TlsMode};

/// The SMTP account a mailbox sends through (acknowledgements, replies, notifications), validated.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    /// Server host name (also the name the certificate must carry).
    pub host: String,
    /// Server port: 587 for STARTTLS, 465 for implicit TLS, 25 without TLS unless given.
    pub port: u16,
    /// Transport protection; STARTTLS by default, `none` only on loopback.
    pub tls: TlsMode,
    /// Extra CA certificates (PEM) to trust besides the public roots, e.g. the agency's own CA.
    pub ca_file: Option<PathBuf>,
    /// Login name and how to prove it (a password or an OAuth 2.0 token source); `None` sends without
    /// authenticating (a relay that trusts this host).
    pub credentials: Option<(String, Login)>,
    /// The envelope sender (`MAIL FROM`); defaults to the mailbox's address.
    pub from: String,
}

/// How the outbox sends and retries (`[outbox]`, every key optional).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxSettings {
    /// Messages one sender claims and sends (one after the other) per pass.
    pub batch: usize,
    /// Wait before the first retry after a temporary failure; doubled on every further failure.
    pub retry_first: Duration,
    /// Longest wait between two retries.
    pub retry_max: Duration,
    /// A message still failing temporarily this long after it was queued becomes `failed`.
    pub give_up_after: Duration,
    /// How long a claim on a message lasts; a sender that dies leaves it to others after this.
    pub lease: Duration,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        OutboxSettings {
            batch: 20,
            retry_first: Duration::from_secs(30),
            retry_max: Duration::from_secs(1800),
            give_up_after: Duration::from_secs(72 * 3600),
            lease: Duration::from_secs(120),
        }
    }
}

/// `[outbox]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOutbox {
    batch: Option<toml::Spanned<u64>>,
    retry_first_seconds: Option<toml::Spanned<u64>>,
    retry_max_seconds: Option<toml::Spanned<u64>>,
    give_up_hours: Option<toml::Spanned<u64>>,
    lease_seconds: Option<toml::Spanned<u64>>,
}

impl RawOutbox {
    /// Checks the values; every error points at its value.
    pub(super) fn validate(self, origin: &str, text: &str) -> Result<OutboxSettings, ConfigError> {
        let defaults = OutboxSettings::default();
        let check = |value: Option<toml::Spanned<u64>>,
                     default: u64,
                     range: std::ops::RangeInclusive<u64>,
                     what: &str|
         -> Result<u64, ConfigError> {
            match value {
                None => Ok(default),
                Some(v) if range.contains(v.get_ref()) => Ok(*v.get_ref()),
                Some(v) => Err(ConfigError::at(
                    origin,
                    text,
                    v.span(),
                    format!(
                        "[outbox] {what} debe estar entre {} y {} (es {})",
                        range.start(),
                        range.end(),
                        v.get_ref()
                    ),
                )),
            }
        };
        let batch = check(self.batch, defaults.batch as u64, 1..=1000, "batch")?;
        let retry_first = check(
            self.retry_first_seconds,
            defaults.retry_first.as_secs(),
            1..=86_400,
            "retry_first_seconds",
        )?;
        let max_span = self.retry_max_seconds.as_ref().map(|v| v.span());
        let retry_max = check(
            self.retry_max_seconds,
            defaults.retry_max.as_secs(),
            1..=86_400,
            "retry_max_seconds",
        )?;
        if retry_max < retry_first {
            return Err(match max_span {
                Some(span) => ConfigError::at(
                    origin,
                    text,
                    span,
                    format!(
                        "[outbox] retry_max_seconds ({retry_max}) no puede ser menor que \
                         retry_first_seconds ({retry_first})"
                    ),
                ),
                None => ConfigError::Invalid(format!(
                    "{origin}: [outbox] retry_first_seconds ({retry_first}) es mayor que \
                     retry_max_seconds ({retry_max}, el valor por omisión): aumente retry_max_seconds"
                )),
            });
        }
        let give_up_hours = check(
            self.give_up_hours,
            defaults.give_up_after.as_secs() / 3600,
            1..=24 * 90,
            "give_up_hours",
        )?;
        // The lease must outlast one SMTP transaction (30 s per step), or a slow send could be taken over.
        let lease = check(
            self.lease_seconds,
            defaults.lease.as_secs(),
            60..=3600,
            "lease_seconds",
        )?;
        Ok(OutboxSettings {
            batch: batch as usize,
            retry_first: Duration::from_secs(retry_first),
            retry_max: Duration::from_secs(retry_max),
            give_up_after: Duration::from_secs(give_up_hours * 3600),
            lease: Duration::from_secs(lease),
        })
    }
}

/// `[mailbox.smtp]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSmtp {
    host: toml::Spanned<String>,
    port: Option<u16>,
    #[serde(default = "default_tls")]
    tls: TlsMode,
    ca_file: Option<PathBuf>,
    username: Option<toml::Spanned<String>>,
    auth: Option<toml::Spanned<String>>,
    mechanism: Option<toml::Spanned<String>>,
    password: Option<String>,
    password_env: Option<String>,
    password_file: Option<PathBuf>,
    from: Option<toml::Spanned<String>>,
}

fn default_tls() -> TlsMode {
    TlsMode::Starttls
}

impl RawSmtp {
    /// Checks the section of mailbox `name` (whose address is `address`, whose token source, if any, is `oauth`);
    /// `place.secrets` false skips passwords.
    pub(super) fn validate(
        self,
        place: &Place<'_>,
        name: &str,
        address: &str,
        oauth: Option<&Arc<OAuthSource>>,
    ) -> Result<SmtpSettings, ConfigError> {
        let (origin, text, base, secrets) = (place.origin, place.text, place.base, place.secrets);
        let at = |span, msg: String| ConfigError::at(origin, text, span, msg);
        let host = self.host.get_ref().trim().to_string();
        if host.is_empty() {
            return Err(at(
                self.host.span(),
                format!("el buzón «{name}» tiene [mailbox.smtp] sin servidor: escriba host = \"smtp.ejemplo.gob.pe\""),
            ));
        }
        if self.tls == TlsMode::None && !is_loopback(&host) {
            return Err(at(
                self.host.span(),
                format!(
                    "el buzón «{name}» envía por SMTP con tls = \"none\" al servidor {host}: sin cifrado solo se \
                     permite en esta misma máquina (127.0.0.1 o localhost); use tls = \"starttls\" o \"implicit\""
                ),
            ));
        }
        let port = self.port.unwrap_or(match self.tls {
            TlsMode::Starttls => 587,
            TlsMode::Implicit => 465,
            TlsMode::None => 25,
        });
        let sources = [
            self.password.is_some(),
            self.password_env.is_some(),
            self.password_file.is_some(),
        ]
        .iter()
        .filter(|s| **s)
        .count();
        if sources > 1 {
            return Err(ConfigError::Secret(format!(
                "{origin}: el buzón «{name}» define la contraseña SMTP de más de una forma; \
                 use solo una de password_env, password_file o password en [mailbox.smtp]"
            )));
        }
        let smtp_oauth = AuthKeys {
            auth: &self.auth,
            mechanism: &self.mechanism,
            section: "[mailbox.smtp]",
        }
        .oauth(place)?;
        if smtp_oauth.is_some() {
            let auth_span = self.auth.as_ref().map(|a| a.span()).unwrap_or(0..0);
            let problem = if sources > 0 {
                Some(
                    "tiene además contraseña: quite password_env / password_file / password"
                        .to_string(),
                )
            } else if self.username.is_none() {
                Some("no tiene username: escriba la dirección del buzón (username = \"consultas@…\")".to_string())
            } else if oauth.is_none() {
                Some(
                    "no dice de dónde sacar los tokens: agregue una sección [mailbox.oauth] (o [mailbox.oauth] \
                     shared = \"NOMBRE\" con una sección [oauth.NOMBRE])"
                        .to_string(),
                )
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(at(
                    auth_span,
                    format!(
                        "el buzón «{name}» envía por SMTP con auth = \"oauth2\" pero {problem}"
                    ),
                ));
            }
        }
        let credentials = match (self.username, smtp_oauth.zip(oauth)) {
            (Some(user), Some((mechanism, source))) => Some((
                user.get_ref().trim().to_string(),
                Login::OAuth2 {
                    source: source.clone(),
                    mechanism,
                },
            )),
            (None, _) if sources > 0 => {
                return Err(ConfigError::Secret(format!(
                    "{origin}: el buzón «{name}» tiene contraseña SMTP pero no username en [mailbox.smtp]: \
                     agregue username, o quite la contraseña si el servidor no pide autenticación"
                )))
            }
            (None, _) => None,
            (Some(user), None) => {
                let user = user.get_ref().trim().to_string();
                let password = match (self.password, self.password_env, self.password_file) {
                    _ if !secrets => Secret::new(String::new()),
                    (Some(p), _, _) => Secret::new(p),
                    (_, Some(var), _) => Secret::from_env(&var).map_err(|e| {
                        ConfigError::Secret(format!("{origin}: buzón «{name}», SMTP: {e}"))
                    })?,
                    (_, _, Some(file)) => {
                        let file = if file.is_absolute() { file } else { base.join(file) };
                        Secret::from_file(&file).map_err(|e| {
                            ConfigError::Secret(format!("{origin}: buzón «{name}», SMTP: {e}"))
                        })?
                    }
                    _ => {
                        return Err(ConfigError::Secret(format!(
                            "{origin}: el buzón «{name}» tiene username SMTP pero no contraseña: agregue \
                             password_env = \"VARIABLE\" o password_file = \"/ruta/archivo\" en su sección \
                             [mailbox.smtp] (o quite username si el servidor no pide autenticación)"
                        )))
                    }
                };
                Some((user, Login::Password(password)))
            }
        };
        let from = match self.from {
            None => address.to_string(),
            Some(from) => {
                let value = from.get_ref().trim().to_lowercase();
                if !looks_like_address(&value) {
                    return Err(at(
                        from.span(),
                        format!("el remitente «{value}» del buzón «{name}» no es una dirección de correo (usuario@dominio)"),
                    ));
                }
                value
            }
        };
        let ca_file = self
            .ca_file
            .map(|p| if p.is_absolute() { p } else { base.join(p) });
        Ok(SmtpSettings {
            host,
            port,
            tls: self.tls,
            ca_file,
            credentials,
            from,
        })
    }
}

/// `user@domain` with no spaces or angle brackets: enough to refuse a typo, not a full RFC 5321 parser. Used for
/// every address the configuration takes (SMTP `from`, `[replies] supervisor`, `[digest] coordinator`).
pub(crate) fn looks_like_address(value: &str) -> bool {
    match value.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !value.contains(|c: char| c.is_whitespace() || c == '<' || c == '>')
        }
        None => false,
    }
}
