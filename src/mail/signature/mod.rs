//! The writer's signature under their own words: where it starts, and whether it names a person.
//!
//! The OSCE manual (seed 002, §7.4.1.3) has the assistant finish the answer «colocando su firma de
//! identificación»: a signature that says *who* answered (the register names the assistant from it). People and
//! mail clients write it in three ways, all at the end of the writer's own words (above the quote when the answer
//! is above it, at the very end when it is below):
//!
//! - after a `-- ` line (RFC 3676 §4.3): Thunderbird, Roundcube and Gmail put the configured signature there;
//! - after a closing formula («Atentamente,», «Saludos cordiales,», «Best regards,»), or on its line
//!   («Saludos, Ana Torres»);
//! - as a bare block: the person's name, then optionally a role, an office, a phone. That is what Outlook
//!   (desktop, web, mobile) and Apple Mail insert as the configured signature — with no `-- ` — and what people
//!   type. A phone app's tagline under it («Enviado desde mi iPhone», «Obtener Outlook para Android») is not part
//!   of it and is never a signature by itself (the caller cuts the text there).
//!
//! In every case the block signs only when one of its lines is a person's name: a signature that names only the
//! office («Mesa de Consultas / Organismo Supervisor…») identifies no one. What makes a line a name is in
//! [`names_a_person`].

use std::sync::LazyLock;

use regex::Regex;

/// The closing formulas people end a message with, as a regex alternation (no anchors). `mail::fresh_text` cuts
/// a citizen's message at them too, and the learned routing opinion's seed is built from that text: a change
/// here changes routing (regenerate `src/rules/learned/seed.txt`).
const CLOSING_FORMULAS: &str = r"atentamente|cordialmente|saludos( cordiales)?|un (cordial )?saludo|muchas gracias|gracias( de antemano| anticipadas)?|quedo (muy )?(atento|atenta)( a (su|sus) .{0,30})?|att?t?e?\.?|slds\.?|best regards|regards";

/// A closing formula alone on its line.
pub(super) static CLOSER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)^\s*({CLOSING_FORMULAS})\s*[,.!]*\s*$")).expect("valid regex")
});

/// A closing formula followed on the same line by what may be a name («Saludos, Ana Torres»).
static CLOSER_THEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^\s*({CLOSING_FORMULAS})\s*[,.]?\s+(?P<rest>\S.*)$"
    ))
    .expect("valid regex")
});

/// At most this many non-empty lines make a signature block.
pub(super) const MAX_SIGNATURE_LINES: usize = 8;

/// Titles written before a name («Ing.», «Dra.», «CPC»), lower case, without their dot.
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "ing", "ingº", "lic", "licda", "licdo", "lcda", "lcdo", "dr", "dra", "abg", "abog", "mg", "mag", "mgtr",
    "msc", "sr", "sra", "srta", "cpc", "econ", "arq", "prof", "bach", "tec", "téc", "phd",
];

/// The particles of Spanish (and a few other) names, written in lower case inside a name: «María del Pilar»,
/// «Rosa de la Cruz», «Ortega y Gasset».
#[rustfmt::skip]
const PARTICLES: &[&str] = &[
    "de", "del", "la", "las", "los", "y", "e", "da", "das", "do", "dos", "di", "van", "von", "der", "den",
];

/// Nouns that start the name of an office, a unit, a role, a place or a document («Mesa de Consultas», «Oficina
/// de…», «Asistente de Atención al Usuario», «Registro Nacional de Proveedores», «Banco de la Nación»), lower
/// case. Office and role names are built from common nouns and start with one; a person's name starts with a
/// given name, so a line whose first word is one of these is not a person's name.
const OFFICE_OR_ROLE: &[&[&str]] = &[OFFICES, PLACES_AND_DOCUMENTS, ROLES, ROLES_EN];

/// Offices, units and institutions.
#[rustfmt::skip]
const OFFICES: &[&str] = &[
    "mesa", "oficina", "área", "area", "unidad", "dirección", "direccion", "subdirección", "subdireccion",
    "gerencia", "subgerencia", "departamento", "división", "division", "equipo", "organismo", "ministerio",
    "municipalidad", "gobierno", "registro", "sistema", "servicio", "servicios", "tribunal", "programa",
    "plataforma", "centro", "central", "coordinación", "coordinacion", "secretaría", "secretaria", "jefatura",
    "despacho", "sede", "ventanilla", "módulo", "modulo", "canal", "soporte", "ayuda", "atención", "atencion",
    "consultas", "orientación", "orientacion", "logística", "logistica", "abastecimiento", "administración",
    "administracion", "contrataciones", "entidad", "órgano", "organo", "procuraduría", "procuraduria",
    "superintendencia", "intendencia", "agencia", "instituto", "comité", "comite", "comisión", "comision",
    "grupo", "personal", "línea", "linea", "teléfono", "telefono", "celular", "anexo", "correo", "web", "página",
    "pagina",
];

