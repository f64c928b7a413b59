//! A stand-in OAuth 2.0 provider on 127.0.0.1: the one part of an agency's mail world the tests cannot install.
//! Everything else (Dovecot's oauth2 passdb, Postfix's SMTP AUTH through Dovecot, triaje) is the real thing.
//!
//! It behaves like the real endpoints wherever triaje or Dovecot can tell the difference:
//! - `POST /token` (RFC 6749) with the grants triaje uses: `client_credentials` with a client secret or a JWT
//!   client assertion (RFC 7523, verified against the registered certificate's key and thumbprint, audience the
//!   token endpoint), the JWT-bearer grant of a service account (signature, audience, scope, and domain-wide
//!   delegation for the subject), `refresh_token` (rotated on every use: the old one stops working), and the
//!   device code (RFC 8628: `authorization_pending` until someone approves). Tokens come with `expires_in`.
//! - Refusals carry the bodies Microsoft and Google send (`invalid_client` with `AADSTS7000215`,
//!   `unauthorized_client` with `AADSTS7000112` for a disabled application, Google's `unauthorized_client` for a
//!   missing delegation, `invalid_grant` for a spent or revoked refresh token).
//! - `POST /introspect` (RFC 7662), which Dovecot calls: `active` only for a token that exists, has not expired
//!   and was not revoked, with the `username` it was issued for (for an app-only token, the mailbox the
//!   application was granted — Exchange Online's `Add-MailboxPermission`).
#![allow(dead_code)]
// A refusal is a whole HTTP response, as big as a success: boxing it would only make the handlers harder to read.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Router};
use base64::Engine;
use serde_json::json;

const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const DEVICE_CODE: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// How an application proves who it is.
#[derive(Clone)]
pub enum ClientCredential {
    /// A client secret.
    Secret(String),
    /// A certificate: its public key (PEM) and SHA-1 thumbprint (base64url), as Entra ID keeps them.
    Certificate { public_key: String, x5t: String },
    /// A public client (device login, refresh tokens): no secret.
    Public,
}

struct Client {
    credential: ClientCredential,
    enabled: bool,
    /// The mailbox an app-only token may open (`None`: none granted).
    granted_mailbox: Option<String>,
}

struct ServiceAccount {
    public_key: String,
    /// Mailboxes of the domain it may act for (domain-wide delegation with the mail scope).
    delegated: bool,
}

struct AccessToken {
    client_id: String,
    username: Option<String>,
    expires_at: SystemTime,
    revoked: bool,
}

struct RefreshToken {
    client_id: String,
    username: String,
    revoked: bool,
}

struct DeviceCode {
    client_id: String,
    user_code: String,
    approved_for: Option<String>,
    used: bool,
}

#[derive(Default)]
struct ProviderState {
    port: u16,
    clients: HashMap<String, Client>,
    service_accounts: HashMap<String, ServiceAccount>,
    users: Vec<String>,
    access_tokens: HashMap<String, AccessToken>,
    refresh_tokens: HashMap<String, RefreshToken>,
    device_codes: HashMap<String, DeviceCode>,
    lifetime: Duration,
    /// Every token request: (grant_type, outcome).
    log: Vec<(String, String)>,
    counter: u64,
}

impl ProviderState {
    fn token_url(&self) -> String {
        format!("http://127.0.0.1:{}/token", self.port)
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        let mut bytes = [0u8; 18];
        getrandom::getrandom(&mut bytes).unwrap();
        format!(
            "{prefix}{}.{}",
            self.counter,
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        )
    }

    fn issue(&mut self, client_id: &str, username: Option<String>, refresh: bool) -> Response {
        let access = self.fresh("at");
        self.access_tokens.insert(
            access.clone(),
            AccessToken {
                client_id: client_id.to_string(),
                username: username.clone(),
                expires_at: SystemTime::now() + self.lifetime,
                revoked: false,
            },
        );
        let mut body = json!({
            "token_type": "Bearer",
            "expires_in": self.lifetime.as_secs(),
            "access_token": access,
        });
        if let (true, Some(user)) = (refresh, username) {
            let rt = self.fresh("rt");
            self.refresh_tokens.insert(
                rt.clone(),
                RefreshToken {
                    client_id: client_id.to_string(),
                    username: user,
                    revoked: false,
                },
            );
            body["refresh_token"] = json!(rt);
        }
        json_response(StatusCode::OK, body)
    }
}

