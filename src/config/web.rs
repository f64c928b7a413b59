//! `[web]`: the survey's web server — where it listens, the address citizens reach it at, and the key that
//! signs the survey links. The whole section is optional: without it no server runs.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{ConfigError, Secret};

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
}

fn default_bind() -> toml::Spanned<String> {
    toml::Spanned::new(0..0, "127.0.0.1:8080".into())
}
fn default_public_url() -> toml::Spanned<String> {
    toml::Spanned::new(0..0, "http://127.0.0.1:8080".into())
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
        Ok(WebSettings {
            bind,
            public_url: public_url.to_string(),
            survey_key,
            survey_valid_days: days,
        })
    }
}
