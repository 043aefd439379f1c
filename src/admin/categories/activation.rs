//! The deactivate/reactivate routes of `/admin/categories` and their confirmation page, moved
//! here unchanged: a category is deactivated, never deleted, so old reports keep theirs; the
//! switch itself is `web::switch` (record, 409 when it already has that state, audit entry).

use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::Template;
use serde_json::json;

use super::store::find_category;
use super::views::category_view;
use crate::auth::{Admins, Authorized};
use crate::platform::persistence::entities::violation_category;
use crate::web::error::AppResult;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

/// The deactivate/reactivate routes and their confirmation pages.
pub(super) fn routes() -> Vec<Route> {
    routes![
        confirm_deactivate_category,
        deactivate_category,
        confirm_reactivate_category,
        reactivate_category,
    ]
}

fn confirm_page(
    page: &PageCtx,
    category: &violation_category::Model,
    activate: bool,
    status: Status,
) -> (Status, Template) {
    page.render_status(
        status,
        "admin/categories/confirm",
        json!({
            "category": category_view(page.lang, category, &[]),
            "activate": activate,
            "already": category.active == activate,
        }),
    )
}

#[get("/admin/categories/<id>/deactivate")]
async fn confirm_deactivate_category(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let category = find_category(state, id).await?;
    Ok(confirm_page(&page, &category, false, Status::Ok).1)
}

#[post("/admin/categories/<id>/deactivate")]
async fn deactivate_category(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> Result<Flash<Redirect>, AppResultPage> {
    crate::web::switch::switch_then_redirect::<violation_category::Model>(
        state,
        &page,
        &user.actor(),
        id,
        false,
        &SWITCHED,
        confirm_page,
    )
    .await
}

#[get("/admin/categories/<id>/reactivate")]
async fn confirm_reactivate_category(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let category = find_category(state, id).await?;
    Ok(confirm_page(&page, &category, true, Status::Ok).1)
}

#[post("/admin/categories/<id>/reactivate")]
async fn reactivate_category(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> Result<Flash<Redirect>, AppResultPage> {
    crate::web::switch::switch_then_redirect::<violation_category::Model>(
        state,
        &page,
        &user.actor(),
        id,
        true,
        &SWITCHED,
        confirm_page,
    )
    .await
}

const SWITCHED: crate::web::switch::Outcome = crate::web::switch::Outcome {
    list: "/admin/categories",
    deactivated: "flash-admin-category-deactivated",
    reactivated: "flash-admin-category-reactivated",
};

crate::switchable!(
    violation_category,
    "violation_category",
    "category_deactivated",
    "category_reactivated",
    |category| json!({"code": category.code})
);
