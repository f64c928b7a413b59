//! Text normalisation and pattern compilation: how `inscripcion`, `INSCRIPCIÓN` and `inscripción` become equal.
//!
//! Both the message and the plain patterns are normalised the same way: canonical decomposition (NFD) with the
//! accents dropped, lower case, every other non-ASCII character turned into a space, whitespace collapsed. The
//! result is pure ASCII, so ASCII word boundaries are exact and the regex engine's fast DFA always applies.

use std::sync::{Arc, OnceLock};

use regex::bytes::{Regex, RegexBuilder};
use regex_automata::{meta, util::syntax, MatchKind};
use regex_syntax::hir::Hir;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use super::regex_plan::{parse_for_lower_case, NFA_SIZE_LIMIT};

/// The normalised form of `s`: lower-case ASCII, no accents, single spaces, trimmed.
pub fn normalize(s: &str) -> String {
    normalize_noting(s, usize::MAX).0
}

/// [`normalize`], and about every `every` output bytes a checkpoint `(input byte, output length)` where a
/// run of visible ASCII starts with no space pending: [`original_range_from`] resumes mapping there instead
/// of at the start of a 20 KB body. There is one too after each character that does not keep its place (a
/// letter with an accent, a run of spaces), so that from the last checkpoint before a match in plain words
/// each output byte is the input byte at the same distance, and the match is placed without mapping.
pub(crate) fn normalize_noting(s: &str, every: usize) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut checkpoints = Vec::new();
    normalize_noting_into(s, every, &mut text, &mut checkpoints);
    (text, checkpoints)
}

/// [`normalize_noting`] written over `text` and `checkpoints` (cleared first), so a caller that normalises one
/// message after another reuses their buffers.
pub(crate) fn normalize_noting_into(
    s: &str,
    every: usize,
    text: &mut String,
    checkpoints: &mut Vec<(usize, usize)>,
) {
    checkpoints.clear();
    let mut next_checkpoint = every;
    // Fast path for the ASCII runs that make up most of a Spanish message; the rare accented letter goes
    // through the general routine one character at a time.
    let bytes = s.as_bytes();
    let mut out: Vec<u8> = std::mem::take(text).into_bytes();
    out.clear();
    out.reserve(s.len());
    let mut pending_space = false;
    // Since the last checkpoint, a character that does not keep its place (see above) was read.
    let mut moved = false;
    // The normalised form of a character outside the table, reused so no character allocates.
    let mut general = String::new();
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while the text is plain ASCII words and single spaces: words are about six
        // letters long, so a run-by-run copy paid its setup for every word. A chunk that holds an accented
        // letter or a line break has its plain bytes before it taken the same way (the rule bench's Spanish
        // has an accent every few words, and those chunks went byte by byte).
        if let Some(chunk) = bytes
            .get(i..i + 8)
            .and_then(|c| <[u8; 8]>::try_from(c).ok())
        {
            let (lowered, plain) = lower_plain_prefix(chunk);
            if plain > 0 {
                let starts_with_space = chunk[0] == b' ';
                // A space after a pending one, or at the very start, is not copied: the slow path decides.
                if !(starts_with_space && (pending_space || out.is_empty())) {
                    if pending_space && !out.is_empty() {
                        out.push(b' ');
                    }
                    // A checkpoint where a visible byte starts the chunk, as the slow path places them: without
                    // one here, plain text had none for kilobytes, nor after an accented word, and mapping an
                    // explanation's match walked from far back.
                    if !starts_with_space && (out.len() >= next_checkpoint || moved) {
                        checkpoints.push((i, out.len()));
                        next_checkpoint = out.len().saturating_add(every);
                        moved = false;
                    }
                    // A trailing space is left pending, as the slow path would, in case more follow.
                    pending_space = chunk[plain - 1] == b' ';
                    // All eight, then cut to the plain bytes less a trailing space: a copy of a length known
                    // only at run time is a call to `memcpy` (most of the normaliser's copies).
                    let kept = out.len() + plain - usize::from(pending_space);
                    out.extend_from_slice(&lowered.to_le_bytes());
                    out.truncate(kept);
                    i += plain;
                    continue;
                }
            }
        }
        let b = bytes[i];
        if b.is_ascii_graphic() {
            // A run of visible ASCII is copied lower-cased in one go.
            if pending_space && !out.is_empty() {
                out.push(b' ');
            }
            pending_space = false;
            if out.len() >= next_checkpoint || moved {
                checkpoints.push((i, out.len()));
                next_checkpoint = out.len().saturating_add(every);
                moved = false;
            }
            let run = bytes[i..]
                .iter()
                .position(|b| !b.is_ascii_graphic())
                .unwrap_or(bytes.len() - i);
            out.extend(bytes[i..i + run].iter().map(u8::to_ascii_lowercase));
            i += run;
            continue;
        }
        if b.is_ascii() {
            // Whitespace and control characters (all ASCII that is not graphic) separate words; the second
            // of a run is dropped.
            moved |= pending_space;
            pending_space = true;
            i += 1;
            continue;
        }
        moved = true;
        // A two-byte character (every accented letter of Spanish) decoded here; `s` is valid UTF-8, so a lead
        // byte from 0xC2 to 0xDF is always followed by its continuation byte.
        let two = match (b, bytes.get(i + 1)) {
            (0xc2..=0xdf, Some(&next)) => {
                char::from_u32(u32::from(b & 0x1f) << 6 | u32::from(next & 0x3f))
            }
            _ => None,
        };
        let Some(c) = two.or_else(|| s[i..].chars().next()) else {
            break;
        };
        i += c.len_utf8();
        let piece: &[u8] = match latin_letter(c) {
            Some(known) => known,
            None => {
                general.clear();
                normalize_into(
                    c.encode_utf8(&mut [0; 4]),
                    Some(&mut general),
                    None,
                    0,
                    usize::MAX,
                    false,
                );
                general.as_bytes()
            }
        };
        if piece.is_empty() {
            // An accent on its own, or a symbol that becomes a space.
            if !is_combining_mark(c) {
                pending_space = true;
            }
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(b' ');
        }
        pending_space = false;
        out.extend_from_slice(piece);
    }
    // Every byte written is ASCII, so this never fails; the fallback only avoids a panic path.
    *text = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
}

