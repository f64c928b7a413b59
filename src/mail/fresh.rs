//! What the citizen wrote in *this* message: the body without quoted earlier messages and without the signature.
//!
//! Replies carry the office's previous answer (full of words like «RNP» or «contrato») and signatures carry job
//! titles («Consultor de obras», «Área de Contrataciones»); neither may decide the folder. Forwarded content is
//! different: when a citizen forwards a message, that message *is* the question, so it is kept.
//!
//! The cuts are conservative: when unsure, text stays.

use std::sync::LazyLock;

use regex::Regex;

use super::pass_on::passes_on;
use super::signature::{self, CLOSER, MAX_SIGNATURE_LINES};

/// Reply headers written by Gmail, Apple Mail, Thunderbird and others (`El lun., 3 nov. 2025 a las 10:00, X
/// <x@y> escribió:`, `On Mon, Nov 3, 2025 at 10:00 AM X wrote:`), possibly wrapped over up to three lines.
static REPLY_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(escribi[óo]|wrote|a écrit|escreveu)\s*:\s*$").expect("valid regex")
});
static REPLY_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(el|on|le|em|en)\s+\S").expect("valid regex"));
/// Outlook's and others' separators before the earlier message.
static ORIGINAL_MESSAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*-{2,}\s*(mensaje original|original message|mensaje respondido)\s*-{2,}\s*$",
    )
    .expect("valid regex")
});
/// Outlook's horizontal rule before the earlier message's header block.
static UNDERSCORES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*_{10,}\s*$").expect("valid regex"));
/// The first line of a header block (`De: …`, `From: …`, bold in HTML: `*De:* …`).
static HEADER_FROM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*\*?(de|from|remitente)\s*:\*?\s*\S").expect("valid regex")
});
/// The other lines of a header block (Zimbra writes «Enviados:», Roundcube «Destinatario:»).
static HEADER_OTHER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*\*?(enviado el|enviados|enviado|sent|fecha|date|para|destinatario|to|asunto|subject|cc)\s*:")
        .expect("valid regex")
});
/// Forwarded-message markers: what follows is the citizen's question and is kept.
static FORWARD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(-{2,}\s*(forwarded message|mensaje reenviado|mensaje transferido)\s*-*|begin forwarded message:|inicio del mensaje reenviado:)\s*$",
    )
    .expect("valid regex")
});
/// "Sent from my phone" lines that end the text.
static MOBILE_SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(enviado desde mi|sent from my|enviado desde outlook|obtener outlook para|get outlook for|enviado con)\b")
        .expect("valid regex")
});
/// A cover note that passes someone else's message on: «Se traslada la comunicación del ciudadano para la
/// atención de su competencia», «remitimos el correo de la ciudadana», «derivo la consulta», «por competencia»
/// (on the original text, case-insensitive). Another agency's desk, a congressional office or the office's own
/// reception forwards citizen mail under a subject of its own («Traslado por competencia – caso 0712»), not
/// `RV:`; the header block under such a note introduces the forwarded question, not an earlier reply.
static COVER_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)\bpor\ competencia\b
          | \b(?:se\ )?(?:traslad|remit|reenv[ií]|deriv|transfier|transfer)\w*\b[^.\n]{0,60}?
            \b(?:comunicaci[oó]n|correo|queja|pedido|consulta|mensaje|escrito|solicitud|denuncia|carta|reclamo|caso)\b
            [^.\n]{0,40}?\b(?:del|de\ la|de\ los|recibid[oa]|ciudadan[oa]|usuari[oa]|administrad[oa]|remitid[oa]|adjunt[oa]|siguiente)\b",
    )
    .expect("valid regex")
});
/// A reply's or forward's subject (`RE:`, `RV:`, `Fwd:`…), as a forwarded message's `Asunto:` line may carry.
static STALE_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:\[[^\]]*\]\s*)*(?:re|rv|res|rpta|resp|fw|fwd|tr|aw|sv|reenv)\s*:")
        .expect("valid regex")
});
/// The `Asunto:`/`Subject:` line of a header block, with its value.
static HEADER_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*\*?(?:asunto|subject)\s*:\*?\s*(.*)$").expect("valid regex")
});

