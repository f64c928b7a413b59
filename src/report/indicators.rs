//! The month's indicators of the virtual channel (002 §8.2.1.3): received, resolved, in progress, overdue,
//! response time, reasons, deadline compliance and satisfaction against the 85 % target (000).
//!
//! Everything is counted **as of** one instant: the end of the month, or now when the month is not over.
//! An answer after that instant is not seen (the consultation was still in progress at the end of the month).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};

use super::register::{Compliance, RegisterEntry};
use crate::spanish;
use crate::vocabulary::{AttentionKind, SurveySummary, SATISFACTION_TARGET};

/// The label of consultations without a reply in the per-assistant view.
pub const NO_ASSISTANT: &str = "(sin respuesta)";

/// What the rule-corrections indicator says until manual moves are detected.
pub const RULE_CORRECTIONS_NOT_MEASURED: &str =
    "no medido todavía: triaje aún no detecta los mensajes que el \
     coordinador mueve a mano fuera de «Por clasificar» o de una carpeta equivocada";

/// The counts and times of a set of consultations.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Indicators {
    /// Consultations received (effective received time in the period).
    pub received: u64,
    /// Answered by the report's instant.
    pub resolved: u64,
    /// Not answered by the report's instant (`received - resolved`).
    pub in_progress: u64,
    /// Not answered and past their deadline at the report's instant (a part of `in_progress`).
    pub overdue: u64,
    /// Answered by their deadline.
    pub within_deadline: u64,
    /// `within_deadline / resolved`; `None` before the first answer.
    pub compliance: Option<f64>,
    /// Mean business hours from effective reception to answer, over the answered ones.
    pub average_hours: Option<f64>,
    /// 90th percentile of the same (nearest rank: the smallest time at least 90 % of answers did not exceed).
    pub p90_hours: Option<f64>,
}

impl Indicators {
    /// The indicators of `entries`.
    pub fn of<'a>(entries: impl IntoIterator<Item = &'a RegisterEntry>) -> Indicators {
        let mut out = Indicators::default();
        let mut times = Vec::new();
        for entry in entries {
            out.received += 1;
            if entry.answered_at.is_some() {
                out.resolved += 1;
                times.extend(entry.business_hours);
            }
            match entry.compliance {
                Compliance::Within => out.within_deadline += 1,
                Compliance::Overdue => out.overdue += 1,
                Compliance::Late | Compliance::Pending => {}
            }
        }
        out.in_progress = out.received - out.resolved;
        out.compliance =
            (out.resolved > 0).then(|| out.within_deadline as f64 / out.resolved as f64);
        out.average_hours =
            (!times.is_empty()).then(|| times.iter().sum::<f64>() / times.len() as f64);
        out.p90_hours = percentile(&mut times, 0.9);
        out
    }
}

/// Where a complaint's clock stands, in Spanish: answered (in time or late), or how many business days are
/// left or past.
pub fn complaint_clock(c: &RegisterEntry) -> String {
    match (c.answered_at, c.business_days_left) {
        (Some(at), _) => format!(
            "respondido el {} ({})",
            spanish::day_date_time(&at),
            if c.compliance == Compliance::Within {
                "dentro del plazo"
            } else {
                "fuera del plazo"
            }
        ),
        (None, Some(d)) if c.compliance == Compliance::Overdue => {
            format!(
                "vencido hace {} días hábiles, sin respuesta",
                d.unsigned_abs().max(1)
            )
        }
        (None, Some(0)) => "vence hoy, sin respuesta".to_string(),
        (None, Some(d)) => format!("quedan {d} días hábiles"),
        (None, None) => String::new(),
    }
}

/// The nearest-rank percentile `p` (0 < p ≤ 1) of `values`: the value at position ⌈p·n⌉ once sorted.
pub fn percentile(values: &mut [f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let rank = (p * values.len() as f64).ceil() as usize;
    values.get(rank.clamp(1, values.len()) - 1).copied()
}

/// The indicators of one folder, category, mailbox or assistant.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    /// The folder, category, mailbox or assistant.
    pub key: String,
    /// Its indicators.
    pub indicators: Indicators,
}

/// What one unit did with the month's attentions derived to it: its own time, apart from the first level's
/// (002 §9.3.1: «Medir el cumplimiento del servicio en cada nivel de atención»).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitIndicators {
    /// The unit's short name.
    pub unit: String,
    /// 2 or 3.
    pub level: u8,
    /// Attentions derived to it.
    pub derived: u64,
    /// Answered (or raised to a higher level) by the report's instant.
    pub answered: u64,
    /// Of those, by the unit's deadline.
    pub within_deadline: u64,
    /// Still held past its deadline.
    pub overdue: u64,
    /// Mean business hours from derivation to answer.
    pub average_hours: Option<f64>,
}

