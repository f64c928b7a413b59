//! The TOML schema of a rule file, with the position of every value so errors can say line and column.
//!
//! ```toml
//! [[rule]]
//! name = "rnp-inscripcion"
//! description = "Inscripción, renovación y vigencia en el RNP"
//! folder = "RNP"               # or, beside or instead of it, kind = "incidencia"
//! category = "Inscripción en el RNP"
//! availability = "Alta"
//! subject = ["inscripcion", "re:renov\\w+ de (mi )?inscripcion"]
//! text = ["registro nacional de proveedores"]
//! [[rule.all]]
//! text = ["constancia"]
//! [rule.unless]
//! text = ["arbitraje"]
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// A whole file: one or more `[[rule]]` tables, and at most one `[routing]` table in the whole set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    /// How evidence is weighed (threshold, margin, the learned opinion); defaults when no file has it.
    #[serde(default)]
    pub routing: Option<Spanned<RawRouting>>,
    /// The rules, in the order they are written (the order breaks ties between equal totals).
    #[serde(default)]
    pub rule: Vec<RawRule>,
}

/// `[routing]`: how the rules' evidence is added up and when it is enough to file a message.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRouting {
    /// The least total a folder needs to win.
    #[serde(default)]
    pub threshold: Option<Spanned<f64>>,
    /// How far the winner must be ahead of the runner-up.
    #[serde(default)]
    pub margin: Option<Spanned<f64>>,
    /// The least total when the learned opinion does not vote (turned off, or no model yet).
    #[serde(default)]
    pub threshold_rules_only: Option<Spanned<f64>>,
    /// The margin when the learned opinion does not vote.
    #[serde(default)]
    pub margin_rules_only: Option<Spanned<f64>>,
    /// What a word found only in the subject of a reply or forward (`RE:`, `RV:`, `Fwd:`) is worth.
    #[serde(default)]
    pub reply_subject_weight: Option<Spanned<f64>>,
    /// What each further rule of a folder is worth against the one before it (1: a plain sum).
    #[serde(default)]
    pub stacking: Option<Spanned<f64>>,
    /// Whether the learned opinion also reads the frame of the asking clause (`rules::asking`).
    #[serde(default)]
    pub asking: Option<bool>,
    /// The least total a kind of attention (incident, complaint, suggestion) needs to win.
    #[serde(default)]
    pub kind_threshold: Option<Spanned<f64>>,
    /// How far the winning kind must be ahead of the next.
    #[serde(default)]
    pub kind_margin: Option<Spanned<f64>>,
    /// `[routing.learned]`: the opinion learned from the office's own filings.
    #[serde(default)]
    pub learned: Option<Spanned<RawLearned>>,
}

/// `[routing.learned]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLearned {
    /// Whether the learned opinion votes at all.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// The most points its vote gives a folder (it gives `weight` × its probability to each folder).
    #[serde(default)]
    pub weight: Option<Spanned<f64>>,
    /// The most points its vote on the kind of attention gives a kind.
    #[serde(default)]
    pub kind_weight: Option<Spanned<f64>>,
    /// Points per unit of log-probability: when set, the vote is on the log scale (`routing::LogVote`).
    #[serde(default)]
    pub log_weight: Option<Spanned<f64>>,
    /// On the log scale, the points «Por clasificar» has of its own.
    #[serde(default)]
    pub unclassified_points: Option<Spanned<f64>>,
    /// On the log scale, what «Por clasificar» has more when no rule supports any folder.
    #[serde(default)]
    pub unclassified_points_no_rule: Option<Spanned<f64>>,
    /// Retrain after this many new corrections by hand (0: only nightly and with `triaje rules learn`).
    #[serde(default)]
    pub retrain_after_corrections: Option<Spanned<i64>>,
    /// Lima time of the nightly retraining, `HH:MM`.
    #[serde(default)]
    pub retrain_at: Option<Spanned<String>>,
    /// Category of a message filed by the learned opinion alone (no rule of that folder matched).
    #[serde(default)]
    pub category: Option<Spanned<String>>,
    /// Availability of a message filed by the learned opinion alone.
    #[serde(default)]
    pub availability: Option<Spanned<String>>,
}

