//! Behaviour of the calendar as the office sees it: which days count, when mail counts, when answers are due.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::*;
use crate::vocabulary::Availability;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn lima(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Tz> {
    LIMA.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn peru() -> BusinessCalendar {
    BusinessCalendar::peru_default()
}

fn reason(cal: &BusinessCalendar, date: NaiveDate) -> Option<NonWorkingReason> {
    cal.non_working(date).map(|n| n.reason)
}

// --- the embedded national calendar ---

#[test]
fn the_embedded_national_calendar_parses() {
    let cal = BusinessCalendar::from_toml_str(
        include_str!("../../calendar/peru.toml"),
        "calendar/peru.toml",
        false,
    );
    assert!(cal.is_ok(), "{:?}", cal.err());
}

#[test]
fn holy_thursday_and_good_friday_2026_do_not_count() {
    let cal = peru();
    let thursday = cal.non_working(ymd(2026, 4, 2)).unwrap();
    assert_eq!(thursday.reason, NonWorkingReason::Holiday);
    assert_eq!(thursday.name, "Jueves Santo");
    assert_eq!(
        cal.non_working(ymd(2026, 4, 3)).unwrap().name,
        "Viernes Santo"
    );
    assert!(cal.is_business_day(ymd(2026, 4, 1)));
    assert!(cal.is_business_day(ymd(2026, 4, 6)));
}

#[test]
fn fixed_holidays_of_the_law_do_not_count() {
    let cal = peru();
    for (m, d, name) in [
        (1, 1, "Año Nuevo"),
        (5, 1, "Día del Trabajo"),
        (6, 29, "San Pedro y San Pablo"),
        (7, 28, "Fiestas Patrias"),
        (7, 29, "Fiestas Patrias"),
        (8, 30, "Santa Rosa de Lima"),
        (10, 8, "Combate de Angamos"),
        (11, 1, "Todos los Santos"),
        (12, 8, "Inmaculada Concepción"),
        (12, 25, "Navidad"),
    ] {
        let nw = cal.non_working(ymd(2026, m, d)).unwrap();
        assert_eq!(nw.reason, NonWorkingReason::Holiday, "{m}-{d}");
        assert_eq!(nw.name, name);
        assert_eq!(nw.source, "D.Leg. 713, art. 6");
    }
}

#[test]
fn flag_day_is_a_holiday_from_2024_not_before() {
    let cal = peru();
    // 7 June 2024 was a Friday; 7 June 2023 a Wednesday, before Ley 31788.
    let nw = cal.non_working(ymd(2024, 6, 7)).unwrap();
    assert_eq!(nw.source, "Ley 31788");
    assert!(cal.is_business_day(ymd(2023, 6, 7)));
}

#[test]
fn newer_laws_add_their_holidays() {
    let cal = peru();
    assert_eq!(
        cal.non_working(ymd(2024, 7, 23)).unwrap().source,
        "Ley 31822"
    );
    assert_eq!(
        cal.non_working(ymd(2024, 8, 6)).unwrap().source,
        "Ley 31530"
    );
    assert_eq!(
        cal.non_working(ymd(2026, 12, 9)).unwrap().source,
        "Ley 31381"
    );
    // 9 December 2021 (Thursday) was before Ley 31381 took effect.
    assert!(cal.is_business_day(ymd(2021, 12, 9)));
}

#[test]
fn decreed_days_do_not_count_for_the_public_sector() {
    let cal = peru();
    for (date, source) in [
        (ymd(2023, 4, 28), "D.S. 151-2022-PCM"),
        (ymd(2024, 1, 2), "D.S. 151-2022-PCM"),
        (ymd(2024, 7, 26), "D.S. 011-2024-PCM"),
        (ymd(2024, 12, 31), "D.S. 011-2024-PCM"),
        (ymd(2025, 5, 2), "D.S. 042-2025-PCM"),
        (ymd(2025, 12, 26), "D.S. 042-2025-PCM"),
        (ymd(2026, 1, 2), "D.S. 042-2025-PCM"),
    ] {
        let nw = cal.non_working(date).unwrap();
        assert_eq!(nw.reason, NonWorkingReason::Decreed, "{date}");
        assert_eq!(nw.source, source, "{date}");
    }
}

#[test]
fn weekends_do_not_count_and_a_holiday_on_sunday_shows_as_the_holiday() {
    let cal = peru();
    assert_eq!(
        reason(&cal, ymd(2026, 11, 21)),
        Some(NonWorkingReason::Weekend)
    );
    assert_eq!(cal.non_working(ymd(2026, 11, 22)).unwrap().name, "domingo");
    // 7 June 2026 is a Sunday and Flag Day: the listing names the holiday.
    assert_eq!(
        cal.non_working(ymd(2026, 6, 7)).unwrap().name,
        "Batalla de Arica y Día de la Bandera"
    );
    assert!(cal.is_business_day(ymd(2026, 11, 20)));
}

#[test]
fn decreed_coverage_is_announced_to_the_administrator() {
    let cal = peru();
    assert_eq!(cal.decreed_until(), Some(ymd(2026, 1, 2)));
    assert!(
        cal.warnings()
            .iter()
            .any(|w| w.contains("02/01/2026") && w.contains("decretos supremos")),
        "{:?}",
        cal.warnings()
    );
}

// --- counting ---

#[test]
fn next_business_day_skips_new_year_the_decree_and_the_weekend() {
    let cal = peru();
    assert_eq!(cal.next_business_day(ymd(2025, 12, 31)), ymd(2026, 1, 5));
    assert_eq!(cal.next_business_day(ymd(2026, 11, 19)), ymd(2026, 11, 20));
}

#[test]
fn adding_business_days_skips_fiestas_patrias() {
    let cal = peru();
    // Mon 27 Jul 2026 + 1 → Thu 30 Jul (28 and 29 are holidays).
    assert_eq!(cal.add_business_days(ymd(2026, 7, 27), 1), ymd(2026, 7, 30));
    assert_eq!(cal.add_business_days(ymd(2026, 7, 27), 0), ymd(2026, 7, 27));
    assert_eq!(
        cal.add_business_days(ymd(2026, 11, 20), 3),
        ymd(2026, 11, 25)
    );
}

#[test]
fn business_days_between_counts_after_from_up_to_to() {
    let cal = peru();
    assert_eq!(
        cal.business_days_between(ymd(2026, 11, 20), ymd(2026, 11, 25)),
        3
    );
    assert_eq!(
        cal.business_days_between(ymd(2026, 11, 25), ymd(2026, 11, 20)),
        -3
    );
    assert_eq!(
        cal.business_days_between(ymd(2026, 11, 20), ymd(2026, 11, 20)),
        0
    );
    assert_eq!(
        cal.business_days_between(ymd(2026, 7, 27), ymd(2026, 7, 31)),
        2
    );
}

#[test]
fn days_lists_every_day_with_its_spanish_weekday() {
    let cal = peru();
    let days: Vec<DayInfo> = cal.days(ymd(2026, 7, 27), ymd(2026, 7, 29)).collect();
    assert_eq!(days.len(), 3);
    assert_eq!(days[0].weekday, "lunes");
    assert_eq!(days[0].non_working, None);
    assert_eq!(days[1].weekday, "martes");
    assert_eq!(
        days[1].non_working.as_ref().unwrap().name,
        "Fiestas Patrias"
    );
    assert_eq!(cal.days(ymd(2026, 7, 29), ymd(2026, 7, 27)).count(), 0);
    assert_eq!(crate::spanish::weekday(chrono::Weekday::Wed), "miércoles");
}

#[test]
fn render_days_explains_each_day_and_counts() {
    let cal = peru();
    let text = render_days(&cal, ymd(2026, 7, 27), ymd(2026, 8, 2));
    let expected = "\
lun 27/07/2026  hábil
mar 28/07/2026  feriado: Fiestas Patrias (D.Leg. 713, art. 6)
mié 29/07/2026  feriado: Fiestas Patrias (D.Leg. 713, art. 6)
jue 30/07/2026  hábil
vie 31/07/2026  hábil
sáb 01/08/2026  fin de semana
dom 02/08/2026  fin de semana
3 días hábiles de 7 días";
    assert_eq!(text, expected);
    let one = render_days(&cal, ymd(2026, 1, 2), ymd(2026, 1, 2));
    assert_eq!(
        one,
        "vie 02/01/2026  no laborable decretado: Día no laborable compensable (D.S. 042-2025-PCM)\n0 días hábiles de 1 día"
    );
}

// --- the administrator's file ---

const LOCAL: &str = r#"
decreed_until = "2026-12-31"

[[local]]
date = "06-24"
name = "Día del Cusco"
source = "Ordenanza Regional 001"

[[local]]
date = "2026-03-13"
name = "Cierre por fumigación"
source = "Memorando 045-2026-OGA"

[[decreed]]
date = 2026-12-24
name = "Víspera de Navidad"
source = "D.S. 999-2026-PCM"
"#;

#[test]
fn an_office_file_adds_its_days_to_the_national_calendar() {
    let cal = BusinessCalendar::from_toml_str(LOCAL, "calendario.toml", true).unwrap();
    assert_eq!(
        reason(&cal, ymd(2026, 6, 24)),
        Some(NonWorkingReason::Local)
    );
    assert_eq!(
        reason(&cal, ymd(2027, 6, 24)),
        Some(NonWorkingReason::Local)
    );
    assert_eq!(
        cal.non_working(ymd(2026, 3, 13)).unwrap().source,
        "Memorando 045-2026-OGA"
    );
    assert!(cal.is_business_day(ymd(2027, 3, 12)));
    assert_eq!(
        reason(&cal, ymd(2026, 12, 24)),
        Some(NonWorkingReason::Decreed)
    );
    // National days are still there.
    assert_eq!(
        reason(&cal, ymd(2026, 7, 28)),
        Some(NonWorkingReason::Holiday)
    );
    assert_eq!(cal.decreed_until(), Some(ymd(2026, 12, 31)));
}

#[test]
fn an_office_file_may_leave_out_the_national_calendar() {
    let text = format!("include_national = false\n{LOCAL}");
    let cal = BusinessCalendar::from_toml_str(&text, "calendario.toml", true).unwrap();
    assert!(cal.is_business_day(ymd(2026, 7, 28)));
    assert_eq!(
        reason(&cal, ymd(2026, 6, 24)),
        Some(NonWorkingReason::Local)
    );
}

#[test]
fn a_decree_after_decreed_until_is_pointed_out() {
    let text = LOCAL.replace("2026-12-31", "2026-06-30");
    let cal = BusinessCalendar::from_toml_str(&text, "calendario.toml", true).unwrap();
    assert!(
        cal.warnings()
            .iter()
            .any(|w| w.contains("calendario.toml") && w.contains("24/12/2026")),
        "{:?}",
        cal.warnings()
    );
}

#[test]
fn load_reads_the_file_and_names_it_when_missing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calendario.toml");
    std::fs::write(&path, LOCAL).unwrap();
    let cal = BusinessCalendar::load(&path).unwrap();
    assert_eq!(
        reason(&cal, ymd(2026, 3, 13)),
        Some(NonWorkingReason::Local)
    );

    let missing = dir.path().join("no-existe.toml");
    let err = BusinessCalendar::load(&missing).unwrap_err().to_string();
    assert!(err.contains("no-existe.toml"), "{err}");
    assert!(
        err.starts_with("no se pudo leer el archivo de calendario"),
        "{err}"
    );
}

fn load_err(text: &str) -> String {
    BusinessCalendar::from_toml_str(text, "calendario.toml", true)
        .unwrap_err()
        .to_string()
}

#[test]
fn a_date_that_does_not_exist_is_reported_with_line_and_column() {
    let text = "\n[[decreed]]\ndate = \"2026-02-30\"\nname = \"x\"\nsource = \"D.S. 1\"\n";
    assert_eq!(
        load_err(text),
        "calendario.toml:3:8: la fecha «2026-02-30» no existe"
    );
}

#[test]
fn a_misspelled_key_is_reported_with_line_and_column() {
    let text = "[[local]]\ndate = \"06-24\"\nnmae = \"Día del Cusco\"\nsource = \"x\"\n";
    let err = load_err(text);
    assert!(
        err.starts_with("calendario.toml:3:1: clave desconocida `nmae`"),
        "{err}"
    );
}

#[test]
fn a_holiday_with_a_full_date_is_explained() {
    let text = "[[holiday]]\ndate = \"2026-06-24\"\nname = \"x\"\nsource = \"y\"\n";
    let err = load_err(text);
    assert!(
        err.starts_with("calendario.toml:2:8: un feriado [[holiday]] se repite cada año"),
        "{err}"
    );
}

#[test]
fn a_decree_without_its_year_is_explained() {
    let text = "[[decreed]]\ndate = \"12-24\"\nname = \"x\"\nsource = \"y\"\n";
    assert!(load_err(text).contains("2:8: un día decretado [[decreed]] necesita la fecha completa"));
}

#[test]
fn bad_years_offsets_and_empty_sources_are_refused() {
    let since = "[[holiday]]\ndate = \"06-24\"\nname = \"x\"\nsource = \"y\"\nsince = 20245\n";
    assert!(load_err(since).starts_with("calendario.toml:5:9: el año 20245 no es válido"));
    let order =
        "[[local]]\ndate = \"06-24\"\nname = \"x\"\nsource = \"y\"\nsince = 2026\nuntil = 2025\n";
    assert!(load_err(order).contains("6:9: until = 2025 es anterior a since = 2026"));
    let offset = "[[easter]]\noffset = 400\nname = \"x\"\nsource = \"y\"\n";
    assert!(load_err(offset).starts_with("calendario.toml:2:10: offset = 400"));
    let source = "[[decreed]]\ndate = \"2026-12-24\"\nname = \"x\"\nsource = \" \"\n";
    assert!(load_err(source).starts_with("calendario.toml:4:10: source está vacío"));
    let garbage = "[[local]]\ndate = \"24 de junio\"\nname = \"x\"\nsource = \"y\"\n";
    assert!(load_err(garbage).contains("2:8: «24 de junio» no es una fecha"));
    let feb30 = "[[local]]\ndate = \"02-30\"\nname = \"x\"\nsource = \"y\"\n";
    assert!(load_err(feb30).contains("la fecha «02-30» no existe"));
}

#[test]
fn a_syntax_error_is_located() {
    let err = load_err("decreed_until = \"2026-01-02\"\n[[local]\n");
    assert!(err.starts_with("calendario.toml:2:"), "{err}");
}

#[test]
fn a_calendar_without_business_days_is_refused() {
    let mut text = String::from("include_national = false\n");
    for m in 1..=12 {
        for d in 1..=31 {
            if NaiveDate::from_ymd_opt(2000, m, d).is_some() {
                text.push_str(&format!(
                    "[[local]]\ndate = \"{m:02}-{d:02}\"\nname = \"x\"\nsource = \"y\"\n"
                ));
            }
        }
    }
    assert!(load_err(&text).contains("ningún día hábil"));
}

// --- deadline policies ---

#[test]
fn deadline_policies_are_read_as_administrators_write_them() {
    let p = |s: &str| s.parse::<DeadlinePolicy>();
    assert_eq!(p("disponibilidad"), Ok(DeadlinePolicy::default()));
    assert_eq!(p(" Disponibilidad "), Ok(DeadlinePolicy::default()));
    assert_eq!(
        p("disponibilidad 2/5/8"),
        Ok(DeadlinePolicy::Availability {
            high: 2,
            medium: 5,
            low: 8
        })
    );
    assert_eq!(p("24 horas"), Ok(DeadlinePolicy::Hours(24)));
    assert_eq!(p("24h"), Ok(DeadlinePolicy::Hours(24)));
    assert_eq!(p("48 HORAS"), Ok(DeadlinePolicy::Hours(48)));
    assert_eq!(p("2 días hábiles"), Ok(DeadlinePolicy::BusinessDays(2)));
    assert_eq!(p("2 dias habiles"), Ok(DeadlinePolicy::BusinessDays(2)));
    assert_eq!(p("1 día hábil"), Ok(DeadlinePolicy::BusinessDays(1)));
}

#[test]
fn an_unknown_policy_lists_the_accepted_forms() {
    let err = "pronto".parse::<DeadlinePolicy>().unwrap_err().to_string();
    for form in [
        "disponibilidad",
        "disponibilidad 2/5/8",
        "24 horas",
        "2 días hábiles",
    ] {
        assert!(err.contains(&format!("\"{form}\"")), "{err}");
    }
    assert!(err.starts_with("plazo «pronto» no reconocido"), "{err}");
}

#[test]
fn impossible_policies_are_refused() {
    for bad in [
        "0 días hábiles",
        "0 horas",
        "disponibilidad 3/3/10",
        "disponibilidad 5/4/8",
        "disponibilidad 2/5/12",
        "disponibilidad 0/5/8",
        "disponibilidad 2/5",
        "99999999999 horas",
        "5 semanas",
    ] {
        assert!(bad.parse::<DeadlinePolicy>().is_err(), "{bad}");
    }
    let err = "disponibilidad 2/5/12"
        .parse::<DeadlinePolicy>()
        .unwrap_err()
        .to_string();
    assert!(err.contains("máximo 10 días hábiles"), "{err}");
}

#[test]
fn policies_are_written_back_in_spanish_and_read_again() {
    for policy in [
        DeadlinePolicy::default(),
        DeadlinePolicy::Availability {
            high: 2,
            medium: 5,
            low: 8,
        },
        DeadlinePolicy::Hours(1),
        DeadlinePolicy::Hours(24),
        DeadlinePolicy::BusinessDays(1),
        DeadlinePolicy::BusinessDays(2),
    ] {
        let text = policy.to_string();
        assert_eq!(text.parse::<DeadlinePolicy>(), Ok(policy.clone()), "{text}");
    }
    assert_eq!(DeadlinePolicy::default().to_string(), "disponibilidad");
    assert_eq!(
        DeadlinePolicy::BusinessDays(2).to_string(),
        "2 días hábiles"
    );
    assert_eq!(DeadlinePolicy::Hours(24).to_string(), "24 horas");
}

// --- deadlines ---

fn due(policy: &DeadlinePolicy, availability: Availability, effective: DateTime<Tz>) -> String {
    deadline(&peru(), policy, availability, effective)
        .format("%a %Y-%m-%d %H:%M:%S")
        .to_string()
}

#[test]
fn alta_received_monday_is_due_thursday_night() {
    let p = DeadlinePolicy::default();
    assert_eq!(
        due(&p, Availability::High, lima(2026, 11, 23, 9, 0)),
        "Thu 2026-11-26 23:59:59"
    );
    assert_eq!(
        due(&p, Availability::Medium, lima(2026, 11, 23, 9, 0)),
        "Tue 2026-12-01 23:59:59"
    );
    assert_eq!(
        due(&p, Availability::Low, lima(2026, 11, 23, 9, 0)),
        "Mon 2026-12-07 23:59:59"
    );
    // Ten business days from 1 December must jump over 8 and 9 December.
    assert_eq!(
        due(&p, Availability::Low, lima(2026, 12, 1, 9, 0)),
        "Thu 2026-12-17 23:59:59"
    );
}

#[test]
fn a_fixed_number_of_business_days_ignores_the_class() {
    let p = DeadlinePolicy::BusinessDays(2);
    assert_eq!(
        due(&p, Availability::Low, lima(2026, 11, 20, 9, 0)),
        "Tue 2026-11-24 23:59:59"
    );
}

#[test]
fn twenty_four_hours_from_friday_end_on_monday() {
    let p = DeadlinePolicy::Hours(24);
    assert_eq!(
        due(&p, Availability::High, lima(2026, 11, 20, 10, 0)),
        "Mon 2026-11-23 10:00:00"
    );
    assert_eq!(
        due(&p, Availability::High, lima(2026, 11, 23, 10, 0)),
        "Tue 2026-11-24 10:00:00"
    );
    // Over Fiestas Patrias the clock stops for two days.
    assert_eq!(
        due(&p, Availability::High, lima(2026, 7, 27, 8, 30)),
        "Thu 2026-07-30 08:30:00"
    );
    // A whole business day from its first instant ends that same night.
    assert_eq!(
        due(&p, Availability::High, lima(2026, 11, 20, 0, 0)),
        "Fri 2026-11-20 23:59:59"
    );
}

#[test]
fn mail_after_the_cutoff_gets_its_deadline_from_the_next_business_day() {
    let cal = peru();
    let received = lima(2026, 11, 20, 16, 30).with_timezone(&Utc);
    let effective = effective_received_at(&cal, &Reception::default(), received);
    let due = deadline(
        &cal,
        &DeadlinePolicy::Hours(24),
        Availability::High,
        effective,
    );
    assert_eq!(due, lima(2026, 11, 24, 8, 30));
}

// --- properties ---

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0i64..(366 * 6)).prop_map(|d| ymd(2022, 1, 1) + chrono::Duration::days(d))
    }

    fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
        (0i64..(366 * 6 * 86_400)).prop_map(|s| {
            Utc.with_ymd_and_hms(2022, 1, 1, 5, 0, 0).unwrap() + chrono::Duration::seconds(s)
        })
    }

    fn any_policy() -> impl Strategy<Value = DeadlinePolicy> {
        prop_oneof![
            Just(DeadlinePolicy::default()),
            (1u32..=60).prop_map(DeadlinePolicy::BusinessDays),
            (1u32..=720).prop_map(DeadlinePolicy::Hours),
        ]
    }

    fn any_class() -> impl Strategy<Value = Availability> {
        prop_oneof![
            Just(Availability::High),
            Just(Availability::Medium),
            Just(Availability::Low)
        ]
    }

    proptest! {
        #[test]
        fn effective_time_is_a_business_day_and_never_before_receipt(received in any_instant()) {
            let cal = peru();
            let effective = effective_received_at(&cal, &Reception::default(), received);
            prop_assert!(cal.is_business_day(effective.date_naive()));
            prop_assert!(effective >= received);
        }

        #[test]
        fn deadlines_fall_on_business_days_after_the_effective_time(
            received in any_instant(), policy in any_policy(), class in any_class()
        ) {
            let cal = peru();
            let effective = effective_received_at(&cal, &Reception::default(), received);
            let due = deadline(&cal, &policy, class, effective);
            prop_assert!(cal.is_business_day(due.date_naive()), "{due}");
            prop_assert!(due > effective, "{due} <= {effective}");
        }

        #[test]
        fn more_days_or_hours_never_make_a_deadline_earlier(
            received in any_instant(), n in 1u32..40, hours in 1u32..200
        ) {
            let cal = peru();
            let effective = effective_received_at(&cal, &Reception::default(), received);
            let days = |n| deadline(&cal, &DeadlinePolicy::BusinessDays(n), Availability::High, effective);
            prop_assert!(days(n) < days(n + 1));
            let hrs = |h| deadline(&cal, &DeadlinePolicy::Hours(h), Availability::High, effective);
            prop_assert!(hrs(hours) < hrs(hours + 1));
            let table = DeadlinePolicy::default();
            let by = |a| deadline(&cal, &table, a, effective);
            prop_assert!(by(Availability::High) < by(Availability::Medium));
            prop_assert!(by(Availability::Medium) < by(Availability::Low));
        }

        #[test]
        fn adding_n_business_days_passes_exactly_n_of_them(date in any_date(), n in 0u32..40) {
            let cal = peru();
            let result = cal.add_business_days(date, n);
            prop_assert_eq!(cal.business_days_between(date, result), i64::from(n));
            if n > 0 {
                prop_assert!(cal.is_business_day(result));
            }
        }

        #[test]
        fn business_days_between_is_antisymmetric(a in any_date(), b in any_date()) {
            let cal = peru();
            prop_assert_eq!(cal.business_days_between(a, b), -cal.business_days_between(b, a));
        }
    }
}

#[test]
fn the_default_reception_is_osce_hours() {
    let r = Reception::default();
    assert_eq!(r.opening, NaiveTime::from_hms_opt(8, 30, 0).unwrap());
    assert_eq!(r.cutoff, NaiveTime::from_hms_opt(16, 30, 0).unwrap());
}

#[test]
fn a_toml_date_literal_that_does_not_exist_is_located() {
    let text = "[[decreed]]\ndate = 2026-02-30\nname = \"x\"\nsource = \"y\"\n";
    let err = load_err(text);
    assert!(
        err.starts_with("calendario.toml:2:8: la fecha no existe"),
        "{err}"
    );
}