/// `chunk` lower-cased, as a little-endian word, when it holds only visible ASCII and single spaces (never two
/// in a row); `None` otherwise. Bit tricks on the eight bytes at once: every byte is below 0x80, so adding a
/// constant below 0x80 to each never carries into the next.
#[inline]
fn lower_words(chunk: [u8; 8]) -> Option<u64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    let x = u64::from_le_bytes(chunk);
    if x & HIGH != 0 {
        return None;
    }
    // High bit set where the byte is a space (b ^ 0x20 == 0 is the only value that stays below 0x80).
    let space = !((x ^ (ONES * 0x20)) + ONES * 0x7f) & HIGH;
    // High bit set where the byte is 0x21 or above, and where it is 0x7f (DEL, a control character).
    let visible = (x + ONES * 0x5f) & HIGH;
    let del = (x + ONES) & HIGH;
    if visible | space != HIGH || del != 0 || space & (space >> 8) != 0 {
        return None;
    }
    // `A`..=`Z`: at least 0x41 and not at least 0x5b; adding 0x20 (the high bit shifted down twice) lowers it.
    let upper = (x + ONES * (0x80 - 0x41)) & !(x + ONES * (0x80 - 0x5b)) & HIGH;
    Some(x | upper >> 2)
}

/// `chunk` lower-cased, as a little-endian word, and how many of its first bytes are plain: visible ASCII and
/// single spaces, as in [`lower_words`] (8 when it would accept the whole chunk). Only those first bytes of the
/// word are meaningful. The sums below (wrapping: a byte from 0x80 up may carry out of the word) carry only from a byte into the next one up, and every byte before the
/// first non-ASCII one is below 0x80, so the tests of the plain bytes are exact; a space just before a
/// non-ASCII byte may be counted out, which only leaves it to the slow path.
#[inline]
fn lower_plain_prefix(chunk: [u8; 8]) -> (u64, usize) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    let x = u64::from_le_bytes(chunk);
    let space = !((x ^ (ONES * 0x20)).wrapping_add(ONES * 0x7f)) & HIGH;
    let visible = x.wrapping_add(ONES * 0x5f) & HIGH;
    let del = x.wrapping_add(ONES) & HIGH;
    // High bit set on every byte that is not plain: not ASCII, neither visible nor a space, DEL, or a space
    // followed by another.
    let bad = (x | !(visible | space) | del | (space & (space >> 8))) & HIGH;
    let plain = (bad.trailing_zeros() / 8) as usize;
    let upper = x.wrapping_add(ONES * (0x80 - 0x41)) & !x.wrapping_add(ONES * (0x80 - 0x5b)) & HIGH;
    (x | upper >> 2, plain)
}

/// The normalised form of a character from U+0080 to U+024F (Latin-1 and Latin Extended-A/B: every accented
/// letter of Spanish and its neighbours), computed once by the general routine; `None` outside that range.
/// Decomposing each «ó» of a message one at a time was a third of the time spent normalising.
fn latin_letter(c: char) -> Option<&'static [u8]> {
    /// Up to four normalised bytes and how many are used.
    type Entry = ([u8; 4], u8);
    const FIRST: u32 = 0x80;
    const END: u32 = 0x250;
    static TABLE: OnceLock<Vec<Option<Entry>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (FIRST..END)
            .map(|cp| {
                let c = char::from_u32(cp)?;
                let mut piece = String::new();
                normalize_into(
                    c.encode_utf8(&mut [0; 4]),
                    Some(&mut piece),
                    None,
                    0,
                    usize::MAX,
                    false,
                );
                let mut bytes = [0; 4];
                bytes
                    .get_mut(..piece.len())?
                    .copy_from_slice(piece.as_bytes());
                Some((bytes, piece.len() as u8))
            })
            .collect()
    });
    let index = (c as u32).checked_sub(FIRST)? as usize;
    let (bytes, len) = table.get(index)?.as_ref()?;
    Some(&bytes[..*len as usize])
}

/// [`latin_letter`] when `table` is set and `c` is not ASCII; `None` otherwise.
#[inline]
fn latin_letter_if(table: bool, c: char) -> Option<&'static [u8]> {
    if table {
        latin_letter(c)
    } else {
        None
    }
}

/// Like [`normalize`], and for every output byte the byte range of the input character it came from, so a match
/// can be shown to the administrator as the citizen wrote it.
#[cfg(test)]
pub(crate) fn normalize_with_map(s: &str) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len());
    normalize_into(s, Some(&mut out), Some(&mut map), 0, usize::MAX, true);
    (out, map)
}

/// The byte range of `s` that bytes `start..end` of `normalize(s)` came from, as the citizen wrote them; `None`
/// if the range is empty or past the end. Only the text up to the match is mapped: an explanation needs two
/// positions, not a map of a 20 KB body.
pub(crate) fn original_range(s: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    if start >= end {
        return None;
    }
    let mut map = Vec::with_capacity(end - start + 1);
    // One character past `end`, so accents typed after the last matched letter are already attached to it;
    // only bytes from `start` on are mapped, and the normalised text itself is only counted, not written: a
    // match deep in a 20 KB body made every explanation rewrite the body up to it.
    normalize_into(s, None, Some(&mut map), start, end, true);
    Some((map.first()?.0, map.get(end - 1 - start)?.1))
}

