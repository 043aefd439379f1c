//! Reports from customers, kept apart from the reporter's identity and the report's data key.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000001_reference_data::{OrgUnit, ViolationCategory};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Report::Table)
                    .col(pk_auto(Report::Id))
                    .col(integer(Report::UnitId))
                    .col(integer(Report::CategoryId))
                    .col(date(Report::OccurredOn))
                    .col(string_len_null(Report::OccurredTime, 5))
                    .col(text(Report::Description))
                    .col(string_len_null(Report::StaffName, 200))
                    .col(string_len_null(Report::StaffNumber, 40))
                    .col(text_null(Report::StaffDescription))
                    .col(string_len(Report::SubmissionKind, 16))
                    .col(boolean(Report::EscalateAbove))
                    .col(string_len(Report::Status, 24))
                    .col(string_len_uniq(Report::ReceiptLookup, 64))
                    .col(string_len(Report::ReceiptHash, 200))
                    .col(timestamp_with_time_zone(Report::ReceivedAt))
                    .col(timestamp_with_time_zone(Report::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Report::ReporterLastSeenAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_report_unit")
                            .from(Report::Table, Report::UnitId)
                            .to(OrgUnit::Table, OrgUnit::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_report_category")
                            .from(Report::Table, Report::CategoryId)
                            .to(ViolationCategory::Table, ViolationCategory::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_report_unit", Report::UnitId),
            ("idx_report_status", Report::Status),
            ("idx_report_received_at", Report::ReceivedAt),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Report::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(ReportKey::Table)
                    .col(pk_auto(ReportKey::Id))
                    .col(integer_uniq(ReportKey::ReportId))
                    .col(blob(ReportKey::WrappedKey))
                    .col(string_len(ReportKey::MasterKeyId, 32))
                    .col(timestamp_with_time_zone(ReportKey::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_report_key_report")
                            .from(ReportKey::Table, ReportKey::ReportId)
                            .to(Report::Table, Report::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReporterIdentity::Table)
                    .col(pk_auto(ReporterIdentity::Id))
                    .col(integer_uniq(ReporterIdentity::ReportId))
                    .col(blob(ReporterIdentity::Sealed))
                    .col(timestamp_with_time_zone(ReporterIdentity::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reporter_identity_report")
                            .from(ReporterIdentity::Table, ReporterIdentity::ReportId)
                            .to(Report::Table, Report::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CaseEvent::Table)
                    .col(pk_auto(CaseEvent::Id))
                    .col(integer(CaseEvent::ReportId))
                    .col(string_len(CaseEvent::Kind, 32))
                    .col(string_len(CaseEvent::ActorKind, 16))
                    .col(integer_null(CaseEvent::ActorUserId))
                    .col(boolean(CaseEvent::VisibleToReporter))
                    .col(text_null(CaseEvent::Detail))
                    .col(timestamp_with_time_zone(CaseEvent::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_case_event_report")
                            .from(CaseEvent::Table, CaseEvent::ReportId)
                            .to(Report::Table, Report::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_case_event_report")
                    .table(CaseEvent::Table)
                    .col(CaseEvent::ReportId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Message::Table)
                    .col(pk_auto(Message::Id))
                    .col(integer(Message::ReportId))
                    .col(string_len(Message::AuthorKind, 16))
                    .col(integer_null(Message::AuthorUserId))
                    .col(text(Message::Body))
                    .col(boolean(Message::Internal))
                    .col(timestamp_with_time_zone(Message::CreatedAt))
                    .col(timestamp_with_time_zone_null(Message::ReadByReporterAt))
                    .col(timestamp_with_time_zone_null(Message::ReadByStaffAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_message_report")
                            .from(Message::Table, Message::ReportId)
                            .to(Report::Table, Report::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_message_report")
                    .table(Message::Table)
                    .col(Message::ReportId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Message::Table.into_iden(),
            CaseEvent::Table.into_iden(),
            ReporterIdentity::Table.into_iden(),
            ReportKey::Table.into_iden(),
            Report::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
pub enum Report {
    Table,
    Id,
    UnitId,
    CategoryId,
    OccurredOn,
    OccurredTime,
    Description,
    StaffName,
    StaffNumber,
    StaffDescription,
    SubmissionKind,
    EscalateAbove,
    Status,
    ReceiptLookup,
    ReceiptHash,
    ReceivedAt,
    UpdatedAt,
    ReporterLastSeenAt,
    SealedText,
}

#[derive(DeriveIden)]
enum ReportKey {
    Table,
    Id,
    ReportId,
    WrappedKey,
    MasterKeyId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReporterIdentity {
    Table,
    Id,
    ReportId,
    Sealed,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CaseEvent {
    Table,
    Id,
    ReportId,
    Kind,
    ActorKind,
    ActorUserId,
    VisibleToReporter,
    Detail,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Message {
    Table,
    Id,
    ReportId,
    AuthorKind,
    AuthorUserId,
    Body,
    Internal,
    CreatedAt,
    ReadByReporterAt,
    ReadByStaffAt,
}
