//! The database side of a backup: the facts a manifest records about a snapshot (rows per
//! table, the audit head, the keys and objects it needs), read inside the snapshot itself so
//! they describe exactly what was saved, and SQLite's snapshot and restore.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait, QuerySelect,
    SqlxSqliteConnector, Statement,
};

use super::manifest::AuditHead;
use super::BackupError;
use crate::platform::audit;
use crate::platform::persistence::entities::{evidence_file, report_key};

/// What a snapshot holds, as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Facts {
    pub tables: BTreeMap<String, u64>,
    pub audit_head: AuditHead,
    pub master_key_ids: BTreeSet<String>,
    /// Every object an evidence row names (originals and cleaned copies).
    pub objects: BTreeSet<String>,
}

/// Reads the facts through `conn`: a connection to the snapshot, or the transaction that
/// `pg_dump` shares.
pub(super) async fn facts<C: ConnectionTrait>(conn: &C) -> Result<Facts, DbErr> {
    let mut tables = BTreeMap::new();
    for table in table_names(conn).await? {
        let row = conn
            .query_one_raw(Statement::from_string(
                conn.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {}", quote(&table)),
            ))
            .await?
            .ok_or_else(|| DbErr::RecordNotFound(format!("the row count of {table}")))?;
        tables.insert(table, row.try_get::<i64>("", "n")?.max(0) as u64);
    }
    let head = audit::checkpoint(conn, chrono::DateTime::UNIX_EPOCH).await?;
    let master_key_ids = report_key::Entity::find()
        .select_only()
        .column(report_key::Column::MasterKeyId)
        .distinct()
        .into_tuple::<String>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let objects = evidence_file::Entity::find()
        .select_only()
        .column(evidence_file::Column::ObjectKey)
        .column(evidence_file::Column::CleanedObjectKey)
        .into_tuple::<(String, Option<String>)>()
        .all(conn)
        .await?
        .into_iter()
        .flat_map(|(original, cleaned)| std::iter::once(original).chain(cleaned))
        .collect();
    Ok(Facts {
        tables,
        audit_head: AuditHead {
            seq: head.seq,
            hash: head.hash,
        },
        master_key_ids,
        objects,
    })
}

/// The application's tables (SQLite's own and PostgreSQL's catalogues left out).
async fn table_names<C: ConnectionTrait>(conn: &C) -> Result<Vec<String>, DbErr> {
    let backend = conn.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Sqlite => {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite%' ORDER BY name"
        }
        DatabaseBackend::Postgres => {
            "SELECT CAST(table_name AS TEXT) AS t FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             ORDER BY table_name"
        }
        other => {
            return Err(DbErr::Custom(format!(
                "backups support SQLite and PostgreSQL, not {other:?}"
            )))
        }
    };
    conn.query_all_raw(Statement::from_string(backend, sql))
        .await?
        .into_iter()
        .map(|row| row.try_get::<String>("", "t"))
        .collect()
}

/// A table name as an SQL identifier.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The file a SQLite database URL names; an in-memory database has none.
pub(super) fn sqlite_file(url: &str) -> Result<PathBuf, BackupError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| BackupError::Unsupported(format!("the SQLite database URL: {e}")))?;
    let file = options.get_filename().to_path_buf();
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    if in_memory || file.as_os_str().is_empty() {
        return Err(BackupError::Unsupported(
            "an in-memory SQLite database has nothing to back up or restore into".into(),
        ));
    }
    Ok(file)
}

/// Writes one consistent copy of the live database to `target` with `VACUUM INTO` (a read
/// transaction: writers carry on) and reads its facts from the copy.
pub(super) async fn sqlite_snapshot(
    live: &DatabaseConnection,
    target: &Path,
) -> Result<Facts, BackupError> {
    let literal = target.to_str().ok_or_else(|| {
        BackupError::Unsupported(format!(
            "the backup directory's path {} is not UTF-8",
            target.display()
        ))
    })?;
    live.execute_unprepared(&format!("VACUUM INTO '{}'", literal.replace('\'', "''")))
        .await?;
    super::sync_file(target).await?;
    let snapshot = open_read_only(target).await?;
    let facts = facts(&snapshot).await;
    snapshot.close().await?;
    Ok(facts?)
}

async fn open_read_only(file: &Path) -> Result<DatabaseConnection, DbErr> {
    let options = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .immutable(true);
    let pool = sea_orm::sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

/// Refuses a SQLite target that already holds a database (or its write-ahead log).
pub(super) fn sqlite_target_is_empty(file: &Path) -> Result<(), BackupError> {
    for candidate in [
        file.to_path_buf(),
        with_suffix(file, "-wal"),
        with_suffix(file, "-journal"),
    ] {
        match std::fs::metadata(&candidate) {
            Ok(meta) if meta.len() > 0 => {
                return Err(BackupError::TargetNotEmpty(format!(
                    "the database file {} already exists; restore into an empty data directory \
                     (or move that file away first)",
                    candidate.display()
                )))
            }
            _ => {}
        }
    }
    Ok(())
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// Puts the snapshot in place: copied under a temporary name beside the target, flushed, then
/// renamed, so a crash never leaves half a database under the real name.
pub(super) async fn sqlite_restore(snapshot: &Path, file: &Path) -> Result<(), BackupError> {
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        tokio::fs::create_dir_all(parent)
            .await
            .map_err(super::io_error(parent))?;
    }
    for stale in [with_suffix(file, "-wal"), with_suffix(file, "-shm")] {
        let _ = tokio::fs::remove_file(&stale).await;
    }
    let partial = with_suffix(file, ".restoring");
    tokio::fs::copy(snapshot, &partial)
        .await
        .map_err(super::io_error(&partial))?;
    super::sync_file(&partial).await?;
    tokio::fs::rename(&partial, file)
        .await
        .map_err(super::io_error(file))?;
    match file.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => super::sync_dir(parent).await,
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_of_a_sqlite_url_is_found_and_memory_is_refused() {
        assert_eq!(
            sqlite_file("sqlite://data/portal.db?mode=rwc").unwrap(),
            PathBuf::from("data/portal.db")
        );
        assert!(sqlite_file("sqlite::memory:").is_err());
        assert!(sqlite_file("sqlite://portal?mode=memory").is_err());
    }

    #[test]
    fn table_names_are_quoted_as_identifiers() {
        assert_eq!(quote("report"), "\"report\"");
        assert_eq!(quote("a\"b"), "\"a\"\"b\"");
    }
}
