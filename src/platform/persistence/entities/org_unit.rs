use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "org_unit")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub parent_id: Option<i32>,
    pub kind: String,
    #[sea_orm(unique)]
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub active_from: Option<Date>,
    pub active_to: Option<Date>,
    /// Customer-care hotline numbers, several separated by " / " (`domain::phone`).
    pub hotline: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
