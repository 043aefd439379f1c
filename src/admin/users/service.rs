//! Reads and writes behind `/admin/users` (see the parent module): account creation with a
//! temporary password, the edit form's checks and its one transaction (name, roles, teams), team memberships and
//! the destructive actions. Every write is audited in the same transaction as the change.
//! Invariant: no change may leave the portal without an active admin.

use std::collections::BTreeSet;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, Set,
};
use serde_json::json;

use super::{UserAction, UserForm};
use crate::auth::service::{self as accounts, AccountError, NewAccount};
use crate::auth::Admins;
use crate::auth::{session, Authorized};
use crate::domain::ids::UserId;
use crate::domain::report::{clean_text, FieldErrors};
use crate::domain::roles::Role;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{
    app_user, inspection_team, recovery_code, staff_member, team_member, user_role,
};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

/// Parses the posted role codes, without duplicates, in `Role` order.
pub(super) fn parse_roles(raw: &[String]) -> Result<Vec<Role>, &'static str> {
    let mut roles = BTreeSet::new();
    for name in raw {
        roles.insert(
            name.parse::<Role>()
                .map_err(|_| "error-admin-role-unknown")?,
        );
    }
    Ok(roles.into_iter().collect())
}

/// The account `id`, or a 404.
pub(super) async fn find_user<C: ConnectionTrait>(
    conn: &C,
    id: UserId,
) -> AppResult<app_user::Model> {
    app_user::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// The ids of the teams `user_id` belongs to.
pub(super) async fn teams_of<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
) -> AppResult<BTreeSet<i32>> {
    Ok(team_member::Entity::find()
        .filter(team_member::Column::UserId.eq(user_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.team_id)
        .collect())
}

/// A new account refused: the field errors and the roles to show checked again.
pub(super) struct Refused {
    pub errors: FieldErrors,
    pub roles: Vec<Role>,
}

/// Creates an account with a temporary password and the posted teams. Returns the account and
/// its password (shown once), or the form's errors.
pub(super) async fn create(
    state: &AppState,
    admin: &Authorized<Admins>,
    form: &UserForm,
) -> AppResult<Result<(app_user::Model, String), Refused>> {
    let refuse = |field, key, roles| {
        Ok(Err(Refused {
            errors: FieldErrors::from([(field, key)]),
            roles,
        }))
    };
    let roles = match parse_roles(&form.roles) {
        Ok(roles) if !roles.is_empty() => roles,
        Ok(_) => return refuse("roles", "error-admin-role-required", vec![]),
        Err(key) => return refuse("roles", key, vec![]),
    };
    let temporary = accounts::temporary_password();
    let account = NewAccount {
        email: form.email.clone().unwrap_or_default(),
        display_name: form.display_name.clone().unwrap_or_default(),
        roles: roles.clone(),
        password: Some(temporary.clone()),
        must_change_password: true,
    };
    let user = match accounts::create_account(state, &admin.actor(), account).await {
        Ok(user) => user,
        Err(AccountError::Invalid(field, key)) => return refuse(field, key, roles),
        Err(AccountError::Internal(error)) => return Err(error),
    };
    set_teams(state, admin, user.id, &form.team_set()).await?;
    Ok(Ok((user, temporary)))
}

/// Replaces a user's team memberships, audited, in a transaction of its own (a new account).
pub(super) async fn set_teams(
    state: &AppState,
    admin: &Authorized<Admins>,
    user_id: i32,
    teams: &BTreeSet<i32>,
) -> AppResult<()> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    write_teams(&*tx, admin, now, user_id, teams).await?;
    tx.commit().await?;
    Ok(())
}

