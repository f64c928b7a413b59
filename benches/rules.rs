//! Rule-engine throughput: the 16 shipped rules plus 184 synthetic ones, 10,000 varied Spanish messages, one
//! thread (issue 7 goal: ≥ 100,000 classifications per second on one core).
//!
//! Run with `cargo bench --bench rules` (release profile). It prints the load time, the throughput of each pass
//! over the 10,000 messages and a fingerprint of every decision and its reasons, so a change to the matcher can
//! be checked to decide exactly as before: the fingerprint must not change. Every pass classifies with the
//! explanation's pieces (`RuleSet::classify`), as the daemon does for every message (it records the explanation
//! in the register) and `rules test` does: the median of those passes is the figure. Then as many passes
//! time the decision alone (`RuleSet::classify_unexplained`: the same decisions, totals and points, without
//! reasons nor the learned vote's words), printed apart as what a caller that needs no explanation would get;
//! they are checked to file every message in the same folder as the first pass.
//!
//! The messages are generated, not sampled, so the run is repeatable without shipping a corpus: a small linear
//! congruential generator picks lengths (200 B to 20 KB, log-uniform, as real mail is mostly short), filler
//! sentences, and phrases taken from the shipped rules' own plain patterns, written with accents and capitals
//! as citizens write them. Some messages are bare thanks, some carry the synthetic rules' words.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::time::Instant;

use triaje::mail::MessageView;
use triaje::rules::{explain, RuleSet};

/// Messages per pass.
const MESSAGES: usize = 10_000;
/// Passes over the messages; the first also warms the regex engine's caches.
const PASSES: usize = 5;

/// The passes of each kind: [`PASSES`], or `TRIAJE_BENCH_PASSES` when set (a run under `valgrind --tool=callgrind`
/// needs one of each to count a classification's instructions, and takes minutes a pass).
fn passes() -> usize {
    std::env::var("TRIAJE_BENCH_PASSES")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(PASSES)
}
/// Rules in the set, shipped ones included.
const RULES: usize = 200;

/// A deterministic pseudo-random source (Knuth's MMIX constants): the same messages on every run and machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` %.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Everyday words of a consultation that no shipped rule looks for on its own.
const FILLER: &[&str] = &[
    "buenos",
    "días",
    "señores",
    "quisiera",
    "saber",
    "cómo",
    "nuestra",
    "empresa",
    "tiene",
    "sede",
    "en",
    "Arequipa",
    "Lima",
    "Cusco",
    "la",
    "el",
    "los",
    "las",
    "de",
    "del",
    "que",
    "por",
    "para",
    "con",
    "una",
    "un",
    "mes",
    "próximo",
    "año",
    "octubre",
    "noviembre",
    "también",
    "queremos",
    "consultar",
    "sobre",
    "tema",
    "caso",
    "agradeceré",
    "respuesta",
    "pronta",
    "atención",
    "estimados",
    "cordialmente",
    "saludos",
    "señora",
    "ingeniero",
    "gerente",
    "general",
    "área",
    "administración",
    "documento",
    "oficio",
    "número",
    "fecha",
    "según",
    "indicado",
    "anteriormente",
    "nos",
    "comunicamos",
    "porque",
    "tenemos",
    "duda",
    "importante",
    "urgente",
    "mañana",
    "semana",
    "pasada",
    "hace",
    "dos",
    "tres",
    "meses",
    "información",
    "adjunto",
    "envío",
    "copia",
    "favor",
    "quedo",
    "atento",
    "comentarios",
    "gracias",
    "revisar",
    "asunto",
    "trámite",
    "oficina",
    "correo",
];

/// Bare thanks that the shipped rules' `unless` sends to «Por clasificar».
const THANKS: &[&str] = &[
    "Muchas gracias por la respuesta.",
    "Buenos días, muchas gracias por la información. Saludos cordiales.",
    "Ok, recibido. Gracias.",
    "Estimados señores: mil gracias por su pronta atención, quedo atento.",
];

/// The plain patterns (not `re:`) of the shipped rules: the vocabulary citizens use for each topic.
fn shipped_vocabulary(files: &[(String, String)]) -> Vec<String> {
    let mut words = Vec::new();
    for (_, text) in files {
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('#') || line.starts_with("name") || line.starts_with("description")
            {
                continue;
            }
            // Every quoted string on a pattern line; categories and folders are skipped by the keys above
            // only roughly, which is fine: they are Spanish words too.
            for (i, piece) in line.split('"').enumerate() {
                if i % 2 == 1
                    && !piece.starts_with("re:")
                    && !piece.contains('*')
                    && piece.len() > 2
                {
                    words.push(piece.to_string());
                }
            }
        }
    }
    words.sort();
    words.dedup();
    words
}

