//! `/admin/teams`: inspection teams — each belongs to an org unit — and their members.
//! Every change is audited.

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::{json, Value};

use crate::auth::Admins;
use crate::auth::Authorized;
use crate::domain::report::clean_text;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{app_user, inspection_team, org_unit, team_member};
use crate::web::error::{AppError, AppResult};
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use crate::web::units;
use crate::web::units::unit_path;

pub fn routes() -> Vec<Route> {
    routes![
        list_teams,
        new_team,
        create_team,
        show_team,
        update_team,
        add_member,
        remove_member,
    ]
}

#[derive(Debug, FromForm)]
struct TeamForm {
    name: Option<String>,
    org_unit_id: Option<i32>,
    active: bool,
}

#[get("/admin/teams")]
async fn list_teams(
    page: PageCtx,
    state: &State<AppState>,
    _admin: Authorized<Admins>,
) -> AppResult<Template> {
    let conn = state.db.conn();
    let teams = inspection_team::Entity::find()
        .order_by_asc(inspection_team::Column::Name)
        .all(conn)
        .await?;
    let mut rows = Vec::new();
    for team in teams {
        let members = team_member::Entity::find()
            .filter(team_member::Column::TeamId.eq(team.id))
            .count(conn)
            .await?;
        rows.push(json!({
            "id": team.id,
            "name": team.name,
            "unit": unit_path(state, team.org_unit_id, page.lang).await?,
            "members": members,
            "active": team.active,
        }));
    }
    Ok(page.render("admin/teams/list", json!({"teams": rows})))
}

async fn unit_groups(state: &AppState, page: &PageCtx) -> AppResult<Value> {
    let all = org_unit::Entity::find().all(state.db.conn()).await?;
    Ok(json!(units::grouped(&all, page.lang, "")))
}

#[get("/admin/teams/new")]
async fn new_team(
    page: PageCtx,
    state: &State<AppState>,
    _admin: Authorized<Admins>,
) -> AppResult<Template> {
    let groups = unit_groups(state, &page).await?;
    Ok(page.render(
        "admin/teams/new",
        json!({"form": {"name": "", "org_unit_id": "", "active": true}, "unit_groups": groups, "errors": {}}),
    ))
}

/// Checks a team form; returns the cleaned name and unit, or field errors (catalogue keys).
async fn validate_team(
    state: &AppState,
    form: &TeamForm,
) -> AppResult<Result<(String, i32), Vec<(&'static str, &'static str)>>> {
    let name = clean_text(&form.name.clone().unwrap_or_default());
    let mut errors = Vec::new();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(("name", "error-admin-team-name"));
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
        errors.push(("org_unit_id", "error-unit-required"));
    }
    Ok(match (errors.is_empty(), unit) {
        (true, Some(unit)) => Ok((name, unit.id)),
        _ => Err(errors),
    })
}

fn error_map(page: &PageCtx, errors: &[(&str, &str)]) -> Value {
    Value::Object(
        errors
            .iter()
            .map(|(field, key)| ((*field).to_string(), json!(page.lang.t(key))))
            .collect(),
    )
}

#[post("/admin/teams", data = "<form>")]
async fn create_team(
    page: PageCtx,
    state: &State<AppState>,
    admin: Authorized<Admins>,
    form: Form<TeamForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let (name, unit_id) = match validate_team(state, &form)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok(valid) => valid,
        Err(errors) => {
            let groups = unit_groups(state, &page)
                .await
                .map_err(AppResultPage::Error)?;
            return Err(AppResultPage::Page(page.render_status(
                Status::UnprocessableEntity,
                "admin/teams/new",
                json!({
                    "form": {"name": form.name, "org_unit_id": form.org_unit_id.map(|i| i.to_string()).unwrap_or_default(), "active": true},
                    "unit_groups": groups,
                    "errors": error_map(&page, &errors),
                }),
            )));
        }
    };
    let now = state.clock.now();
    let created: AppResult<i32> = async {
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
        audit::record(
            &*tx,
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
        tx.commit().await?;
        Ok(team.id)
    }
    .await;
    let id = created.map_err(AppResultPage::Error)?;
    Ok(Flash::success(
        Redirect::to(format!("/admin/teams/{id}")),
        "flash-admin-team-saved",
    ))
}

