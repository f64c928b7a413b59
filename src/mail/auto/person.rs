//! Signs that a person wrote a message to the office: a question, a person to answer at, a signature.
//!
//! They weigh against the weak machine signals only (see `evidence`); nothing a person writes outweighs an
//! `Auto-Submitted` header or a bounce report.

use std::sync::LazyLock;

use regex::Regex;

use super::is_noreply;
use super::PersonSign;

/// What the signs of a person are read from.
pub(crate) struct PersonInput<'a> {
    /// Sender address, lower-case.
    pub from: Option<&'a str>,
    /// `Reply-To` address, lower-case.
    pub reply_to: Option<&'a str>,
    /// What the sender wrote now (no quoted earlier message).
    pub text: &'a str,
    /// True when the text ends with a signature that names a person.
    pub signed: bool,
}

/// The signs of a person the message itself shows (an answer to the office's mail is seen by the caller).
pub(crate) fn person_signs(input: &PersonInput<'_>) -> Vec<PersonSign> {
    let mut signs = Vec::new();
    if asks_something(input.text) {
        signs.push(PersonSign::Question);
    }
    if replies_to_person(input.from, input.reply_to) {
        signs.push(PersonSign::PersonReplyTo);
    }
    if input.signed {
        signs.push(PersonSign::Signature);
    }
    signs
}

/// Requests written in the first person, which a notification does not make: «quisiera saber», «solicito».
static REQUEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(quisiera (saber|consultar|preguntar)|quisi[ée]ramos (saber|consultar)|solicito|le agradecer[ée]|agradecer[ée]|agradecer[íi]a|podr[íi]an indicar|pueden indicar|me (podr[íi]an|pueden) (ayudar|orientar|informar)|i would like to know|could you|can you (please|tell|help)|please advise|please let me know)\b",
    )
    .expect("valid regex")
});

/// Spans quoted inside the text («…», “…”, "…"): someone else's words, as a notification quotes a chat message.
static QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"«[^»]*»|“[^”]*”|"[^"\n]*""#).expect("valid regex"));

/// Words of the stock questions automatic mail ends with («¿Necesitas ayuda?», «¿Tienes dudas?», «Questions?»):
/// a question made only of these asks the office nothing.
const STOCK_QUESTION_WORDS: [&str; 30] = [
    "necesitas",
    "necesita",
    "tienes",
    "tiene",
    "alguna",
    "algunas",
    "ayuda",
    "duda",
    "dudas",
    "consulta",
    "consultas",
    "pregunta",
    "preguntas",
    "más",
    "mas",
    "información",
    "informacion",
    "no",
    "quieres",
    "desea",
    "deseas",
    "recibir",
    "estos",
    "correos",
    "mensajes",
    "need",
    "help",
    "questions",
    "any",
    "have",
];

/// True when `text` asks something: a question («¿…?», «…?» ending a sentence) that is not a stock line of
/// automatic mail nor quoted from someone else, or a request in the first person.
pub(crate) fn asks_something(text: &str) -> bool {
    let text = QUOTED.replace_all(text, " ");
    if REQUEST.is_match(&text) {
        return true;
    }
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let question = match c {
            '¿' => Some(question_after(&chars, i + 1)),
            // A `?` that ends a sentence, not one inside a link (`?id=3`).
            '?' if i > 0
                && chars[i - 1].is_alphanumeric()
                && chars
                    .get(i + 1)
                    .is_none_or(|n| !n.is_alphanumeric() && *n != '=') =>
            {
                Some(question_before(&chars, i))
            }
            _ => None,
        };
        if let Some(q) = question {
            if !is_stock_question(&q) {
                return true;
            }
        }
    }
    false
}

/// The words from an opening `¿` to its `?` (or the line's end).
fn question_after(chars: &[char], from: usize) -> String {
    chars[from..]
        .iter()
        .take_while(|c| **c != '?' && **c != '\n')
        .collect()
}

/// The words of the sentence a `?` closes.
fn question_before(chars: &[char], end: usize) -> String {
    let start = chars[..end]
        .iter()
        .rposition(|c| matches!(c, '.' | '!' | '\n' | ':' | '¿'))
        .map_or(0, |p| p + 1);
    chars[start..end].iter().collect()
}

/// How a sales pitch opens its questions, to «tú» («¿Necesitas capital…?», «¿Te interesa…?»): a citizen writing
/// to the office asks about their own case, not about the reader's needs.
const PITCH_OPENERS: [&str; 11] = [
    "necesitas",
    "quieres",
    "buscas",
    "tienes",
    "sabías",
    "sabias",
    "conoces",
    "deseas",
    "te",
    "want",
    "looking",
];

/// A stock line of automatic mail, or a sales pitch's question.
fn is_stock_question(question: &str) -> bool {
    let words: Vec<String> = question
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.is_empty()
        // «¿Ya conoces…?», «¿Todavía no tienes…?»: the pitch's verb within its first three words.
        || words
            .iter()
            .take(3)
            .any(|w| PITCH_OPENERS.contains(&w.as_str()))
        || words
            .iter()
            .all(|w| STOCK_QUESTION_WORDS.contains(&w.as_str()))
}

