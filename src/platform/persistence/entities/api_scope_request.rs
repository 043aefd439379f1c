use sea_orm::entity::prelude::*;

/// A scope an admin asked for on an integration token that a custodian must approve first
/// (`auth::api_token::Scope::needs_custodian`): `pending`, then `approved` (the scope is then
/// added to the token) or `denied`. `requested_by` is none when asked on the command line.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_scope_request")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub token_id: i32,
    pub scope: String,
    pub requested_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub status: String,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
