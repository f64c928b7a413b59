//! The supervisor's approval link: the validation notice of a Legal reply carries
//! `{public_url}/validacion/{token}`, the token being the payload `a1|<expiry, unix seconds>|<notice Message-ID>`
//! sealed ([`seal`](super::seal)) under a key derived from the survey key for this purpose alone, so a survey
//! link can never pass for an approval. It is a capability: only the supervisor's mailbox received the notice.
//! The page it opens is the web server's (`web::approval`). Pure: no clock (pass `now`), no I/O.

use chrono::{DateTime, Utc};

use super::seal;
use super::SurveyKey;

/// Payload version.
const VERSION: &str = "a1";

/// The key approval links are sealed with, derived from the survey key. Its `Debug` output never shows it.
#[derive(Clone)]
pub struct ApprovalKey {
    /// The derived key.
    bytes: [u8; 32],
}

impl std::fmt::Debug for ApprovalKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApprovalKey(…)")
    }
}

/// What an approval link stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalToken {
    /// The notice the link was sent in: a later notice (a corrected draft) gets a link of its own.
    pub notice_id: String,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
}

impl ApprovalKey {
    /// The approval key of an office's survey key.
    pub fn from_survey_key(key: &SurveyKey) -> ApprovalKey {
        ApprovalKey {
            bytes: key.derive(b"aprobacion-legal"),
        }
    }

    /// The link's token.
    pub fn sign(&self, t: &ApprovalToken) -> String {
        let payload = format!("{VERSION}|{}|{}", t.expires_at.timestamp(), t.notice_id);
        seal::seal(&self.bytes, &payload)
    }

    /// What `text` stands for, if it is ours, intact and not expired at `now`.
    pub fn verify(&self, text: &str, now: DateTime<Utc>) -> Option<ApprovalToken> {
        let payload = String::from_utf8(seal::open(&self.bytes, text).ok()?).ok()?;
        let mut parts = payload.splitn(3, '|');
        if parts.next()? != VERSION {
            return None;
        }
        let expires_at = DateTime::from_timestamp(parts.next()?.parse().ok()?, 0)?;
        let notice_id = parts.next()?.to_string();
        (now <= expires_at).then_some(ApprovalToken {
            notice_id,
            expires_at,
        })
    }
}

/// The link a notice carries: `{public_url}/validacion/{signed token}`.
pub fn approval_link(public_url: &str, key: &ApprovalKey, token: &ApprovalToken) -> String {
    format!(
        "{}/validacion/{}",
        public_url.trim_end_matches('/'),
        key.sign(token)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_names_its_notice_and_cannot_be_edited_or_used_late() {
        let key = ApprovalKey::from_survey_key(&SurveyKey::from_bytes(&[7; 32]).expect("key"));
        let now = DateTime::from_timestamp(1_800_000_000, 0).expect("valid");
        let t = ApprovalToken {
            notice_id: "validacion.CONS-2026-000001.ab@osce.test".into(),
            expires_at: now + chrono::Duration::days(7),
        };
        let signed = key.sign(&t);
        assert_eq!(key.verify(&signed, now), Some(t.clone()));
        assert_eq!(key.verify(&signed, now + chrono::Duration::days(8)), None);
        let mut edited = signed.clone();
        edited.insert(3, 'x');
        assert_eq!(key.verify(&edited, now), None);
        let other = ApprovalKey::from_survey_key(&SurveyKey::from_bytes(&[8; 32]).expect("key"));
        assert_eq!(other.verify(&signed, now), None);
        // A survey link signed with the same office key is not an approval.
        let survey = SurveyKey::from_bytes(&[7; 32]).expect("key");
        let rating = survey.sign(&crate::survey::SurveyToken {
            consultation_id: 42,
            ticket: "CONS-2026-000001".into(),
            rating: 5,
            expires_at: t.expires_at,
        });
        assert_eq!(key.verify(&rating, now), None);
    }

    #[test]
    fn the_link_is_the_public_url_and_the_token() {
        let key = ApprovalKey::from_survey_key(&SurveyKey::from_bytes(&[7; 32]).expect("key"));
        let t = ApprovalToken {
            notice_id: "validacion.CONS-2026-000001.ab@osce.test".into(),
            expires_at: DateTime::from_timestamp(1_800_000_000, 0).expect("valid"),
        };
        let link = approval_link("https://atencion.osce.gob.pe/", &key, &t);
        let token = link
            .strip_prefix("https://atencion.osce.gob.pe/validacion/")
            .expect("prefix");
        assert_eq!(key.verify(token, t.expires_at), Some(t));
    }
}
