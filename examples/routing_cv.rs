//! K-fold cross-validation of the routing on the public corpora (`tests/routing/tune` and `tests/corpus`),
//! the way the `[routing]` threshold, margin and learned weight were chosen (issue 16).
//!
//! The held-out part is never read here. Each message is filed by the shipped rules plus a learned opinion
//! trained on the other folds only, so the figure says what the opinion does on mail it has not seen. The
//! rules' points and the opinion's vote are kept per message, and the decision is taken again for every
//! setting of the sweep (the same sums `rules::Tally` does), which costs nothing.
//!
//! The kind of attention (consulta, incidencia, reclamo, sugerencia; issue 18) is cross-validated the same
//! way over the messages whose label says their kind: the kind rules' points and a kind opinion trained on
//! the other folds, the kind's precision and recall per fold with the opinion off and on, and a sweep of
//! `[routing.learned] kind_weight` at the shipped `kind_threshold` and `kind_margin`.
//!
//! The tuning part has five writers (`tests/routing/README.md`, «How the corpus was written»): ids `r6-…` to
//! `r9-…` are the second, `c10-…` to `c12-…` the third, `d13-…`/`d14-…` the fourth, `e15-…`/`e16-…` the fifth,
//! the rest the first; `f17-`/`f18-`, `g19-`/`g20-` and `h21-`/`h22-` the sixth to eighth, and `i23-`/`i24-`,
//! `j25-`/`j26-` and `k27-`/`k28-` the ninth to eleventh, `l29-`/`l30-`, `m31-`/`m32-` and `n33-`/`n34-`
//! the twelfth to fourteenth, and `o35-`/`o36-`, `p37-`/`p38-` and `q39-`/`q40-` the fifteenth to seventeenth, `s41-`/`s42-`, `t43-`/`t44-`
//! and `u45-`/`u46-` the eighteenth to twentieth, `v47-`/`v48-`, `w49-`/`w50-` and `x51-`/`x52-` the twenty-first to
//! twenty-third. A file's writer is found by hashing
//! those ids the way `tests/routing/make.py` names files, so nothing but `tune/` is read. The rule files were
//! written reading the whole tuning part, so plain CV flatters the rules; the figures are also given by writer,
//! and the third to fifth writers are scored once more **held out as a whole**: the opinion trained on the first two
//! writers and `tests/corpus` only, the closest the public corpora come to mail from strangers. Tuning reads
//! only the first two writers: the sweep's objective leaves the later three out and their misses are never listed.
//!
//! **Leave one writer out** is the figure the learned opinion is judged by, for it is what a writer nobody here
//! has read sees: each writer (and `tests/corpus` as its own group) scored by opinions trained on all the
//! others, per writer and the mean over writers, with a learning curve (25 to 100 % of the other writers'
//! messages) that tells whether more writers would still help, and the settings a sweep on that mean would
//! choose (shown, not shipped).
//!
//! With `ROUTING_CV_LOGISTIC=1` it also puts a multinomial logistic regression on the same features in the
//! place of naive Bayes, left out by writer, alone and beside the same rules' points: whether changing the
//! model class would pay for what it costs (a store and a seed that keep examples instead of counts).
//!
//! `cargo run --example routing_cv -- [K]` prints the figure for the shipped settings and the best settings
//! of the sweep; with `ROUTING_CV_MISSES=1` it also lists every miss of the shipped settings (writers 1 and 2
//! and `tests/corpus`). `ROUTING_CV_LOWO_MISSES=1` runs leave one writer out alone: the shipped settings'
//! figure per writer, the mean over writers, over writers 6-8, 9-11, … and 42-44 (each round), and every left-out
//! writer's misses.
//! With the shipped `[routing.learned] log_weight` the sums are taken on the log scale as `rules::Tally` takes them
//! (the line «the engine's own tally and these sums differ on N of M messages» checks it); the sweeps of
//! threshold and weight then move nothing but the margin (the log scale has settings of its own, chosen on a dump).
//! With `ROUTING_CV_LOWO_MISSES=1`, `ROUTING_CV_DUMP=FILE` also writes one JSON line per left-out message (writer, name, the right folder,
//! each folder rule's points, the opinion's probabilities and confidence), so another way of adding the evidence
//! can be tried on the same points without running the rules again.
//!
//! Every opinion is trained as the shipped seed is (`rules::learned::corrected_counts`): the training messages
//! split into inner folds by their file name, each voted by an opinion trained on the others, and every message
//! that vote files wrong counted once more in its right folder (issue 16). `ROUTING_CV_INNER=K` trains with K
//! inner folds instead of the shipped five; `ROUTING_CV_INNER=0` with the plain counts, as before that pass.
//!
//! `ROUTING_CV_RULES=DIR` reads the rule files from `DIR` instead of `rules/`: with a past commit's rules, the
//! writers merged after it are scored by rules nobody had written from them, which is what a stranger's mail
//! meets (`scripts/strangers` does it for each round).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use triaje::rules::corpus::load_labelled;
use triaje::rules::learned::{
    corrected_counts_with, view_features, Counts, Example, LearnedModel, Reading, INNER_FOLDS,
};
use triaje::rules::{
    is_reply_subject, normalize, without_disclaimers, LogVote, RuleSet, LOG_FLOOR,
};
use triaje::vocabulary::AttentionKind;

const UNCLASSIFIED: &str = "Por clasificar";
const TARGETS: [&str; 3] = ["SEACE", "RNP", "Legal"];

/// One message as the sweep needs it: where it belongs, the rules' points per target, the opinion's
/// probability per target and its confidence.
#[derive(Clone)]
struct Scored {
    tune: bool,
    /// Who wrote it: 1 to 14 in the tuning part (see the module's comment), 0 in `tests/corpus`.
    writer: u8,
    name: String,
    expected: usize,
    rules: [f64; 3],
    learned: [f64; 3],
    confidence: f64,
    fold: usize,
    /// The labelled kind (index in `AttentionKind::ALL`), when the label says it.
    kind: Option<usize>,
    /// The kind rules' points per kind.
    kind_rules: [f64; 4],
    /// The kind opinion's probability per kind and its confidence.
    kind_learned: [f64; 4],
    kind_confidence: f64,
    /// Each folder rule that gave points: (rule, target index, points).
    evidence: Vec<(String, usize, f64)>,
    /// The folder index `rules::Tally` itself filed it in at the shipped settings (3: unclassified), to check
    /// that [`decide`] sums the points as the engine does.
    filed: usize,
}

