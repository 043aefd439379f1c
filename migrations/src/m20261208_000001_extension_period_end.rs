//! A lawful extension of the disciplinary limitation records the day the protected period of
//! Art. 122(4)(a)–(c) ended: Labour Code Art. 123(2) allows the extension for at most 60 days
//! from that day. Existing decisions keep none.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DisciplineDecision {
    Table,
    ExtensionPeriodEnded,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(DisciplineDecision::Table)
                    .add_column(date_null(DisciplineDecision::ExtensionPeriodEnded))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(DisciplineDecision::Table)
                    .drop_column(DisciplineDecision::ExtensionPeriodEnded)
                    .to_owned(),
            )
            .await
    }
}
