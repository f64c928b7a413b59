//! What the learned opinion reads: accent-folded word stems, pairs of stems at most two apart and, in a
//! question, the question's first stem with each later one; hashed.
//!
//! The text is the normalised one the rules match on (lower-case ASCII, no accents, single spaces), so the
//! learned opinion costs one more walk over a text already in memory. Words are cut to their first
//! [`STEM_BYTES`] letters, a crude stemmer that serves Spanish well («inscripción», «inscribirme» and
//! «inscrito» share «inscri»); pairs («no puedo», «carta fianza», «registrar [el nuevo] contrato») carry what
//! single words cannot, and the question's opening («¿puedo…», «¿cómo…», «¿dónde…») with its nouns says whether
//! the citizen asks what is allowed or how it is done. Function words («de», «la», «que») are skipped. Only the
//! first [`MAX_TEXT_BYTES`] of the text are read: the question is in the first lines, and a pasted 30 KB log
//! would only cost time. Words of a sentence that ends in «?» weigh [`QUESTION_WEIGHT`]; a training example's
//! counts are log-scaled and scaled to one length ([`EXAMPLE_NORM`]).

/// Letters kept of each word.
pub const STEM_BYTES: usize = 6;
/// Bytes of normalised text read.
pub const MAX_TEXT_BYTES: usize = 1500;
/// What a word in a sentence that ends in «?» is worth against 1 elsewhere: the citizen's question says what
/// they need, the context around it (a fact told in passing, a greeting, a story) less so. Chosen by 5-fold
/// cross-validation on the public corpora (`examples/routing_cv.rs`).
pub const QUESTION_WEIGHT: f32 = 3.0;

/// The Euclidean length every training example's log-scaled counts are scaled to, against Lidstone's
/// `ALPHA` (0.3) added to every count: about the length of a typical message's own, so the smoothing keeps its
/// weight. Chosen by leave one writer out among 10, 15, 20, 30, 40 and 60 (README «Routing rules»).
pub const EXAMPLE_NORM: f32 = 30.0;

/// Which reading of a text this module gives: raised whenever a change makes the same message give other
/// features (other pairs, stems, weights or scaling). Counts and stored examples taken with another reading
/// are not mixed with this one's: a model's text form's first line changes with it (`HEADER`), a stored example's features
/// carry it, and the daemon forgets the stale ones and reads their messages again (`Store::forget_stale_learning`).
/// 2: pairs two apart, a question's first stem with each later one, examples scaled to [`EXAMPLE_NORM`].
pub const FEATURES_VERSION: u8 = 2;

/// Words that say nothing about the topic.
const STOP_WORDS: &[&str] = &[
    // Courtesy says nothing about the topic: a bare «muchas gracias por la pronta respuesta» must give no vote.
    "muchas",
    "muchisimas",
    "mil",
    "pronta",
    "rapida",
    "respuesta",
    "atencion",
    "buen",
    "dia",
    "quedo",
    "atento",
    "atenta",
    "atentos",
    "saludo",
    "cordial",
    "cordiales",
    "agradezco",
    "agradecemos",
    "agradecere",
    "antemano",
    "ok",
    "okey",
    "srta",
    "estimadas",
    "a",
    "al",
    "ante",
    "con",
    "de",
    "del",
    "el",
    "en",
    "es",
    "la",
    "las",
    "le",
    "les",
    "lo",
    "los",
    "me",
    "mi",
    "mis",
    "nos",
    "o",
    "para",
    "por",
    "que",
    "se",
    "su",
    "sus",
    "un",
    "una",
    "uno",
    "unos",
    "unas",
    "y",
    "e",
    "u",
    "este",
    "esta",
    "estos",
    "estas",
    "ese",
    "esa",
    "eso",
    "esto",
    "ya",
    "muy",
    "mas",
    "pero",
    "sobre",
    "hola",
    "buenos",
    "buenas",
    "dias",
    "tardes",
    "noches",
    "estimados",
    "estimado",
    "estimada",
    "senores",
    "senor",
    "senora",
    "sres",
    "saludos",
    "gracias",
    "atentamente",
    "cordialmente",
    "favor",
    "the",
    "of",
    "and",
    "to",
    "si",
    "ha",
    "he",
    "han",
    "fue",
    "son",
    "sea",
    "tu",
    "te",
    "yo",
    "usted",
    "ustedes",
    "nosotros",
];

