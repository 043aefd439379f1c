use sea_orm::entity::prelude::*;

/// How many closed reports of a (month received, unit) took `days` calendar days to close;
/// `days` is capped (see `analytics::metrics::DAYS_CAP`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "close_histogram")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub month: i32,
    pub unit_id: i32,
    pub days: i32,
    pub n: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
