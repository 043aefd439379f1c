//! `/audit`: what an auditor can do with the audit trail — read it filtered and paged (newest
//! first), download the same selection as CSV, and check the hash chain. Every route takes
//! `Authorized<Auditors>`.
//!
//! The trail is only read here; the one write is the export's own `audit_exported` entry,
//! committed before the file is returned, so nobody takes a copy of the trail unrecorded.
//! `filters` validates the query (Hà Nội days, actor substring), `views` shapes the list and
//! the chain check, `export` writes the CSV.

mod export;
mod filters;
mod views;

use rocket::http::Status;
use rocket::{get, routes, Route, State};
use rocket_dyn_templates::Template;

use crate::auth::{Auditors, Authorized};
use crate::web::error::AppResult;
use crate::web::page::PageCtx;
use crate::web::state::AppState;
use export::CsvDownload;
use views::{ListView, VerifyView};

pub use export::EXPORT_CAP;
pub use filters::{AuditQuery, FieldError, Filters};

/// The routes of the auditors' pages.
pub fn routes() -> Vec<Route> {
    routes![list_entries, export_entries, verify_chain]
}

#[get("/audit?<query..>")]
async fn list_entries(
    page: PageCtx,
    state: &State<AppState>,
    _user: Authorized<Auditors>,
    query: AuditQuery,
) -> AppResult<(Status, Template)> {
    let query = query.normalised();
    let (status, view) = ListView::load(state.db.conn(), page.lang, &query).await?;
    Ok(page.render_status(status, "audit/list", view))
}

#[get("/audit/export.csv?<query..>")]
async fn export_entries(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Auditors>,
    query: AuditQuery,
) -> AppResult<Result<CsvDownload, (Status, Template)>> {
    let query = query.normalised();
    let filters = match Filters::parse(&query) {
        Ok(filters) => filters,
        Err(errors) => {
            let db = state.db.conn();
            let (status, view) = ListView::invalid(db, page.lang, &query, &errors).await?;
            return Ok(Err(page.render_status(status, "audit/list", view)));
        }
    };
    let file = export::download(state, &user, &query, &filters, page.lang).await?;
    Ok(Ok(file))
}

#[get("/audit/verify")]
async fn verify_chain(
    page: PageCtx,
    state: &State<AppState>,
    _user: Authorized<Auditors>,
) -> AppResult<Template> {
    let view = VerifyView::load(state.db.conn()).await?;
    Ok(page.render("audit/verify", view))
}