/// Replaces a user's team memberships inside the caller's transaction, audited; team ids that
/// name no team are left out.
async fn write_teams<C: ConnectionTrait>(
    tx: &C,
    admin: &Authorized<Admins>,
    now: chrono::DateTime<chrono::Utc>,
    user_id: i32,
    teams: &BTreeSet<i32>,
) -> AppResult<()> {
    let current = teams_of(tx, user_id).await?;
    if &current == teams {
        return Ok(());
    }
    team_member::Entity::delete_many()
        .filter(team_member::Column::UserId.eq(user_id))
        .exec(tx)
        .await?;
    for team_id in teams {
        if inspection_team::Entity::find_by_id(*team_id)
            .one(tx)
            .await?
            .is_none()
        {
            continue;
        }
        team_member::ActiveModel {
            team_id: Set(*team_id),
            user_id: Set(user_id),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    audit::record(
        tx,
        now,
        Entry {
            actor: &admin.actor(),
            action: "user_teams_changed",
            object_type: "user",
            object_id: Some(user_id.to_string()),
            details: json!({"from": current, "to": teams}),
        },
    )
    .await?;
    Ok(())
}

/// True when removing `user_id`'s admin role or access would leave no active admin.
pub(super) async fn is_last_admin<C: ConnectionTrait>(conn: &C, user_id: i32) -> AppResult<bool> {
    let admin_ids: Vec<i32> = user_role::Entity::find()
        .filter(user_role::Column::Role.eq(Role::Admin.as_str()))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .filter(|id| *id != user_id)
        .collect();
    let others = if admin_ids.is_empty() {
        0
    } else {
        app_user::Entity::find()
            .filter(app_user::Column::Id.is_in(admin_ids))
            .filter(app_user::Column::Active.eq(true))
            .count(conn)
            .await?
    };
    Ok(others == 0)
}

/// The edit form, cleaned: what is saved when there are no errors, shown again otherwise.
pub(super) struct Changes {
    pub display_name: String,
    pub employee_number: String,
    pub staff_member_id: Option<i32>,
    /// Empty when a posted role was unknown.
    pub roles: Vec<Role>,
}

/// Checks the edit form of `user`: roles, display name, staff-directory number, then the last
/// admin (whose message replaces a bad-role error). Every check runs, so all errors show at once.
pub(super) async fn validate(
    state: &AppState,
    user: &app_user::Model,
    form: &UserForm,
) -> AppResult<Result<Changes, (Changes, FieldErrors)>> {
    let conn = state.db.conn();
    let display_name = clean_text(&form.display_name.clone().unwrap_or_default());
    let employee_number = form
        .employee_number
        .clone()
        .unwrap_or_default()
        .trim()
        .to_uppercase();
    let mut errors = FieldErrors::new();
    let roles = parse_roles(&form.roles).unwrap_or_else(|key| {
        errors.insert("roles", key);
        Vec::new()
    });
    if display_name.is_empty() || display_name.chars().count() > 200 {
        errors.insert("display_name", "error-display-name");
    }
    let staff_member_id = if employee_number.is_empty() {
        None
    } else {
        let member = staff_member::Entity::find()
            .filter(staff_member::Column::EmployeeNumber.eq(employee_number.as_str()))
            .one(conn)
            .await?;
        if member.is_none() {
            errors.insert("employee_number", "error-admin-employee-unknown");
        }
        member.map(|m| m.id)
    };
    if !roles.contains(&Role::Admin)
        && is_last_admin(conn, user.id).await?
        && accounts::roles_of(conn, user.id)
            .await?
            .contains(&Role::Admin)
    {
        errors.insert("roles", "error-admin-last-admin");
    }
    let changes = Changes {
        display_name,
        employee_number,
        staff_member_id,
        roles,
    };
    Ok(if errors.is_empty() {
        Ok(changes)
    } else {
        Err((changes, errors))
    })
}

/// Saves the name, staff-directory link, roles and teams of `user` in one audited transaction:
/// a failure anywhere leaves the account as it was.
pub(super) async fn save(
    state: &AppState,
    admin: &Authorized<Admins>,
    user: &app_user::Model,
    changes: &Changes,
    teams: &BTreeSet<i32>,
) -> AppResult<()> {
    let now = state.clock.now();
    let id = user.id;
    let tx = state.db.begin_write().await?;
    let before_roles = accounts::roles_of(&*tx, id).await?;
    let mut active = user.clone().into_active_model();
    active.display_name = Set(changes.display_name.clone());
    active.staff_member_id = Set(changes.staff_member_id);
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    user_role::Entity::delete_many()
        .filter(user_role::Column::UserId.eq(id))
        .exec(&*tx)
        .await?;
    for role in &changes.roles {
        user_role::ActiveModel {
            user_id: Set(id),
            role: Set(role.as_str().to_string()),
            ..Default::default()
        }
        .insert(&*tx)
        .await?;
    }
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &admin.actor(),
            action: "user_updated",
            object_type: "user",
            object_id: Some(id.to_string()),
            details: json!({
                "roles_from": before_roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                "roles_to": changes.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                "staff_member_id": changes.staff_member_id,
            }),
        },
    )
    .await?;
    write_teams(&*tx, admin, now, id, teams).await?;
    tx.commit().await?;
    Ok(())
}

/// What a destructive action came to.
pub(super) enum Outcome {
    /// Refused: it would disable the last active admin.
    LastAdmin,
    /// Done.
    Done,
    /// Done, with a new temporary password to show once.
    PasswordReset(Box<app_user::Model>, String),
}

/// Performs `action` on account `id` and ends its sessions, audited.
pub(super) async fn perform(
    state: &AppState,
    admin: &Authorized<Admins>,
    id: UserId,
    action: UserAction,
) -> AppResult<Outcome> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let user = find_user(&*tx, id).await?;
    let id = id.0;
    let is_admin = accounts::roles_of(&*tx, id).await?.contains(&Role::Admin);
    if matches!(action, UserAction::Disable) && is_admin && is_last_admin(&*tx, id).await? {
        return Ok(Outcome::LastAdmin);
    }
    let mut active = user.clone().into_active_model();
    let mut temporary = None;
    match action {
        UserAction::Disable => active.active = Set(false),
        UserAction::Enable => active.active = Set(true),
        UserAction::ResetPassword => {
            let password = accounts::temporary_password();
            active.password_hash = Set(Some(state.hasher.hash(password.clone()).await?));
            active.must_change_password = Set(true);
            temporary = Some(password);
        }
        UserAction::ResetTwoFactor => {
            active.totp_secret = Set(None);
            active.totp_enabled = Set(false);
            active.totp_last_step = Set(None);
            recovery_code::Entity::delete_many()
                .filter(recovery_code::Column::UserId.eq(id))
                .exec(&*tx)
                .await?;
        }
    }
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    // Every one of these actions ends the user's sessions.
    let ended = session::end_all(&*tx, id).await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &admin.actor(),
            action: action.audit_action(),
            object_type: "user",
            object_id: Some(id.to_string()),
            details: json!({"sessions_ended": ended}),
        },
    )
    .await?;
    Ok(match temporary {
        Some(password) => Outcome::PasswordReset(Box::new(user), password),
        None => Outcome::Done,
    })
}
