//! Index keys for the conflict-of-interest check by name (issue 17, item 2).
//!
//! Deriving a viewer's conflicts used to read and fold every named report of their teams on
//! every request. `case_name_key` holds, for each report naming somebody, hashed keys of the
//! typed name and employee number (`domain::conflict::typed_keys`); a person's own keys
//! (`person_keys`, computed from the staff records as they are now) find the reports that may
//! name them, and only those few are checked by the rule itself. The keys come from the
//! reporter's words alone, so they never go stale: staff records, accounts and units are read at
//! request time as before. Each row also carries its case's current team (copied by a trigger
//! when a case moves), so `(key, team_id, report_id)` answers "which of my teams' reports may
//! name these people" from the index alone, without probing a million-row `case_file` for the
//! team of every report across the corporation that gives a common name.
//!
//! Keys need the portal's Vietnamese folding, which this crate does not have, so the migration
//! only lists the reports that need keys in `case_name_key_backfill`; the portal computes them at
//! start-up, before serving, and empties the list (`case_management::name_keys::backfill`).

use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

/// The trigger's statement: a case's keys follow it to its new team.
const FOLLOW: &str =
    "UPDATE case_name_key SET team_id = NEW.team_id WHERE report_id = NEW.report_id";

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CaseNameKey {
    Table,
    Key,
    ReportId,
    TeamId,
}

#[derive(DeriveIden)]
enum CaseNameKeyBackfill {
    Table,
    ReportId,
}

#[derive(DeriveIden)]
enum Report {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CaseNameKey::Table)
                    .col(big_integer(CaseNameKey::Key))
                    .col(integer(CaseNameKey::ReportId))
                    .col(integer_null(CaseNameKey::TeamId))
                    .primary_key(
                        Index::create()
                            .col(CaseNameKey::Key)
                            .col(CaseNameKey::ReportId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_case_name_key_report")
                            .from(CaseNameKey::Table, CaseNameKey::ReportId)
                            .to(Report::Table, Report::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_case_name_key_report_id")
                    .table(CaseNameKey::Table)
                    .col(CaseNameKey::ReportId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_case_name_key_key_team")
                    .table(CaseNameKey::Table)
                    .col(CaseNameKey::Key)
                    .col(CaseNameKey::TeamId)
                    .col(CaseNameKey::ReportId)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(&format!(
                    "CREATE FUNCTION case_name_key_team() RETURNS trigger LANGUAGE plpgsql AS \
                     $$ BEGIN {FOLLOW}; RETURN NULL; END $$"
                ))
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER case_name_key_team AFTER UPDATE OF team_id ON case_file \
                     FOR EACH ROW EXECUTE FUNCTION case_name_key_team()",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER case_name_key_team AFTER UPDATE OF team_id ON case_file \
                     BEGIN {FOLLOW}; END"
                ))
                .await?;
            }
        }
        manager
            .create_table(
                Table::create()
                    .table(CaseNameKeyBackfill::Table)
                    .col(integer(CaseNameKeyBackfill::ReportId).primary_key())
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO case_name_key_backfill (report_id) SELECT id FROM report \
                 WHERE staff_name IS NOT NULL OR staff_number IS NOT NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared("DROP TRIGGER case_name_key_team ON case_file")
                .await?;
            db.execute_unprepared("DROP FUNCTION case_name_key_team()")
                .await?;
        } else {
            db.execute_unprepared("DROP TRIGGER case_name_key_team")
                .await?;
        }
        manager
            .drop_table(Table::drop().table(CaseNameKeyBackfill::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CaseNameKey::Table).to_owned())
            .await
    }
}
