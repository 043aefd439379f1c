use sea_orm::entity::prelude::*;

/// A report submission's `Idempotency-Key`, for a day (`web::api::idempotency`): the key only
/// as a keyed hash, the receipt code only sealed under a key derived from the client's key.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_idempotency")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub key_hash: String,
    pub request_hash: String,
    pub report_id: i32,
    pub sealed_receipt: Vec<u8>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
