//! The routing on the development corpus (`tests/routing/`): the tuning part with every miss, the held-out part
//! with aggregate figures only, each with the learned opinion on and off.
//!
//! The held-out part is never read while writing rules or weights (`tests/routing/README.md`): this test prints
//! only its confusion matrix and rates, never a message. Its assertions are the figures reached when the rules
//! were last tuned, less a margin, so a change that makes the routing worse fails here; the goals
//! (accuracy ≥ 0.95, wrong folder ≤ 2 %, Legal elsewhere ≤ 1 %, unclassified ≤ 5 %) are printed beside them.

use std::path::Path;

use triaje::rules::corpus::load_labelled;
use triaje::rules::evaluation::{evaluate_one, Evaluation, Figures};
use triaje::rules::RuleSet;

const UNCLASSIFIED: &str = "Por clasificar";

fn evaluate(corpus: &Path, learned: bool) -> Option<Evaluation> {
    if !corpus.join("labels.toml").exists() {
        println!("omitido: {} no está en este árbol", corpus.display());
        return None;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let targets: Vec<String> = ["SEACE", "RNP", "Legal"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut rules =
        RuleSet::load_dir(&root.join("rules"), &targets).unwrap_or_else(|e| panic!("{e}"));
    if !learned {
        rules = rules.with_learned(None);
    }
    let mut labels = targets.clone();
    labels.push(UNCLASSIFIED.into());
    let messages = load_labelled(corpus, &labels).unwrap_or_else(|e| panic!("{e}"));
    let cases = messages
        .iter()
        .map(|m| evaluate_one(&rules, &m.file, &m.folder, &m.raw, UNCLASSIFIED))
        .collect();
    Some(Evaluation {
        targets,
        unclassified: UNCLASSIFIED.into(),
        legal: vec!["Legal".into()],
        cases,
    })
}

/// The least the routing must keep: (accuracy, wrong folder, Legal elsewhere, left unclassified) as shares.
struct Floor {
    accuracy: f64,
    wrong: f64,
    legal_elsewhere: f64,
    unclassified: f64,
}

fn check(name: &str, f: &Figures, floor: &Floor) {
    let goals = "objetivos del issue 16: aciertos ≥ 0.95, carpeta equivocada ≤ 2 %, Legal fuera ≤ 1 %, sin clasificar ≤ 5 %";
    println!("{name}: {goals}");
    assert!(
        f.accuracy() >= floor.accuracy,
        "{name}: aciertos {:.3} < {}",
        f.accuracy(),
        floor.accuracy
    );
    assert!(
        f.share(f.wrong_folder) <= floor.wrong,
        "{name}: carpeta equivocada {:.3} > {}",
        f.share(f.wrong_folder),
        floor.wrong
    );
    assert!(
        f.share(f.legal_elsewhere) <= floor.legal_elsewhere,
        "{name}: Legal fuera {:.3} > {}",
        f.share(f.legal_elsewhere),
        floor.legal_elsewhere
    );
    assert!(
        f.share(f.left_unclassified) <= floor.unclassified,
        "{name}: sin clasificar {:.3} > {}",
        f.share(f.left_unclassified),
        floor.unclassified
    );
}

/// Evaluates `part` of the corpus with the learned opinion on and off, prints the figures (and the misses when
/// `show_misses`), and checks each against its floor.
fn measure(part: &str, show_misses: bool, on: (f64, f64, f64, f64), off: (f64, f64, f64, f64)) {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/routing")
        .join(part);
    for (learned, floor) in [(true, on), (false, off)] {
        let Some(e) = evaluate(&corpus, learned) else {
            return;
        };
        println!(
            "\n== {part}/, opinión aprendida {}",
            if learned { "encendida" } else { "apagada" }
        );
        print!("{}", e.summary());
        if show_misses {
            print!("{}", e.misses());
        }
        let floor = Floor {
            accuracy: floor.0,
            wrong: floor.1,
            legal_elsewhere: floor.2,
            unclassified: floor.3,
        };
        check(part, &e.figures(), &floor);
    }
}

#[test]
fn the_tuning_part_is_filed_as_tuned() {
    // The tuning part may be read: its misses are what the next rule edit looks at.
    measure("tune", true, TUNE_ON, TUNE_OFF);
}

#[test]
fn the_held_out_part_is_filed_well_enough() {
    // Aggregates only: the held-out messages are never shown.
    measure("heldout", false, HELDOUT_ON, HELDOUT_OFF);
}

// Floors: (accuracy ≥, wrong folder ≤, Legal elsewhere ≤, left unclassified ≤), the figures measured when the
// rules were last tuned with a margin of about one message's worth (see README, «Routing rules»).
// Measured (tune 455 messages, heldout 295; the learned opinion weighs the question above its context, counts
// log-scaled, alpha 0.3; threshold 3.1, margin 0.1, weight 3.75 chosen by 5-fold CV on tune + tests/corpus; with
// the per-area vocabulary of the seeds, `rules/60-vocabulario-de-las-areas.toml`, CV gives 0.912 / 6.4 % / 2.2 % /
// 2.4 % on the tune part; the seed is trained on tune, so «tune on» is optimistic): tune on 0.987 / 1.1 % / 0.2 % /
// 0.2 %; tune off 0.666 / 11.9 % / 1.5 % / 21.5 %; heldout on 0.905 / 6.8 % / 1.4 % / 2.7 % (run once after the
// vocabulary was written); heldout off 0.685 / 9.8 % / 1.0 % / 21.7 %.
// After a third writer's batches (tests/routing/data/10–12: tune 613, heldout 408, the seed trained again on the
// larger tune; no rule or weight changed for the areas), measured once: tune on 0.982 / 1.5 % / 0.3 % / 0.3 %;
// tune off 0.695 / 11.3 % / 1.8 % / 19.2 %; heldout on 0.900 / 7.4 % / 2.0 % / 2.7 %; heldout off 0.703 / 9.3 % /
// 1.2 % / 20.3 %. CV on the 613 tune messages: 0.910 / 6.9 % / 2.4 % / 2.1 %.
// After a fourth and a fifth writer's batches (data/13–16: tune 838, heldout 543, of which 135 new; the seed trained
// again; no rule or weight changed), measured once: tune on 0.984 / 1.3 % / 0.2 % / 0.2 %; tune off 0.699 / 10.3 % /
// 1.6 % / 19.8 %; heldout on 0.908 / 6.4 % / 1.7 % / 2.8 %; heldout off 0.715 / 9.2 % / 1.3 % / 19.3 %; the 135 new
// held-out messages alone, on: 0.941 / 4.4 % / 1.5 % / 1.5 %.
// Then threshold 3.3, margin 0.8, weight 4.25 (were 3.1, 0.1, 3.75), chosen by routing_cv's sweep over writers 1–2
// and checked on writers 3–5 held out as a whole (0.924 / 5.7 / 1.3 / 1.8 % → 0.924 / 4.4 / 1.0 / 3.1 %); measured
// once: tune on 0.986 / 1.0 % / 0.2 % / 0.5 %; heldout on 0.901 / 6.1 % / 1.7 % / 3.9 % (the 135 new: 0.919 / 5.2 % /
// 1.5 % / 3.0 %); the rules alone unchanged. CV on the 838 tune messages: 0.909 / 4.8 % / 1.8 % / 4.3 %.
// After three more writers (data/17–22, 540 messages: tune 1,178, heldout 743 of which 200 new; the seed trained
// again on the larger tune; no rule or weight changed), measured once: tune on 0.980 / 1.0 % / 0.3 % / 1.0 %; tune
// off 0.680 / 11.3 % / 1.7 % / 20.7 %; heldout on 0.907 / 5.7 % / 0.9 % / 3.6 %; heldout off 0.682 / 10.5 % / 1.2 %
// / 21.3 %. Before the seed was trained again, the 540 new messages (no rule, weight or seed had read them) filed
// 0.883 (tune part 0.874, held-out part 0.900); the 200 new held-out ones with the new seed: 0.910.
// Then bare signatures (name, role, office, a motto or notice under them) and clauses that set a topic aside («no
// quiero saber cómo se registra…») were cut from the text the routing reads, chosen by routing_cv's leave one writer
// out (mean 0.910 → 0.920, writers 6–8 0.877 → 0.906; the seed trained again), measured once: tune on 0.986 / 0.7 %
// / 0.1 % / 0.8 %; tune off 0.683 / 10.6 % / 1.4 % / 21.1 % (the rules alone lose the points a signature's role
// gave); heldout on 0.914 / 5.5 % / 1.2 % / 3.1 % (Legal elsewhere 9 of 743, two more than before while five more
// are filed right; the floor follows the measurement, it was not chosen by it); heldout off 0.684 / 10.0 % / 1.2 % /
// 21.7 %.
// After three more writers (data/23–28, 540 messages: tune 1,495, heldout 966 of which 223 new; the seed trained
// again on the larger tune; no rule or weight changed), measured once: tune on 0.973 / 1.7 % / 0.2 % / 1.0 % (the
// tune part now holds 317 messages no rule was written from); tune off 0.691 / 10.4 % / 1.4 % / 20.5 %; heldout on
// 0.919 / 5.0 % / 1.0 % / 3.1 %; heldout off 0.695 / 9.0 % / 1.0 % / 21.5 %. Before anything read them, the 540 new
// messages were filed 0.926 by the rules and seed of the time; the 223 new held-out ones with the new seed: 0.937.
// Then the classes of leave-one-writer-out misses fixed by general principles (a thanks-only reply's old subject
// counts for nothing; clauses that set the platform or the registry aside; SUNAT's and RENIEC's procedures; advert
// markers; plain-word questions of what the law allows; «¿cómo se busca?»; «mi trámite»), chosen by routing_cv's
// leave one writer out over twelve groups (mean 0.924 → 0.937; the seed trained again on the new reading), measured
// once: tune on
// 0.992 / 0.3 % / 0.1 % / 0.5 %; tune off 0.706 / 9.6 % / 1.2 % / 19.7 %; heldout on 0.928 / 4.1 % / 0.9 % / 3.1 %;
// heldout off 0.705 / 8.5 % / 1.0 % / 21.0 %.
// Then a long trades line and a notice about the mail under a signature's name cut from the text (the seed trained
// again) and a registry procedure holding back seace-acceso (LOWO mean 0.937 → 0.937, wrong folder 3.3 → 3.3 %,
// Por clasificar 3.0 → 3.0 %), measured once: tune on 0.993 / 0.3 % / 0.1 % / 0.3 %; tune off 0.708 / 9.2 % / 1.2 %
// / 20.0 %; heldout on 0.929 / 4.2 % / 1.0 % / 2.9 %; heldout off 0.706 / 8.5 % / 1.0 % / 20.9 %.
// After three more writers (data/29–34, 540 messages: tune 1,816, heldout 1,185 of which 219 new; the seed trained
// again; no rule or weight changed), measured once: tune on 0.994 / 0.3 % / 0.1 % / 0.3 %; tune off 0.699 / 9.0 % /
// 1.2 % / 21.0 %; heldout on 0.928 / 4.3 % / 1.0 % / 2.9 %; heldout off 0.698 / 8.8 % / 1.1 % / 21.4 %. Before
// anything read them, the 540 new messages were filed 0.922 (wrong folder 2.2 %, Legal elsewhere 0.0 %, Por
// clasificar 5.6 %) by the rules and seed of the time.
// Then the fourth round's rule fixes (the registry's own platform and confirmation mail; plain-word legal questions
// asked as questions, «may I contract»; other agencies' procedures taking points from RNP and SEACE; the public
// search), chosen by routing_cv's leave one writer out over fifteen groups (mean 0.937 → 0.955, wrong folder 2.7 →
// 1.8 %; no change of reading, the seed not trained again), measured once: tune on 0.995 / 0.2 % / 0.1 % / 0.3 %;
// tune off 0.708 / 8.7 % / 1.0 % / 20.5 %; heldout on 0.932 / 3.8 % / 0.9 % / 3.0 %; heldout off 0.700 / 8.6 % /
// 1.1 % / 21.4 %.
// Then advert markers taking points from all three folders (LOWO 0.9545 → 0.9556) and three more writers (data/35–40,
// 540 messages: tune 2,174, heldout 1,367 of which 182 new; the seed trained again; no rule changed), measured once:
// tune on 0.994 / 0.2 % / 0.0 % / 0.4 %; tune off 0.702 / 8.9 % / 1.0 % / 20.9 %; heldout on 0.928 / 3.9 % / 0.8 % /
// 3.4 %; heldout off 0.693 / 8.8 % / 1.0 % / 21.9 %. Before anything read them, the 540 new messages were filed
// 0.920 (wrong folder 3.7 %, Legal elsewhere 0.4 %, Por clasificar 4.3 %) by the rules and seed of the time.
// Then the fifth round's rule fixes (a question asking permission; each area's concept in plain English; «must I be
// registered»; a right whoever holds it), chosen by routing_cv's leave one writer out over eighteen groups (mean
// 0.954 → 0.957; no change of reading), measured once: tune on 0.994 / 0.2 % / 0.0 % / 0.3 %; tune off 0.714 /
// 9.0 % / 0.8 % / 19.6 %; heldout on 0.932 / 3.8 % / 0.7 % / 3.0 %; heldout off 0.699 / 9.2 % / 0.7 % / 20.8 %.
// Then a folder's rules stacking with diminishing returns (`[routing] stacking = 0.5`, threshold 3.1), chosen by
// scripts/strangers (each batch of writers by the rules from before it was read: 0.934 → 0.947; LOWO 0.9574 →
// 0.9567), measured once: tune on 0.998 / 0.2 % / 0.0 % / 0.0 %; tune off 0.712 / 8.0 % / 0.8 % / 16.4 %; heldout
// on 0.932 / 3.9 % / 0.9 % / 2.9 %; heldout off 0.694 / 8.7 % / 0.8 % / 21.9 %.
// Not shipped after all: the twenty-first to twenty-third writers (540, read by no one) were filed 0.857 before and
// 0.848 with it (Legal elsewhere 2.2 → 3.0 %); the plain sum and threshold 3.3 are back.
// Then six more writers (data/41–52, 1,080 messages: tune 2,837, heldout 1,784 of which 417 new; the seed trained
// again; no rule changed), measured once: tune on 0.988 / 0.5 % / 0.1 % / 0.6 %; tune off 0.701 / 10.1 % / 0.9 % /
// 19.8 %; heldout on 0.928 / 3.8 % / 0.8 % / 3.4 %; heldout off 0.702 / 9.7 % / 1.0 % / 20.1 %. Before anything read
// them, writers 18–20 were filed 0.919 (4.4 % / 0.7 % / 3.7 %) and writers 21–23 0.857 (8.0 % / 2.2 % / 6.3 %).
// Then three more writers (data/53–58, 540 messages: tune 3,161, heldout 2,000 of which 216 new; the seed trained
// again; the asking clause measured and left off; no rule changed), measured once: tune on 0.988 / 0.5 % / 0.1 % /
// 0.7 %; tune off 0.697 / 10.4 % / 1.0 % / 19.9 %; heldout on 0.929 / 3.9 % / 0.8 % / 3.2 %; heldout off 0.692 /
// 10.2 % / 0.9 % / 20.6 %. Before anything read them, they were filed 0.922 (3.7 % / 0.6 % / 4.1 %).
// Then three more writers (data/59–64, 540 messages: tune 3,481, heldout 2,220 of which 220 new; the seed trained
// again; no rule changed), measured once: tune on 0.987 / 0.5 % / 0.1 % / 0.8 %; tune off 0.692 / 10.2 % / 1.1 % /
// 20.6 %; heldout on 0.931 / 3.6 % / 0.9 % / 3.3 %; heldout off 0.690 / 10.0 % / 1.0 % / 21.0 %. Before anything read
// them, they were filed 0.909 (4.6 % / 2.4 % / 4.4 %).
// Relayed mail read as the asker's question (forwards por competencia, forms, no-position notices) and the seed
// trained again on that reading: tune on 0.987 / 0.5 % / 0.1 % / 0.8 % (28 left in «Por clasificar», one more); tune
// off 0.695 / 10.1 % / 1.1 % / 20.4 %; heldout on 0.929 / 3.6 % / 0.9 % / 3.4 % (three fewer right, measured once,
// after the change was chosen by scripts/strangers and leave one writer out); heldout off 0.690 / 9.9 % / 1.0 % / 21.1 %.
// Then three more writers (data/65–70, 540 messages: tune 3,800, heldout 2,441 of which 221 new; the seed trained
// again; no rule changed), measured once: tune on 0.986 / 0.6 % / 0.1 % / 0.9 %; tune off 0.691 / 10.2 % / 1.1 % /
// 20.7 %; heldout on 0.930 / 3.6 % / 0.9 % / 3.4 %; heldout off 0.682 / 10.3 % / 1.1 % / 21.5 %. Before anything read
// them, they were filed 0.894 (4.3 % / 1.3 % / 6.3 %).
// The learned opinion's vote in log-probabilities with «Por clasificar» an option of its own (`[routing.learned]
// log_weight` 1.25, `unclassified_points` 3 and 4 without a supporting rule, margin 0.75), chosen by routing_cv's
// leave one writer out over thirty groups (0.9402 → 0.9488) and scripts/strangers (0.9220 → 0.9371), measured once:
// tune on 0.993 / 0.1 % / 0.1 % / 0.5 %; tune off unchanged; heldout on 0.942 / 3.1 % / 0.7 % / 2.7 % (2,092 of
// 2,220, 13 more right, 3 fewer Legal elsewhere); heldout off unchanged (0.690 / 9.9 % / 1.0 % / 21.1 %).
// Then all of it at once — writers 30–32 merged, the log-scale vote, English and Portuguese vocabulary in the rules,
// foreign notices without a heading cut, the seed trained again — measured once: tune on 0.993 / 0.2 % / 0.1 % / 0.5 %;
// tune off 0.697 / 10.2 % / 1.0 % / 20.1 %; heldout on 0.944 / 2.8 % / 0.7 % / 2.8 % (2,304 of 2,441); heldout off
// 0.685 / 10.4 % / 1.1 % / 21.1 %.
// Then three more writers (data/71–76, 540 messages: tune 4,109, heldout 2,672 of which 231 new; the seed trained
// again; no rule changed), measured once: tune on 0.994 / 0.1 % / 0.1 % / 0.4 %; tune off 0.700 / 10.1 % / 1.1 % /
// 19.8 %; heldout on 0.946 / 3.0 % / 0.8 % / 2.4 % (2,527 of 2,672; Legal elsewhere 22 of 818); heldout off 0.686 /
// 10.3 % / 1.1 % / 21.1 %. Before anything read them, they were filed 0.957 (2.8 % / 1.1 % / 1.5 %).
// Then, the same session, three changes chosen by leave one writer out and scripts/strangers, never by this part:
// rules where the verb decides (rules/27-el-verbo-decide.toml), what the learned opinion reads (pairs two apart, a
// question's first stem with each later one, examples scaled to one length; the seed trained again) and the kind
// rules of incidents and complaints, measured once: tune on 1.000 / 0.0 % / 0.0 % / 0.0 % (4,108 of 4,109; the seed
// was trained on them); tune off 0.727 / 8.5 % / 0.9 % / 18.8 %; heldout on 0.953 / 2.5 % / 0.7 % / 2.2 % (2,546 of
// 2,672; Legal elsewhere 20 of 818); heldout off 0.710 / 9.5 % / 0.9 % / 19.5 %. The floors follow, a little under.
// Then three more writers (data/77–82, 540 messages: tune 4,455, heldout 2,866 of which 194 new; the seed trained
// again after the new reading), a chain of forwards read down to the message that asks, and a cheaper parse of `re:` patterns (decisions
// unchanged), measured once: tune on 1.000 / 0.0 % / 0.0 % / 0.0 % (4,454 of 4,455, in-sample); tune off 0.730 /
// 8.5 % / 1.0 % / 18.5 %; heldout on 0.956 / 2.3 % / 0.6 % / 2.1 % (2,739 of 2,866; Legal elsewhere 17 of 876);
// heldout off 0.711 / 9.8 % / 0.9 % / 19.1 %. Before anything read them, the 540 new messages were filed 0.959
// (1.9 % / 0.4 % / 2.2 %) by the rules and seed of the time.
// Then three more writers (data/83–88, 540 messages: tune 4,785, heldout 3,076 of which 210 new; the seed trained
// again) and the opinion's counts corrected by the errors of inner folds (chosen by leave one writer out), measured
// once: tune on 1.000 / 0.0 % / 0.0 % / 0.0 % (in-sample); tune off 0.726 / 8.8 % / 1.0 % / 18.6 %; heldout on
// 0.958 / 2.0 % / 0.6 % / 2.2 % (2,946 of 3,076; wrong folder 62, Legal elsewhere 17 of 941); heldout off 0.714 /
// 9.8 % / 0.9 % / 18.9 %. Before anything read them, the 540 new messages were filed 0.959 (1.3 % / 0.4 % / 2.8 %).
// Then three more writers (data/89–94, 540 messages: tune 5,115, heldout 3,286 of which 210 new; the seed trained
// again): heldout on 0.955 / 2.1 % (68) / 0.5 % / 2.4 %. Then signals that the mail is not for this office
// (rules/26-no-es-de-esta-oficina.toml, chosen by leave one writer out), measured once: tune on 1.000 / 0.0 % / 0.0 % /
// 0.0 % (in-sample); tune off 0.731 / 8.1 % / 1.0 % / 18.8 %; heldout on 0.954 / 2.0 % (65 of 3,286: 1.98 %) / 0.5 %
// (18 of 1,008 Legal) / 2.6 %; heldout off 0.720 / 9.1 % / 0.8 % / 18.8 %. Before anything read them, the 540 new
// messages were filed 0.970 (2.2 % / 0.2 % / 0.7 %). «Por clasificar»'s floor rises to 3 % (the signals leave more
// there, by design: a wrong folder costs the office more).
const TUNE_ON: (f64, f64, f64, f64) = (0.99, 0.003, 0.002, 0.007);
const TUNE_OFF: (f64, f64, f64, f64) = (0.71, 0.095, 0.012, 0.2);
const HELDOUT_ON: (f64, f64, f64, f64) = (0.95, 0.026, 0.008, 0.03);
const HELDOUT_OFF: (f64, f64, f64, f64) = (0.70, 0.1, 0.011, 0.21);
