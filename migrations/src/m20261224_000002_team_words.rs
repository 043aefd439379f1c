//! PostgreSQL: the open cases' word hashes indexed per team (issue 17, item 2), the
//! counterpart of SQLite's `case_open_words` (`m20261224_000001_open_case_words`).
//!
//! A text search for words in most reports ("nhân viên") with the overdue filter checked each
//! of a team's 8,500 overdue cases' word hashes with `strpos` (28 ms of 47 at a million
//! reports): the array index over every case lists such a word's 800,000 cases, too many to
//! read. This index lists, for the open cases only (what the deadline filters select), each
//! word hash prefixed with the case's team (`12:3fa9…`, by `case_team_words`), so that a word's
//! list in one team is the few thousand cases it holds there, which PostgreSQL intersects with
//! the overdue cases' bitmap before reading any row. The search
//! (`case_management::search`) asks for it with the function's own expression.
//!
//! The function is marked costly (`COST 1000`): evaluated on each row it would be, and the
//! planner should rather read the index.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::m20261223_000002_open_cases::OPEN;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE FUNCTION case_team_words(team integer, tokens text) RETURNS text[] \
             LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$ \
             BEGIN RETURN ARRAY(SELECT team::text || ':' || w \
             FROM unnest(string_to_array(btrim(tokens), ' ')) AS w WHERE w <> ''); END $$",
        )
        .await?;
        db.execute_unprepared(&format!(
            "CREATE INDEX idx_case_file_open_team_words ON case_file \
             USING gin (case_team_words(team_id, text_tokens)) \
             WHERE team_id IS NOT NULL AND status IN {OPEN}"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX idx_case_file_open_team_words")
            .await?;
        db.execute_unprepared("DROP FUNCTION case_team_words(integer, text)")
            .await?;
        Ok(())
    }
}
