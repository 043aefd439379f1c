//! A dismissal records its ground under Labour Code 2019 Art. 125 (clause 1, 2, 3 or 4).
//! Existing decisions keep none.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DisciplineDecision {
    Table,
    DismissalGround,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(DisciplineDecision::Table)
                    .add_column(string_len_null(DisciplineDecision::DismissalGround, 32))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(DisciplineDecision::Table)
                    .drop_column(DisciplineDecision::DismissalGround)
                    .to_owned(),
            )
            .await
    }
}
