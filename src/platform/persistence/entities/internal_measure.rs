use sea_orm::entity::prelude::*;

/// An internal, non-disciplinary measure (nhắc nhở, phê bình…) from the admin-edited list.
/// Deactivated, never deleted, so old decisions keep their name.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "internal_measure")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub sort_order: i32,
    pub active: bool,
    /// What the measure is, or why it was deactivated (Vietnamese, English).
    pub description_vi: Option<String>,
    pub description_en: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
