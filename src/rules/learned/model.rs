//! A multinomial naive Bayes model over hashed word stems and pairs: trained by counting, stored as counts,
//! asked for a vote with the words that carried it.
//!
//! Naive Bayes learns from a few hundred messages (a linear model needs more), trains in milliseconds, and its
//! counts add up: the shipped seed plus the office's confirmed filings is a sum, and several daemons can rebuild
//! the same model from the same counts. Its known fault, overconfidence on long texts (neighbouring pairs and
//! their words are not independent evidence), is tempered: a message's log-likelihoods are scaled as if it had
//! at most [`EVIDENCE_CAP`] features, so the probabilities it reports mean something when weighed against the
//! rules.

use std::fmt::Write as _;

use super::features::for_each_feature_with;

/// Additive smoothing of the counts (Lidstone); 0.3 chosen by cross-validation (`examples/routing_cv.rs`): less
/// smoothing let a word seen twice in one folder decide.
const ALPHA: f64 = 0.3;
/// A message's evidence is scaled down to what this many features would give.
const EVIDENCE_CAP: f64 = 6.0;
/// Known features (weighted) at which a vote is worth half: `confidence` = seen / (seen + this).
const CONFIDENCE_HALF: f64 = 2.0;
/// Words listed as having carried a vote.
const WORDS_SHOWN: usize = 5;
/// Classes whose sums a vote keeps on the stack (more go to the heap): the shipped models have four.
const CLASSES_ON_STACK: usize = 8;
/// Features whose first slot a vote reads before using any (see [`LearnedModel::vote_on_with`]).
const LOOKUPS_AHEAD: usize = 64;
/// Whole counts below this have their log-probabilities computed once per class when a model is trained.
const WHOLE_COUNTS_MEMO: usize = 64;
/// First line of the text form: its version says what the counts mean, so counts that mean something else (a
/// model stored before an upgrade) are refused instead of mixed with this one's, and the daemon forgets such a
/// stored model and retrains (`Store::forget_stale_learning`). Raised with the reading of the text
/// ([`super::FEATURES_VERSION`]) and whenever training counts otherwise. 2: reading 2; 3: reading 2 with the
/// misfiled examples counted again ([`super::corrected_counts`]): a store's model trained without that pass
/// would otherwise be mixed with a seed trained with it, and its folders weigh otherwise.
pub const HEADER: &str = "triaje-modelo-bayes 3";

/// What a model is trained from: per class, how many messages and how often each feature appeared.
///
/// Flat, in the order of the keys: the keys sorted (each once) and one row of `classes.len()` counts per key,
/// all in one vector. A seed of 28,000 features is then two allocations, read straight from its text form
/// (which lists the keys in that order), walked in key order by [`LearnedModel::train`] without sorting, and
/// about a third of the memory a map of one `Vec` per feature took.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// The classes (folder names), in first-seen order.
    pub classes: Vec<String>,
    /// Messages (weighted) per class.
    pub docs: Vec<f64>,
    /// The features' keys, sorted, each once.
    keys: Vec<u64>,
    /// Per key, in the order of `keys`, its weighted count in each class: `classes.len()` numbers a key.
    rows: Vec<f64>,
}

impl Counts {
    /// The index of `class`, added when new (every row gets a count of 0 for it).
    fn class_index(&mut self, class: &str) -> usize {
        if let Some(i) = self.classes.iter().position(|c| c == class) {
            return i;
        }
        let n = self.classes.len();
        let mut wider = Vec::with_capacity(self.keys.len() * (n + 1));
        for i in 0..self.keys.len() {
            wider.extend_from_slice(&self.rows[i * n..i * n + n]);
            wider.push(0.0);
        }
        self.rows = wider;
        self.classes.push(class.to_string());
        self.docs.push(0.0);
        n
    }

    /// How many features are counted.
    pub fn feature_count(&self) -> usize {
        self.keys.len()
    }

