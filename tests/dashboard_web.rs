//! The coordinator's dashboard and `/metrics` against a real server on 127.0.0.1 and a real SQLite register
//! filled through the store's public API, spoken to in plain HTTP/1.1; and the pages rendered by a real
//! headless browser (Debian's chromium), with screenshots under `target/` for a person to look at. One scenario
//! runs on PostgreSQL, so the dashboard's queries are proven on both backends.

mod common;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};
use triaje::vocabulary::{AttentionKind, Availability};
use triaje::workflow::ConsultationRecord;
use triaje::workflow::ReplyState;

use chrono::{DateTime, TimeDelta, Utc};
use triaje::calendar::BusinessCalendar;
use triaje::config::{DashboardLogin, Secret};
use triaje::store::{
    Cursor, NewConsultation, NewOutgoing, NewReply, OutgoingKind, RatingSource, Store,
};
use triaje::survey::SurveyKey;
use triaje::web::{Dashboard, WebState};

use common::http::{form_encode, Request, Response};
use common::register::Register;
use common::web::WebServer;

const USER: &str = "coordinador";
const PASSWORD: &str = "clave del panel de prueba";

// ---------------------------------------------------------------------------------------------------------
// Harness

/// A running server over its own register; stopped by `finish`.
struct Site {
    /// Where it listens.
    address: SocketAddr,
    /// The server.
    server: WebServer,
    /// The dashboard as the server has it (to make sessions the way a login does).
    dashboard: Option<Dashboard>,
    /// The register.
    store: Store,
    /// Keeps the register's file or database.
    _register: Register,
}

/// The register's tickets, by role in the scenario.
struct Tickets {
    /// Overdue for two days, its subject full of HTML.
    old_overdue: String,
    /// Overdue since an hour ago.
    new_overdue: String,
}

impl Site {
    /// A server with the dashboard on (or off) over a register filled by [`fill`].
    async fn start(with_dashboard: bool) -> (Site, Tickets) {
        Site::start_on(Register::sqlite().await, with_dashboard).await
    }

    /// The same over a fresh PostgreSQL database.
    async fn postgres() -> (Site, Tickets) {
        Site::start_on(Register::postgres().await, true).await
    }

