use sea_orm::entity::prelude::*;

/// A reply template inspectors insert into messages; admins edit them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "canned_reply")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    #[sea_orm(column_type = "Text")]
    pub body_vi: String,
    #[sea_orm(column_type = "Text")]
    pub body_en: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
