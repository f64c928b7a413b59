//! OAuth 2.0 logins: `auth = "oauth2"` in `[mailbox.imap]` / `[mailbox.smtp]`, and where the access tokens come
//! from (`[mailbox.oauth]`, or a shared `[oauth.NAME]` that several mailboxes name with `shared = "NAME"`).
//!
//! Three token sources, the ones agencies' mail actually needs:
//! - `provider = "microsoft"`: Microsoft 365 app-only (client credentials), with a client secret or a certificate
//!   (a JWT client assertion signed with the certificate's key);
//! - `provider = "google"`: a Google Workspace service account with domain-wide delegation (a JWT signed with the
//!   JSON key's RSA key, the mailbox as subject);
//! - `provider = "refresh_token"`: any provider, with a refresh token in a file that triaje rewrites when the
//!   provider rotates it (obtained once with `triaje oauth login`, the device-authorization grant).
//!
//! Loading reads the key files and checks them (a key that cannot sign is refused at start, not at the first
//! token); it never talks to the provider.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use serde::Deserialize;
use toml::Spanned;

use super::mailbox::is_loopback;
use super::secret::warn_if_world_readable;
use super::{ConfigError, Secret};

/// Microsoft's scope for IMAP and SMTP with app-only tokens (`IMAP.AccessAsApp`, `SMTP.SendAsApp`).
pub const MICROSOFT_SCOPE: &str = "https://outlook.office365.com/.default";
/// Google's scope for IMAP and SMTP (the only one Gmail's IMAP and SMTP accept).
pub const GOOGLE_SCOPE: &str = "https://mail.google.com/";
/// Google's token endpoint, when the key file does not name one.
const GOOGLE_TOKEN_URL: &str = "https://oauth2.googleapis.com/token";

/// How triaje proves who it is to an IMAP or SMTP server.
#[derive(Debug, Clone)]
pub enum Login {
    /// A password (`LOGIN`, `AUTH PLAIN`/`LOGIN`).
    Password(Secret),
    /// An OAuth 2.0 access token from `source`, sent with a SASL mechanism the server offers.
    OAuth2 {
        /// Where the tokens come from.
        source: Arc<OAuthSource>,
        /// Which SASL mechanism to use.
        mechanism: SaslChoice,
    },
}

impl Login {
    /// The OAuth source, when this login uses one.
    pub fn oauth(&self) -> Option<&Arc<OAuthSource>> {
        match self {
            Login::OAuth2 { source, .. } => Some(source),
            Login::Password(_) => None,
        }
    }
}

/// The SASL mechanism that carries the token (`mechanism` in `[mailbox.imap]` / `[mailbox.smtp]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaslChoice {
    /// OAUTHBEARER (RFC 7628) when the server offers it, else XOAUTH2. The default.
    Auto,
    /// Google's and Microsoft's XOAUTH2 only.
    XOAuth2,
    /// OAUTHBEARER (RFC 7628) only.
    OAuthBearer,
}

/// Who issues the tokens: decides the defaults and the advice given when the provider refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthProvider {
    /// Microsoft 365 / Entra ID, app-only.
    Microsoft,
    /// Google Workspace, service account with domain-wide delegation.
    Google,
    /// Any provider, from a refresh token.
    RefreshToken,
}

impl OAuthProvider {
    /// The provider's name as the administrator knows it.
    pub fn label(self) -> &'static str {
        match self {
            OAuthProvider::Microsoft => "Microsoft 365",
            OAuthProvider::Google => "Google Workspace",
            OAuthProvider::RefreshToken => "el proveedor OAuth",
        }
    }
}

/// A validated token source.
#[derive(Debug, Clone)]
pub struct OAuthSource {
    /// `[oauth.NAME]`'s NAME, or the mailbox's name for a `[mailbox.oauth]`: names it in logs and errors.
    pub name: String,
    /// Who issues the tokens.
    pub provider: OAuthProvider,
    /// The token endpoint (`https://`, or `http://` on loopback only).
    pub token_url: String,
    /// The scope asked for; `None` asks for none (a refresh token keeps the scope it was granted).
    pub scope: Option<String>,
    /// Extra CA certificates (PEM) to trust for the token endpoint besides the public roots.
    pub ca_file: Option<PathBuf>,
    /// How triaje asks for a token.
    pub grant: OAuthGrant,
}

