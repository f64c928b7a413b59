//! A checked, compiled set of rules and the classification of one message.

use std::path::Path;
use std::sync::Arc;

use aho_corasick::AhoCorasickKind;
use toml::Spanned;

use super::error::{RuleError, RuleErrors};
// The load-time maps (see `fx_hash` for why not SipHash).
use super::fx_hash::FxHashMap as HashMap;
use regex_automata::{meta, Anchored, Input};
use regex_syntax::hir::Hir;

use super::inner_literals::InnerLiterals;
use super::learned::{kind_seed_model, seed_model, LearnedModel};
#[cfg(test)]
use super::matcher::build_regex;
#[cfg(test)]
use super::matcher::build_searcher;
#[cfg(test)]
use super::matcher::strip_accents;
use super::matcher::{compile_parsed, normalize, original_range_from, Literal, Pattern, Searcher};
#[cfg(test)]
use super::regex_plan::{anchored_at_text_start, prefix_literals, prefix_literals_of};
use super::regex_plan::{last_line, may_exceed_limits, parse_regex, RegexPlan, RegexStart};
// Named by the documentation of the fields' sets (and `spans_words` by the tests).
#[cfg(any(test, doc))]
use super::regex_plan::spans_words;
#[cfg(doc)]
use super::regex_plan::starting_literals;
use super::routing::{LogVote, LOG_FLOOR};
use super::rule_file::{Key, RawFile, RawRule};
use super::scratch::{with_scratch, Hits, NormalizedCache, Place, PlaceField, Places, Scratch};
use super::shipped_regexes::shipped;
use super::tally::{decide, LearnedEvidence, RuleEvidence, Tally};
use super::word_starts::WordStarts;
use super::zones::{
    is_reply_subject, may_have_disclaimer, may_have_disclaimer_paragraph, may_have_form,
    only_courtesy, without_disclaimers_checked,
};
use super::Routing;
use crate::mail::MessageView;
use crate::toml_error::spanish_message;
use crate::vocabulary::{AttentionKind, Availability};

use super::kind::KindDecision;

/// What a rule file expects where a value of the wrong kind was written: patterns are always a list.
const PATTERN_LIST_HINT: &str = "los patrones van en una lista: [\"…\"]";

/// A rule as the administrator wrote it, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Unique name (`rnp-inscripcion`).
    pub name: String,
    /// Why the rule exists and why its availability class.
    pub description: String,
    /// Target folder, one of the configured ones; `None` for a rule that only says the kind of attention.
    pub folder: Option<String>,
    /// The kind of attention it is evidence of, if any (tallied apart from the folders).
    pub kind: Option<AttentionKind>,
    /// Reason of the consultation, for the indicators (empty in a rule without a folder).
    pub category: String,
    /// Availability class that sets the deadline (unused in a rule without a folder).
    pub availability: Availability,
    /// Points it gives its folder when it matches (negative: evidence against the folder).
    pub score: f64,
    /// The file it was written in.
    pub file: String,
    /// Line of its `name` in that file.
    pub line: usize,
}

/// The name recorded as the deciding rule when the learned opinion filed a message no rule of its folder matched.
pub const LEARNED_RULE: &str = "opinión aprendida";

/// What the rules decided for one message.
#[derive(Debug, Clone, PartialEq)]
pub enum Classification {
    /// A folder won the tally.
    Matched {
        /// The winning folder's strongest rule ([`LEARNED_RULE`] when only the learned opinion supported it).
        rule: String,
        /// The file the rule is in.
        file: String,
        /// Where the message goes.
        folder: String,
        /// Reason of the consultation.
        category: String,
        /// Availability class.
        availability: Availability,
        /// Why the deciding rule matched, in Spanish: `el asunto contiene «inscripción» (patrón «inscripcion»)`.
        reasons: Vec<String>,
        /// Every piece of evidence and each folder's total.
        tally: Tally,
        /// The kind of attention, decided apart.
        kind: KindDecision,
    },
    /// No folder won: the message goes to «Por clasificar».
    Unmatched {
        /// How many rules were tried.
        rules_checked: usize,
        /// Every piece of evidence and why none was enough.
        tally: Tally,
        /// The kind of attention, decided apart (an incident may be filed though its area is not sure).
        kind: KindDecision,
    },
}

impl Classification {
    /// The target folder, or `None` for «Por clasificar».
    pub fn folder(&self) -> Option<&str> {
        match self {
            Classification::Matched { folder, .. } => Some(folder),
            Classification::Unmatched { .. } => None,
        }
    }

    /// The kind of attention and its evidence.
    pub fn kind(&self) -> &KindDecision {
        match self {
            Classification::Matched { kind, .. } | Classification::Unmatched { kind, .. } => kind,
        }
    }

    /// The evidence behind the decision.
    pub fn tally(&self) -> &Tally {
        match self {
            Classification::Matched { tally, .. } | Classification::Unmatched { tally, .. } => {
                tally
            }
        }
    }
}

/// Patterns of one group, as indexes into the set's pattern list.
type Group = Vec<usize>;

/// A rule's compiled conditions.
#[derive(Debug, Clone)]
struct Compiled {
    /// Any of these (empty: no own condition, only `all` groups).
    any: Group,
    /// Each group must have a match.
    all: Vec<Group>,
    /// Any match here disables the rule.
    unless: Group,
}

/// One pattern with where it looks.
#[derive(Debug, Clone)]
struct Entry {
    key: Key,
    pattern: Pattern,
}

/// Every pattern that looks at one field, answered by one Aho-Corasick pass over the normalised text.
///
/// The automaton holds the literals of the plain patterns (nearly all patterns), whose word-boundary tests are
/// done by hand ([`Literal::fits`], exactly what their regexes test), and for each `re:` or inner-wildcard
/// pattern the literals any match of it must start with ([`starting_literals`]); a regex is tried only where
/// one of its literals was seen ([`leftmost_from`]). A RegexSet of every pattern spent nearly all
/// its time building lazy-DFA states for hundreds of literals at once (689 varied messages a second), and
/// running one over every message was most of the rest.
///
/// The literals that can only count where a word starts (nearly all) are looked up at each word start of the
/// text ([`WordStarts`]); the automaton holds the rest (plain patterns with a leading `*`, the starting
/// literals of regexes without a `\b` before them).
#[derive(Debug, Clone)]
struct FieldSet {
    /// The literals that count only where a word starts (`None` when there are none).
    word_starts: Option<WordStarts>,
    /// The other literals (`None` when there are none).
    automaton: Option<InnerLiterals>,
    /// For each pattern of `automaton`, its number among the field's literals.
    automaton_literals: Vec<usize>,
    /// For each distinct literal, words and regex triggers, what it answers.
    targets: Vec<Targets>,
    /// The distinct regexes of the field's `re:` and inner-wildcard patterns.
    regexes: Vec<FieldRegex>,
    /// The regexes tried whatever literals were seen ([`RegexStart::TextStart`], [`RegexStart::Anywhere`]).
    untriggered: Vec<usize>,
}

/// What one literal of a field's automaton stands for.
#[derive(Debug, Clone, Default)]
struct Targets {
    /// Plain patterns that are this literal, with their boundary tests.
    words: Vec<(usize, Literal)>,
    /// Regexes (indexes into [`FieldSet::regexes`]) a match of which may start with this literal.
    regexes: Vec<usize>,
}

/// One distinct regex of a field.
#[derive(Debug, Clone)]
struct FieldRegex {
    /// The patterns written as this regex (the «solo agradecimiento» regex is in every shipped rule: running it
    /// once answers them all); the first one's [`Pattern::searcher`] is the one run.
    entries: Vec<usize>,
    /// Where a match of it can start.
    start: RegexStart,
    /// Every match of it starts where a word starts (a `\b` before it, and a word byte after it): its
    /// starting literals need only be looked for there.
    at_word_start: bool,
    /// A match of it may run over any number of words ([`spans_words`]): how many places it is tried at
    /// one at a time ([`leftmost_from`]).
    spans_words: bool,
}

