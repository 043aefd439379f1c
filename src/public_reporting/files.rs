//! Files from the reporter's side: adding evidence from the follow-up page and downloading
//! what they and the inspectors shared. URL prefix `/follow-up/files`; every route needs the
//! reporter's session and answers only for files of that report.

use rocket::data::Data;
use rocket::http::{ContentType, Status};
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, Route, State};

use super::uploads::add_follow_up_files;
use super::views::StatusPageView;
use crate::auth::reporter::ReporterSession;
use crate::case_management::evidence::{self as service, Download, Variant};
use crate::domain::ids::FileId;
use crate::platform::audit::Actor;
use crate::web::error::AppResult;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use crate::web::throttle::ThrottleKey;

pub fn routes() -> Vec<Route> {
    routes![
        reporter_upload,
        reporter_upload_without_session,
        reporter_download,
        reporter_preview,
    ]
}

#[post("/follow-up/files", format = "multipart/form-data", data = "<data>")]
async fn reporter_upload(
    page: PageCtx,
    state: &State<AppState>,
    session: ReporterSession,
    address: ThrottleKey,
    content_type: &ContentType,
    data: Data<'_>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let report_id = session.report_id;
    let added = add_follow_up_files(state, report_id, &address.0, content_type, data)
        .await
        .map_err(AppResultPage::Error)?;
    match added {
        Ok(()) => Ok(Flash::success(
            Redirect::to("/follow-up/status#files"),
            "flash-files-added",
        )),
        Err(refusal) => {
            let message = refusal.text(page.lang, &state.config.evidence);
            Err(status_page_with_error(state, &page, report_id, refusal.status(), message).await)
        }
    }
}

/// The follow-up page again, with a message about the files.
async fn status_page_with_error(
    state: &AppState,
    page: &PageCtx,
    report_id: i32,
    status: Status,
    message: String,
) -> AppResultPage {
    match StatusPageView::load(state, report_id, page.lang).await {
        Ok(view) => {
            let view = StatusPageView {
                file_error: Some(message),
                ..view
            };
            AppResultPage::Page(page.render_status(status, "public/status", view))
        }
        Err(error) => AppResultPage::Error(error),
    }
}

#[post("/follow-up/files", rank = 2)]
fn reporter_upload_without_session() -> Flash<Redirect> {
    Flash::warning(Redirect::to("/follow-up"), "flash-follow-up-expired")
}

#[get("/follow-up/files/<file_id>")]
async fn reporter_download(
    state: &State<AppState>,
    session: ReporterSession,
    file_id: FileId,
) -> AppResult<Download> {
    let row = service::find(state.db.conn(), session.report_id, file_id.0, true).await?;
    service::download(
        state,
        &Actor::Claimed("reporter".into()),
        row,
        Variant::Default,
    )
    .await
}

#[get("/follow-up/files/<file_id>/preview")]
async fn reporter_preview(
    state: &State<AppState>,
    session: ReporterSession,
    file_id: FileId,
) -> AppResult<Download> {
    let row = service::find(state.db.conn(), session.report_id, file_id.0, true).await?;
    service::download(
        state,
        &Actor::Claimed("reporter".into()),
        row,
        Variant::Preview,
    )
    .await
}
