//! Where a word was found, and what it is worth there.
//!
//! The citizen's new text and the subject of a first message are what the message is about. The subject of a
//! reply or a forward (`RE:`, `RV:`, `Fwd:`) is the thread's old topic: «RE: Clave del SEACE» over a new
//! question about a guarantee must not decide by itself, so a word found only there is worth less. Quoted
//! text and the signature are already cut from the new text (`mail::fresh_text`); a legal disclaimer under the
//! citizen's words («AVISO DE CONFIDENCIALIDAD: este mensaje…», full of legal vocabulary) is cut here, so it
//! counts for nothing, and so does a clause that says what the writer is *not* asking («No quiero saber cómo se
//! registra en el sistema», «no le estoy preguntando si es legal»): its words name the topic set aside.

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::matcher::normalize;

/// Whether `subject` is the subject of a reply or a forward: `RE:`, `Re :`, `RV:`, `RES:`, `Rpta:`, `FW:`,
/// `Fwd:`, `TR:`, `AW:`, `SV:`, possibly after a tag in brackets (`[EXTERNO] RE: …`).
pub fn is_reply_subject(subject: &str) -> bool {
    let mut s = subject.trim_start();
    // Tags a mail gateway puts in front: «[EXTERNO]», «[SPAM?]».
    while let Some(rest) = s.strip_prefix('[') {
        match rest.find(']') {
            Some(end) => s = rest[end + 1..].trim_start(),
            None => break,
        }
    }
    let word_end = s
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(s.len());
    let (word, rest) = s.split_at(word_end);
    const PREFIXES: [&str; 11] = [
        "re", "rv", "res", "rpta", "resp", "fw", "fwd", "tr", "aw", "sv", "reenv",
    ];
    PREFIXES.iter().any(|p| p.eq_ignore_ascii_case(word)) && rest.trim_start().starts_with(':')
}

/// The thanks or acknowledgement that says nothing new: «Muchas gracias, ya encontré todo», «Ok, recibido. Quedo
/// atento. Gracias.» (on normalised text).
static COURTESY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:gracias|agradec\w*|recibido|entendido|quedo atent[oa]|quedamos atent[oa]s)\b")
        .expect("valid regex")
});

/// The most words a courtesy-only new text has: a thanks with its greeting, its «ya pude ingresar» and its
/// blessing; a longer text tells something new.
const COURTESY_WORDS: usize = 25;

/// Whether the citizen's new text (normalised) only thanks or acknowledges: a courtesy word, no question, and a
/// few words at most. Then a reply's subject is the thread's old topic and nothing else (guide of
/// `tests/routing`, principles 1 and 6: «a vague body with no topic is Por clasificar whatever its subject»), so
/// it counts for nothing, for the rules and for the learned opinion alike.
pub fn only_courtesy(normalized: &str) -> bool {
    !normalized.contains('?')
        && normalized
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .count()
            <= COURTESY_WORDS
        && COURTESY.is_match(normalized)
}

/// Words that appear in nearly every disclaimer; a text without any of them has none, and costs one scan.
static DISCLAIMER_MARKERS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([
            "confidencial",
            // English and Portuguese notices of foreign firms: «This e-mail … is confidential», «Esta
            // mensagem … confidencial» (the Spanish word covers the Portuguese one).
            "confidential",
            // «destinatario», «destinataria».
            "destinatari",
            "disclaimer",
            "medio ambiente",
            "recipient",
            "privilegiad",
            "privileged",
            "aviso legal",
            "imprimir",
            // An institution's notice that it takes no position («no constituye pronunciamiento»), and the
            // footer a web form or a relay adds («Mensaje generado automáticamente…», «No responda…»).
            "pronunciamiento",
            "no emite opini",
            "automáticamente",
            "automaticamente",
            "no responda",
        ])
        .expect("fixed patterns build")
});

/// A piece of each of those words, searched in the normalised text (lower-case ASCII, no accents, single
/// spaces): every occurrence of a word in the original is one of its piece there. The pieces start with letters
/// rare in Spanish («fid», «tin», «scl»), where the full words stopped a prefilter at every «con» and «des».
///
/// The alternation is not searched as one ([`may_have_disclaimer`] answers whether one of its pieces occurs): a
/// packed search of all 56 pieces (Fat Teddy, half as fast as the slim one) stopped at every «cons» of
/// «consultar» for the label «consulta:» and at every «no e», 27 k instructions a message on the rule bench.
/// The pieces are of three kinds, each looked for its own way: the words of a disclaimer ([`DISCLAIMER_WORDS`],
/// a slim packed search), the labels of a form (at each «:», [`has_form_label`]) and the pieces that start with
/// «no » (at each «no », [`has_after_no`]).
#[cfg(test)]
static ALL_MARKER_PIECES: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{NORMALIZED_DISCLAIMER_PIECES}|{NORMALIZED_FORM_PIECES}|no le estoy|no les estoy|no te estoy|no estoy preg|no estoy cons|no estamos|no pregunto|no consulto|no quiero|no queremos|no necesit|no me interesa|no nos interesa|no busc|no pienso|no pensamos|no voy a|no vamos a|no les pregunt|no le pregunt|no nos pregunt|no es |no son |no se trata|no tengo|no tenemos|no hay ",
    )
});

