use sea_orm::entity::prelude::*;

/// A culture-code article a finding cites: the version in force on the violation date.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "discipline_finding_article")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub finding_id: i32,
    /// The `culture_article` row: one version of the article.
    pub article_id: i32,
    pub article_key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
