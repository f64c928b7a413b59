//! `triaje rules check` and `triaje rules test`: the administrator's tools for the routing rules.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

use super::{load_offline, CliError};
use crate::calendar::{deadline, effective_received_at, BusinessCalendar, DeadlinePolicy, LIMA};
use crate::config::{Config, Folders};
use crate::mail::acknowledgement::ACK_PLACEHOLDERS;
use crate::mail::template::Template;
use crate::rules::learned::{Counts, LearnedModel};
use crate::rules::{explain, Classification, RuleSet};
use crate::store::Store;
use crate::vocabulary::AttentionKind;
use std::sync::Arc;

/// Rules directory, folders and calendar the commands use: from the config if there is one, else defaults.
pub(super) struct Setting {
    /// The rules directory.
    pub dir: PathBuf,
    /// The folders.
    pub folders: Folders,
    /// The configuration, when there is a file.
    pub config: Option<Config>,
}

/// The register named by the configuration, when it already exists (the `rules` commands never create one).
pub(super) async fn existing_store(config: &Config) -> Option<Store> {
    let url = &config.database_url;
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        let path = path.split('?').next().unwrap_or(path);
        if !Path::new(path).exists() {
            return None;
        }
    }
    Store::connect(url).await.ok()
}

/// The rules with the learned opinion the daemon would use: the store's latest model when there is one (else
/// the shipped seed's), or none with `without_learned`; and a line saying which. `to_try` for a command that
/// classifies a message or two ([`RuleSet::load_dir_to_try`]).
pub(super) async fn rules_in_force(
    s: &Setting,
    without_learned: bool,
    to_try: bool,
) -> Result<(RuleSet, String), CliError> {
    let set = if to_try {
        // A few messages: automata quick to build (the same decisions).
        RuleSet::load_dir_to_try(&s.dir, &s.folders.targets)?
    } else {
        RuleSet::load_dir(&s.dir, &s.folders.targets)?
    };
    if without_learned {
        return Ok((
            set.with_learned(None).with_kind_learned(None),
            "Opinión aprendida: apagada (--sin-aprendizaje)".into(),
        ));
    }
    if !set.routing().learned.enabled {
        return Ok((
            set,
            "Opinión aprendida: apagada ([routing.learned] enabled = false)".into(),
        ));
    }
    let stored = match &s.config {
        Some(c) => match existing_store(c).await {
            Some(store) => store.latest_routing_model().await.ok().flatten(),
            None => None,
        },
        None => None,
    };
    if let Some(m) = stored {
        if let Some(model) = Counts::from_text(&m.counts)
            .ok()
            .and_then(|c| LearnedModel::train(&c))
        {
            let line = format!(
                "Opinión aprendida: modelo {} del registro, entrenado el {} con {} clasificaciones confirmadas ({} correcciones) además de la semilla",
                m.id,
                crate::spanish::day_date_time(&m.trained_at),
                m.examples,
                m.corrections
            );
            let mut set = set.with_learned(Some(Arc::new(model)));
            // The kind model stored with it (a model stored before the kind learned leaves the kind seed).
            if let Some(kind_model) = m
                .kind_counts
                .as_deref()
                .and_then(|t| Counts::from_text(t).ok())
                .and_then(|c| LearnedModel::train(&c))
            {
                set = set.with_kind_learned(Some(Arc::new(kind_model)));
            }
            return Ok((set, line));
        }
    }
    let line = match set.learned() {
        Some(m) => format!(
            "Opinión aprendida: la semilla incluida en triaje ({} mensajes; «triaje rules learn» la completa con lo que la oficina confirma)",
            m.messages().round()
        ),
        None => "Opinión aprendida: sin modelo".into(),
    };
    Ok((set, line))
}

pub(super) fn setting(config_path: &Path, dir: Option<PathBuf>) -> Result<Setting, CliError> {
    let config = load_offline(config_path)?;
    let dir = dir
        .or_else(|| config.as_ref().map(|c| c.rules_dir.clone()))
        .unwrap_or_else(|| PathBuf::from("rules"));
    let folders = config
        .as_ref()
        .map(|c| c.folders.clone())
        .unwrap_or_default();
    Ok(Setting {
        dir,
        folders,
        config,
    })
}

/// Checks every rule file and prints every error with file:line:column.
pub fn check(config_path: &Path, dir: Option<PathBuf>) -> Result<(), CliError> {
    let s = setting(config_path, dir)?;
    let set = RuleSet::load_dir(&s.dir, &s.folders.targets)?;
    println!(
        "Reglas correctas: {} reglas en {}. Carpetas de destino: {}.",
        set.len(),
        s.dir.display(),
        s.folders.targets.join(", ")
    );
    // The acknowledgement template is the administrator's too: check it with the rules.
    let template = s
        .config
        .as_ref()
        .and_then(|c| c.acknowledgement.template.clone())
        .unwrap_or_else(|| s.dir.join("templates").join("acuse.txt"));
    let mut templates = vec![template];
    for (kind, file) in [
        (AttentionKind::Incident, "acuse-incidencia.txt"),
        (AttentionKind::Complaint, "acuse-reclamo.txt"),
        (AttentionKind::Suggestion, "acuse-sugerencia.txt"),
    ] {
        templates.push(
            s.config
                .as_ref()
                .and_then(|c| c.kinds.get(kind).and_then(|k| k.template.clone()))
                .unwrap_or_else(|| s.dir.join("templates").join(file)),
        );
    }
    for template in templates {
        if template.exists() {
            Template::load(&template, ACK_PLACEHOLDERS)
                .map_err(|e| CliError::Usage(e.to_string()))?;
            println!("Plantilla de acuse correcta: {}.", template.display());
        } else {
            println!(
                "Plantilla de acuse: la incorporada en triaje ({} no existe).",
                template.display()
            );
        }
    }
    Ok(())
}

