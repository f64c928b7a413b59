//! `triaje oauth login`: the device-authorization grant (RFC 8628). triaje asks the provider for a code, the
//! administrator opens the provider's page on any device, logs in as the mailbox and enters the code, and triaje
//! (polling meanwhile) receives the refresh token and saves it in the source's `refresh_token_file`.

use std::time::{Duration, Instant};

use serde::Deserialize;

use super::http::{self, Answer, TokenAnswer};
use super::{refresh_token_file, tokens, OAuthError};
use crate::config::{OAuthGrant, OAuthSource, Secret};

/// A login waiting for the person: what to show them.
pub struct DeviceAuthorization {
    /// The code the person types at the provider's page.
    pub user_code: String,
    /// The page.
    pub verification_uri: String,
    /// The page with the code already in it, when the provider gives one.
    pub verification_uri_complete: Option<String>,
    /// How long the code is valid.
    pub expires_in: Duration,
    /// How long to wait between two polls.
    interval: Duration,
    /// The code triaje polls with.
    device_code: Secret,
}

#[derive(Deserialize)]
struct DeviceAnswer {
    device_code: String,
    user_code: String,
    /// RFC 8628's name…
    verification_uri: Option<String>,
    /// …and the one Google and older Microsoft endpoints use.
    verification_url: Option<String>,
    verification_uri_complete: Option<String>,
    expires_in: u64,
    interval: Option<u64>,
}

/// The refresh-token grant's settings, or why this source cannot use `oauth login`.
fn refresh_grant(
    source: &OAuthSource,
) -> Result<(&str, Option<&Secret>, &std::path::Path, &str), OAuthError> {
    let local = |reason: String| OAuthError::Local {
        name: source.name.clone(),
        reason,
    };
    match &source.grant {
        OAuthGrant::RefreshToken {
            client_id,
            client_secret,
            refresh_token_file,
            device_authorization_url: Some(url),
        } => Ok((client_id, client_secret.as_ref(), refresh_token_file, url)),
        OAuthGrant::RefreshToken { .. } => Err(local(
            "la fuente no tiene device_authorization_url: agregue la dirección de autorización de dispositivos \
             del proveedor (p. ej. https://login.microsoftonline.com/<tenant>/oauth2/v2.0/devicecode), o ponga \
             el token de actualización en refresh_token_file por otro medio"
                .into(),
        )),
        _ => Err(local(format!(
            "«triaje oauth login» es para provider = \"refresh_token\"; esta fuente ({}) no necesita que nadie \
             inicie sesión: triaje obtiene sus tokens solo",
            source.provider.label()
        ))),
    }
}

/// Asks the provider for a device code (step 1).
pub async fn start_device_login(source: &OAuthSource) -> Result<DeviceAuthorization, OAuthError> {
    let (client_id, _, _, url) = refresh_grant(source)?;
    let http = http::client(source)?;
    let mut form = vec![("client_id", client_id)];
    form.extend(source.scope.as_deref().map(|s| ("scope", s)));
    match http::post_form::<DeviceAnswer>(&http, source, url, &form).await? {
        Answer::Ok(d) => Ok(DeviceAuthorization {
            user_code: d.user_code,
            verification_uri: d
                .verification_uri
                .or(d.verification_url)
                .unwrap_or_else(|| url.to_string()),
            verification_uri_complete: d.verification_uri_complete,
            expires_in: Duration::from_secs(d.expires_in),
            interval: Duration::from_secs(d.interval.unwrap_or(5).max(1)),
            device_code: Secret::new(d.device_code),
        }),
        Answer::Error(e) => Err(OAuthError::refused(
            source,
            &e.error,
            e.error_description.as_deref(),
            &e.error_codes,
        )),
    }
}

/// Waits for the person to approve (step 2), then saves the refresh token and keeps the access token for
/// `account`.
pub async fn finish_device_login(
    source: &OAuthSource,
    account: &str,
    authorization: DeviceAuthorization,
) -> Result<(), OAuthError> {
    let (client_id, client_secret, file, _) = refresh_grant(source)?;
    let http = http::client(source)?;
    let deadline = Instant::now() + authorization.expires_in;
    let mut interval = authorization.interval;
    loop {
        tokio::time::sleep(interval).await;
        if Instant::now() > deadline {
            return Err(expired(source));
        }
        let mut form = vec![
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", authorization.device_code.expose()),
            ("client_id", client_id),
        ];
        form.extend(client_secret.map(|s| ("client_secret", s.expose())));
        match http::post_form::<TokenAnswer>(&http, source, &source.token_url, &form).await? {
            Answer::Ok(token) => {
                let refresh_token = token.refresh_token.filter(|r| !r.is_empty()).ok_or_else(|| {
                    OAuthError::Local {
                        name: source.name.clone(),
                        reason: "el proveedor entregó un token de acceso pero no uno de actualización: agregue \
                                 offline_access a scope y vuelva a intentar"
                            .into(),
                    }
                })?;
                refresh_token_file::write(file, &Secret::new(refresh_token)).map_err(|e| {
                    OAuthError::Local {
                        name: source.name.clone(),
                        reason: format!(
                            "no se pudo guardar el token de actualización en {}: {e}",
                            file.display()
                        ),
                    }
                })?;
                tokens::remember(
                    source,
                    account,
                    Secret::new(token.access_token),
                    token.expires_in,
                )
                .await;
                tracing::info!(source = %source.name, file = %file.display(), "device login done; refresh token saved");
                return Ok(());
            }
            Answer::Error(e) => match e.error.as_str() {
                "authorization_pending" => {}
                // RFC 8628 §3.5: slow down by five seconds, for this and every later poll.
                "slow_down" => interval += Duration::from_secs(5),
                "expired_token" => return Err(expired(source)),
                _ => {
                    return Err(OAuthError::refused(
                        source,
                        &e.error,
                        e.error_description.as_deref(),
                        &e.error_codes,
                    ))
                }
            },
        }
    }
}

fn expired(source: &OAuthSource) -> OAuthError {
    OAuthError::Local {
        name: source.name.clone(),
        reason: "el código venció antes de que se aprobara el acceso: ejecute «triaje oauth login» otra vez".into(),
    }
}
