//! What loading a `re:` pattern works out from its regex: the regex rewritten for normalised text, where its
//! matches may start ([`RegexPlan`]), whether its searcher may fail to build ([`may_exceed_limits`]).
//!
//! Parsing, rewriting and planning the shipped rules' 309 regexes was 85 M of the 224 M instructions of a
//! `triaje rules test`, so the build script (`build.rs`) includes this file too and prepares them when triaje
//! is built ([`Prepared`], looked up by `shipped_regexes`): it depends on `regex_syntax` and `std` alone.

use regex_syntax::ast::{self, Ast, ClassPerlKind, ClassSet, ClassSetItem};
use regex_syntax::hir::{
    self, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
};

/// A `re:` pattern prepared ahead of time (by `build.rs`): its regex rewritten ([`parse_for_lower_case`]) and
/// printed, planned ([`RegexPlan::of`]) and bounded ([`may_exceed_limits`]), in a form a table of statics holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Prepared {
    /// The pattern as written in the rule file, `re:` included.
    pub source: &'static str,
    /// Its regex rewritten for normalised text (the rewritten regex printed).
    pub regex_source: &'static str,
    /// Where it is tried ([`RegexPlan::start`]).
    pub start: RegexStart,
    /// [`RegexPlan::triggers`].
    pub triggers: &'static [&'static [u8]],
    /// [`RegexPlan::at_word_start`].
    pub at_word_start: bool,
    /// [`RegexPlan::spans_words`].
    pub spans_words: bool,
    /// [`may_exceed_limits`] of the rewritten regex.
    pub may_exceed_limits: bool,
}

impl Prepared {
    /// The plan it holds.
    pub fn plan(&self) -> RegexPlan {
        RegexPlan {
            start: self.start,
            triggers: self.triggers.iter().map(|t| t.to_vec()).collect(),
            at_word_start: self.at_word_start,
            spans_words: self.spans_words,
        }
    }
}

/// Parses a regex with the syntax options of `matcher::build_regex`, so it finds the same errors without the cost
/// of building automata. The error is the last line of the parser's message (what is wrong; the lines above
/// repeat the pattern with a caret), which is also the last line of `regex::Error`'s.
pub(crate) fn parse_regex(source: &str) -> Result<Hir, String> {
    let ast = ast::parse::Parser::new()
        .parse(source)
        .map_err(|e| last_line(&e.to_string()).to_string())?;
    translate(source, &ast).map_err(|e| last_line(&e.to_string()).to_string())
}

/// The second half of [`parse_regex`]: `ast` (parsed from `source`) translated with `matcher::build_regex`'s
/// options (bytes, not necessarily UTF-8), for callers that look at the syntax tree before translating it.
fn translate(source: &str, ast: &Ast) -> Result<Hir, hir::Error> {
    hir::translate::TranslatorBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .translate(source, ast)
}

/// The last non-empty line of a regex error, trimmed: what is wrong (the lines above repeat the pattern with a
/// caret). The same for the parser's message and for `regex::Error`'s.
pub(crate) fn last_line(detail: &str) -> &str {
    detail
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
}

/// The regex `source` (accents already stripped) as it must run on normalised text: what `(?i:source)` matches,
/// without the upper-case ASCII letters, i.e. [`lower_case_only`] of `(?i:source)`.
///
/// Most rule regexes hold no inline flag; for them the same regex is had by parsing `source` as written and
/// lower-casing the few capitals it names, which is far cheaper: `(?i)` turns every letter into a two-letter
/// class that [`lower_case_only`] then rebuilds back into literals, and those allocations were a third of a
/// `triaje rules test`'s instructions. A negated class folds case before it negates (`(?i)[^a-z]` refuses
/// capitals too), so one that names a letter takes the general route; the rules' negated classes name only
/// punctuation (`[^.!?]*`, in 53 of their 309 regexes: on the general route they cost 21 M of a `triaje rules
/// test`'s 284 M instructions), and those mean the same either way ([`negated_classes_are_letter_free`]). An
/// inline flag may turn case-insensitivity off, so it takes the general route.
pub(crate) fn parse_for_lower_case(source: &str) -> Result<Hir, String> {
    let general = || parse_regex(&format!("(?i:{source})")).map(lower_case_only);
    if source.contains(":^") || has_inline_flags(source) {
        return general();
    }
    // A regex that does not parse alone is refused with the sentence the general route gives (`re:a)(b` even
    // parses there, the `)` closing the wrapping group), so a rule file's error reads as it always has.
    let Ok(ast) = ast::parse::Parser::new().parse(source) else {
        return general();
    };
    if source.contains("[^") && !negated_classes_are_letter_free(&ast) {
        return general();
    }
    // The translation `parse_regex` does after the same parse.
    let Ok(hir) = translate(source, &ast) else {
        return general();
    };
    Ok(if names_a_capital(&hir) {
        ascii_lowered(hir)
    } else {
        hir
    })
}