/// Writes `phrase` as a citizen might: some accents back on, sometimes capitals.
fn citizen_spelling(rng: &mut Lcg, phrase: &str) -> String {
    let mut out: String = phrase
        .split(' ')
        .map(|w| {
            let mut w = w.to_string();
            if rng.chance(40) {
                w = w
                    .replacen("cion", "ción", 1)
                    .replacen("contrasena", "contraseña", 1)
                    .replacen("tecnic", "técnic", 1)
                    .replacen("publica", "pública", 1);
            }
            w
        })
        .collect::<Vec<_>>()
        .join(" ");
    match rng.below(10) {
        0 => out = out.to_uppercase(),
        1 | 2 => {
            let mut c = out.chars();
            if let Some(first) = c.next() {
                out = first.to_uppercase().chain(c).collect();
            }
        }
        _ => {}
    }
    out
}

/// One generated message, owned.
struct Message {
    subject: String,
    text: String,
    from: String,
}

fn generate(rng: &mut Lcg, vocabulary: &[String]) -> Message {
    let from = format!("ciudadano{}@correo{}.pe", rng.below(5000), rng.below(7));
    // Log-uniform length between 200 B and 20 KB.
    let target = (200.0 * 100f64.powf(rng.below(10_000) as f64 / 10_000.0)) as usize;
    let kind = rng.below(100);
    if kind < 5 {
        return Message {
            subject: "RE: Consulta".into(),
            text: rng.pick(THANKS).to_string(),
            from,
        };
    }
    // How often a phrase of a rule is dropped in: 0 for the quarter of messages about nothing the rules know.
    let (topic_percent, synthetic) = match kind {
        5..=29 => (0, false),
        30..=39 => (3, true),
        _ => (4, false),
    };
    let topic = |rng: &mut Lcg| -> String {
        if synthetic && rng.chance(50) {
            let i = rng.below(RULES - 16);
            match rng.below(5) {
                0 => format!("termino{i}a"),
                1 => format!("frase de prueba {i}"),
                2 => format!("prefijo{i}xyz"),
                3 => format!("codigo-{i}-{}", rng.below(1000)),
                _ => format!("excepcion{i}"),
            }
        } else {
            let phrase = vocabulary[rng.below(vocabulary.len())].as_str();
            citizen_spelling(rng, phrase)
        }
    };
    let mut subject = String::new();
    for j in 0..3 + rng.below(6) {
        if j > 0 {
            subject.push(' ');
        }
        if topic_percent > 0 && rng.chance(20) {
            subject.push_str(&topic(rng));
        } else {
            subject.push_str(rng.pick(FILLER));
        }
    }
    let mut text = String::with_capacity(target + 64);
    let mut sentence_words = 0;
    while text.len() < target {
        if sentence_words == 0 {
            let first = rng.pick(FILLER);
            let mut c = first.chars();
            if let Some(f) = c.next() {
                text.extend(f.to_uppercase().chain(c));
            }
        } else {
            text.push(' ');
            if topic_percent > 0 && rng.chance(topic_percent) {
                text.push_str(&topic(rng));
            } else {
                text.push_str(rng.pick(FILLER));
            }
        }
        sentence_words += 1;
        if sentence_words > 6 && rng.chance(15) {
            text.push_str(match rng.below(6) {
                0 => "?",
                1 => ",",
                2 => ".\n\n",
                _ => ". ",
            });
            if !text.ends_with(',') {
                sentence_words = 0;
                text.truncate(text.trim_end_matches(' ').len());
                text.push(' ');
            }
        }
    }
    text.push('.');
    Message {
        subject,
        text,
        from,
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .expect("rules dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let shipped: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            // Named relative to the repository, as explanations quote the file: the fingerprint must not depend
            // on where the repository was checked out.
            (
                f.strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
                    .unwrap_or(f)
                    .display()
                    .to_string(),
                std::fs::read_to_string(f).expect("read rule file"),
            )
        })
        .collect();
    let shipped_count: usize = shipped
        .iter()
        .map(|(_, t)| t.lines().filter(|l| l.trim() == "[[rule]]").count())
        .sum();
    // Synthetic rules first, like the ignored test: every message is checked against all of them before a
    // shipped rule can match.
    let mut synthetic = String::new();
    for i in 0..RULES.saturating_sub(shipped_count) {
        synthetic.push_str(&format!(
            "[[rule]]\nname = \"sintetica-{i}\"\nfolder = \"SEACE\"\ncategory = \"c\"\navailability = \"Alta\"\n\
             text = [\"termino{i}a\", \"termino{i}b\", \"frase de prueba {i}\", \"prefijo{i}*\", \"re:codigo-{i}-\\\\d+\"]\n\
             [rule.unless]\ntext = [\"excepcion{i}\"]\n\n"
        ));
    }
    let mut sources = vec![("00-sinteticas.toml".to_string(), synthetic)];
    sources.extend(shipped.iter().cloned());
    let folders: Vec<String> = ["SEACE", "RNP", "Legal"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let started = Instant::now();
    let rules = RuleSet::from_sources(&sources, &folders).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "{} reglas cargadas en {:.1} ms",
        rules.len(),
        started.elapsed().as_secs_f64() * 1e3
    );

    let vocabulary = shipped_vocabulary(&shipped);
    let mut rng = Lcg(7);
    let messages: Vec<Message> = (0..MESSAGES)
        .map(|_| generate(&mut rng, &vocabulary))
        .collect();
    let bytes: usize = messages
        .iter()
        .map(|m| m.subject.len() + m.text.len())
        .sum();
    let views: Vec<MessageView<'_>> = messages
        .iter()
        .map(|m| MessageView {
            subject: &m.subject,
            text: &m.text,
            from: vec![m.from.as_str()],
            to: vec!["consultas@osce.gob.pe"],
            ..Default::default()
        })
        .collect();
    println!(
        "{MESSAGES} mensajes, {:.1} MB, {:.0} bytes de media",
        bytes as f64 / 1e6,
        bytes as f64 / MESSAGES as f64
    );

    let mut rates = Vec::new();
    for pass in 0..passes() {
        let started = Instant::now();
        let mut by_folder: BTreeMap<String, usize> = BTreeMap::new();
        let mut fingerprint = std::collections::hash_map::DefaultHasher::new();
        for v in &views {
            let c = rules.classify(v);
            *by_folder
                .entry(c.folder().unwrap_or("Por clasificar").to_string())
                .or_default() += 1;
            if pass == 0 {
                // Only the first pass pays for the fingerprint, so the others time classification alone.
                explain(&c).hash(&mut fingerprint);
            }
            std::hint::black_box(&c);
        }
        let elapsed = started.elapsed().as_secs_f64();
        let rate = MESSAGES as f64 / elapsed;
        rates.push(rate);
        if pass == 0 {
            println!("carpetas: {by_folder:?}");
            println!("huella de las decisiones: {:016x}", fingerprint.finish());
        }
        println!(
            "pasada {}: {rate:.0} clasificaciones por segundo ({:.1} µs cada una, {:.0} MB/s)",
            pass + 1,
            elapsed * 1e6 / MESSAGES as f64,
            bytes as f64 / elapsed / 1e6
        );
    }
    rates.sort_by(|a, b| a.total_cmp(b));
    println!(
        "mediana: {:.0} clasificaciones por segundo con {} reglas en un hilo",
        rates[rates.len() / 2],
        rules.len()
    );

    // The decision alone: what a caller that shows no explanation would pay. Not the daemon's figure.
    let folders: Vec<Option<String>> = views
        .iter()
        .map(|v| rules.classify(v).folder().map(str::to_string))
        .collect();
    let mut bare = Vec::new();
    for _ in 0..passes() {
        let started = Instant::now();
        for (v, folder) in views.iter().zip(&folders) {
            let c = rules.classify_unexplained(v);
            assert_eq!(
                c.folder(),
                folder.as_deref(),
                "the same decision without explanation"
            );
            std::hint::black_box(&c);
        }
        bare.push(MESSAGES as f64 / started.elapsed().as_secs_f64());
    }
    bare.sort_by(|a, b| a.total_cmp(b));
    println!(
        "mediana sin explicación (classify_unexplained, la decisión sola; el demonio la explica): {:.0} por segundo",
        bare[bare.len() / 2]
    );
}