impl FieldSet {
    fn build<'a>(
        entries: &'a [Entry],
        plans: &'a HashMap<String, RegexPlan>,
        wanted: impl Fn(&Key) -> bool,
        automata: AhoCorasickKind,
    ) -> Result<Option<FieldSet>, String> {
        // The literals are borrowed from the patterns and the plans, which outlive the build: most repeat (a
        // word in many rules, a trigger in many cross products), and copying each distinct one twice (the list,
        // the index) was a fifth of building the fields.
        let mut literals: Vec<&'a [u8]> = Vec::new();
        let mut targets: Vec<Targets> = Vec::new();
        let mut literal_index: HashMap<&'a [u8], usize> = HashMap::default();
        let mut index_of =
            |lit: &'a [u8], literals: &mut Vec<&'a [u8]>, targets: &mut Vec<Targets>| {
                *literal_index.entry(lit).or_insert_with(|| {
                    literals.push(lit);
                    targets.push(Targets::default());
                    literals.len() - 1
                })
            };
        let mut regexes: Vec<FieldRegex> = Vec::new();
        let mut regex_index: HashMap<&str, usize> = HashMap::default();
        for (i, entry) in entries.iter().enumerate() {
            if !wanted(&entry.key) {
                continue;
            }
            if let Some(lit) = &entry.pattern.literal {
                let at = index_of(lit.text.as_bytes(), &mut literals, &mut targets);
                targets[at].words.push((i, lit.clone()));
                continue;
            }
            let source = entry.pattern.regex_source.as_str();
            if let Some(&r) = regex_index.get(source) {
                regexes[r].entries.push(i);
                continue;
            }
            let r = regexes.len();
            regex_index.insert(source, r);
            // Every regex was planned when its pattern was checked (`Builder::prepare_regex`); one that was
            // not would run on every text.
            let plan = plans.get(source);
            regexes.push(FieldRegex {
                entries: vec![i],
                start: plan.map_or(RegexStart::Anywhere, |p| p.start),
                at_word_start: plan.is_some_and(|p| p.at_word_start),
                spans_words: plan.is_none_or(|p| p.spans_words),
            });
            for lit in plan.iter().flat_map(|p| &p.triggers) {
                let at = index_of(lit, &mut literals, &mut targets);
                targets[at].regexes.push(r);
            }
        }
        if literals.is_empty() && regexes.is_empty() {
            return Ok(None);
        }
        // Every occurrence of every literal must be found, since the first occurrence of a word may fail its
        // boundary test and a later one pass it. The others' automaton, when one is needed, is a DFA: with the
        // triggers cut short (`TRIGGER_LEN`) it builds in a few milliseconds more than a contiguous NFA (bench
        // load 65 -> 74 ms) and its overlapping search is a quarter faster; when they share a few prefixes, a
        // packed search for those replaces it ([`InnerLiterals`]).
        //
        // A literal goes to the word-start table when every pattern it stands for needs a word start there: a
        // plain pattern with a boundary before it, a regex that starts with `\b` (and the literal with a word
        // byte, so the boundary is before it).
        let (word_literals, other): (Vec<usize>, Vec<usize>) =
            (0..literals.len()).partition(|&l| {
                WordStarts::accepts(literals[l])
                    && targets[l].words.iter().all(|(_, lit)| lit.word_start)
                    && targets[l].regexes.iter().all(|&r| regexes[r].at_word_start)
            });
        let word_starts = WordStarts::build(
            &word_literals
                .iter()
                .map(|&l| (l, literals[l]))
                .collect::<Vec<_>>(),
        );
        let automaton = if other.is_empty() {
            None
        } else {
            let others: Vec<&[u8]> = other.iter().map(|&l| literals[l]).collect();
            Some(InnerLiterals::build(&others, automata)?)
        };
        let untriggered = (0..regexes.len())
            .filter(|&r| {
                matches!(
                    regexes[r].start,
                    RegexStart::TextStart | RegexStart::Anywhere
                )
            })
            .collect();
        Ok(Some(FieldSet {
            word_starts,
            automaton,
            automaton_literals: other,
            targets,
            regexes,
            untriggered,
        }))
    }

    /// Records in `hits` that the patterns found in `normalized` matched where a match is worth `weight`
    /// (keeping the most any place gave); `triggered` is working memory.
    fn mark(
        &self,
        entries: &[Entry],
        normalized: &str,
        weight: f32,
        hits: &mut Hits,
        triggered: &mut Vec<u64>,
        mut places: Option<(&mut Places, PlaceField)>,
    ) {
        let text = normalized.as_bytes();
        // `(regex, start)` of every place a regex's starting literal was seen: a match of it can start there
        // and nowhere else.
        triggered.clear();
        // Each pattern's first fitting occurrence is recorded (its place): for one literal, the first by start
        // is the first by end, so the order the two searches report in does not matter.
        let mut found = |literal: usize, start: usize, end: usize| {
            let t = &self.targets[literal];
            for (i, lit) in &t.words {
                if hits.get(*i) < weight && lit.fits(text, start, end) {
                    hits.raise(*i, weight);
                    if let Some((places, field)) = places.as_mut() {
                        // Where the best-placed match is: what the explanation shows, without searching again.
                        places.set(*i, *field, start, end, false);
                    }
                }
            }
            triggered.extend(t.regexes.iter().map(|&r| trigger(r, start)));
        };
        if let Some(table) = &self.word_starts {
            table.find(text, &mut found);
        }
        if let Some(others) = &self.automaton {
            others.find(text, |n, start, end| {
                found(self.automaton_literals[n], start, end)
            });
        }
        // By regex, each one's places in order (the automaton reports them by where they end): one number a
        // place, so the sort compares integers, not pairs (a long text has hundreds of places to sort).
        triggered.sort_unstable();
        triggered.dedup();
        // The regexes whose starting literals were seen, then those tried on every text, not a pass over all
        // of them: in any order, since each regex marks only its own patterns.
        let seen = triggered
            .chunk_by(|a, b| a >> 32 == b >> 32)
            .map(|starts| ((starts[0] >> 32) as usize, starts));
        let always = self.untriggered.iter().map(|&r| (r, &[][..]));
        for (r, starts) in seen.chain(always) {
            let regex = &self.regexes[r];
            if regex.entries.iter().all(|&i| hits.get(i) >= weight) {
                continue;
            }
            // Built at load or now (see `Builder::prepare_regex`); a searcher that could fail to build was
            // built at load, so this never skips a regex.
            let Some(searcher) = entries[regex.entries[0]]
                .pattern
                .searcher
                .as_ref()
                .and_then(Searcher::get)
            else {
                continue;
            };
            let found = match regex.start {
                RegexStart::Triggered => leftmost_from(
                    searcher,
                    text,
                    starts
                        .iter()
                        .map(|&place| (place & u64::from(u32::MAX)) as usize),
                    regex.spans_words,
                ),
                RegexStart::TextStart => searcher.search(&Input::new(text).anchored(Anchored::Yes)),
                RegexStart::Containing | RegexStart::Anywhere => searcher.search(&Input::new(text)),
            };
            let Some(m) = found else {
                continue;
            };
            if let Some((places, field)) = places.as_mut() {
                // The leftmost match is what the explanation quotes, so it need not search the text again. The
                // subject is read first, and a regex's reason is where it first matched (the subject before
                // the text).
                for &i in &regex.entries {
                    places.set(i, *field, m.start(), m.end(), true);
                }
            }
            for &i in &regex.entries {
                hits.raise(i, weight);
            }
        }
    }
}

/// A place a field's regex `r` may start at, `start`, as one number ordered as the pair `(r, start)`: the regex
/// in the high half, the place in the low one (a normalised text is far below 4 GB, and a field far below
/// 4 billion regexes; a longer text is cut to what the low half holds, which only a text of 4 GB could reach).
fn trigger(r: usize, start: usize) -> u64 {
    (r as u64) << 32 | (start.min(u32::MAX as usize) as u64)
}

/// Places a regex whose matches may run over any number of words ([`spans_words`]) may start at before its
/// search is no longer tried at each one in turn but run once from the first: each anchored try of such a
/// regex may read to the end of the sentence (`[^.?!;]*`), so past a few dozen places in a long text the tries
/// read its sentences over and over.
const ANCHORED_TRIES: usize = 24;

