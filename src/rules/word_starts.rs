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
    /// Its bytes 4 to 12 (those of them it has), little-endian: most literals are shorter than 12 bytes, and
    /// one that does not occur is told apart there, without reading [`WordStarts::bytes`].
    next: u64,
    /// Which bits of `next` count.
    next_mask: u64,
    /// The literal's number in the field's list.
    literal: u32,
    /// Where its bytes are in [`WordStarts::bytes`].
    at: u32,
    /// Its length in bytes.
    len: u32,
}

/// The candidates of one key that show the same number of next bytes.
#[derive(Debug, Clone, Copy)]
struct Run {
    /// Their [`Candidate::next_mask`].
    mask: u64,
    /// Their range in [`WordStarts::candidates`].
    from: u32,
    to: u32,
}

/// The literals found at word starts; see the module's documentation.
#[derive(Debug, Clone)]
pub(crate) struct WordStarts {
    /// For the first two bytes of a word (both ASCII, `first * 128 + second`), bit `n` set when some literal
    /// starting with them has a key of `n` bytes (2 to 4); bit 1 in the entry of `first * 128` when a literal
    /// is that one byte. Most word starts need no probe of `keys` at all, and this is 16 KB where the slots
    /// would be four times more.
    lengths: Vec<u8>,
    /// Open addressing over the keys (the literals' first up-to-four bytes, little-endian; 0 for an empty
    /// slot: a literal here starts with a word byte, never 0), a power of two at least twice their number,
    /// so a probe rarely goes past one slot.
    keys: Vec<u32>,
    /// For each slot of `keys`, its runs' range in `runs`.
    ranges: Vec<(u32, u32)>,
    /// The literals of each key that show as many of their next bytes (the same [`Candidate::next_mask`]), as
    /// a range of `candidates`: a key shared by hundreds of literals («term» of «termino1a» … «termino183b»,
    /// «cons» of Spanish) was a compare for each of them at every word it starts, a fifth of the lookups.
    runs: Vec<Run>,
    /// The literals of each key, grouped by key, then by [`Candidate::next_mask`], sorted by
    /// [`Candidate::next`] within a run: the ones whose next bytes are the text's are found by a binary search.
    candidates: Vec<Candidate>,
    /// Every literal's bytes, one after the other.
    bytes: Vec<u8>,
}

