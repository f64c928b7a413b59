//! The supervisor's one-click approval: the validation notice carries a signed link to a page that shows what
//! is being approved and asks to confirm; only the confirmation (a `POST`) records the approval. Opening the
//! link (`GET`, `HEAD`), as mail scanners and previews do, changes nothing.
//!
//! A link is `{public_url}/validacion/{token}`, the token `base64url(payload) "." base64url(tag)` with payload
//! `a1|<expiry, unix seconds>|<notice Message-ID>` sealed with HMAC-SHA256 under a key derived from
//! the survey key for this purpose alone (a survey link can never pass for an approval). It is a capability:
//! only the supervisor's mailbox received the notice. The web server writes the request in the register; the
//! mailbox's next reply pass (every `check_seconds`) finds the draft on the IMAP server, applies the Legal rule
//! (the supervisor never approves his own draft) and queues the reply.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::server::html;
use super::{escape_html, SurveyKey, WebState};
use crate::workflow::ReplyState;

type HmacSha256 = Hmac<Sha256>;

/// Payload version.
const VERSION: &str = "a1";

/// The key approval links are sealed with, derived from the survey key.
#[derive(Clone)]
pub struct ApprovalKey {
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

    fn tag(&self, payload: &[u8]) -> Vec<u8> {
        let mut mac = match HmacSha256::new_from_slice(&self.bytes) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC accepts keys of every length"),
        };
        mac.update(payload);
        mac.finalize().into_bytes().to_vec()
    }

    /// The link's token.
    pub fn sign(&self, t: &ApprovalToken) -> String {
        let payload = format!("{VERSION}|{}|{}", t.expires_at.timestamp(), t.notice_id);
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(payload.as_bytes()),
            URL_SAFE_NO_PAD.encode(self.tag(payload.as_bytes()))
        )
    }

    /// What `text` stands for, if it is ours, intact and not expired at `now`.
    pub fn verify(&self, text: &str, now: DateTime<Utc>) -> Option<ApprovalToken> {
        let (payload, tag) = text.split_once('.')?;
        let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        let mut mac = match HmacSha256::new_from_slice(&self.bytes) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC accepts keys of every length"),
        };
        mac.update(&payload);
        mac.verify_slice(&tag).ok()?;
        let payload = String::from_utf8(payload).ok()?;
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

/// The link a notice carries.
pub fn approval_link(public_url: &str, key: &ApprovalKey, token: &ApprovalToken) -> String {
    format!(
        "{}/validacion/{}",
        public_url.trim_end_matches('/'),
        key.sign(token)
    )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;font-size:1.125rem;line-height:1.5;color:#1a1a1a;\
background:#f6f6f4;margin:0;padding:1rem}main{max-width:40rem;margin:0 auto;background:#fff;padding:1.5rem;\
border-radius:.5rem;border:1px solid #d0d0cc}h1{font-size:1.5rem;margin-top:0}\
button{font:inherit;padding:.5rem 1.25rem;background:#0b4f8a;color:#fff;border:0;border-radius:.25rem}\
:focus-visible{outline:3px solid #e07000;outline-offset:2px}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{t}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{t}</h1>\n{body}\n</main>\n</body>\n</html>\n",
        t = escape_html(title)
    )
}

fn refused(status: StatusCode, why: &str) -> Response {
    html(
        status,
        page(
            "No se puede aprobar con este enlace",
            &format!(
                "<p>{}</p><p>Puede aprobar respondiendo «Aprobado» al aviso de validación.</p>",
                escape_html(why)
            ),
        ),
    )
}

/// The reply a valid link names, still waiting, with its ticket; or the page that says why not.
async fn waiting_reply(state: &WebState, text: &str) -> Result<(i64, String), Response> {
    let key = ApprovalKey::from_survey_key(&state.key);
    let Some(token) = key.verify(text, Utc::now()) else {
        tracing::info!("invalid or expired approval link refused");
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "El enlace no es auténtico, está incompleto o ya venció.",
        ));
    };
    let unavailable = |error: crate::store::StoreError| {
        tracing::error!(%error, "approval link: register unavailable");
        refused(
            StatusCode::SERVICE_UNAVAILABLE,
            "El registro no está disponible en este momento; inténtelo en unos minutos.",
        )
    };
    let reply = state
        .store
        .reply_by_notification(&token.notice_id)
        .await
        .map_err(unavailable)?;
    let Some(reply) = reply else {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "El enlace no corresponde a ninguna respuesta registrada.",
        ));
    };
    if reply.state != ReplyState::AwaitingValidation {
        return Err(refused(
            StatusCode::CONFLICT,
            &format!("Esta respuesta {}.", reply.state.describe()),
        ));
    }
    let ticket = match reply.consultation_id {
        Some(id) => state
            .store
            .consultation_by_id(id)
            .await
            .map_err(unavailable)?
            .map(|c| c.ticket)
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok((reply.id, ticket))
}

/// `GET /validacion/{token}`: what would be approved, and the button that approves it. Changes nothing.
pub(super) async fn confirm_page(
    State(state): State<Arc<WebState>>,
    Path(text): Path<String>,
) -> Response {
    match waiting_reply(&state, &text).await {
        Err(page) => page,
        Ok((_, ticket)) => html(
            StatusCode::OK,
            page(
                "Aprobar la respuesta legal",
                &format!(
                    "<p>Consulta <strong>{}</strong>. Al confirmar, la respuesta que redactó el asistente \
                     se envía al ciudadano con su aprobación, y el registro lo anota.</p>\n\
                     <form method=\"post\" action=\"\"><button type=\"submit\">Aprobar y enviar al \
                     ciudadano</button></form>\n<p>Si quiere devolverla con observaciones, responda al aviso \
                     por correo.</p>",
                    escape_html(&ticket)
                ),
            ),
        ),
    }
}

/// `POST /validacion/{token}`: the supervisor's confirmation; the mailbox's next reply pass carries it out.
pub(super) async fn confirm(
    State(state): State<Arc<WebState>>,
    Path(text): Path<String>,
) -> Response {
    let (id, ticket) = match waiting_reply(&state, &text).await {
        Err(page) => return page,
        Ok(found) => found,
    };
    match state.store.request_link_approval(id, Utc::now()).await {
        Ok(_) => {
            tracing::info!(%ticket, reply = id, "legal reply approved through the notice's link");
            html(
                StatusCode::OK,
                page(
                    "Aprobación registrada",
                    &format!(
                        "<p>La respuesta a la consulta <strong>{}</strong> sale al ciudadano en unos \
                         segundos. Recibirá un correo si no pudiera enviarse.</p>",
                        escape_html(&ticket)
                    ),
                ),
            )
        }
        Err(error) => {
            tracing::error!(%error, "approval could not be recorded");
            refused(
                StatusCode::SERVICE_UNAVAILABLE,
                "El registro no está disponible en este momento; inténtelo en unos minutos.",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_names_its_reply_and_notice_and_cannot_be_edited_or_used_late() {
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
        let rating = survey.sign(&crate::web::SurveyToken {
            consultation_id: 42,
            ticket: "CONS-2026-000001".into(),
            rating: 5,
            expires_at: t.expires_at,
        });
        assert_eq!(key.verify(&rating, now), None);
    }
}