/// The leftmost match of `searcher` in `text` when a match can only start at `starts` (ascending, from the
/// field's automaton): a search anchored at each in turn, the first that matches. It is the match an
/// unanchored search from the first start finds (the leftmost start where any match begins, and there the
/// same preferred match), without scanning from there to the end of the text when nothing matches — which
/// was what a `re:` pattern cost, since its starting literals («gener», «no puedo») are common words.
///
/// A regex whose matches stay within a few words is tried at every place however many there are: such a try
/// fails within those words, while one unanchored search from the first place runs the lazy DFA (and its
/// prefilter, restarted at every common starting word: «el », «la », «no ») over the rest of the text — in
/// `scripts/bench`'s 2–20 KB texts, which repeat a sentence holding several starting words, 35 µs a search
/// against 2–5 µs of tries. With `spans_words`, past [`ANCHORED_TRIES`] places, the unanchored search.
fn leftmost_from(
    searcher: &meta::Regex,
    text: &[u8],
    starts: impl ExactSizeIterator<Item = usize>,
    spans_words: bool,
) -> Option<regex_automata::Match> {
    let mut starts = starts.peekable();
    let first = *starts.peek()?;
    if spans_words && starts.len() > ANCHORED_TRIES {
        return searcher.search(&Input::new(text).range(first..));
    }
    starts.find_map(|at| searcher.search(&Input::new(text).range(at..).anchored(Anchored::Yes)))
}

/// The fields' sets; `None` where no rule looks.
#[derive(Debug, Clone, Default)]
struct Fields {
    subject: Option<FieldSet>,
    body: Option<FieldSet>,
    from: Option<FieldSet>,
    to: Option<FieldSet>,
    attachment: Option<FieldSet>,
    headers: Vec<(String, FieldSet)>,
}

/// A checked and compiled set of rules, ready to classify.
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<Rule>,
    compiled: Vec<Compiled>,
    entries: Vec<Entry>,
    /// For each pattern of `entries`, the rule it belongs to (its order).
    pattern_rule: Vec<u32>,
    /// The rules without a pattern outside `unless`, weighed whatever matched (none: a rule must have a
    /// condition, so this only keeps the weighing exact if that ever changes).
    rules_without_patterns: Vec<u32>,
    fields: Fields,
    /// The target folders the rules may name (the learned opinion votes only for these).
    folders: Vec<String>,
    /// How evidence is weighed (`[routing]`).
    routing: Routing,
    /// The learned opinion that votes with the rules when one was given (a model the store trained); `None`
    /// leaves the shipped seed's when `learned_seed`, else no vote.
    learned: Option<Arc<LearnedModel>>,
    /// The shipped seed's model votes (no other was given and `[routing.learned]` is on). It is trained the
    /// first time it is asked for, so a daemon that runs on the store's model never builds or holds it.
    learned_seed: bool,
    /// The learned opinion on the kind of attention (consulta, incidencia, reclamo, sugerencia) when one was
    /// given; `None` leaves the shipped seed's when `kind_learned_seed`, else no vote.
    kind_learned: Option<Arc<LearnedModel>>,
    /// The kind's shipped seed votes, trained the first time a message needs its vote (one a kind rule
    /// matched), as `learned_seed`.
    kind_learned_seed: bool,
}

impl RuleSet {
    /// Loads every `*.toml` in `dir`, in file-name order. `folders` are the target folders rules may name.
    ///
    /// Any error in any file rejects the whole set (every error is reported), so a bad edit never replaces good
    /// rules.
    pub fn load_dir(dir: &Path, folders: &[String]) -> Result<RuleSet, RuleErrors> {
        RuleSet::load_dir_with(dir, folders, Build::FOR_MANY)
    }

    /// [`RuleSet::load_dir`] for a command that classifies a message or two (`triaje rules test`): the same
    /// rules deciding the same way, built for a few messages ([`Build::FOR_FEW`]): literal automata as
    /// contiguous NFAs, each regex built the first time a message may match it.
    pub fn load_dir_to_try(dir: &Path, folders: &[String]) -> Result<RuleSet, RuleErrors> {
        RuleSet::load_dir_with(dir, folders, Build::FOR_FEW)
    }

    /// [`RuleSet::load_dir`] built as `build` says.
    fn load_dir_with(dir: &Path, folders: &[String], build: Build) -> Result<RuleSet, RuleErrors> {
        let shown = dir.display().to_string();
        let read = std::fs::read_dir(dir).map_err(|e| {
            RuleErrors(vec![RuleError::whole(
                &shown,
                format!("no se pudo abrir la carpeta de reglas ({e}); revise `rules_dir` en la configuración"),
            )])
        })?;
        let mut paths: Vec<_> = read
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        if paths.is_empty() {
            return Err(RuleErrors(vec![RuleError::whole(
                &shown,
                "la carpeta de reglas no tiene ningún archivo .toml; copie las reglas de ejemplo (rules/*.toml)",
            )]));
        }
        let mut sources = Vec::with_capacity(paths.len());
        let mut errors = Vec::new();
        for path in paths {
            let origin = path.display().to_string();
            match std::fs::read_to_string(&path) {
                Ok(text) => sources.push((origin, text)),
                Err(e) => errors.push(RuleError::whole(
                    &origin,
                    format!("no se pudo leer el archivo: {e}"),
                )),
            }
        }
        match RuleSet::from_sources_with(&sources, folders, build) {
            Ok(set) if errors.is_empty() => Ok(set),
            Ok(_) => Err(RuleErrors(errors)),
            Err(RuleErrors(more)) => {
                errors.extend(more);
                Err(RuleErrors(errors))
            }
        }
    }

    /// Checks and compiles rules from `(origin, text)` pairs, in the given order.
    pub fn from_sources(
        sources: &[(String, String)],
        folders: &[String],
    ) -> Result<RuleSet, RuleErrors> {
        RuleSet::from_sources_with(sources, folders, Build::FOR_MANY)
    }

    /// [`RuleSet::from_sources`] built as `build` says.
    fn from_sources_with(
        sources: &[(String, String)],
        folders: &[String],
        build: Build,
    ) -> Result<RuleSet, RuleErrors> {
        let mut b = Builder {
            folders,
            errors: Vec::new(),
            rules: Vec::new(),
            compiled: Vec::new(),
            entries: Vec::new(),
            names: HashMap::default(),
            regexes: HashMap::default(),
            plans: HashMap::default(),
            regexes_later: build.regexes_later,
            patterns: HashMap::default(),
            routing: None,
        };
        for (origin, text) in sources {
            match toml::from_str::<RawFile>(text) {
                Ok(file) => {
                    if let Some(raw) = &file.routing {
                        b.routing(origin, text, raw);
                    }
                    for raw in &file.rule {
                        b.rule(origin, text, raw);
                    }
                }
                Err(e) => {
                    let offset = e.span().map(|s| s.start).unwrap_or(0);
                    b.errors.push(RuleError::at(
                        origin,
                        text,
                        offset,
                        spanish_message(e.message(), Some(PATTERN_LIST_HINT)),
                    ));
                }
            }
        }
        if b.errors.is_empty() && b.rules.is_empty() {
            let origin = sources.first().map(|(o, _)| o.as_str()).unwrap_or("reglas");
            b.errors.push(RuleError::whole(
                origin,
                "no hay ninguna regla [[rule]]: todo iría a «Por clasificar»",
            ));
        }
        if !b.errors.is_empty() {
            return Err(RuleErrors(b.errors));
        }
        let fields = build_fields(&b.entries, &b.plans, build.automata).map_err(|e| {
            RuleErrors(vec![RuleError::whole(
                sources.first().map(|(o, _)| o.as_str()).unwrap_or("reglas"),
                format!("las reglas son demasiado grandes para compilarlas juntas ({e}); simplifique las expresiones regulares"),
            )])
        })?;
        let routing = b.routing.map(|(r, _)| r).unwrap_or_default();
        let mut pattern_rule = vec![u32::MAX; b.entries.len()];
        let mut rules_without_patterns = Vec::new();
        for (order, c) in b.compiled.iter().enumerate() {
            let mut patterns = c.any.iter().chain(c.all.iter().flatten()).peekable();
            if patterns.peek().is_none() {
                rules_without_patterns.push(order as u32);
            }
            for &i in patterns.chain(&c.unless) {
                pattern_rule[i] = order as u32;
            }
        }
        Ok(RuleSet {
            rules: b.rules,
            compiled: b.compiled,
            entries: b.entries,
            pattern_rule,
            rules_without_patterns,
            fields,
            folders: folders.to_vec(),
            learned: None,
            learned_seed: routing.learned.enabled,
            kind_learned: None,
            kind_learned_seed: routing.learned.enabled,
            routing,
        })
    }

