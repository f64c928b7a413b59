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
    if config.database_url.starts_with("sqlite:") {
        if let Some(warning) = crate::store::disk_space::low_disk_warning(&config.data_dir) {
            println!("{warning}");
        }
    }
    Ok(())
}
