//! `triaje status`: what the store knows now — counts, due today, overdue.

use chrono::{Duration, TimeZone, Utc};

use super::CliError;
use crate::calendar::LIMA;
use crate::config::Config;
use crate::store::Store;

/// Prints counts by mailbox, folder and state, then what is due today and what is overdue.
pub async fn status(config: Config) -> Result<(), CliError> {
    let store = Store::connect(&config.database_url).await?;
    store.migrate().await?;
    let now = Utc::now();
    let today = now.with_timezone(&LIMA).date_naive();
    let today_end = LIMA
        .from_local_datetime(&today.and_hms_opt(23, 59, 59).unwrap_or_default())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now + Duration::hours(24));
    let report = store.status(now, today_end).await?;
    print!("{report}");
    // What the units hold, and which of them are late (002 §9.3.3).
    let held = store.held_by_units().await?;
    if !held.is_empty() {
        let mut by_unit: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
        for h in &held {
            let entry = by_unit.entry(h.derivation.unit.as_str()).or_default();
            entry.0 += 1;
            if h.derivation.is_late(now) {
                entry.1 += 1;
            }
        }
        let late: usize = by_unit.values().map(|(_, late)| late).sum();
        let list: Vec<String> = by_unit
            .iter()
            .map(|(unit, (n, late))| {
                let name = config.unit_display_name(unit);
                match late {
                    0 => format!("{name} {n}"),
                    _ => format!("{name} {n} ({late} con plazo vencido)"),
                }
            })
            .collect();
        println!(
            "En unidades: {} consultas, {late} con el plazo de la unidad vencido — {}",
            held.len(),
            list.join(", ")
        );
    }
    // Whether dragging a Legal draft to the approved folder counts, as each mailbox's server said.
    for (mailbox, guard) in store.approval_guards().await? {
        let folder = &config.folders.approved;
        match guard {
            crate::workflow::DragGuard::Guarded => println!(
                "Aprobación legal ({mailbox}): mover a «{folder}» cuenta como aprobación (el servidor solo deja \
                 al supervisor poner mensajes allí)."
            ),
            crate::workflow::DragGuard::Unguarded(why) => println!(
                "Aprobación legal ({mailbox}): mover a «{folder}» NO cuenta como aprobación ({why}); el supervisor \
                 aprueba respondiendo al aviso o con su enlace."
            ),
        }
    }
    if config.database_url.starts_with("sqlite:") {
        if let Some(warning) = crate::store::disk_space::low_disk_warning(&config.data_dir) {
            println!("{warning}");
        }
    }
    Ok(())
}