/// Whether every negated class of `ast` means, parsed case-sensitively and then [`ascii_lowered`], what it
/// means parsed with `(?i)` and then [`lower_case_only`]: a class of its own (not inside another class, no
/// `&&`, `--` or `~~`) negating only characters that are not letters — ASCII punctuation, digits, spaces,
/// `\d`, `\s` (`[^.!?]`, `[^.?!;]`). Such a class is the same set whatever the case flag (it negates no
/// letter, so folding adds nothing), holds every letter, and both routes take the capitals out of it.
fn negated_classes_are_letter_free(ast: &Ast) -> bool {
    match ast {
        Ast::ClassBracketed(class) if class.negated => match &class.kind {
            ClassSet::Item(item) => item_is_letter_free(item),
            ClassSet::BinaryOp(_) => false,
        },
        Ast::ClassBracketed(class) => !holds_a_negated_class(&class.kind),
        Ast::Repetition(rep) => negated_classes_are_letter_free(&rep.ast),
        Ast::Group(group) => negated_classes_are_letter_free(&group.ast),
        Ast::Alternation(alt) => alt.asts.iter().all(negated_classes_are_letter_free),
        Ast::Concat(concat) => concat.asts.iter().all(negated_classes_are_letter_free),
        Ast::Empty(_)
        | Ast::Flags(_)
        | Ast::Literal(_)
        | Ast::Dot(_)
        | Ast::Assertion(_)
        | Ast::ClassUnicode(_)
        | Ast::ClassPerl(_) => true,
    }
}

/// Whether an item of a negated class names no letter (see [`negated_classes_are_letter_free`]); a POSIX or
/// Unicode class, a nested class or a `\w` counts as naming one.
fn item_is_letter_free(item: &ClassSetItem) -> bool {
    let not_a_letter = |c: char| c.is_ascii() && !c.is_ascii_alphabetic();
    match item {
        ClassSetItem::Empty(_) => true,
        ClassSetItem::Literal(lit) => not_a_letter(lit.c),
        ClassSetItem::Range(range) => {
            let (start, end) = (range.start.c, range.end.c);
            not_a_letter(start)
                && not_a_letter(end)
                && !(start..=end).contains(&'A')
                && !(start..=end).contains(&'a')
        }
        ClassSetItem::Perl(perl) => {
            !perl.negated && matches!(perl.kind, ClassPerlKind::Digit | ClassPerlKind::Space)
        }
        ClassSetItem::Union(union) => union.items.iter().all(item_is_letter_free),
        ClassSetItem::Ascii(_) | ClassSetItem::Unicode(_) | ClassSetItem::Bracketed(_) => false,
    }
}

/// Whether a class set holds a negated class (`[a[^b]]`, `[\w&&[^x]]`).
fn holds_a_negated_class(set: &ClassSet) -> bool {
    fn in_item(item: &ClassSetItem) -> bool {
        match item {
            ClassSetItem::Bracketed(class) => class.negated || holds_a_negated_class(&class.kind),
            ClassSetItem::Union(union) => union.items.iter().any(in_item),
            _ => false,
        }
    }
    match set {
        ClassSet::Item(item) => in_item(item),
        ClassSet::BinaryOp(op) => holds_a_negated_class(&op.lhs) || holds_a_negated_class(&op.rhs),
    }
}