    /// How evidence is weighed (`[routing]`).
    pub fn routing(&self) -> &Routing {
        &self.routing
    }

    /// The learned model that votes, if any.
    pub fn learned(&self) -> Option<&Arc<LearnedModel>> {
        match &self.learned {
            Some(model) => Some(model),
            None if self.learned_seed => seed_model(),
            None => None,
        }
    }

    /// The same rules with another learned model (one trained from the office's filings); `None` silences
    /// it. `[routing.learned] enabled = false` always wins: then no model votes.
    pub fn with_learned(mut self, model: Option<Arc<LearnedModel>>) -> RuleSet {
        self.learned = if self.routing.learned.enabled {
            model
        } else {
            None
        };
        self.learned_seed = false;
        self
    }

    /// The learned model that votes on the kind of attention, if any.
    pub fn kind_learned(&self) -> Option<&Arc<LearnedModel>> {
        match &self.kind_learned {
            Some(model) => Some(model),
            None if self.kind_learned_seed => kind_seed_model(),
            None => None,
        }
    }

    /// The same rules with another model voting on the kind (one trained from the office's filings and
    /// corrections); `None` silences it. `[routing.learned] enabled = false` always wins.
    pub fn with_kind_learned(mut self, model: Option<Arc<LearnedModel>>) -> RuleSet {
        self.kind_learned = if self.routing.learned.enabled {
            model
        } else {
            None
        };
        self.kind_learned_seed = false;
        self
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when there are no rules (never the case for a loaded set).
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules in the order they are tried.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Classifies a message: every matching rule adds its points to its folder, the learned opinion adds its
    /// vote, and the best folder wins if it reaches the threshold and leads by the margin (see [`Tally`]).
    ///
    /// The classification carries its explanation's pieces (each rule's reasons, the words that carried the
    /// learned vote), what [`super::explain`] shows and the register records.
    pub fn classify(&self, view: &MessageView<'_>) -> Classification {
        self.classify_with(view, true)
    }

    /// [`RuleSet::classify`] without the explanation's pieces: the same decision, category, availability, kind,
    /// totals, points and probabilities, but every [`RuleEvidence::reasons`], [`Classification::Matched`]'s
    /// `reasons` and [`LearnedEvidence::words`] left empty. For a caller that needs the decision and not why
    /// (a measure over many messages): where each pattern matched is not recorded, no match is mapped back to
    /// the original text, and the learned vote's words are not ranked — about a tenth of a classification.
    pub fn classify_unexplained(&self, view: &MessageView<'_>) -> Classification {
        self.classify_with(view, false)
    }

    /// [`RuleSet::classify`], with the explanation's pieces only when `explained`.
    fn classify_with(&self, view: &MessageView<'_>, explained: bool) -> Classification {
        with_scratch(|scratch| self.classify_in(view, explained, scratch))
    }

    /// [`RuleSet::classify_with`] working in `scratch`.
    fn classify_in(
        &self,
        view: &MessageView<'_>,
        explained: bool,
        scratch: &mut Scratch,
    ) -> Classification {
        let Scratch {
            hits,
            triggered,
            candidates,
            normalized: cache,
            places,
            reading,
        } = scratch;
        // The normalised subject and body serve the matching, the learned opinion and then the reasons.
        cache.clear();
        places.clear();
        // Disclaimers under the citizen's words count for nothing; the reply's subject counts for less. Most
        // mail has none: the normalised text, needed anyway, says so faster than a search of the original.
        let normalized = cache.get(view.text).0;
        let text = if may_have_disclaimer(normalized) {
            without_disclaimers_checked(
                view.text,
                may_have_disclaimer_paragraph(normalized),
                may_have_form(normalized),
            )
        } else {
            std::borrow::Cow::Borrowed(view.text)
        };
        let view = MessageView {
            text: &text,
            ..view.clone()
        };
        let view = &view;
        // A reply that only thanks or acknowledges asks nothing: its subject is the thread's old topic alone.
        let subject_weight = if !is_reply_subject(view.subject) {
            1.0
        } else if only_courtesy(cache.get(view.text).0) {
            0.0
        } else {
            self.routing.reply_subject_weight as f32
        };
        self.hits_with(
            view,
            subject_weight,
            hits,
            triggered,
            cache,
            explained.then_some(places),
        );
        // Only a rule one of whose patterns matched can match (every rule has a pattern outside `unless`):
        // those, in their order, instead of weighing each of the set's rules.
        candidates.clear();
        candidates.extend(
            hits.touched()
                .iter()
                .map(|&i| self.pattern_rule[i as usize]),
        );
        candidates.extend_from_slice(&self.rules_without_patterns);
        candidates.sort_unstable();
        candidates.dedup();
        let mut evidence = Vec::new();
        let mut vetoed = Vec::new();
        let mut kind_evidence = Vec::new();
        let mut kind_vetoed = Vec::new();
        for &order in candidates.iter() {
            let order = order as usize;
            let (rule, c) = (&self.rules[order], &self.compiled[order]);
            // A rule is as strong as its weakest required group; a group as its best-placed match.
            let best = |g: &[usize]| g.iter().map(|&i| hits.get(i)).fold(0f32, f32::max);
            let mut weight = if c.any.is_empty() { 1.0 } else { best(&c.any) };
            for g in &c.all {
                weight = weight.min(best(g));
            }
            if weight <= 0.0 {
                continue;
            }
            if c.unless.iter().any(|&i| hits.get(i) > 0.0) {
                if rule.folder.is_some() {
                    vetoed.push(rule.name.clone());
                }
                if rule.kind.is_some() {
                    kind_vetoed.push(rule.name.clone());
                }
                continue;
            }
            let mut reasons = Vec::new();
            for &i in c.any.iter().chain(c.all.iter().flatten()) {
                if explained && hits.get(i) > 0.0 {
                    let reason = self.reason(i, view, cache, places.get(i));
                    // The same pattern may sit in two groups; say it once.
                    if !reasons.contains(&reason) {
                        reasons.push(reason);
                    }
                }
            }
            let weight = f64::from(weight);
            // The reasons go to the rule's last piece as they are, and are copied only for a rule that is
            // evidence of a kind and of a folder at once (a copy of every reason's string for every rule that
            // matched, most of them for one piece).
            let piece = |towards: &str, reasons: Vec<String>| RuleEvidence {
                rule: rule.name.clone(),
                file: rule.file.clone(),
                order,
                folder: towards.to_string(),
                score: rule.score,
                weight,
                points: rule.score * weight,
                reasons,
                stacked: 1.0,
            };
            match (rule.kind, &rule.folder) {
                (Some(kind), Some(folder)) => {
                    kind_evidence.push(piece(kind.as_str(), reasons.clone()));
                    evidence.push(piece(folder, reasons));
                }
                (Some(kind), None) => kind_evidence.push(piece(kind.as_str(), reasons)),
                (None, Some(folder)) => evidence.push(piece(folder, reasons)),
                (None, None) => {}
            }
        }
        // Both computed by now (the subject only if some rule looks at it): then read without a copy.
        cache.get(view.subject);
        cache.get(view.text);
        let subject = cache.computed(view.subject).unwrap_or_default();
        let text = cache.computed(view.text).unwrap_or_default();
        // When no kind rule matched and the kind vote's whole weight is below the kind's threshold, that vote
        // cannot make anything but a consultation: it is not asked (most mail; the rule bench stays as fast).
        // (Asked before the model is looked up: the kind's seed is trained the first time it is needed.)
        let kind_model = (!kind_evidence.is_empty()
            || self.routing.learned.kind_weight + 0.005 >= self.routing.kind_threshold)
            .then(|| self.kind_learned())
            .flatten();
        let area_model = self.learned();
        // One reading of the message serves both models: its features (and its asking clause's, with
        // `[routing] asking`) are computed once, when a model votes.
        if kind_model.is_some() || area_model.is_some() {
            reading.read_into(subject, subject_weight, text, self.routing.asking);
        }
        let reading = &*reading;
        // `log`: the scale of the vote (`[routing.learned] log_weight`), for the folders' vote only.
        let vote_of = |model: &Arc<LearnedModel>,
                       weight: f64,
                       log: Option<&LogVote>,
                       allowed: &dyn Fn(&str) -> bool| {
            let vote = model.vote_on_with(reading, subject, text, explained);
            let weight = log.map_or(weight, |l| l.weight);
            let given = weight * vote.confidence;
            let scaled = |p: f64| match log {
                None => given * p,
                Some(_) => given * (p.max(LOG_FLOOR) / LOG_FLOOR).ln(),
            };
            let allowed_probabilities = || {
                vote.probabilities
                    .iter()
                    .filter(|(class, _)| allowed(class))
            };
            let points = allowed_probabilities()
                .map(|(class, p)| (class.clone(), scaled(*p)))
                .collect();
            // On the log scale «Por clasificar» gets whatever the folders leave of the probability.
            let unclassified = if log.is_some() {
                scaled(1.0 - allowed_probabilities().map(|(_, p)| p).sum::<f64>())
            } else {
                0.0
            };
            LearnedEvidence {
                weight,
                confidence: vote.confidence,
                points,
                unclassified,
                log: log.is_some(),
                probabilities: vote.probabilities,
                words: vote.words,
                messages: model.messages(),
            }
        };
        let kind_learned = kind_model.map(|model| {
            vote_of(model, self.routing.learned.kind_weight, None, &|class| {
                class.parse::<AttentionKind>().is_ok()
            })
        });
        let kind = KindDecision::decide(kind_evidence, kind_learned, kind_vetoed, &self.routing);
        let learned = area_model.map(|model| {
            vote_of(
                model,
                self.routing.learned.weight,
                self.routing.learned.log.as_ref(),
                &|class| self.folders.iter().any(|f| f == class),
            )
        });
        let tally = decide(evidence, learned, vetoed, &self.routing);
        let Some(folder) = tally.winner().map(str::to_string) else {
            return Classification::Unmatched {
                rules_checked: self.rules.len(),
                tally,
                kind,
            };
        };
        match tally.deciding_rule() {
            Some(r) => {
                let rule = &self.rules[r.order];
                Classification::Matched {
                    rule: rule.name.clone(),
                    file: rule.file.clone(),
                    folder,
                    category: rule.category.clone(),
                    availability: rule.availability,
                    reasons: r.reasons.clone(),
                    tally,
                    kind,
                }
            }
            None => Classification::Matched {
                rule: LEARNED_RULE.to_string(),
                file: "(modelo aprendido)".into(),
                folder,
                category: self.routing.learned.category.clone(),
                availability: self.routing.learned.availability,
                reasons: Vec::new(),
                tally,
                kind,
            },
        }
    }

    /// Which patterns match the message, and what the best place each matched in is worth (0: no match).
    #[cfg(test)]
    pub(super) fn hits(&self, view: &MessageView<'_>) -> Vec<f32> {
        let mut scratch = Scratch::default();
        self.hits_with(
            view,
            1.0,
            &mut scratch.hits,
            &mut scratch.triggered,
            &mut scratch.normalized,
            None,
        );
        scratch.hits.to_vec(self.entries.len())
    }

    /// [`RuleSet::hits`] into `hits` (reset first) with the subject worth `subject_weight`, keeping the
    /// normalised subject and body in `cache`; `triggered` is working memory.
    fn hits_with(
        &self,
        view: &MessageView<'_>,
        subject_weight: f32,
        hits: &mut Hits,
        triggered: &mut Vec<u64>,
        cache: &mut NormalizedCache,
        places: Option<&mut Places>,
    ) {
        let mut places = places;
        hits.reset(self.entries.len());
        let f = &self.fields;
        if let Some(set) = &f.subject {
            set.mark(
                &self.entries,
                cache.get(view.subject).0,
                subject_weight,
                hits,
                triggered,
                places.as_deref_mut().map(|p| (p, PlaceField::Subject)),
            );
        }
        if let Some(set) = &f.body {
            set.mark(
                &self.entries,
                cache.get(view.text).0,
                1.0,
                hits,
                triggered,
                places.map(|p| (p, PlaceField::Body)),
            );
        }
        for (set, values) in [
            (&f.from, &view.from),
            (&f.to, &view.to),
            (&f.attachment, &view.attachments),
        ] {
            if let Some(set) = set {
                for v in values.iter() {
                    set.mark(&self.entries, &normalize(v), 1.0, hits, triggered, None);
                }
            }
        }
        for (name, set) in &f.headers {
            for (_, value) in view
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            {
                set.mark(&self.entries, &normalize(value), 1.0, hits, triggered, None);
            }
        }
    }

    /// The reference [`RuleSet::hits`] must agree with: every pattern's own regex, run alone on each value of
    /// its field.
    #[cfg(test)]
    pub(super) fn hits_one_by_one(&self, view: &MessageView<'_>) -> Vec<bool> {
        self.entries
            .iter()
            .map(|entry| {
                // A `re:` pattern as written, not as rewritten for lower-case text.
                let regex = match entry.pattern.source.strip_prefix("re:") {
                    Some(re) => build_regex(&format!("(?i:{})", strip_accents(re)))
                        .expect("a checked pattern builds"),
                    None => entry
                        .pattern
                        .regex()
                        .expect("a checked pattern builds")
                        .clone(),
                };
                let values: Vec<&str> = match &entry.key {
                    Key::Subject => vec![view.subject],
                    Key::Body => vec![view.text],
                    Key::Text => vec![view.subject, view.text],
                    Key::From => view.from.clone(),
                    Key::To => view.to.clone(),
                    Key::Attachment => view.attachments.clone(),
                    Key::Header(name) => view
                        .headers
                        .iter()
                        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                        .map(|(_, v)| v.as_str())
                        .collect(),
                };
                values
                    .iter()
                    .any(|v| regex.is_match(normalize(v).as_bytes()))
            })
            .collect()
    }

    /// Says where pattern `i` matched and what it matched, as the citizen wrote it.
    fn reason(
        &self,
        i: usize,
        view: &MessageView<'_>,
        cache: &mut NormalizedCache,
        place: Place,
    ) -> String {
        let entry = &self.entries[i];
        if let Some((field, start, end)) = place {
            let (original, where_) = match field {
                PlaceField::Subject => (view.subject, "el asunto"),
                PlaceField::Body => (view.text, "el texto"),
            };
            let (norm, checkpoints) = cache.get(original);
            return describe(
                original,
                norm,
                checkpoints,
                start,
                end,
                where_,
                &entry.pattern.source,
            );
        }
        let header_values: Vec<&str>;
        let candidates: Vec<(&str, String)> = match &entry.key {
            Key::Subject => vec![(view.subject, "el asunto".into())],
            Key::Body => vec![(view.text, "el texto".into())],
            Key::Text => vec![
                (view.subject, "el asunto".into()),
                (view.text, "el texto".into()),
            ],
            Key::From => view
                .from
                .iter()
                .map(|v| (*v, "el remitente".into()))
                .collect(),
            Key::To => view
                .to
                .iter()
                .map(|v| (*v, "los destinatarios".into()))
                .collect(),
            Key::Attachment => view
                .attachments
                .iter()
                .map(|v| (*v, "un adjunto".into()))
                .collect(),
            Key::Header(name) => {
                header_values = view
                    .headers
                    .iter()
                    .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.as_str())
                    .collect();
                header_values
                    .iter()
                    .map(|v| (*v, format!("el encabezado «{name}»")))
                    .collect()
            }
        };
        for (original, place) in candidates {
            let (norm, checkpoints) = cache.get(original);
            if let Some(m) = entry.pattern.regex().and_then(|r| r.find(norm.as_bytes())) {
                return describe(
                    original,
                    norm,
                    checkpoints,
                    m.start(),
                    m.end(),
                    &place,
                    &entry.pattern.source,
                );
            }
        }
        format!("coincide el patrón «{}»", entry.pattern.source)
    }
}

