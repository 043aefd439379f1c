use sea_orm::entity::prelude::*;

/// One article of the internal labour regulations (nội quy lao động), e.g. "Điều 12". A
/// disciplinary decision rests on at least one active article (Labour Code 2019 Art. 127(3)).
/// Deactivated, never deleted: decisions keep a copy of what they cited.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "labour_rule")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    /// A short wording of the article, in Vietnamese (the regulations' language).
    pub text_vi: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
