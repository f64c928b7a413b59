//! Signed survey links: each of the five stars in a reply is a token that says which consultation, which
//! ticket, which rating and until when, sealed with HMAC-SHA256 so that a citizen (or anyone) cannot edit the
//! rating, move the link to another ticket or forge one.
//!
//! A token is the payload `v1|<consultation id>|<rating>|<expiry, unix seconds>|<ticket>` sealed under the
//! office's key ([`seal`](super::seal)). Pure: no clock (pass `now`), no I/O.

use std::fmt;

use chrono::{DateTime, Utc};

use super::seal::{self, Unsealed, TAG_BYTES};

/// The shortest key accepted, in bytes: as long as the tag, so the key is never the weak part.
pub const MIN_KEY_BYTES: usize = TAG_BYTES;

/// Version tag at the start of every payload, so the format can change without old links being misread.
const VERSION: &str = "v1";

/// The secret that signs and checks survey links. Its `Debug` output never shows it.
#[derive(Clone)]
pub struct SurveyKey {
    /// The raw key bytes.
    bytes: Vec<u8>,
}

/// A key shorter than [`MIN_KEY_BYTES`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "la clave de la encuesta tiene {length} bytes y debe tener al menos {MIN_KEY_BYTES}; \
     genere una con, por ejemplo, `openssl rand -base64 48`"
)]
pub struct KeyTooShort {
    /// How long the key given was.
    pub length: usize,
}

/// What one survey link stands for: the consultation, its ticket, the stars and the link's expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyToken {
    /// The consultation's id in the register.
    pub consultation_id: i64,
    /// Its ticket number (`CONS-2026-000123`), checked against the register when the link is used.
    pub ticket: String,
    /// Stars, 1 to 5.
    pub rating: u8,
    /// When the link stops working (kept to the second).
    pub expires_at: DateTime<Utc>,
}

/// Why a link was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not a token at all (cut, garbled, wrong format or version).
    #[error("el enlace de la encuesta está incompleto o mal copiado")]
    Malformed,
    /// Well formed but not sealed by our key: edited, forged or signed with another key.
    #[error("el enlace de la encuesta no es auténtico o fue modificado")]
    BadSignature,
    /// Authentic but past its expiry.
    #[error("el enlace de la encuesta venció el {expired_at}")]
    Expired {
        /// When it stopped working.
        expired_at: DateTime<Utc>,
    },
}

impl SurveyKey {
    /// A key from raw bytes; at least [`MIN_KEY_BYTES`] long.
    pub fn from_bytes(bytes: &[u8]) -> Result<SurveyKey, KeyTooShort> {
        if bytes.len() < MIN_KEY_BYTES {
            return Err(KeyTooShort {
                length: bytes.len(),
            });
        }
        Ok(SurveyKey {
            bytes: bytes.to_vec(),
        })
    }

    /// A 32-byte key for another use (`purpose` names it), derived from this one so the office keeps one
    /// secret: HMAC-SHA256 over `derive|{purpose}`. A survey link can never pass for what the derived key seals.
    pub(crate) fn derive(&self, purpose: &[u8]) -> [u8; 32] {
        seal::derive(&self.bytes, purpose)
    }

    /// The URL-safe text of `token` (about 100 characters), to put in a link.
    ///
    /// The rating is clamped to 1..=5 and the expiry truncated to the second.
    pub fn sign(&self, token: &SurveyToken) -> String {
        let payload = format!(
            "{VERSION}|{}|{}|{}|{}",
            token.consultation_id,
            token.rating.clamp(1, 5),
            token.expires_at.timestamp(),
            token.ticket
        );
        seal::seal(&self.bytes, &payload)
    }

    /// Checks `text` and returns what it stands for, if it is ours, intact and not expired at `now`.
    ///
    /// The seal is checked (in constant time) before anything in the payload is trusted, so an edited
    /// expired link is `BadSignature`, not `Expired`.
    pub fn verify(&self, text: &str, now: DateTime<Utc>) -> Result<SurveyToken, TokenError> {
        let payload = seal::open(&self.bytes, text).map_err(|e| match e {
            Unsealed::Malformed => TokenError::Malformed,
            Unsealed::Forged => TokenError::BadSignature,
        })?;
        let token = parse_payload(&payload).ok_or(TokenError::Malformed)?;
        if now >= token.expires_at {
            return Err(TokenError::Expired {
                expired_at: token.expires_at,
            });
        }
        Ok(token)
    }
}

/// Reads an authentic payload; `None` when it is not of our format (another version, say).
fn parse_payload(payload: &[u8]) -> Option<SurveyToken> {
    let text = std::str::from_utf8(payload).ok()?;
    let mut parts = text.splitn(5, '|');
    if parts.next()? != VERSION {
        return None;
    }
    let consultation_id = parts.next()?.parse().ok()?;
    let rating: u8 = parts.next()?.parse().ok()?;
    let expires_at = DateTime::from_timestamp(parts.next()?.parse().ok()?, 0)?;
    let ticket = parts.next()?.to_string();
    if !(1..=5).contains(&rating) || ticket.is_empty() {
        return None;
    }
    Some(SurveyToken {
        consultation_id,
        ticket,
        rating,
        expires_at,
    })
}

