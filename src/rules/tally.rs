//! The tally: every piece of evidence a message gave, each folder's total, and the decision.
//!
//! It is the model SpamAssassin and Rspamd use for hand-written rules: no single rule decides; each one that
//! matches adds its points to its folder, the learned opinion adds its vote, and the folder with the highest
//! total wins when it reaches the threshold and is far enough ahead of the runner-up. Otherwise the message
//! goes to «Por clasificar», which is the honest answer when the evidence is thin or split.
//!
//! The tally is one decision over one set of options (the folders). A second decision (the kind of attention:
//! consultation, incident, complaint…) would be a second `Tally` over its own options, decided the same way
//! by [`decide`].

use std::fmt::{self, Write as _};

use super::{LogVote, Routing};

/// Two totals closer than this are equal (floating-point sums of the same points in another order).
const EPSILON: f64 = 1e-9;
/// Totals are compared with the threshold and the margin as the tally shows them (two decimals): a lead shown as
/// «0.5» meets a margin of 0.5.
const SHOWN: f64 = 0.005;

/// One rule's contribution.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleEvidence {
    /// The rule's name.
    pub rule: String,
    /// The file it is written in.
    pub file: String,
    /// Its position among all rules (the earlier one wins a tie).
    pub order: usize,
    /// The folder it supports (or, with negative points, opposes).
    pub folder: String,
    /// Its `score`.
    pub score: f64,
    /// What the place it matched in is worth: 1 in the new text or a first message's subject, less when the
    /// match is only in the subject of a reply or forward.
    pub weight: f64,
    /// `score` × `weight` × `stacked`.
    pub points: f64,
    /// What its place among the rules of its folder leaves of it (`[routing] stacking`): 1 for the strongest,
    /// `stacking` for the next, `stacking²` for the third…
    pub stacked: f64,
    /// Where it matched, as the citizen wrote it (`el texto contiene «inscripción» (patrón «inscripcion»)`).
    pub reasons: Vec<String>,
}

/// The learned opinion's vote.
#[derive(Debug, Clone, PartialEq)]
pub struct LearnedEvidence {
    /// The most points it could give a folder (`[routing.learned] weight`), or on the log scale the points per
    /// unit of log-probability (`log_weight`).
    pub weight: f64,
    /// How much of that weight the vote carries (0 to 1), by how much known vocabulary the message had.
    pub confidence: f64,
    /// Each class it knows with its probability, most likely first.
    pub probabilities: Vec<(String, f64)>,
    /// The points it gave each folder (weight × probability, or on the log scale weight × ln(probability /
    /// floor); `routing::LogVote`), in the order of `probabilities`.
    pub points: Vec<(String, f64)>,
    /// On the log scale, the points it gave «Por clasificar» (0 on the probability scale).
    pub unclassified: f64,
    /// Whether it voted in log-probabilities (`weight` is then the points per unit of log-probability).
    pub log: bool,
    /// The words that carried its first choice over its second.
    pub words: Vec<(String, f64)>,
    /// How many messages it learned from.
    pub messages: f64,
}

/// Why the decision is what it is.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// `folder` reached the threshold and leads the runner-up by `lead` (at least the margin).
    Won {
        /// The winner.
        folder: String,
        /// Its lead over the runner-up.
        lead: f64,
        /// True when it tied and won because its rule comes first.
        by_order: bool,
    },
    /// Nothing gave any folder a point.
    NoEvidence,
    /// The best folder did not reach the threshold.
    BelowThreshold {
        /// The best folder.
        folder: String,
        /// Its total.
        total: f64,
    },
    /// The best folder reached the threshold but was not far enough ahead.
    TooClose {
        /// The best folder.
        folder: String,
        /// The runner-up.
        runner_up: String,
        /// The lead, below the margin.
        lead: f64,
    },
}

