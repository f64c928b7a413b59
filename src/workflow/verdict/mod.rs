//! The supervisor's answer to a validation notice, read as a person writes it.
//!
//! «Aprobado», «Aprobado, puede enviarse.», «Conforme», «APROBADO» above an ordinary signature, with a greeting
//! before or a thanks after: an approval. Anything that is not clearly an approval — a condition, a question, a
//! correction, «No aprobado», «conforme, pero cambie…» — is observations for the assistant, and the supervisor
//! is told which way his answer was read. Pure.

use std::sync::LazyLock;

use regex::Regex;

use crate::rules::normalize;

/// What a supervisor's answer decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Clearly an approval.
    Approve,
    /// Observations for the assistant: the whole text.
    Return(String),
}

/// Clauses that are an approval by themselves (normalised: lower case, no accents), besides the ones
/// [`APPROVAL_STATEMENT`] reads.
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
    "visto bueno",
    "doy el visto bueno",
    "doy mi visto bueno",
    "doy visto bueno",
    "tiene mi visto bueno",
    "cuenta con mi visto bueno",
    "vb",
    "v b",
    "vo bo",
    "autorizo",
    "autorizo el envio",
    "se autoriza el envio",
    "valido",
    "procede",
    "procede el envio",
    "sin observaciones",
    "sin observacion",
];

/// A clause that states the answer is approved: «la respuesta está conforme», «todo ok», «está bien», «se
/// aprueba la respuesta», «revisado y aprobado», «conforme con la respuesta» (normalised). A negation («no
/// está conforme») never matches: nothing may stand before the subject.
static APPROVAL_STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:la respuesta|el borrador|el proyecto(?: de respuesta)?|la propuesta|el texto|esta respuesta|todo)\s+)?(?:(?:esta|es|queda|se encuentra|resulta)\s+)?(?:conforme(?: con (?:la respuesta|el borrador|el texto|el proyecto))?|aprobad[oa]s?|correct[oa]|bien|ok|okay|validad[oa]|autorizad[oa]|de acuerdo(?: con (?:la respuesta|el borrador|el texto))?|en orden|perfecto|listo|excelente)$|^(?:se aprueba|apruebo|aprobamos)(?: (?:la respuesta|el borrador|el proyecto(?: de respuesta)?|el envio))?$|^(?:revisad[oa]|visto|vist[oa])\s+y\s+(?:aprobad[oa]|conforme)$",
    )
    .expect("valid regex")
});

/// Clauses that keep an approval an approval (normalised), besides the ones [`SEND_ON`] reads.
const APPROVAL_FOLLOWERS: &[&str] = &[
    "adelante",
    "todo bien",
    "esta bien",
    "esta correcto",
    "correcto",
    "de acuerdo",
    "conforme",
    "aprobado",
    "aprobada",
    "sin observaciones",
    "sin comentarios",
    "sin cambios",
    "buen trabajo",
    "muy bien",
    "perfecto",
    "excelente",
];

/// Clauses that tell the assistant to send it: «puede enviarse», «ya puedes enviarla al ciudadano», «proceda
/// con el envío», «envíala», «remítase» (normalised).
static SEND_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:ya\s+)?(?:se\s+)?(?:puede|puedes|pueden|podra|podras)\s+(?:enviar|remitir|responder|proceder)(?:se|la|lo|le|las|los)?|enviar|remitir|responder|enviese|envielo|enviela|envialo|enviala|remitase|remitalo|remitala|remitelo|remitela|proceda|procedan|proceder|procede|procede el envio)(?:\s+(?:con el envio|al ciudadano|a la ciudadana|al usuario|a la usuaria|al administrado|nomas|no mas|ya))*$",
    )
    .expect("valid regex")
});