fn json_response(status: StatusCode, body: serde_json::Value) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body.to_string(),
    )
        .into_response()
}

fn oauth_error(status: StatusCode, error: &str, description: &str, codes: &[u64]) -> Response {
    let mut body = json!({"error": error, "error_description": description});
    if !codes.is_empty() {
        body["error_codes"] = json!(codes);
    }
    json_response(status, body)
}

type Shared = Arc<Mutex<ProviderState>>;

/// The running provider; stopped on drop.
pub struct OAuthProvider {
    /// Its port on 127.0.0.1.
    pub port: u16,
    state: Shared,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl OAuthProvider {
    /// Starts the provider (on a thread of its own, so sync and async tests alike can use it) with tokens that
    /// last an hour and the stack's users as the directory's users.
    pub fn start() -> OAuthProvider {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let state: Shared = Arc::new(Mutex::new(ProviderState {
            port,
            lifetime: Duration::from_secs(3600),
            users: super::USERS.iter().map(|u| u.to_string()).collect(),
            ..ProviderState::default()
        }));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = Router::new()
            .route("/token", post(token))
            .route("/introspect", post(introspect))
            .route("/devicecode", post(device_authorization))
            .with_state(state.clone());
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stopped.await;
                    })
                    .await;
            });
        });
        OAuthProvider {
            port,
            state,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut ProviderState) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }

    /// The token endpoint.
    pub fn token_url(&self) -> String {
        format!("http://127.0.0.1:{}/token", self.port)
    }

    /// The introspection endpoint Dovecot checks tokens with.
    pub fn introspection_url(&self) -> String {
        format!("http://127.0.0.1:{}/introspect", self.port)
    }

    /// The device-authorization endpoint.
    pub fn device_authorization_url(&self) -> String {
        format!("http://127.0.0.1:{}/devicecode", self.port)
    }

    /// How long the tokens issued from now on last.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.with(|s| s.lifetime = lifetime);
    }

    /// Registers an application; `mailbox` is the mailbox its app-only tokens may open.
    pub fn register_client(
        &self,
        client_id: &str,
        credential: ClientCredential,
        mailbox: Option<&str>,
    ) {
        self.with(|s| {
            s.clients.insert(
                client_id.to_string(),
                Client {
                    credential,
                    enabled: true,
                    granted_mailbox: mailbox.map(str::to_string),
                },
            )
        });
    }

    /// Registers a service account with its public key; `delegated`: domain-wide delegation with the mail scope.
    pub fn register_service_account(&self, email: &str, public_key: &str, delegated: bool) {
        self.with(|s| {
            s.service_accounts.insert(
                email.to_string(),
                ServiceAccount {
                    public_key: public_key.to_string(),
                    delegated,
                },
            )
        });
    }

    /// Disables (or enables again) an application, as an administrator in the provider's console would. Disabling
    /// also revokes every token it holds.
    pub fn set_client_enabled(&self, client_id: &str, enabled: bool) {
        self.with(|s| {
            if let Some(c) = s.clients.get_mut(client_id) {
                c.enabled = enabled;
            }
            if !enabled {
                for t in s
                    .access_tokens
                    .values_mut()
                    .filter(|t| t.client_id == client_id)
                {
                    t.revoked = true;
                }
            }
        });
    }

    /// Revokes every access token issued so far (the application stays enabled).
    pub fn revoke_access_tokens(&self) {
        self.with(|s| {
            for t in s.access_tokens.values_mut() {
                t.revoked = true;
            }
        });
    }

    /// A refresh token for `user`, as an earlier login would have left it.
    pub fn issue_refresh_token(&self, client_id: &str, user: &str) -> String {
        self.with(|s| {
            let rt = s.fresh("rt");
            s.refresh_tokens.insert(
                rt.clone(),
                RefreshToken {
                    client_id: client_id.to_string(),
                    username: user.to_string(),
                    revoked: false,
                },
            );
            rt
        })
    }

    /// True while `token` is a refresh token the provider would accept.
    pub fn refresh_token_valid(&self, token: &str) -> bool {
        self.with(|s| s.refresh_tokens.get(token).is_some_and(|t| !t.revoked))
    }

    /// The person at the provider's page logs in as `user` and enters `user_code`.
    pub fn approve_device(&self, user_code: &str, user: &str) -> bool {
        self.with(|s| {
            match s
                .device_codes
                .values_mut()
                .find(|d| d.user_code == user_code)
            {
                Some(d) => {
                    d.approved_for = Some(user.to_string());
                    true
                }
                None => false,
            }
        })
    }

    /// Every token request so far: (grant type, outcome: `issued` or the error code).
    pub fn requests(&self) -> Vec<(String, String)> {
        self.with(|s| s.log.clone())
    }

    /// Every access and refresh token issued so far (to look for in logs).
    pub fn tokens(&self) -> Vec<String> {
        self.with(|s| {
            s.access_tokens
                .keys()
                .chain(s.refresh_tokens.keys())
                .cloned()
                .collect()
        })
    }

    /// How many access tokens were issued with `grant`.
    pub fn issued(&self, grant: &str) -> usize {
        self.requests()
            .iter()
            .filter(|(g, outcome)| g == grant && outcome == "issued")
            .count()
    }
}