/// How triaje asks the token endpoint for an access token.
#[derive(Debug, Clone)]
pub enum OAuthGrant {
    /// Client credentials with a client secret (Microsoft app-only).
    ClientSecret {
        /// The application (client) id.
        client_id: String,
        /// The client secret's value.
        secret: Secret,
    },
    /// Client credentials with a certificate: a JWT client assertion (RFC 7523) signed with its key.
    ClientCertificate {
        /// The application (client) id.
        client_id: String,
        /// The certificate's RSA private key, PEM.
        private_key: Secret,
        /// SHA-1 thumbprint of the certificate (base64url), the JWT's `x5t`.
        thumbprint_sha1: String,
        /// SHA-256 thumbprint of the certificate (base64url), the JWT's `x5t#S256`.
        thumbprint_sha256: String,
    },
    /// A service account's JWT-bearer grant (RFC 7523), the mailbox as subject (Google domain-wide delegation).
    ServiceAccount {
        /// The service account's address (`client_email`), the JWT's issuer.
        client_email: String,
        /// Its RSA private key, PEM.
        private_key: Secret,
        /// The key's id (`private_key_id`), the JWT's `kid`.
        key_id: Option<String>,
    },
    /// A refresh token kept in a file (rewritten atomically when the provider rotates it).
    RefreshToken {
        /// The client id.
        client_id: String,
        /// The client secret, for confidential clients.
        client_secret: Option<Secret>,
        /// Where the refresh token lives.
        refresh_token_file: PathBuf,
        /// The device-authorization endpoint (RFC 8628) `triaje oauth login` uses, when the provider has one.
        device_authorization_url: Option<String>,
    },
}

impl OAuthGrant {
    /// The client id the provider knows the application by.
    pub fn client_id(&self) -> &str {
        match self {
            OAuthGrant::ClientSecret { client_id, .. }
            | OAuthGrant::ClientCertificate { client_id, .. }
            | OAuthGrant::RefreshToken { client_id, .. } => client_id,
            OAuthGrant::ServiceAccount { client_email, .. } => client_email,
        }
    }
}

/// `[mailbox.oauth]` or `[oauth.NAME]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOAuth {
    shared: Option<Spanned<String>>,
    provider: Option<Spanned<String>>,
    tenant: Option<Spanned<String>>,
    client_id: Option<Spanned<String>>,
    client_secret_env: Option<Spanned<String>>,
    client_secret_file: Option<Spanned<PathBuf>>,
    certificate_file: Option<Spanned<PathBuf>>,
    private_key_file: Option<Spanned<PathBuf>>,
    service_account_file: Option<Spanned<PathBuf>>,
    refresh_token_file: Option<Spanned<PathBuf>>,
    token_url: Option<Spanned<String>>,
    device_authorization_url: Option<Spanned<String>>,
    scope: Option<Spanned<String>>,
    ca_file: Option<PathBuf>,
}

/// Where the configuration text is, to point errors at it, and whether secrets are read.
pub(super) struct Place<'a> {
    pub origin: &'a str,
    pub text: &'a str,
    pub base: &'a Path,
    pub secrets: bool,
}

impl Place<'_> {
    fn at(&self, span: std::ops::Range<usize>, message: String) -> ConfigError {
        ConfigError::at(self.origin, self.text, span, message)
    }

    fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base.join(p)
        }
    }
}

/// Validates every `[oauth.NAME]`.
pub(super) fn validate_shared(
    raw: HashMap<String, Spanned<RawOAuth>>,
    place: &Place<'_>,
) -> Result<HashMap<String, Arc<OAuthSource>>, ConfigError> {
    let mut out = HashMap::new();
    for (name, section) in raw {
        let span = section.span();
        let section = section.into_inner();
        if let Some(shared) = &section.shared {
            return Err(place.at(
                shared.span(),
                format!("[oauth.{name}] no puede usar shared: esa clave es para [mailbox.oauth]"),
            ));
        }
        let source = section.validate(&name, span, place)?;
        out.insert(name, Arc::new(source));
    }
    Ok(out)
}