/// Courtesies that may close the verdict, alone or before a name («Gracias, Ana», «Saludos Víctor»).
const COURTESIES: &[&str] = &[
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

/// Clauses that may stand before the verdict on its line: «Sí, aprobado», «Revisado, conforme».
const LEAD_INS: &[&str] = &["si", "revisado", "revisada", "visto", "ok"];

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

/// «V.B.», «Vo. Bo.»: the dots would split the abbreviation into clauses.
static VISTO_BUENO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bvo?\.\s*bo?\.").expect("valid regex"));

/// One clause of a line: as written (for names) and normalised (for words).
struct Clause {
    /// As the supervisor wrote it, trimmed.
    written: String,
    /// Lower case, no accents, single spaces.
    norm: String,
}

/// Reads the supervisor's answer (his fresh text: quotes already removed). `None` when he wrote nothing.
pub fn verdict_in(fresh_text: &str) -> Option<Verdict> {
    let text = fresh_text.trim();
    if text.is_empty() {
        return None;
    }
    let observations = || Some(Verdict::Return(text.to_string()));
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
        return observations();
    };
    // The verdict opens its line, after at most a lead-in («Sí,», «Ana,», «Revisado,»).
    let clauses = clauses_of_line(first);
    let Some(open) = (0..clauses.len())
        .take_while(|&k| k == 0 || is_lead_in(&clauses[k - 1]))
        .find(|&k| opens_approval(&clauses[k]))
    else {
        return observations();
    };
    if !keeps_approval(&clauses[open + 1..]) {
        return observations();
    }
    // It may run over the next lines («Aprobado.» / «Puede enviarse.»); then a signature may follow.
    let mut after_courtesy = clauses.last().is_some_and(is_courtesy);
    for line in &lines[i + 1..] {
        let cs = clauses_of_line(line);
        if !cs.is_empty() && keeps_approval(&cs) {
            after_courtesy = cs.last().is_some_and(is_courtesy);
            continue;
        }
        if !looks_like_signature(line, after_courtesy) {
            return observations();
        }
        after_courtesy = false;
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

/// The clauses of a line, split at punctuation.
fn clauses_of_line(line: &str) -> Vec<Clause> {
    let line = VISTO_BUENO.replace_all(line, "VB");
    line.split(['.', ',', ';', '!', ':', '-', '¡', '/'])
        .map(|c| Clause {
            written: c.trim().to_string(),
            norm: normalize(c)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        })
        .filter(|c| !c.norm.is_empty())
        .collect()
}

/// A clause that is an approval: «Aprobado», «La respuesta está conforme», «Aprobado Ana».
fn opens_approval(c: &Clause) -> bool {
    let norm = without_no_remarks(&c.norm);
    if APPROVAL_OPENERS.contains(&norm) || APPROVAL_STATEMENT.is_match(norm) {
        return true;
    }
    // «Aprobado Ana»: an opener and whom it is said to.
    let mut words = c.written.splitn(2, char::is_whitespace);
    let (Some(head), Some(rest)) = (words.next(), words.next()) else {
        return false;
    };
    APPROVAL_OPENERS.contains(&normalize(head).as_str()) && is_name(rest)
}

/// Whether every clause keeps the approval: a further approval, a go-ahead to send, a courtesy (before a name,
/// too), or the supervisor's name (two words or initials) closing the line.
fn keeps_approval(clauses: &[Clause]) -> bool {
    clauses.iter().enumerate().all(|(k, c)| {
        let norm = without_no_remarks(&c.norm);
        APPROVAL_FOLLOWERS.contains(&norm)
            || APPROVAL_OPENERS.contains(&norm)
            || APPROVAL_STATEMENT.is_match(norm)
            || SEND_ON.is_match(norm)
            || is_courtesy(c)
            || (k + 1 == clauses.len() && is_signing_name(&c.written))
            // «Gracias, Ana»: the name the thanks go to.
            || (k > 0 && is_courtesy(&clauses[k - 1]) && is_name(&c.written))
    })
}

/// A clause without a closing «sin observaciones» / «sin comentarios» («Aprobado sin observaciones»).
fn without_no_remarks(norm: &str) -> &str {
    [
        "sin observaciones",
        "sin observacion",
        "sin comentarios",
        "sin cambios",
    ]
    .iter()
    .find_map(|tail| {
        norm.strip_suffix(tail)
            .map(str::trim_end)
            .filter(|rest| !rest.is_empty())
    })
    .unwrap_or(norm)
}

/// «Gracias», «Saludos cordiales», or one of them before a name («Gracias Ana»).
fn is_courtesy(c: &Clause) -> bool {
    if COURTESIES.contains(&c.norm.as_str()) {
        return true;
    }
    COURTESIES.iter().any(|courtesy| {
        let said = c
            .norm
            .strip_prefix(courtesy)
            .is_some_and(|rest| rest.starts_with(' '));
        let rest: Vec<&str> = c
            .written
            .split_whitespace()
            .skip(courtesy.split_whitespace().count())
            .collect();
        said && is_name(&rest.join(" "))
    })
}

/// What may stand before the verdict on its line: «Sí», «Revisado», «Ok», or whom it is said to («Ana»), never a
/// negation or a reservation («No, conforme…» is not an approval).
fn is_lead_in(c: &Clause) -> bool {
    const NEVER: &[&str] = &[
        "no", "ni", "tampoco", "nunca", "jamas", "pero", "aunque", "salvo", "excepto", "falta",
        "faltan",
    ];
    LEAD_INS.contains(&c.norm.as_str())
        || starts_with_greeting(&c.norm)
        || (is_name(&c.written) && !c.norm.split(' ').any(|w| NEVER.contains(&w)))
}

/// One to three words written with a capital (a person's name, «Ana», «Víctor Campos»), no digits.
fn is_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (1..=3).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || c == '.')
        })
}

/// A name that may sign on the verdict's own line («Aprobado. Víctor Campos», «APROBADO - VCR»): two or three
/// capitalised words, or initials. A single capitalised word there may as well be an instruction
/// («Corregir»), so it does not count.
fn is_signing_name(text: &str) -> bool {
    let words = text.split_whitespace().count();
    let initials =
        (2..=4).contains(&text.chars().count()) && text.chars().all(|c| c.is_ascii_uppercase());
    initials || (words >= 2 && is_name(text))
}

/// A line that only greets («Hola Ana,», «Buenos días:»): a greeting and at most a name, nothing after a comma.
fn is_greeting(line: &str) -> bool {
    let n = normalize(line);
    let n = n.trim_end_matches([',', ':', '.', '!']);
    !n.contains([',', ':', '.', ';']) && starts_with_greeting(n)
}

/// Normalised text that opens with a greeting and is at most five words long.
fn starts_with_greeting(n: &str) -> bool {
    n.split_whitespace().count() <= 5
        && GREETINGS
            .iter()
            .any(|g| n == *g || n.starts_with(&format!("{g} ")))
}

/// A line of a signature block: a name, a title, an office, a phone or an address — short, mostly capitalised
/// words or digits, no sentence. A single word («Víctor») only right after a courtesy («Saludos,»): alone on
/// a line after the verdict it may be an instruction («Corregir»).
fn looks_like_signature(line: &str, after_courtesy: bool) -> bool {
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
    if words.len() == 1 && !after_courtesy && !is_signing_name(line.trim()) {
        return false;
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
mod tests;