/// [`original_range`], resuming at the last of `checkpoints` (from [`normalize_noting`]) before `start`: there
/// a visible ASCII byte starts a word with nothing pending, so mapping from it alone gives the same positions.
pub(crate) fn original_range_from(
    s: &str,
    checkpoints: &[(usize, usize)],
    start: usize,
    end: usize,
) -> Option<(usize, usize)> {
    let at = checkpoints.partition_point(|&(_, out)| out <= start);
    let checkpoint = at.checked_sub(1).and_then(|k| checkpoints.get(k));
    // The text's start is a checkpoint too when a visible ASCII byte opens it (nothing there is dropped).
    let (input, out) = checkpoint.copied().unwrap_or((0, 0));
    if let Some(range) = same_places(s.as_bytes(), input, start - out, end - out) {
        return Some((range.0 + input, range.1 + input));
    }
    let Some(&(input, out)) = checkpoint else {
        return original_range(s, start, end);
    };
    let rest = s.get(input..)?;
    let (from, to) = original_range(rest, start - out, end - out)?;
    Some((from + input, to + input))
}

/// [`original_range`] of `bytes[input..]` (a place where a visible ASCII byte starts, with nothing pending)
/// when no character there moves a byte: up to the match's end every byte is ASCII and no two bytes that are
/// not visible follow each other (each is one space), and the first byte after the match that is not a space
/// is ASCII (no accent typed after it attaches to its last letter). Then output byte `k` came from input byte `k`, and the match's
/// bytes `start..end` from the same places, without mapping anything: most explanations' matches are in
/// plain ASCII words, where the mapping walked the hundred bytes from the last checkpoint one at a time.
/// `None` when that does not hold (or the range is empty): the caller maps.
fn same_places(bytes: &[u8], input: usize, start: usize, end: usize) -> Option<(usize, usize)> {
    let span = bytes.get(input..input.checked_add(end)?)?;
    if start >= end || !span.first()?.is_ascii_graphic() {
        return None;
    }
    let mut visible = true;
    for &b in span {
        if !b.is_ascii() {
            return None;
        }
        let now = b.is_ascii_graphic();
        if !now && !visible {
            return None;
        }
        visible = now;
    }
    // An accent typed after the match, even past spaces, attaches to its last letter: the first byte after
    // the match that is not a space must not start one.
    let after = bytes[input + end..]
        .iter()
        .find(|b| !b.is_ascii() || b.is_ascii_graphic());
    if after.is_some_and(|b| !b.is_ascii()) {
        return None;
    }
    Some((start, end))
}

/// Normalises `s` into `out` (or only counts the output when `out` is `None`), recording in `map` where each
/// output byte from the `from`th on came from, and stops once the output is longer than `limit` bytes. With
/// `table`, Latin letters come from [`latin_letter`]'s table (which is itself built without it).
fn normalize_into(
    s: &str,
    out: Option<&mut String>,
    mut map: Option<&mut Vec<(usize, usize)>>,
    from: usize,
    limit: usize,
    table: bool,
) {
    let mut w = Writer {
        out,
        len: 0,
        pending_space: None,
        from,
    };
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() && w.len <= limit {
        // Only counting, and still well before the first byte to map: eight bytes of plain words and single
        // spaces at a time, as in `normalize` (explanations of matches deep in a long body spent their time
        // here).
        if w.out.is_none() && w.len + 9 <= from {
            if let Some(chunk) = bytes
                .get(i..i + 8)
                .and_then(|c| <[u8; 8]>::try_from(c).ok())
                .filter(|c| lower_words(*c).is_some())
            {
                if !(chunk[0] == b' ' && (w.pending_space.is_some() || w.len == 0)) {
                    if w.pending_space.take().is_some() && w.len > 0 {
                        w.len += 1;
                    }
                    if chunk[7] == b' ' {
                        // The first space of a run, kept pending as `emit` would.
                        w.pending_space = Some((i + 7, i + 8));
                        w.len += 7;
                    } else {
                        w.len += 8;
                    }
                    i += 8;
                    continue;
                }
            }
        }
        let b = bytes[i];
        if b.is_ascii_graphic() {
            // Fast path for the runs of visible ASCII that make up most of a Spanish message: the first
            // character settles a pending space, the rest are copied.
            w.emit(
                b.to_ascii_lowercase() as char,
                (i, i + 1),
                map.as_deref_mut(),
            );
            let run = bytes[i + 1..]
                .iter()
                .position(|b| !b.is_ascii_graphic())
                .unwrap_or(bytes.len() - i - 1);
            let at = w.len;
            w.len += run;
            if let Some(out) = w.out.as_deref_mut() {
                out.extend(
                    bytes[i + 1..i + 1 + run]
                        .iter()
                        .map(|b| b.to_ascii_lowercase() as char),
                );
            }
            if let Some(m) = map.as_deref_mut() {
                let skip = from.saturating_sub(at);
                m.extend((i + 1 + skip..i + 1 + run).map(|k| (k, k + 1)));
            }
            i += 1 + run;
            continue;
        }
        if b.is_ascii() {
            // Fast path: most of a Spanish message is ASCII.
            let c = if b.is_ascii_whitespace() || b.is_ascii_control() {
                b' '
            } else {
                b.to_ascii_lowercase()
            };
            w.emit(c as char, (i, i + 1), map.as_deref_mut());
            i += 1;
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        let range = (i, i + c.len_utf8());
        i = range.1;
        // A Latin letter that becomes one ASCII letter (á → a, Ñ → n) is looked up: decomposing it and asking
        // whether it is a combining mark was most of the cost of mapping an accented text.
        if let Some(&[one]) = latin_letter_if(table, c) {
            w.emit(one as char, range, map.as_deref_mut());
            continue;
        }
        if is_combining_mark(c) {
            // An accent typed as its own character: it belongs to the letter before it.
            if let Some(last) = map.as_deref_mut().and_then(|m| m.last_mut()) {
                last.1 = range.1;
            }
            continue;
        }
        let mut emitted = false;
        decompose_canonical(c, |d| {
            if emitted || is_combining_mark(d) {
                return;
            }
            // The first non-mark of a canonical decomposition is the base letter (ó → o).
            emitted = true;
            for l in d.to_lowercase() {
                let l = if l.is_ascii_alphanumeric() || l.is_ascii_punctuation() {
                    l
                } else {
                    ' '
                };
                w.emit(l, range, map.as_deref_mut());
            }
        });
    }
    // A trailing pending space is never written: the result is trimmed.
}

/// Appends normalised characters, collapsing spaces.
struct Writer<'a> {
    /// Where the text goes; `None` when only the map is wanted.
    out: Option<&'a mut String>,
    /// Bytes of normalised text so far, written or not.
    len: usize,
    /// The input range of the first whitespace of a run not yet written.
    pending_space: Option<(usize, usize)>,
    /// The first output byte to map: an explanation needs the map of the match only.
    from: usize,
}

