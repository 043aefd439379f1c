//! `/admin/staff`: the staff directory — the employees reports can name. Conflict-of-interest
//! exclusions read it (an inspector never sees a case naming a colleague of their own unit), so
//! it must follow HR: admins add, edit, deactivate and reactivate employees one by one, or import
//! an HR export (CSV, see [`crate::admin::staff_import`]) all-or-nothing.
//!
//! Invariants: employee numbers are unique, stored upper-case (A–Z, 0–9, `-`, `/`, `.`, ≤ 32) and
//! fixed once created, because reports and imports match on them; `full_name_folded` is always
//! `fold(full_name)`, which the diacritics-insensitive search reads; employees are deactivated,
//! never deleted. Every change is audited in its transaction; audit entries carry employee
//! numbers and counts, never names. The form rules live in [`crate::domain::directory`], the
//! writes in [`service`] and [`import`], the pages' views in [`views`]; this file holds the
//! routes.

pub mod import;
pub mod service;
pub mod views;

use rocket::form::Form;
use rocket::fs::TempFile;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use serde_json::json;

use crate::auth::{Admins, Authorized};
pub use crate::domain::directory::{StaffFields, StaffInput};
use crate::domain::ids::StaffId;
use crate::domain::report::FieldErrors;
use crate::platform::persistence::entities::staff_member;
use crate::web::error::AppResult;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use crate::web::switch::SwitchPage;
pub use import::{import_staff, ImportSummary};
pub use service::search_condition;
use service::{all_units, unit_paths};
pub use views::PAGE_SIZE;
use views::{staff_view, FormView, ImportView, ListView, StaffView};

/// The routes of this screen.
pub fn routes() -> Vec<Route> {
    routes![
        list_staff,
        new_staff,
        create_staff,
        edit_staff,
        update_staff,
        show_import,
        import_file,
    ]
}

/// Where every change returns to.
const LIST: &str = "/admin/staff";

/// The form again with its mistakes (422).
fn refused(page: &PageCtx, name: &'static str, view: impl serde::Serialize) -> AppResultPage {
    AppResultPage::Page(page.render_status(Status::UnprocessableEntity, name, view))
}

// ---------------------------------------------------------------------------------------------
// Handlers: list, add, edit
// ---------------------------------------------------------------------------------------------

#[get("/admin/staff?<q>&<page>")]
async fn list_staff(
    _user: Authorized<Admins>,
    page_ctx: PageCtx,
    state: &State<AppState>,
    q: Option<String>,
    page: Option<u64>,
) -> AppResult<Template> {
    let q = q.unwrap_or_default();
    let view = ListView::load(state, page_ctx.lang, &q, page).await?;
    Ok(page_ctx.render("admin/staff/list", view))
}

#[derive(Debug, Default, FromForm)]
struct StaffForm {
    employee_number: Option<String>,
    full_name: Option<String>,
    unit_id: Option<String>,
    position: Option<String>,
    holds_post: bool,
}

impl StaffForm {
    fn to_input(&self) -> StaffInput {
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        StaffInput {
            employee_number: text(&self.employee_number),
            full_name: text(&self.full_name),
            unit_id: text(&self.unit_id),
            position: text(&self.position),
            holds_post: self.holds_post,
        }
    }
}

#[get("/admin/staff/new")]
async fn new_staff(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let input = StaffInput::default();
    let view = FormView::load(state, page.lang, None, input, &FieldErrors::new()).await?;
    Ok(page.render("admin/staff/form", view))
}

#[post("/admin/staff", data = "<form>")]
async fn create_staff(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    form: Form<StaffForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let input = form.to_input();
    match service::create(state, &user, &input).await {
        Ok(Ok(_)) => Ok(Flash::success(
            Redirect::to(LIST),
            "flash-admin-staff-created",
        )),
        Ok(Err(errors)) => match FormView::load(state, page.lang, None, input, &errors).await {
            Ok(view) => Err(refused(&page, "admin/staff/form", view)),
            Err(e) => Err(AppResultPage::Error(e)),
        },
        Err(e) => Err(AppResultPage::Error(e)),
    }
}

#[get("/admin/staff/<id>/edit")]
async fn edit_staff(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: StaffId,
) -> AppResult<Template> {
    let view = FormView::edit(state, page.lang, id).await?;
    Ok(page.render("admin/staff/form", view))
}

#[post("/admin/staff/<id>/edit", data = "<form>")]
async fn update_staff(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: StaffId,
    form: Form<StaffForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let no = match service::update(state, &user, id, form.to_input()).await {
        Ok(Ok(true)) => {
            return Ok(Flash::success(
                Redirect::to(LIST),
                "flash-admin-staff-updated",
            ))
        }
        Ok(Ok(false)) => {
            return Ok(Flash::success(
                Redirect::to(LIST),
                "flash-admin-nothing-changed",
            ))
        }
        Ok(Err(refusal)) => refusal,
        Err(e) => return Err(AppResultPage::Error(e)),
    };
    match FormView::load(state, page.lang, Some(&no.member), no.input, &no.errors).await {
        Ok(view) => Err(refused(&page, "admin/staff/form", view)),
        Err(e) => Err(AppResultPage::Error(e)),
    }
}

// ---------------------------------------------------------------------------------------------
// Deactivate, reactivate: served by `admin::switches`
// ---------------------------------------------------------------------------------------------

impl SwitchPage for staff_member::Model {
    const LIST: &'static str = "/admin/staff";
    const FLASH_DEACTIVATED: &'static str = "flash-admin-staff-deactivated";
    const FLASH_REACTIVATED: &'static str = "flash-admin-staff-reactivated";
    const CONFIRM_TEMPLATE: &'static str = "admin/staff/confirm";
    type Shown = StaffView;

    async fn shown(&self, state: &AppState, lang: Lang) -> AppResult<StaffView> {
        Ok(staff_view(
            self,
            &unit_paths(&all_units(state).await?, lang),
        ))
    }
}

crate::switchable!(
    staff_member,
    "staff_member",
    "staff_deactivated",
    "staff_reactivated",
    |member| json!({"employee_number": member.employee_number})
);

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

#[get("/admin/staff/import")]
async fn show_import(
    _user: Authorized<Admins>,
    page: PageCtx,
    config: &rocket::Config,
) -> Template {
    page.render(
        "admin/staff/import",
        ImportView::build(page.lang, config, None),
    )
}

#[derive(FromForm)]
struct ImportForm<'r> {
    file: Option<rocket::data::Capped<TempFile<'r>>>,
}

#[post("/admin/staff/import", data = "<form>")]
async fn import_file(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    config: &rocket::Config,
    form: Form<ImportForm<'_>>,
) -> Result<Template, AppResultPage> {
    let outcome = import::from_upload(state, &user.actor(), form.file.as_ref())
        .await
        .map_err(AppResultPage::Error)?;
    let view = ImportView::build(page.lang, config, Some(outcome));
    if view.refused {
        Err(refused(&page, "admin/staff/import", view))
    } else {
        Ok(page.render("admin/staff/import", view))
    }
}
