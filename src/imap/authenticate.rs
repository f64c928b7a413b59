//! AUTHENTICATE with an OAuth 2.0 access token (XOAUTH2 or OAUTHBEARER, whichever the server offers and the
//! configuration allows). A refused token is replaced once — the provider may have revoked it, or it expired
//! early — and tried again on the same connection; a second refusal means the account does not accept the
//! application's tokens, which only the administrator can fix.

use async_imap::imap_proto::{Capability, Response};
use async_imap::types::UnsolicitedResponse;
use async_imap::{Authenticator, Client, Session as RawSession};

use super::stream::MailStream;
use super::ImapError;
use crate::config::{ImapSettings, OAuthSource, SaslChoice, Secret};
use crate::oauth::{self, Mechanism, SaslExchange};

impl Authenticator for &mut SaslExchange {
    type Response = Vec<u8>;

    fn process(&mut self, challenge: &[u8]) -> Vec<u8> {
        self.respond(challenge)
    }
}

/// Logs in to `settings`' account with a token from `source`.
pub(super) async fn authenticate(
    mut client: Client<MailStream>,
    settings: &ImapSettings,
    source: &OAuthSource,
    wanted: SaslChoice,
) -> Result<RawSession<MailStream>, ImapError> {
    let offered = auth_mechanisms(&mut client).await?;
    let mechanism = oauth::choose_mechanism(offered.iter().map(String::as_str), wanted).ok_or_else(|| {
        ImapError::Unsupported {
            what: format!(
                "el servidor IMAP {}:{} no ofrece {} para entrar con OAuth (ofrece: {}); revise host y puerto, o \
                 mechanism en [mailbox.imap]",
                settings.host,
                settings.port,
                match wanted {
                    SaslChoice::Auto => "XOAUTH2 ni OAUTHBEARER",
                    SaslChoice::XOAuth2 => "XOAUTH2",
                    SaslChoice::OAuthBearer => "OAUTHBEARER",
                },
                if offered.is_empty() {
                    "ningún mecanismo".to_string()
                } else {
                    offered.join(", ")
                }
            ),
        }
    })?;
    let account = settings.username.as_str();
    let token = oauth::access_token(source, account)
        .await
        .map_err(ImapError::OAuth)?;
    let client = match attempt(client, settings, mechanism, &token).await? {
        Ok(session) => return Ok(session),
        Err((refusal, client)) => {
            tracing::warn!(
                mechanism = mechanism.name(),
                refusal = %refusal,
                "the IMAP server refused the access token; trying once more with a new one"
            );
            client
        }
    };
    let token = oauth::replace_refused(source, account, &token)
        .await
        .map_err(ImapError::OAuth)?;
    match attempt(client, settings, mechanism, &token).await? {
        Ok(session) => Ok(session),
        Err((reason, _)) => Err(ImapError::OAuthRefused {
            user: account.to_string(),
            mechanism: mechanism.name(),
            reason,
            advice: oauth::advice_for_refused_login(source, account, false),
        }),
    }
}

/// One AUTHENTICATE. The outer error is a broken connection; the inner one a refusal, with the client back for
/// another try.
#[allow(clippy::type_complexity)]
async fn attempt(
    client: Client<MailStream>,
    settings: &ImapSettings,
    mechanism: Mechanism,
    token: &Secret,
) -> Result<Result<RawSession<MailStream>, (String, Client<MailStream>)>, ImapError> {
    use async_imap::error::Error as E;
    let mut exchange = SaslExchange::new(
        mechanism,
        &settings.username,
        token,
        &settings.host,
        settings.port,
    );
    match client.authenticate(mechanism.name(), &mut exchange).await {
        Ok(session) => Ok(Ok(session)),
        Err((e @ (E::No(_) | E::Bad(_)), client)) => {
            let mut reason = super::error::server_reply(&e);
            if let Some(detail) = exchange.server_error() {
                reason.push_str(&format!(" ({detail})"));
            }
            Ok(Err((reason, client)))
        }
        Err((e, _)) => Err(ImapError::protocol("AUTHENTICATE", e)),
    }
}

/// The SASL mechanisms the server offers before login (`AUTH=…` in its CAPABILITY answer).
async fn auth_mechanisms(client: &mut Client<MailStream>) -> Result<Vec<String>, ImapError> {
    let (answers, received) = async_channel::bounded(16);
    client
        .run_command_and_check_ok("CAPABILITY", Some(answers))
        .await
        .map_err(|e| ImapError::protocol("CAPABILITY", e))?;
    let mut mechanisms = Vec::new();
    while let Ok(answer) = received.try_recv() {
        if let UnsolicitedResponse::Other(data) = answer {
            if let Response::Capabilities(caps) = data.parsed() {
                mechanisms.extend(caps.iter().filter_map(|c| match c {
                    Capability::Auth(m) => Some(m.to_string()),
                    _ => None,
                }));
            }
        }
    }
    Ok(mechanisms)
}