/// The pieces of `NORMALIZED_DISCLAIMER_PIECES` that do not start with «no », searched by a packed SIMD search
/// ([`Pieces`]; the regex crate ran such an alternation as its lazy DFA behind a prefilter of shortened pieces,
/// returning to the DFA at every candidate).
static DISCLAIMER_WORDS: LazyLock<Pieces> = LazyLock::new(|| {
    Pieces::new(
        "fidencial|fidential|tinatari|sclaimer|medio ambiente|pient|vilegi|vileged|aviso legal|imprimir|pronunciamiento|automaticamente",
    )
});

/// What follows «no » in the pieces of `NORMALIZED_DISCLAIMER_PIECES` that start with it.
const DISCLAIMER_AFTER_NO: &[&[u8]] = &[b"emite opini", b"responda"];

/// What follows «no » in the openings of a set-aside clause ([`SET_ASIDE`]; the last pieces of
/// `ALL_MARKER_PIECES`).
const SET_ASIDE_AFTER_NO: &[&[u8]] = &[
    b"le estoy",
    b"les estoy",
    b"te estoy",
    b"estoy preg",
    b"estoy cons",
    b"estamos",
    b"pregunto",
    b"consulto",
    b"quiero",
    b"queremos",
    b"necesit",
    b"me interesa",
    b"nos interesa",
    b"busc",
    b"pienso",
    b"pensamos",
    b"voy a",
    b"vamos a",
    b"les pregunt",
    b"le pregunt",
    b"nos pregunt",
    b"es ",
    b"son ",
    b"se trata",
    b"tengo",
    b"tenemos",
    b"hay ",
];

/// Whether «no » followed by one of `tails` occurs in `text`: at each «no » (`memmem`, a few in a text), the
/// bytes after it compared.
fn has_after_no(text: &[u8], tails: &[&[&[u8]]]) -> bool {
    memchr::memmem::find_iter(text, b"no ").any(|at| {
        let rest = &text[at + 3..];
        tails
            .iter()
            .flat_map(|t| t.iter())
            .any(|t| rest.starts_with(t))
    })
}

/// The labels of a form's free-text field in `NORMALIZED_FORM_PIECES`, without their colon.
const FORM_LABELS: &[&[u8]] = &[
    b"mensaje",
    b"detalle",
    b"consulta",
    b"descripcion",
    b"comentario",
    b"comentarios",
    b"pregunta",
];

/// Whether a piece of `NORMALIZED_FORM_PIECES` occurs in `text`: a label right before a «:» or before the space
/// before it. Colons are few, where «consulta» is in most messages.
fn has_form_label(text: &[u8]) -> bool {
    memchr::memchr_iter(b':', text).any(|colon| {
        let before = &text[..colon];
        let spaced = before.strip_suffix(b" ");
        FORM_LABELS
            .iter()
            .any(|l| before.ends_with(l) || spaced.is_some_and(|b| b.ends_with(l)))
    })
}

/// Plain pieces (an alternation `a|b|…` of literals), any of which may occur anywhere in a text.
enum Pieces {
    /// The packed search (Teddy where the processor has it).
    Packed(aho_corasick::packed::Searcher),
    /// The same pieces as a regex, where the packed search cannot be built: compiled only then, since a
    /// regex of a few dozen literals costs its compilation at the first message for nothing otherwise.
    Regex(Regex),
}

impl Pieces {
    /// The pieces of `alternation` (literals separated by `|`, without regex syntax).
    fn new(alternation: &str) -> Pieces {
        match aho_corasick::packed::Searcher::new(alternation.split('|')) {
            Some(packed) => Pieces::Packed(packed),
            None => Pieces::Regex(Regex::new(alternation).expect("valid regex")),
        }
    }