/// `«place» contiene «what the citizen wrote» (patrón «source»)` for a match at `start..end` of the normalised
/// text `norm` of `original`.
fn describe(
    original: &str,
    norm: &str,
    checkpoints: &[(usize, usize)],
    start: usize,
    end: usize,
    place: &str,
    source: &str,
) -> String {
    let shown = if start < end {
        original_range_from(original, checkpoints, start, end)
            .and_then(|(from, to)| original.get(from..to))
            .or_else(|| norm.get(start..end))
            .unwrap_or("")
    } else {
        ""
    };
    // A plain pattern's end test may have consumed the character after the word.
    let shown = shown.trim_end_matches(|c: char| c.is_whitespace() || ".,;:!?)".contains(c));
    // Pieces pushed in turn, not `format!`: a classification explains every rule that adds points, a dozen
    // reasons a message, and the formatting machinery cost several times the copies.
    let source = shortened(source);
    let mut reason = String::with_capacity(place.len() + shown.len() + source.len() + 32);
    reason.push_str(place);
    reason.push_str(" contiene «");
    reason.push_str(shown);
    reason.push_str("» (patrón «");
    reason.push_str(&source);
    reason.push_str("»)");
    reason
}

/// A pattern as the explanation quotes it: a long regular expression is cut after 60 characters («…»).
fn shortened(source: &str) -> std::borrow::Cow<'_, str> {
    const SHOWN: usize = 60;
    match source.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", &source[..cut]).into(),
        None => source.into(),
    }
}

