use sea_orm::entity::prelude::*;

/// What a substantiated case established about one accused staff member: the violation date
/// and (in `discipline_finding_article`) the culture-code article versions violated.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "discipline_finding")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub report_id: i32,
    pub staff_member_id: i32,
    pub violation_date: Date,
    /// The decision that handled this violation (one measure per violation).
    pub decision_id: Option<i32>,
    /// The measure proposed for this violation when the decision was taken (its choice code).
    pub proposed_measure: Option<String>,
    /// The violation directly concerns the employer's finances, assets, or the disclosure of
    /// its technology or business secrets: 12 months of limitation (Art. 123(1)).
    pub finance_assets_secrets: bool,
    /// Why, when it does.
    pub finance_assets_reason: Option<String>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
