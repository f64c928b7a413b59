//! Whether a forwarded message's own words only pass on the message under it.
//!
//! A question often reaches the office two or three forwards down: the specialist asks her head, the head
//! forwards it to the director with «ver abajo», the director forwards that to the office with «favor
//! absolver». Each level above the question is a short note that hands it on and asks nothing of its own;
//! the level that asks is the one the office must answer (guide of `tests/routing`, principle 1: «in a forward
//! the forwarded question decides»). A level that says something of its own — a question, a request about
//! its own matter, a long account — is where the reading stops, and what is under it is quoted history.

use std::sync::LazyLock;

use regex::Regex;

use crate::rules::{asking, normalize};

/// The most words (signature left out) a note that only passes a message on has: a greeting, «reenvío lo
/// que pregunta la especialista», a line of context and a thanks. A longer text tells something of its own.
const PASS_ON_WORDS: usize = 40;

/// A sentence that hands the message below on, on normalised text (lower-case ASCII, no accents): «reenvío
/// lo que pregunta», «para su atención», «ver abajo», «favor absolver», «se traslada la consulta del…»,
/// English «FYI», «see below», «please advise».
static PASS_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)\b(?:
            reenvi\w* | remit\w* | traslad\w* | deriv\w* | transfier\w* | elev\w*\ (?:la|su)\ consulta
          | para\ (?:su\ |tu\ |vuestra\ |la\ |el\ )?
            (?:atencion|conocimiento|revision|evaluacion|consideracion|tramite|absolucion|respuesta|opinion|fines)
          | para\ los\ fines
          | (?:ver|vea|vean|lea|lean|leer|revisar|revise|revisen|mirar|mire)\ (?:abajo|debajo|lo\ de\ abajo
              |el\ correo|el\ mensaje|la\ consulta|la\ pregunta|lo\ que|el\ detalle|lo\ siguiente|el\ siguiente)
          | lo\ que\ (?:pregunta|consulta|plantea|solicita|pide|indica)
          | (?:su|la|esta|esa|sus|las|estas)\ (?:consulta|pregunta|duda|inquietud)s?\ (?:de|del|que|adjunta|siguiente)
          | (?:favor|por\ favor|agradecere|agradeceria|solicito|se\ solicita|sirvase|sirvanse)\ (?:de\ )?
            (?:absolver|atender|revisar|responder|contestar|orientar|ver|apoyar|ayudar|canalizar|evaluar|dar)
          | absolver | absuelva\w* | atender | atiendan | orientar | orienten | canalizar
          | fyi | see\ below | please\ see | for\ your\ (?:attention|information|review|reference)
          | forwarding | forwarded | please\ advise | please\ handle | please\ answer | please\ respond
        )\b",
    )
    .expect("valid regex")
});

/// A question that asks the reader to deal with the message below, not about a matter of its own («¿podrían
/// atender la consulta de abajo?», «¿nos pueden orientar?»): in a question only these hand a message on, so
/// that «¿cómo se traslada la experiencia?» or «¿se deriva a la entidad?» stays a question.
static PASS_ON_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:absolver|absuelva\w*|atender|atiendan|orientar\w*|orienten|canalizar|revisar|responder|contestar|ver abajo|see below|please advise)\b",
    )
    .expect("valid regex")
});

/// Whether `lines`, the own words of a forwarded message (its header block already read, its signature
/// possibly still under them), only pass on what is forwarded under them: nothing at all (a forward with
/// nothing typed), or a short note ([`PASS_ON_WORDS`]) with a sentence that hands the message on
/// ([`PASS_ON`]; in a question, [`PASS_ON_QUESTION`]) and none that asks something of its own — no «?» and no
/// asking clause ([`asking::read`]: «quisiera saber si…», «consulto si…») outside the handing-on sentences.
pub(super) fn passes_on(lines: &[&str]) -> bool {
    let mut own = lines.to_vec();
    super::fresh::without_signature(&mut own);
    let text = normalize(&own.join("\n"));
    let words = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .count();
    if words == 0 {
        return true;
    }
    if words > PASS_ON_WORDS {
        return false;
    }
    // The sentences that do not hand the message on, each with its closing mark.
    let mut rest = String::new();
    let mut handed_on = false;
    let mut start = 0;
    for (i, b) in text.bytes().enumerate().chain([(text.len(), b'.')]) {
        if i < text.len() && !matches!(b, b'.' | b'!' | b'?' | b':' | b';') {
            continue;
        }
        let sentence = &text[start..i];
        start = (i + 1).min(text.len());
        let hands_on = if b == b'?' {
            PASS_ON_QUESTION.is_match(sentence)
        } else {
            PASS_ON.is_match(sentence)
        };
        if hands_on {
            handed_on = true;
        } else {
            rest.push_str(sentence);
            rest.push(char::from(b));
        }
    }
    handed_on && !rest.contains('?') && asking::read(&rest).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<&str> {
        text.lines().collect()
    }

    #[test]
    fn notes_that_hand_a_message_on_pass_it_on() {
        for note in [
            "",
            "\n\n",
            "Favor absolver.",
            "Para su atención.",
            "Ver abajo",
            "Director: reenvío lo que pregunta la especialista. Asesoría Legal ya emitió opinión y la penalidad \
             se aplicó, eso no está en discusión.",
            "Estimados, ¿podrían atender la consulta de abajo?",
            "Se traslada la consulta del proveedor para los fines pertinentes.\n\nSaludos,\nJuana Ríos\nLogística",
            "FYI, see below.",
            "Por favor orientar",
            "SE REMITE PARA SU CONOCIMIENTO",
        ] {
            assert!(passes_on(&lines(note)), "{note}");
        }
    }

    #[test]
    fn a_level_that_asks_or_tells_its_own_matter_does_not() {
        for note in [
            // A question of its own beside the handing on.
            "Reenvío lo de abajo. ¿Cómo registro la penalidad en el SEACE?",
            "Ver abajo. Quisiera saber si se puede ampliar el plazo.",
            // No handing on: a thanks over an earlier answer is a reply, and its history stays history.
            "Gracias, quedo atento.",
            "Adjunto lo solicitado.",
            // A question whose verb only looks like handing on.
            "Ver abajo. ¿Cómo se traslada la experiencia de la absorbida?",
            "¿La consulta se deriva a la entidad?",
            // A long account is the level's own matter.
            "Reenvío el correo. La entidad nos aplicó una penalidad por mora de diez días aunque el retraso fue \
             por la lluvia, lo comunicamos a tiempo por escrito al área usuaria y al supervisor de la obra, y \
             ahora nos retienen el pago del segundo entregable sin decirnos nada más.",
        ] {
            assert!(!passes_on(&lines(note)), "{note}");
        }
    }
}