/// Whether `source` may set a flag inline (`(?i)`, `(?-i:…)`, `(?x)`): any `(?` not opening a plain group
/// (`(?:`) or a named one (`(?P<…>`, `(?<…>`).
fn has_inline_flags(source: &str) -> bool {
    source
        .match_indices("(?")
        .any(|(at, _)| !matches!(source.as_bytes().get(at + 2), Some(b':' | b'P' | b'<')))
}

/// Whether a literal or a class of `hir` names an upper-case ASCII letter.
fn names_a_capital(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Literal(lit) => lit.0.iter().any(u8::is_ascii_uppercase),
        HirKind::Class(Class::Bytes(class)) => class
            .ranges()
            .iter()
            .any(|r| r.start() <= b'Z' && r.end() >= b'A'),
        HirKind::Class(Class::Unicode(class)) => class
            .ranges()
            .iter()
            .any(|r| r.start() <= 'Z' && r.end() >= 'A'),
        HirKind::Repetition(rep) => names_a_capital(&rep.sub),
        HirKind::Capture(cap) => names_a_capital(&cap.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().any(names_a_capital),
        HirKind::Empty | HirKind::Look(_) => false,
    }
}

/// `hir` parsed case-sensitively, made to match what its `(?i)` parse matches on lower-case text: each capital
/// of a literal lower-cased, and a class's capitals replaced by their lower-case letters.
fn ascii_lowered(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Literal(lit) => Hir::literal(lit.0.to_ascii_lowercase()),
        HirKind::Class(Class::Bytes(mut class)) => {
            let capitals: Vec<ClassBytesRange> = class
                .ranges()
                .iter()
                .filter(|r| r.start() <= b'Z' && r.end() >= b'A')
                .map(|r| {
                    ClassBytesRange::new(
                        r.start().max(b'A').to_ascii_lowercase(),
                        r.end().min(b'Z').to_ascii_lowercase(),
                    )
                })
                .collect();
            class.difference(&ClassBytes::new([ClassBytesRange::new(b'A', b'Z')]));
            class.union(&ClassBytes::new(capitals));
            Hir::class(Class::Bytes(class))
        }
        HirKind::Class(Class::Unicode(mut class)) => {
            let capitals: Vec<ClassUnicodeRange> = class
                .ranges()
                .iter()
                .filter(|r| r.start() <= 'Z' && r.end() >= 'A')
                .map(|r| {
                    ClassUnicodeRange::new(
                        r.start().max('A').to_ascii_lowercase(),
                        r.end().min('Z').to_ascii_lowercase(),
                    )
                })
                .collect();
            class.difference(&ClassUnicode::new([ClassUnicodeRange::new('A', 'Z')]));
            class.union(&ClassUnicode::new(capitals));
            Hir::class(Class::Unicode(class))
        }
        HirKind::Repetition(mut rep) => {
            rep.sub = Box::new(ascii_lowered(*rep.sub));
            Hir::repetition(rep)
        }
        HirKind::Capture(mut cap) => {
            cap.sub = Box::new(ascii_lowered(*cap.sub));
            Hir::capture(cap)
        }
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(ascii_lowered).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.into_iter().map(ascii_lowered).collect())
        }
        HirKind::Empty => Hir::empty(),
        HirKind::Look(look) => Hir::look(look),
    }
}

/// The same regex without the upper-case ASCII letters its classes accept.
///
/// Normalised text has no upper-case letters, so on it the result matches exactly where the original does,
/// with the same leftmost-first choices. It matters for speed: `(?i)` turns every letter into a two-letter
/// class, so a regex's starting literals (the field automaton's triggers, the regex's own prefilter) come in
/// hundreds of case variants and are cut short to a few common letters.
pub(crate) fn lower_case_only(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Class(Class::Bytes(mut class)) => {
            class.difference(&ClassBytes::new([ClassBytesRange::new(b'A', b'Z')]));
            Hir::class(Class::Bytes(class))
        }
        HirKind::Class(Class::Unicode(mut class)) => {
            class.difference(&ClassUnicode::new([ClassUnicodeRange::new('A', 'Z')]));
            Hir::class(Class::Unicode(class))
        }
        HirKind::Repetition(mut rep) => {
            rep.sub = Box::new(lower_case_only(*rep.sub));
            Hir::repetition(rep)
        }
        HirKind::Capture(mut cap) => {
            cap.sub = Box::new(lower_case_only(*cap.sub));
            Hir::capture(cap)
        }
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(lower_case_only).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.into_iter().map(lower_case_only).collect())
        }
        // Literals are kept as written: one with a capital (only possible under `(?-i)`) never matched
        // normalised text and still does not.
        HirKind::Literal(lit) => Hir::literal(lit.0),
        HirKind::Empty => Hir::empty(),
        HirKind::Look(look) => Hir::look(look),
    }
}

