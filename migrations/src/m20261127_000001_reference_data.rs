//! Reference data that admins edit: the org-unit tree, the culture code, violation categories and
//! the public-holiday calendar.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OrgUnit::Table)
                    .col(pk_auto(OrgUnit::Id))
                    .col(integer_null(OrgUnit::ParentId))
                    .col(string_len(OrgUnit::Kind, 16))
                    .col(string_len_uniq(OrgUnit::Code, 32))
                    .col(string_len(OrgUnit::NameVi, 200))
                    .col(string_len(OrgUnit::NameEn, 200))
                    .col(date_null(OrgUnit::ActiveFrom))
                    .col(date_null(OrgUnit::ActiveTo))
                    .col(timestamp_with_time_zone(OrgUnit::CreatedAt))
                    .col(timestamp_with_time_zone(OrgUnit::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_org_unit_parent")
                            .from(OrgUnit::Table, OrgUnit::ParentId)
                            .to(OrgUnit::Table, OrgUnit::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_org_unit_parent")
                    .table(OrgUnit::Table)
                    .col(OrgUnit::ParentId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CultureChapter::Table)
                    .col(pk_auto(CultureChapter::Id))
                    .col(string_len_uniq(CultureChapter::Code, 32))
                    .col(string_len(CultureChapter::TitleVi, 300))
                    .col(string_len(CultureChapter::TitleEn, 300))
                    .col(boolean(CultureChapter::Illustrative))
                    .col(timestamp_with_time_zone(CultureChapter::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CultureArticle::Table)
                    .col(pk_auto(CultureArticle::Id))
                    .col(integer(CultureArticle::ChapterId))
                    .col(string_len(CultureArticle::ArticleKey, 32))
                    .col(integer(CultureArticle::Version))
                    .col(integer(CultureArticle::Number))
                    .col(string_len(CultureArticle::TitleVi, 300))
                    .col(string_len(CultureArticle::TitleEn, 300))
                    .col(text(CultureArticle::TextVi))
                    .col(text(CultureArticle::TextEn))
                    .col(date(CultureArticle::EffectiveFrom))
                    .col(date_null(CultureArticle::EffectiveTo))
                    .col(timestamp_with_time_zone(CultureArticle::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_culture_article_chapter")
                            .from(CultureArticle::Table, CultureArticle::ChapterId)
                            .to(CultureChapter::Table, CultureChapter::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_culture_article_key_version")
                    .table(CultureArticle::Table)
                    .col(CultureArticle::ArticleKey)
                    .col(CultureArticle::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ViolationCategory::Table)
                    .col(pk_auto(ViolationCategory::Id))
                    .col(string_len_uniq(ViolationCategory::Code, 40))
                    .col(string_len(ViolationCategory::NameVi, 200))
                    .col(string_len(ViolationCategory::NameEn, 200))
                    .col(text(ViolationCategory::DescriptionVi))
                    .col(text(ViolationCategory::DescriptionEn))
                    .col(string_len(ViolationCategory::Severity, 16))
                    .col(boolean(ViolationCategory::FinanceAssetsSecrets))
                    .col(boolean(ViolationCategory::Active))
                    .col(integer(ViolationCategory::SortOrder))
                    .col(timestamp_with_time_zone(ViolationCategory::CreatedAt))
                    .col(timestamp_with_time_zone(ViolationCategory::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CategoryArticle::Table)
                    .col(pk_auto(CategoryArticle::Id))
                    .col(integer(CategoryArticle::CategoryId))
                    .col(string_len(CategoryArticle::ArticleKey, 32))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_category_article_category")
                            .from(CategoryArticle::Table, CategoryArticle::CategoryId)
                            .to(ViolationCategory::Table, ViolationCategory::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_category_article")
                    .table(CategoryArticle::Table)
                    .col(CategoryArticle::CategoryId)
                    .col(CategoryArticle::ArticleKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Holiday::Table)
                    .col(pk_auto(Holiday::Id))
                    .col(date_uniq(Holiday::Day))
                    .col(string_len(Holiday::NameVi, 200))
                    .col(string_len(Holiday::NameEn, 200))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReferenceSeed::Table)
                    .col(pk_auto(ReferenceSeed::Id))
                    .col(string_len(ReferenceSeed::Kind, 16))
                    .col(string_len(ReferenceSeed::SeedKey, 64))
                    .col(timestamp_with_time_zone(ReferenceSeed::SeededAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_reference_seed")
                    .table(ReferenceSeed::Table)
                    .col(ReferenceSeed::Kind)
                    .col(ReferenceSeed::SeedKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ReferenceSeed::Table.into_iden(),
            Holiday::Table.into_iden(),
            CategoryArticle::Table.into_iden(),
            ViolationCategory::Table.into_iden(),
            CultureArticle::Table.into_iden(),
            CultureChapter::Table.into_iden(),
            OrgUnit::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
pub enum OrgUnit {
    Table,
    Id,
    ParentId,
    Kind,
    Code,
    NameVi,
    NameEn,
    ActiveFrom,
    ActiveTo,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CultureChapter {
    Table,
    Id,
    Code,
    TitleVi,
    TitleEn,
    Illustrative,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CultureArticle {
    Table,
    Id,
    ChapterId,
    ArticleKey,
    Version,
    Number,
    TitleVi,
    TitleEn,
    TextVi,
    TextEn,
    EffectiveFrom,
    EffectiveTo,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum ViolationCategory {
    Table,
    Id,
    Code,
    NameVi,
    NameEn,
    DescriptionVi,
    DescriptionEn,
    Severity,
    FinanceAssetsSecrets,
    Active,
    SortOrder,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CategoryArticle {
    Table,
    Id,
    CategoryId,
    ArticleKey,
}

#[derive(DeriveIden)]
enum Holiday {
    Table,
    Id,
    Day,
    NameVi,
    NameEn,
}

/// Which shipped reference rows the loader has ever inserted, so a row an admin deleted or
/// edited is never brought back.
#[derive(DeriveIden)]
enum ReferenceSeed {
    Table,
    Id,
    Kind,
    SeedKey,
    SeededAt,
}
