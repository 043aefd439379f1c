//! Indexes for the inbox and the case page at a million reports (see docs/performance.md):
//!
//! - the inbox's counts per status and its status × category filter read only indexes (on
//!   PostgreSQL too, which does not add the primary key to an index as SQLite does);
//! - the deadline filter scans a team's open cases by their due dates, not the whole team;
//! - the exclusion check finds a user's exclusions directly;
//! - the case page's deadline extensions and "same name in the same unit" lookups stop
//!   scanning whole tables.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum CaseFile {
    Table,
    TeamId,
    Status,
    CategoryId,
    ReceivedAt,
    ReportId,
    AcceptanceDue,
    ResolutionDue,
}

#[derive(DeriveIden, Clone, Copy)]
enum CaseExclusion {
    Table,
    UserId,
    ReportId,
}

#[derive(DeriveIden, Clone, Copy)]
enum DeadlineExtension {
    Table,
    ReportId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Report {
    Table,
    Id,
    UnitId,
    StaffName,
}

/// (name, table, columns) of every index this migration adds.
fn indexes() -> Vec<(&'static str, DynIden, Vec<DynIden>)> {
    vec![
        (
            "idx_case_file_team_status_report",
            CaseFile::Table.into_iden(),
            vec![
                CaseFile::TeamId.into_iden(),
                CaseFile::Status.into_iden(),
                CaseFile::ReportId.into_iden(),
            ],
        ),
        (
            "idx_case_file_team_status_category_received",
            CaseFile::Table.into_iden(),
            vec![
                CaseFile::TeamId.into_iden(),
                CaseFile::Status.into_iden(),
                CaseFile::CategoryId.into_iden(),
                CaseFile::ReceivedAt.into_iden(),
                CaseFile::ReportId.into_iden(),
            ],
        ),
        (
            "idx_case_file_team_status_due",
            CaseFile::Table.into_iden(),
            vec![
                CaseFile::TeamId.into_iden(),
                CaseFile::Status.into_iden(),
                CaseFile::AcceptanceDue.into_iden(),
                CaseFile::ResolutionDue.into_iden(),
                CaseFile::ReportId.into_iden(),
            ],
        ),
        (
            "idx_case_exclusion_user_report",
            CaseExclusion::Table.into_iden(),
            vec![
                CaseExclusion::UserId.into_iden(),
                CaseExclusion::ReportId.into_iden(),
            ],
        ),
        (
            "idx_deadline_extension_report",
            DeadlineExtension::Table.into_iden(),
            vec![DeadlineExtension::ReportId.into_iden()],
        ),
        (
            "idx_report_unit_staff_name",
            Report::Table.into_iden(),
            vec![
                Report::UnitId.into_iden(),
                Report::StaffName.into_iden(),
                Report::Id.into_iden(),
            ],
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in indexes() {
            let mut index = Index::create();
            index.name(name).table(table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in indexes().into_iter().rev() {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
