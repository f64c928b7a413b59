//! The dashboard's pages: the login form and the panel, server-rendered Spanish HTML with inline CSS and
//! inline SVG charts (no scripts, fonts or images), as [`maud`] templates (see [`layout`](super::layout)):
//! every value that came from the register is escaped by them. Pure: the handlers gather the numbers and pass
//! them in.

use chrono::{DateTime, Utc};
use maud::{html, Markup};

use super::layout::{count, page};
use crate::report::{Breakdown, MonthIndicators};
use crate::spanish;
use crate::store::{DueConsultation, HeldByUnit, WeekCount};
use crate::vocabulary::{SurveySummary, SATISFACTION_TARGET};

/// The stylesheet: readable on a phone (one column) and on a desk (cards in a grid), zoom-friendly.
const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;\
font-size:1rem;line-height:1.5;color:#1a1a1a;background:#f6f6f4;margin:0;padding:.75rem}\
main{max-width:72rem;margin:0 auto}\
header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem}\
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0}h2{font-size:1.2rem;margin:0 0 .5rem}\
section{background:#fff;border:1px solid #d0d0cc;border-radius:.5rem;padding:1rem;margin:1rem 0}\
.tarjetas{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.75rem;\
list-style:none;padding:0;margin:0}\
.tarjetas li{border:1px solid #d0d0cc;border-radius:.5rem;padding:.5rem .75rem;background:#fafaf8}\
.cifra{display:block;font-size:1.6rem;font-weight:700}.alerta .cifra{color:#a4161a}\
.tabla{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.95rem}\
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e2e2de;vertical-align:top}\
th{background:#f0f4f8}td.n,th.n{text-align:right}.ticket{white-space:nowrap}\
.graficos{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}\
svg{width:100%;height:auto;max-width:40rem}figure{margin:0}figcaption{color:#444;font-size:.9rem}\
label{display:block;font-weight:600;margin:1rem 0 .25rem}\
input{box-sizing:border-box;width:100%;max-width:24rem;font:inherit;padding:.5rem;\
border:2px solid #555;border-radius:.25rem}\
button{font:inherit;margin-top:.75rem;padding:.5rem 1.25rem;background:#0b4f8a;color:#fff;\
border:0;border-radius:.25rem;cursor:pointer}header button{margin:0;background:#555}\
:focus-visible{outline:3px solid #e07000;outline-offset:2px}\
.error{color:#a4161a;font-weight:600;border-left:4px solid #a4161a;padding-left:.5rem}\
.nota{color:#444;font-size:.9rem}.ingreso{max-width:28rem;margin:2rem auto}";

/// The login form, posting to `action`; `failed` adds the refusal.
pub(super) fn login(action: &str, failed: bool) -> String {
    let described = failed.then_some("ingreso-error");
    page(
        "Ingreso al panel del coordinador",
        STYLE,
        html! {
            section.ingreso {
                h1 { "Panel del coordinador" }
                @if failed {
                    p.error role="alert" id="ingreso-error" { "Usuario o contraseña incorrectos" }
                }
                form method="post" action=(action) {
                    label for="usuario" { "Usuario" }
                    input id="usuario" name="usuario" autocomplete="username" required
                        aria-describedby=[described];
                    label for="contrasena" { "Contraseña" }
                    input id="contrasena" name="contrasena" type="password" autocomplete="current-password"
                        required aria-describedby=[described];
                    button type="submit" { "Ingresar" }
                }
                p.nota { "Solo lectura. La sesión dura 8 horas." }
            }
        },
    )
}

/// An overdue consultation and how many business days late it is.
#[derive(Debug, Clone)]
pub(super) struct Overdue {
    /// The consultation.
    pub consultation: DueConsultation,
    /// Business days after its deadline's day, up to today (0: it fell due earlier today).
    pub days_late: i64,
}

/// Everything the panel shows.
#[derive(Debug)]
pub(super) struct PanelView<'a> {
    /// Who is logged in.
    pub user: &'a str,
    /// When the numbers were taken.
    pub now: DateTime<Utc>,
    /// The current month's indicators.
    pub month: &'a MonthIndicators,
    /// Open consultations due later today.
    pub due_today: &'a [DueConsultation],
    /// Open consultations past their deadline, oldest first.
    pub overdue: &'a [Overdue],
    /// What the units hold now, the one due first first (002 §9.3.3).
    pub held: &'a [HeldByUnit],
    /// The units' display names by short name.
    pub unit_names: &'a std::collections::BTreeMap<String, String>,
    /// Every survey answer so far.
    pub survey: &'a SurveySummary,
    /// Received and answered per week, oldest first.
    pub trend: &'a [WeekCount],
    /// Where the logout form posts.
    pub logout_action: &'a str,
}

/// The panel.
pub(super) fn panel(view: &PanelView<'_>) -> String {
    let m = view.month;
    let t = &m.total;
    let satisfaction = match m.survey.satisfied_share {
        None => "—".to_string(),
        Some(share) => spanish::percent(Some(share)),
    };
    let cards: [(&str, String, bool); 8] = [
        ("Recibidas", t.received.to_string(), false),
        ("Atendidas", t.resolved.to_string(), false),
        ("En proceso", t.in_progress.to_string(), false),
        ("Vencidas sin atender", t.overdue.to_string(), t.overdue > 0),
        (
            "Atendidas en plazo",
            format!("{} ({})", t.within_deadline, spanish::percent(t.compliance)),
            false,
        ),
        (
            "Tiempo promedio (h. hábiles)",
            spanish::hours(t.average_hours),
            false,
        ),
        (
            "Percentil 90 (h. hábiles)",
            spanish::hours(t.p90_hours),
            false,
        ),
        (
            "Satisfacción (meta 85 %)",
            satisfaction,
            m.survey.meets_target() == Some(false),
        ),
    ];
    let body = html! {
        header {
            h1 { "Panel del coordinador" }
            form method="post" action=(view.logout_action) {
                span.nota { (view.user) " · " }
                button type="submit" { "Salir" }
            }
        }
        p.nota {
            "Datos al " (spanish::date_time(&view.now))
            " (hora de Lima). Solo lectura; recargue la página para actualizar."
        }
        section aria-labelledby="t-indicadores" {
            h2 id="t-indicadores" { "Indicadores de " (spanish::month(m.month)) " de " (m.year) }
            ul.tarjetas {
                @for (label, value, alert) in &cards {
                    li.alerta[*alert] { span.cifra { (value) } (label) }
                }
            }
            (breakdown_table("Por buzón", "Buzón", &m.by_mailbox))
            (breakdown_table("Por carpeta", "Carpeta", &m.by_folder))
        }
        section aria-labelledby="t-hoy" {
            h2 id="t-hoy" { "Vencen hoy (" (view.due_today.len()) ")" }
            @if view.due_today.is_empty() {
                p { "No hay consultas que venzan hoy." }
            } @else {
                div.tabla { table {
                    thead { tr {
                        th scope="col" { "Ticket" } th scope="col" { "Asunto" } th scope="col" { "Buzón" }
                        th scope="col" { "Carpeta" } th scope="col" { "Vence" }
                    } }
                    tbody {
                        @for c in view.due_today {
                            tr {
                                td.ticket { (c.ticket) } td { (c.subject) } td { (c.mailbox) }
                                td { (c.folder) } td { (spanish::time(&c.deadline_at)) }
                            }
                        }
                    }
                } }
            }
        }
        section aria-labelledby="t-vencidas" {
            h2 id="t-vencidas" { "Vencidas sin atender (" (view.overdue.len()) ")" }
            @if view.overdue.is_empty() {
                p { "No hay consultas vencidas." }
            } @else {
                div.tabla { table {
                    thead { tr {
                        th scope="col" { "Ticket" } th scope="col" { "Asunto" } th scope="col" { "Buzón" }
                        th scope="col" { "Carpeta" } th scope="col" { "Plazo" }
                        th.n scope="col" { "Días hábiles de atraso" }
                    } }
                    tbody {
                        @for o in view.overdue {
                            @let c = &o.consultation;
                            tr {
                                td.ticket { (c.ticket) } td { (c.subject) } td { (c.mailbox) }
                                td { (c.folder) } td { (spanish::date_time(&c.deadline_at)) }
                                td.n {
                                    @if o.days_late <= 0 { "hoy" } @else { (o.days_late) }
                                }
                            }
                        }
                    }
                } }
            }
        }
        section aria-labelledby="t-unidades" {
            @let late = view.held.iter().filter(|h| h.derivation.is_late(view.now)).count();
            h2 id="t-unidades" { "En unidades (" (view.held.len()) "), " (late) " con plazo vencido" }
            @if view.held.is_empty() {
                p { "Ninguna unidad tiene consultas derivadas." }
            } @else {
                div.tabla { table {
                    thead { tr {
                        th scope="col" { "Ticket" } th scope="col" { "Asunto" } th scope="col" { "Unidad" }
                        th.n scope="col" { "Nivel" } th scope="col" { "Derivada" } th scope="col" { "Plazo de la unidad" }
                        th scope="col" { "Estado" }
                    } }
                    tbody {
                        @for h in view.held {
                            @let d = &h.derivation;
                            tr {
                                td.ticket { (h.ticket) } td { (h.subject) }
                                td {
                                    (view.unit_names.get(&d.unit).unwrap_or(&d.unit))
                                    " (" (d.unit_address) ")"
                                }
                                td.n { (d.level.number()) }
                                td { (spanish::date_time(&d.derived_at)) } td { (spanish::date_time(&d.due_at)) }
                                td { @if d.is_late(view.now) { strong { "vencido" } } @else { "en plazo" } }
                            }
                        }
                    }
                } }
            }
        }
        section aria-labelledby="t-graficos" {
            h2 id="t-graficos" { "Encuesta y tendencia" }
            div.graficos { (survey_chart(view.survey)) (trend_chart(view.trend)) }
        }
    };
    page("Panel del coordinador", STYLE, body)
}

/// One view of the month's indicators as a table.
fn breakdown_table(title: &str, key: &str, rows: &[Breakdown]) -> Markup {
    html! {
        @if !rows.is_empty() {
            h3 { (title) }
            div.tabla { table {
                thead { tr {
                    th scope="col" { (key) }
                    th.n scope="col" { "Recibidas" } th.n scope="col" { "Atendidas" }
                    th.n scope="col" { "En proceso" } th.n scope="col" { "Vencidas" }
                    th.n scope="col" { "En plazo" } th.n scope="col" { "Promedio" }
                } }
                tbody {
                    @for b in rows {
                        @let i = &b.indicators;
                        tr {
                            th scope="row" { (b.key) }
                            td.n { (i.received) } td.n { (i.resolved) } td.n { (i.in_progress) }
                            td.n { (i.overdue) } td.n { (spanish::percent(i.compliance)) }
                            td.n { (spanish::hours(i.average_hours)) }
                        }
                    }
                }
            } }
        }
    }
}

/// A number for an SVG coordinate, to a tenth.
fn at(value: f64) -> String {
    format!("{value:.1}")
}

/// The survey's answers per star as a bar chart (1–2 stars in red, 3–5 in green).
pub(super) fn survey_chart(survey: &SurveySummary) -> Markup {
    let max = survey.counts.iter().copied().max().unwrap_or(0).max(1);
    let (width, height, top, bottom) = (360.0, 220.0, 24.0, 180.0);
    let slot = width / 5.0;
    let desc: Vec<String> = survey
        .counts
        .iter()
        .enumerate()
        .map(|(i, &n)| format!("{}: {n}", count(i as u64 + 1, "estrella", "estrellas")))
        .collect();
    let share = match survey.satisfied_share {
        None => "todavía sin respuestas".to_string(),
        Some(share) => format!(
            "{} con 3 a 5 estrellas; meta {}",
            spanish::percent(Some(share)),
            spanish::percent(Some(SATISFACTION_TARGET))
        ),
    };
    html! {
        figure {
            svg viewBox={ "0 0 " (width) " " (height) } role="img" aria-labelledby="g-enc-t g-enc-d"
                xmlns="http://www.w3.org/2000/svg" {
                title id="g-enc-t" { "Respuestas de la encuesta por estrellas" }
                desc id="g-enc-d" { (desc.join("; ")) }
                line x1="0" y1=(bottom) x2=(width) y2=(bottom) stroke="#888" {}
                @for (i, &n) in survey.counts.iter().enumerate() {
                    @let stars = i + 1;
                    @let h = (bottom - top) * n as f64 / max as f64;
                    @let x = slot * i as f64 + slot * 0.2;
                    rect x=(at(x)) y=(at(bottom - h)) width=(at(slot * 0.6)) height=(at(h))
                        fill=(if stars <= 2 { "#a4161a" } else { "#1b7a43" }) {}
                    text x=(at(x + slot * 0.3)) y=(at(bottom - h - 6.0)) text-anchor="middle" font-size="14" { (n) }
                    text x=(at(x + slot * 0.3)) y="200" text-anchor="middle" font-size="14" { (stars) " ★" }
                }
            }
            figcaption {
                "Encuesta de satisfacción, todas las respuestas (" (survey.total) "): " (share) "."
            }
        }
    }
}

/// Received and answered per week as grouped bars, with the numbers in a table below for screen readers.
pub(super) fn trend_chart(trend: &[WeekCount]) -> Markup {
    let max = trend
        .iter()
        .map(|w| w.received.max(w.answered))
        .max()
        .unwrap_or(0)
        .max(1);
    let (width, height, top, bottom, left) = (640.0, 240.0, 24.0, 196.0, 8.0);
    let slot = (width - left) / trend.len().max(1) as f64;
    let total_received: u64 = trend.iter().map(|w| w.received).sum();
    let total_answered: u64 = trend.iter().map(|w| w.answered).sum();
    let week_of = |w: &WeekCount| spanish::day_month(&w.start);
    html! {
        figure {
            svg viewBox={ "0 0 " (width) " " (height) } role="img" aria-labelledby="g-sem-t g-sem-d"
                xmlns="http://www.w3.org/2000/svg" {
                title id="g-sem-t" { "Recibidas y atendidas por semana" }
                desc id="g-sem-d" {
                    "Últimas " (trend.len()) " semanas: " (total_received) " recibidas y " (total_answered)
                    " atendidas; el detalle está en la tabla siguiente."
                }
                line x1="0" y1=(bottom) x2=(width) y2=(bottom) stroke="#888" {}
                @for (i, week) in trend.iter().enumerate() {
                    @let x = left + slot * i as f64;
                    @for (n, (value, colour)) in [(week.received, "#0b4f8a"), (week.answered, "#1b7a43")].into_iter().enumerate() {
                        @let h = (bottom - top) * value as f64 / max as f64;
                        @let bx = x + slot * 0.12 + n as f64 * slot * 0.38;
                        rect x=(at(bx)) y=(at(bottom - h)) width=(at(slot * 0.36)) height=(at(h)) fill=(colour) {}
                        text x=(at(bx + slot * 0.18)) y=(at(bottom - h - 4.0)) text-anchor="middle" font-size="12" { (value) }
                    }
                    text x=(at(x + slot * 0.5)) y="214" text-anchor="middle" font-size="12" { (week_of(week)) }
                }
                rect x=(width - 200.0) y="226" width="12" height="12" fill="#0b4f8a" {}
                text x=(width - 184.0) y="237" font-size="12" { "Recibidas" }
                rect x=(width - 100.0) y="226" width="12" height="12" fill="#1b7a43" {}
                text x=(width - 84.0) y="237" font-size="12" { "Atendidas" }
            }
            figcaption { "Semanas de lunes a domingo (la primera fecha de cada una)." }
            details {
                summary { "Ver los números" }
                div.tabla { table {
                    thead { tr {
                        th scope="col" { "Semana del" }
                        th.n scope="col" { "Recibidas" } th.n scope="col" { "Atendidas" }
                    } }
                    tbody {
                        @for week in trend {
                            tr {
                                th scope="row" { (week_of(week)) }
                                td.n { (week.received) } td.n { (week.answered) }
                            }
                        }
                    }
                } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn week(n: i64, received: u64, answered: u64) -> WeekCount {
        WeekCount {
            start: DateTime::from_timestamp(1_795_000_000, 0).expect("valid")
                + TimeDelta::days(7 * n),
            received,
            answered,
        }
    }

    #[test]
    fn the_login_form_is_spanish_labelled_and_self_contained() {
        let html = login("/panel/ingreso", false);
        assert!(html.contains("<html lang=\"es\">"));
        assert!(html.contains("<label for=\"usuario\">Usuario</label>"));
        assert!(html.contains("<label for=\"contrasena\">Contraseña</label>"));
        assert!(!html.contains("incorrectos"));
        assert!(login("/panel/ingreso", true).contains("Usuario o contraseña incorrectos"));
        for outside in ["<script", "<link", "<img", "http://", "https://", "@import"] {
            assert!(!html.contains(outside), "{outside}");
        }
    }

    #[test]
    fn the_survey_chart_has_one_bar_per_star_and_says_the_numbers() {
        let svg = survey_chart(&SurveySummary::from_counts([1, 0, 2, 3, 4])).into_string();
        assert_eq!(svg.matches("<rect").count(), 5);
        assert!(svg.contains("1 estrella: 1; 2 estrellas: 0; 3 estrellas: 2"));
        assert!(svg.contains("todas las respuestas (10): 90 % con 3 a 5 estrellas; meta 85 %"));
    }

    #[test]
    fn the_trend_chart_has_two_bars_a_week_and_a_table() {
        let trend: Vec<WeekCount> = (0..8).map(|n| week(n, n as u64, 1)).collect();
        let svg = trend_chart(&trend).into_string();
        assert_eq!(svg.matches("<rect").count(), 8 * 2 + 2);
        assert_eq!(svg.matches("<tr><th scope=\"row\">").count(), 8);
        assert!(svg.contains("28 recibidas y 8 atendidas"));
    }

    #[test]
    fn an_empty_survey_draws_empty_bars() {
        let svg = survey_chart(&SurveySummary::default()).into_string();
        assert!(svg.contains("todavía sin respuestas"));
        assert!(!svg.contains("NaN"));
    }
}
