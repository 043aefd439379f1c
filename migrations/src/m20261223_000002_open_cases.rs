//! SQLite: the open cases' searchable columns side by side, per team (issue 17, item 2).
//!
//! A text search for words in most reports ("nhân viên") with the overdue filter checks every
//! overdue case of the team on its rows. In `case_file` those rows are ordered by id, so a
//! team's 8,500 overdue cases at a million reports sit on 8,500 pages scattered over a 5 GB file
//! (86 ms to read them, warm). `case_open` holds, for each case of a team that is still open
//! (received, accepted, investigating, awaiting the reporter: what the deadline filters select),
//! the columns the inbox filters, sorts and searches on, keyed by `team_id × 2³² + id` so that a
//! team's open cases fill consecutive pages of a table a fraction of the size. Triggers on
//! `case_file` keep it for every writer; the inbox reads it under the name `case_file`
//! (`case_management::inbox`).
//!
//! PostgreSQL has no such table: its pages stay in shared buffers and its check per row is
//! cheap enough (`case_management::search`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The copied columns, in `case_file`'s names.
const COLUMNS: &str = "id, report_id, team_id, status, category_id, unit_id, \
     assignee_user_id, received_at, acceptance_due, resolution_due, search_text, text_tokens";

/// What the deadline filters select (`inbox::deadline_condition`).
pub(crate) const OPEN: &str = "('received', 'accepted', 'investigating', 'awaiting_reporter')";

fn copy(row: &str) -> String {
    let values: Vec<String> = COLUMNS
        .split(", ")
        .map(|c| format!("{row}.{}", c.trim()))
        .collect();
    format!(
        "INSERT INTO case_open (slot, {COLUMNS}) \
         SELECT {row}.team_id * 4294967296 + {row}.id, {} \
         WHERE {row}.team_id IS NOT NULL AND {row}.status IN {OPEN};",
        values.join(", ")
    )
}

fn remove(row: &str) -> String {
    format!("DELETE FROM case_open WHERE slot = {row}.team_id * 4294967296 + {row}.id;")
}

/// The three triggers on `case_file` keeping the open cases' tables: on insert `copy("NEW")`,
/// on delete `remove("OLD")`, on an update of a `watched` column both. This migration's
/// (`COLUMNS`, [`copy`], [`remove`]) and those of `m20261224_000001_open_case_words`.
pub(crate) async fn create_triggers(
    db: &SchemaManagerConnection<'_>,
    watched: &str,
    copy: fn(&str) -> String,
    remove: fn(&str) -> String,
) -> Result<(), DbErr> {
    db.execute_unprepared(&format!(
        "CREATE TRIGGER case_open_insert AFTER INSERT ON case_file BEGIN {} END",
        copy("NEW")
    ))
    .await?;
    db.execute_unprepared(&format!(
        "CREATE TRIGGER case_open_delete AFTER DELETE ON case_file BEGIN {} END",
        remove("OLD")
    ))
    .await?;
    db.execute_unprepared(&format!(
        "CREATE TRIGGER case_open_update AFTER UPDATE OF {watched} ON case_file \
         BEGIN {} {} END",
        remove("OLD"),
        copy("NEW")
    ))
    .await?;
    Ok(())
}

/// The triggers [`create_triggers`] made.
pub(crate) async fn drop_triggers(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    for trigger in ["insert", "delete", "update"] {
        db.execute_unprepared(&format!("DROP TRIGGER case_open_{trigger}"))
            .await?;
    }
    Ok(())
}

/// This migration's triggers (also restored by the way down of
/// `m20261224_000001_open_case_words`).
pub(crate) async fn create_own_triggers(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    create_triggers(db, COLUMNS, copy, remove).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE case_open (slot INTEGER PRIMARY KEY, id INTEGER NOT NULL, \
             report_id INTEGER NOT NULL, team_id INTEGER NOT NULL, status TEXT NOT NULL, \
             category_id INTEGER NOT NULL, unit_id INTEGER NOT NULL, assignee_user_id INTEGER, \
             received_at TEXT NOT NULL, acceptance_due TEXT NOT NULL, resolution_due TEXT, \
             search_text TEXT NOT NULL, text_tokens TEXT NOT NULL)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX idx_case_open_team_due ON case_open \
             (team_id, status, resolution_due, acceptance_due)",
        )
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO case_open (slot, {COLUMNS}) SELECT team_id * 4294967296 + id, {COLUMNS} \
             FROM case_file WHERE team_id IS NOT NULL AND status IN {OPEN} ORDER BY team_id, id"
        ))
        .await?;
        create_own_triggers(db).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        let db = manager.get_connection();
        drop_triggers(db).await?;
        db.execute_unprepared("DROP TABLE case_open").await?;
        Ok(())
    }
}
