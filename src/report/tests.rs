//! The indicators on a fixture month with known answers: October 2026 (Thursday 8 is a holiday, Combate de
//! Angamos), one mailbox with OSCE's hours (08:30–16:30, 8 business hours a day), counted as of 1 November 00:00.

use chrono::{DateTime, TimeZone, Utc};

use super::business_time::business_minutes;
use super::indicators::{percentile, MonthIndicators, NO_ASSISTANT};
use super::register::{entries, Compliance, RegisterEntry};
use super::*;
use crate::calendar::{BusinessCalendar, Reception};
use crate::store::RegisterRow;

/// An instant in Lima time (UTC−5).
fn lima(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    crate::calendar::LIMA
        .with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .single()
        .expect("valid Lima time")
        .with_timezone(&Utc)
}

/// A consultation row; `answered` and `assistant` make it answered. The incident reports' tests start from it too.
#[allow(clippy::too_many_arguments)]
pub(super) fn row(
    ticket: &str,
    received: DateTime<Utc>,
    effective: DateTime<Utc>,
    deadline: DateTime<Utc>,
    folder: &str,
    category: &str,
    answered: Option<DateTime<Utc>>,
    assistant: Option<&str>,
    rating: Option<u8>,
) -> RegisterRow {
    RegisterRow {
        id: 0,
        ticket: ticket.into(),
        mailbox: "consultas".into(),
        citizen_name: Some("Rosa Quispe".into()),
        citizen_address: Some("rosa@example.pe".into()),
        subject: "Consulta".into(),
        received_at: received,
        effective_received_at: effective,
        deadline_at: deadline,
        folder: folder.into(),
        category: category.into(),
        availability: "Alta".into(),
        state: if answered.is_some() {
            "answered"
        } else {
            "filed"
        }
        .into(),
        answered_at: answered,
        within_deadline: answered.map(|at| at <= deadline),
        assistant: assistant.map(Into::into),
        legal: assistant.map(|_| folder == "Legal"),
        supervisor: (folder == "Legal").then(|| "supervisor@osce.test".to_string()),
        rating,
        derivations: vec![],
        kind: crate::vocabulary::AttentionKind::Consultation,
        area: None,
    }
}

/// The fixture month.
fn october() -> Vec<RegisterRow> {
    let same = |t| (t, t);
    let (a, _) = same(lima(10, 5, 10, 0));
    let (b, _) = same(lima(10, 7, 15, 30));
    let (d, _) = same(lima(10, 13, 9, 0));
    let (e, _) = same(lima(10, 30, 11, 0));
    let (f, _) = same(lima(10, 29, 9, 0));
    let (g, _) = same(lima(10, 19, 8, 30));
    vec![
        // Answered two hours later, in time, 5 stars.
        row(
            "A",
            a,
            a,
            lima(10, 7, 23, 59),
            "SEACE",
            "Registro SEACE",
            Some(lima(10, 5, 12, 0)),
            Some("ana"),
            Some(5),
        ),
        // Across the holiday: 15:30–16:30 on Wednesday, nothing on Thursday 8, 08:30–09:30 on Friday = 2 h; late.
        row(
            "B",
            b,
            b,
            lima(10, 8, 23, 59),
            "RNP",
            "Inscripción RNP",
            Some(lima(10, 9, 9, 30)),
            Some("luis"),
            Some(2),
        ),
        // After the cut-off on Friday: counts from Monday 08:30; answered 12:30 = 4 h; Legal, approved.
        row(
            "C",
            lima(10, 9, 16, 45),
            lima(10, 12, 8, 30),
            lima(10, 14, 23, 59),
            "Legal",
            "Arbitraje",
            Some(lima(10, 12, 12, 30)),
            Some("ana"),
            Some(4),
        ),
        // Never answered, deadline passed: overdue.
        row(
            "D",
            d,
            d,
            lima(10, 15, 23, 59),
            "SEACE",
            "Registro SEACE",
            None,
            None,
            None,
        ),
        // Not answered, due in November: in progress, not overdue.
        row(
            "E",
            e,
            e,
            lima(11, 4, 23, 59),
            "RNP",
            "Inscripción RNP",
            None,
            None,
            None,
        ),
        // Answered on 2 November, after its deadline of 30 October: at the end of October it was overdue.
        row(
            "F",
            f,
            f,
            lima(10, 30, 23, 59),
            "SEACE",
            "Otros",
            Some(lima(11, 2, 10, 0)),
            Some("luis"),
            None,
        ),
        // Three whole business days: 24 business hours, answered at 16:30 of its last day, in time.
        row(
            "G",
            g,
            g,
            lima(10, 21, 23, 59),
            "SEACE",
            "Registro SEACE",
            Some(lima(10, 21, 16, 30)),
            Some("ana"),
            Some(3),
        ),
    ]
}