impl Drop for OAuthProvider {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn token(State(state): State<Shared>, Form(form): Form<HashMap<String, String>>) -> Response {
    let mut s = state.lock().unwrap();
    let grant = form.get("grant_type").cloned().unwrap_or_default();
    let response = match grant.as_str() {
        "client_credentials" => client_credentials(&mut s, &form),
        JWT_BEARER => service_account_grant(&mut s, &form),
        "refresh_token" => refresh(&mut s, &form),
        DEVICE_CODE => device_token(&mut s, &form),
        _ => Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "The provided grant_type is not supported.",
            &[],
        )),
    };
    let (outcome, response) = match response {
        Ok(r) => ("issued".to_string(), r),
        Err(r) => ("refused".to_string(), r),
    };
    s.log.push((grant, outcome));
    response
}

fn client_credentials(
    s: &mut ProviderState,
    form: &HashMap<String, String>,
) -> Result<Response, Response> {
    let client_id = form.get("client_id").cloned().unwrap_or_default();
    let Some(client) = s.clients.get(&client_id) else {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            &format!(
                "AADSTS700016: Application with identifier '{client_id}' was not found in the directory 'osce.test'. \
                 This can happen if the application has not been installed by the administrator of the tenant.\r\n\
                 Trace ID: 0c1a\r\nCorrelation ID: 7e2b\r\nTimestamp: 2026-11-20 14:00:00Z"
            ),
            &[700016],
        ));
    };
    match (&client.credential, form.get("client_secret"), form.get("client_assertion")) {
        (ClientCredential::Secret(expected), Some(given), None) if given == expected => {}
        (ClientCredential::Secret(_), _, _) => {
            return Err(oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                &format!(
                    "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is \
                     the client secret value, not the client secret ID, for a secret added to app '{client_id}'.\r\n\
                     Trace ID: 1d2e\r\nCorrelation ID: 3f4a\r\nTimestamp: 2026-11-20 14:00:00Z"
                ),
                &[7000215],
            ))
        }
        (ClientCredential::Certificate { public_key, x5t }, None, Some(assertion))
            if form.get("client_assertion_type").map(String::as_str) == Some(ASSERTION_TYPE) =>
        {
            let header = jsonwebtoken::decode_header(assertion).ok();
            let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
            validation.set_audience(&[s.token_url()]);
            validation.set_issuer(&[client_id.as_str()]);
            validation.sub = Some(client_id.clone());
            let signed = jsonwebtoken::DecodingKey::from_rsa_pem(public_key.as_bytes())
                .ok()
                .and_then(|key| {
                    jsonwebtoken::decode::<serde_json::Value>(assertion, &key, &validation).ok()
                });
            if signed.is_none() || header.and_then(|h| h.x5t).as_deref() != Some(x5t.as_str()) {
                return Err(oauth_error(
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    "AADSTS700027: The certificate with identifier used to sign the client assertion is not \
                     registered on application.",
                    &[700027],
                ));
            }
        }
        _ => {
            return Err(oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or \
                 'client_secret'.",
                &[7000218],
            ))
        }
    }
    if !client.enabled {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            &format!(
                "AADSTS7000112: Application '{client_id}'(triaje) is disabled.\r\nTrace ID: 9a8b\r\n\
                 Correlation ID: 7c6d\r\nTimestamp: 2026-11-20 14:00:00Z"
            ),
            &[7000112],
        ));
    }
    if form.get("scope").map(String::as_str) != Some("https://outlook.office365.com/.default") {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "AADSTS1002012: The provided value for scope is not valid. Client credential flows must have a scope \
             value with /.default suffixed to the resource identifier (application ID URI).",
            &[1002012],
        ));
    }
    let mailbox = client.granted_mailbox.clone();
    Ok(s.issue(&client_id, mailbox, false))
}

