//! `triaje rules evaluate`: how the rules (and the learned opinion) file messages whose folder is known.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{Months, Utc};

use super::rules_cmd::{existing_store, rules_in_force, setting};
use super::CliError;
use crate::daemon::fetch_confirmed;
use crate::imap;
use crate::rules::corpus::load_labelled;
use crate::rules::evaluation::{evaluate_labelled, evaluate_one, Evaluation};

/// Where the labelled messages come from.
pub enum Source {
    /// A directory with `labels.toml`.
    Directory(PathBuf),
    /// The register's confirmed filings of the last months, read back from the mail server.
    Register {
        /// How many months back.
        months: u32,
    },
}

/// Most confirmed filings read back per mailbox.
const REGISTER_LIMIT: i64 = 5_000;

/// Evaluates and prints the matrix, the figures and (unless `quiet`) every miss with its tally.
pub async fn evaluate(
    config_path: &Path,
    dir: Option<PathBuf>,
    source: Source,
    without_learned: bool,
    quiet: bool,
) -> Result<(), CliError> {
    let s = setting(config_path, dir)?;
    let (rules, learned) = rules_in_force(&s, without_learned, false).await?;
    let mut labels = s.folders.targets.clone();
    labels.push(s.folders.unclassified.clone());
    let legal = s
        .config
        .as_ref()
        .map(|c| c.replies.legal_folders.clone())
        .unwrap_or_else(|| vec!["Legal".into()]);
    let mut evaluation = Evaluation {
        targets: s.folders.targets.clone(),
        unclassified: s.folders.unclassified.clone(),
        legal,
        cases: Vec::new(),
    };
    let what = match source {
        Source::Directory(corpus) => {
            let messages =
                load_labelled(&corpus, &labels).map_err(|e| CliError::Usage(e.to_string()))?;
            for m in &messages {
                evaluation
                    .cases
                    .push(evaluate_labelled(&rules, m, &s.folders.unclassified));
            }
            format!(
                "{} mensajes etiquetados de {}",
                messages.len(),
                corpus.display()
            )
        }
        Source::Register { months } => {
            if s.config.is_none() {
                return Err(CliError::Usage(
                    "--from-register necesita la configuración (--config) para abrir el registro y los buzones".into(),
                ));
            }
            // With the passwords this time: it logs in to the mailboxes.
            let config = &crate::config::Config::load(config_path)?;
            let Some(store) = existing_store(config).await else {
                return Err(CliError::Usage(format!(
                    "no se pudo abrir el registro {}",
                    super::redact_url(&config.database_url)
                )));
            };
            let since = Utc::now()
                .checked_sub_months(Months::new(months))
                .ok_or_else(|| CliError::Usage(format!("--months {months}: demasiados meses")))?;
            let timeout = Duration::from_secs(config.triage.io_timeout_seconds);
            let mut missing = 0;
            for mailbox in &config.mailboxes {
                let filings = store
                    .confirmed_filings(Some(&mailbox.name), Some(since), false, REGISTER_LIMIT)
                    .await?;
                if filings.is_empty() {
                    continue;
                }
                let mut session = imap::connect(&mailbox.imap, timeout)
                    .await
                    .map_err(crate::daemon::DaemonError::from)?;
                let raws = fetch_confirmed(
                    &mut session,
                    &config.folders,
                    &filings,
                    config.triage.max_message_bytes,
                )
                .await
                .map_err(crate::daemon::DaemonError::from)?;
                session.logout().await;
                for (f, raw) in filings.iter().zip(raws) {
                    let Some(raw) = raw else {
                        missing += 1;
                        continue;
                    };
                    if !labels.contains(&f.folder) {
                        continue;
                    }
                    evaluation.cases.push(evaluate_one(
                        &rules,
                        &f.consultation.ticket,
                        &f.folder,
                        &raw,
                        &s.folders.unclassified,
                    ));
                }
            }
            let mut what = format!(
                "{} consultas con la carpeta confirmada por la oficina en los últimos {months} meses",
                evaluation.cases.len()
            );
            if missing > 0 {
                what.push_str(&format!(
                    " ({missing} ya no están en el servidor y no se cuentan)"
                ));
            }
            what
        }
    };
    println!(
        "Evaluación de las reglas de {} sobre {what}",
        s.dir.display()
    );
    println!("{learned}\n");
    print!("{}", evaluation.summary());
    let kind_folders = s
        .config
        .as_ref()
        .map(|c| c.kinds.folders())
        .unwrap_or_else(|| crate::config::Kinds::default().folders());
    let kinds = evaluation.kind_summary(&kind_folders);
    if let Some(kinds) = &kinds {
        println!();
        print!("{kinds}");
    }
    if !quiet {
        let misses = evaluation.misses();
        if !misses.is_empty() {
            println!("\nErrores, uno por uno, con su recuento:\n");
            print!("{misses}");
        }
        let misses = evaluation.kind_misses();
        if kinds.is_some() && !misses.is_empty() {
            println!("\nErrores de clase de atención, uno por uno:\n");
            print!("{misses}");
        }
    }
    Ok(())
}
