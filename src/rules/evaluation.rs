//! How well the rules file a set of messages whose right folder is known: the confusion matrix, accuracy,
//! «filed in a wrong folder», «Legal filed elsewhere», the unclassified rate, and every miss with its tally.
//!
//! The figures, over all messages evaluated:
//! - **accuracy**: filed where the label says (a message labelled «Por clasificar» is right there);
//! - **filed in a wrong folder**: put in a target folder other than the label's — the mistake nobody sees
//!   until the citizen complains, worse than leaving it unclassified;
//! - **Legal filed elsewhere**: a Legal consultation put in another target folder, so its reply would go out
//!   without the supervisor's validation (left unclassified it is not: the coordinator files it by hand);
//! - **left unclassified**: a message that belongs in a folder left in «Por clasificar» (work for the
//!   coordinator, but no harm).
//!
//! When the labels say the kind of attention, the kinds are scored too ([`Evaluation::kind_summary`]): the
//! confusion matrix of kinds, each kind's precision and recall, and the «filed folder» — where the message
//! really lands, the kind's folder for an incident, complaint or suggestion and the area's otherwise.

use std::fmt::Write as _;

use super::corpus::LabelledMessage;
use super::{explain, RuleSet};
use crate::vocabulary::AttentionKind;

/// One message evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Which message (its file, or its ticket).
    pub name: String,
    /// Its subject, to recognise it.
    pub subject: String,
    /// Where it belongs.
    pub expected: String,
    /// Where the rules put it.
    pub got: String,
    /// Its kind of attention, when the label says it.
    pub expected_kind: Option<AttentionKind>,
    /// The kind the rules gave it.
    pub got_kind: AttentionKind,
    /// The tally, as `rules test` shows it.
    pub explanation: String,
}

/// The figures of an evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    /// Messages evaluated.
    pub total: usize,
    /// Filed where they belong.
    pub correct: usize,
    /// Put in a target folder other than theirs.
    pub wrong_folder: usize,
    /// Legal consultations put in another target folder.
    pub legal_elsewhere: usize,
    /// Legal consultations evaluated.
    pub legal_total: usize,
    /// Messages that belong in a folder left unclassified.
    pub left_unclassified: usize,
}

impl Figures {
    /// `part` of all messages, 0 when there are none.
    pub fn share(&self, part: usize) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            part as f64 / self.total as f64
        }
    }

    /// Share filed where they belong.
    pub fn accuracy(&self) -> f64 {
        self.share(self.correct)
    }
}

/// An evaluation: every case, and what the folders are.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The target folders, in the order the matrix shows them.
    pub targets: Vec<String>,
    /// The unclassified folder.
    pub unclassified: String,
    /// The folders whose replies the supervisor validates (`[replies] legal_folders`).
    pub legal: Vec<String>,
    /// Every message evaluated.
    pub cases: Vec<Case>,
}

impl Evaluation {
    /// The rows and columns of the matrix: the targets, then the unclassified folder.
    pub fn folders(&self) -> Vec<String> {
        let mut all = self.targets.clone();
        all.push(self.unclassified.clone());
        all
    }

    /// How many messages labelled `expected` went to `got`.
    pub fn count(&self, expected: &str, got: &str) -> usize {
        self.cases
            .iter()
            .filter(|c| c.expected == expected && c.got == got)
            .count()
    }

    /// The figures.
    pub fn figures(&self) -> Figures {
        let is_target = |f: &str| self.targets.iter().any(|t| t == f);
        let is_legal = |f: &str| self.legal.iter().any(|t| t == f);
        let mut f = Figures {
            total: self.cases.len(),
            correct: 0,
            wrong_folder: 0,
            legal_elsewhere: 0,
            legal_total: 0,
            left_unclassified: 0,
        };
        for c in &self.cases {
            if c.got == c.expected {
                f.correct += 1;
            } else if is_target(&c.got) {
                f.wrong_folder += 1;
            }
            if is_legal(&c.expected) {
                f.legal_total += 1;
                if is_target(&c.got) && !is_legal(&c.got) {
                    f.legal_elsewhere += 1;
                }
            }
            if c.got == self.unclassified && c.expected != self.unclassified {
                f.left_unclassified += 1;
            }
        }
        f
    }

