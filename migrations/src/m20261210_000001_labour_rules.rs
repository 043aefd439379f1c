//! The internal labour regulations (nội quy lao động). Labour Code 2019 Art. 127(3) forbids
//! disciplining an employee for a violation the regulations do not set out, so a disciplinary
//! decision has to name the regulation articles it rests on:
//!
//! - `labour_rule`: one article of the regulations ("Điều 12"), its titles in both languages, a
//!   short Vietnamese text, deactivated but never deleted;
//! - `culture_article_labour_rule`: which culture-code articles (by their stable key, as
//!   `category_article` cites them, so every version of an article is covered) each regulation
//!   article sets out;
//! - `discipline_decision_labour_rule`: what a decision cited when it was made, code and titles
//!   copied, so a later edit of the regulations does not change an issued decision.
//!
//! The shipped regulation articles and their links are reference data
//! (`reference/reference.toml`), loaded at launch like the culture code. Decisions recorded
//! before this migration cite none and keep the generic wording.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LabourRule {
    Table,
    Id,
    Code,
    TitleVi,
    TitleEn,
    TextVi,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CultureArticleLabourRule {
    Table,
    Id,
    ArticleKey,
    LabourRuleId,
}

#[derive(DeriveIden)]
enum DisciplineDecisionLabourRule {
    Table,
    Id,
    DecisionId,
    LabourRuleId,
    Code,
    TitleVi,
    TitleEn,
}

#[derive(DeriveIden)]
enum DisciplineDecision {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ReferenceSeed {
    Table,
    Kind,
}

/// The `reference_seed` kind of a shipped regulation article (the loader's).
const SEED_KIND: &str = "labour_rule";

/// The width of a regulation article's code ("Điều 12", "Khoản 2 Điều 12").
const CODE_WIDTH: u32 = 40;
/// The width of a title, as a culture-code article's.
const TITLE_WIDTH: u32 = 300;

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

fn unique_pair(
    name: &str,
    table: impl IntoIden,
    first: impl IntoIden,
    second: impl IntoIden,
) -> IndexCreateStatement {
    Index::create()
        .name(name)
        .table(table)
        .col(first)
        .col(second)
        .unique()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LabourRule::Table)
                    .col(pk_auto(LabourRule::Id))
                    .col(string_len_uniq(LabourRule::Code, CODE_WIDTH))
                    .col(string_len(LabourRule::TitleVi, TITLE_WIDTH))
                    .col(string_len(LabourRule::TitleEn, TITLE_WIDTH))
                    .col(text(LabourRule::TextVi))
                    .col(boolean(LabourRule::Active))
                    .col(timestamp_with_time_zone(LabourRule::CreatedAt))
                    .col(timestamp_with_time_zone(LabourRule::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CultureArticleLabourRule::Table)
                    .col(pk_auto(CultureArticleLabourRule::Id))
                    .col(string_len(CultureArticleLabourRule::ArticleKey, 32))
                    .col(integer(CultureArticleLabourRule::LabourRuleId))
                    .foreign_key(&mut fk(
                        "fk_culture_article_labour_rule_rule",
                        (
                            CultureArticleLabourRule::Table,
                            CultureArticleLabourRule::LabourRuleId,
                        ),
                        (LabourRule::Table, LabourRule::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_pair(
                "uq_culture_article_labour_rule",
                CultureArticleLabourRule::Table,
                CultureArticleLabourRule::ArticleKey,
                CultureArticleLabourRule::LabourRuleId,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DisciplineDecisionLabourRule::Table)
                    .col(pk_auto(DisciplineDecisionLabourRule::Id))
                    .col(integer(DisciplineDecisionLabourRule::DecisionId))
                    .col(integer(DisciplineDecisionLabourRule::LabourRuleId))
                    .col(string_len(DisciplineDecisionLabourRule::Code, CODE_WIDTH))
                    .col(string_len(
                        DisciplineDecisionLabourRule::TitleVi,
                        TITLE_WIDTH,
                    ))
                    .col(string_len(
                        DisciplineDecisionLabourRule::TitleEn,
                        TITLE_WIDTH,
                    ))
                    .foreign_key(&mut fk(
                        "fk_discipline_decision_labour_rule_decision",
                        (
                            DisciplineDecisionLabourRule::Table,
                            DisciplineDecisionLabourRule::DecisionId,
                        ),
                        (DisciplineDecision::Table, DisciplineDecision::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_discipline_decision_labour_rule_rule",
                        (
                            DisciplineDecisionLabourRule::Table,
                            DisciplineDecisionLabourRule::LabourRuleId,
                        ),
                        (LabourRule::Table, LabourRule::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_pair(
                "uq_discipline_decision_labour_rule",
                DisciplineDecisionLabourRule::Table,
                DisciplineDecisionLabourRule::DecisionId,
                DisciplineDecisionLabourRule::LabourRuleId,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DisciplineDecisionLabourRule::Table.into_iden(),
            CultureArticleLabourRule::Table.into_iden(),
            LabourRule::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        // Forget that the shipped articles were seeded, so that going up again seeds them anew.
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(ReferenceSeed::Table)
                    .and_where(Expr::col(ReferenceSeed::Kind).eq(SEED_KIND))
                    .to_owned(),
            )
            .await
    }
}