/// Local parts of shared mailboxes and automatic senders: an answer there reaches a desk or a machine, not
/// the person who wrote (dots, dashes and case ignored).
const ROLE_MAILBOXES: [&str; 44] = [
    "info",
    "informes",
    "informacion",
    "contacto",
    "contact",
    "contactenos",
    "ventas",
    "sales",
    "marketing",
    "news",
    "newsletter",
    "noticias",
    "boletin",
    "boletines",
    "comunicaciones",
    "prensa",
    "soporte",
    "support",
    "help",
    "helpdesk",
    "ayuda",
    "mesadeayuda",
    "admin",
    "administrador",
    "webmaster",
    "notificaciones",
    "notifications",
    "alertas",
    "alerts",
    "hola",
    "hello",
    "team",
    "equipo",
    "respuestas",
    "suscripciones",
    "subscriptions",
    "mailer",
    "atencionalcliente",
    "servicioalcliente",
    "customerservice",
    "mesadepartes",
    "tramite",
    "tramitedocumentario",
    "consultas",
];

/// True when `Reply-To` names a person's own address other than the sender's: someone waits for the answer there.
pub(crate) fn replies_to_person(from: Option<&str>, reply_to: Option<&str>) -> bool {
    reply_to.is_some_and(|r| Some(r) != from && is_person_address(r))
}

/// True for an address a person reads: not a noreply or bounce address, not a desk's shared mailbox, not a
/// ticketing system's reply address (`reply+…`).
pub(crate) fn is_person_address(address: &str) -> bool {
    let local = address.split('@').next().unwrap_or("").to_lowercase();
    let squashed: String = local.chars().filter(|c| c.is_alphanumeric()).collect();
    address.contains('@')
        && !squashed.is_empty()
        && !is_noreply(address)
        && !squashed.contains("reply")
        && !ROLE_MAILBOXES.contains(&squashed.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_in_spanish_and_english_are_asking() {
        for text in [
            "¿Qué perfil debe tener el usuario que los registra?",
            "¿Se aplica la aprobación ficta?",
            "en cuántos días hábiles debemos registrar la orden?",
            "¿Cómo renuevo mi inscripción",
            "Is the RNP registration required for foreign suppliers?",
            "Quisiera saber el estado de mi trámite.",
            "Solicito la constancia de no estar inhabilitado.",
            "Could you confirm the deadline.",
        ] {
            assert!(asks_something(text), "{text}");
        }
    }

    #[test]
    fn stock_lines_links_and_quoted_questions_are_not_asking() {
        for text in [
            "Se registró su documento con el expediente 2026-031877.",
            "¿Necesitas ayuda? Visita nuestro centro de ayuda.",
            "¿Tienes dudas? Escríbenos.",
            "Questions? Need help?",
            "Hola! Necesitas capital de trabajo para ejecutar tu obra? Escríbenos.",
            "¿Te interesa participar? Inscríbete aquí.",
            "¿Ya conoces nuestro nuevo diplomado? Inscríbete.",
            "¿Todavía no tienes tu carta fianza?",
            "Ver en https://portal.example/tramite?id=3&x=4",
            "Rosa te envió un mensaje en el chat: «¿Revisaste las consultas pendientes?»",
            "Por favor no responda a este mensaje.",
            "",
        ] {
            assert!(!asks_something(text), "{text}");
        }
    }

    #[test]
    fn a_persons_reply_to_is_a_person_but_a_desk_or_a_machine_is_not() {
        for a in [
            "jefe.logistica@munivillarica.example",
            "edwin.ccori@gmail.com",
            "yflores@hospital.example",
        ] {
            assert!(is_person_address(a), "{a}");
        }
        for a in [
            "noreply@x.pe",
            "info@empresa.pe",
            "Contacto@empresa.pe",
            "mesa-de-partes@entidad.gob.pe",
            "reply+ab12cd@reply.tickets.example",
            "bounces+1@sendgrid.net",
            "sin-arroba",
        ] {
            assert!(!is_person_address(a), "{a}");
        }
    }

    #[test]
    fn person_signs_are_each_counted() {
        let signs = person_signs(&PersonInput {
            from: Some("noresponder@muni.example"),
            reply_to: Some("jefe.logistica@muni.example"),
            text: "¿Qué perfil debe tener el usuario?",
            signed: true,
        });
        assert_eq!(
            signs,
            vec![
                PersonSign::Question,
                PersonSign::PersonReplyTo,
                PersonSign::Signature
            ]
        );
        // A Reply-To that is the sender itself names no one new.
        let same = person_signs(&PersonInput {
            from: Some("juan@x.pe"),
            reply_to: Some("juan@x.pe"),
            text: "Adjunto el documento.",
            signed: false,
        });
        assert!(same.is_empty());
    }
}
