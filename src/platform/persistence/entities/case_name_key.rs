use sea_orm::entity::prelude::*;

/// A hashed key of the name or employee number a report gives for the person it is about
/// (`domain::conflict::typed_keys`), for finding the reports that may name a person.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_name_key")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub report_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::case_file::Entity",
        from = "Column::ReportId",
        to = "super::case_file::Column::ReportId"
    )]
    CaseFile,
}

impl Related<super::case_file::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CaseFile.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
