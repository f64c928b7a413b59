//! The incident computations on hand-made records.

use chrono::{TimeDelta, TimeZone, Utc};

use super::*;
use crate::calendar::Reception;
use crate::store::RegisterRow;

/// Lima wall-clock time in November 2026 (UTC−5).
fn lima(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour + 5, minute, 0)
        .unwrap()
}

fn context(calendar: &BusinessCalendar, now: DateTime<Utc>) -> ReportContext<'_> {
    ReportContext {
        calendar,
        receptions: Default::default(),
        default_reception: Reception::default(),
        now,
    }
}

/// An incident row filed in «Incidencias», due six hours after it arrived, never derived.
fn incident(
    ticket: &str,
    area: &str,
    category: &str,
    received: DateTime<Utc>,
    answered: Option<DateTime<Utc>>,
) -> RegisterRow {
    let due = received + TimeDelta::hours(6);
    RegisterRow {
        citizen_name: None,
        subject: "No carga el SEACE".into(),
        within_deadline: None,
        kind: AttentionKind::Incident,
        area: Some(area.into()),
        ..crate::report::tests::row(
            ticket,
            received,
            received,
            due,
            "Incidencias",
            category,
            answered,
            None,
            None,
        )
    }
}

fn record(row: RegisterRow, ctx: &ReportContext<'_>) -> IncidentRecord {
    IncidentRecord::first_level(RegisterEntry::new(row, ctx), None)
}

#[test]
fn frequencies_put_the_most_frequent_first_with_the_cumulative_count() {
    let table = frequencies(["RNP", "SEACE", "SEACE", "Legal", "SEACE", "RNP"]);
    let keys: Vec<(&str, u64, u64)> = table
        .iter()
        .map(|f| (f.key.as_str(), f.count, f.cumulative))
        .collect();
    assert_eq!(keys, [("SEACE", 3, 3), ("RNP", 2, 5), ("Legal", 1, 6)]);
    assert!((table[0].share - 0.5).abs() < 1e-9);
    assert!((table[1].cumulative_share - 5.0 / 6.0).abs() < 1e-9);
    assert!((table[2].cumulative_share - 1.0).abs() < 1e-9);
    assert!(frequencies(Vec::<String>::new()).is_empty());
}

#[test]
fn the_top_keeps_every_classification_tied_with_the_last_place() {
    let table = frequencies([
        "Certificado",
        "Certificado",
        "Certificado",
        "Caída",
        "Caída",
        "Clave",
        "Clave",
        "Firma",
    ]);
    // TOP 2: «Certificado» (3) and «Caída» (2); «Clave» (2) is tied with the second place and stays in.
    let top2: Vec<String> = top(&table, 2).into_iter().map(|f| f.key).collect();
    assert_eq!(top2, ["Certificado", "Caída", "Clave"]);
    let top1: Vec<String> = top(&table, 1).into_iter().map(|f| f.key).collect();
    assert_eq!(top1, ["Certificado"]);
    assert_eq!(
        top(&table, 10).len(),
        4,
        "fewer classifications than places"
    );
    assert!(top(&table, 0).is_empty());
}