async fn team_context(
    state: &AppState,
    page: &PageCtx,
    team: &inspection_team::Model,
) -> AppResult<Value> {
    let conn = state.db.conn();
    let member_ids: Vec<i32> = team_member::Entity::find()
        .filter(team_member::Column::TeamId.eq(team.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    let users = app_user::Entity::find()
        .filter(app_user::Column::Active.eq(true))
        .order_by_asc(app_user::Column::Email)
        .all(conn)
        .await?;
    let members: Vec<Value> = users
        .iter()
        .filter(|u| member_ids.contains(&u.id))
        .map(|u| json!({"id": u.id, "email": u.email, "name": u.display_name}))
        .collect();
    let candidates: Vec<Value> = users
        .iter()
        .filter(|u| !member_ids.contains(&u.id))
        .map(|u| json!({"id": u.id, "email": u.email, "name": u.display_name}))
        .collect();
    Ok(json!({
        "team": {"id": team.id, "unit": unit_path(state, team.org_unit_id, page.lang).await?},
        "form": {"name": team.name, "org_unit_id": team.org_unit_id.to_string(), "active": team.active},
        "unit_groups": unit_groups(state, page).await?,
        "members": members,
        "candidates": candidates,
        "errors": {},
    }))
}

#[get("/admin/teams/<id>")]
async fn show_team(
    page: PageCtx,
    state: &State<AppState>,
    _admin: Authorized<Admins>,
    id: i32,
) -> AppResult<Template> {
    let team = inspection_team::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    let context = team_context(state, &page, &team).await?;
    Ok(page.render("admin/teams/edit", context))
}

#[post("/admin/teams/<id>", data = "<form>")]
async fn update_team(
    page: PageCtx,
    state: &State<AppState>,
    admin: Authorized<Admins>,
    id: i32,
    form: Form<TeamForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let team = inspection_team::Entity::find_by_id(id)
        .one(state.db.conn())
        .await
        .map_err(|e| AppResultPage::Error(e.into()))?
        .ok_or(AppResultPage::Error(AppError::NotFound))?;
    let (name, unit_id) = match validate_team(state, &form)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok(valid) => valid,
        Err(errors) => {
            let mut context = team_context(state, &page, &team)
                .await
                .map_err(AppResultPage::Error)?;
            context["form"] = json!({
                "name": form.name,
                "org_unit_id": form.org_unit_id.map(|i| i.to_string()).unwrap_or_default(),
                "active": form.active,
            });
            context["errors"] = error_map(&page, &errors);
            return Err(AppResultPage::Page(page.render_status(
                Status::UnprocessableEntity,
                "admin/teams/edit",
                context,
            )));
        }
    };
    let now = state.clock.now();
    let result: AppResult<()> = async {
        let tx = state.db.begin_write().await?;
        let before = json!({"name": team.name, "org_unit_id": team.org_unit_id, "active": team.active});
        let mut active = team.into_active_model();
        active.name = Set(name.clone());
        active.org_unit_id = Set(unit_id);
        active.active = Set(form.active);
        active.updated_at = Set(now);
        active.update(&*tx).await?;
        audit::record(
            &*tx,
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
        tx.commit().await?;
        Ok(())
    }
    .await;
    result.map_err(AppResultPage::Error)?;
    Ok(Flash::success(
        Redirect::to(format!("/admin/teams/{id}")),
        "flash-admin-team-saved",
    ))
}

#[derive(Debug, FromForm)]
struct MemberForm {
    user_id: Option<i32>,
}

#[post("/admin/teams/<id>/members", data = "<form>")]
async fn add_member(
    state: &State<AppState>,
    admin: Authorized<Admins>,
    id: i32,
    form: Form<MemberForm>,
) -> AppResult<Flash<Redirect>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    inspection_team::Entity::find_by_id(id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(user) = app_user::Entity::find_by_id(form.user_id.unwrap_or_default())
        .one(&*tx)
        .await?
    else {
        return Ok(Flash::error(
            Redirect::to(format!("/admin/teams/{id}")),
            "error-admin-member-unknown",
        ));
    };
    let exists = team_member::Entity::find()
        .filter(team_member::Column::TeamId.eq(id))
        .filter(team_member::Column::UserId.eq(user.id))
        .count(&*tx)
        .await?
        > 0;
    if !exists {
        team_member::ActiveModel {
            team_id: Set(id),
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
    Ok(Flash::success(
        Redirect::to(format!("/admin/teams/{id}")),
        "flash-admin-team-saved",
    ))
}

#[post("/admin/teams/<id>/members/<user_id>/remove")]
async fn remove_member(
    state: &State<AppState>,
    admin: Authorized<Admins>,
    id: i32,
    user_id: i32,
) -> AppResult<Flash<Redirect>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let removed = team_member::Entity::delete_many()
        .filter(team_member::Column::TeamId.eq(id))
        .filter(team_member::Column::UserId.eq(user_id))
        .exec(&*tx)
        .await?
        .rows_affected;
    if removed == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &admin.actor(),
            action: "team_member_removed",
            object_type: "inspection_team",
            object_id: Some(id.to_string()),
            details: json!({"user_id": user_id}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Flash::success(
        Redirect::to(format!("/admin/teams/{id}")),
        "flash-admin-team-saved",
    ))
}
