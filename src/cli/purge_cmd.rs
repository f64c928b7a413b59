//! `triaje purge --older-than N`: removes the personal data of consultations received more than N months ago
//! (Ley 29733), keeping what the register and the indicators count. Touches the store only, never the mailboxes.

use std::path::Path;

use chrono::{DateTime, Months, TimeZone, Utc};

use super::{load_offline, CliError};
use crate::calendar::LIMA;
use crate::spanish::day_date_time;
use crate::store::{PurgeSummary, Store};

/// Purges (or, with `dry_run`, counts) the personal data of consultations whose effective received date is more
/// than `months` months before today (Lima), and prints what it removed.
pub async fn purge(config_path: &Path, months: u32, dry_run: bool) -> Result<(), CliError> {
    if months == 0 {
        return Err(CliError::Usage(
            "--older-than 0 borraría los datos de todas las consultas, también las que siguen abiertas; \
             indique cuántos meses se conservan (por ejemplo --older-than 24)"
                .to_string(),
        ));
    }
    let config = load_offline(config_path)?.ok_or_else(|| {
        CliError::Usage(format!(
            "no existe el archivo de configuración {}; indique el suyo con --config",
            config_path.display()
        ))
    })?;
    let now = Utc::now();
    let before = cutoff(now, months)
        .ok_or_else(|| CliError::Usage(format!("--older-than {months}: demasiados meses")))?;
    let store = Store::connect(&config.database_url).await?;
    store.migrate().await?;
    let summary = if dry_run {
        store.purge_preview(before).await?
    } else {
        store.purge_personal_data(before, now).await?
    };
    store.close().await;
    print!("{}", describe(&summary, before, dry_run));
    Ok(())
}

/// The start (00:00 in Lima) of the day `months` months before `now`'s day in Lima.
fn cutoff(now: DateTime<Utc>, months: u32) -> Option<DateTime<Utc>> {
    let day = now
        .with_timezone(&LIMA)
        .date_naive()
        .checked_sub_months(Months::new(months))?;
    LIMA.from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// What was removed, in the office's words.
fn describe(summary: &PurgeSummary, before: DateTime<Utc>, dry_run: bool) -> String {
    let when = day_date_time(&before);
    let mut out = String::new();
    if dry_run {
        out.push_str("Simulación (--dry-run): no se cambió nada. Se eliminarían:\n");
    } else if summary.is_empty() {
        out.push_str(&format!(
            "No había datos personales por eliminar de consultas recibidas antes del {when}.\n"
        ));
        return out;
    } else {
        out.push_str("Datos personales eliminados:\n");
    }
    out.push_str(&format!(
        "  {} consultas recibidas antes del {when}: remitente, dirección de respuesta, asunto e identificador del mensaje\n\
         \x20 {} entradas del historial (su detalle)\n\
         \x20 {} mensajes enviados (texto y destinatarios)\n\
         \x20 {} observaciones de borradores de respuesta\n\
         \x20 {} comentarios de la encuesta\n",
        summary.consultations,
        summary.events,
        summary.outgoing_messages,
        summary.reply_observations,
        summary.survey_comments,
    ));
    out.push_str(
        "Se conservan el ticket, el buzón, las carpetas, las fechas, los plazos, el estado y las calificaciones: \
         el registro y los indicadores de esos meses siguen iguales. Las copias en el servidor de correo no se tocan.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cutoff_is_midnight_in_lima_n_months_before_today() {
        // 23/11/2026 10:00 in Lima (15:00 UTC); 6 months before is 23/05/2026, whose midnight in Lima is 05:00 UTC.
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 15, 0, 0).unwrap();
        assert_eq!(
            cutoff(now, 6),
            Some(Utc.with_ymd_and_hms(2026, 5, 23, 5, 0, 0).unwrap())
        );
    }
}
