//! A fast hash for the rule set's load-time maps (the Firefox/rustc «Fx» hash, written out here).
//!
//! Loading a rule set hashes short keys thousands of times: every pattern as written, every regex's source,
//! every literal of every field. The standard map's SipHash resists keys chosen to collide, which buys nothing
//! against the office's own rule files, and cost about 10 M instructions of a `triaje rules test`. Only the
//! speed of the maps changes: nothing iterates over them, so no order depends on the hash.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A [`HashMap`] with [`FxHasher`].
pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The multiplier of rustc's `FxHasher` (an odd constant with well-spread bits).
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// Mixes each word into the state with a rotation, an exclusive or and a multiplication.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The key's length is hashed too (a slice's prefix, a string's end marker), so the zeros that pad
            // the last word cannot make two keys equal.
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_differ_only_in_padding_or_length_stay_apart() {
        let mut map: FxHashMap<Vec<u8>, usize> = FxHashMap::default();
        let keys: [&[u8]; 6] = [b"", b"\0", b"a", b"a\0", b"abcdefgh", b"abcdefgh\0"];
        for (i, k) in keys.iter().enumerate() {
            map.insert(k.to_vec(), i);
        }
        assert_eq!(map.len(), keys.len());
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(map.get(*k), Some(&i));
        }
    }
}
