//! The web server: the survey's routes, the coordinator's dashboard, `/metrics` and `/health`, with limits,
//! security headers and graceful shutdown.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::FormRejection;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use serde::Deserialize;

use super::pages;
use super::panel::{self, Dashboard};
use crate::counters::Counters;
use crate::store::{RatingOutcome, RatingSource, Store};
use crate::survey::{SurveyKey, SurveyToken, TokenError};

/// Largest request body accepted (a comment is at most 2,000 characters; 16 KB leaves room for encoding).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Longest a request may take, body included, before it is answered 503 and dropped.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How long `/health` waits for the store before it answers «store unavailable»: well within [`REQUEST_TIMEOUT`].
const HEALTH_STORE_TIMEOUT: Duration = Duration::from_secs(3);

/// What the handlers need: the register, the key that checks links, and the dashboard when it is on.
#[derive(Debug, Clone)]
pub struct WebState {
    /// Where ratings and comments are recorded (and what the dashboard and `/metrics` read).
    pub store: Store,
    /// Checks the survey links (the same key the mail composition signs with).
    pub key: SurveyKey,
    /// The coordinator's dashboard; `None` (no dashboard password configured) answers 404 under `/panel`.
    pub dashboard: Option<Dashboard>,
    /// The running daemon's counters (connections, failures, messages filed), added to `/metrics`.
    pub counters: Option<Arc<Counters>>,
}

/// Serves the survey and the health check on `listener` until `shutdown` completes, then finishes the
/// requests in flight and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: WebState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Ok(address) = listener.local_addr() {
        tracing::info!(%address, "web server listening");
    }
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Every route, with the limits and headers that apply to all of them.
fn router(state: WebState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/encuesta/{token}", get(show_survey).post(rate))
        .route("/encuesta/{token}/comentario", post(comment))
        .route(
            "/validacion/{token}",
            get(super::approval::confirm_page).post(super::approval::confirm),
        )
        .route("/metrics", get(super::metrics::metrics))
        .route("/panel", get(panel::panel))
        .route("/panel/ingreso", get(panel::login_form).post(panel::login))
        .route("/panel/salir", post(panel::logout))
        .fallback(not_found)
        .with_state(Arc::new(state))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(time_limit))
        .layer(middleware::from_fn(security_headers))
}

/// An HTML page with `status`.
pub(super) fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

/// `GET /health`: 200 `ok` when the register answers, 503 otherwise.
async fn health(State(state): State<Arc<WebState>>) -> Response {
    // A database that has gone away can keep the pool waiting for a connection as long as the request limit;
    // the monitor must still be told it is the store (not given the survey's «try again later» page).
    let ping = tokio::time::timeout(HEALTH_STORE_TIMEOUT, state.store.ping()).await;
    match ping {
        Ok(Ok(())) => {
            // A mailbox whose worker is failing (wrong password, server down) makes the service unhealthy, and
            // says which and why.
            let mut failing: std::collections::BTreeMap<String, String> = state
                .store
                .mailbox_health()
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|h| h.failing)
                .map(|h| (h.mailbox, h.last_error.unwrap_or_default()))
                .collect();
            // This daemon's own view wins: it is current even when the store cannot be written (a full disk).
            if let Some(counters) = &state.counters {
                for (mailbox, c) in counters.snapshot() {
                    match c.failing {
                        Some(reason) => {
                            failing.insert(mailbox, reason);
                        }
                        None if c.connections > 0 => {
                            failing.remove(&mailbox);
                        }
                        None => {}
                    }
                }
            }
            let failing: Vec<String> = failing
                .into_iter()
                .map(|(mailbox, reason)| format!("mailbox {mailbox}: {reason}\n"))
                .collect();
            if failing.is_empty() {
                (StatusCode::OK, "ok\n").into_response()
            } else {
                (StatusCode::SERVICE_UNAVAILABLE, failing.concat()).into_response()
            }
        }
        Ok(Err(error)) => {
            tracing::warn!(%error, "health check: the register does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "store unavailable\n").into_response()
        }
        Err(_) => {
            tracing::warn!(
                seconds = HEALTH_STORE_TIMEOUT.as_secs(),
                "health check: the register did not answer in time"
            );
            (StatusCode::SERVICE_UNAVAILABLE, "store unavailable\n").into_response()
        }
    }
}

