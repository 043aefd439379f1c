//! Analytics: satisfaction ratings, commendations, and the rollups the leadership dashboard
//! and the public transparency page read instead of scanning every report.
//!
//! Rollups are keyed by the month a report was received (Hà Nội time, `yyyymm`), the reported
//! unit and the category; each row holds additive counters that one function keeps up to date
//! inside the transaction of every change to a report (see `src/analytics/rollups.rs`).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000001_reference_data::{OrgUnit, ViolationCategory};
use crate::m20261127_000002_reports::Report;
use crate::m20261127_000003_staff_accounts::InspectionTeam;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .to_owned()
}

async fn unique_index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + Copy + 'static,
    columns: Vec<DynIden>,
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table).unique();
    for column in columns {
        index.col(column);
    }
    manager.create_index(index.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SatisfactionRating::Table)
                    .col(pk_auto(SatisfactionRating::Id))
                    .col(integer_uniq(SatisfactionRating::ReportId))
                    .col(integer(SatisfactionRating::Score))
                    .col(text_null(SatisfactionRating::Comment))
                    .col(timestamp_with_time_zone(SatisfactionRating::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_satisfaction_rating_report",
                        (SatisfactionRating::Table, SatisfactionRating::ReportId),
                        (Report::Table, Report::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Commendation::Table)
                    .col(pk_auto(Commendation::Id))
                    .col(integer(Commendation::UnitId))
                    .col(integer_null(Commendation::TeamId))
                    .col(string_len_null(Commendation::StaffName, 200))
                    .col(string_len_null(Commendation::StaffNumber, 40))
                    .col(text(Commendation::Body))
                    .col(timestamp_with_time_zone(Commendation::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_commendation_unit",
                        (Commendation::Table, Commendation::UnitId),
                        (OrgUnit::Table, OrgUnit::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_commendation_team",
                        (Commendation::Table, Commendation::TeamId),
                        (InspectionTeam::Table, InspectionTeam::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_commendation_team_created")
                    .table(Commendation::Table)
                    .col(Commendation::TeamId)
                    .col(Commendation::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CaseRollup::Table)
                    .col(pk_auto(CaseRollup::Id))
                    .col(integer(CaseRollup::Month))
                    .col(integer(CaseRollup::UnitId))
                    .col(integer(CaseRollup::CategoryId))
                    .col(big_integer(CaseRollup::Received))
                    .col(big_integer(CaseRollup::Anonymous))
                    .col(big_integer(CaseRollup::AnonymousReturned))
                    .col(big_integer(CaseRollup::Accepted))
                    .col(big_integer(CaseRollup::OpenCases))
                    .col(big_integer(CaseRollup::Declined))
                    .col(big_integer(CaseRollup::Concluded))
                    .col(big_integer(CaseRollup::Closed))
                    .col(big_integer(CaseRollup::ClosedOnTime))
                    .col(big_integer(CaseRollup::WithFinding))
                    .col(big_integer(CaseRollup::Substantiated))
                    .col(big_integer(CaseRollup::DaysToCloseSum))
                    .col(big_integer(CaseRollup::RatingCount))
                    .col(big_integer(CaseRollup::RatingSum))
                    .foreign_key(&mut fk(
                        "fk_case_rollup_unit",
                        (CaseRollup::Table, CaseRollup::UnitId),
                        (OrgUnit::Table, OrgUnit::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_case_rollup_category",
                        (CaseRollup::Table, CaseRollup::CategoryId),
                        (ViolationCategory::Table, ViolationCategory::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "uq_case_rollup_key",
            CaseRollup::Table,
            vec![
                CaseRollup::Month.into_iden(),
                CaseRollup::UnitId.into_iden(),
                CaseRollup::CategoryId.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CloseHistogram::Table)
                    .col(pk_auto(CloseHistogram::Id))
                    .col(integer(CloseHistogram::Month))
                    .col(integer(CloseHistogram::UnitId))
                    .col(integer(CloseHistogram::Days))
                    .col(big_integer(CloseHistogram::N))
                    .foreign_key(&mut fk(
                        "fk_close_histogram_unit",
                        (CloseHistogram::Table, CloseHistogram::UnitId),
                        (OrgUnit::Table, OrgUnit::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "uq_close_histogram_key",
            CloseHistogram::Table,
            vec![
                CloseHistogram::Month.into_iden(),
                CloseHistogram::UnitId.into_iden(),
                CloseHistogram::Days.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(DueRollup::Table)
                    .col(pk_auto(DueRollup::Id))
                    .col(integer(DueRollup::Month))
                    .col(integer(DueRollup::UnitId))
                    .col(integer(DueRollup::CategoryId))
                    .col(date(DueRollup::DueOn))
                    .col(big_integer(DueRollup::N))
                    .foreign_key(&mut fk(
                        "fk_due_rollup_unit",
                        (DueRollup::Table, DueRollup::UnitId),
                        (OrgUnit::Table, OrgUnit::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_due_rollup_category",
                        (DueRollup::Table, DueRollup::CategoryId),
                        (ViolationCategory::Table, ViolationCategory::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "uq_due_rollup_key",
            DueRollup::Table,
            vec![
                DueRollup::Month.into_iden(),
                DueRollup::UnitId.into_iden(),
                DueRollup::CategoryId.into_iden(),
                DueRollup::DueOn.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CommendationRollup::Table)
                    .col(pk_auto(CommendationRollup::Id))
                    .col(integer(CommendationRollup::Month))
                    .col(integer(CommendationRollup::UnitId))
                    .col(big_integer(CommendationRollup::N))
                    .foreign_key(&mut fk(
                        "fk_commendation_rollup_unit",
                        (CommendationRollup::Table, CommendationRollup::UnitId),
                        (OrgUnit::Table, OrgUnit::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "uq_commendation_rollup_key",
            CommendationRollup::Table,
            vec![
                CommendationRollup::Month.into_iden(),
                CommendationRollup::UnitId.into_iden(),
            ],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CommendationRollup::Table.into_iden(),
            DueRollup::Table.into_iden(),
            CloseHistogram::Table.into_iden(),
            CaseRollup::Table.into_iden(),
            Commendation::Table.into_iden(),
            SatisfactionRating::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum SatisfactionRating {
    Table,
    Id,
    ReportId,
    Score,
    Comment,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Commendation {
    Table,
    Id,
    UnitId,
    TeamId,
    StaffName,
    StaffNumber,
    Body,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum CaseRollup {
    Table,
    Id,
    Month,
    UnitId,
    CategoryId,
    Received,
    Anonymous,
    AnonymousReturned,
    Accepted,
    OpenCases,
    Declined,
    Concluded,
    Closed,
    ClosedOnTime,
    WithFinding,
    Substantiated,
    DaysToCloseSum,
    RatingCount,
    RatingSum,
}

#[derive(DeriveIden, Clone, Copy)]
enum CloseHistogram {
    Table,
    Id,
    Month,
    UnitId,
    Days,
    N,
}

#[derive(DeriveIden, Clone, Copy)]
enum DueRollup {
    Table,
    Id,
    Month,
    UnitId,
    CategoryId,
    DueOn,
    N,
}

#[derive(DeriveIden, Clone, Copy)]
enum CommendationRollup {
    Table,
    Id,
    Month,
    UnitId,
    N,
}