/// The kind index (0: consulta) the sums give one message: a kind other than the consultation needs
/// `threshold` points and `margin` of lead, as `rules::kind` decides.
fn decide_kind(s: &Scored, threshold: f64, margin: f64, weight: f64) -> usize {
    let mut totals: Vec<(usize, f64)> = (0..4)
        .map(|i| {
            (
                i,
                s.kind_rules[i] + weight * s.kind_confidence * s.kind_learned[i],
            )
        })
        .collect();
    totals.sort_by(|a, b| b.1.total_cmp(&a.1));
    let lead = totals[0].1 - totals[1].1.max(0.0);
    if totals[0].1 + 0.005 >= threshold && totals[0].1 > 1e-9 && lead + 0.005 >= margin {
        totals[0].0
    } else {
        0
    }
}

/// Per kind, (given right, given, labelled) over the messages `only` keeps that have a kind label.
fn kind_counts(
    scored: &[Scored],
    only: impl Fn(&Scored) -> bool,
    threshold: f64,
    margin: f64,
    weight: f64,
) -> [(u32, u32, u32); 4] {
    let mut c = [(0, 0, 0); 4];
    for s in scored.iter().filter(|s| only(s)) {
        let Some(expected) = s.kind else { continue };
        let got = decide_kind(s, threshold, margin, weight);
        c[got].1 += 1;
        c[expected].2 += 1;
        if got == expected {
            c[got].0 += 1;
        }
    }
    c
}