    /// The confusion matrix and the figures, in Spanish (no individual message: safe to print for a held-out
    /// corpus).
    pub fn summary(&self) -> String {
        let folders = self.folders();
        let width = folders
            .iter()
            .map(|f| f.chars().count())
            .max()
            .unwrap_or(8)
            .max(8)
            + 2;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Matriz de confusión (filas: carpeta correcta; columnas: donde se archivó)"
        );
        let _ = write!(out, "{:>width$}", "");
        for f in &folders {
            let _ = write!(out, "{f:>width$}");
        }
        out.push('\n');
        for e in &folders {
            let _ = write!(out, "{e:>width$}");
            for g in &folders {
                let _ = write!(out, "{:>width$}", self.count(e, g));
            }
            out.push('\n');
        }
        let f = self.figures();
        let pct = |n: usize| format!("{:.1} %", f.share(n) * 100.0);
        let _ = writeln!(out, "Mensajes: {}", f.total);
        let _ = writeln!(out, "Aciertos: {} ({:.3})", f.correct, f.accuracy());
        let _ = writeln!(
            out,
            "Archivados en una carpeta equivocada: {} ({})",
            f.wrong_folder,
            pct(f.wrong_folder)
        );
        let legal_share = if f.legal_total == 0 {
            0.0
        } else {
            f.legal_elsewhere as f64 / f.legal_total as f64 * 100.0
        };
        let _ = writeln!(
            out,
            "Legales archivados en otra carpeta: {} ({}; {legal_share:.1} % de los {} legales)",
            f.legal_elsewhere,
            pct(f.legal_elsewhere),
            f.legal_total
        );
        let _ = writeln!(
            out,
            "Dejados en «{}» debiendo ir a una carpeta: {} ({})",
            self.unclassified,
            f.left_unclassified,
            pct(f.left_unclassified)
        );
        out
    }

    /// Every miss with its tally.
    pub fn misses(&self) -> String {
        let mut out = String::new();
        for c in self.cases.iter().filter(|c| c.got != c.expected) {
            let _ = writeln!(
                out,
                "{} «{}»: debía ir a {}, fue a {}",
                c.name, c.subject, c.expected, c.got
            );
            for line in c.explanation.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
        out
    }
}

/// Classifies one raw message and compares it with where it belongs. A message that cannot be read counts as
/// left unclassified (the daemon would put it in the errors folder with its reason).
pub fn evaluate_one(
    rules: &RuleSet,
    name: &str,
    expected: &str,
    raw: &[u8],
    unclassified: &str,
) -> Case {
    match crate::mail::parse(raw) {
        Ok(mail) => {
            let c = rules.classify(&mail.view());
            Case {
                name: name.to_string(),
                subject: mail.subject.clone(),
                expected: expected.to_string(),
                got: c.folder().unwrap_or(unclassified).to_string(),
                expected_kind: None,
                got_kind: c.kind().kind,
                explanation: explain(&c),
            }
        }
        Err(e) => Case {
            name: name.to_string(),
            subject: String::new(),
            expected: expected.to_string(),
            got: unclassified.to_string(),
            expected_kind: None,
            got_kind: AttentionKind::Consultation,
            explanation: format!("no se pudo leer el mensaje: {e}\n"),
        },
    }
}

/// [`evaluate_one`] for a labelled message: the area and, when the label says it, the kind.
pub fn evaluate_labelled(rules: &RuleSet, m: &LabelledMessage, unclassified: &str) -> Case {
    let mut case = evaluate_one(rules, &m.file, &m.folder, &m.raw, unclassified);
    case.expected_kind = m.kind;
    case
}

