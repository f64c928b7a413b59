//! The supervisor's one-click approval page: the validation notice carries a signed link
//! ([`crate::survey::approval`]) to a page that shows what is being approved and asks to confirm; only the
//! confirmation (a `POST`) records the approval. Opening the link (`GET`, `HEAD`), as mail scanners and previews
//! do, changes nothing. The web server writes the request in the register; the mailbox's next reply pass (every
//! `check_seconds`) finds the draft on the IMAP server, applies the Legal rule (the supervisor never approves
//! his own draft) and queues the reply.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;

use maud::{html, Markup};

use super::layout::page;
use super::server::html as html_response;
use super::WebState;
use crate::survey::ApprovalKey;
use crate::workflow::ReplyState;

/// The approval pages' stylesheet.
const STYLE: &str = "body{font-family:system-ui,sans-serif;font-size:1.125rem;line-height:1.5;color:#1a1a1a;\
background:#f6f6f4;margin:0;padding:1rem}main{max-width:40rem;margin:0 auto;background:#fff;padding:1.5rem;\
border-radius:.5rem;border:1px solid #d0d0cc}h1{font-size:1.5rem;margin-top:0}\
button{font:inherit;padding:.5rem 1.25rem;background:#0b4f8a;color:#fff;border:0;border-radius:.25rem}\
:focus-visible{outline:3px solid #e07000;outline-offset:2px}";

/// A page titled `title` (also its heading) around `body`.
fn approval_page(title: &str, body: Markup) -> String {
    page(title, STYLE, html! { h1 { (title) } (body) })
}

/// The page that says why this link cannot approve.
fn refused(status: StatusCode, why: &str) -> Response {
    html_response(
        status,
        approval_page(
            "No se puede aprobar con este enlace",
            html! {
                p { (why) }
                p { "Puede aprobar respondiendo «Aprobado» al aviso de validación." }
            },
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
        Ok((_, ticket)) => html_response(
            StatusCode::OK,
            approval_page(
                "Aprobar la respuesta legal",
                html! {
                    p {
                        "Consulta " strong { (ticket) } ". Al confirmar, la respuesta que redactó el \
                         asistente se envía al ciudadano con su aprobación, y el registro lo anota."
                    }
                    form method="post" action="" {
                        button type="submit" { "Aprobar y enviar al ciudadano" }
                    }
                    p { "Si quiere devolverla con observaciones, responda al aviso por correo." }
                },
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
            html_response(
                StatusCode::OK,
                approval_page(
                    "Aprobación registrada",
                    html! {
                        p {
                            "La respuesta a la consulta " strong { (ticket) } " sale al ciudadano en unos \
                             segundos. Recibirá un correo si no pudiera enviarse."
                        }
                    },
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