/// Why a link cannot be used, as the page to answer with.
enum Refusal {
    /// Edited, forged, garbled, or not matching the register (400).
    Invalid,
    /// Authentic but expired (410).
    Expired,
    /// The register failed (503).
    Unavailable,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Invalid => html(StatusCode::BAD_REQUEST, pages::invalid()),
            Refusal::Expired => html(StatusCode::GONE, pages::expired()),
            Refusal::Unavailable => html(StatusCode::SERVICE_UNAVAILABLE, pages::unavailable()),
        }
    }
}

/// Checks a link: authentic, not expired, and naming a consultation whose ticket it carries.
///
/// Logs why a link was refused, never the link itself.
async fn check_link(state: &WebState, text: &str) -> Result<SurveyToken, Refusal> {
    let token = match state.key.verify(text, Utc::now()) {
        Ok(token) => token,
        Err(TokenError::Expired { expired_at }) => {
            tracing::info!(%expired_at, "expired survey link refused");
            return Err(Refusal::Expired);
        }
        Err(error) => {
            tracing::info!(reason = ?error, "invalid survey link refused");
            return Err(Refusal::Invalid);
        }
    };
    let consultation = state
        .store
        .consultation_by_ticket(&token.ticket)
        .await
        .map_err(|error| {
            tracing::error!(%error, "survey: could not look the consultation up");
            Refusal::Unavailable
        })?;
    match consultation {
        Some(row) if row.id == token.consultation_id => Ok(token),
        _ => {
            // Authentic but naming nothing we know: a key shared with another register, or a wiped database.
            tracing::warn!(
                consultation_id = token.consultation_id,
                ticket = %token.ticket,
                "signed survey link does not match the register"
            );
            Err(Refusal::Invalid)
        }
    }
}

/// `GET /encuesta/{token}` (and `HEAD`, which axum answers with the same handler and no body): the stars page,
/// with the link's stars preselected. It records nothing: mail security scanners (Safe Links, gateways,
/// previews) open every link of a message before the citizen reads it, so only the citizen's click on the
/// page's button (a `POST`) counts. Links sent before this change keep working the same way.
async fn show_survey(State(state): State<Arc<WebState>>, Path(text): Path<String>) -> Response {
    let token = match check_link(&state, &text).await {
        Ok(token) => token,
        Err(refusal) => return refusal.into_response(),
    };
    match state.store.survey_rating(token.consultation_id).await {
        Ok(Some(kept)) => html(
            StatusCode::OK,
            pages::already_rated(kept.rating, &token.ticket, &text, kept.comment.is_none()),
        ),
        Ok(None) => html(
            StatusCode::OK,
            pages::survey(&token.ticket, &text, token.rating),
        ),
        Err(error) => {
            tracing::error!(%error, ticket = %token.ticket, "survey: could not read the rating");
            Refusal::Unavailable.into_response()
        }
    }
}

/// The stars page's form: the stars the citizen chose and an optional comment.
#[derive(Debug, Deserialize)]
struct RatingForm {
    /// `1` to `5`; absent when the citizen submitted without choosing (the page preselects one, so rare).
    #[serde(default)]
    estrellas: String,
    /// What the citizen wrote (may be absent or empty).
    #[serde(default)]
    comentario: String,
}

