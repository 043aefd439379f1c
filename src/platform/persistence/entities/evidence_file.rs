use sea_orm::entity::prelude::*;

/// A file attached to a report. The bytes live encrypted in the object store under
/// `object_key` (as uploaded) and, for images, `cleaned_object_key` (metadata removed).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evidence_file")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub report_id: i32,
    /// `reporter` or `staff`.
    pub uploader_kind: String,
    pub uploader_user_id: Option<i32>,
    /// `shared` (the reporter sees it) or `internal` (inspectors only).
    pub visibility: String,
    /// The uploaded name, sanitised; display text only.
    pub display_name: String,
    pub media_type: String,
    pub size: i64,
    #[sea_orm(unique)]
    pub object_key: String,
    pub cleaned_object_key: Option<String>,
    pub cleaned_size: Option<i64>,
    /// What the cleaned copy lacks, comma-separated codes (`exif`, `xmp`, …).
    pub removed_metadata: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
