use sea_orm::entity::prelude::*;

/// A culture-code article (by its stable key, so every version) that an internal labour
/// regulation article sets out.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "culture_article_labour_rule")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub article_key: String,
    pub labour_rule_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