    /// Every feature's key with its count in each class (in the order of `classes`), in the order of the keys.
    pub fn features(&self) -> impl Iterator<Item = (u64, &[f64])> + '_ {
        let n = self.classes.len();
        self.keys
            .iter()
            .enumerate()
            .map(move |(i, &k)| (k, &self.rows[i * n..i * n + n]))
    }

    /// A feature's count in each class, if it was ever seen.
    pub fn feature(&self, key: u64) -> Option<&[f64]> {
        let n = self.classes.len();
        let i = self.keys.binary_search(&key).ok()?;
        Some(&self.rows[i * n..i * n + n])
    }

    /// Adds one message of `class` (its features from [`super::message_features`]), counted `times`.
    pub fn add(&mut self, class: &str, features: &[(u64, f32)], times: f64) {
        self.add_all([(class, features, times)]);
    }

    /// Adds many messages at once, `(class, features, times)` each, as [`Counts::add`] one after the other
    /// would (every count summed in the same order, so to the same last bit), with one pass over the counts
    /// instead of one per message that brings a new feature.
    pub fn add_all<'a>(
        &mut self,
        examples: impl IntoIterator<Item = (&'a str, &'a [(u64, f32)], f64)>,
    ) {
        // (key, class, amount), in the order the messages come.
        let mut pending: Vec<(u64, usize, f64)> = Vec::new();
        for (class, features, times) in examples {
            let c = self.class_index(class);
            self.docs[c] += times;
            pending.extend(features.iter().map(|&(h, w)| (h, c, f64::from(w) * times)));
        }
        // Stable: a key's amounts stay in the order of the messages, the order `add` summed them in.
        pending.sort_by_key(|p| p.0);
        self.add_pending(&pending);
    }

    /// Adds `(key, class, amount)` triples sorted by key (a key's amounts in the order they are to be summed):
    /// in place when every key is already counted, otherwise by one sorted merge of the keys.
    fn add_pending(&mut self, pending: &[(u64, usize, f64)]) {
        let n = self.classes.len();
        // Every feature already counted (a message like many before it): added in place.
        if pending
            .iter()
            .all(|p| self.keys.binary_search(&p.0).is_ok())
        {
            for &(k, c, amount) in pending {
                if let Ok(i) = self.keys.binary_search(&k) {
                    self.rows[i * n + c] += amount;
                }
            }
            return;
        }
        let mut keys = Vec::with_capacity(self.keys.len() + pending.len());
        let mut rows = Vec::with_capacity((self.keys.len() + pending.len()) * n);
        let mut mine = 0;
        let mut p = 0;
        while mine < self.keys.len() || p < pending.len() {
            let key = match (self.keys.get(mine), pending.get(p)) {
                (Some(&k), Some(q)) if k <= q.0 => k,
                (Some(&k), None) => k,
                (_, Some(q)) => q.0,
                (None, None) => unreachable!("the loop stops when both are done"),
            };
            let at = rows.len();
            if self.keys.get(mine) == Some(&key) {
                rows.extend_from_slice(&self.rows[mine * n..mine * n + n]);
                mine += 1;
            } else {
                rows.resize(at + n, 0.0);
            }
            keys.push(key);
            while let Some(&(k, c, amount)) = pending.get(p) {
                if k != key {
                    break;
                }
                rows[at + c] += amount;
                p += 1;
            }
        }
        self.keys = keys;
        self.rows = rows;
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &Counts) {
        let map: Vec<usize> = other.classes.iter().map(|c| self.class_index(c)).collect();
        for (i, &c) in map.iter().enumerate() {
            self.docs[c] += other.docs[i];
        }
        // Already in the order of the keys (theirs are sorted), each key's classes in their order: the same
        // sums, in the same order, as a merge of the rows.
        let pending: Vec<(u64, usize, f64)> = other
            .features()
            .flat_map(|(k, row)| map.iter().zip(row).map(move |(&c, &x)| (k, c, x)))
            .collect();
        self.add_pending(&pending);
    }

    /// Messages counted, all classes together.
    pub fn messages(&self) -> f64 {
        self.docs.iter().sum()
    }

    /// Drops the features seen less than `min` times in all: they say little and make the model big.
    pub fn prune(&mut self, min: f64) {
        let n = self.classes.len();
        let mut kept = 0;
        for i in 0..self.keys.len() {
            if self.rows[i * n..i * n + n].iter().sum::<f64>() >= min {
                self.keys[kept] = self.keys[i];
                self.rows.copy_within(i * n..i * n + n, kept * n);
                kept += 1;
            }
        }
        self.keys.truncate(kept);
        self.rows.truncate(kept * n);
    }

    /// The text form (stable: features sorted), to store or ship.
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(64 + self.keys.len() * 32);
        let _ = writeln!(out, "{HEADER}");
        let _ = writeln!(out, "clases\t{}", self.classes.join("\t"));
        let docs: Vec<String> = self.docs.iter().map(|d| trim_number(*d)).collect();
        let _ = writeln!(out, "mensajes\t{}", docs.join("\t"));
        for (k, row) in self.features() {
            let _ = write!(out, "{k:016x}");
            for v in row {
                let _ = write!(out, "\t{}", trim_number(*v));
            }
            out.push('\n');
        }
        out
    }

    /// Reads the text form (lines starting with `#` are comments); the error says which line is wrong.
    pub fn from_text(text: &str) -> Result<Counts, String> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.starts_with('#'));
        let classes = header_classes(&mut lines)?;
        let n = classes.len();
        let mut docs = Vec::with_capacity(n);
        // Where the line after «mensajes» starts, and its number (0-based).
        let (mut at, mut line) = match lines.next() {
            Some((i, l)) if l.starts_with("mensajes\t") => {
                numbers(i, &l["mensajes\t".len()..], n, &mut docs)?;
                let end = l.as_ptr() as usize - text.as_ptr() as usize + l.len();
                let rest = &text[end..];
                let ending = if rest.starts_with("\r\n") {
                    2
                } else {
                    usize::from(rest.starts_with('\n'))
                };
                (end + ending, i + 1)
            }
            _ => return Err("falta la línea 3, «mensajes»".into()),
        };
        // About 24 bytes a feature line: one allocation each for a model of any size.
        let mut keys = Vec::with_capacity(text.len() / 24);
        let mut rows = Vec::with_capacity(text.len() / 24 * n);
        // The feature lines, after the «mensajes» line. Each is read straight from the bytes when it has the
        // layout `to_text` writes ([`feature_line`]); any other (a comment, an empty line, a count written
        // otherwise, an error) is cut as `str::lines` cuts it and read by [`other_feature_line`]. Splitting
        // every line and field first was most of the reading of the shipped seed (900 KB) by every
        // `triaje rules test`.
        let bytes = text.as_bytes();
        while at < bytes.len() {
            let before = rows.len();
            if let Some((key, used)) = feature_line(&bytes[at..], n, &mut rows) {
                keys.push(key);
                at += used;
            } else {
                rows.truncate(before);
                let end = bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |p| at + p);
                let mut l = &text[at..end];
                if end < bytes.len() {
                    l = l.strip_suffix('\r').unwrap_or(l);
                }
                other_feature_line(line, l, n, &mut keys, &mut rows)?;
                at = end + 1;
            }
            line += 1;
        }
        Ok(Counts::sorted(classes, docs, keys, rows))
    }

    /// Counts read in the order of their lines, sorted by key ([`Counts::sort_keys`]).
    fn sorted(classes: Vec<String>, docs: Vec<f64>, keys: Vec<u64>, rows: Vec<f64>) -> Counts {
        let mut counts = Counts {
            classes,
            docs,
            keys,
            rows,
        };
        counts.sort_keys();
        counts
    }

    /// Puts keys written out of order (a text form written by hand) in order; of a key written twice the last
    /// line counts, as it did when the counts were a map.
    fn sort_keys(&mut self) {
        if self.keys.windows(2).all(|w| w[0] < w[1]) {
            return;
        }
        let n = self.classes.len();
        let mut order: Vec<usize> = (0..self.keys.len()).collect();
        order.sort_by_key(|&i| self.keys[i]);
        let mut keys: Vec<u64> = Vec::with_capacity(order.len());
        let mut rows: Vec<f64> = Vec::with_capacity(order.len() * n);
        for i in order {
            let row = &self.rows[i * n..i * n + n];
            if keys.last() == Some(&self.keys[i]) {
                let at = rows.len() - n;
                rows[at..].copy_from_slice(row);
            } else {
                keys.push(self.keys[i]);
                rows.extend_from_slice(row);
            }
        }
        self.keys = keys;
        self.rows = rows;
    }
}

