//! The access tokens in memory: one per token source and account, fetched when first needed, fetched again a
//! little before it expires or as soon as a server refuses it. One fetch at a time per token, so the IMAP worker
//! and the outbox sender asking together cause one request (and a rotating refresh token is spent once).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::http::{self, Answer, TokenAnswer};
use super::{assertion, refresh_token_file, OAuthError};
use crate::config::{OAuthGrant, OAuthSource, Secret};

/// When the provider does not say how long a token lasts, assume the usual hour.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);
/// A token is renewed this long before it expires (or after three quarters of its life, if that is sooner), so
/// a connection never starts with a token about to die.
const RENEW_BEFORE: Duration = Duration::from_secs(300);

/// A token and its life.
#[derive(Clone)]
struct Held {
    value: Secret,
    /// When it should be replaced (before it expires).
    renew_at: Instant,
}

type Slot = Arc<tokio::sync::Mutex<Option<Held>>>;

/// Every token this process holds, by source and account.
fn slots() -> &'static Mutex<HashMap<String, Slot>> {
    static SLOTS: OnceLock<Mutex<HashMap<String, Slot>>> = OnceLock::new();
    SLOTS.get_or_init(Default::default)
}

fn slot(source: &OAuthSource, account: &str) -> Slot {
    // Two configurations in one process (tests) with the same names must not share tokens: the endpoint and the
    // client are part of the key.
    let key = format!(
        "{}\u{1}{}\u{1}{}\u{1}{}",
        source.name,
        source.token_url,
        source.grant.client_id(),
        account.to_lowercase()
    );
    let mut slots = slots()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    slots.entry(key).or_default().clone()
}

/// An access token for `account` (the mailbox's address) from `source`: the one in memory while it is fresh,
/// else a new one from the token endpoint.
pub async fn access_token(source: &OAuthSource, account: &str) -> Result<Secret, OAuthError> {
    token(source, account, None).await
}

/// The server refused `refused`: a new token, unless another task already replaced it (then that one).
pub async fn replace_refused(
    source: &OAuthSource,
    account: &str,
    refused: &Secret,
) -> Result<Secret, OAuthError> {
    token(source, account, Some(refused)).await
}

/// The token in memory when it is fresh and not the `refused` one; else a new one, kept for the next caller.
async fn token(
    source: &OAuthSource,
    account: &str,
    refused: Option<&Secret>,
) -> Result<Secret, OAuthError> {
    let slot = slot(source, account);
    let mut held = slot.lock().await;
    if let Some(token) = held
        .as_ref()
        .filter(|t| Some(&t.value) != refused && Instant::now() < t.renew_at)
    {
        return Ok(token.value.clone());
    }
    *held = None;
    if refused.is_some() {
        tracing::info!(source = %source.name, account, "the server refused the access token; asking for a new one");
    }
    let token = fetch(source, account).await?;
    let value = token.value.clone();
    *held = Some(token);
    Ok(value)
}

/// Puts a token just obtained elsewhere (the device login) where [`access_token`] finds it.
pub(crate) async fn remember(
    source: &OAuthSource,
    account: &str,
    value: Secret,
    expires_in: Option<u64>,
) {
    let slot = slot(source, account);
    *slot.lock().await = Some(Held {
        value,
        renew_at: renew_at(Instant::now(), expires_in),
    });
}

/// When to renew a token that lasts `expires_in` seconds from `now`.
fn renew_at(now: Instant, expires_in: Option<u64>) -> Instant {
    let lifetime = expires_in.map_or(DEFAULT_LIFETIME, Duration::from_secs);
    now + lifetime - RENEW_BEFORE.min(lifetime / 4)
}

/// Asks the token endpoint for a token, with the grant the source is configured for.
async fn fetch(source: &OAuthSource, account: &str) -> Result<Held, OAuthError> {
    let http = http::client(source)?;
    let started = Instant::now();
    let now = chrono::Utc::now().timestamp();
    let scope = source.scope.as_deref();
    let answer = match &source.grant {
        OAuthGrant::ClientSecret { client_id, secret } => {
            let mut form = vec![
                ("grant_type", "client_credentials"),
                ("client_id", client_id.as_str()),
                ("client_secret", secret.expose()),
            ];
            form.extend(scope.map(|s| ("scope", s)));
            http::post_form::<TokenAnswer>(&http, source, &source.token_url, &form).await?
        }
        OAuthGrant::ClientCertificate {
            client_id,
            private_key,
            thumbprint_sha1,
            thumbprint_sha256,
        } => {
            let jwt = assertion::client_assertion(
                source,
                client_id,
                private_key,
                (thumbprint_sha1, thumbprint_sha256),
                now,
            )?;
            let mut form = vec![
                ("grant_type", "client_credentials"),
                ("client_id", client_id.as_str()),
                (
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ),
                ("client_assertion", jwt.expose()),
            ];
            form.extend(scope.map(|s| ("scope", s)));
            http::post_form::<TokenAnswer>(&http, source, &source.token_url, &form).await?
        }
        OAuthGrant::ServiceAccount {
            client_email,
            private_key,
            key_id,
        } => {
            let jwt = assertion::service_account_assertion(
                source,
                client_email,
                key_id.as_deref(),
                private_key,
                account,
                now,
            )?;
            let form = [
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", jwt.expose()),
            ];
            http::post_form::<TokenAnswer>(&http, source, &source.token_url, &form).await?
        }
        OAuthGrant::RefreshToken {
            client_id,
            client_secret,
            refresh_token_file: file,
            ..
        } => return refresh(source, &http, client_id, client_secret.as_ref(), file).await,
    };
    let token = accept(source, answer)?;
    tracing::info!(
        source = %source.name,
        account,
        expires_in_s = token.expires_in.unwrap_or(DEFAULT_LIFETIME.as_secs()),
        "obtained an access token"
    );
    Ok(Held {
        value: Secret::new(token.access_token),
        renew_at: renew_at(started, token.expires_in),
    })
}

