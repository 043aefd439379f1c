//! The 12-month limitation of Labour Code Art. 123(1) is a property of the violation, not of
//! its category: a finding records whether the violation directly concerns the employer's
//! finances, assets, or the disclosure of its technology or business secrets, and why.
//! Existing findings take their case category's flag, which was the rule until now, with a
//! reason saying so.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DisciplineFinding {
    Table,
    ReportId,
    FinanceAssetsSecrets,
    FinanceAssetsReason,
}

#[derive(DeriveIden)]
enum CaseFile {
    Table,
    ReportId,
    CategoryId,
}

#[derive(DeriveIden)]
enum ViolationCategory {
    Table,
    Id,
    FinanceAssetsSecrets,
}

/// The reason recorded on findings migrated from their category's flag.
const MIGRATED_REASON: &str = "Theo loại vi phạm của phản ánh (ghi nhận trước khi thời hiệu 12 tháng được xác định cho từng hành vi vi phạm) / From the report's category (recorded before the 12-month limitation was decided per finding)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(DisciplineFinding::Table)
                    .add_column(boolean(DisciplineFinding::FinanceAssetsSecrets).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(DisciplineFinding::Table)
                    .add_column(text_null(DisciplineFinding::FinanceAssetsReason))
                    .to_owned(),
            )
            .await?;
        let flagged_cases = Query::select()
            .column((CaseFile::Table, CaseFile::ReportId))
            .from(CaseFile::Table)
            .inner_join(
                ViolationCategory::Table,
                Expr::col((ViolationCategory::Table, ViolationCategory::Id))
                    .equals((CaseFile::Table, CaseFile::CategoryId)),
            )
            .and_where(
                Expr::col((
                    ViolationCategory::Table,
                    ViolationCategory::FinanceAssetsSecrets,
                ))
                .eq(true),
            )
            .to_owned();
        manager
            .exec_stmt(
                Query::update()
                    .table(DisciplineFinding::Table)
                    .value(DisciplineFinding::FinanceAssetsSecrets, true)
                    .value(DisciplineFinding::FinanceAssetsReason, MIGRATED_REASON)
                    .and_where(Expr::col(DisciplineFinding::ReportId).in_subquery(flagged_cases))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            DisciplineFinding::FinanceAssetsReason,
            DisciplineFinding::FinanceAssetsSecrets,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(DisciplineFinding::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
