use sea_orm::entity::prelude::*;

/// The investigation side of a report. `status` mirrors `report.status` (one transaction
/// writes both) so the inbox reads a single indexed table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_file")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub report_id: i32,
    pub team_id: Option<i32>,
    pub assignee_user_id: Option<i32>,
    pub status: String,
    pub unit_id: i32,
    pub category_id: i32,
    pub received_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub routing_reason: String,
    pub second_level: bool,
    pub named_staff_member_id: Option<i32>,
    pub accepted_on: Option<Date>,
    pub acceptance_due: Date,
    /// `domain::track::Track`: tip, candidate or denunciation.
    pub track: String,
    /// How, by whom and when the denouncer was verified (`domain::track::Verification`).
    pub verified_via: Option<String>,
    pub verified_by: Option<i32>,
    pub verified_at: Option<DateTimeUtc>,
    /// Why the acceptance period was lengthened to 10 working days (Art. 24(1)); none: it was not.
    #[sea_orm(column_type = "Text", nullable)]
    pub acceptance_lengthened_reason: Option<String>,
    pub notify_due: Option<Date>,
    pub resolution_due: Option<Date>,
    pub finding: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub conclusion_summary: Option<String>,
    pub closed_at: Option<DateTimeUtc>,
    /// The day a denunciation's resolution was suspended, while it is (Art. 34(1)).
    pub suspended_on: Option<Date>,
    /// Calendar days of the suspensions already ended: the resolution clock skips them.
    pub paused_days: i32,
    pub staff_unread: bool,
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    /// Keyed hashes of the sealed text's words, space-delimited (see `evidence::text`).
    #[sea_orm(column_type = "Text")]
    pub text_tokens: String,
    pub updated_at: DateTimeUtc,
    /// The day the team leads were warned that the case's personal data will be purged.
    pub retention_warned_on: Option<Date>,
    /// A legal hold: while set, the case is never purged.
    #[sea_orm(column_type = "Text", nullable)]
    pub legal_hold_reason: Option<String>,
    pub legal_hold_by: Option<i32>,
    pub legal_hold_at: Option<DateTimeUtc>,
    /// When the case's personal data were purged (crypto-shredded); only figures remain.
    pub purged_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