/// Collects rules and every error while reading the files.
struct Builder<'a> {
    folders: &'a [String],
    errors: Vec<RuleError>,
    rules: Vec<Rule>,
    compiled: Vec<Compiled>,
    entries: Vec<Entry>,
    /// Name → where it was first defined.
    names: HashMap<String, String>,
    /// The searchers of the regexes seen so far, by source.
    regexes: HashMap<String, Searcher>,
    /// Where the matches of each regex seen so far may start, by source.
    plans: HashMap<String, RegexPlan>,
    /// Build a regex that cannot fail to build the first time a search needs it ([`Build::regexes_later`]).
    regexes_later: bool,
    /// The patterns checked so far, by what the administrator wrote.
    patterns: HashMap<String, Pattern>,
    /// The `[routing]` table and where it is written (there may be one in the whole set).
    routing: Option<(Routing, String)>,
}

impl Builder<'_> {
    fn routing(&mut self, origin: &str, text: &str, raw: &Spanned<super::rule_file::RawRouting>) {
        let here = RuleError::at(origin, text, raw.span().start, "").location();
        if let Some((_, first)) = &self.routing {
            self.errors.push(RuleError::at(
                origin,
                text,
                raw.span().start,
                format!(
                    "ya hay una tabla [routing] en {first}; escriba los ajustes en un solo archivo"
                ),
            ));
            return;
        }
        let routing = Routing::from_raw(raw.get_ref(), origin, text, &mut self.errors);
        self.routing = Some((routing, here));
    }

    fn rule(&mut self, origin: &str, text: &str, raw: &RawRule) {
        let errors_before = self.errors.len();
        let at = |span: std::ops::Range<usize>, msg: String| {
            RuleError::at(origin, text, span.start, msg)
        };

        let name = raw.name.get_ref().trim().to_string();
        let name_at = RuleError::at(origin, text, raw.name.span().start, "");
        if name.is_empty() {
            self.errors.push(at(
                raw.name.span(),
                "el nombre de la regla está vacío".into(),
            ));
        } else if let Some(first) = self.names.get(&name) {
            self.errors.push(at(
                raw.name.span(),
                format!("el nombre «{name}» ya lo usa otra regla en {first}; cada regla necesita un nombre único"),
            ));
        } else {
            self.names.insert(name.clone(), name_at.location());
        }

        let folder = raw
            .folder
            .as_ref()
            .map(|f| (f.get_ref().trim().to_string(), f.span()));
        if let Some((folder, span)) = &folder {
            if !self.folders.contains(folder) {
                let hint = self
                    .folders
                    .iter()
                    .find(|f| f.eq_ignore_ascii_case(folder))
                    .map(|f| format!(" (¿quiso decir «{f}»?)"))
                    .unwrap_or_default();
                self.errors.push(at(
                    span.clone(),
                    format!(
                        "la carpeta «{folder}» no es una carpeta de destino configurada{hint}; use una de: {}",
                        self.folders.join(", ")
                    ),
                ));
            }
        }
        let kind = match &raw.kind {
            None => None,
            Some(k) => match k.get_ref().parse::<AttentionKind>() {
                Ok(kind) => Some(kind),
                Err(e) => {
                    self.errors.push(at(k.span(), e.to_string()));
                    None
                }
            },
        };
        if folder.is_none() && raw.kind.is_none() {
            self.errors.push(at(
                raw.name.span(),
                format!(
                    "la regla «{name}» no dice a qué da puntos: escriba folder = \"SEACE\" (una carpeta), \
                     kind = \"incidencia\" (una clase de atención: consulta, incidencia, reclamo, sugerencia) o ambas"
                ),
            ));
        }

        // A folder's rule says the reason and availability its consultations are recorded with.
        let availability = match (&raw.availability, &folder) {
            (Some(a), _) => match a.get_ref().parse::<Availability>() {
                Ok(a) => Some(a),
                Err(e) => {
                    self.errors.push(at(a.span(), e.to_string()));
                    None
                }
            },
            (None, Some(_)) => {
                self.errors.push(at(
                    raw.name.span(),
                    format!("a la regla «{name}» le falta availability (Alta, Media o Baja): la necesita toda regla con folder"),
                ));
                None
            }
            // A kind's rule sets no deadline: the kind's own policy does.
            (None, None) => Some(Availability::Medium),
        };

        let score = match &raw.score {
            None => 1.0,
            Some(v) if v.get_ref().is_finite() && v.get_ref().abs() <= 1000.0 => *v.get_ref(),
            Some(v) => {
                self.errors.push(at(
                    v.span(),
                    "score debe ser un número entre -1000 y 1000 (negativo: evidencia en contra de la carpeta)"
                        .into(),
                ));
                1.0
            }
        };

        let category = raw
            .category
            .as_ref()
            .map(|c| c.get_ref().trim().to_string())
            .unwrap_or_default();
        match &raw.category {
            Some(c) if category.is_empty() => self.errors.push(at(
                c.span(),
                "la categoría está vacía: escriba el motivo de la consulta (se usa en los indicadores)".into(),
            )),
            None if folder.is_some() => self.errors.push(at(
                raw.name.span(),
                format!("a la regla «{name}» le falta category (el motivo de la consulta): la necesita toda regla con folder"),
            )),
            _ => {}
        }

        for (header, _) in raw
            .header
            .iter()
            .chain(raw.all.iter().flat_map(|g| g.get_ref().header.iter()))
        {
            if header.get_ref().trim().is_empty() {
                self.errors
                    .push(at(header.span(), "falta el nombre del encabezado".into()));
            }
        }

        let any = self.group(origin, text, raw.conditions());
        let mut all = Vec::with_capacity(raw.all.len());
        for g in &raw.all {
            let group = self.group(origin, text, g.get_ref().conditions());
            if g.get_ref().conditions().is_empty() {
                self.errors.push(at(
                    g.span(),
                    format!("un grupo [[rule.all]] de la regla «{name}» no tiene condiciones"),
                ));
            }
            all.push(group);
        }
        let unless = match &raw.unless {
            Some(u) => {
                if u.get_ref().conditions().is_empty() {
                    self.errors.push(at(
                        u.span(),
                        format!("[rule.unless] de la regla «{name}» no tiene condiciones; quítelo o agregue patrones"),
                    ));
                }
                self.group(origin, text, u.get_ref().conditions())
            }
            None => Vec::new(),
        };
        if raw.conditions().is_empty() && raw.all.is_empty() {
            self.errors.push(at(
                raw.name.span(),
                format!(
                    "la regla «{name}» no tiene ninguna condición; agregue subject, text, body, from, to, attachment o header"
                ),
            ));
        }

        if self.errors.len() > errors_before {
            return;
        }
        let Some(availability) = availability else {
            return;
        };
        self.rules.push(Rule {
            name,
            description: raw
                .description
                .as_ref()
                .map(|d| d.get_ref().trim().to_string())
                .unwrap_or_default(),
            folder: folder.map(|(f, _)| f),
            kind,
            category,
            availability,
            score,
            file: origin.to_string(),
            line: name_at.line,
        });
        self.compiled.push(Compiled { any, all, unless });
    }

    /// Compiles a group's patterns, reporting each bad one where it is written.
    fn group(
        &mut self,
        origin: &str,
        text: &str,
        conditions: Vec<(Key, &Spanned<String>)>,
    ) -> Group {
        let mut group = Vec::with_capacity(conditions.len());
        for (key, p) in conditions {
            // The same pattern is often written in many rules (the shipped rules all carry the same «solo
            // agradecimiento» regex): check and rewrite it once.
            let checked = match self.patterns.get(p.get_ref()) {
                Some(done) => Ok(done.clone()),
                None => {
                    let checked = match shipped(p.get_ref()) {
                        // A regex of the shipped rules, parsed and planned when triaje was built.
                        Some(known) => self.prepare_planned(
                            Pattern::prepared(known.source, known.regex_source),
                            Some((known.plan(), known.may_exceed_limits)),
                        ),
                        None => compile_parsed(p.get_ref())
                            .and_then(|(pattern, parsed)| self.prepare_regex(pattern, parsed)),
                    };
                    if let Ok(pattern) = &checked {
                        self.patterns.insert(p.get_ref().clone(), pattern.clone());
                    }
                    checked
                }
            };
            match checked {
                Ok(pattern) => {
                    group.push(self.entries.len());
                    self.entries.push(Entry { key, pattern });
                }
                Err(msg) => self
                    .errors
                    .push(RuleError::at(origin, text, p.span().start, msg)),
            }
        }
        group
    }

    /// Prepares the searcher of a pattern the field automaton cannot answer alone (`re:`, inner `*`; `parsed`
    /// is its regex when [`compile_parsed`] parsed it) and plans where its matches may start
    /// ([`RegexPlan`]), once for each distinct regex however many rules repeat it. The searcher is built now,
    /// so one too big to compile is refused at load like a malformed one, unless `regexes_later` and the
    /// regex cannot fail to build ([`may_exceed_limits`]): then the first search that needs it builds it. A
    /// pattern's `regex` only serves explanations and waits until one needs it.
    fn prepare_regex(&mut self, pattern: Pattern, parsed: Option<Hir>) -> Result<Pattern, String> {
        if pattern.literal.is_some() || self.regexes.contains_key(&pattern.regex_source) {
            return self.prepare_planned(pattern, None);
        }
        // An inner-wildcard pattern's regex is written by `compile` from escaped words: it parses.
        let hir = parsed.or_else(|| parse_regex(&pattern.regex_source).ok());
        let planned = hir
            .as_ref()
            .map(|hir| (RegexPlan::of(hir), may_exceed_limits(hir)));
        self.prepare_planned(pattern, planned)
    }

    /// [`Builder::prepare_regex`] once the regex is planned: `planned` is its plan and whether its searcher
    /// may fail to build ([`may_exceed_limits`]), `None` for a regex that did not parse (its searcher is
    /// built now, and refuses it) or one already prepared under the same `regex_source`.
    fn prepare_planned(
        &mut self,
        pattern: Pattern,
        planned: Option<(RegexPlan, bool)>,
    ) -> Result<Pattern, String> {
        if pattern.literal.is_some() {
            return Ok(pattern);
        }
        if let Some(searcher) = self.regexes.get(&pattern.regex_source) {
            let searcher = searcher.clone();
            return Ok(pattern.with_searcher(searcher));
        }
        let searcher = match &planned {
            Some((_, false)) if self.regexes_later => Searcher::later(&pattern.regex_source),
            _ => Searcher::now(&pattern.regex_source).map_err(|detail| {
                format!(
                    "expresión regular inválida «{}»: {}",
                    pattern.source,
                    last_line(&detail)
                )
            })?,
        };
        if let Some((plan, _)) = planned {
            self.plans.insert(pattern.regex_source.clone(), plan);
        }
        self.regexes
            .insert(pattern.regex_source.clone(), searcher.clone());
        Ok(pattern.with_searcher(searcher))
    }
}

