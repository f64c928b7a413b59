//! The literals that can only match where a word starts, found by walking a byte trie from each word start.
//!
//! Nearly every literal a field looks for is a plain pattern with a word boundary before it («rnp», «carta
//! fianza») or the starting literal of a `re:` pattern that begins with `\b`: an occurrence that does not start
//! a word can never count. An overlapping Aho-Corasick pass over the whole text moved through its automaton (a
//! DFA of several MB for three thousand literals) at every byte; here the walk starts only at word starts and
//! stops at the first byte no literal continues with, usually within two or three bytes, and the nodes near
//! the root, which nearly every walk visits, stay in the cache.

use super::matcher::is_word_byte;

/// A literal found: its index (as given to [`WordTrie::new`]), and where it starts and ends in the text.
pub(crate) type Found = (usize, usize, usize);

/// A byte trie of literals that start with a word byte, walked from every word start of a text.
#[derive(Debug, Clone)]
pub(crate) struct WordTrie {
    /// The column of each byte in `next`; 0 for a byte no literal contains (its column is all zeros, so the
    /// walk stops there without a test of its own).
    columns: [u8; 256],
    /// Columns per node: the distinct bytes of the literals plus the empty column 0.
    stride: usize,
    /// `node * stride + column` → the child node; 0 for none (the root, node 0, is nobody's child).
    next: Vec<u32>,
    /// Per node, the literal that ends there ([`NONE`] for none): literals are distinct, so at most one.
    ends: Vec<u32>,
}

/// No literal ends at this node.
const NONE: u32 = u32::MAX;

impl WordTrie {
    /// A trie of `literals`: `(index, bytes)`, each distinct, non-empty and starting with a word byte (a
    /// literal that does not is never reported, since no walk starts before it).
    pub fn new<'a>(literals: impl IntoIterator<Item = (usize, &'a [u8])> + Clone) -> WordTrie {
        let mut columns = [0u8; 256];
        let mut stride = 1usize;
        for (_, lit) in literals.clone() {
            for &b in lit {
                if columns[b as usize] == 0 {
                    // At most 255 distinct bytes plus the empty column fit in a u8.
                    columns[b as usize] = stride as u8;
                    stride += 1;
                }
            }
        }
        let mut next = vec![0u32; stride];
        let mut ends = vec![NONE];
        for (index, lit) in literals {
            let mut node = 0usize;
            for &b in lit {
                let slot = node * stride + columns[b as usize] as usize;
                if next[slot] == 0 {
                    next[slot] = ends.len() as u32;
                    ends.push(NONE);
                    next.resize(next.len() + stride, 0);
                }
                node = next[slot] as usize;
            }
            ends[node] = index as u32;
        }
        WordTrie {
            columns,
            stride,
            next,
            ends,
        }
    }

    /// Every occurrence of a literal that starts a word of `text` (at its start or after a byte that is not
    /// a word byte), by where it starts, the shorter first.
    #[inline]
    pub fn for_each(&self, text: &[u8], mut found: impl FnMut(Found)) {
        let n = text.len();
        let mut p = 0;
        while p < n {
            if !is_word_byte(text[p]) {
                p += 1;
                continue;
            }
            let mut node = 0usize;
            let mut k = p;
            while k < n {
                let child = self.next[node * self.stride + self.columns[text[k] as usize] as usize];
                if child == 0 {
                    break;
                }
                node = child as usize;
                k += 1;
                let lit = self.ends[node];
                if lit != NONE {
                    found((lit as usize, p, k));
                }
            }
            // The next walk starts at the next word: a literal never starts inside one.
            p += 1;
            while p < n && is_word_byte(text[p]) {
                p += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every occurrence of each literal at a word start, found the slow way.
    fn naive(literals: &[&str], text: &str) -> Vec<Found> {
        let t = text.as_bytes();
        let mut out = Vec::new();
        for p in 0..t.len() {
            if !is_word_byte(t[p]) || (p > 0 && is_word_byte(t[p - 1])) {
                continue;
            }
            let mut here: Vec<Found> = literals
                .iter()
                .enumerate()
                .filter(|(_, l)| t[p..].starts_with(l.as_bytes()))
                .map(|(i, l)| (i, p, p + l.len()))
                .collect();
            here.sort_by_key(|f| f.2);
            out.extend(here);
        }
        out
    }

    #[test]
    fn finds_phrases_and_prefixes_at_word_starts_only() {
        let literals = ["rnp", "carta fianza", "carta", "inscri", "no puedo", "a", "x-1"];
        let trie = WordTrie::new(literals.iter().enumerate().map(|(i, l)| (i, l.as_bytes())));
        let text = "la carta fianza del rnp; xrnp, reinscribir, inscripcion. no puedo a x-12 carta";
        let mut found = Vec::new();
        trie.for_each(text.as_bytes(), |f| found.push(f));
        assert_eq!(found, naive(&literals, text));
        assert!(found.contains(&(1, 3, 15)));
        assert!(!found.iter().any(|f| f.0 == 0 && f.1 == 25), "«xrnp» has no word «rnp»");
    }

    proptest::proptest! {
        /// On any text and literal set the trie reports exactly the occurrences that start a word.
        #[test]
        fn agrees_with_a_naive_search(
            literals in proptest::collection::btree_set("[a-c0-9_][a-c .@_-]{0,5}", 1..12),
            text in "[a-cA-C0-9 .@_,-]{0,60}",
        ) {
            let literals: Vec<&str> = literals.iter().map(String::as_str).collect();
            let trie = WordTrie::new(literals.iter().enumerate().map(|(i, l)| (i, l.as_bytes())));
            let mut found = Vec::new();
            trie.for_each(text.as_bytes(), |f| found.push(f));
            proptest::prop_assert_eq!(found, naive(&literals, &text));
        }
    }
}