/// Most bytes the searcher's NFA builder may use before `matcher::build_searcher` refuses a regex
/// (`nfa_size_limit`, the `regex` crate's default).
pub(crate) const NFA_SIZE_LIMIT: usize = 10 * (1 << 20);

/// Deepest nesting of a regex left to build later: printed back for the searcher, each level takes a group or
/// two, and the parser refuses more than 250.
const DEEPEST_LATER: usize = 60;

/// Whether building the searcher of the regex `hir` (already parsed, so its syntax is good) might fail: its
/// NFA might pass [`NFA_SIZE_LIMIT`] (an upper bound of what the builder uses, worked out node by node, is over
/// a quarter of it), it has a non-ASCII Unicode class (its UTF-8 automaton is not bounded here), or it is
/// nested deeper than [`DEEPEST_LATER`]. A regex that cannot fail may be built the first time a search needs it
/// and still be refused, where it might fail, at load with its position, as before.
pub(crate) fn may_exceed_limits(hir: &Hir) -> bool {
    nfa_bytes_at_most(hir, 0).is_none_or(|bytes| bytes > NFA_SIZE_LIMIT / 4)
}

/// What the builder adds to any regex: the capture of the whole match, the unanchored prefix `(?s-u:.)*?`,
/// the start and match states.
const NFA_WHOLE: usize = 4096;

/// An upper bound of the bytes the Thompson NFA builder spends on `hir` (forward or reverse: 32 bytes a state,
/// 8 a transition or an alternative), generous at each node; `None` for what is not bounded here (see
/// [`may_exceed_limits`]).
pub(crate) fn nfa_bytes_at_most(hir: &Hir, depth: usize) -> Option<usize> {
    nfa_node_bytes_at_most(hir, depth).map(|bytes| bytes.saturating_add(NFA_WHOLE))
}

/// [`nfa_bytes_at_most`] of one node and what is under it.
fn nfa_node_bytes_at_most(hir: &Hir, depth: usize) -> Option<usize> {
    const STATE: usize = 32;
    if depth > DEEPEST_LATER {
        return None;
    }
    let inner = |h: &Hir| nfa_node_bytes_at_most(h, depth + 1);
    Some(match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 2 * STATE,
        // A literal alone is a state a byte; in an alternation of literals, a trie: a few states a byte.
        HirKind::Literal(lit) => (lit.0.len() + 1) * 4 * STATE,
        HirKind::Class(Class::Bytes(class)) => 2 * STATE + 8 * class.ranges().len(),
        HirKind::Class(Class::Unicode(class)) => {
            if !class.is_ascii() {
                return None;
            }
            2 * STATE + 8 * class.ranges().len()
        }
        HirKind::Repetition(rep) => {
            // Every copy of the sub-expression a counted repetition unrolls, one more for a loop, and the
            // unions and empty states between them.
            let copies = (rep.max.unwrap_or(rep.min) as usize).saturating_add(2);
            inner(&rep.sub)?
                .saturating_add(4 * STATE)
                .saturating_mul(copies)
        }
        HirKind::Capture(cap) => inner(&cap.sub)?.saturating_add(4 * STATE),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            let mut total = 4 * STATE;
            for sub in subs {
                total = total.saturating_add(inner(sub)?.saturating_add(STATE));
            }
            total
        }
    })
}