impl Writer<'_> {
    #[inline]
    fn emit(&mut self, c: char, range: (usize, usize), map: Option<&mut Vec<(usize, usize)>>) {
        if c == ' ' {
            self.pending_space.get_or_insert(range);
            return;
        }
        let mut map = map;
        if let Some(space) = self.pending_space.take() {
            if self.len > 0 {
                if let Some(m) = map.as_deref_mut().filter(|_| self.len >= self.from) {
                    m.push(space);
                }
                self.push(' ');
            }
        }
        if let Some(m) = map.filter(|_| self.len >= self.from) {
            m.push(range);
        }
        self.push(c);
    }

    /// Adds one output character (ASCII, one byte).
    #[inline]
    fn push(&mut self, c: char) {
        self.len += c.len_utf8();
        if let Some(out) = self.out.as_deref_mut() {
            out.push(c);
        }
    }
}

/// A checked pattern: what the administrator wrote and how it is searched for in normalised text.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    /// The pattern as written in the rule file.
    pub source: String,
    /// The regex that implements it on normalised text: what `re:` and inner-wildcard patterns run, and what
    /// every pattern's explanation uses.
    pub regex_source: String,
    /// A plain pattern without an inner `*`: the literal text and its boundary tests, searched for with the
    /// field's Aho-Corasick automaton instead of a regex.
    pub literal: Option<Literal>,
    /// `regex_source` compiled alone, for explanations and checks. It is built the first time one needs it:
    /// building every pattern's regex at load time doubled the start-up cost of `triaje rules test` for the
    /// one or two it shows.
    regex: OnceLock<Option<Regex>>,
    /// `regex_source` compiled ([`Pattern::with_searcher`]) for the patterns classifying runs as regexes
    /// (`re:` and inner `*`): the same regex one level down, where a search can be anchored at the places its
    /// field's automaton saw it may start.
    pub searcher: Option<Searcher>,
}

impl Pattern {
    /// A `re:` pattern whose regex was rewritten for normalised text ahead of time (the shipped rules' table,
    /// `shipped_regexes`): what [`compile_parsed`] gives for `source`, without parsing it.
    pub fn prepared(source: &str, regex_source: &str) -> Pattern {
        Pattern {
            source: source.to_string(),
            regex_source: regex_source.to_string(),
            literal: None,
            regex: OnceLock::new(),
            searcher: None,
        }
    }

    /// The same pattern with its searcher ([`build_searcher`] of its `regex_source`, built or to build).
    pub fn with_searcher(self, searcher: Searcher) -> Pattern {
        Pattern {
            searcher: Some(searcher),
            ..self
        }
    }

    /// The pattern's own regex; `None` only if it cannot be built, which cannot happen to a plain pattern
    /// (escaped words) nor to one whose searcher was built at load (the same regex, the same limits).
    pub fn regex(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| build_regex(&self.regex_source).ok())
            .as_ref()
    }
}

/// A plain pattern's literal text (normalised) and where it must sit: exactly what its regex says, tested by
/// hand around each occurrence the automaton reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Literal {
    /// The normalised words, with the outer `*` removed.
    pub text: String,
    /// A word boundary is required before it (`(?-u:\b)` in the regex).
    pub word_start: bool,
    /// The word must end here (the regex's `(?:$|[^a-z0-9_.@]|[.@](?:$|[^a-z0-9_]))`).
    pub word_end: bool,
}

impl Literal {
    /// Whether the occurrence of the literal at `start..end` of `text` satisfies the boundary tests.
    #[inline]
    pub fn fits(&self, text: &[u8], start: usize, end: usize) -> bool {
        if self.word_start && start > 0 && is_word_byte(text[start - 1]) {
            return false;
        }
        if self.word_end {
            match text.get(end) {
                None => {}
                Some(&b) if !is_name_byte(b) => {}
                // A dot or @ ends the word unless more name follows (`[.@](?:$|[^a-z0-9_])`).
                Some(b'.' | b'@') => {
                    let more = text.get(end + 1);
                    return !more.is_some_and(|&n| is_word_byte(n) && !n.is_ascii_uppercase());
                }
                Some(_) => return false,
            }
        }
        true
    }
}

/// `(?-u:\b)`'s idea of a word character: ASCII letters, digits and `_`.
#[inline]
pub(crate) const fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The class `[a-z0-9_.@]` of the end test: a character that continues a word or an address.
#[inline]
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'.' | b'@')
}

/// [`compile_parsed`] without the parsed regex.
#[cfg(test)]
pub(crate) fn compile(source: &str) -> Result<Pattern, String> {
    compile_parsed(source).map(|(pattern, _)| pattern)
}