/// Places and documents an answer may end by naming («Puede pagar en:\nBanco de la Nación»).
#[rustfmt::skip]
const PLACES_AND_DOCUMENTS: &[&str] = &[
    "banco", "portal", "resolución", "resolucion", "ley", "decreto", "directiva", "reglamento", "texto", "plan",
    "opinión", "opinion", "acuerdo", "comunicado", "formulario", "guía", "guia", "manual", "instructivo",
    "procedimiento", "constancia", "certificado", "oficio", "carta", "informe", "expediente", "trámite",
    "tramite",
];

/// Roles.
#[rustfmt::skip]
const ROLES: &[&str] = &[
    "asistente", "especialista", "analista", "coordinador", "coordinadora", "supervisor", "supervisora", "jefe",
    "jefa", "director", "directora", "subdirector", "subdirectora", "gerente", "subgerente", "secretario",
    "asesor", "asesora", "abogado", "abogada", "ingeniero", "ingeniera", "practicante", "auxiliar", "técnico",
    "técnica", "tecnico", "tecnica", "responsable", "encargado", "encargada", "profesional", "consultor",
    "consultora", "operador", "operadora", "ejecutivo", "ejecutiva", "agente", "representante", "apoyo",
    "personal",
];

/// Roles and offices in English, for clients set to English.
#[rustfmt::skip]
const ROLES_EN: &[&str] = &[
    "office", "department", "team", "desk", "help", "support", "customer", "service", "services", "assistant",
    "specialist", "analyst", "manager", "officer", "coordinator", "head",
];

/// Words that open a greeting or an address to someone, never a signature («Hola Juan», «Estimada Sra. Quiroz»),
/// lower case.
#[rustfmt::skip]
const GREETINGS: &[&str] = &[
    "hola", "estimado", "estimada", "estimados", "estimadas", "señor", "señora", "señores", "señorita", "buenos",
    "buenas", "buen", "querido", "querida", "apreciado", "apreciada", "dear", "hi", "hello", "good",
];

/// Whether `line` could stand in a signature block (a name, a role, an office, an address, a phone): not a
/// sentence. A sentence ends with `?`, `!`, `:`, `;` or `,`, or with a period after more than four words, or
/// runs over twelve words.
pub(super) fn is_signature_line(line: &str) -> bool {
    let line = line.trim();
    // More than 400 bytes are more than 100 characters (a character takes at most 4): a paragraph on one line
    // (20 KB of it in some mail, looked at for every line of a signature search) is not counted through.
    if line.len() > 400 || line.chars().count() > 100 {
        return false;
    }
    // Separators between the trades of a signature («Arbitraje · RNP · Tribunal») are not words. Counted up to
    // one past the limit: that is all the answer needs.
    let words = line
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .take(13)
        .count();
    if words > 12 {
        return false;
    }
    match line.chars().last() {
        Some('?' | '!' | ':' | ';' | ',' | '¿' | '¡') => false,
        Some('.') => words <= 4,
        _ => true,
    }
}

/// How much a line must show to be taken for a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NameContext {
    /// At the end of the answer with nothing announcing it: a given name and a surname (or an initial) at
    /// least, since a lone capitalised word there is too often something else.
    Bare,
    /// After `-- ` or a closing formula, which announce a signature: a given name alone is enough.
    Announced,
}