/// Reads a feature line at the start of `bytes` written as [`Counts::to_text`] writes it — sixteen hex digits,
/// then `n` counts each after a tab, each digits with at most one `.` inside (15 digits at most), then `\n` or
/// the end — pushing its counts onto `rows`; the key and the bytes used, line ending included. `None` for any
/// other line (its counts partly pushed): [`other_feature_line`] reads it.
///
/// A count `m / 10^k` (the digits `m` and `k` of them after the point) is the `f64` division of two numbers
/// that are exact as `f64`s (`m < 10^15 < 2^53`): IEEE division rounds the exact quotient to the nearest
/// `f64`, which is what `str::parse` gives for the decimal.
#[inline]
fn feature_line(bytes: &[u8], n: usize, rows: &mut Vec<f64>) -> Option<(u64, usize)> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let mut key = 0u64;
    for &d in bytes.get(..16)? {
        key = key << 4 | u64::from((d as char).to_digit(16)?);
    }
    let mut p = 16;
    for _ in 0..n {
        if bytes.get(p) != Some(&b'\t') {
            return None;
        }
        p += 1;
        let start = p;
        let mut m = 0u64;
        let mut point = None;
        while let Some(&b) = bytes.get(p) {
            match b {
                // Wrapping: a run of more than 15 digits is refused below.
                b'0'..=b'9' => m = m.wrapping_mul(10).wrapping_add(u64::from(b - b'0')),
                b'.' if point.is_none() && p > start => point = Some(p),
                _ => break,
            }
            p += 1;
        }
        let digits = p - start - usize::from(point.is_some());
        let after = point.map_or(0, |q| p - q - 1);
        if digits == 0 || digits > 15 || point.is_some_and(|_| after == 0) {
            return None;
        }
        rows.push(m as f64 / POW10[after]);
    }
    match bytes.get(p) {
        None => Some((key, p)),
        Some(b'\n') => Some((key, p + 1)),
        Some(_) => None,
    }
}

/// Reads feature line `line` (0-based) as [`str::lines`] cut it, when [`feature_line`] did not: a comment or an
/// empty line is skipped, anything else is a key and its counts, or the error that says what is wrong.
fn other_feature_line(
    line: usize,
    l: &str,
    n: usize,
    keys: &mut Vec<u64>,
    rows: &mut Vec<f64>,
) -> Result<(), String> {
    if l.is_empty() || l.starts_with('#') {
        return Ok(());
    }
    let (key, rest) = l.split_once('\t').unwrap_or((l, ""));
    let key = feature_key(key)
        .ok_or_else(|| format!("línea {}: falta la clave hexadecimal", line + 1))?;
    numbers(line, rest, n, rows)?;
    keys.push(key);
    Ok(())
}

/// Reads the tab-separated counts of line `line` (0-based) onto `into`: exactly `n` finite, non-negative ones
/// (empty fields skipped). On an error `into` is left as it was found, give or take the line's numbers.
fn numbers(line: usize, fields: &str, n: usize, into: &mut Vec<f64>) -> Result<(), String> {
    let start = into.len();
    for f in fields.split('\t').filter(|f| !f.is_empty()) {
        let x = count(f).ok_or_else(|| format!("línea {}: «{f}» no es un número", line + 1))?;
        into.push(x);
    }
    let read = &into[start..];
    if read.len() != n || read.iter().any(|x| !x.is_finite() || *x < 0.0) {
        return Err(format!(
            "línea {}: se esperaban {n} cuentas no negativas",
            line + 1
        ));
    }
    Ok(())
}

/// A feature's key as [`Counts::to_text`] writes it, sixteen hex digits, read digit by digit; anything else as
/// `u64::from_str_radix` reads it.
fn feature_key(k: &str) -> Option<u64> {
    let fast = (k.len() == 16)
        .then(|| {
            k.bytes().try_fold(0u64, |acc, d| {
                Some(acc << 4 | u64::from((d as char).to_digit(16)?))
            })
        })
        .flatten();
    fast.or_else(|| u64::from_str_radix(k, 16).ok())
}

/// A count as [`Counts::to_text`] writes it. Nearly all are small whole numbers, read here digit by digit (a
/// whole number of up to 15 digits is exact as an `f64`, as `str::parse` gives it): reading a model of a
/// thousand messages, done by every `triaje rules test` and every daemon start, was mostly float parsing.
fn count(field: &str) -> Option<f64> {
    let b = field.as_bytes();
    if !b.is_empty() && b.len() <= 15 && b.iter().all(u8::is_ascii_digit) {
        return Some(
            b.iter()
                .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0')) as f64,
        );
    }
    field.parse::<f64>().ok()
}

/// A count written without a useless fraction (`3`, `2.5`).
fn trim_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:.3}")
    }
}