/// Parses an arrival time given on the command line: RFC 3339, or `YYYY-MM-DD HH:MM` in Lima time.
fn parse_received(s: &str) -> Result<DateTime<Utc>, CliError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(t.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(s.trim(), fmt) {
            if let Some(t) = LIMA.from_local_datetime(&naive).single() {
                return Ok(t.with_timezone(&Utc));
            }
        }
    }
    Err(CliError::Usage(format!(
        "--received «{s}» no es una fecha y hora; escriba «2026-11-20 16:45» (hora de Lima) o RFC 3339"
    )))
}

/// Classifies each file and explains the decision (the tally), with the dates it would get.
pub async fn test(
    config_path: &Path,
    dir: Option<PathBuf>,
    files: &[PathBuf],
    received: Option<&str>,
    mailbox: Option<&str>,
) -> Result<(), CliError> {
    let s = setting(config_path, dir)?;
    let (set, learned) = rules_in_force(&s, false, true).await?;
    println!("{learned}");
    let calendar = match s.config.as_ref().and_then(|c| c.calendar.clone()) {
        Some(path) => BusinessCalendar::load(&path)?,
        None => BusinessCalendar::peru_default(),
    };
    let mb = match (mailbox, &s.config) {
        (Some(name), Some(c)) => Some(c.mailbox(name).ok_or_else(|| {
            CliError::Usage(format!(
                "no hay un buzón llamado «{name}» en la configuración"
            ))
        })?),
        (Some(_), None) => {
            return Err(CliError::Usage(
                "--mailbox necesita un archivo de configuración (--config)".into(),
            ))
        }
        (None, Some(c)) => c.mailboxes.first(),
        (None, None) => None,
    };
    let reception = mb.map(|m| m.reception.clone()).unwrap_or_default();
    let policy = mb
        .map(|m| m.deadline.clone())
        .unwrap_or_else(DeadlinePolicy::default);
    let default_availability = s
        .config
        .as_ref()
        .map(|c| c.triage.default_availability)
        .unwrap_or(crate::vocabulary::Availability::Medium);
    let forced = received.map(parse_received).transpose()?;

    for (i, file) in files.iter().enumerate() {
        if i > 0 {
            println!();
        }
        let raw = std::fs::read(file).map_err(|source| CliError::Read {
            path: file.clone(),
            source,
        })?;
        println!("== {}", file.display());
        let parsed = match crate::mail::parse(&raw) {
            Ok(p) => p,
            Err(e) => {
                println!("No se puede leer el mensaje: {e}");
                println!("Carpeta: {} (con el motivo registrado)", s.folders.errors);
                continue;
            }
        };
        let classification = set.classify(&parsed.view());
        print!("{}", explain(&classification));
        let (folder, availability) = match &classification {
            Classification::Matched {
                folder,
                availability,
                ..
            } => (folder.clone(), *availability),
            Classification::Unmatched { .. } => {
                (s.folders.unclassified.clone(), default_availability)
            }
        };
        let (arrival, source) = match (forced, parsed.date) {
            (Some(t), _) => (t, "--received"),
            (None, Some(d)) => (d, "encabezado Date: del archivo"),
            (None, None) => (Utc::now(), "ahora (el archivo no tiene Date:)"),
        };
        let effective = effective_received_at(&calendar, &reception, arrival);
        // An incident, complaint or suggestion is filed in its kind's folder and counted by its kind's policy.
        let kind = classification.kind().kind;
        let kinds = s
            .config
            .as_ref()
            .map(|c| c.kinds.clone())
            .unwrap_or_default();
        let own = kinds.get(kind);
        let kind_policy = own.and_then(|k| k.deadline.clone());
        let due = deadline(
            &calendar,
            kind_policy.as_ref().unwrap_or(&policy),
            availability,
            effective,
        );
        if let Some(own) = own {
            println!(
                "Carpeta de archivo: {} (por ser {kind}; el área queda registrada)",
                own.folder
            );
        }
        if matches!(classification, Classification::Unmatched { .. }) {
            // `explain` already named folder and availability of a matching rule; these are the defaults.
            println!("Carpeta:        {folder}");
            println!("Disponibilidad: {availability} (la predeterminada de triage)");
        }
        println!(
            "Llegada:        {} (según {source})",
            crate::spanish::day_date_time(&arrival)
        );
        println!(
            "Cuenta desde:   {}",
            crate::spanish::day_date_time(&effective)
        );
        println!("Vence:          {}", crate::spanish::day_date_time(&due));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn received_on_the_command_line_is_lima_time() {
        let t = parse_received("2026-11-20 16:45").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-20T21:45:00+00:00");
        assert!(parse_received("ayer").is_err());
    }
}