/// `POST /encuesta/{token}`: the citizen's click. Records the stars chosen on the page (the first answer
/// counts) and the comment written with them, and thanks the citizen.
async fn rate(
    State(state): State<Arc<WebState>>,
    Path(text): Path<String>,
    form: Result<Form<RatingForm>, FormRejection>,
) -> Response {
    let token = match check_link(&state, &text).await {
        Ok(token) => token,
        Err(refusal) => return refusal.into_response(),
    };
    let Ok(Form(form)) = form else {
        tracing::info!(ticket = %token.ticket, "survey answer refused: unreadable form");
        return html(
            StatusCode::BAD_REQUEST,
            pages::survey(&token.ticket, &text, token.rating),
        );
    };
    let Some(rating) = stars_chosen(&form.estrellas) else {
        return html(
            StatusCode::BAD_REQUEST,
            pages::survey(&token.ticket, &text, token.rating),
        );
    };
    let now = Utc::now();
    let outcome = state
        .store
        .record_rating(token.consultation_id, rating, RatingSource::Web, now)
        .await;
    let comment = form.comentario.trim();
    match outcome {
        Ok(RatingOutcome::Recorded) => {
            tracing::info!(ticket = %token.ticket, rating, "survey rating recorded");
            let kept = if comment.is_empty() {
                None
            } else {
                match state
                    .store
                    .record_comment(token.consultation_id, comment, now)
                    .await
                {
                    Ok(true) => Some(
                        comment
                            .chars()
                            .take(crate::store::MAX_COMMENT_CHARS)
                            .collect::<String>(),
                    ),
                    Ok(false) => None,
                    Err(error) => {
                        tracing::error!(%error, ticket = %token.ticket, "survey comment could not be recorded");
                        None
                    }
                }
            };
            html(
                StatusCode::OK,
                pages::thanks(rating, &token.ticket, &text, kept.as_deref()),
            )
        }
        Ok(RatingOutcome::AlreadyRated { rating }) => {
            tracing::info!(ticket = %token.ticket, kept = rating, "survey already answered; first answer kept");
            let comment_open = match state.store.survey_rating(token.consultation_id).await {
                Ok(Some(kept)) => kept.comment.is_none(),
                _ => false,
            };
            html(
                StatusCode::OK,
                pages::already_rated(rating, &token.ticket, &text, comment_open),
            )
        }
        Err(error) => {
            tracing::error!(%error, ticket = %token.ticket, "survey rating could not be recorded");
            Refusal::Unavailable.into_response()
        }
    }
}

/// The stars a form names: `1` to `5`, nothing else.
fn stars_chosen(value: &str) -> Option<u8> {
    match value.trim().parse::<u8>() {
        Ok(n @ 1..=5) => Some(n),
        _ => None,
    }
}

/// The comment form.
#[derive(Debug, Deserialize)]
struct CommentForm {
    /// What the citizen wrote (may be absent or empty).
    #[serde(default)]
    comentario: String,
}

/// `POST /encuesta/{token}/comentario`: keeps the first comment of a rated consultation.
async fn comment(
    State(state): State<Arc<WebState>>,
    Path(text): Path<String>,
    form: Result<Form<CommentForm>, FormRejection>,
) -> Response {
    let token = match check_link(&state, &text).await {
        Ok(token) => token,
        Err(refusal) => return refusal.into_response(),
    };
    let Form(form) = match form {
        Ok(form) => form,
        Err(rejection) => {
            let status = rejection.status();
            tracing::info!(%status, ticket = %token.ticket, "survey comment refused");
            return html(status, pages::comment_empty());
        }
    };
    let comment = form.comentario.trim();
    if comment.is_empty() {
        return html(StatusCode::BAD_REQUEST, pages::comment_empty());
    }
    match state
        .store
        .record_comment(token.consultation_id, comment, Utc::now())
        .await
    {
        Ok(true) => {
            tracing::info!(ticket = %token.ticket, "survey comment recorded");
            let kept: String = comment
                .chars()
                .take(crate::store::MAX_COMMENT_CHARS)
                .collect();
            html(StatusCode::OK, pages::comment_thanks(&kept))
        }
        Ok(false) => {
            tracing::info!(ticket = %token.ticket, "survey comment not kept (one already, or no rating)");
            html(StatusCode::OK, pages::comment_not_kept())
        }
        Err(error) => {
            tracing::error!(%error, ticket = %token.ticket, "survey comment could not be recorded");
            Refusal::Unavailable.into_response()
        }
    }
}

/// Any other address: 404 with a page that says how to answer the survey.
async fn not_found() -> Response {
    html(StatusCode::NOT_FOUND, pages::not_found())
}

/// Answers 503 when a request (reading its body included) takes longer than [`REQUEST_TIMEOUT`].
async fn time_limit(request: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!("survey request took longer than the limit; answered 503");
            html(StatusCode::SERVICE_UNAVAILABLE, pages::unavailable())
        }
    }
}

/// The headers every answer carries: nothing but inline style (and the inline SVG it draws) may load, no
/// framing, no sniffing, no referrer (the link is a credential), no caching.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let fixed: [(HeaderName, &'static str); 5] = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}