/// Checks a pattern: `re:…` is a regex on normalised text (case-insensitive); anything else is literal text
/// matched on word boundaries, where a leading or trailing `*` lifts the boundary (`inscri*`, `*@sunat.gob.pe`)
/// and an inner `*` stands for any run of non-space characters. Errors are Spanish sentences.
///
/// A `re:` pattern is only parsed here (cheap), not compiled: the rule set builds each distinct regex once.
/// With it comes the parsed regex its `regex_source` prints (`None` for a plain pattern): what the rule set
/// learns about the regex (where its matches start, whether its searcher may fail to build) is read from it
/// instead of parsing `regex_source` again ([`super::regex_plan`]; the shipped rules' regexes were prepared
/// when triaje was built and are not parsed here at all).
pub(crate) fn compile_parsed(source: &str) -> Result<(Pattern, Option<Hir>), String> {
    let (regex_source, literal, parsed) = if let Some(re) = source.strip_prefix("re:") {
        if re.trim().is_empty() {
            return Err(
                "el patrón «re:» está vacío: escriba la expresión regular después de «re:»".into(),
            );
        }
        // Accents are removed from the message, so remove them from the regex too; case is handled on the
        // parsed regex (lower-casing the source would turn \W into \w).
        let lowered = parse_for_lower_case(&strip_accents(re))
            .map_err(|last| format!("expresión regular inválida «{source}»: {last}"))?;
        (lowered.to_string(), None, Some(lowered))
    } else {
        let (regex_source, literal) = plain_regex(source)?;
        (regex_source, literal, None)
    };
    let pattern = Pattern {
        source: source.to_string(),
        regex_source,
        literal,
        regex: OnceLock::new(),
        searcher: None,
    };
    Ok((pattern, parsed))
}

fn plain_regex(source: &str) -> Result<(String, Option<Literal>), String> {
    let norm = normalize(source);
    if norm.trim_matches('*').trim().is_empty() {
        return Err(if source.trim().is_empty() {
            "patrón vacío: escriba una palabra o frase, o quite el patrón".to_string()
        } else {
            format!("el patrón «{source}» no tiene letras ni números que buscar")
        });
    }
    // «(mi |la )?datos» written without «re:» would be searched for literally and never match: say so.
    if norm.contains('|') || norm.contains(")?") || norm.contains(")*") || norm.contains("\\b") {
        return Err(format!(
            "el patrón «{source}» parece una expresión regular pero no empieza con «re:», así que se buscaría \
             tal cual y nunca coincidiría; escriba «re:{source}»"
        ));
    }
    let open_start = norm.starts_with('*');
    let open_end = norm.ends_with('*');
    let core = norm.trim_matches('*');
    let body = core
        .split('*')
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r"\S*");
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    let word_start = !open_start && is_word(core.chars().next());
    let word_end = !open_end && is_word(core.chars().last());
    let mut re = String::with_capacity(body.len() + 16);
    if word_start {
        re.push_str(r"(?-u:\b)");
    }
    re.push_str(&body);
    if word_end {
        // Like \b, but a dot or @ followed by more name is not an end: «*@sunat.gob.pe» must not match
        // «x@sunat.gob.pe.fake.com», while «rnp.» at the end of a sentence still matches «rnp».
        re.push_str(r"(?:$|[^a-z0-9_.@]|[.@](?:$|[^a-z0-9_]))");
    }
    // An inner `*` needs the regex; everything else is a literal the automaton finds.
    let literal = (!core.contains('*')).then(|| Literal {
        text: core.to_string(),
        word_start,
        word_end,
    });
    Ok((re, literal))
}

/// Compiles a regex for normalised (pure ASCII) text: ASCII classes and boundaries keep the automata small and
/// fast, and on ASCII input they mean exactly what the Unicode ones would.
pub(crate) fn build_regex(source: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(source).unicode(false).build()
}

/// The searcher of a `re:` or inner-wildcard pattern ([`build_searcher`] of its regex), shared by every
/// pattern written as the same regex: built at load ([`Searcher::now`]), or the first time a search needs it
/// ([`Searcher::later`]), so a `triaje rules test` builds only the few regexes whose starting literals its
/// message holds (building all of them was a third of its instructions).
#[derive(Debug, Clone)]
pub(crate) struct Searcher(Arc<SearcherCell>);

/// What a [`Searcher`] shares: the regex and, once built, its searcher.
#[derive(Debug)]
struct SearcherCell {
    source: String,
    /// Built without the lazy DFA ([`Searcher::later`]).
    light: bool,
    built: OnceLock<Option<meta::Regex>>,
}

impl Searcher {
    /// The searcher of `source`, built now; the error is [`build_searcher`]'s.
    pub fn now(source: &str) -> Result<Searcher, String> {
        let built = build_searcher(source)?;
        Ok(Searcher(Arc::new(SearcherCell {
            source: source.to_string(),
            light: false,
            built: OnceLock::from(Some(built)),
        })))
    }

    /// The searcher of `source`, built the first time [`Searcher::get`] is called. Only for a regex already
    /// parsed that [`may_exceed_limits`](super::regex_plan::may_exceed_limits) clears: the one error
    /// building could still give is ruled out.
    ///
    /// It is built for the message or two of a command (`triaje rules test`), without the lazy DFA
    /// ([`build_light_searcher`]): the same matches, found by the backtracker or the PikeVM, for half of the
    /// building (the reverse NFA and the DFA's cache are what the lazy DFA costs before its first search).
    pub fn later(source: &str) -> Searcher {
        Searcher(Arc::new(SearcherCell {
            source: source.to_string(),
            light: true,
            built: OnceLock::new(),
        }))
    }

    /// The searcher, built now if it was not; `None` only if building failed, which [`Searcher::later`]'s
    /// condition rules out.
    pub fn get(&self) -> Option<&meta::Regex> {
        self.0
            .built
            .get_or_init(|| {
                let build = if self.0.light {
                    build_light_searcher
                } else {
                    build_searcher
                };
                build(&self.0.source).ok()
            })
            .as_ref()
    }