#[test]
fn the_daily_report_lists_the_days_incidents_and_those_solved_that_day() {
    let calendar = BusinessCalendar::peru_default();
    let ctx = context(&calendar, lima(24, 17, 0));
    let monday = record(
        incident(
            "CONS-2026-000001",
            "SEACE",
            "Caída del SEACE",
            lima(23, 9, 0),
            Some(lima(24, 10, 0)),
        ),
        &ctx,
    );
    let tuesday = record(
        incident(
            "CONS-2026-000002",
            "RNP",
            "Certificado",
            lima(24, 9, 0),
            None,
        ),
        &ctx,
    );
    let tuesday_seace = record(
        incident(
            "CONS-2026-000003",
            "SEACE",
            "Caída del SEACE",
            lima(24, 11, 0),
            None,
        ),
        &ctx,
    );
    let report = DailyIncidentReport::compute(
        lima(24, 0, 0).with_timezone(&LIMA).date_naive(),
        ctx.now,
        vec![monday.clone(), tuesday.clone(), tuesday_seace.clone()],
        vec![monday.clone()],
    );
    let received: Vec<&str> = report
        .received
        .iter()
        .map(|r| r.entry.row.ticket.as_str())
        .collect();
    assert_eq!(received, ["CONS-2026-000002", "CONS-2026-000003"]);
    assert_eq!(report.solved.len(), 1);
    assert_eq!(report.solved[0].entry.row.ticket, "CONS-2026-000001");
    assert_eq!(
        report.statistics.total, 3,
        "the month so far, Monday included"
    );
    assert_eq!(report.statistics.by_origin[0].key, "SEACE");
    assert_eq!(report.statistics.by_origin[0].count, 2);
    assert_eq!(report.statistics.top[0].key, "Caída del SEACE");
    assert_eq!(tuesday.state(ctx.now), "En el primer nivel");
    assert_eq!(monday.state(ctx.now), "Atendida");
    let day = lima(24, 0, 0).with_timezone(&LIMA).date_naive();
    assert_eq!(monday.days_open(&calendar, day), 1);
    assert_eq!(tuesday.days_open(&calendar, day), 0);
}

#[test]
fn the_first_level_is_in_time_when_the_citizen_is_told_the_same_day() {
    let calendar = BusinessCalendar::peru_default();
    let ctx = context(&calendar, lima(25, 9, 0));
    let told_at_once = IncidentRecord::first_level(
        RegisterEntry::new(incident("A", "SEACE", "x", lima(24, 9, 0), None), &ctx),
        Some(lima(24, 9, 1)),
    );
    assert_eq!(told_at_once.first_level_in_time(ctx.now), Some(true));
    let told_at_the_last_minute = IncidentRecord::first_level(
        RegisterEntry::new(incident("B", "SEACE", "x", lima(24, 9, 0), None), &ctx),
        Some(lima(24, 18, 59)),
    );
    assert_eq!(
        told_at_the_last_minute.first_level_in_time(ctx.now),
        Some(true)
    );
    let told_next_day = IncidentRecord::first_level(
        RegisterEntry::new(incident("C", "SEACE", "x", lima(24, 9, 0), None), &ctx),
        Some(lima(25, 8, 0)),
    );
    assert_eq!(told_next_day.first_level_in_time(ctx.now), Some(false));
    let never_told = record(incident("D", "SEACE", "x", lima(24, 9, 0), None), &ctx);
    assert_eq!(never_told.first_level_in_time(ctx.now), Some(false));
    assert_eq!(
        never_told.first_level_in_time(lima(24, 12, 0)),
        None,
        "the day is not over"
    );
}

/// A hold of `unit` at `level` from `derived`, closed at `closed`.
fn hold(
    unit: &str,
    level: Level,
    derived: DateTime<Utc>,
    closed: Option<DateTime<Utc>>,
    raised: bool,
) -> UnitHold {
    UnitHold {
        unit: unit.into(),
        level,
        derived_at: derived,
        due_at: None,
        closed_at: closed,
        raised,
    }
}

#[test]
fn a_unit_is_in_time_up_to_the_fifth_business_day_after_it_received_the_incident() {
    let calendar = BusinessCalendar::peru_default();
    let now = lima(30, 17, 0);
    let seace = |answered| {
        hold(
            "Dirección del SEACE",
            Level::Second,
            lima(20, 10, 0),
            answered,
            false,
        )
    };
    // Derived Friday 20; five business days later is Friday 27 (23–27 November).
    assert_eq!(
        seace(Some(lima(27, 16, 0))).in_time(&calendar, now),
        Some(true)
    );
    assert_eq!(
        seace(Some(lima(30, 9, 0))).in_time(&calendar, now),
        Some(false)
    );
    assert_eq!(
        seace(None).in_time(&calendar, now),
        Some(false),
        "past the limit"
    );
    assert_eq!(
        seace(None).in_time(&calendar, lima(27, 12, 0)),
        None,
        "still in time"
    );
    assert_eq!(
        seace(Some(lima(27, 16, 0))).in_time(&calendar, lima(27, 12, 0)),
        None,
        "an answer after the report's instant is not seen"
    );
    // The unit's own due instant, when the derivation recorded one, wins over the level's limit.
    let own = UnitHold {
        due_at: Some(lima(23, 16, 30)),
        ..seace(Some(lima(24, 9, 0)))
    };
    assert_eq!(own.in_time(&calendar, now), Some(false));
    // A second-level unit raises the incident the day it receives it (002 §9.3.2).
    let raised_same_day = hold(
        "Dirección del SEACE",
        Level::Second,
        lima(20, 10, 0),
        Some(lima(20, 15, 0)),
        true,
    );
    assert_eq!(raised_same_day.in_time(&calendar, now), Some(true));
    let raised_next_day = hold(
        "Dirección del SEACE",
        Level::Second,
        lima(20, 10, 0),
        Some(lima(23, 9, 0)),
        true,
    );
    assert_eq!(raised_next_day.in_time(&calendar, now), Some(false));
}

