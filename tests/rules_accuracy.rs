//! Accuracy of the shipped rules (`rules/*.toml`) on the labelled corpus in `tests/corpus/`.
//!
//! `tests/corpus/labels.toml` lists `[[message]] file = "0001.eml" folder = "SEACE"` (SEACE | RNP | Legal |
//! Por clasificar). The test prints a confusion matrix and every miss, and requires accuracy ≥ 0.85 and at most
//! two Legal consultations filed outside Legal (a legal answer that skips the supervisor's validation is the
//! costly mistake).

use std::collections::BTreeMap;
use std::path::Path;

use triaje::rules::{explain, RuleSet};

const UNCLASSIFIED: &str = "Por clasificar";
const FOLDERS: [&str; 4] = ["SEACE", "RNP", "Legal", UNCLASSIFIED];

#[derive(serde::Deserialize)]
struct Labels {
    message: Vec<Label>,
}

#[derive(serde::Deserialize)]
struct Label {
    file: String,
    folder: String,
}

#[test]
fn shipped_rules_file_the_labelled_corpus_correctly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("tests/corpus");
    let labels_path = corpus.join("labels.toml");
    let labels_text = std::fs::read_to_string(&labels_path).unwrap_or_else(|e| {
        panic!(
            "no se encontró el corpus etiquetado {} ({e}): este test necesita tests/corpus/labels.toml con \
             [[message]] file = \"0001.eml\" folder = \"SEACE\" y los .eml a su lado",
            labels_path.display()
        )
    });
    let labels: Labels = toml::from_str(&labels_text)
        .unwrap_or_else(|e| panic!("{} no es válido: {e}", labels_path.display()));
    assert!(
        !labels.message.is_empty(),
        "{} no tiene mensajes",
        labels_path.display()
    );

    let targets: Vec<String> = ["SEACE", "RNP", "Legal"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let rules = RuleSet::load_dir(&root.join("rules"), &targets).unwrap_or_else(|e| panic!("{e}"));

    // confusion[expected][got]
    let mut confusion: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut correct = 0usize;
    let mut legal_misfiled = 0usize;
    for label in &labels.message {
        let expected = FOLDERS
            .iter()
            .copied()
            .find(|f| *f == label.folder)
            .unwrap_or_else(|| panic!("{}: carpeta «{}» desconocida", label.file, label.folder));
        let raw = std::fs::read(corpus.join(&label.file))
            .unwrap_or_else(|e| panic!("no se pudo leer {}: {e}", label.file));
        let (got, why, subject) = match triaje::mail::parse(&raw) {
            Ok(mail) => {
                let c = rules.classify(&mail.view());
                let got = c.folder().unwrap_or(UNCLASSIFIED).to_string();
                (got, explain(&c), mail.subject.clone())
            }
            Err(e) => (
                UNCLASSIFIED.to_string(),
                format!("no se pudo leer: {e}\n"),
                String::new(),
            ),
        };
        let got = FOLDERS
            .iter()
            .copied()
            .find(|f| *f == got)
            .unwrap_or(UNCLASSIFIED);
        *confusion
            .entry(expected)
            .or_default()
            .entry(got)
            .or_default() += 1;
        if got == expected {
            correct += 1;
        } else {
            if expected == "Legal" {
                legal_misfiled += 1;
            }
            misses.push(format!(
                "{} «{subject}»: esperado {expected}, obtenido {got}\n{}",
                label.file,
                why.lines()
                    .map(|l| format!("    {l}\n"))
                    .collect::<String>()
            ));
        }
    }

    let total = labels.message.len();
    let accuracy = correct as f64 / total as f64;
    println!("\nMatriz de confusión (filas: esperado, columnas: obtenido)");
    print!("{:>16}", "");
    for f in FOLDERS {
        print!("{f:>16}");
    }
    println!();
    for e in FOLDERS {
        print!("{e:>16}");
        for g in FOLDERS {
            let n = confusion
                .get(e)
                .and_then(|row| row.get(g))
                .copied()
                .unwrap_or(0);
            print!("{n:>16}");
        }
        println!();
    }
    println!(
        "\nAciertos: {correct}/{total} = {accuracy:.3}; Legal fuera de Legal: {legal_misfiled}\n"
    );
    for m in &misses {
        println!("{m}");
    }
    assert!(
        accuracy >= 0.85,
        "precisión {accuracy:.3} < 0.85 ({correct}/{total})"
    );
    assert!(
        legal_misfiled <= 2,
        "{legal_misfiled} consultas legales archivadas fuera de Legal (máximo 2)"
    );
}
