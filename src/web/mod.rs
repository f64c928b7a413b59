//! The HTTP side of triaje: the satisfaction survey's one-click links, the coordinator's read-only dashboard
//! (`/panel`, see [`Dashboard`]), `/metrics` for Prometheus, and a health check.
//!
//! Every reply to a citizen carries five links, one per star, each a signed [`SurveyToken`] (see
//! [`survey_token`]): `{public_url}/encuesta/{token}`. Opening one records the rating (the first answer counts;
//! a second click or another star changes nothing), thanks the citizen and offers a comment box. A link that
//! was edited, forged or moved to another ticket is refused with a page that explains how to answer by mail
//! instead; an expired one gets its own page. Neither changes the register.
//!
//! The pages are small, self-contained Spanish HTML (no scripts, fonts or images; inline CSS only) sent with
//! a strict Content-Security-Policy. Requests are capped at 16 KB and 10 s. Tokens and comments are never
//! logged. This module writes nowhere but the [`Store`](crate::store::Store).

pub mod approval;
pub mod metrics;
mod pages;
mod panel;
mod panel_pages;
pub mod panel_session;
mod server;
pub mod survey_token;

pub use crate::store::{RatingOutcome, RatingSource};
pub use approval::{approval_link, ApprovalKey, ApprovalToken};
pub use panel::{Dashboard, LOGIN_FAILURE_DELAY, TREND_WEEKS};
pub use panel_session::{SessionKey, COOKIE_NAME, SESSION_LENGTH};
pub use server::{serve, WebState, MAX_BODY_BYTES, REQUEST_TIMEOUT};
pub use survey_token::{KeyTooShort, SurveyKey, SurveyToken, TokenError};

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

/// `text` made safe to place in HTML text or in a double- or single-quoted attribute.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    #[test]
    fn html_special_characters_are_escaped() {
        assert_eq!(
            escape_html(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(escape_html("Atención rápida"), "Atención rápida");
    }

    #[test]
    fn a_survey_link_is_the_public_url_and_the_signed_token() {
        let key = SurveyKey::from_bytes(&[9; 32]).expect("key");
        let token = SurveyToken {
            consultation_id: 1,
            ticket: "CONS-2026-000001".into(),
            rating: 4,
            expires_at: DateTime::from_timestamp(1_800_000_000, 0).expect("valid"),
        };
        let link = survey_link("https://atencion.osce.gob.pe/", &key, &token);
        let signed = link
            .strip_prefix("https://atencion.osce.gob.pe/encuesta/")
            .expect("prefix");
        let now = DateTime::from_timestamp(1_700_000_000, 0).expect("valid");
        assert_eq!(key.verify(signed, now), Ok(token));
    }
}