/// Whether `line` names a person.
///
/// The name is what comes before a separator that adds a role on the same line (`|`, ` - `, `–`, `—`, `,`,
/// `/`, `(`): after optional titles («Ing.», «Dra.»), one to six words, each a capital followed by lower-case letters
/// (`-` and `'` allowed: «Pérez-Albela», «D'Angelo») or an initial («T.»), joined by the particles of names
/// («de», «del», «la», «y»); the whole line in capitals is accepted too. No digits, no acronyms («OSCE»,
/// «RNP»), and the first word is not a noun that starts an office's or a role's name ([`OFFICE_OR_ROLE`]). A
/// name needs two words unless the context announced a signature.
pub(super) fn names_a_person(line: &str, context: NameContext) -> bool {
    let line = line.trim().trim_end_matches('.');
    if line.is_empty()
        || line.chars().any(|c| c.is_ascii_digit())
        || line.contains('@')
        || CLOSER.is_match(line)
    {
        return false;
    }
    let head = name_part(line);
    if head.chars().count() > 50 {
        return false;
    }
    let all_caps = head.chars().any(char::is_alphabetic)
        && !head.chars().any(|c| c.is_alphabetic() && c.is_lowercase());
    let mut words: Vec<&str> = head.split_whitespace().collect();
    // Titles before the name.
    while words
        .first()
        .is_some_and(|w| TITLES.contains(&w.trim_end_matches('.').to_lowercase().as_str()))
    {
        words.remove(0);
    }
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    let name_or_initial = |w: &str| is_name_word(w, all_caps) || is_initial(w);
    if words.len() > 6 || !name_or_initial(first) || !name_or_initial(last) {
        return false;
    }
    let first_lower = first.to_lowercase();
    let office_or_role = OFFICE_OR_ROLE
        .iter()
        .any(|words| words.contains(&first_lower.as_str()));
    if office_or_role || GREETINGS.contains(&first_lower.as_str()) {
        return false;
    }
    if !words
        .iter()
        .all(|w| is_name_word(w, all_caps) || is_initial(w) || PARTICLES.contains(w))
    {
        return false;
    }
    let named = words.iter().filter(|w| is_name_word(w, all_caps)).count();
    if all_caps && words.len() < 2 {
        // «SEACE», «OSCE»: an acronym, not a name.
        return false;
    }
    match context {
        NameContext::Bare => words.len() >= 2 && named >= 1,
        NameContext::Announced => named >= 1,
    }
}

/// The part of a signature line before a separator that adds a role or an office on the same line.
fn name_part(line: &str) -> &str {
    let cut = [" - ", "|", "–", "—", ",", "/", "(", "\t"]
        .iter()
        .filter_map(|sep| line.find(sep))
        .min()
        .unwrap_or(line.len());
    line[..cut].trim()
}

/// A word of a name: a capital, then letters (`-`, `'` and `’` allowed), not all in capitals unless the whole
/// line is («LUIS HUAMÁN»); an acronym like «OSCE» inside a mixed-case line is not a name.
fn is_name_word(word: &str, all_caps_line: bool) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_uppercase() {
        return false;
    }
    if !word
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'))
    {
        return false;
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = word.chars().filter(|c| c.is_uppercase()).count();
    all_caps_line || letters < 2 || capitals < letters
}

/// An initial or an abbreviated given name: a capital, at most two lower-case letters, a period («T.»,
/// «Ma.»).
fn is_initial(word: &str) -> bool {
    let Some(letters) = word.strip_suffix('.') else {
        return false;
    };
    let mut chars = letters.chars();
    chars.next().is_some_and(char::is_uppercase)
        && letters.chars().count() <= 3
        && chars.all(char::is_lowercase)
}

/// The writer's words split from their signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Split {
    /// How many of the lines are the writer's text (the rest is the signature, a closing formula or `-- `).
    pub text_end: usize,
    /// The signature that names a person, from the name's line on (trimmed, non-empty lines, at most
    /// [`MAX_SIGNATURE_LINES`]); `None` when there is none or it names no one.
    pub signature: Option<String>,
}

/// Splits the writer's own lines (no quote, no phone tagline) into their text and their signature.
///
/// The signature is looked for, in order: a closing formula at the end followed only by signature lines (or
/// with the name on its line), a name block at the end of the text, and the block after `-- `. The text ends
/// where the first of them starts.
pub(super) fn split(own: &[&str]) -> Split {
    let dashes = own
        .iter()
        .position(|l| *l == "-- " || l.trim_end() == "--")
        .unwrap_or(own.len());
    let text = &own[..dashes];
    let after_dashes = own.get(dashes + 1..).unwrap_or(&[]);
    if let Some(found) = closing(text) {
        let signature = found
            .signature
            .or_else(|| named_block(after_dashes, NameContext::Announced));
        return Split {
            text_end: found.text_end,
            signature,
        };
    }
    if let Some(found) = bare_name_block(text) {
        return found;
    }
    Split {
        text_end: dashes,
        signature: named_block(after_dashes, NameContext::Announced),
    }
}

