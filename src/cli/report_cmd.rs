//! `triaje report register`, `triaje report indicators`, `triaje report incidents` and `triaje report
//! suggestions`: the files a coordinator hands in.
//!
//! Reads the store and the calendar only; logs in nowhere, so the mailbox passwords are not needed.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};

use super::{date_arg, load_offline, CliError};
use crate::calendar::BusinessCalendar;
use crate::config::Config;
use crate::report::incidents::IncidentIndicators;
use crate::report::{self, csv, workbook, MonthIndicators, ReportContext, SuggestionsReport};
use crate::store::Store;

/// The register's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RegisterFormat {
    /// Excel workbook.
    Xlsx,
    /// CSV (RFC 4180, UTF-8 with BOM).
    Csv,
}

/// The config (required: the database is named there), the store and the calendar.
async fn open(config_path: &Path) -> Result<(Config, Store, BusinessCalendar), CliError> {
    let config = load_offline(config_path)?.ok_or_else(|| {
        CliError::Usage(format!(
            "no existe el archivo de configuración {}; indique el suyo con --config",
            config_path.display()
        ))
    })?;
    let calendar = match &config.calendar {
        Some(path) => BusinessCalendar::load(path)?,
        None => BusinessCalendar::peru_default(),
    };
    let store = Store::connect(&config.database_url).await?;
    store.migrate().await?;
    Ok((config, store, calendar))
}

/// The report context: each configured mailbox's hours, at `now`.
fn context<'a>(
    config: &Config,
    calendar: &'a BusinessCalendar,
    now: chrono::DateTime<Utc>,
) -> ReportContext<'a> {
    ReportContext::of_config(config, calendar, now)
}

/// Writes `bytes` to `path`, saying what went wrong where.
fn write(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes).map_err(|source| {
        CliError::Usage(format!("no se pudo escribir {}: {source}", path.display()))
    })
}

/// Tells the coordinator that `date` is no business day, so what arrived that day is in the next business day's
/// `file` («registro», «reporte»).
fn warn_not_business_day(calendar: &BusinessCalendar, date: NaiveDate, file: &str) {
    if !calendar.is_business_day(date) {
        println!(
            "Aviso: el {} no es día hábil; lo que llegó ese día figura en el {file} del siguiente día hábil.",
            date.format("%d/%m/%Y")
        );
    }
}

/// Writes the register of `day` (consultations whose effective received date is that day).
pub async fn register(
    config_path: &Path,
    day: &str,
    format: RegisterFormat,
    output: Option<PathBuf>,
) -> Result<(), CliError> {
    let date = date_arg("--day", day)?;
    let (config, store, calendar) = open(config_path).await?;
    let (from, to) = report::day_bounds(date)?;
    let rows = store.register_rows(from, to).await?;
    store.close().await;
    let ctx = context(&config, &calendar, Utc::now());
    let entries = report::register::entries(rows, &ctx);
    let (bytes, extension) = match format {
        RegisterFormat::Xlsx => (workbook::register_workbook(&entries)?, "xlsx"),
        RegisterFormat::Csv => (csv::register_csv(&entries), "csv"),
    };
    let path = output.unwrap_or_else(|| PathBuf::from(format!("registro-{date}.{extension}")));
    write(&path, &bytes)?;
    println!(
        "Registro del {}: {} atenciones en {}",
        date.format("%d/%m/%Y"),
        entries.len(),
        path.display()
    );
    warn_not_business_day(&calendar, date, "registro");
    Ok(())
}

