//! What can go wrong talking to the mail server, said for the administrator.

/// An IMAP failure. Transient ones (connection lost, timeout) are retried with backoff by the daemon.
#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    /// TCP connection refused or unreachable.
    #[error("no se pudo conectar al servidor IMAP {host}:{port}: {source}")]
    Connect {
        /// Host.
        host: String,
        /// Port.
        port: u16,
        /// Why.
        source: std::io::Error,
    },
    /// TLS could not be established (most often: the certificate is not trusted, or names another host).
    #[error("no se pudo establecer una conexión segura (TLS) con el servidor IMAP {host}:{port}: {reason}. {advice}")]
    Tls {
        /// Host.
        host: String,
        /// Port.
        port: u16,
        /// What was wrong, for the administrator (see `connect::tls_failure`).
        reason: String,
        /// What to do about it.
        advice: String,
    },
    /// The server refused the user name or password.
    #[error("el servidor IMAP rechazó el usuario {user}: {reason}. Revise la contraseña (¿venció o cambió?)")]
    Login {
        /// User name.
        user: String,
        /// The server's words.
        reason: String,
    },
    /// No access token could be had for an OAuth login (the provider refused, or could not be reached).
    #[error(transparent)]
    OAuth(crate::oauth::OAuthError),
    /// The server refused the access token twice (a new one the second time): the account does not accept the
    /// application's tokens.
    #[error("el servidor IMAP rechazó el token OAuth de {user} ({mechanism}): {reason}. {advice}")]
    OAuthRefused {
        /// The account.
        user: String,
        /// The SASL mechanism.
        mechanism: &'static str,
        /// The server's words.
        reason: String,
        /// What to do.
        advice: String,
    },
    /// The server did not answer in time.
    #[error("el servidor IMAP no respondió a {what} en {seconds} s")]
    Timeout {
        /// The command.
        what: &'static str,
        /// The limit.
        seconds: u64,
    },
    /// A command failed (NO/BAD) or the connection broke.
    #[error("falló {what} en el servidor IMAP: {detail}")]
    Protocol {
        /// The command.
        what: &'static str,
        /// The server's words or the I/O error.
        detail: String,
        /// True when the connection itself is gone and must be reopened.
        connection_lost: bool,
    },
    /// The server lacks something we need.
    #[error("{what}")]
    Unsupported {
        /// What is missing.
        what: String,
    },
    /// The session was already closed (after an IDLE that failed).
    #[error("la sesión IMAP ya estaba cerrada")]
    Closed,
}

impl ImapError {
    pub(crate) fn protocol(what: &'static str, e: async_imap::error::Error) -> Self {
        use async_imap::error::Error as E;
        let connection_lost = matches!(e, E::Io(_) | E::ConnectionLost);
        ImapError::Protocol {
            what,
            detail: server_reply(&e),
            connection_lost,
        }
    }

    /// True when the server refused our credentials: retrying fast would only lock the account.
    pub fn is_login_refused(&self) -> bool {
        match self {
            ImapError::Login { .. } | ImapError::OAuthRefused { .. } => true,
            ImapError::OAuth(e) => e.needs_the_administrator(),
            _ => false,
        }
    }
}

/// What the server answered, as a person reads it: for a `NO` or `BAD` only its text («[NOPERM] Permission
/// denied»), without the client library's debug wrapping or Dovecot's timing suffix.
pub(crate) fn server_reply(e: &async_imap::error::Error) -> String {
    use async_imap::error::Error as E;
    let (E::No(raw) | E::Bad(raw)) = e else {
        return e.to_string();
    };
    let text = raw
        .split_once("info: Some(\"")
        .and_then(|(_, rest)| rest.rsplit_once("\")"))
        .map(|(info, _)| info.replace("\\\"", "\""))
        .unwrap_or_else(|| raw.clone());
    // Dovecot appends "(0.001 + 0.000 secs)." to every tagged reply.
    let text = match text.rfind(" (") {
        Some(at) if text[at..].contains("secs)") => text[..at].to_string(),
        _ => text,
    };
    format!("el servidor respondió «{}»", text.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_reads_as_the_server_wrote_it() {
        let e = async_imap::error::Error::No(
            "code: None, info: Some(\"[NOPERM] Permission denied (0.001 + 0.000 secs).\")".into(),
        );
        assert_eq!(
            server_reply(&e),
            "el servidor respondió «[NOPERM] Permission denied»"
        );
        let e = async_imap::error::Error::Bad("Error in IMAP command".into());
        assert_eq!(
            server_reply(&e),
            "el servidor respondió «Error in IMAP command»"
        );
    }
}