/// Validates a mailbox's `[mailbox.oauth]`: either `shared = "NAME"` naming an `[oauth.NAME]`, or a source of
/// its own.
pub(super) fn validate_mailbox_source(
    raw: Spanned<RawOAuth>,
    mailbox: &str,
    shared: &HashMap<String, Arc<OAuthSource>>,
    place: &Place<'_>,
) -> Result<Arc<OAuthSource>, ConfigError> {
    let span = raw.span();
    let raw = raw.into_inner();
    match &raw.shared {
        Some(name) => {
            let others = raw.provider.is_some()
                || raw.tenant.is_some()
                || raw.client_id.is_some()
                || raw.client_secret_env.is_some()
                || raw.client_secret_file.is_some()
                || raw.certificate_file.is_some()
                || raw.private_key_file.is_some()
                || raw.service_account_file.is_some()
                || raw.refresh_token_file.is_some()
                || raw.token_url.is_some()
                || raw.device_authorization_url.is_some()
                || raw.scope.is_some()
                || raw.ca_file.is_some();
            if others {
                return Err(place.at(
                    name.span(),
                    format!(
                        "[mailbox.oauth] del buzón «{mailbox}» usa shared = \"{}\" y además otras claves: con \
                         shared todo se toma de [oauth.{}]; quite las demás claves o quite shared",
                        name.get_ref(),
                        name.get_ref()
                    ),
                ));
            }
            shared.get(name.get_ref().trim()).cloned().ok_or_else(|| {
                let mut names: Vec<&str> = shared.keys().map(String::as_str).collect();
                names.sort_unstable();
                place.at(
                    name.span(),
                    format!(
                        "no hay una sección [oauth.{}]{}",
                        name.get_ref(),
                        if names.is_empty() {
                            String::new()
                        } else {
                            format!("; las definidas son: {}", names.join(", "))
                        }
                    ),
                )
            })
        }
        None => Ok(Arc::new(raw.validate(mailbox, span, place)?)),
    }
}

impl RawOAuth {
    fn validate(
        self,
        name: &str,
        span: std::ops::Range<usize>,
        place: &Place<'_>,
    ) -> Result<OAuthSource, ConfigError> {
        let Some(provider_value) = &self.provider else {
            return Err(place.at(
                span,
                format!(
                    "falta provider en la fuente OAuth «{name}»: escriba provider = \"microsoft\", \"google\" \
                     o \"refresh_token\""
                ),
            ));
        };
        let provider = match provider_value.get_ref().trim() {
            "microsoft" => OAuthProvider::Microsoft,
            "google" => OAuthProvider::Google,
            "refresh_token" => OAuthProvider::RefreshToken,
            other => {
                return Err(place.at(
                    provider_value.span(),
                    format!(
                        "provider = \"{other}\" no se conoce: use \"microsoft\" (Microsoft 365, aplicación sin \
                         usuario), \"google\" (Google Workspace, cuenta de servicio) o \"refresh_token\" \
                         (cualquier proveedor, con un token de actualización)"
                    ),
                ))
            }
        };
        // Keys that belong to another provider are refused: a forgotten key is better found now than never used.
        let foreign: &[(&str, bool)] = match provider {
            OAuthProvider::Microsoft => &[
                ("service_account_file", self.service_account_file.is_some()),
                ("refresh_token_file", self.refresh_token_file.is_some()),
                (
                    "device_authorization_url",
                    self.device_authorization_url.is_some(),
                ),
            ],
            OAuthProvider::Google => &[
                ("tenant", self.tenant.is_some()),
                ("client_id", self.client_id.is_some()),
                ("client_secret_env", self.client_secret_env.is_some()),
                ("client_secret_file", self.client_secret_file.is_some()),
                ("certificate_file", self.certificate_file.is_some()),
                ("private_key_file", self.private_key_file.is_some()),
                ("refresh_token_file", self.refresh_token_file.is_some()),
                (
                    "device_authorization_url",
                    self.device_authorization_url.is_some(),
                ),
            ],
            OAuthProvider::RefreshToken => &[
                ("tenant", self.tenant.is_some()),
                ("certificate_file", self.certificate_file.is_some()),
                ("private_key_file", self.private_key_file.is_some()),
                ("service_account_file", self.service_account_file.is_some()),
            ],
        };
        if let Some((key, _)) = foreign.iter().find(|(_, present)| *present) {
            return Err(place.at(
                provider_value.span(),
                format!(
                    "la fuente OAuth «{name}» con provider = \"{}\" no usa la clave {key}; quítela",
                    provider_value.get_ref().trim()
                ),
            ));
        }
        let url = |value: &Spanned<String>, what: &str| -> Result<String, ConfigError> {
            let url = value.get_ref().trim().to_string();
            check_url(&url)
                .map_err(|why| place.at(value.span(), format!("{what} «{url}»: {why}")))?;
            Ok(url)
        };
        let token_url = self
            .token_url
            .as_ref()
            .map(|u| url(u, "token_url"))
            .transpose()?;
        let device_authorization_url = self
            .device_authorization_url
            .as_ref()
            .map(|u| url(u, "device_authorization_url"))
            .transpose()?;
        let scope = self
            .scope
            .as_ref()
            .map(|s| s.get_ref().trim().to_string())
            .filter(|s| !s.is_empty());
        let ca_file = self.ca_file.as_deref().map(|p| place.resolve(p));
        let required = |value: &Option<Spanned<String>>, key: &str, example: &str| match value
            .as_ref()
            .map(|v| v.get_ref().trim())
        {
            Some(v) if !v.is_empty() => Ok(v.to_string()),
            _ => Err(place.at(
                provider_value.span(),
                format!("falta {key} en la fuente OAuth «{name}»: escriba {key} = \"{example}\""),
            )),
        };
        let (token_url, scope, grant) = match provider {
            OAuthProvider::Microsoft => {
                let tenant = required(&self.tenant, "tenant", "entidad.onmicrosoft.com")?;
                let client_id = required(
                    &self.client_id,
                    "client_id",
                    "00000000-0000-0000-0000-000000000000",
                )?;
                let token_url = token_url.unwrap_or_else(|| {
                    format!("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token")
                });
                let grant = self.microsoft_grant(name, client_id, provider_value, place)?;
                (
                    token_url,
                    Some(scope.unwrap_or_else(|| MICROSOFT_SCOPE.into())),
                    grant,
                )
            }
            OAuthProvider::Google => {
                let file = self.service_account_file.as_ref().ok_or_else(|| {
                    place.at(
                        provider_value.span(),
                        format!(
                            "falta service_account_file en la fuente OAuth «{name}»: el archivo JSON de la \
                             clave de la cuenta de servicio (service_account_file = \"/etc/triaje/google.json\")"
                        ),
                    )
                })?;
                let path = place.resolve(file.get_ref());
                let (grant, key_token_url) = if place.secrets {
                    service_account(&path, name)?
                } else {
                    (
                        OAuthGrant::ServiceAccount {
                            client_email: String::new(),
                            private_key: Secret::new(String::new()),
                            key_id: None,
                        },
                        None,
                    )
                };
                let token_url = token_url
                    .or(key_token_url)
                    .unwrap_or_else(|| GOOGLE_TOKEN_URL.into());
                (
                    token_url,
                    Some(scope.unwrap_or_else(|| GOOGLE_SCOPE.into())),
                    grant,
                )
            }
            OAuthProvider::RefreshToken => {
                let token_url = token_url.ok_or_else(|| {
                    place.at(
                        provider_value.span(),
                        format!(
                            "falta token_url en la fuente OAuth «{name}»: la dirección del punto de emisión de \
                             tokens del proveedor (token_url = \"https://…/token\")"
                        ),
                    )
                })?;
                let client_id = required(&self.client_id, "client_id", "id-de-la-aplicación")?;
                let file = self.refresh_token_file.as_ref().ok_or_else(|| {
                    place.at(
                        provider_value.span(),
                        format!(
                            "falta refresh_token_file en la fuente OAuth «{name}»: el archivo donde triaje guarda \
                             el token de actualización (refresh_token_file = \"/var/lib/triaje/consultas.token\"); \
                             «triaje oauth login» lo crea"
                        ),
                    )
                })?;
                let client_secret = self.client_secret(name, place)?;
                let grant = OAuthGrant::RefreshToken {
                    client_id,
                    client_secret,
                    refresh_token_file: place.resolve(file.get_ref()),
                    device_authorization_url,
                };
                (token_url, scope, grant)
            }
        };
        Ok(OAuthSource {
            name: name.to_string(),
            provider,
            token_url,
            scope,
            ca_file,
            grant,
        })
    }