/// The figures of the kinds for one kind: how many the rules gave it, how many of those were right, how many
/// the labels give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindFigures {
    /// Labelled this kind and given it.
    pub right: usize,
    /// Given this kind by the rules.
    pub given: usize,
    /// Labelled this kind.
    pub labelled: usize,
}

impl KindFigures {
    /// Of those given the kind, the share that are it (1 when none was given).
    pub fn precision(&self) -> f64 {
        if self.given == 0 {
            1.0
        } else {
            self.right as f64 / self.given as f64
        }
    }

    /// Of those that are the kind, the share given it (1 when none is).
    pub fn recall(&self) -> f64 {
        if self.labelled == 0 {
            1.0
        } else {
            self.right as f64 / self.labelled as f64
        }
    }
}

impl Evaluation {
    /// The cases whose label says the kind.
    fn kind_cases(&self) -> impl Iterator<Item = (&Case, AttentionKind)> {
        self.cases
            .iter()
            .filter_map(|c| c.expected_kind.map(|k| (c, k)))
    }

    /// Precision and recall of `kind` over the cases whose label says the kind.
    pub fn kind_figures(&self, kind: AttentionKind) -> KindFigures {
        let mut f = KindFigures {
            right: 0,
            given: 0,
            labelled: 0,
        };
        for (c, expected) in self.kind_cases() {
            f.given += usize::from(c.got_kind == kind);
            f.labelled += usize::from(expected == kind);
            f.right += usize::from(c.got_kind == kind && expected == kind);
        }
        f
    }

