//! What can go wrong with the register, said so the administrator knows where to look.

/// A failure of the register (SQLite file or PostgreSQL server).
///
/// Connection messages name the database URL with its password hidden.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// `database_url` is neither `sqlite://…` nor `postgres://…`.
    #[error(
        "la dirección de base de datos «{url}» no es válida: use sqlite://ruta/al/archivo.db \
         o postgres://usuario@servidor/base en database_url de config.toml"
    )]
    UnsupportedUrl {
        /// The URL, password hidden.
        url: String,
    },
    /// The folder that should hold the SQLite file could not be created.
    #[error("no se pudo crear la carpeta {path} para la base de datos SQLite: {source}")]
    CreateDir {
        /// The folder.
        path: std::path::PathBuf,
        /// Why the system refused.
        source: std::io::Error,
    },
    /// The database could not be opened or the server could not be reached.
    #[error(
        "no se pudo abrir la base de datos {url}: {source}. Revise database_url en config.toml: con \
         PostgreSQL, que el servidor esté en marcha y que el usuario y la contraseña sean correctos; con \
         SQLite, que triaje pueda escribir en esa carpeta"
    )]
    Connect {
        /// The URL, password hidden.
        url: String,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// The schema could not be brought up to date.
    #[error("no se pudo actualizar el esquema de la base de datos (migraciones): {source}")]
    Migrate {
        /// The migrator's error.
        source: sqlx::migrate::MigrateError,
    },
    /// SQLite stayed locked by another process for longer than the busy timeout.
    #[error(
        "la base de datos SQLite está bloqueada por otro proceso (al {what}): {source}. \
         ¿Hay otra instancia de triaje usando el mismo archivo?"
    )]
    Busy {
        /// What the register was doing.
        what: &'static str,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// The disk holding the database is full: nothing can be recorded until space is freed.
    #[error(
        "el disco de la base de datos está lleno (al {what}): libere espacio. Mientras tanto no se pierde \
         nada: los mensajes esperan en la bandeja de entrada y se archivarán cuando haya espacio"
    )]
    DiskFull {
        /// What the register was doing.
        what: &'static str,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// A query failed.
    #[error("error de la base de datos al {what}: {source}")]
    Query {
        /// What the register was doing.
        what: &'static str,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// A stored word (a state, an availability) is none the vocabulary knows: the database was edited by
    /// hand or written by a newer triaje.
    #[error("valor inválido en la base de datos ({what}): {reason}")]
    UnknownWord {
        /// Which column.
        what: &'static str,
        /// What was found and what was expected.
        reason: String,
    },
    /// A stored value is out of range (a UID above 2³², an impossible instant): the database was edited by hand.
    #[error("valor inválido en la base de datos ({what}): {value}")]
    Corrupt {
        /// Which column.
        what: &'static str,
        /// The stored value.
        value: i64,
    },
    /// A stored word is not one the register writes (an outbox state or kind edited by hand).
    #[error("valor inválido en la base de datos ({what}): «{value}»")]
    CorruptText {
        /// Which column.
        what: &'static str,
        /// The stored value.
        value: String,
    },
    /// A change the register's rules forbid (a Legal reply queued without an approval).
    #[error("operación rechazada: {0}")]
    Refused(String),
}

impl StoreError {
    /// Wraps a driver error raised while doing `what`, telling SQLite lock timeouts apart.
    pub(crate) fn query(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |source| {
            if is_sqlite_busy(&source) {
                StoreError::Busy { what, source }
            } else if is_disk_full(&source) {
                StoreError::DiskFull { what, source }
            } else {
                StoreError::Query { what, source }
            }
        }
    }
}

/// SQLITE_BUSY (5) and SQLITE_LOCKED (6), including their extended codes (low byte).
fn is_sqlite_busy(error: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = error else {
        return false;
    };
    // Only SQLite reports bare numeric codes; PostgreSQL's SQLSTATEs are five characters like "40P01".
    let Some(code) = db.code().and_then(|code| code.parse::<i64>().ok()) else {
        return false;
    };
    db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() && matches!(code & 0xff, 5 | 6)
}

/// SQLITE_FULL (13), an I/O error whose cause is ENOSPC, or PostgreSQL's `disk_full` (53100).
fn is_disk_full(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                code.parse::<i64>().is_ok_and(|c| c & 0xff == 13)
                    || db.message().contains("database or disk is full")
            } else {
                code == "53100"
            }
        }
        sqlx::Error::Io(io) => io.raw_os_error() == Some(28),
        _ => false,
    }
}