    /// The client secret, from `client_secret_env` or `client_secret_file`; `None` when neither is given.
    fn client_secret(&self, name: &str, place: &Place<'_>) -> Result<Option<Secret>, ConfigError> {
        match (&self.client_secret_env, &self.client_secret_file) {
            (Some(env), Some(_)) => Err(place.at(
                env.span(),
                format!(
                    "la fuente OAuth «{name}» define el secreto del cliente dos veces; use solo \
                     client_secret_env o client_secret_file"
                ),
            )),
            (None, None) => Ok(None),
            _ if !place.secrets => Ok(Some(Secret::new(String::new()))),
            (Some(env), None) => Secret::from_env(env.get_ref().trim())
                .map(Some)
                .map_err(|e| {
                    ConfigError::Secret(format!("{}: fuente OAuth «{name}»: {e}", place.origin))
                }),
            (None, Some(file)) => Secret::from_file(&place.resolve(file.get_ref()))
                .map(Some)
                .map_err(|e| {
                    ConfigError::Secret(format!("{}: fuente OAuth «{name}»: {e}", place.origin))
                }),
        }
    }

    /// Microsoft's grant: a secret, or a certificate (with its key in the same file or in `private_key_file`).
    fn microsoft_grant(
        &self,
        name: &str,
        client_id: String,
        provider_value: &Spanned<String>,
        place: &Place<'_>,
    ) -> Result<OAuthGrant, ConfigError> {
        let secret_given = self.client_secret_env.is_some() || self.client_secret_file.is_some();
        match (&self.certificate_file, secret_given) {
            (Some(cert), true) => Err(place.at(
                cert.span(),
                format!(
                    "la fuente OAuth «{name}» tiene secreto y certificado: Microsoft acepta uno de los dos; \
                     quite client_secret_* o certificate_file"
                ),
            )),
            (Some(cert), false) => {
                let cert_path = place.resolve(cert.get_ref());
                let key_path = self
                    .private_key_file
                    .as_ref()
                    .map(|k| place.resolve(k.get_ref()))
                    .unwrap_or_else(|| cert_path.clone());
                if !place.secrets {
                    return Ok(OAuthGrant::ClientCertificate {
                        client_id,
                        private_key: Secret::new(String::new()),
                        thumbprint_sha1: String::new(),
                        thumbprint_sha256: String::new(),
                    });
                }
                let (thumbprint_sha1, thumbprint_sha256) = certificate_thumbprints(&cert_path)
                    .map_err(|e| ConfigError::Secret(format!("{}: fuente OAuth «{name}»: {e}", place.origin)))?;
                let private_key = rsa_key_from_file(&key_path)
                    .map_err(|e| ConfigError::Secret(format!("{}: fuente OAuth «{name}»: {e}", place.origin)))?;
                Ok(OAuthGrant::ClientCertificate {
                    client_id,
                    private_key,
                    thumbprint_sha1,
                    thumbprint_sha256,
                })
            }
            (None, _) => {
                if let Some(key) = &self.private_key_file {
                    return Err(place.at(
                        key.span(),
                        format!(
                            "la fuente OAuth «{name}» tiene private_key_file sin certificate_file: agregue el \
                             certificado que registró en Entra ID"
                        ),
                    ));
                }
                match self.client_secret(name, place)? {
                    Some(secret) => Ok(OAuthGrant::ClientSecret { client_id, secret }),
                    None => Err(place.at(
                        provider_value.span(),
                        format!(
                            "la fuente OAuth «{name}» no tiene cómo identificarse ante Microsoft: agregue \
                             client_secret_file (o client_secret_env) con el secreto del cliente, o \
                             certificate_file con el certificado registrado en Entra ID y su clave privada"
                        ),
                    )),
                }
            }
        }
    }
}