/// Where a field's regex is tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RegexStart {
    /// Where the automaton saw one of its starting literals.
    Triggered,
    /// Only at the start of the text (`^…`, like the «solo agradecimiento» regexes): one anchored try there,
    /// and its starting literals («buenos», «gracias», «estimados», words of every letter) stay out of the
    /// automaton.
    TextStart,
    /// Anywhere, but only in a text where one of the literals every match contains was seen
    /// ([`required_literals`]): the automaton looks for them as for starting literals, and a text without any
    /// cannot hold a match. Then one unanchored search of the whole text, as [`RegexStart::Anywhere`]: the
    /// literal says a match may exist, not where it starts.
    Containing,
    /// Anywhere: no finite set of starting literals was found, so it searches every text.
    Anywhere,
}

/// Where a regex's matches may start, worked out once per distinct regex from its parsed form (parsing each
/// regex again for each field and each question was a third of a `triaje rules test`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RegexPlan {
    /// Where it is tried.
    pub start: RegexStart,
    /// With [`RegexStart::Triggered`], the literals every match starts with ([`starting_literals`]).
    pub triggers: Vec<Vec<u8>>,
    /// Every match starts where a word starts ([`starts_at_word_boundary`]).
    pub at_word_start: bool,
    /// A match may run over any number of words ([`spans_words`]).
    pub spans_words: bool,
}

impl RegexPlan {
    /// The plan of the regex `hir`.
    pub(crate) fn of(hir: &Hir) -> RegexPlan {
        let spans_words = spans_words(hir);
        if anchored_at_text_start(hir) {
            return RegexPlan {
                start: RegexStart::TextStart,
                triggers: Vec::new(),
                at_word_start: false,
                spans_words,
            };
        }
        if let Some((triggers, at_word_start)) = starting_literals(hir) {
            return RegexPlan {
                start: RegexStart::Triggered,
                triggers,
                at_word_start,
                spans_words,
            };
        }
        match required_literals(hir) {
            // Not at word starts: where in the match the literal is, and what comes before it, is not known.
            Some(triggers) => RegexPlan {
                start: RegexStart::Containing,
                triggers,
                at_word_start: false,
                spans_words,
            },
            None => RegexPlan {
                start: RegexStart::Anywhere,
                triggers: Vec::new(),
                at_word_start: false,
                spans_words,
            },
        }
    }
}

/// Whether a match of a regex may run over any number of words: it repeats without bound something that
/// can hold a space (`[^.?!;]*`, `.*`, `( [a-z]+)+`). `\w*`, `[a-z]+` and `[a-z ]{0,30}` keep a match within
/// a few words, so an anchored try of it ends soon after its place (`rule_set::leftmost_from`).
pub(crate) fn spans_words(hir: &Hir) -> bool {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Repetition(r) => {
            (r.max.is_none() && can_hold_space(&r.sub)) || spans_words(&r.sub)
        }
        HirKind::Capture(c) => spans_words(&c.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().any(spans_words),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => false,
    }
}

/// Whether a match of `hir` may hold a space.
fn can_hold_space(hir: &Hir) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Literal(l) => l.0.contains(&b' '),
        HirKind::Class(Class::Bytes(c)) => c.iter().any(|r| (r.start()..=r.end()).contains(&b' ')),
        HirKind::Class(Class::Unicode(c)) => c.iter().any(|r| (r.start()..=r.end()).contains(&' ')),
        HirKind::Repetition(r) => can_hold_space(&r.sub),
        HirKind::Capture(c) => can_hold_space(&c.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().any(can_hold_space),
        HirKind::Empty | HirKind::Look(_) => false,
    }
}

/// Whether every match of a regex starts at the start of the text (`^`, not multi-line): then it is tried
/// there alone, whatever its starting literals.
pub(crate) fn anchored_at_text_start(hir: &Hir) -> bool {
    hir.properties()
        .look_set_prefix()
        .contains(regex_syntax::hir::Look::Start)
}

/// Whether every match of a regex starts at an ASCII word boundary (`\b`, `\b{start}`, `\b{start-half}` before
/// anything else): then where one of its starting literals begins with a word byte, the byte before it is not
/// one, and the literal need only be looked for at word starts.
fn starts_at_word_boundary(hir: &Hir) -> bool {
    use regex_syntax::hir::Look;
    let prefix = hir.properties().look_set_prefix();
    prefix.contains(Look::WordAscii)
        || prefix.contains(Look::WordStartAscii)
        || prefix.contains(Look::WordStartHalfAscii)
}

