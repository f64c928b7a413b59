//! Opening the register: which backend a URL names, the SQLite file's settings, and hiding passwords.

use std::path::Path;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Connection, Executor};

use super::{Backend, StoreError};

/// Per-connection SQLite settings: wait up to 5 s for another writer before failing with `StoreError::Busy`,
/// enforce foreign keys, and (safe with WAL) fsync at checkpoints rather than at every commit.
const SQLITE_SESSION: &str =
    "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

/// Connections per pool. SQLite serializes writers anyway; PostgreSQL instances share the server with others.
const MAX_CONNECTIONS: u32 = 4;

/// Which backend `url` names, or `None` for an unknown scheme.
pub(crate) fn backend_of(url: &str) -> Option<Backend> {
    if url.starts_with("sqlite:") {
        Some(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Some(Backend::Postgres)
    } else {
        None
    }
}

/// Opens a pool on `url` with the per-backend settings (see `Store::connect`).
pub(crate) async fn open_pool(url: &str, backend: Backend) -> Result<AnyPool, StoreError> {
    sqlx::any::install_default_drivers();
    let connect_error = |source| StoreError::Connect {
        url: redact(url),
        source,
    };
    match backend {
        Backend::Postgres => {
            // One plain connection first: the pool retries a refused connection until its timeout,
            // while a wrong address or password should be reported at once.
            let probe = sqlx::AnyConnection::connect(url)
                .await
                .map_err(connect_error)?;
            probe.close().await.map_err(connect_error)?;
            AnyPoolOptions::new()
                .max_connections(MAX_CONNECTIONS)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await
                .map_err(connect_error)
        }
        Backend::Sqlite => {
            let url = prepare_sqlite_file(url)?;
            // WAL is a property of the file: set it once, on a lone connection, before the pool opens
            // others (switching modes needs an exclusive lock that the busy timeout does not cover).
            let mut first = sqlx::AnyConnection::connect(&url)
                .await
                .map_err(connect_error)?;
            first
                .execute("PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;")
                .await
                .map_err(connect_error)?;
            first.close().await.map_err(connect_error)?;
            AnyPoolOptions::new()
                .max_connections(MAX_CONNECTIONS)
                .after_connect(|conn, _| {
                    Box::pin(async move { conn.execute(SQLITE_SESSION).await.map(drop) })
                })
                .connect(&url)
                .await
                .map_err(connect_error)
        }
    }
}

/// Creates the SQLite file's folder and asks the driver to create the file (`mode=rwc`) unless told otherwise.
fn prepare_sqlite_file(url: &str) -> Result<String, StoreError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    if path.is_empty() || path == ":memory:" {
        return Ok(url.to_string());
    }
    if let Some(parent) = Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
    }
    Ok(match query {
        None => format!("{url}?mode=rwc"),
        Some(query) if query.split('&').any(|pair| pair.starts_with("mode=")) => url.to_string(),
        Some(_) => format!("{url}&mode=rwc"),
    })
}

/// `url` with its password (in the user-info part or a `password=` parameter) replaced by `***`.
pub(crate) fn redact(url: &str) -> String {
    let mut out = match url.split_once("://") {
        Some((scheme, rest)) => {
            // The authority ends at the first '/', '?' or '#'; the user-info at its last '@'.
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let (authority, tail) = rest.split_at(end);
            match authority.rsplit_once('@') {
                Some((userinfo, host)) => match userinfo.split_once(':') {
                    Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
                    None => url.to_string(),
                },
                None => url.to_string(),
            }
        }
        None => url.to_string(),
    };
    if let Some(start) = out.find("password=") {
        let value_start = start + "password=".len();
        let value_end = out[value_start..]
            .find('&')
            .map_or(out.len(), |offset| value_start + offset);
        out.replace_range(value_start..value_end, "***");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_in_user_info_is_hidden() {
        assert_eq!(
            redact("postgres://triaje:s3cr3t@db.osce.local:5432/triaje"),
            "postgres://triaje:***@db.osce.local:5432/triaje"
        );
    }

    #[test]
    fn password_parameter_is_hidden() {
        assert_eq!(
            redact("postgres://db/triaje?user=a&password=s3cr3t&sslmode=require"),
            "postgres://db/triaje?user=a&password=***&sslmode=require"
        );
    }

    #[test]
    fn url_without_password_is_unchanged() {
        assert_eq!(
            redact("postgres://root@127.0.0.1/test"),
            "postgres://root@127.0.0.1/test"
        );
        assert_eq!(
            redact("sqlite:///var/lib/triaje/triaje.db"),
            "sqlite:///var/lib/triaje/triaje.db"
        );
    }

    #[test]
    fn schemes_pick_the_backend() {
        assert_eq!(backend_of("sqlite://data/t.db"), Some(Backend::Sqlite));
        assert_eq!(backend_of("postgresql://h/db"), Some(Backend::Postgres));
        assert_eq!(backend_of("mysql://h/db"), None);
    }

    #[test]
    fn sqlite_file_is_created_unless_the_url_says_otherwise() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nested/deeper/t.db");
        let url = format!("sqlite://{}", path.display());
        assert_eq!(
            prepare_sqlite_file(&url).expect("ok"),
            format!("{url}?mode=rwc")
        );
        assert!(path.parent().expect("parent").is_dir());
        let read_only = format!("{url}?mode=ro");
        assert_eq!(prepare_sqlite_file(&read_only).expect("ok"), read_only);
    }
}
