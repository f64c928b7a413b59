//! The annual suggestions report (002 §9.1): «Cada órgano o unidad orgánica del OSCE elabora un informe anual que
//! contenga, como mínimo, las sugerencias recibidas y las acciones implementadas, el mismo que se remite a la
//! Oficina de Comunicaciones dentro de los diez (10) primeros días hábiles del siguiente ejercicio fiscal.»
//!
//! The suggestions of a year (by effective received date), grouped by the unit each was derived to; a suggestion
//! not derived to any unit is under «sin derivar». Pure: the entries and the calendar in, the report out.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::register::RegisterEntry;
use crate::calendar::BusinessCalendar;
use crate::vocabulary::AttentionKind;

/// The group of the suggestions no unit holds.
pub const NOT_DERIVED: &str = "sin derivar";

/// How many business days of the next year the units have to send the report (002 §9.1).
pub const DUE_BUSINESS_DAYS: u32 = 10;

/// One unit's suggestions.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitSuggestions {
    /// The unit, or [`NOT_DERIVED`].
    pub unit: String,
    /// Its suggestions, in the register's order.
    pub entries: Vec<RegisterEntry>,
}

impl UnitSuggestions {
    /// How many were answered (the citizen told the result: 002 §9.1 «debiendo comunicar el resultado»).
    pub fn answered(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.answered_at.is_some())
            .count()
    }
}

/// The year's report.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestionsReport {
    /// The fiscal year.
    pub year: i32,
    /// The last day to send it: the tenth business day of the next year.
    pub due_by: NaiveDate,
    /// Each unit with suggestions, by name, «sin derivar» among them when some were not derived.
    pub units: Vec<UnitSuggestions>,
}

impl SuggestionsReport {
    /// The report of `year` from its register `entries` (every kind; only the suggestions count), each put under
    /// the unit `unit_of` says it was derived to (`None`: [`NOT_DERIVED`]).
    pub fn compute(
        year: i32,
        entries: &[RegisterEntry],
        calendar: &BusinessCalendar,
        unit_of: impl Fn(&RegisterEntry) -> Option<String>,
    ) -> SuggestionsReport {
        let mut units: BTreeMap<String, Vec<RegisterEntry>> = BTreeMap::new();
        for e in entries
            .iter()
            .filter(|e| e.row.kind == AttentionKind::Suggestion)
        {
            let unit = unit_of(e).unwrap_or_else(|| NOT_DERIVED.to_string());
            units.entry(unit).or_default().push(e.clone());
        }
        let last_day = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MIN);
        SuggestionsReport {
            year,
            due_by: calendar.add_business_days(last_day, DUE_BUSINESS_DAYS),
            units: units
                .into_iter()
                .map(|(unit, entries)| UnitSuggestions { unit, entries })
                .collect(),
        }
    }

    /// How many suggestions in all.
    pub fn total(&self) -> usize {
        self.units.iter().map(|u| u.entries.len()).sum()
    }
}

impl std::fmt::Display for SuggestionsReport {
    /// The summary printed on the terminal.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Sugerencias de {}: {} recibidas; el informe de cada unidad se remite a más tardar el {} \
             (los {} primeros días hábiles de {}, 002 §9.1)",
            self.year,
            self.total(),
            crate::spanish::date(self.due_by),
            DUE_BUSINESS_DAYS,
            self.year + 1
        )?;
        for u in &self.units {
            writeln!(
                f,
                "  {}: {} recibidas, {} con el resultado comunicado al ciudadano, {} pendientes",
                u.unit,
                u.entries.len(),
                u.answered(),
                u.entries.len() - u.answered()
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Reception;
    use crate::report::register::RegisterEntry;
    use crate::report::ReportContext;
    use crate::store::RegisterRow;
    use chrono::{TimeZone, Utc};

    fn row(ticket: &str, kind: AttentionKind, answered: bool) -> RegisterRow {
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 15, 0, 0).unwrap();
        RegisterRow {
            id: 0,
            ticket: ticket.into(),
            mailbox: "consultas".into(),
            citizen_name: None,
            citizen_address: Some("iván@example.pe".into()),
            subject: "Sugerencia".into(),
            received_at: at,
            effective_received_at: at,
            deadline_at: at + chrono::TimeDelta::days(5),
            folder: "Sugerencias".into(),
            category: "Sugerencia".into(),
            availability: "Media".into(),
            state: if answered { "answered" } else { "filed" }.into(),
            answered_at: answered.then_some(at + chrono::TimeDelta::days(1)),
            within_deadline: answered.then_some(true),
            assistant: None,
            legal: None,
            supervisor: None,
            rating: None,
            kind,
            area: Some("SEACE".into()),
            derivations: vec![],
        }
    }

    #[test]
    fn the_years_suggestions_are_counted_per_unit_and_due_on_the_tenth_business_day() {
        let calendar = BusinessCalendar::peru_default();
        let ctx = ReportContext {
            calendar: &calendar,
            receptions: Default::default(),
            default_reception: Reception::default(),
            now: Utc.with_ymd_and_hms(2027, 1, 2, 12, 0, 0).unwrap(),
        };
        let entries: Vec<RegisterEntry> = [
            row("CONS-2026-000001", AttentionKind::Suggestion, true),
            row("CONS-2026-000002", AttentionKind::Consultation, true),
            row("CONS-2026-000003", AttentionKind::Suggestion, false),
        ]
        .into_iter()
        .map(|r| RegisterEntry::new(r, &ctx))
        .collect();
        let report = SuggestionsReport::compute(2026, &entries, &calendar, |_| None);
        assert_eq!(report.total(), 2, "only the suggestions");
        assert_eq!(report.units.len(), 1);
        assert_eq!(report.units[0].unit, NOT_DERIVED);
        assert_eq!(report.units[0].answered(), 1);
        // 1 January is a holiday; 2027-01-04 (Monday) is the first business day, the tenth is Friday 15.
        assert_eq!(report.due_by, NaiveDate::from_ymd_opt(2027, 1, 15).unwrap());
        let shown = report.to_string();
        assert!(
            shown.contains("Sugerencias de 2026: 2 recibidas"),
            "{shown}"
        );
        assert!(shown.contains("a más tardar el 15/01/2027"), "{shown}");
        assert!(shown.contains("sin derivar: 2 recibidas, 1 con el resultado comunicado al ciudadano, 1 pendientes"), "{shown}");
        let by_unit = SuggestionsReport::compute(2026, &entries, &calendar, |e| {
            (e.row.ticket == "CONS-2026-000001").then(|| "Dirección del SEACE".to_string())
        });
        let names: Vec<&str> = by_unit.units.iter().map(|u| u.unit.as_str()).collect();
        assert_eq!(names, ["Dirección del SEACE", NOT_DERIVED]);
    }
}