/// «consulta P 0.990 R 0.995 · incidencia …» from [`kind_counts`].
fn kind_line(c: &[(u32, u32, u32); 4]) -> String {
    AttentionKind::ALL
        .iter()
        .zip(c)
        .map(|(k, (right, given, labelled))| {
            format!(
                "{k} P {:.3} R {:.3} ({right}/{given}/{labelled})",
                f64::from(*right) / f64::from((*given).max(1)),
                f64::from(*right) / f64::from((*labelled).max(1)),
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// What a kind setting costs the office: every wrong kind, twice for a consultation read as another kind
/// (a complaint's 30-day clock, an incident's same-day acknowledgement for a question).
fn kind_cost(c: &[(u32, u32, u32); 4]) -> f64 {
    let right: u32 = c.iter().map(|x| x.0).sum();
    let all: u32 = c.iter().map(|x| x.2).sum();
    let consultations_lost = c[0].2 - c[0].0;
    f64::from(all - right + consultations_lost) / f64::from(all.max(1))
}

/// The writer of each file of the tuning part that is not the first's: `tests/routing/make.py` names a file
/// by the hex digits 8..18 of `sha256("triaje-routing-2025:" + id)`, and the later writers' ids are
/// `r6-001` … `r9-999`, `c10-001` … `c12-999`, `d13-001` … `d14-999`, `e15-001` … `e16-999`, the sixth to
/// eighth's `f17-`/`f18-`, `g19-`/`g20-`, `h21-`/`h22-`, the ninth to eleventh's `i23-`/`i24-`,
/// `j25-`/`j26-`, `k27-`/`k28-`, and the twelfth to fourteenth's `l29-`/`l30-`, `m31-`/`m32-`, `n33-`/`n34-`,
/// the fifteenth to seventeenth's `o35-`/`o36-`, `p37-`/`p38-`, `q39-`/`q40-`, the eighteenth to twenty-third's
/// `s41-` … `x52-`, the twenty-fourth to twenty-sixth's `y53-`/`y54-`, `z55-`/`z56-`, `a57-`/`a58-`, the
/// twenty-seventh to twenty-ninth's `b59-` … `d64-`, the thirtieth to thirty-second's `e65-` … `g70-`, and the
/// thirty-third to thirty-fifth's `h71-` … `j76-`, the thirty-sixth to thirty-eighth's `k77-` … `m82-`, and the
/// thirty-ninth to forty-first's `n83-` … `p88-`, and the forty-second to forty-fourth's `q89-` … `s94-`.
fn writers() -> HashMap<String, u8> {
    let mut out = HashMap::new();
    let ids = (6..=9)
        .map(|b| (format!("r{b}"), 2u8))
        .chain((10..=12).map(|b| (format!("c{b}"), 3u8)))
        .chain((13..=14).map(|b| (format!("d{b}"), 4u8)))
        .chain((15..=16).map(|b| (format!("e{b}"), 5u8)))
        // The sixth to eighth writers, whose files are merged into tune/ later: named already, so the figures
        // count them as soon as they land (absent files simply count zero).
        .chain((17..=18).map(|b| (format!("f{b}"), 6u8)))
        .chain((19..=20).map(|b| (format!("g{b}"), 7u8)))
        .chain((21..=22).map(|b| (format!("h{b}"), 8u8)))
        // The ninth to eleventh writers.
        .chain((23..=24).map(|b| (format!("i{b}"), 9u8)))
        .chain((25..=26).map(|b| (format!("j{b}"), 10u8)))
        .chain((27..=28).map(|b| (format!("k{b}"), 11u8)))
        // The twelfth to fourteenth writers: named the same way, counting zero until merged.
        .chain((29..=30).map(|b| (format!("l{b}"), 12u8)))
        .chain((31..=32).map(|b| (format!("m{b}"), 13u8)))
        .chain((33..=34).map(|b| (format!("n{b}"), 14u8)))
        // The fifteenth to seventeenth writers.
        .chain((35..=36).map(|b| (format!("o{b}"), 15u8)))
        .chain((37..=38).map(|b| (format!("p{b}"), 16u8)))
        .chain((39..=40).map(|b| (format!("q{b}"), 17u8)))
        // The eighteenth to twentieth writers, and the twenty-first to twenty-third (counting zero until merged).
        .chain((41..=42).map(|b| (format!("s{b}"), 18u8)))
        .chain((43..=44).map(|b| (format!("t{b}"), 19u8)))
        .chain((45..=46).map(|b| (format!("u{b}"), 20u8)))
        .chain((47..=48).map(|b| (format!("v{b}"), 21u8)))
        .chain((49..=50).map(|b| (format!("w{b}"), 22u8)))
        .chain((51..=52).map(|b| (format!("x{b}"), 23u8)))
        // The twenty-fourth to twenty-sixth writers.
        .chain((53..=54).map(|b| (format!("y{b}"), 24u8)))
        .chain((55..=56).map(|b| (format!("z{b}"), 25u8)))
        .chain((57..=58).map(|b| (format!("a{b}"), 26u8)))
        // The twenty-seventh to twenty-ninth writers.
        .chain((59..=60).map(|b| (format!("b{b}"), 27u8)))
        .chain((61..=62).map(|b| (format!("c{b}"), 28u8)))
        .chain((63..=64).map(|b| (format!("d{b}"), 29u8)))
        // The thirtieth to thirty-second writers.
        .chain((65..=66).map(|b| (format!("e{b}"), 30u8)))
        .chain((67..=68).map(|b| (format!("f{b}"), 31u8)))
        .chain((69..=70).map(|b| (format!("g{b}"), 32u8)))
        // The thirty-third to thirty-fifth writers.
        .chain((71..=72).map(|b| (format!("h{b}"), 33u8)))
        .chain((73..=74).map(|b| (format!("i{b}"), 34u8)))
        .chain((75..=76).map(|b| (format!("j{b}"), 35u8)))
        // The thirty-sixth to thirty-eighth writers.
        .chain((77..=78).map(|b| (format!("k{b}"), 36u8)))
        .chain((79..=80).map(|b| (format!("l{b}"), 37u8)))
        .chain((81..=82).map(|b| (format!("m{b}"), 38u8)))
        // The thirty-ninth to forty-first writers.
        .chain((83..=84).map(|b| (format!("n{b}"), 39u8)))
        .chain((85..=86).map(|b| (format!("o{b}"), 40u8)))
        .chain((87..=88).map(|b| (format!("p{b}"), 41u8)))
        // The forty-second to forty-fourth writers.
        .chain((89..=90).map(|b| (format!("q{b}"), 42u8)))
        .chain((91..=92).map(|b| (format!("r{b}"), 43u8)))
        .chain((93..=94).map(|b| (format!("s{b}"), 44u8)));
    for (batch, writer) in ids {
        for n in 0..1000 {
            let digest = Sha256::digest(format!("triaje-routing-2025:{batch}-{n:03}").as_bytes());
            let mut hex = String::with_capacity(64);
            for b in digest {
                let _ = write!(hex, "{b:02x}");
            }
            out.insert(format!("{}.eml", &hex[8..18]), writer);
        }
    }
    out
}

/// The FNV-1a hash of a name, to put it in a fold that never changes.
fn fold_of(name: &str, k: u64) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h % k) as usize
}

/// The shipped `[routing.learned] log_weight` settings, when the vote is on the log scale: set once in `main`,
/// read by [`decide`] for every setting that weighs the rules and the opinion together.
static LOG_VOTE: std::sync::OnceLock<Option<LogVote>> = std::sync::OnceLock::new();

/// The folder index (3: unclassified) the sums give one message under these settings. With the vote on the
/// log scale (`LOG_VOTE`) and both the rules and the opinion weighed, as `rules::Tally` decides then: every
/// option gets `weight` × confidence × ln(p / floor), «Por clasificar» its own points besides, and a folder
/// must lead every other option by `margin` (`threshold` and `weight` of the probability scale unused).
fn decide(s: &Scored, threshold: f64, margin: f64, weight: f64, rules_weight: f64) -> usize {
    if let (Some(Some(log)), true) = (LOG_VOTE.get(), weight > 0.0 && rules_weight > 0.0) {
        let scaled = |p: f64| log.weight * s.confidence * (p.max(LOG_FLOOR) / LOG_FLOOR).ln();
        let mut totals: Vec<(usize, f64)> = (0..3)
            .map(|i| (i, rules_weight * s.rules[i] + scaled(s.learned[i])))
            .collect();
        let supported = s.rules.iter().any(|r| *r > 0.0);
        let unclassified = log.unclassified
            + if supported {
                0.0
            } else {
                log.unclassified_no_rule
            }
            + scaled(1.0 - s.learned.iter().sum::<f64>());
        totals.push((3, unclassified));
        totals.sort_by(|a, b| b.1.total_cmp(&a.1));
        return if totals[0].0 != 3 && totals[0].1 - totals[1].1 + 0.005 >= margin {
            totals[0].0
        } else {
            3
        };
    }
    let mut totals: Vec<(usize, f64)> = (0..3)
        .map(|i| {
            (
                i,
                rules_weight * s.rules[i] + weight * s.confidence * s.learned[i],
            )
        })
        .collect();
    totals.sort_by(|a, b| b.1.total_cmp(&a.1));
    let lead = totals[0].1 - totals[1].1.max(0.0);
    if totals[0].1 + 0.005 >= threshold && totals[0].1 > 1e-9 && lead + 0.005 >= margin {
        totals[0].0
    } else {
        3
    }
}

/// (accuracy, wrong folder, Legal elsewhere, unclassified) as shares, for the messages `only` keeps.
fn figures(
    scored: &[Scored],
    only: impl Fn(&Scored) -> bool,
    threshold: f64,
    margin: f64,
    weight: f64,
    rules_weight: f64,
) -> (f64, f64, f64, f64) {
    let (mut n, mut right, mut wrong, mut legal, mut unclassified) = (0, 0, 0, 0, 0);
    for s in scored.iter().filter(|s| only(s)) {
        n += 1;
        let got = decide(s, threshold, margin, weight, rules_weight);
        if got == s.expected {
            right += 1;
        } else if got == 3 {
            unclassified += 1;
        } else {
            wrong += 1;
            if s.expected == 2 {
                legal += 1;
            }
        }
    }
    let n = f64::from(n.max(1));
    (
        f64::from(right) / n,
        f64::from(wrong) / n,
        f64::from(legal) / n,
        f64::from(unclassified) / n,
    )
}

/// One labelled message as read from disk.
struct Message {
    tune: bool,
    writer: u8,
    name: String,
    expected: usize,
    raw: Vec<u8>,
    features: Vec<(u64, f32)>,
    kind: Option<usize>,
}

/// Scores the messages of the folds `scored` keeps, each by the shipped rules plus opinions (folder and kind)
/// trained on the messages of every other fold that `train` keeps (all of them but for the learning curve).
fn score(
    messages: &[Message],
    rules: &RuleSet,
    labels: &[String],
    folds: usize,
    fold_of: impl Fn(&Message) -> usize,
    scored: impl Fn(usize) -> bool,
    train: impl Fn(&Message) -> bool,
) -> Vec<Scored> {
    let rsw = rules.routing().reply_subject_weight;
    let mut out = Vec::with_capacity(messages.len());
    for fold in (0..folds).filter(|f| scored(*f)) {
        let mut counts = Counts::default();
        for c in labels {
            counts.add(c, &[], 0.0);
        }
        let mut kind_counts = Counts::default();
        for k in AttentionKind::ALL {
            kind_counts.add(k.as_str(), &[], 0.0);
        }
        // In one pass each (`Counts::add_all`: the same sums in the same order as adding one message at a
        // time, which rewrote the counts for every message that brought a new feature and was most of a run).
        let training: Vec<&Message> = messages
            .iter()
            .filter(|m| fold_of(m) != fold && train(m))
            .collect();
        kind_counts.add_all(training.iter().filter_map(|m| {
            m.kind.map(|kind| {
                (
                    AttentionKind::ALL[kind].as_str(),
                    m.features.as_slice(),
                    1.0,
                )
            })
        }));
        // As the shipped seed is trained: corrected by inner folds over the training messages, each put in
        // its fold by its file name (`ROUTING_CV_INNER`, the module's comment).
        let examples: Vec<Example> = training
            .iter()
            .map(|m| Example {
                class: labels[m.expected].as_str(),
                features: &m.features,
                times: 1.0,
                key: m.name.rsplit('/').next().unwrap_or(&m.name),
            })
            .collect();
        let inner = std::env::var("ROUTING_CV_INNER")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(INNER_FOLDS);
        let counts = if inner == 0 {
            counts.add_all(examples.iter().map(|e| (e.class, e.features, e.times)));
            counts
        } else {
            corrected_counts_with(&counts, &examples, inner)
        };
        let model = LearnedModel::train(&counts).map(Arc::new);
        let kind_model = LearnedModel::train(&kind_counts).map(Arc::new);
        let set = rules
            .clone()
            .with_learned(model)
            .with_kind_learned(kind_model);
        for m in messages.iter().filter(|m| fold_of(m) == fold) {
            let mut s = Scored {
                tune: m.tune,
                writer: m.writer,
                name: m.name.clone(),
                expected: m.expected,
                rules: [0.0; 3],
                learned: [0.0; 3],
                confidence: 0.0,
                fold,
                kind: m.kind,
                kind_rules: [0.0; 4],
                kind_learned: [0.0; 4],
                kind_confidence: 0.0,
                evidence: Vec::new(),
                filed: 3,
            };
            if let Ok(mail) = triaje::mail::parse(&m.raw) {
                let c = set.classify(&mail.view());
                let t = c.tally();
                s.filed = t
                    .winner()
                    .and_then(|w| TARGETS.iter().position(|f| *f == w))
                    .unwrap_or(3);
                for r in &t.rules {
                    if let Some(i) = TARGETS.iter().position(|f| *f == r.folder) {
                        s.rules[i] += r.points;
                        s.evidence.push((r.rule.clone(), i, r.points));
                    }
                }
                let kt = &c.kind().tally;
                for r in &kt.rules {
                    if let Some(i) = AttentionKind::ALL
                        .iter()
                        .position(|k| k.as_str() == r.folder)
                    {
                        s.kind_rules[i] += r.points;
                    }
                }
                // The kind's vote as the tally has it; when no kind rule matched the engine does not ask it
                // (at the shipped weight it could not change the kind), so the sweep asks it here, as the
                // engine reads a message (normalised, disclaimers left out, a reply's subject worth less).
                let view = mail.view();
                let asked = kt
                    .learned
                    .clone()
                    .map(|l| (l.confidence, l.probabilities))
                    .or_else(|| {
                        set.kind_learned().map(|m| {
                            let subject_weight = if is_reply_subject(view.subject) {
                                rsw as f32
                            } else {
                                1.0
                            };
                            let text = without_disclaimers(view.text);
                            let (subject, text) = (normalize(view.subject), normalize(&text));
                            let reading = Reading::with_asking(
                                &subject,
                                subject_weight,
                                &text,
                                set.routing().asking,
                            );
                            let v = m.vote_on(&reading, &subject, &text);
                            (v.confidence, v.probabilities)
                        })
                    });
                if let Some((confidence, probabilities)) = asked {
                    s.kind_confidence = confidence;
                    for (class, p) in &probabilities {
                        if let Some(i) = AttentionKind::ALL.iter().position(|k| k.as_str() == class)
                        {
                            s.kind_learned[i] = *p;
                        }
                    }
                }
                if let Some(l) = &t.learned {
                    s.confidence = l.confidence;
                    for (class, p) in &l.probabilities {
                        if let Some(i) = TARGETS.iter().position(|f| f == class) {
                            s.learned[i] = *p;
                        }
                    }
                }
            }
            out.push(s);
        }
    }
    out
}

fn main() {
    let k: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let targets: Vec<String> = TARGETS.iter().map(|s| s.to_string()).collect();
    let mut labels = targets.clone();
    labels.push(UNCLASSIFIED.into());
    // `ROUTING_CV_RULES=DIR`: another set of rule files, such as a past commit's (`scripts/strangers`).
    let rules_dir = std::env::var_os("ROUTING_CV_RULES")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("rules"));
    let rules = RuleSet::load_dir(&rules_dir, &targets).unwrap_or_else(|e| panic!("{e}"));
    let _ = LOG_VOTE.set(rules.routing().learned.log.clone());
    let writers = writers();
    let mut messages = Vec::new();
    for (dir, tune) in [("tests/routing/tune", true), ("tests/corpus", false)] {
        for m in load_labelled(&root.join(dir), &labels).unwrap_or_else(|e| panic!("{e}")) {
            let expected = labels.iter().position(|l| *l == m.folder).unwrap_or(3);
            // The features the opinion is trained on, as the seed and the daemon take them.
            let features = triaje::mail::parse(&m.raw)
                .map(|mail| view_features(&mail.view(), rules.routing()))
                .unwrap_or_default();
            let kind = m
                .kind
                .and_then(|k| AttentionKind::ALL.iter().position(|a| *a == k));
            let writer = match tune {
                true => writers.get(&m.file).copied().unwrap_or(1),
                false => 0,
            };
            messages.push(Message {
                tune,
                writer,
                name: format!("{dir}/{}", m.file),
                expected,
                raw: m.raw,
                features,
                kind,
            });
        }
    }
    // `ROUTING_CV_LOWO_MISSES=1`: leave one writer out only, the shipped settings' figure per writer and its
    // mean, and every miss of every left-out writer with its writer; the quick loop a rule or zone edit is
    // judged by (it skips the k-fold CV, the learning curve and the sweeps).
    if std::env::var_os("ROUTING_CV_LOWO_MISSES").is_some() {
        lowo_misses(&messages, &rules, &labels);
        return;
    }
    let scored = score(
        &messages,
        &rules,
        &labels,
        k as usize,
        |m| fold_of(&m.name, k),
        |_| true,
        |_| true,
    );
    // The third to fifth writers held out as a whole: fold 0 is theirs, fold 1 (never scored) everything else.
    let third = score(
        &messages,
        &rules,
        &labels,
        2,
        |m| usize::from(m.writer < 3),
        |f| f == 0,
        |_| true,
    );
    let r = rules.routing();
    let pct = figures_line;
    let show = |name: &str, t: f64, m: f64, w: f64, rw: f64| {
        let all = figures(&scored, |_| true, t, m, w, rw);
        let tune = figures(&scored, |s| s.tune, t, m, w, rw);
        let early = figures(&scored, |s| s.tune && s.writer < 3, t, m, w, rw);
        println!(
            "{name}: threshold {t} margin {m} weight {w}: tune {}; writers 1-2 {}; tune+corpus {}",
            pct(tune),
            pct(early),
            pct(all),
        );
    };
    // The settings every figure is given for, in one place: (name, threshold, margin, learned weight, the
    // rules' weight).
    let settings: [(&str, f64, f64, f64, f64); 3] = [
        (
            "opinion off",
            r.threshold_rules_only,
            r.margin_rules_only,
            0.0,
            1.0,
        ),
        ("opinion alone", 0.0, 0.0, 1.0, 0.0),
        ("shipped", r.threshold, r.margin, r.learned.weight, 1.0),
    ];
    println!(
        "{k}-fold CV over {} messages (accuracy / wrong folder / Legal elsewhere / Por clasificar)",
        scored.len()
    );
    for (name, t, m, w, rw) in settings {
        show(name, t, m, w, rw);
    }
    for writer in 1..=5 {
        let f = figures(
            &scored,
            |s| s.tune && s.writer == writer,
            r.threshold,
            r.margin,
            r.learned.weight,
            1.0,
        );
        let n = scored
            .iter()
            .filter(|s| s.tune && s.writer == writer)
            .count();
        println!("  shipped, CV, writer {writer} ({n} messages): {}", pct(f));
    }
    // The later writers held out as a whole: what the opinion does for a voice it never learned from.
    let w3 = |name: &str, t: f64, m: f64, w: f64, rw: f64| {
        let f = figures(&third, |_| true, t, m, w, rw);
        println!(
            "writers 3-5 held out ({} messages), {name}: {}",
            third.len(),
            pct(f)
        );
    };
    for (name, t, m, w, rw) in settings {
        w3(name, t, m, w, rw);
    }
    let lowo = leave_one_writer_out(&messages, &rules, &labels, &settings);
    if std::env::var_os("ROUTING_CV_LOGISTIC").is_some() {
        logistic_lowo(&messages, &lowo, &settings);
    }
    let off = kind_counts(&third, |_| true, r.kind_threshold, r.kind_margin, 0.0);
    let on = kind_counts(
        &third,
        |_| true,
        r.kind_threshold,
        r.kind_margin,
        r.learned.kind_weight,
    );
    println!(
        "writers 3-5 held out, kinds, opinion off (cost {:.4}): {}",
        kind_cost(&off),
        kind_line(&off)
    );
    println!(
        "writers 3-5 held out, kinds, shipped (cost {:.4}): {}",
        kind_cost(&on),
        kind_line(&on)
    );
    // `ROUTING_CV_MISSES=1`: every cross-validated miss of the shipped settings, to see what a rule edit fixes
    // (never the later writers': they are the validation).
    if std::env::var_os("ROUTING_CV_MISSES").is_some() {
        for s in scored.iter().filter(|s| s.writer < 3) {
            let got = decide(s, r.threshold, r.margin, r.learned.weight, 1.0);
            if got != s.expected {
                println!(
                    "  miss {}: {} -> {} (rules {:?}, opinion {:.2} x {:?})",
                    s.name, labels[s.expected], labels[got], s.rules, s.confidence, s.learned
                );
            }
        }
    }
    // The sweep, over the first two writers only: the office's cost puts a wrong folder (and a Legal one above
    // all) before leaving a message unclassified, so the objective charges them more than a miss to «Por
    // clasificar».
    let mut best: Vec<(f64, f64, f64, f64)> = Vec::new();
    for t in (4..=45).map(|x| f64::from(x) * 0.1) {
        for m in (0..=20).map(|x| f64::from(x) * 0.1) {
            for w in (2..=28).map(|x| f64::from(x) * 0.25) {
                let f = figures(&scored, |s| s.tune && s.writer < 3, t, m, w, 1.0);
                let cost = (1.0 - f.0) + f.1 + 2.0 * f.2;
                best.push((cost, t, m, w));
            }
        }
    }
    best.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, t, m, w) in best.iter().take(3) {
        show("sweep", *t, *m, *w, 1.0);
        w3("  the same", *t, *m, *w, 1.0);
    }
    // The same with a threshold the rules alone can reach, so the settings also serve with the opinion off.
    for (_, t, m, w) in best.iter().filter(|b| b.1 <= 1.55).take(3) {
        show("sweep, rules can decide alone", *t, *m, *w, 1.0);
        show("  the same, opinion off", *t, *m, 0.0, 1.0);
    }
    kind_cv(
        &scored,
        k as usize,
        r.kind_threshold,
        r.kind_margin,
        r.learned.kind_weight,
    );
}

