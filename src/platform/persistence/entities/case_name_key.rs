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
    /// The case's current team, kept by a trigger on `case_file.team_id`.
    pub team_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
