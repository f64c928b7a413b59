//! One SMTP client per mailbox, built from its `[mailbox.smtp]`: rustls (ring) with the public roots plus the
//! agency's CA, certificates always verified, 30 s per connection step and per command.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use lettre::address::{Address, Envelope};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::oauth_session::OAuthSmtp;
use super::SmtpError;
use crate::config::{Config, Login, SmtpSettings, TlsMode};

/// How long connecting, and then each command, may take before the attempt counts as a temporary failure.
pub(super) const STEP_TIMEOUT: Duration = Duration::from_secs(30);

/// Why one message did not go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    /// Worth retrying: the server could not be reached, the connection broke, it timed out, TLS failed, or the
    /// server answered 4xx. Carries the reason (the server's own words when it gave any).
    Temporary {
        /// What happened, for the log and `outbox.last_error`.
        reason: String,
        /// True when no SMTP reply was involved (refused, reset, timeout, TLS): other messages to the same
        /// server will fail the same way right now.
        connection: bool,
    },
    /// The server refused the message for good (5xx), or its envelope is unusable. Never retried.
    Permanent {
        /// What happened, for the log and `outbox.last_error`.
        reason: String,
    },
}

/// A mailbox's SMTP client. Cheap to clone (clones share the connection pool).
#[derive(Clone)]
pub struct Mailer {
    /// The mailbox it sends for, for logs.
    mailbox: String,
    /// Where it connects, for logs and errors.
    server: String,
    /// How it talks to the server.
    backend: Backend,
}

/// A password (or no login): lettre's pooled client. OAuth: lettre's connection with triaje's own `AUTH`.
#[derive(Clone)]
enum Backend {
    Pooled(AsyncSmtpTransport<Tokio1Executor>),
    OAuth(Arc<OAuthSmtp>),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("mailbox", &self.mailbox)
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

/// A [`Mailer`] for every mailbox that has a `[mailbox.smtp]` section, by mailbox name (inside a Tokio runtime).
pub fn mailers(config: &Config) -> Result<HashMap<String, Mailer>, SmtpError> {
    config
        .mailboxes
        .iter()
        .filter_map(|mailbox| {
            mailbox.smtp.as_ref().map(|smtp| {
                Mailer::new(&mailbox.name, smtp).map(|mailer| (mailbox.name.clone(), mailer))
            })
        })
        .collect()
}

impl Mailer {
    /// Builds the client for `mailbox` (no connection is made until the first message).
    ///
    /// Call it inside a Tokio runtime: the connection pool starts its clean-up task right away.
    pub fn new(mailbox: &str, settings: &SmtpSettings) -> Result<Mailer, SmtpError> {
        let settings_error = |reason: String| SmtpError::Settings {
            mailbox: mailbox.to_string(),
            reason,
        };
        let parameters = match settings.tls {
            TlsMode::None => None,
            _ => {
                let mut params = TlsParameters::builder(settings.host.clone())
                    .certificate_store(CertificateStore::WebpkiRoots);
                if let Some(path) = &settings.ca_file {
                    let pem = std::fs::read(path).map_err(|source| SmtpError::CaFile {
                        mailbox: mailbox.to_string(),
                        path: path.clone(),
                        source,
                    })?;
                    let certificate = Certificate::from_pem(&pem).map_err(|e| {
                        settings_error(format!(
                            "ca_file {} no contiene certificados PEM válidos: {e}",
                            path.display()
                        ))
                    })?;
                    params = params.add_root_certificate(certificate);
                }
                Some(
                    params
                        .build_rustls()
                        .map_err(|e| settings_error(format!("TLS: {e}")))?,
                )
            }
        };
        let server = format!("{}:{}", settings.host, settings.port);
        if let Some((account, Login::OAuth2 { source, mechanism })) = &settings.credentials {
            return Ok(Mailer {
                mailbox: mailbox.to_string(),
                server,
                backend: Backend::OAuth(Arc::new(OAuthSmtp::new(
                    &settings.host,
                    settings.port,
                    settings.tls,
                    parameters,
                    account,
                    source.clone(),
                    *mechanism,
                ))),
            });
        }
        let tls = match (settings.tls, parameters) {
            (TlsMode::Implicit, Some(params)) => Tls::Wrapper(params),
            (_, Some(params)) => Tls::Required(params),
            (_, None) => Tls::None,
        };
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.clone())
                .port(settings.port)
                .tls(tls)
                .timeout(Some(STEP_TIMEOUT));
        if let Some((username, Login::Password(password))) = &settings.credentials {
            builder = builder.credentials(Credentials::new(
                username.clone(),
                password.expose().to_string(),
            ));
        }
        Ok(Mailer {
            mailbox: mailbox.to_string(),
            server,
            backend: Backend::Pooled(builder.build()),
        })
    }

