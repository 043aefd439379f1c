//! `/admin/units`: the org-unit tree (EVN → corporations → companies → district units and
//! offices), kept as data so a merger or a renaming is an admin's edit, never a code change.
//!
//! Admins add a unit under an open parent, rename it, move it under another parent and
//! deactivate it (its `active_to` becomes today, its last active day). Units are never deleted:
//! reports and teams keep pointing at them. Invariants: the tree has no cycle
//! ([`creates_cycle`] is checked inside the write transaction), a unit with open children cannot
//! be deactivated, a closed unit takes no new children. Every change is audited in the same
//! transaction. The rules live in [`crate::domain::org`], the writes in [`service`], the pages'
//! views in [`views`]; this file holds the routes.

pub mod service;
pub mod views;

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;

use crate::auth::{Admins, Authorized};
use crate::domain::ids::UnitId;
pub use crate::domain::org::{
    creates_cycle, is_closed, normalise_code, NewUnit, UnitInput, UnitKind, UnitNames, CODE_MAX,
    NAME_MAX,
};
use crate::domain::report::FieldErrors;
use crate::web::error::AppResult;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
pub use views::tree_order;
use views::{DeactivateView, EditUnitView, ListView, MoveView, NewUnitView};

/// The routes of this screen.
pub fn routes() -> Vec<Route> {
    routes![
        list_units,
        new_unit,
        create_unit,
        edit_unit,
        update_unit,
        show_move_unit,
        move_unit,
        confirm_deactivate_unit,
        deactivate_unit,
    ]
}

/// Where every change returns to.
const LIST: &str = "/admin/units";

#[get("/admin/units")]
async fn list_units(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let view = ListView::load(state, page.lang).await?;
    Ok(page.render("admin/units/list", view))
}

#[derive(Debug, Default, FromForm)]
struct UnitForm {
    parent_id: Option<String>,
    kind: Option<String>,
    code: Option<String>,
    name_vi: Option<String>,
    name_en: Option<String>,
    active_from: Option<String>,
    hotline: Option<String>,
}

impl UnitForm {
    fn to_input(&self) -> UnitInput {
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        UnitInput {
            parent_id: text(&self.parent_id),
            kind: text(&self.kind),
            code: text(&self.code),
            name_vi: text(&self.name_vi),
            name_en: text(&self.name_en),
            active_from: text(&self.active_from),
            hotline: self.hotline.clone(),
        }
    }
}

#[get("/admin/units/new?<parent>")]
async fn new_unit(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    parent: Option<i32>,
) -> AppResult<Template> {
    let view = NewUnitView::blank(state, page.lang, parent).await?;
    Ok(page.render("admin/units/new", view))
}

#[post("/admin/units", data = "<form>")]
async fn create_unit(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    form: Form<UnitForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let input = form.to_input();
    match service::create(state, &user, &input).await {
        Ok(Ok(_)) => Ok(Flash::success(
            Redirect::to(LIST),
            "flash-admin-unit-created",
        )),
        Ok(Err(errors)) => match NewUnitView::load(state, page.lang, input, &errors).await {
            Ok(view) => Err(refused(&page, "admin/units/new", view)),
            Err(e) => Err(AppResultPage::Error(e)),
        },
        Err(e) => Err(AppResultPage::Error(e)),
    }
}

/// The form again with its mistakes (422).
fn refused(page: &PageCtx, name: &'static str, view: impl serde::Serialize) -> AppResultPage {
    AppResultPage::Page(page.render_status(Status::UnprocessableEntity, name, view))
}

#[get("/admin/units/<id>/edit")]
async fn edit_unit(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: UnitId,
) -> AppResult<Template> {
    let view = EditUnitView::load(state, page.lang, id, None, &FieldErrors::new()).await?;
    Ok(page.render("admin/units/edit", view))
}

#[post("/admin/units/<id>/edit", data = "<form>")]
async fn update_unit(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: UnitId,
    form: Form<UnitForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let input = form.to_input();
    match service::rename(state, &user, id, &input).await {
        Ok(Ok(true)) => Ok(Flash::success(
            Redirect::to(LIST),
            "flash-admin-unit-updated",
        )),
        Ok(Ok(false)) => Ok(Flash::success(
            Redirect::to(LIST),
            "flash-admin-nothing-changed",
        )),
        Ok(Err(errors)) => {
            match EditUnitView::load(state, page.lang, id, Some(input), &errors).await {
                Ok(view) => Err(refused(&page, "admin/units/edit", view)),
                Err(e) => Err(AppResultPage::Error(e)),
            }
        }
        Err(e) => Err(AppResultPage::Error(e)),
    }
}

#[get("/admin/units/<id>/move")]
async fn show_move_unit(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: UnitId,
) -> AppResult<Template> {
    let view = MoveView::load(state, page.lang, id, None, &FieldErrors::new()).await?;
    Ok(page.render("admin/units/move", view))
}

#[derive(Debug, FromForm)]
struct MoveForm {
    parent_id: Option<String>,
}

#[post("/admin/units/<id>/move", data = "<form>")]
async fn move_unit(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: UnitId,
    form: Form<MoveForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let typed = form.parent_id.clone().unwrap_or_default();
    match service::reparent(state, &user, id, &typed).await {
        Ok(Ok(())) => Ok(Flash::success(Redirect::to(LIST), "flash-admin-unit-moved")),
        Ok(Err(errors)) => match MoveView::load(state, page.lang, id, Some(typed), &errors).await {
            Ok(view) => Err(refused(&page, "admin/units/move", view)),
            Err(e) => Err(AppResultPage::Error(e)),
        },
        Err(e) => Err(AppResultPage::Error(e)),
    }
}

#[get("/admin/units/<id>/deactivate")]
async fn confirm_deactivate_unit(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: UnitId,
) -> AppResult<Template> {
    let view = DeactivateView::load(state, page.lang, id).await?;
    Ok(page.render("admin/units/deactivate", view))
}

#[post("/admin/units/<id>/deactivate")]
async fn deactivate_unit(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: UnitId,
) -> Result<Flash<Redirect>, AppResultPage> {
    match service::close(state, &user, id).await {
        Ok(Ok(())) => Ok(Flash::success(
            Redirect::to(LIST),
            "flash-admin-unit-deactivated",
        )),
        Ok(Err((unit, blocked))) => {
            let view = DeactivateView::build(page.lang, &unit, state.clock.today(), Some(&blocked));
            Err(AppResultPage::Page(page.render_status(
                Status::Conflict,
                "admin/units/deactivate",
                view,
            )))
        }
        Err(e) => Err(AppResultPage::Error(e)),
    }
}
