use sea_orm::entity::prelude::*;

/// A token an admin issued to a named integration (`admin::api_tokens`); the row holds only the
/// token's SHA-256. `scopes` is a comma-separated list of scope names (`auth::api_token`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_token")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub scopes: String,
    /// The team whose cases a `cases:read` token reads.
    pub team_id: Option<i32>,
    /// The admin who issued it; none when issued on the command line.
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_by: Option<i32>,
    pub last_used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
