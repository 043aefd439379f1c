//! Evidence files and sealed report text. A file row names its encrypted objects in the object
//! store (the original and, for images, a copy with metadata removed); the bytes never touch the
//! database. The report's free text moves into `sealed_text`, encrypted under the report's data
//! key; the portal seals rows that still hold plain text at start-up, because only it has the key.
//! Reporters' replies are sealed the same way (`message.sealed_body`).
//! `case_file.text_tokens` holds keyed hashes of that text's words so the inbox can still
//! search it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000002_reports::Report;
use crate::m20261127_000003_staff_accounts::AppUser;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EvidenceFile::Table)
                    .col(pk_auto(EvidenceFile::Id))
                    .col(integer(EvidenceFile::ReportId))
                    .col(string_len(EvidenceFile::UploaderKind, 20))
                    .col(integer_null(EvidenceFile::UploaderUserId))
                    .col(string_len(EvidenceFile::Visibility, 20))
                    .col(string_len(EvidenceFile::DisplayName, 200))
                    .col(string_len(EvidenceFile::MediaType, 100))
                    .col(big_integer(EvidenceFile::Size))
                    .col(string_len_uniq(EvidenceFile::ObjectKey, 200))
                    .col(string_len_null(EvidenceFile::CleanedObjectKey, 200))
                    .col(big_integer_null(EvidenceFile::CleanedSize))
                    .col(string_len(EvidenceFile::RemovedMetadata, 200))
                    .col(timestamp_with_time_zone(EvidenceFile::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_evidence_file_report")
                            .from(EvidenceFile::Table, EvidenceFile::ReportId)
                            .to(Report::Table, Report::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_evidence_file_uploader")
                            .from(EvidenceFile::Table, EvidenceFile::UploaderUserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_evidence_file_report")
                    .table(EvidenceFile::Table)
                    .col(EvidenceFile::ReportId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Report::Table)
                    .add_column(blob_null(Report::SealedText))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(CaseFile::Table)
                    .add_column(text(CaseFile::TextTokens).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Message::Table)
                    .add_column(blob_null(Message::SealedBody))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Message::Table)
                    .drop_column(Message::SealedBody)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(CaseFile::Table)
                    .drop_column(CaseFile::TextTokens)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Report::Table)
                    .drop_column(Report::SealedText)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(EvidenceFile::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum EvidenceFile {
    Table,
    Id,
    ReportId,
    UploaderKind,
    UploaderUserId,
    Visibility,
    DisplayName,
    MediaType,
    Size,
    ObjectKey,
    CleanedObjectKey,
    CleanedSize,
    RemovedMetadata,
    CreatedAt,
}

/// The keyed hashes of the words of a report's sealed text, for whole-word search.
#[derive(DeriveIden)]
enum CaseFile {
    Table,
    TextTokens,
}

/// A reporter's reply, sealed under the report's data key (`body` stays empty).
#[derive(DeriveIden)]
enum Message {
    Table,
    SealedBody,
}
