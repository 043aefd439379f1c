//! A real index for the inbox's text search (issue 17, item 2). The inbox matches each folded
//! word of a query as a substring of `case_file.search_text` (reference, named staff member) or
//! as a whole keyed word hash in `case_file.text_tokens` (` h1 h2 … `; the report text itself is
//! sealed). Both were `LIKE '%…%'` over every candidate row; now:
//!
//! - SQLite: two external-content FTS5 tables over `case_file` (no second copy of the text):
//!   `case_file_text` with the trigram tokenizer (substrings of three characters or more) and
//!   `case_file_words` with the unicode61 tokenizer over the hashes (whole tokens, `detail=none`:
//!   no positions are needed). Triggers on `case_file` keep them in step with every write,
//!   whichever code makes it (intake, legacy sealing, purge, the demo seeder, a restore).
//! - PostgreSQL: a `pg_trgm` GIN index on `search_text` (used by `LIKE '%…%'`) and a GIN index on
//!   `string_to_array(text_tokens, ' ')` (used by `@> ARRAY[…]`). `pg_trgm` is a trusted extension
//!   (PostgreSQL 13+): the database owner or a user with `CREATE` on the database may create it,
//!   no superuser needed. When it cannot be created the migration stops with a message saying
//!   what to grant.
//!
//! Per-database SQL, like the reference-version triggers: neither index is in the portable DSL.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (FTS5 table, `case_file` column, tokenizer options).
const SQLITE_INDEXES: [(&str, &str, &str); 2] = [
    ("case_file_text", "search_text", "tokenize='trigram'"),
    (
        "case_file_words",
        "text_tokens",
        "tokenize='unicode61', detail='none'",
    ),
];

async fn sqlite_up(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    let mut on_insert = String::new();
    let mut on_delete = String::new();
    for (table, column, options) in SQLITE_INDEXES {
        db.execute_unprepared(&format!(
            "CREATE VIRTUAL TABLE {table} USING fts5({column}, content='case_file', \
             content_rowid='id', {options})"
        ))
        .await?;
        let insert = format!("INSERT INTO {table}(rowid, {column}) VALUES (new.id, new.{column});");
        let delete = format!(
            "INSERT INTO {table}({table}, rowid, {column}) VALUES ('delete', old.id, old.{column});"
        );
        db.execute_unprepared(&format!(
            "CREATE TRIGGER {table}_update AFTER UPDATE OF {column} ON case_file \
             BEGIN {delete} {insert} END"
        ))
        .await?;
        on_insert.push_str(&insert);
        on_delete.push_str(&delete);
        db.execute_unprepared(&format!("INSERT INTO {table}({table}) VALUES ('rebuild')"))
            .await?;
    }
    db.execute_unprepared(&format!(
        "CREATE TRIGGER case_file_search_insert AFTER INSERT ON case_file BEGIN {on_insert} END"
    ))
    .await?;
    db.execute_unprepared(&format!(
        "CREATE TRIGGER case_file_search_delete AFTER DELETE ON case_file BEGIN {on_delete} END"
    ))
    .await?;
    Ok(())
}

async fn postgres_up(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        .await
        .map_err(|e| {
            DbErr::Migration(format!(
                "the inbox's text index needs the PostgreSQL extension pg_trgm, which could not \
                 be created ({e}). It ships with PostgreSQL (package postgresql-contrib on some \
                 systems) and is trusted since PostgreSQL 13: grant the portal's database user \
                 CREATE on the database (GRANT CREATE ON DATABASE <db> TO <user>), or have a \
                 superuser run CREATE EXTENSION pg_trgm in this database once, then start the \
                 portal again"
            ))
        })?;
    db.execute_unprepared(
        "CREATE INDEX idx_case_file_search_text_trgm ON case_file \
         USING gin (search_text gin_trgm_ops)",
    )
    .await?;
    db.execute_unprepared(
        "CREATE INDEX idx_case_file_text_tokens ON case_file \
         USING gin (string_to_array(text_tokens, ' '))",
    )
    .await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => postgres_up(db).await,
            _ => sqlite_up(db).await,
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                // The extension stays: other objects may use it, and dropping it may need
                // rights the portal's user lacks.
                db.execute_unprepared("DROP INDEX idx_case_file_text_tokens")
                    .await?;
                db.execute_unprepared("DROP INDEX idx_case_file_search_text_trgm")
                    .await?;
            }
            _ => {
                db.execute_unprepared("DROP TRIGGER case_file_search_insert")
                    .await?;
                db.execute_unprepared("DROP TRIGGER case_file_search_delete")
                    .await?;
                for (table, _, _) in SQLITE_INDEXES {
                    db.execute_unprepared(&format!("DROP TRIGGER {table}_update"))
                        .await?;
                    db.execute_unprepared(&format!("DROP TABLE {table}"))
                        .await?;
                }
            }
        }
        Ok(())
    }
}