    /// Whether one of the pieces occurs in `text`.
    fn found_in(&self, text: &str) -> bool {
        match self {
            Pieces::Packed(packed) => packed.find(text).is_some(),
            Pieces::Regex(regex) => regex.is_match(text),
        }
    }
}

/// False when the normalised form of a text has none of the words every disclaimer has, nor the opening of
/// a set-aside clause ([`SET_ASIDE`]): then
/// [`without_disclaimers`] would return the text unchanged, and the routing, which has the normalised text
/// anyway, skips it.
pub(crate) fn may_have_disclaimer(normalized: &str) -> bool {
    let text = normalized.as_bytes();
    has_after_no(text, &[SET_ASIDE_AFTER_NO, DISCLAIMER_AFTER_NO])
        || has_form_label(text)
        || DISCLAIMER_WORDS.found_in(normalized)
}

/// The pieces of [`ALL_MARKER_PIECES`] that stand for [`DISCLAIMER_MARKERS`] alone (not the set-aside
/// openings): every occurrence of a disclaimer word in the original is one of these in the normalised text.
#[cfg(test)]
const NORMALIZED_DISCLAIMER_PIECES: &str =
    "fidencial|fidential|tinatari|sclaimer|medio ambiente|pient|vilegi|vileged|aviso legal|imprimir|pronunciamiento|no emite opini|automaticamente|no responda";

/// False when the normalised form of a text has none of the words every disclaimer has: then
/// [`without_disclaimer_paragraphs`] keeps the text whole without searching the original for them. Most texts
/// [`may_have_disclaimer`] lets through only say «no es» or «no hay»: the original's case-insensitive search
/// for «confidencial» or «destinatario» stopped at every «con» and «des» of them (4 % of the rule bench).
pub(crate) fn may_have_disclaimer_paragraph(normalized: &str) -> bool {
    has_after_no(normalized.as_bytes(), &[DISCLAIMER_AFTER_NO])
        || DISCLAIMER_WORDS.found_in(normalized)
}

/// How a disclaimer paragraph starts (on normalised text: lower case, no accents).
static DISCLAIMER_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^[^a-z0-9]*(?:
            (?:aviso|nota|clausula|advertencia|declaracion|politica)\ (?:legal|de\ confidencialidad|de\ privacidad|de\ reserva)
          | confidencialidad | confidencial: | confidential | disclaimer | privileged | aviso:
          | (?:este|el\ presente|esta)\ (?:mensaje|mensagem|correo|e[\ -]?mail|comunicacion|comunicacao)\b.{0,120}\b(?:confidencial|privilegiad|reservad|destinatari|uso\ exclusivo|dirigido\ exclusivamente)
          | la\ informacion\ (?:contenida|transmitida|incluida|de\ este)\b
          | si\ (?:usted\ )?(?:no\ es\ (?:el\ )?destinatario|ha\ recibido\ (?:este|esta)|recibio\ (?:este|esta)|por\ error)
          | (?:por\ favor\ |favor\ )?(?:piense|considere|antes\ de\ imprimir|no\ imprima)
          | (?:the|this)\ (?:information|message|e[\ -]?mail|communication|transmission)\b.{0,80}\b(?:confidential|privileged|intended)
          | if\ you\ (?:are\ not|have\ received)
          # An institution's notice under an oficio or a forward: «El presente documento se emite en el marco de
          # la Ley N.° 27785 y no constituye pronunciamiento sobre la legalidad de contratos…», «La Contraloría no
          # emite opinión sobre…»: the sender's legal position, not the question.
          | (?:el|la|este|esta|los|las)\ (?:presente\ )?[a-z]+\b.{0,100}\bno\ (?:constituye|implica|representa|supone|emite)\ (?:un\ |una\ |ningun\ |ninguna\ )?(?:pronunciamiento|opinion)
          # The footer a web form or a relay adds under the citizen's message.
          | (?:este\ )?(?:mensaje|correo|e\ ?mail|email|formulario)\ (?:fue\ |ha\ sido\ |se\ )?(?:generado|enviado|envio|genero)\b.{0,40}\b(?:automaticamente|a\ traves|por\ el\ formulario|desde\ el\ formulario|mediante)
          | (?:por\ favor\ )?no\ responda\b
        )",
    )
    .expect("valid regex")
});

