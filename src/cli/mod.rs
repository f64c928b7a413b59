//! The command line: `run`, `once`, `rules check`, `rules test`, `calendar`, `migrate`, `status`, `report`,
//! `purge`, `copy-store`, `oauth login`.
//!
//! Each command lives in its own file; this one only declares the arguments and dispatches.

mod calendar_cmd;
mod copy_cmd;
mod error;
pub mod logging;
mod oauth_cmd;
mod once;
mod purge_cmd;
mod report_cmd;
mod rules_cmd;
mod rules_evaluate;
mod rules_learn;
mod run;
mod status;

pub use error::CliError;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Config;

/// triaje: files, dates and records the consultations of a citizen-attention mailbox.
#[derive(Debug, Parser)]
#[command(name = "triaje", version, about, long_about = None)]
pub struct Cli {
    /// Configuration file.
    #[arg(
        long,
        short,
        global = true,
        env = "TRIAJE_CONFIG",
        default_value = "config.toml"
    )]
    pub config: PathBuf,
    /// Log filter (e.g. `info`, `triaje=debug`); overrides RUST_LOG. The libraries that would log protocol
    /// traffic (IMAP, SMTP, SQL, TLS, HTTP) stay at `info` whatever it says (see `cli::logging`).
    #[arg(long, global = true, env = "TRIAJE_LOG")]
    pub log: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the daemon: triage every mailbox continuously (IDLE or polling) until SIGTERM.
    Run,
    /// OAuth 2.0 logins (Microsoft 365, Google Workspace, other providers).
    Oauth {
        /// What to do.
        #[command(subcommand)]
        action: OauthAction,
    },
    /// Triage what is waiting in every mailbox once, print what went where, and exit.
    Once {
        /// Only this mailbox (its `name` in the config).
        #[arg(long)]
        mailbox: Option<String>,
        /// Print only the totals, not one line per message.
        #[arg(long)]
        quiet: bool,
    },
    /// Check or try the routing rules.
    Rules {
        /// Check or test.
        #[command(subcommand)]
        action: RulesAction,
    },
    /// Show business days, holidays and non-working days of a date range.
    Calendar {
        /// First day (YYYY-MM-DD); default: today.
        #[arg(long)]
        from: Option<String>,
        /// Last day (YYYY-MM-DD); default: 30 days after `from`.
        #[arg(long)]
        to: Option<String>,
        /// A whole year instead of a range: list its holidays and non-working days.
        #[arg(long, conflicts_with_all = ["from", "to"])]
        year: Option<i32>,
    },
    /// Create or update the database schema.
    Migrate,
    /// Counts by folder and state, what is due today and what is overdue.
    Status,
    /// The day's register of attentions and the month's indicators, as files to hand in.
    Report {
        /// Which report.
        #[command(subcommand)]
        action: ReportAction,
    },
    /// Copy the whole register to another (empty) database, e.g. from SQLite to PostgreSQL. Stop the daemon first.
    CopyStore {
        /// The destination, e.g. `postgres://triaje@db.example/triaje` (or set TRIAJE_COPY_TO, to keep a password
        /// out of the shell's history).
        #[arg(long, env = "TRIAJE_COPY_TO")]
        to: String,
    },
    /// Remove the personal data (Ley 29733) of consultations received more than N months ago.
    ///
    /// Blanks the citizen's name and addresses, the subject, the history's particulars, the text of the mail
    /// sent about them, reply observations and survey comments; keeps tickets, dates, deadlines, folders, states
    /// and ratings, so the register and the indicators still count them. The mail server is not touched.
    Purge {
        /// Months to keep, counted back from today (Lima), by effective received date; at least 1.
        #[arg(long)]
        older_than: u32,
        /// Only count what would be removed.
        #[arg(long)]
        dry_run: bool,
    },
}

