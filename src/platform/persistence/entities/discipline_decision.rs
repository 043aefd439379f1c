use sea_orm::entity::prelude::*;

/// The disciplinary decision for one staff member in one case. It may handle several of the
/// person's findings together (each points here); it applies exactly one measure.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "discipline_decision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub report_id: i32,
    pub staff_member_id: i32,
    /// One of `domain::discipline::KINDS`.
    pub measure: String,
    pub deferral_months: Option<i32>,
    pub internal_measure_id: Option<i32>,
    pub decision_number: String,
    pub decision_date: Date,
    pub signer_name: String,
    pub signer_title: String,
    pub representative_took_part: bool,
    pub employee_heard: bool,
    /// Why the representative body did not take part (`domain::discipline::hearing`).
    pub representative_absence: Option<String>,
    /// Why the employee was not heard.
    pub employee_absence: Option<String>,
    pub minutes_reference: Option<String>,
    pub protected_state_checked: bool,
    pub protected_state_found: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub extension_reason: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub extension_legal_basis: Option<String>,
    /// The day the protected period that justified the extension ended (Art. 123(2)).
    pub extension_period_ended: Option<Date>,
    /// The Art. 125 ground of a dismissal (`DismissalGround` code); none for other measures.
    pub dismissal_ground: Option<String>,
    pub appeal_status: String,
    /// The first day the record no longer counts; none: never.
    pub clears_on: Option<Date>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