/// Writes the annual suggestions report of `year` (002 §9.1) and prints its summary.
pub async fn suggestions(
    config_path: &Path,
    year: i32,
    format: RegisterFormat,
    output: Option<PathBuf>,
) -> Result<(), CliError> {
    let usage = || CliError::Usage(format!("--year {year}: escriba un año, por ejemplo 2026"));
    let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(usage)?;
    let next = NaiveDate::from_ymd_opt(year + 1, 1, 1).ok_or_else(usage)?;
    let (config, store, calendar) = open(config_path).await?;
    let (from, to) = (report::lima_midnight(first)?, report::lima_midnight(next)?);
    let now = Utc::now();
    let rows = store.register_rows(from, to).await?;
    store.close().await;
    let ctx = context(&config, &calendar, now.min(to));
    let entries = report::register::entries(rows, &ctx);
    // Each suggestion under the unit it was derived to (the last one that held it), by the name people read
    // (002 §9.1: «derivación y atención por parte del órgano o unidad orgánica competente»).
    let report = SuggestionsReport::compute(year, &entries, &calendar, |e| {
        e.unit
            .as_ref()
            .map(|name| config.unit_display_name(name).to_string())
    });
    let (bytes, extension) = match format {
        RegisterFormat::Xlsx => (workbook::suggestions_workbook(&report)?, "xlsx"),
        RegisterFormat::Csv => (csv::suggestions_csv(&report), "csv"),
    };
    let path = output.unwrap_or_else(|| PathBuf::from(format!("sugerencias-{year}.{extension}")));
    write(&path, &bytes)?;
    print!("{report}");
    println!("Informe de sugerencias: {}", path.display());
    Ok(())
}

/// Writes the daily consolidated incident report of `day` (002 §8.3.2.3) and prints its summary.
pub async fn incidents(
    config_path: &Path,
    day: &str,
    format: RegisterFormat,
    output: Option<PathBuf>,
) -> Result<(), CliError> {
    let date = date_arg("--date", day)?;
    let (config, store, calendar) = open(config_path).await?;
    let report =
        crate::daemon::daily_incident_report(&store, &config, &calendar, date, Utc::now()).await;
    store.close().await;
    let report = report?;
    let (bytes, extension) = match format {
        RegisterFormat::Xlsx => (workbook::incidents_workbook(&report, &calendar)?, "xlsx"),
        RegisterFormat::Csv => (csv::incidents_csv(&report, &calendar), "csv"),
    };
    let path = output.unwrap_or_else(|| PathBuf::from(format!("incidencias-{date}.{extension}")));
    write(&path, &bytes)?;
    println!(
        "Incidencias del {}: {} ingresadas, {} solucionadas; {} en el mes hasta ese día, en {}",
        date.format("%d/%m/%Y"),
        report.received.len(),
        report.solved.len(),
        report.statistics.total,
        path.display()
    );
    warn_not_business_day(&calendar, date, "reporte");
    Ok(())
}

/// Writes the indicators of `month` (`AAAA-MM`) and prints their summary.
pub async fn indicators(
    config_path: &Path,
    month: &str,
    output: Option<PathBuf>,
) -> Result<(), CliError> {
    let usage = || {
        CliError::Usage(format!(
            "--month «{month}» no es un mes; escriba AAAA-MM, por ejemplo 2026-11"
        ))
    };
    let (year, number) = month.trim().split_once('-').ok_or_else(usage)?;
    let year: i32 = year.parse().map_err(|_| usage())?;
    let number: u32 = number.parse().map_err(|_| usage())?;
    let (first, next) = report::month_days(year, number).map_err(|_| usage())?;
    let (config, store, calendar) = open(config_path).await?;
    let (from, to) = (report::lima_midnight(first)?, report::lima_midnight(next)?);
    let now = Utc::now();
    if from > now {
        return Err(CliError::Usage(format!(
            "{} de {year} todavía no empieza",
            crate::spanish::month(number)
        )));
    }
    let as_of = now.min(to);
    let rows = store.register_rows(from, to).await?;
    let corrections = store.manual_corrections(from, to).await?;
    let ctx = context(&config, &calendar, as_of);
    let incidents = crate::daemon::incident_records(&store, &config, rows.clone(), &ctx).await;
    store.close().await;
    let entries = report::register::entries(rows, &ctx);
    let mut indicators = MonthIndicators::compute(year, number, as_of, &entries);
    indicators.rule_corrections = Some(corrections);
    indicators.incidents = Some(IncidentIndicators::compute(&incidents?, &ctx));
    let path =
        output.unwrap_or_else(|| PathBuf::from(format!("indicadores-{year}-{number:02}.xlsx")));
    write(&path, &workbook::indicators_workbook(&indicators)?)?;
    print!("{indicators}");
    println!();
    println!("Libro de indicadores: {}", path.display());
    Ok(())
}