    async fn start_on(register: Register, with_dashboard: bool) -> (Site, Tickets) {
        let store = register.store.clone();
        let tickets = fill(&store).await;
        let key = SurveyKey::from_bytes(b"una clave de prueba de 32 bytes o mas!").expect("key");
        let dashboard = with_dashboard.then(|| {
            Dashboard::new(
                DashboardLogin {
                    user: USER.into(),
                    password: Secret::new(PASSWORD),
                },
                &key,
                "http://127.0.0.1:8080",
                Arc::new(BusinessCalendar::peru_default()),
                BTreeMap::new(),
            )
            .with_unit_names([("seace".to_string(), "Dirección del SEACE".to_string())].into())
        });
        let state = WebState {
            store: store.clone(),
            key,
            dashboard: dashboard.clone(),
            counters: None,
        };
        let server = WebServer::start(state, "panel.test").await;
        let site = Site {
            address: server.address,
            server,
            dashboard,
            store,
            _register: register,
        };
        (site, tickets)
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Response {
        let mut request = Request::get(path);
        if let Some(c) = cookie {
            request = request.header(&format!("Cookie: triaje_panel={c}"));
        }
        self.server.fetch(request).await
    }

    async fn post_form(&self, path: &str, form: &str) -> Response {
        self.server.fetch(Request::form(path, form)).await
    }

    /// Logs in with the right password and returns the session cookie's value.
    async fn log_in(&self) -> String {
        let reply = self
            .post_form(
                "/panel/ingreso",
                &format!("usuario={USER}&contrasena={}", form_encode(PASSWORD)),
            )
            .await;
        assert_eq!(reply.status, 303, "{}", reply.body);
        assert_eq!(reply.header("location"), Some("/panel"));
        let cookie = reply.header("set-cookie").expect("a session cookie");
        for attribute in [
            "HttpOnly",
            "SameSite=Strict",
            "Path=/panel",
            "Max-Age=28800",
        ] {
            assert!(cookie.contains(attribute), "{attribute}: {cookie}");
        }
        assert!(!cookie.contains("Secure"), "http: no Secure: {cookie}");
        cookie
            .strip_prefix("triaje_panel=")
            .and_then(|c| c.split(';').next())
            .expect("triaje_panel=value")
            .to_string()
    }

    async fn finish(mut self) {
        self.server.stop();
        self.store.close().await;
    }
}

/// A consultation received a few seconds ago (in this month), due at `deadline`.
fn consultation(uid: u32, subject: &str, folder: &str, deadline: DateTime<Utc>) -> NewConsultation {
    let received = Utc::now() - TimeDelta::seconds(10);
    NewConsultation {
        uidvalidity: 1,
        uid,
        explanation: String::new(),
        size_bytes: 1_000,
        ack_skip: Some("prueba".into()),
        record: ConsultationRecord {
            fingerprint: format!("{uid:064x}"),
            message_id: Some(format!("<{uid}@ciudadano.example>")),
            from_addr: Some(format!("ciudadano{uid}@example.pe")),
            from_name: Some("Rosa Quispe".into()),
            subject: subject.into(),
            received_at: received,
            sender_date: None,
            effective_received_at: received,
            deadline_at: deadline,
            folder: folder.into(),
            category: folder.to_lowercase(),
            availability: Availability::Medium,
            rule: None,
            kind: AttentionKind::Consultation,
            area: None,
            error_reason: None,
            reply_to_addr: None,
        },
    }
}

/// Four consultations this month: two overdue (one with HTML in its subject), one answered in time, one still
/// in time and not yet filed; survey answers of 1, 4 and 5 stars.
async fn fill(store: &Store) -> Tickets {
    let now = Utc::now();
    let batch = vec![
        consultation(1, "<b>Urgente</b> & plazo", "RNP", now - TimeDelta::days(2)),
        consultation(
            2,
            "Consulta SEACE vencida",
            "SEACE",
            now - TimeDelta::hours(1),
        ),
        consultation(3, "Consulta atendida", "SEACE", now + TimeDelta::days(3)),
        consultation(4, "Consulta en plazo", "RNP", now + TimeDelta::days(30)),
    ];
    let cursor = Cursor {
        uidvalidity: 1,
        last_uid: 4,
    };
    let recorded = store
        .record_batch("consultas", cursor, &batch, "CONS", now)
        .await
        .expect("record");
    let ids: Vec<i64> = recorded.iter().map(|r| r.id).collect();
    store.mark_filed(&ids[..3], now).await.expect("file three");

    let mail = NewOutgoing {
        mailbox: "consultas".into(),
        kind: OutgoingKind::Reply,
        consultation_id: Some(ids[2]),
        message_id: "r3@osce.test".into(),
        envelope_from: "consultas@osce.test".into(),
        recipients: vec!["ciudadano3@example.pe".into()],
        raw: b"Subject: RE\r\n\r\nx\r\n".to_vec(),
    };
    let draft = NewReply {
        consultation_id: Some(ids[2]),
        draft_fingerprint: "d3".into(),
        draft_message_id: None,
        author: "ana@osce.test".into(),
        legal: false,
        state: ReplyState::Queued,
        observations: None,
        notification_message_id: None,
        reply_message_id: Some("r3@osce.test".into()),
    };
    store
        .submit_reply(&draft, Some(&mail), "respuesta", now)
        .await
        .expect("submit");
    for out in store
        .claim_due("t", now, Duration::from_secs(60), 10)
        .await
        .expect("claim")
    {
        store.mark_sent(out.id, "t", now).await.expect("sent");
    }
    for sent in store
        .sent_replies_to_file("consultas")
        .await
        .expect("to file")
    {
        store
            .mark_answered(&sent, "Atendidas", now)
            .await
            .expect("answered");
    }
    // The overdue SEACE consultation was derived to the SEACE directorate three days ago, with one day to answer.
    store
        .record_derivation(
            &triaje::store::NewDerivation {
                record: triaje::store::DerivationRecord {
                    consultation_id: ids[1],
                    mailbox: "consultas".into(),
                    unit: "seace".into(),
                    unit_address: "seace@osce.test".into(),
                    level: triaje::vocabulary::UnitLevel::Second,
                    message_id: "derivacion.CONS-2.ab@osce.test".into(),
                    due_at: now - TimeDelta::days(2),
                    escalated_from: None,
                },
                detail: "derivada".into(),
            },
            None,
            now - TimeDelta::days(3),
        )
        .await
        .expect("derive");
    for (id, stars) in [(ids[2], 5), (ids[3], 4), (ids[0], 1)] {
        store
            .record_rating(id, stars, RatingSource::Web, now)
            .await
            .expect("rate");
    }
    Tickets {
        old_overdue: recorded[0].ticket.clone(),
        new_overdue: recorded[1].ticket.clone(),
    }
}

/// The text of the `<span class="cifra">` before `label` in the indicator cards.
fn card<'a>(html: &'a str, label: &str) -> &'a str {
    let end = html
        .find(&format!("</span>{label}</li>"))
        .unwrap_or_else(|| panic!("card {label}"));
    let start = html[..end].rfind("<span class=\"cifra\">").expect("cifra") + 20;
    &html[start..end]
}