/// The 64-bit FNV-1a hash of `bytes`.
pub(super) fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The hash of a pair of neighbouring stems.
fn pair(first: u64, second: u64) -> u64 {
    (first.rotate_left(23) ^ second.wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .wrapping_add(0x5851_f42d_4c95_7f2d)
}

/// A word of at most 8 bytes as one number (its bytes, zero-padded), so looking it up compares integers.
fn packed(word: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    bytes[..word.len()].copy_from_slice(word);
    u64::from_le_bytes(bytes)
}

/// Slots of the table of short stop words: a power of two, a bit more than twice the words.
const STOP_WORD_SLOTS: usize = 256;

/// Where a search for a packed word starts in the table of short stop words.
fn stop_word_home(packed: u64) -> usize {
    (packed.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as usize % STOP_WORD_SLOTS
}

/// The stop words of up to 8 bytes packed (never 0: a word has a letter) in an open-addressing table, and the
/// few longer ones: comparing slices of a hundred words for every word of every message was a tenth of the
/// vote's time, and a binary search of the packed words still a twentieth (a branch the processor cannot
/// guess at each of its seven steps).
static STOP_WORD_SETS: std::sync::LazyLock<(Vec<u64>, Vec<&'static [u8]>)> =
    std::sync::LazyLock::new(|| {
        let mut short = vec![0u64; STOP_WORD_SLOTS];
        let mut long: Vec<&[u8]> = Vec::new();
        for w in STOP_WORDS {
            if w.len() <= 8 {
                let p = packed(w.as_bytes());
                let mut s = stop_word_home(p);
                while short[s] != 0 && short[s] != p {
                    s = (s + 1) % STOP_WORD_SLOTS;
                }
                short[s] = p;
            } else {
                long.push(w.as_bytes());
            }
        }
        (short, long)
    });

/// The longest stop word («cordialmente»): a longer word needs no search.
const LONGEST_STOP_WORD: usize = 12;

fn is_stop_word(word: &[u8]) -> bool {
    if word.len() <= 1 {
        return true;
    }
    let (short, long) = &*STOP_WORD_SETS;
    if word.len() <= 8 {
        let p = packed(word);
        let mut s = stop_word_home(p);
        loop {
            match short[s] {
                0 => return false,
                k if k == p => return true,
                _ => s = (s + 1) % STOP_WORD_SLOTS,
            }
        }
    } else {
        word.len() <= LONGEST_STOP_WORD && long.contains(&word)
    }
}

/// Calls `visit(hash, weight, start, end)` for every feature of the normalised `text`, where `start..end` is
/// the byte range of the word or pair in `text` (for showing it); every feature counts `weight`.
///
/// The features: each stem; each pair of stems at most two apart («registrar contrato» from «registrar el
/// contrato», «registrar nuevo contrato» and «registrar contrato»: one word between them does not hide that the
/// verb governs the noun); and, in a sentence that ends in «?», the sentence's first stem paired with every later
/// stem of it ([`QUESTION_HEAD`]).
pub fn for_each_feature(text: &str, weight: f32, mut visit: impl FnMut(u64, f32, usize, usize)) {
    let bytes = &text.as_bytes()[..text.len().min(MAX_TEXT_BYTES)];
    let questions = question_ranges(bytes);
    // The question the word is in or before (the ranges are in order).
    let mut q = 0;
    // The two stems before this one, with where they start.
    let mut previous: Option<(u64, usize)> = None;
    let mut before_previous: Option<(u64, usize)> = None;
    // The first stem of the question sentence being read, and where that sentence starts.
    let mut head: Option<(usize, u64, usize)> = None;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let word = &bytes[start..i];
        if is_stop_word(word) {
            continue;
        }
        let stem = fnv(&word[..word.len().min(STEM_BYTES)]);
        while q < questions.len() && questions[q].1 <= start {
            q += 1;
        }
        let question = match questions.get(q) {
            Some(&(from, _)) if start >= from => Some(from),
            _ => None,
        };
        let weight = if question.is_some() {
            weight * QUESTION_WEIGHT
        } else {
            weight
        };
        visit(stem, weight, start, i);
        if let Some((before, from)) = previous {
            visit(pair(before, stem), weight, from, i);
        }
        if let Some((two_before, from)) = before_previous {
            visit(pair(two_before, stem), weight, from, i);
        }
        if let Some(sentence) = question {
            match head {
                Some((s, first, from)) if s == sentence => {
                    visit(pair(first, stem) ^ QUESTION_HEAD, weight, from, i)
                }
                _ => head = Some((sentence, stem, start)),
            }
        }
        before_previous = previous;
        previous = Some((stem, start));
    }
}

/// Mixed into the hash of a pair of a question's first stem with a later stem of it, so that it is a feature
/// of its own and not the pair of neighbours: in «¿puedo ampliar el plazo del contrato?» the question's
/// opening («puedo», «como», «donde», «quisiera») is what tells Legal («may I») from SEACE («how do I»), and the
/// same nouns come after either. The pairs of neighbours and of stems two apart reach only two words further.
const QUESTION_HEAD: u64 = 0x2545_f491_4f6c_dd1d;

/// The byte ranges of the sentences that end in a question mark: where the citizen asks what they need. A
/// sentence starts after the last `.`, `!`, `:`, `;` or `?` before its `?` (or at the text's start). Found from
/// each `?` back to the one before it, by SIMD searches: a test of every byte of the first 1,500 cost 4 k
/// instructions a text that asks something (most).
fn question_ranges(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut sentence = 0;
    for i in memchr::memchr_iter(b'?', bytes) {
        // `sentence` is just after the previous `?` (or 0): a boundary after it starts this sentence.
        let between = &bytes[sentence..i];
        let last = [
            memchr::memrchr3(b'.', b'!', b':', between),
            memchr::memrchr(b';', between),
        ]
        .into_iter()
        .flatten()
        .max();
        if let Some(last) = last {
            sentence += last + 1;
        }
        out.push((sentence, i));
        sentence = i + 1;
    }
    out
}

/// What a feature of the asking clause («ask:modal», «ask:proc:v=regist»; `rules::asking`) is worth against a
/// word's 1, before log-scaling (a word of a question is worth [`QUESTION_WEIGHT`]). Chosen by leave-one-writer-out
/// and `scripts/strangers` among 1, 2 and 4 (README «Routing rules»).
pub const ASK_WEIGHT: f32 = 1.0;

/// [`for_each_feature`] and, with `asking`, the features of the asking clause (`rules::asking`, worth
/// [`ASK_WEIGHT`] × `weight`), over the first [`MAX_TEXT_BYTES`] of `text`.
pub fn for_each_feature_with(
    text: &str,
    weight: f32,
    asking: bool,
    mut visit: impl FnMut(u64, f32, usize, usize),
) {
    for_each_feature(text, weight, &mut visit);
    if asking && weight > 0.0 {
        let read = crate::mail::cap_on_char_boundary(text, MAX_TEXT_BYTES);
        crate::rules::asking::for_each_ask_feature(read, weight * ASK_WEIGHT, visit);
    }
}

/// Every feature of a message (its normalised subject worth `subject_weight`, its normalised text worth 1),
/// summed by hash: what a training example is made of.
pub fn message_features(subject: &str, subject_weight: f32, text: &str) -> Vec<(u64, f32)> {
    message_features_with(subject, subject_weight, text, false)
}

/// [`message_features`], with the features of the asking clause when `asking` (`[routing] asking`).
pub fn message_features_with(
    subject: &str,
    subject_weight: f32,
    text: &str,
    asking: bool,
) -> Vec<(u64, f32)> {
    let mut all: Vec<(u64, f32)> = Vec::new();
    for_each_feature_with(subject, subject_weight, asking, |h, w, _, _| {
        all.push((h, w))
    });
    for_each_feature_with(text, 1.0, asking, |h, w, _, _| all.push((h, w)));
    all.sort_unstable_by_key(|(h, _)| *h);
    let mut summed: Vec<(u64, f32)> = Vec::with_capacity(all.len());
    for (h, w) in all {
        match summed.last_mut() {
            Some((last, total)) if *last == h => *total += w,
            _ => summed.push((h, w)),
        }
    }
    summed.retain(|(_, w)| *w > 0.0);
    // A word said five times is not five times the evidence: counts are log-scaled (Rennie et al., «Tackling
    // the poor assumptions of naive Bayes», 2003), so one long letter does not outweigh several short ones.
    for (_, w) in summed.iter_mut() {
        *w = (1.0 + *w).log2();
    }
    // And every example is scaled to the same length ([`EXAMPLE_NORM`]; Rennie et al.'s length normalisation):
    // a long letter with many topics must not teach more than a one-line question does.
    let norm: f32 = summed.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in summed.iter_mut() {
            *w *= EXAMPLE_NORM / norm;
        }
    }
    summed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_feature(text, 1.0, |_, _, s, e| out.push(text[s..e].to_string()));
        out
    }

    #[test]
    fn words_and_pairs_skip_function_words() {
        assert_eq!(
            shown("renovacion de la inscripcion en el rnp"),
            [
                "renovacion",
                "inscripcion",
                "renovacion de la inscripcion",
                "rnp",
                "inscripcion en el rnp",
                "renovacion de la inscripcion en el rnp"
            ]
        );
    }

    /// What [`question_ranges`] was: a test of every byte.
    fn question_ranges_by_byte(bytes: &[u8]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut sentence = 0;
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'?' => {
                    out.push((sentence, i));
                    sentence = i + 1;
                }
                b'.' | b'!' | b':' | b';' => sentence = i + 1,
                _ => {}
            }
        }
        out
    }

    #[test]
    fn questions_are_found_as_a_test_of_every_byte_finds_them() {
        for text in [
            "",
            "?",
            "??",
            "no pregunta nada.",
            "hola. como registro? y si no; que hago? gracias!",
            "a:b?c!d?.;?",
            "asunto: renovacion. puedo renovar? el plazo vence; que pasa. ",
        ] {
            assert_eq!(
                question_ranges(text.as_bytes()),
                question_ranges_by_byte(text.as_bytes()),
                "{text}"
            );
        }
    }

    #[test]
    fn a_word_between_does_not_hide_the_pair() {
        let f = |t: &str| message_features("", 1.0, t);
        let pair = |t: &str| {
            let all = f(t);
            let words: Vec<u64> = t.split(' ').map(|w| f(w)[0].0).collect();
            all.into_iter()
                .map(|(h, _)| h)
                .filter(|h| !words.contains(h))
                .collect::<Vec<u64>>()
        };
        // «registrar … contrato» is the same pair with or without «nuevo» between them.
        assert!(pair("registrar nuevo contrato").contains(&pair("registrar contrato")[0]));
        // Three words apart they are not a pair.
        assert!(!pair("registrar nuevo gran contrato").contains(&pair("registrar contrato")[0]));
    }

    #[test]
    fn a_question_s_first_word_pairs_with_the_rest_of_it() {
        let heads = |t: &str| {
            let mut out = Vec::new();
            for_each_feature(t, 1.0, |h, _, s, e| out.push((h, t[s..e].to_string())));
            out
        };
        let asked = heads("puedo ampliar el plazo del contrato?");
        let told = heads("puedo ampliar el plazo del contrato.");
        // The question adds «puedo» with each later stem («ampliar», «plazo», «contrato»), as features of their
        // own: the same words told, not asked, do not give them.
        assert_eq!(asked.len(), told.len() + 3);
        let head = asked
            .iter()
            .find(|(_, shown)| shown == "puedo ampliar el plazo del contrato")
            .expect("the question's head with its last noun");
        assert!(told.iter().all(|(h, _)| *h != head.0));
    }

    #[test]
    fn the_question_weighs_more_than_its_context() {
        let f = |t: &str| message_features("", 1.0, t);
        let asked = f("la apelacion se resolvio. como registro el contrato?");
        let weight = |word: &str| {
            let one = f(word);
            asked.iter().find(|(h, _)| *h == one[0].0).map(|x| x.1)
        };
        // log2(1 + 3) for a word of the question, log2(1 + 1) for one of the fact told in passing.
        let (registro, apelacion) = (weight("registro"), weight("apelacion"));
        let ratio = registro.zip(apelacion).map(|(r, a)| r / a);
        assert!(ratio.is_some_and(|r| (r - 2.0).abs() < 1e-6), "{ratio:?}");
    }

    #[test]
    fn every_stop_word_is_found_in_the_table_and_no_other_word() {
        for w in STOP_WORDS {
            assert!(w.len() <= LONGEST_STOP_WORD, "{w}");
            assert!(is_stop_word(w.as_bytes()), "{w}");
        }
        // Words of the office's mail, and stop words changed by a letter: none is skipped.
        for w in [
            "inscripcion",
            "rnp",
            "seace",
            "penalidad",
            "contrato",
            "clave",
            "las2",
            "dela",
            "para ",
            "cordialmentes",
            "muchasgracias",
            "graciass",
            "ustedes1",
        ] {
            assert!(!is_stop_word(w.as_bytes()), "{w}");
        }
    }

    #[test]
    fn stems_join_the_forms_of_a_word() {
        let f = |t: &str| message_features("", 1.0, t);
        assert_eq!(f("inscripcion"), f("inscribirme"));
        assert_ne!(f("inscripcion"), f("garantia"));
        assert_eq!(f("carta fianza").len(), 3);
    }

    #[test]
    fn a_subject_counts_with_its_weight_and_repeats_add_up() {
        // «rnp»: 2 + 1 = 3 occurrences, log-scaled log2(1 + 3) = 2; «seace» and the pair: 2, log2(1 + 2).
        let f = message_features("rnp seace", 2.0, "rnp");
        assert_eq!(f.len(), 3);
        let rnp = message_features("", 1.0, "rnp")[0].0;
        let of = |h: u64| f.iter().find(|x| x.0 == h).map(|x| x.1).unwrap_or(0.0);
        let seace = message_features("", 1.0, "seace")[0].0;
        assert!((of(rnp) / of(seace) - 2.0 / 3f32.log2()).abs() < 1e-5);
        // Scaled to the same length whatever the message's.
        let length: f32 = f.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
        assert!((length - EXAMPLE_NORM).abs() < 1e-3);
        assert!(message_features("rnp", 0.0, "").is_empty());
    }
}
