use sea_orm::entity::prelude::*;

/// An employee from the staff directory (HR export or admin entry).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_member")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub employee_number: String,
    pub full_name: String,
    pub full_name_folded: String,
    pub unit_id: i32,
    pub position: Option<String>,
    /// Holds a managerial post: removal from post applies only then (Labour Code Art. 124).
    pub holds_post: bool,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