// ---------------------------------------------------------------------------------------------------------
// Scenarios

#[tokio::test]
async fn a_wrong_password_is_refused_and_the_right_one_shows_the_panel() {
    let (site, tickets) = Site::start(true).await;

    // Without a session: to the login form.
    let reply = site.get("/panel", None).await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), Some("/panel/ingreso"));
    let form = site.get("/panel/ingreso", None).await;
    assert_eq!(form.status, 200);
    assert!(form
        .body
        .contains("<label for=\"contrasena\">Contraseña</label>"));

    // Wrong password: the form again, slowly, and no cookie.
    let started = Instant::now();
    let reply = site
        .post_form(
            "/panel/ingreso",
            "usuario=coordinador&contrasena=adivinando",
        )
        .await;
    assert!(started.elapsed() >= Duration::from_millis(500));
    assert_eq!(reply.status, 401);
    assert!(reply.body.contains("Usuario o contraseña incorrectos"));
    assert!(reply.header("set-cookie").is_none());
    let reply = site
        .post_form(
            "/panel/ingreso",
            &format!("usuario=otro&contrasena={}", form_encode(PASSWORD)),
        )
        .await;
    assert_eq!(reply.status, 401, "the right password with another user");

    // The right one: a session, and the panel.
    let cookie = site.log_in().await;
    let panel = site.get("/panel", Some(&cookie)).await;
    assert_eq!(panel.status, 200, "{}", panel.body);
    let html = &panel.body;
    let csp = panel.header("content-security-policy").expect("CSP");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(html.contains("<html lang=\"es\">"));
    assert!(html.contains("name=\"viewport\""));
    for outside in ["<script", "<link", "<img", "@import", "url("] {
        assert!(!html.contains(outside), "{outside}");
    }

    // The month's indicators.
    assert_eq!(card(html, "Recibidas"), "4");
    assert_eq!(card(html, "Atendidas"), "1");
    assert_eq!(card(html, "En proceso"), "3");
    assert_eq!(card(html, "Vencidas sin atender"), "2");
    assert_eq!(card(html, "Atendidas en plazo"), "1 (100 %)");
    // Satisfaction: 2 of 3 answers with 3+ stars.
    assert_eq!(card(html, "Satisfacción (meta 85 %)"), "66,7 %");

    // The overdue list, oldest first, escaped.
    let old = html
        .find(&tickets.old_overdue)
        .expect("the oldest overdue ticket");
    let new = html
        .find(&tickets.new_overdue)
        .expect("the newer overdue ticket");
    assert!(old < new, "oldest first");
    assert!(html.contains("&lt;b&gt;Urgente&lt;/b&gt; &amp; plazo"));
    assert!(!html.contains("<b>Urgente</b>"));
    assert!(html.contains("Vencidas sin atender (2)"));
    assert!(html.contains("Consulta SEACE vencida"));
    assert!(!html.contains("Consulta en plazo"), "not due: not listed");
    // What the units hold: the SEACE directorate, past its deadline.
    assert!(
        html.contains("En unidades (1), 1 con plazo vencido"),
        "{html}"
    );
    assert!(html.contains("Dirección del SEACE (seace@osce.test)"));
    assert!(html.contains("<strong>vencido</strong>"));

    // The charts: survey (1, 4 and 5 stars) and the weekly trend (4 received and 1 answered this week).
    assert!(html
        .contains("1 estrella: 1; 2 estrellas: 0; 3 estrellas: 0; 4 estrellas: 1; 5 estrellas: 1"));
    assert!(html.contains("Últimas 8 semanas: 4 recibidas y 1 atendidas"));

    // Logging out forgets the cookie.
    let reply = site.post_form("/panel/salir", "").await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), Some("/panel/ingreso"));
    assert!(reply
        .header("set-cookie")
        .is_some_and(|c| c.starts_with("triaje_panel=;") && c.contains("Max-Age=0")));
    site.finish().await;
}