/// The groups a message can belong to: `tests/corpus` (0) and the writers of the tuning part (1 to 44; a writer not merged yet has no messages and is skipped).
const GROUPS: usize = 45;

/// The name of a group in the figures.
fn group_name(g: u8) -> String {
    match g {
        0 => "tests/corpus".into(),
        w => format!("writer {w}"),
    }
}

/// Leave one writer out: for each writer (and `tests/corpus` as its own group), the opinions trained on all the
/// others and the writer scored; per writer and the mean over writers, for every setting. This is what a new
/// writer sees, the figure the learned opinion is tuned by. Then the learning curve: the same mean with the
/// opinion trained on 25, 50 and 75 % of the other writers' messages (a fixed draw by name), to tell whether
/// more data would still help.
fn leave_one_writer_out(
    messages: &[Message],
    rules: &RuleSet,
    labels: &[String],
    settings: &[(&str, f64, f64, f64, f64)],
) -> Vec<Scored> {
    let groups: Vec<u8> = (0..GROUPS as u8)
        .filter(|g| messages.iter().any(|m| m.writer == *g))
        .collect();
    let present = |f: usize| groups.iter().any(|g| usize::from(*g) == f);
    let fold = |m: &Message| usize::from(m.writer);
    let line = figures_line;
    // The mean over writers, each counting once whatever its size: a new writer is one voice.
    let mean = group_mean;
    let lowo = score(messages, rules, labels, GROUPS, fold, present, |_| true);
    println!(
        "\nLeave one writer out (accuracy / wrong folder / Legal elsewhere / Por clasificar):"
    );
    for &(name, t, m, w, rw) in settings {
        for g in &groups {
            let n = lowo.iter().filter(|s| s.writer == *g).count();
            let f = figures(&lowo, |s| s.writer == *g, t, m, w, rw);
            println!("  {name}, {} ({n} messages): {}", group_name(*g), line(f));
        }
        println!(
            "  {name}, mean of {} groups: {}",
            groups.len(),
            line(mean(&lowo, t, m, w, rw))
        );
    }
    println!("Learning curve (leave one writer out, mean; share of the other writers' messages trained on):");
    for share in [25u64, 50, 75, 100] {
        let curve = if share == 100 {
            None
        } else {
            Some(score(messages, rules, labels, GROUPS, fold, present, |m| {
                fold_of(&m.name, 100) < share as usize
            }))
        };
        let scored = curve.as_deref().unwrap_or(&lowo);
        let shown: Vec<String> = settings
            .iter()
            .filter(|s| s.3 > 0.0)
            .map(|&(name, t, m, w, rw)| format!("{name} {}", line(mean(scored, t, m, w, rw))))
            .collect();
        println!("  {share:>3} %: {}", shown.join("; "));
    }
    // The settings a new writer would want: the same sweep and cost as over the first two writers, on the
    // mean over left-out writers (shown, not shipped: the shipped settings stay chosen as the module says).
    for (t, m, w) in sweep_group_mean(&lowo).into_iter().take(3) {
        println!(
            "  sweep on the mean: threshold {t:.1} margin {m:.1} weight {w}: {}",
            line(mean(&lowo, t, m, w, 1.0))
        );
    }
    lowo
}