/// A closing formula that ends the text: alone on its line with only signature lines after it, or with a name
/// on its line.
fn closing(text: &[&str]) -> Option<Split> {
    let last = text.iter().rposition(|l| !l.trim().is_empty())?;
    let pos = text.iter().rposition(|l| CLOSER.is_match(l));
    if let Some(pos) = pos {
        let after = &text[pos + 1..];
        let lines = after.iter().filter(|l| !l.trim().is_empty()).count();
        let before = text[..pos].iter().any(|l| !l.trim().is_empty());
        // What follows a closing formula is a signature when it is made of signature lines, or starts with a
        // name (a long address line may follow it); otherwise the text went on and the formula was a sentence.
        let signature_lines = after
            .iter()
            .all(|l| l.trim().is_empty() || is_signature_line(l));
        let starts_with_name = after
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| names_a_person(l, NameContext::Announced));
        if before && lines <= MAX_SIGNATURE_LINES && (signature_lines || starts_with_name) {
            return Some(Split {
                text_end: pos,
                signature: named_block(after, NameContext::Announced),
            });
        }
    }
    // «Saludos, Ana Torres» / «Atte. Ana Torres», with at most signature lines under it.
    let start = (0..=last)
        .rev()
        .take_while(|&i| text[i].trim().is_empty() || is_signature_line(text[i]))
        .last()
        .unwrap_or(last + 1);
    (start..=last).find_map(|i| {
        let rest = CLOSER_THEN.captures(text[i])?.name("rest")?.as_str();
        let before = text[..i].iter().any(|l| !l.trim().is_empty());
        (before && names_a_person(rest, NameContext::Announced)).then(|| {
            let mut block = vec![rest];
            block.extend(&text[i + 1..]);
            Split {
                text_end: i,
                signature: named_block(&block, NameContext::Announced),
            }
        })
    })
}

/// A block at the end of the text that starts with a person's name and goes on with signature lines only (role,
/// office, phone): Outlook's and Apple Mail's signatures, or a typed name. Looking up from the last line, over
/// signature lines only (a sentence stops it) and at most [`MAX_SIGNATURE_LINES`] of them, the highest line that
/// names a person starts it: a given name and a surname at least, or a given name alone in its own paragraph
/// at the very end («…\n\nAna»).
fn bare_name_block(text: &[&str]) -> Option<Split> {
    let last = text.iter().rposition(|l| !l.trim().is_empty())?;
    let mut name_at = highest_name_line(text, last, false);
    // A given name alone: its own paragraph, under an answer, not ending like a sentence.
    let alone = last > 0
        && text[last - 1].trim().is_empty()
        && text[..last].iter().any(|l| !l.trim().is_empty())
        && !text[last].trim_end().ends_with('.');
    if name_at.is_none() && alone && names_a_person(text[last], NameContext::Announced) {
        name_at = Some(last);
    }
    let at = name_at?;
    let context = if at == last {
        NameContext::Announced
    } else {
        NameContext::Bare
    };
    Some(Split {
        text_end: at,
        signature: named_block(&text[at..=last], context),
    })
}

/// Where the writer's words end when a bare name block closes them, for reading what the writer asked
/// (`mail::fresh_text`): the line of [`bare_name_block`]'s name, found the same way, except that a motto or a
/// notice under the block («"Año de la recuperación…"», «CONFIDENCIALIDAD: la información de este correo…»),
/// which Outlook signatures carry and which is too long to be a signature line, does not hide the name above
/// it. A role line under the name («Gerente Legal», «Logística / Usuario SEACE») must not decide the folder.
/// `None` when no line names a person or nothing but the block is there.
pub(super) fn bare_block_start(text: &[&str]) -> Option<usize> {
    let last = text.iter().rposition(|l| !l.trim().is_empty())?;
    let at = highest_name_line(text, last, true)?;
    text[..at]
        .iter()
        .any(|l| !l.trim().is_empty())
        .then_some(at)
}

/// Looking up from `last` over signature lines only (a sentence stops it), at most [`MAX_SIGNATURE_LINES`] of
/// them, the highest line that names a person. `under_the_words` also lets a motto or notice stand under the name
/// (never between the words and the name) and a company line end in a dotted abbreviation: what the writer's
/// words end at, where the signature split of [`bare_name_block`] keeps to plain signature lines.
fn highest_name_line(text: &[&str], last: usize, under_the_words: bool) -> Option<usize> {
    let mut name_at = None;
    let mut seen = 0;
    for i in (0..=last).rev() {
        let line = text[i];
        if line.trim().is_empty() {
            continue;
        }
        // A trades line or a notice about the mail is too long for a signature line; one short enough is read
        // as one (it may be the name).
        let notice = under_the_words
            && name_at.is_none()
            && (is_notice_line(line)
                || (!is_signature_line(line)
                    && (is_trades_line(line) || is_notice_about_the_mail(line))));
        let initials = under_the_words && ends_with_initials(line);
        if !(notice || initials || is_signature_line(line)) || seen == MAX_SIGNATURE_LINES {
            break;
        }
        seen += 1;
        if !notice && names_a_person(line, NameContext::Bare) {
            name_at = Some(i);
        }
    }
    name_at
}