/// Every piece of evidence and the decision it led to.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    /// Each folder that got any evidence, with its total, highest first.
    pub totals: Vec<(String, f64)>,
    /// The rules that matched, in the order they are written.
    pub rules: Vec<RuleEvidence>,
    /// The learned opinion's vote, when it voted.
    pub learned: Option<LearnedEvidence>,
    /// Rules that matched but whose `[rule.unless]` matched too.
    pub vetoed: Vec<String>,
    /// The threshold in force.
    pub threshold: f64,
    /// The margin in force.
    pub margin: f64,
    /// With the vote on the log scale, «Por clasificar»'s own total, which a folder must lead by the margin
    /// (`threshold` is then that total plus the margin).
    pub unclassified: Option<Unclassified>,
    /// The decision.
    pub outcome: Outcome,
}

/// «Por clasificar» as an option of its own (the vote on the log scale): what its total is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct Unclassified {
    /// Its own points (`unclassified_points`).
    pub own: f64,
    /// Its points because no rule supports any folder (`unclassified_points_no_rule`, or 0).
    pub no_rule: f64,
    /// The learned opinion's points for it.
    pub learned: f64,
}

impl Unclassified {
    /// Its total.
    pub fn total(&self) -> f64 {
        self.own + self.no_rule + self.learned
    }
}

impl Tally {
    /// The winning folder, if any.
    pub fn winner(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::Won { folder, .. } => Some(folder),
            _ => None,
        }
    }

    /// The winning folder's strongest rule (most points; the earlier on a tie), if a rule supported it.
    pub fn deciding_rule(&self) -> Option<&RuleEvidence> {
        let folder = self.winner()?;
        self.rules
            .iter()
            .filter(|r| r.folder == folder && r.points > 0.0)
            .fold(None, |best: Option<&RuleEvidence>, r| match best {
                Some(b) if b.points + EPSILON >= r.points => Some(b),
                _ => Some(r),
            })
    }
}

/// Adds up the evidence and decides: the folder with the highest total wins when it reaches the threshold and
/// leads the runner-up by the margin. With a margin of 0, equal totals go to the folder whose earliest
/// supporting rule is written first, as first-match routing did.
pub fn decide(
    rules: Vec<RuleEvidence>,
    learned: Option<LearnedEvidence>,
    vetoed: Vec<String>,
    routing: &Routing,
) -> Tally {
    decide_by(rules, learned, vetoed, &Bar::of(routing))
}

/// What a tally's evidence is weighed against: the numbers of a [`Routing`] that [`decide`] reads, borrowed.
/// The kinds' bar ([`Bar::for_kinds`]) is made for every message: as a [`Routing::for_kinds`] it was two copies
/// of the routing settings, strings included.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bar<'a> {
    /// `threshold`.
    threshold: f64,
    /// `margin`.
    margin: f64,
    /// `threshold_rules_only`.
    threshold_rules_only: f64,
    /// `margin_rules_only`.
    margin_rules_only: f64,
    /// `stacking`.
    stacking: f64,
    /// `learned.log`: the vote's log scale, if it is on.
    log: Option<&'a LogVote>,
}