/// `ROUTING_CV_LOWO_MISSES=1`: each writer scored by opinions trained on all the others, at the shipped
/// settings; per writer, the mean over writers, the mean over writers 6 to 8, 9 to 11, 12 to 14, 15 to 17, 18 to 20 and 21 to 23, and every miss.
fn lowo_misses(messages: &[Message], rules: &RuleSet, labels: &[String]) {
    let r = rules.routing();
    let (t, m, w) = (r.threshold, r.margin, r.learned.weight);
    let present: Vec<u8> = (0..GROUPS as u8)
        .filter(|g| messages.iter().any(|x| x.writer == *g))
        .collect();
    let lowo = score(
        messages,
        rules,
        labels,
        GROUPS,
        |x| usize::from(x.writer),
        |f| present.iter().any(|g| usize::from(*g) == f),
        |_| true,
    );
    if let Some(path) = std::env::var_os("ROUTING_CV_DUMP") {
        let lines: Vec<String> = lowo
            .iter()
            .map(|s| {
                serde_json::json!({
                    "writer": s.writer, "name": s.name, "expected": s.expected,
                    "evidence": s.evidence, "learned": s.learned, "confidence": s.confidence,
                })
                .to_string()
            })
            .collect();
        std::fs::write(path, lines.join("\n")).expect("dump written");
    }
    let differ = lowo
        .iter()
        .filter(|s| decide(s, t, m, w, 1.0) != s.filed)
        .count();
    println!(
        "  the engine's own tally and these sums differ on {differ} of {} messages",
        lowo.len()
    );
    for s in &lowo {
        let got = decide(s, t, m, w, 1.0);
        if got != s.expected {
            println!(
                "  miss w{} {}: {} -> {} (rules {:?}, opinion {:.2} x {:.2?})",
                s.writer, s.name, labels[s.expected], labels[got], s.rules, s.confidence, s.learned
            );
        }
    }
    for g in &present {
        let n = lowo.iter().filter(|s| s.writer == *g).count();
        let f = figures(&lowo, |s| s.writer == *g, t, m, w, 1.0);
        let right = (f.0 * n as f64).round();
        println!(
            "  shipped, LOWO, {} ({n} messages): {:.3} ({right} right) / {:.1} % / {:.1} % / {:.1} %",
            group_name(*g),
            f.0,
            f.1 * 100.0,
            f.2 * 100.0,
            f.3 * 100.0
        );
    }
    let f = group_mean(&lowo, t, m, w, 1.0);
    println!(
        "  shipped, LOWO, mean of {} groups: {:.4} / {:.2} % / {:.2} % / {:.2} %",
        present.len(),
        f.0,
        f.1 * 100.0,
        f.2 * 100.0,
        f.3 * 100.0
    );
    // The later writers, by round: each round's mean says what the newest strangers see (a round not merged
    // yet prints nothing).
    for (first, last) in [
        (6u8, 8u8),
        (9, 11),
        (12, 14),
        (15, 17),
        (18, 20),
        (21, 23),
        (24, 26),
        (27, 29),
        (30, 32),
        (33, 35),
        (36, 38),
        (39, 41),
        (42, 44),
    ] {
        let round: Vec<Scored> = lowo
            .iter()
            .filter(|s| (first..=last).contains(&s.writer))
            .cloned()
            .collect();
        if round.is_empty() {
            continue;
        }
        let f = group_mean(&round, t, m, w, 1.0);
        println!(
            "  shipped, LOWO, mean of writers {first}-{last}: {:.4} / {:.2} % / {:.2} % / {:.2} %",
            f.0,
            f.1 * 100.0,
            f.2 * 100.0,
            f.3 * 100.0
        );
    }
}

