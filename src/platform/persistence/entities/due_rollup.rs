use sea_orm::entity::prelude::*;

/// How many open reports of a (month received, unit, category) are due on `due_on`, so
/// "overdue today" is a sum over `due_on < today`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "due_rollup")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub month: i32,
    pub unit_id: i32,
    pub category_id: i32,
    pub due_on: Date,
    pub n: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
