//! Classification speed with 200 rules (goal: ≥ 100,000 messages per second on one core).
//!
//! Ignored by default because only a release build says anything: `cargo test --release --test rules_speed --
//! --ignored --nocapture`. These three messages, classified over and over, keep every cache warm; the bench
//! `cargo bench --bench rules` classifies 10,000 varied ones and is the figure for issue 7.

use std::path::Path;
use std::time::Instant;

use triaje::mail::MessageView;
use triaje::rules::{Classification, RuleSet};

#[test]
#[ignore = "measurement; run in release mode"]
fn two_hundred_rules_classify_fast() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut sources: Vec<(String, String)> = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .expect("rules dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    // Synthetic rules first, so every message is checked against all of them before a shipped rule matches.
    let mut synthetic = String::new();
    let shipped_count = 16;
    for i in 0..(200 - shipped_count) {
        synthetic.push_str(&format!(
            "[[rule]]\nname = \"sintetica-{i}\"\nfolder = \"SEACE\"\ncategory = \"c\"\navailability = \"Alta\"\n\
             text = [\"termino{i}a\", \"termino{i}b\", \"frase de prueba {i}\", \"prefijo{i}*\", \"re:codigo-{i}-\\\\d+\"]\n\
             [rule.unless]\ntext = [\"excepcion{i}\"]\n\n"
        ));
    }
    sources.push(("00-sinteticas.toml".into(), synthetic));
    for f in files {
        sources.push((
            f.display().to_string(),
            std::fs::read_to_string(&f).expect("read"),
        ));
    }
    let folders: Vec<String> = ["SEACE", "RNP", "Legal"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let started = Instant::now();
    let rules = RuleSet::from_sources(&sources, &folders).unwrap_or_else(|e| panic!("{e}"));
    println!("{} reglas cargadas en {:?}", rules.len(), started.elapsed());

    let body = "Buenos días, señores del OSCE:\n\nSomos una empresa constructora con sede en Arequipa. Quisiera \
                saber cómo renovar nuestra inscripción en el Registro Nacional de Proveedores como ejecutor de \
                obras, ya que la vigencia vence el próximo mes y tenemos un procedimiento de selección en curso. \
                También queremos saber si debemos actualizar los datos de los socios después de la transferencia \
                de acciones realizada en octubre, y qué documentos debemos presentar.\n\nAgradeceremos su pronta \
                respuesta.\n"
        .repeat(3);
    let messages = [
        MessageView {
            subject: "Renovación de inscripción RNP",
            text: &body,
            ..Default::default()
        },
        MessageView {
            subject: "Consulta",
            text: "¿Cómo se calcula la penalidad por mora en un contrato de obra?",
            ..Default::default()
        },
        MessageView {
            subject: "Gracias",
            text: "Muchas gracias por la respuesta.",
            ..Default::default()
        },
    ];
    for m in &messages {
        let started = Instant::now();
        for _ in 0..10_000 {
            std::hint::black_box(rules.classify(m));
        }
        println!(
            "«{}» ({} bytes): {:?} each",
            m.subject,
            m.text.len(),
            started.elapsed() / 10_000
        );
    }
    let n = 60_000;
    let started = Instant::now();
    let mut matched = 0;
    for i in 0..n {
        if let Classification::Matched { .. } = rules.classify(&messages[i % messages.len()]) {
            matched += 1;
        }
    }
    let per_second = n as f64 / started.elapsed().as_secs_f64();
    println!(
        "{n} clasificaciones ({matched} con regla) a {per_second:.0} por segundo con {} reglas",
        rules.len()
    );
    assert!(matched > 0);
}

#[test]
#[ignore = "measurement; run in release mode"]
fn normalisation_speed() {
    let body = "Buenos días, señores del OSCE: Somos una empresa constructora con sede en Arequipa. Quisiera saber cómo renovar nuestra inscripción en el Registro Nacional de Proveedores ".repeat(15);
    let n = 60_000;
    let started = Instant::now();
    let mut total = 0;
    for _ in 0..n {
        total += triaje::rules::normalize(&body).len();
    }
    println!(
        "normalize {} bytes: {:?} each ({total})",
        body.len(),
        started.elapsed() / n
    );
}
