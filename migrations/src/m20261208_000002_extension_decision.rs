//! Art. 24(1) and 30(1) of the Law on Denunciations: the acceptance period lengthened to 10
//! working days keeps its reason on the case; each extension of the resolution records the
//! complexity grade that allows it (complex: once, very complex: twice) and the number of its
//! written decision. Earlier extensions keep neither.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CaseFile {
    Table,
    AcceptanceLengthenedReason,
}

#[derive(DeriveIden)]
enum DeadlineExtension {
    Table,
    Complexity,
    DecisionNumber,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CaseFile::Table)
                    .add_column(text_null(CaseFile::AcceptanceLengthenedReason))
                    .to_owned(),
            )
            .await?;
        // One column per statement: SQLite adds one column at a time.
        for column in [
            string_len_null(DeadlineExtension::Complexity, 16),
            string_len_null(DeadlineExtension::DecisionNumber, 64),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(DeadlineExtension::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            DeadlineExtension::Complexity,
            DeadlineExtension::DecisionNumber,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(DeadlineExtension::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(CaseFile::Table)
                    .drop_column(CaseFile::AcceptanceLengthenedReason)
                    .to_owned(),
            )
            .await
    }
}
