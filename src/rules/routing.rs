//! `[routing]`: how the evidence of the rules and of the learned opinion is weighed.
//!
//! ```toml
//! [routing]
//! threshold = 2.0               # the least total a folder needs
//! margin = 1.0                  # how far ahead of the runner-up it must be
//! threshold_rules_only = 1.4    # the same two when the learned opinion does not vote (default: as above)
//! margin_rules_only = 0.5
//! reply_subject_weight = 0.5    # a word found only in a reply's subject (RE:, RV:, Fwd:) is worth half
//! stacking = 1.0                # a folder's second rule is worth this × its points, the third this² ×… (1: sum)
//! asking = false                # the learned opinion also reads what the asking clause asks (rules::asking)
//! kind_threshold = 2.0          # the least total an incident, complaint or suggestion needs
//! kind_margin = 0.5             # how far ahead of the next kind it must be
//!
//! [routing.learned]
//! enabled = true
//! weight = 2.0                  # the most points its vote gives a folder
//! log_weight = 1.25             # set: it votes in log-probabilities, «Por clasificar» competes (LogVote)
//! unclassified_points = 3       # then «Por clasificar»'s own points
//! unclassified_points_no_rule = 4   # and its points more when no rule supports any folder
//! kind_weight = 1.5             # the most points its vote on the kind gives a kind
//! retrain_after_corrections = 10
//! retrain_at = "03:00"
//! ```
//!
//! Without a `[routing]` table the defaults keep rule files written for first-match routing working: every
//! rule is worth 1 point, one matching rule is enough (threshold 1), and equal totals go to the folder of the
//! rule written first (margin 0), which is what first match did.

use chrono::NaiveTime;
use toml::Spanned;

use super::error::RuleError;
use super::rule_file::RawRouting;
use crate::vocabulary::Availability;

/// How evidence is weighed; see the module's documentation.
#[derive(Debug, Clone, PartialEq)]
pub struct Routing {
    /// The least total a folder needs to win.
    pub threshold: f64,
    /// How far the winner must be ahead of the runner-up (0: equal totals go to the earlier rule's folder).
    pub margin: f64,
    /// The threshold when the learned opinion does not vote (turned off, or no model): the rules' points
    /// alone are smaller than with the opinion's, so the bar that suits both together would leave most mail
    /// unclassified.
    pub threshold_rules_only: f64,
    /// The margin when the learned opinion does not vote.
    pub margin_rules_only: f64,
    /// What a match found only in the subject of a reply or forward is worth (the new text and a first
    /// message's subject are worth 1).
    pub reply_subject_weight: f64,
    /// What each further rule that supports a folder is worth: the strongest counts whole, the next
    /// `stacking` × its points, the third `stacking²` ×… (1, the default: a plain sum). Several lists of one
    /// folder's vocabulary match the same few words of a message written in another folder's matter (a SEACE
    /// operation told with contract words), so the second and third lists say less than the first.
    pub stacking: f64,
    /// Whether the learned opinion also reads the frame of the asking clause («¿puedo…?», «¿cómo registro…?»,
    /// «¿qué figura en el registro?»; `rules::asking`) as features of their own, for training and voting alike.
    /// A model votes well only with the setting it was trained with: `triaje rules learn` and the nightly
    /// retraining read the setting in force.
    pub asking: bool,
    /// The least total a kind of attention needs to win (rules with `kind = …`; no learned opinion votes
    /// on kinds). Below it the message is a consultation.
    pub kind_threshold: f64,
    /// How far the winning kind must be ahead of the next.
    pub kind_margin: f64,
    /// The learned opinion.
    pub learned: LearnedSettings,
}

impl Routing {
    /// The weighing of the kinds of attention: the kind threshold and margin, whether or not the learned
    /// opinion votes on folders (it never votes on kinds).
    pub fn for_kinds(&self) -> Routing {
        Routing {
            threshold: self.kind_threshold,
            margin: self.kind_margin,
            threshold_rules_only: self.kind_threshold,
            margin_rules_only: self.kind_margin,
            // The kinds' rules are signs of one kind that add up (an error message, since when, urgency).
            stacking: 1.0,
            // The kind's vote stays on the probability scale its `kind_weight` was chosen on.
            learned: LearnedSettings {
                log: None,
                ..self.learned.clone()
            },
            ..self.clone()
        }
    }
}

