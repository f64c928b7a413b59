//! The HTTP side of triaje: the satisfaction survey's one-click links, the coordinator's read-only dashboard
//! (`/panel`, see [`Dashboard`]), `/metrics` for Prometheus, and a health check.
//!
//! Every reply to a citizen carries five links, one per star, each a signed
//! [`SurveyToken`](crate::survey::SurveyToken) (see [`crate::survey`]): `{public_url}/encuesta/{token}`.
//! Opening one shows the stars page with that star chosen and records nothing (mail scanners open every link);
//! the citizen's click on its button (a `POST`) records the rating (the first answer counts) and offers a
//! comment box. A link that was edited, forged or moved to another ticket is refused with a page that explains
//! how to answer by mail instead; an expired one gets its own page. Neither changes the register. The
//! supervisor's approval link ([`approval`]) works the same way: the page asks, only the `POST` approves.
//!
//! The pages are small, self-contained Spanish HTML (no scripts, fonts or images; inline CSS only) sent with
//! a strict Content-Security-Policy, written as compile-time checked templates that escape every value
//! ([`layout`]). Requests are capped at 16 KB and 10 s. Tokens and comments are never
//! logged. This module writes nowhere but the [`Store`](crate::store::Store).

pub mod approval;
mod layout;
pub mod metrics;
mod pages;
mod panel;
mod panel_pages;
pub mod panel_session;
mod server;

pub use crate::store::{RatingOutcome, RatingSource};
pub use panel::{Dashboard, LOGIN_FAILURE_DELAY, TREND_WEEKS};
pub use panel_session::{SessionKey, COOKIE_NAME, SESSION_LENGTH};
pub use server::{serve, WebState, MAX_BODY_BYTES, REQUEST_TIMEOUT};
