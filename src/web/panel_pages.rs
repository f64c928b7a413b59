//! The dashboard's pages: the login form and the panel, server-rendered Spanish HTML with inline CSS and
//! inline SVG charts (no scripts, fonts or images). Every value that came from the register goes through
//! [`escape_html`]. Pure: the handlers gather the numbers and pass them in.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use crate::calendar::LIMA;
use crate::report::{Breakdown, MonthIndicators};
use crate::spanish::{self, escape_html};
use crate::store::{DueConsultation, SurveySummary, WeekCount, SATISFACTION_TARGET};

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

/// A whole page around `body` (already HTML), titled `title` (plain text).
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n\
         </body>\n</html>\n",
        title = escape_html(title),
    )
}

/// The login form, posting to `action`; `failed` adds the refusal.
pub(super) fn login(action: &str, failed: bool) -> String {
    let error = if failed {
        "<p class=\"error\" role=\"alert\" id=\"ingreso-error\">Usuario o contraseña incorrectos</p>\n"
    } else {
        ""
    };
    let described = if failed {
        " aria-describedby=\"ingreso-error\""
    } else {
        ""
    };
    page(
        "Ingreso al panel del coordinador",
        &format!(
            "<section class=\"ingreso\">\n<h1>Panel del coordinador</h1>\n{error}\
             <form method=\"post\" action=\"{action}\">\n\
             <label for=\"usuario\">Usuario</label>\n\
             <input id=\"usuario\" name=\"usuario\" autocomplete=\"username\" required{described}>\n\
             <label for=\"contrasena\">Contraseña</label>\n\
             <input id=\"contrasena\" name=\"contrasena\" type=\"password\" \
             autocomplete=\"current-password\" required{described}>\n\
             <button type=\"submit\">Ingresar</button>\n</form>\n\
             <p class=\"nota\">Solo lectura. La sesión dura 8 horas.</p>\n</section>",
            action = escape_html(action),
        ),
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
    let mut body = String::new();
    let _ = write!(
        body,
        "<header>\n<h1>Panel del coordinador</h1>\n\
         <form method=\"post\" action=\"{logout}\"><span class=\"nota\">{user} · </span>\
         <button type=\"submit\">Salir</button></form>\n</header>\n\
         <p class=\"nota\">Datos al {now} (hora de Lima). Solo lectura; recargue la página para actualizar.</p>\n",
        logout = escape_html(view.logout_action),
        user = escape_html(view.user),
        now = spanish::date_time(&view.now),
    );
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
    let _ = write!(
        body,
        "<section aria-labelledby=\"t-indicadores\">\n<h2 id=\"t-indicadores\">Indicadores de {} de {}</h2>\n\
         <ul class=\"tarjetas\">\n",
        spanish::month(m.month),
        m.year
    );
    for (label, value, alert) in cards {
        let _ = writeln!(
            body,
            "<li{}><span class=\"cifra\">{}</span>{}</li>",
            if alert { " class=\"alerta\"" } else { "" },
            escape_html(&value),
            escape_html(label)
        );
    }
    body.push_str("</ul>\n");
    body.push_str(&breakdown_table("Por buzón", "Buzón", &m.by_mailbox));
    body.push_str(&breakdown_table("Por carpeta", "Carpeta", &m.by_folder));
    body.push_str("</section>\n");

    // What is due today.
    let _ = write!(
        body,
        "<section aria-labelledby=\"t-hoy\">\n<h2 id=\"t-hoy\">Vencen hoy ({})</h2>\n",
        view.due_today.len()
    );
    if view.due_today.is_empty() {
        body.push_str("<p>No hay consultas que venzan hoy.</p>\n");
    } else {
        body.push_str(
            "<div class=\"tabla\"><table>\n<thead><tr><th scope=\"col\">Ticket</th><th scope=\"col\">Asunto</th>\
             <th scope=\"col\">Buzón</th><th scope=\"col\">Carpeta</th><th scope=\"col\">Vence</th></tr></thead>\n<tbody>\n",
        );
        for c in view.due_today {
            let _ = writeln!(
                body,
                "<tr><td class=\"ticket\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape_html(&c.ticket),
                escape_html(&c.subject),
                escape_html(&c.mailbox),
                escape_html(&c.folder),
                spanish::time(&c.deadline_at),
            );
        }
        body.push_str("</tbody></table></div>\n");
    }
    body.push_str("</section>\n");

    // What is overdue, oldest first.
    let _ = write!(
        body,
        "<section aria-labelledby=\"t-vencidas\">\n<h2 id=\"t-vencidas\">Vencidas sin atender ({})</h2>\n",
        view.overdue.len()
    );
    if view.overdue.is_empty() {
        body.push_str("<p>No hay consultas vencidas.</p>\n");
    } else {
        body.push_str(
            "<div class=\"tabla\"><table>\n<thead><tr><th scope=\"col\">Ticket</th><th scope=\"col\">Asunto</th>\
             <th scope=\"col\">Buzón</th><th scope=\"col\">Carpeta</th><th scope=\"col\">Plazo</th>\
             <th scope=\"col\" class=\"n\">Días hábiles de atraso</th></tr></thead>\n<tbody>\n",
        );
        for o in view.overdue {
            let c = &o.consultation;
            let late = if o.days_late <= 0 {
                "hoy".to_string()
            } else {
                o.days_late.to_string()
            };
            let _ = writeln!(
                body,
                "<tr><td class=\"ticket\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                escape_html(&c.ticket),
                escape_html(&c.subject),
                escape_html(&c.mailbox),
                escape_html(&c.folder),
                spanish::date_time(&c.deadline_at),
                late,
            );
        }
        body.push_str("</tbody></table></div>\n");
    }
    body.push_str("</section>\n");

    let _ = write!(
        body,
        "<section aria-labelledby=\"t-graficos\">\n<h2 id=\"t-graficos\">Encuesta y tendencia</h2>\n\
         <div class=\"graficos\">\n{}\n{}\n</div>\n</section>\n",
        survey_chart(view.survey),
        trend_chart(view.trend),
    );
    page("Panel del coordinador", &body)
}

/// One view of the month's indicators as a table.
fn breakdown_table(title: &str, key: &str, rows: &[Breakdown]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<h3>{title}</h3>\n<div class=\"tabla\"><table>\n<thead><tr><th scope=\"col\">{key}</th>\
         <th scope=\"col\" class=\"n\">Recibidas</th><th scope=\"col\" class=\"n\">Atendidas</th>\
         <th scope=\"col\" class=\"n\">En proceso</th><th scope=\"col\" class=\"n\">Vencidas</th>\
         <th scope=\"col\" class=\"n\">En plazo</th><th scope=\"col\" class=\"n\">Promedio</th></tr></thead>\n<tbody>\n",
        title = escape_html(title),
        key = escape_html(key),
    );
    for b in rows {
        let i = &b.indicators;
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape_html(&b.key),
            i.received,
            i.resolved,
            i.in_progress,
            i.overdue,
            escape_html(&spanish::percent(i.compliance)),
            escape_html(&spanish::hours(i.average_hours)),
        );
    }
    out.push_str("</tbody></table></div>\n");
    out
}

