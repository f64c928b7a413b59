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

use std::fmt::Write as _;

use super::{explain, RuleSet};

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
                explanation: explain(&c),
            }
        }
        Err(e) => Case {
            name: name.to_string(),
            subject: String::new(),
            expected: expected.to_string(),
            got: unclassified.to_string(),
            explanation: format!("no se pudo leer el mensaje: {e}\n"),
        },
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
            explanation: "Totales: …\n".into(),
        }
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
