//! The asking clause: what the citizen asks, read apart from what they tell.
//!
//! The same nouns go to three folders by what is asked about them: «¿cómo registro la nulidad en el SEACE?» is
//! the platform's, «¿puede el comité declarar la nulidad?» the law's, «¿qué figura en el RNP del postor?» the
//! registry's. A word list cannot tell them apart; the verb of the asking clause and its object can. This
//! module finds the sentences that ask (a «?», «quisiera saber…», «consulto si…», «me pueden indicar…»,
//! «indíquenme…», English «how do I…») and, within them, the **frame** of the question:
//!
//! - [`Frame::Modal`]: what may, must or is due — «¿puedo / se puede / debe / corresponde / procede…?», «¿es
//!   válido / legal / obligatorio…?», «¿está permitido…?», «¿qué plazo tiene para…?», «¿tengo derecho…?»;
//! - [`Frame::Procedural`]: how or where to do it — «¿cómo registro / publico / subo…?», «¿cómo se registra…?»,
//!   «¿dónde veo…?», «¿en qué opción / módulo…?», «¿cuáles son los pasos…?»;
//! - [`Frame::Registry`]: the supplier's standing in the register — inscribirse, renovar, la constancia, la
//!   capacidad, la vigencia, «¿qué figura / aparece…?».
//!
//! It reads the normalised text (lower-case ASCII, no accents, single spaces: the one the rules match on), so
//! «SIN TILDES» and «sin tildes» are one; «q», «k» and «xq» are read as «que» and «porque». A request verb after
//! a modal («¿me pueden indicar…?», «¿podrían ayudarme…?») asks, but is not a question of what the law allows;
//! «¿cómo puedo…?» is the procedure's. Pure and allocation-light: it is called once per message.
//!
//! The learned opinion reads its findings as features of their own ([`for_each_ask_feature`]; `[routing]
//! asking = true`), so the data decide what each frame is worth to each folder.

/// What the asking clause asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frame {
    /// May, must, is it valid, what term: what the law allows or requires.
    Modal,
    /// How or where to do something: an operation of a system.
    Procedural,
    /// The supplier's inscription, renewal, certificate, capacity or what the register shows.
    Registry,
}

impl Frame {
    /// The frame's short name, as its features are named («ask:modal»).
    pub fn as_str(self) -> &'static str {
        match self {
            Frame::Modal => "modal",
            Frame::Procedural => "proc",
            Frame::Registry => "reg",
        }
    }
}

/// One frame found in an asking clause: where its cue is, and the verb and object that follow, as byte ranges
/// of the normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    /// The frame.
    pub frame: Frame,
    /// The words that show it («se puede», «como registro», «constancia»).
    pub cue: (usize, usize),
    /// The verb asked about («registro», «declarar»), when one follows the cue.
    pub verb: Option<(usize, usize)>,
    /// The first word of what the verb acts on («nulidad»), when one follows.
    pub object: Option<(usize, usize)>,
}

/// A byte range `(start, end)` of the normalised text.
type Range = (usize, usize);

/// A word of the normalised text: its byte range and its reading (typos expanded).
#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

/// The common chat spellings of a word, read as the word.
fn expand(word: &str) -> &str {
    match word {
        "q" | "k" | "ke" | "qe" => "que",
        "xq" | "xk" | "pq" | "pk" | "porq" => "porque",
        "x" => "por",
        "pa" => "para",
        "tb" | "tmb" | "tbn" => "tambien",
        _ => word,
    }
}

/// The words of `text[from..to]`.
fn words(text: &str, from: usize, to: usize) -> Vec<Word<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < to && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        out.push(Word {
            start,
            end: i,
            text: expand(&text[start..i]),
        });
    }
    out
}

/// The sentences of the normalised text, as byte ranges, each with whether it ends in «?». A sentence ends at
/// «.», «!», «?», «:» or «;» (the normalised text has no line breaks).
fn sentences(text: &str) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if matches!(b, b'.' | b'!' | b'?' | b':' | b';') {
            if i > start {
                out.push((start, i, b == b'?'));
            }
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len(), false));
    }
    out
}

