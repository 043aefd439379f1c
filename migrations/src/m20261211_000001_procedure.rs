//! A denunciation's procedural steps (Law on Denunciations 2018, `domain::procedure`):
//! withdrawals (Art. 33), suspensions, resumptions and terminations with their decisions
//! (Art. 34), the written notices sent to each party (Art. 29, 30, 34(4), 35), and the
//! conclusions published on the transparency page (Art. 40).
//!
//! A suspended case keeps the day it was suspended; the days of every finished suspension add
//! up in `paused_days`, which the resolution clock skips (Art. 34(2)).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000002_reports::Report;
use crate::m20261127_000003_staff_accounts::AppUser;

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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProcedureStep::Table)
                    .col(pk_auto(ProcedureStep::Id))
                    .col(integer(ProcedureStep::ReportId))
                    .col(string_len(ProcedureStep::Kind, 24))
                    .col(string_len_null(ProcedureStep::Ground, 32))
                    .col(string_len_null(ProcedureStep::Scope, 16))
                    .col(string_len_null(ProcedureStep::Form, 16))
                    .col(string_len_null(ProcedureStep::DecisionNumber, 64))
                    .col(date(ProcedureStep::OccurredOn))
                    .col(date_null(ProcedureStep::DueAfter))
                    .col(integer(ProcedureStep::CreatedBy))
                    .col(timestamp_with_time_zone(ProcedureStep::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_procedure_step_report",
                        (ProcedureStep::Table, ProcedureStep::ReportId),
                        (Report::Table, Report::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_procedure_step_user",
                        (ProcedureStep::Table, ProcedureStep::CreatedBy),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_procedure_step_report")
                    .table(ProcedureStep::Table)
                    .col(ProcedureStep::ReportId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PublishedConclusion::Table)
                    .col(pk_auto(PublishedConclusion::Id))
                    .col(integer_uniq(PublishedConclusion::ReportId))
                    .col(text(PublishedConclusion::Summary))
                    .col(integer(PublishedConclusion::UnitId))
                    .col(integer(PublishedConclusion::CategoryId))
                    .col(string_len(PublishedConclusion::Finding, 32))
                    .col(date(PublishedConclusion::PublishedOn))
                    .col(integer(PublishedConclusion::PublishedBy))
                    .col(timestamp_with_time_zone(PublishedConclusion::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_published_conclusion_report",
                        (PublishedConclusion::Table, PublishedConclusion::ReportId),
                        (Report::Table, Report::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_published_conclusion_user",
                        (PublishedConclusion::Table, PublishedConclusion::PublishedBy),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_published_conclusion_day")
                    .table(PublishedConclusion::Table)
                    .col(PublishedConclusion::PublishedOn)
                    .to_owned(),
            )
            .await?;
        // One column per statement: SQLite adds one column at a time.
        for column in [
            date_null(CaseFile::SuspendedOn),
            integer(CaseFile::PausedDays).default(0).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(CaseFile::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [CaseFile::SuspendedOn, CaseFile::PausedDays] {
            manager
                .alter_table(
                    Table::alter()
                        .table(CaseFile::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(PublishedConclusion::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ProcedureStep::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ProcedureStep {
    Table,
    Id,
    ReportId,
    Kind,
    Ground,
    Scope,
    Form,
    DecisionNumber,
    OccurredOn,
    DueAfter,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PublishedConclusion {
    Table,
    Id,
    ReportId,
    Summary,
    UnitId,
    CategoryId,
    Finding,
    PublishedOn,
    PublishedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CaseFile {
    Table,
    SuspendedOn,
    PausedDays,
}