/// How a rule set is built: for a daemon's thousands of messages, or for the one or two of a command.
#[derive(Debug, Clone, Copy)]
struct Build {
    /// The kind of the fields' literal automata.
    automata: AhoCorasickKind,
    /// Build each regex that cannot fail to build ([`may_exceed_limits`]) the first time a search needs it,
    /// instead of at load.
    regexes_later: bool,
}

impl Build {
    /// For the daemon, `rules check` and the benches: DFAs, which search a quarter faster (the daemon's
    /// thousands of messages repay their building), and every regex built at load.
    const FOR_MANY: Build = Build {
        automata: AhoCorasickKind::DFA,
        regexes_later: false,
    };

    /// For `triaje rules test`: contiguous NFAs (building the DFAs took a quarter of the instructions of a
    /// whole `rules test`), and the regexes built when a message holds one of their starting literals (building
    /// all of them took another quarter; a message needs a few).
    const FOR_FEW: Build = Build {
        automata: AhoCorasickKind::ContiguousNFA,
        regexes_later: true,
    };
}

fn build_fields(
    entries: &[Entry],
    plans: &HashMap<String, RegexPlan>,
    automata: AhoCorasickKind,
) -> Result<Fields, String> {
    let mut headers: Vec<String> = entries
        .iter()
        .filter_map(|e| match &e.key {
            Key::Header(h) => Some(h.clone()),
            _ => None,
        })
        .collect();
    headers.sort();
    headers.dedup();
    let mut fields = Fields {
        subject: FieldSet::build(
            entries,
            plans,
            |k| matches!(k, Key::Subject | Key::Text),
            automata,
        )?,
        body: FieldSet::build(
            entries,
            plans,
            |k| matches!(k, Key::Body | Key::Text),
            automata,
        )?,
        from: FieldSet::build(entries, plans, |k| *k == Key::From, automata)?,
        to: FieldSet::build(entries, plans, |k| *k == Key::To, automata)?,
        attachment: FieldSet::build(entries, plans, |k| *k == Key::Attachment, automata)?,
        headers: Vec::new(),
    };
    for h in headers {
        if let Some(set) = FieldSet::build(
            entries,
            plans,
            |k| matches!(k, Key::Header(x) if *x == h),
            automata,
        )? {
            fields.headers.push((h, set));
        }
    }
    Ok(fields)
}

#[cfg(test)]
mod start_tests {
    use super::*;

    /// The shipped rules, after a few of the rule bench's synthetic ones (`re:codigo-N-\d+`, inner `*`).
    fn shipped_sources() -> Vec<(String, String)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .expect("rules dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        let mut synthetic = String::new();
        for i in 0..5 {
            synthetic.push_str(&format!(
                "[[rule]]\nname = \"sintetica-{i}\"\nfolder = \"SEACE\"\ncategory = \"c\"\n\
                 availability = \"Alta\"\ntext = [\"prefijo{i}*\", \"re:codigo-{i}-\\\\d+\", \"uno*dos{i}\"]\n\n"
            ));
        }
        let mut sources = vec![("00-sinteticas.toml".to_string(), synthetic)];
        for p in paths {
            let text = std::fs::read_to_string(&p).expect("read rules");
            sources.push((p.display().to_string(), text));
        }
        sources
    }

    fn targets() -> Vec<String> {
        ["SEACE", "RNP", "Legal"].map(String::from).to_vec()
    }

    #[test]
    fn cutting_literals_while_extracting_finds_the_triggers_cutting_afterwards_found() {
        // Every shipped regex, and each part of its top-level sequence (what `required_literals` asks).
        let set = RuleSet::from_sources(&shipped_sources(), &targets()).expect("rules load");
        let mut checked = 0;
        for entry in set.entries.iter().filter(|e| e.pattern.literal.is_none()) {
            let hir = parse_regex(&entry.pattern.regex_source).expect("parses");
            let parts: Vec<Hir> = match hir.kind() {
                regex_syntax::hir::HirKind::Concat(parts) => parts.clone(),
                _ => Vec::new(),
            };
            for h in std::iter::once(&hir).chain(&parts) {
                let before =
                    prefix_literals_of(regex_syntax::hir::literal::Extractor::new().extract(h));
                let now = prefix_literals(h);
                // Where the extractor's union kept a shorter literal beside longer ones («esta ley » and
                // «esta ley d»), the two sets may hold different redundant ones; each literal of either set
                // still extends, or is extended by, one of the other: the same places are triggers.
                let (Some(before), Some(now)) = (&before, &now) else {
                    assert_eq!(now, before, "{}", entry.pattern.source);
                    continue;
                };
                let covered = |a: &[Vec<u8>], b: &[Vec<u8>]| {
                    a.iter()
                        .all(|x| b.iter().any(|y| x.starts_with(y) || y.starts_with(x)))
                };
                assert!(
                    covered(now, before) && covered(before, now),
                    "{}",
                    entry.pattern.source
                );
                checked += 1;
            }
        }
        assert!(checked > 300, "{checked}");
    }