/// Accuracy / wrong folder / Legal elsewhere / `Por clasificar`, as every line of this report prints them.
fn figures_line(f: (f64, f64, f64, f64)) -> String {
    format!(
        "{:.3} / {:.1} % / {:.1} % / {:.1} %",
        f.0,
        f.1 * 100.0,
        f.2 * 100.0,
        f.3 * 100.0
    )
}

/// The settings (threshold, margin, weight) best for a new writer, best first: the office's cost (a wrong folder,
/// twice a Legal one elsewhere, against accuracy) on the mean over the left-out groups.
fn sweep_group_mean(scored: &[Scored]) -> Vec<(f64, f64, f64)> {
    let mut best: Vec<(f64, f64, f64, f64)> = Vec::new();
    for t in (4..=45).map(|x| f64::from(x) * 0.1) {
        for m in (0..=20).map(|x| f64::from(x) * 0.1) {
            for w in (2..=28).map(|x| f64::from(x) * 0.25) {
                let f = group_mean(scored, t, m, w, 1.0);
                best.push(((1.0 - f.0) + f.1 + 2.0 * f.2, t, m, w));
            }
        }
    }
    best.sort_by(|a, b| a.0.total_cmp(&b.0));
    best.into_iter().map(|(_, t, m, w)| (t, m, w)).collect()
}

