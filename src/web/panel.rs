//! The coordinator's read-only dashboard (`/panel`): a login form, a signed session cookie, and one page with
//! the month's indicators, what is due today, what is overdue, the survey and the weekly trend.
//!
//! Off (every `/panel` address answers 404) unless `[web]` configures a dashboard password. Reads the store;
//! writes nothing anywhere.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::{DateTime, Datelike, TimeDelta, Utc};
use serde::Deserialize;

use super::panel_pages::{self, Overdue, PanelView};
use super::panel_session::{credentials_match, SessionKey, COOKIE_NAME, SESSION_LENGTH};
use super::server::html;
use super::{pages, WebState};
use crate::calendar::{BusinessCalendar, Reception, LIMA};
use crate::config::DashboardLogin;
use crate::report::{self, MonthIndicators, ReportContext};
use crate::store::StoreError;
use crate::survey::SurveyKey;

/// How long a wrong password waits before the form comes back: slows guessing without locking anyone out.
pub const LOGIN_FAILURE_DELAY: Duration = Duration::from_millis(500);

/// Weeks shown in the trend chart.
pub const TREND_WEEKS: u32 = 8;

/// What the dashboard needs besides the store: who may log in, the session key, and what the indicators are
/// computed with (the calendar and each mailbox's hours, as `triaje report` uses them).
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// The configured user and password.
    login: DashboardLogin,
    /// Signs and checks session cookies.
    session: SessionKey,
    /// Business days, for response times and days late.
    calendar: Arc<BusinessCalendar>,
    /// Each configured mailbox's opening and cut-off, by name.
    receptions: BTreeMap<String, Reception>,
    /// Whether cookies get `Secure` (the public address is https).
    secure: bool,
    /// The path prefix of the public address (`""`, or `/triaje` behind a proxy that keeps it).
    base: String,
    /// The units' display names by short name («seace» → «Dirección del SEACE»).
    unit_names: BTreeMap<String, String>,
}

impl Dashboard {
    /// The dashboard of `login`, reached at `public_url`; sessions are sealed with a key derived from
    /// `survey_key` and the password.
    pub fn new(
        login: DashboardLogin,
        survey_key: &SurveyKey,
        public_url: &str,
        calendar: Arc<BusinessCalendar>,
        receptions: BTreeMap<String, Reception>,
    ) -> Dashboard {
        let secure = public_url.starts_with("https://");
        let after_scheme = public_url.split_once("://").map_or("", |(_, rest)| rest);
        let base = after_scheme
            .find('/')
            .map_or("", |at| &after_scheme[at..])
            .trim_end_matches('/')
            .to_string();
        Dashboard {
            session: SessionKey::new(survey_key, &login),
            login,
            calendar,
            receptions,
            secure,
            base,
            unit_names: BTreeMap::new(),
        }
    }

    /// The same dashboard showing the units by the names people read (`[[unit]] display_name`).
    pub fn with_unit_names(mut self, names: BTreeMap<String, String>) -> Dashboard {
        self.unit_names = names;
        self
    }

    /// A session cookie value for the configured user, valid until `expires_at` (what a login sets).
    pub fn session_cookie(&self, expires_at: DateTime<Utc>) -> String {
        self.session.sign(&self.login.user, expires_at)
    }

    /// The address of `path` (`/panel…`) as the browser sees it.
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `Set-Cookie` for `value`, kept `max_age` seconds.
    fn cookie(&self, value: &str, max_age: i64) -> String {
        format!(
            "{COOKIE_NAME}={value}; Max-Age={max_age}; Path={}; HttpOnly; SameSite=Strict{}",
            self.url("/panel"),
            if self.secure { "; Secure" } else { "" }
        )
    }

    /// 303 to `path`, with an optional `Set-Cookie`.
    fn redirect(&self, path: &str, cookie: Option<String>) -> Response {
        let mut response = StatusCode::SEE_OTHER.into_response();
        let headers = response.headers_mut();
        if let Ok(location) = HeaderValue::from_str(&self.url(path)) {
            headers.insert(header::LOCATION, location);
        }
        if let Some(cookie) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
            headers.insert(header::SET_COOKIE, cookie);
        }
        response
    }

    /// The logged-in user, if the request carries a valid session cookie.
    fn user(&self, headers: &HeaderMap, now: DateTime<Utc>) -> Option<String> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .filter(|(name, _)| *name == COOKIE_NAME)
            .find_map(|(_, value)| self.session.verify(value, now))
    }
}

/// 404 when the dashboard is off.
fn disabled() -> Response {
    html(StatusCode::NOT_FOUND, pages::not_found())
}