#[tokio::test]
async fn a_forged_edited_or_expired_session_goes_back_to_the_login() {
    let (site, _) = Site::start(true).await;
    let cookie = site.log_in().await;
    let mut edited: Vec<char> = cookie.chars().collect();
    edited[3] = if edited[3] == 'A' { 'B' } else { 'A' };
    let edited: String = edited.into_iter().collect();
    let dashboard = site.dashboard.clone().expect("on");
    let expired = dashboard.session_cookie(Utc::now() - TimeDelta::seconds(1));
    let other_key = Dashboard::new(
        DashboardLogin {
            user: USER.into(),
            password: Secret::new("otra clave del panel"),
        },
        &SurveyKey::from_bytes(b"una clave de prueba de 32 bytes o mas!").expect("key"),
        "http://127.0.0.1:8080",
        Arc::new(BusinessCalendar::peru_default()),
        BTreeMap::new(),
    )
    .session_cookie(Utc::now() + TimeDelta::hours(1));
    for bad in [
        edited.as_str(),
        expired.as_str(),
        other_key.as_str(),
        "x.y",
        "",
    ] {
        let reply = site.get("/panel", Some(bad)).await;
        assert_eq!(reply.status, 303, "{bad}");
        assert_eq!(reply.header("location"), Some("/panel/ingreso"), "{bad}");
    }
    assert_eq!(site.get("/panel", Some(&cookie)).await.status, 200);
    site.finish().await;
}

#[tokio::test]
async fn metrics_are_prometheus_text_with_the_registers_numbers() {
    let (site, _) = Site::start(true).await;
    check_metrics(&site).await;
    site.finish().await;
}

#[tokio::test]
async fn on_postgres_the_panel_and_the_metrics_show_the_same_numbers() {
    let (site, tickets) = Site::postgres().await;
    check_metrics(&site).await;
    let cookie = site.log_in().await;
    let panel = site.get("/panel", Some(&cookie)).await;
    assert_eq!(panel.status, 200, "{}", panel.body);
    let html = &panel.body;
    assert_eq!(card(html, "Recibidas"), "4");
    assert_eq!(card(html, "Vencidas sin atender"), "2");
    assert!(html.find(&tickets.old_overdue) < html.find(&tickets.new_overdue));
    assert!(html.contains("Últimas 8 semanas: 4 recibidas y 1 atendidas"));
    site.finish().await;
}

