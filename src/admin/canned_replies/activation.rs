//! The deactivate/reactivate routes of `/admin/canned-replies` and their confirmation page,
//! moved here unchanged: a reply is deactivated, never deleted; the switch itself is
//! `web::switch` (record, 409 when it already has that state, audit entry).

use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::Template;
use serde_json::json;

use super::{find_reply, reply_view};
use crate::auth::{Admins, Authorized};
use crate::platform::persistence::entities::canned_reply;
use crate::web::error::AppResult;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

/// The deactivate/reactivate routes and their confirmation pages.
pub(super) fn routes() -> Vec<Route> {
    routes![
        confirm_deactivate_reply,
        deactivate_reply,
        confirm_reactivate_reply,
        reactivate_reply,
    ]
}

fn confirm_page(
    page: &PageCtx,
    reply: &canned_reply::Model,
    activate: bool,
    status: Status,
) -> (Status, Template) {
    page.render_status(
        status,
        "admin/canned_replies/confirm",
        json!({
            "reply": reply_view(page.lang, reply),
            "activate": activate,
            "already": reply.active == activate,
        }),
    )
}

#[get("/admin/canned-replies/<id>/deactivate")]
async fn confirm_deactivate_reply(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let reply = find_reply(state, id).await?;
    Ok(confirm_page(&page, &reply, false, Status::Ok).1)
}

#[post("/admin/canned-replies/<id>/deactivate")]
async fn deactivate_reply(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> Result<Flash<Redirect>, AppResultPage> {
    crate::web::switch::switch_then_redirect::<canned_reply::Model>(
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

#[get("/admin/canned-replies/<id>/reactivate")]
async fn confirm_reactivate_reply(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let reply = find_reply(state, id).await?;
    Ok(confirm_page(&page, &reply, true, Status::Ok).1)
}

#[post("/admin/canned-replies/<id>/reactivate")]
async fn reactivate_reply(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> Result<Flash<Redirect>, AppResultPage> {
    crate::web::switch::switch_then_redirect::<canned_reply::Model>(
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
    list: "/admin/canned-replies",
    deactivated: "flash-admin-canned-deactivated",
    reactivated: "flash-admin-canned-reactivated",
};

crate::switchable!(
    canned_reply,
    "canned_reply",
    "canned_reply_deactivated",
    "canned_reply_reactivated",
    |reply| json!({"code": reply.code})
);
