//! The learned opinion as the administrator meets it: the shipped seed, a vote that shows its words, a setting
//! that turns it off, and corrections that change what it thinks.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use triaje::mail::MessageView;
use triaje::rules::learned::{
    area_counts_with, kind_seed_from_corpora, message_features, packed_seed, seed_file_text,
    seed_from_corpora, seed_sources, Counts, LearnedModel, KIND_SEED_PACKED, KIND_SEED_TEXT,
    SEED_PACKED, SEED_TEXT,
};
use triaje::rules::{explain, normalize, RuleSet};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn targets() -> Vec<String> {
    ["SEACE", "RNP", "Legal"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn shipped() -> RuleSet {
    RuleSet::load_dir(&root().join("rules"), &targets()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_shipped_seed_is_what_its_corpora_give() {
    let sources = seed_sources();
    assert!(
        !sources.is_empty(),
        "the seed names its corpora in a «# fuentes:» line"
    );
    let dirs: Vec<PathBuf> = sources.iter().map(|s| root().join(s)).collect();
    if let Some(missing) = dirs.iter().find(|d| !d.join("labels.toml").exists()) {
        // A checkout without the development corpus (it comes from its own branch) cannot rebuild the seed.
        println!("omitido: {} no está en este árbol", missing.display());
        return;
    }
    let mut labels = targets();
    labels.push("Por clasificar".into());
    let counts =
        seed_from_corpora(&dirs, &labels, shipped().routing()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        seed_file_text(&counts, &sources) == SEED_TEXT,
        "src/rules/learned/seed.txt is stale: run\n  triaje rules learn {} --write-seed src/rules/learned/seed.txt",
        sources
            .iter()
            .map(|s| format!("--seed-from {}", s.display()))
            .collect::<Vec<_>>()
            .join(" ")
    );
    // The kind's seed comes from the same corpora's `kind` labels, written by the same command.
    let kinds = kind_seed_from_corpora(&dirs, &labels, shipped().routing())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        kinds.docs.iter().all(|d| *d > 0.0),
        "every kind has labelled messages: {:?}",
        kinds.docs
    );
    assert!(
        seed_file_text(&kinds, &sources) == KIND_SEED_TEXT,
        "src/rules/learned/seed-clases.txt is stale: run the same `triaje rules learn … --write-seed`"
    );
    // Beside each, the model it trains to, packed: what `rules test` and a daemon without a model of its own
    // load instead of training.
    assert!(
        packed_seed(SEED_TEXT) == SEED_PACKED && packed_seed(KIND_SEED_TEXT) == KIND_SEED_PACKED,
        "src/rules/learned/seed.bin or seed-clases.bin is stale: run the same `triaje rules learn … --write-seed`"
    );
}

#[test]
fn the_seed_votes_and_says_which_words_carried_its_vote() {
    let rules = shipped();
    assert!(
        rules.learned().is_some(),
        "the shipped rules vote with the seed"
    );
    let v = MessageView {
        subject: "Renovación",
        text: "Buenos días, quiero renovar mi inscripción en el Registro Nacional de Proveedores.",
        ..Default::default()
    };
    let c = rules.classify(&v);
    assert_eq!(c.folder(), Some("RNP"));
    let learned = c
        .tally()
        .learned
        .as_ref()
        .expect("the learned opinion voted");
    assert_eq!(learned.probabilities[0].0, "RNP");
    assert!(!learned.words.is_empty());
    let shown = explain(&c);
    assert!(shown.contains("opinión aprendida"), "{shown}");
    assert!(
        shown.contains("palabras que más pesaron para RNP"),
        "{shown}"
    );
}

#[test]
fn a_setting_turns_the_learned_opinion_off() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("rules")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) == Some("toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(
                dir.path().join(path.file_name().unwrap()),
                text.replace("enabled = true", "enabled = false"),
            )
            .unwrap();
        }
    }
    let rules = RuleSet::load_dir(dir.path(), &targets()).unwrap_or_else(|e| panic!("{e}"));
    assert!(rules.learned().is_none());
    let v = MessageView {
        subject: "Renovación",
        text: "Quiero renovar mi inscripción en el RNP.",
        ..Default::default()
    };
    let c = rules.classify(&v);
    assert!(c.tally().learned.is_none());
    assert!(!explain(&c).contains("opinión aprendida"));
    // A model handed to it later does not vote either.
    let model = shipped().learned().cloned();
    assert!(rules.with_learned(model).learned().is_none());
}

/// The features of a message as `view_features` reads it.
fn features(subject: &str, text: &str) -> Vec<(u64, f32)> {
    message_features(&normalize(subject), 1.0, &normalize(text))
}

#[test]
fn corrections_teach_a_topic_the_rules_do_not_know() {
    let rules = shipped();
    let new = MessageView {
        subject: "no adeudo",
        text: "Estimados, ¿dónde pido la constancia de no adeudo de la ventanilla única? Es para presentarme a \
               una convocatoria del hospital.",
        ..Default::default()
    };
    assert_ne!(
        rules.classify(&new).folder(),
        Some("RNP"),
        "the rules alone do not know it"
    );
    let corrected = [
        (
            "Ventanilla única",
            "Para la convocatoria de la municipalidad me piden la constancia de no adeudo de la ventanilla \
             única de proveedores. ¿Dónde la tramito?",
        ),
        (
            "constancia de no adeudo",
            "¿La constancia de no adeudo de la ventanilla única se saca en línea? La necesito para una \
             convocatoria.",
        ),
        (
            "Consulta convocatoria",
            "En la convocatoria piden la constancia de no adeudo de la ventanilla única. ¿Cuánto demora?",
        ),
    ];
    let f: Vec<Vec<(u64, f32)>> = corrected.iter().map(|(s, t)| features(s, t)).collect();
    let seed = Counts::from_text(SEED_TEXT).expect("seed reads");
    // As the daemon retrains: the seed plus the corrections, corrected by inner folds (each by its id).
    let counts = area_counts_with(
        &seed,
        f.iter()
            .zip(["1", "2", "3"])
            .map(|(x, id)| ("RNP", x.as_slice(), true, id)),
    );
    let model = LearnedModel::train(&counts).expect("a model");
    let after = rules.clone().with_learned(Some(Arc::new(model)));
    let c = after.classify(&new);
    assert_eq!(c.folder(), Some("RNP"), "{}", explain(&c));
    let words = &c.tally().learned.as_ref().expect("voted").words;
    assert!(
        words
            .iter()
            .any(|(w, _)| w.contains("adeudo") || w.contains("ventanilla")),
        "{words:?}"
    );
}
