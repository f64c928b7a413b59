//! A register of its own for one test: a fresh, migrated store on SQLite (a file in a temporary folder, laid out
//! as an installation's `data/triaje.db`) or on the PostgreSQL server at 127.0.0.1:5432 (a database of its own,
//! dropped afterwards, even after a panic), for the tests that fill the register by hand.

use triaje::store::{Backend, Store};

/// A fresh, migrated register, removed with it.
pub struct Register {
    /// The store.
    pub store: Store,
    /// Its URL, to open a second pool on the same database.
    pub url: String,
    /// Keeps the SQLite folder alive.
    _folder: Option<tempfile::TempDir>,
    /// Drops the PostgreSQL database.
    _database: Option<super::PgGuard>,
}

impl Register {
    /// A register in a fresh SQLite file.
    pub async fn sqlite() -> Register {
        let folder = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}/data/triaje.db", folder.path().display());
        let mut register = Register::open(&url, Backend::Sqlite).await;
        register._folder = Some(folder);
        register
    }

    /// A register in a fresh PostgreSQL database; PostgreSQL being unreachable is a failure, never a skip.
    pub async fn postgres() -> Register {
        let (url, guard) = super::fresh_pg_database();
        let mut register = Register::open(&url, Backend::Postgres).await;
        register._database = Some(guard);
        register
    }

    async fn open(url: &str, backend: Backend) -> Register {
        let store = Store::connect(url).await.expect("open the register");
        store.migrate().await.expect("migrate");
        assert_eq!(store.backend(), backend);
        Register {
            store,
            url: url.to_string(),
            _folder: None,
            _database: None,
        }
    }

    /// Closes the pool, so that the database can be dropped cleanly.
    pub async fn finish(self) {
        self.store.close().await;
    }
}