/// `/metrics` parses line by line and holds the numbers [`fill`] put in the register.
async fn check_metrics(site: &Site) {
    let reply = site.get("/metrics", None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    let mut values: BTreeMap<String, f64> = BTreeMap::new();
    for line in reply.body.lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        // name{labels} value, or name value.
        let (series, value) = line.rsplit_once(' ').expect("series and value");
        let name_end = series.find('{').unwrap_or(series.len());
        let name = &series[..name_end];
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "{line}"
        );
        if name_end < series.len() {
            assert!(series.ends_with('}'), "{line}");
            for pair in series[name_end + 1..series.len() - 1].split(',') {
                let (label, quoted) = pair.split_once('=').expect("label=\"value\"");
                assert!(
                    label.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                    "{line}"
                );
                assert!(quoted.starts_with('"') && quoted.ends_with('"'), "{line}");
            }
        }
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("a number: {line}"));
        values.insert(series.to_string(), value);
    }
    let get = |series: &str| {
        *values
            .get(series)
            .unwrap_or_else(|| panic!("{series} in {}", reply.body))
    };
    assert_eq!(get("triaje_up"), 1.0);
    assert_eq!(
        get("triaje_consultations_total{mailbox=\"consultas\",state=\"filed\"}"),
        2.0
    );
    assert_eq!(
        get("triaje_consultations_total{mailbox=\"consultas\",state=\"answered\"}"),
        1.0
    );
    assert_eq!(
        get("triaje_consultations_total{mailbox=\"consultas\",state=\"recorded\"}"),
        1.0
    );
    assert_eq!(get("triaje_outbox_messages{state=\"sent\"}"), 1.0);
    assert_eq!(get("triaje_outbox_messages{state=\"queued\"}"), 0.0);
    assert_eq!(get("triaje_outbox_messages{state=\"failed\"}"), 0.0);
    let oldest = get("triaje_oldest_unfiled_seconds{mailbox=\"consultas\"}");
    assert!((5.0..600.0).contains(&oldest), "{oldest}");
    for (stars, count) in [(1, 1.0), (2, 0.0), (3, 0.0), (4, 1.0), (5, 1.0)] {
        assert_eq!(
            get(&format!("triaje_survey_answers_total{{stars=\"{stars}\"}}")),
            count
        );
    }
}

#[tokio::test]
async fn without_a_dashboard_password_the_panel_does_not_exist_but_metrics_do() {
    let (site, _) = Site::start(false).await;
    for path in ["/panel", "/panel/ingreso"] {
        assert_eq!(site.get(path, None).await.status, 404, "{path}");
    }
    let reply = site
        .post_form("/panel/ingreso", "usuario=coordinador&contrasena=x")
        .await;
    assert_eq!(reply.status, 404);
    assert_eq!(site.get("/metrics", None).await.status, 200);
    site.finish().await;
}

// ---------------------------------------------------------------------------------------------------------
// A real browser