/// The mean over the groups present of the figures of each group (each group counting once).
fn group_mean(scored: &[Scored], t: f64, m: f64, w: f64, rw: f64) -> (f64, f64, f64, f64) {
    let groups: Vec<u8> = (0..GROUPS as u8)
        .filter(|g| scored.iter().any(|s| s.writer == *g))
        .collect();
    let mut sum = (0.0, 0.0, 0.0, 0.0);
    for g in &groups {
        let f = figures(scored, |s| s.writer == *g, t, m, w, rw);
        sum = (sum.0 + f.0, sum.1 + f.1, sum.2 + f.2, sum.3 + f.3);
    }
    let n = groups.len().max(1) as f64;
    (sum.0 / n, sum.1 / n, sum.2 / n, sum.3 / n)
}

/// `ROUTING_CV_LOGISTIC=1`: the opinion alone, left out by writer, as a multinomial logistic regression on
/// the same features would give it (trained here by stochastic gradient descent, the messages' feature vectors
/// scaled to unit length), beside the naive Bayes figure «opinion alone» above: whether changing the model
/// class would pay for its cost (a store and a seed that keep examples, not counts).
fn logistic_lowo(messages: &[Message], lowo: &[Scored], settings: &[(&str, f64, f64, f64, f64)]) {
    const EPOCHS: usize = 20;
    let groups: Vec<u8> = (0..GROUPS as u8)
        .filter(|g| messages.iter().any(|m| m.writer == *g))
        .collect();
    let unit = |f: &[(u64, f32)]| -> Vec<(u64, f64)> {
        let norm = f
            .iter()
            .map(|(_, w)| f64::from(*w).powi(2))
            .sum::<f64>()
            .sqrt()
            .max(1e-9);
        f.iter().map(|(h, w)| (*h, f64::from(*w) / norm)).collect()
    };
    for l2 in [1e-3, 1e-2, 3e-2] {
        let mut accuracies = Vec::new();
        // Per message (by name), the regression's probability of each target, to put in the place of the naive
        // Bayes one beside the same rules' points.
        let mut probabilities: HashMap<String, [f64; 3]> = HashMap::new();
        for g in &groups {
            let train: Vec<&Message> = messages.iter().filter(|m| m.writer != *g).collect();
            let mut weights: HashMap<u64, [f64; 4]> = HashMap::new();
            let mut bias = [0.0f64; 4];
            let mut order: Vec<usize> = (0..train.len()).collect();
            for epoch in 0..EPOCHS {
                order.sort_by_key(|i| fold_of(&format!("{epoch}{}", train[*i].name), 1 << 30));
                let rate = 0.5 / (1.0 + epoch as f64);
                for &i in &order {
                    let m = train[i];
                    let x = unit(&m.features);
                    let mut z = bias;
                    for (h, v) in &x {
                        if let Some(w) = weights.get(h) {
                            for c in 0..4 {
                                z[c] += w[c] * v;
                            }
                        }
                    }
                    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let e: Vec<f64> = z.iter().map(|v| (v - max).exp()).collect();
                    let sum: f64 = e.iter().sum();
                    for c in 0..4 {
                        let grad = e[c] / sum - f64::from(u8::from(c == m.expected));
                        bias[c] -= rate * grad;
                        for (h, v) in &x {
                            let w = weights.entry(*h).or_insert([0.0; 4]);
                            w[c] -= rate * (grad * v + l2 * w[c]);
                        }
                    }
                }
            }
            let test: Vec<&Message> = messages.iter().filter(|m| m.writer == *g).collect();
            for m in &test {
                let mut z = bias;
                for (h, v) in unit(&m.features) {
                    if let Some(w) = weights.get(&h) {
                        for c in 0..4 {
                            z[c] += w[c] * v;
                        }
                    }
                }
                let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let e: Vec<f64> = z.iter().map(|v| (v - max).exp()).collect();
                let sum: f64 = e.iter().sum();
                probabilities.insert(m.name.clone(), [e[0] / sum, e[1] / sum, e[2] / sum]);
            }
            let right = test
                .iter()
                .filter(|m| {
                    let mut z = [0.0f64; 3];
                    for (h, v) in unit(&m.features) {
                        if let Some(w) = weights.get(&h) {
                            for c in 0..3 {
                                z[c] += w[c] * v;
                            }
                        }
                    }
                    let best = (0..3).max_by(|a, b| z[*a].total_cmp(&z[*b])).unwrap_or(3);
                    best == m.expected
                })
                .count();
            let a = right as f64 / test.len().max(1) as f64;
            println!(
                "  logistic (l2 {l2}), opinion alone, {}: {a:.3}",
                group_name(*g)
            );
            accuracies.push(a);
        }
        println!(
            "  logistic (l2 {l2}), opinion alone, mean of {} groups: {:.3}",
            accuracies.len(),
            accuracies.iter().sum::<f64>() / accuracies.len().max(1) as f64
        );
        let swapped: Vec<Scored> = lowo
            .iter()
            .map(|s| Scored {
                name: s.name.clone(),
                learned: probabilities.get(&s.name).copied().unwrap_or(s.learned),
                evidence: s.evidence.clone(),
                ..*s
            })
            .collect();
        for &(name, t, m, w, rw) in settings.iter().filter(|s| s.3 > 0.0) {
            println!(
                "  logistic (l2 {l2}), {name}, mean: {}",
                figures_line(group_mean(&swapped, t, m, w, rw))
            );
        }
        if let Some((t, m, w)) = sweep_group_mean(&swapped).into_iter().next() {
            println!(
                "  logistic (l2 {l2}), sweep on the mean: threshold {t:.1} margin {m:.1} weight {w}: {}",
                figures_line(group_mean(&swapped, t, m, w, 1.0))
            );
        }
    }
}