/// `[routing.learned]`.
#[derive(Debug, Clone, PartialEq)]
pub struct LearnedSettings {
    /// Whether the learned opinion votes.
    pub enabled: bool,
    /// The most points its vote gives a folder: it gives each folder `weight` × the probability it sees.
    pub weight: f64,
    /// The most points its vote on the kind of attention gives a kind (`kind_weight`): each kind gets
    /// `kind_weight` × confidence × the probability it sees, the consultation too.
    pub kind_weight: f64,
    /// Retrain after this many new corrections by hand; 0 leaves it to the nightly retraining.
    pub retrain_after_corrections: u32,
    /// Lima time of the nightly retraining.
    pub retrain_at: NaiveTime,
    /// Category of a message no rule of its folder matched (the learned opinion filed it).
    pub category: String,
    /// Availability of such a message.
    pub availability: Availability,
    /// When set (`log_weight`), the vote is given as log-probabilities and «Por clasificar» is an option that
    /// competes with the folders ([`LogVote`]); when `None`, each folder gets `weight` × confidence ×
    /// probability and a folder needs `threshold`.
    pub log: Option<LogVote>,
}

/// The learned opinion's vote on the scale it is computed on (`[routing.learned] log_weight`): every option,
/// the three folders and «Por clasificar», gets `weight` × confidence × ln(p / [`LOG_FLOOR`]) points, and
/// «Por clasificar» has points of its own besides. A folder wins when it leads every other option,
/// «Por clasificar» included, by `[routing] margin`.
///
/// Naive Bayes adds evidence as log-probabilities; on the probability scale its vote is capped at `weight`,
/// so three generic vocabulary lists of one folder (5 points) outweigh an opinion 99 % sure of another, and
/// a folder it finds unlikely loses nothing. Chosen by leave one writer out on the public corpora and judged on
/// the batches of writers no rule had read (`scripts/strangers`; README, «Routing rules»).
#[derive(Debug, Clone, PartialEq)]
pub struct LogVote {
    /// Points per unit of log-probability (times the vote's confidence).
    pub weight: f64,
    /// The points «Por clasificar» has of its own: the bar a folder must clear, as `threshold` is on the
    /// probability scale.
    pub unclassified: f64,
    /// What «Por clasificar» has more when no rule supports any folder: the opinion alone then needs to be
    /// surer.
    pub unclassified_no_rule: f64,
}

/// The least probability the log-scale vote tells apart: below it a class counts as this unlikely, so one
/// unseen word cannot take unbounded points away.
pub const LOG_FLOOR: f64 = 1e-4;

/// The default `[routing.learned] kind_weight`.
pub const KIND_WEIGHT: f64 = 1.5;

impl Default for Routing {
    fn default() -> Routing {
        Routing {
            threshold: 1.0,
            margin: 0.0,
            threshold_rules_only: 1.0,
            margin_rules_only: 0.0,
            reply_subject_weight: 0.5,
            stacking: 1.0,
            asking: false,
            kind_threshold: 1.0,
            kind_margin: 0.0,
            learned: LearnedSettings::default(),
        }
    }
}

impl Default for LearnedSettings {
    fn default() -> LearnedSettings {
        LearnedSettings {
            enabled: true,
            weight: 1.0,
            // Below `kind_threshold` (2): the kind's vote alone never makes a non-consultation; it needs a
            // rule's support (a consultation read as a complaint gets a 30-day clock). Chosen by
            // cross-validation on tests/routing/tune (examples/routing_cv.rs).
            kind_weight: KIND_WEIGHT,
            retrain_after_corrections: 10,
            retrain_at: NaiveTime::from_hms_opt(3, 0, 0).unwrap_or(NaiveTime::MIN),
            category: "Según lo aprendido de la oficina".into(),
            availability: Availability::Medium,
            log: None,
        }
    }
}

