//! `/admin/<kind>/<id>/deactivate` and `/reactivate`: one route pair for every record an admin
//! switches off and on (categories, canned replies, staff-directory entries, internal
//! disciplinary measures, internal labour regulation articles, intake channels). GET shows the confirmation page, POST switches and returns to the
//! list; records are never deleted. Each kind's page side is its `SwitchPage` impl, beside the
//! rest of its screens; the transaction and its audit entry are `web::switch`.

use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::Template;

use crate::auth::{Admins, Authorized};
use crate::platform::persistence::entities::intake_channel::Model as Channel;
use crate::platform::persistence::entities::{
    canned_reply, internal_measure, labour_rule, staff_member, violation_category,
};
use crate::web::error::{AppError, AppResult};
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use crate::web::switch::{confirm_page, switch_and_return};

pub fn routes() -> Vec<Route> {
    routes![confirm_switch, switch]
}

/// The kinds of switchable record, as their URL segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Categories,
    CannedReplies,
    Staff,
    Measures,
    LabourRules,
    Channels,
}

impl Kind {
    /// The kind named by a URL segment. Parsed in the handler rather than as a `FromParam`,
    /// so that any other path under `/admin` still answers 404 (a failed parameter would
    /// answer 422).
    fn parse(segment: &str) -> AppResult<Self> {
        match segment {
            "categories" => Ok(Kind::Categories),
            "canned-replies" => Ok(Kind::CannedReplies),
            "staff" => Ok(Kind::Staff),
            "measures" => Ok(Kind::Measures),
            "labour-rules" => Ok(Kind::LabourRules),
            "channels" => Ok(Kind::Channels),
            _ => Err(AppError::NotFound),
        }
    }
}

/// The `active` flag that `deactivate` or `reactivate` gives the record; see [`Kind::parse`]
/// for why this is not a `FromParam`.
fn activating(direction: &str) -> AppResult<bool> {
    match direction {
        "deactivate" => Ok(false),
        "reactivate" => Ok(true),
        _ => Err(AppError::NotFound),
    }
}

// Ranked after every specific `/admin/...` route, so a unit's own deactivation (which checks
// its children) and any other three-segment admin path are matched first.
#[get("/admin/<kind>/<id>/<direction>", rank = 20)]
async fn confirm_switch(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    kind: &str,
    id: i32,
    direction: &str,
) -> AppResult<Template> {
    let (state, active, ok) = (state.inner(), activating(direction)?, Status::Ok);
    let (_, template) = match Kind::parse(kind)? {
        Kind::Categories => {
            confirm_page::<violation_category::Model>(state, &page, id, active, ok).await?
        }
        Kind::CannedReplies => {
            confirm_page::<canned_reply::Model>(state, &page, id, active, ok).await?
        }
        Kind::Staff => confirm_page::<staff_member::Model>(state, &page, id, active, ok).await?,
        Kind::Measures => {
            confirm_page::<internal_measure::Model>(state, &page, id, active, ok).await?
        }
        Kind::LabourRules => {
            confirm_page::<labour_rule::Model>(state, &page, id, active, ok).await?
        }
        Kind::Channels => confirm_page::<Channel>(state, &page, id, active, ok).await?,
    };
    Ok(template)
}

#[post("/admin/<kind>/<id>/<direction>", rank = 20)]
async fn switch(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    kind: &str,
    id: i32,
    direction: &str,
) -> Result<Flash<Redirect>, AppResultPage> {
    let kind = Kind::parse(kind).map_err(AppResultPage::Error)?;
    let active = activating(direction).map_err(AppResultPage::Error)?;
    let (state, actor) = (state.inner(), user.actor());
    match kind {
        Kind::Categories => {
            switch_and_return::<violation_category::Model>(state, &page, &actor, id, active).await
        }
        Kind::CannedReplies => {
            switch_and_return::<canned_reply::Model>(state, &page, &actor, id, active).await
        }
        Kind::Staff => {
            switch_and_return::<staff_member::Model>(state, &page, &actor, id, active).await
        }
        Kind::Measures => {
            switch_and_return::<internal_measure::Model>(state, &page, &actor, id, active).await
        }
        Kind::LabourRules => {
            switch_and_return::<labour_rule::Model>(state, &page, &actor, id, active).await
        }
        Kind::Channels => switch_and_return::<Channel>(state, &page, &actor, id, active).await,
    }
}
