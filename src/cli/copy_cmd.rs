//! `triaje copy-store --to URL`: copies the whole register to another database, to move an installation from
//! SQLite to PostgreSQL (README, "Moving to PostgreSQL").

use std::path::Path;

use super::{load_offline, redact_url, CliError};
use crate::store::Store;

/// Copies the configured register into the (empty) database at `to`, then says what to change.
pub async fn copy_store(config_path: &Path, to: &str) -> Result<(), CliError> {
    let config = load_offline(config_path)?.ok_or_else(|| {
        CliError::Usage(format!(
            "no existe el archivo de configuración {}; indique el suyo con --config",
            config_path.display()
        ))
    })?;
    if to == config.database_url {
        return Err(CliError::Usage(
            "--to es la misma base de datos que database_url: indique la base nueva".into(),
        ));
    }
    // With SQLite, nothing may write while the copy runs: the daemon must be stopped, and the lock proves it.
    let _lock = super::lock_sqlite_store(&config)?;
    let from = Store::connect(&config.database_url).await?;
    from.migrate().await?;
    let dest = Store::connect(to).await?;
    dest.migrate().await?;
    let summary = from.copy_to(&dest).await?;
    from.close().await;
    dest.close().await;
    println!(
        "Copiado de {} a {}:",
        redact_url(&config.database_url),
        redact_url(to)
    );
    for (table, rows) in &summary {
        println!("  {table:<16} {rows} filas");
    }
    println!(
        "Ahora cambie database_url en {} a la base nueva y arranque triaje. La base anterior queda como \
         estaba (guárdela como respaldo).",
        config_path.display()
    );
    Ok(())
}
