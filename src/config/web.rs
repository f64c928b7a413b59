//! `[web]`: the survey's web server — where it listens, the address citizens reach it at, the key that
//! signs the survey links, and the coordinator's dashboard login. The whole section is optional: without it
//! no server runs. Without a dashboard password the dashboard is off (its pages answer 404).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{ConfigError, Secret};

/// The shortest dashboard password accepted, in characters.
const MIN_PASSWORD_CHARS: usize = 12;

/// The shortest survey key accepted, in characters (the link's seal is as strong as the key).
const MIN_KEY_CHARS: usize = 32;

/// The survey's web server, validated.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// Address and port the server listens on.
    pub bind: SocketAddr,
    /// The address citizens open, without a trailing `/`: survey links are `{public_url}/encuesta/…`.
    pub public_url: String,
    /// The key that signs survey links (at least 32 characters). Empty for commands that never use it.
    pub survey_key: Secret,
    /// Days a survey link keeps working after the reply is sent.
    pub survey_valid_days: u32,
    /// The coordinator's dashboard login; `None` (no password configured) turns the dashboard off.
    pub dashboard: Option<DashboardLogin>,
}

/// Who may open the read-only dashboard (`/panel`).
#[derive(Debug, Clone)]
pub struct DashboardLogin {
    /// The user name typed on the login form.
    pub user: String,
    /// The password (at least 12 characters), from an environment variable or a file.
    pub password: Secret,
}

/// `[web]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWeb {
    #[serde(default = "default_bind")]
    bind: toml::Spanned<String>,
    #[serde(default = "default_public_url")]
    public_url: toml::Spanned<String>,
    survey_key_env: Option<String>,
    survey_key_file: Option<PathBuf>,
    #[serde(default = "default_valid_days")]
    survey_valid_days: toml::Spanned<u32>,
    #[serde(default = "default_dashboard_user")]
    dashboard_user: toml::Spanned<String>,
    dashboard_password_env: Option<toml::Spanned<String>>,
    dashboard_password_file: Option<toml::Spanned<PathBuf>>,
}

fn default_bind() -> toml::Spanned<String> {
    toml::Spanned::new(0..0, "127.0.0.1:8080".into())
}
fn default_public_url() -> toml::Spanned<String> {
    toml::Spanned::new(0..0, "http://127.0.0.1:8080".into())
}
fn default_dashboard_user() -> toml::Spanned<String> {
    toml::Spanned::new(0..0, "coordinador".into())
}
fn default_valid_days() -> toml::Spanned<u32> {
    toml::Spanned::new(0..0, 30)
}

impl RawWeb {
    /// Checks every value; reads the key only when `secrets` is true.
    pub(super) fn validate(
        self,
        origin: &str,
        text: &str,
        base: &Path,
        secrets: bool,
    ) -> Result<WebSettings, ConfigError> {
        let at = |span, msg: String| ConfigError::at(origin, text, span, msg);
        let bind = self.bind.get_ref().trim().parse().map_err(|_| {
            at(
                self.bind.span(),
                format!(
                    "[web] bind «{}» no es una dirección válida; escriba IP:puerto, por ejemplo \
                     127.0.0.1:8080",
                    self.bind.get_ref()
                ),
            )
        })?;
        let public_url = self.public_url.get_ref().trim().trim_end_matches('/');
        let host = public_url
            .strip_prefix("https://")
            .or_else(|| public_url.strip_prefix("http://"))
            .unwrap_or("");
        let host_ok = !host.is_empty()
            && !host.contains(['?', '#', ' ', '"', '<', '>'])
            && !host.starts_with('/');
        if !host_ok {
            return Err(at(
                self.public_url.span(),
                format!(
                    "[web] public_url «{}» debe ser una dirección http:// o https:// completa, por ejemplo \
                     https://atencion.osce.gob.pe (sin ? ni #)",
                    self.public_url.get_ref()
                ),
            ));
        }
        let days = *self.survey_valid_days.get_ref();
        if !(1..=366).contains(&days) {
            return Err(at(
                self.survey_valid_days.span(),
                format!("[web] survey_valid_days debe estar entre 1 y 366 (es {days})"),
            ));
        }
        let survey_key = match (self.survey_key_env, self.survey_key_file) {
            _ if !secrets => Secret::new(String::new()),
            (Some(_), Some(_)) => {
                return Err(ConfigError::Secret(format!(
                    "{origin}: [web] define la clave de la encuesta dos veces; use solo survey_key_env \
                     o survey_key_file"
                )))
            }
            (None, file) => {
                let file = file.ok_or_else(|| {
                    ConfigError::Secret(format!(
                        "{origin}: [web] no tiene clave para firmar los enlaces de la encuesta: agregue \
                         survey_key_env = \"TRIAJE_SURVEY_KEY\" o survey_key_file = \"/ruta/archivo\""
                    ))
                })?;
                let file = if file.is_absolute() {
                    file
                } else {
                    base.join(file)
                };
                Secret::from_file(&file).map_err(|e| {
                    ConfigError::Secret(format!("{origin}: [web] clave de la encuesta: {e}"))
                })?
            }
            (Some(var), None) => Secret::from_env(&var).map_err(|e| {
                ConfigError::Secret(format!("{origin}: [web] clave de la encuesta: {e}"))
            })?,
        };
        if secrets && survey_key.expose().chars().count() < MIN_KEY_CHARS {
            return Err(ConfigError::Secret(format!(
                "{origin}: [web] la clave de la encuesta es demasiado corta ({} caracteres): debe tener al \
                 menos {MIN_KEY_CHARS}; genere una con `openssl rand -base64 48`",
                survey_key.expose().chars().count()
            )));
        }
        let user = self.dashboard_user.get_ref().trim().to_string();
        if user.is_empty() || user.len() > 64 || user.chars().any(char::is_control) {
            return Err(at(
                self.dashboard_user.span(),
                "[web] dashboard_user debe tener entre 1 y 64 caracteres, sin caracteres de control"
                    .to_string(),
            ));
        }
        let password = match (self.dashboard_password_env, self.dashboard_password_file) {
            (Some(_), Some(file)) => return Err(at(
                file.span(),
                "[web] define la contraseña del panel dos veces; use solo dashboard_password_env \
                     o dashboard_password_file"
                    .to_string(),
            )),
            _ if !secrets => None,
            (None, None) => None,
            (Some(var), None) => Some(
                Secret::from_env(var.get_ref())
                    .map_err(|e| at(var.span(), format!("[web] contraseña del panel: {e}")))?,
            ),
            (None, Some(file)) => {
                let span = file.span();
                let file = file.into_inner();
                let file = if file.is_absolute() {
                    file
                } else {
                    base.join(file)
                };
                Some(
                    Secret::from_file(&file)
                        .map_err(|e| at(span, format!("[web] contraseña del panel: {e}")))?,
                )
            }
        };
        if let Some(password) = &password {
            let chars = password.expose().chars().count();
            if chars < MIN_PASSWORD_CHARS {
                return Err(ConfigError::Secret(format!(
                    "{origin}: [web] la contraseña del panel es demasiado corta ({chars} caracteres): debe \
                     tener al menos {MIN_PASSWORD_CHARS}; genere una con `openssl rand -base64 18`"
                )));
            }
        }
        Ok(WebSettings {
            bind,
            public_url: public_url.to_string(),
            survey_key,
            survey_valid_days: days,
            dashboard: password.map(|password| DashboardLogin { user, password }),
        })
    }
}
