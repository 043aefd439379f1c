//! Each org unit may carry its customer-care hotline numbers (issue 14): one nullable text
//! column, several numbers separated by " / " (EVNSPC: "1900 1006 / 1900 9000"). The numbers of
//! a unit are shown, edited and audited together and have no attributes of their own, so a
//! table of numbers would add a screen and joins for nothing. The shipped numbers of the
//! corporations are filled in by the reference loader, once, like other reference data.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrgUnit {
    Table,
    Hotline,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OrgUnit::Table)
                    .add_column(text_null(OrgUnit::Hotline))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OrgUnit::Table)
                    .drop_column(OrgUnit::Hotline)
                    .to_owned(),
            )
            .await
    }
}
