//! SQLite: the words of the open cases indexed per team (issue 17, item 2).
//!
//! With `case_open` (`m20261223_000002_open_cases`), a text search for words in most reports
//! ("nhân viên") with the overdue filter still checked each of a team's 8,500 overdue cases'
//! word hashes with `instr`, 1.5 KB per case (93 ms p95 at a million reports). This migration
//! moves those hashes out of `case_open` into `case_open_words`, an FTS5 index keyed by team,
//! the day the case's running clock falls due, and id (`words_key`): the index lists a word's
//! cases in key order, so the cases of one team due within the deadline filter's days and
//! holding a word are one range of its list, which FTS5 seeks to (a `rowid BETWEEN`
//! constraint) instead of reading the word's cases in every team. The search
//! (`case_management::search`) asks it for that range and checks membership on the compact
//! rows of `case_open`.
//!
//! The index holds no copy of the text (`content=''`) and lets rows be deleted
//! (`contentless_delete=1`, SQLite 3.43+; the bundled SQLite is newer). The triggers of
//! `case_open` are replaced by ones keeping both tables.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::m20261223_000002_open_cases::{
    create_own_triggers, create_triggers, drop_triggers, OPEN,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns `case_open` copies from `case_file`, in `case_file`'s names.
const COLUMNS: &str = "id, report_id, team_id, status, category_id, unit_id, \
     assignee_user_id, received_at, acceptance_due, resolution_due, search_text";

/// The columns whose change moves a case in or out of the two tables or changes its row.
const WATCHED: &str = "id, report_id, team_id, status, category_id, unit_id, \
     assignee_user_id, received_at, acceptance_due, resolution_due, search_text, text_tokens";

fn slot(row: &str) -> String {
    format!("{row}.team_id * 4294967296 + {row}.id")
}

/// The key of a case in `case_open_words`: its team, the day its running clock falls due
/// (days since 2000-01-01, clamped to 16 bits: the acceptance deadline while received, the
/// resolution deadline after) and its id, 16 + 16 + 32 bits. A deadline filter selects a
/// range of days, so its cases in a team are one range of keys. `case_open`'s key is
/// `((key >> 48) << 32) + (key & 0xFFFFFFFF)`. Team ids stay below 32,768 (the sign bit).
fn words_key(row: &str) -> String {
    format!(
        "({row}.team_id << 48) + (COALESCE(MIN(65535, MAX(0, CAST(julianday(CASE \
         WHEN {row}.status = 'received' THEN {row}.acceptance_due \
         ELSE COALESCE({row}.resolution_due, '2000-01-01') END) - 2451544.5 AS INTEGER))), 0) \
         << 32) + {row}.id"
    )
}

fn open(row: &str) -> String {
    format!("{row}.team_id IS NOT NULL AND {row}.status IN {OPEN}")
}

fn copy(row: &str) -> String {
    let values: Vec<String> = COLUMNS
        .split(", ")
        .map(|c| format!("{row}.{}", c.trim()))
        .collect();
    format!(
        "INSERT INTO case_open (slot, {COLUMNS}) SELECT {}, {} WHERE {}; \
         INSERT INTO case_open_words (rowid, text_tokens) SELECT {}, {row}.text_tokens WHERE {};",
        slot(row),
        values.join(", "),
        open(row),
        words_key(row),
        open(row),
    )
}

fn remove(row: &str) -> String {
    format!(
        "DELETE FROM case_open WHERE slot = {}; \
         DELETE FROM case_open_words WHERE rowid = {} AND {};",
        slot(row),
        words_key(row),
        open(row),
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        let db = manager.get_connection();
        drop_triggers(db).await?;
        db.execute_unprepared("ALTER TABLE case_open DROP COLUMN text_tokens")
            .await?;
        db.execute_unprepared(
            "CREATE VIRTUAL TABLE case_open_words USING fts5(text_tokens, content='', \
             contentless_delete=1, tokenize='unicode61', detail='none')",
        )
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO case_open_words (rowid, text_tokens) SELECT {}, text_tokens \
             FROM case_file WHERE {} ORDER BY 1",
            words_key("case_file"),
            open("case_file"),
        ))
        .await?;
        create_triggers(db, WATCHED, copy, remove).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        let db = manager.get_connection();
        drop_triggers(db).await?;
        db.execute_unprepared("DROP TABLE case_open_words").await?;
        db.execute_unprepared(
            "ALTER TABLE case_open ADD COLUMN text_tokens TEXT NOT NULL DEFAULT ''",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE case_open SET text_tokens = \
             (SELECT c.text_tokens FROM case_file c WHERE c.id = case_open.id)",
        )
        .await?;
        create_own_triggers(db).await
    }
}
