use sea_orm::entity::prelude::*;

/// A customer's report. The receipt code itself is never stored: only its keyed lookup hash
/// and an Argon2id hash. The reporter's identity lives in `reporter_identity`, sealed; the free
/// text in `sealed_text`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub unit_id: i32,
    pub category_id: i32,
    pub occurred_on: Date,
    pub occurred_time: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub staff_name: Option<String>,
    pub staff_number: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub staff_description: Option<String>,
    pub submission_kind: String,
    pub escalate_above: bool,
    pub status: String,
    #[sea_orm(unique)]
    pub receipt_lookup: String,
    pub receipt_hash: String,
    pub received_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub reporter_last_seen_at: Option<DateTimeUtc>,
    /// The free text (description, staff description) sealed under the report's data key;
    /// `description` stays empty once this is set.
    #[sea_orm(column_type = "Blob", nullable)]
    pub sealed_text: Option<Vec<u8>>,
    /// The privacy notice's version (`platform::privacy::NOTICE_VERSION`) a named reporter
    /// consented to, and the day; none for a tip.
    pub consent_version: Option<String>,
    pub consented_on: Option<Date>,
    /// The intake channel's code (`intake_channel`): `web`, or what an operator chose.
    pub channel: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