impl<'a> Bar<'a> {
    /// The folders' bar: `routing`'s own numbers.
    pub(super) fn of(routing: &'a Routing) -> Bar<'a> {
        Bar {
            threshold: routing.threshold,
            margin: routing.margin,
            threshold_rules_only: routing.threshold_rules_only,
            margin_rules_only: routing.margin_rules_only,
            stacking: routing.stacking,
            log: routing.learned.log.as_ref(),
        }
    }

    /// The kinds' bar: [`Bar::of`] of [`Routing::for_kinds`], without making that `Routing`.
    pub(super) fn for_kinds(routing: &'a Routing) -> Bar<'a> {
        Bar {
            threshold: routing.kind_threshold,
            margin: routing.kind_margin,
            threshold_rules_only: routing.kind_threshold,
            margin_rules_only: routing.kind_margin,
            stacking: 1.0,
            log: None,
        }
    }
}

/// [`decide`] against `bar`.
pub(super) fn decide_by(
    rules: Vec<RuleEvidence>,
    learned: Option<LearnedEvidence>,
    vetoed: Vec<String>,
    routing: &Bar<'_>,
) -> Tally {
    // The rules alone give fewer points than rules and opinion together: they have their own bar.
    let (mut threshold, margin) = if learned.is_some() {
        (routing.threshold, routing.margin)
    } else {
        (routing.threshold_rules_only, routing.margin_rules_only)
    };
    // On the log scale «Por clasificar» competes: a folder must lead its total by the margin.
    let unclassified = match (&learned, routing.log) {
        (Some(l), Some(log)) => {
            // Supported: some folder's rules add up to more than nothing (a rule cancelled by a negative one of
            // its folder supports nothing).
            let supported = rules.iter().any(|r| {
                rules
                    .iter()
                    .filter(|o| o.folder == r.folder)
                    .map(|o| o.points)
                    .sum::<f64>()
                    > 0.0
            });
            let u = Unclassified {
                own: log.unclassified,
                no_rule: if supported {
                    0.0
                } else {
                    log.unclassified_no_rule
                },
                learned: l.unclassified,
            };
            threshold = u.total() + margin;
            Some(u)
        }
        _ => None,
    };
    let mut rules = rules;
    stack(&mut rules, routing.stacking);
    // (folder, total, earliest supporting rule)
    let mut totals: Vec<(String, f64, usize)> = Vec::new();
    let mut add = |folder: &str, points: f64, order: usize| match totals
        .iter_mut()
        .find(|(f, _, _)| f == folder)
    {
        Some(t) => {
            t.1 += points;
            if points > 0.0 {
                t.2 = t.2.min(order);
            }
        }
        None => totals.push((
            folder.to_string(),
            points,
            if points > 0.0 { order } else { usize::MAX },
        )),
    };
    for r in &rules {
        add(&r.folder, r.points, r.order);
    }
    if let Some(l) = &learned {
        for (folder, points) in &l.points {
            // The learned opinion has no place in the order: it never wins a tie.
            add(folder, *points, usize::MAX);
        }
    }
    totals.sort_by(|a, b| {
        if (a.1 - b.1).abs() <= EPSILON {
            a.2.cmp(&b.2)
        } else {
            b.1.total_cmp(&a.1)
        }
    });
    let outcome = match totals.as_slice() {
        [] => Outcome::NoEvidence,
        [(folder, total, _), rest @ ..] => {
            let runner_up = rest.first();
            // On the probability scale a folder that lost points leads nothing; on the log scale the totals
            // compare as they are (the bar is «Por clasificar»'s total).
            let second = runner_up
                .map(|r| {
                    if unclassified.is_some() {
                        r.1
                    } else {
                        r.1.max(0.0)
                    }
                })
                .unwrap_or(0.0);
            let lead = total - second;
            // On the log scale «Por clasificar» is an option like the folders: no total is «nothing», and a
            // win is by the lead over every option, «Por clasificar» included (its total is `threshold` less
            // the margin).
            let log = unclassified.is_some();
            if !log && *total <= EPSILON && rest.iter().all(|r| r.1 <= EPSILON) && rules.is_empty()
            {
                Outcome::NoEvidence
            } else if *total + SHOWN < threshold || (!log && *total <= EPSILON) {
                Outcome::BelowThreshold {
                    folder: folder.clone(),
                    total: *total,
                }
            } else if lead + SHOWN < margin {
                Outcome::TooClose {
                    folder: folder.clone(),
                    runner_up: runner_up.map(|r| r.0.clone()).unwrap_or_default(),
                    lead,
                }
            } else {
                Outcome::Won {
                    folder: folder.clone(),
                    lead: if log {
                        lead.min(*total - (threshold - margin))
                    } else {
                        lead
                    },
                    by_order: !log && lead <= EPSILON && runner_up.is_some(),
                }
            }
        }
    };
    Tally {
        totals: totals.into_iter().map(|(f, t, _)| (f, t)).collect(),
        rules,
        learned,
        vetoed,
        threshold,
        margin,
        unclassified,
        outcome,
    }
}

/// Scales each folder's supporting rules by their rank: the strongest (the earlier on a tie) whole, the next
/// by `stacking`, the third by `stacking²`… Rules that oppose a folder keep their points.
fn stack(rules: &mut [RuleEvidence], stacking: f64) {
    if (stacking - 1.0).abs() <= EPSILON {
        return;
    }
    let mut ranked: Vec<usize> = (0..rules.len())
        .filter(|&i| rules[i].points > 0.0)
        .collect();
    ranked.sort_by(|&a, &b| {
        rules[a]
            .folder
            .cmp(&rules[b].folder)
            .then(rules[b].points.total_cmp(&rules[a].points))
            .then(rules[a].order.cmp(&rules[b].order))
    });
    let mut factor = 1.0;
    for (n, &i) in ranked.iter().enumerate() {
        if n > 0 && rules[ranked[n - 1]].folder == rules[i].folder {
            factor *= stacking;
        } else {
            factor = 1.0;
        }
        rules[i].stacked = factor;
        rules[i].points *= factor;
    }
}

/// One rule's lines of a tally, folder or kind alike: its points, what they are made of (the place's weight, its
/// rank among its folder's rules) and where it matched.
pub(super) fn explain_rule(out: &mut String, r: &RuleEvidence) {
    let _ = write!(
        out,
        "  {}{} {}: regla «{}» ({}), puntaje {}",
        if r.points >= 0.0 { "+" } else { "" },
        Points(r.points),
        r.folder,
        r.rule,
        r.file,
        Points(r.score),
    );
    if (r.weight - 1.0).abs() > EPSILON {
        let _ = write!(
            out,
            " × {} (solo en el asunto de una respuesta)",
            Points(r.weight)
        );
    }
    if (r.stacked - 1.0).abs() > EPSILON {
        let _ = write!(
            out,
            " × {} (no es la más fuerte de {}: cada regla más de una carpeta suma menos)",
            Points(r.stacked),
            r.folder
        );
    }
    out.push('\n');
    for reason in &r.reasons {
        let _ = writeln!(out, "      {reason}");
    }
}

/// The learned opinion's lines of a tally (the folders' or the kinds'): the points it gave, its probabilities
/// and the words that carried its first choice. `name` is how the first line names the opinion («opinión
/// aprendida», or «opinión aprendida sobre la clase» for the kinds' vote).
///
/// Written straight into `out`, like the rest of an explanation: the explanation of every message is recorded,
/// and building each piece as a `String` to join them was about half of its cost.
pub(super) fn explain_learned(out: &mut String, l: &LearnedEvidence, name: &str) {
    out.push_str("  ");
    let mut given = 0;
    for (f, p) in l.points.iter().filter(|(_, p)| *p >= 0.005) {
        let _ = write!(
            out,
            "{}+{} {f}",
            if given > 0 { ", " } else { "" },
            Points(*p)
        );
        given += 1;
    }
    if l.unclassified >= 0.005 {
        let _ = write!(
            out,
            "{}+{} «Por clasificar»",
            if given > 0 { ", " } else { "" },
            Points(l.unclassified)
        );
        given += 1;
    }
    if given == 0 {
        out.push_str("sin puntos");
    }
    let _ = write!(out, ": {name} (peso {}", Points(l.weight));
    if l.log {
        out.push_str(" × ln(probabilidad / 0.0001)");
    }
    if l.confidence < 0.995 {
        let _ = write!(out, " × confianza {}", Points(l.confidence));
    }
    let _ = write!(
        out,
        ", aprendida de {} mensajes): ",
        Whole(l.messages.round())
    );
    for (n, (c, p)) in l.probabilities.iter().enumerate() {
        let _ = write!(
            out,
            "{}{c} {} %",
            if n > 0 { ", " } else { "" },
            Whole(p * 100.0)
        );
    }
    out.push('\n');
    if !l.words.is_empty() {
        let _ = write!(
            out,
            "      palabras que más pesaron para {}: ",
            l.probabilities.first().map(|p| p.0.as_str()).unwrap_or("")
        );
        for (n, (w, _)) in l.words.iter().enumerate() {
            let _ = write!(out, "{}«{w}»", if n > 0 { ", " } else { "" });
        }
        out.push('\n');
    }
}

/// A float written as `format!("{:.0}", x)` writes it (the nearest whole number, ties to even), without the
/// float formatting machinery for the usual case: a probability in percent, a count of messages.
pub(super) struct Whole(pub f64);

impl fmt::Display for Whole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.0;
        // `{:.0}` rounds the float's exact value half to even, as `round_ties_even` does; below 2^53 every
        // whole float converts to `u64` exactly. Anything else (negative, huge, NaN) goes the formatter's way.
        if (0.0..9.0e15).contains(&x) {
            write!(f, "{}", x.round_ties_even() as u64)
        } else {
            write!(f, "{x:.0}")
        }
    }
}

