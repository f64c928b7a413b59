//! What one classification works in, kept by each thread from one message to the next.
//!
//! A classification used to allocate and clear its working memory for every message: a slot per pattern of the
//! set (two thousand with the rule bench's rules) zeroed, the normalised subject and text in new strings, the
//! learned opinion's features in a new vector. Kept per thread ([`with_scratch`]), the buffers keep their
//! capacity, and only the slots a message touched are cleared for the next one.

use std::cell::RefCell;

use super::learned::Reading;
use super::matcher::normalize_noting_into;

/// Output bytes between two checkpoints of a cached text: an explanation maps at most about this much text
/// besides its match, instead of all the text before it. At 512, mapping was 4 % of the rule bench's
/// instructions; at 128 the whole bench takes 5 % fewer (a checkpoint is one push every few words).
const CHECKPOINT_EVERY: usize = 128;

/// The largest normalised text whose buffer is kept for the next message: far above the 20 KB of a long
/// consultation.
const KEPT_BYTES: usize = 1 << 20;

/// What the best place each pattern matched in is worth (0: no match), and which patterns have matched.
#[derive(Debug, Default)]
pub(super) struct Hits {
    /// By pattern, as many as the largest set this thread classified with; 0 for every pattern not in
    /// `touched`.
    weights: Vec<f32>,
    /// The patterns with a weight above 0, in the order they first matched.
    touched: Vec<u32>,
}

impl Hits {
    /// Every weight back to 0 for a set of `patterns` patterns: only the touched ones need clearing.
    pub fn reset(&mut self, patterns: usize) {
        for &i in &self.touched {
            self.weights[i as usize] = 0.0;
        }
        self.touched.clear();
        if self.weights.len() < patterns {
            self.weights.resize(patterns, 0.0);
        }
    }

    /// What pattern `i`'s best place is worth (0: it did not match).
    #[inline]
    pub fn get(&self, i: usize) -> f32 {
        self.weights[i]
    }

    /// Records that pattern `i` matched where a match is worth `weight`, keeping the most any place gave.
    #[inline]
    pub fn raise(&mut self, i: usize, weight: f32) {
        let w = &mut self.weights[i];
        if weight > *w {
            if *w == 0.0 {
                self.touched.push(i as u32);
            }
            *w = weight;
        }
    }

    /// The patterns that matched, in the order they first did.
    pub fn touched(&self) -> &[u32] {
        &self.touched
    }

    /// The weights of the first `patterns` patterns, as a vector.
    #[cfg(test)]
    pub fn to_vec(&self, patterns: usize) -> Vec<f32> {
        self.weights[..patterns].to_vec()
    }
}

/// A normalised text and its checkpoints `(input byte, output length)` for mapping a match back, with the
/// original it was computed from (its address and length).
#[derive(Debug, Default)]
struct Normalized {
    key: (usize, usize),
    text: String,
    checkpoints: Vec<(usize, usize)>,
}

/// Normalised texts computed once per classification, for the matching and then for its reasons: a message
/// needs two or three (subject, text, the text without its disclaimer), so a short list, whose strings are
/// written over by the next message.
#[derive(Debug, Default)]
pub(super) struct NormalizedCache {
    entries: Vec<Normalized>,
    /// How many of `entries` belong to the current classification.
    used: usize,
}

impl NormalizedCache {
    /// Forgets the texts of the last classification, keeping their buffers unless they grew past
    /// [`KEPT_BYTES`] (a huge message must not hold its size in every deciding thread for good).
    pub fn clear(&mut self) {
        for e in &mut self.entries {
            if e.text.capacity() > KEPT_BYTES {
                *e = Normalized::default();
            }
        }
        self.used = 0;
    }

    /// The normalised form of `original` and its checkpoints (see [`normalize_noting_into`]), computed the first
    /// time it is asked for. Keyed by the original's address and length: the view's fields are borrowed and
    /// do not move during a classification.
    pub fn get(&mut self, original: &str) -> (&str, &[(usize, usize)]) {
        let key = (original.as_ptr() as usize, original.len());
        let at = match self.entries[..self.used].iter().position(|e| e.key == key) {
            Some(at) => at,
            None => {
                if self.used == self.entries.len() {
                    self.entries.push(Normalized::default());
                }
                let e = &mut self.entries[self.used];
                e.key = key;
                normalize_noting_into(original, CHECKPOINT_EVERY, &mut e.text, &mut e.checkpoints);
                self.used += 1;
                self.used - 1
            }
        };
        let e = &self.entries[at];
        (&e.text, &e.checkpoints)
    }

    /// The normalised form of `original` when [`NormalizedCache::get`] computed it.
    pub fn computed(&self, original: &str) -> Option<&str> {
        let key = (original.as_ptr() as usize, original.len());
        self.entries[..self.used]
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.text.as_str())
    }
}

/// Which normalised text a recorded match is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PlaceField {
    Subject,
    Body,
}

/// Where a plain pattern matched: the text and the byte range in its normalised form (`None`: not recorded).
pub(super) type Place = Option<(PlaceField, usize, usize)>;

/// Where each pattern that matched in the subject or the body matched, for its reason: a message matches a few
/// dozen patterns at most, so a short list, where a slot for each of the set's two thousand patterns had to be
/// cleared for every message.
#[derive(Debug, Default)]
pub(super) struct Places(Vec<(usize, PlaceField, usize, usize)>);

impl Places {
    /// Where pattern `i` matched, if recorded.
    pub fn get(&self, i: usize) -> Place {
        self.0
            .iter()
            .find(|p| p.0 == i)
            .map(|&(_, field, start, end)| (field, start, end))
    }

    /// Records that pattern `i` matched at `start..end` of `field`, replacing what was recorded (a better
    /// placed match) or, with `keep`, only when nothing was.
    pub fn set(&mut self, i: usize, field: PlaceField, start: usize, end: usize, keep: bool) {
        match self.0.iter_mut().find(|p| p.0 == i) {
            Some(_) if keep => {}
            Some(p) => *p = (i, field, start, end),
            None => self.0.push((i, field, start, end)),
        }
    }
}

impl Places {
    /// Forgets every place (keeping the buffer).
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

/// The working memory of a classification.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    /// Which patterns matched, and what their places are worth.
    pub hits: Hits,
    /// `(regex, start)` of every place a field's regex may start at, one number each (see `FieldSet::mark`).
    pub triggered: Vec<u64>,
    /// The rules that may have matched, by their order.
    pub candidates: Vec<u32>,
    /// The normalised subject and text.
    pub normalized: NormalizedCache,
    /// Where each pattern matched, when the classification is explained.
    pub places: Places,
    /// The learned opinion's reading of the message.
    pub reading: Reading,
}

thread_local! {
    /// Each thread's scratch: the daemon's deciding threads each classify many messages.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's scratch, or with a fresh one if it is already in use (a classification inside
/// another, which nothing does: then it must still not fail). Whatever a classification that panicked left in
/// it, the next one clears first.
pub(super) fn with_scratch<T>(f: impl FnOnce(&mut Scratch) -> T) -> T {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => f(&mut scratch),
        Err(_) => f(&mut Scratch::default()),
    })
}
