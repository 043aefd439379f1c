use sea_orm::entity::prelude::*;

/// One message in the outbox (`platform::notify`). No personal data: the recipient is an
/// account id or a report id, the text a catalogue key with its parameters.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `email` or `sms`.
    pub channel: String,
    pub user_id: Option<i32>,
    pub report_id: Option<i32>,
    pub kind: String,
    /// JSON: `{"reference": …, "path": …}`.
    #[sea_orm(column_type = "Text")]
    pub params: String,
    /// Waits for the recipient's daily digest.
    pub digest: bool,
    #[sea_orm(unique)]
    pub dedupe_key: Option<String>,
    /// `pending`, `sending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub claimed_by: Option<String>,
    pub claimed_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// A caller's phone and receipt code (`notify::ReceiptSms`), sealed under the report's
    /// data key; emptied once the message is sent or has failed for good.
    #[sea_orm(column_type = "Blob", nullable)]
    pub sealed: Option<Vec<u8>>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
