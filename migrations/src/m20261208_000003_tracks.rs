//! Two tracks (Law on Denunciations 2018, Art. 22–25; `domain::track`): every case runs as a
//! tip (anonymous, no legal clock), a denunciation candidate (named, its denouncer not yet
//! verified) or a denunciation (verified: the legal clocks run). The verification is recorded:
//! how, by whom, when.
//!
//! Existing cases: anonymous ones become tips; named ones still awaiting acceptance become
//! candidates, to be verified; named ones already accepted were handled as denunciations and
//! stay so.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CaseFile {
    Table,
    Track,
    VerifiedVia,
    VerifiedBy,
    VerifiedAt,
}

const NAMED_ARE_DENUNCIATIONS: &str = "UPDATE case_file SET track = 'denunciation' \
     WHERE report_id IN (SELECT id FROM report WHERE submission_kind = 'named')";
const UNACCEPTED_ARE_CANDIDATES: &str = "UPDATE case_file SET track = 'candidate' \
     WHERE track = 'denunciation' AND status = 'received'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column at a time.
        for column in [
            string_len(CaseFile::Track, 16).default("tip").to_owned(),
            string_len_null(CaseFile::VerifiedVia, 16),
            integer_null(CaseFile::VerifiedBy),
            timestamp_with_time_zone_null(CaseFile::VerifiedAt),
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
        let db = manager.get_connection();
        db.execute_unprepared(NAMED_ARE_DENUNCIATIONS).await?;
        db.execute_unprepared(UNACCEPTED_ARE_CANDIDATES).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            CaseFile::Track,
            CaseFile::VerifiedVia,
            CaseFile::VerifiedBy,
            CaseFile::VerifiedAt,
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
        Ok(())
    }
}
