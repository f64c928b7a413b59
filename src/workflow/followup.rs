//! Answers to triaje's own mail and later messages of a conversation: a citizen rating the reply with a number,
//! and what a citizen's message in an existing consultation's thread is (added information, a follow-up question,
//! a bare thanks). Pure reading of what the person wrote. (The supervisor's verdict on a Legal reply is read in
//! [`super::verdict`].)

/// The rating in a citizen's answer to the survey: a single number from 1 to 5 (or its word), optionally with
/// «estrellas», «de 5» / «/5», and courtesy around it («Le doy 5 estrellas, muchas gracias», «5. Saludos, Rosa»).
/// Anything else — a second number, a question, new information — is the conversation going on, not a rating.
pub fn rating_in(fresh_text: &str) -> Option<u8> {
    if fresh_text.contains('?') || fresh_text.contains('¿') {
        return None;
    }
    // «una estrella» is one star; «una» alone is an article.
    let text = fresh_text
        .to_lowercase()
        .replace("/5", " de 5")
        .replace("una estrella", "1 estrella");
    let mut words: Vec<String> = words_of(&text);
    // «3 de 5»: the scale is not a second number.
    if let Some(at) = words.windows(2).position(|w| w[0] == "de" && w[1] == "5") {
        words.drain(at..at + 2);
    }
    let mut rating = None;
    let mut others = 0;
    for w in &words {
        let n = match w.as_str() {
            "1" | "uno" => Some(1),
            "2" | "dos" => Some(2),
            "3" | "tres" => Some(3),
            "4" | "cuatro" => Some(4),
            "5" | "cinco" => Some(5),
            _ => None,
        };
        match n {
            Some(n) => {
                if rating.replace(n).is_some() {
                    return None;
                }
            }
            None if RATING_WORDS.contains(&w.as_str()) || COURTESY.contains(&w.as_str()) => {
                others += 1;
            }
            None => return None,
        }
    }
    // A rating is short: a number and a few words of courtesy, not a letter.
    rating.filter(|_| others <= 12)
}

/// Words that may surround a rating besides courtesy.
const RATING_WORDS: &[&str] = &[
    "estrella",
    "estrellas",
    "doy",
    "pongo",
    "califico",
    "calificacion",
    "calificamos",
    "puntaje",
    "nota",
    "es",
    "mi",
    "punto",
    "puntos",
];

/// What a message in an existing consultation's thread is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InThread {
    /// The same message, delivered to another of the office's mailboxes too: one attention, answered once.
    Copy,
    /// A bare thanks («Muchas gracias», «ok, recibido»), an automatic answer or the office's own mail in the
    /// thread: closes nothing, opens nothing.
    Thanks,
    /// More information while the consultation is open: filed beside it, part of the same attention.
    Addition,
    /// A new question after the answer: the conversation reopens as a follow-up, an attention of its own
    /// with its own deadline counted from this message's arrival.
    FollowUp,
}

/// What the decision looks at.
#[derive(Debug, Clone)]
pub struct ThreadFacts<'a> {
    /// The message is the very message already recorded in another mailbox (same `Message-ID`).
    pub copy: bool,
    /// A machine sent it (an out-of-office answering the acknowledgement, say).
    pub automatic: bool,
    /// The office sent it (one of its mailboxes, the supervisor): a copy of its own mail in the thread, never a
    /// citizen's question.
    pub from_office: bool,
    /// What the citizen wrote now (no quote, no signature).
    pub fresh_text: &'a str,
    /// Whether the conversation has an attention still waiting for its answer.
    pub open: bool,
}

/// Decides what a message of an existing conversation is. A message with nothing but courtesy in it never
/// opens anything, whatever its quoted subject says; anything else after the answer is a follow-up (a
/// citizen's words are never dropped: an empty text with documents attached still reaches a person).
pub fn in_thread(f: &ThreadFacts<'_>) -> InThread {
    if f.copy {
        InThread::Copy
    } else if f.automatic || f.from_office || is_bare_thanks(f.fresh_text) {
        InThread::Thanks
    } else if f.open {
        InThread::Addition
    } else {
        InThread::FollowUp
    }
}

