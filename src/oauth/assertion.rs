//! The signed JWTs token endpoints take instead of a secret (RFC 7523): Microsoft's client assertion (the
//! application proves it holds its certificate's key) and Google's service-account assertion (the service account
//! asks for a token on behalf of a mailbox of its domain).

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;

use super::OAuthError;
use crate::config::{OAuthSource, Secret};

/// How long a client assertion is valid: only long enough to be used once, now.
const CLIENT_ASSERTION_SECONDS: i64 = 600;
/// Google accepts service-account assertions valid for at most an hour.
const SERVICE_ACCOUNT_SECONDS: i64 = 3600;

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    nbf: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    jti: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a str>,
}

/// A key that signs, or why not (checked at load, so this fails only if the key changed under us).
fn key(name: &str, pem: &Secret) -> Result<EncodingKey, OAuthError> {
    EncodingKey::from_rsa_pem(pem.expose().as_bytes()).map_err(|e| OAuthError::Local {
        name: name.to_string(),
        reason: format!("la clave privada no sirve para firmar: {e}"),
    })
}

fn sign(
    name: &str,
    header: &Header,
    claims: &Claims<'_>,
    pem: &Secret,
) -> Result<Secret, OAuthError> {
    jsonwebtoken::encode(header, claims, &key(name, pem)?)
        .map(Secret::new)
        .map_err(|e| OAuthError::Local {
            name: name.to_string(),
            reason: format!("no se pudo firmar la aserción: {e}"),
        })
}

/// A fresh random id, so a provider can refuse a replayed assertion.
fn random_id() -> String {
    let mut bytes = [0u8; 16];
    // Without randomness the assertion is still valid; the id is only a replay guard.
    let _ = getrandom::getrandom(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Microsoft's client assertion: issuer and subject the client id, audience the token endpoint, the certificate
/// named by its thumbprints.
pub(crate) fn client_assertion(
    source: &OAuthSource,
    client_id: &str,
    private_key: &Secret,
    thumbprints: (&str, &str),
    now: i64,
) -> Result<Secret, OAuthError> {
    let mut header = Header::new(Algorithm::RS256);
    header.x5t = Some(thumbprints.0.to_string());
    header.x5t_s256 = Some(thumbprints.1.to_string());
    let claims = Claims {
        iss: client_id,
        sub: client_id,
        aud: &source.token_url,
        iat: now,
        nbf: Some(now),
        exp: now + CLIENT_ASSERTION_SECONDS,
        jti: Some(random_id()),
        scope: None,
    };
    sign(&source.name, &header, &claims, private_key)
}

/// Google's service-account assertion: issuer the service account, subject the mailbox it acts for, the
/// source's scope, audience the token endpoint.
pub(crate) fn service_account_assertion(
    source: &OAuthSource,
    client_email: &str,
    key_id: Option<&str>,
    private_key: &Secret,
    subject: &str,
    now: i64,
) -> Result<Secret, OAuthError> {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = key_id.map(str::to_string);
    let claims = Claims {
        iss: client_email,
        sub: subject,
        aud: &source.token_url,
        iat: now,
        nbf: None,
        exp: now + SERVICE_ACCOUNT_SECONDS,
        jti: None,
        scope: source.scope.as_deref(),
    };
    sign(&source.name, &header, &claims, private_key)
}
