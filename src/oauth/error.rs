//! Why there is no token, said so the administrator knows what to change and where.

use crate::config::{OAuthProvider, OAuthSource};

/// A token that could not be had.
#[derive(Debug, Clone, thiserror::Error)]
pub enum OAuthError {
    /// The provider answered and will not issue a token (wrong secret, consent missing, client disabled, refresh
    /// token revoked…). Retrying soon will not help: a person must change something.
    #[error("{label} no entregó un token de acceso para «{name}»: {code}{description}. {advice}")]
    Refused {
        /// The token source (`[oauth.NAME]` or the mailbox).
        name: String,
        /// Who refused, as the administrator knows it.
        label: &'static str,
        /// The provider's error code with its own number when it gives one (`invalid_client (AADSTS7000215)`).
        code: String,
        /// The provider's explanation (first line), with its separator, or empty.
        description: String,
        /// What to do, in Spanish.
        advice: String,
    },
    /// The token endpoint could not be reached or failed (network, TLS, timeout, a 5xx): worth retrying.
    #[error("no se pudo obtener un token de acceso para «{name}» de {url}: {reason}")]
    Unreachable {
        /// The token source.
        name: String,
        /// The endpoint.
        url: String,
        /// What happened.
        reason: String,
    },
    /// Something on this machine is missing or broken (the refresh token file, a key that does not sign).
    #[error("no se pudo obtener un token de acceso para «{name}»: {reason}")]
    Local {
        /// The token source.
        name: String,
        /// What is wrong and what to do.
        reason: String,
    },
}

impl OAuthError {
    /// True when only a person can fix it: the daemon waits long between attempts, as for a refused password.
    pub fn needs_the_administrator(&self) -> bool {
        matches!(self, OAuthError::Refused { .. } | OAuthError::Local { .. })
    }

    /// The refusal of `source`'s provider: `error` and `error_description` as the provider sent them, with the
    /// advice that fits.
    pub(crate) fn refused(
        source: &OAuthSource,
        error: &str,
        description: Option<&str>,
        error_codes: &[i64],
    ) -> OAuthError {
        // Microsoft's descriptions run on with «Trace ID: … Correlation ID: … Timestamp: …» lines: the first line
        // says it all.
        let first_line = description
            .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
            .unwrap_or("");
        let number = aadsts_number(first_line)
            .or_else(|| error_codes.first().map(|c| c.to_string()))
            .filter(|_| source.provider != OAuthProvider::Google);
        let code = match &number {
            Some(n) if !first_line.contains(&format!("AADSTS{n}")) => {
                format!("{error} (AADSTS{n})")
            }
            _ => error.to_string(),
        };
        OAuthError::Refused {
            name: source.name.clone(),
            label: source.provider.label(),
            code,
            description: if first_line.is_empty() {
                String::new()
            } else {
                format!(" — {}", shorten(first_line, 300))
            },
            advice: advice(source, error, number.as_deref(), first_line),
        }
    }
}

/// The number of an `AADSTS7000215: …` message.
fn aadsts_number(text: &str) -> Option<String> {
    let at = text.find("AADSTS")? + "AADSTS".len();
    let digits: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    (!digits.is_empty()).then_some(digits)
}

