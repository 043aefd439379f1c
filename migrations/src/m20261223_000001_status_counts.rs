//! Cases per team and status, kept by triggers (issue 17, item 2).
//!
//! Every inbox page shows how many of the viewer's cases are in each status. Counting them
//! read the team's whole `(team, status, …)` index on every page: 154,000 entries for the
//! busiest team at a million reports, 11–20 ms on either database. `case_status_count` holds
//! the figure per team and status; triggers on `case_file` keep it for every writer (intake,
//! routing, status changes, purge, the demo seeder), so a page reads a few rows. A case without
//! a team is in no inbox and is not counted.
//!
//! On PostgreSQL one statement per changed row applies both halves of a move in (team, status)
//! order, so two transactions moving cases in opposite directions take the rows' locks in the
//! same order and cannot deadlock on them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "CREATE TABLE case_status_count (\
     team_id INTEGER NOT NULL, status VARCHAR NOT NULL, n BIGINT NOT NULL, \
     PRIMARY KEY (team_id, status))";

const FILL: &str = "INSERT INTO case_status_count (team_id, status, n) \
     SELECT team_id, status, COUNT(*) FROM case_file WHERE team_id IS NOT NULL \
     GROUP BY team_id, status";

/// `INSERT … ON CONFLICT` adding `delta` to the (team, status) row, for SQLite's triggers.
fn sqlite_add(row: &str, delta: i32) -> String {
    format!(
        "INSERT INTO case_status_count (team_id, status, n) \
         SELECT {row}.team_id, {row}.status, {delta} WHERE {row}.team_id IS NOT NULL \
         ON CONFLICT (team_id, status) DO UPDATE SET n = n + ({delta});"
    )
}

const POSTGRES_FUNCTION: &str = "CREATE FUNCTION case_status_count_follow() RETURNS trigger \
     LANGUAGE plpgsql AS $$ BEGIN \
     INSERT INTO case_status_count AS c (team_id, status, n) \
     SELECT t, s, SUM(d) FROM (VALUES \
       (CASE WHEN TG_OP <> 'INSERT' THEN OLD.team_id END, \
        CASE WHEN TG_OP <> 'INSERT' THEN OLD.status END, -1), \
       (CASE WHEN TG_OP <> 'DELETE' THEN NEW.team_id END, \
        CASE WHEN TG_OP <> 'DELETE' THEN NEW.status END, 1)) AS v (t, s, d) \
     WHERE t IS NOT NULL GROUP BY t, s HAVING SUM(d) <> 0 ORDER BY t, s \
     ON CONFLICT (team_id, status) DO UPDATE SET n = c.n + EXCLUDED.n; \
     RETURN NULL; END $$";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(TABLE).await?;
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(POSTGRES_FUNCTION).await?;
                db.execute_unprepared(
                    "CREATE TRIGGER case_status_count_follow \
                     AFTER INSERT OR DELETE OR UPDATE OF team_id, status ON case_file \
                     FOR EACH ROW EXECUTE FUNCTION case_status_count_follow()",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER case_status_count_insert AFTER INSERT ON case_file \
                     BEGIN {} END",
                    sqlite_add("NEW", 1)
                ))
                .await?;
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER case_status_count_delete AFTER DELETE ON case_file \
                     BEGIN {} END",
                    sqlite_add("OLD", -1)
                ))
                .await?;
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER case_status_count_update \
                     AFTER UPDATE OF team_id, status ON case_file \
                     WHEN OLD.team_id IS NOT NEW.team_id OR OLD.status <> NEW.status \
                     BEGIN {} {} END",
                    sqlite_add("OLD", -1),
                    sqlite_add("NEW", 1)
                ))
                .await?;
            }
        }
        db.execute_unprepared(FILL).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared("DROP TRIGGER case_status_count_follow ON case_file")
                .await?;
            db.execute_unprepared("DROP FUNCTION case_status_count_follow()")
                .await?;
        } else {
            for trigger in ["insert", "delete", "update"] {
                db.execute_unprepared(&format!("DROP TRIGGER case_status_count_{trigger}"))
                    .await?;
            }
        }
        db.execute_unprepared("DROP TABLE case_status_count")
            .await?;
        Ok(())
    }
}
