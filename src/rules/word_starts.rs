//! The literals that can only count where a word starts, found by looking up each word start of the text.
//!
//! Nearly every literal of a field's matcher is a plain pattern with a word boundary before it («rnp», «buena
//! pro») or the starting literal of a `\b…` regex: an occurrence of it inside a word fails its boundary test or
//! cannot start a match. An overlapping Aho-Corasick pass over every byte found them, but its DFA (several MB
//! for the shipped rules' 2,000 literals) does not stay in the cache: in `perf` 81 % of the pass's samples were
//! on the load of the next state. Here each word start costs a few probes of a table of the literals' first
//! four bytes (a few KB, which does), and only a probe that hits compares literals.

use super::matcher::is_word_byte;

/// One literal that a table key stands for.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// The literal's number in the field's list.
    literal: u32,
    /// Where its bytes are in [`WordStarts::bytes`].
    at: u32,
    /// Its length in bytes.
    len: u32,
}

/// A table slot: the key (the literal's first up-to-four bytes, little-endian, 0 for an empty slot: a literal
/// here starts with a word byte, never 0) and its candidates' range in [`WordStarts::candidates`].
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    key: u32,
    from: u32,
    to: u32,
}

/// The literals found at word starts; see the module's documentation.
#[derive(Debug, Clone)]
pub(crate) struct WordStarts {
    /// Open addressing, a power of two at least twice the keys, so a probe rarely goes past one slot.
    slots: Vec<Slot>,
    /// The literals of each key, grouped by key.
    candidates: Vec<Candidate>,
    /// Every literal's bytes, one after the other.
    bytes: Vec<u8>,
    /// Bit `n` set when some literal's key is `n` bytes long (1 to 4): only those lengths are probed.
    key_lengths: u8,
}

impl WordStarts {
    /// Whether `literal` may be found here: it must start with a word byte (a word start is a word byte after a
    /// byte that is not one), and it must not be empty.
    pub fn accepts(literal: &[u8]) -> bool {
        literal.first().is_some_and(|&b| is_word_byte(b))
    }

    /// The table of `literals` (each `(number, bytes)`, every one [`WordStarts::accepts`]); `None` when there
    /// are none.
    pub fn build(literals: &[(usize, &[u8])]) -> Option<WordStarts> {
        if literals.is_empty() {
            return None;
        }
        let mut by_key: Vec<(u32, Candidate)> = Vec::with_capacity(literals.len());
        let mut bytes = Vec::new();
        let mut key_lengths = 0u8;
        for &(literal, text) in literals {
            let key_len = text.len().min(4);
            key_lengths |= 1 << key_len;
            by_key.push((
                key_of(text),
                Candidate {
                    literal: literal as u32,
                    at: bytes.len() as u32,
                    len: text.len() as u32,
                },
            ));
            bytes.extend_from_slice(text);
        }
        by_key.sort_by_key(|&(key, c)| (key, c.literal));
        let keys = {
            let mut k: Vec<u32> = by_key.iter().map(|&(key, _)| key).collect();
            k.dedup();
            k.len()
        };
        let size = (keys * 2).next_power_of_two().max(16);
        let mut slots = vec![Slot::default(); size];
        let candidates: Vec<Candidate> = by_key.iter().map(|&(_, c)| c).collect();
        let mut i = 0;
        while i < by_key.len() {
            let key = by_key[i].0;
            let mut j = i;
            while j < by_key.len() && by_key[j].0 == key {
                j += 1;
            }
            let mut s = slot_of(key, size);
            while slots[s].key != 0 {
                s = (s + 1) & (size - 1);
            }
            slots[s] = Slot {
                key,
                from: i as u32,
                to: j as u32,
            };
            i = j;
        }
        Some(WordStarts {
            slots,
            candidates,
            bytes,
            key_lengths,
        })
    }

    /// Calls `found(literal, start, end)` for every occurrence in `text` of a literal of the table that starts
    /// where a word starts (at 0 or after a byte that is not a word byte), in order of start.
    #[inline]
    pub fn find(&self, text: &[u8], mut found: impl FnMut(usize, usize, usize)) {
        let mut after_word = false;
        for (p, &b) in text.iter().enumerate() {
            let word = is_word_byte(b);
            if word && !after_word {
                self.at(text, p, &mut found);
            }
            after_word = word;
        }
    }

