use sea_orm::entity::prelude::*;

/// An internal labour regulation article a decision cites, copied as it read on the day the
/// decision was recorded.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "discipline_decision_labour_rule")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub decision_id: i32,
    pub labour_rule_id: i32,
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
