use sea_orm::entity::prelude::*;

/// Additive counters of the reports received in one month (`yyyymm`, Hà Nội) about one unit
/// in one category, in their current state. Kept by `analytics::rollups`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_rollup")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub month: i32,
    pub unit_id: i32,
    pub category_id: i32,
    pub received: i64,
    pub anonymous: i64,
    pub anonymous_returned: i64,
    pub accepted: i64,
    pub open_cases: i64,
    pub declined: i64,
    pub concluded: i64,
    pub closed: i64,
    pub closed_on_time: i64,
    pub with_finding: i64,
    pub substantiated: i64,
    pub days_to_close_sum: i64,
    pub rating_count: i64,
    pub rating_sum: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
