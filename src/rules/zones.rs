//! Where a word was found, and what it is worth there.
//!
//! The citizen's new text and the subject of a first message are what the message is about. The subject of a
//! reply or a forward (`RE:`, `RV:`, `Fwd:`) is the thread's old topic: «RE: Clave del SEACE» over a new
//! question about a guarantee must not decide by itself, so a word found only there is worth less. Quoted
//! text and the signature are already cut from the new text (`mail::fresh_text`); a legal disclaimer under the
//! citizen's words («AVISO DE CONFIDENCIALIDAD: este mensaje…», full of legal vocabulary) is cut here, so it
//! counts for nothing.

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

/// Words that appear in nearly every disclaimer; a text without any of them has none, and costs one scan.
static DISCLAIMER_MARKERS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([
            "confidencial",
            "destinatario",
            "disclaimer",
            "medio ambiente",
            "recipient",
            "privilegiad",
            "privileged",
            "aviso legal",
            "imprimir",
        ])
        .expect("fixed patterns build")
});

/// A piece of each of those words, searched in the normalised text (lower-case ASCII, no accents, single
/// spaces): every occurrence of a word in the original is one of its piece there. The pieces start with letters
/// rare in Spanish («fid», «tin», «scl»), where the full words stopped a prefilter at every «con» and «des»;
/// the regex crate runs an alternation of plain literals on its SIMD literal search alone, faster here than an
/// Aho-Corasick automaton (the rule bench files 13 % more messages per second).
static NORMALIZED_MARKERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        "fidencial|tinatario|sclaimer|medio ambiente|pient|vilegi|vileged|aviso legal|imprimir",
    )
    .expect("valid regex")
});

/// False when the normalised form of a text has none of the words every disclaimer has: then
/// [`without_disclaimers`] would return the text unchanged, and the routing, which has the normalised text
/// anyway, skips it.
pub(crate) fn may_have_disclaimer(normalized: &str) -> bool {
    NORMALIZED_MARKERS.is_match(normalized)
}

/// How a disclaimer paragraph starts (on normalised text: lower case, no accents).
static DISCLAIMER_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^[^a-z0-9]*(?:
            (?:aviso|nota|clausula|advertencia|declaracion|politica)\ (?:legal|de\ confidencialidad|de\ privacidad|de\ reserva)
          | confidencialidad | confidencial: | confidential | disclaimer | privileged | aviso:
          | (?:este|el\ presente|esta)\ (?:mensaje|correo|e\ ?mail|email|comunicacion)\b.{0,120}\b(?:confidencial|privilegiad|reservad|destinatario|uso\ exclusivo|dirigido\ exclusivamente)
          | la\ informacion\ (?:contenida|transmitida|incluida|de\ este)\b
          | si\ (?:usted\ )?(?:no\ es\ (?:el\ )?destinatario|ha\ recibido\ (?:este|esta)|recibio\ (?:este|esta)|por\ error)
          | (?:por\ favor\ |favor\ )?(?:piense|considere|antes\ de\ imprimir|no\ imprima)
          | (?:the|this)\ (?:information|message|e\ ?mail|email)\b.{0,80}\b(?:confidential|privileged|intended)
          | if\ you\ (?:are\ not|have\ received)
        )",
    )
    .expect("valid regex")
});

/// `text` without the disclaimer paragraphs that follow the citizen's own words: from a line that starts a
/// disclaimer to the next blank line. A disclaimer in the very first line is kept (there is nothing else to
/// read, and it may be the citizen's question about confidentiality).
pub fn without_disclaimers(text: &str) -> Cow<'_, str> {
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
        }
        assert!(!may_have_disclaimer(&normalize(
            "¿Cómo renuevo mi inscripción?"
        )));
    }

    #[test]
    fn a_question_about_confidentiality_is_kept() {
        let text = "Estimados, ¿es confidencial la información de mi oferta una vez presentada en el SEACE?\n";
        assert!(matches!(without_disclaimers(text), Cow::Borrowed(_)));
        let text =
            "Hola\nEl destinatario de la orden de compra no figura en el sistema, ¿qué hago?\n";
        assert_eq!(without_disclaimers(text), text);
    }
}