/// What the model thinks of one message.
#[derive(Debug, Clone, PartialEq)]
pub struct Vote {
    /// Every class with its probability, most likely first.
    pub probabilities: Vec<(String, f64)>,
    /// The words and pairs that most favoured the first class over the second, as written (normalised), with
    /// how much each did (in tempered log-odds).
    pub words: Vec<(String, f64)>,
    /// How much the vote is worth, from 0 to 1, by how much known vocabulary the message had: a two-word
    /// greeting the model has seen in every folder must not file a message on its own.
    pub confidence: f64,
}

/// A message read into features once, for every model that votes on it: `(hash, weight, in the subject,
/// start, end)` of each feature, the place as byte offsets in the normalised subject or text.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    features: Vec<(u64, f32, bool, usize, usize)>,
}

impl Reading {
    /// Reads a normalised subject (each feature worth `subject_weight`; 0 leaves it out) and text.
    pub fn of(subject: &str, subject_weight: f32, text: &str) -> Reading {
        Reading::with_asking(subject, subject_weight, text, false)
    }

    /// [`Reading::of`], with the asking clause's features when `asking` (`[routing] asking`).
    pub fn with_asking(subject: &str, subject_weight: f32, text: &str, asking: bool) -> Reading {
        let mut reading = Reading {
            features: Vec::with_capacity(256),
        };
        reading.read_into(subject, subject_weight, text, asking);
        reading
    }

    /// This reading made of a message's training features (`(hash, weight)`, as
    /// [`super::message_features_with`] gives them), keeping its buffer: for a vote on an example of which only
    /// those are kept (the daemon's stored examples), every feature once with its weight, none placed in a text,
    /// so such a vote shows no words.
    pub fn set_features(&mut self, features: &[(u64, f32)]) {
        self.features.clear();
        self.features
            .extend(features.iter().map(|&(h, w)| (h, w, false, 0, 0)));
    }

    /// [`Reading::with_asking`] written over this reading, keeping its buffer: a classifier reads one message
    /// after another.
    pub fn read_into(&mut self, subject: &str, subject_weight: f32, text: &str, asking: bool) {
        let features = &mut self.features;
        features.clear();
        if subject_weight > 0.0 {
            for_each_feature_with(subject, subject_weight, asking, |h, w, s, e| {
                features.push((h, w, true, s, e))
            });
        }
        for_each_feature_with(text, 1.0, asking, |h, w, s, e| {
            features.push((h, w, false, s, e))
        });
    }
}

/// A model ready to vote: log-probabilities in an open-addressing table keyed by feature hash.
#[derive(Debug, Clone)]
pub struct LearnedModel {
    // `pub(super)`: `packed.rs` writes and reads these as they are, for the shipped seeds.
    pub(super) classes: Vec<String>,
    pub(super) log_prior: Vec<f64>,
    /// The slots, `stride` words each: the key (0: empty; a hash of 0 is stored as 1), then the classes'
    /// log-probabilities as `f32` bits, two a word. A key beside its numbers: a lookup waits on memory once,
    /// not twice (the table of a seed, 1.5 MB, is bigger than the processor's nearer caches).
    pub(super) table: Vec<u64>,
    /// Words a slot: 1 + half the classes, rounded up.
    pub(super) stride: usize,
    pub(super) mask: usize,
    /// Messages it was trained on.
    pub(super) messages: f64,
}

impl LearnedModel {
    /// Trains from counts. `None` when fewer than two classes have messages: there is nothing to tell apart.
    pub fn train(counts: &Counts) -> Option<LearnedModel> {
        let n = counts.classes.len();
        if counts.docs.iter().filter(|d| **d > 0.0).count() < 2 {
            return None;
        }
        let vocabulary = counts.keys.len() as f64;
        let mut totals = vec![0.0f64; n];
        // In the order of the keys (the order `Counts` keeps them in): log-scaled counts are not whole numbers,
        // and their sum must be the same to the last bit in every daemon, or a vote and its explanation would
        // differ between two runs.
        for row in counts.rows.chunks_exact(n) {
            for (t, v) in totals.iter_mut().zip(row) {
                *t += v;
            }
        }
        let all_docs = counts.messages();
        // A class without messages must never win: a very low prior.
        let log_prior: Vec<f64> = counts
            .docs
            .iter()
            .map(|d| if *d > 0.0 { (d / all_docs).ln() } else { -1e9 })
            .collect();
        let log_probability =
            |x: f64, c: usize| ((x + ALPHA) / (totals[c] + ALPHA * vocabulary)).ln() as f32;
        // Nearly every count is a small whole number: its log-probability in each class is computed once (the
        // same expression on the same number, so the same bits), not once per feature.
        let memo: Vec<f32> = (0..WHOLE_COUNTS_MEMO * n)
            .map(|i| log_probability((i / n) as f64, i % n))
            .collect();
        let slots = (counts.keys.len() * 2).next_power_of_two().max(16);
        let stride = 1 + n.div_ceil(2);
        let mut table = vec![0u64; slots * stride];
        let mask = slots - 1;
        // Also the slots are filled in the order of the keys: the words a vote shows are ranked by slot where
        // their weights tie, and must be the same words in every process.
        for (h, row) in counts.features() {
            let key = h.max(1);
            let mut s = (key as usize) & mask;
            while table[s * stride] != 0 {
                s = (s + 1) & mask;
            }
            table[s * stride] = key;
            for (c, &x) in row.iter().enumerate() {
                let v = if x.fract() == 0.0 && x < WHOLE_COUNTS_MEMO as f64 {
                    memo[x as usize * n + c]
                } else {
                    log_probability(x, c)
                };
                table[s * stride + 1 + c / 2] |= u64::from(v.to_bits()) << (32 * (c % 2));
            }
        }
        Some(LearnedModel {
            classes: counts.classes.clone(),
            log_prior,
            table,
            stride,
            mask,
            messages: all_docs,
        })
    }