fn context(calendar: &BusinessCalendar) -> ReportContext<'_> {
    ReportContext {
        calendar,
        receptions: [("consultas".to_string(), Reception::default())].into(),
        default_reception: Reception::default(),
        now: lima(11, 1, 0, 0),
    }
}

fn month() -> MonthIndicators {
    let calendar = BusinessCalendar::peru_default();
    let ctx = context(&calendar);
    let entries = entries(october(), &ctx);
    MonthIndicators::compute(2026, 10, ctx.now, &entries)
}

fn approx(actual: Option<f64>, expected: f64) {
    let actual = actual.expect("a value");
    assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
}

#[test]
fn the_fixture_month_has_its_holiday() {
    let calendar = BusinessCalendar::peru_default();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 10, 8).expect("date");
    assert!(
        !calendar.is_business_day(day),
        "8 October is Combate de Angamos"
    );
}

#[test]
fn business_hours_count_only_office_hours_of_business_days() {
    let cal = BusinessCalendar::peru_default();
    let hours = Reception::default();
    let minutes = |from, to| business_minutes(&cal, &hours, from, to);
    assert_eq!(minutes(lima(10, 5, 10, 0), lima(10, 5, 12, 0)), 120);
    assert_eq!(
        minutes(lima(10, 7, 15, 30), lima(10, 9, 9, 30)),
        120,
        "the holiday does not count"
    );
    assert_eq!(
        minutes(lima(10, 9, 17, 0), lima(10, 12, 8, 30)),
        0,
        "night and weekend do not count"
    );
    assert_eq!(
        minutes(lima(10, 19, 8, 30), lima(10, 21, 16, 30)),
        3 * 8 * 60
    );
    assert_eq!(
        minutes(lima(10, 5, 7, 0), lima(10, 5, 8, 45)),
        15,
        "before opening does not count"
    );
    assert_eq!(
        minutes(lima(10, 5, 16, 0), lima(10, 5, 20, 0)),
        30,
        "after the cut-off does not count"
    );
    assert_eq!(minutes(lima(10, 5, 12, 0), lima(10, 5, 10, 0)), 0);
}

#[test]
fn register_entries_say_whether_each_met_its_deadline() {
    let calendar = BusinessCalendar::peru_default();
    let ctx = context(&calendar);
    let entries: Vec<RegisterEntry> = entries(october(), &ctx);
    let by_ticket = |t: &str| entries.iter().find(|e| e.row.ticket == t).expect("ticket");
    assert_eq!(by_ticket("A").compliance, Compliance::Within);
    assert_eq!(by_ticket("B").compliance, Compliance::Late);
    assert_eq!(by_ticket("B").compliance.spanish(), "No");
    assert_eq!(by_ticket("D").compliance, Compliance::Overdue);
    assert_eq!(by_ticket("E").compliance, Compliance::Pending);
    assert_eq!(by_ticket("E").compliance.spanish(), "—");
    // Answered after the report's instant: not seen yet.
    assert_eq!(by_ticket("F").answered_at, None);
    assert_eq!(by_ticket("F").compliance, Compliance::Overdue);
    assert_eq!(by_ticket("C").business_hours, Some(4.0));
    assert_eq!(
        by_ticket("C").business_days,
        Some(0),
        "answered on its effective day"
    );
    assert_eq!(
        by_ticket("B").business_days,
        Some(1),
        "Wednesday to Friday over a holiday"
    );
    assert_eq!(by_ticket("G").business_days, Some(2));
    assert_eq!(by_ticket("C").supervisor(), Some("supervisor@osce.test"));
    assert_eq!(by_ticket("A").supervisor(), None);
    assert_eq!(by_ticket("A").citizen(), "Rosa Quispe <rosa@example.pe>");
}

#[test]
fn month_totals_count_received_resolved_in_progress_and_overdue() {
    let t = month().total;
    assert_eq!(t.received, 7);
    assert_eq!(t.resolved, 4, "A, B, C, G; F was answered in November");
    assert_eq!(t.in_progress, 3);
    assert_eq!(t.overdue, 2, "D and F");
    assert_eq!(t.within_deadline, 3);
    approx(t.compliance, 0.75);
}