/// The survey's answers per star as a bar chart (1–2 stars in red, 3–5 in green).
pub(super) fn survey_chart(survey: &SurveySummary) -> String {
    let max = survey.counts.iter().copied().max().unwrap_or(0).max(1);
    let (width, height, top, bottom) = (360.0, 220.0, 24.0, 180.0);
    let slot = width / 5.0;
    let mut bars = String::new();
    let mut desc = Vec::new();
    for (i, &count) in survey.counts.iter().enumerate() {
        let stars = i + 1;
        let h = (bottom - top) * count as f64 / max as f64;
        let x = slot * i as f64 + slot * 0.2;
        let colour = if stars <= 2 { "#a4161a" } else { "#1b7a43" };
        let _ = write!(
            bars,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{colour}\"/>\
             <text x=\"{cx:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\" font-size=\"14\">{count}</text>\
             <text x=\"{cx:.1}\" y=\"200\" text-anchor=\"middle\" font-size=\"14\">{stars} ★</text>",
            y = bottom - h,
            w = slot * 0.6,
            cx = x + slot * 0.3,
            ty = bottom - h - 6.0,
        );
        desc.push(format!(
            "{stars} {}: {count}",
            if stars == 1 { "estrella" } else { "estrellas" }
        ));
    }
    let share = match survey.satisfied_share {
        None => "todavía sin respuestas".to_string(),
        Some(share) => format!(
            "{} con 3 a 5 estrellas; meta {}",
            spanish::percent(Some(share)),
            spanish::percent(Some(SATISFACTION_TARGET))
        ),
    };
    format!(
        "<figure>\n<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"g-enc-t g-enc-d\" \
         xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"g-enc-t\">Respuestas de la encuesta por estrellas</title>\n\
         <desc id=\"g-enc-d\">{desc}</desc>\n\
         <line x1=\"0\" y1=\"{bottom}\" x2=\"{width}\" y2=\"{bottom}\" stroke=\"#888\"/>\n{bars}\n</svg>\n\
         <figcaption>Encuesta de satisfacción, todas las respuestas ({total}): {share}.</figcaption>\n</figure>",
        desc = escape_html(&desc.join("; ")),
        total = survey.total,
        share = escape_html(&share),
    )
}

