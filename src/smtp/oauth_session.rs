//! Sending through an account that logs in with an OAuth 2.0 access token.
//!
//! lettre speaks SMTP and TLS for us, but its authentication knows XOAUTH2 only (not OAUTHBEARER), takes its
//! credentials once when the client is built (tokens change every hour), and cannot answer a server's error
//! challenge. So this path uses lettre's connection (`AsyncSmtpConnection`: connect, STARTTLS, commands, DATA
//! with dot-stuffing) and does the `AUTH` exchange itself: the mechanism chosen from the server's EHLO, the token
//! from [`crate::oauth`], one new token and a second try when the server refuses the first. One connection is
//! kept open between messages and checked (NOOP) before it is used again.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use lettre::address::Envelope;
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::Ehlo;
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::response::Response;

use super::transport::{classify, SendFailure, STEP_TIMEOUT};
use crate::config::{OAuthSource, SaslChoice, Secret, TlsMode};
use crate::oauth::{self, Mechanism, SaslExchange};

/// A connection idle longer than this is closed rather than reused (servers drop idle clients after minutes).
const REUSE_WITHIN: Duration = Duration::from_secs(60);
/// RFC 4954 §4: the `AUTH` command line with its initial response must fit the 512 octets of an SMTP command.
const COMMAND_LINE_LIMIT: usize = 512;

/// The sending side of one mailbox whose SMTP login is OAuth.
pub(super) struct OAuthSmtp {
    /// `host:port`, for messages.
    pub server: String,
    host: String,
    port: u16,
    tls: TlsMode,
    tls_parameters: Option<TlsParameters>,
    account: String,
    source: Arc<OAuthSource>,
    mechanism: SaslChoice,
    /// The open connection and when it was last used.
    connection: tokio::sync::Mutex<Option<(AsyncSmtpConnection, Instant)>>,
}

/// A command line as it goes on the wire (lettre's `command` sends any `Display`).
struct Line(String);