/// A token endpoint address: `https://`, or `http://` only on this machine (a test provider, a local proxy).
fn check_url(url: &str) -> Result<(), String> {
    let rest = if let Some(rest) = url.strip_prefix("https://") {
        rest
    } else if let Some(rest) = url.strip_prefix("http://") {
        let host = host_of(rest);
        if !is_loopback(host) {
            return Err(format!(
                "sin cifrado (http://) solo se permite en esta misma máquina; use https://{rest}"
            ));
        }
        rest
    } else {
        return Err("debe empezar con https://".into());
    };
    if host_of(rest).is_empty() || url.contains(char::is_whitespace) {
        return Err("no es una dirección web válida".into());
    }
    Ok(())
}

/// The host of `host[:port]/path`, without brackets around an IPv6 address.
fn host_of(rest: &str) -> &str {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("");
    }
    authority.split(':').next().unwrap_or("")
}

/// A service account's JSON key file, as Google's console downloads it.
#[derive(Deserialize)]
struct ServiceAccountKey {
    #[serde(rename = "type")]
    kind: Option<String>,
    client_email: String,
    private_key: String,
    private_key_id: Option<String>,
    token_uri: Option<String>,
}

/// Reads a Google service account's key file: the grant and the token endpoint it names.
fn service_account(path: &Path, name: &str) -> Result<(OAuthGrant, Option<String>), ConfigError> {
    let fail = |why: String| {
        ConfigError::Secret(format!(
            "fuente OAuth «{name}»: el archivo de la cuenta de servicio {} {why}",
            path.display()
        ))
    };
    let text = std::fs::read_to_string(path).map_err(|e| fail(format!("no se pudo leer: {e}")))?;
    warn_if_world_readable(path);
    let key: ServiceAccountKey = serde_json::from_str(&text).map_err(|e| {
        fail(format!(
            "no es la clave JSON de una cuenta de servicio ({e}); descárguela en la consola de Google Cloud \
             (IAM → Cuentas de servicio → Claves → Agregar clave → JSON)"
        ))
    })?;
    if key.kind.as_deref().is_some_and(|k| k != "service_account") {
        return Err(fail(format!(
            "es de tipo «{}», no «service_account»",
            key.kind.unwrap_or_default()
        )));
    }
    jsonwebtoken::EncodingKey::from_rsa_pem(key.private_key.as_bytes()).map_err(|e| {
        fail(format!(
            "tiene una private_key que no es una clave RSA utilizable: {e}"
        ))
    })?;
    if let Some(url) = &key.token_uri {
        check_url(url)
            .map_err(|why| fail(format!("nombra un token_uri «{url}» inválido: {why}")))?;
    }
    Ok((
        OAuthGrant::ServiceAccount {
            client_email: key.client_email,
            private_key: Secret::new(key.private_key),
            key_id: key.private_key_id,
        },
        key.token_uri,
    ))
}