fn service_account_grant(
    s: &mut ProviderState,
    form: &HashMap<String, String>,
) -> Result<Response, Response> {
    let assertion = form.get("assertion").cloned().unwrap_or_default();
    let invalid_signature = || {
        oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Invalid JWT Signature.",
            &[],
        )
    };
    // Who signed it is in the claims: read them first to find the key, then verify with it.
    let claims: serde_json::Value = assertion
        .split('.')
        .nth(1)
        .and_then(|p| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p)
                .ok()
        })
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(invalid_signature)?;
    let issuer = claims["iss"].as_str().unwrap_or_default().to_string();
    let Some(account) = s.service_accounts.get(&issuer) else {
        return Err(oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "The OAuth client was not found.",
            &[],
        ));
    };
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[s.token_url()]);
    validation.set_issuer(&[issuer.as_str()]);
    jsonwebtoken::DecodingKey::from_rsa_pem(account.public_key.as_bytes())
        .ok()
        .and_then(|key| {
            jsonwebtoken::decode::<serde_json::Value>(&assertion, &key, &validation).ok()
        })
        .ok_or_else(invalid_signature)?;
    let subject = claims["sub"].as_str().unwrap_or_default().to_string();
    if !s.users.contains(&subject) {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Invalid email or User ID",
            &[],
        ));
    }
    if !account.delegated || claims["scope"].as_str() != Some("https://mail.google.com/") {
        return Err(oauth_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized_client",
            "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any \
             of the scopes requested.",
            &[],
        ));
    }
    Ok(s.issue(&issuer, Some(subject), false))
}

fn refresh(s: &mut ProviderState, form: &HashMap<String, String>) -> Result<Response, Response> {
    let given = form.get("refresh_token").cloned().unwrap_or_default();
    let client_id = form.get("client_id").cloned().unwrap_or_default();
    let spent = || {
        oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Token has been expired or revoked.",
            &[],
        )
    };
    let Some(old) = s.refresh_tokens.get_mut(&given) else {
        return Err(spent());
    };
    if old.revoked || old.client_id != client_id {
        return Err(spent());
    }
    // Rotation: the token just used is spent.
    old.revoked = true;
    let user = old.username.clone();
    Ok(s.issue(&client_id, Some(user), true))
}

async fn device_authorization(
    State(state): State<Shared>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut s = state.lock().unwrap();
    let client_id = form.get("client_id").cloned().unwrap_or_default();
    if !s.clients.contains_key(&client_id) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            "Unknown client.",
            &[],
        );
    }
    let device_code = s.fresh("dc");
    let user_code = format!("TRJ-{:04}", s.counter);
    s.device_codes.insert(
        device_code.clone(),
        DeviceCode {
            client_id,
            user_code: user_code.clone(),
            approved_for: None,
            used: false,
        },
    );
    let verification_uri = format!("http://127.0.0.1:{}/device", s.port);
    json_response(
        StatusCode::OK,
        json!({
            "device_code": device_code,
            "user_code": user_code,
            "verification_uri": verification_uri,
            "expires_in": 300,
            "interval": 1,
            "message": format!("To sign in, open {verification_uri} and enter the code {user_code}."),
        }),
    )
}