/// A number of points as the administrator reads it: `2`, `1.5`, `0.25`.
pub fn points(x: f64) -> String {
    Points(x).to_string()
}

/// [`points`] written into a formatter: the explanation writes a dozen numbers a message straight into its text.
pub(super) struct Points(pub f64);

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.0;
        // In whole hundredths, written with integer formatting: a float formatted with a precision took a third
        // of an explanation's instructions (several points a line). `x` rounded to hundredths and printed with
        // two decimals shows exactly these digits while the hundredths fit a float's mantissa with room to spare.
        let hundredths = (x * 100.0).round();
        if hundredths.abs() < 1e12 {
            let n = hundredths as i64;
            let (whole, cents) = (n.unsigned_abs() / 100, n.unsigned_abs() % 100);
            let sign = if n < 0 { "-" } else { "" };
            return match cents {
                0 => write!(f, "{sign}{whole}"),
                c if c % 10 == 0 => write!(f, "{sign}{whole}.{}", c / 10),
                c => write!(f, "{sign}{whole}.{c:02}"),
            };
        }
        f.write_str(&points_by_float(x))
    }
}

/// [`points`] by formatting the float itself: for numbers too large for whole hundredths (and NaN).
fn points_by_float(x: f64) -> String {
    let rounded = (x * 100.0).round() / 100.0;
    let s = format!("{rounded:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// The tally in Spanish, for `rules test`, `rules evaluate` and the consultation's history; every line ends
/// with `\n`.
pub fn explain_tally(t: &Tally) -> String {
    let mut out = String::new();
    write_tally(&mut out, t);
    out
}

/// [`explain_tally`] appended to `out` (the explanation of a classification is one `String`).
pub(super) fn write_tally(out: &mut String, t: &Tally) {
    if t.totals.is_empty() {
        out.push_str("Totales: ninguna carpeta recibió puntos\n");
    } else {
        out.push_str("Totales: ");
        for (n, (f, p)) in t.totals.iter().enumerate() {
            let _ = write!(out, "{}{f} {}", if n > 0 { " · " } else { "" }, Points(*p));
        }
        out.push('\n');
    }
    if let Some(u) = &t.unclassified {
        let _ = write!(
            out,
            "«Por clasificar» suma {}: +{} propios",
            Points(u.total()),
            Points(u.own)
        );
        if u.no_rule > EPSILON {
            let _ = write!(
                out,
                ", +{} porque ninguna regla apoya una carpeta",
                Points(u.no_rule)
            );
        }
        let _ = writeln!(
            out,
            ", +{} de la opinión aprendida; una carpeta debe superarlo por el margen {}",
            Points(u.learned),
            Points(t.margin)
        );
    }
    for r in &t.rules {
        explain_rule(out, r);
    }
    if let Some(l) = &t.learned {
        explain_learned(out, l, "opinión aprendida");
    }
    for v in &t.vetoed {
        let _ = writeln!(
            out,
            "  (la regla «{v}» coincidía, pero su [rule.unless] también: no suma)"
        );
    }
    let _ = match &t.outcome {
        Outcome::Won {
            folder,
            lead,
            by_order,
        } => {
            if *by_order {
                writeln!(
                    out,
                    "Decisión: {folder}, empatada con la siguiente; gana por el orden de sus reglas (umbral {}, margen {})",
                    Points(t.threshold),
                    Points(t.margin)
                )
            } else {
                writeln!(
                    out,
                    "Decisión: {folder}, con {} puntos (umbral {}) y {} de ventaja sobre la siguiente (margen {})",
                    Points(t.totals.first().map(|x| x.1).unwrap_or(0.0)),
                    Points(t.threshold),
                    Points(*lead),
                    Points(t.margin)
                )
            }
        }
        Outcome::NoEvidence => writeln!(
            out,
            "Decisión: «Por clasificar»: ninguna regla coincide y la opinión aprendida no dio puntos"
        ),
        Outcome::BelowThreshold { folder, total } => writeln!(
            out,
            "Decisión: «Por clasificar»: la mejor carpeta, {folder}, suma {} y no llega al umbral {}",
            Points(*total),
            Points(t.threshold)
        ),
        Outcome::TooClose {
            folder,
            runner_up,
            lead,
        } => writeln!(
            out,
            "Decisión: «Por clasificar»: {folder} aventaja a {runner_up} por solo {} (el margen es {}): la evidencia está dividida",
            Points(*lead),
            Points(t.margin)
        ),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(name: &str, folder: &str, points: f64, order: usize) -> RuleEvidence {
        RuleEvidence {
            rule: name.into(),
            file: "r.toml".into(),
            order,
            folder: folder.into(),
            score: points,
            weight: 1.0,
            points,
            reasons: vec![],
            stacked: 1.0,
        }
    }

    fn routing(threshold: f64, margin: f64) -> Routing {
        Routing {
            threshold,
            margin,
            threshold_rules_only: threshold,
            margin_rules_only: margin,
            ..Routing::default()
        }
    }

    #[test]
    fn a_folder_s_further_rules_count_for_less_when_stacking() {
        // Three Legal lists matching the same contract words of a SEACE question: 1.5 + 1.5 + 1.5 would beat
        // the one SEACE rule's 3; stacked at 0.5 they give 1.5 + 0.75 + 0.375.
        let ev = || {
            vec![
                rule("seace-operacion", "SEACE", 3.0, 0),
                rule("legal-a", "Legal", 1.5, 1),
                rule("legal-b", "Legal", 1.5, 2),
                rule("legal-c", "Legal", 1.5, 3),
            ]
        };
        let plain = decide(ev(), None, vec![], &routing(1.0, 0.0));
        assert_eq!(plain.winner(), Some("Legal"), "{plain:?}");
        let stacked = decide(
            ev(),
            None,
            vec![],
            &Routing {
                stacking: 0.5,
                ..routing(1.0, 0.0)
            },
        );
        assert_eq!(stacked.winner(), Some("SEACE"), "{stacked:?}");
        assert_eq!(
            stacked.totals,
            vec![("SEACE".to_string(), 3.0), ("Legal".to_string(), 2.625)]
        );
        let shown = explain_tally(&stacked);
        assert!(
            shown.contains("+0.75 Legal: regla «legal-b»")
                && shown.contains("× 0.5 (no es la más fuerte de Legal"),
            "{shown}"
        );
    }

    #[test]
    fn most_evidence_wins_not_the_first_rule() {
        let t = decide(
            vec![
                rule("a", "SEACE", 1.0, 0),
                rule("b", "Legal", 1.0, 1),
                rule("c", "Legal", 1.0, 2),
            ],
            None,
            vec![],
            &routing(1.0, 0.0),
        );
        assert_eq!(t.winner(), Some("Legal"));
        assert_eq!(t.deciding_rule().map(|r| r.rule.as_str()), Some("b"));
    }

    #[test]
    fn a_tie_goes_to_the_earlier_rule_unless_a_margin_is_asked() {
        let ev = || vec![rule("b", "Legal", 1.0, 1), rule("a", "SEACE", 1.0, 0)];
        let t = decide(ev(), None, vec![], &routing(1.0, 0.0));
        assert_eq!(t.winner(), Some("SEACE"));
        assert!(matches!(t.outcome, Outcome::Won { by_order: true, .. }));
        let t = decide(ev(), None, vec![], &routing(1.0, 0.5));
        assert!(matches!(t.outcome, Outcome::TooClose { .. }), "{t:?}");
        assert!(explain_tally(&t).contains("evidencia está dividida"));
    }

    #[test]
    fn thin_evidence_and_negative_evidence_leave_it_unclassified() {
        let t = decide(
            vec![rule("a", "RNP", 1.0, 0)],
            None,
            vec![],
            &routing(2.0, 0.0),
        );
        assert!(matches!(t.outcome, Outcome::BelowThreshold { .. }));
        let t = decide(
            vec![rule("a", "RNP", 2.0, 0), rule("no", "RNP", -1.5, 1)],
            None,
            vec![],
            &routing(1.0, 0.0),
        );
        assert_eq!(t.winner(), None, "{t:?}");
        let t = decide(vec![], None, vec![], &routing(1.0, 0.0));
        assert_eq!(t.outcome, Outcome::NoEvidence);
    }

    #[test]
    fn the_learned_vote_adds_its_points() {
        let learned = LearnedEvidence {
            weight: 2.0,
            confidence: 1.0,
            probabilities: vec![("RNP".into(), 0.9), ("Legal".into(), 0.1)],
            points: vec![("RNP".into(), 1.8), ("Legal".into(), 0.2)],
            words: vec![("proveedor".into(), 2.0)],
            messages: 500.0,
            unclassified: 0.0,
            log: false,
        };
        let t = decide(
            vec![rule("g", "Legal", 1.0, 0)],
            Some(learned),
            vec![],
            &routing(1.5, 0.5),
        );
        assert_eq!(t.winner(), Some("RNP"), "{t:?}");
        assert!(t.deciding_rule().is_none());
        let shown = explain_tally(&t);
        assert!(shown.contains("opinión aprendida"), "{shown}");
        assert!(shown.contains("«proveedor»"), "{shown}");
        assert!(shown.contains("Totales: RNP 1.8 · Legal 1.2"), "{shown}");
    }

    #[test]
    fn without_the_learned_vote_the_rules_meet_their_own_bar() {
        let routing = Routing {
            threshold: 3.1,
            margin: 0.1,
            threshold_rules_only: 1.4,
            margin_rules_only: 0.5,
            ..Routing::default()
        };
        let ev = || vec![rule("r", "RNP", 1.5, 0)];
        let t = decide(ev(), None, vec![], &routing);
        assert_eq!(t.winner(), Some("RNP"), "{t:?}");
        assert_eq!((t.threshold, t.margin), (1.4, 0.5));
        let silent = LearnedEvidence {
            weight: 3.75,
            confidence: 0.0,
            probabilities: vec![("RNP".into(), 0.5), ("Legal".into(), 0.5)],
            points: vec![("RNP".into(), 0.0), ("Legal".into(), 0.0)],
            words: vec![],
            messages: 500.0,
            unclassified: 0.0,
            log: false,
        };
        // The opinion voted (with nothing to say): the bar for rules and opinion together applies.
        let t = decide(ev(), Some(silent), vec![], &routing);
        assert!(matches!(t.outcome, Outcome::BelowThreshold { .. }), "{t:?}");
        assert_eq!(t.threshold, 3.1);
    }

    #[test]
    fn on_the_log_scale_unclassified_competes_and_a_sure_opinion_outweighs_vocabulary() {
        use crate::rules::{LogVote, LOG_FLOOR};
        let mut routing = routing(3.3, 0.75);
        routing.learned.log = Some(LogVote {
            weight: 1.25,
            unclassified: 3.0,
            unclassified_no_rule: 4.0,
        });
        let log = |p: f64| 1.25 * (p.max(LOG_FLOOR) / LOG_FLOOR).ln();
        // Sure of RNP (99 %), three Legal lists against it (5 points): RNP 11.5, Legal 5 + 4.89, «Por
        // clasificar» 3 + 4.89.
        let vote = |p: [f64; 3]| LearnedEvidence {
            weight: 1.25,
            confidence: 1.0,
            probabilities: vec![
                ("RNP".into(), p[0]),
                ("Legal".into(), p[1]),
                ("Por clasificar".into(), p[2]),
            ],
            points: vec![("RNP".into(), log(p[0])), ("Legal".into(), log(p[1]))],
            words: vec![],
            messages: 500.0,
            unclassified: log(p[2]),
            log: true,
        };
        let lists = || {
            vec![
                rule("a", "Legal", 2.0, 0),
                rule("b", "Legal", 1.5, 1),
                rule("c", "Legal", 1.5, 2),
            ]
        };
        let t = decide(lists(), Some(vote([0.99, 0.005, 0.005])), vec![], &routing);
        assert_eq!(t.winner(), Some("RNP"), "{t:?}");
        let shown = explain_tally(&t);
        assert!(
            shown.contains("«Por clasificar» suma 7.89: +3 propios"),
            "{shown}"
        );
        // Less sure (98 % against 1.8 %): RNP 11.48 and Legal 5 + 6.49, neither leads by the margin.
        let t = decide(lists(), Some(vote([0.98, 0.018, 0.002])), vec![], &routing);
        assert!(matches!(t.outcome, Outcome::TooClose { .. }), "{t:?}");
        // No rule at all: the opinion alone must clear «Por clasificar»'s 3 + 4 points by the margin.
        let t = decide(vec![], Some(vote([0.9, 0.05, 0.05])), vec![], &routing);
        assert!(matches!(t.outcome, Outcome::BelowThreshold { .. }), "{t:?}");
        assert!(explain_tally(&t).contains("+4 porque ninguna regla apoya una carpeta"));
        let t = decide(
            vec![],
            Some(vote([0.999, 0.0005, 0.0005])),
            vec![],
            &routing,
        );
        assert_eq!(t.winner(), Some("RNP"), "{t:?}");
    }

    #[test]
    fn points_are_written_short() {
        assert_eq!(points(2.0), "2");
        assert_eq!(points(1.5), "1.5");
        assert_eq!(points(0.333), "0.33");
        assert_eq!(points(-0.0001), "0");
    }

    #[test]
    fn points_in_hundredths_read_as_the_formatted_float() {
        // Sums and products of scores, weights and probabilities, as a tally holds them.
        let mut x = -25.0f64;
        while x < 25.0 {
            for y in [
                x,
                x * 0.7,
                x / 3.0,
                x * 0.01,
                x + 0.005,
                x - 0.005,
                x * 1e-7,
            ] {
                assert_eq!(points(y), points_by_float(y), "{y}");
            }
            x += 0.00137;
        }
        for y in [1e11, -1e11 + 0.25, 12345678.125, f64::NAN, f64::INFINITY] {
            assert_eq!(points(y), points_by_float(y), "{y}");
        }
    }
}