/// What the writer says they are *not* asking or doing, up to the end of its clause: «No le estoy preguntando
/// si la nulidad es legal», «No quiero saber cómo se registra la liquidación en el sistema», «no quiero poner
/// ninguna denuncia ni queja legal». The words there name the topic the writer sets aside, so they must not
/// file the message in its folder (issue 16: «one incidental word decides»). The clause ends at `.`, `;`,
/// `,`, `?`, `!` or the end of the line, so what follows («…, eso lo ve la entidad. Mi pregunta: …») counts.
static SET_ASIDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)\bno\ (?:
            (?:le\ |les\ |te\ )?(?:estoy|estamos)\ (?:preguntando|consultando)
          | (?:le\ |les\ |te\ |nos\ )?(?:pregunto|consulto|preguntamos|consultamos)
          # «No es un problema del sistema», «mi consulta no es del SEACE ni del RNP», «no es sobre mi inscripción»:
          # the platform or the registry named to say the question is not about it.
          | (?:es|son|se\ trata\ de)\ (?:(?:un|una)\ )?(?:(?:problema|tema|consulta|pregunta|duda|asunto|falla|error|tr[aá]mite)\ )?
            (?:del|de\ la|de\ mi|sobre\ el|sobre\ la|sobre\ mi|con\ el|con\ la|con\ mi)\ (?:
              sistema|plataforma|seace|pladicop|p[aá]gina|portal|rnp|registro|inscripci[oó]n|usuario|clave)
          # «No tengo ningún problema con la plataforma», «no tenemos problemas con el SEACE ni con mi registro».
          | (?:tengo|tenemos|hay)\ (?:ning[uú]n\ |ninguna\ )?(?:problemas?|inconvenientes?|fallas?|errores?)\ (?:con|en)\ (?:
              (?:el|la|mi|nuestro|nuestra)\ )?(?:sistema|plataforma|seace|pladicop|p[aá]gina|portal|rnp|registro|inscripci[oó]n|usuario|clave)
          | (?:quiero|queremos|necesito|necesitamos|me\ interesa|nos\ interesa|busco|buscamos)\ saber
          | (?:quiero|queremos|pienso|pensamos|voy\ a|vamos\ a)\ (?:poner|presentar|hacer|iniciar|interponer|formular)
            \ (?:ninguna\ |ningun\ |ningún\ |una\ |un\ )?(?:denuncia|queja|reclamo|demanda|recurso|apelaci[oó]n)
        )\b[^.;,?!\n]*",
    )
    .expect("valid regex")
});

/// The labels of a relayed web form's free-text field, in one of which every form that [`without_form_fields`]
/// reads has the citizen's words (on normalised text: «mensaje:», «detalle :»; [`FORM_MESSAGE_FIELD`] allows a
/// space before the colon). Plain literals, looked for by [`has_form_label`].
#[cfg(test)]
const NORMALIZED_FORM_PIECES: &str = "mensaje:|mensaje :|detalle:|detalle :|consulta:|consulta :|descripcion:|descripcion :|comentario:|comentario :|comentarios:|comentarios :|pregunta:|pregunta :";

/// False when the normalised form of a text has no label of a form's free-text field ([`has_form_label`]): then
/// [`without_form_fields`] would find no form, and [`without_disclaimers_checked`] does not look for one. Every
/// text [`without_form_fields`] reads as a form has one (its [`FORM_MESSAGE_FIELD`] line), so where there is
/// none the lines need not be normalised and matched one by one. Most texts [`may_have_disclaimer`] lets
/// through only say «no es» or «no hay».
pub(crate) fn may_have_form(normalized: &str) -> bool {
    has_form_label(normalized.as_bytes())
}

/// A form's line that identifies the asker or the channel (on a normalised line): «Nombre: Juan», «DNI/RUC:
/// 10098723411», «Teléfono: …», «Entidad: OECE», «Servicio: Consultas a entidades», «Ciudadano: …».
static FORM_IDENTITY_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^[^a-z0-9]*(?:
            nombres?(?:\ completos?|\ y\ apellidos)? | apellidos? | razon\ social
          | (?:tipo\ de\ |numero\ de\ |nro\.?\ de\ |n\.?\ de\ )?documento(?:\ de\ identidad)?
          | dni | ruc | dni\ ?/\ ?ruc | ruc\ ?/\ ?dni | dni\ o\ ruc
          | telefono(?:\ ?/\ ?celular)? | celular | correo(?:\ electronico)? | e-?mail
          | entidad | servicio | ciudadan[oa] | solicitante | remitente
          | departamento | provincia | distrito | region | fecha | hora | canal | direccion
        )\ ?:",
    )
    .expect("valid regex")
});