impl Routing {
    /// Checks a `[routing]` table, reporting every bad value where it is written.
    pub(crate) fn from_raw(
        raw: &RawRouting,
        origin: &str,
        text: &str,
        errors: &mut Vec<RuleError>,
    ) -> Routing {
        let mut r = Routing::default();
        let mut number =
            |v: &Option<Spanned<f64>>, min: f64, max: f64, what: &str| -> Option<f64> {
                let v = v.as_ref()?;
                let x = *v.get_ref();
                if x.is_finite() && (min..=max).contains(&x) {
                    Some(x)
                } else {
                    errors.push(RuleError::at(
                        origin,
                        text,
                        v.span().start,
                        format!("{what} debe ser un número entre {min} y {max}"),
                    ));
                    None
                }
            };
        if let Some(x) = number(&raw.threshold, 0.0, 1000.0, "threshold (el total mínimo)") {
            r.threshold = x;
        }
        if let Some(x) = number(&raw.margin, 0.0, 1000.0, "margin (la ventaja mínima)") {
            r.margin = x;
        }
        // Without their own keys the rules alone meet the same bar as rules and opinion together.
        r.threshold_rules_only = number(
            &raw.threshold_rules_only,
            0.0,
            1000.0,
            "threshold_rules_only (el total mínimo sin la opinión aprendida)",
        )
        .unwrap_or(r.threshold);
        r.margin_rules_only = number(
            &raw.margin_rules_only,
            0.0,
            1000.0,
            "margin_rules_only (la ventaja mínima sin la opinión aprendida)",
        )
        .unwrap_or(r.margin);
        if let Some(x) = number(
            &raw.reply_subject_weight,
            0.0,
            1.0,
            "reply_subject_weight (el peso del asunto de una respuesta)",
        ) {
            r.reply_subject_weight = x;
        }
        if let Some(x) = number(
            &raw.stacking,
            0.0,
            1.0,
            "stacking (lo que vale cada regla más de una misma carpeta)",
        ) {
            r.stacking = x;
        }
        if let Some(asking) = raw.asking {
            r.asking = asking;
        }
        if let Some(x) = number(
            &raw.kind_threshold,
            0.0,
            1000.0,
            "kind_threshold (el total mínimo de una clase de atención)",
        ) {
            r.kind_threshold = x;
        }
        if let Some(x) = number(
            &raw.kind_margin,
            0.0,
            1000.0,
            "kind_margin (la ventaja mínima de una clase de atención)",
        ) {
            r.kind_margin = x;
        }
        let Some(learned) = &raw.learned else {
            return r;
        };
        let learned = learned.get_ref();
        if let Some(enabled) = learned.enabled {
            r.learned.enabled = enabled;
        }
        if let Some(x) = number(
            &learned.weight,
            0.0,
            1000.0,
            "weight (el peso de la opinión aprendida)",
        ) {
            r.learned.weight = x;
        }
        if let Some(x) = number(
            &learned.kind_weight,
            0.0,
            1000.0,
            "kind_weight (el peso de la opinión aprendida sobre la clase de atención)",
        ) {
            r.learned.kind_weight = x;
        }
        let unclassified = number(
            &learned.unclassified_points,
            0.0,
            1000.0,
            "unclassified_points (los puntos propios de «Por clasificar»)",
        );
        let unclassified_no_rule = number(
            &learned.unclassified_points_no_rule,
            0.0,
            1000.0,
            "unclassified_points_no_rule (los puntos de «Por clasificar» cuando ninguna regla apoya una carpeta)",
        );
        if let Some(weight) = number(
            &learned.log_weight,
            0.0,
            1000.0,
            "log_weight (el peso de la opinión aprendida en logaritmos)",
        ) {
            r.learned.log = Some(LogVote {
                weight,
                unclassified: unclassified.unwrap_or(0.0),
                unclassified_no_rule: unclassified_no_rule.unwrap_or(0.0),
            });
        }
        if let Some(n) = &learned.retrain_after_corrections {
            match u32::try_from(*n.get_ref()) {
                Ok(n) => r.learned.retrain_after_corrections = n,
                Err(_) => errors.push(RuleError::at(
                    origin,
                    text,
                    n.span().start,
                    "retrain_after_corrections debe ser un número entero de 0 en adelante",
                )),
            }
        }
        if let Some(at) = &learned.retrain_at {
            match NaiveTime::parse_from_str(at.get_ref().trim(), "%H:%M") {
                Ok(t) => r.learned.retrain_at = t,
                Err(_) => errors.push(RuleError::at(
                    origin,
                    text,
                    at.span().start,
                    format!(
                        "retrain_at «{}» no es una hora; escriba HH:MM (hora de Lima), p. ej. \"03:00\"",
                        at.get_ref()
                    ),
                )),
            }
        }
        if let Some(c) = &learned.category {
            let c2 = c.get_ref().trim();
            if c2.is_empty() {
                errors.push(RuleError::at(
                    origin,
                    text,
                    c.span().start,
                    "la categoría está vacía: escriba el motivo que se registra cuando decide la opinión aprendida",
                ));
            } else {
                r.learned.category = c2.to_string();
            }
        }
        if let Some(a) = &learned.availability {
            match a.get_ref().parse::<Availability>() {
                Ok(x) => r.learned.availability = x,
                Err(e) => errors.push(RuleError::at(origin, text, a.span().start, e.to_string())),
            }
        }
        r
    }
}