    /// Whether it has been built (for tests of the lazy loading).
    #[cfg(test)]
    pub fn is_built(&self) -> bool {
        self.0.built.get().is_some()
    }
}

/// What [`build_regex`] builds, taken from the level below the `regex` crate (the same configuration, so the
/// same matches and the same size limits): a search there can be anchored at a position, which lets a `re:`
/// pattern be tried only where its field's automaton saw one of its starting literals instead of scanning to
/// the end of the text. The error is the one [`build_regex`] gives for the same source.
pub(crate) fn build_searcher(source: &str) -> Result<meta::Regex, String> {
    build_searcher_with(source, true)
}

/// [`build_searcher`] without the lazy DFA, for a regex searched in a message or two: the same matches (every
/// engine of `meta` finds the same leftmost-first match), found by the bounded backtracker or the PikeVM;
/// without the DFA there is no reverse NFA to build, and no DFA cache to allocate. Building no more can only
/// fail where [`build_searcher`] fails.
fn build_light_searcher(source: &str) -> Result<meta::Regex, String> {
    build_searcher_with(source, false)
}

/// [`build_searcher`], with the lazy DFA or without it.
fn build_searcher_with(source: &str, lazy_dfa: bool) -> Result<meta::Regex, String> {
    // `regex::bytes::RegexBuilder`'s defaults (regex 1.x, `Builder::default` and `build_one_bytes`).
    let config = meta::Config::new()
        .nfa_size_limit(Some(NFA_SIZE_LIMIT))
        .hybrid_cache_capacity(2 * (1 << 20))
        .match_kind(MatchKind::LeftmostFirst)
        .utf8_empty(false)
        .hybrid(lazy_dfa);
    meta::Builder::new()
        .configure(config)
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .build(source)
        .map_err(|below| match build_regex(source) {
            Err(e) => e.to_string(),
            Ok(_) => below.to_string(),
        })
}

