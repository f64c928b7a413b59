//! The SASL mechanisms that carry an access token to IMAP and SMTP servers: OAUTHBEARER (RFC 7628, the standard)
//! and XOAUTH2 (Google's and Microsoft's older one), chosen from what the server offers.
//!
//! Both send the token in the first client message. When the server refuses it, it sends one more challenge with
//! a JSON error (`{"status":"invalid_token",…}` or `{"status":"401",…}`) and waits for a dummy answer before its
//! final `NO`/`535`: [`SaslExchange`] answers it and keeps the server's words for the error message.

use crate::config::{SaslChoice, Secret};

/// A SASL mechanism for OAuth 2.0 bearer tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    /// `XOAUTH2`.
    XOAuth2,
    /// `OAUTHBEARER` (RFC 7628).
    OAuthBearer,
}

impl Mechanism {
    /// The name on the wire (`AUTHENTICATE XOAUTH2`, `AUTH OAUTHBEARER`).
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::XOAuth2 => "XOAUTH2",
            Mechanism::OAuthBearer => "OAUTHBEARER",
        }
    }
}

/// The mechanism to use given the server's offer (`AUTH=…` capabilities, or the words of SMTP's `AUTH` line) and
/// the configuration; `None` when the server offers none that fits.
pub fn choose_mechanism<'a>(
    offered: impl IntoIterator<Item = &'a str>,
    wanted: SaslChoice,
) -> Option<Mechanism> {
    let offered: Vec<String> = offered
        .into_iter()
        .map(|m| m.to_ascii_uppercase())
        .collect();
    let has = |m: Mechanism| offered.iter().any(|o| o == m.name());
    match wanted {
        SaslChoice::OAuthBearer => has(Mechanism::OAuthBearer).then_some(Mechanism::OAuthBearer),
        SaslChoice::XOAuth2 => has(Mechanism::XOAuth2).then_some(Mechanism::XOAuth2),
        // The standard first; XOAUTH2 is what Microsoft 365 offers.
        SaslChoice::Auto => [Mechanism::OAuthBearer, Mechanism::XOAuth2]
            .into_iter()
            .find(|m| has(*m)),
    }
}

/// One SASL exchange: the client's first message, then the dummy answer to an error challenge.
pub struct SaslExchange {
    mechanism: Mechanism,
    initial: Secret,
    /// Messages sent so far.
    sent: usize,
    /// The server's error challenge, when it sent one.
    error: Option<String>,
}

impl SaslExchange {
    /// The exchange for `account` with `token`; `host` and `port` are the server's (OAUTHBEARER names them).
    pub fn new(
        mechanism: Mechanism,
        account: &str,
        token: &Secret,
        host: &str,
        port: u16,
    ) -> SaslExchange {
        let token = token.expose();
        let initial = match mechanism {
            Mechanism::XOAuth2 => format!("user={account}\x01auth=Bearer {token}\x01\x01"),
            Mechanism::OAuthBearer => format!(
                "n,a={},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01",
                sasl_name(account)
            ),
        };
        SaslExchange {
            mechanism,
            initial: Secret::new(initial),
            sent: 0,
            error: None,
        }
    }

    /// The first client message (unencoded).
    pub fn initial_response(&self) -> &[u8] {
        self.initial.expose().as_bytes()
    }

    /// Records that the first message went with the command itself (SASL-IR, SMTP's `AUTH MECH <response>`):
    /// any challenge that follows is the server's error.
    pub fn initial_response_sent(&mut self) {
        self.sent = 1;
    }

    /// The next client message for a server challenge (decoded): the token first, then after an error challenge
    /// the dummy answer each mechanism prescribes (empty for XOAUTH2, `^A` for OAUTHBEARER).
    pub fn respond(&mut self, challenge: &[u8]) -> Vec<u8> {
        self.sent += 1;
        if self.sent == 1 {
            return self.initial_response().to_vec();
        }
        self.error = Some(describe_error(challenge));
        match self.mechanism {
            Mechanism::XOAuth2 => Vec::new(),
            Mechanism::OAuthBearer => vec![0x01],
        }
    }

    /// The server's error challenge as a person reads it (`status invalid_token`), when it sent one.
    pub fn server_error(&self) -> Option<&str> {
        self.error.as_deref()
    }
}

/// RFC 7628's saslname: `,` and `=` escaped.
fn sasl_name(account: &str) -> String {
    account.replace('=', "=3D").replace(',', "=2C")
}

/// The JSON error a server sends in its challenge (`{"status":"invalid_token","scope":"…"}`), shortened to its
/// status; anything else as text.
fn describe_error(challenge: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct ErrorChallenge {
        status: Option<String>,
    }
    match serde_json::from_slice::<ErrorChallenge>(challenge) {
        Ok(ErrorChallenge { status: Some(s) }) => format!("status {s}"),
        _ => String::from_utf8_lossy(challenge)
            .chars()
            .take(200)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauthbearer_is_preferred_when_the_server_offers_both() {
        let both = ["PLAIN", "xoauth2", "OAUTHBEARER"];
        assert_eq!(
            choose_mechanism(both, SaslChoice::Auto),
            Some(Mechanism::OAuthBearer)
        );
        assert_eq!(
            choose_mechanism(both, SaslChoice::XOAuth2),
            Some(Mechanism::XOAuth2)
        );
        assert_eq!(
            choose_mechanism(["PLAIN", "XOAUTH2"], SaslChoice::Auto),
            Some(Mechanism::XOAuth2)
        );
        assert_eq!(
            choose_mechanism(["PLAIN", "XOAUTH2"], SaslChoice::OAuthBearer),
            None
        );
        assert_eq!(choose_mechanism(["PLAIN", "LOGIN"], SaslChoice::Auto), None);
    }

    #[test]
    fn xoauth2_first_message_has_user_and_bearer() {
        let x = SaslExchange::new(
            Mechanism::XOAuth2,
            "consultas@osce.test",
            &Secret::new("tok"),
            "h",
            1,
        );
        assert_eq!(
            x.initial_response(),
            b"user=consultas@osce.test\x01auth=Bearer tok\x01\x01"
        );
    }

    #[test]
    fn oauthbearer_first_message_follows_rfc_7628() {
        let x = SaslExchange::new(
            Mechanism::OAuthBearer,
            "a,b=c@osce.test",
            &Secret::new("tok"),
            "imap.osce.test",
            993,
        );
        assert_eq!(
            x.initial_response(),
            b"n,a=a=2Cb=3Dc@osce.test,\x01host=imap.osce.test\x01port=993\x01auth=Bearer tok\x01\x01"
        );
    }

    #[test]
    fn an_error_challenge_is_answered_and_remembered() {
        let mut x = SaslExchange::new(Mechanism::OAuthBearer, "u", &Secret::new("t"), "h", 1);
        assert_eq!(x.respond(b""), x.initial_response().to_vec());
        let reply = x.respond(br#"{"status":"invalid_token","schemes":"bearer","scope":"mail"}"#);
        assert_eq!(reply, vec![1]);
        assert_eq!(x.server_error(), Some("status invalid_token"));
        let mut x = SaslExchange::new(Mechanism::XOAuth2, "u", &Secret::new("t"), "h", 1);
        x.respond(b"");
        assert!(x
            .respond(br#"{"status":"401","schemes":"bearer"}"#)
            .is_empty());
        assert_eq!(x.server_error(), Some("status 401"));
    }
}
