use sea_orm::entity::prelude::*;

/// Commendations received in one month (`yyyymm`, Hà Nội) for one unit.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commendation_rollup")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub month: i32,
    pub unit_id: i32,
    pub n: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
