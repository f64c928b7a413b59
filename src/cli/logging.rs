//! The log set-up: the filter the administrator asks for, under a ceiling for the libraries that would otherwise
//! write secrets and mail into the log.
//!
//! At `trace`, async-imap writes every IMAP line it sends and receives (the `LOGIN` command with the password,
//! whole messages with their bodies), and lettre, sqlx, rustls and hyper describe their protocol traffic. triaje's
//! own events never carry bodies or secrets, so the ceiling applies to those libraries only, whatever the filter
//! (`--log`, `TRIAJE_LOG` or `RUST_LOG`) says: a `--log trace` for a bug report cannot leak a password.

use std::io::IsTerminal;

use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::{EnvFilter, FilterExt, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

/// The libraries whose detailed logs carry protocol traffic, and the most they may log. `info` and above say
/// that something happened (a pool dropped a connection, a slow query), never what was sent.
pub const CAPPED_TARGETS: &[(&str, LevelFilter)] = &[
    ("async_imap", LevelFilter::INFO),
    ("imap_proto", LevelFilter::INFO),
    ("lettre", LevelFilter::INFO),
    ("sqlx", LevelFilter::INFO),
    // PostgreSQL's NOTICEs («relation "_sqlx_migrations" already exists, skipping» at every start) are noise.
    ("sqlx::postgres::notice", LevelFilter::WARN),
    ("rustls", LevelFilter::INFO),
    ("tokio_rustls", LevelFilter::INFO),
    ("hyper", LevelFilter::INFO),
    // The OAuth token endpoints' client: requests carry client secrets, assertions and refresh tokens.
    ("reqwest", LevelFilter::INFO),
    ("hyper_util", LevelFilter::INFO),
    ("h2", LevelFilter::INFO),
    ("axum", LevelFilter::INFO),
    ("tower", LevelFilter::INFO),
    ("tower_http", LevelFilter::INFO),
    ("mail_parser", LevelFilter::INFO),
];

/// The ceiling: everything may log at any level except the [`CAPPED_TARGETS`].
pub fn ceiling() -> Targets {
    CAPPED_TARGETS.iter().fold(
        Targets::new().with_default(LevelFilter::TRACE),
        |t, (target, level)| t.with_target(*target, *level),
    )
}

/// Installs the global subscriber: `filter` (an `EnvFilter` directive such as `info` or `triaje=debug`; `info`
/// when it does not parse) under the [`ceiling`], written to standard error, with colours only at a terminal.
pub fn init(filter: &str) {
    let wanted = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, never in a log file or a journal.
        .with_ansi(std::io::stderr().is_terminal())
        .with_filter(wanted.and(ceiling()));
    // `try_init` also routes the `log` crate's records (async-imap logs through it) into the same filter.
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_imap_library_cannot_log_below_info() {
        let ceiling = ceiling();
        assert!(!ceiling.would_enable("async_imap::imap_stream", &tracing::Level::TRACE));
        assert!(!ceiling.would_enable("lettre::transport::smtp", &tracing::Level::DEBUG));
        assert!(ceiling.would_enable("async_imap", &tracing::Level::WARN));
        assert!(ceiling.would_enable("triaje::daemon", &tracing::Level::TRACE));
    }
}