/// Words of courtesy: a message made only of these (and a signature) asks nothing.
const COURTESY: &[&str] = &[
    "a",
    "acuerdo",
    "agradecemos",
    "agradecida",
    "agradecidas",
    "agradecido",
    "agradecidos",
    "agradezco",
    "al",
    "amabilidad",
    "amable",
    "apoyo",
    "atencion",
    "atenciones",
    "atenta",
    "atentamente",
    "atento",
    "ayuda",
    "bendiciones",
    "bien",
    "buen",
    "buena",
    "buenas",
    "bueno",
    "buenos",
    "claro",
    "conforme",
    "cordial",
    "cordiales",
    "cordialmente",
    "correcto",
    "de",
    "del",
    "dia",
    "dias",
    "el",
    "en",
    "entendido",
    "entendida",
    "equipo",
    "estimada",
    "estimadas",
    "estimado",
    "estimados",
    "excelente",
    "fue",
    "genial",
    "gentileza",
    "gracias",
    "hola",
    "informacion",
    "la",
    "le",
    "les",
    "listo",
    "lo",
    "me",
    "mil",
    "mucha",
    "muchas",
    "muchisimas",
    "mucho",
    "muy",
    "noche",
    "noches",
    "nuevamente",
    "ok",
    "okey",
    "okay",
    "oka",
    "perfecto",
    "perfecta",
    "por",
    "pronta",
    "quedo",
    "quedamos",
    "rapida",
    "recibida",
    "recibido",
    "recibi",
    "respuesta",
    "saludo",
    "saludos",
    "senor",
    "senora",
    "senores",
    "senorita",
    "servido",
    "sirvio",
    "su",
    "sus",
    "tarde",
    "tardes",
    "thank",
    "thanks",
    "thx",
    "todo",
    "un",
    "una",
    "util",
    "vale",
    "y",
    "you",
];

/// Words that make a courteous message a thanks (at least one must be there).
const THANKS: &[&str] = &[
    "agradecemos",
    "agradecida",
    "agradecidas",
    "agradecido",
    "agradecidos",
    "agradezco",
    "conforme",
    "entendido",
    "entendida",
    "gracias",
    "listo",
    "ok",
    "okey",
    "okay",
    "oka",
    "perfecto",
    "recibi",
    "recibida",
    "recibido",
    "thank",
    "thanks",
    "thx",
    "vale",
];

/// Whether a citizen's text is only a thanks or an acknowledgement of receipt («Muchas gracias», «Ok,
/// recibido», «Gracias por la pronta respuesta. Saludos, Juan Pérez»): courtesy words only (accents and case
/// ignored), at least one of them a thanks, no question, optionally followed by a short signature (a name, a
/// role, a phone number).
pub fn is_bare_thanks(fresh_text: &str) -> bool {
    if fresh_text.contains('?') || fresh_text.contains('¿') {
        return false;
    }
    let lines: Vec<&str> = fresh_text
        .lines()
        .map(str::trim)
        .filter(|l| l.chars().any(char::is_alphanumeric))
        .collect();
    let mut courtesy_words = 0;
    let mut thanks = false;
    let mut signature_lines = 0;
    for line in &lines {
        let words = words_of(line);
        if signature_lines == 0 && words.iter().all(|w| COURTESY.contains(&w.as_str())) {
            courtesy_words += words.len();
            thanks |= words.iter().any(|w| THANKS.contains(&w.as_str()));
            continue;
        }
        // After the courtesy, only a short signature may follow.
        if courtesy_words == 0 || !looks_like_signature(line) {
            return false;
        }
        signature_lines += 1;
        if signature_lines > 4 {
            return false;
        }
    }
    thanks && courtesy_words <= 30
}

/// Lower-case words without accents or punctuation.
fn words_of(line: &str) -> Vec<String> {
    line.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().chars().map(unaccented).collect())
        .collect()
}

/// `á` → `a`, `ñ` → `n`, … (the vowels and the eñe Spanish uses).
fn unaccented(c: char) -> char {
    match c {
        'á' | 'à' | 'ä' | 'â' => 'a',
        'é' | 'è' | 'ë' | 'ê' => 'e',
        'í' | 'ì' | 'ï' | 'î' => 'i',
        'ó' | 'ò' | 'ö' | 'ô' => 'o',
        'ú' | 'ù' | 'ü' | 'û' => 'u',
        'ñ' => 'n',
        other => other,
    }
}

