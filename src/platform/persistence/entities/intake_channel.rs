use sea_orm::entity::prelude::*;

/// A way a report reaches the portal (`web`, `hotline`, …); admins add, rename and switch
/// them off. Reports name theirs by `code`, which is fixed once created.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "intake_channel")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub sort_order: i32,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The portal's own report form: every web submission's channel, never chosen by an operator.
pub const WEB: &str = "web";

/// The public API's report submission (`POST /api/v1/reports`): the reporter's own app, never
/// chosen by an operator.
pub const API: &str = "api";
