//! `triaje rules learn`: retrain the learned opinion from the office's confirmed filings (or, for developers,
//! write the shipped seed from labelled directories).

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;

use super::rules_cmd::{existing_store, setting};
use super::CliError;
use crate::config::Config;
use crate::daemon::{harvest_examples, retrain, Installation};
use crate::imap;
use crate::rules::learned::{
    kind_seed_from_corpora, kind_seed_path, packed_seed, packed_seed_path, seed_file_text,
    seed_from_corpora, Counts,
};
use crate::rules::RuleSet;

/// Reads every mailbox's confirmed filings back from the server, retrains, stores the model, and says what it
/// learned.
pub async fn learn(config_path: &Path, dir: Option<PathBuf>) -> Result<(), CliError> {
    let s = setting(config_path, dir)?;
    if s.config.is_none() {
        return Err(CliError::Usage(
            "«rules learn» necesita la configuración (--config): lee el registro y los buzones"
                .into(),
        ));
    }
    // With the passwords this time: it logs in to the mailboxes.
    let mut config = Config::load(config_path)?;
    if existing_store(&config).await.is_none() {
        return Err(CliError::Usage(format!(
            "no se pudo abrir el registro {}: ¿ya corrió triaje con esta configuración?",
            super::redact_url(&config.database_url)
        )));
    }
    config.rules_dir = s.dir.clone();
    let installation = Installation::open(config).await?;
    let (config, store, rules) = (
        installation.config(),
        installation.store(),
        &installation.triage.rules,
    );
    if !rules.current().routing().learned.enabled {
        println!("La opinión aprendida está apagada ([routing.learned] enabled = false): no hay nada que entrenar.");
        return Ok(());
    }
    let timeout = Duration::from_secs(config.triage.io_timeout_seconds);
    let mut harvested = 0;
    for mailbox in &config.mailboxes {
        let result = async {
            let mut session = imap::connect(&mailbox.imap, timeout).await?;
            let mut n = 0;
            // Catch up in batches until nothing new is confirmed.
            loop {
                let got = harvest_examples(&mut session, config, store, rules, mailbox).await?;
                n += got;
                if got == 0 {
                    break;
                }
            }
            session.logout().await;
            Ok::<_, crate::daemon::DaemonError>(n)
        }
        .await;
        match result {
            Ok(n) => {
                println!(
                    "buzón {}: {n} clasificaciones confirmadas nuevas leídas del servidor",
                    mailbox.name
                );
                harvested += n;
            }
            Err(e) => println!(
                "buzón {}: no se pudo leer ({e}); se entrena con lo que ya había",
                mailbox.name
            ),
        }
    }
    let trained = retrain(
        store,
        &format!("triaje rules learn ({})", super::run::instance_name()),
        Utc::now(),
    )
    .await?;
    println!(
        "\nModelo {} guardado en el registro: {} clasificaciones confirmadas ({} correcciones a mano, {harvested} nuevas) además de la semilla.",
        trained.id, trained.examples, trained.corrections
    );
    print_classes(&trained.counts);
    println!("Clases de atención:");
    print_classes(&trained.kind_counts);
    println!(
        "Los triaje en ejecución lo usan en menos de un minuto; «triaje rules test» ya lo usa."
    );
    Ok(())
}

fn print_classes(counts: &Counts) {
    println!(
        "Mensajes por carpeta (una corrección cuenta por {}):",
        crate::rules::learned::CORRECTION_TIMES
    );
    for (class, n) in counts.classes.iter().zip(&counts.docs) {
        println!("  {class:<16} {}", n.round());
    }
}

/// Trains the seed from labelled directories and writes its counts to `out`.
pub fn write_seed(
    config_path: &Path,
    dir: Option<PathBuf>,
    corpora: &[PathBuf],
    out: &Path,
) -> Result<(), CliError> {
    let s = setting(config_path, dir)?;
    let rules = RuleSet::load_dir(&s.dir, &s.folders.targets)?;
    let mut labels = s.folders.targets.clone();
    labels.push(s.folders.unclassified.clone());
    let counts = seed_from_corpora(corpora, &labels, rules.routing())
        .map_err(|e| CliError::Usage(e.to_string()))?;
    write_seed_files(out, &counts, corpora)?;
    println!(
        "Semilla escrita en {}: {} mensajes.",
        out.display(),
        counts.messages()
    );
    print_classes(&counts);
    // The kind's seed, from the same corpora's `kind` labels, beside it.
    let kinds = kind_seed_from_corpora(corpora, &labels, rules.routing())
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let kinds_out = kind_seed_path(out);
    write_seed_files(&kinds_out, &kinds, corpora)?;
    println!(
        "Semilla de las clases de atención escrita en {}: {} mensajes.",
        kinds_out.display(),
        kinds.messages()
    );
    print_classes(&kinds);
    Ok(())
}

/// Writes a seed's counts to `out` and the model they train to, packed, beside it ([`packed_seed_path`]): what
/// `triaje rules test` loads without reading the counts or training.
fn write_seed_files(out: &Path, counts: &Counts, corpora: &[PathBuf]) -> Result<(), CliError> {
    let text = seed_file_text(counts, corpora);
    let packed = packed_seed(&text);
    let packed_out = packed_seed_path(out);
    for (path, bytes) in [(out, text.as_bytes()), (packed_out.as_path(), &packed[..])] {
        std::fs::write(path, bytes).map_err(|source| CliError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    }
    Ok(())
}
