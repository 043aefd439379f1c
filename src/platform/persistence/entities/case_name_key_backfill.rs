use sea_orm::entity::prelude::*;

/// A report whose name keys are still to be computed (reports filed before the keys existed;
/// emptied at start-up by `case_management::name_keys::backfill`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_name_key_backfill")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub report_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