/// Patterns keyed by where they look. Shared by the rule itself, `[[rule.all]]` and `[rule.unless]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGroup {
    /// Patterns on the subject.
    #[serde(default)]
    pub subject: Vec<Spanned<String>>,
    /// Patterns on the subject or the fresh body text.
    #[serde(default)]
    pub text: Vec<Spanned<String>>,
    /// Patterns on the fresh body text only.
    #[serde(default)]
    pub body: Vec<Spanned<String>>,
    /// Patterns on the sender's address.
    #[serde(default, rename = "from")]
    pub sender: Vec<Spanned<String>>,
    /// Patterns on the recipients (To and Cc).
    #[serde(default)]
    pub to: Vec<Spanned<String>>,
    /// Patterns on attachment file names.
    #[serde(default)]
    pub attachment: Vec<Spanned<String>>,
    /// Patterns on named headers.
    #[serde(default)]
    pub header: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
}

/// One `[[rule]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    /// Unique name across all files.
    pub name: Spanned<String>,
    /// Why the rule exists (shown by `rules test`).
    #[serde(default)]
    pub description: Option<Spanned<String>>,
    /// Target folder (the area: SEACE, RNP, Legal); absent in a rule that only says the kind of attention.
    #[serde(default)]
    pub folder: Option<Spanned<String>>,
    /// The kind of attention it is evidence of (`incidencia`, `reclamo`, `sugerencia`, `consulta`), tallied
    /// apart from the folders.
    #[serde(default)]
    pub kind: Option<Spanned<String>>,
    /// Reason of the consultation, for the indicators (required with `folder`).
    #[serde(default)]
    pub category: Option<Spanned<String>>,
    /// `Alta`, `Media` or `Baja` (required with `folder`).
    #[serde(default)]
    pub availability: Option<Spanned<String>>,
    /// Points the rule gives its folder when it matches (default 1.0; negative: evidence against the folder).
    #[serde(default)]
    pub score: Option<Spanned<f64>>,
    /// Patterns on the subject.
    #[serde(default)]
    pub subject: Vec<Spanned<String>>,
    /// Patterns on the subject or the fresh body text.
    #[serde(default)]
    pub text: Vec<Spanned<String>>,
    /// Patterns on the fresh body text only.
    #[serde(default)]
    pub body: Vec<Spanned<String>>,
    /// Patterns on the sender's address.
    #[serde(default, rename = "from")]
    pub sender: Vec<Spanned<String>>,
    /// Patterns on the recipients.
    #[serde(default)]
    pub to: Vec<Spanned<String>>,
    /// Patterns on attachment file names.
    #[serde(default)]
    pub attachment: Vec<Spanned<String>>,
    /// Patterns on named headers.
    #[serde(default)]
    pub header: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    /// Extra groups that must all match as well.
    #[serde(default)]
    pub all: Vec<Spanned<RawGroup>>,
    /// If any of these match, the rule does not apply.
    #[serde(default)]
    pub unless: Option<Spanned<RawGroup>>,
}

/// Where a pattern looks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Subject,
    Text,
    Body,
    From,
    To,
    Attachment,
    /// A header, lower-case name.
    Header(String),
}

/// The patterns of one group, flattened: (where, pattern as written with its span).
pub(crate) type Conditions<'a> = Vec<(Key, &'a Spanned<String>)>;

impl RawRule {
    /// The rule's own conditions (any of them matching is enough).
    pub fn conditions(&self) -> Conditions<'_> {
        flatten(
            &self.subject,
            &self.text,
            &self.body,
            &self.sender,
            &self.to,
            &self.attachment,
            &self.header,
        )
    }
}

impl RawGroup {
    /// The group's conditions (any of them matching is enough).
    pub fn conditions(&self) -> Conditions<'_> {
        flatten(
            &self.subject,
            &self.text,
            &self.body,
            &self.sender,
            &self.to,
            &self.attachment,
            &self.header,
        )
    }
}

type Patterns = Vec<Spanned<String>>;

fn flatten<'a>(
    subject: &'a Patterns,
    text: &'a Patterns,
    body: &'a Patterns,
    sender: &'a Patterns,
    to: &'a Patterns,
    attachment: &'a Patterns,
    header: &'a BTreeMap<Spanned<String>, Patterns>,
) -> Conditions<'a> {
    let mut out = Vec::new();
    for (key, list) in [
        (Key::Subject, subject),
        (Key::Text, text),
        (Key::Body, body),
        (Key::From, sender),
        (Key::To, to),
        (Key::Attachment, attachment),
    ] {
        out.extend(list.iter().map(|p| (key.clone(), p)));
    }
    for (name, list) in header {
        let key = Key::Header(name.get_ref().trim().to_ascii_lowercase());
        out.extend(list.iter().map(|p| (key.clone(), p)));
    }
    out
}
