//! Appeals of a decision (`/cases/<id>/discipline/decisions/<decision>/appeal`): lodged, then
//! upheld or overturned, each move audited. An overturned decision no longer counts in a
//! staff history nor for the reporter.

use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::json;

use super::{is_own_record, load_eligible, DisciplineError, OWN_RECORD};
use crate::case_management::access::Viewer;
use crate::domain::discipline::AppealStatus;
use crate::domain::ids::{CaseId, DecisionId};
use crate::domain::roles::Role;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::discipline_decision;
use crate::web::error::AppError;
use crate::web::state::AppState;

/// A decision recorded under the case, or 404.
pub async fn decision_of_case<C: ConnectionTrait>(
    conn: &C,
    case: CaseId,
    decision: DecisionId,
) -> Result<discipline_decision::Model, AppError> {
    discipline_decision::Entity::find_by_id(decision.0)
        .one(conn)
        .await?
        .filter(|d| d.report_id == case.0)
        .ok_or(AppError::NotFound)
}

/// Whether `viewer` may move an appeal to `to`: setting a decision aside is a team lead's call.
pub fn may_move_to(viewer: &Viewer, to: AppealStatus) -> bool {
    to != AppealStatus::Overturned || viewer.user.has(Role::TeamLead)
}

/// Moves a decision's appeal along: lodged, then upheld or overturned. Nobody moves the appeal
/// of their own decision, and only a team lead overturns (403 for anyone else).
pub async fn change_appeal(
    state: &AppState,
    viewer: &Viewer,
    case: CaseId,
    decision: DecisionId,
    to: &str,
) -> Result<(), DisciplineError> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    load_eligible(&*tx, viewer, case).await?;
    let row = decision_of_case(&*tx, case, decision).await?;
    let from = AppealStatus::parse(&row.appeal_status)
        .ok_or_else(|| AppError::Internal(format!("appeal status {}", row.appeal_status)))?;
    let to = AppealStatus::parse(to).ok_or(DisciplineError::Conflict(
        "error-discipline-appeal-transition",
    ))?;
    if !may_move_to(viewer, to) {
        return Err(AppError::Forbidden.into());
    }
    if is_own_record(&*tx, viewer, row.staff_member_id).await? {
        return Err(DisciplineError::Conflict(OWN_RECORD));
    }
    let to = from.change_to(to).map_err(DisciplineError::Conflict)?;
    let mut active = row.into_active_model();
    active.appeal_status = Set(to.as_str().to_string());
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &viewer.user.actor(),
            action: "discipline_appeal_changed",
            object_type: "discipline_decision",
            object_id: Some(decision.to_string()),
            details: json!({"report_id": case.0, "from": from.as_str(), "to": to.as_str()}),
        },
    )
    .await?;
    Ok(())
}
