//! The literals that may start inside a word (those [`super::word_starts::WordStarts`] cannot look up), found
//! at every place they occur.
//!
//! An overlapping Aho-Corasick pass reports them, but it walks its automaton for every byte of the text, about
//! twenty instructions a byte: on the rule bench, whose 184 synthetic `codigo-N-\d+` regexes start inside a
//! word, it was an eighth of a classification. When the literals share a few prefixes of three or four bytes
//! («codi», «no p»), a packed SIMD search (Teddy, the one the regex crate uses as its prefilter) finds every
//! place one of those prefixes starts, and only there are the literals compared: a fraction of an instruction a
//! byte on text that holds none. Every occurrence is reported, as the overlapping pass reported them.

use aho_corasick::packed::{Config, MatchKind as PackedMatchKind, Searcher};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind, Span};

/// The longest prefix the packed search looks for: Teddy's fingerprint reads three bytes, and four keep a
/// prefix like «no p» from stopping at every «no ».
const PREFIX_LEN: usize = 4;
/// The shortest: with one or two bytes the search would stop at most words.
const SHORTEST_PREFIX: usize = 3;
/// The most distinct prefixes the packed search is built for; past this the automaton is used (Teddy itself
/// refuses larger sets, and its candidates multiply).
const MOST_PREFIXES: usize = 32;

/// Finds every occurrence of a set of literals.
#[derive(Debug, Clone)]
pub(super) enum InnerLiterals {
    /// An overlapping Aho-Corasick pass over every byte.
    Automaton(AhoCorasick),
    /// A packed search for the literals' distinct prefixes, then the literals compared where one starts.
    Prefixes(PrefixScan),
}

/// The packed search and, for each prefix, the literals that start with it.
#[derive(Debug, Clone)]
pub(super) struct PrefixScan {
    /// Searches for the prefixes, all [`PrefixScan::len`] bytes long, leftmost first.
    searcher: Searcher,
    /// The prefixes' length.
    len: usize,
    /// For each prefix (the searcher's pattern number), its literals: their numbers in the list built from,
    /// and their bytes.
    groups: Vec<Vec<(usize, Vec<u8>)>>,
}

impl InnerLiterals {
    /// A finder for `literals` (none empty): the packed search when they share few prefixes of at least three
    /// bytes and the processor has what Teddy needs, the automaton (of kind `kind`) otherwise.
    pub fn build(literals: &[&[u8]], kind: AhoCorasickKind) -> Result<InnerLiterals, String> {
        if let Some(scan) = PrefixScan::build(literals) {
            return Ok(InnerLiterals::Prefixes(scan));
        }
        // Standard semantics: the overlapping search must report every occurrence of every literal, since the
        // first occurrence of a word may fail its boundary test and a later one pass it.
        AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(literals)
            .map(InnerLiterals::Automaton)
            .map_err(|e| e.to_string())
    }

    /// Calls `found(literal, start, end)` for every occurrence of every literal in `text` (`literal`: its
    /// number in the list built from). The order differs between the two ways (by end, by start); for one
    /// literal both report its occurrences in the order they start.
    #[inline]
    pub fn find(&self, text: &[u8], mut found: impl FnMut(usize, usize, usize)) {
        match self {
            InnerLiterals::Automaton(automaton) => {
                for m in automaton.find_overlapping_iter(text) {
                    found(m.pattern().as_usize(), m.start(), m.end());
                }
            }
            InnerLiterals::Prefixes(scan) => scan.find(text, found),
        }
    }
}

impl PrefixScan {
    /// `None` when the literals do not suit a packed search (see [`InnerLiterals::build`]).
    fn build(literals: &[&[u8]]) -> Option<PrefixScan> {
        let len = literals.iter().map(|l| l.len()).min()?.min(PREFIX_LEN);
        if len < SHORTEST_PREFIX {
            return None;
        }
        let mut prefixes: Vec<&[u8]> = Vec::new();
        let mut groups: Vec<Vec<(usize, Vec<u8>)>> = Vec::new();
        for (n, literal) in literals.iter().enumerate() {
            let prefix = &literal[..len];
            let at = match prefixes.iter().position(|p| *p == prefix) {
                Some(at) => at,
                None => {
                    if prefixes.len() == MOST_PREFIXES {
                        return None;
                    }
                    prefixes.push(prefix);
                    groups.push(Vec::new());
                    prefixes.len() - 1
                }
            };
            groups[at].push((n, literal.to_vec()));
        }
        // Teddy only: its fallback (Rabin-Karp) hashes at every byte, no better than the automaton.
        let searcher = Config::new()
            .match_kind(PackedMatchKind::LeftmostFirst)
            .only_teddy(true)
            .builder()
            .extend(&prefixes)
            .build()?;
        Some(PrefixScan {
            searcher,
            len,
            groups,
        })
    }

    /// [`InnerLiterals::find`] by the prefixes: the prefixes are distinct and equally long, so at most one
    /// starts at a place, and the leftmost match from each place on is the next place where one starts.
    fn find(&self, text: &[u8], mut found: impl FnMut(usize, usize, usize)) {
        let mut at = 0;
        while at + self.len <= text.len() {
            let Some(m) = self.searcher.find_in(text, Span::from(at..text.len())) else {
                break;
            };
            let start = m.start();
            for (literal, bytes) in &self.groups[m.pattern().as_usize()] {
                if text[start..].starts_with(bytes) {
                    found(*literal, start, start + bytes.len());
                }
            }
            at = start + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every occurrence the automaton reports, sorted, for comparing the two ways.
    fn all(finder: &InnerLiterals, text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        finder.find(text.as_bytes(), |l, s, e| out.push((l, s, e)));
        out.sort_unstable();
        out
    }

    #[test]
    fn the_prefix_scan_reports_every_occurrence_the_automaton_does() {
        let literals: Vec<&[u8]> = vec![
            b"codigo-1-",
            b"codigo-12-",
            b"no puedo i",
            b"no podemos",
            b"nop",
            b"aaaa",
            b"aaaab",
        ];
        let scan = InnerLiterals::build(&literals, AhoCorasickKind::DFA).expect("builds");
        #[cfg(target_arch = "x86_64")]
        assert!(matches!(scan, InnerLiterals::Prefixes(_)));
        let automaton = InnerLiterals::Automaton(
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&literals)
                .expect("builds"),
        );
        let texts = [
            "",
            "no",
            "codigo-1-codigo-12-3 y xcodigo-1-2",
            "no puedo ingresar, no podemos, nopuedo nop no p",
            "aaaaaaab aaaa aaab",
            "nop",
        ];
        for text in texts {
            assert_eq!(all(&scan, text), all(&automaton, text), "{text}");
        }
    }

    #[test]
    fn literals_too_short_or_too_varied_keep_the_automaton() {
        let short: Vec<&[u8]> = vec![b"ab", b"abcd"];
        assert!(matches!(
            InnerLiterals::build(&short, AhoCorasickKind::DFA),
            Ok(InnerLiterals::Automaton(_))
        ));
        let words: Vec<String> = (0..40).map(|i| format!("{i:03}x-word")).collect();
        let varied: Vec<&[u8]> = words.iter().map(|w| w.as_bytes()).collect();
        assert!(matches!(
            InnerLiterals::build(&varied, AhoCorasickKind::DFA),
            Ok(InnerLiterals::Automaton(_))
        ));
    }
}
