//! `GET /metrics`: the register's numbers in Prometheus' text format (0.0.4), for the people who run the
//! server. No login: it shows counts only, never a ticket, subject or address — keep it off the public
//! internet at the reverse proxy if even counts are sensitive.
//!
//! Five queries per scrape: four cheap aggregates (consultations by mailbox and state, the outbox, the survey, the
//! attentions by kind) and the open derivations, counted here per unit and level with how many are late (only
//! the counts are written).
//! The daemon's own counters (IMAP connections and failures, messages filed) come from its memory.

use std::fmt::Write;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use super::WebState;
use crate::store::{OutboxCounts, StateCount};
use crate::vocabulary::SurveySummary;

/// The content type of the text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// `GET /metrics`.
pub(super) async fn metrics(State(state): State<Arc<WebState>>) -> Response {
    let gathered = async {
        let counts = state.store.consultation_counts().await?;
        let outbox = state.store.outbox_counts().await?;
        let survey = state.store.survey_summary().await?;
        let held = state.store.held_by_units().await?;
        let kinds = state.store.kind_counts().await?;
        Ok::<_, crate::store::StoreError>((counts, outbox, survey, kinds, held))
    }
    .await;
    match gathered {
        Ok((counts, outbox, survey, kinds, held)) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE))],
            {
                let now = Utc::now();
                let mut text = render(&counts, &outbox, &survey, now);
                text.push_str(&render_kinds(&kinds));
                text.push_str(&render_units(&held, now));
                if let Some(counters) = &state.counters {
                    text.push_str(&counters.render());
                }
                text
            },
        )
            .into_response(),
        Err(error) => {
            tracing::warn!(%error, "metrics: the register does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE))],
                "# the register does not answer\ntriaje_up 0\n",
            )
                .into_response()
        }
    }
}

/// A label value escaped as the format requires (`\`, `"` and newlines).
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// What the units hold at `now` (002 §9.3.3): attentions waiting on each unit, and those past the unit's
/// deadline. Counts by unit name only.
pub fn render_units(held: &[crate::store::HeldByUnit], now: DateTime<Utc>) -> String {
    let mut by_unit: std::collections::BTreeMap<(&str, u8), (u64, u64)> = Default::default();
    for h in held {
        let entry = by_unit
            .entry((h.derivation.unit.as_str(), h.derivation.level.number()))
            .or_default();
        entry.0 += 1;
        if h.derivation.is_late(now) {
            entry.1 += 1;
        }
    }
    let mut out = String::from(
        "# HELP triaje_unit_waiting Attentions derived to a unit and not answered yet, by unit and level.\n\
         # TYPE triaje_unit_waiting gauge\n",
    );
    for ((unit, level), (waiting, _)) in &by_unit {
        let _ = writeln!(
            out,
            "triaje_unit_waiting{{unit=\"{}\",level=\"{level}\"}} {waiting}",
            label(unit)
        );
    }
    out.push_str(
        "# HELP triaje_unit_overdue Attentions a unit holds past its deadline, by unit and level.\n\
         # TYPE triaje_unit_overdue gauge\n",
    );
    for ((unit, level), (_, overdue)) in &by_unit {
        let _ = writeln!(
            out,
            "triaje_unit_overdue{{unit=\"{}\",level=\"{level}\"}} {overdue}",
            label(unit)
        );
    }
    out
}

/// The attentions by kind of attention (consulta, incidencia, reclamo, sugerencia): all of them, and the open ones.
pub fn render_kinds(kinds: &[(String, i64, i64)]) -> String {
    let mut out = String::from(
        "# HELP triaje_attentions_total Attentions in the register, by kind of attention.\n\
         # TYPE triaje_attentions_total gauge\n",
    );
    for (kind, total, _) in kinds {
        let _ = writeln!(
            out,
            "triaje_attentions_total{{kind=\"{}\"}} {total}",
            label(kind)
        );
    }
    out.push_str(
        "# HELP triaje_attentions_open Attentions not answered yet, by kind of attention.\n\
         # TYPE triaje_attentions_open gauge\n",
    );
    for (kind, _, open) in kinds {
        let _ = writeln!(
            out,
            "triaje_attentions_open{{kind=\"{}\"}} {open}",
            label(kind)
        );
    }
    out
}