/// The SHA-1 and SHA-256 thumbprints (base64url, no padding) of the first certificate in a PEM file: how
/// Microsoft finds which of the application's certificates signed an assertion (`x5t`, `x5t#S256`).
fn certificate_thumbprints(path: &Path) -> Result<(String, String), String> {
    let pem = std::fs::read(path)
        .map_err(|e| format!("no se pudo leer el certificado {}: {e}", path.display()))?;
    let cert = rustls_pemfile::certs(&mut pem.as_slice())
        .next()
        .ok_or_else(|| {
            format!(
                "{} no contiene un certificado PEM (BEGIN CERTIFICATE)",
                path.display()
            )
        })?
        .map_err(|e| format!("el certificado {} no es PEM válido: {e}", path.display()))?;
    let sha1 = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, cert.as_ref());
    let sha256 = ring::digest::digest(&ring::digest::SHA256, cert.as_ref());
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    Ok((b64.encode(sha1.as_ref()), b64.encode(sha256.as_ref())))
}

/// The RSA private key in a PEM file (PKCS#1 or PKCS#8, alone or beside its certificate), as PEM text that
/// `jsonwebtoken` reads, checked to be usable for signing.
fn rsa_key_from_file(path: &Path) -> Result<Secret, String> {
    let pem = std::fs::read(path)
        .map_err(|e| format!("no se pudo leer la clave privada {}: {e}", path.display()))?;
    warn_if_world_readable(path);
    let key = rustls_pemfile::private_key(&mut pem.as_slice())
        .map_err(|e| format!("la clave privada en {} no es PEM válido: {e}", path.display()))?
        .ok_or_else(|| {
            format!(
                "{} no contiene una clave privada (BEGIN PRIVATE KEY o BEGIN RSA PRIVATE KEY); indíquela con \
                 private_key_file",
                path.display()
            )
        })?;
    let label = match &key {
        rustls::pki_types::PrivateKeyDer::Pkcs1(_) => "RSA PRIVATE KEY",
        rustls::pki_types::PrivateKeyDer::Pkcs8(_) => "PRIVATE KEY",
        _ => {
            return Err(format!(
                "la clave privada de {} no es RSA: Microsoft firma las aserciones con RSA (RS256)",
                path.display()
            ))
        }
    };
    let body = base64::engine::general_purpose::STANDARD.encode(key.secret_der());
    let mut text = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        text.push_str(&String::from_utf8_lossy(chunk));
        text.push('\n');
    }
    text.push_str(&format!("-----END {label}-----\n"));
    jsonwebtoken::EncodingKey::from_rsa_pem(text.as_bytes()).map_err(|e| {
        format!(
            "la clave privada de {} no es una clave RSA utilizable: {e}",
            path.display()
        )
    })?;
    Ok(Secret::new(text))
}

/// `auth` and `mechanism` of `[mailbox.imap]` / `[mailbox.smtp]`, checked.
pub(super) struct AuthKeys<'a> {
    /// `auth` as written.
    pub auth: &'a Option<Spanned<String>>,
    /// `mechanism` as written.
    pub mechanism: &'a Option<Spanned<String>>,
    /// `[mailbox.imap]` or `[mailbox.smtp]`, for messages.
    pub section: &'a str,
}