    /// The literals that occur at `p`.
    #[inline]
    fn at(&self, text: &[u8], p: usize, found: &mut impl FnMut(usize, usize, usize)) {
        let rest = &text[p..];
        // The next four bytes, padded with zeros past the end: a key never holds a 0 inside its length.
        let mut four = [0u8; 4];
        let n = rest.len().min(4);
        four[..n].copy_from_slice(&rest[..n]);
        let four = u32::from_le_bytes(four);
        for len in 1..=4usize {
            if self.key_lengths & (1 << len) == 0 || len > n {
                continue;
            }
            let key = if len == 4 {
                four
            } else {
                four & ((1u32 << (8 * len)) - 1)
            };
            let size = self.slots.len();
            let mut s = slot_of(key, size);
            loop {
                let slot = self.slots[s];
                if slot.key == key {
                    for c in &self.candidates[slot.from as usize..slot.to as usize] {
                        let (at, len) = (c.at as usize, c.len as usize);
                        if rest.get(..len) == Some(&self.bytes[at..at + len]) {
                            found(c.literal as usize, p, p + len);
                        }
                    }
                    break;
                }
                if slot.key == 0 {
                    break;
                }
                s = (s + 1) & (size - 1);
            }
        }
    }
}

/// A literal's key: its first four bytes (all of it when shorter), little-endian, zero-padded.
fn key_of(literal: &[u8]) -> u32 {
    let mut four = [0u8; 4];
    let n = literal.len().min(4);
    four[..n].copy_from_slice(&literal[..n]);
    u32::from_le_bytes(four)
}

/// The first slot a key is tried in (Fibonacci hashing: the high bits of the product).
#[inline]
fn slot_of(key: u32, size: usize) -> usize {
    let bits = size.trailing_zeros();
    (key.wrapping_mul(0x9E37_79B1) >> (32 - bits)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every occurrence at a word start, by brute force.
    fn naive(literals: &[&[u8]], text: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for p in 0..text.len() {
            if !is_word_byte(text[p]) || (p > 0 && is_word_byte(text[p - 1])) {
                continue;
            }
            for (i, l) in literals.iter().enumerate() {
                if text[p..].starts_with(l) {
                    out.push((i, p, p + l.len()));
                }
            }
        }
        out.sort();
        out
    }

    fn found(literals: &[&[u8]], text: &[u8]) -> Vec<(usize, usize, usize)> {
        let list: Vec<(usize, &[u8])> = literals.iter().copied().enumerate().collect();
        let table = WordStarts::build(&list).expect("literals");
        let mut out = Vec::new();
        table.find(text, |l, s, e| out.push((l, s, e)));
        out.sort();
        out
    }

    #[test]
    fn finds_every_literal_at_every_word_start_and_nowhere_else() {
        let literals: &[&[u8]] = &[
            b"rnp",
            b"r",
            b"re",
            b"inscri",
            b"inscripcion",
            b"inscripcion en el rnp",
            b"buena pro",
            b"codigo-12-",
            b"x9",
        ];
        let text =
            b"la inscripcion en el rnp; rnp.x reinscripcion r buena pro codigo-12-5 (x9)rnp rnp";
        let expected = naive(literals, text);
        assert!(expected.iter().any(|&(l, s, _)| l == 5 && s == 3));
        assert!(
            !expected.iter().any(|&(l, s, _)| l == 3 && s != 3),
            "«reinscripcion» holds no word start"
        );
        assert_eq!(found(literals, text), expected);
        // Literals cut by the end of the text are not found; those that end with it are.
        assert_eq!(found(literals, b"rn"), naive(literals, b"rn"));
        assert_eq!(found(literals, b"x rnp"), vec![(0, 2, 5), (1, 2, 3)]);
    }

    proptest::proptest! {
        /// On any text of a few letters, spaces and punctuation, the table finds what a search of every
        /// literal at every word start finds.
        #[test]
        fn agrees_with_a_search_of_every_literal(
            literals in proptest::collection::vec("[abc_1][abc .-]{0,6}", 1..30),
            text in "[abc1_ .,-]{0,80}",
        ) {
            let literals: Vec<&[u8]> = literals.iter().map(|l| l.as_bytes()).collect();
            proptest::prop_assert_eq!(found(&literals, text.as_bytes()), naive(&literals, text.as_bytes()));
        }
    }
}
