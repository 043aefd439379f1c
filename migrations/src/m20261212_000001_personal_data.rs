//! Personal data (Law on Personal Data Protection No. 91/2025/QH15, `domain::retention`):
//! a named reporter's consent (the privacy notice's version and the day, nothing about the
//! browser), and each closed case's retention state: the day its team leads were warned of the
//! purge, a legal hold with its reason, and when it was purged.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column at a time.
        for column in [
            string_len_null(Report::ConsentVersion, 16),
            date_null(Report::ConsentedOn),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Report::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            date_null(CaseFile::RetentionWarnedOn),
            text_null(CaseFile::LegalHoldReason),
            integer_null(CaseFile::LegalHoldBy),
            timestamp_with_time_zone_null(CaseFile::LegalHoldAt),
            timestamp_with_time_zone_null(CaseFile::PurgedAt),
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
        for column in [
            CaseFile::RetentionWarnedOn,
            CaseFile::LegalHoldReason,
            CaseFile::LegalHoldBy,
            CaseFile::LegalHoldAt,
            CaseFile::PurgedAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(CaseFile::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [Report::ConsentVersion, Report::ConsentedOn] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Report::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Report {
    Table,
    ConsentVersion,
    ConsentedOn,
}

#[derive(DeriveIden)]
enum CaseFile {
    Table,
    RetentionWarnedOn,
    LegalHoldReason,
    LegalHoldBy,
    LegalHoldAt,
    PurgedAt,
}
