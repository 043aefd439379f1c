//! The notification outbox (`platform::notify`): one row per message to send, written in the
//! same transaction as the case change that causes it, claimed and delivered by the sender.
//! A row names its recipient by id only — a staff account, or a report whose sealed identity
//! gives the denouncer's phone at send time — and carries a catalogue key and a few
//! parameters (case reference, link path): no text of a report, no name, no receipt code.
//! `dedupe_key` (unique where set) makes a deadline alert happen once per case and threshold.
//!
//! `notification_preference`: a staff member's choice of immediate messages, a daily digest
//! or none; no row means immediate.

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
                    .table(Notification::Table)
                    .col(pk_auto(Notification::Id))
                    .col(string_len(Notification::Channel, 8))
                    .col(integer_null(Notification::UserId))
                    .col(integer_null(Notification::ReportId))
                    .col(string_len(Notification::Kind, 48))
                    .col(text(Notification::Params))
                    .col(boolean(Notification::Digest).default(false))
                    .col(string_len_null(Notification::DedupeKey, 96))
                    .col(string_len(Notification::Status, 12))
                    .col(integer(Notification::Attempts).default(0))
                    .col(timestamp_with_time_zone(Notification::NextAttemptAt))
                    .col(string_len_null(Notification::ClaimedBy, 64))
                    .col(timestamp_with_time_zone_null(Notification::ClaimedAt))
                    .col(string_len_null(Notification::LastError, 200))
                    .col(timestamp_with_time_zone(Notification::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notification::SentAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notification_user")
                            .from(Notification::Table, Notification::UserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notification_report")
                            .from(Notification::Table, Notification::ReportId)
                            .to(Report::Table, Report::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // The sender's claim: due rows by status and time.
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_due")
                    .table(Notification::Table)
                    .col(Notification::Status)
                    .col(Notification::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_dedupe")
                    .table(Notification::Table)
                    .col(Notification::DedupeKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_created")
                    .table(Notification::Table)
                    .col(Notification::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotificationPreference::Table)
                    .col(integer(NotificationPreference::UserId).primary_key())
                    .col(string_len(NotificationPreference::Mode, 12))
                    .col(timestamp_with_time_zone(NotificationPreference::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notification_preference_user")
                            .from(
                                NotificationPreference::Table,
                                NotificationPreference::UserId,
                            )
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(NotificationPreference::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Notification::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    Id,
    Channel,
    UserId,
    ReportId,
    Kind,
    Params,
    Digest,
    DedupeKey,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedBy,
    ClaimedAt,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum NotificationPreference {
    Table,
    UserId,
    Mode,
    UpdatedAt,
}