    /// The classes it tells apart.
    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    /// How many messages it learned from.
    pub fn messages(&self) -> f64 {
        self.messages
    }

    /// The slot a search for `key` (never 0) starts at.
    fn home(&self, key: u64) -> usize {
        (key as usize) & self.mask
    }

    /// The slot of `key` (never 0) when it is not in slot `from - 1`, searching on from `from`.
    fn slot_from(&self, key: u64, from: usize) -> Option<usize> {
        let mut s = from & self.mask;
        loop {
            match self.table[s * self.stride] {
                0 => return None,
                k if k == key => return Some(s),
                _ => s = (s + 1) & self.mask,
            }
        }
    }

    /// The log-probability of class `c` in slot `slot`.
    fn value(&self, slot: usize, c: usize) -> f32 {
        f32::from_bits((self.table[slot * self.stride + 1 + c / 2] >> (32 * (c % 2))) as u32)
    }

    /// The vote on a message: its normalised subject (each feature worth `subject_weight`) and normalised text.
    pub fn vote(&self, subject: &str, subject_weight: f32, text: &str) -> Vote {
        self.vote_on(&Reading::of(subject, subject_weight, text), subject, text)
    }

    /// The vote on a message already read into features ([`Reading::of`] over the same `subject` and `text`):
    /// the area's and the kind's models vote on one reading, so a message's features are computed once.
    pub fn vote_on(&self, reading: &Reading, subject: &str, text: &str) -> Vote {
        self.vote_on_with(reading, subject, text, true)
    }

    /// [`LearnedModel::vote_on`], with the words that carried the vote ([`Vote::words`]) only when `want_words`:
    /// ranking them sums every known feature's lift and selects the best ([`LearnedModel::words_shown`]), and a
    /// caller that shows no explanation needs only the probabilities and the confidence, which are the same
    /// either way.
    pub fn vote_on_with(
        &self,
        reading: &Reading,
        subject: &str,
        text: &str,
        want_words: bool,
    ) -> Vote {
        let n = self.classes.len();
        // The classes' sums on the stack when they fit (a model tells a handful of classes apart): a vote that
        // shows no words allocates only what it returns.
        let mut sums_here = [0f64; CLASSES_ON_STACK];
        let mut sums_heap = Vec::new();
        let sums: &mut [f64] = if n <= CLASSES_ON_STACK {
            &mut sums_here[..n]
        } else {
            sums_heap.resize(n, 0.0);
            &mut sums_heap
        };
        // Every known feature's slot (high half) and index in the reading (low half), for the words shown.
        let mut seen: Vec<u64> = Vec::with_capacity(if want_words {
            reading.features.len()
        } else {
            0
        });
        let mut weight_seen = 0f64;
        // Each feature's first slot and the key found there, read for a chunk of features before any is used:
        // these loads do not wait on one another, so the processor has many in flight; one at a time, the vote
        // spent most of its time waiting on memory.
        let mut first = [(0usize, 0u64); LOOKUPS_AHEAD];
        for (at, chunk) in reading.features.chunks(LOOKUPS_AHEAD).enumerate() {
            for (f, place) in chunk.iter().zip(first.iter_mut()) {
                let home = self.home(f.0.max(1));
                *place = (home, self.table[home * self.stride]);
            }
            for (j, (&(h, w, ..), &(home, found))) in chunk.iter().zip(&first).enumerate() {
                let key = h.max(1);
                let slot = match found {
                    k if k == key => home,
                    0 => continue,
                    _ => match self.slot_from(key, home + 1) {
                        Some(slot) => slot,
                        None => continue,
                    },
                };
                let w64 = f64::from(w);
                let row = &self.table[slot * self.stride + 1..(slot + 1) * self.stride];
                for (c, sum) in sums.iter_mut().enumerate() {
                    let v = f32::from_bits((row[c / 2] >> (32 * (c % 2))) as u32);
                    *sum += w64 * f64::from(v);
                }
                weight_seen += w64;
                if want_words {
                    seen.push((slot as u64) << 32 | (at * LOOKUPS_AHEAD + j) as u64);
                }
            }
        }
        let scale = if weight_seen > EVIDENCE_CAP {
            EVIDENCE_CAP / weight_seen
        } else {
            1.0
        };
        // In place: each class's joint log-probability, then its exponential against the largest.
        for (s, p) in sums.iter_mut().zip(&self.log_prior) {
            *s = p + *s * scale;
        }
        let max = sums.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for s in sums.iter_mut() {
            *s = (*s - max).exp();
        }
        let exp = &*sums;
        let z: f64 = exp.iter().sum();
        let mut probabilities: Vec<(String, f64)> = self
            .classes
            .iter()
            .zip(exp)
            .map(|(c, e)| (c.clone(), e / z))
            .collect();
        probabilities.sort_by(|a, b| b.1.total_cmp(&a.1));
        let first = self.classes.iter().position(|c| *c == probabilities[0].0);
        let second = probabilities
            .get(1)
            .and_then(|(name, _)| self.classes.iter().position(|c| c == name));
        let words = match (want_words, first, second) {
            (true, Some(a), Some(b)) => self.words_shown(reading, seen, a, b, scale, subject, text),
            _ => Vec::new(),
        };
        Vote {
            probabilities,
            words,
            confidence: weight_seen / (weight_seen + CONFIDENCE_HALF),
        }
    }