/// Debian's chromium, installed with apt-get if missing; `None` (with a loud message) if that fails.
fn chromium() -> Option<PathBuf> {
    let path = PathBuf::from("/usr/bin/chromium");
    if path.exists() {
        return Some(path);
    }
    eprintln!("chromium is missing: installing Debian's package (apt-get install -y chromium)…");
    let installed = Command::new("apt-get")
        .args(["install", "-y", "chromium"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .is_ok_and(|s| s.success());
    if installed && path.exists() {
        return Some(path);
    }
    eprintln!(
        "\n\n!!!!! SKIPPED: chromium could not be installed; the dashboard was NOT checked in a browser !!!!!\n\n"
    );
    None
}

/// Runs headless chromium on `url` with `args` and returns its standard output.
fn run_chromium(chromium: &Path, profile: &Path, args: &[&str], url: &str) -> String {
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A screenshot that exists and is not trivially small.
fn assert_screenshot(path: &Path) {
    let size = std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .len();
    assert!(size > 5 * 1024, "{} is only {size} bytes", path.display());
}

#[tokio::test]
async fn the_dashboard_renders_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        return;
    };
    let (site, tickets) = Site::start(true).await;
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&target).expect("target/");
    let profile = tempfile::tempdir().expect("browser profile");

    // The login page, served live: the browser sees the form.
    let login_url = format!("http://{}/panel/ingreso", site.address);
    let dom = {
        let (chromium, profile, url) = (
            chromium.clone(),
            profile.path().to_owned(),
            login_url.clone(),
        );
        tokio::task::spawn_blocking(move || {
            run_chromium(&chromium, &profile, &["--dump-dom"], &url)
        })
        .await
        .expect("chromium")
    };
    assert!(dom.contains("name=\"contrasena\""), "{dom}");
    let login_png = target.join("panel-ingreso.png");
    let _ = std::fs::remove_file(&login_png);
    {
        let shot = format!("--screenshot={}", login_png.display());
        let (chromium, profile, url) = (chromium.clone(), profile.path().to_owned(), login_url);
        tokio::task::spawn_blocking(move || {
            run_chromium(&chromium, &profile, &[&shot, "--window-size=800,900"], &url)
        })
        .await
        .expect("chromium");
    }
    assert_screenshot(&login_png);

    // The panel after a real login over HTTP, saved as the browser would receive it (it is self-contained:
    // no scripts, styles or images to fetch), then rendered by chromium.
    let cookie = site.log_in().await;
    let panel = site.get("/panel", Some(&cookie)).await;
    assert_eq!(panel.status, 200);
    let html_path = target.join("panel.html");
    std::fs::write(&html_path, &panel.body).expect("write target/panel.html");
    let file_url = format!("file://{}", html_path.display());
    let dom = {
        let (chromium, profile, url) = (
            chromium.clone(),
            profile.path().to_owned(),
            file_url.clone(),
        );
        tokio::task::spawn_blocking(move || {
            run_chromium(&chromium, &profile, &["--dump-dom"], &url)
        })
        .await
        .expect("chromium")
    };
    assert!(
        dom.contains(&tickets.old_overdue),
        "the overdue list in the browser's DOM"
    );
    assert!(dom.contains("Vencidas sin atender (2)"));
    assert!(dom.contains("<svg"), "the charts");
    let panel_png = target.join("panel.png");
    let phone_png = target.join("panel-telefono.png");
    for (png, size) in [
        (&panel_png, "--window-size=1280,2000"),
        (&phone_png, "--window-size=390,2400"),
    ] {
        let _ = std::fs::remove_file(png);
        let shot = format!("--screenshot={}", png.display());
        let (chromium, profile, url) = (
            chromium.clone(),
            profile.path().to_owned(),
            file_url.clone(),
        );
        tokio::task::spawn_blocking(move || {
            run_chromium(&chromium, &profile, &[&shot, size], &url)
        })
        .await
        .expect("chromium");
        assert_screenshot(png);
    }
    eprintln!(
        "screenshots: {}, {}, {}",
        login_png.display(),
        panel_png.display(),
        phone_png.display()
    );
    site.finish().await;
}

/// playwright-core from the npm registry, installed under `target/browser-driver` (not committed) on first use;
/// `None` with a loud message when npm cannot install it.
fn playwright() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-driver");
    if dir.join("node_modules/playwright-core").exists() {
        return Some(dir);
    }
    std::fs::create_dir_all(&dir).ok()?;
    let ok = Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--silent",
            "playwright-core@1",
        ])
        .current_dir(&dir)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if ok {
        Some(dir)
    } else {
        eprintln!("\n\n!!!!! SKIPPED: npm could not install playwright-core; the browser login was NOT checked !!!!!\n\n");
        None
    }
}

#[tokio::test]
async fn a_coordinator_logs_in_with_a_real_browser_and_sees_the_overdue_list() {
    if chromium().is_none() {
        return;
    }
    let Some(driver) = playwright() else {
        return;
    };
    let (site, tickets) = Site::start(true).await;
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    // The script lives in tests/browser; node resolves playwright-core from the driver's node_modules.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/panel_login.mjs");
    let copy = driver.join("panel_login.mjs");
    std::fs::copy(&script, &copy).expect("copy the browser script");
    let base = format!("http://{}", site.address);
    let out_dir = target.display().to_string();
    let ticket = tickets.old_overdue.clone();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(&copy)
            .args([&base, USER, PASSWORD, &ticket, &out_dir])
            .output()
            .expect("run node")
    })
    .await
    .expect("browser");
    assert!(
        output.status.success(),
        "the browser login failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_screenshot(&target.join("panel-navegador.png"));
    assert_screenshot(&target.join("panel-navegador-telefono.png"));
}