/// The month's indicators, every view.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthIndicators {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// The instant everything is counted at: the end of the month, or the report's time if earlier.
    pub as_of: DateTime<Utc>,
    /// Every consultation of the month.
    pub total: Indicators,
    /// By the folder triage filed it into.
    pub by_folder: Vec<Breakdown>,
    /// By category (the reason of the consultation).
    pub by_category: Vec<Breakdown>,
    /// By mailbox.
    pub by_mailbox: Vec<Breakdown>,
    /// By the assistant who wrote the reply (`(sin respuesta)` for the unanswered).
    pub by_assistant: Vec<Breakdown>,
    /// By kind of attention (`Consultas`, `Incidencias`, `Reclamos`, `Sugerencias`), in that order.
    pub by_kind: Vec<Breakdown>,
    /// The month's complaints with their clock (30 business days: 000, D.S. 007-2020-PCM): due date, business
    /// days left or overdue, answered or not.
    pub complaints: Vec<RegisterEntry>,
    /// The survey answers given to the month's consultations.
    pub survey: SurveySummary,
    /// The month's incident indicators (002 §9.3.4), once the caller computed them with the derivations
    /// (`IncidentIndicators::compute`); `None`: not computed, no `Incidencias` sheet.
    pub incidents: Option<super::incidents::IncidentIndicators>,
    /// How often the coordinator corrected the rules; `None`: not measured yet (see
    /// [`RULE_CORRECTIONS_NOT_MEASURED`]).
    pub rule_corrections: Option<u64>,
    /// Each unit's own time on the month's derived attentions.
    pub by_unit: Vec<UnitIndicators>,
    /// The first level's own mean business hours on the derived attentions answered to the citizen (reception
    /// → derivation, plus unit's answer → reply).
    pub first_level_average_hours: Option<f64>,
}

impl MonthIndicators {
    /// The indicators of `entries` (the month's register, computed as of `as_of`).
    pub fn compute(
        year: i32,
        month: u32,
        as_of: DateTime<Utc>,
        entries: &[RegisterEntry],
    ) -> MonthIndicators {
        let by = |key: fn(&RegisterEntry) -> String| {
            let mut groups: BTreeMap<String, Vec<&RegisterEntry>> = BTreeMap::new();
            for entry in entries {
                groups.entry(key(entry)).or_default().push(entry);
            }
            groups
                .into_iter()
                .map(|(key, group)| Breakdown {
                    key,
                    indicators: Indicators::of(group),
                })
                .collect::<Vec<_>>()
        };
        let mut stars = [0u64; 5];
        for rating in entries.iter().filter_map(|e| e.row.rating) {
            if let Some(count) = stars.get_mut(usize::from(rating).wrapping_sub(1)) {
                *count += 1;
            }
        }
        MonthIndicators {
            year,
            month,
            as_of,
            total: Indicators::of(entries),
            by_folder: by(|e| e.row.folder.clone()),
            by_category: by(|e| e.row.category.clone()),
            by_mailbox: by(|e| e.row.mailbox.clone()),
            by_assistant: by(|e| {
                e.row
                    .assistant
                    .clone()
                    .unwrap_or_else(|| NO_ASSISTANT.to_string())
            }),
            by_kind: AttentionKind::ALL
                .into_iter()
                .filter_map(|kind| {
                    let group: Vec<&RegisterEntry> =
                        entries.iter().filter(|e| e.row.kind == kind).collect();
                    (!group.is_empty()).then(|| Breakdown {
                        key: kind.plural().to_string(),
                        indicators: Indicators::of(group),
                    })
                })
                .collect(),
            complaints: entries
                .iter()
                .filter(|e| e.row.kind == AttentionKind::Complaint)
                .cloned()
                .collect(),
            survey: SurveySummary::from_counts(stars),
            rule_corrections: None,
            incidents: None,
            by_unit: by_unit(entries),
            first_level_average_hours: {
                let own: Vec<f64> = entries.iter().filter_map(|e| e.first_level_hours).collect();
                (!own.is_empty()).then(|| own.iter().sum::<f64>() / own.len() as f64)
            },
        }
    }
}

/// Each unit's indicators over the month's entries, by unit name.
fn by_unit(entries: &[RegisterEntry]) -> Vec<UnitIndicators> {
    let mut units: BTreeMap<String, (UnitIndicators, Vec<f64>)> = BTreeMap::new();
    for span in entries.iter().flat_map(|e| &e.unit_spans) {
        let (u, times) = units.entry(span.unit.clone()).or_insert_with(|| {
            (
                UnitIndicators {
                    unit: span.unit.clone(),
                    level: span.level,
                    ..UnitIndicators::default()
                },
                Vec::new(),
            )
        });
        u.derived += 1;
        match (span.business_hours, span.within_deadline) {
            (Some(h), within) => {
                u.answered += 1;
                times.push(h);
                if within == Some(true) {
                    u.within_deadline += 1;
                }
            }
            (None, Some(false)) => u.overdue += 1,
            (None, _) => {}
        }
    }
    units
        .into_values()
        .map(|(mut u, times)| {
            u.average_hours =
                (!times.is_empty()).then(|| times.iter().sum::<f64>() / times.len() as f64);
            u
        })
        .collect()
}