/// `GET /panel/ingreso`: the login form.
pub(super) async fn login_form(State(state): State<Arc<WebState>>) -> Response {
    match &state.dashboard {
        None => disabled(),
        Some(d) => html(
            StatusCode::OK,
            panel_pages::login(&d.url("/panel/ingreso"), false),
        ),
    }
}

/// The login form as posted.
#[derive(Debug, Deserialize)]
pub(super) struct LoginForm {
    /// The user name.
    #[serde(default)]
    usuario: String,
    /// The password.
    #[serde(default)]
    contrasena: String,
}

/// `POST /panel/ingreso`: right user and password → session cookie and the panel; wrong → the form again,
/// after [`LOGIN_FAILURE_DELAY`].
pub(super) async fn login(
    State(state): State<Arc<WebState>>,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Some(d) = &state.dashboard else {
        return disabled();
    };
    let accepted = match &form {
        Ok(Form(form)) => credentials_match(&d.login, &form.usuario, &form.contrasena),
        Err(_) => false,
    };
    if accepted {
        tracing::info!(user = %d.login.user, "dashboard login");
        let cookie = d.cookie(
            &d.session_cookie(Utc::now() + SESSION_LENGTH),
            SESSION_LENGTH.num_seconds(),
        );
        return d.redirect("/panel", Some(cookie));
    }
    // Neither what was typed nor the password is logged.
    tracing::warn!("dashboard login refused");
    tokio::time::sleep(LOGIN_FAILURE_DELAY).await;
    html(
        StatusCode::UNAUTHORIZED,
        panel_pages::login(&d.url("/panel/ingreso"), true),
    )
}

/// `POST /panel/salir`: forgets the session and goes back to the login form.
pub(super) async fn logout(State(state): State<Arc<WebState>>) -> Response {
    match &state.dashboard {
        None => disabled(),
        Some(d) => d.redirect("/panel/ingreso", Some(d.cookie("", 0))),
    }
}

/// `GET /panel`: the dashboard, or 303 to the login form without a valid session.
pub(super) async fn panel(State(state): State<Arc<WebState>>, headers: HeaderMap) -> Response {
    let Some(d) = &state.dashboard else {
        return disabled();
    };
    let now = Utc::now();
    let Some(user) = d.user(&headers, now) else {
        return d.redirect("/panel/ingreso", None);
    };
    match render(&state, d, &user, now).await {
        Ok(page) => html(StatusCode::OK, page),
        Err(error) => {
            tracing::error!(%error, "dashboard: could not read the register");
            html(StatusCode::SERVICE_UNAVAILABLE, pages::unavailable())
        }
    }
}

/// Why the panel could not be drawn.
#[derive(Debug, thiserror::Error)]
enum PanelError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A date outside chrono's range.
    #[error(transparent)]
    Report(#[from] report::ReportError),
}

/// Gathers the numbers (five queries) and draws the panel.
async fn render(
    state: &WebState,
    d: &Dashboard,
    user: &str,
    now: DateTime<Utc>,
) -> Result<String, PanelError> {
    let today = now.with_timezone(&LIMA).date_naive();
    let (first, next) = report::month_days(today.year(), today.month())?;
    let (from, to) = (report::lima_midnight(first)?, report::lima_midnight(next)?);
    let rows = state.store.register_rows(from, to).await?;
    let ctx = ReportContext {
        calendar: &d.calendar,
        receptions: d.receptions.clone(),
        default_reception: Reception::default(),
        now,
    };
    let entries = report::register::entries(rows, &ctx);
    let month = MonthIndicators::compute(today.year(), today.month(), now, &entries);

    let (_, today_end) = report::day_bounds(today)?;
    let (overdue, due_today): (Vec<_>, Vec<_>) = state
        .store
        .due_by(today_end)
        .await?
        .into_iter()
        .partition(|c| c.deadline_at < now);
    let overdue: Vec<Overdue> = overdue
        .into_iter()
        .map(|consultation| Overdue {
            days_late: d.calendar.business_days_between(
                consultation.deadline_at.with_timezone(&LIMA).date_naive(),
                today,
            ),
            consultation,
        })
        .collect();

    let held = state.store.held_by_units().await?;
    let survey = state.store.survey_summary().await?;
    // Weeks run Monday to Sunday; the last one is this week.
    let monday = today - TimeDelta::days(i64::from(today.weekday().num_days_from_monday()));
    let first_week = report::lima_midnight(monday - TimeDelta::weeks(i64::from(TREND_WEEKS) - 1))?;
    let trend = state.store.weekly_trend(first_week, TREND_WEEKS).await?;

    Ok(panel_pages::panel(&PanelView {
        user,
        now,
        month: &month,
        due_today: &due_today,
        overdue: &overdue,
        held: &held,
        unit_names: &d.unit_names,
        survey: &survey,
        trend: &trend,
        logout_action: &d.url("/panel/salir"),
    }))
}
