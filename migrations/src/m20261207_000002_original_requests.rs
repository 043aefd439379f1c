//! Requests to download the original of an evidence file (with its GPS and device metadata),
//! decided by an identity custodian like a request for a denouncer's identity. An approval is
//! good until `expires_at`.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000002_reports::Report;
use crate::m20261127_000003_staff_accounts::AppUser;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OriginalRequest::Table)
                    .col(pk_auto(OriginalRequest::Id))
                    .col(integer(OriginalRequest::ReportId))
                    .col(integer(OriginalRequest::EvidenceFileId))
                    .col(integer(OriginalRequest::RequestedBy))
                    .col(text(OriginalRequest::Reason))
                    .col(string_len(OriginalRequest::Status, 16))
                    .col(integer_null(OriginalRequest::DecidedBy))
                    .col(timestamp_with_time_zone_null(OriginalRequest::DecidedAt))
                    .col(text_null(OriginalRequest::DecisionNote))
                    .col(timestamp_with_time_zone_null(OriginalRequest::ExpiresAt))
                    .col(timestamp_with_time_zone(OriginalRequest::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_original_request_report",
                        (OriginalRequest::Table, OriginalRequest::ReportId),
                        (Report::Table, Report::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_original_request_file",
                        (OriginalRequest::Table, OriginalRequest::EvidenceFileId),
                        (EvidenceFile::Table, EvidenceFile::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_original_request_requester",
                        (OriginalRequest::Table, OriginalRequest::RequestedBy),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_original_request_decider",
                        (OriginalRequest::Table, OriginalRequest::DecidedBy),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_original_request_file_requester")
                    .table(OriginalRequest::Table)
                    .col(OriginalRequest::EvidenceFileId)
                    .col(OriginalRequest::RequestedBy)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OriginalRequest::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum OriginalRequest {
    Table,
    Id,
    ReportId,
    EvidenceFileId,
    RequestedBy,
    Reason,
    Status,
    DecidedBy,
    DecidedAt,
    DecisionNote,
    ExpiresAt,
    CreatedAt,
}

/// `evidence_file` (created by `m20261127_000008_evidence`).
#[derive(DeriveIden)]
enum EvidenceFile {
    Table,
    Id,
}