#[test]
fn the_first_level_relays_the_units_answer_the_day_it_comes() {
    let calendar = BusinessCalendar::peru_default();
    let now = lima(30, 17, 0);
    let ctx = context(&calendar, now);
    let derived = |answered: Option<DateTime<Utc>>| IncidentRecord {
        holds: vec![hold(
            "OTI",
            Level::Third,
            lima(23, 10, 0),
            Some(lima(25, 10, 0)),
            false,
        )],
        ..IncidentRecord::first_level(
            RegisterEntry::new(incident("G", "SEACE", "x", lima(23, 9, 0), answered), &ctx),
            Some(lima(23, 9, 1)),
        )
    };
    assert_eq!(
        derived(Some(lima(25, 16, 0))).first_level_in_time(now),
        Some(true)
    );
    assert_eq!(
        derived(Some(lima(26, 9, 0))).first_level_in_time(now),
        Some(false)
    );
    assert_eq!(derived(None).first_level_in_time(now), Some(false));
    assert_eq!(
        derived(None).first_level_in_time(lima(25, 12, 0)),
        None,
        "the unit answered today"
    );
    assert_eq!(derived(None).state(now), "Respuesta de la unidad recibida");
    assert_eq!(derived(None).state(lima(24, 12, 0)), "En la unidad");
    // A unit that never answered is not late once the first level answered the citizen without it.
    let silent = IncidentRecord {
        holds: vec![hold("OTI", Level::Third, lima(20, 10, 0), None, false)],
        ..derived(Some(lima(30, 9, 0)))
    };
    assert_eq!(silent.hold_in_time(&silent.holds[0], &calendar, now), None);
    assert_eq!(silent.holds[0].in_time(&calendar, now), Some(false));
}

#[test]
fn the_months_indicators_split_each_levels_share_and_each_units_time() {
    let calendar = BusinessCalendar::peru_default();
    let ctx = context(&calendar, lima(30, 17, 0));
    // Stayed at the first level: acknowledged at once, answered two business hours later.
    let first = IncidentRecord::first_level(
        RegisterEntry::new(
            incident("A", "SEACE", "Caída", lima(23, 9, 0), Some(lima(23, 11, 0))),
            &ctx,
        ),
        Some(lima(23, 9, 1)),
    );
    // Derived to the third level after one business hour; the unit took 8 business hours (a whole day); the
    // first level answered the citizen one hour after the unit's answer.
    let third = IncidentRecord {
        holds: vec![hold(
            "Oficina de Tecnologías de la Información",
            Level::Third,
            lima(24, 10, 0),
            Some(lima(25, 10, 0)),
            false,
        )],
        ..IncidentRecord::first_level(
            RegisterEntry::new(
                incident("B", "SEACE", "Caída", lima(24, 9, 0), Some(lima(25, 11, 0))),
                &ctx,
            ),
            Some(lima(24, 9, 1)),
        )
    };
    let consultation = {
        let mut row = incident("C", "RNP", "Clave", lima(24, 9, 0), None);
        row.kind = AttentionKind::Consultation;
        record(row, &ctx)
    };
    let ind = IncidentIndicators::compute(&[first, third, consultation], &ctx);
    assert_eq!(ind.statistics.total, 2, "a consultation is not an incident");
    let l1 = &ind.levels[0];
    assert_eq!((l1.reached, l1.resolved, l1.in_time, l1.late), (1, 1, 2, 0));
    assert_eq!(l1.resolved_share, Some(0.5));
    // The first level's own time: 2 hours for A; 1 + 1 hours for B.
    assert_eq!(l1.average_hours, Some(2.0));
    let l3 = &ind.levels[2];
    assert_eq!((l3.reached, l3.resolved, l3.in_time, l3.late), (1, 1, 1, 0));
    assert_eq!(l3.average_hours, Some(8.0));
    assert_eq!(ind.levels[1].reached, 0);
    assert_eq!(ind.levels[1].compliance, None);
    assert_eq!(ind.units.len(), 1);
    assert_eq!(ind.units[0].average_hours, Some(8.0));
    assert_eq!(
        (
            ind.units[0].derived,
            ind.units[0].answered,
            ind.units[0].in_time
        ),
        (1, 1, 1)
    );
    let shown = ind.to_string();
    assert!(
        shown.contains("Incidencias del mes (002 §9.3.4): 2"),
        "{shown}"
    );
    assert!(shown.contains("Más frecuentes: Caída (2)"), "{shown}");
}