    /// The words that most favoured class `a` over class `b` ([`Vote::words`]): of the message's known features
    /// (`seen`: each one's slot in the high half and index in `reading` in the low half, in the reading's
    /// order), at most [`WORDS_SHOWN`] whose
    /// lift (weight × the difference of their log-probabilities × `scale`) is positive, as written.
    ///
    /// The order is defined, not left to a sort's handling of ties, so that a selection of the few shown
    /// ranks them as sorting every feature would:
    /// - the places of one feature (one slot: a stem or pair seen several times) are summed in the order of the
    ///   reading, and the feature is shown as written at its first place (the subject's before the text's);
    /// - features rank by lift, highest first, and equal lifts by their slot in the table, lowest first (a
    ///   slot holds one feature, so no two tie; the slots are filled in the order of the keys, so this is the
    ///   same in every process);
    /// - a feature written as one already shown is skipped.
    ///
    /// Only the few shown are sorted (a selection of them, then a sort of those): a long message has hundreds
    /// of known features, and sorting them all was most of the cost of an explained vote.
    #[allow(clippy::too_many_arguments)]
    fn words_shown(
        &self,
        reading: &Reading,
        seen: Vec<u64>,
        a: usize,
        b: usize,
        scale: f64,
        subject: &str,
        text: &str,
    ) -> Vec<(String, f64)> {
        // Sorted as numbers, a slot's places stay in the reading's order.
        let mut places = seen;
        places.sort_unstable();
        // (lift, slot, index of its first place) of each feature that favoured `a`.
        let mut merged: Vec<(f64, usize, usize)> = Vec::with_capacity(places.len());
        let mut at = 0;
        while at < places.len() {
            let slot = (places[at] >> 32) as usize;
            let first = (places[at] & 0xffff_ffff) as usize;
            let difference = f64::from(self.value(slot, a) - self.value(slot, b));
            let mut lift = 0f64;
            let mut summed = false;
            while let Some(&p) = places.get(at) {
                if (p >> 32) as usize != slot {
                    break;
                }
                let w = reading.features[(p & 0xffff_ffff) as usize].1;
                let one = f64::from(w) * difference * scale;
                lift = if summed { lift + one } else { one };
                summed = true;
                at += 1;
            }
            if lift > 0.0 {
                merged.push((lift, slot, first));
            }
        }
        let ranked = |x: &(f64, usize, usize), y: &(f64, usize, usize)| {
            y.0.total_cmp(&x.0).then(x.1.cmp(&y.1))
        };
        let mut words: Vec<(String, f64)> = Vec::with_capacity(WORDS_SHOWN);
        let mut rest = merged.as_mut_slice();
        while words.len() < WORDS_SHOWN && !rest.is_empty() {
            // The next few by rank: enough to fill the words when none is written as one already shown.
            let k = (WORDS_SHOWN - words.len()).min(rest.len());
            if k < rest.len() {
                rest.select_nth_unstable_by(k - 1, ranked);
            }
            let (best, after) = rest.split_at_mut(k);
            best.sort_unstable_by(ranked);
            for &(lift, _, i) in best.iter() {
                let (_, _, in_subject, s, e) = reading.features[i];
                let source = if in_subject { subject } else { text };
                let shown = source.get(s..e).unwrap_or("");
                if !words.iter().any(|(w, _)| w == shown) {
                    words.push((shown.to_string(), lift));
                }
            }
            rest = after;
        }
        words
    }
}