/// At most `max` characters, cut at a character boundary.
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// What the administrator must do about a refusal, by provider, error and (Microsoft) AADSTS number.
fn advice(source: &OAuthSource, error: &str, aadsts: Option<&str>, description: &str) -> String {
    let client_id = source.grant.client_id();
    let login_again = format!(
        "Obtenga un token nuevo con «triaje oauth login --mailbox BUZÓN» (la fuente «{}» lo guarda en su \
         refresh_token_file).",
        source.name
    );
    match (source.provider, aadsts) {
        (OAuthProvider::Microsoft, Some("7000215")) => "El secreto del cliente no es válido: en Entra ID → \
            Registros de aplicaciones → la aplicación → Certificados y secretos, copie el «Valor» (no el «Id. de \
            secreto») de un secreto vigente en client_secret_file."
            .into(),
        (OAuthProvider::Microsoft, Some("7000222")) => "El secreto del cliente venció: cree uno nuevo en Entra ID \
            → Registros de aplicaciones → la aplicación → Certificados y secretos, y póngalo en client_secret_file."
            .into(),
        (OAuthProvider::Microsoft, Some("700016")) => format!(
            "No existe una aplicación con client_id {client_id} en ese inquilino: revise client_id y tenant (el \
             «Id. de aplicación (cliente)» y el «Id. de directorio (inquilino)» de la página de información \
             general de la aplicación)."
        ),
        (OAuthProvider::Microsoft, Some("90002" | "900023" | "90023")) => {
            "El inquilino (tenant) no existe: escriba el «Id. de directorio (inquilino)» de Entra ID o el dominio \
             de la entidad (entidad.onmicrosoft.com)."
                .into()
        }
        (OAuthProvider::Microsoft, Some("700027" | "700023" | "7000274" | "700024")) => {
            "Microsoft no reconoce la firma: suba el certificado de certificate_file (la parte pública, .cer o \
             .pem) en Entra ID → la aplicación → Certificados y secretos → Certificados, y revise que la hora de \
             este servidor sea correcta."
                .into()
        }
        (OAuthProvider::Microsoft, Some("65001" | "650057" | "650052")) => "Falta el consentimiento del \
            administrador: en Entra ID → la aplicación → Permisos de API, agregue «Office 365 Exchange Online» → \
            Permisos de aplicación → IMAP.AccessAsApp (y SMTP.SendAsApp) y pulse «Conceder consentimiento de \
            administrador»."
            .into(),
        (OAuthProvider::Microsoft, Some("7000112" | "700025" | "7000110")) => format!(
            "La aplicación {client_id} está deshabilitada en el inquilino: habilítela en Entra ID → Aplicaciones \
             empresariales → la aplicación → Propiedades → «¿Habilitado para que los usuarios inicien sesión?» = Sí."
        ),
        (OAuthProvider::Microsoft, Some("500011" | "70011")) => format!(
            "El alcance pedido no sirve para esta aplicación: use scope = \"{}\" (o quítelo) y revise que Exchange \
             Online esté en los permisos de API.",
            crate::config::MICROSOFT_SCOPE
        ),
        (OAuthProvider::Microsoft, Some("53003")) => "Una directiva de acceso condicional bloquea a la \
            aplicación: exclúyala en Entra ID → Seguridad → Acceso condicional, o permita la IP de este servidor."
            .into(),
        (OAuthProvider::Google, _) if error == "unauthorized_client" => format!(
            "La cuenta de servicio no tiene delegación de dominio para el correo: en la Consola del administrador \
             de Google → Seguridad → Controles de acceso y de datos → Controles de API → Delegación de todo el \
             dominio, agregue el ID de cliente de la cuenta de servicio ({client_id} → su «ID único») con el \
             alcance {}.",
            crate::config::GOOGLE_SCOPE
        ),
        (OAuthProvider::Google, _)
            if error == "invalid_grant" && description.to_ascii_lowercase().contains("signature") =>
        {
            "Google no reconoce la firma: la clave de la cuenta de servicio fue eliminada o rotada; descargue una \
             clave JSON nueva y póngala en service_account_file."
                .into()
        }
        (OAuthProvider::Google, _) if error == "invalid_grant" => "Google rechazó la aserción: revise que el \
            buzón (username) sea un usuario existente del dominio de Google Workspace y que la hora de este \
            servidor sea correcta."
            .into(),
        (OAuthProvider::Google, _) if error == "invalid_client" => "La cuenta de servicio no existe o está \
            deshabilitada: revise service_account_file en la consola de Google Cloud (IAM → Cuentas de servicio)."
            .into(),
        (OAuthProvider::RefreshToken, _) | (OAuthProvider::Microsoft, _)
            if error == "invalid_grant" =>
        {
            format!("El token de actualización venció o fue revocado. {login_again}")
        }
        (_, _) if error == "invalid_client" => format!(
            "El proveedor no reconoce la aplicación {client_id} o su secreto: revise client_id y el secreto."
        ),
        (_, _) if error == "unauthorized_client" => format!(
            "La aplicación {client_id} no está autorizada para este tipo de acceso: revise sus permisos y que esté \
             habilitada en el proveedor."
        ),
        (_, _) if error == "invalid_scope" => {
            "El proveedor no acepta el alcance pedido: revise scope en la fuente OAuth.".into()
        }
        (_, _) if matches!(error, "consent_required" | "interaction_required" | "access_denied") => {
            format!("Falta autorizar el acceso. {login_again}")
        }
        (_, _) => "Revise la fuente OAuth en config.toml y la aplicación en la consola del proveedor.".into(),
    }
}

