//! The second decision of the rules: the kind of attention (consultation, incident, complaint, suggestion).
//!
//! Rules with `kind = "incidencia"` (or `reclamo`, `sugerencia`, `consulta`) add their points to that kind,
//! apart from the folders' tally, and the kinds are decided the same way ([`decide`]) with their own
//! threshold and margin (`[routing] kind_threshold`, `kind_margin`). When no kind wins, or `consulta` does,
//! the message is a consultation: a consultation that also reports an incident is the incident because
//! nothing but the incident's own evidence is counted for it, and the conservative default is the
//! consultation. The area (SEACE, RNP, Legal) is still decided by the folders' tally: an incident about the
//! SEACE is an incident whose area is SEACE.

use std::fmt::Write as _;

use super::tally::{
    decide_by, explain_learned, explain_rule, Bar, LearnedEvidence, Outcome, Points, RuleEvidence,
    Tally,
};
use super::Routing;
use crate::vocabulary::AttentionKind;

/// The kind the rules decided, with the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct KindDecision {
    /// The kind: a consultation unless a kind won its tally.
    pub kind: AttentionKind,
    /// The kinds' evidence and decision (the «folders» of this tally are the kinds' names).
    pub tally: Tally,
}

impl KindDecision {
    /// Decides the kind from the evidence of the rules with `kind = …` and the kind's learned vote, when it
    /// voted (its points, `[routing.learned] kind_weight` × confidence × probability, go to every kind, the
    /// consultation too, so a confident «consulta» holds back a weak rule of another kind).
    pub fn decide(
        evidence: Vec<RuleEvidence>,
        learned: Option<LearnedEvidence>,
        vetoed: Vec<String>,
        routing: &Routing,
    ) -> Self {
        let tally = decide_by(evidence, learned, vetoed, &Bar::for_kinds(routing));
        let kind = tally
            .winner()
            .and_then(|k| k.parse::<AttentionKind>().ok())
            .unwrap_or(AttentionKind::Consultation);
        KindDecision { kind, tally }
    }

    /// A consultation with no evidence at all (what a message no rule looked at is).
    pub fn consultation() -> Self {
        KindDecision::decide(Vec::new(), None, Vec::new(), &Routing::default())
    }

    /// The deciding rule's name, when a kind other than the consultation won.
    pub fn rule(&self) -> Option<&str> {
        if self.kind == AttentionKind::Consultation {
            return None;
        }
        self.tally.deciding_rule().map(|r| r.rule.as_str())
    }
}

/// The kind's tally in Spanish, for `rules test`, `rules evaluate` and the consultation's history: one line
/// with the decision, then (when any rule gave evidence) the totals and each rule; every line ends with `\n`.
pub fn explain_kind(k: &KindDecision) -> String {
    let mut out = String::new();
    write_kind(&mut out, k);
    out
}

/// [`explain_kind`] appended to `out` (the explanation of a classification is one `String`).
pub(super) fn write_kind(out: &mut String, k: &KindDecision) {
    let t = &k.tally;
    let _ = match (&t.outcome, k.kind) {
        (Outcome::Won { lead, .. }, kind) if kind != AttentionKind::Consultation => writeln!(
            out,
            "Clase de atención: {kind}, con {} puntos (umbral {}) y {} de ventaja (margen {})",
            Points(t.totals.first().map(|x| x.1).unwrap_or(0.0)),
            Points(t.threshold),
            Points(*lead),
            Points(t.margin)
        ),
        (Outcome::NoEvidence, _) => {
            writeln!(out, "Clase de atención: consulta (ninguna regla de clase coincide)")
        }
        (Outcome::Won { folder, .. }, _) => writeln!(
            out,
            "Clase de atención: consulta ({folder} gana con {} puntos)",
            Points(t.totals.first().map(|x| x.1).unwrap_or(0.0))
        ),
        (Outcome::BelowThreshold { folder, total }, _) => writeln!(
            out,
            "Clase de atención: consulta ({folder} suma {} y no llega al umbral {})",
            Points(*total),
            Points(t.threshold)
        ),
        (Outcome::TooClose { folder, runner_up, lead }, _) => writeln!(
            out,
            "Clase de atención: consulta ({folder} aventaja a {runner_up} por solo {}, el margen es {})",
            Points(*lead),
            Points(t.margin)
        ),
    };
    if !t.totals.is_empty() {
        out.push_str("  Totales de clase: ");
        for (n, (f, p)) in t.totals.iter().enumerate() {
            let _ = write!(out, "{}{f} {}", if n > 0 { " · " } else { "" }, Points(*p));
        }
        out.push('\n');
    }
    if let Some(l) = &t.learned {
        // The kind's vote, told apart from the area's in the same explanation.
        explain_learned(out, l, "opinión aprendida sobre la clase");
    }
    for r in &t.rules {
        explain_rule(out, r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(name: &str, kind: &str, points: f64, order: usize) -> RuleEvidence {
        RuleEvidence {
            rule: name.into(),
            file: "70.toml".into(),
            order,
            folder: kind.into(),
            score: points,
            weight: 1.0,
            points,
            reasons: vec![],
            stacked: 1.0,
        }
    }

    fn routing() -> Routing {
        Routing {
            kind_threshold: 2.0,
            kind_margin: 0.5,
            ..Routing::default()
        }
    }

    #[test]
    fn without_enough_evidence_it_is_a_consultation() {
        let k = KindDecision::decide(
            vec![rule("caido", "incidencia", 1.0, 0)],
            None,
            vec![],
            &routing(),
        );
        assert_eq!(k.kind, AttentionKind::Consultation);
        assert!(
            explain_kind(&k).contains("no llega al umbral 2"),
            "{}",
            explain_kind(&k)
        );
        assert_eq!(
            KindDecision::consultation().kind,
            AttentionKind::Consultation
        );
    }

    #[test]
    fn a_consultation_that_reports_an_incident_is_the_incident() {
        let k = KindDecision::decide(
            vec![
                rule("caido", "incidencia", 2.0, 0),
                rule("error", "incidencia", 1.0, 1),
            ],
            None,
            vec![],
            &routing(),
        );
        assert_eq!(k.kind, AttentionKind::Incident);
        assert_eq!(k.rule(), Some("caido"));
        let shown = explain_kind(&k);
        assert!(
            shown.starts_with("Clase de atención: incidencia, con 3 puntos"),
            "{shown}"
        );
    }

    #[test]
    fn evidence_against_a_kind_keeps_an_operational_question_a_consultation() {
        let k = KindDecision::decide(
            vec![
                rule("error", "incidencia", 2.0, 0),
                rule("pregunta", "incidencia", -1.5, 1),
            ],
            None,
            vec![],
            &routing(),
        );
        assert_eq!(k.kind, AttentionKind::Consultation, "{k:?}");
    }
}