/// Words that, at the start of a clause, make it a request for information without a «?»: «quisiera saber si…»,
/// «consulto si…», «indíquenme…», «how do I…». Each is a sequence of words.
const REQUEST_MARKERS: &[&[&str]] = &[
    &["quisiera", "saber"],
    &["quisieramos", "saber"],
    &["quiero", "saber"],
    &["queremos", "saber"],
    &["queria", "saber"],
    &["deseo", "saber"],
    &["deseamos", "saber"],
    &["necesito", "saber"],
    &["necesitamos", "saber"],
    &["quisiera", "consultar"],
    &["quisiera", "preguntar"],
    &["deseo", "consultar"],
    &["consulto", "si"],
    &["consultamos", "si"],
    &["consulto", "como"],
    &["pregunto", "si"],
    &["preguntamos", "si"],
    &["les", "consulto"],
    &["les", "pregunto"],
    &["mi", "consulta", "es"],
    &["mi", "pregunta", "es"],
    &["la", "consulta", "es"],
    &["nuestra", "consulta", "es"],
    &["me", "pueden", "indicar"],
    &["me", "podrian", "indicar"],
    &["podrian", "indicarme"],
    &["pueden", "indicarme"],
    &["puede", "indicarme"],
    &["podria", "indicarme"],
    &["me", "indican"],
    &["indiquenme"],
    &["indicarme"],
    &["informarme"],
    &["agradecere", "indicar"],
    &["agradeceria", "indicar"],
    &["agradecere", "me", "indiquen"],
    &["agradeceria", "me", "indiquen"],
    &["solicito", "orientacion"],
    &["solicito", "informacion"],
    &["como", "hago"],
    &["como", "hacemos"],
    &["que", "debo", "hacer"],
    &["que", "debemos", "hacer"],
    &["que", "hago"],
    &["how", "do"],
    &["how", "can"],
    &["how", "should"],
    &["can", "we"],
    &["can", "i"],
    &["may", "we"],
    &["may", "i"],
    &["could", "you"],
    &["please", "advise"],
    &["please", "confirm"],
    &["is", "it", "possible"],
    &["we", "would", "like", "to", "know"],
    &["i", "would", "like", "to", "know"],
];

/// Verbs of may and must in the asking clause.
const MODAL_VERBS: &[&str] = &[
    "puedo",
    "puede",
    "pueden",
    "podemos",
    "podria",
    "podrian",
    "podriamos",
    "podre",
    "podra",
    "podran",
    "podremos",
    "debo",
    "debe",
    "deben",
    "debemos",
    "deberia",
    "deberian",
    "deberiamos",
    "correspondia",
    "corresponde",
    "corresponden",
    "corresponderia",
    "procede",
    "proceden",
    "procederia",
    "cabe",
    "cabria",
    "obligan",
    "obliga",
    "exigir",
    "can",
    "may",
    "must",
    "should",
];

/// Adjectives after «es / sería / está» that ask whether something is allowed, valid or due.
const MODAL_STATES: &[&str] = &[
    "valido",
    "valida",
    "legal",
    "ilegal",
    "nulo",
    "nula",
    "posible",
    "obligatorio",
    "obligatoria",
    "necesario",
    "necesaria",
    "causal",
    "correcto",
    "correcta",
    "procedente",
    "permitido",
    "permitida",
    "prohibido",
    "prohibida",
    "impedido",
    "impedida",
    "impedidos",
    "impedidas",
    "obligado",
    "obligada",
    "obligados",
    "facultado",
    "facultada",
    "exigible",
    "sancionable",
    "valid",
    "allowed",
    "legal",
    "required",
    "mandatory",
    "permitted",
];

/// Copulas before a [`MODAL_STATES`] word.
const COPULAS: &[&str] = &[
    "es",
    "seria",
    "sera",
    "esta",
    "estan",
    "estoy",
    "estamos",
    "estaria",
    "estariamos",
    "son",
    "is",
    "are",
];