/// The exposition text of the register's numbers at `now`.
pub fn render(
    counts: &[StateCount],
    outbox: &OutboxCounts,
    survey: &SurveySummary,
    now: DateTime<Utc>,
) -> String {
    let mut out = String::new();
    out.push_str(
        "# HELP triaje_up Whether the web server could read the register.\n\
         # TYPE triaje_up gauge\ntriaje_up 1\n",
    );
    out.push_str(
        "# HELP triaje_consultations_total Consultations in the register, by mailbox and state.\n\
         # TYPE triaje_consultations_total gauge\n",
    );
    for c in counts {
        let _ = writeln!(
            out,
            "triaje_consultations_total{{mailbox=\"{}\",state=\"{}\"}} {}",
            label(&c.mailbox),
            label(&c.state),
            c.count
        );
    }
    out.push_str(
        "# HELP triaje_outbox_messages Outgoing messages, by state.\n\
         # TYPE triaje_outbox_messages gauge\n",
    );
    for (state, count) in [
        ("queued", outbox.queued),
        ("sending", outbox.sending),
        ("sent", outbox.sent),
        ("failed", outbox.failed),
    ] {
        let _ = writeln!(out, "triaje_outbox_messages{{state=\"{state}\"}} {count}");
    }
    out.push_str(
        "# HELP triaje_oldest_unfiled_seconds Age of the oldest message recorded but not yet filed \
         (0: none waiting), by mailbox.\n# TYPE triaje_oldest_unfiled_seconds gauge\n",
    );
    let mut mailboxes: Vec<(&str, Option<DateTime<Utc>>)> = Vec::new();
    for c in counts {
        match mailboxes.last_mut() {
            Some((name, oldest)) if *name == c.mailbox => {
                *oldest = match (*oldest, c.oldest_unfiled_at) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                }
            }
            _ => mailboxes.push((&c.mailbox, c.oldest_unfiled_at)),
        }
    }
    for (mailbox, oldest) in mailboxes {
        let age = oldest.map_or(0.0, |at| {
            ((now - at).num_milliseconds().max(0) as f64) / 1000.0
        });
        let _ = writeln!(
            out,
            "triaje_oldest_unfiled_seconds{{mailbox=\"{}\"}} {age}",
            label(mailbox)
        );
    }
    out.push_str(
        "# HELP triaje_survey_answers_total Survey answers recorded, by stars.\n\
         # TYPE triaje_survey_answers_total counter\n",
    );
    for (i, count) in survey.counts.iter().enumerate() {
        let _ = writeln!(
            out,
            "triaje_survey_answers_total{{stars=\"{}\"}} {count}",
            i + 1
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::UnitLevel;
    use chrono::TimeDelta;

    #[test]
    fn every_series_is_one_line_with_escaped_labels() {
        let now = DateTime::from_timestamp(1_795_000_000, 0).expect("valid");
        let counts = vec![
            StateCount {
                mailbox: "consultas".into(),
                state: "filed".into(),
                count: 3,
                oldest_unfiled_at: None,
            },
            StateCount {
                mailbox: "consultas".into(),
                state: "recorded".into(),
                count: 2,
                oldest_unfiled_at: Some(now - TimeDelta::seconds(90)),
            },
            StateCount {
                mailbox: "a\"b".into(),
                state: "filed".into(),
                count: 1,
                oldest_unfiled_at: None,
            },
        ];
        let text = render(
            &counts,
            &OutboxCounts::default(),
            &SurveySummary::from_counts([0, 0, 1, 0, 2]),
            now,
        );
        assert!(text
            .contains("triaje_consultations_total{mailbox=\"consultas\",state=\"recorded\"} 2\n"));
        assert!(text.contains("triaje_oldest_unfiled_seconds{mailbox=\"consultas\"} 90\n"));
        assert!(text.contains("triaje_oldest_unfiled_seconds{mailbox=\"a\\\"b\"} 0\n"));
        assert!(text.contains("triaje_survey_answers_total{stars=\"5\"} 2\n"));
        assert!(text.contains("triaje_outbox_messages{state=\"failed\"} 0\n"));
        assert!(text.starts_with("# HELP triaje_up"));
    }

    fn held(unit: &str, level: UnitLevel, due_at: DateTime<Utc>) -> crate::store::HeldByUnit {
        crate::store::HeldByUnit {
            derivation: crate::store::Derivation::open_for_tests(
                unit,
                level,
                due_at - TimeDelta::days(5),
                due_at,
            ),
            ticket: "CONS-2026-000001".into(),
            subject: "Consulta".into(),
        }
    }

    #[test]
    fn units_show_what_they_hold_and_how_much_of_it_is_late() {
        let now = DateTime::from_timestamp(1_795_000_000, 0).expect("valid");
        let text = render_units(
            &[
                held("seace", UnitLevel::Second, now - TimeDelta::hours(1)),
                held("seace", UnitLevel::Second, now + TimeDelta::days(1)),
                held("oti", UnitLevel::Third, now + TimeDelta::days(2)),
            ],
            now,
        );
        assert!(text.contains("triaje_unit_waiting{unit=\"seace\",level=\"2\"} 2\n"));
        assert!(text.contains("triaje_unit_overdue{unit=\"seace\",level=\"2\"} 1\n"));
        assert!(text.contains("triaje_unit_overdue{unit=\"oti\",level=\"3\"} 0\n"));
        // No ticket or subject leaves the server.
        assert!(!text.contains("CONS-"));
    }

    #[test]
    fn the_attentions_are_counted_by_kind() {
        let text = render_kinds(&[("consulta".into(), 10, 4), ("reclamo".into(), 2, 1)]);
        assert!(
            text.contains("triaje_attentions_total{kind=\"reclamo\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("triaje_attentions_open{kind=\"consulta\"} 4\n"),
            "{text}"
        );
        assert!(
            text.contains("# TYPE triaje_attentions_open gauge\n"),
            "{text}"
        );
    }
}