/// The report commands.
#[derive(Debug, Subcommand)]
pub enum ReportAction {
    /// Write the register of one day: one row per consultation whose effective received date (Lima) is that day.
    ///
    /// Mail received after the mailbox's cut-off or on a non-business day counts from the next business day,
    /// and so is in that day's register (with its real arrival time beside it).
    Register {
        /// The day (YYYY-MM-DD).
        #[arg(long)]
        day: String,
        /// `xlsx` (Excel workbook) or `csv` (RFC 4180, UTF-8 with BOM).
        #[arg(long, value_enum, default_value = "xlsx")]
        format: report_cmd::RegisterFormat,
        /// Output file (default: `registro-YYYY-MM-DD.xlsx` or `.csv` in the current folder).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Write the year's suggestions report (002 §9.1: the suggestions received and the actions implemented, per
    /// unit, sent within the first 10 business days of the next year) and print its summary.
    Suggestions {
        /// The fiscal year (YYYY), by effective received date (Lima).
        #[arg(long)]
        year: i32,
        /// `xlsx` (Excel workbook: a summary per unit and one row per suggestion) or `csv` (the rows).
        #[arg(long, value_enum, default_value = "xlsx")]
        format: report_cmd::RegisterFormat,
        /// Output file (default: `sugerencias-YYYY.xlsx` or `.csv` in the current folder).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Write the daily consolidated incident report (002 §8.3.2.3): the day's incidents received and those solved
    /// and answered, with the statistics of the month so far (by origin, cumulative frequency, the TOP).
    Incidents {
        /// The day (YYYY-MM-DD), by effective received date (Lima) for those received.
        #[arg(long)]
        date: String,
        /// `xlsx` (Excel workbook: rows and statistics) or `csv` (the rows, received and solved).
        #[arg(long, value_enum, default_value = "xlsx")]
        format: report_cmd::RegisterFormat,
        /// Output file (default: `incidencias-YYYY-MM-DD.xlsx` or `.csv` in the current folder).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Write the month's indicators (a workbook, one sheet per view) and print their summary.
    Indicators {
        /// The month (YYYY-MM).
        #[arg(long)]
        month: String,
        /// Output file (default: `indicadores-YYYY-MM.xlsx` in the current folder).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// The rule commands.
#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// Check every rule file; every error is shown with file:line:column.
    Check {
        /// Rules directory (default: `rules_dir` from the config, or `rules`).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Classify a saved message (.eml) and explain the decision, dates included.
    ///
    /// A file has no arrival time of its own: the message's `Date:` header is used as the arrival time,
    /// unless `--received` gives it (e.g. `--received "2026-11-20 16:45"`, Lima time, or RFC 3339).
    Test {
        /// The message file(s).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Rules directory (default: `rules_dir` from the config, or `rules`).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Arrival time to assume instead of the `Date:` header.
        #[arg(long)]
        received: Option<String>,
        /// Mailbox whose cut-off and deadline policy apply (default: the first in the config).
        #[arg(long)]
        mailbox: Option<String>,
    },
    /// Measure the rules on messages whose folder is known, before the daemon reloads them: the confusion
    /// matrix, accuracy, «filed in a wrong folder», «Legal filed elsewhere», the unclassified rate, and every
    /// miss with its tally.
    ///
    /// Either a directory of `.eml` files with a `labels.toml` (`[[message]] file = "0001.eml" folder =
    /// "SEACE"`), or `--from-register`: the consultations of the last `--months` months whose folder the office
    /// confirmed (answered from it, or moved there by hand), read back from the mail server.
    Evaluate {
        /// A directory with `labels.toml` and the messages it names.
        #[arg(required_unless_present = "from_register")]
        corpus: Option<PathBuf>,
        /// Evaluate on the register's confirmed filings instead of a directory.
        #[arg(long, conflicts_with = "corpus")]
        from_register: bool,
        /// With `--from-register`: how many months back (by effective received date).
        #[arg(long, default_value_t = 3)]
        months: u32,
        /// Rules directory (default: `rules_dir` from the config, or `rules`).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Leave the learned opinion out, to see what the rules alone do.
        #[arg(long = "sin-aprendizaje", alias = "without-learned")]
        without_learned: bool,
        /// Print only the matrix and the figures, not every miss.
        #[arg(long)]
        quiet: bool,
    },
    /// Retrain the learned opinion: read the office's confirmed filings (answered from their folder, or moved by
    /// hand) back from the mail server, train on them and the shipped seed, and store the model, which every
    /// running daemon picks up within a minute.
    Learn {
        /// Rules directory (default: `rules_dir` from the config, or `rules`).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// For developers: train the shipped seed from these labelled directories instead (with
        /// `--write-seed`); nothing is read from the register or the server.
        #[arg(long = "seed-from", requires = "write_seed")]
        seed_from: Vec<PathBuf>,
        /// Where to write the seed's counts (e.g. `src/rules/learned/seed.txt`); the kind's go beside it
        /// (`seed-clases.txt`), and each one's trained model, packed, beside its counts (`seed.bin`,
        /// `seed-clases.bin`).
        #[arg(long, requires = "seed_from")]
        write_seed: Option<PathBuf>,
    },
}

/// `triaje oauth …`.
#[derive(Debug, Subcommand)]
pub enum OauthAction {
    /// Obtain a mailbox's refresh token once, by the device-authorization grant (for provider =
    /// "refresh_token"): shows a code to enter at the provider's page, waits, saves the token in
    /// refresh_token_file and checks that the IMAP server accepts it.
    Login {
        /// The mailbox (its [mailbox.oauth] or shared [oauth.NAME] source).
        #[arg(long)]
        mailbox: String,
    },
}

/// Runs the parsed command line.
pub async fn execute(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Run => run::run(&load(&cli.config)?).await,
        Command::Oauth {
            action: OauthAction::Login { mailbox },
        } => oauth_cmd::login(&load(&cli.config)?, &mailbox).await,
        Command::Once { mailbox, quiet } => {
            once::once(load(&cli.config)?, mailbox.as_deref(), quiet).await
        }
        Command::Rules { action } => match action {
            RulesAction::Check { dir } => rules_cmd::check(&cli.config, dir),
            RulesAction::Test {
                files,
                dir,
                received,
                mailbox,
            } => {
                rules_cmd::test(
                    &cli.config,
                    dir,
                    &files,
                    received.as_deref(),
                    mailbox.as_deref(),
                )
                .await
            }
            RulesAction::Evaluate {
                corpus,
                from_register,
                months,
                dir,
                without_learned,
                quiet,
            } => {
                let source = match (corpus, from_register) {
                    (Some(dir), _) => rules_evaluate::Source::Directory(dir),
                    (None, _) => rules_evaluate::Source::Register { months },
                };
                rules_evaluate::evaluate(&cli.config, dir, source, without_learned, quiet).await
            }
            RulesAction::Learn {
                dir,
                seed_from,
                write_seed,
            } => match write_seed {
                Some(out) => rules_learn::write_seed(&cli.config, dir, &seed_from, &out),
                None => rules_learn::learn(&cli.config, dir).await,
            },
        },
        Command::Calendar { from, to, year } => {
            calendar_cmd::show(&cli.config, from.as_deref(), to.as_deref(), year)
        }
        Command::Migrate => {
            let config = load(&cli.config)?;
            let installation = crate::daemon::Installation::open(config).await?;
            println!(
                "Esquema al día en {}",
                redact_url(&installation.config().database_url)
            );
            Ok(())
        }
        Command::Status => status::status(load(&cli.config)?).await,
        Command::Report { action } => match action {
            ReportAction::Register {
                day,
                format,
                output,
            } => report_cmd::register(&cli.config, &day, format, output).await,
            ReportAction::Indicators { month, output } => {
                report_cmd::indicators(&cli.config, &month, output).await
            }
            ReportAction::Suggestions {
                year,
                format,
                output,
            } => report_cmd::suggestions(&cli.config, year, format, output).await,
            ReportAction::Incidents {
                date,
                format,
                output,
            } => report_cmd::incidents(&cli.config, &date, format, output).await,
        },
        Command::CopyStore { to } => copy_cmd::copy_store(&cli.config, &to).await,
        Command::Purge {
            older_than,
            dry_run,
        } => purge_cmd::purge(&cli.config, older_than, dry_run).await,
    }
}

fn load(path: &std::path::Path) -> Result<Config, CliError> {
    Ok(Config::load(path)?)
}

/// The configuration for commands that do not log in anywhere (`rules`, `calendar`): secrets are not needed,
/// and without a config file the defaults apply.
/// The instance lock when the store is SQLite (one process per file; PostgreSQL daemons coordinate through the
/// database instead), creating the data directory first.
fn lock_sqlite_store(config: &Config) -> Result<Option<crate::daemon::InstanceLock>, CliError> {
    if !config.database_url.starts_with("sqlite:") {
        return Ok(None);
    }
    std::fs::create_dir_all(&config.data_dir).map_err(|source| CliError::Read {
        path: config.data_dir.clone(),
        source,
    })?;
    Ok(Some(crate::daemon::InstanceLock::acquire(
        &config.data_dir,
    )?))
}

/// Opens what a command that works on the mailboxes needs (`run`, `once`): the lock of a SQLite store, then
/// the store, rules and calendar. Holding the lock proves no other process uses the store, so the leases a killed
/// daemon left behind are forgotten instead of keeping its mailboxes idle until they lapse.
async fn open_for_work(
    config: Config,
) -> Result<
    (
        Option<crate::daemon::InstanceLock>,
        crate::daemon::Installation,
    ),
    CliError,
> {
    let lock = lock_sqlite_store(&config)?;
    let installation = crate::daemon::Installation::open(config).await?;
    if lock.is_some() {
        installation.store().clear_leases().await?;
    }
    Ok((lock, installation))
}

fn load_offline(path: &std::path::Path) -> Result<Option<Config>, CliError> {
    if !path.exists() {
        return Ok(None);
    }
    Ok(Some(Config::load_offline(path)?))
}

/// The date given to the option `flag` (`--day`, `--from`…), written AAAA-MM-DD; a usage error that shows how
/// otherwise.
fn date_arg(flag: &str, value: &str) -> Result<chrono::NaiveDate, CliError> {
    chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        CliError::Usage(format!(
            "{flag} «{value}» no es una fecha; escriba AAAA-MM-DD, por ejemplo 2026-11-20"
        ))
    })
}

/// A database URL without its password, for messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}@{}", &url[..scheme + 3], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_passwords_never_reach_the_terminal() {
        assert_eq!(
            redact_url("postgres://triaje:s3creto@db:5432/triaje"),
            "postgres://triaje@db:5432/triaje"
        );
        assert_eq!(
            redact_url("sqlite:///var/lib/triaje/triaje.db"),
            "sqlite:///var/lib/triaje/triaje.db"
        );
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
