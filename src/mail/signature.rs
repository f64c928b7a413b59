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

/// The closing formulas people end a message with, as a regex alternation (no anchors).
const CLOSING_FORMULAS: &str = r"atentamente|cordialmente|saludos( cordiales)?|un (cordial )?saludo|muchas gracias|gracias( de antemano| anticipadas)?|quedo (muy )?(atento|atenta)( a (su|sus) .{0,30})?|att?t?e?\.?|slds\.?|best regards|kind regards|regards";

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
const TITLES: &[&str] = &[
    "ing", "ingº", "lic", "licda", "licdo", "lcda", "lcdo", "dr", "dra", "abg", "abog", "mg",
    "mag", "mgtr", "msc", "sr", "sra", "srta", "cpc", "econ", "arq", "prof", "bach", "tec", "téc",
    "phd",
];

/// The particles of Spanish (and a few other) names, written in lower case inside a name: «María del Pilar»,
/// «Rosa de la Cruz», «Ortega y Gasset».
const PARTICLES: &[&str] = &[
    "de", "del", "la", "las", "los", "y", "e", "da", "das", "do", "dos", "di", "van", "von", "der",
    "den",
];

/// Nouns that start the name of an office, a unit, a role, a place or a document («Mesa de Consultas», «Oficina
/// de…», «Asistente de Atención al Usuario», «Registro Nacional de Proveedores», «Banco de la Nación»), lower
/// case. Office and role names are built from
/// common nouns and start with one; a person's name starts with a given name, so a line whose first word is one
/// of these is not a person's name.
const OFFICE_OR_ROLE: &[&str] = &[
    // Offices, units and institutions.
    "mesa",
    "oficina",
    "área",
    "area",
    "unidad",
    "dirección",
    "direccion",
    "subdirección",
    "subdireccion",
    "gerencia",
    "subgerencia",
    "departamento",
    "división",
    "division",
    "equipo",
    "organismo",
    "ministerio",
    "municipalidad",
    "gobierno",
    "registro",
    "sistema",
    "servicio",
    "servicios",
    "tribunal",
    "programa",
    "plataforma",
    "centro",
    "central",
    "coordinación",
    "coordinacion",
    "secretaría",
    "secretaria",
    "jefatura",
    "despacho",
    "sede",
    "ventanilla",
    "módulo",
    "modulo",
    "canal",
    "soporte",
    "ayuda",
    "atención",
    "atencion",
    "consultas",
    "orientación",
    "orientacion",
    "logística",
    "logistica",
    "abastecimiento",
    "administración",
    "administracion",
    "contrataciones",
    "entidad",
    "órgano",
    "organo",
    "procuraduría",
    "procuraduria",
    "superintendencia",
    "intendencia",
    "agencia",
    "instituto",
    "comité",
    "comite",
    "comisión",
    "comision",
    "grupo",
    "personal",
    "línea",
    "linea",
    "teléfono",
    "telefono",
    "celular",
    "anexo",
    "correo",
    "web",
    "página",
    "pagina",
    // Places and documents an answer may end by naming («Puede pagar en:\nBanco de la Nación»).
    "banco",
    "portal",
    "resolución",
    "resolucion",
    "ley",
    "decreto",
    "directiva",
    "reglamento",
    "texto",
    "plan",
    "opinión",
    "opinion",
    "acuerdo",
    "comunicado",
    "formulario",
    "guía",
    "guia",
    "manual",
    "instructivo",
    "procedimiento",
    "constancia",
    "certificado",
    "oficio",
    "carta",
    "informe",
    "expediente",
    "trámite",
    "tramite",
    // Roles.
    "asistente",
    "especialista",
    "analista",
    "coordinador",
    "coordinadora",
    "supervisor",
    "supervisora",
    "jefe",
    "jefa",
    "director",
    "directora",
    "subdirector",
    "subdirectora",
    "gerente",
    "subgerente",
    "secretario",
    "asesor",
    "asesora",
    "abogado",
    "abogada",
    "ingeniero",
    "ingeniera",
    "practicante",
    "auxiliar",
    "técnico",
    "técnica",
    "tecnico",
    "tecnica",
    "responsable",
    "encargado",
    "encargada",
    "profesional",
    "consultor",
    "consultora",
    "operador",
    "operadora",
    "ejecutivo",
    "ejecutiva",
    "agente",
    "representante",
    "apoyo",
    "personal",
    // The same in English, for clients set to English.
    "office",
    "department",
    "team",
    "desk",
    "help",
    "support",
    "customer",
    "service",
    "services",
    "assistant",
    "specialist",
    "analyst",
    "manager",
    "officer",
    "coordinator",
    "head",
];

