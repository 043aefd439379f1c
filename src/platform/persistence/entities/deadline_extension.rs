use sea_orm::entity::prelude::*;

/// An extension of the resolution deadline, with the reason the reporter sees.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deadline_extension")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub report_id: i32,
    pub days: i32,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    /// `domain::calendar::Complexity` (none on extensions made before grades were recorded).
    pub complexity: Option<String>,
    /// The number of the written extension decision.
    pub decision_number: Option<String>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
