use sea_orm::entity::prelude::*;

/// A conclusion published on the transparency page (Art. 40): an identity-free summary the
/// team lead wrote, with the unit, category and finding it concerns; never a party's identity.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "published_conclusion")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub report_id: i32,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    pub unit_id: i32,
    pub category_id: i32,
    pub finding: String,
    pub published_on: Date,
    pub published_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