/// Words that open a greeting or an address to someone, never a signature («Hola Juan», «Estimada Sra. Quiroz»),
/// lower case.
const GREETINGS: &[&str] = &[
    "hola",
    "estimado",
    "estimada",
    "estimados",
    "estimadas",
    "señor",
    "señora",
    "señores",
    "señorita",
    "buenos",
    "buenas",
    "buen",
    "querido",
    "querida",
    "apreciado",
    "apreciada",
    "dear",
    "hi",
    "hello",
    "good",
];

/// Whether `line` could stand in a signature block (a name, a role, an office, an address, a phone): not a
/// sentence. A sentence ends with `?`, `!`, `:`, `;` or `,`, or with a period after more than four words, or
/// runs over twelve words.
pub(super) fn is_signature_line(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().count();
    if line.chars().count() > 100 || words > 12 {
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
    if OFFICE_OR_ROLE.contains(&first_lower.as_str()) || GREETINGS.contains(&first_lower.as_str()) {
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
    let mut name_at = None;
    let mut seen = 0;
    for i in (0..=last).rev() {
        let line = text[i];
        if line.trim().is_empty() {
            continue;
        }
        if !is_signature_line(line) || seen == MAX_SIGNATURE_LINES {
            break;
        }
        seen += 1;
        if names_a_person(line, NameContext::Bare) {
            name_at = Some(i);
        }
    }
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
mod tests {
    use super::*;

    fn bare(line: &str) -> bool {
        names_a_person(line, NameContext::Bare)
    }

    #[test]
    fn peoples_names_are_names_with_titles_particles_initials_and_capitals() {
        for name in [
            "Ana Torres",
            "Miguel Ángel Chávez Ruiz",
            "Ñusta Huamaní Apaza",
            "María del Pilar de la Cruz",
            "Ing. Jorge Salazar Ccori",
            "Dra. Carmen Rojas Vela",
            "Luis Huamán T.",
            "Rosa Pérez-Albela",
            "LUIS HUAMÁN TORRES",
            "Luis Huamán Torres | Asistente de Atención al Usuario",
            "Silvia Mendoza - Mesa de Consultas",
            "Carlos D'Angelo",
        ] {
            assert!(bare(name), "{name}");
        }
    }

    #[test]
    fn offices_roles_acronyms_and_sentences_are_not_names() {
        for line in [
            "Banco de la Nación",
            "Mesa de Consultas",
            "Organismo Supervisor de las Contrataciones del Estado",
            "Central telefónica (01) 614-3636",
            "Asistente de Atención al Usuario",
            "Registro Nacional de Proveedores",
            "Consultas OSCE",
            "MESA DE CONSULTAS",
            "Atención al Ciudadano",
            "Ya está",
            "Estimada Sra. Pachas:",
            "ana torres",
            "Enviado desde mi iPhone",
            "ana@osce.gob.pe",
            "OSCE",
        ] {
            assert!(!bare(line), "{line}");
        }
    }

    #[test]
    fn a_given_name_alone_is_a_name_only_where_a_signature_was_announced() {
        assert!(!bare("Ana"));
        assert!(names_a_person("Ana", NameContext::Announced));
        assert!(!names_a_person("Logística", NameContext::Announced));
        assert!(!names_a_person("SEACE", NameContext::Announced));
    }

    fn split_of(text: &str) -> (String, Option<String>) {
        let lines: Vec<&str> = text.lines().collect();
        let s = split(&lines);
        (lines[..s.text_end].join("\n"), s.signature)
    }

    #[test]
    fn a_name_and_role_under_the_answer_sign_it_without_formula_or_dashes() {
        let (text, sig) = split_of(
            "Estimada Sra. Pachas:\n\nPuede otorgarse la buena pro.\n\nMiguel Ángel Chávez Ruiz\nAsistente de Atención al Usuario - SEACE\n",
        );
        assert_eq!(
            text.trim(),
            "Estimada Sra. Pachas:\n\nPuede otorgarse la buena pro."
        );
        assert_eq!(
            sig.as_deref(),
            Some("Miguel Ángel Chávez Ruiz\nAsistente de Atención al Usuario - SEACE")
        );
        // Typed right under the last sentence, with no blank line (HTML paragraphs).
        let (text, sig) = split_of("Ya puede ingresar.\nLuis Huamán\nMesa de Consultas OSCE");
        assert_eq!(text, "Ya puede ingresar.");
        assert_eq!(sig.as_deref(), Some("Luis Huamán\nMesa de Consultas OSCE"));
    }

    #[test]
    fn a_given_name_alone_in_the_last_paragraph_signs_and_a_greeting_never_does() {
        let (text, sig) = split_of("Ya puede ingresar.\n\nAna\n");
        assert_eq!(text.trim(), "Ya puede ingresar.");
        assert_eq!(sig.as_deref(), Some("Ana"));
        let (_, sig) = split_of("Ya puede ingresar.\nAna\n");
        assert_eq!(
            sig, None,
            "a word right under a sentence is not taken for a name"
        );
        // An answer typed without punctuation: the greeting above it is not the signature.
        let (text, sig) = split_of("Hola Juan\nSu usuario ya está desbloqueado\nAna Torres\n");
        assert_eq!(text, "Hola Juan\nSu usuario ya está desbloqueado");
        assert_eq!(sig.as_deref(), Some("Ana Torres"));
        let (_, sig) = split_of("Ya está.\n\nMuchas Gracias\n");
        assert_eq!(sig, None);
    }

    #[test]
    fn a_long_address_under_the_name_keeps_the_signature() {
        let (text, sig) = split_of(
            "Ya está.\n\nAtentamente,\nAna Torres\nAv. Gregorio Escobedo cuadra siete sin número, Jesús María, Lima, Perú, código postal\n",
        );
        assert_eq!(text.trim(), "Ya está.");
        assert!(sig.is_some_and(|s| s.starts_with("Ana Torres")));
        let (_, sig) = split_of("Ya está.\n\nMa. Elena Cárdenas (Mesa de Consultas)\n");
        assert_eq!(
            sig.as_deref(),
            Some("Ma. Elena Cárdenas (Mesa de Consultas)")
        );
    }

    #[test]
    fn closing_formulas_announce_the_signature_also_on_the_same_line() {
        let (text, sig) = split_of("Ya está.\n\nSaludos,\nAna\n");
        assert_eq!(text.trim(), "Ya está.");
        assert_eq!(sig.as_deref(), Some("Ana"));
        let (text, sig) = split_of("Ya está.\nSaludos, Ana Torres\nMesa de Consultas");
        assert_eq!(text, "Ya está.");
        assert_eq!(sig.as_deref(), Some("Ana Torres\nMesa de Consultas"));
        let (_, sig) = split_of("Ya está.\nAtentamente,\nMesa de Consultas\n");
        assert_eq!(sig, None, "an office signs for no one");
    }

    #[test]
    fn the_block_after_dashes_signs_only_when_it_names_someone() {
        let (text, sig) = split_of("Ya está.\n\nAtentamente,\n\n--\nMesa de Consultas\nOrganismo Supervisor de las Contrataciones del Estado\nCentral telefónica (01) 614-3636\n");
        assert_eq!(text.trim(), "Ya está.");
        assert_eq!(sig, None);
        let (_, sig) = split_of("Ya está.\n-- \nMesa de Consultas\nAna Torres\n");
        assert_eq!(sig.as_deref(), Some("Ana Torres"));
    }

    #[test]
    fn text_that_goes_on_after_a_formula_or_ends_in_a_list_is_not_cut() {
        let (text, sig) =
            split_of("Muchas gracias.\nAdemás, recuerde que la constancia se descarga en línea.\n");
        assert_eq!(sig, None);
        assert!(text.contains("Además"), "{text}");
        let (text, sig) = split_of("Los requisitos son:\nRUC activo\nClave SOL\n");
        assert_eq!(sig, None);
        assert!(text.contains("Clave SOL"), "{text}");
        let (_, sig) = split_of("Su constancia está lista.\n");
        assert_eq!(sig, None);
    }
}