/// Received and answered per week as grouped bars, with the numbers in a table below for screen readers.
pub(super) fn trend_chart(trend: &[WeekCount]) -> String {
    let max = trend
        .iter()
        .map(|w| w.received.max(w.answered))
        .max()
        .unwrap_or(0)
        .max(1);
    let (width, height, top, bottom, left) = (640.0, 240.0, 24.0, 196.0, 8.0);
    let slot = (width - left) / trend.len().max(1) as f64;
    let mut bars = String::new();
    let mut rows = String::new();
    for (i, week) in trend.iter().enumerate() {
        let x = left + slot * i as f64;
        let label = week.start.with_timezone(&LIMA).format("%d/%m").to_string();
        for (n, (count, colour)) in [(week.received, "#0b4f8a"), (week.answered, "#1b7a43")]
            .into_iter()
            .enumerate()
        {
            let h = (bottom - top) * count as f64 / max as f64;
            let bx = x + slot * 0.12 + n as f64 * slot * 0.38;
            let _ = write!(
                bars,
                "<rect x=\"{bx:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{colour}\"/>\
                 <text x=\"{cx:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\" font-size=\"12\">{count}</text>",
                y = bottom - h,
                w = slot * 0.36,
                cx = bx + slot * 0.18,
                ty = bottom - h - 4.0,
            );
        }
        let _ = write!(
            bars,
            "<text x=\"{cx:.1}\" y=\"214\" text-anchor=\"middle\" font-size=\"12\">{label}</text>",
            cx = x + slot * 0.5,
        );
        let _ = writeln!(
            rows,
            "<tr><th scope=\"row\">{label}</th><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            week.received, week.answered
        );
    }
    let total_received: u64 = trend.iter().map(|w| w.received).sum();
    let total_answered: u64 = trend.iter().map(|w| w.answered).sum();
    format!(
        "<figure>\n<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"g-sem-t g-sem-d\" \
         xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"g-sem-t\">Recibidas y atendidas por semana</title>\n\
         <desc id=\"g-sem-d\">Últimas {weeks} semanas: {total_received} recibidas y {total_answered} atendidas; \
         el detalle está en la tabla siguiente.</desc>\n\
         <line x1=\"0\" y1=\"{bottom}\" x2=\"{width}\" y2=\"{bottom}\" stroke=\"#888\"/>\n{bars}\n\
         <rect x=\"{lx}\" y=\"226\" width=\"12\" height=\"12\" fill=\"#0b4f8a\"/>\
         <text x=\"{lx2}\" y=\"237\" font-size=\"12\">Recibidas</text>\
         <rect x=\"{lx3}\" y=\"226\" width=\"12\" height=\"12\" fill=\"#1b7a43\"/>\
         <text x=\"{lx4}\" y=\"237\" font-size=\"12\">Atendidas</text>\n</svg>\n\
         <figcaption>Semanas de lunes a domingo (la primera fecha de cada una).</figcaption>\n\
         <details><summary>Ver los números</summary>\n<div class=\"tabla\"><table>\n\
         <thead><tr><th scope=\"col\">Semana del</th><th scope=\"col\" class=\"n\">Recibidas</th>\
         <th scope=\"col\" class=\"n\">Atendidas</th></tr></thead>\n<tbody>\n{rows}</tbody></table></div>\n\
         </details>\n</figure>",
        weeks = trend.len(),
        lx = width - 200.0,
        lx2 = width - 184.0,
        lx3 = width - 100.0,
        lx4 = width - 84.0,
    )
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
        let svg = survey_chart(&SurveySummary::from_counts([1, 0, 2, 3, 4]));
        assert_eq!(svg.matches("<rect").count(), 5);
        assert!(svg.contains("1 estrella: 1; 2 estrellas: 0; 3 estrellas: 2"));
        assert!(svg.contains("todas las respuestas (10): 90 % con 3 a 5 estrellas; meta 85 %"));
    }

    #[test]
    fn the_trend_chart_has_two_bars_a_week_and_a_table() {
        let trend: Vec<WeekCount> = (0..8).map(|n| week(n, n as u64, 1)).collect();
        let svg = trend_chart(&trend);
        assert_eq!(svg.matches("<rect").count(), 8 * 2 + 2);
        assert_eq!(svg.matches("<tr><th scope=\"row\">").count(), 8);
        assert!(svg.contains("28 recibidas y 8 atendidas"));
    }

    #[test]
    fn an_empty_survey_draws_empty_bars() {
        let svg = survey_chart(&SurveySummary::default());
        assert!(svg.contains("todavía sin respuestas"));
        assert!(!svg.contains("NaN"));
    }
}
