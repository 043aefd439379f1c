//! `/admin/users`: staff accounts — list, create (with a temporary password shown once),
//! edit name, roles, teams and staff-directory link, disable/enable, reset password or
//! two-factor. Destructive actions go through a confirmation page; every change is audited.

use std::collections::BTreeSet;

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use serde_json::{json, Value};

use crate::auth::service::{self as accounts, AccountError, NewAccount};
use crate::auth::Admins;
use crate::auth::{session, Authorized};
use crate::domain::roles::Role;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{
    app_user, inspection_team, recovery_code, staff_member, team_member, user_role,
};
use crate::web::error::{AppError, AppResult};
use crate::web::format::local_time;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

const PAGE_SIZE: u64 = 50;

pub fn routes() -> Vec<Route> {
    routes![
        list_users,
        new_user,
        create_user,
        show_user,
        update_user,
        confirm_user_action,
        perform_user_action,
    ]
}

/// The form of a new or edited account. Roles and teams arrive as repeated fields.
#[derive(Debug, Default, FromForm)]
struct UserForm {
    email: Option<String>,
    display_name: Option<String>,
    roles: Vec<String>,
    teams: Vec<i32>,
    employee_number: Option<String>,
}

fn role_options(lang: Lang, selected: &[Role]) -> Vec<Value> {
    Role::ALL
        .iter()
        .map(|role| {
            json!({
                "code": role.as_str(),
                "name": lang.t(&role.label_key()),
                "checked": selected.contains(role),
            })
        })
        .collect()
}

async fn team_options<C: ConnectionTrait>(
    conn: &C,
    selected: &BTreeSet<i32>,
) -> AppResult<Vec<Value>> {
    Ok(inspection_team::Entity::find()
        .filter(inspection_team::Column::Active.eq(true))
        .order_by_asc(inspection_team::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .map(|team| json!({"id": team.id, "name": team.name, "checked": selected.contains(&team.id)}))
        .collect())
}

fn parse_roles(raw: &[String]) -> Result<Vec<Role>, &'static str> {
    let mut roles = BTreeSet::new();
    for name in raw {
        roles.insert(
            name.parse::<Role>()
                .map_err(|_| "error-admin-role-unknown")?,
        );
    }
    Ok(roles.into_iter().collect())
}

#[get("/admin/users?<q>&<page>")]
async fn list_users(
    page_ctx: PageCtx,
    state: &State<AppState>,
    _admin: Authorized<Admins>,
    q: Option<String>,
    page: Option<u64>,
) -> AppResult<Template> {
    let conn = state.db.conn();
    let needle = q.clone().unwrap_or_default().trim().to_lowercase();
    let mut query = app_user::Entity::find().order_by_asc(app_user::Column::Email);
    if !needle.is_empty() {
        query = query.filter(app_user::Column::Email.contains(needle.as_str()));
    }
    let paginator = query.paginate(conn, PAGE_SIZE);
    let total = paginator.num_items().await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let current = page.unwrap_or(1).clamp(1, pages);
    let users = paginator.fetch_page(current - 1).await?;
    let mut rows = Vec::new();
    for user in users {
        let roles: Vec<String> = accounts::roles_of(conn, user.id)
            .await?
            .iter()
            .map(|r| page_ctx.lang.t(&r.label_key()))
            .collect();
        rows.push(json!({
            "id": user.id,
            "email": user.email,
            "name": user.display_name,
            "roles": roles.join(", "),
            "active": user.active,
            "two_factor": user.totp_enabled,
            "last_sign_in": user.last_sign_in_at.map(local_time),
        }));
    }
    Ok(page_ctx.render(
        "admin/users/list",
        json!({
            "users": rows,
            "q": q.unwrap_or_default(),
            "total": total,
            "page": current,
            "pages": pages,
            "prev": (current > 1).then(|| current - 1),
            "next": (current < pages).then(|| current + 1),
        }),
    ))
}

#[get("/admin/users/new")]
async fn new_user(
    page: PageCtx,
    state: &State<AppState>,
    _admin: Authorized<Admins>,
) -> AppResult<Template> {
    let teams = team_options(state.db.conn(), &BTreeSet::new()).await?;
    Ok(page.render(
        "admin/users/new",
        json!({
            "form": {"email": "", "display_name": ""},
            "roles": role_options(page.lang, &[]),
            "teams": teams,
            "errors": {},
        }),
    ))
}