#[test]
fn response_time_is_averaged_and_its_90th_percentile_taken_in_business_hours() {
    let t = month().total;
    // 2, 2, 4 and 24 business hours.
    approx(t.average_hours, 8.0);
    approx(t.p90_hours, 24.0);
}

#[test]
fn percentile_is_nearest_rank() {
    let mut ten: Vec<f64> = (1..=10).map(f64::from).collect();
    assert_eq!(percentile(&mut ten, 0.9), Some(9.0));
    assert_eq!(percentile(&mut [5.0], 0.9), Some(5.0));
    assert_eq!(percentile(&mut [3.0, 1.0, 2.0], 0.9), Some(3.0));
    assert_eq!(percentile(&mut [], 0.9), None);
}

#[test]
fn breakdowns_by_folder_category_mailbox_and_assistant() {
    let m = month();
    let keys = |v: &[Breakdown]| v.iter().map(|b| b.key.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&m.by_folder), ["Legal", "RNP", "SEACE"]);
    let seace = &m.by_folder[2].indicators;
    assert_eq!(
        (
            seace.received,
            seace.resolved,
            seace.in_progress,
            seace.overdue
        ),
        (4, 2, 2, 2)
    );
    approx(seace.compliance, 1.0);
    approx(seace.average_hours, 13.0);
    let rnp = &m.by_folder[1].indicators;
    assert_eq!(
        (rnp.received, rnp.resolved, rnp.overdue, rnp.within_deadline),
        (2, 1, 0, 0)
    );
    approx(rnp.compliance, 0.0);

    assert_eq!(
        keys(&m.by_category),
        ["Arbitraje", "Inscripción RNP", "Otros", "Registro SEACE"]
    );
    assert_eq!(m.by_category[3].indicators.received, 3);

    assert_eq!(keys(&m.by_mailbox), ["consultas"]);
    assert_eq!(m.by_mailbox[0].indicators, m.total);

    assert_eq!(keys(&m.by_assistant), [NO_ASSISTANT, "ana", "luis"]);
    let ana = &m.by_assistant[1].indicators;
    assert_eq!((ana.received, ana.resolved), (3, 3));
    approx(ana.average_hours, 10.0);
    let luis = &m.by_assistant[2].indicators;
    assert_eq!((luis.received, luis.resolved, luis.overdue), (2, 1, 1));
}

#[test]
fn satisfaction_is_measured_against_the_85_percent_target() {
    let m = month();
    assert_eq!(m.survey.counts, [0, 1, 1, 1, 1]);
    assert_eq!((m.survey.total, m.survey.satisfied), (4, 3));
    assert_eq!(m.survey.meets_target(), Some(false));
}

#[test]
fn the_summary_is_in_spanish_and_invents_no_rule_corrections() {
    let m = month();
    assert_eq!(m.rule_corrections, None);
    let text = m.to_string();
    for expected in [
        "Indicadores del canal virtual — octubre de 2026",
        "Consultas recibidas:  7",
        "Atendidas:            4",
        "En proceso:           3",
        "Vencidas sin atender: 2",
        "Atendidas dentro del plazo: 3 de 4 (75 %)",
        "promedio 8 h, percentil 90 24 h",
        "Satisfacción: 3 de 4 respuestas con 3 a 5 estrellas (75 %; meta 85 %) — por debajo de la meta",
        "Correcciones de las reglas: no medido todavía",
        "  SEACE: 4 recibidas, 2 atendidas, 2 en proceso, 2 vencidas, 100 % en plazo, promedio 13 h",
    ] {
        assert!(text.contains(expected), "missing «{expected}» in:\n{text}");
    }
}

#[test]
fn a_month_without_consultations_reports_zeros_and_dashes() {
    let m = MonthIndicators::compute(2026, 10, lima(11, 1, 0, 0), &[]);
    assert_eq!(m.total.received, 0);
    assert_eq!(m.total.compliance, None);
    assert_eq!(m.total.p90_hours, None);
    assert!(m
        .to_string()
        .contains("Satisfacción: todavía sin respuestas (meta 85 %)"));
}

