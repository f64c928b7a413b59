//! `triaje oauth login --mailbox NAME`: obtains the refresh token of a `provider = "refresh_token"` source once,
//! with the device-authorization grant (RFC 8628), saves it in the source's `refresh_token_file`, and checks that
//! the mailbox's IMAP server accepts the token.

use std::time::Duration;

use super::CliError;
use crate::config::{Config, Login};

/// Runs the device login for `mailbox`'s token source.
pub async fn login(config: &Config, mailbox: &str) -> Result<(), CliError> {
    let Some(m) = config.mailbox(mailbox) else {
        let names: Vec<&str> = config.mailboxes.iter().map(|m| m.name.as_str()).collect();
        return Err(CliError::Usage(format!(
            "no hay un buzón llamado «{mailbox}» en la configuración; los buzones son: {}",
            names.join(", ")
        )));
    };
    let smtp_login = m.smtp.as_ref().and_then(|s| s.credentials.as_ref());
    let (source, account) = match (&m.imap.login, smtp_login) {
        (Login::OAuth2 { source, .. }, _) => (source.clone(), m.imap.username.clone()),
        (_, Some((user, Login::OAuth2 { source, .. }))) => (source.clone(), user.clone()),
        _ => {
            return Err(CliError::Usage(format!(
                "el buzón «{mailbox}» no entra con OAuth: escriba auth = \"oauth2\" en [mailbox.imap] o \
                 [mailbox.smtp] y su fuente en [mailbox.oauth]"
            )))
        }
    };
    let authorization = crate::oauth::start_device_login(&source)
        .await
        .map_err(|e| CliError::Usage(e.to_string()))?;
    println!("Para autorizar a triaje a entrar al buzón {account}:");
    println!(
        "  1. Abra {} en cualquier navegador (también en otro equipo o en el teléfono).",
        authorization.verification_uri
    );
    println!("  2. Escriba el código {}", authorization.user_code);
    println!("  3. Inicie sesión como {account} y acepte los permisos.");
    if let Some(complete) = &authorization.verification_uri_complete {
        println!("  (o abra directamente {complete})");
    }
    println!(
        "El código vence en {} minutos. Esperando la autorización…",
        authorization.expires_in.as_secs().div_ceil(60)
    );
    crate::oauth::finish_device_login(&source, &account, authorization)
        .await
        .map_err(|e| CliError::Usage(e.to_string()))?;
    if let crate::config::OAuthGrant::RefreshToken {
        refresh_token_file, ..
    } = &source.grant
    {
        println!(
            "Listo: el token de actualización quedó guardado en {} (solo lo lee su dueño).",
            refresh_token_file.display()
        );
    }
    // The proof a person wants: the mailbox's server takes the token.
    if m.imap.login.oauth().is_some() {
        let timeout = Duration::from_secs(config.triage.io_timeout_seconds);
        match crate::imap::connect(&m.imap, timeout).await {
            Ok(session) => {
                session.logout().await;
                println!(
                    "El servidor IMAP {} aceptó el acceso de {account}.",
                    m.imap.host
                );
            }
            Err(e) => {
                return Err(CliError::Usage(format!(
                    "el token quedó guardado, pero el servidor IMAP no dejó entrar: {e}"
                )))
            }
        }
    }
    Ok(())
}
