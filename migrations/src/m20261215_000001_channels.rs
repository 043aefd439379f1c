//! Intake channels (issue 14): the admin-edited list of ways a report reaches the portal —
//! its own web form, and what a call-centre operator enters on a caller's behalf (hotline,
//! transaction office, letter, e-mail, social media) — seeded here; `report.channel` names
//! each report's by code (existing reports came through the web form); and `channel_rollup`,
//! reports received per month × unit × category × channel, kept by `analytics::rollups`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The channels shipped by default: code, Vietnamese and English names, sort order. Admins
/// rename, add and deactivate them afterwards; the seed runs once, with the migration.
const DEFAULT_CHANNELS: [(&str, &str, &str, i32); 6] = [
    ("web", "Cổng thông tin (web)", "Portal (web form)", 10),
    ("hotline", "Đường dây nóng", "Hotline", 20),
    ("office", "Quầy giao dịch", "Transaction office", 30),
    ("letter", "Thư", "Letter", 40),
    ("email", "Thư điện tử", "E-mail", 50),
    ("social", "Mạng xã hội", "Social media", 60),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IntakeChannel::Table)
                    .col(pk_auto(IntakeChannel::Id))
                    .col(string_len_uniq(IntakeChannel::Code, 40))
                    .col(string_len(IntakeChannel::NameVi, 200))
                    .col(string_len(IntakeChannel::NameEn, 200))
                    .col(integer(IntakeChannel::SortOrder))
                    .col(boolean(IntakeChannel::Active))
                    .col(timestamp_with_time_zone(IntakeChannel::CreatedAt))
                    .col(timestamp_with_time_zone(IntakeChannel::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        let mut seed = Query::insert();
        seed.into_table(IntakeChannel::Table).columns([
            IntakeChannel::Code,
            IntakeChannel::NameVi,
            IntakeChannel::NameEn,
            IntakeChannel::SortOrder,
            IntakeChannel::Active,
            IntakeChannel::CreatedAt,
            IntakeChannel::UpdatedAt,
        ]);
        for (code, name_vi, name_en, sort_order) in DEFAULT_CHANNELS {
            seed.values([
                code.into(),
                name_vi.into(),
                name_en.into(),
                sort_order.into(),
                true.into(),
                Expr::current_timestamp(),
                Expr::current_timestamp(),
            ])
            .map_err(|e| DbErr::Migration(e.to_string()))?;
        }
        manager.exec_stmt(seed).await?;

        // A NOT NULL column with a default: both databases fill the existing rows with it.
        manager
            .alter_table(
                Table::alter()
                    .table(Report::Table)
                    .add_column(string_len(Report::Channel, 40).default("web"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ChannelRollup::Table)
                    .col(pk_auto(ChannelRollup::Id))
                    .col(integer(ChannelRollup::Month))
                    .col(integer(ChannelRollup::UnitId))
                    .col(integer(ChannelRollup::CategoryId))
                    .col(string_len(ChannelRollup::Channel, 40))
                    .col(big_integer(ChannelRollup::N))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_channel_rollup_key")
                    .table(ChannelRollup::Table)
                    .col(ChannelRollup::Month)
                    .col(ChannelRollup::UnitId)
                    .col(ChannelRollup::CategoryId)
                    .col(ChannelRollup::Channel)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ChannelRollup::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Report::Table)
                    .drop_column(Report::Channel)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(IntakeChannel::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum IntakeChannel {
    Table,
    Id,
    Code,
    NameVi,
    NameEn,
    SortOrder,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Report {
    Table,
    Channel,
}

#[derive(DeriveIden)]
enum ChannelRollup {
    Table,
    Id,
    Month,
    UnitId,
    CategoryId,
    Channel,
    N,
}
