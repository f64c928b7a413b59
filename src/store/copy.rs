//! Copying a whole register to another database: how an office moves from SQLite to PostgreSQL (or back).
//!
//! Every table is copied row by row with its ids, in one transaction on the destination, in an order where a
//! row's consultation is always there before it; PostgreSQL's id sequences are then moved past the copied ids so
//! the next consultation gets the next number. Leases are not copied: they belong to running daemons.

use std::collections::BTreeMap;

use sqlx::{AssertSqlSafe, Row};

use super::{Backend, Store, StoreError};

/// The tables, parents before children. `copy_to` refuses to run if the schema has a table not listed here or
/// in [`NOT_COPIED`], so a table added by a later migration cannot be forgotten silently.
pub const TABLES: &[&str] = &[
    "consultations",
    "mailbox_cursors",
    "ticket_counters",
    "events",
    "survey_ratings",
    "outbox",
    "replies",
    "folder_marks",
    "mailbox_health",
    "approval_guards",
    "routing_examples",
    "routing_models",
    "ticket_notes",
    "beside_mail",
    "derivations",
];

/// Tables that are deliberately not copied.
const NOT_COPIED: &[&str] = &["leases", "_sqlx_migrations"];

/// How many rows of each table were copied.
pub type CopySummary = BTreeMap<String, u64>;

/// A column's storage class, as the `Any` driver can carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Real,
    Text,
    Bytes,
}

impl Store {
    /// The tables of this register's schema (both backends), by name.
    async fn table_names(&self) -> Result<Vec<String>, StoreError> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            }
            Backend::Postgres => {
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
            }
        };
        let rows = sqlx::query(sql)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("leer las tablas"))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// The columns of `table`, in order, with their storage class.
    async fn columns(&self, table: &str) -> Result<Vec<(String, Kind)>, StoreError> {
        let rows = match self.backend {
            Backend::Sqlite => sqlx::query("SELECT name, type FROM pragma_table_info($1) ORDER BY cid"),
            Backend::Postgres => sqlx::query(
                "SELECT column_name::text, data_type::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            ),
        }
        .bind(table)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("leer las columnas de una tabla"))?;
        rows.iter()
            .map(|r| {
                let name: String = r.get(0);
                let declared: String = r.get(1);
                let kind = match declared.to_ascii_lowercase().as_str() {
                    "integer" | "bigint" | "int" | "smallint" => Kind::Integer,
                    "real" | "double precision" => Kind::Real,
                    "text" | "character varying" => Kind::Text,
                    "blob" | "bytea" => Kind::Bytes,
                    _ => {
                        return Err(StoreError::CorruptText {
                            what: "tipo de columna",
                            value: format!("{table}.{name}: {declared}"),
                        })
                    }
                };
                Ok((name, kind))
            })
            .collect()
    }

    /// How many consultations the register holds.
    async fn consultation_count(&self) -> Result<i64, StoreError> {
        sqlx::query("SELECT COUNT(*) FROM consultations")
            .fetch_one(&self.pool)
            .await
            .map(|r| r.get(0))
            .map_err(StoreError::query("contar las consultas"))
    }

    /// Copies every row of this register into `to`, which must be migrated to the same schema and hold no
    /// consultation yet. All or nothing: the destination is written in one transaction.
    pub async fn copy_to(&self, to: &Store) -> Result<CopySummary, StoreError> {
        let tables = self.table_names().await?;
        if let Some(unknown) = tables
            .iter()
            .find(|t| !TABLES.contains(&t.as_str()) && !NOT_COPIED.contains(&t.as_str()))
        {
            return Err(StoreError::Refused(format!(
                "la tabla «{unknown}» no está en la lista de copia de esta versión de triaje; actualice triaje"
            )));
        }
        if to.consultation_count().await? > 0 {
            return Err(StoreError::Refused(
                "la base de datos de destino ya tiene consultas: copie a una base vacía (recién creada)".into(),
            ));
        }
        let mut summary = CopySummary::new();
        let mut tx = to.begin_write().await?;
        for &table in TABLES {
            let columns = self.columns(table).await?;
            let target: Vec<String> = to.columns(table).await?.into_iter().map(|c| c.0).collect();
            if let Some((missing, _)) = columns.iter().find(|(c, _)| !target.contains(c)) {
                return Err(StoreError::Refused(format!(
                    "la base de destino no tiene la columna {table}.{missing}: ejecute «triaje migrate» con la \
                     misma versión de triaje en las dos"
                )));
            }
            let names: Vec<&str> = columns.iter().map(|(c, _)| c.as_str()).collect();
            let list = names.join(", ");
            let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
            // Ids are copied as they are: PostgreSQL's identity columns must be told to accept them.
            let overriding = if to.backend == Backend::Postgres && names.contains(&"id") {
                " OVERRIDING SYSTEM VALUE"
            } else {
                ""
            };
            let insert = format!(
                "INSERT INTO {table} ({list}){overriding} VALUES ({})",
                placeholders.join(", ")
            );
            let order = if names.contains(&"id") {
                " ORDER BY id"
            } else {
                ""
            };
            let rows = sqlx::query(AssertSqlSafe(format!("SELECT {list} FROM {table}{order}")))
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::query("leer la base de origen"))?;
            for row in &rows {
                let mut query = sqlx::query(AssertSqlSafe(insert.clone()));
                for (i, (_, kind)) in columns.iter().enumerate() {
                    query =
                        match kind {
                            Kind::Integer => query.bind(row.try_get::<Option<i64>, _>(i).map_err(
                                StoreError::query("leer un valor de la base de origen"),
                            )?),
                            Kind::Real => query.bind(row.try_get::<Option<f64>, _>(i).map_err(
                                StoreError::query("leer un valor de la base de origen"),
                            )?),
                            Kind::Text => query.bind(row.try_get::<Option<String>, _>(i).map_err(
                                StoreError::query("leer un valor de la base de origen"),
                            )?),
                            Kind::Bytes => {
                                query.bind(row.try_get::<Option<Vec<u8>>, _>(i).map_err(
                                    StoreError::query("leer un valor de la base de origen"),
                                )?)
                            }
                        };
                }
                query
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::query("escribir en la base de destino"))?;
            }
            if to.backend == Backend::Postgres && names.contains(&"id") && !rows.is_empty() {
                // The next id handed out must follow the copied ones.
                sqlx::query(AssertSqlSafe(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))::text"
                )))
                .fetch_one(&mut *tx)
                .await
                .map_err(StoreError::query("ajustar la numeración de la base de destino"))?;
            }
            summary.insert(table.to_string(), rows.len() as u64);
        }
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar la copia"))?;
        Ok(summary)
    }
}