    #[test]
    fn a_regex_is_planned_from_its_parsed_form_as_from_its_printed_one() {
        // The plan is read from the regex `compile_parsed` rewrote, not from parsing its printed form again
        // (what the searcher builds from): both must give the same triggers and starts.
        let set = RuleSet::from_sources(&shipped_sources(), &targets()).expect("rules load");
        let mut planned = 0;
        for entry in set.entries.iter().filter(|e| e.pattern.literal.is_none()) {
            let (pattern, parsed) = compile_parsed(&entry.pattern.source).expect("checked");
            let reparsed = parse_regex(&pattern.regex_source).expect("printed form parses");
            if let Some(hir) = parsed {
                assert_eq!(
                    RegexPlan::of(&hir),
                    RegexPlan::of(&reparsed),
                    "{}",
                    entry.pattern.source
                );
                planned += 1;
            }
        }
        assert!(planned > 100, "{planned}");
    }

    #[test]
    fn rules_to_try_build_only_the_regexes_a_message_may_match() {
        let few = RuleSet::from_sources_with(&shipped_sources(), &targets(), Build::FOR_FEW)
            .expect("rules load");
        let many = RuleSet::from_sources(&shipped_sources(), &targets()).expect("rules load");
        let searchers = |set: &RuleSet| -> Vec<Searcher> {
            set.entries
                .iter()
                .filter_map(|e| e.pattern.searcher.clone())
                .collect()
        };
        assert!(searchers(&many).iter().all(Searcher::is_built));
        assert!(!searchers(&few).iter().any(Searcher::is_built));
        let view = MessageView {
            subject: "Penalidad por mora",
            text:
                "¿Procede que la entidad ejecute la carta fianza de fiel cumplimiento? codigo-3-77",
            ..Default::default()
        };
        let (a, b) = (few.classify(&view), many.classify(&view));
        assert_eq!(super::super::explain(&a), super::super::explain(&b));
        let built = searchers(&few).iter().filter(|s| s.is_built()).count();
        assert!(built > 0 && built < searchers(&few).len() / 4, "{built}");
    }

    #[test]
    fn a_regex_too_big_to_build_is_refused_at_load_in_both_builds() {
        let text = "[[rule]]\nname = \"grande\"\nfolder = \"SEACE\"\ncategory = \"c\"\n\
                    availability = \"Alta\"\ntext = [\"ok\", \"re:[a-z]{100}{100}{100}\"]\n";
        let sources = [("r.toml".to_string(), text.to_string())];
        let errors = |build| match RuleSet::from_sources_with(&sources, &targets(), build) {
            Ok(_) => panic!("a regex over the size limit loads"),
            Err(RuleErrors(e)) => e
                .iter()
                .map(|e| (e.line, e.column, e.message.clone()))
                .collect::<Vec<_>>(),
        };
        let many = errors(Build::FOR_MANY);
        assert_eq!(many, errors(Build::FOR_FEW));
        assert_eq!((many[0].0, many[0].1), (6, 15), "{many:?}");
        assert!(many[0].2.contains("expresión regular inválida"), "{many:?}");
    }

    #[test]
    fn a_regex_without_starting_literals_waits_for_one_it_must_contain() {
        // The `¿puedo…?` signal of rules/25-senales.toml: it may start at the text's start or after any of
        // seven signs, then ten optional words (too many starts to list), but no match lacks one of its verbs.
        let source = concat!(
            "(^|[.!?:;,)] )(y |pero |entonces |o |ademas |tambien |y si |si |aun |todavia )?",
            "(puedo|podemos|se puede|se podria|podria|podriamos|pueden|puede la entidad|puede el comite|",
            "es posible)\\b[^.!?]*\\?"
        );
        let plan = RegexPlan::of(&parse_regex(source).expect("parses"));
        assert_eq!(plan.start, RegexStart::Containing);
        assert_eq!(
            plan.triggers,
            [
                &b"es posible"[..],
                b"podemos",
                b"podria",
                b"podriamos",
                b"puede el c",
                b"puede la e",
                b"pueden",
                b"puedo",
                b"se podria",
                b"se puede",
            ]
            .iter()
            .map(|l| l.to_vec())
            .collect::<Vec<_>>()
        );
        assert!(!plan.at_word_start);
        // A part that can be empty, or is a look-around alone, says nothing; the best part is the rarest.
        for (regex, wanted) in [
            ("(^|, )a?[a-z]+", RegexStart::Anywhere),
            ("(^|[a-z] )(ab|abc)\\b(c|d)", RegexStart::Containing),
            ("[a-z]+@", RegexStart::Containing),
        ] {
            assert_eq!(
                RegexPlan::of(&parse_regex(regex).expect("parses")).start,
                wanted,
                "{regex}"
            );
        }
        let shipped = RuleSet::from_sources(&shipped_sources(), &targets()).expect("rules load");
        let starts: Vec<RegexStart> = [&shipped.fields.subject, &shipped.fields.body]
            .into_iter()
            .flatten()
            .flat_map(|f| f.regexes.iter().map(|r| r.start))
            .collect();
        assert!(starts.contains(&RegexStart::Containing), "{starts:?}");
    }

    #[test]
    fn only_a_regex_anchored_at_the_text_start_is_tried_there_alone() {
        for anchored in ["^a", "(?i:^(?:hola )?gracias$)", "^(?:ok|listo)[ .]*$"] {
            assert!(
                anchored_at_text_start(&parse_regex(anchored).expect("parses")),
                "{anchored}"
            );
        }
        // Multi-line `^` starts every line; an alternative without `^` starts anywhere.
        for anywhere in ["(?m)^a", "a|^b", "\\ba", "x^"] {
            assert!(
                !anchored_at_text_start(&parse_regex(anywhere).expect("parses")),
                "{anywhere}"
            );
        }
    }

    #[test]
    fn an_anchored_try_at_each_start_finds_the_leftmost_match() {
        let searcher = build_searcher("ab+|b").expect("builds");
        let text = b"xab bb abbb";
        // Every match starts with «a» or «b»: the places of those letters, in order.
        let starts: Vec<usize> = text
            .iter()
            .enumerate()
            .filter(|(_, b)| matches!(b, b'a' | b'b'))
            .map(|(i, _)| i)
            .collect();
        for spans_words in [false, true] {
            let m = leftmost_from(&searcher, text, starts.iter().copied(), spans_words)
                .expect("matches");
            assert_eq!((m.start(), m.end()), (1, 3));
            let m = leftmost_from(&searcher, text, starts[3..].iter().copied(), spans_words)
                .expect("matches");
            assert_eq!((m.start(), m.end()), (5, 6));
            assert!(leftmost_from(&searcher, text, std::iter::empty(), spans_words).is_none());
        }
        // Past `ANCHORED_TRIES` places, tried one at a time or searched once from the first: the same match.
        let long = b"ab ".repeat(40);
        let everywhere: Vec<usize> = (0..long.len()).step_by(3).collect();
        assert!(everywhere.len() > ANCHORED_TRIES);
        for spans_words in [false, true] {
            let m = leftmost_from(
                &searcher,
                &long,
                everywhere[5..].iter().copied(),
                spans_words,
            )
            .expect("matches");
            assert_eq!((m.start(), m.end()), (15, 17));
        }
    }

    #[test]
    fn a_regex_that_repeats_what_holds_a_space_spans_words() {
        for (regex, spans) in [
            (
                r"\b(registr|public)\w* [^.?!;]*\b(en|al) (el|la) seace",
                true,
            ),
            (r"\bcertificado digital\b.*\breniec\b", true),
            (r"\b(correo|codigo)( [a-z]+)* no llega", true),
            (r"^((re|rv|fw) ?: ?)*(urgente:? )?error", true),
            (r"\b(en|con) (la|el) [a-z ]{0,30}\bsi funciona\b", false),
            (
                r"\b(el|la) (sistema|portal)( del? [a-z]+)? (me |nos )?(dice|indica)",
                false,
            ),
            (r"no (puedo|me deja) (ingresar|loguear\w*)", false),
            (r"\b(dni|documento)\b[^.?!;]{0,80}\b(vencido|caduco)", false),
        ] {
            assert_eq!(
                spans_words(&parse_regex(regex).expect("parses")),
                spans,
                "{regex}"
            );
        }
    }
}
