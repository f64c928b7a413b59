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
///
/// Laid out for the cache: the root's children in a table by byte, every other node numbered breadth first so
/// the few hundred nodes near the root (where nearly every walk ends) sit together, and a node's children
/// consecutive, each found by scanning the node's few child bytes. A dense table of every node's children
/// (a column per byte) was several MB for the shipped rules and the walk waited on memory at each step.
#[derive(Debug, Clone)]
pub(crate) struct WordTrie {
    /// The column of each byte in `second`; 0 for a byte no literal contains.
    columns: [u8; 256],
    /// Columns of `second`: the distinct bytes of the literals plus the empty column 0.
    stride: usize,
    /// The node two bytes below the root for each pair of bytes, `column(first) * stride + column(second)`
    /// (0: none): a table of a few KB that answers most walks, which end within two bytes, without touching
    /// the nodes at all.
    second: Vec<u32>,
    /// The root's child for each byte (0: none).
    root: Box<[u32; 256]>,
    /// Per node: its first child, how many it has, and the literal that ends at it ([`NONE`] for none;
    /// literals are distinct, so at most one).
    nodes: Vec<Node>,
    /// Per node, the byte of the edge that leads to it (`labels[child]`), so a node's child bytes are
    /// `labels[first..first + count]`.
    labels: Vec<u8>,
}

/// One node of a [`WordTrie`].
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Its first child (its children are numbered consecutively).
    first: u32,
    /// The literal that ends here, or [`NONE`].
    literal: u32,
    /// How many children it has.
    count: u16,
}

/// No literal ends at this node.
const NONE: u32 = u32::MAX;

impl WordTrie {
    /// A trie of `literals`: `(index, bytes)`, each distinct, non-empty and starting with a word byte (a
    /// literal that does not is never reported, since no walk starts before it).
    pub fn new<'a>(literals: impl IntoIterator<Item = (usize, &'a [u8])>) -> WordTrie {
        // Built as a plain tree first: per node, its children by byte and its literal.
        let mut tree: Vec<(Vec<(u8, usize)>, u32)> = vec![(Vec::new(), NONE)];
        for (index, lit) in literals {
            let mut node = 0usize;
            for &b in lit {
                node = match tree[node].0.iter().find(|(l, _)| *l == b) {
                    Some(&(_, child)) => child,
                    None => {
                        tree.push((Vec::new(), NONE));
                        let child = tree.len() - 1;
                        tree[node].0.push((b, child));
                        child
                    }
                };
            }
            tree[node].1 = index as u32;
        }
        // Numbered breadth first: each node's children get consecutive numbers.
        let mut order = vec![0usize];
        let mut number = vec![0u32; tree.len()];
        let mut labels = vec![0u8];
        let mut at = 0;
        while at < order.len() {
            let node = order[at];
            at += 1;
            let mut children = tree[node].0.clone();
            children.sort_unstable();
            for (b, child) in children {
                number[child] = order.len() as u32;
                order.push(child);
                labels.push(b);
            }
        }
        let mut root = Box::new([0u32; 256]);
        let nodes = order
            .iter()
            .map(|&old| {
                let children = &tree[old].0;
                let first = children.iter().map(|&(_, c)| number[c]).min().unwrap_or(0);
                Node {
                    first,
                    literal: tree[old].1,
                    count: children.len() as u16,
                }
            })
            .collect();
        let mut columns = [0u8; 256];
        let mut stride = 1usize;
        for &b in &labels[1..] {
            if columns[b as usize] == 0 {
                // At most 255 distinct bytes plus the empty column fit in a u8.
                columns[b as usize] = stride as u8;
                stride += 1;
            }
        }
        let mut second = vec![0u32; stride * stride];
        for &(b, child) in &tree[0].0 {
            root[b as usize] = number[child];
            for &(b2, grandchild) in &tree[child].0 {
                second[columns[b as usize] as usize * stride + columns[b2 as usize] as usize] =
                    number[grandchild];
            }
        }
        WordTrie {
            columns,
            stride,
            second,
            root,
            nodes,
            labels,
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
            let first = self.root[text[p] as usize] as usize;
            // Most words stop at once: no literal starts with their first byte, or nothing ends there and no
            // literal continues with their second (the pair table answers without touching the nodes).
            let goes_on = first != 0
                && (self.nodes[first].literal != NONE
                    || text.get(p + 1).is_none_or(|&b| {
                        self.second[self.columns[text[p] as usize] as usize * self.stride
                            + self.columns[b as usize] as usize]
                            != 0
                    }));
            if goes_on {
                self.walk(text, p, first, &mut found);
            }
            // The next walk starts at the next word: a literal never starts inside one.
            p += 1;
            while p < n && is_word_byte(text[p]) {
                p += 1;
            }
        }
    }

    /// Reports every literal on the path from `child` (the node of `text[p]`) down along `text`.
    #[inline]
    fn walk(&self, text: &[u8], p: usize, child: usize, found: &mut impl FnMut(Found)) {
        let mut child = child;
        let mut k = p + 1;
        while child != 0 {
            let node = self.nodes[child];
            if node.literal != NONE {
                found((node.literal as usize, p, k));
            }
            let Some(&b) = text.get(k) else {
                break;
            };
            let first = node.first as usize;
            child = self.labels[first..first + node.count as usize]
                .iter()
                .position(|&l| l == b)
                .map_or(0, |i| first + i);
            k += 1;
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
        let literals = [
            "rnp",
            "carta fianza",
            "carta",
            "inscri",
            "no puedo",
            "a",
            "x-1",
        ];
        let trie = WordTrie::new(literals.iter().enumerate().map(|(i, l)| (i, l.as_bytes())));
        let text = "la carta fianza del rnp; xrnp, reinscribir, inscripcion. no puedo a x-12 carta";
        let mut found = Vec::new();
        trie.for_each(text.as_bytes(), |f| found.push(f));
        assert_eq!(found, naive(&literals, text));
        assert!(found.contains(&(1, 3, 15)));
        assert!(
            !found.iter().any(|f| f.0 == 0 && f.1 == 25),
            "«xrnp» has no word «rnp»"
        );
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
