//! The writes of `/admin/teams`: add and edit a team, add and remove a member, each in one
//! transaction with its audit entry.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;

use crate::auth::StaffUser;
use crate::domain::ids::{TeamId, UserId};
use crate::domain::report::{clean_text, FieldErrors};
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{app_user, inspection_team, org_unit, team_member};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

/// The team form's fields as sent.
#[derive(Debug, rocket::FromForm)]
pub struct TeamForm {
    pub name: Option<String>,
    pub org_unit_id: Option<i32>,
    pub active: bool,
}

/// One team, or not found.
pub async fn find_team(state: &AppState, id: TeamId) -> AppResult<inspection_team::Model> {
    inspection_team::Entity::find_by_id(id.0)
        .one(state.db.conn())
        .await?
        .ok_or(AppError::NotFound)
}

/// Checks a team form; returns the cleaned name and unit, or field errors (catalogue keys).
async fn validate_team(
    state: &AppState,
    form: &TeamForm,
) -> AppResult<Result<(String, i32), FieldErrors>> {
    let name = clean_text(&form.name.clone().unwrap_or_default());
    let mut errors = FieldErrors::new();
    if name.is_empty() || name.chars().count() > 200 {
        errors.insert("name", "error-admin-team-name");
    }
    let unit = match form.org_unit_id {
        Some(id) => {
            org_unit::Entity::find_by_id(id)
                .one(state.db.conn())
                .await?
        }
        None => None,
    };
    if unit.is_none() {
        errors.insert("org_unit_id", "error-unit-required");
    }
    Ok(match (errors.is_empty(), unit) {
        (true, Some(unit)) => Ok((name, unit.id)),
        _ => Err(errors),
    })
}

/// Validates and adds an active team; returns its id.
pub async fn create(
    state: &AppState,
    admin: &StaffUser,
    form: &TeamForm,
) -> AppResult<Result<i32, FieldErrors>> {
    let (name, unit_id) = match validate_team(state, form).await? {
        Ok(valid) => valid,
        Err(errors) => return Ok(Err(errors)),
    };
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let team = inspection_team::ActiveModel {
        name: Set(name.clone()),
        org_unit_id: Set(unit_id),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &admin.actor(),
            action: "team_created",
            object_type: "inspection_team",
            object_id: Some(team.id.to_string()),
            details: json!({"name": name, "org_unit_id": unit_id}),
        },
    )
    .await?;
    Ok(Ok(team.id))
}

/// Validates and saves a team's name, unit and active flag.
pub async fn update(
    state: &AppState,
    admin: &StaffUser,
    id: TeamId,
    form: &TeamForm,
) -> AppResult<Result<(), FieldErrors>> {
    let team = find_team(state, id).await?;
    let (name, unit_id) = match validate_team(state, form).await? {
        Ok(valid) => valid,
        Err(errors) => return Ok(Err(errors)),
    };
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let before = json!({"name": team.name, "org_unit_id": team.org_unit_id, "active": team.active});
    let mut active = team.into_active_model();
    active.name = Set(name.clone());
    active.org_unit_id = Set(unit_id);
    active.active = Set(form.active);
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &admin.actor(),
            action: "team_updated",
            object_type: "inspection_team",
            object_id: Some(id.to_string()),
            details: json!({"from": before, "to": {"name": name, "org_unit_id": unit_id, "active": form.active}}),
        },
    )
    .await?;
    Ok(Ok(()))
}

/// Adds account `user_id` to team `id` (nothing changes when it is a member already); false
/// when there is no such account.
pub async fn add_member(
    state: &AppState,
    admin: &StaffUser,
    id: TeamId,
    user_id: i32,
) -> AppResult<bool> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    inspection_team::Entity::find_by_id(id.0)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(user) = app_user::Entity::find_by_id(user_id).one(&*tx).await? else {
        return Ok(false);
    };
    let exists = team_member::Entity::find()
        .filter(team_member::Column::TeamId.eq(id.0))
        .filter(team_member::Column::UserId.eq(user.id))
        .count(&*tx)
        .await?
        > 0;
    if !exists {
        team_member::ActiveModel {
            team_id: Set(id.0),
            user_id: Set(user.id),
            ..Default::default()
        }
        .insert(&*tx)
        .await?;
        audit::record(
            &*tx,
            now,
            Entry {
                actor: &admin.actor(),
                action: "team_member_added",
                object_type: "inspection_team",
                object_id: Some(id.to_string()),
                details: json!({"user_id": user.id}),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Removes account `user_id` from team `id`; not found when it was not a member.
pub async fn remove_member(
    state: &AppState,
    admin: &StaffUser,
    id: TeamId,
    user_id: UserId,
) -> AppResult<()> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let removed = team_member::Entity::delete_many()
        .filter(team_member::Column::TeamId.eq(id.0))
        .filter(team_member::Column::UserId.eq(user_id.0))
        .exec(&*tx)
        .await?
        .rows_affected;
    if removed == 0 {
        return Err(AppError::NotFound);
    }
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &admin.actor(),
            action: "team_member_removed",
            object_type: "inspection_team",
            object_id: Some(id.to_string()),
            details: json!({"user_id": user_id.0}),
        },
    )
    .await?;
    Ok(())
}