    /// Where this mailer connects (`host:port`).
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Sends `raw` exactly as given (dot-stuffed on the wire only; a message not ending in CRLF gets one) from `envelope_from` (empty: the
    /// null reverse path) to `recipients`. `Ok` means the server answered 250 to the end of DATA.
    pub async fn send_raw(
        &self,
        envelope_from: &str,
        recipients: &[String],
        raw: &[u8],
    ) -> Result<(), SendFailure> {
        let envelope = envelope(envelope_from, recipients)?;
        // lettre always ends DATA with `CRLF . CRLF`, so a message that already ends with CRLF would gain an empty
        // line: hand it over without its last line break, and the server stores exactly the composed bytes.
        let raw = raw.strip_suffix(b"\r\n").unwrap_or(raw);
        match &self.backend {
            Backend::Pooled(transport) => match transport.send_raw(&envelope, raw).await {
                Ok(_) => Ok(()),
                Err(error) => Err(classify(&self.server, &error)),
            },
            Backend::OAuth(oauth) => oauth.send(&envelope, raw).await,
        }
    }
}

/// The SMTP envelope; an unusable address is a permanent failure (retrying cannot fix it).
fn envelope(envelope_from: &str, recipients: &[String]) -> Result<Envelope, SendFailure> {
    let parse = |address: &str| {
        address
            .trim()
            .parse::<Address>()
            .map_err(|e| SendFailure::Permanent {
                reason: format!("dirección inválida «{address}»: {e}"),
            })
    };
    let from = match envelope_from.trim() {
        "" => None,
        address => Some(parse(address)?),
    };
    let to = recipients
        .iter()
        .map(|r| parse(r))
        .collect::<Result<Vec<_>, _>>()?;
    Envelope::new(from, to).map_err(|e| SendFailure::Permanent {
        reason: format!("sobre SMTP inválido (¿sin destinatarios?): {e}"),
    })
}

/// Sorts a lettre error into retry-or-not, keeping the server's words.
pub(super) fn classify(server: &str, error: &lettre::transport::smtp::Error) -> SendFailure {
    // An internationalised address (josé@…) needs SMTPUTF8; a server without it will never take the message.
    if error.to_string().contains("SMTPUTF8") {
        return SendFailure::Permanent {
            reason: format!(
                "el servidor {server} no acepta direcciones con caracteres internacionales (no ofrece SMTPUTF8)"
            ),
        };
    }
    if error.is_permanent() {
        return SendFailure::Permanent {
            reason: format!("el servidor {server} rechazó el mensaje: {error}"),
        };
    }
    let connection = !error.is_transient();
    // `server` is `host:port`; the certificate names the host.
    let host = server.rsplit_once(':').map_or(server, |(host, _)| host);
    if let Some((why, advice)) = crate::tls::certificate_problem(error, host, "[mailbox.smtp]") {
        return SendFailure::Temporary {
            reason: format!("falló la conexión cifrada (TLS) con {server}: {why}. {advice}"),
            connection,
        };
    }
    let what = if error.is_transient() {
        "el servidor {server} pidió reintentar"
    } else if error.is_timeout() {
        "el servidor {server} no respondió a tiempo"
    } else if error.is_tls() {
        "falló la conexión cifrada (TLS) con {server}"
    } else {
        "no se pudo conversar con el servidor {server}"
    };
    SendFailure::Temporary {
        reason: format!(
            "{}: {}",
            what.replace("{server}", server),
            full_chain(error)
        ),
        connection,
    }
}

/// An error with its causes (`connection error: Connection refused (os error 111)`).
pub(crate) fn full_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_envelope_with_empty_sender_uses_the_null_reverse_path() {
        let envelope = envelope("", &["ciudadano1@example.test".into()]).expect("valid");
        assert!(envelope.from().is_none());
        assert_eq!(envelope.to().len(), 1);
    }

    #[test]
    fn smtp_envelope_with_a_broken_address_is_a_permanent_failure() {
        let failure = envelope("consultas@osce.test", &["no es una dirección".into()]).unwrap_err();
        assert!(
            matches!(failure, SendFailure::Permanent { .. }),
            "{failure:?}"
        );
        let failure = envelope("consultas@osce.test", &[]).unwrap_err();
        assert!(
            matches!(failure, SendFailure::Permanent { .. }),
            "{failure:?}"
        );
    }

    #[tokio::test]
    async fn smtp_mailer_builds_for_every_tls_mode_without_connecting() {
        for tls in [TlsMode::None, TlsMode::Starttls, TlsMode::Implicit] {
            let settings = SmtpSettings {
                host: "127.0.0.1".into(),
                port: 2525,
                tls,
                ca_file: None,
                credentials: None,
                from: "consultas@osce.test".into(),
            };
            let mailer = Mailer::new("consultas", &settings).expect("builds");
            assert_eq!(mailer.server(), "127.0.0.1:2525");
        }
    }

    #[tokio::test]
    async fn smtp_ca_file_that_is_missing_names_the_file() {
        let settings = SmtpSettings {
            host: "smtp.osce.gob.pe".into(),
            port: 587,
            tls: TlsMode::Starttls,
            ca_file: Some("/nonexistent/ca.pem".into()),
            credentials: None,
            from: "consultas@osce.test".into(),
        };
        let err = Mailer::new("consultas", &settings).unwrap_err().to_string();
        assert!(err.contains("/nonexistent/ca.pem"), "{err}");
    }
}
