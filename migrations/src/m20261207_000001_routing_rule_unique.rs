//! One routing rule per (unit, category), enforced by the database (issue 18, item 11): the
//! form's own check cannot stop two admins saving at the same instant on PostgreSQL, where
//! both transactions see no rule and both insert.
//!
//! "Any category" is a rule whose `category_id` is NULL, and both databases treat NULLs as
//! distinct in a unique index, so the index covers `COALESCE(category_id, 0)` (category ids
//! start at 1). The portable DSL has no expression index; this statement is the same on
//! SQLite and PostgreSQL.
//!
//! Duplicates already stored are merged first, deterministically: of each (unit, category)
//! group the rule routing used is kept — the oldest (lowest id) rule whose team is active, or
//! the oldest rule when no team of the group is active — and the others are deleted. Routing
//! therefore sends every report where it went before the migration.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const MERGE_DUPLICATES: &str = "DELETE FROM routing_rule WHERE id NOT IN ( \
     SELECT COALESCE(MIN(CASE WHEN t.active THEN r.id END), MIN(r.id)) \
     FROM routing_rule r LEFT JOIN inspection_team t ON t.id = r.team_id \
     GROUP BY r.org_unit_id, COALESCE(r.category_id, 0))";

const CREATE_INDEX: &str = "CREATE UNIQUE INDEX uq_routing_rule_unit_category \
     ON routing_rule (org_unit_id, (COALESCE(category_id, 0)))";

const DROP_INDEX: &str = "DROP INDEX uq_routing_rule_unit_category";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(MERGE_DUPLICATES).await?;
        db.execute_unprepared(CREATE_INDEX).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(DROP_INDEX)
            .await?;
        Ok(())
    }
}