#[post("/admin/users", data = "<form>")]
async fn create_user(
    page: PageCtx,
    state: &State<AppState>,
    admin: Authorized<Admins>,
    form: Form<UserForm>,
) -> Result<Template, AppResultPage> {
    let email = form.email.clone().unwrap_or_default();
    let display_name = form.display_name.clone().unwrap_or_default();
    let selected_teams: BTreeSet<i32> = form.teams.iter().copied().collect();
    let rerender = |errors: Value, roles: Vec<Role>| {
        let page = &page;
        let email = email.clone();
        let display_name = display_name.clone();
        let selected_teams = selected_teams.clone();
        async move {
            let teams = team_options(state.db.conn(), &selected_teams)
                .await
                .map_err(AppResultPage::Error)?;
            Err(AppResultPage::Page(page.render_status(
                Status::UnprocessableEntity,
                "admin/users/new",
                json!({
                    "form": {"email": email, "display_name": display_name},
                    "roles": role_options(page.lang, &roles),
                    "teams": teams,
                    "errors": errors,
                }),
            )))
        }
    };
    let roles = match parse_roles(&form.roles) {
        Ok(roles) if !roles.is_empty() => roles,
        Ok(_) => {
            return rerender(
                json!({"roles": page.lang.t("error-admin-role-required")}),
                vec![],
            )
            .await
        }
        Err(key) => return rerender(json!({"roles": page.lang.t(key)}), vec![]).await,
    };
    let temporary = accounts::temporary_password();
    let created = accounts::create_account(
        state,
        &admin.actor(),
        NewAccount {
            email: email.clone(),
            display_name: display_name.clone(),
            roles: roles.clone(),
            password: Some(temporary.clone()),
            must_change_password: true,
        },
    )
    .await;
    let user = match created {
        Ok(user) => user,
        Err(AccountError::Invalid(field, key)) => {
            return rerender(json!({field: page.lang.t(key)}), roles).await
        }
        Err(AccountError::Internal(error)) => return Err(AppResultPage::Error(error)),
    };
    set_teams(state, &admin, user.id, &selected_teams)
        .await
        .map_err(AppResultPage::Error)?;
    Ok(page.render(
        "admin/users/password_shown",
        json!({"user": {"id": user.id, "email": user.email}, "password": temporary, "created": true}),
    ))
}

/// Replaces a user's team memberships, audited.
async fn set_teams(
    state: &AppState,
    admin: &Authorized<Admins>,
    user_id: i32,
    teams: &BTreeSet<i32>,
) -> AppResult<()> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let current: BTreeSet<i32> = team_member::Entity::find()
        .filter(team_member::Column::UserId.eq(user_id))
        .all(&*tx)
        .await?
        .into_iter()
        .map(|m| m.team_id)
        .collect();
    if &current == teams {
        return Ok(());
    }
    team_member::Entity::delete_many()
        .filter(team_member::Column::UserId.eq(user_id))
        .exec(&*tx)
        .await?;
    for team_id in teams {
        if inspection_team::Entity::find_by_id(*team_id)
            .one(&*tx)
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
        .insert(&*tx)
        .await?;
    }
    audit::record(
        &*tx,
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
    tx.commit().await?;
    Ok(())
}