/// Verbs after a modal that ask the office for something («¿me pueden indicar…?»): a request, not a question of
/// what the law allows.
const REQUEST_VERBS: &[&str] = &[
    "indicar",
    "indicarme",
    "indicarnos",
    "informar",
    "informarme",
    "informarnos",
    "ayudar",
    "ayudarme",
    "ayudarnos",
    "orientar",
    "orientarme",
    "orientarnos",
    "decir",
    "decirme",
    "decirnos",
    "explicar",
    "explicarme",
    "explicarnos",
    "confirmar",
    "confirmarme",
    "confirmarnos",
    "absolver",
    "enviar",
    "enviarme",
    "enviarnos",
    "brindar",
    "brindarme",
    "brindarnos",
    "dar",
    "darme",
    "darnos",
    "responder",
    "responderme",
    "apoyar",
    "apoyarme",
    "guiar",
    "guiarme",
    "aclarar",
    "aclararme",
    "precisar",
    "precisarme",
    "asesorar",
    "asesorarme",
    "comunicar",
    "comunicarme",
    "facilitar",
    "facilitarme",
    "you",
    "help",
    "advise",
    "tell",
    "confirm",
];

/// Little words between a cue and its verb or object: clitics, articles, «usted».
const SKIPPED: &[&str] = &[
    "me", "nos", "se", "le", "les", "lo", "la", "los", "las", "el", "un", "una", "unos", "unas",
    "usted", "ustedes", "ud", "uds", "yo", "nosotros", "mi", "mis", "su", "sus", "nuestro",
    "nuestra", "al", "del", "de", "a", "en", "que", "the", "a", "an", "i", "we", "to", "our", "my",
    "ya", "tambien", "aun", "todavia", "si", "no",
];

/// Words after «cómo» that come before the verb: «¿cómo puedo / debo / hago para / se hace para registrar…?».
const HOW_FILLERS: &[&str] = &[
    "puedo",
    "podemos",
    "podria",
    "podriamos",
    "debo",
    "debemos",
    "deberia",
    "hago",
    "hacemos",
    "hacer",
    "para",
    "tengo",
    "tenemos",
    "que",
    "se",
    "me",
    "nos",
    "le",
    "lo",
    "la",
    "los",
    "las",
    "do",
    "can",
    "i",
    "we",
    "should",
    "to",
];

/// Words that ask where: «¿dónde veo…?», «¿por dónde lo subo…?», «¿en qué opción…?».
const WHERE_NOUNS: &[&str] = &[
    "opcion", "modulo", "parte", "seccion", "pestana", "menu", "pantalla", "ventana", "link",
    "enlace", "ruta", "campo", "casilla", "boton",
];

/// Words of the registry frame: the supplier's inscription, renewal, certificate, capacity, validity.
const REGISTRY_STEMS: &[&str] = &[
    "inscrib",
    "inscrip",
    "inscrit",
    "reinscri",
    "renov",
    "renuev",
    "constancia",
    "capacidad",
    "vigencia",
    "vigente",
    "habilitad",
    "especialidad",
    "register",
    "registration",
    "renew",
];

/// Words that ask what the register shows: «¿qué figura / aparece…?», «¿por qué aparezco…?».
const SHOWS: &[&str] = &[
    "figura",
    "aparece",
    "aparezco",
    "figuro",
    "aparecemos",
    "figuramos",
    "sale",
    "salgo",
];

