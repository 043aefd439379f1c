//! An inspector confirms which employee a report is about (when the reporter gave a name but
//! no employee number, or a wrong one). The conflict-of-interest exclusions follow at once, and
//! when nobody in the team is left eligible, the case moves to the parent level's team.

use rocket::form::Form;
use rocket::response::{Flash, Redirect};
use rocket::{post, routes, FromForm, Route, State};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;

use super::access::{load_case, Viewer};
use super::intake::{conflicted_users, load_router, team_workers};
use super::service::event;
use crate::auth::Authorized;
use crate::auth::Investigators;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{case_exclusion, inspection_team, staff_member};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

pub fn routes() -> Vec<Route> {
    routes![confirm_staff_member]
}

#[derive(Debug, FromForm)]
struct StaffForm {
    employee_number: Option<String>,
}

#[post("/cases/<id>/staff-member", data = "<form>")]
async fn confirm_staff_member(
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    form: Form<StaffForm>,
) -> AppResult<Flash<Redirect>> {
    let viewer = Viewer::of(state.db.conn(), user.user.clone()).await?;
    let number = form
        .employee_number
        .clone()
        .unwrap_or_default()
        .trim()
        .to_uppercase();
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let (case, _) = load_case(&*tx, &viewer, id).await?;
    let Some(staff) = staff_member::Entity::find()
        .filter(staff_member::Column::EmployeeNumber.eq(number.as_str()))
        .one(&*tx)
        .await?
    else {
        return Ok(Flash::error(
            Redirect::to(format!("/cases/{id}")),
            "error-admin-employee-unknown",
        ));
    };
    let conflicted = conflicted_users(&*tx, &staff).await?;
    for (user_id, why) in &conflicted {
        let exists = case_exclusion::Entity::find()
            .filter(case_exclusion::Column::ReportId.eq(id))
            .filter(case_exclusion::Column::UserId.eq(*user_id))
            .one(&*tx)
            .await?
            .is_some();
        if !exists {
            case_exclusion::ActiveModel {
                report_id: Set(id),
                user_id: Set(*user_id),
                reason: Set((*why).to_string()),
                ..Default::default()
            }
            .insert(&*tx)
            .await?;
        }
    }
    let excluded: Vec<i32> = case_exclusion::Entity::find()
        .filter(case_exclusion::Column::ReportId.eq(id))
        .all(&*tx)
        .await?
        .into_iter()
        .map(|e| e.user_id)
        .collect();
    // Move up while the current team has nobody eligible left.
    let mut team_id = case.team_id;
    let mut moved = false;
    let router = load_router(&*tx).await?;
    let mut skipped = Vec::new();
    while let Some(current) = team_id {
        let workers = team_workers(&*tx, current).await?;
        if workers.is_empty() || workers.iter().any(|u| !excluded.contains(u)) {
            break;
        }
        skipped.push(current);
        let unit = inspection_team::Entity::find_by_id(current)
            .one(&*tx)
            .await?
            .ok_or(AppError::NotFound)?
            .org_unit_id;
        team_id = router.parent_level_team(unit, &skipped);
        moved = true;
    }
    let mut active = case.clone().into_active_model();
    active.named_staff_member_id = Set(Some(staff.id));
    if moved {
        active.team_id = Set(team_id);
        active.assignee_user_id = Set(None);
        active.second_level = Set(true);
    }
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    event(
        &*tx,
        id,
        "staff_member_confirmed",
        Some(user.id),
        false,
        json!({"moved_to_team": if moved { team_id } else { None }}),
        now,
    )
    .await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "case_staff_member_confirmed",
            object_type: "case",
            object_id: Some(id.to_string()),
            details: json!({
                "staff_member_id": staff.id,
                "excluded_users": excluded,
                "moved_to_team": if moved { team_id } else { None },
            }),
        },
    )
    .await?;
    tx.commit().await?;
    let target = if moved || load_case(state.db.conn(), &viewer, id).await.is_err() {
        "/cases".to_string()
    } else {
        format!("/cases/{id}")
    };
    Ok(Flash::success(Redirect::to(target), "flash-case-updated"))
}