impl fmt::Display for MonthIndicators {
    /// The plain-text summary printed on the terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.total;
        writeln!(
            f,
            "Indicadores del canal virtual — {} de {} (al {}, hora de Lima)",
            spanish::month(self.month),
            self.year,
            self.as_of
                .with_timezone(&crate::calendar::LIMA)
                .format("%d/%m/%Y %H:%M")
        )?;
        writeln!(f)?;
        writeln!(f, "Consultas recibidas:  {}", t.received)?;
        writeln!(f, "Atendidas:            {}", t.resolved)?;
        writeln!(f, "En proceso:           {}", t.in_progress)?;
        writeln!(f, "Vencidas sin atender: {}", t.overdue)?;
        writeln!(
            f,
            "Atendidas dentro del plazo: {} de {} ({})",
            t.within_deadline,
            t.resolved,
            spanish::percent(t.compliance)
        )?;
        writeln!(
            f,
            "Tiempo de respuesta (horas hábiles): promedio {}, percentil 90 {}",
            spanish::hours(t.average_hours),
            spanish::hours(t.p90_hours)
        )?;
        let target = spanish::percent(Some(SATISFACTION_TARGET));
        match self.survey.satisfied_share {
            None => writeln!(f, "Satisfacción: todavía sin respuestas (meta {target})")?,
            Some(share) => writeln!(
                f,
                "Satisfacción: {} de {} respuestas con 3 a 5 estrellas ({}; meta {target}) — {}",
                self.survey.satisfied,
                self.survey.total,
                spanish::percent(Some(share)),
                if share >= SATISFACTION_TARGET {
                    "meta cumplida"
                } else {
                    "por debajo de la meta"
                }
            )?,
        }
        match self.rule_corrections {
            Some(n) => writeln!(
                f,
                "Correcciones de las reglas: {n} (consultas que el coordinador movió a mano a otra carpeta)"
            )?,
            None => writeln!(
                f,
                "Correcciones de las reglas: {RULE_CORRECTIONS_NOT_MEASURED}"
            )?,
        }
        if !self.by_unit.is_empty() {
            writeln!(f)?;
            writeln!(
                f,
                "Derivadas a unidades (tiempo de cada unidad, aparte del primer nivel; manual 002 §9.3):"
            )?;
            for u in &self.by_unit {
                writeln!(
                    f,
                    "  {} (nivel {}): {} derivadas, {} respondidas, {} en su plazo, {} vencidas, promedio {}",
                    u.unit,
                    u.level,
                    u.derived,
                    u.answered,
                    u.within_deadline,
                    u.overdue,
                    spanish::hours(u.average_hours)
                )?;
            }
            writeln!(
                f,
                "  Primer nivel en las derivadas (recepción → derivación + respuesta de la unidad → respuesta al \
                 ciudadano): promedio {}",
                spanish::hours(self.first_level_average_hours)
            )?;
        }
        for (title, view) in [
            ("Por clase de atención", &self.by_kind),
            ("Por carpeta", &self.by_folder),
            ("Por categoría", &self.by_category),
            ("Por buzón", &self.by_mailbox),
            ("Por asistente", &self.by_assistant),
        ] {
            if view.is_empty() {
                continue;
            }
            writeln!(f)?;
            writeln!(f, "{title}:")?;
            for b in view {
                let i = &b.indicators;
                writeln!(
                    f,
                    "  {}: {} recibidas, {} atendidas, {} en proceso, {} vencidas, {} en plazo, promedio {}",
                    b.key,
                    i.received,
                    i.resolved,
                    i.in_progress,
                    i.overdue,
                    spanish::percent(i.compliance),
                    spanish::hours(i.average_hours)
                )?;
            }
        }
        if let Some(incidents) = &self.incidents {
            writeln!(f)?;
            write!(f, "{incidents}")?;
        }
        if !self.complaints.is_empty() {
            writeln!(f)?;
            writeln!(f, "Reclamos (plazo de 30 días hábiles, D.S. 007-2020-PCM):")?;
            for c in &self.complaints {
                writeln!(
                    f,
                    "  {}: vence {}; {}",
                    c.row.ticket,
                    spanish::day_date_time(&c.row.deadline_at),
                    complaint_clock(c)
                )?;
            }
        }
        Ok(())
    }
}