/// Which bytes are word bytes (`(?-u:\b)`'s ASCII letters, digits and `_`): a lookup per byte of the text.
static WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = is_word_byte(b as u8);
        b += 1;
    }
    t
};

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
        let mut lengths = vec![0u8; 128 * 128];
        for &(literal, text) in literals {
            let key_len = text.len().min(4);
            match (text.first(), text.get(1)) {
                // Not a word start's byte: never found ([`WordStarts::accepts`] keeps it out).
                (Some(&a), _) if !a.is_ascii() => continue,
                (Some(&a), None) => lengths[usize::from(a) * 128] |= 1 << key_len,
                (Some(&a), Some(&b)) if b.is_ascii() => {
                    lengths[usize::from(a) * 128 + usize::from(b)] |= 1 << key_len
                }
                // A second byte that is not ASCII: probed after every word start with this first byte.
                (Some(&a), Some(_)) => lengths[usize::from(a) * 128] |= 1 << key_len,
                (None, _) => continue,
            }
            let tail = text.get(4..).unwrap_or(&[]);
            let shown = tail.len().min(8);
            by_key.push((
                key_of(text),
                Candidate {
                    next: le_padded(&tail[..shown]),
                    next_mask: if shown == 8 {
                        u64::MAX
                    } else {
                        (1u64 << (8 * shown)) - 1
                    },
                    literal: literal as u32,
                    at: bytes.len() as u32,
                    len: text.len() as u32,
                },
            ));
            bytes.extend_from_slice(text);
        }
        by_key.sort_by_key(|&(key, c)| (key, c.next_mask, c.next, c.literal));
        let keys = {
            let mut k: Vec<u32> = by_key.iter().map(|&(key, _)| key).collect();
            k.dedup();
            k.len()
        };
        let size = (keys * 2).next_power_of_two().max(16);
        let mut slots = vec![0u32; size];
        let mut ranges = vec![(0u32, 0u32); size];
        let candidates: Vec<Candidate> = by_key.iter().map(|&(_, c)| c).collect();
        let mut runs: Vec<Run> = Vec::new();
        let mut i = 0;
        while i < by_key.len() {
            let key = by_key[i].0;
            let first_run = runs.len();
            let mut j = i;
            while j < by_key.len() && by_key[j].0 == key {
                let mask = by_key[j].1.next_mask;
                let from = j;
                while j < by_key.len() && by_key[j].0 == key && by_key[j].1.next_mask == mask {
                    j += 1;
                }
                runs.push(Run {
                    mask,
                    from: from as u32,
                    to: j as u32,
                });
            }
            let mut s = slot_of(key, size);
            while slots[s] != 0 {
                s = (s + 1) & (size - 1);
            }
            slots[s] = key;
            ranges[s] = (first_run as u32, runs.len() as u32);
            i = j;
        }
        Some(WordStarts {
            lengths,
            keys: slots,
            ranges,
            runs,
            candidates,
            bytes,
        })
    }

    /// Calls `found(literal, start, end)` for every occurrence in `text` of a literal of the table that starts
    /// where a word starts (at 0 or after a byte that is not a word byte), in order of start.
    #[inline]
    pub fn find(&self, text: &[u8], mut found: impl FnMut(usize, usize, usize)) {
        // Sixty-four bytes at a time: a bit per word byte, without a branch per byte, then the word starts (a
        // word byte after one that is not) taken from it bit by bit.
        let mut after_word = 0u64;
        for (block, chunk) in text.chunks(64).enumerate() {
            let words = word_bits(chunk);
            let mut starts = words & !(words << 1 | after_word);
            after_word = words >> 63;
            while starts != 0 {
                let p = block * 64 + starts.trailing_zeros() as usize;
                starts &= starts - 1;
                // A word byte is ASCII; after it, a byte that is not ASCII may follow a literal's first byte
                // (a literal is never looked up by it), so every length is probed then.
                let first = usize::from(text[p]) * 128;
                let lengths = match text.get(p + 1) {
                    None => self.lengths[first],
                    Some(&c) if c.is_ascii() => {
                        self.lengths[first] | self.lengths[first + usize::from(c)]
                    }
                    Some(_) => 0x1e,
                };
                if lengths != 0 {
                    self.at(text, p, lengths, &mut found);
                }
            }
        }
    }

    /// The literals that occur at `p`, probing the key lengths of `lengths` (bit `n`: `n` bytes).
    #[inline]
    fn at(&self, text: &[u8], p: usize, lengths: u8, found: &mut impl FnMut(usize, usize, usize)) {
        let rest = &text[p..];
        // The next four bytes, padded with zeros past the end: a key never holds a 0 inside its length.
        let n = rest.len().min(4);
        let four = match rest.first_chunk::<4>() {
            Some(four) => u32::from_le_bytes(*four),
            None => le_padded(&rest[..n]) as u32,
        };
        let size = self.keys.len();
        // The key lengths to probe, shortest first: bits 1 to `n` of `lengths`, taken one by one.
        let mut to_probe = lengths & ((2u8 << n) - 2);
        while to_probe != 0 {
            let len = to_probe.trailing_zeros() as usize;
            to_probe &= to_probe - 1;
            let key = if len == 4 {
                four
            } else {
                four & ((1u32 << (8 * len)) - 1)
            };
            let mut s = slot_of(key, size);
            loop {
                let k = self.keys[s];
                if k == key {
                    let (from, to) = self.ranges[s];
                    // A key shorter than four bytes is its literal whole (keys of longer literals have four
                    // bytes that are not 0): the probe itself found it.
                    let next = if len == 4 {
                        rest.get(4..).map_or(0, |t| match t.first_chunk::<8>() {
                            Some(eight) => u64::from_le_bytes(*eight),
                            None => le_padded(t),
                        })
                    } else {
                        0
                    };
                    for run in &self.runs[from as usize..to as usize] {
                        let want = next & run.mask;
                        let run = &self.candidates[run.from as usize..run.to as usize];
                        let first = run.partition_point(|c| c.next < want);
                        for c in run[first..].iter().take_while(|c| c.next == want) {
                            let l = c.len as usize;
                            if l <= rest.len()
                                && (l <= 12
                                    || rest[12..l]
                                        == self.bytes[c.at as usize + 12..c.at as usize + l])
                            {
                                found(c.literal as usize, p, p + l);
                            }
                        }
                    }
                    break;
                }
                if k == 0 {
                    break;
                }
                s = (s + 1) & (size - 1);
            }
        }
    }
}

