//! Handlers of `/dashboard` and `/dashboard/export` (leadership, `Authorized<Leaders>`) and
//! `/transparency` (everyone, no sign-in). Thin: read the filters and the rollups
//! (`view::Loaded`), render the typed view or send the audited file (`download`).

use rocket::http::Status;
use rocket::{get, routes, Route, State};
use rocket_dyn_templates::Template;

use super::download::{Download, ExportRequest};
use super::filters::DashboardQuery;
use super::published;
use super::transparency::{self, TransparencyCache};
use super::view::{DashboardView, Loaded};
use crate::auth::{Authorized, Leaders};
use crate::web::error::AppResult;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

pub fn routes() -> Vec<Route> {
    routes![show_dashboard, export_table, show_transparency]
}

#[get("/dashboard?<query..>")]
async fn show_dashboard(
    page: PageCtx,
    state: &State<AppState>,
    _user: Authorized<Leaders>,
    query: DashboardQuery,
) -> AppResult<(Status, Template)> {
    let loaded = Loaded::load(state, page.lang, &query).await?;
    let status = match loaded.outcome {
        Ok(_) => Status::Ok,
        Err(_) => Status::UnprocessableEntity,
    };
    let view = DashboardView::build(page.lang, &query, &loaded);
    Ok(page.render_status(status, "analytics/dashboard", view))
}

/// A table of the dashboard as CSV or XLSX; with wrong filters, the page again with the errors.
#[get("/dashboard/export?<query..>")]
async fn export_table(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Leaders>,
    query: DashboardQuery,
) -> AppResult<Result<Download, (Status, Template)>> {
    let request = ExportRequest::parse(&query)?;
    let loaded = Loaded::load(state, page.lang, &query).await?;
    match &loaded.outcome {
        Ok((filters, dashboard)) => {
            let actor = user.actor();
            let file = Download::prepare(state, &actor, request, filters, dashboard).await?;
            Ok(Ok(file))
        }
        Err(_) => {
            let view = DashboardView::build(page.lang, &query, &loaded);
            let status = Status::UnprocessableEntity;
            Ok(Err(page.render_status(status, "analytics/dashboard", view)))
        }
    }
}

#[get("/transparency?<page>")]
async fn show_transparency(
    ctx: PageCtx,
    state: &State<AppState>,
    cache: &State<TransparencyCache>,
    page: Option<u64>,
) -> AppResult<Template> {
    let stats = cache.get(state).await?;
    let published = published::list(state, ctx.lang, page.unwrap_or(1)).await?;
    let view = transparency::view(&stats, ctx.lang, published);
    Ok(ctx.render("analytics/transparency", view))
}