/// The link a reply carries for `token`: `{public_url}/encuesta/{signed token}`.
///
/// A trailing `/` on `public_url` is ignored. The token is URL-safe as it is.
pub fn survey_link(public_url: &str, key: &SurveyKey, token: &SurveyToken) -> String {
    format!(
        "{}/encuesta/{}",
        public_url.trim_end_matches('/'),
        key.sign(token)
    )
}

impl fmt::Debug for SurveyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SurveyKey(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use chrono::TimeDelta;

    fn key(fill: u8) -> SurveyKey {
        SurveyKey::from_bytes(&[fill; 32]).expect("32 bytes")
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_795_000_000, 0).expect("valid")
    }

    fn token(rating: u8) -> SurveyToken {
        SurveyToken {
            consultation_id: 42,
            ticket: "CONS-2026-000123".to_string(),
            rating,
            expires_at: now() + TimeDelta::days(30),
        }
    }

    #[test]
    fn a_signed_link_reads_back_as_signed() {
        for rating in 1..=5 {
            let signed = key(7).sign(&token(rating));
            assert_eq!(key(7).verify(&signed, now()), Ok(token(rating)));
        }
    }

    #[test]
    fn a_link_is_url_safe_and_compact() {
        let signed = key(7).sign(&token(5));
        assert!(signed.len() < 120, "{signed}");
        assert!(signed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)));
    }

    #[test]
    fn a_short_key_is_refused_and_the_key_never_shows() {
        assert_eq!(
            SurveyKey::from_bytes(b"corta").unwrap_err(),
            KeyTooShort { length: 5 }
        );
        let debug = format!("{:?}", key(b'x'));
        assert_eq!(debug, "SurveyKey(***)");
    }

    #[test]
    fn a_survey_link_is_the_public_url_and_the_signed_token() {
        let link = survey_link("https://atencion.osce.gob.pe/", &key(9), &token(4));
        let signed = link
            .strip_prefix("https://atencion.osce.gob.pe/encuesta/")
            .expect("prefix");
        assert_eq!(key(9).verify(signed, now()), Ok(token(4)));
    }

    #[test]
    fn a_link_signed_with_another_key_is_refused() {
        let signed = key(1).sign(&token(5));
        assert_eq!(key(2).verify(&signed, now()), Err(TokenError::BadSignature));
    }

    #[test]
    fn an_expired_link_says_when_it_expired() {
        let mut old = token(4);
        old.expires_at = now() - TimeDelta::seconds(1);
        let signed = key(7).sign(&old);
        assert_eq!(
            key(7).verify(&signed, now()),
            Err(TokenError::Expired {
                expired_at: old.expires_at
            })
        );
        // The last second counts as expired too.
        assert!(matches!(
            key(7).verify(&signed, old.expires_at),
            Err(TokenError::Expired { .. })
        ));
    }

    /// Replaces the payload with `payload` but keeps the original tag: what an editing citizen would try.
    fn with_payload(signed: &str, payload: &str) -> String {
        let (_, tag) = signed.split_once('.').expect("a dot");
        format!("{}.{tag}", URL_SAFE_NO_PAD.encode(payload))
    }

    #[test]
    fn a_link_with_its_rating_edited_is_refused() {
        let expiry = token(1).expires_at.timestamp();
        let signed = key(7).sign(&token(1));
        let edited = with_payload(&signed, &format!("v1|42|5|{expiry}|CONS-2026-000123"));
        assert_eq!(key(7).verify(&edited, now()), Err(TokenError::BadSignature));
    }

    #[test]
    fn a_link_moved_to_another_ticket_is_refused() {
        let expiry = token(5).expires_at.timestamp();
        let signed = key(7).sign(&token(5));
        let moved = with_payload(&signed, &format!("v1|43|5|{expiry}|CONS-2026-000124"));
        assert_eq!(key(7).verify(&moved, now()), Err(TokenError::BadSignature));
    }

    #[test]
    fn garbage_is_malformed() {
        for text in ["", ".", "abc", "abc.def!", "!!.AAAA", "a.b.c"] {
            assert_eq!(
                key(7).verify(text, now()),
                Err(TokenError::Malformed),
                "{text:?}"
            );
        }
    }

    #[test]
    fn flipping_any_single_character_is_refused() {
        let signed = key(7).sign(&token(3));
        let alphabet: Vec<char> =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.="
                .chars()
                .collect();
        let original: Vec<char> = signed.chars().collect();
        for position in 0..original.len() {
            for &replacement in &alphabet {
                if replacement == original[position] {
                    continue;
                }
                let mut flipped = original.clone();
                flipped[position] = replacement;
                let flipped: String = flipped.into_iter().collect();
                let result = key(7).verify(&flipped, now());
                assert!(
                    matches!(
                        result,
                        Err(TokenError::Malformed | TokenError::BadSignature)
                    ),
                    "position {position}, {replacement:?}: {result:?}"
                );
            }
        }
    }
}