fn device_token(
    s: &mut ProviderState,
    form: &HashMap<String, String>,
) -> Result<Response, Response> {
    let code = form.get("device_code").cloned().unwrap_or_default();
    let Some(device) = s.device_codes.get_mut(&code) else {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "expired_token",
            "The device code expired.",
            &[],
        ));
    };
    if device.used {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The device code was already used.",
            &[],
        ));
    }
    let Some(user) = device.approved_for.clone() else {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "authorization_pending",
            "The user has not yet completed authorization.",
            &[],
        ));
    };
    device.used = true;
    let client_id = device.client_id.clone();
    Ok(s.issue(&client_id, Some(user), true))
}

async fn introspect(
    State(state): State<Shared>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let s = state.lock().unwrap();
    let token = form.get("token").cloned().unwrap_or_default();
    let body = match s.access_tokens.get(&token) {
        Some(t) if !t.revoked && SystemTime::now() < t.expires_at => {
            let exp = t.expires_at.duration_since(UNIX_EPOCH).unwrap().as_secs();
            let mut body = json!({"active": true, "client_id": t.client_id, "exp": exp, "token_type": "Bearer"});
            if let Some(user) = &t.username {
                body["username"] = json!(user);
            }
            body
        }
        _ => json!({"active": false}),
    };
    json_response(StatusCode::OK, body)
}

/// An RSA key and a self-signed certificate for it (Debian's `openssl`), as an administrator makes them to
/// upload to Entra ID or as Google generates for a service account.
pub struct RsaKey {
    /// The private key, PKCS#8 PEM.
    pub key: PathBuf,
    /// The self-signed certificate, PEM.
    pub certificate: PathBuf,
    /// The public key, PEM (what the provider keeps).
    pub public_key: String,
    /// The certificate's SHA-1 thumbprint, base64url (Entra ID's `x5t`).
    pub x5t: String,
}

impl RsaKey {
    /// Makes the key and its certificate in `dir`, named `name.key`, `name.pem`.
    pub fn new(dir: &Path, name: &str) -> RsaKey {
        let key = dir.join(format!("{name}.key"));
        let certificate = dir.join(format!("{name}.pem"));
        let run = |args: &[&str]| {
            let out = Command::new("openssl")
                .current_dir(dir)
                .args(args)
                .stdin(Stdio::null())
                .output()
                .expect("openssl runs");
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        run(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.pem"),
            "-days",
            "2",
            "-subj",
            "/CN=triaje",
        ]);
        let public_key = String::from_utf8(run(&[
            "x509",
            "-in",
            &format!("{name}.pem"),
            "-pubkey",
            "-noout",
        ]))
        .unwrap();
        let pem = std::fs::read(&certificate).unwrap();
        let der = rustls_pemfile::certs(&mut pem.as_slice())
            .next()
            .unwrap()
            .unwrap();
        let sha1 = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, der.as_ref());
        RsaKey {
            key,
            certificate,
            public_key,
            x5t: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha1.as_ref()),
        }
    }

    /// A service account's JSON key file, as Google's console downloads it, naming `token_uri`.
    pub fn service_account_file(&self, dir: &Path, client_email: &str, token_uri: &str) -> PathBuf {
        let path = dir.join("cuenta-de-servicio.json");
        let body = json!({
            "type": "service_account",
            "project_id": "entidad-triaje",
            "private_key_id": "3f2a9c",
            "private_key": std::fs::read_to_string(&self.key).unwrap(),
            "client_email": client_email,
            "client_id": "109876543210987654321",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": token_uri,
        });
        std::fs::write(&path, serde_json::to_string_pretty(&body).unwrap()).unwrap();
        path
    }
}
