//! The staff directory records whether an employee holds a managerial post: Labour Code 2019
//! Art. 124 allows removal from post (cách chức) only for such a person. Existing employees
//! hold none until an admin or an HR import says so.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StaffMember {
    Table,
    HoldsPost,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(StaffMember::Table)
                    .add_column(boolean(StaffMember::HoldsPost).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(StaffMember::Table)
                    .drop_column(StaffMember::HoldsPost)
                    .to_owned(),
            )
            .await
    }
}