#[test]
fn the_report_of_a_day_goes_out_after_its_hour_and_a_weekend_reports_friday() {
    let calendar = BusinessCalendar::peru_default();
    let five = chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap();
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    // Tuesday 24 before five: Monday's; at five: Tuesday's.
    assert_eq!(report_day(&calendar, five, lima(24, 16, 59)), Some(day(23)));
    assert_eq!(report_day(&calendar, five, lima(24, 17, 0)), Some(day(24)));
    // Saturday and Sunday: Friday's (sent once; the outbox keeps one per day).
    assert_eq!(report_day(&calendar, five, lima(28, 18, 0)), Some(day(27)));
    assert_eq!(report_day(&calendar, five, lima(29, 9, 0)), Some(day(27)));
}

#[test]
fn an_escalated_incident_counts_at_the_third_level_and_each_unit_keeps_its_own_time() {
    let calendar = BusinessCalendar::peru_default();
    let ctx = context(&calendar, lima(30, 17, 0));
    // Derived to the SEACE directorate at 10:00 Monday, raised by it at 12:00 to the OTI, which answered at
    // 10:00 Wednesday: 4.5 business hours on Monday, 8 on Tuesday, 1.5 on Wednesday.
    let escalated = IncidentRecord {
        holds: vec![
            hold(
                "Dirección del SEACE",
                Level::Second,
                lima(23, 10, 0),
                Some(lima(23, 12, 0)),
                true,
            ),
            hold(
                "OTI",
                Level::Third,
                lima(23, 12, 0),
                Some(lima(25, 10, 0)),
                false,
            ),
        ],
        ..IncidentRecord::first_level(
            RegisterEntry::new(
                incident("H", "SEACE", "Caída", lima(23, 9, 0), Some(lima(25, 11, 0))),
                &ctx,
            ),
            Some(lima(23, 9, 1)),
        )
    };
    assert_eq!(escalated.level(), Level::Third);
    assert_eq!(escalated.unit(), Some("OTI"));
    let ind = IncidentIndicators::compute(&[escalated], &ctx);
    let (l1, l2, l3) = (&ind.levels[0], &ind.levels[1], &ind.levels[2]);
    assert_eq!(
        (l2.reached, l2.in_time, l2.late),
        (0, 1, 0),
        "raised the same day"
    );
    assert_eq!(l2.average_hours, Some(2.0));
    assert_eq!((l3.reached, l3.resolved), (1, 1));
    assert_eq!(l3.average_hours, Some(14.0));
    // The first level: 1 hour before the derivation, 1 hour after the OTI's answer.
    assert_eq!(l1.average_hours, Some(2.0));
    assert_eq!(l1.in_time, 1);
    let names: Vec<&str> = ind.units.iter().map(|u| u.unit.as_str()).collect();
    assert_eq!(names, ["Dirección del SEACE", "OTI"]);
}