/// The fresh part of `body`. `subject_is_forward` says the subject starts with `RV:`/`FW:`/`Fwd:`, in which case a
/// header block right after the citizen's words introduces the forwarded question and is kept.
///
/// The writer's words may stand above the quoted message (Outlook, Gmail) or below it (Thunderbird's default,
/// «interleaved» replies): quoted lines and the attribution line that introduces them («El … escribió:») are
/// left out wherever they are, and the text after them is kept.
///
/// In a forward, the forwarder's cover note and the forwarded message are read apart: each loses its own
/// signature, so the forwarding agency's «-- Oficina Defensorial … Confidencialidad: …» ends the cover note, not
/// the question below it (guide of `tests/routing`, principle 1: «in a forward the forwarded question decides»).
pub fn fresh_text(body: &str, subject_is_forward: bool) -> String {
    let (mut kept, forwarded_from) = own_lines(body, subject_is_forward, true);
    let mut forwarded = match forwarded_from {
        Some(at) if at < kept.len() => kept.split_off(at),
        _ => Vec::new(),
    };
    without_signature(&mut kept);
    without_signature(&mut forwarded);
    kept.append(&mut forwarded);
    let mut text = kept.join("\n").trim().to_string();
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

/// Cuts the signature under `lines`: from a `-- ` marker, from a closing formula, or a bare name-and-role block.
pub(super) fn without_signature(kept: &mut Vec<&str>) {
    if let Some(cut) = kept.iter().position(|l| is_signature_marker(l)) {
        kept.truncate(cut);
    }
    strip_closing_signature(kept);
    // Outlook's and Apple Mail's configured signature has no `-- ` and often no closing formula: a name, a
    // role and an office under the question, whose words («Gerente Legal», «Usuario SEACE», «Arbitraje ·
    // RNP») are the writer's trade, not the question.
    if let Some(cut) = signature::bare_block_start(kept) {
        kept.truncate(cut);
    }
}

/// The lines the writer wrote now, signature included: quoted blocks (`>` lines with their attribution) are
/// skipped wherever they are; an earlier message quoted without `>` (Outlook's header block, «Mensaje
/// original») ends the text, since everything below it is that message — unless it is a forwarded message
/// (a forward's subject, a «Mensaje reenviado» marker, or a cover note that passes it on), whose text is kept.
/// Also returns where in the kept lines the forwarded message starts, if one does.
///
/// A forwarded message may itself forward or answer the one that asks: the reading follows the chain down
/// while each level's own words only pass on what is under them ([`passes_on`]: «ver abajo», «para su
/// atención», nothing typed), drops those notes, and stops at the level that says something of its own, under
/// which everything is its quoted history. The forwarder's own note on top stays, as in any forward.
///
/// `cover_notes` says whether notes that pass a message on make what is under them forwarded: a cover note
/// ([`COVER_NOTE`]) over the first header block, a passing-on level over the next one.
fn own_lines(
    body: &str,
    subject_is_forward: bool,
    cover_notes: bool,
) -> (Vec<&str>, Option<usize>) {
    let mut lines: Vec<&str> = body.lines().collect();
    let mut kept: Vec<&str> = Vec::with_capacity(lines.len());
    let mut forwarded_from = None;
    // True while the next header block belongs to a forwarded message (kept) rather than to a reply (cut).
    let mut expect_forwarded_headers = subject_is_forward;
    // Where in `kept` the own words of the forwarded message being read start, under its header block.
    let mut level_from = 0;
    // Whether the level being read — inside a forward (`in_forward`) — only passes on what is under it.
    let passing_on = |kept: &[&str], in_forward: bool, level_from: usize| {
        cover_notes && in_forward && passes_on(&kept[level_from.min(kept.len())..])
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if FORWARD.is_match(line) {
            // A forward inside a forwarded message that only passed it on: its note goes.
            if passing_on(&kept, forwarded_from.is_some(), level_from) {
                kept.truncate(level_from);
            }
            expect_forwarded_headers = true;
            forwarded_from.get_or_insert(kept.len());
            let after = forwarded_headers(&lines, i + 1, &mut kept);
            // Thunderbird's block (`Asunto:`, `Fecha:`, `De:`, `Para:`) right under the marker was the forwarded
            // message's own; a later one would be a reply inside it.
            if after >= i + 3 {
                expect_forwarded_headers = false;
            }
            level_from = kept.len();
            i = after;
            continue;
        }
        if is_quoted(line) {
            i += 1;
            continue;
        }
        if MOBILE_SIGNATURE.is_match(line) {
            // A phone's tagline under a forwarded note that passes the message on ends the note only.
            if !expect_forwarded_headers && passing_on(&kept, forwarded_from.is_some(), level_from)
            {
                i += 1;
                continue;
            }
            // A phone's tagline under a cover note ends the note, not the message it forwards.
            match (i + 1..lines.len()).find(|&j| FORWARD.is_match(lines[j])) {
                Some(j) => {
                    i = j;
                    continue;
                }
                None => break,
            }
        }
        let underscores = UNDERSCORES.is_match(line);
        let separator = ORIGINAL_MESSAGE.is_match(line)
            || (underscores && header_block_at(&lines, next_non_empty(&lines, i + 1)))
            || header_block_at(&lines, i);
        if separator
            && cover_notes
            && !expect_forwarded_headers
            && forwarded_from.is_none()
            && is_cover_note(&kept)
        {
            expect_forwarded_headers = true;
        }
        // The next message down the chain, under a forwarded one that only passes it on.
        if separator
            && !expect_forwarded_headers
            && passing_on(&kept, forwarded_from.is_some(), level_from)
        {
            kept.truncate(level_from);
            expect_forwarded_headers = true;
        }
        if ORIGINAL_MESSAGE.is_match(line) {
            if expect_forwarded_headers {
                forwarded_from.get_or_insert(kept.len());
                // Its header block, however short («De:», «Asunto:»), is the forwarded message's own.
                let after = forwarded_headers(&lines, i + 1, &mut kept);
                if after > i + 1 {
                    expect_forwarded_headers = false;
                    level_from = kept.len();
                }
                i = after;
                continue;
            }
            break;
        }
        let quote_follows = {
            let next = next_non_empty(&lines, i + 1);
            next < lines.len() && is_quoted(lines[next])
        };
        // «Juan Pérez escribió:» right above the quote it introduces, whatever its wording.
        let attribution = reply_header_at(&lines, i);
        if let Some(start) =
            attribution.or_else(|| (quote_follows && REPLY_END.is_match(line)).then_some(i))
        {
            kept.truncate(kept.len().saturating_sub(i - start));
            // The message answered, under a forwarded one (or a forward's own note) that only passes it on: it
            // is the next level of the chain, read as the writer's words, one quoting level less.
            // A forward's own note counts here too (the subject says it is one), not only a forwarded level.
            let in_forward = forwarded_from.is_some() || subject_is_forward;
            if passing_on(&kept, in_forward, level_from) {
                if forwarded_from.is_some() {
                    kept.truncate(level_from);
                }
                forwarded_from.get_or_insert(kept.len());
                if quote_follows {
                    unquote_one_level(&mut lines, i + 1);
                }
                expect_forwarded_headers = false;
                level_from = kept.len();
                i += 1;
                continue;
            }
        }
        if attribution.is_none() && quote_follows && REPLY_END.is_match(line) {
            i += 1;
            continue;
        }
        if attribution.is_some() {
            // An attribution followed by `>` lines introduces a quote the writer answers below or between.
            if quote_follows {
                i += 1;
                continue;
            }
            break;
        }
        if separator {
            if !expect_forwarded_headers {
                break;
            }
            forwarded_from.get_or_insert(kept.len());
            if underscores {
                i += 1;
                continue;
            }
            // This block is the forwarded message's own; a later one would be a reply inside it.
            expect_forwarded_headers = false;
            i = forwarded_headers(&lines, i, &mut kept);
            level_from = kept.len();
            continue;
        }
        kept.push(line);
        i += 1;
    }
    (kept, forwarded_from)
}

/// Reads the quote that starts at `lines[from]` one level up: its `>` lines lose their first `>` (and the
/// space after it), so they are the text of the message being read and what they quote is still a quote.
fn unquote_one_level(lines: &mut [&str], from: usize) {
    for line in &mut lines[from..] {
        let text = line.trim_start();
        if let Some(rest) = text.strip_prefix('>') {
            *line = rest.strip_prefix(' ').unwrap_or(rest);
        } else if !text.is_empty() {
            break;
        }
    }
}

/// Whether the writer's lines so far are a cover note that passes a message on ([`COVER_NOTE`]).
fn is_cover_note(kept: &[&str]) -> bool {
    kept.iter()
        .any(|l| may_be_cover_note(l) && COVER_NOTE.is_match(l))
}

/// Whether `line` holds a word every match of [`COVER_NOTE`] holds: «competencia» or the stem of a verb that
/// passes a message on, in any case. Most lines hold none, and the regex is then neither built (its Unicode
/// classes, counted to 60 and 40 characters, were 10 M instructions of a `triaje rules test`) nor run. Under
/// `(?i)` with Unicode, `s` also matches «ſ» (U+017F, the long s): a line with one goes to the regex.
fn may_be_cover_note(line: &str) -> bool {
    // «transf» for «transfier» and «transfer».
    const WORDS: [&[u8]; 6] = [
        b"competencia",
        b"traslad",
        b"remit",
        b"reenv",
        b"deriv",
        b"transf",
    ];
    if line.contains('\u{17f}') {
        return true;
    }
    let bytes = line.as_bytes();
    WORDS.iter().any(|word| {
        bytes
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word))
    })
}

