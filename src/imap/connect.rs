//! Opening a session: TCP, TLS with certificate verification (implicit or STARTTLS), greeting, LOGIN.

use std::sync::Arc;
use std::time::Duration;

use async_imap::types::Capability;
use async_imap::Client;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use super::stream::MailStream;
use super::{ImapError, Session};
use crate::config::{ImapSettings, Login, TlsMode};
use crate::tls::{certificate_problem, client_tls_config};

/// Connects and logs in to the account described by `settings`.
///
/// Certificates are verified against the public roots plus `ca_file` when given; there is no switch to turn
/// verification off (a self-signed server is trusted by giving its CA).
pub async fn connect(settings: &ImapSettings, timeout: Duration) -> Result<Session, ImapError> {
    let fut = connect_inner(settings, timeout);
    match tokio::time::timeout(timeout, fut).await {
        Ok(r) => r,
        Err(_) => Err(ImapError::Timeout {
            what: "la conexión y el inicio de sesión",
            seconds: timeout.as_secs(),
        }),
    }
}

async fn connect_inner(settings: &ImapSettings, timeout: Duration) -> Result<Session, ImapError> {
    let tcp = TcpStream::connect((settings.host.as_str(), settings.port))
        .await
        .map_err(|source| ImapError::Connect {
            host: settings.host.clone(),
            port: settings.port,
            source,
        })?;
    let _ = tcp.set_nodelay(true);
    let stream = match settings.tls {
        TlsMode::None => MailStream::Plain(tcp),
        TlsMode::Implicit => MailStream::Tls(Box::new(tls_wrap(settings, tcp).await?)),
        TlsMode::Starttls => {
            let mut client = Client::new(MailStream::Plain(tcp));
            read_greeting(&mut client).await?;
            client
                .run_command_and_check_ok("STARTTLS", None)
                .await
                .map_err(|e| ImapError::protocol("STARTTLS", e))?;
            let MailStream::Plain(tcp) = client.into_inner() else {
                return Err(ImapError::Closed);
            };
            MailStream::Tls(Box::new(tls_wrap(settings, tcp).await?))
        }
    };
    let mut client = Client::new(stream);
    if settings.tls != TlsMode::Starttls {
        read_greeting(&mut client).await?;
    }
    let mut session = match &settings.login {
        Login::Password(password) => client
            .login(&settings.username, password.expose())
            .await
            .map_err(|(e, _)| ImapError::Login {
                user: settings.username.clone(),
                reason: e.to_string(),
            })?,
        Login::OAuth2 { source, mechanism } => {
            super::authenticate::authenticate(client, settings, source, *mechanism).await?
        }
    };
    // Dovecot announces UIDPLUS and CONDSTORE only after authentication: ask again now.
    let caps = session
        .capabilities()
        .await
        .map_err(|e| ImapError::protocol("CAPABILITY", e))?;
    let capabilities = caps
        .iter()
        .filter_map(|c| match c {
            Capability::Imap4rev1 => Some("IMAP4rev1".to_string()),
            Capability::Atom(a) => Some(a.to_string()),
            Capability::Auth(_) => None,
        })
        .collect();
    Ok(Session {
        inner: Some(session),
        capabilities,
        timeout,
        account: settings.username.clone(),
    })
}

async fn read_greeting(client: &mut Client<MailStream>) -> Result<(), ImapError> {
    match client.read_response().await {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(ImapError::Protocol {
            what: "el saludo inicial",
            detail: "el servidor cerró la conexión".into(),
            connection_lost: true,
        }),
        Err(e) => Err(ImapError::Protocol {
            what: "el saludo inicial",
            detail: e.to_string(),
            connection_lost: true,
        }),
    }
}

async fn tls_wrap(
    settings: &ImapSettings,
    tcp: TcpStream,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, ImapError> {
    let tls_err = |reason: String| ImapError::Tls {
        host: settings.host.clone(),
        port: settings.port,
        reason,
        advice: "Revise ca_file en [mailbox.imap].".to_string(),
    };
    let config = client_tls_config(settings.ca_file.as_deref()).map_err(tls_err)?;
    let name = ServerName::try_from(settings.host.clone())
        .map_err(|e| tls_err(format!("nombre de servidor inválido: {e}")))?;
    TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .map_err(|e| {
            let (reason, advice) = certificate_problem(&e, &settings.host, "[mailbox.imap]")
                .unwrap_or_else(|| {
                    (
                        e.to_string(),
                        "Revise tls (\"implicit\" suele ir en el puerto 993, \"starttls\" en el 143) y el puerto"
                            .to_string(),
                    )
                });
            ImapError::Tls {
                host: settings.host.clone(),
                port: settings.port,
                reason,
                advice,
            }
        })
}