/// Whether `word` is read as a verb: an infinitive (with or without a clitic), a form «-o» of a first person
/// present we know, or a third person after «se».
fn looks_like_verb(word: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "ar", "er", "ir", "arlo", "arla", "arlos", "arlas", "erlo", "erla", "irlo", "irla", "arme",
        "erme", "irme", "arse", "erse", "irse", "arnos",
    ];
    // First persons and third persons of the operations mail asks about.
    const FORMS: &[&str] = &[
        "registro",
        "registra",
        "registran",
        "publico",
        "publica",
        "publican",
        "subo",
        "sube",
        "suben",
        "cargo",
        "carga",
        "ingreso",
        "ingresa",
        "descargo",
        "descarga",
        "visualizo",
        "visualiza",
        "accedo",
        "accede",
        "genero",
        "genera",
        "envio",
        "envia",
        "adjunto",
        "adjunta",
        "anulo",
        "anula",
        "modifico",
        "modifica",
        "corrijo",
        "corrige",
        "consigno",
        "consigna",
        "tramito",
        "tramita",
        "renuevo",
        "renueva",
        "inscribo",
        "inscribe",
        "actualizo",
        "actualiza",
        "pago",
        "paga",
        "obtengo",
        "obtiene",
        "saco",
        "saca",
        "hago",
        "hace",
        "veo",
        "ve",
        "encuentro",
        "encuentra",
        "busco",
        "busca",
        "firmo",
        "firma",
        "presento",
        "presenta",
        "solicito",
        "solicita",
        "pido",
        "pide",
        "declaro",
        "declara",
        "realizo",
        "realiza",
        "imprimo",
        "imprime",
        "recupero",
        "recupera",
        "cambio",
        "cambia",
        "agrego",
        "agrega",
        "elimino",
        "elimina",
        "edito",
        "edita",
        "completo",
        "completa",
        "lleno",
        "llena",
        "calculo",
        "calcula",
        "computo",
        "computa",
        "aplico",
        "aplica",
        "get",
        "upload",
        "download",
        "register",
        "submit",
        "access",
        "find",
        "see",
        "renew",
        "obtain",
        "apply",
    ];
    FORMS.contains(&word)
        || (word.len() >= 4 && ENDINGS.iter().any(|e| word.ends_with(e)) && !is_noun_like(word))
}

/// Nouns that end like an infinitive («lugar», «mujer», «proveedor»…) and must not be read as verbs.
fn is_noun_like(word: &str) -> bool {
    const NOUNS: &[&str] = &[
        "lugar",
        "mujer",
        "proveedor",
        "ejecutor",
        "consultor",
        "postor",
        "valor",
        "mayor",
        "menor",
        "anterior",
        "exterior",
        "interior",
        "superior",
        "error",
        "titular",
        "particular",
        "similar",
        "hogar",
        "militar",
        "popular",
        "regular",
        "singular",
        "auditor",
        "contratista",
        "sector",
        "factor",
        "monitor",
        "tutor",
        "gestor",
        "director",
        "supervisor",
        "inspector",
        "deudor",
        "acreedor",
        "order",
        "other",
        "whether",
        "under",
        "after",
        "user",
        "provider",
        "supplier",
        "number",
        "year",
        "ever",
        "never",
        "her",
        "our",
        "your",
        "their",
    ];
    NOUNS.contains(&word)
}

