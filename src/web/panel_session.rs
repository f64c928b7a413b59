//! The dashboard's login: checking the user and password in constant time, and the signed session cookie.
//!
//! A session is the payload `p1|<expiry, unix seconds>|<user>` sealed ([`crate::survey::seal`]) under a key
//! derived from the survey key **and** the dashboard password: changing either one ends every open session. Pure: no clock (pass `now`), no I/O.

use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};

use crate::config::DashboardLogin;
use crate::survey::{seal, SurveyKey};

/// The name of the session cookie.
pub const COOKIE_NAME: &str = "triaje_panel";

/// How long a session lasts after logging in (a working day).
pub const SESSION_LENGTH: TimeDelta = TimeDelta::hours(8);

/// Version tag at the start of every session payload.
const VERSION: &str = "p1";

/// Signs and checks dashboard sessions. Its `Debug` output never shows it.
#[derive(Clone)]
pub struct SessionKey {
    /// The derived key.
    bytes: [u8; 32],
}

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKey(***)")
    }
}

impl SessionKey {
    /// The session key of `login`, derived from the survey key and the dashboard password.
    pub fn new(key: &SurveyKey, login: &DashboardLogin) -> SessionKey {
        let mut purpose = b"panel-session|".to_vec();
        purpose.extend_from_slice(&Sha256::digest(login.password.expose().as_bytes()));
        SessionKey {
            bytes: key.derive(&purpose),
        }
    }

    /// The cookie value of a session for `user` that ends at `expires_at` (kept to the second).
    pub fn sign(&self, user: &str, expires_at: DateTime<Utc>) -> String {
        let payload = format!("{VERSION}|{}|{user}", expires_at.timestamp());
        seal::seal(&self.bytes, &payload)
    }

    /// The user of a session cookie that is ours, intact and not expired at `now`; `None` otherwise.
    ///
    /// The tag is checked (in constant time) before anything in the payload is read.
    pub fn verify(&self, text: &str, now: DateTime<Utc>) -> Option<String> {
        let payload = seal::open(&self.bytes, text).ok()?;
        let text = std::str::from_utf8(&payload).ok()?;
        let mut parts = text.splitn(3, '|');
        if parts.next()? != VERSION {
            return None;
        }
        let expires_at = DateTime::from_timestamp(parts.next()?.parse().ok()?, 0)?;
        let user = parts.next()?;
        (now < expires_at && !user.is_empty()).then(|| user.to_string())
    }
}

/// Whether `user` and `password` are the configured ones.
///
/// Both sides are hashed first and the digests compared without an early exit, so the time taken says
/// nothing about how much of either was right (nor about their lengths).
pub fn credentials_match(login: &DashboardLogin, user: &str, password: &str) -> bool {
    let same_user = digests_equal(user.trim().as_bytes(), login.user.as_bytes());
    let same_password = digests_equal(password.as_bytes(), login.password.expose().as_bytes());
    // `&` (not `&&`): both comparisons always run.
    same_user & same_password
}

/// SHA-256 of both, compared in constant time.
fn digests_equal(a: &[u8], b: &[u8]) -> bool {
    let (a, b) = (Sha256::digest(a), Sha256::digest(b));
    let difference = a
        .iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(difference) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    fn login() -> DashboardLogin {
        DashboardLogin {
            user: "coordinador".into(),
            password: Secret::new("una contraseña larga"),
        }
    }

    fn key() -> SessionKey {
        SessionKey::new(&SurveyKey::from_bytes(&[7; 32]).expect("key"), &login())
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).expect("valid")
    }

    #[test]
    fn only_the_configured_user_and_password_log_in() {
        let login = login();
        assert!(credentials_match(
            &login,
            "coordinador",
            "una contraseña larga"
        ));
        assert!(credentials_match(
            &login,
            " coordinador ",
            "una contraseña larga"
        ));
        assert!(!credentials_match(
            &login,
            "coordinador",
            "una contraseña larg"
        ));
        assert!(!credentials_match(&login, "otro", "una contraseña larga"));
        assert!(!credentials_match(&login, "", ""));
    }

    #[test]
    fn a_session_is_valid_until_it_expires() {
        let key = key();
        let cookie = key.sign("coordinador", at(2_000));
        assert_eq!(
            key.verify(&cookie, at(1_999)).as_deref(),
            Some("coordinador")
        );
        assert_eq!(key.verify(&cookie, at(2_000)), None);
    }

    #[test]
    fn an_edited_or_foreign_session_is_refused() {
        let key = key();
        let cookie = key.sign("coordinador", at(2_000));
        let (payload, tag) = cookie.split_once('.').expect("dot");
        let longer = URL_SAFE_NO_PAD.encode(b"p1|9999999999|coordinador");
        assert_eq!(key.verify(&format!("{longer}.{tag}"), at(1_000)), None);
        assert_eq!(key.verify(&format!("{payload}.{payload}"), at(1_000)), None);
        assert_eq!(key.verify("basura", at(1_000)), None);
        // Another password (or another survey key) signs different sessions.
        let other = SessionKey::new(
            &SurveyKey::from_bytes(&[7; 32]).expect("key"),
            &DashboardLogin {
                user: "coordinador".into(),
                password: Secret::new("otra contraseña larga"),
            },
        );
        assert_eq!(other.verify(&cookie, at(1_000)), None);
        // A survey link is not a session.
        let survey = SurveyKey::from_bytes(&[7; 32]).expect("key");
        let link = survey.sign(&crate::survey::SurveyToken {
            consultation_id: 1,
            ticket: "T".into(),
            rating: 5,
            expires_at: at(2_000),
        });
        assert_eq!(key.verify(&link, at(1_000)), None);
    }
}