/// A form's topic chosen from a list (on a normalised line): «Tema seleccionado: Otros», «Asunto elegido por el
/// ciudadano: Registro Nacional de Proveedores».
static FORM_TOPIC_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[^a-z0-9]*(?:tema(?: seleccionado| elegido)?|asunto(?: elegido| seleccionado)?(?: por el ciudadano| por la ciudadana| por el usuario)?|categoria|motivo|tipo de consulta|materia) ?:",
    )
    .expect("valid regex")
});

/// A form's free-text field (on a normalised line): «Mensaje: …», «Detalle:».
static FORM_MESSAGE_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[^a-z0-9]*(?:mensaje|detalle(?: de (?:la )?consulta)?|consulta|su consulta|descripcion|comentarios?|pregunta) ?:",
    )
    .expect("valid regex")
});

/// The fewest words of free text that speak for themselves: under them the chosen topic is kept, as a subject
/// counts when the body is silent.
const FORM_SILENT_WORDS: usize = 4;

/// A web form relayed by the agency's site or gob.pe («Nombre: … DNI/RUC: … Tema seleccionado: … Mensaje: …»)
/// read as the citizen's question: the fields that identify the asker or the channel count for nothing, the
/// label of the free-text field goes, and the topic chosen from a list counts only when the free text is
/// silent (guide of `tests/routing`, principle 6: the subject decides only when the body is silent — the form's
/// topic is often generic or wrong: «Otros», «Registro Nacional de Proveedores» over a SEACE question). `None`
/// when `text` is not such a form: a free-text field and at least two identifying fields.
fn without_form_fields(text: &str) -> Option<String> {
    enum Field {
        Identity,
        Topic,
        Message(usize),
        Other,
    }
    let lines: Vec<(&str, Field)> = text
        .lines()
        .map(|line| {
            let n = normalize(line);
            let field = if FORM_MESSAGE_FIELD.is_match(&n) {
                Field::Message(line.find(':').map_or(0, |c| c + 1))
            } else if FORM_IDENTITY_FIELD.is_match(&n) {
                Field::Identity
            } else if FORM_TOPIC_FIELD.is_match(&n) {
                Field::Topic
            } else {
                Field::Other
            };
            (line, field)
        })
        .collect();
    let identities = lines
        .iter()
        .filter(|(_, f)| matches!(f, Field::Identity))
        .count();
    let message_at = lines
        .iter()
        .position(|(_, f)| matches!(f, Field::Message(_)))?;
    if identities < 2 {
        return None;
    }
    // The free text: from the message field's label to the end.
    let free_words: usize = lines[message_at..]
        .iter()
        .filter(|(_, f)| matches!(f, Field::Message(_) | Field::Other))
        .map(|(line, f)| {
            let from = if let Field::Message(c) = f { *c } else { 0 };
            line[from..].split_whitespace().count()
        })
        .sum();
    let mut kept = String::with_capacity(text.len());
    for (line, field) in &lines {
        match field {
            Field::Identity => continue,
            Field::Topic if free_words >= FORM_SILENT_WORDS => continue,
            Field::Message(c) => kept.push_str(line[*c..].trim_start()),
            Field::Topic | Field::Other => kept.push_str(line),
        }
        kept.push('\n');
    }
    Some(kept)
}

/// `text` without what the writer says they are not asking ([`SET_ASIDE`]), or `None` when it says nothing
/// of the kind.
fn without_set_asides(text: &str) -> Option<String> {
    SET_ASIDE
        .is_match(text)
        .then(|| SET_ASIDE.replace_all(text, "").into_owned())
}

/// What of the citizen's new text counts for the routing: without the disclaimer paragraphs under their
/// words ([`without_disclaimer_paragraphs`]) and without what they say they are not asking ([`SET_ASIDE`]).
pub fn without_disclaimers(text: &str) -> Cow<'_, str> {
    without_disclaimers_checked(text, true, true)
}

/// [`without_disclaimers`], told whether the text may hold a disclaimer paragraph at all
/// ([`may_have_disclaimer_paragraph`] of its normalised form) and a relayed form ([`may_have_form`]): what it
/// may not hold is not looked for.
pub(crate) fn without_disclaimers_checked(
    text: &str,
    paragraphs: bool,
    forms: bool,
) -> Cow<'_, str> {
    let kept = if paragraphs {
        without_disclaimer_paragraphs(text)
    } else {
        Cow::Borrowed(text)
    };
    let kept = match forms.then(|| without_form_fields(&kept)).flatten() {
        Some(read) => Cow::Owned(read),
        None => kept,
    };
    match without_set_asides(&kept) {
        Some(cut) => Cow::Owned(cut),
        None => kept,
    }
}