/// A line of a signature: a name or role (every word capitalised, short connectors aside), a phone or
/// document number, or an address. Never a sentence.
fn looks_like_signature(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return false;
    }
    if line.contains('@') && words.len() <= 3 {
        return true;
    }
    let digits = line.chars().filter(char::is_ascii_digit).count();
    if digits >= 6 && words.len() <= 4 {
        return true;
    }
    let connectors = [
        "de", "del", "la", "las", "los", "y", "e", "s.a.c.", "s.a.", "e.i.r.l.",
    ];
    digits == 0
        && words.iter().all(|w| {
            connectors.contains(&w.to_lowercase().as_str())
                || w.chars()
                    .find(|c| c.is_alphabetic())
                    .is_some_and(char::is_uppercase)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_number_is_a_rating() {
        assert_eq!(rating_in("4"), Some(4));
        assert_eq!(rating_in(" 5 estrellas.\n"), Some(5));
        assert_eq!(rating_in("3 de 5"), Some(3));
        assert_eq!(rating_in("Cuatro"), Some(4));
    }

    #[test]
    fn a_number_with_courtesy_around_it_is_a_rating() {
        assert_eq!(rating_in("Le doy 5 estrellas, muchas gracias."), Some(5));
        assert_eq!(rating_in("4/5\nSaludos cordiales"), Some(4));
        assert_eq!(rating_in("Mi calificación es 3. Gracias"), Some(3));
        assert_eq!(rating_in("una estrella"), Some(1));
    }

    #[test]
    fn a_question_or_two_numbers_is_not_a_rating() {
        assert_eq!(rating_in("¿5 días hábiles?"), None);
        assert_eq!(rating_in("Le doy 4 o 5"), None);
        assert_eq!(rating_in("Gracias, tengo 2 consultas más"), None);
        assert_eq!(
            rating_in("5 estrellas pero no me llegó el certificado"),
            None
        );
    }

    #[test]
    fn anything_else_is_not() {
        assert_eq!(rating_in("6"), None);
        assert_eq!(rating_in("0"), None);
        assert_eq!(rating_in("Tengo 2 preguntas más sobre el RNP"), None);
        assert_eq!(rating_in(""), None);
    }

    #[test]
    fn courtesy_alone_is_a_thanks() {
        for text in [
            "Muchas gracias",
            "ok, recibido",
            "OK",
            "Gracias por la pronta respuesta.\n\nSaludos cordiales,\nJuan Pérez Quispe",
            "Muchísimas gracias por su atención 🙏",
            "Recibido, muchas gracias.\nAtentamente,\nMaría del Carmen Rojas\nGerente General\nCel. 987 654 321",
            "Perfecto, entendido. Gracias!",
            "Buenas tardes, conforme. Saludos",
        ] {
            assert!(is_bare_thanks(text), "{text}");
        }
    }

    #[test]
    fn a_question_or_new_information_is_not_a_thanks() {
        for text in [
            "Gracias. ¿Y cuánto demora la renovación?",
            "Muchas gracias\nPero todavía no me llega la constancia",
            "Gracias, adjunto el voucher de pago",
            "Hola",
            "Saludos cordiales",
            "",
            "Gracias, pero el sistema sigue sin dejarme ingresar con mi RUC 20123456789",
            "ok gracias, y qué pasa si no renuevo",
        ] {
            assert!(!is_bare_thanks(text), "{text}");
        }
    }

    #[test]
    fn a_thread_message_is_a_copy_a_thanks_an_addition_or_a_followup() {
        let facts = |copy, automatic, text, open| ThreadFacts {
            copy,
            automatic,
            from_office: false,
            fresh_text: text,
            open,
        };
        let from_office = ThreadFacts {
            from_office: true,
            ..facts(
                false,
                false,
                "Adjunto la respuesta enviada al ciudadano.",
                false,
            )
        };
        assert_eq!(in_thread(&from_office), InThread::Thanks);
        assert_eq!(in_thread(&facts(true, false, "Hola", true)), InThread::Copy);
        assert_eq!(
            in_thread(&facts(
                false,
                true,
                "Estoy de vacaciones hasta el lunes",
                false
            )),
            InThread::Thanks
        );
        assert_eq!(
            in_thread(&facts(false, false, "Muchas gracias", false)),
            InThread::Thanks
        );
        assert_eq!(
            in_thread(&facts(false, false, "Muchas gracias", true)),
            InThread::Thanks
        );
        assert_eq!(
            in_thread(&facts(
                false,
                false,
                "Le envío mi número de RUC: 20123456789",
                true
            )),
            InThread::Addition
        );
        assert_eq!(
            in_thread(&facts(false, false, "¿Y para renovar?", false)),
            InThread::FollowUp
        );
        assert_eq!(
            in_thread(&facts(false, false, "", false)),
            InThread::FollowUp
        );
    }

    /// Measured on `tests/thanks/held_out.txt`, written after this classifier was frozen and never used to tune
    /// it. The costly mistake is a question taken for a thanks (nobody would read it), so none is allowed; a
    /// thanks taken for a question only costs an assistant a look.
    #[test]
    fn held_out_citizen_answers_never_lose_a_question() {
        let corpus = include_str!("../../tests/thanks/held_out.txt");
        let body: String = corpus
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        let (mut thanks_right, mut thanks_total, mut lost) = (0, 0, Vec::new());
        for block in body.split("\n----\n") {
            let (label, text) = block.trim().split_once('\n').expect("label and text");
            match label.trim() {
                "thanks" => {
                    thanks_total += 1;
                    thanks_right += usize::from(is_bare_thanks(text));
                    if !is_bare_thanks(text) {
                        eprintln!("thanks not recognised: {text:?}");
                    }
                }
                "asks" if is_bare_thanks(text) => lost.push(text.to_string()),
                "asks" => {}
                other => panic!("unknown label {other}"),
            }
        }
        eprintln!("held-out thanks recognised: {thanks_right}/{thanks_total}; questions taken for thanks: {}", lost.len());
        assert!(lost.is_empty(), "questions taken for a thanks: {lost:?}");
    }
}
