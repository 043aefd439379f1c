use sea_orm::entity::prelude::*;

/// Reports received in one month (`yyyymm`, Hà Nội) about one unit, in one category, through
/// one intake channel (its code).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "channel_rollup")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub month: i32,
    pub unit_id: i32,
    pub category_id: i32,
    pub channel: String,
    pub n: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
