//! `/admin/teams`: inspection teams — each belongs to an org unit — and their members.
//! Every change is audited in its transaction ([`service`]); this file holds the routes and the
//! pages' views. Teams are never deleted, only marked inactive from their edit page.

pub mod service;

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::Value;

use crate::auth::{Admins, Authorized};
use crate::domain::ids::{TeamId, UserId};
use crate::domain::report::FieldErrors;
use crate::platform::persistence::entities::{app_user, inspection_team, org_unit, team_member};
use crate::web::error::AppResult;
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use crate::web::units::{self, unit_path, UnitGroup};
use service::TeamForm;

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

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

/// A row of the team list.
#[derive(Debug, Serialize)]
pub struct TeamRow {
    pub id: i32,
    pub name: String,
    /// The unit's path from the top of the tree.
    pub unit: String,
    /// How many members.
    pub members: u64,
    pub active: bool,
}

/// `admin/teams/list`: every team by name.
#[derive(Debug, Serialize)]
pub struct ListView {
    pub teams: Vec<TeamRow>,
}

impl ListView {
    async fn load(state: &AppState, lang: Lang) -> AppResult<Self> {
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
            rows.push(TeamRow {
                id: team.id,
                unit: unit_path(state, team.org_unit_id, lang).await?,
                name: team.name,
                members,
                active: team.active,
            });
        }
        Ok(Self { teams: rows })
    }
}

/// The team form's fields as shown; the unit id is text, as the `<select>` compares it.
#[derive(Debug, Serialize)]
pub struct TeamInput {
    pub name: Option<String>,
    pub org_unit_id: String,
    pub active: bool,
}

impl TeamInput {
    /// What was sent, with the active flag `active`.
    fn sent(form: &TeamForm, active: bool) -> Self {
        Self {
            name: form.name.clone(),
            org_unit_id: form.org_unit_id.map(|i| i.to_string()).unwrap_or_default(),
            active,
        }
    }
}

async fn unit_groups(state: &AppState, lang: Lang) -> AppResult<Vec<UnitGroup>> {
    let all = org_unit::Entity::find().all(state.db.conn()).await?;
    Ok(units::grouped(&all, lang, ""))
}

/// `admin/teams/new`: the form to add a team.
#[derive(Debug, Serialize)]
pub struct NewView {
    pub form: TeamInput,
    pub unit_groups: Vec<UnitGroup>,
    pub errors: Value,
}

impl NewView {
    /// The form with `form` (empty when `None`) and `errors`.
    async fn load(
        state: &AppState,
        lang: Lang,
        form: Option<TeamInput>,
        errors: &FieldErrors,
    ) -> AppResult<Self> {
        Ok(Self {
            form: form.unwrap_or(TeamInput {
                name: Some(String::new()),
                org_unit_id: String::new(),
                active: true,
            }),
            unit_groups: unit_groups(state, lang).await?,
            errors: translate(lang, errors),
        })
    }
}

/// The team an edit page is about.
#[derive(Debug, Serialize)]
pub struct TeamRef {
    pub id: i32,
    pub unit: String,
}

/// An account, as a member or a candidate.
#[derive(Debug, Serialize)]
pub struct Person {
    pub id: i32,
    pub email: String,
    pub name: String,
}

/// `admin/teams/edit`: a team's fields and its members.
#[derive(Debug, Serialize)]
pub struct EditView {
    pub team: TeamRef,
    pub form: TeamInput,
    pub unit_groups: Vec<UnitGroup>,
    /// Active accounts in the team, by email.
    pub members: Vec<Person>,
    /// Active accounts that could join, by email.
    pub candidates: Vec<Person>,
    pub errors: Value,
}