/// The longest trigger kept: long enough to tell «codigo-12» from «codigo-3», short enough to merge the
/// cross products of a regex's alternatives.
pub(crate) const TRIGGER_LEN: usize = 10;

/// The literals every match of a regex starts with, lower-cased, and whether every match starts at a word
/// boundary ([`starts_at_word_boundary`]); `None` when they are not a finite set worth searching for (an empty
/// literal, or too many): then the regex runs on every text.
pub(crate) fn starting_literals(hir: &Hir) -> Option<(Vec<Vec<u8>>, bool)> {
    let lits = prefix_literals(hir)?;
    Some((lits, starts_at_word_boundary(hir)))
}

/// Literals one of which every match of a regex contains, for one without starting literals (the `¿puedo…?`
/// signal of `rules/25-senales.toml` starts with `(^|[.!?:;,)] )`): the starting literals
/// ([`prefix_literals`]) of one part of its top-level sequence, since every match of the whole holds a match
/// of each part. Of the parts that have them, the one whose shortest literal is longest (the rarest to find),
/// then the one with fewer. `None` when no part has them.
pub(crate) fn required_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) => required_literals(&c.sub),
        HirKind::Concat(parts) => parts.iter().filter_map(prefix_literals).max_by_key(|lits| {
            let shortest = lits.iter().map(Vec::len).min().unwrap_or(0);
            (shortest, std::cmp::Reverse(lits.len()))
        }),
        _ => None,
    }
}

/// The literals every match of a regex starts with, lower-cased and cut to [`TRIGGER_LEN`]; `None` when they
/// are not a finite set worth searching for (an empty literal, or too many).
pub(crate) fn prefix_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    // Cut to `TRIGGER_LEN` as they are made: a literal cut short is inexact, and the extractor stops crossing
    // it with what follows, where it built every long cross product only to have it cut here (the extraction
    // was 27 M instructions of a `triaje rules test`). The cut literals are what cutting afterwards gives
    // unless the extractor's limit on their number was reached, and either way every match starts with one.
    let mut extractor = regex_syntax::hir::literal::Extractor::new();
    extractor.limit_literal_len(TRIGGER_LEN);
    prefix_literals_of(extractor.extract(hir))
}

/// [`prefix_literals`] from the extractor's sequence `seq`.
pub(crate) fn prefix_literals_of(seq: regex_syntax::hir::literal::Seq) -> Option<Vec<Vec<u8>>> {
    let mut lits: Vec<Vec<u8>> = seq
        .literals()?
        .iter()
        .map(|l| {
            // Any prefix of a trigger is a trigger too (a match still starts with it). Cut short, the
            // extractor's cross products («no puedo acceder», «no puedo entrar», …) collapse into a few
            // prefixes: the shipped rules' 4,600 literals become 2,200, and the automaton stays in cache.
            let bytes = l.as_bytes();
            bytes[..bytes.len().min(TRIGGER_LEN)].to_ascii_lowercase()
        })
        .collect();
    // `re:` patterns are already rewritten for lower-case text (`lower_case_only`); a capital left in a
    // literal (under `(?-i)`) never matches normalised text, and its lower-case form only adds a useless
    // trigger.
    lits.sort();
    lits.dedup();
    if lits.is_empty() || lits.iter().any(|l| l.is_empty()) {
        return None;
    }
    Some(lits)
}

/// Every `re:` string of the shipped rule files (`rules/*.toml`, in file order), `re:` included: what the tests of
/// the regex preparation run over.
#[cfg(test)]
pub(crate) fn shipped_rule_patterns() -> Vec<String> {
    fn patterns_in(value: &toml::Value, out: &mut Vec<String>) {
        match value {
            toml::Value::String(s) if s.starts_with("re:") => out.push(s.clone()),
            toml::Value::Array(items) => items.iter().for_each(|v| patterns_in(v, out)),
            toml::Value::Table(table) => table.values().for_each(|v| patterns_in(v, out)),
            _ => {}
        }
    }
    let mut files: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
        .expect("rules/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let value: toml::Value = toml::from_str(&text).expect("valid TOML");
        patterns_in(&value, &mut out);
    }
    out
}