/// A role or company line that ends with a dotted abbreviation («Edifica Sur Contratistas Generales S.A.C.»,
/// «… E.I.R.L.»): its final period closes the abbreviation, not a sentence.
fn ends_with_initials(line: &str) -> bool {
    let line = line.trim_end();
    let last = line.split_whitespace().last().unwrap_or("");
    let inner = last.trim_end_matches('.');
    last.ends_with('.')
        && inner.contains('.')
        && inner.chars().all(|c| c == '.' || c.is_uppercase())
        && is_signature_line(line.trim_end_matches('.'))
}

/// A motto or a notice at the foot of a signature: a line in quotation marks («"Transición a la Ley…"»,
/// «“Año del bicentenario…”»), or one that opens with a word in capitals and a colon («CONFIDENCIALIDAD:»,
/// «AVISO:», «IMPORTANTE:»).
fn is_notice_line(line: &str) -> bool {
    let line = line.trim();
    if line.starts_with(['"', '“', '«', '\'']) {
        return true;
    }
    let Some((head, _)) = line.split_once(':') else {
        return false;
    };
    // The space first: a sentence's head (up to its first colon) is never counted through.
    !head.contains(' ')
        && head.chars().filter(|c| c.is_alphabetic()).count() >= 5
        && head.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
}

/// A line of trades or services under a name, too long for a signature line but no sentence: a list of short
/// pieces joined by commas or separators («Rengifo Consultores - Asesoría legal en contrataciones públicas,
/// arbitraje, defensa ante el Tribunal, nulidades y penalidades»), at least three of them, none over six words,
/// with no question in it. A sentence has a verb phrase longer than that between its commas; a list of what a firm
/// does has not.
fn is_trades_line(line: &str) -> bool {
    let line = line.trim();
    // The word limit first: it stops after 41 words, where the marks are looked for in the whole line.
    if line.split_whitespace().nth(40).is_some()
        || line.contains(['?', '¿', '!', '¡'])
        || line.ends_with([':', ';'])
    {
        return false;
    }
    let pieces: Vec<usize> = line
        .split([',', '·', '|', '•', ';'])
        .flat_map(|piece| piece.split(" - "))
        .flat_map(|piece| piece.split(" – "))
        .map(|piece| {
            piece
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count()
        })
        .collect();
    pieces.len() >= 3 && pieces.iter().all(|&words| (1..=6).contains(&words))
}

/// A notice about the mail itself at the foot of a signature, in one paragraph (mail clients join its lines):
/// it opens by naming the message, the mail or the account it is written from («Este correo institucional se
/// rige por…», «Las comunicaciones emitidas desde esta cuenta tienen carácter de declaración jurada…», «El
/// contenido de este mensaje…») and asks nothing. Entities put their legal clauses there, full of another folder's
/// words («apelación», «Ley N° 27444»), which are not the writer's question.
fn is_notice_about_the_mail(line: &str) -> bool {
    static ABOUT_THE_MAIL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^\W*(?:\S+\s+){0,6}?(?:este|esta|el presente|la presente)\s+(?:correo|mensaje|e-?mail|comunicaci[oó]n|cuenta)\b",
        )
        .expect("valid regex")
    });
    let line = line.trim();
    // The anchored pattern before the question marks: it fails within a few words, where they are looked for
    // in the whole line (a paragraph of 20 KB on one line, in some mail).
    line.split_whitespace().nth(12).is_some()
        && ABOUT_THE_MAIL.is_match(line)
        && !line.contains(['?', '¿'])
}

/// The signature in `block` from its first line that names a person, or `None`.
fn named_block(block: &[&str], context: NameContext) -> Option<String> {
    let lines: Vec<&str> = block
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .take(MAX_SIGNATURE_LINES)
        .collect();
    let at = lines.iter().position(|l| names_a_person(l, context))?;
    Some(lines[at..].join("\n"))
}

#[cfg(test)]
mod tests;