/// What to do when the mail server refuses a token the provider just issued: the token is valid, but the
/// mailbox was not granted to the application (or IMAP/SMTP is off for it).
pub fn advice_for_refused_login(source: &OAuthSource, account: &str, smtp: bool) -> String {
    let client_id = source.grant.client_id();
    match source.provider {
        OAuthProvider::Microsoft if smtp => format!(
            "Conceda el buzón a la aplicación en Exchange Online: New-ServicePrincipal -AppId {client_id} \
             -ObjectId <id del objeto de la aplicación empresarial> (una vez) y Add-MailboxPermission -Identity \
             {account} -User <id del objeto> -AccessRights FullAccess; revise que SMTP AUTH esté habilitado para el buzón (Set-CASMailbox -Identity {account} -SmtpClientAuthenticationDisabled \
             $false) y que la aplicación tenga SMTP.SendAsApp con consentimiento."
        ),
        OAuthProvider::Microsoft => format!(
            "Conceda el buzón a la aplicación en Exchange Online: New-ServicePrincipal -AppId {client_id} \
             -ObjectId <id del objeto de la aplicación empresarial> (una vez) y Add-MailboxPermission -Identity \
             {account} -User <id del objeto> -AccessRights FullAccess; revise que IMAP esté habilitado para el \
             buzón y que la aplicación tenga IMAP.AccessAsApp con consentimiento."
        ),
        OAuthProvider::Google => format!(
            "Revise que {account} tenga IMAP habilitado (Consola del administrador → Apps → Google Workspace → \
             Gmail → Acceso de usuario final) y que la delegación de dominio de la cuenta de servicio incluya el \
             alcance {}.",
            crate::config::GOOGLE_SCOPE
        ),
        OAuthProvider::RefreshToken => format!(
            "El token no da acceso a {account}: autorice de nuevo con «triaje oauth login --mailbox BUZÓN» \
             entrando como {account}, y revise que el alcance (scope) incluya IMAP y SMTP."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{OAuthGrant, Secret};

    fn source(provider: OAuthProvider) -> OAuthSource {
        OAuthSource {
            name: "consultas".into(),
            provider,
            token_url: "https://login.example/token".into(),
            scope: None,
            ca_file: None,
            grant: OAuthGrant::ClientSecret {
                client_id: "11111111-2222".into(),
                secret: Secret::new("s"),
            },
        }
    }

    #[test]
    fn a_wrong_microsoft_secret_names_the_code_and_where_to_get_a_new_one() {
        let e = OAuthError::refused(
            &source(OAuthProvider::Microsoft),
            "invalid_client",
            Some("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.\r\nTrace ID: 1\r\nCorrelation ID: 2"),
            &[7000215],
        )
        .to_string();
        assert!(e.starts_with("Microsoft 365 no entregó un token de acceso para «consultas»: invalid_client — AADSTS7000215: Invalid client secret"), "{e}");
        assert!(!e.contains("Trace ID"), "{e}");
        assert!(e.contains("Certificados y secretos"), "{e}");
    }

    #[test]
    fn a_microsoft_code_only_in_error_codes_is_still_shown() {
        let e = OAuthError::refused(
            &source(OAuthProvider::Microsoft),
            "invalid_request",
            None,
            &[65001],
        )
        .to_string();
        assert!(e.contains("invalid_request (AADSTS65001)"), "{e}");
        assert!(e.contains("consentimiento"), "{e}");
    }

    #[test]
    fn google_without_delegation_says_where_to_grant_it() {
        let e = OAuthError::refused(
            &source(OAuthProvider::Google),
            "unauthorized_client",
            Some("Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested."),
            &[],
        )
        .to_string();
        assert!(e.contains("unauthorized_client"), "{e}");
        assert!(e.contains("Delegación de todo el dominio"), "{e}");
        assert!(e.contains("https://mail.google.com/"), "{e}");
    }

    #[test]
    fn a_revoked_refresh_token_asks_to_log_in_again() {
        let e = OAuthError::refused(
            &source(OAuthProvider::RefreshToken),
            "invalid_grant",
            Some("Token has been expired or revoked."),
            &[],
        );
        assert!(e.needs_the_administrator());
        assert!(e.to_string().contains("triaje oauth login"), "{e}");
    }

    #[test]
    fn long_descriptions_are_cut() {
        let long = "x".repeat(1000);
        let e = OAuthError::refused(&source(OAuthProvider::RefreshToken), "e", Some(&long), &[]);
        assert!(e.to_string().len() < 700);
    }
}
