//! The receipt code sent by SMS to a caller an operator filed a report for: the phone and the
//! code travel through the outbox sealed under the report's data key (`notification.sealed`),
//! and the column is emptied once the message is sent or has failed for good.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Notification::Table)
                    .add_column(blob_null(Notification::Sealed))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Notification::Table)
                    .drop_column(Notification::Sealed)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    Sealed,
}