    /// Where a message lands: its kind's folder (`kind_folders`) unless it is a consultation, else `area`.
    fn filed<'a>(
        area: &'a str,
        kind: AttentionKind,
        kind_folders: &'a [(AttentionKind, String)],
    ) -> &'a str {
        kind_folders
            .iter()
            .find(|(k, _)| *k == kind && kind.has_own_folder())
            .map(|(_, f)| f.as_str())
            .unwrap_or(area)
    }

    /// The kinds' confusion matrix, each kind's precision and recall, and the filed folder's accuracy, in
    /// Spanish; `None` when no label says a kind. Names no message: safe for a held-out corpus.
    pub fn kind_summary(&self, kind_folders: &[(AttentionKind, String)]) -> Option<String> {
        let labelled: Vec<(&Case, AttentionKind)> = self.kind_cases().collect();
        if labelled.is_empty() {
            return None;
        }
        let width = 12;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Clases de atención (filas: clase correcta; columnas: la que dieron las reglas)"
        );
        let _ = write!(out, "{:>width$}", "");
        for k in AttentionKind::ALL {
            let _ = write!(out, "{:>width$}", k.as_str());
        }
        out.push('\n');
        for e in AttentionKind::ALL {
            let _ = write!(out, "{:>width$}", e.as_str());
            for g in AttentionKind::ALL {
                let n = labelled
                    .iter()
                    .filter(|(c, k)| *k == e && c.got_kind == g)
                    .count();
                let _ = write!(out, "{n:>width$}");
            }
            out.push('\n');
        }
        for k in AttentionKind::ALL {
            let f = self.kind_figures(k);
            let _ = writeln!(
                out,
                "{}: precisión {:.3} ({} de {} dadas), exhaustividad {:.3} ({} de {} etiquetadas)",
                k.as_str(),
                f.precision(),
                f.right,
                f.given,
                f.recall(),
                f.right,
                f.labelled
            );
        }
        let right = labelled
            .iter()
            .filter(|(c, k)| {
                Self::filed(&c.got, c.got_kind, kind_folders)
                    == Self::filed(&c.expected, *k, kind_folders)
            })
            .count();
        let _ = writeln!(
            out,
            "Carpeta de archivo (la de su clase para incidencias, reclamos y sugerencias): {right} de {} ({:.3})",
            labelled.len(),
            right as f64 / labelled.len() as f64
        );
        Some(out)
    }

    /// Every message whose kind the rules got wrong, with its tally.
    pub fn kind_misses(&self) -> String {
        let mut out = String::new();
        for (c, expected) in self.kind_cases().filter(|(c, k)| c.got_kind != *k) {
            let _ = writeln!(
                out,
                "{} «{}»: era {}, las reglas dicen {}",
                c.name, c.subject, expected, c.got_kind
            );
            for line in c
                .explanation
                .lines()
                .skip_while(|l| !l.starts_with("Clase de atención"))
            {
                let _ = writeln!(out, "    {line}");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(expected: &str, got: &str) -> Case {
        Case {
            name: "x.eml".into(),
            subject: "s".into(),
            expected: expected.into(),
            got: got.into(),
            expected_kind: None,
            got_kind: AttentionKind::Consultation,
            explanation: "Totales: …\n".into(),
        }
    }

    #[test]
    fn the_kinds_are_scored_apart_and_land_in_their_folders() {
        let kinded =
            |expected: &str, kind: AttentionKind, got: &str, got_kind: AttentionKind| Case {
                expected_kind: Some(kind),
                got_kind,
                ..case(expected, got)
            };
        use AttentionKind::*;
        let e = Evaluation {
            targets: vec!["SEACE".into(), "RNP".into(), "Legal".into()],
            unclassified: "Por clasificar".into(),
            legal: vec!["Legal".into()],
            cases: vec![
                kinded("SEACE", Incident, "SEACE", Incident),
                // Area wrong, kind right: it still lands in «Incidencias».
                kinded("SEACE", Incident, "RNP", Incident),
                kinded("SEACE", Consultation, "SEACE", Incident),
                kinded("Legal", Complaint, "Legal", Consultation),
                kinded("RNP", Consultation, "RNP", Consultation),
                case("RNP", "RNP"),
            ],
        };
        let folders = vec![
            (Incident, "Incidencias".to_string()),
            (Complaint, "Reclamos".to_string()),
            (Suggestion, "Sugerencias".to_string()),
        ];
        let f = e.kind_figures(Incident);
        assert_eq!((f.right, f.given, f.labelled), (2, 3, 2));
        let s = e.kind_summary(&folders).expect("labels say kinds");
        assert!(s.contains("incidencia: precisión 0.667"), "{s}");
        assert!(
            s.contains("reclamo: precisión 1.000 (0 de 0 dadas), exhaustividad 0.000"),
            "{s}"
        );
        assert!(s.contains("Carpeta de archivo (la de su clase para incidencias, reclamos y sugerencias): 3 de 5"), "{s}");
        assert_eq!(e.kind_misses().matches("x.eml").count(), 2);
        let unlabelled = Evaluation {
            cases: vec![case("RNP", "RNP")],
            ..e
        };
        assert_eq!(unlabelled.kind_summary(&folders), None);
    }

    #[test]
    fn the_figures_count_what_the_office_cares_about() {
        let e = Evaluation {
            targets: vec!["SEACE".into(), "RNP".into(), "Legal".into()],
            unclassified: "Por clasificar".into(),
            legal: vec!["Legal".into()],
            cases: vec![
                case("SEACE", "SEACE"),
                case("Legal", "Legal"),
                case("Legal", "RNP"),
                case("Legal", "Por clasificar"),
                case("Por clasificar", "Por clasificar"),
                case("Por clasificar", "SEACE"),
                case("RNP", "Por clasificar"),
                case("RNP", "RNP"),
            ],
        };
        let f = e.figures();
        assert_eq!((f.total, f.correct), (8, 4));
        assert_eq!(f.wrong_folder, 2);
        assert_eq!((f.legal_elsewhere, f.legal_total), (1, 3));
        assert_eq!(f.left_unclassified, 2);
        let s = e.summary();
        assert!(s.contains("Aciertos: 4 (0.500)"), "{s}");
        assert!(
            s.contains("Legales archivados en otra carpeta: 1 (12.5 %; 33.3 % de los 3 legales)"),
            "{s}"
        );
        assert!(!s.contains("x.eml"), "the summary names no message: {s}");
        let m = e.misses();
        assert_eq!(m.matches("x.eml").count(), 4, "{m}");
    }
}