impl EditView {
    /// The page of team `id` with `form` (its stored values when `None`) and `errors`.
    async fn load(
        state: &AppState,
        lang: Lang,
        id: TeamId,
        form: Option<TeamInput>,
        errors: &FieldErrors,
    ) -> AppResult<Self> {
        let team = service::find_team(state, id).await?;
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
        let (members, candidates): (Vec<_>, Vec<_>) = users
            .into_iter()
            .map(|u| Person {
                id: u.id,
                email: u.email,
                name: u.display_name,
            })
            .partition(|p| member_ids.contains(&p.id));
        Ok(Self {
            team: TeamRef {
                id: team.id,
                unit: unit_path(state, team.org_unit_id, lang).await?,
            },
            form: form.unwrap_or(TeamInput {
                name: Some(team.name.clone()),
                org_unit_id: team.org_unit_id.to_string(),
                active: team.active,
            }),
            unit_groups: unit_groups(state, lang).await?,
            members,
            candidates,
            errors: translate(lang, errors),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

/// A team's page, where every change returns to.
fn team_url(id: impl std::fmt::Display) -> String {
    format!("/admin/teams/{id}")
}

/// The form again with its mistakes (422).
fn refused(page: &PageCtx, name: &'static str, view: impl Serialize) -> AppResultPage {
    AppResultPage::Page(page.render_status(Status::UnprocessableEntity, name, view))
}

#[get("/admin/teams")]
async fn list_teams(
    page: PageCtx,
    state: &State<AppState>,
    _admin: Authorized<Admins>,
) -> AppResult<Template> {
    let view = ListView::load(state, page.lang).await?;
    Ok(page.render("admin/teams/list", view))
}

#[get("/admin/teams/new")]
async fn new_team(
    page: PageCtx,
    state: &State<AppState>,
    _admin: Authorized<Admins>,
) -> AppResult<Template> {
    let view = NewView::load(state, page.lang, None, &FieldErrors::new()).await?;
    Ok(page.render("admin/teams/new", view))
}

#[post("/admin/teams", data = "<form>")]
async fn create_team(
    page: PageCtx,
    state: &State<AppState>,
    admin: Authorized<Admins>,
    form: Form<TeamForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    match service::create(state, &admin, &form).await {
        Ok(Ok(id)) => Ok(Flash::success(
            Redirect::to(team_url(id)),
            "flash-admin-team-saved",
        )),
        Ok(Err(errors)) => {
            // A new team is active: the form has no checkbox for it.
            let sent = Some(TeamInput::sent(&form, true));
            match NewView::load(state, page.lang, sent, &errors).await {
                Ok(view) => Err(refused(&page, "admin/teams/new", view)),
                Err(e) => Err(AppResultPage::Error(e)),
            }
        }
        Err(e) => Err(AppResultPage::Error(e)),
    }
}

#[get("/admin/teams/<id>")]
async fn show_team(
    page: PageCtx,
    state: &State<AppState>,
    _admin: Authorized<Admins>,
    id: TeamId,
) -> AppResult<Template> {
    let view = EditView::load(state, page.lang, id, None, &FieldErrors::new()).await?;
    Ok(page.render("admin/teams/edit", view))
}

#[post("/admin/teams/<id>", data = "<form>")]
async fn update_team(
    page: PageCtx,
    state: &State<AppState>,
    admin: Authorized<Admins>,
    id: TeamId,
    form: Form<TeamForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    match service::update(state, &admin, id, &form).await {
        Ok(Ok(())) => Ok(Flash::success(
            Redirect::to(team_url(id)),
            "flash-admin-team-saved",
        )),
        Ok(Err(errors)) => {
            let sent = Some(TeamInput::sent(&form, form.active));
            match EditView::load(state, page.lang, id, sent, &errors).await {
                Ok(view) => Err(refused(&page, "admin/teams/edit", view)),
                Err(e) => Err(AppResultPage::Error(e)),
            }
        }
        Err(e) => Err(AppResultPage::Error(e)),
    }
}

#[derive(Debug, FromForm)]
struct MemberForm {
    user_id: Option<i32>,
}

#[post("/admin/teams/<id>/members", data = "<form>")]
async fn add_member(
    state: &State<AppState>,
    admin: Authorized<Admins>,
    id: TeamId,
    form: Form<MemberForm>,
) -> AppResult<Flash<Redirect>> {
    let user_id = form.user_id.unwrap_or_default();
    if service::add_member(state, &admin, id, user_id).await? {
        Ok(Flash::success(
            Redirect::to(team_url(id)),
            "flash-admin-team-saved",
        ))
    } else {
        Ok(Flash::error(
            Redirect::to(team_url(id)),
            "error-admin-member-unknown",
        ))
    }
}

#[post("/admin/teams/<id>/members/<user_id>/remove")]
async fn remove_member(
    state: &State<AppState>,
    admin: Authorized<Admins>,
    id: TeamId,
    user_id: UserId,
) -> AppResult<Flash<Redirect>> {
    service::remove_member(state, &admin, id, user_id).await?;
    Ok(Flash::success(
        Redirect::to(team_url(id)),
        "flash-admin-team-saved",
    ))
}