/// Removes combining accents (NFD) without changing anything else.
pub(crate) fn strip_accents(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::regex_plan::{
        last_line, lower_case_only, may_exceed_limits, nfa_bytes_at_most, parse_regex,
    };
    use std::path::Path;

    #[test]
    fn the_cheap_parse_reads_every_regex_as_its_case_insensitive_parse_does() {
        // The shipped rules' regexes, and ones written to reach each branch: capitals in literals and classes,
        // a negated class, inline flags, named and plain groups, escapes of capitals.
        let mut regexes: Vec<String> = crate::rules::regex_plan::shipped_rule_patterns()
            .into_iter()
            .map(|p| p["re:".len()..].to_string())
            .collect();
        assert!(regexes.len() > 100, "{}", regexes.len());
        regexes.extend(
            [
                r"\bSEACE\b",
                r"[A-Z]{3}-\d+",
                r"[A-Fa-f0-9]+ y [M-q]",
                r"[^a-z]+",
                r"[[:^lower:]]x",
                r"(?-i:RNP) o rnp",
                r"(?i)Ley",
                r"(?x) a b # c",
                r"(?:Hola|ADIOS)(?P<n>Bb)(?<m>C)",
                r"\x41\x62 \W\S\D [\w&&[^X]]",
                r"^(muchas )?GRACIAS[.!]*$",
                r"a)(b",
                r"\b(puedo|Podemos)\b[^.!?]*\?",
                r"[^.?!;]{0,60}\b(en|de) RNP",
                r"[^\d\s.,]+ [^a-z]+ [^!-~] [^-] [^0-9A] [^\w.]",
                r"[a[^b]] [^.[^c]] [^.&&[^d]] [^[:punct:]]",
                r"(x[^.?]*)+[^\x41]",
            ]
            .map(String::from),
        );
        // Not always the same tree: the parser's constructors group a regex differently when its letters come
        // as two-letter classes («ha |han » stays as written here, becomes «ha( |n )» there). What the regex
        // matches is what must not change: every match of both, as the rules run them (leftmost first), over
        // the normalised text of the regression corpus and over text made of the regexes' own words.
        let mut texts: Vec<String> = Vec::new();
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
        for entry in std::fs::read_dir(corpus).expect("tests/corpus") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "eml") {
                texts.push(normalize(&String::from_utf8_lossy(
                    &std::fs::read(&path).expect("read"),
                )));
            }
        }
        texts.push(normalize(
            &regexes
                .join(" ")
                .replace(['\\', '(', ')', '?', '|', '[', ']'], " "),
        ));
        let all = texts.join("\n");
        for re in &regexes {
            let re = strip_accents(re);
            let general = parse_regex(&format!("(?i:{re})")).map(lower_case_only);
            let cheap = parse_for_lower_case(&re);
            let (Ok(general), Ok(cheap)) = (general.clone(), cheap.clone()) else {
                assert_eq!(cheap, general, "{re}");
                continue;
            };
            let spans = |hir: &Hir| -> Vec<(usize, usize)> {
                build_searcher(&hir.to_string())
                    .expect("builds")
                    .find_iter(all.as_bytes())
                    .map(|m| (m.start(), m.end()))
                    .collect()
            };
            assert_eq!(spans(&cheap), spans(&general), "{re}");
        }
    }

    fn matches(pattern: &str, text: &str) -> bool {
        compile(pattern)
            .expect("valid pattern")
            .regex()
            .expect("builds")
            .is_match(normalize(text).as_bytes())
    }

    #[test]
    fn accents_case_and_spacing_do_not_matter() {
        assert_eq!(
            normalize("  INSCRIPCIÓN\t en   el\nRNP  "),
            "inscripcion en el rnp"
        );
        for text in ["inscripcion", "INSCRIPCIÓN", "inscripción", "Inscripción."] {
            assert!(matches("inscripción", text), "{text}");
            assert!(matches("INSCRIPCION", text), "{text}");
        }
        assert_eq!(normalize("año ¿cómo? “contraseña”"), "ano como? contrasena");
        assert!(matches("rnp", "Sobre el RNP."));
        assert!(!matches("seace", "www.seace.gob.pe"));
    }

    #[test]
    fn fast_and_mapped_normalisation_agree() {
        for s in [
            "",
            " a ",
            "¿Cómo?  «RNP»",
            "año\u{301}  x",
            "ÑANDÚ\t\tß ø",
            "a ¿ b",
            "x\u{301}\u{301}y",
            "—",
            // Plain bytes before an accent, a line break or a double space in the same eight bytes.
            "Ab cDéfgh ijklmnop",
            "abc \u{e9}x  yz\n\nqrstuvwxyz ñandú ",
            "abcdefg é",
            "abcdefgh\u{301}ijk",
        ] {
            assert_eq!(normalize(s), normalize_with_map(s).0, "{s:?}");
        }
    }

    proptest::proptest! {
        /// The eight-byte path agrees with the mapped normalisation on long runs of words, capitals, odd
        /// spacing and punctuation, where it is taken and where it falls back mid-text.
        #[test]
        fn eight_bytes_at_a_time_agrees(s in "([a-zA-Z0-9@_.,;\\[\\]`{}~^ ]|  |\t|\n|\u{7f}|é|Ñ|¿|ß|—|\u{301}){0,80}") {
            proptest::prop_assert_eq!(normalize(&s), normalize_with_map(&s).0);
        }

        /// The counting path of `original_range`, which skips eight bytes at a time before the match, maps
        /// matches in long texts exactly as the full map does.
        #[test]
        fn long_texts_map_back_exactly(
            s in "([a-zA-Z0-9.,@ ]|  |\t|ó|\u{301}){0,120}",
            cut in 0usize..130,
            len in 1usize..8,
        ) {
            let (norm, map) = normalize_with_map(&s);
            let (start, end) = (cut.min(norm.len()), (cut + len).min(norm.len()));
            let expected = (start < end).then(|| (map[start].0, map[end - 1].1));
            proptest::prop_assert_eq!(original_range(&s, start, end), expected);
        }
    }

    #[test]
    fn the_latin_table_maps_every_letter_as_decomposing_does() {
        for cp in 0x80..0x260u32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            for s in [
                format!("a{c}b"),
                format!("a {c} b"),
                format!("{c}\u{301}x"),
                format!("x {c}"),
            ] {
                let mut fast = (String::new(), Vec::new());
                let mut slow = (String::new(), Vec::new());
                normalize_into(
                    &s,
                    Some(&mut fast.0),
                    Some(&mut fast.1),
                    0,
                    usize::MAX,
                    true,
                );
                normalize_into(
                    &s,
                    Some(&mut slow.0),
                    Some(&mut slow.1),
                    0,
                    usize::MAX,
                    false,
                );
                assert_eq!(fast, slow, "{s:?}");
            }
        }
    }

    proptest::proptest! {
        /// Resuming at a checkpoint maps exactly as mapping from the start.
        #[test]
        fn checkpoints_map_back_exactly(
            s in "([a-zA-Z0-9.,@ ]|  |\n|\t|\r\n|\u{7f}|ó|é|\u{301}|¿){0,150}",
            every in 1usize..20,
            cut in 0usize..160,
            len in 1usize..8,
        ) {
            let (norm, checkpoints) = normalize_noting(&s, every);
            proptest::prop_assert_eq!(&norm, &normalize(&s));
            let (start, end) = (cut.min(norm.len()), (cut + len).min(norm.len()));
            proptest::prop_assert_eq!(
                original_range_from(&s, &checkpoints, start, end),
                original_range(&s, start, end)
            );
        }
    }

    #[test]
    fn decomposed_accents_are_removed_too() {
        assert_eq!(normalize("inscripcio\u{301}n"), "inscripcion");
    }

    #[test]
    fn a_regex_written_without_re_prefix_is_refused() {
        let e = compile("actualizar (mis |los )?datos").unwrap_err();
        assert!(
            e.contains("escriba «re:actualizar (mis |los )?datos»"),
            "{e}"
        );
        assert!(
            compile("ocho (8) uit").is_ok(),
            "literal parentheses are fine"
        );
        assert!(compile("re:actualizar (mis |los )?datos").is_ok());
    }

    #[test]
    fn plain_patterns_respect_word_boundaries() {
        assert!(matches("rnp", "Consulta sobre el RNP."));
        assert!(!matches("rnp", "codigo xrnpx"));
        assert!(!matches("pac", "capacidad"));
        assert!(matches("buena pro", "el otorgamiento de la buena  pro"));
    }

    #[test]
    fn wildcards_lift_the_boundary_on_their_side() {
        assert!(matches("inscri*", "me inscribí ayer"));
        assert!(!matches("inscri*", "reinscribir"));
        assert!(matches("*@sunat.gob.pe", "mesa@sunat.gob.pe"));
        assert!(!matches("*@sunat.gob.pe", "mesa@sunat.gob.pe.fake.com"));
        assert!(matches("*.pdf", "Constancia RNP.PDF"));
        assert!(matches("*@*.gob.pe", "mesa@sunat.gob.pe"));
        assert!(
            !matches("consult*obra", "consultor de obras"),
            "an inner * stays within one word"
        );
    }

    #[test]
    fn regex_patterns_see_normalised_text_case_insensitively() {
        assert!(matches(
            "re:renov\\w+ de (mi )?inscripcion",
            "RENOVACIÓN DE MI INSCRIPCIÓN"
        ));
        assert!(matches("re:INSCRIPCIÓN", "inscripcion"));
        assert!(matches("re:art(iculo|\\.)? ?\\d+", "Artículo 34"));
    }

    #[test]
    fn empty_and_invalid_patterns_are_refused_in_spanish() {
        assert!(compile("").unwrap_err().contains("vacío"));
        assert!(compile("   ").unwrap_err().contains("vacío"));
        assert!(compile("*").unwrap_err().contains("no tiene letras"));
        assert!(compile("re:").unwrap_err().contains("vacío"));
        assert!(compile("re:(abc")
            .unwrap_err()
            .contains("expresión regular inválida"));
    }

    #[test]
    fn a_bad_regex_is_described_as_the_regex_crate_describes_it() {
        // Load time only parses `re:` patterns; the sentence must stay the one compiling gave.
        for re in [
            "(abc",
            "a{2,1}",
            "[z-a]",
            "\\",
            "(?P<n>a)(?P<n>b)",
            "*a",
            "\\p{Greek}",
            "(?<x",
        ] {
            let source = format!("re:{re}");
            let ours = compile(&source).unwrap_err();
            let theirs = build_regex(&format!("(?i:{re})")).unwrap_err().to_string();
            let last = last_line(&theirs);
            assert_eq!(
                ours,
                format!("expresión regular inválida «{source}»: {last}")
            );
        }
    }

    proptest::proptest! {
        /// The fast normalisation, the mapped one and the partial map used by explanations agree on any text,
        /// accents typed apart and odd whitespace included.
        #[test]
        fn every_normalisation_agrees(
            s in "([a-zA-Z0-9 .,@_\t\n-]|á|Ó|ñ|\u{301}|¿|«|ß|İ|—|\u{a0}){0,40}",
            cut in 0usize..50,
            len in 1usize..8,
        ) {
            let (norm, map) = normalize_with_map(&s);
            proptest::prop_assert_eq!(&normalize(&s), &norm);
            proptest::prop_assert_eq!(map.len(), norm.len());
            let (start, end) = (cut.min(norm.len()), (cut + len).min(norm.len()));
            let expected = (start < end).then(|| (map[start].0, map[end - 1].1));
            proptest::prop_assert_eq!(original_range(&s, start, end), expected);
        }
    }

    /// Whether the NFA builder, forward (with captures) and reverse as the searcher builds them, stays within
    /// `nfa_bytes_at_most` for the regex `printed` parses to.
    fn builds_within_the_bound(printed: &str) {
        use regex_automata::nfa::thompson;
        let hir = parse_regex(printed).expect("parses");
        let Some(bound) = nfa_bytes_at_most(&hir, 0) else {
            return;
        };
        for reverse in [false, true] {
            let config = thompson::Config::new()
                .utf8(false)
                .shrink(false)
                .reverse(reverse)
                .which_captures(if reverse {
                    thompson::WhichCaptures::None
                } else {
                    thompson::WhichCaptures::All
                })
                .nfa_size_limit(Some(bound));
            let built = thompson::Compiler::new()
                .syntax(syntax::Config::new().unicode(false).utf8(false))
                .configure(config)
                .build(printed);
            assert!(built.is_ok(), "{printed} (bound {bound}): {built:?}");
        }
    }

    #[test]
    fn a_regex_left_for_later_builds_within_its_bound() {
        // Every `re:` pattern of the shipped rules, as the searcher builds it.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let mut regexes = Vec::new();
        fn collect(v: &toml::Value, out: &mut Vec<String>) {
            match v {
                toml::Value::String(s) if s.starts_with("re:") => out.push(s.clone()),
                toml::Value::Array(a) => a.iter().for_each(|v| collect(v, out)),
                toml::Value::Table(t) => t.values().for_each(|v| collect(v, out)),
                _ => {}
            }
        }
        for entry in std::fs::read_dir(dir).expect("rules dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|x| x == "toml") {
                let text = std::fs::read_to_string(&path).expect("read");
                let value: toml::Value = toml::from_str(&text).expect("toml");
                collect(&value, &mut regexes);
            }
        }
        assert!(regexes.len() > 100, "{}", regexes.len());
        for source in regexes.iter().map(String::as_str).chain([
            "re:codigo-12-\\d+",
            "re:(uno|dos|tres|cuatro)+ (cinco|seis)?",
            "re:[a-z]{20,40}\\b(x|yz){3}",
            "re:(?:a|bc|def){0,30}",
            "re:((a|b)(c|d)*){5}",
            "re:^(?:hola|buenas)[ .!]*$",
            "re:(?s).{50}x",
        ]) {
            let (pattern, parsed) = compile_parsed(source).expect("a valid pattern");
            assert!(parsed.is_some(), "{source}");
            builds_within_the_bound(&pattern.regex_source);
        }
        // Too big, or not bounded here: built at load.
        for source in ["re:[a-z]{100}{100}{100}", "re:(?u:\\w)+", "re:(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))"] {
            let (_, parsed) = compile_parsed(source).expect("a valid pattern");
            assert!(may_exceed_limits(&parsed.expect("a regex")), "{source}");
        }
    }

    proptest::proptest! {
        /// Any regex of literals, classes, groups, alternations and repetitions builds within its bound.
        #[test]
        fn random_regexes_build_within_their_bound(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "bc", "de f", "[a-z]", "[0-9]", "\\w", "\\d", "\\s", "\\b", ".", "(", ")", "|",
                    "?", "*", "+", "{2}", "{1,3}", "{0,5}", "(?:", "^", "$", "x|y|zz",
                ]),
                0..24,
            ),
        ) {
            let source = format!("re:{}", pieces.concat());
            if let Ok((pattern, Some(_))) = compile_parsed(&source) {
                builds_within_the_bound(&pattern.regex_source);
            }
        }
    }

    #[test]
    fn the_map_points_back_to_the_original_characters() {
        let original = "Mi  INSCRIPCIÓN";
        let (norm, map) = normalize_with_map(original);
        assert_eq!(norm, "mi inscripcion");
        assert_eq!(map.len(), norm.len());
        let start = norm.find("inscripcion").expect("found");
        let end = start + "inscripcion".len();
        assert_eq!(&original[map[start].0..map[end - 1].1], "INSCRIPCIÓN");
    }
}