/// `text` without the disclaimer paragraphs that follow the citizen's own words: from a line that starts a
/// disclaimer to the next blank line. A disclaimer in the very first line is kept (there is nothing else to
/// read, and it may be the citizen's question about confidentiality).
fn without_disclaimer_paragraphs(text: &str) -> Cow<'_, str> {
    if DISCLAIMER_MARKERS.find(text).is_none() {
        return Cow::Borrowed(text);
    }
    let mut kept = String::with_capacity(text.len());
    let mut seen_words = false;
    let mut cutting = false;
    let mut cut_any = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            cutting = false;
            kept.push('\n');
            continue;
        }
        if !cutting && seen_words && DISCLAIMER_START.is_match(&normalize(line)) {
            cutting = true;
            cut_any = true;
        }
        if cutting {
            continue;
        }
        seen_words = true;
        kept.push_str(line);
        kept.push('\n');
    }
    if cut_any {
        Cow::Owned(kept)
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gates_find_what_the_regex_of_their_pieces_finds() {
        let texts = [
            "",
            "no",
            "no ",
            ":",
            " :",
            "buenos dias, no es un tema del sistema",
            "este mensaje es confidencial",
            "mensaje : hola",
            "mensaje: hola",
            "consulta:",
            "consultar: algo",
            "quiero consultar sobre el tema",
            "comentarios : x",
            "mi pregunta es esta",
            "la pregunta :",
            "no hay",
            "no hay respuesta",
            "nono hay ",
            "bueno es ",
            "no responda este correo",
            "la entidad no emite opinion",
            "no emite",
            "el destinatario recipient",
            "nada de eso aqui",
            "aviso legal",
            "no no quiero",
        ];
        for text in texts {
            for (gate, alternation) in [
                (
                    may_have_disclaimer as fn(&str) -> bool,
                    ALL_MARKER_PIECES.as_str(),
                ),
                (may_have_disclaimer_paragraph, NORMALIZED_DISCLAIMER_PIECES),
                (may_have_form, NORMALIZED_FORM_PIECES),
            ] {
                let regex = Regex::new(alternation).expect("valid regex");
                assert_eq!(gate(text), regex.is_match(text), "{text} / {alternation}");
            }
        }
        // The packed search and its fallback agree.
        let packed = Pieces::new(NORMALIZED_DISCLAIMER_PIECES);
        let regex = Pieces::Regex(Regex::new(NORMALIZED_DISCLAIMER_PIECES).expect("valid regex"));
        for text in texts {
            assert_eq!(packed.found_in(text), regex.found_in(text), "{text}");
        }
    }

    proptest::proptest! {
        /// On any text of the pieces' letters, spaces and colons, each gate answers what the regex of its pieces
        /// answers.
        #[test]
        fn the_gates_agree_with_their_pieces_on_any_text(
            words in proptest::collection::vec(
                "(no|es|hay|son|quiero|mensaje|consulta|comentarios?|fidencial|pient|responda|emite opini|a|:| )",
                0..12,
            ),
            glue in "[ :]{0,2}",
        ) {
            let text = words.join(&glue);
            for (gate, alternation) in [
                (may_have_disclaimer as fn(&str) -> bool, ALL_MARKER_PIECES.as_str()),
                (may_have_disclaimer_paragraph, NORMALIZED_DISCLAIMER_PIECES),
                (may_have_form, NORMALIZED_FORM_PIECES),
            ] {
                let regex = Regex::new(alternation).expect("valid regex");
                proptest::prop_assert_eq!(gate(&text), regex.is_match(&text), "{} / {}", text, alternation);
            }
        }
    }

    #[test]
    fn replies_and_forwards_are_recognised_by_their_prefix() {
        for s in [
            "RE: Clave del SEACE",
            "Re : consulta",
            "RV: garantía",
            "Fwd: Re: RNP",
            "[EXTERNO] RE: penalidad",
            "RES: duda",
            "Rpta: ok",
            "TR: document",
        ] {
            assert!(is_reply_subject(s), "{s}");
        }
        for s in [
            "Renovación RNP",
            "Recurso de apelación",
            "Reglamento: artículo 34",
            "",
            "[abc",
        ] {
            assert!(!is_reply_subject(s), "{s}");
        }
    }

    #[test]
    fn a_thanks_or_an_acknowledgement_says_nothing_new() {
        for text in [
            "Ok, recibido. Quedo atento. Gracias.",
            "Muchas gracias, ya encontré todo. Muy amables.",
            "ya pude ingresar gracias!!",
        ] {
            assert!(only_courtesy(&normalize(text)), "{text}");
        }
        for text in [
            "Gracias. ¿Y cómo renuevo la constancia?",
            "Hola, necesito renovar mi inscripción en el RNP.",
            "Gracias por la respuesta anterior. Ahora tengo otra duda: la entidad me aplicó una penalidad por mora \
             de diez días aunque el retraso fue por la lluvia y lo comuniqué a tiempo por escrito al área usuaria.",
        ] {
            assert!(!only_courtesy(&normalize(text)), "{text}");
        }
    }

    #[test]
    fn a_disclaimer_under_the_question_counts_for_nothing() {
        let text = "¿Cómo renuevo mi inscripción en el RNP?\nJuan Pérez\n\nAVISO DE CONFIDENCIALIDAD: Este mensaje \
                    y sus anexos son para uso exclusivo del destinatario y pueden contener información legal \
                    privilegiada; su uso indebido da lugar a responsabilidad y sanciones.\nsegunda línea del aviso\n\n\
                    Por favor piense en el medio ambiente antes de imprimir este correo.\n";
        let kept = without_disclaimers(text);
        assert!(kept.contains("renuevo mi inscripción"), "{kept}");
        assert!(!kept.contains("sanciones"), "{kept}");
        assert!(!kept.contains("segunda línea"), "{kept}");
        assert!(!kept.contains("medio ambiente"), "{kept}");
    }

    #[test]
    fn the_normalised_check_sees_every_marker_the_original_has() {
        for text in [
            "Aviso:\n  ESTE MENSAJE es CONFIDENCIAL",
            "piense en el Medio Ambiente",
            "Si usted no es el Destinatario",
        ] {
            assert!(DISCLAIMER_MARKERS.is_match(text), "{text}");
            assert!(may_have_disclaimer(&normalize(text)), "{text}");
            assert!(may_have_disclaimer_paragraph(&normalize(text)), "{text}");
        }
        assert!(!may_have_disclaimer(&normalize(
            "¿Cómo renuevo mi inscripción?"
        )));
        // A set-aside clause alone is cut without the disclaimer search, exactly as with it.
        let text = "No es un problema del sistema. ¿Puedo ofertar en consorcio?\n";
        assert!(!may_have_disclaimer_paragraph(&normalize(text)));
        assert_eq!(
            without_disclaimers_checked(text, false, false),
            without_disclaimers(text)
        );
        assert!(!without_disclaimers(text).contains("sistema"));
    }

    #[test]
    fn what_the_writer_says_they_are_not_asking_counts_for_nothing() {
        let text =
            "No quiero saber cómo se registra la liquidación en el sistema, eso lo ve la entidad. \
                    ¿Ya quedó consentida la liquidación?\n";
        let kept = without_disclaimers(text);
        assert!(!kept.contains("en el sistema"), "{kept}");
        assert!(kept.contains("eso lo ve la entidad"), "{kept}");
        assert!(kept.contains("¿Ya quedó consentida"), "{kept}");
        assert!(may_have_disclaimer(&normalize(text)));
        let text =
            "Hola, no quiero poner ninguna denuncia ni queja legal, solo tengo curiosidad.\n";
        let kept = without_disclaimers(text);
        assert!(!kept.contains("denuncia"), "{kept}");
        assert!(kept.contains("solo tengo curiosidad"), "{kept}");
        let text = "Buenos días. Mi consulta no es del sistema ni del RNP. ¿Una empresa puede ofertar sola y en \
                    consorcio?\n";
        let kept = without_disclaimers(text);
        assert!(!kept.contains("RNP"), "{kept}");
        assert!(kept.contains("¿Una empresa puede ofertar"), "{kept}");
        let text = "No tengo ningún problema con la plataforma, la oferta se envió. No les pregunto cómo registrar \
                    nada en el sistema. ¿Es causal válida?\n";
        let kept = without_disclaimers(text);
        assert!(!kept.contains("plataforma"), "{kept}");
        assert!(!kept.contains("sistema"), "{kept}");
        assert!(kept.contains("la oferta se envió"), "{kept}");
        assert!(may_have_disclaimer(&normalize(text)));
        // A negation that sets nothing aside stays: «no puedo registrar» is the question.
        let text = "No puedo registrar el contrato en el sistema, no me deja.\n";
        assert_eq!(without_disclaimers(text), text);
    }

    #[test]
    fn foreign_firms_notices_without_a_heading_count_for_nothing() {
        for notice in [
            "This e-mail and any attachments are confidential and may be privileged. It does not constitute a \
             contract, guarantee or waiver, nor submission to arbitration.",
            "This communication is confidential and intended only for the addressee; it is not an offer nor \
             acceptance of any contract.",
            "Esta mensagem é confidencial e destinada apenas ao destinatário; não constitui contrato nem garantia.",
            "Este e-mail es confidencial y no constituye aceptación de contrato ni garantía alguna.",
        ] {
            let text = format!("Hello, where can I see the schedule of the procedure? Thanks.\n\n{notice}\n");
            let kept = without_disclaimers(&text);
            assert!(!kept.contains("contrat"), "{kept}");
            assert!(kept.contains("schedule of the procedure"), "{kept}");
            assert!(may_have_disclaimer(&normalize(&text)), "{text}");
        }
        // A foreign supplier's own question about confidentiality is the question.
        let text = "Is the information in our offer confidential once it is uploaded?\n";
        assert_eq!(without_disclaimers(text), text);
    }

    #[test]
    fn a_question_about_confidentiality_is_kept() {
        let text = "Estimados, ¿es confidencial la información de mi oferta una vez presentada en el SEACE?\n";
        assert!(matches!(without_disclaimers(text), Cow::Borrowed(_)));
        let text =
            "Hola\nEl destinatario de la orden de compra no figura en el sistema, ¿qué hago?\n";
        assert_eq!(without_disclaimers(text), text);
    }

    #[test]
    fn a_relayed_forms_fields_give_way_to_its_message() {
        let form = "Nombre: Sandro Huertas\nDNI/RUC: 10098723411\nTeléfono: 994 111 265\n\
                    Tema seleccionado: Registro Nacional de Proveedores\n\
                    Mensaje: ¿la orden de servicio que me emitieron debería verse publicada en el SEACE?\n";
        let kept = without_disclaimers(form);
        assert!(!kept.contains("10098723411"), "{kept}");
        assert!(!kept.contains("Proveedores"), "{kept}");
        assert!(!kept.contains("Mensaje:"), "{kept}");
        assert!(kept.starts_with("¿la orden de servicio"), "{kept}");
        assert!(may_have_disclaimer(&normalize(form)));
        assert!(may_have_form(&normalize(form)));
        assert!(!may_have_form(&normalize(
            "No es del SEACE. ¿Puedo ofertar en consorcio?"
        )));
        // With nothing said in the message, the chosen topic is all there is.
        let silent = "Nombre: Juan\nDNI/RUC:\nTeléfono: 976540112\nTema seleccionado: Renovación RNP\nMensaje: consulta\n";
        let kept = without_disclaimers(silent);
        assert!(kept.contains("Renovación RNP"), "{kept}");
        assert!(!kept.contains("976540112"), "{kept}");
        // Labels written with a space before the colon, and no other marker: the routing's gate lets it through.
        let spaced = "Nombre : Ana Quispe\nDNI : 40871234\nMensaje : ¿dónde veo el cronograma del proceso?\n";
        assert!(may_have_disclaimer(&normalize(spaced)));
        assert!(may_have_form(&normalize(spaced)));
        assert_eq!(
            without_disclaimers(spaced),
            "¿dónde veo el cronograma del proceso?\n"
        );
        // A citizen's own «Consulta:» line with no form around it is left alone.
        let own = "Entidad: Municipalidad de Ate\nConsulta: ¿puedo ampliar el plazo?\n";
        assert_eq!(without_disclaimers(own), own);
    }

    #[test]
    fn an_institutions_no_position_notice_and_a_forms_footer_count_for_nothing() {
        let oficio = "Solicito la capacidad libre de contratación del ejecutor a marzo de 2025.\n\
                      Órgano de Control Institucional\n\
                      El presente documento se emite en el marco de la Ley N.° 27785 y no constituye pronunciamiento \
                      sobre la legalidad de contratos, nulidades o penalidades.\n";
        let kept = without_disclaimers(oficio);
        assert!(kept.contains("capacidad libre"), "{kept}");
        assert!(!kept.contains("nulidades"), "{kept}");
        assert!(may_have_disclaimer_paragraph(&normalize(oficio)));
        let footer = "¿Cómo entramos a la lista de proveedores sin oficina en Perú?\n\
                      Este correo se envió a través del servicio «Consultas a entidades». La entidad destinataria \
                      es responsable de la atención conforme a ley.\n";
        let kept = without_disclaimers(footer);
        assert!(!kept.contains("conforme a ley"), "{kept}");
        // The citizen's own sentence about a pronouncement stays.
        let own = "Buenos días.\n¿El pronunciamiento del OECE sobre las bases ya se publicó en el SEACE?\n";
        assert_eq!(without_disclaimers(own), own);
    }
}