impl AuthKeys<'_> {
    /// `Some(mechanism)` for `auth = "oauth2"`, `None` for a password login; errors point at the value.
    pub(super) fn oauth(&self, place: &Place<'_>) -> Result<Option<SaslChoice>, ConfigError> {
        let oauth = match self.auth {
            None => false,
            Some(a) => match a.get_ref().trim() {
                "password" => false,
                "oauth2" => true,
                other => {
                    return Err(place.at(
                        a.span(),
                        format!(
                            "auth = \"{other}\" en {} no se conoce: use \"password\" (contraseña) u \"oauth2\" \
                             (Microsoft 365, Google Workspace)",
                            self.section
                        ),
                    ))
                }
            },
        };
        let mechanism = match self.mechanism {
            None => SaslChoice::Auto,
            Some(m) if !oauth => {
                return Err(place.at(
                    m.span(),
                    format!(
                        "mechanism en {} solo se usa con auth = \"oauth2\"",
                        self.section
                    ),
                ))
            }
            Some(m) => match m.get_ref().trim().to_ascii_lowercase().as_str() {
                "auto" => SaslChoice::Auto,
                "xoauth2" => SaslChoice::XOAuth2,
                "oauthbearer" => SaslChoice::OAuthBearer,
                other => {
                    return Err(place.at(
                        m.span(),
                        format!(
                            "mechanism = \"{other}\" no se conoce: use \"auto\" (el que ofrezca el servidor), \
                             \"xoauth2\" u \"oauthbearer\""
                        ),
                    ))
                }
            },
        };
        Ok(oauth.then_some(mechanism))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_endpoints_must_be_https_except_on_this_machine() {
        assert!(check_url("https://login.microsoftonline.com/x/oauth2/v2.0/token").is_ok());
        assert!(check_url("http://127.0.0.1:8080/token").is_ok());
        assert!(check_url("http://localhost/token").is_ok());
        assert!(check_url("http://[::1]:99/token").is_ok());
        let err = check_url("http://login.example.com/token").unwrap_err();
        assert!(err.contains("https://login.example.com/token"), "{err}");
        assert!(check_url("ftp://x").is_err());
        assert!(check_url("https:///token").is_err());
    }

    #[test]
    fn user_info_in_a_url_does_not_pass_for_a_loopback_host() {
        assert!(check_url("http://127.0.0.1@evil.example/token").is_err());
        assert_eq!(host_of("user@127.0.0.1:80/x"), "127.0.0.1");
    }
}

#[cfg(test)]
mod config_tests {
    use std::path::Path;

    use super::super::Config;
    use super::*;

    const MICROSOFT: &str = r#"
[[mailbox]]
name = "consultas"
address = "consultas@entidad.gob.pe"
[mailbox.imap]
host = "outlook.office365.com"
username = "consultas@entidad.gob.pe"
auth = "oauth2"
[mailbox.smtp]
host = "smtp.office365.com"
username = "consultas@entidad.gob.pe"
auth = "oauth2"
mechanism = "xoauth2"
[mailbox.oauth]
provider = "microsoft"
tenant = "entidad.onmicrosoft.com"
client_id = "11111111-2222-3333-4444-555555555555"
client_secret_file = "secreto.txt"
"#;

    fn load(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml_str_offline(text, "config.toml", Path::new("/etc/triaje"))
    }

    #[test]
    fn microsoft_app_only_gets_the_tenant_endpoint_and_exchange_scope() {
        let c = load(MICROSOFT).unwrap();
        let m = &c.mailboxes[0];
        let Login::OAuth2 { source, mechanism } = &m.imap.login else {
            panic!("IMAP should log in with OAuth");
        };
        assert_eq!(*mechanism, SaslChoice::Auto);
        assert_eq!(
            source.token_url,
            "https://login.microsoftonline.com/entidad.onmicrosoft.com/oauth2/v2.0/token"
        );
        assert_eq!(source.scope.as_deref(), Some(MICROSOFT_SCOPE));
        assert!(matches!(source.grant, OAuthGrant::ClientSecret { .. }));
        let (user, login) = m.smtp.as_ref().unwrap().credentials.as_ref().unwrap();
        assert_eq!(user, "consultas@entidad.gob.pe");
        assert!(matches!(
            login,
            Login::OAuth2 {
                mechanism: SaslChoice::XOAuth2,
                ..
            }
        ));
    }