/// A bit per byte of `chunk` (at most 64 bytes), set for a word byte. Eight bytes at a time by arithmetic on
/// the word while they are ASCII (a normalised text always is): the lookup a byte was a fifth of the
/// matching's instructions.
#[inline]
fn word_bits(chunk: &[u8]) -> u64 {
    let mut words = 0u64;
    let mut eights = chunk.chunks_exact(8);
    for (k, eight) in eights.by_ref().enumerate() {
        let x = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
        let bits = match ascii_word_bits(x) {
            Some(bits) => bits,
            None => eight.iter().enumerate().fold(0, |w, (i, &b)| {
                w | (u64::from(WORD_BYTE[usize::from(b)]) << i)
            }),
        };
        words |= bits << (8 * k);
    }
    let done = chunk.len() - eights.remainder().len();
    for (i, &b) in eights.remainder().iter().enumerate() {
        words |= u64::from(WORD_BYTE[usize::from(b)]) << (done + i);
    }
    words
}

/// For eight ASCII bytes (little-endian in `x`), a bit per byte set for a word byte (`0-9`, `A-Z`, `a-z`, `_`);
/// `None` when a byte is not ASCII. Every byte is below 0x80, so adding a constant below 0x80 to each never
/// carries into the next: its high bit then says whether the byte reached a bound.
#[inline]
fn ascii_word_bits(x: u64) -> Option<u64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    if x & HIGH != 0 {
        return None;
    }
    // High bit set where the byte is at least `bound` (1 to 0x80).
    let at_least = |v: u64, bound: u64| (v + ONES * (0x80 - bound)) & HIGH;
    let digit = at_least(x, b'0' as u64) & !at_least(x, b'9' as u64 + 1);
    // Upper and lower case together: `| 0x20` maps `A-Z` onto `a-z` and no other byte into it.
    let folded = x | (ONES * 0x20);
    let letter = at_least(folded, b'a' as u64) & !at_least(folded, b'z' as u64 + 1);
    // A byte equal to `_` is the one whose xor with it is 0: no high bit after adding 0x7f.
    let underscore = !(((x ^ (ONES * u64::from(b'_'))) + ONES * 0x7f) & HIGH) & HIGH;
    let high = digit | letter | underscore;
    // The high bits gathered into the low byte: bit 8k + 7 lands on bit 56 + k, with no carries.
    Some(((high >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56)
}

/// Up to eight bytes as a little-endian number, padded with zeros.
#[inline]
fn le_padded(bytes: &[u8]) -> u64 {
    // Eight bytes (nearly every probe inside a text) are one load; a copy of a length known only at run time
    // is a call to `memcpy`, which was 1.4 % of the rule bench's instructions.
    if let Ok(eight) = <[u8; 8]>::try_from(bytes) {
        return u64::from_le_bytes(eight);
    }
    bytes
        .iter()
        .take(8)
        .enumerate()
        .fold(0, |v, (i, &b)| v | u64::from(b) << (8 * i))
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

    #[test]
    fn word_bits_by_arithmetic_agree_with_the_lookup_for_every_byte() {
        // Every byte value at every place of a chunk, among ASCII neighbours and not.
        for b in 0..=255u8 {
            for fill in [b' ', b'a', b'_', 0xc3] {
                for at in 0..64 {
                    let mut chunk = [fill; 64];
                    chunk[at] = b;
                    for len in [64, 61, 9, 8, 3] {
                        let chunk = &chunk[..len];
                        let by_lookup = chunk
                            .iter()
                            .enumerate()
                            .fold(0u64, |w, (i, &b)| w | (u64::from(is_word_byte(b)) << i));
                        assert_eq!(word_bits(chunk), by_lookup, "{b:#x} at {at} in {len}");
                    }
                }
            }
        }
    }

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
