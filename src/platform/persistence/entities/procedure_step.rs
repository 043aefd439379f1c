use sea_orm::entity::prelude::*;

/// One step of a denunciation's procedure (`domain::procedure`): `kind` is `withdrawal`,
/// `suspension`, `resumption`, `termination` or `notice`; the other fields are the step's.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "procedure_step")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub report_id: i32,
    pub kind: String,
    /// The ground (suspension, termination, a withdrawal still resolved) or the notice sent.
    pub ground: Option<String>,
    /// A withdrawal's scope: `whole` or `part`.
    pub scope: Option<String>,
    /// A withdrawal's form (`written`, `minutes`), or how a notice was sent.
    pub form: Option<String>,
    /// The number of the written decision.
    pub decision_number: Option<String>,
    /// The day it took effect: the withdrawal was received, the decision signed, the notice sent.
    pub occurred_on: Date,
    /// The resolution due date the step set (a resumption), as its decision states it.
    pub due_after: Option<Date>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
