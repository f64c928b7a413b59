//! Talking to a token endpoint: a form POST over HTTPS (rustls + ring, the public roots plus the source's
//! `ca_file`, as for IMAP and SMTP), and the provider's JSON answer read into types.

use std::time::Duration;

use serde::Deserialize;

use super::OAuthError;
use crate::config::OAuthSource;

/// How long a token endpoint may take to answer (connection and reply).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A successful token response (RFC 6749 §5.1).
#[derive(Deserialize)]
pub(crate) struct TokenAnswer {
    /// The access token.
    pub access_token: String,
    /// Seconds it is valid; some providers send it as a string.
    #[serde(default, deserialize_with = "seconds")]
    pub expires_in: Option<u64>,
    /// A new refresh token, when the provider rotates it.
    pub refresh_token: Option<String>,
}

/// An error response (RFC 6749 §5.2), with Microsoft's `error_codes`.
#[derive(Deserialize)]
pub(crate) struct ErrorAnswer {
    /// The error code (`invalid_client`, `invalid_grant`, `authorization_pending`…).
    pub error: String,
    /// The provider's explanation.
    pub error_description: Option<String>,
    /// Microsoft's numbers (`[7000215]`).
    #[serde(default)]
    pub error_codes: Vec<i64>,
}

/// A number of seconds written as a JSON number or a string of digits.
fn seconds<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Number(u64),
        Text(String),
    }
    Ok(match Option::<Either>::deserialize(d)? {
        Some(Either::Number(n)) => Some(n),
        Some(Either::Text(t)) => t.trim().parse().ok(),
        None => None,
    })
}

/// What a token endpoint said: a JSON body of success, an OAuth error, or a failure to get either.
pub(crate) enum Answer<T> {
    /// 2xx with the expected JSON.
    Ok(T),
    /// An OAuth error body (400/401 and friends).
    Error(ErrorAnswer),
}

/// The HTTP client for `source`'s endpoints: HTTP/1.1 over rustls with ring, the public roots plus `ca_file`.
pub(crate) fn client(source: &OAuthSource) -> Result<reqwest::Client, OAuthError> {
    let tls = crate::tls::client_tls_config(source.ca_file.as_deref()).map_err(|reason| {
        OAuthError::Local {
            name: source.name.clone(),
            reason: format!("{reason} (ca_file de la fuente OAuth)"),
        }
    })?;
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(REQUEST_TIMEOUT)
        // A token endpoint that redirects is misconfigured; following could send the secret elsewhere.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("triaje/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| OAuthError::Local {
            name: source.name.clone(),
            reason: format!("no se pudo preparar el cliente HTTP: {e}"),
        })
}

/// POSTs `form` to `url` and reads the answer as `T` or an OAuth error.
pub(crate) async fn post_form<T: for<'de> Deserialize<'de>>(
    http: &reqwest::Client,
    source: &OAuthSource,
    url: &str,
    form: &[(&str, &str)],
) -> Result<Answer<T>, OAuthError> {
    let unreachable = |reason: String| OAuthError::Unreachable {
        name: source.name.clone(),
        url: url.to_string(),
        reason,
    };
    let response = http
        .post(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .form(form)
        .send()
        .await
        .map_err(|e| unreachable(describe(&e)))?;
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| unreachable(describe(&e)))?;
    if status.is_success() {
        return serde_json::from_slice::<T>(&bytes)
            .map(Answer::Ok)
            .map_err(|e| {
                unreachable(format!(
                    "respondió {status} con algo que no es una respuesta OAuth ({e})"
                ))
            });
    }
    match serde_json::from_slice::<ErrorAnswer>(&bytes) {
        // A 5xx with an OAuth body (`temporarily_unavailable`) is still the provider's trouble, not ours.
        Ok(error) if !status.is_server_error() => Ok(Answer::Error(error)),
        Ok(error) => Err(unreachable(format!(
            "el proveedor respondió {status}: {}",
            error.error
        ))),
        Err(_) => Err(unreachable(format!(
            "el proveedor respondió {status} sin una respuesta OAuth{}",
            if status.is_client_error() {
                " (¿token_url correcto?)"
            } else {
                ""
            }
        ))),
    }
}

/// A reqwest error with its causes (`no se pudo conectar: … Connection refused`).
fn describe(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        format!("no respondió en {} s", REQUEST_TIMEOUT.as_secs())
    } else if e.is_connect() {
        "no se pudo conectar".to_string()
    } else {
        "falló la conversación HTTP".to_string()
    };
    format!("{what}: {}", crate::smtp::error_chain(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_in_may_come_as_text() {
        let a: TokenAnswer = serde_json::from_str(
            r#"{"access_token":"t","token_type":"Bearer","expires_in":"3599"}"#,
        )
        .unwrap();
        assert_eq!(a.expires_in, Some(3599));
        let a: TokenAnswer =
            serde_json::from_str(r#"{"access_token":"t","expires_in":3600,"refresh_token":"r"}"#)
                .unwrap();
        assert_eq!(a.expires_in, Some(3600));
        assert_eq!(a.refresh_token.as_deref(), Some("r"));
    }
}
