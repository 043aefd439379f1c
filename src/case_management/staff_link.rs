//! An inspector confirms which employee a report is about (when the reporter gave a name but
//! no employee number, or a wrong one). The conflict-of-interest exclusions follow at once, and
//! when nobody in the team is left eligible, the case moves to the parent level's team.
//! `POST /cases/<id>/staff-member`, guarded by `Authorized<Investigators>` and `load_case`.

use rocket::form::Form;
use rocket::response::{Flash, Redirect};
use rocket::{post, routes, FromForm, Route, State};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;

use super::access::{load_case, Viewer};
use super::intake::{conflicted_users, team_workers};
use super::service::event;
use crate::auth::Authorized;
use crate::auth::Investigators;
use crate::domain::ids::CaseId;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{case_exclusion, inspection_team, staff_member};
use crate::platform::persistence::rules::load_router;
use crate::platform::persistence::WriteTx;
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

pub fn routes() -> Vec<Route> {
    routes![confirm_staff_member]
}

#[derive(Debug, FromForm)]
struct StaffForm {
    employee_number: Option<String>,
}

/// What confirming the employee did.
pub struct Confirmed {
    /// The case moved up to a parent level's team (nobody eligible was left in its team).
    pub moved: bool,
}

#[post("/cases/<id>/staff-member", data = "<form>")]
async fn confirm_staff_member(
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    form: Form<StaffForm>,
) -> AppResult<Flash<Redirect>> {
    let viewer = Viewer::of(state.db.conn(), user.user.clone()).await?;
    let number = form.employee_number.clone().unwrap_or_default();
    let Some(confirmed) = confirm(state, &viewer, id, &number).await? else {
        return Ok(Flash::error(
            Redirect::to(format!("/cases/{id}")),
            "error-admin-employee-unknown",
        ));
    };
    let target = if confirmed.moved || load_case(state.db.conn(), &viewer, id.0).await.is_err() {
        "/cases".to_string()
    } else {
        format!("/cases/{id}")
    };
    Ok(Flash::success(Redirect::to(target), "flash-case-updated"))
}

/// Confirms employee `number` as the person case `id` is about: records the conflict-of-interest
/// exclusions, and moves the case up while its team has nobody eligible left. `None` when no
/// employee has that number. One audited transaction.
pub async fn confirm(
    state: &AppState,
    viewer: &Viewer,
    id: CaseId,
    number: &str,
) -> AppResult<Option<Confirmed>> {
    let number = number.trim().to_uppercase();
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let (case, _) = load_case(&*tx, viewer, id.0).await?;
    let Some(staff) = staff_member::Entity::find()
        .filter(staff_member::Column::EmployeeNumber.eq(number.as_str()))
        .one(&*tx)
        .await?
    else {
        return Ok(None);
    };
    let excluded = exclude_conflicted(&tx, id, &staff).await?;
    let (team_id, moved) = eligible_team(&tx, case.team_id, &excluded).await?;
    let mut active = case.clone().into_active_model();
    active.named_staff_member_id = Set(Some(staff.id));
    if moved {
        active.team_id = Set(team_id);
        active.assignee_user_id = Set(None);
        active.second_level = Set(true);
    }
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    let moved_to = if moved { team_id } else { None };
    event(
        &*tx,
        id.0,
        "staff_member_confirmed",
        Some(viewer.user.id),
        false,
        json!({"moved_to_team": moved_to}),
        now,
    )
    .await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &viewer.user.actor(),
            action: "case_staff_member_confirmed",
            object_type: "case",
            object_id: Some(id.to_string()),
            details: json!({
                "staff_member_id": staff.id,
                "excluded_users": excluded,
                "moved_to_team": moved_to,
            }),
        },
    )
    .await?;
    Ok(Some(Confirmed { moved }))
}

/// Excludes everyone in a conflict of interest with `staff` from case `id`; every user excluded
/// from the case afterwards.
async fn exclude_conflicted(
    tx: &WriteTx,
    id: CaseId,
    staff: &staff_member::Model,
) -> AppResult<Vec<i32>> {
    let conflicted = conflicted_users(&**tx, staff).await?;
    for (user_id, why) in &conflicted {
        let exists = case_exclusion::Entity::find()
            .filter(case_exclusion::Column::ReportId.eq(id.0))
            .filter(case_exclusion::Column::UserId.eq(*user_id))
            .one(&**tx)
            .await?
            .is_some();
        if !exists {
            case_exclusion::ActiveModel {
                report_id: Set(id.0),
                user_id: Set(*user_id),
                reason: Set((*why).to_string()),
                ..Default::default()
            }
            .insert(&**tx)
            .await?;
        }
    }
    Ok(case_exclusion::Entity::find()
        .filter(case_exclusion::Column::ReportId.eq(id.0))
        .all(&**tx)
        .await?
        .into_iter()
        .map(|e| e.user_id)
        .collect())
}

/// The team the case belongs with: `team_id`, or the parent levels' teams while the current
/// one has nobody eligible left; and whether it moved.
async fn eligible_team(
    tx: &WriteTx,
    mut team_id: Option<i32>,
    excluded: &[i32],
) -> AppResult<(Option<i32>, bool)> {
    let mut moved = false;
    let router = load_router(&**tx).await?;
    let mut skipped = Vec::new();
    while let Some(current) = team_id {
        let workers = team_workers(&**tx, current).await?;
        if workers.is_empty() || workers.iter().any(|u| !excluded.contains(u)) {
            break;
        }
        skipped.push(current);
        let unit = inspection_team::Entity::find_by_id(current)
            .one(&**tx)
            .await?
            .ok_or(AppError::NotFound)?
            .org_unit_id;
        team_id = router.parent_level_team(unit, &skipped);
        moved = true;
    }
    Ok((team_id, moved))
}