    #[test]
    fn a_misspelled_oauth_key_is_reported_with_line_and_column() {
        let text = MICROSOFT.replace("tenant =", "tennant =");
        let err = load(&text).unwrap_err().to_string();
        assert!(
            err.starts_with("config.toml:16:1: clave desconocida"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_provider_points_at_its_value() {
        let text = MICROSOFT.replace("\"microsoft\"", "\"yahoo\"");
        let err = load(&text).unwrap_err().to_string();
        assert!(
            err.starts_with("config.toml:15:12: provider = \"yahoo\""),
            "{err}"
        );
    }

    #[test]
    fn oauth_without_a_token_source_says_what_to_add() {
        let text = MICROSOFT[..MICROSOFT.find("[mailbox.oauth]").unwrap()].to_string();
        let err = load(&text).unwrap_err().to_string();
        assert!(err.starts_with("config.toml:8:8:"), "{err}");
        assert!(err.contains("[mailbox.oauth]"), "{err}");
    }

    #[test]
    fn oauth_and_a_password_together_are_refused() {
        let text = MICROSOFT.replace(
            "auth = \"oauth2\"\n[mailbox.smtp]",
            "auth = \"oauth2\"\npassword_env = \"X\"\n[mailbox.smtp]",
        );
        let err = load(&text).unwrap_err().to_string();
        assert!(err.contains("quite password_env"), "{err}");
    }

    #[test]
    fn microsoft_needs_a_secret_or_a_certificate() {
        let text = MICROSOFT.replace("client_secret_file = \"secreto.txt\"\n", "");
        let err = load(&text).unwrap_err().to_string();
        assert!(err.contains("certificate_file"), "{err}");
        let text = MICROSOFT.replace(
            "client_secret_file = \"secreto.txt\"",
            "client_secret_file = \"s\"\ncertificate_file = \"c.pem\"",
        );
        let err = load(&text).unwrap_err().to_string();
        assert!(err.contains("secreto y certificado"), "{err}");
    }

    #[test]
    fn a_key_of_another_provider_is_refused() {
        let text = MICROSOFT.replace(
            "client_secret_file",
            "refresh_token_file = \"t\"\nclient_secret_file",
        );
        let err = load(&text).unwrap_err().to_string();
        assert!(err.contains("no usa la clave refresh_token_file"), "{err}");
    }

    #[test]
    fn a_plain_http_token_endpoint_elsewhere_is_refused() {
        let text = MICROSOFT.replace(
            "client_secret_file",
            "token_url = \"http://login.example.com/token\"\nclient_secret_file",
        );
        let err = load(&text).unwrap_err().to_string();
        assert!(err.starts_with("config.toml:18:13: token_url"), "{err}");
        assert!(err.contains("https://"), "{err}");
    }

    #[test]
    fn mailboxes_can_share_one_source() {
        let text = r#"
[oauth.entidad]
provider = "refresh_token"
token_url = "https://login.example.com/token"
device_authorization_url = "https://login.example.com/device"
client_id = "triaje"
refresh_token_file = "/var/lib/triaje/entidad.token"
scope = "imap smtp offline_access"

[[mailbox]]
name = "consultas"
address = "consultas@osce.test"
[mailbox.imap]
host = "imap.osce.test"
username = "consultas@osce.test"
auth = "oauth2"
mechanism = "oauthbearer"
[mailbox.oauth]
shared = "entidad"

[[mailbox]]
name = "contacto"
address = "contacto@osce.test"
[mailbox.imap]
host = "imap.osce.test"
username = "contacto@osce.test"
auth = "oauth2"
[mailbox.oauth]
shared = "entidad"
"#;
        let c = load(text).unwrap();
        let a = c.mailboxes[0].imap.login.oauth().unwrap();
        let b = c.mailboxes[1].imap.login.oauth().unwrap();
        assert!(Arc::ptr_eq(a, b));
        assert_eq!(a.name, "entidad");
        assert!(matches!(
            &a.grant,
            OAuthGrant::RefreshToken {
                device_authorization_url: Some(_),
                client_secret: None,
                ..
            }
        ));
        let err = load(&text.replacen("shared = \"entidad\"", "shared = \"otra\"", 1))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "config.toml:19:10: no hay una sección [oauth.otra]; las definidas son: entidad"
            ),
            "{err}"
        );
    }

    #[test]
    fn an_oauth_section_nobody_uses_is_pointed_out() {
        let text = MICROSOFT.replace("auth = \"oauth2\"\n", "");
        let text = text.replace("mechanism = \"xoauth2\"\n", "");
        let err = load(&text).unwrap_err().to_string();
        assert!(err.contains("ni [mailbox.imap] ni [mailbox.smtp]"), "{err}");
    }

    #[test]
    fn a_google_service_account_key_is_read_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let pem = "-----BEGIN PRIVATE KEY-----\nno es una clave\n-----END PRIVATE KEY-----\n";
        std::fs::write(
            dir.path().join("sa.json"),
            serde_json::json!({
                "type": "service_account",
                "client_email": "triaje@proyecto.iam.gserviceaccount.com",
                "private_key": pem,
                "private_key_id": "abc",
            })
            .to_string(),
        )
        .unwrap();
        let text = r#"
[[mailbox]]
name = "consultas"
address = "consultas@entidad.gob.pe"
[mailbox.imap]
host = "imap.gmail.com"
username = "consultas@entidad.gob.pe"
auth = "oauth2"
[mailbox.oauth]
provider = "google"
service_account_file = "sa.json"
"#;
        let err = Config::from_toml_str(text, "config.toml", dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("no es una clave RSA utilizable"), "{err}");
        let offline = Config::from_toml_str_offline(text, "config.toml", dir.path()).unwrap();
        let source = offline.mailboxes[0].imap.login.oauth().unwrap();
        assert_eq!(source.token_url, GOOGLE_TOKEN_URL);
        assert_eq!(source.scope.as_deref(), Some(GOOGLE_SCOPE));
    }
}