/// The kind of attention's figures: per fold with the opinion off and at the shipped weight, then the
/// whole of tune, then the sweep of `kind_weight` (and of the threshold, to see what it would give).
fn kind_cv(scored: &[Scored], k: usize, threshold: f64, margin: f64, weight: f64) {
    println!("\nKind of attention (tune, labelled kinds), kind_threshold {threshold} kind_margin {margin}:");
    for fold in 0..k {
        let off = kind_counts(scored, |s| s.fold == fold, threshold, margin, 0.0);
        let on = kind_counts(scored, |s| s.fold == fold, threshold, margin, weight);
        println!("  fold {fold}, opinion off: {}", kind_line(&off));
        println!("  fold {fold}, kind_weight {weight}: {}", kind_line(&on));
    }
    let off = kind_counts(scored, |s| s.tune, threshold, margin, 0.0);
    let on = kind_counts(scored, |s| s.tune, threshold, margin, weight);
    println!(
        "  all folds, opinion off (cost {:.4}): {}",
        kind_cost(&off),
        kind_line(&off)
    );
    println!(
        "  all folds, kind_weight {weight} (cost {:.4}): {}",
        kind_cost(&on),
        kind_line(&on)
    );
    // The kind opinion alone (the rules' points left out, no threshold): what the model learned, truly
    // cross-validated, where the kind rules were written on all of tune.
    let alone: Vec<Scored> = scored
        .iter()
        .filter(|s| s.tune)
        .map(|s| Scored {
            name: s.name.clone(),
            kind_rules: [0.0; 4],
            evidence: s.evidence.clone(),
            ..*s
        })
        .collect();
    let c = kind_counts(&alone, |_| true, 0.0, 0.0, 1.0);
    println!("  all folds, opinion alone: {}", kind_line(&c));
    let mut sweep: Vec<(f64, f64, f64)> = Vec::new();
    for t in (10..=30).map(|x| f64::from(x) * 0.1) {
        for w in (0..=16).map(|x| f64::from(x) * 0.25) {
            let c = kind_counts(scored, |s| s.tune && s.writer < 3, t, margin, w);
            sweep.push((kind_cost(&c), t, w));
        }
    }
    sweep.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (cost, t, w) in sweep.iter().take(5) {
        let c = kind_counts(scored, |s| s.tune && s.writer < 3, *t, margin, *w);
        println!(
            "  sweep: kind_threshold {t:.1} kind_weight {w} (cost {cost:.4}): {}",
            kind_line(&c)
        );
    }
    for w in (0..=16).map(|x| f64::from(x) * 0.25) {
        let c = kind_counts(scored, |s| s.tune, threshold, margin, w);
        println!(
            "  at the shipped threshold, kind_weight {w} (cost {:.4}): {}",
            kind_cost(&c),
            kind_line(&c)
        );
    }
}