/// Skips a forwarded message's header block starting at `lines[i]` (`De:`, `Enviado:`, `Para:`, `Asunto:` in any
/// order, up to the first other line) and returns the index after it. Senders, recipients and dates say nothing
/// about the question; the forwarded message's subject is kept (as the subject of a first message would count),
/// unless it is itself a reply's or forward's (`RV: usuario SEACE`), the old topic of its thread.
fn forwarded_headers<'a>(lines: &[&'a str], mut i: usize, kept: &mut Vec<&'a str>) -> usize {
    let start = i;
    while i < lines.len() && i - start < 8 {
        let line = lines[i];
        if !(HEADER_FROM.is_match(line) || HEADER_OTHER.is_match(line)) {
            break;
        }
        if let Some(subject) = HEADER_SUBJECT.captures(line).and_then(|c| c.get(1)) {
            let subject = subject.as_str().trim();
            if !subject.is_empty() && !STALE_SUBJECT.is_match(subject) {
                kept.push(subject);
            }
        }
        i += 1;
    }
    i
}

/// A line that starts a signature: `-- ` (RFC 3676), a bare `--`, or «Enviado desde mi…».
fn is_signature_marker(line: &str) -> bool {
    line == "-- " || line.trim_end() == "--" || MOBILE_SIGNATURE.is_match(line)
}

/// A reply's own words and its signature, as a reply draft is checked: what the writer typed (no quote, no
/// signature, no closing formula, no phone tagline) and the signature that names them, if any.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    /// The writer's words, trimmed, ending with a line break when not empty.
    pub text: String,
    /// The signature from the line that names the writer on (see `mail::signature`): after `-- `, after a
    /// closing formula, or a name (and role) block at the end of the words; `None` when there is none or it
    /// names no one (an office, a phone's tagline).
    pub signature: Option<String>,
}

/// Splits a reply into the writer's own words and their signature, above or below the quoted message; quoted
/// earlier messages, and what follows a phone app's tagline («Enviado desde mi iPhone»), are not looked at.
///
/// Replies the office sends must be signed by the assistant; this is how a draft is checked.
pub fn answer(body: &str) -> Answer {
    // The office's own draft may say it passes a consultation on («derivamos su consulta…»): the citizen's
    // message under it is a quote, not part of the answer.
    let (own, _) = own_lines(body, false, false);
    let split = signature::split(&own);
    let mut text = own[..split.text_end].join("\n").trim().to_string();
    if !text.is_empty() {
        text.push('\n');
    }
    Answer {
        text,
        signature: split.signature,
    }
}

/// The signature that names the writer of `body`, if any ([`answer`]'s).
pub fn signature(body: &str) -> Option<String> {
    answer(body).signature
}

/// `> quoted` lines (any depth).
fn is_quoted(line: &str) -> bool {
    line.trim_start().starts_with('>')
}

/// If `lines[i]` ends a reply header (`… escribió:`), the index of the line where that header starts.
fn reply_header_at(lines: &[&str], i: usize) -> Option<usize> {
    if !REPLY_END.is_match(lines[i]) {
        return None;
    }
    // The header may be wrapped: look back up to two lines for its `El …`/`On …` start.
    (i.saturating_sub(2)..=i).find(|&s| {
        REPLY_START.is_match(lines[s]) && lines[s..=i].iter().all(|l| !l.trim().is_empty())
    })
}

/// An Outlook-style header block at `i`: `De:` followed within four lines by at least two of
/// `Enviado:`/`Fecha:`/`Para:`/`Asunto:`.
fn header_block_at(lines: &[&str], i: usize) -> bool {
    if i >= lines.len() || !HEADER_FROM.is_match(lines[i]) {
        return false;
    }
    lines[i + 1..]
        .iter()
        .take(5)
        .filter(|l| HEADER_OTHER.is_match(l))
        .count()
        >= 2
}

fn next_non_empty(lines: &[&str], from: usize) -> usize {
    (from..lines.len())
        .find(|&j| !lines[j].trim().is_empty())
        .unwrap_or(lines.len())
}