/// The token of a successful answer, or the provider's refusal.
fn accept(source: &OAuthSource, answer: Answer<TokenAnswer>) -> Result<TokenAnswer, OAuthError> {
    match answer {
        Answer::Ok(token) if !token.access_token.trim().is_empty() => Ok(token),
        Answer::Ok(_) => Err(OAuthError::Unreachable {
            name: source.name.clone(),
            url: source.token_url.clone(),
            reason: "el proveedor respondió sin access_token".into(),
        }),
        Answer::Error(e) => Err(OAuthError::refused(
            source,
            &e.error,
            e.error_description.as_deref(),
            &e.error_codes,
        )),
    }
}

/// The refresh-token grant: under the file's lock, read the token, spend it, and keep the new one the provider
/// may have rotated in (written before the lock is released, so the next reader gets it).
async fn refresh(
    source: &OAuthSource,
    http: &reqwest::Client,
    client_id: &str,
    client_secret: Option<&Secret>,
    file: &std::path::Path,
) -> Result<Held, OAuthError> {
    let local = |reason: String| OAuthError::Local {
        name: source.name.clone(),
        reason,
    };
    let _lock = refresh_token_file::lock(file).await.map_err(local)?;
    // A rotated token that could not be saved last time is the valid one: save it now, and spend it.
    let unsaved = unsaved_tokens()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(file)
        .cloned();
    let refresh_token = match unsaved {
        Some(token) => {
            save_rotated(source, file, &token);
            token
        }
        None => refresh_token_file::read(file).map_err(local)?,
    };
    let started = Instant::now();
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token.expose()),
        ("client_id", client_id),
    ];
    form.extend(client_secret.map(|s| ("client_secret", s.expose())));
    form.extend(source.scope.as_deref().map(|s| ("scope", s)));
    let answer = http::post_form::<TokenAnswer>(http, source, &source.token_url, &form).await?;
    let token = accept(source, answer)?;
    if let Some(rotated) = token
        .refresh_token
        .as_deref()
        .filter(|r| !r.is_empty() && *r != refresh_token.expose())
    {
        save_rotated(source, file, &Secret::new(rotated));
    }
    tracing::info!(
        source = %source.name,
        expires_in_s = token.expires_in.unwrap_or(DEFAULT_LIFETIME.as_secs()),
        "obtained an access token"
    );
    Ok(Held {
        value: Secret::new(token.access_token),
        renew_at: renew_at(started, token.expires_in),
    })
}

/// Rotated refresh tokens not yet on disk (the write failed), by file: kept in memory until a write works, so
/// the newest token is never lost while the process lives.
fn unsaved_tokens() -> &'static Mutex<HashMap<std::path::PathBuf, Secret>> {
    static UNSAVED: OnceLock<Mutex<HashMap<std::path::PathBuf, Secret>>> = OnceLock::new();
    UNSAVED.get_or_init(Default::default)
}

/// Writes a rotated refresh token over the old one; on failure keeps it in memory and says so loudly (the old
/// token stays in the file, which the provider may no longer accept).
fn save_rotated(source: &OAuthSource, file: &std::path::Path, token: &Secret) {
    let mut unsaved = unsaved_tokens()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    match refresh_token_file::write(file, token) {
        Ok(()) => {
            unsaved.remove(file);
            tracing::info!(source = %source.name, file = %file.display(), "saved the rotated refresh token");
        }
        Err(e) => {
            unsaved.insert(file.to_path_buf(), token.clone());
            tracing::error!(
                source = %source.name,
                file = %file.display(),
                error = %e,
                "the provider rotated the refresh token and the new one could not be saved; it is kept in memory \
                 and written again at the next refresh: free disk space or fix the file's permissions"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_hour_token_is_renewed_five_minutes_early_and_a_short_one_at_three_quarters() {
        let now = Instant::now();
        assert_eq!(renew_at(now, Some(3600)) - now, Duration::from_secs(3300));
        assert_eq!(renew_at(now, None) - now, Duration::from_secs(3300));
        assert_eq!(renew_at(now, Some(20)) - now, Duration::from_secs(15));
        assert_eq!(renew_at(now, Some(0)) - now, Duration::ZERO);
    }
}