async fn user_context(state: &AppState, lang: Lang, user: &app_user::Model) -> AppResult<Value> {
    let conn = state.db.conn();
    let roles = accounts::roles_of(conn, user.id).await?;
    let teams: BTreeSet<i32> = team_member::Entity::find()
        .filter(team_member::Column::UserId.eq(user.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.team_id)
        .collect();
    let employee_number = match user.staff_member_id {
        Some(id) => staff_member::Entity::find_by_id(id)
            .one(conn)
            .await?
            .map(|s| s.employee_number)
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok(json!({
        "user": {
            "id": user.id,
            "email": user.email,
            "active": user.active,
            "two_factor": user.totp_enabled,
            "must_change_password": user.must_change_password,
            "last_sign_in": user.last_sign_in_at.map(local_time),
        },
        "form": {"display_name": user.display_name, "employee_number": employee_number},
        "roles": role_options(lang, &roles),
        "teams": team_options(conn, &teams).await?,
        "errors": {},
    }))
}

#[get("/admin/users/<id>")]
async fn show_user(
    page: PageCtx,
    state: &State<AppState>,
    _admin: Authorized<Admins>,
    id: i32,
) -> AppResult<Template> {
    let user = app_user::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    let context = user_context(state, page.lang, &user).await?;
    Ok(page.render("admin/users/edit", context))
}

/// True when removing `user_id`'s admin role or access would leave no active admin.
async fn is_last_admin<C: ConnectionTrait>(conn: &C, user_id: i32) -> AppResult<bool> {
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

#[post("/admin/users/<id>", data = "<form>")]
async fn update_user(
    page: PageCtx,
    state: &State<AppState>,
    admin: Authorized<Admins>,
    id: i32,
    form: Form<UserForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let conn = state.db.conn();
    let user = app_user::Entity::find_by_id(id)
        .one(conn)
        .await
        .map_err(AppError::from)
        .and_then(|u| u.ok_or(AppError::NotFound))
        .map_err(AppResultPage::Error)?;
    let display_name =
        crate::domain::report::clean_text(&form.display_name.clone().unwrap_or_default());
    let employee_number = form
        .employee_number
        .clone()
        .unwrap_or_default()
        .trim()
        .to_uppercase();
    let mut errors = serde_json::Map::new();
    let roles = match parse_roles(&form.roles) {
        Ok(roles) => roles,
        Err(key) => {
            errors.insert("roles".into(), json!(page.lang.t(key)));
            Vec::new()
        }
    };
    if display_name.is_empty() || display_name.chars().count() > 200 {
        errors.insert(
            "display_name".into(),
            json!(page.lang.t("error-display-name")),
        );
    }
    let staff_member_id = if employee_number.is_empty() {
        None
    } else {
        match staff_member::Entity::find()
            .filter(staff_member::Column::EmployeeNumber.eq(employee_number.as_str()))
            .one(conn)
            .await
            .map_err(|e| AppResultPage::Error(e.into()))?
        {
            Some(member) => Some(member.id),
            None => {
                errors.insert(
                    "employee_number".into(),
                    json!(page.lang.t("error-admin-employee-unknown")),
                );
                None
            }
        }
    };
    if !roles.contains(&Role::Admin)
        && is_last_admin(conn, id)
            .await
            .map_err(AppResultPage::Error)?
        && accounts::roles_of(conn, id)
            .await
            .map_err(|e| AppResultPage::Error(e.into()))?
            .contains(&Role::Admin)
    {
        errors.insert("roles".into(), json!(page.lang.t("error-admin-last-admin")));
    }
    if !errors.is_empty() {
        let mut context = user_context(state, page.lang, &user)
            .await
            .map_err(AppResultPage::Error)?;
        context["form"] = json!({"display_name": display_name, "employee_number": employee_number});
        context["roles"] = json!(role_options(page.lang, &roles));
        context["errors"] = Value::Object(errors);
        return Err(AppResultPage::Page(page.render_status(
            Status::UnprocessableEntity,
            "admin/users/edit",
            context,
        )));
    }

    let now = state.clock.now();
    let result: AppResult<()> = async {
        let tx = state.db.begin_write().await?;
        let before_roles = accounts::roles_of(&*tx, id).await?;
        let mut active = user.clone().into_active_model();
        active.display_name = Set(display_name.clone());
        active.staff_member_id = Set(staff_member_id);
        active.updated_at = Set(now);
        active.update(&*tx).await?;
        user_role::Entity::delete_many()
            .filter(user_role::Column::UserId.eq(id))
            .exec(&*tx)
            .await?;
        for role in &roles {
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
                    "roles_to": roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                    "staff_member_id": staff_member_id,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    result.map_err(AppResultPage::Error)?;
    let teams: BTreeSet<i32> = form.teams.iter().copied().collect();
    set_teams(state, &admin, id, &teams)
        .await
        .map_err(AppResultPage::Error)?;
    Ok(Flash::success(
        Redirect::to(format!("/admin/users/{id}")),
        "flash-admin-user-saved",
    ))
}

/// A destructive action on an account; each has a confirmation page.
#[derive(Debug, Clone, Copy)]
enum UserAction {
    Disable,
    Enable,
    ResetPassword,
    ResetTwoFactor,
}

impl UserAction {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "disable" => Some(UserAction::Disable),
            "enable" => Some(UserAction::Enable),
            "reset-password" => Some(UserAction::ResetPassword),
            "reset-two-factor" => Some(UserAction::ResetTwoFactor),
            _ => None,
        }
    }

    fn slug(self) -> &'static str {
        match self {
            UserAction::Disable => "disable",
            UserAction::Enable => "enable",
            UserAction::ResetPassword => "reset-password",
            UserAction::ResetTwoFactor => "reset-two-factor",
        }
    }

    fn audit_action(self) -> &'static str {
        match self {
            UserAction::Disable => "user_disabled",
            UserAction::Enable => "user_enabled",
            UserAction::ResetPassword => "user_password_reset",
            UserAction::ResetTwoFactor => "user_two_factor_reset",
        }
    }
}

#[get("/admin/users/<id>/<action>/confirm")]
async fn confirm_user_action(
    page: PageCtx,
    state: &State<AppState>,
    _admin: Authorized<Admins>,
    id: i32,
    action: &str,
) -> AppResult<Template> {
    let action = UserAction::parse(action).ok_or(AppError::NotFound)?;
    let user = app_user::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(page.render(
        "admin/users/confirm",
        json!({
            "user": {"id": user.id, "email": user.email},
            "action": action.slug(),
            "question_key": format!("admin-user-confirm-{}", action.slug()),
        }),
    ))
}

#[post("/admin/users/<id>/<action>")]
async fn perform_user_action(
    page: PageCtx,
    state: &State<AppState>,
    admin: Authorized<Admins>,
    id: i32,
    action: &str,
) -> AppResult<Either<Template, Flash<Redirect>>> {
    let action = UserAction::parse(action).ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let user = app_user::Entity::find_by_id(id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let is_admin = accounts::roles_of(&*tx, id).await?.contains(&Role::Admin);
    if matches!(action, UserAction::Disable) && is_admin && is_last_admin(&*tx, id).await? {
        return Ok(Either::Right(Flash::error(
            Redirect::to(format!("/admin/users/{id}")),
            "error-admin-last-admin",
        )));
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
    audit::record(
        &*tx,
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
    tx.commit().await?;
    Ok(match temporary {
        Some(password) => Either::Left(page.render(
            "admin/users/password_shown",
            json!({"user": {"id": user.id, "email": user.email}, "password": password, "created": false}),
        )),
        None => Either::Right(Flash::success(
            Redirect::to(format!("/admin/users/{id}")),
            "flash-admin-user-saved",
        )),
    })
}

use rocket::Either;