/// Reads the first two lines of the text form (comments already skipped): the header and the classes.
fn header_classes<'a>(
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
) -> Result<Vec<String>, String> {
    match lines.next() {
        Some((_, HEADER)) => {}
        _ => return Err(format!("la primera línea no es «{HEADER}»")),
    }
    match lines.next() {
        Some((_, l)) if l.starts_with("clases\t") => Ok(l
            .split('\t')
            .skip(1)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect()),
        _ => Err("falta la línea 2, «clases»".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::features::message_features;
    use super::*;

    /// [`Counts::from_text`] as it read before [`feature_line`]: every line cut by `str::lines`, split at its
    /// tabs, each count read by [`count`]. The reference the fast reader must agree with.
    fn from_text_by_lines(text: &str) -> Result<Counts, String> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.starts_with('#'));
        let classes = header_classes(&mut lines)?;
        let n = classes.len();
        let mut docs = Vec::new();
        match lines.next() {
            Some((i, l)) if l.starts_with("mensajes\t") => {
                numbers(i, &l["mensajes\t".len()..], n, &mut docs)?
            }
            _ => return Err("falta la línea 3, «mensajes»".into()),
        };
        let (mut keys, mut rows) = (Vec::new(), Vec::new());
        for (i, l) in lines {
            if l.is_empty() {
                continue;
            }
            let (key, rest) = l.split_once('\t').unwrap_or((l, ""));
            let key = feature_key(key)
                .ok_or_else(|| format!("línea {}: falta la clave hexadecimal", i + 1))?;
            numbers(i, rest, n, &mut rows)?;
            keys.push(key);
        }
        Ok(Counts::sorted(classes, docs, keys, rows))
    }

    /// Counts as bits: keys, rows and messages, comparable to the last bit.
    type Bits = (Vec<u64>, Vec<u64>, Vec<u64>);

    /// Both readers' results, comparable to the last bit.
    fn read_both(text: &str) -> (Result<Bits, String>, Result<Bits, String>) {
        let bits = |c: Counts| {
            (
                c.keys,
                c.rows.iter().map(|x| x.to_bits()).collect(),
                c.docs.iter().map(|x| x.to_bits()).collect(),
            )
        };
        (
            Counts::from_text(text).map(bits),
            from_text_by_lines(text).map(bits),
        )
    }

    #[test]
    fn the_shipped_seeds_read_as_line_by_line() {
        for text in [
            super::super::seed::SEED_TEXT,
            super::super::seed::KIND_SEED_TEXT,
        ] {
            let (fast, slow) = read_both(text);
            assert!(fast.is_ok());
            assert_eq!(fast, slow);
        }
    }

    proptest::proptest! {
        /// Any text of feature lines, well or badly written (decimals of every length, signs, exponents,
        /// empty fields, comments, `\r\n`, keys of other lengths), reads as line by line, errors included.
        #[test]
        fn feature_lines_read_as_line_by_line(
            lines in proptest::collection::vec(
                (
                    "[0-9a-fA-F]{16}|[0-9a-f]{15}|[0-9a-f]{17}|#[a-z ]{0,5}|",
                    proptest::collection::vec(
                        "[0-9]{1,17}|[0-9]{1,9}\\.[0-9]{1,9}|\\.5|5\\.|-1|1e3|inf|[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]|",
                        0..5,
                    ),
                    "\n|\r\n|\r|\t\n",
                ),
                0..12,
            ),
            last_ending in proptest::bool::ANY,
        ) {
            let mut text = String::from("triaje-modelo-bayes 3\nclases\ta\tb\tc\nmensajes\t1\t2\t3\n");
            let count = lines.len();
            for (i, (key, fields, ending)) in lines.into_iter().enumerate() {
                text.push_str(&key);
                for f in fields {
                    text.push('\t');
                    text.push_str(&f);
                }
                if i + 1 < count || last_ending {
                    text.push_str(&ending);
                }
            }
            let (fast, slow) = read_both(&text);
            proptest::prop_assert_eq!(fast, slow, "{:?}", text);
        }
    }

    /// A text's features each counted once: whole counts, which the text form writes exactly (a message's own
    /// features are scaled to one length, so their counts are fractions).
    fn unit(text: &str) -> Vec<(u64, f32)> {
        message_features("", 1.0, text)
            .into_iter()
            .map(|(h, _)| (h, 1.0))
            .collect()
    }

    fn counts() -> Counts {
        let mut c = Counts::default();
        for t in [
            "renovar inscripcion rnp",
            "constancia rnp vigente",
            "inscripcion proveedor rnp",
        ] {
            c.add("RNP", &unit(t), 1.0);
        }
        for t in [
            "penalidad por mora contrato",
            "carta fianza garantia",
            "arbitraje contrato resolucion",
        ] {
            c.add("Legal", &unit(t), 1.0);
        }
        c
    }

    #[test]
    fn it_votes_for_the_class_whose_words_it_sees_and_says_which() {
        let m = LearnedModel::train(&counts()).expect("two classes");
        let v = m.vote("", 1.0, "quiero renovar mi inscripcion");
        assert_eq!(v.probabilities[0].0, "RNP");
        assert!(v.probabilities[0].1 > 0.8, "{v:?}");
        assert!(v.words.iter().any(|(w, _)| w == "renovar"), "{v:?}");
        let v = m.vote("Garantia", 1.0, "sobre la carta fianza");
        assert_eq!(v.probabilities[0].0, "Legal");
    }

    #[test]
    fn unknown_words_leave_the_prior() {
        let m = LearnedModel::train(&counts()).expect("two classes");
        let v = m.vote("", 1.0, "zzz qqq");
        assert!((v.probabilities[0].1 - 0.5).abs() < 1e-9, "{v:?}");
        assert!(v.words.is_empty());
    }

    #[test]
    fn a_key_reads_as_from_str_radix_reads_it() {
        for k in [
            "00070fabc8f24901",
            "FFFFFFFFFFFFFFFF",
            "ff",
            "+0070fabc8f24901",
            "00070fabc8f2490g",
            "",
        ] {
            assert_eq!(feature_key(k), u64::from_str_radix(k, 16).ok(), "{k:?}");
        }
    }

    #[test]
    fn a_count_reads_as_str_parse_reads_it() {
        for f in [
            "0",
            "7",
            "20",
            "999999999999999",
            "20.206",
            "2.5",
            "1e3",
            "-1",
            "x",
            "",
        ] {
            assert_eq!(count(f), f.parse::<f64>().ok(), "{f:?}");
        }
    }

    #[test]
    fn counts_survive_their_text_form_and_merge() {
        let c = counts();
        let back = Counts::from_text(&c.to_text()).expect("reads back");
        assert_eq!(back, c);
        let mut twice = c.clone();
        twice.merge(&c);
        assert_eq!(twice.messages(), 12.0);
        assert!(Counts::from_text("otra cosa").is_err());
        let bad = c.to_text().replace("\t1\n", "\tx\n");
        assert!(Counts::from_text(&bad)
            .unwrap_err()
            .contains("no es un número"));
    }

    #[test]
    fn many_messages_at_once_count_as_one_at_a_time() {
        let texts = [
            ("RNP", "renovar inscripcion rnp", 1.0),
            ("Legal", "penalidad por mora contrato", 3.0),
            ("RNP", "constancia rnp vigente rnp", 1.0),
            ("SEACE", "clave del seace bloqueada", 1.0),
            ("Legal", "carta fianza garantia contrato", 1.0),
        ];
        let features: Vec<Vec<(u64, f32)>> = texts
            .iter()
            .map(|(_, t, _)| message_features("", 1.0, t))
            .collect();
        let mut one_by_one = counts();
        for ((class, _, times), f) in texts.iter().zip(&features) {
            one_by_one.add(class, f, *times);
        }
        let mut together = counts();
        together.add_all(
            texts
                .iter()
                .zip(&features)
                .map(|((class, _, times), f)| (*class, f.as_slice(), *times)),
        );
        assert_eq!(together, one_by_one);
        assert_eq!(together.classes, ["RNP", "Legal", "SEACE"]);
        // The class seen last was added to every row, with no count where it never appeared.
        let rnp = message_features("", 1.0, "rnp")[0].0;
        assert_eq!(together.feature(rnp).map(|r| r[2]), Some(0.0));
        // The text form rounds a log-scaled count to three decimals, and reads back to the same text.
        let text = together.to_text();
        assert_eq!(
            Counts::from_text(&text).expect("reads back").to_text(),
            text
        );
    }

    #[test]
    fn a_text_written_out_of_order_reads_in_order_and_its_last_line_wins() {
        let text = "triaje-modelo-bayes 3\nclases\tRNP\tLegal\nmensajes\t2\t1\n\
                    00000000000000ff\t1\t0\n0000000000000001\t0\t1\n00000000000000ff\t2\t0\n";
        let c = Counts::from_text(text).expect("reads");
        assert_eq!(c.feature_count(), 2);
        assert_eq!(c.feature(0xff), Some(&[2.0, 0.0][..]));
        assert!(c
            .to_text()
            .ends_with("0000000000000001\t0\t1\n00000000000000ff\t2\t0\n"));
    }

    #[test]
    fn merging_adds_the_counts_of_classes_in_another_order() {
        let mut other = Counts::default();
        other.add("Legal", &unit("arbitraje laudo"), 1.0);
        other.add("RNP", &unit("rnp"), 2.0);
        let mut merged = counts();
        merged.merge(&other);
        let mut added = counts();
        added.add("Legal", &unit("arbitraje laudo"), 1.0);
        added.add("RNP", &unit("rnp"), 2.0);
        assert_eq!(merged, added);
        merged.prune(2.0);
        assert!(merged
            .features()
            .all(|(_, row)| row.iter().sum::<f64>() >= 2.0));
        assert!(merged.feature_count() < added.feature_count());
    }

    #[test]
    fn the_seed_trains_to_the_log_probabilities_computed_one_by_one() {
        let counts = Counts::from_text(super::super::SEED_TEXT).expect("seed reads");
        let m = LearnedModel::train(&counts).expect("a model");
        let n = counts.classes.len();
        let mut totals = vec![0f64; n];
        for (_, row) in counts.features() {
            for (t, v) in totals.iter_mut().zip(row) {
                *t += v;
            }
        }
        let vocabulary = counts.feature_count() as f64;
        for (h, row) in counts.features() {
            let slot = m
                .slot_from(h.max(1), m.home(h.max(1)))
                .expect("every key has a slot");
            for (c, &x) in row.iter().enumerate() {
                let expected = ((x + ALPHA) / (totals[c] + ALPHA * vocabulary)).ln() as f32;
                assert_eq!(m.value(slot, c).to_bits(), expected.to_bits(), "{h:x} {c}");
            }
        }
    }

    /// [`LearnedModel::words_shown`] as sorting every known feature gives it: the reference its selection of the
    /// few shown must agree with, in the order its doc defines.
    fn words_by_full_sort(m: &LearnedModel, subject: &str, text: &str) -> Vec<(String, f64)> {
        let reading = Reading::of(subject, 1.0, text);
        let v = m.vote_on_with(&reading, subject, text, false);
        let class = |name: &str| m.classes.iter().position(|c| c == name);
        let (Some(a), Some(b)) = (
            class(v.probabilities[0].0.as_str()),
            v.probabilities.get(1).and_then(|p| class(p.0.as_str())),
        ) else {
            return Vec::new();
        };
        let known: Vec<(usize, usize)> = reading
            .features
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((m.slot_from(f.0.max(1), m.home(f.0.max(1)))?, i)))
            .collect();
        let weight: f64 = known
            .iter()
            .map(|&(_, i)| f64::from(reading.features[i].1))
            .sum();
        let scale = if weight > EVIDENCE_CAP {
            EVIDENCE_CAP / weight
        } else {
            1.0
        };
        // (slot, lift, first place), summed in the reading's order.
        let mut features: Vec<(usize, f64, usize)> = Vec::new();
        for &(slot, i) in &known {
            let difference = f64::from(m.value(slot, a) - m.value(slot, b));
            let lift = f64::from(reading.features[i].1) * difference * scale;
            match features.iter_mut().find(|f| f.0 == slot) {
                Some(f) => f.1 += lift,
                None => features.push((slot, lift, i)),
            }
        }
        features.retain(|f| f.1 > 0.0);
        features.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        let mut words: Vec<(String, f64)> = Vec::new();
        for (_, lift, i) in features {
            let (_, _, in_subject, s, e) = reading.features[i];
            let shown = if in_subject {
                &subject[s..e]
            } else {
                &text[s..e]
            };
            if words.len() < WORDS_SHOWN && !words.iter().any(|(w, _)| w == shown) {
                words.push((shown.to_string(), lift));
            }
        }
        words
    }

    #[test]
    fn the_words_shown_rank_as_sorting_every_feature_would() {
        let counts = Counts::from_text(super::super::SEED_TEXT).expect("seed reads");
        let m = LearnedModel::train(&counts).expect("a model");
        let long = "quisiera saber como renovar mi inscripcion en el rnp porque la constancia vence. ".repeat(20)
            + "tambien tengo una duda sobre la garantia del contrato y la penalidad por mora? y el seace no me deja entrar?";
        for (subject, text) in [
            (
                "renovacion rnp",
                "quiero renovar mi inscripcion como proveedor",
            ),
            (
                "",
                "la entidad pretende ejecutar la carta fianza de fiel cumplimiento del contrato",
            ),
            ("consulta", long.as_str()),
            (
                "",
                "el seace no me deja registrar la oferta, me sale error de usuario bloqueado",
            ),
            (
                "",
                "rnp rnp rnp inscripcion inscripcion renovar renovar renovar",
            ),
        ] {
            let v = m.vote(subject, 1.0, text);
            let expected = words_by_full_sort(&m, subject, text);
            let bits = |w: &[(String, f64)]| {
                w.iter()
                    .map(|(s, l)| (s.clone(), l.to_bits()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(bits(&v.words), bits(&expected), "{text}");
            assert!(!v.words.is_empty(), "{text}");
        }
    }

    #[test]
    fn one_class_is_not_a_model() {
        let mut c = Counts::default();
        c.add("RNP", &message_features("", 1.0, "rnp"), 1.0);
        assert!(LearnedModel::train(&c).is_none());
    }
}
