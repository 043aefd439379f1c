use sea_orm::entity::prelude::*;

/// A message on a case: from the reporter, from staff, or from the system. Internal notes
/// (`internal = true`) are never shown to the reporter.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "message")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub report_id: i32,
    pub author_kind: String,
    pub author_user_id: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub internal: bool,
    pub created_at: DateTimeUtc,
    pub read_by_reporter_at: Option<DateTimeUtc>,
    pub read_by_staff_at: Option<DateTimeUtc>,
    /// A reporter's reply sealed under the report's data key; `body` is empty then.
    #[sea_orm(column_type = "Blob", nullable)]
    pub sealed_body: Option<Vec<u8>>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