impl std::fmt::Display for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl OAuthSmtp {
    /// The sender for `account` on `host:port`; no connection is made until the first message.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        host: &str,
        port: u16,
        tls: TlsMode,
        tls_parameters: Option<TlsParameters>,
        account: &str,
        source: Arc<OAuthSource>,
        mechanism: SaslChoice,
    ) -> OAuthSmtp {
        OAuthSmtp {
            server: format!("{host}:{port}"),
            host: host.to_string(),
            port,
            tls,
            tls_parameters,
            account: account.to_string(),
            source,
            mechanism,
            connection: tokio::sync::Mutex::new(None),
        }
    }

    /// Sends one message; `Ok` means the server answered 250 to the end of DATA.
    pub(super) async fn send(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), SendFailure> {
        let mut slot = self.connection.lock().await;
        let reusable = match slot.as_mut() {
            Some((conn, used)) => {
                used.elapsed() < REUSE_WITHIN && !conn.has_broken() && conn.test_connected().await
            }
            None => false,
        };
        let mut conn = match (reusable, slot.take()) {
            (true, Some((conn, _))) => conn,
            (_, old) => {
                if let Some((mut old, _)) = old {
                    let _ = old.quit().await;
                }
                self.open().await?
            }
        };
        match conn.send(envelope, raw).await {
            Ok(_) => {
                *slot = Some((conn, Instant::now()));
                Ok(())
            }
            // lettre closed the connection on any failure inside the transaction: open a new one next time.
            Err(error) => Err(classify(&self.server, &error)),
        }
    }

    /// Connects (TLS as configured), reads the offered mechanisms and logs in.
    async fn open(&self) -> Result<AsyncSmtpConnection, SendFailure> {
        let failed = |error: lettre::transport::smtp::Error| classify(&self.server, &error);
        let hello = ClientId::default();
        let implicit = match self.tls {
            TlsMode::Implicit => self.tls_parameters.clone(),
            _ => None,
        };
        let mut conn = AsyncSmtpConnection::connect_tokio1(
            (self.host.as_str(), self.port),
            Some(STEP_TIMEOUT),
            &hello,
            implicit,
            None,
        )
        .await
        .map_err(failed)?;
        if let (TlsMode::Starttls, Some(parameters)) = (self.tls, &self.tls_parameters) {
            if !conn.can_starttls() {
                return Err(SendFailure::Temporary {
                    reason: format!(
                        "el servidor {} no ofrece STARTTLS: revise tls y el puerto en [mailbox.smtp] (\"starttls\" \
                         suele ir en el 587, \"implicit\" en el 465)",
                        self.server
                    ),
                    connection: true,
                });
            }
            conn.starttls(parameters.clone(), &hello)
                .await
                .map_err(failed)?;
        }
        // lettre keeps only the mechanisms it knows from EHLO: ask again and read the AUTH line ourselves.
        let ehlo = conn.command(Ehlo::new(hello)).await.map_err(failed)?;
        let offered = auth_mechanisms(&ehlo);
        let mechanism = oauth::choose_mechanism(offered.iter().map(String::as_str), self.mechanism)
            .ok_or_else(|| SendFailure::Temporary {
                reason: format!(
                    "el servidor {} no ofrece XOAUTH2 ni OAUTHBEARER (ofrece: {}): revise host, puerto y tls en \
                     [mailbox.smtp], y mechanism",
                    self.server,
                    if offered.is_empty() {
                        "ninguno; ¿falta STARTTLS?".to_string()
                    } else {
                        offered.join(", ")
                    }
                ),
                connection: true,
            })?;
        let no_token = |e: oauth::OAuthError| SendFailure::Temporary {
            reason: e.to_string(),
            connection: true,
        };
        let token = oauth::access_token(&self.source, &self.account)
            .await
            .map_err(no_token)?;
        let refusal = match self.authenticate(&mut conn, mechanism, &token).await? {
            Ok(()) => return Ok(conn),
            Err(refusal) => refusal,
        };
        tracing::warn!(
            mechanism = mechanism.name(),
            refusal = %refusal,
            "the SMTP server refused the access token; trying once more with a new one"
        );
        let token = oauth::replace_refused(&self.source, &self.account, &token)
            .await
            .map_err(no_token)?;
        match self.authenticate(&mut conn, mechanism, &token).await? {
            Ok(()) => Ok(conn),
            Err(reason) => {
                conn.abort().await;
                Err(SendFailure::Temporary {
                    reason: format!(
                        "el servidor SMTP {} rechazó el token OAuth de {} ({}): {reason}. {}",
                        self.server,
                        self.account,
                        mechanism.name(),
                        oauth::advice_for_refused_login(&self.source, &self.account, true)
                    ),
                    connection: true,
                })
            }
        }
    }

    /// One `AUTH` exchange. The outer error is a broken connection; the inner one the server's refusal.
    async fn authenticate(
        &self,
        conn: &mut AsyncSmtpConnection,
        mechanism: Mechanism,
        token: &Secret,
    ) -> Result<Result<(), String>, SendFailure> {
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut exchange =
            SaslExchange::new(mechanism, &self.account, token, &self.host, self.port);
        let initial = b64.encode(exchange.initial_response());
        let with_initial = format!("AUTH {} {initial}\r\n", mechanism.name());
        let first = if with_initial.len() <= COMMAND_LINE_LIMIT {
            exchange.initial_response_sent();
            with_initial
        } else {
            format!("AUTH {}\r\n", mechanism.name())
        };
        let mut response = conn.command(Line(first)).await;
        // A challenge for the token (no initial response) and one error challenge at most; more is not SASL.
        for _ in 0..3 {
            match response {
                Ok(r) if r.has_code(235) => return Ok(Ok(())),
                Ok(r) if r.has_code(334) => {
                    let text = r.message().next().unwrap_or("").trim().to_string();
                    let challenge = b64.decode(&text).unwrap_or_else(|_| text.into_bytes());
                    let reply = b64.encode(exchange.respond(&challenge));
                    response = conn.command(Line(format!("{reply}\r\n"))).await;
                }
                Ok(r) => {
                    return Ok(Err(format!(
                        "respuesta inesperada {}",
                        r.message().collect::<Vec<_>>().join(" ")
                    )))
                }
                // A 4xx or 5xx reply: the server refused.
                Err(e) if e.status().is_some() => {
                    let mut reason = format!("el servidor respondió «{e}»");
                    if let Some(detail) = exchange.server_error() {
                        reason.push_str(&format!(" ({detail})"));
                    }
                    return Ok(Err(reason));
                }
                Err(e) => return Err(classify(&self.server, &e)),
            }
        }
        Ok(Err(
            "el servidor no terminó el intercambio de autenticación".into(),
        ))
    }
}

/// The mechanisms of EHLO's `AUTH` line (`250-AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER`; old servers wrote `AUTH=`).
fn auth_mechanisms(ehlo: &Response) -> Vec<String> {
    ehlo.message()
        .filter_map(|line| {
            let upper = line.trim().to_ascii_uppercase();
            upper
                .strip_prefix("AUTH ")
                .or_else(|| upper.strip_prefix("AUTH="))
                .map(|rest| {
                    rest.split_whitespace()
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
        })
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lettre::transport::smtp::response::{Category, Code, Detail, Severity};

    #[test]
    fn the_auth_line_of_ehlo_lists_every_mechanism() {
        let ehlo = Response::new(
            Code::new(
                Severity::PositiveCompletion,
                Category::MailSystem,
                Detail::Zero,
            ),
            vec![
                "mail.osce.test".into(),
                "PIPELINING".into(),
                "AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER".into(),
                "AUTH=PLAIN".into(),
            ],
        );
        assert_eq!(
            auth_mechanisms(&ehlo),
            ["PLAIN", "LOGIN", "XOAUTH2", "OAUTHBEARER", "PLAIN"]
        );
    }
}
