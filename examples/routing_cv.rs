//! K-fold cross-validation of the routing on the public corpora (`tests/routing/tune` and `tests/corpus`),
//! the way the `[routing]` threshold, margin and learned weight were chosen (issue 16).
//!
//! The held-out part is never read here. Each message is filed by the shipped rules plus a learned opinion
//! trained on the other folds only, so the figure says what the opinion does on mail it has not seen. The
//! rules' points and the opinion's vote are kept per message, and the decision is taken again for every
//! setting of the sweep (the same sums `rules::Tally` does), which costs nothing.
//!
//! `cargo run --example routing_cv -- [K]` prints the figure for the shipped settings and the best settings
//! of the sweep; with `ROUTING_CV_MISSES=1` it also lists every miss of the shipped settings.

use std::path::Path;
use std::sync::Arc;

use triaje::rules::corpus::load_labelled;
use triaje::rules::learned::{view_features, Counts, LearnedModel};
use triaje::rules::RuleSet;

const UNCLASSIFIED: &str = "Por clasificar";
const TARGETS: [&str; 3] = ["SEACE", "RNP", "Legal"];

/// One message as the sweep needs it: where it belongs, the rules' points per target, the opinion's
/// probability per target and its confidence.
struct Scored {
    tune: bool,
    name: String,
    expected: usize,
    rules: [f64; 3],
    learned: [f64; 3],
    confidence: f64,
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

/// The folder index (3: unclassified) the sums give one message under these settings.
fn decide(s: &Scored, threshold: f64, margin: f64, weight: f64, rules_weight: f64) -> usize {
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

fn main() {
    let k: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let targets: Vec<String> = TARGETS.iter().map(|s| s.to_string()).collect();
    let mut labels = targets.clone();
    labels.push(UNCLASSIFIED.into());
    let rules = RuleSet::load_dir(&root.join("rules"), &targets).unwrap_or_else(|e| panic!("{e}"));
    let rsw = rules.routing().reply_subject_weight;
    // (tune?, file, folder index, parsed raw, features)
    let mut messages = Vec::new();
    for (dir, tune) in [("tests/routing/tune", true), ("tests/corpus", false)] {
        for m in load_labelled(&root.join(dir), &labels).unwrap_or_else(|e| panic!("{e}")) {
            let expected = labels.iter().position(|l| *l == m.folder).unwrap_or(3);
            let features = triaje::mail::parse(&m.raw)
                .map(|mail| view_features(&mail.view(), rsw))
                .unwrap_or_default();
            messages.push((tune, format!("{dir}/{}", m.file), expected, m.raw, features));
        }
    }
    let mut scored = Vec::with_capacity(messages.len());
    for fold in 0..k as usize {
        let mut counts = Counts::default();
        for c in &labels {
            counts.add(c, &[], 0.0);
        }
        for (_, name, expected, _, features) in &messages {
            if fold_of(name, k) != fold {
                counts.add(&labels[*expected], features, 1.0);
            }
        }
        let model = LearnedModel::train(&counts).map(Arc::new);
        let set = rules.clone().with_learned(model);
        for (tune, name, expected, raw, _) in &messages {
            if fold_of(name, k) != fold {
                continue;
            }
            let mut s = Scored {
                tune: *tune,
                name: name.clone(),
                expected: *expected,
                rules: [0.0; 3],
                learned: [0.0; 3],
                confidence: 0.0,
            };
            if let Ok(mail) = triaje::mail::parse(raw) {
                let c = set.classify(&mail.view());
                let t = c.tally();
                for r in &t.rules {
                    if let Some(i) = TARGETS.iter().position(|f| *f == r.folder) {
                        s.rules[i] += r.points;
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
            scored.push(s);
        }
    }
    let r = rules.routing();
    let show = |name: &str, t: f64, m: f64, w: f64, rw: f64| {
        let all = figures(&scored, |_| true, t, m, w, rw);
        let tune = figures(&scored, |s| s.tune, t, m, w, rw);
        println!(
            "{name}: threshold {t} margin {m} weight {w}: tune {:.3} / {:.1} % / {:.1} % / {:.1} %; tune+corpus {:.3} / {:.1} % / {:.1} % / {:.1} %",
            tune.0, tune.1 * 100.0, tune.2 * 100.0, tune.3 * 100.0,
            all.0, all.1 * 100.0, all.2 * 100.0, all.3 * 100.0,
        );
    };
    println!("{k}-fold CV over {} messages", scored.len());
    show(
        "opinion off",
        r.threshold_rules_only,
        r.margin_rules_only,
        0.0,
        1.0,
    );
    show("opinion alone", 0.0, 0.0, 1.0, 0.0);
    show("shipped", r.threshold, r.margin, r.learned.weight, 1.0);
    // `ROUTING_CV_MISSES=1`: every cross-validated miss of the shipped settings, to see what a rule edit fixes.
    if std::env::var_os("ROUTING_CV_MISSES").is_some() {
        for s in &scored {
            let got = decide(s, r.threshold, r.margin, r.learned.weight, 1.0);
            if got != s.expected {
                println!(
                    "  miss {}: {} -> {} (rules {:?}, opinion {:.2} x {:?})",
                    s.name, labels[s.expected], labels[got], s.rules, s.confidence, s.learned
                );
            }
        }
    }
    // The sweep: the office's cost puts a wrong folder (and a Legal one above all) before leaving a message
    // unclassified, so the objective charges them more than a miss to «Por clasificar».
    let mut best: Vec<(f64, f64, f64, f64)> = Vec::new();
    for t in (4..=45).map(|x| f64::from(x) * 0.1) {
        for m in (0..=20).map(|x| f64::from(x) * 0.1) {
            for w in (2..=28).map(|x| f64::from(x) * 0.25) {
                let f = figures(&scored, |s| s.tune, t, m, w, 1.0);
                let cost = (1.0 - f.0) + f.1 + 2.0 * f.2;
                best.push((cost, t, m, w));
            }
        }
    }
    best.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, t, m, w) in best.iter().take(3) {
        show("sweep", *t, *m, *w, 1.0);
    }
    // The same with a threshold the rules alone can reach, so the settings also serve with the opinion off.
    for (_, t, m, w) in best.iter().filter(|b| b.1 <= 1.55).take(3) {
        show("sweep, rules can decide alone", *t, *m, *w, 1.0);
        show("  the same, opinion off", *t, *m, 0.0, 1.0);
    }
}