/// The index of the first word from `from` that is not in `skip`, looking at most `reach` words ahead.
fn next_content(words: &[Word<'_>], from: usize, skip: &[&str], reach: usize) -> Option<usize> {
    (from..words.len().min(from + reach)).find(|&i| !skip.contains(&words[i].text))
}

/// The verb and object after the cue ending at word `after`: the verb, then the first content word after it.
/// With `strict` the verb must be the first word that is not a filler («cómo ejecutor» is «as», not «how»);
/// otherwise it is the first word read as a verb within four («¿puede el comité declarar…?»).
fn verb_and_object(
    words: &[Word<'_>],
    after: usize,
    fillers: &[&str],
    strict: bool,
) -> (Option<Range>, Option<Range>) {
    let found = if strict {
        next_content(words, after, fillers, 4).filter(|&v| looks_like_verb(words[v].text))
    } else {
        (after..words.len().min(after + 4))
            .find(|&v| !fillers.contains(&words[v].text) && looks_like_verb(words[v].text))
    };
    let Some(v) = found else {
        return (None, None);
    };
    let verb = Some((words[v].start, words[v].end));
    let object = next_content(words, v + 1, SKIPPED, 4)
        .filter(|&o| words[o].text.len() > 2)
        .map(|o| (words[o].start, words[o].end));
    (verb, object)
}

/// The start of the asking part of a sentence that does not end in «?»: the first request marker, if any.
fn request_start(words: &[Word<'_>]) -> Option<usize> {
    (0..words.len()).find(|&i| {
        REQUEST_MARKERS.iter().any(|m| {
            m.len() <= words.len() - i && m.iter().zip(&words[i..]).all(|(a, w)| *a == w.text)
        })
    })
}

/// Reads one asking clause (its words) into frames.
fn frames_of(words: &[Word<'_>], out: &mut Vec<Ask>) {
    let span = |a: usize, b: usize| (words[a].start, words[b].end);
    let mut i = 0;
    while i < words.len() {
        let w = words[i].text;
        // How: «cómo (se / puedo / hago para) registro…», «de qué manera…».
        let how = w == "como"
            || w == "how"
            || (w == "manera" || w == "forma") && i >= 2 && words[i - 1].text == "que";
        if how {
            let (verb, object) = verb_and_object(words, i + 1, HOW_FILLERS, true);
            if verb.is_some() {
                let end = words
                    .iter()
                    .position(|x| Some((x.start, x.end)) == verb)
                    .unwrap_or(i);
                out.push(Ask {
                    frame: Frame::Procedural,
                    cue: span(i, end),
                    verb,
                    object,
                });
                i = end + 1;
                continue;
            }
        }
        // Where: «dónde veo…», «por dónde lo subo…», «en qué opción…», «qué pasos…».
        let where_ = w == "donde"
            || w == "where"
            || (w == "que" || w == "cual" || w == "cuales")
                && words
                    .get(i + 1)
                    .is_some_and(|n| WHERE_NOUNS.contains(&n.text) || n.text == "pasos")
            || (w == "pasos" && i >= 1 && matches!(words[i - 1].text, "los" | "son" | "que"));
        if where_ {
            let (verb, object) = verb_and_object(words, i + 1, HOW_FILLERS, false);
            out.push(Ask {
                frame: Frame::Procedural,
                cue: span(i, (i + 1).min(words.len() - 1)),
                verb,
                object,
            });
            i += 1;
            continue;
        }
        // May / must: «¿puedo…?», «¿se puede…?», «¿corresponde…?» — unless a request verb follows.
        if MODAL_VERBS.contains(&w) {
            let preceded_by_how = i >= 1 && matches!(words[i - 1].text, "como" | "donde" | "how");
            let request = next_content(words, i + 1, SKIPPED, 3)
                .is_some_and(|n| REQUEST_VERBS.contains(&words[n].text));
            if !preceded_by_how && !request {
                let (verb, object) = verb_and_object(words, i + 1, SKIPPED, false);
                out.push(Ask {
                    frame: Frame::Modal,
                    cue: span(i, i),
                    verb,
                    object,
                });
                i += 1;
                continue;
            }
        }
        // «¿es válido…?», «¿está permitido…?», «¿estamos impedidos…?».
        if COPULAS.contains(&w) {
            if let Some(n) = next_content(words, i + 1, &["it", "muy", "realmente"], 2) {
                if MODAL_STATES.contains(&words[n].text) {
                    let (verb, object) = verb_and_object(words, n + 1, SKIPPED, false);
                    out.push(Ask {
                        frame: Frame::Modal,
                        cue: span(i, n),
                        verb,
                        object,
                    });
                    i = n + 1;
                    continue;
                }
            }
        }
        // «¿tengo / tenemos / tiene derecho…?», «¿qué / cuánto plazo…?», «¿hasta cuándo…?», «¿qué pasa si…?».
        let next = words.get(i + 1).map(|n| n.text);
        let term = matches!(
            w,
            "tengo" | "tenemos" | "tiene" | "tienen" | "tendria" | "tendriamos"
        ) && next == Some("derecho")
            || matches!(w, "que" | "cuanto" | "cual") && matches!(next, Some("plazo" | "plazos"))
            || w == "cuantos" && next == Some("dias")
            || w == "hasta" && next == Some("cuando")
            || w == "que"
                && matches!(
                    next,
                    Some("pasa" | "pasaria" | "sucede" | "ocurre" | "consecuencias")
                );
        if term {
            let (verb, object) = verb_and_object(words, i + 2, SKIPPED, false);
            out.push(Ask {
                frame: Frame::Modal,
                cue: span(i, i + 1),
                verb,
                object,
            });
            i += 2;
            continue;
        }
        // The register: inscription, renewal, certificate, capacity, validity; «¿qué figura / aparece…?».
        let registry = REGISTRY_STEMS.iter().any(|s| w.starts_with(s))
            || SHOWS.contains(&w)
                && i >= 1
                && matches!(words[i - 1].text, "que" | "no" | "me" | "ya");
        if registry {
            let object = next_content(words, i + 1, SKIPPED, 3)
                .filter(|&o| words[o].text.len() > 2)
                .map(|o| (words[o].start, words[o].end));
            out.push(Ask {
                frame: Frame::Registry,
                cue: span(i, i),
                verb: None,
                object,
            });
        }
        i += 1;
    }
}

/// The frames of every asking clause of a normalised text, in order: a sentence that ends in «?» asks from its
/// start; one that does not asks from its first request marker («quisiera saber si…») on, or not at all.
pub fn read(text: &str) -> Vec<Ask> {
    let mut out = Vec::new();
    for (from, to, question) in sentences(text) {
        let all = words(text, from, to);
        let asking = if question {
            &all[..]
        } else {
            match request_start(&all) {
                Some(i) => &all[i..],
                None => continue,
            }
        };
        frames_of(asking, &mut out);
    }
    out
}

/// The 64-bit FNV-1a hash of the pieces joined, the namespace of the asking features: their names have a «:»,
/// which no word of the normalised text has, so they never share a hash with a word.
fn hash_of(pieces: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in pieces {
        for &b in *p {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// Letters kept of a verb or object in a feature's name: the learned opinion's stem length.
const STEM: usize = 6;

/// The first [`STEM`] bytes of the word at `range` of `text`.
fn stem_of(text: &str, range: (usize, usize)) -> &[u8] {
    let w = &text.as_bytes()[range.0..range.1];
    &w[..w.len().min(STEM)]
}

/// Calls `visit(hash, weight, start, end)` once for each distinct feature of the asking clauses of the
/// normalised `text`: the frame («ask:modal»), the frame with its verb («ask:modal:v=declar») and with its
/// object («ask:proc:o=nulida»), each worth `weight`; `start..end` is the cue (with the verb or object) as a
/// byte range of `text`, for showing it.
pub fn for_each_ask_feature(
    text: &str,
    weight: f32,
    mut visit: impl FnMut(u64, f32, usize, usize),
) {
    let mut seen: Vec<u64> = Vec::new();
    let mut emit = |h: u64, s: usize, e: usize| {
        if !seen.contains(&h) {
            seen.push(h);
            visit(h, weight, s, e);
        }
    };
    for ask in read(text) {
        let frame = ask.frame.as_str().as_bytes();
        emit(hash_of(&[b"ask:", frame]), ask.cue.0, ask.cue.1);
        if let Some(v) = ask.verb {
            emit(
                hash_of(&[b"ask:", frame, b":v=", stem_of(text, v)]),
                ask.cue.0,
                v.1.max(ask.cue.1),
            );
        }
        if let Some(o) = ask.object {
            emit(
                hash_of(&[b"ask:", frame, b":o=", stem_of(text, o)]),
                ask.cue.0,
                o.1.max(ask.cue.1),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::normalize;

    /// (frame, cue, verb, object) of each frame read in `text` (written as a citizen would).
    fn frames(text: &str) -> Vec<(Frame, String, String, String)> {
        let n = normalize(text);
        let piece =
            |r: Option<(usize, usize)>| r.map(|r| n[r.0..r.1].to_string()).unwrap_or_default();
        read(&n)
            .into_iter()
            .map(|a| {
                (
                    a.frame,
                    n[a.cue.0..a.cue.1].to_string(),
                    piece(a.verb),
                    piece(a.object),
                )
            })
            .collect()
    }

    fn kinds(text: &str) -> Vec<Frame> {
        frames(text).into_iter().map(|f| f.0).collect()
    }

    #[test]
    fn the_same_nouns_asked_three_ways() {
        let f = frames("¿Cómo registro la nulidad en el SEACE?");
        assert_eq!(f[0].0, Frame::Procedural);
        assert_eq!((f[0].2.as_str(), f[0].3.as_str()), ("registro", "nulidad"));
        let f = frames("¿Puede el comité declarar la nulidad?");
        assert_eq!(f[0].0, Frame::Modal);
        assert_eq!(f[0].2, "declarar");
        assert_eq!(f[0].3, "nulidad");
        assert!(kinds("¿Qué figura en el RNP del postor?").contains(&Frame::Registry));
    }

    #[test]
    fn only_sentences_that_ask_are_read() {
        // Told, not asked: nothing.
        assert!(
            frames("La entidad puede declarar la nulidad. Ya registré el contrato.").is_empty()
        );
        // Asked without a question mark.
        assert_eq!(
            kinds("Quisiera saber si se puede ampliar el plazo."),
            [Frame::Modal]
        );
        assert_eq!(
            kinds("Buenas tardes. Consulto si corresponde aplicar penalidad"),
            [Frame::Modal]
        );
        assert_eq!(kinds("Indíquenme cómo subo la oferta"), [Frame::Procedural]);
    }

    #[test]
    fn a_request_verb_after_a_modal_is_not_a_question_of_law() {
        assert!(!kinds("¿Me pueden indicar dónde descargo las bases?").contains(&Frame::Modal));
        assert!(kinds("¿Me pueden indicar dónde descargo las bases?").contains(&Frame::Procedural));
        assert!(!kinds("¿Podrían ayudarme con mi clave?").contains(&Frame::Modal));
        // «¿cómo puedo…?» asks how.
        assert_eq!(kinds("¿Cómo puedo publicar el PAC?"), [Frame::Procedural]);
        assert_eq!(frames("¿como se registra la adenda?")[0].2, "registra");
    }

    #[test]
    fn states_terms_and_rights_are_modal() {
        for text in [
            "¿Es válido el contrato firmado sin garantía?",
            "¿ESTA PERMITIDO subcontratar?",
            "¿Qué plazo tiene la entidad para pagar?",
            "¿Tengo derecho a ampliación de plazo?",
            "¿estamos impedidos de contratar?",
            "¿q pasa si no firmo?",
            "Can we submit an offer as a consortium?",
        ] {
            assert_eq!(kinds(text).first(), Some(&Frame::Modal), "{text}");
        }
    }

    #[test]
    fn where_and_how_are_procedural_with_or_without_accents() {
        for text in [
            "¿donde veo el acta de buena pro?",
            "¿En qué opción se carga el contrato?",
            "¿CUALES SON LOS PASOS PARA REGISTRAR LA ORDEN?",
            "como hago para subir el informe?",
            "How do I download the bases?",
        ] {
            assert!(kinds(text).contains(&Frame::Procedural), "{text}");
        }
        // «como» meaning «as» is not a procedure.
        assert!(!kinds("¿Puedo inscribirme como ejecutor?").contains(&Frame::Procedural));
    }

    #[test]
    fn the_register_frame() {
        for text in [
            "¿Cómo renuevo mi inscripción?",
            "¿Cuándo vence la vigencia de mi constancia?",
            "¿por qué no aparece mi capacidad?",
        ] {
            assert!(kinds(text).contains(&Frame::Registry), "{text}");
        }
    }

    #[test]
    fn features_are_namespaced_and_each_counted_once() {
        let mut a = Vec::new();
        for_each_ask_feature(
            &normalize("¿Puedo subcontratar? ¿Puedo subcontratar?"),
            2.0,
            |h, w, _, _| a.push((h, w)),
        );
        // The frame, the frame with its verb: once each however often asked.
        assert_eq!(a.len(), 2);
        assert!(a.iter().all(|x| x.1 == 2.0));
        // Never the hash of a plain word.
        let mut b = Vec::new();
        crate::rules::learned::for_each_feature("ask modal", 1.0, |h, _, _, _| b.push(h));
        assert!(a.iter().all(|x| !b.contains(&x.0)));
        let mut none = Vec::new();
        for_each_ask_feature(
            "la entidad puede declarar la nulidad.",
            1.0,
            |h, _, _, _| none.push(h),
        );
        assert!(none.is_empty());
    }
}
