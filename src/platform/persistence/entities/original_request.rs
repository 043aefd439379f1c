use sea_orm::entity::prelude::*;

/// An inspector's request to download the original of an evidence file (GPS and device
/// metadata kept), decided by a custodian; an approval holds until `expires_at`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "original_request")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub report_id: i32,
    pub evidence_file_id: i32,
    pub requested_by: i32,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub status: String,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_note: Option<String>,
    pub expires_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
