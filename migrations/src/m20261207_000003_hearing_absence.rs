//! A disciplinary decision records why the representative body did not take part or the
//! employee was not heard, when a reason the Labour Code accepts applies (Art. 122(1)(b)–(c);
//! Decree 145/2020/NĐ-CP, Art. 70). Existing decisions keep none.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DisciplineDecision {
    Table,
    RepresentativeAbsence,
    EmployeeAbsence,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column at a time.
        for column in [
            DisciplineDecision::RepresentativeAbsence,
            DisciplineDecision::EmployeeAbsence,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(DisciplineDecision::Table)
                        .add_column(string_len_null(column, 32))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            DisciplineDecision::RepresentativeAbsence,
            DisciplineDecision::EmployeeAbsence,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(DisciplineDecision::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