/// Drops a signature introduced by a closing formula («Atentamente», «Saludos cordiales») near the end, when real
/// text comes before it. The closing line is dropped too: it carries no question.
fn strip_closing_signature(kept: &mut Vec<&str>) {
    let Some(pos) = kept.iter().rposition(|l| CLOSER.is_match(l)) else {
        return;
    };
    let after = kept[pos + 1..]
        .iter()
        .filter(|l| !l.trim().is_empty())
        .count();
    let before = kept[..pos].iter().filter(|l| !l.trim().is_empty()).count();
    if after <= MAX_SIGNATURE_LINES && before > 0 {
        kept.truncate(pos);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_reply_has_its_signature_found_above_the_quote() {
        let body = "Estimado Juan:\n\nSu constancia está lista.\n\nAtentamente,\nAna Torres\nMesa de ayuda OSCE\n\n\
                    El lun., 23 nov. 2026 a las 10:00, Juan <juan@x.pe> escribió:\n> ¿Ya está mi constancia?\n> Saludos\n> Juan\n";
        assert_eq!(
            signature(body).as_deref(),
            Some("Ana Torres\nMesa de ayuda OSCE")
        );
        let dashes = "Respuesta.\n-- \nAna Torres\n";
        assert_eq!(signature(dashes).as_deref(), Some("Ana Torres"));
    }

    #[test]
    fn an_unsigned_reply_has_no_signature_even_if_the_quote_has_one() {
        let body = "Su constancia está lista.\n\nEl lun., 23 nov. 2026 a las 10:00, Juan <juan@x.pe> escribió:\n\
                    > ¿Ya está?\n> Atentamente,\n> Juan\n";
        assert_eq!(signature(body), None);
        assert_eq!(signature("Atentamente,\n"), None);
        assert_eq!(signature("Texto sin firma.\n"), None);
    }

    #[test]
    fn quoted_lines_are_dropped() {
        let body =
            "¿Cómo renuevo mi inscripción?\n\n> Estimado usuario, el SEACE...\n> otra línea\n";
        assert_eq!(fresh_text(body, false), "¿Cómo renuevo mi inscripción?\n");
    }

    #[test]
    fn gmail_spanish_reply_header_and_everything_after_are_dropped() {
        let body = "Gracias, pero sigo sin poder ingresar.\n\nEl lun., 3 nov. 2025 a las 10:00, Consultas OSCE <\nconsultas@osce.gob.pe> escribió:\n\nEstimado, sobre la penalidad...\n";
        assert_eq!(
            fresh_text(body, false),
            "Gracias, pero sigo sin poder ingresar.\n"
        );
    }

    #[test]
    fn english_reply_header_is_dropped() {
        let body = "My question.\nOn Mon, Nov 3, 2025 at 10:00 AM OSCE <consultas@osce.gob.pe> wrote:\nold answer\n";
        assert_eq!(fresh_text(body, false), "My question.\n");
    }

    #[test]
    fn outlook_original_message_and_header_block_are_dropped() {
        let a = "Pregunta nueva\n-----Mensaje original-----\nDe: OSCE\nAsunto: arbitraje\n";
        assert_eq!(fresh_text(a, false), "Pregunta nueva\n");
        let b = "Pregunta nueva\n\n________________________________\nDe: Consultas OSCE <consultas@osce.gob.pe>\nEnviado: lunes, 3 de noviembre de 2025 10:00\nPara: Juan\nAsunto: RE: penalidad\n\nTexto viejo\n";
        assert_eq!(fresh_text(b, false), "Pregunta nueva\n");
        let c = "Pregunta nueva\nDe: Consultas OSCE\nFecha: hoy\nAsunto: viejo\nTexto viejo\n";
        assert_eq!(fresh_text(c, false), "Pregunta nueva\n");
    }

    #[test]
    fn dash_dash_signature_is_dropped() {
        let body = "¿Dónde descargo la constancia?\n-- \nIng. Pedro Ruiz\nConsultor de obras\n";
        assert_eq!(fresh_text(body, false), "¿Dónde descargo la constancia?\n");
    }

    #[test]
    fn a_bare_signature_with_its_trades_motto_and_notice_is_dropped() {
        // Outlook's configured signature: no `-- `, no closing formula; a role line full of a folder's words,
        // a line of trades joined by «·», a company ending in «S.A.C.», a motto and a notice under it.
        let body = "¿Cómo se traslada la experiencia de la absorbida?

Dra. Patricia Ugarte Salas
                    Gerente Legal – Edifica Sur Contratistas Generales S.A.C.
                    Arbitraje · Contrataciones con el Estado · RNP · Defensa ante el Tribunal de Contrataciones
                    «Año de la recuperación y consolidación de la economía peruana»
                    CONFIDENCIALIDAD: la información de este correo está amparada por la ley; su divulgación no                     autorizada acarrea las sanciones previstas en la ley.
";
        assert_eq!(
            fresh_text(body, false),
            "¿Cómo se traslada la experiencia de la absorbida?
"
        );
        // A notice between the words and the name is the writer's text; a name alone is not cut from itself.
        let notice_above = "¿Cómo subo el contrato?
IMPORTANTE: es urgente y no encuentro la opción en el módulo del sistema de contrataciones
Juan Pérez
";
        assert_eq!(
            fresh_text(notice_above, false),
            "¿Cómo subo el contrato?
IMPORTANTE: es urgente y no encuentro la opción en el módulo del sistema de contrataciones
"
        );
        assert_eq!(
            fresh_text(
                "Juan Pérez
",
                false
            ),
            "Juan Pérez
"
        );
    }

    #[test]
    fn a_long_trades_line_and_a_notice_about_the_mail_under_the_name_are_dropped() {
        // A firm's trades too long for a signature line, full of Legal's words, under a browser question.
        let trades = "El botón «Enviar» no hace nada. ¿Hay algún navegador recomendado?

Augusto Rengifo Vásquez
Abogado
Rengifo Consultores - Asesoría legal en contrataciones públicas, arbitraje, defensa ante el Tribunal, nulidades y penalidades
Iquitos - Loreto
";
        assert_eq!(
            fresh_text(trades, false),
            "El botón «Enviar» no hace nada. ¿Hay algún navegador recomendado?\n"
        );
        // An entity's clause about its own mail, in the paragraph under the block.
        let notice = "¿Qué formato se usa para pedir la desactivación de su certificado?

Lic. Adm. Yolanda Berrospi Quijano
Unidad de Logística
Anexo 214

Este correo institucional se rige por la Ley de Transparencia; su contenido no constituye pronunciamiento oficial ni genera obligación contractual; cualquier apelación o controversia va por Mesa de Partes.
";
        assert_eq!(
            fresh_text(notice, false),
            "¿Qué formato se usa para pedir la desactivación de su certificado?\n"
        );
        // The writer's own sentences under a name line are the question: they are kept.
        let prose = "Buenos días

Juan Pérez Gómez
Solicito que me indiquen cómo se amplía la capacidad de contratación de mi empresa en el registro, pues ya presenté los documentos
";
        assert_eq!(fresh_text(prose, false), prose);
    }

    #[test]
    fn signature_after_closer_is_dropped_but_the_question_is_kept() {
        let body = "Buenos días,\n¿Cómo amplío mi capacidad de contratación?\n\nAtentamente,\nJuan Pérez\nGerente - Constructora Los Andes SAC\nRUC 20123456789\n";
        assert_eq!(
            fresh_text(body, false),
            "Buenos días,\n¿Cómo amplío mi capacidad de contratación?\n"
        );
        // A closer as the only line keeps nothing away.
        assert_eq!(fresh_text("Saludos\n", false), "Saludos\n");
    }

    #[test]
    fn thunderbirds_default_answer_below_the_quote_with_its_signature_at_the_end() {
        let body = "El 23/11/26 a las 10:00, Juan Pérez escribió:\n> ¿Ya está mi constancia?\n> Juan\n\n\
                    Estimado Juan: su constancia está lista.\n\n-- \nAna Torres\nMesa de ayuda OSCE\n";
        assert_eq!(
            fresh_text(body, false),
            "Estimado Juan: su constancia está lista.\n"
        );
        assert_eq!(
            signature(body).as_deref(),
            Some("Ana Torres\nMesa de ayuda OSCE")
        );
        let english = "On 11/23/26 10:00 AM, Juan wrote:\n>\n> ¿Ya está?\n>\nYa está.\n\nAtentamente,\nAna Torres\n";
        assert_eq!(fresh_text(english, false), "Ya está.\n");
        assert_eq!(signature(english).as_deref(), Some("Ana Torres"));
    }

    #[test]
    fn answers_between_quoted_paragraphs_are_kept() {
        let body = "Juan escribió:\n> ¿Dónde?\nEn el portal.\n> ¿Cuándo?\nHoy.\n-- \nAna\n";
        assert_eq!(fresh_text(body, false), "En el portal.\nHoy.\n");
        assert_eq!(signature(body).as_deref(), Some("Ana"));
    }

    #[test]
    fn outlook_web_and_mobile_quote_headers_end_the_answer() {
        let owa = "Su trámite está aprobado.\n\nSaludos,\nAna Torres\n\n________________________________\n\
                   From: Juan <juan@x.pe>\nSent: Monday, November 23, 2026 10:00 AM\nTo: Consultas\nSubject: Trámite\n\nPregunta\n";
        assert_eq!(fresh_text(owa, false), "Su trámite está aprobado.\n");
        assert_eq!(signature(owa).as_deref(), Some("Ana Torres"));
        let mobile = "Ya está.\nAna Torres\n\nObtener Outlook para Android<https://aka.ms/AAb9ysg>\n\
                      ________________________________\nDe: Juan\nEnviado: lunes\nPara: Consultas\nAsunto: x\n\nPregunta\n";
        // The name under the words is a bare signature: not what the writer asked.
        assert_eq!(fresh_text(mobile, false), "Ya está.\n");
    }

    #[test]
    fn outlook_and_apple_signatures_with_no_dashes_sign_above_the_quote_and_above_a_phone_tagline()
    {
        // Outlook on the web's configured signature (a name and a role) above its header block.
        let owa = "Con un solo postor puede otorgarse la buena pro.\n\nMiguel Ángel Chávez Ruiz\n\
                   Asistente de Atención al Usuario - SEACE\n\n________________________________\nDe: Sofía <s@x.pe>\n\
                   Enviado: miércoles, 18 de noviembre de 2026 14:55\nPara: Consultas\nAsunto: Lances\n\nPregunta\n";
        let a = answer(owa);
        assert_eq!(a.text, "Con un solo postor puede otorgarse la buena pro.\n");
        assert_eq!(
            a.signature.as_deref(),
            Some("Miguel Ángel Chávez Ruiz\nAsistente de Atención al Usuario - SEACE")
        );
        // Outlook for iOS: the typed name, then the app's tagline.
        let ios = "Ya está desbloqueado.\n\nLuis Huamán\n\nGet Outlook for iOS<https://aka.ms/o0ukef>\n\
                   ________________________________\nFrom: Juan <j@x.pe>\nSent: Monday, November 23, 2026 10:41:00 AM\n\
                   To: Consultas\nSubject: Clave\n\nNo puedo entrar\n";
        assert_eq!(answer(ios).signature.as_deref(), Some("Luis Huamán"));
        // Mail on iPhone in HTML: the name, «Enviado desde mi iPhone», the quote.
        let iphone = crate::mail::html_to_text(
            "<div dir=\"ltr\">La penalidad se aplica sobre la entrega atrasada.</div><div dir=\"ltr\"><br></div>\
             <div dir=\"ltr\">Carmen Rojas Vela<br><br><div dir=\"ltr\">Enviado desde mi iPhone</div><div dir=\"ltr\"><br>\
             <blockquote type=\"cite\">El 20 nov 2026, a las 15:05, Ñusta &lt;n@x&gt; escribió:<br><br></blockquote></div>\
             <blockquote type=\"cite\"><div dir=\"ltr\">Estimados: pregunta</div></blockquote></div>",
        );
        let a = answer(&iphone);
        assert_eq!(
            a.text,
            "La penalidad se aplica sobre la entrega atrasada.\n"
        );
        assert_eq!(a.signature.as_deref(), Some("Carmen Rojas Vela"));
        // Thunderbird answering on top with its signature above the quote (no `-- ` then).
        let tb = crate::mail::html_to_text(
            "<p>Su usuario ya fue desbloqueado.</p><div class=\"moz-signature\">Ana Torres<br>Mesa de Consultas</div>\
             <div class=\"moz-cite-prefix\">El 23/11/26 a las 9:12, Juan Pérez escribió:<br></div>\
             <blockquote type=\"cite\"><pre class=\"moz-quote-pre\" wrap=\"\">No puedo entrar</pre></blockquote>",
        );
        assert_eq!(
            answer(&tb).signature.as_deref(),
            Some("Ana Torres\nMesa de Consultas")
        );
    }

    #[test]
    fn a_tagline_or_an_office_alone_signs_nothing() {
        let iphone = "Rubén, el PAC se publica en cinco días hábiles.\n\nEnviado desde mi iPhone\n\n> El 18 nov 2026…\n";
        assert_eq!(answer(iphone).signature, None);
        assert_eq!(
            answer(iphone).text,
            "Rubén, el PAC se publica en cinco días hábiles.\n"
        );
        let android =
            "Ya puede ingresar.\n\nObtener Outlook para Android<https://aka.ms/AAb9ysg>\n";
        assert_eq!(answer(android).signature, None);
        let office = "El 16/11/26 a las 17:25, Lizbeth escribió:\n> ¿Cuándo?\nEl plazo corre desde el consentimiento.\n\n\
                      Atentamente,\n\n--\nMesa de Consultas\nOrganismo Supervisor de las Contrataciones del Estado\n";
        let a = answer(office);
        assert_eq!(a.text, "El plazo corre desde el consentimiento.\n");
        assert_eq!(a.signature, None);
    }

    #[test]
    fn a_quote_with_only_the_automatic_signature_has_no_words_of_its_own() {
        let outlook = "\nLuis Huamán Torres\nAsistente de Atención al Usuario\n\n\nDe: María <m@x.pe>\n\
                       Enviado el: lunes, 23 de noviembre de 2026 10:41 a. m.\nPara: consultas@osce.gob.pe\nAsunto: Clave\n\nPregunta\n";
        let a = answer(outlook);
        assert_eq!(a.text, "");
        assert!(a.signature.is_some());
    }

    #[test]
    fn forwarded_message_is_kept() {
        let body = "Les reenvío mi consulta.\n\n---------- Forwarded message ---------\nDe: Juan <juan@gmail.com>\nDate: lun, 3 nov 2025\nSubject: Penalidad por mora\nTo: <consultas@osce.gob.pe>\n\n¿Cómo se calcula la penalidad por mora?\n";
        let fresh = fresh_text(body, true);
        assert!(
            fresh.contains("¿Cómo se calcula la penalidad por mora?"),
            "{fresh}"
        );
        assert!(fresh.contains("Les reenvío mi consulta."));
    }

    #[test]
    fn outlook_forward_keeps_the_forwarded_question() {
        let body = "\n________________________________\nDe: Juan <juan@gmail.com>\nEnviado: lunes\nPara: Mesa\nAsunto: RNP\n\nNo puedo renovar mi inscripción en el RNP.\n";
        let fresh = fresh_text(body, true);
        assert!(fresh.contains("No puedo renovar mi inscripción"), "{fresh}");
    }

    #[test]
    fn a_forward_por_competencia_keeps_the_citizens_question_under_the_cover_note() {
        // Another agency forwards under a subject of its own, not `RV:`: its cover note says it passes the
        // citizen's message on, so the header block below introduces the question, not an earlier reply.
        let body = "Se traslada la comunicación del ciudadano para la atención de su competencia.\n\n\
                    Oficina Defensorial\nDefensoría del Pueblo\n\n\
                    ________________________________\n\
                    De: Comercial Reyes SRL <creyes@gmail.com>\nEnviado: domingo, 26 de abril de 2026 15:40\n\
                    Para: Oficina Defensorial <od@defensoria.gob.pe>\nAsunto: no pude participar\n\n\
                    En la subasta inversa la pantalla decía «período no iniciado». ¿Cómo lo reporto?\n";
        let fresh = fresh_text(body, false);
        assert!(fresh.contains("¿Cómo lo reporto?"), "{fresh}");
        assert!(fresh.contains("no pude participar"), "{fresh}");
        // Who sent it to whom, and when, is not the question.
        assert!(!fresh.contains("creyes@gmail.com"), "{fresh}");
        assert!(!fresh.contains("Enviado:"), "{fresh}");
        // A reply that does not pass anything on still ends at the earlier message.
        let reply = "Gracias, ¿y cómo se traslada la experiencia?\n\n________________________________\n\
                     De: Consultas <consultas@osce.gob.pe>\nEnviado: lunes\nPara: Juan\nAsunto: RE: RNP\n\n\
                     Estimado, la renovación…\n";
        assert_eq!(
            fresh_text(reply, false),
            "Gracias, ¿y cómo se traslada la experiencia?\n"
        );
    }

    #[test]
    fn the_forwarders_signature_ends_the_cover_note_not_the_forwarded_question() {
        let body = "Se remite para atención, por tratarse del sistema a su cargo.\n\n-- \nMesa de Partes Virtual\n\
                    AVISO: La Contraloría no emite opinión sobre la legalidad de contratos ni nulidades.\n\n\
                    -------- Mensaje reenviado --------\nAsunto: \tno se abren los archivos\nFecha: \t21/05/2026 06:34\n\
                    De: \tanonimo <vecino@gmail.com>\nPara: \tmesa@contraloria.gob.pe\n\n\
                    Los PDF de las bases bajan con 0 KB en la ficha del SEACE. ¿Es falla de la página?\n\n\
                    -- \nUn vecino\n";
        let fresh = fresh_text(body, false);
        assert!(fresh.contains("Se remite para atención"), "{fresh}");
        assert!(!fresh.contains("nulidades"), "{fresh}");
        assert!(fresh.contains("no se abren los archivos"), "{fresh}");
        assert!(fresh.contains("¿Es falla de la página?"), "{fresh}");
        assert!(!fresh.contains("Un vecino"), "{fresh}");
        assert!(!fresh.contains("vecino@gmail.com"), "{fresh}");
    }

    #[test]
    fn a_forwarded_messages_own_stale_subject_does_not_count() {
        let body =
            "Señores, el comité tiene la siguiente duda de fondo.\n\n-----Mensaje original-----\n\
                    De: Presidente de Comité [mailto:comite@region.gob.pe]\nEnviado el: domingo\n\
                    Para: logistica@region.gob.pe\nAsunto: RV: usuario SEACE comité\n\n\
                    ¿Podemos descalificar al postor o es subsanable?\n";
        let fresh = fresh_text(body, true);
        assert!(!fresh.contains("usuario SEACE"), "{fresh}");
        assert!(fresh.contains("¿Podemos descalificar"), "{fresh}");
    }
    /// The question two forwards down, under `top` (the forwarder's note) and `middle` (a forwarded note that
    /// passes it on), and an earlier answer under the question that must stay history.
    const QUESTION: &str =
        "Ya se descontó la penalidad. ¿Cómo la registro en el SEACE, en qué campo de la ficha?";
    const HISTORY: &str = "Procede aplicar la penalidad conforme a la cláusula décima.";

    fn reads_the_question_two_levels_down(body: &str, subject_is_forward: bool) {
        let fresh = fresh_text(body, subject_is_forward);
        assert!(fresh.contains("¿Cómo la registro en el SEACE"), "{fresh}");
        assert!(
            fresh.contains("Favor absolver"),
            "the forwarder's note stays: {fresh}"
        );
        assert!(
            !fresh.contains("Asesoría Legal ya opinó"),
            "the passing-on note goes: {fresh}"
        );
        assert!(
            !fresh.contains("cláusula décima"),
            "the history stays history: {fresh}"
        );
        assert!(!fresh.contains('@'), "no header line: {fresh}");
    }

    #[test]
    fn outlook_desktop_spanish_chain_of_original_messages() {
        let body = format!(
            "Favor absolver.\n\n-----Mensaje original-----\nDe: Jefa de Abastecimiento [mailto:jefa@entidad.gob.pe]\n\
             Enviado el: miércoles, 26 de noviembre de 2025 07:07\nPara: Director <dir@entidad.gob.pe>\n\
             Asunto: RV: penalidades\n\nDirector: reenvío lo que pregunta la especialista. Asesoría Legal ya opinó \
             y la penalidad se aplicó.\n\nSaludos,\nJefa de Abastecimiento\n\n-----Mensaje original-----\n\
             De: Especialista <esp@entidad.gob.pe>\nEnviado el: lunes, 24 de noviembre de 2025 10:14\n\
             Asunto: penalidades\n\n{QUESTION}\n\n-----Mensaje original-----\nDe: Asesoría Legal <al@entidad.gob.pe>\n\
             Asunto: penalidades\n\n{HISTORY}\n"
        );
        reads_the_question_two_levels_down(&body, true);
    }

    #[test]
    fn outlook_web_spanish_and_english_chains_of_header_blocks() {
        let rule = "________________________________";
        let es = format!(
            "Favor absolver.\n\n{rule}\nDe: Jefa <jefa@entidad.gob.pe>\nEnviado: miércoles, 26 de noviembre de 2025 7:07\n\
             Para: Director <dir@entidad.gob.pe>\nAsunto: RV: penalidades\n\nPara su atención. Asesoría Legal ya opinó.\n\n\
             {rule}\nDe: Especialista <esp@entidad.gob.pe>\nEnviado: lunes, 24 de noviembre de 2025 10:14\n\
             Para: Jefa <jefa@entidad.gob.pe>\nAsunto: penalidades\n\n{QUESTION}\n\n{rule}\n\
             De: Asesoría Legal <al@entidad.gob.pe>\nEnviado: viernes\nPara: Especialista <esp@entidad.gob.pe>\n\
             Asunto: penalidades\n\n{HISTORY}\n"
        );
        reads_the_question_two_levels_down(&es, true);
        let en = format!(
            "Favor absolver.\n\n-----Original Message-----\nFrom: Head <head@firm.com>\nSent: Wednesday, November 26, 2025 7:07 AM\n\
             To: Director <dir@firm.com>\nSubject: FW: penalties\n\nFYI, see below. Asesoría Legal ya opinó.\n\n{rule}\n\
             From: Specialist <sp@firm.com>\nSent: Monday, November 24, 2025 10:14 AM\nTo: Head <head@firm.com>\n\
             Subject: penalties\n\n{QUESTION}\n\n-----Original Message-----\nFrom: Legal <legal@firm.com>\n\
             Sent: Friday\nTo: Specialist <sp@firm.com>\nSubject: penalties\n\n{HISTORY}\n"
        );
        reads_the_question_two_levels_down(&en, true);
        // Nothing typed at the middle level (a forward of a forward) passes it on too.
        let bare = format!(
            "Favor absolver.\n\n{rule}\nDe: Jefa <jefa@entidad.gob.pe>\nEnviado: miércoles\nPara: Director <d@e.pe>\n\
             Asunto: RV: penalidades\n\n\n{rule}\nDe: Especialista <esp@entidad.gob.pe>\nEnviado: lunes\n\
             Para: Jefa <jefa@entidad.gob.pe>\nAsunto: penalidades\n\n{QUESTION}\n"
        );
        reads_the_question_two_levels_down(&bare, true);
    }

    #[test]
    fn gmail_thunderbird_and_apple_mail_forward_headers_chain_too() {
        // Gmail (Spanish interface: «De:», then English «Date:», «Subject:», «To:»).
        let gmail = format!(
            "Favor absolver.\n\n---------- Mensaje reenviado ---------\nDe: Jefa <jefa@gmail.com>\n\
             Date: mié, 26 nov 2025 a las 7:07\nSubject: Fwd: penalidades\nTo: <dir@gmail.com>\n\n\
             Ver abajo. Asesoría Legal ya opinó.\n\n---------- Forwarded message ---------\n\
             From: Especialista <esp@gmail.com>\nDate: Mon, Nov 24, 2025 at 10:14 AM\nSubject: penalidades\n\
             To: <jefa@gmail.com>\n\n{QUESTION}\n"
        );
        reads_the_question_two_levels_down(&gmail, true);
        // Thunderbird: the subject first, the fields tab-aligned.
        let thunderbird = format!(
            "Favor absolver.\n\n-------- Mensaje reenviado --------\nAsunto: \tRV: penalidades\n\
             Fecha: \tWed, 26 Nov 2025 07:07:00 -0500\nDe: \tJefa <jefa@entidad.gob.pe>\nPara: \tdir@entidad.gob.pe\n\n\
             Para su conocimiento. Asesoría Legal ya opinó.\n\n-----Mensaje original-----\n\
             De: Especialista [mailto:esp@entidad.gob.pe]\nEnviado el: lunes\nAsunto: penalidades\n\n{QUESTION}\n\n\
             -----Mensaje original-----\nDe: Asesoría Legal\nAsunto: penalidades\n\n{HISTORY}\n"
        );
        reads_the_question_two_levels_down(&thunderbird, true);
        // Apple Mail: a blank line under its marker, «De:» first; the middle level an iPhone's «Enviado desde».
        let apple = format!(
            "Favor absolver.\n\nInicio del mensaje reenviado:\n\nDe: Jefa <jefa@icloud.com>\n\
             Asunto: RV: penalidades\nFecha: 26 de noviembre de 2025, 7:07:00 GMT-5\nPara: dir@icloud.com\n\n\
             Reenvío lo que pregunta la especialista. Asesoría Legal ya opinó.\n\nEnviado desde mi iPhone\n\n\
             Begin forwarded message:\n\nFrom: Especialista <esp@icloud.com>\nSubject: penalidades\n\
             Date: November 24, 2025 at 10:14:00 AM GMT-5\nTo: jefa@icloud.com\n\n{QUESTION}\n"
        );
        reads_the_question_two_levels_down(&apple, true);
        // Roundcube and Zimbra webmail.
        let webmail = format!(
            "Favor absolver.\n\n----- Mensaje reenviado -----\nDe: Jefa <jefa@muni.gob.pe>\nPara: dir@muni.gob.pe\n\
             Enviados: Miércoles, 26 de Noviembre 2025 7:07:00\nAsunto: RV: penalidades\n\n\
             Se remite para su atención. Asesoría Legal ya opinó.\n\n-------- Mensaje original --------\n\
             Asunto: penalidades\nFecha: 24.11.2025 10:14\nRemitente: Especialista <esp@muni.gob.pe>\n\
             Destinatario: jefa@muni.gob.pe\n\n{QUESTION}\n\n-------- Mensaje original --------\n\
             Asunto: penalidades\nFecha: 21.11.2025 09:00\nRemitente: Asesoría Legal <al@muni.gob.pe>\n\
             Destinatario: esp@muni.gob.pe\n\n{HISTORY}\n"
        );
        reads_the_question_two_levels_down(&webmail, true);
    }

    #[test]
    fn a_reply_chain_forwarded_is_read_down_to_the_message_that_asks() {
        // Gmail forwarding a thread: the middle message answers with «ver abajo» over the quoted question.
        let gmail = format!(
            "Favor absolver.\n\n---------- Forwarded message ---------\nFrom: Jefa <jefa@gmail.com>\n\
             Date: Wed, Nov 26, 2025 at 7:07 AM\nSubject: Re: penalidades\nTo: <dir@gmail.com>\n\n\
             Ver abajo, por favor. Asesoría Legal ya opinó.\n\n\
             El lun, 24 nov 2025 a las 10:14, Especialista (<esp@gmail.com>) escribió:\n\n> {QUESTION}\n>\n\
             > El vie, 21 nov 2025 a las 9:00, Asesoría Legal (<al@gmail.com>) escribió:\n>\n>> {HISTORY}\n"
        );
        reads_the_question_two_levels_down(&gmail, true);
        // The same in HTML, as Gmail sends it: the quote in a blockquote.
        let html = crate::mail::html_to_text(&format!(
            "<div dir=\"ltr\">Favor absolver.</div><br><div class=\"gmail_quote\">---------- Forwarded message ---------<br>\
             From: Jefa &lt;jefa@gmail.com&gt;<br>Date: Wed, Nov 26, 2025 at 7:07 AM<br>Subject: Re: penalidades<br>\
             To: &lt;dir@gmail.com&gt;<br><br><div dir=\"ltr\">Ver abajo, por favor. Asesoría Legal ya opinó.</div><br>\
             <div class=\"gmail_quote\">El lun, 24 nov 2025 a las 10:14, Especialista (&lt;esp@gmail.com&gt;) escribió:<br>\
             <blockquote class=\"gmail_quote\"><div dir=\"ltr\">{QUESTION}</div><br><div class=\"gmail_quote\">\
             El vie, 21 nov 2025 a las 9:00, Asesoría Legal (&lt;al@gmail.com&gt;) escribió:<br>\
             <blockquote class=\"gmail_quote\">{HISTORY}</blockquote></div></blockquote></div></div>"
        ));
        reads_the_question_two_levels_down(&html, true);
        // Thunderbird's reply inside an Outlook forward: «El … escribió:» over `>` lines.
        let thunderbird = format!(
            "Favor absolver.\n\n________________________________\nDe: Jefa <jefa@entidad.gob.pe>\nEnviado: miércoles\n\
             Para: Director <dir@entidad.gob.pe>\nAsunto: RE: penalidades\n\nPara su atención. Asesoría Legal ya opinó.\n\n\
             El 24/11/25 a las 10:14, Especialista escribió:\n> {QUESTION}\n"
        );
        reads_the_question_two_levels_down(&thunderbird, true);
    }

    #[test]
    fn a_forwarded_level_with_its_own_question_or_account_keeps_the_history_under_it_out() {
        // The forwarded message asks something itself: what it quotes is its history.
        let asks = format!(
            "Favor absolver.\n\n-----Mensaje original-----\nDe: Especialista <esp@entidad.gob.pe>\nEnviado el: lunes\n\
             Para: Jefa\nAsunto: penalidades\n\n{QUESTION}\n\n-----Mensaje original-----\nDe: Jefa <jefa@entidad.gob.pe>\n\
             Enviado el: viernes\nPara: Especialista\nAsunto: penalidades\n\nVer abajo.\n\n\
             -----Mensaje original-----\nDe: Asesoría Legal <al@entidad.gob.pe>\nEnviado el: jueves\nPara: Jefa\n\
             Asunto: penalidades\n\n{HISTORY}\n"
        );
        let fresh = fresh_text(&asks, true);
        assert!(fresh.contains("¿Cómo la registro"), "{fresh}");
        assert!(!fresh.contains("Ver abajo"), "{fresh}");
        assert!(!fresh.contains("cláusula"), "{fresh}");
        // A forwarded reply that thanks, over the office's earlier answer: the answer is history.
        let thanks = format!(
            "Favor absolver.\n\n________________________________\nDe: Juan <juan@gmail.com>\nEnviado: lunes\n\
             Para: Consultas\nAsunto: RE: penalidades\n\nGracias, quedo atento.\n\n________________________________\n\
             De: Consultas <consultas@osce.gob.pe>\nEnviado: viernes\nPara: Juan\nAsunto: penalidades\n\n{HISTORY}\n"
        );
        let fresh = fresh_text(&thanks, true);
        assert!(fresh.contains("Gracias, quedo atento."), "{fresh}");
        assert!(!fresh.contains("cláusula"), "{fresh}");
        // A reply that is no forward: «ver abajo» over an earlier thread does not make the thread the question.
        let reply = format!(
            "Ver abajo.\n\n________________________________\nDe: Consultas <consultas@osce.gob.pe>\nEnviado: viernes\n\
             Para: Juan\nAsunto: penalidades\n\n{HISTORY}\n"
        );
        assert_eq!(fresh_text(&reply, false), "Ver abajo.\n");
        let quoted = format!(
            "Ver abajo.\n\nEl vie, 21 nov 2025 a las 9:00, Consultas escribió:\n> {HISTORY}\n"
        );
        assert_eq!(fresh_text(&quoted, false), "Ver abajo.\n");
        // The office's own draft is never read down a chain.
        let draft = format!("Derivamos su consulta.\n\nEl lun, Juan escribió:\n> {QUESTION}\n");
        assert_eq!(answer(&draft).text, "Derivamos su consulta.\n");
    }
}