#[test]
fn month_and_day_bounds_are_lima_midnights() {
    let (first, next) = month_days(2026, 12).expect("December");
    assert_eq!(
        next,
        chrono::NaiveDate::from_ymd_opt(2027, 1, 1).expect("date")
    );
    assert_eq!(lima_midnight(first).expect("instant"), lima(12, 1, 0, 0));
    let (from, to) = day_bounds(first).expect("bounds");
    assert_eq!(to - from, chrono::TimeDelta::hours(24));
    assert!(month_days(2026, 13).is_err());
}

#[test]
fn decimals_use_a_comma() {
    assert_eq!(crate::spanish::decimal(87.54), "87,5");
    assert_eq!(crate::spanish::decimal(100.0), "100");
    assert_eq!(crate::spanish::percent(None), "—");
}

/// A derivation of consultation row `id` to `unit`.
fn derivation(
    id: i64,
    unit: &str,
    level: crate::vocabulary::UnitLevel,
    derived: DateTime<Utc>,
    due: DateTime<Utc>,
    answered: Option<DateTime<Utc>>,
) -> crate::store::Derivation {
    let held = crate::store::Derivation::open_for_tests(unit, level, derived, due);
    crate::store::Derivation {
        id,
        record: crate::store::DerivationRecord {
            consultation_id: 0,
            message_id: format!("derivacion.X.{id}@osce.test"),
            ..held.record.clone()
        },
        state: match answered {
            Some(_) => crate::vocabulary::DerivationState::Answered,
            None => crate::vocabulary::DerivationState::Open,
        },
        answered_at: answered,
        ..held
    }
}

#[test]
fn a_derived_consultation_shows_the_units_time_apart_from_the_first_levels() {
    let calendar = BusinessCalendar::peru_default();
    let ctx = context(&calendar);
    // Received Monday 5 at 09:00, derived at 11:00 (2 h of the first level), the SEACE directorate answers on
    // Tuesday 6 at 10:00 (5 h 30 + 1 h 30 = 7 business hours), the assistant replies at 12:00 (2 h more).
    let mut answered = row(
        "H",
        lima(10, 5, 9, 0),
        lima(10, 5, 9, 0),
        lima(10, 6, 23, 59),
        "SEACE",
        "Registro SEACE",
        Some(lima(10, 6, 12, 0)),
        Some("ana"),
        None,
    );
    answered.derivations = vec![derivation(
        1,
        "seace",
        crate::vocabulary::UnitLevel::Second,
        lima(10, 5, 11, 0),
        lima(10, 12, 23, 59),
        Some(lima(10, 6, 10, 0)),
    )];
    // Derived to the IT office on Tuesday 13 with two days, never answered: late at the end of the month.
    let mut waiting = row(
        "I",
        lima(10, 13, 9, 0),
        lima(10, 13, 9, 0),
        lima(10, 20, 23, 59),
        "SEACE",
        "Incidencia",
        None,
        None,
        None,
    );
    waiting.derivations = vec![derivation(
        2,
        "oti",
        crate::vocabulary::UnitLevel::Third,
        lima(10, 13, 10, 0),
        lima(10, 15, 23, 59),
        None,
    )];
    let plain = october().remove(0);
    let all = entries(vec![answered, waiting, plain], &ctx);
    assert_eq!((all[0].level, all[0].unit.as_deref()), (2, Some("seace")));
    assert_eq!(all[0].unit_hours(), Some(7.0));
    assert_eq!(all[0].first_level_hours, Some(4.0));
    assert_eq!((all[1].level, all[1].unit.as_deref()), (3, Some("oti")));
    assert_eq!(all[1].unit_spans[0].within_deadline, Some(false));
    assert_eq!((all[2].level, all[2].unit.as_deref()), (1, None));
    let month = MonthIndicators::compute(2026, 10, ctx.now, &all);
    let units: Vec<(String, u64, u64, u64, Option<f64>)> = month
        .by_unit
        .iter()
        .map(|u| {
            (
                u.unit.clone(),
                u.derived,
                u.answered,
                u.overdue,
                u.average_hours,
            )
        })
        .collect();
    assert_eq!(
        units,
        vec![
            ("oti".to_string(), 1, 0, 1, None),
            ("seace".to_string(), 1, 1, 0, Some(7.0)),
        ]
    );
    assert_eq!(month.first_level_average_hours, Some(4.0));
    assert!(month
        .to_string()
        .contains("seace (nivel 2): 1 derivadas, 1 respondidas"));
    let cells = workbook::register_cells(1, &all[0]);
    assert_eq!(cells.len(), workbook::REGISTER_COLUMNS.len());
}
